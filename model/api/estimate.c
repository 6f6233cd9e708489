/* estimate.c (api): hnb_estimate, the job behind `hnbsim estimate`.
 *
 * It reads the history (and the population and costs, if given) through the
 * estimate room, fits every rate on the whole history, and checks the
 * scenario file it builds by loading it as any file is loaded. Then the
 * validation run: the same estimation on every year but the last, loaded
 * and projected one year by the engine (project_run), set beside the last
 * year's actual counts by setting and by need, with the error the estimate
 * states (rates' sampling error and the children's own noise, hist_step_group).
 * The engine's forecast must equal the estimated chain's own one-step
 * expectation (no capacity limits, no actions): a difference is a defect and
 * fails the job. The validation goes in the file's "estimation" block. The
 * file is written only when everything succeeded. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fileout.h"
#include "core/model.h"
#include "core/scenario.h"
#include "engine/project.h"
#include "estimate/estimate.h"
#include "input/load.h"

/* Load a built document into a fresh handle; returns it, or NULL with the
 * loader's messages copied to h. */
static hnb_model *load_doc(hnb_model *h, const cJSON *doc, const char *name, int *rc)
{
    char *text = cJSON_Print(doc);
    hnb_model *t = text ? hnb_model_alloc() : NULL;
    *rc = t ? scenario_load_text(t, name, text, strlen(text), 0, 0) : HNB_E_NOMEM;
    free(text);
    if (*rc) {
        err_set(h, HNB_E_INTERNAL, "the estimated scenario file does not load (a defect: please report it): %s",
                t ? hnb_errmsg(t) : "out of memory");
        *rc = HNB_E_INTERNAL;
        hnb_model_free(t);
        return NULL;
    }
    return t;
}

typedef struct vrow {
    const char *kind, *name;
    double forecast, actual, chain, sd;
} vrow;

/* The validation run: fit on every year but the last, forecast the last. */
static int validate(hnb_model *h, const hist_data *d, int min_count, cJSON *block, FILE *out)
{
    hist_fit f;
    int rc = hist_fit_rows(h, d, d->y1 - 1, min_count, &f);
    cJSON *doc = rc ? NULL : hist_build_scenario(d, &f, 0);
    hnb_model *t = doc ? load_doc(h, doc, "(validation) estimated.json", &rc) : NULL;
    if (!rc && !doc) rc = err_set(h, HNB_E_NOMEM, "out of memory");
    projection pj = {0};
    workspace w = {0};
    ivstate iv[1];
    if (!rc) {
        const scenario *s = t->scen[0];
        rc = workspace_alloc(s, &w);
        if (!rc) rc = projection_alloc(s, &pj);
        if (!rc) {
            ivstate_default(s, iv);
            rc = project_run(s, s->val, iv, &w, &pj);
        }
        if (rc) rc = err_set(h, rc, "the validation run failed (the projection is not finite)");
    }
    int P = d->nplace, A = d->nages, n = d->nsetting + d->nneed + 1;
    vrow *v = rc ? NULL : calloc((size_t)n, sizeof *v);
    double *actual = rc ? NULL : calloc((size_t)P, sizeof *actual);
    unsigned char *g = rc ? NULL : calloc((size_t)P, 1);
    if (!rc && (!v || !actual || !g)) rc = err_set(h, HNB_E_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < d->nrow; i++)
        if (d->row[i].year == d->y1 && d->row[i].to >= 0 && d->row[i].age2 < A) actual[d->row[i].to] += 1;
    for (int k = 0; !rc && k < n; k++) {
        vrow *r = &v[k];
        if (k < d->nsetting) {
            r->kind = "setting";
            r->name = d->setting[k];
        } else if (k < n - 1) {
            r->kind = "need";
            r->name = d->need[k - d->nsetting];
        } else {
            r->kind = "total";
            r->name = "all";
        }
        for (int p = 0; p < P; p++) {
            g[p] = k < d->nsetting ? d->pl_setting[p] == k : k < n - 1 ? d->pl_need[p] == k - d->nsetting : 1;
            if (!g[p]) continue;
            r->forecast += pj.ehcps[p];
            r->actual += actual[p];
        }
        double vr, vn;
        hist_step_group(d, &f, f.stock, g, &r->chain, &vr, &vn);
        r->sd = sqrt(vr + vn);
        if (fabs(r->chain - r->forecast) > 1e-6 * (1 + fabs(r->chain)))
            rc = err_set(h, HNB_E_INTERNAL,
                         "validation: the engine forecasts %.6f for %s %s, the estimated chain %.6f (a defect: please "
                         "report it)",
                         r->forecast, r->kind, r->name, r->chain);
    }
    if (!rc) {
        cJSON *vb = cJSON_AddObjectToObject(block, "validation");
        char buf[300];
        snprintf(buf, sizeof buf,
                 "estimated on calendar years %d to %d, projected from January %d to January %d by the engine; "
                 "actual: the rows of calendar-year %d; sd: the rates' sampling error and the children's own noise",
                 d->y0, d->y1 - 1, d->y1, d->y1 + 1, d->y1);
        cJSON_AddStringToObject(vb, "source", buf);
        cJSON_AddNumberToObject(vb, "census", d->y1 + 1);
        cJSON *rows = cJSON_AddArrayToObject(vb, "rows");
        if (out)
            fprintf(out,
                    "\nValidation: estimated on %d to %d, forecast January %d from January %d, against the actual "
                    "(calendar-year %d rows)\n%-8s %-20s %10s %10s %9s %8s %8s %6s\n",
                    d->y0, d->y1 - 1, d->y1 + 1, d->y1, d->y1, "by", "group", "forecast", "actual", "error", "error %",
                    "sd", "z");
        for (int k = 0; k < n; k++) {
            const vrow *r = &v[k];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, r->kind, r->name);
            cJSON_AddNumberToObject(o, "forecast", r->forecast);
            cJSON_AddNumberToObject(o, "actual", r->actual);
            cJSON_AddNumberToObject(o, "sd", r->sd);
            cJSON_AddItemToArray(rows, o);
            double e = r->forecast - r->actual;
            if (out) {
                char pct[16] = "-";
                if (r->actual > 0) snprintf(pct, sizeof pct, "%+.1f%%", 100 * e / r->actual);
                fprintf(out, "%-8s %-20.20s %10.1f %10.0f %+9.1f %8s %8.1f %+6.2f\n", r->kind, r->name, r->forecast,
                        r->actual, e, pct, r->sd, r->sd > 0 ? e / r->sd : 0.0);
            }
        }
    }
    free(v);
    free(actual);
    free(g);
    projection_free(&pj);
    workspace_free(&w);
    hnb_model_free(t);
    cJSON_Delete(doc);
    hist_fit_free(&f);
    return rc;
}

