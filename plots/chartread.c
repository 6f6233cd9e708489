/* chartread.c: reading the results tree for the charts (chartparts.h).
 *
 * Design. The results are checked once up front (charts_check): every
 * problem in the parts the charts read is listed, each with its JSON path and
 * what was expected, then one HNB_E_RESULTS is returned, so the chart
 * functions read the tree through the accessors here without re-checking
 * each value (a missing number reads as NaN, a missing string as the default
 * given). The results file itself was read by the model's one checked reader
 * (results_read); this check is of what the charts need of it. */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chartparts.h"
#include "core/dates.h"
#include "core/error.h"

/* ---- reading the results --------------------------------------------- */

const cJSON *charts_get(const cJSON *o, const char *key) { return cJSON_GetObjectItemCaseSensitive(o, key); }

double charts_num(const cJSON *o, const char *key)
{
    const cJSON *v = charts_get(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

int charts_year(const cJSON *o, const char *key)
{
    double v = charts_num(o, key);
    return (isfinite(v) && v >= 1900.0 && v <= 2200.0) ? (int)v : INT_MIN;
}

const char *charts_str(const cJSON *o, const char *key, const char *dflt)
{
    const cJSON *v = charts_get(o, key);
    return (cJSON_IsString(v) && v->valuestring) ? v->valuestring : dflt;
}

int charts_fy(const cJSON *o, const char *key)
{
    int fy;
    return fy_parse(charts_str(o, key, NULL), &fy) == 0 ? fy : INT_MIN;
}

const char *charts_label(const cJSON *s)
{
    const char *l = charts_str(s, "label", "");
    return *l ? l : charts_str(s, "name", "?");
}

const cJSON *charts_scenario_named(const charts_ctx *x, const char *name, int *index)
{
    int i = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, x->scen)
    {
        if (name && strcmp(charts_str(s, "name", ""), name) == 0) {
            if (index) *index = i;
            return s;
        }
        i++;
    }
    return NULL;
}

double charts_brought_forward(const cJSON *s)
{
    const cJSON *y0 = cJSON_GetArrayItem(charts_get(s, "years"), 0);
    return charts_num(y0, "cumulative") - charts_num(y0, "in_year");
}

int charts_override_fy(const cJSON *s)
{
    hnb_date d;
    if (date_parse(charts_str(s, "override_end", NULL), &d) != 0) return INT_MIN;
    return d.m >= 4 ? d.y : d.y - 1; /* a financial year starts on 1 April */
}

/* ---- checking the results -------------------------------------------- */

static void charts_bad(charts_ctx *x, const char *path, const char *key, const cJSON *v, const char *expected)
{
    err_add(x->h, HNB_E_RESULTS, "results: %s%s%s: %s (expected %s)", path, key ? "." : "", key ? key : "",
            v ? "wrong type or value" : "missing", expected);
}

static void charts_need_num(charts_ctx *x, const cJSON *o, const char *key, const char *path, const char *expected)
{
    const cJSON *v = charts_get(o, key);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) charts_bad(x, path, key, v, expected);
}

static void charts_need_str(charts_ctx *x, const cJSON *o, const char *key, const char *path, const char *expected)
{
    const cJSON *v = charts_get(o, key);
    if (!cJSON_IsString(v) || !v->valuestring || !*v->valuestring) charts_bad(x, path, key, v, expected);
}

static void charts_need_fy(charts_ctx *x, const cJSON *o, const char *key, const char *path)
{
    if (charts_fy(o, key) == INT_MIN)
        charts_bad(x, path, key, charts_get(o, key), "a financial year such as \"2026-27\"");
}

static const cJSON *charts_need_obj(charts_ctx *x, const cJSON *o, const char *key, const char *path)
{
    const cJSON *v = charts_get(o, key);
    if (!cJSON_IsObject(v)) {
        charts_bad(x, path, key, v, "an object");
        return NULL;
    }
    return v;
}

