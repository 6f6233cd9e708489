/* attribution.c: how much of a plan's saving each action earns.
 *
 * Actions interact (new local places and fewer moves into NMI save on the same
 * children), so "the saving of an action" depends on what else is done. The
 * Shapley value settles it without depending on the order actions are listed:
 * an action's share is its marginal saving averaged over every order in which
 * the actions could be added,
 *     phi_i = sum over S not holding i of |S|!(K-|S|-1)!/K! [v(S+i) - v(S)],
 * where v(S) is the in-year position (a vector over years) with the actions in
 * S on. The values add up to v(all) - v(none) exactly. With K actions this
 * needs 2^K projections; beyond ATTR_EXACT_MAX it samples random orders
 * (GSL's generator, fixed seed, shuffling the actions sorted by name so that
 * the order they are listed in does not change the draw), each of which also
 * adds up exactly, so the sum is still exact and only the split is estimated.
 * If the scenario also changes assumptions that are not actions, that part of
 * the difference from the parent is reported on its own ("other"). */
#include "analysis/attribution.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

void savings_free(savings *sv)
{
    free(sv->total);
    free(sv->by_action);
    free(sv->other);
    memset(sv, 0, sizeof *sv);
}

typedef struct attr_ctx {
    const scenario *s;
    ivstate *ivs;
    workspace w;
    projection p;
} attr_ctx;

/* v(mask): the in-year vector with own actions in mask on, into out[ny]. */
static int value_of(attr_ctx *c, const savings *sv, const unsigned char *on, double *out)
{
    ivstate_default(c->s, c->ivs);
    for (size_t i = 0; i < sv->nact; i++) c->ivs[sv->first + i].on = on[i];
    int rc = project_run(c->s, c->s->val, c->ivs, &c->w, &c->p);
    memcpy(out, c->p.in_year, sizeof(double) * (size_t)sv->ny);
    return rc;
}

static double factorial(size_t n)
{
    double f = 1.0;
    for (size_t i = 2; i <= n; i++) f *= (double)i;
    return f;
}

static int shapley_exact(attr_ctx *c, savings *sv)
{
    size_t K = sv->nact, ny = (size_t)sv->ny, nsub = (size_t)1 << K;
    double *v = malloc(sizeof(double) * nsub * ny);
    unsigned char *on = calloc(K + 1, 1);
    int rc = (v && on) ? HNB_OK : HNB_E_NOMEM;
    for (size_t m = 0; !rc && m < nsub; m++) {
        for (size_t i = 0; i < K; i++) on[i] = (unsigned char)((m >> i) & 1u);
        rc = value_of(c, sv, on, v + m * ny);
    }
    for (size_t i = 0; !rc && i < K; i++)
        for (size_t m = 0; m < nsub; m++) {
            if (m & ((size_t)1 << i)) continue;
            size_t size = (size_t)__builtin_popcountll((unsigned long long)m);
            double w = factorial(size) * factorial(K - size - 1) / factorial(K);
            const double *with = v + (m | ((size_t)1 << i)) * ny, *without = v + m * ny;
            for (size_t t = 0; t < ny; t++) sv->by_action[i * ny + t] += w * (with[t] - without[t]);
        }
    free(v);
    free(on);
    return rc;
}

/* Action i before action j in the order the sample starts from: by name, so
 * that listing the actions in another order draws the same orders. */
static int before(const savings *sv, const scenario *s, size_t i, size_t j)
{
    int d = strcmp(s->iv[sv->first + i].name, s->iv[sv->first + j].name);
    return d < 0 || (d == 0 && i < j);
}

