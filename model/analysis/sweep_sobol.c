/* sweep_sobol.c: variance-based global sensitivity, Sobol first-order and
 * total indices, over a scenario's uncertain assumptions.
 *
 * The inputs are the scenario's sources of uncertainty as the Monte Carlo
 * sees them: each uncertain scalar assumption with no shared factor; each
 * shared factor as one input (its members at u = Phi(loading z), as the
 * tornado moves them, so assumptions the file ties together are never
 * pulled apart); each action with a delivery probability below 1 (it
 * delivers when u < p). A sweep file may list assumptions instead; each is
 * then an input of its own. The projection is the deterministic one (no
 * count noise): the indices say which assumptions drive the spread of the
 * Monte Carlo headline figures, not the noise of whole children.
 *
 * Saltelli sampling: two N x k matrices A and B of uniforms from one seeded
 * generator (MT19937: the same seed gives the same matrices everywhere), and
 * for each input i the matrix AB_i, A with column i from B; N (k + 2) cases
 * in all, case j (k + 2) + t being row j of A (t = 0), of B (t = 1) or of
 * AB_{t-2}. Jansen's estimators (Saltelli et al. 2010, table 2):
 *   V     = the variance of f over the 2N rows of A and B
 *   S_i   = (V - sum_j (f(B)_j - f(AB_i)_j)^2 / 2N) / V
 *   S_Ti  = sum_j (f(A)_j - f(AB_i)_j)^2 / 2N / V
 * Confidence intervals: the percentile bootstrap, resampling the N rows with
 * replacement (a second seeded generator), at the file's level. The indices
 * assume independent inputs, which the grouping into factors makes true. */
#define _POSIX_C_SOURCE 200809L
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sample.h"
#include "analysis/sweep.h"
#include "core/error.h"

enum { IN_PARAM, IN_FACTOR, IN_DELIVERY };

typedef struct input {
    int kind;
    size_t index; /* parameter (PARAM, FACTOR: its first member) or action */
    char label[300];
} input;

typedef struct sobolctx {
    sweep_eval e;
    const input *in;
    size_t k;
    const double *a, *b; /* [N][k] uniforms */
} sobolctx;

static int same_factor(const param *p, const char *f)
{
    return p->dist != DIST_FIXED && p->factor && strcmp(p->factor, f) == 0;
}

static void set_input(sobolctx *c, const input *in, double u)
{
    const scenario *s = c->e.s;
    if (in->kind == IN_PARAM) {
        c->e.val[s->par[in->index].off] = sample_quantile(&s->par[in->index], u);
    } else if (in->kind == IN_FACTOR) {
        double z = gsl_cdf_ugaussian_Pinv(u);
        const char *f = s->par[in->index].factor;
        for (size_t j = in->index; j < s->npar; j++)
            if (same_factor(&s->par[j], f))
                c->e.val[s->par[j].off] = sample_quantile(&s->par[j], gsl_cdf_ugaussian_P(s->par[j].loading * z));
    } else {
        const intervention *iv = &s->iv[in->index];
        c->e.ivs[in->index].on = u < s->val[s->par[iv->delivery].off];
    }
}

static int sobol_case(void *ctx, size_t i, double *out)
{
    sobolctx *c = ctx;
    size_t k = c->k, j = i / (k + 2), t = i % (k + 2);
    for (size_t q = 0; q < k; q++) {
        const double *row = (t == 1 || (t >= 2 && q == t - 2)) ? c->b : c->a;
        set_input(c, &c->in[q], row[j * k + q]);
    }
    int rc = sweep_eval_run(&c->e, out);
    memcpy(c->e.val, c->e.s->val, c->e.s->nval * sizeof *c->e.val);
    ivstate_default(c->e.s, c->e.ivs);
    return rc;
}

/* The inputs: listed assumptions, or every source of uncertainty. */
static size_t find_inputs(const sweep_ctx *c, const sweep_spec *sp, input *in)
{
    const scenario *s = c->s;
    size_t k = 0;
    if (sp->nas) {
        for (size_t j = 0; j < sp->nas; j++) {
            in[k].kind = IN_PARAM;
            in[k].index = sp->as[j].par;
            snprintf(in[k].label, sizeof in[k].label, "%s", sp->as[j].label);
            k++;
        }
        return k;
    }
    for (size_t i = 0; i < s->npar; i++) {
        const param *q = &s->par[i];
        if (q->dist == DIST_FIXED || q->n != 1) continue;
        if (q->factor) {
            int first = 1;
            size_t members = 0;
            for (size_t j = 0; j < s->npar; j++)
                if (same_factor(&s->par[j], q->factor)) {
                    if (j < i) first = 0;
                    members++;
                }
            if (!first) continue;
            in[k].kind = IN_FACTOR;
            snprintf(in[k].label, sizeof in[k].label, "Shared factor \"%s\" (%zu assumption%s that move together)",
                     q->factor, members, members == 1 ? "" : "s");
        } else {
            in[k].kind = IN_PARAM;
            sweep_label(s, i, in[k].label, sizeof in[k].label);
        }
        in[k++].index = i;
    }
    for (size_t i = 0; i < s->niv; i++)
        if (s->iv[i].delivery != NOPAR && s->val[s->par[s->iv[i].delivery].off] < 1.0) {
            in[k].kind = IN_DELIVERY;
            in[k].index = i;
            snprintf(in[k].label, sizeof in[k].label, "%s delivers (probability %.2g)", s->iv[i].name,
                     s->val[s->par[s->iv[i].delivery].off]);
            k++;
        }
    return k;
}

