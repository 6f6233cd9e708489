/* calibrate.c (api): hnb_calibrate, the job. It reads the file's
 * "calibration" block, fits the named assumptions with analysis/calibrate.c
 * on all the published figures and again on those up to the hold-out point,
 * prints both fits, adds them to the results and, when asked, writes the
 * scenario file with the fitted values. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/calibrate.h"
#include "core/dates.h"
#include "core/error.h"
#include "core/fileout.h"
#include "core/model.h"
#include "core/numfmt.h"
#include "input/params.h"
#include "results/results.h"

/* Set the value at a dotted JSON path in doc (a number, or an object's "value"). */
static int set_at_path(cJSON *doc, const char *path, double x, const char *note)
{
    char *p = strdup(path), *save = NULL;
    cJSON *node = doc;
    for (char *t = strtok_r(p, ".", &save); t && node; t = strtok_r(NULL, ".", &save))
        node = cJSON_GetObjectItemCaseSensitive(node, t);
    free(p);
    if (!node) return -1;
    if (cJSON_IsNumber(node)) {
        cJSON_SetNumberValue(node, x);
        return 0;
    }
    cJSON *v = cJSON_GetObjectItemCaseSensitive(node, "value");
    if (!cJSON_IsNumber(v)) return -1;
    cJSON_SetNumberValue(v, x);
    cJSON *src = cJSON_GetObjectItemCaseSensitive(node, "source");
    if (cJSON_IsString(src)) {
        size_t n = strlen(src->valuestring) + strlen(note) + 4;
        char *t = malloc(n);
        if (t) {
            const char *cut = strstr(src->valuestring, " [hnbsim calibrate:");
            int keep = cut ? (int)(cut - src->valuestring) : (int)strlen(src->valuestring);
            snprintf(t, n, "%.*s %s", keep, src->valuestring, note);
            cJSON_SetValuestring(src, t);
            free(t);
        }
    }
    return 0;
}

/* What a reader must know before using a fit: assumptions the figures
 * cannot tell apart (their fitted values correlate beyond +/-0.95), fitted
 * values outside what English authorities' figures look like (the plausible
 * ranges of input/plausible.c), and a fit so exact that its residuals say
 * nothing. One string each, into the array a. */
static void fit_warnings(const fitctx *c, const fitout *o, cJSON *a)
{
    char t[700], v[NUM_BUF], why[120];
    for (size_t j = 0; j < c->np; j++)
        for (size_t k = j + 1; k < c->np; k++) {
            double r = o->corr[j * c->np + k];
            if (isnan(r) || fabs(r) <= 0.95) continue;
            snprintf(t, sizeof t,
                     "%s and %s are not identifiable apart: their fitted values correlate %+.2f (beyond +/-0.95), so "
                     "the figures fix a combination of the two, not each; read them together (Monte Carlo should "
                     "draw them with a shared factor), or fit one and hold the other",
                     c->s->par[c->par[j]].path, c->s->par[c->par[k]].path, r);
            cJSON_AddItemToArray(a, cJSON_CreateString(t));
        }
    for (size_t j = 0; j < c->np; j++) {
        const param *p = &c->s->par[c->par[j]];
        if (!o->fitted[j] || !plaus_outside(p->plaus, o->value[j], why, sizeof why)) continue;
        num_unit(o->value[j], p->unit, v, sizeof v);
        snprintf(t, sizeof t,
                 "%s: the fitted %s is outside its plausible range (%s): not written to the calibrated file, which "
                 "keeps the stated value",
                 p->path, v, why);
        cJSON_AddItemToArray(a, cJSON_CreateString(t));
    }
    if (o->chisq < 1e-12 && c->nuse > 0) {
        snprintf(t, sizeof t,
                 "the fit is exact (weighted sum of squares %.3g): the assumptions absorb every fitted figure, so the "
                 "residuals say nothing of the model; judge it by the predicted figures",
                 o->chisq);
        cJSON_AddItemToArray(a, cJSON_CreateString(t));
    }
}