static const cJSON *charts_need_arr(charts_ctx *x, const cJSON *o, const char *key, const char *path, int nonempty)
{
    const cJSON *v = charts_get(o, key);
    if (!cJSON_IsArray(v) || (nonempty && cJSON_GetArraySize(v) == 0)) {
        charts_bad(x, path, key, v, nonempty ? "a non-empty array" : "an array");
        return NULL;
    }
    return v;
}

static void charts_check_pct(charts_ctx *x, const cJSON *o, const char *key, const char *path)
{
    static const char *const pk[] = {"p5", "p10", "p25", "p50", "p75", "p90", "p95"};
    const cJSON *p = charts_need_obj(x, o, key, path);
    if (!p) return;
    char sub[200];
    snprintf(sub, sizeof sub, "%s.%s", path, key);
    for (size_t k = 0; k < sizeof pk / sizeof pk[0]; k++) charts_need_num(x, p, pk[k], sub, "a percentile in \xc2\xa3");
}

static void charts_check_scenario(charts_ctx *x, const cJSON *s, int i)
{
    char path[32], sub[96];
    snprintf(path, sizeof path, "scenarios[%d]", i);
    if (!cJSON_IsObject(s)) {
        charts_bad(x, path, NULL, s, "a scenario object");
        return;
    }
    charts_need_str(x, s, "name", path, "the scenario's name");
    const cJSON *years = charts_need_arr(x, s, "years", path, 1);
    const cJSON *y;
    int j = 0;
    cJSON_ArrayForEach(y, years)
    {
        snprintf(sub, sizeof sub, "%s.years[%d]", path, j++);
        charts_need_fy(x, y, "fy", sub);
        if (charts_year(y, "census") == INT_MIN)
            charts_bad(x, sub, "census", charts_get(y, "census"), "the January census year, such as 2027");
        charts_need_num(x, y, "in_year", sub, "the in-year position in \xc2\xa3");
        charts_need_num(x, y, "cumulative", sub, "the cumulative position in \xc2\xa3");
        char part[160];
        const cJSON *e = charts_need_obj(x, y, "ehcps", sub);
        snprintf(part, sizeof part, "%s.ehcps", sub);
        if (e) charts_need_num(x, e, "total", part, "the number of EHCPs");
        if (e) charts_need_obj(x, e, "by_placement", part);
        e = charts_need_obj(x, y, "spend", sub);
        snprintf(part, sizeof part, "%s.spend", sub);
        if (e) charts_need_num(x, e, "total", part, "total spend in \xc2\xa3");
        if (e) charts_need_obj(x, e, "by_line", part);
        e = charts_need_obj(x, y, "funding", sub);
        snprintf(part, sizeof part, "%s.funding", sub);
        if (e) charts_need_num(x, e, "total", part, "total funding in \xc2\xa3");
    }
    const cJSON *a, *list;
    list = charts_need_arr(x, s, "placements", path, 0);
    j = 0;
    cJSON_ArrayForEach(a, list)
    {
        snprintf(sub, sizeof sub, "%s.placements[%d]", path, j++);
        charts_need_str(x, a, "id", sub, "a placement id");
    }
    list = charts_need_arr(x, s, "spend_lines", path, 0);
    j = 0;
    cJSON_ArrayForEach(a, list)
    {
        snprintf(sub, sizeof sub, "%s.spend_lines[%d]", path, j++);
        charts_need_str(x, a, "id", sub, "a spend line id");
    }
    const cJSON *h = charts_need_obj(x, s, "headline", path);
    snprintf(sub, sizeof sub, "%s.headline", path);
    if (h) charts_need_num(x, h, "cumulative_at_override_end", sub, "the cumulative position in \xc2\xa3");

    const cJSON *act = charts_get(s, "actuals");
    snprintf(sub, sizeof sub, "%s.actuals", path);
    const cJSON *fin = act ? charts_get(act, "finance") : NULL;
    if (fin) {
        fin = charts_need_arr(x, act, "finance", sub, 0);
        j = 0;
        cJSON_ArrayForEach(a, fin)
        {
            char p2[160];
            snprintf(p2, sizeof p2, "%s.finance[%d]", sub, j++);
            charts_need_fy(x, a, "fy", p2);
            charts_need_num(x, a, "in_year", p2, "the published in-year position in \xc2\xa3");
            charts_need_num(x, a, "cumulative", p2, "the published cumulative position in \xc2\xa3");
        }
    }
    const cJSON *cen = act ? charts_get(act, "census") : NULL;
    if (cen) {
        cen = charts_need_arr(x, act, "census", sub, 0);
        j = 0;
        cJSON_ArrayForEach(a, cen)
        {
            char p2[160];
            snprintf(p2, sizeof p2, "%s.census[%d]", sub, j++);
            if (charts_year(a, "census") == INT_MIN)
                charts_bad(x, p2, "census", charts_get(a, "census"), "a census year, such as 2025");
            charts_need_num(x, a, "ehcps", p2, "the published number of EHCPs");
        }
    }

    const cJSON *mc = charts_get(s, "montecarlo");
    if (mc) {
        snprintf(sub, sizeof sub, "%s.montecarlo", path);
        const cJSON *my = charts_need_arr(x, mc, "years", sub, 1);
        j = 0;
        cJSON_ArrayForEach(a, my)
        {
            char p2[160];
            snprintf(p2, sizeof p2, "%s.years[%d]", sub, j++);
            charts_need_fy(x, a, "fy", p2);
            charts_check_pct(x, a, "cumulative", p2);
        }
    }

    const cJSON *sv = charts_get(s, "savings");
    if (sv) {
        snprintf(sub, sizeof sub, "%s.savings", path);
        const cJSON *ag = charts_get(sv, "against");
        if (!cJSON_IsString(ag) || !charts_scenario_named(x, ag->valuestring, NULL))
            charts_bad(x, sub, "against", ag, "the name of a scenario in the results");
        const cJSON *acts = charts_need_arr(x, sv, "actions", sub, 0);
        j = 0;
        cJSON_ArrayForEach(a, acts)
        {
            char p2[160];
            snprintf(p2, sizeof p2, "%s.actions[%d]", sub, j++);
            charts_need_str(x, a, "name", p2, "the action's name");
            charts_need_num(x, a, "to_override_end", p2, "the saving to the end of the override in \xc2\xa3");
        }
    }
}