/* Jansen's estimators for figure m over the rows rows[0..n) (a bootstrap
 * sample, or 0..N-1); S and ST of every input. Returns 0 if the figure
 * does not vary. */
static int estimate(const double *out, size_t nf, size_t k, size_t m, const size_t *rows, size_t n, double *S,
                    double *ST)
{
    double mean = 0.0, var = 0.0;
    for (size_t r = 0; r < n; r++) {
        size_t j = rows ? rows[r] : r, base = j * (k + 2);
        mean += out[base * nf + m] + out[(base + 1) * nf + m];
    }
    mean /= 2.0 * (double)n;
    for (size_t r = 0; r < n; r++) {
        size_t j = rows ? rows[r] : r, base = j * (k + 2);
        double da = out[base * nf + m] - mean, db = out[(base + 1) * nf + m] - mean;
        var += da * da + db * db;
    }
    var /= 2.0 * (double)n - 1.0;
    if (!(var > 0.0)) return 0;
    for (size_t i = 0; i < k; i++) {
        double sb = 0.0, sa = 0.0;
        for (size_t r = 0; r < n; r++) {
            size_t j = rows ? rows[r] : r, base = j * (k + 2);
            double fa = out[base * nf + m], fb = out[(base + 1) * nf + m], fab = out[(base + 2 + i) * nf + m];
            sb += (fb - fab) * (fb - fab);
            sa += (fa - fab) * (fa - fab);
        }
        S[i] = (var - sb / (2.0 * (double)n)) / var;
        ST[i] = sa / (2.0 * (double)n) / var;
    }
    return 1;
}

static cJSON *num_array(const double *x, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < n; i++)
        cJSON_AddItemToArray(a, isnan(x[i]) ? cJSON_CreateNull() : cJSON_CreateNumber(x[i]));
    return a;
}