int hnb_estimate(hnb_model *h, const hnb_estimate_options *opt, void *file)
{
    FILE *out = file;
    if (!opt || !opt->history || !opt->out)
        return err_set(h, HNB_E_USAGE, "estimate: a history file and an output file are needed");
    int min_count = opt->min_count > 0 ? opt->min_count : 20;
    hist_data d;
    int rc = hist_read(h, opt->history, opt->population, opt->costs, &d);
    hist_fit f = {0};
    if (!rc) rc = hist_fit_rows(h, &d, d.y1, min_count, &f);
    if (!rc && opt->horizon_fy && opt->horizon_fy < f.census)
        rc = err_set(h, HNB_E_RANGE,
                     "--horizon %d-%02d: before the first financial year %d-%02d (expected %d-%02d or later)",
                     opt->horizon_fy, (opt->horizon_fy + 1) % 100, f.census, (f.census + 1) % 100, f.census,
                     (f.census + 1) % 100);
    cJSON *doc = rc ? NULL : hist_build_scenario(&d, &f, opt->horizon_fy);
    if (!rc && !doc) rc = err_set(h, HNB_E_NOMEM, "out of memory");
    if (!rc && out) hist_print_data_report(out, &d, &f);
    if (!rc) rc = validate(h, &d, min_count, cJSON_GetObjectItemCaseSensitive(doc, "estimation"), out);
    if (!rc) {
        hnb_model *t = load_doc(h, doc, opt->out, &rc);
        hnb_model_free(t);
    }
    char *text = rc ? NULL : cJSON_Print(doc);
    if (!rc && !text) rc = err_set(h, HNB_E_NOMEM, "out of memory");
    if (!rc) {
        size_t n = strlen(text);
        char *t2 = realloc(text, n + 2);
        if (t2) {
            text = t2;
            text[n] = '\n';
            text[n + 1] = '\0';
        }
        rc = fileout_write_string(h, opt->out, text);
    }
    if (!rc && out)
        fprintf(out,
                "\nScenario file: %s (scenario \"estimated\"; the money is not estimated: fill in funding and "
                "opening_balance)\n",
                opt->out);
    free(text);
    cJSON_Delete(doc);
    hist_fit_free(&f);
    hist_data_free(&d);
    return rc;
}