static int shapley_sampled(attr_ctx *c, savings *sv)
{
    size_t K = sv->nact, ny = (size_t)sv->ny, N = 400;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    size_t *order = malloc(K * sizeof *order), *byname = malloc(K * sizeof *byname);
    unsigned char *on = calloc(K + 1, 1);
    double *prev = malloc(ny * sizeof *prev), *cur = malloc(ny * sizeof *cur);
    int rc = (r && order && byname && on && prev && cur) ? HNB_OK : HNB_E_NOMEM;
    if (r) gsl_rng_set(r, 20250201u);
    for (size_t i = 0; !rc && i < K; i++) { /* insertion sort: K is small */
        size_t j = i;
        for (; j > 0 && before(sv, c->s, i, byname[j - 1]); j--) byname[j] = byname[j - 1];
        byname[j] = i;
    }
    for (size_t k = 0; !rc && k < N; k++) {
        memcpy(order, byname, K * sizeof *order);
        gsl_ran_shuffle(r, order, K, sizeof *order);
        memset(on, 0, K);
        rc = value_of(c, sv, on, prev);
        for (size_t j = 0; !rc && j < K; j++) {
            on[order[j]] = 1;
            rc = value_of(c, sv, on, cur);
            for (size_t t = 0; t < ny; t++) sv->by_action[order[j] * ny + t] += (cur[t] - prev[t]) / (double)N;
            memcpy(prev, cur, ny * sizeof *prev);
        }
    }
    sv->samples = N;
    gsl_rng_free(r);
    free(order);
    free(byname);
    free(on);
    free(prev);
    free(cur);
    return rc;
}

int attribution_run(const scenario *s, const projection *parent, savings *sv)
{
    memset(sv, 0, sizeof *sv);
    attr_ctx c = {s, NULL, {0}, {0}};
    sv->ny = s->last_fy - s->first_fy + 1;
    sv->first = s->nparent_iv;
    sv->nact = s->niv - s->nparent_iv;
    size_t ny = (size_t)sv->ny;
    sv->total = calloc(ny, sizeof(double));
    sv->other = calloc(ny, sizeof(double));
    sv->by_action = calloc(sv->nact * ny + 1, sizeof(double));
    c.ivs = calloc(s->niv + 1, sizeof *c.ivs);
    double *all = calloc(ny, sizeof(double)), *none = calloc(ny, sizeof(double));
    unsigned char *on = calloc(sv->nact + 1, 1);
    int rc = (sv->total && sv->other && sv->by_action && c.ivs && all && none && on) ? HNB_OK : HNB_E_NOMEM;
    if (!rc) rc = workspace_alloc(s, &c.w);
    if (!rc) rc = projection_alloc(s, &c.p);
    if (!rc) rc = value_of(&c, sv, on, none);
    memset(on, 1, sv->nact);
    if (!rc) rc = value_of(&c, sv, on, all);
    sv->exact = sv->nact <= ATTR_EXACT_MAX;
    if (!rc) rc = sv->exact ? shapley_exact(&c, sv) : shapley_sampled(&c, sv);
    for (size_t t = 0; !rc && t < ny; t++) {
        double base = parent && parent->ny == sv->ny ? parent->in_year[t] : none[t];
        sv->total[t] = all[t] - base;
        sv->other[t] = none[t] - base;
        if (sv->other[t] != 0.0) sv->has_other = 1;
    }
    /* The exact identity sum(phi) = v(all) - v(none) holds up to rounding;
     * put the last fraction of a penny on the largest action so that the
     * reported figures add up exactly as printed. */
    for (size_t t = 0; !rc && sv->nact && t < ny; t++) {
        double sum = 0.0;
        size_t big = 0;
        for (size_t i = 0; i < sv->nact; i++) {
            sum += sv->by_action[i * ny + t];
            if (fabs(sv->by_action[i * ny + t]) > fabs(sv->by_action[big * ny + t])) big = i;
        }
        sv->by_action[big * ny + t] += (all[t] - none[t]) - sum;
    }
    workspace_free(&c.w);
    projection_free(&c.p);
    free(c.ivs);
    free(all);
    free(none);
    free(on);
    if (rc) savings_free(sv);
    return rc;
}
