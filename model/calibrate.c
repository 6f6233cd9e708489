/* calibrate.c: fitting named assumptions to the published figures.
 *
 * The residuals are the back-test's comparisons (backtest.c), each divided by
 * its scale (1% of a census count; £0.5m for an in-year and £1m for a
 * cumulative position), so the fit is weighted least squares. GSL's
 * trust-region Levenberg-Marquardt solver (gsl_multifit_nlinear) works on the
 * assumptions divided by their stated values, so that £53m and a 6% growth
 * rate are of one size to it; the Jacobian is by finite differences (each
 * evaluation is one projection). Standard errors come from (J'J)^-1 with the
 * weights taken as known, not rescaled by the residual variance: with as
 * many assumptions as figures the residuals are near zero and say nothing.
 *
 * A fit to the figures it is then judged on proves nothing, so the same fit
 * is repeated on the figures up to a hold-out point (by default the January
 * 2024 census and 2024-25), and the rest are predicted. An assumption the
 * hold-out figures cannot move (zero sensitivity) keeps its stated value. */
#define _POSIX_C_SOURCE 200809L
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backtest.h"
#include "dates.h"
#include "error.h"
#include "fileout.h"
#include "model.h"
#include "params.h"
#include "results.h"

typedef struct fitctx {
    const scenario *s;
    double *val;       /* the scenario's values with the trial assumptions */
    const size_t *par; /* the parameters being fitted */
    const double *x0;  /* their stated values (the scale) */
    size_t np;
    unsigned char *use;   /* [rows]: in the fit */
    unsigned char *fixed; /* [np]: held at its value, not fitted */
    size_t nrows, nuse;
    ivstate *ivs;
    workspace w;
    projection p;
    comparison *c; /* [maxrows] */
    size_t maxrows;
} fitctx;

static int evaluate(fitctx *f, const double *x)
{
    for (size_t j = 0; j < f->np; j++) f->val[f->s->par[f->par[j]].off] = x[j] * f->x0[j];
    ivstate_default(f->s, f->ivs);
    int rc = project_run(f->s, f->val, f->ivs, &f->w, &f->p);
    if (!rc) f->nrows = backtest_compare(f->s, &f->p, f->c, f->maxrows);
    return rc;
}

static int resid(const gsl_vector *x, void *data, gsl_vector *r)
{
    fitctx *f = data;
    if (evaluate(f, x->data)) return GSL_EDOM;
    size_t k = 0;
    for (size_t i = 0; i < f->nrows; i++)
        if (f->use[i]) gsl_vector_set(r, k++, (f->c[i].model - f->c[i].actual) / f->c[i].sd);
    return GSL_SUCCESS;
}

typedef struct fitout {
    double *value, *se;
    double *corr; /* [np][np]: correlation of the fitted values (NAN where not fitted) */
    unsigned char *fitted; /* 0: not identified by the figures, kept */
    int iterations, status;
    double chisq;
} fitout;

/* Fit the parameters with `use` rows; results in out (values in real units). */
static int fit(fitctx *f, fitout *out)
{
    size_t n = f->nuse, np = f->np;
    double *x = malloc(np * sizeof *x);
    if (!x) return HNB_E_NOMEM;
    for (size_t j = 0; j < np; j++) x[j] = 1.0;
    /* which parameters the rows in use can move at all */
    size_t *free_idx = calloc(np + 1, sizeof *free_idx), nfree = 0;
    double *base = calloc(f->maxrows + 1, sizeof *base);
    if (!free_idx || !base || evaluate(f, x)) {
        free(x);
        free(free_idx);
        free(base);
        return HNB_E_NUMERIC;
    }
    for (size_t i = 0; i < f->nrows; i++) base[i] = f->c[i].model;
    for (size_t j = 0; j < np; j++) {
        x[j] = 1.01;
        evaluate(f, x);
        int moves = 0;
        if (f->fixed[j]) {
            for (size_t i = 0; i < f->nrows; i++) f->c[i].model = base[i];
            x[j] = 1.0;
            out->fitted[j] = 0;
            out->value[j] = f->x0[j];
            out->se[j] = NAN;
            continue;
        }
        for (size_t i = 0; i < f->nrows; i++)
            moves |= f->use[i] && fabs(f->c[i].model - base[i]) > 1e-9 * (1.0 + fabs(base[i]));
        x[j] = 1.0;
        out->fitted[j] = (unsigned char)moves;
        if (moves) free_idx[nfree++] = j;
        out->value[j] = f->x0[j];
        out->se[j] = NAN;
    }
    free(base);
    int rc = HNB_OK;
    if (nfree == 0 || n < nfree) {
        out->status = -1;
        goto done;
    }
    {
        /* the solver sees only the free parameters */
        fitctx g = *f;
        size_t *par = malloc(nfree * sizeof *par);
        double *x0 = malloc(nfree * sizeof *x0);
        if (!par || !x0) {
            free(par);
            free(x0);
            rc = HNB_E_NOMEM;
            goto done;
        }
        for (size_t k = 0; k < nfree; k++) {
            par[k] = f->par[free_idx[k]];
            x0[k] = f->x0[free_idx[k]];
        }
        g.par = par;
        g.x0 = x0;
        g.np = nfree;
        gsl_multifit_nlinear_fdf fdf = {resid, NULL, NULL, n, nfree, &g, 0, 0, 0};
        gsl_multifit_nlinear_parameters prm = gsl_multifit_nlinear_default_parameters();
        gsl_multifit_nlinear_workspace *w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &prm, n, nfree);
        gsl_vector *xv = gsl_vector_alloc(nfree);
        gsl_matrix *cov = gsl_matrix_alloc(nfree, nfree);
        if (!w || !xv || !cov) {
            rc = HNB_E_NOMEM;
        } else {
            gsl_vector_set_all(xv, 1.0);
            int info = 0;
            gsl_multifit_nlinear_init(xv, &fdf, w);
            out->status = gsl_multifit_nlinear_driver(200, 1e-10, 1e-10, 0.0, NULL, NULL, &info, w);
            out->iterations = (int)gsl_multifit_nlinear_niter(w);
            gsl_vector *rr = gsl_multifit_nlinear_residual(w);
            gsl_blas_ddot(rr, rr, &out->chisq);
            gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(w), 0.0, cov);
            const gsl_vector *best = gsl_multifit_nlinear_position(w);
            for (size_t k = 0; k < nfree; k++) {
                size_t j = free_idx[k];
                out->value[j] = gsl_vector_get(best, k) * x0[k];
                out->se[j] = sqrt(gsl_matrix_get(cov, k, k)) * fabs(x0[k]);
                x[j] = gsl_vector_get(best, k);
                for (size_t m = 0; m < nfree; m++) {
                    double d = sqrt(gsl_matrix_get(cov, k, k) * gsl_matrix_get(cov, m, m));
                    out->corr[j * f->np + free_idx[m]] = d > 0 ? gsl_matrix_get(cov, k, m) / d : NAN;
                }
            }
        }
        if (w) gsl_multifit_nlinear_free(w);
        gsl_vector_free(xv);
        gsl_matrix_free(cov);
        free(par);
        free(x0);
    }