static void charts_check_sweep(charts_ctx *x, const cJSON *sw)
{
    const cJSON *sc = charts_get(sw, "scenario");
    if (!cJSON_IsString(sc) || !charts_scenario_named(x, sc->valuestring, NULL))
        charts_bad(x, "sweep", "scenario", sc, "the name of a scenario in the results");
    charts_need_str(x, sw, "figure", "sweep", "the name of the headline figure swept");
    charts_need_num(x, sw, "base", "sweep", "the figure at the central assumptions in \xc2\xa3");
    const cJSON *bars = charts_need_arr(x, sw, "bars", "sweep", 0), *b;
    int j = 0;
    cJSON_ArrayForEach(b, bars)
    {
        char p[64];
        snprintf(p, sizeof p, "sweep.bars[%d]", j++);
        charts_need_str(x, b, "assumption", p, "the assumption varied");
        charts_need_num(x, b, "low", p, "the figure at the low setting in \xc2\xa3");
        charts_need_num(x, b, "high", p, "the figure at the high setting in \xc2\xa3");
    }
}

/* Every problem in the parts the charts read, then one code. */
int charts_check(charts_ctx *x)
{
    err_clear(x->h);
    x->scen = charts_get(x->res, "scenarios");
    if (!cJSON_IsArray(x->scen) || cJSON_GetArraySize(x->scen) == 0)
        return err_set(x->h, HNB_E_RESULTS, "results: scenarios: %s (expected a non-empty array of scenarios)",
                       x->scen ? "not a non-empty array" : "missing");
    int i = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, x->scen) charts_check_scenario(x, s, i++);
    const cJSON *sw = charts_get(x->res, "sweep");
    if (sw) charts_check_sweep(x, sw);
    return err_count(x->h) ? HNB_E_RESULTS : HNB_OK;
}