cJSON *sweep_sobol(sweep_ctx *c, const sweep_spec *sp, int *rc)
{
    const scenario *s = c->s;
    for (size_t j = 0; j < sp->nas; j++)
        if (s->par[sp->as[j].par].dist == DIST_FIXED) {
            snprintf(c->why, sizeof c->why,
                     "%s: %s: %s: has no distribution in the scenario (expected an uncertain assumption, with a "
                     "\"dist\")",
                     sp->name, sp->as[j].where, sp->as[j].name);
            *rc = HNB_E_RANGE;
            return NULL;
        }
    input *in = calloc(s->npar + s->niv + 1, sizeof *in);
    if (!in) {
        *rc = HNB_E_NOMEM;
        return NULL;
    }
    size_t k = find_inputs(c, sp, in), n = sp->samples, nf = c->nfig, nb = sp->bootstrap;
    if (k == 0) {
        snprintf(c->why, sizeof c->why,
                 "%s: the scenario has no uncertain assumptions (expected assumptions with a \"dist\", or actions "
                 "with a delivery probability below 1)",
                 sp->name);
        free(in);
        *rc = HNB_E_RANGE;
        return NULL;
    }
    size_t ncase = n * (k + 2);
    double *a = malloc(n * k * sizeof *a + 1), *b = malloc(n * k * sizeof *b + 1);
    double *out = malloc(ncase * nf * sizeof *out + 1);
    double *S = malloc((k + 1) * sizeof *S), *ST = malloc((k + 1) * sizeof *ST);
    double *bs = malloc((nb + 1) * 2 * (k + 1) * sizeof *bs);
    double *lo = malloc(4 * (k + 1) * sizeof *lo);
    size_t *rows = malloc((n + 1) * sizeof *rows);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    sobolctx sc = {{0}, in, k, a, b};
    *rc = a && b && out && S && ST && bs && lo && rows && r ? HNB_OK : HNB_E_NOMEM;
    if (!*rc) {
        gsl_rng_set(r, (unsigned long)sp->seed);
        for (size_t j = 0; j < n; j++) { /* row by row: A's row, then B's */
            for (size_t q = 0; q < k; q++) a[j * k + q] = gsl_rng_uniform_pos(r);
            for (size_t q = 0; q < k; q++) b[j * k + q] = gsl_rng_uniform_pos(r);
        }
        *rc = sweep_eval_open(&sc.e, s, c->fig, nf);
    }
    if (!*rc) {
        *rc = c->map(c->map_ctx, ncase, nf, sobol_case, &sc, out, sp->name);
        if (*rc == HNB_E_NUMERIC)
            snprintf(c->why, sizeof c->why, "%s: a sample gave a figure that is not finite", sp->name);
    }
    sweep_eval_close(&sc.e);
    cJSON *o = NULL;
    if (!*rc) {
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", sp->name);
        cJSON_AddStringToObject(o, "type", "sobol");
        cJSON_AddStringToObject(o, "figure", c->fig[sp->figure].id);
        cJSON_AddNumberToObject(o, "samples", (double)n);
        cJSON_AddNumberToObject(o, "cases", (double)ncase);
        cJSON_AddNumberToObject(o, "bootstrap", (double)nb);
        cJSON_AddNumberToObject(o, "seed", (double)sp->seed);
        cJSON_AddNumberToObject(o, "confidence", sp->confidence);
        cJSON_AddStringToObject(o, "method",
                                "Saltelli sampling (MT19937 uniforms), Jansen estimators, percentile bootstrap "
                                "over the N sample rows");
        cJSON *ia = cJSON_AddArrayToObject(o, "inputs");
        for (size_t q = 0; q < k; q++) {
            static const char *const kinds[] = {"assumption", "shared factor", "delivery of an action"};
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "assumption", in[q].label);
            cJSON_AddStringToObject(e, "kind", kinds[in[q].kind]);
            cJSON_AddItemToArray(ia, e);
        }
        cJSON *figs = cJSON_AddObjectToObject(o, "indices");
        gsl_rng *rb = gsl_rng_alloc(gsl_rng_mt19937);
        for (size_t m = 0; rb && m < nf; m++) {
            cJSON *f = cJSON_AddObjectToObject(figs, c->fig[m].id);
            for (size_t q = 0; q < k; q++) S[q] = ST[q] = NAN;
            int varies = estimate(out, nf, k, m, NULL, n, S, ST);
            for (size_t q = 0; q < 4 * k; q++) lo[q] = NAN;
            if (varies && nb > 0) {
                gsl_rng_set(rb, (unsigned long)(sp->seed ^ 0x5bd1e995u) + m);
                size_t got = 0;
                for (size_t t = 0; t < nb; t++) {
                    for (size_t j = 0; j < n; j++) rows[j] = (size_t)gsl_rng_uniform_int(rb, (unsigned long)n);
                    double *bS = bs + got * 2 * k, *bT = bS + k;
                    if (estimate(out, nf, k, m, rows, n, bS, bT)) got++;
                }
                double alpha = (1.0 - sp->confidence) / 2.0, *col = malloc((got + 1) * sizeof *col);
                for (size_t q = 0; col && got && q < 2 * k; q++) {
                    for (size_t t = 0; t < got; t++) col[t] = bs[t * 2 * k + q];
                    gsl_sort(col, 1, got);
                    lo[2 * q] = gsl_stats_quantile_from_sorted_data(col, 1, got, alpha);
                    lo[2 * q + 1] = gsl_stats_quantile_from_sorted_data(col, 1, got, 1.0 - alpha);
                }
                free(col);
            }
            double mean = 0.0, var = 0.0;
            for (size_t j = 0; j < n; j++) mean += out[j * (k + 2) * nf + m] + out[(j * (k + 2) + 1) * nf + m];
            mean /= 2.0 * (double)n;
            for (size_t j = 0; j < n; j++) {
                double da = out[j * (k + 2) * nf + m] - mean, db = out[(j * (k + 2) + 1) * nf + m] - mean;
                var += da * da + db * db;
            }
            var /= 2.0 * (double)n - 1.0;
            cJSON_AddNumberToObject(f, "mean", mean);
            cJSON_AddNumberToObject(f, "variance", var);
            double *l1 = malloc((k + 1) * 4 * sizeof *l1);
            for (size_t q = 0; l1 && q < k; q++) {
                l1[q] = lo[2 * q];
                l1[k + q] = lo[2 * q + 1];
                l1[2 * k + q] = lo[2 * (k + q)];
                l1[3 * k + q] = lo[2 * (k + q) + 1];
            }
            cJSON_AddItemToObject(f, "first_order", num_array(S, k));
            cJSON_AddItemToObject(f, "total", num_array(ST, k));
            if (l1) {
                cJSON_AddItemToObject(f, "first_order_low", num_array(l1, k));
                cJSON_AddItemToObject(f, "first_order_high", num_array(l1 + k, k));
                cJSON_AddItemToObject(f, "total_low", num_array(l1 + 2 * k, k));
                cJSON_AddItemToObject(f, "total_high", num_array(l1 + 3 * k, k));
            }
            free(l1);
        }
        gsl_rng_free(rb);
    }
    free(in);
    free(a);
    free(b);
    free(out);
    free(S);
    free(ST);
    free(bs);
    free(lo);
    free(rows);
    gsl_rng_free(r);
    return o;
}