done:
    if (!rc) rc = evaluate(f, x) ? HNB_E_NUMERIC : HNB_OK; /* leave the rows at the fit */
    free(x);
    free(free_idx);
    return rc;
}

/* The scalar parameter whose path ends with "." name (or is name). */
static size_t find_param(const scenario *s, const char *name, int *ambiguous)
{
    size_t found = NOPAR, nl = strlen(name);
    *ambiguous = 0;
    for (size_t i = 0; i < s->npar; i++) {
        const char *p = s->par[i].path;
        size_t pl = strlen(p);
        if (s->par[i].n != 1 || !s->par[i].from_file || pl < nl || strcmp(p + pl - nl, name) != 0) continue;
        if (pl > nl && p[pl - nl - 1] != '.') continue;
        if (found != NOPAR) *ambiguous = 1;
        found = i;
    }
    return found;
}

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

static void print_fit(FILE *f, const fitctx *c, const fitout *o, const char *title)
{
    fprintf(f, "\n%s\n%-52s %16s %14s\n", title, "assumption", "value", "std. error");
    for (size_t j = 0; j < c->np; j++) {
        const char *path = c->s->par[c->par[j]].path;
        if (o->fitted[j])
            fprintf(f, "%-52.52s %16.6g %14.3g\n", path, o->value[j], o->se[j]);
        else
            fprintf(f, "%-52.52s %16.6g %14s\n", path, o->value[j],
                    c->fixed[j] ? "(held: holdout.set)" : "(kept: not identified)");
    }
    for (size_t j = 0; j < c->np; j++)
        for (size_t k = j + 1; k < c->np; k++)
            if (!isnan(o->corr[j * c->np + k]))
                fprintf(f, "  correlation of the fitted %s and %s: %+.2f\n", c->s->par[c->par[j]].path,
                        c->s->par[c->par[k]].path, o->corr[j * c->np + k]);
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
        par[j] = find_param(s, names[j], &amb);
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
        rc = evaluate(&c, ones) ? HNB_E_NUMERIC : HNB_OK;
    }
    cJSON *root = NULL;
    if (!rc) {
        for (size_t i = 0; i < c.nrows; i++) c.use[i] = 1;
        c.nuse = c.nrows;
        rc = fit(&c, &full);
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
            size_t k = find_param(s, e->string, &amb);
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
                    x0[j] = e->valuedouble; /* evaluate() keeps it at x = 1 */
                    c.fixed[j] = 1;
                }
        }
        if (!rc) rc = evaluate(&c, ones) ? HNB_E_NUMERIC : HNB_OK;
        c.nuse = 0;
        for (size_t i = 0; !rc && i < c.nrows; i++) {
            c.use[i] = c.c[i].census >= 0 ? c.c[i].census <= hold_census : c.c[i].fy <= hold_fy;
            c.nuse += c.use[i];
        }
        if (!rc) rc = fit(&c, &hold);
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
        results_run_date(date);
        for (size_t j = 0; copy && j < np; j++) {
            if (!full.fitted[j]) continue;
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
