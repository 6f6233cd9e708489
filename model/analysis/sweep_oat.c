/* sweep_oat.c: the sweeps that set assumptions to listed values: tornado
 * (each to its low and high, one at a time), spider (each over relative
 * changes) and grid (every combination of two or more value lists).
 *
 * Case 0 of each is the base: every assumption at its central value. A
 * tornado's low and high are the sweep file's, else the 10th and 90th
 * percentiles of the assumption's distribution (sample.c, so truncation
 * applies); an assumption with neither is an error, since a bar with no
 * stated range would be invented. Bars are ordered by the swing of the
 * sweep's main figure, largest first, ties in the file's order. A grid's
 * cases run the last assumption fastest (the table's order); its contour at
 * the threshold is computed here (sweep_contour), not by gnuplot, so that the
 * results say where the figure crosses it and the chart only draws that. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sample.h"
#include "analysis/sweep.h"
#include "core/error.h"

static cJSON *fail(sweep_ctx *c, int *rc, int code, cJSON *o)
{
    cJSON_Delete(o);
    *rc = code;
    (void)c;
    return NULL;
}

static size_t *params_of(const sweep_spec *sp)
{
    size_t *par = malloc((sp->nas + 1) * sizeof *par);
    for (size_t j = 0; par && j < sp->nas; j++) par[j] = sp->as[j].par;
    return par;
}

static void add_num(cJSON *o, const char *key, double x)
{
    if (isnan(x))
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, x);
}

static cJSON *head(const sweep_ctx *c, const sweep_spec *sp, const char *type, const double *base)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", sp->name);
    cJSON_AddStringToObject(o, "type", type);
    cJSON_AddStringToObject(o, "figure", c->fig[sp->figure].id);
    cJSON_AddItemToObject(o, "base", sweep_figs_json(c, base));
    return o;
}

typedef struct barorder {
    size_t j;
    double swing;
} barorder;

static int by_swing(const void *a, const void *b)
{
    const barorder *x = a, *y = b;
    if (x->swing != y->swing) return x->swing < y->swing ? 1 : -1;
    return (x->j > y->j) - (x->j < y->j);
}

cJSON *sweep_tornado(sweep_ctx *c, const sweep_spec *sp, int *rc)
{
    size_t k = sp->nas, nf = c->nfig, ncase = 1 + 2 * k;
    double *x = malloc(ncase * k * sizeof *x + 1), *out = malloc(ncase * nf * sizeof *out + 1), *lo = NULL, *hi = NULL;
    size_t *par = params_of(sp);
    barorder *ord = malloc((k + 1) * sizeof *ord);
    lo = malloc((k + 1) * sizeof *lo);
    hi = malloc((k + 1) * sizeof *hi);
    *rc = x && out && par && ord && lo && hi ? HNB_OK : HNB_E_NOMEM;
    for (size_t j = 0; !*rc && j < k; j++) {
        const sweep_assumption *a = &sp->as[j];
        const param *q = &c->s->par[a->par];
        if (a->has_low) {
            lo[j] = a->low;
            hi[j] = a->high;
        } else if (q->dist != DIST_FIXED) {
            lo[j] = sample_quantile(q, 0.10);
            hi[j] = sample_quantile(q, 0.90);
        } else {
            snprintf(c->why, sizeof c->why,
                     "%s: %s: %s: no low and high given and no distribution in the scenario (expected \"low\" and "
                     "\"high\", or a \"dist\" on the assumption)",
                     sp->name, a->where, a->name);
            *rc = HNB_E_MISSING;
        }
    }
    for (size_t i = 0; !*rc && i < ncase * k; i++) x[i] = NAN;
    for (size_t j = 0; !*rc && j < k; j++) {
        x[(1 + 2 * j) * k + j] = lo[j];
        x[(2 + 2 * j) * k + j] = hi[j];
    }
    if (!*rc) *rc = sweep_run_cases(c, k, par, x, ncase, sp->name, out);
    cJSON *o = NULL;
    if (!*rc) {
        int m = sp->figure;
        for (size_t j = 0; j < k; j++) {
            ord[j].j = j;
            ord[j].swing = fabs(out[(2 + 2 * j) * nf + m] - out[(1 + 2 * j) * nf + m]);
        }
        qsort(ord, k, sizeof *ord, by_swing);
        o = head(c, sp, "tornado", out);
        cJSON *bars = cJSON_AddArrayToObject(o, "bars");
        for (size_t r = 0; r < k; r++) {
            size_t j = ord[r].j;
            const sweep_assumption *a = &sp->as[j];
            cJSON *b = cJSON_CreateObject();
            cJSON_AddStringToObject(b, "assumption", a->label);
            cJSON_AddStringToObject(b, "name", a->name);
            cJSON_AddStringToObject(b, "setting", a->has_low ? "given" : "P10 and P90 of its distribution");
            cJSON_AddNumberToObject(b, "central", c->s->val[c->s->par[a->par].off]);
            cJSON_AddNumberToObject(b, "low_value", lo[j]);
            cJSON_AddNumberToObject(b, "high_value", hi[j]);
            cJSON_AddItemToObject(b, "low", sweep_figs_json(c, out + (1 + 2 * j) * nf));
            cJSON_AddItemToObject(b, "high", sweep_figs_json(c, out + (2 + 2 * j) * nf));
            add_num(b, "swing", ord[r].swing);
            cJSON_AddItemToArray(bars, b);
        }
    }
    free(x);
    free(out);
    free(par);
    free(ord);
    free(lo);
    free(hi);
    return o;
}

cJSON *sweep_spider(sweep_ctx *c, const sweep_spec *sp, int *rc)
{
    size_t k = sp->nas, nf = c->nfig, nc = sp->nchanges, ncase = 1 + k * nc;
    double *x = malloc(ncase * k * sizeof *x + 1), *out = malloc(ncase * nf * sizeof *out + 1);
    size_t *par = params_of(sp);
    *rc = x && out && par ? HNB_OK : HNB_E_NOMEM;
    for (size_t i = 0; !*rc && i < ncase * k; i++) x[i] = NAN;
    for (size_t j = 0; !*rc && j < k; j++) {
        double central = c->s->val[c->s->par[par[j]].off];
        if (central == 0.0) {
            snprintf(c->why, sizeof c->why,
                     "%s: %s: %s: its central value is 0, so a relative change leaves it at 0 (expected an "
                     "assumption with a non-zero value, or a grid sweep over its values)",
                     sp->name, sp->as[j].where, sp->as[j].name);
            *rc = HNB_E_RANGE;
        }
        for (size_t r = 0; r < nc; r++) x[(1 + j * nc + r) * k + j] = central * (1.0 + sp->changes[r]);
    }
    if (!*rc) *rc = sweep_run_cases(c, k, par, x, ncase, sp->name, out);
    cJSON *o = NULL;
    if (!*rc) {
        o = head(c, sp, "spider", out);
        cJSON *ch = cJSON_AddArrayToObject(o, "changes");
        for (size_t r = 0; r < nc; r++) cJSON_AddItemToArray(ch, cJSON_CreateNumber(sp->changes[r]));
        cJSON *lines = cJSON_AddArrayToObject(o, "lines");
        for (size_t j = 0; j < k; j++) {
            cJSON *l = cJSON_CreateObject();
            cJSON_AddStringToObject(l, "assumption", sp->as[j].label);
            cJSON_AddStringToObject(l, "name", sp->as[j].name);
            cJSON_AddNumberToObject(l, "central", c->s->val[c->s->par[par[j]].off]);
            cJSON *vals = cJSON_AddArrayToObject(l, "values"), *figs = cJSON_AddArrayToObject(l, "figures");
            for (size_t r = 0; r < nc; r++) {
                size_t i = 1 + j * nc + r;
                cJSON_AddItemToArray(vals, cJSON_CreateNumber(x[i * k + j]));
                cJSON_AddItemToArray(figs, sweep_figs_json(c, out + i * nf));
            }
            cJSON_AddItemToArray(lines, l);
        }
    }
    free(x);
    free(out);
    free(par);
    return o;
}

cJSON *sweep_grid(sweep_ctx *c, const sweep_spec *sp, int *rc)
{
    size_t k = sp->nas, nf = c->nfig, ncell = 1;
    for (size_t j = 0; j < k; j++) {
        if (ncell > (size_t)1e7 / (sp->as[j].nvalues + 1)) {
            snprintf(c->why, sizeof c->why,
                     "%s: the grid has more than 10,000,000 combinations (expected fewer values)", sp->name);
            return fail(c, rc, HNB_E_RANGE, NULL);
        }
        ncell *= sp->as[j].nvalues;
    }
    size_t ncase = 1 + ncell;
    double *x = malloc(ncase * k * sizeof *x + 1), *out = malloc(ncase * nf * sizeof *out + 1);
    size_t *par = params_of(sp);
    *rc = x && out && par ? HNB_OK : HNB_E_NOMEM;
    for (size_t j = 0; !*rc && j < k; j++) x[j] = NAN;
    for (size_t i = 0; !*rc && i < ncell; i++) { /* the last assumption fastest */
        size_t rest = i;
        for (size_t j = k; j-- > 0;) {
            x[(1 + i) * k + j] = sp->as[j].values[rest % sp->as[j].nvalues];
            rest /= sp->as[j].nvalues;
        }
    }
    if (!*rc) *rc = sweep_run_cases(c, k, par, x, ncase, sp->name, out);
    cJSON *o = NULL;
    if (!*rc) {
        o = head(c, sp, "grid", out);
        cJSON *as = cJSON_AddArrayToObject(o, "assumptions");
        for (size_t j = 0; j < k; j++) {
            cJSON *a = cJSON_CreateObject();
            cJSON_AddStringToObject(a, "assumption", sp->as[j].label);
            cJSON_AddStringToObject(a, "name", sp->as[j].name);
            cJSON_AddNumberToObject(a, "central", c->s->val[c->s->par[par[j]].off]);
            cJSON *v = cJSON_AddArrayToObject(a, "values");
            for (size_t r = 0; r < sp->as[j].nvalues; r++)
                cJSON_AddItemToArray(v, cJSON_CreateNumber(sp->as[j].values[r]));
            cJSON_AddItemToArray(as, a);
        }
        cJSON *cells = cJSON_AddArrayToObject(o, "cells");
        for (size_t i = 0; i < ncell; i++) {
            cJSON *e = cJSON_CreateObject();
            cJSON *v = cJSON_AddArrayToObject(e, "values");
            for (size_t j = 0; j < k; j++) cJSON_AddItemToArray(v, cJSON_CreateNumber(x[(1 + i) * k + j]));
            cJSON_AddItemToObject(e, "figures", sweep_figs_json(c, out + (1 + i) * nf));
            cJSON_AddItemToArray(cells, e);
        }
        if (sp->has_threshold) {
            cJSON_AddNumberToObject(o, "threshold", sp->threshold);
            /* one contour of the main figure over the first two assumptions
             * for each combination of the others */
            size_t nx = sp->as[0].nvalues, ny = sp->as[1].nvalues, nrest = ncell / (nx * ny);
            double *z = malloc(nx * ny * sizeof *z + 1);
            cJSON *cs = cJSON_AddArrayToObject(o, "contours");
            for (size_t r = 0; z && r < nrest; r++) {
                for (size_t iy = 0; iy < ny; iy++)
                    for (size_t ix = 0; ix < nx; ix++) {
                        size_t cell = (ix * ny + iy) * nrest + r;
                        z[iy * nx + ix] = out[(1 + cell) * nf + (size_t)sp->figure];
                    }
                double *seg = NULL;
                size_t ns = sweep_contour(sp->as[0].values, nx, sp->as[1].values, ny, z, sp->threshold, &seg);
                cJSON *e = cJSON_CreateObject();
                cJSON *fx = cJSON_AddArrayToObject(e, "others");
                for (size_t j = 2; j < k; j++) cJSON_AddItemToArray(fx, cJSON_CreateNumber(x[(1 + r) * k + j]));
                cJSON *sg = cJSON_AddArrayToObject(e, "segments");
                for (size_t q = 0; q < ns; q++) cJSON_AddItemToArray(sg, cJSON_CreateDoubleArray(seg + 4 * q, 4));
                cJSON_AddItemToArray(cs, e);
                free(seg);
            }
            free(z);
        }
    }
    free(x);
    free(out);
    free(par);
    return o;
}