/* 1 if the fitted value of assumption j leaves its plausible range. */
static int implausible(const fitctx *c, const fitout *o, size_t j)
{
    char why[120];
    return o->fitted[j] && plaus_outside(c->s->par[c->par[j]].plaus, o->value[j], why, sizeof why);
}

static void print_fit(FILE *f, const fitctx *c, const fitout *o, const char *title)
{
    fprintf(f, "\n%s\n%-52s %16s %14s\n", title, "assumption", "value", "std. error");
    for (size_t j = 0; j < c->np; j++) {
        const param *p = &c->s->par[c->par[j]];
        char v[NUM_BUF], e[NUM_BUF];
        /* £ and % as people write them: a unit cost, an allocation, a rate */
        num_unit(o->value[j], p->unit, v, sizeof v);
        if (strncmp(p->unit, "£", strlen("£")) != 0 && strstr(v, "%") == NULL)
            snprintf(v, sizeof v, "%.6g", o->value[j]);
        if (o->fitted[j]) {
            num_unit(o->se[j], p->unit, e, sizeof e);
            if (strncmp(p->unit, "£", strlen("£")) != 0 && strstr(e, "%") == NULL)
                snprintf(e, sizeof e, "%.3g", o->se[j]);
            fprintf(f, "%-52.52s %16s %14s\n", p->path, v, e);
        } else {
            fprintf(f, "%-52.52s %16s %14s\n", p->path, v,
                    c->fixed[j] ? "(held: holdout.set)" : "(kept: not identified)");
        }
    }
    for (size_t j = 0; j < c->np; j++)
        for (size_t k = j + 1; k < c->np; k++)
            if (!isnan(o->corr[j * c->np + k]))
                fprintf(f, "  correlation of the fitted %s and %s: %+.2f\n", c->s->par[c->par[j]].path,
                        c->s->par[c->par[k]].path, o->corr[j * c->np + k]);
    cJSON *w = cJSON_CreateArray();
    fit_warnings(c, o, w);
    const cJSON *e;
    cJSON_ArrayForEach(e, w) fprintf(f, "warning: %s\n", e->valuestring);
    cJSON_Delete(w);
    fprintf(f, "%-11s %-8s %-9s %12s %12s %12s %8s\n", "figure", "when", "role", "model", "actual", "error", "error");
    for (size_t i = 0; i < c->nrows; i++) {
        const comparison *r = &c->c[i];
        int money = r->census < 0;
        double sc = money ? 1e6 : 1.0;
        fprintf(f, "%-11s %-8s %-9s %12.*f %12.*f %+12.*f %7.1f%%\n", r->figure, r->when,
                c->use[i] ? "fitted" : "predicted", money ? 2 : 0, r->model / sc, money ? 2 : 0, r->actual / sc,
                money ? 2 : 0, (r->model - r->actual) / sc,
                r->actual ? 100.0 * (r->model - r->actual) / fabs(r->actual) : 0.0);
    }
    fprintf(f, "(money in £m; weighted sum of squares %.4g, %d iterations)\n", o->chisq, o->iterations);
}

