/* actuals.c: published figures, Monte Carlo settings and the calibration block.
 *
 * `actuals` (census counts and financial outturns) feed the back-test, the
 * calibration and the charts; `montecarlo` holds the settings of a run with
 * paths; the file's `calibration` block is only checked for its shape here,
 * since whether each name in it is one assumption is known once the scenario
 * is read through its backtest block (analysis/calibrate.c). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/error.h"
#include "input/keys.h"
#include "input/sections.h"

void ld_read_actuals(loader *ld, scenario *s, const jv *v)
{
    const char *const *keys = ld_keys(KEYS_ACTUALS);
    jv ac, c, f;
    if (!jv_get(v, "actuals", &ac) || !jv_want(ld, &ac, cJSON_Object, "{\"census\": [...], \"finance\": [...]}"))
        return;
    jv_check_keys(ld, &ac, keys);
    if (jv_get(&ac, "census", &c) && jv_want(ld, &c, cJSON_Array, "a list of {\"census\": 2024, \"ehcps\": 2304}")) {
        int n = jv_size(&c);
        s->act_census = calloc((size_t)n + 1, sizeof *s->act_census);
        for (int i = 0; s->act_census && i < n; i++) {
            const char *const *k2 = ld_keys(KEYS_ACTUAL_CENSUS);
            jv e;
            jv_at(&c, i, &e);
            if (!jv_want(ld, &e, cJSON_Object, "{\"census\": 2024, \"ehcps\": 2304}")) continue;
            jv_check_keys(ld, &e, k2);
            actual_census *a = &s->act_census[s->nact_census];
            if (!jv_int(ld, &e, "census", 1, 1990, 2200, &a->census) || !jv_num(ld, &e, "ehcps", 1, 0, 1e7, &a->ehcps))
                continue;
            a->source = ld_strdup(e.source);
            s->nact_census++;
        }
    }
    if (jv_get(&ac, "finance", &f) &&
        jv_want(ld, &f, cJSON_Array, "a list of {\"fy\": \"2024-25\", \"in_year\": ..., \"cumulative\": ...}")) {
        int n = jv_size(&f);
        s->act_fin = calloc((size_t)n + 1, sizeof *s->act_fin);
        for (int i = 0; s->act_fin && i < n; i++) {
            const char *const *k2 = ld_keys(KEYS_ACTUAL_FINANCE);
            jv e;
            jv_at(&f, i, &e);
            if (!jv_want(ld, &e, cJSON_Object, "{\"fy\": \"2024-25\", \"in_year\": -9200000}")) continue;
            jv_check_keys(ld, &e, k2);
            actual_fin *a = &s->act_fin[s->nact_fin];
            if (!jv_fy(ld, &e, "fy", 1, &a->fy)) continue;
            a->has_in_year = jv_num(ld, &e, "in_year", 0, -1e12, 1e12, &a->in_year);
            a->has_cumulative = jv_num(ld, &e, "cumulative", 0, -1e12, 1e12, &a->cumulative);
            const char *st = "outturn";
            if (jv_str(ld, &e, "status", 0, &st) && strcmp(st, "outturn") && strcmp(st, "forecast") &&
                strcmp(st, "budget"))
                ld_err(ld, HNB_E_RANGE, &e, "status", "outturn, forecast or budget", "unknown status \"%s\"", st);
            a->status = ld_strdup(st);
            a->source = ld_strdup(e.source);
            s->nact_fin++;
        }
    }
}

void ld_read_montecarlo(loader *ld, scenario *s, const jv *v)
{
    const char *const *keys = ld_keys(KEYS_MONTECARLO);
    s->balance_by_fy = (int)(s->override_end / 12.0) - 1;
    s->deficit_threshold = 0.0;
    jv mc;
    if (!jv_get(v, "montecarlo", &mc) ||
        !jv_want(ld, &mc, cJSON_Object, "{\"count_noise\": false, \"balance_by\": \"2027-28\"}"))
        return;
    jv_check_keys(ld, &mc, keys);
    jv noise;
    if (jv_get(&mc, "count_noise", &noise)) {
        if (cJSON_IsBool(jv_top(&noise)))
            s->count_noise = cJSON_IsTrue(jv_top(&noise));
        else
            ld_err(ld, HNB_E_TYPE, &noise, NULL, "true or false", "not a boolean");
    }
    jv ru;
    if (jv_get(&mc, "rate_uncertainty", &ru)) {
        if (cJSON_IsBool(jv_top(&ru)))
            s->rate_uncertainty = cJSON_IsTrue(jv_top(&ru));
        else
            ld_err(ld, HNB_E_TYPE, &ru, NULL, "true or false", "not a boolean");
    }
    if (jv_fy(ld, &mc, "balance_by", 0, &s->balance_by_fy) && !s->backtest &&
        (s->balance_by_fy < s->first_fy || s->balance_by_fy > s->last_fy))
        ld_err(ld, HNB_E_RANGE, &mc, "balance_by", "a financial year within the horizon", "outside the horizon");
    jv_num(ld, &mc, "deficit_threshold", 0, 0.0, 1e12, &s->deficit_threshold);
}

/* The calibration block (read by calibrate.c): its shape is checked here so
 * that `hnbsim validate` reports a mistake before a calibration is tried.
 * Whether each name in "fit" and "holdout.set" is one assumption is known only
 * once the scenario is read through its backtest block, so calibrate checks it. */
void ld_check_calibration(loader *ld, const jv *top)
{
    const char *const *keys = ld_keys(KEYS_CALIBRATION);
    const char *const *hkeys = ld_keys(KEYS_HOLDOUT);
    jv cal, x;
    if (!jv_get(top, "calibration", &cal)) return;
    if (!jv_want(ld, &cal, cJSON_Object, "{\"scenario\": \"baseline\", \"fit\": [\"cost_scale\"], \"holdout\": {...}}"))
        return;
    jv_check_keys(ld, &cal, keys);
    const char *name = NULL;
    if (jv_str(ld, &cal, "scenario", 0, &name) &&
        !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(ld_file_scenarios(jv_top(top)), name)))
        ld_err(ld, HNB_E_REF, &cal, "scenario", "the name of a scenario in the file", "no scenario \"%s\"", name);
    if (jv_get(&cal, "fit", &x) &&
        jv_want(ld, &x, cJSON_Array, "a list of assumption names such as [\"cost_scale\"]")) {
        for (int i = 0; i < jv_size(&x); i++) {
            jv e;
            jv_at(&x, i, &e);
            if (!cJSON_IsString(jv_top(&e)) || !jv_top(&e)->valuestring[0])
                ld_err(ld, HNB_E_TYPE, &e, NULL, "the end of an assumption's JSON path, such as \"cost_scale\"",
                       "not a name");
        }
    }
    jv ho;
    if (!jv_get(&cal, "holdout", &ho) || !jv_want(ld, &ho, cJSON_Object, "{\"census\": 2024, \"fy\": \"2024-25\"}"))
        return;
    jv_check_keys(ld, &ho, hkeys);
    int census, fy;
    jv_int(ld, &ho, "census", 0, 1990, 2200, &census);
    jv_fy(ld, &ho, "fy", 0, &fy);
    if (jv_get(&ho, "set", &x) &&
        jv_want(ld, &x, cJSON_Object, "{\"joiners.growth\": 0.1}: assumption names and values"))
        for (const cJSON *c = jv_top(&x)->child; c; c = c->next)
            if (!cJSON_IsNumber(c)) {
                jv one;
                jv_get(&x, c->string, &one);
                jv_want(ld, &one, cJSON_Number, "a number: the value the hold-out assumes");
            }
}