static cJSON *fit_json(const fitctx *c, const fitout *o, const char *kind)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "kind", kind);
    cJSON *a = cJSON_AddArrayToObject(j, "assumptions");
    for (size_t k = 0; k < c->np; k++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "path", c->s->par[c->par[k]].path);
        cJSON_AddNumberToObject(e, "stated", c->x0[k]);
        cJSON_AddNumberToObject(e, "fitted", o->value[k]);
        if (o->fitted[k])
            cJSON_AddNumberToObject(e, "std_error", o->se[k]);
        else
            cJSON_AddNullToObject(e, "std_error");
        cJSON_AddBoolToObject(e, "identified", o->fitted[k]);
        cJSON_AddItemToArray(a, e);
    }
    cJSON *corr = cJSON_AddArrayToObject(j, "correlation");
    for (size_t a = 0; a < c->np; a++) {
        cJSON *row = cJSON_CreateArray();
        for (size_t b = 0; b < c->np; b++) {
            double x = o->corr[a * c->np + b];
            cJSON_AddItemToArray(row, isnan(x) ? cJSON_CreateNull() : cJSON_CreateNumber(x));
        }
        cJSON_AddItemToArray(corr, row);
    }
    cJSON *rows = backtest_json(c->s, c->c, c->nrows);
    cJSON *r = cJSON_GetObjectItemCaseSensitive(rows, "rows");
    size_t i = 0;
    for (cJSON *e = r ? r->child : NULL; e; e = e->next, i++)
        cJSON_AddStringToObject(e, "role", c->use[i] ? "fitted" : "predicted");
    cJSON_AddItemToObject(j, "residuals", cJSON_DetachItemFromObjectCaseSensitive(rows, "rows"));
    cJSON_Delete(rows);
    cJSON_AddNumberToObject(j, "weighted_sum_of_squares", o->chisq);
    fit_warnings(c, o, cJSON_AddArrayToObject(j, "warnings"));
    return j;
}

static const cJSON *calibration_block(hnb_model *h)
{
    const cJSON *doc = cJSON_GetArrayItem(h->docs, 0);
    return cJSON_GetObjectItemCaseSensitive(doc, "calibration");
}

/* The assumptions being fitted, side by side: name, parameter, stated value,
 * 1 (the solver's starting point) and whether the hold-out holds it fixed. */
typedef struct fitlist {
    const char **names;
    size_t *par;
    double *x0, *ones;
    unsigned char *fixed;
} fitlist;

static void fitlist_free(fitlist *l)
{
    free(l->names);
    free(l->par);
    free(l->x0);
    free(l->ones);
    free(l->fixed);
}

int hnb_calibrate(hnb_model *h, const hnb_calibrate_options *opt, void *file)
{
    FILE *out = file;
    gsl_set_error_handler_off();
    const cJSON *cal = calibration_block(h);
    const char *sname = opt->scenario;
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(cal, "scenario");
    if (!sname && cJSON_IsString(x)) sname = x->valuestring;
    const scenario *s = NULL;
    for (size_t i = 0; i < h->nscen; i++)
        if (!sname || strcmp(h->scen[i]->name, sname) == 0) {
            s = h->scen[i];
            break;
        }
    if (!s)
        return err_set(h, HNB_E_REF, "calibrate: scenario \"%s\" not found (expected a scenario with a backtest block)",
                       sname ? sname : "");
    /* the assumptions to fit */
    const cJSON *fl = cJSON_GetObjectItemCaseSensitive(cal, "fit");
    size_t maxnames = (size_t)cJSON_GetArraySize(fl);
    for (size_t k = 0; opt->fit && opt->fit[k]; k++) maxnames++;
    fitlist fits = {calloc(maxnames + 1, sizeof(char *)), calloc(maxnames + 1, sizeof(size_t)),
                    calloc(maxnames + 1, sizeof(double)), calloc(maxnames + 1, sizeof(double)),
                    calloc(maxnames + 1, 1)};
    const char **names = fits.names;
    size_t *par = fits.par;
    double *x0 = fits.x0, *ones = fits.ones;
    unsigned char *fixed = fits.fixed;
    if (!names || !par || !x0 || !ones || !fixed) {
        fitlist_free(&fits);
        return err_set(h, HNB_E_NOMEM, "out of memory");
    }
    size_t np = 0;
    if (opt->fit)
        for (; opt->fit[np]; np++) names[np] = opt->fit[np];
    for (const cJSON *e = cJSON_IsArray(fl) && !np ? fl->child : NULL; e; e = e->next)
        if (cJSON_IsString(e)) names[np++] = e->valuestring;
    for (size_t j = 0; j < np; j++) ones[j] = 1.0;
    int rc = HNB_OK;
    if (!np)
        rc = err_set(
            h, HNB_E_USAGE,
            "calibrate: no assumptions to fit (expected --fit NAME or a \"calibration\": {\"fit\": [...]} block)");
    for (size_t j = 0; !rc && j < np; j++) {
        int amb = 0;
        par[j] = calibrate_find_param(s, names[j], &amb);
        if (par[j] == NOPAR || amb)
            rc = err_set(h, HNB_E_REF,
                         "%s: scenarios.%s: %s: %s (expected the end of the JSON path of one numeric assumption, e.g. "
                         "cost_scale)",
                         s->file, s->name, names[j], amb ? "names more than one assumption" : "no such assumption");
        else
            x0[j] = s->val[s->par[par[j]].off];
        if (x0[j] == 0.0) x0[j] = 1e-9;
    }
    if (rc) {
        fitlist_free(&fits);
        return rc;
    }
    int hold_census = opt->holdout_census, hold_fy = -1;
    const cJSON *ho = cJSON_GetObjectItemCaseSensitive(cal, "holdout");
    const cJSON *hc = cJSON_GetObjectItemCaseSensitive(ho, "census"), *hf = cJSON_GetObjectItemCaseSensitive(ho, "fy");
    if (!hold_census && cJSON_IsNumber(hc)) hold_census = hc->valueint;
    const char *hfy = opt->holdout_fy ? opt->holdout_fy : (cJSON_IsString(hf) ? hf->valuestring : NULL);
    if (!hold_census) hold_census = s->census0 + 1;
    if (!hfy || fy_parse(hfy, &hold_fy) != 0) hold_fy = s->first_fy + 1;

    fitctx c = {0};
    c.s = s;
    c.par = par;
    c.x0 = x0;
    c.np = np;
    c.fixed = fixed;
    c.maxrows = backtest_rows(s);
    c.c = calloc(c.maxrows + 1, sizeof *c.c);
    c.val = malloc(s->nval * sizeof *c.val + 1);
    c.ivs = calloc(s->niv + 1, sizeof *c.ivs);
    c.use = calloc(c.maxrows + 1, 1);
    fitout full = {0}, hold = {0};
    double *buf = calloc(4 * np + 2 * np * np, sizeof(double));
    for (size_t k = 0; buf && k < 2 * np * np; k++) buf[4 * np + k] = NAN;
    unsigned char *fl2 = calloc(2 * np, 1);
    rc = (c.c && c.val && c.ivs && c.use && buf && fl2) ? HNB_OK : HNB_E_NOMEM;
    if (!rc) rc = workspace_alloc(s, &c.w);
    if (!rc) rc = projection_alloc(s, &c.p);
    if (!rc) {
        memcpy(c.val, s->val, s->nval * sizeof *c.val);
        full = (fitout){buf, buf + np, buf + 4 * np, fl2, 0, 0, 0};
        hold = (fitout){buf + 2 * np, buf + 3 * np, buf + 4 * np + np * np, fl2 + np, 0, 0, 0};
        rc = calibrate_evaluate(&c, ones) ? HNB_E_NUMERIC : HNB_OK;
    }
    cJSON *root = NULL;
    if (!rc) {
        for (size_t i = 0; i < c.nrows; i++) c.use[i] = 1;
        c.nuse = c.nrows;
        rc = calibrate_fit(&c, &full);
        if (!rc && out) print_fit(out, &c, &full, "Fitted to every published figure (the back-test, fitted)");
        root = results_new(h);
        cJSON *cb = cJSON_AddObjectToObject(root, "calibration");
        cJSON_AddStringToObject(cb, "scenario", s->name);
        cJSON_AddNumberToObject(cb, "start_census", s->census0);
        if (!rc) cJSON_AddItemToObject(cb, "fit_all", fit_json(&c, &full, "fitted to every published figure"));
        /* the hold-out: fit on the early figures, predict the rest. Values the
         * file's holdout.set names (an observed growth, say) are replaced by
         * what a forecaster would have assumed then, and not fitted. */
        memcpy(c.val, s->val, s->nval * sizeof *c.val);
        const cJSON *set = cJSON_GetObjectItemCaseSensitive(ho, "set");
        for (const cJSON *e = cJSON_IsObject(set) ? set->child : NULL; e; e = e->next) {
            int amb = 0;
            size_t k = calibrate_find_param(s, e->string, &amb);
            if (k == NOPAR || amb || !cJSON_IsNumber(e)) {
                rc = err_set(h, HNB_E_REF,
                             "%s: calibration.holdout.set.%s: no such assumption, or not a number (expected the end of "
                             "the JSON path of one numeric assumption)",
                             s->file, e->string);
                break;
            }
            c.val[s->par[k].off] = e->valuedouble;
            for (size_t j = 0; j < np; j++)
                if (par[j] == k) {
                    x0[j] = e->valuedouble; /* calibrate_evaluate() keeps it at x = 1 */
                    c.fixed[j] = 1;
                }
        }
        if (!rc) rc = calibrate_evaluate(&c, ones) ? HNB_E_NUMERIC : HNB_OK;
        c.nuse = 0;
        for (size_t i = 0; !rc && i < c.nrows; i++) {
            c.use[i] = c.c[i].census >= 0 ? c.c[i].census <= hold_census : c.c[i].fy <= hold_fy;
            c.nuse += c.use[i];
        }
        if (!rc) rc = calibrate_fit(&c, &hold);
        if (!rc && out) {
            char a[8];
            fy_format(hold_fy, a);
            char t[160];
            snprintf(t, sizeof t, "Hold-out: fitted to the figures up to January %d and %s only; the rest predicted",
                     hold_census, a);
            print_fit(out, &c, &hold, t);
        }
        if (!rc) {
            cJSON *hj = fit_json(&c, &hold, "hold-out");
            cJSON_AddNumberToObject(hj, "holdout_census", hold_census);
            char a[8];
            fy_format(hold_fy, a);
            cJSON_AddStringToObject(hj, "holdout_fy", a);
            cJSON_AddItemToObject(cb, "holdout", hj);
        }
    }
    if (rc && !err_count(h))
        err_set(h, rc, "%s: scenarios.%s: calibration failed (%s)", s->file, s->name, hnb_strerror(rc));
    /* the calibrated scenario file: the original with the full fit's values */
    if (!rc && opt->out_scenario) {
        const cJSON *doc = cJSON_GetArrayItem(h->docs, 0);
        cJSON *copy = cJSON_Duplicate(doc, 1);
        char date[11];
        run_date_today(date);
        for (size_t j = 0; copy && j < np; j++) {
            if (!full.fitted[j] || implausible(&c, &full, j)) continue; /* kept at the stated value */
            char note[160];
            snprintf(note, sizeof note, "[hnbsim calibrate: %.6g +/- %.3g, fitted %s]", full.value[j], full.se[j],
                     date);
            const char *path = s->par[par[j]].path;
            if (strncmp(path, "scenarios.", 10) == 0 && set_at_path(copy, path, full.value[j], note) != 0)
                rc = err_set(h, HNB_E_INTERNAL, "%s: %s: cannot write the fitted value back", opt->out_scenario, path);
        }
        char *text = copy && !rc ? cJSON_Print(copy) : NULL;
        if (text) rc = fileout_write_string(h, opt->out_scenario, text);
        free(text);
        cJSON_Delete(copy);
    }
    if (!rc) {
        cJSON_Delete(h->results);
        h->results = root;
    } else {
        cJSON_Delete(root);
    }
    projection_free(&c.p);
    workspace_free(&c.w);
    free(c.c);
    free(c.val);
    free(c.ivs);
    free(c.use);
    free(buf);
    free(fl2);
    fitlist_free(&fits);
    return rc;
}
