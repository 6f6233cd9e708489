/* attribution.c: how much of a plan's saving each action earns.
 *
 * Actions interact (new local places and fewer moves into NMI save on the same
 * children), so "the saving of an action" depends on what else is done. The
 * Shapley value settles it without depending on the order actions are listed:
 * an action's share is its marginal saving averaged over every order in which
 * the actions could be added,
 *     phi_i = sum over S not holding i of |S|!(K-|S|-1)!/K! [v(S+i) - v(S)],
 * where v(S) is the change in the cumulative position in each year (the
 * in-year position plus any deficit written off that year) with the actions
 * in S on. The values add up to v(all) - v(none) exactly.
 *
 * Exact up to ATTR_EXACT_MAX actions: v of every one of the 2^K subsets is
 * found (stored, 2^K x years doubles), on several threads, each subset's
 * value independent of which thread found it; the weighted sums are then
 * taken in one fixed order, so the split does not depend on the number of
 * threads. Most of the cost is the projections, so the counts are projected
 * once per subset of the actions that can change them: an action whose type
 * acts on money alone (iv_money_only: unit costs, uplift freezes, funding
 * transfers and contributions, spend savings, write-offs; their builders
 * write only money tables, and every action's running cost is money; a type
 * not listed counts as changing counts) cannot change a count,
 * so for each subset C of the others the counts are projected once, with
 * their cost-weighted sums recorded (project.h's w->record), and for each
 * subset of the money actions on top only the plan's money tables are
 * rebuilt (plan_compile_money) and the totals and the position run again
 * from the record (position_rerun, money.h), the same operations on the
 * same numbers as the whole projection: v is byte for byte what projecting
 * every subset gives (the golden test checks it on Sutton; v(all) is also
 * projected whole and compared, and any difference falls back to
 * projecting every subset). The money tables depend on the action states
 * only through the money actions and the count actions with a running cost
 * (iv_fold_money), so each worker keeps them by that key and a count subset
 * whose key was seen before reuses them (plan_money_save, read by
 * position_rerun) instead of compiling them again. Sutton's management
 * plan: 14 actions, of which 5 act on money and 1 other has a running cost,
 * so 512 count projections, 64 money compiles a worker and 16,384 money
 * runs instead of 16,384 projections (callgrind, the deterministic Sutton
 * run: 3.0 G instructions before the split, 0.44 G with it, 0.23 G with the
 * money tables kept and the lean money run). The count projections are
 * the walk of subsets.h: each run from the census where it first differs
 * from a projection already run, from the state that one recorded, its v
 * then from the record by the money run (position_rerun) unless it was run
 * whole; Sutton's three actions that start in September 2026 and 2027 cut
 * the steps projected from 3,072 to 2,240. The workers' projections are
 * lean (workspace.figures_only: no age bands or stock copies), as v reads
 * only the money.
 *
 * Beyond ATTR_EXACT_MAX actions, orders are sampled (GSL's mt19937 with a
 * fixed seed, shuffling the actions sorted by name so that the order they are
 * listed in does not change the draw), each order followed by its reverse
 * (antithetic pairs: an action early in one is late in the other, which
 * halves the spread for actions whose saving depends on what went before).
 * Every order telescopes to v(all) - v(none), so the sum is still exact and
 * only the split is estimated; its standard error is reported from the
 * spread of the pairs. The number of projections is bounded
 * (ATTR_SAMPLE_BUDGET) so that a file with a thousand actions still finishes.
 *
 * What is left between the sum of the split and the total is rounding; it is
 * measured, refused when over ATTR_MAX_GAP (£1), and the last fraction of a
 * penny is put on the largest action so that the printed figures add up.
 * If the scenario also changes assumptions that are not actions, that part of
 * the difference from the parent is reported on its own ("other"). */
#include "analysis/attribution.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/subsets.h"
#include "engine/headline.h"
#include "engine/money.h"

void savings_free(savings *sv)
{
    free(sv->total);
    free(sv->by_action);
    free(sv->other);
    free(sv->se_to_end);
    free(sv->se_to_horizon);
    memset(sv, 0, sizeof *sv);
}

/* One thread's projection state. */
typedef struct attr_worker {
    const scenario *s;
    const savings *sv;
    ivstate *ivs;
    workspace w;
    projection p;
    unsigned char *on; /* [nact] */
    /* exact: subsets m = first, first + step, ... below nsub; v[m][ny] */
    size_t first, step, nsub;
    double *v;
    int split;         /* 1: count projections (subsets.h) and money runs; 0: project every subset */
    size_t money_mask; /* own actions (bits) that act on money alone */
    size_t cost_mask;  /* own actions (bits) with a running cost */
    double *record;    /* [(ny + 1) x nplace + ny]: the counts the money reads (project.h) */
    double *mix;       /* [ny x nplace]: the record's counts over each financial year (money.h) */
    /* sampled: orders j = first, first + step, ... below norders */
    const size_t *orders; /* [norders][nact] */
    size_t norders;
    double *marg; /* [norders][nact][ny] marginal saving of each action in each order */
    double *prev, *cur;
    /* exact, the weighted sums: actions first, first + step, ... */
    const double *wts;
    const unsigned char *size;
    double *phi; /* sv->by_action */
    int rc;
} attr_worker;

/* v(on): in-year plus write-off, by year, with own actions in `on` switched
 * on, into out[ny]. */
static int value_of(attr_worker *c, const unsigned char *on, double *out)
{
    const savings *sv = c->sv;
    ivstate_default(c->s, c->ivs);
    for (size_t i = 0; i < sv->nact; i++) c->ivs[sv->first + i].on = on[i];
    int rc = project_run(c->s, c->s->val, c->ivs, &c->w, &c->p);
    for (int t = 0; t < sv->ny; t++) out[t] = c->p.in_year[t] + c->p.writeoff[t];
    return rc;
}

/* The subset of bits `x` spread over the positions in `mask`, lowest first. */
static size_t deposit(size_t x, size_t mask)
{
    size_t m = 0;
    for (size_t b = 1; mask; b <<= 1) {
        size_t low = mask & (~mask + 1);
        if (x & b) m |= low;
        mask &= mask - 1;
    }
    return m;
}

/* The bits of x at the positions in `mask`, packed, lowest first. */
static size_t extract(size_t x, size_t mask)
{
    size_t r = 0;
    for (size_t b = 1; mask; b <<= 1) {
        if (x & mask & (~mask + 1)) r |= b;
        mask &= mask - 1;
    }
    return r;
}

/* The money tables of one key, kept by a worker: a key is the states of the
 * money actions and of the count actions with a running cost, all that
 * plan_compile_money reads of the action states (plan.h, iv_fold_money),
 * so a key's tables serve every count subset with those states. */
typedef struct money_cache {
    double *tables; /* [nkeys][size], or NULL: no cache */
    unsigned char *have;
    size_t size;
} money_cache;

/* v of the subset m, whose count actions are those of the last count
 * projection (only money actions differ from it), from the counts it
 * recorded; the money tables from (or into) `slot` of the cache when there
 * is one. The own actions' states are set here, the others are as
 * ivstate_default left them. */
static int value_money(attr_worker *c, size_t m, money_cache *mc, size_t slot, double *out)
{
    const savings *sv = c->sv;
    plan *pl = &c->w.plan;
    for (size_t i = 0; i < sv->nact; i++) c->ivs[sv->first + i].on = (unsigned char)((m >> i) & 1u);
    double *keep = mc->tables ? mc->tables + slot * mc->size : NULL;
    int rc = HNB_OK, have = keep && mc->have[slot];
    if (!have) rc = plan_compile_money_known(c->s, c->s->val, c->ivs, pl);
    if (!rc) rc = position_rerun(pl, have ? keep : NULL, c->record, c->mix, &c->p);
    if (!rc && keep && !have) {
        plan_money_save(pl, keep);
        mc->have[slot] = 1;
    }
    for (int t = 0; t < sv->ny; t++) out[t] = c->p.in_year[t] + c->p.writeoff[t];
    return rc;
}

/* A cache of the money tables by key when keys repeat over the count
 * subsets (fewer count actions with a running cost than count actions) and
 * it takes at most 64 MiB; else none (each money run compiles its own). */
static void cache_open(attr_worker *c, size_t count_mask, size_t nmoney, money_cache *mc)
{
    memset(mc, 0, sizeof *mc);
    int ncost = __builtin_popcountll((unsigned long long)(c->cost_mask & count_mask));
    if (ncost >= __builtin_popcountll((unsigned long long)count_mask)) return;
    size_t nkeys = nmoney << ncost;
    mc->size = plan_money_size(&c->w.plan);
    if (!mc->size || nkeys > ((size_t)64 << 20) / sizeof(double) / mc->size) return;
    mc->tables = malloc(nkeys * mc->size * sizeof(double));
    mc->have = calloc(nkeys, 1);
    if (!mc->tables || !mc->have) { /* an optimisation only: run without */
        free(mc->tables);
        free(mc->have);
        mc->tables = NULL;
        mc->have = NULL;
    }
}

/* The split's walk (subsets.h) over the worker's count subsets: each
 * visit is one count projection and the money runs on top of it. */
typedef struct split_walk {
    attr_worker *c;
    size_t count_mask, nmoney;
    int nm;
    money_cache mc;
} split_walk;

/* The count subset `bits` (over the count actions, lowest first): its
 * count projection from census k0 (its v from the projection when whole,
 * else from the record by the money run), then each money subset on it. */
static int split_visit(void *arg, uint64_t bits, int k0, const double *from, double *states)
{
    split_walk *sw = arg;
    attr_worker *c = sw->c;
    const savings *sv = c->sv;
    plan *pl = &c->w.plan;
    size_t ny = (size_t)sv->ny, counts = deposit((size_t)bits, sw->count_mask);
    size_t key = extract(counts, c->cost_mask & sw->count_mask) << sw->nm;
    for (size_t i = 0; i < sv->nact; i++) c->ivs[sv->first + i].on = (unsigned char)((counts >> i) & 1u);
    double *keep = sw->mc.tables ? sw->mc.tables + key * sw->mc.size : NULL;
    int rc = plan_compile(c->s, c->s->val, c->ivs, pl);
    if (!rc) rc = project_run_plan_from(&c->w, &c->p, k0, from, states);
    if (!rc) money_mix(pl, c->record, c->mix);
    if (!rc && k0 > 0) rc = position_rerun(pl, NULL, c->record, c->mix, &c->p);
    if (!rc && keep && !sw->mc.have[key]) {
        plan_money_save(pl, keep);
        sw->mc.have[key] = 1;
    }
    double *out = c->v + counts * ny;
    for (size_t t = 0; t < ny; t++) out[t] = c->p.in_year[t] + c->p.writeoff[t];
    for (size_t u = 1; !rc && u < sw->nmoney; u++) {
        size_t m = counts | deposit(u, c->money_mask);
        rc = value_money(c, m, &sw->mc, key | u, c->v + m * ny);
    }
    return rc;
}

static void *exact_work(void *arg)
{
    attr_worker *c = arg;
    size_t K = c->sv->nact, ny = (size_t)c->sv->ny;
    if (!c->split) {
        for (size_t m = c->first; !c->rc && m < c->nsub; m += c->step) {
            for (size_t i = 0; i < K; i++) c->on[i] = (unsigned char)((m >> i) & 1u);
            c->rc = value_of(c, c->on, c->v + m * ny);
        }
        return NULL;
    }
    split_walk sw = {.c = c, .count_mask = (c->nsub - 1) & ~c->money_mask};
    sw.nm = __builtin_popcountll((unsigned long long)c->money_mask);
    sw.nmoney = (size_t)1 << sw.nm;
    cache_open(c, sw.count_mask, sw.nmoney, &sw.mc);
    ivstate_default(c->s, c->ivs);
    /* each count action's first step (subsets.h), at its stated start */
    int nc = 0, estep[64];
    for (size_t i = 0; i < K; i++)
        if ((sw.count_mask >> i) & 1u) {
            const intervention *iv = &c->s->iv[c->sv->first + i];
            estep[nc++] = subsets_effect_step(c->s, iv, &c->ivs[c->sv->first + i]);
        }
    c->w.record = c->record;
    c->rc = subsets_walk(nc, estep, c->sv->ny, project_state_size(&c->w), c->first, c->step, split_visit, &sw);
    c->w.record = NULL;
    free(sw.mc.tables);
    free(sw.mc.have);
    return NULL;
}

static void *sampled_work(void *arg)
{
    attr_worker *c = arg;
    size_t K = c->sv->nact, ny = (size_t)c->sv->ny;
    for (size_t j = c->first; !c->rc && j < c->norders; j += c->step) {
        const size_t *order = c->orders + j * K;
        double *m = c->marg + j * K * ny;
        memset(c->on, 0, K);
        c->rc = value_of(c, c->on, c->prev);
        for (size_t k = 0; !c->rc && k < K; k++) {
            c->on[order[k]] = 1;
            c->rc = value_of(c, c->on, c->cur);
            for (size_t t = 0; t < ny; t++) m[order[k] * ny + t] = c->cur[t] - c->prev[t];
            double *swap = c->prev;
            c->prev = c->cur;
            c->cur = swap;
        }
    }
    return NULL;
}

static int worker_init(attr_worker *c, const scenario *s, const savings *sv)
{
    memset(c, 0, sizeof *c);
    c->s = s;
    c->sv = sv;
    c->ivs = calloc(s->niv + 1, sizeof *c->ivs);
    c->on = calloc(sv->nact + 1, 1);
    c->prev = calloc((size_t)sv->ny + 1, sizeof(double));
    c->cur = calloc((size_t)sv->ny + 1, sizeof(double));
    c->record = calloc(((size_t)sv->ny + 1) * (size_t)s->nplace + (size_t)sv->ny + 1, sizeof(double));
    c->mix = calloc((size_t)sv->ny * (size_t)s->nplace + 1, sizeof(double));
    if (!c->ivs || !c->on || !c->prev || !c->cur || !c->record || !c->mix) return HNB_E_NOMEM;
    int rc = workspace_alloc(s, &c->w);
    if (!rc) rc = projection_alloc(s, &c->p);
    c->w.figures_only = 1; /* the money and its record only: no age bands or stock copies */
    return rc;
}

static void worker_free(attr_worker *c)
{
    workspace_free(&c->w);
    projection_free(&c->p);
    free(c->ivs);
    free(c->on);
    free(c->prev);
    free(c->cur);
    free(c->record);
    free(c->mix);
}

/* Run fn on `n` workers, the first on this thread; a worker whose thread
 * could not start runs here afterwards. The first error wins. */
static int run_workers(attr_worker *wk, int n, void *(*fn)(void *))
{
    pthread_t tid[64];
    unsigned char started[64] = {0};
    for (int t = 1; t < n; t++) started[t] = pthread_create(&tid[t], NULL, fn, &wk[t]) == 0;
    fn(&wk[0]);
    for (int t = 1; t < n; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            fn(&wk[t]);
    }
    for (int t = 0; t < n; t++)
        if (wk[t].rc) return wk[t].rc;
    return HNB_OK;
}

/* w[k] = k!(K-k-1)!/K! = 1 / (K * C(K-1, k)), for k = 0 .. K-1. */
static void shapley_weights(size_t K, double *w)
{
    double c = 1.0; /* C(K-1, k) */
    for (size_t k = 0; k < K; k++) {
        w[k] = 1.0 / ((double)K * c);
        c = c * (double)(K - 1 - k) / (double)(k + 1);
    }
}

/* Every subset's v into v[nsub][ny], by count projections and money runs
 * when some own actions act on money alone (checked against v(all)
 * projected whole), else by projecting every subset. */
static int exact_values(attr_worker *wk, int nthreads, savings *sv, double *v, const double *all)
{
    size_t K = sv->nact, ny = (size_t)sv->ny, nsub = (size_t)1 << K, money = 0, cost = 0;
    for (size_t i = 0; i < K; i++) {
        const intervention *iv = &wk[0].s->iv[sv->first + i];
        if (iv_money_only(iv->type)) money |= (size_t)1 << i;
        if (iv->cost != NOPAR) cost |= (size_t)1 << i;
    }
    int split = money != nsub - 1; /* some action changes counts */
    for (int t = 0; t < nthreads; t++) {
        wk[t].first = (size_t)t;
        wk[t].step = (size_t)nthreads;
        wk[t].nsub = nsub;
        wk[t].v = v;
        wk[t].split = split;
        wk[t].money_mask = money;
        wk[t].cost_mask = cost;
    }
    int rc = run_workers(wk, nthreads, exact_work);
    if (!rc && split && memcmp(v + (nsub - 1) * ny, all, ny * sizeof(double)) != 0) {
        for (int t = 0; t < nthreads; t++) wk[t].split = 0; /* not as expected: project every subset */
        rc = run_workers(wk, nthreads, exact_work);
    }
    return rc;
}

/* phi[ny] of the action `bit`: the weighted marginal savings over the
 * subsets m without it in ascending order (blocks of `bit` below each
 * multiple of 2 x bit), each year's sum on its own, so the years may be
 * taken side by side (HNB_VECTORISE: element-wise, no sum reordered). */
HNB_VECTORISE static void shapley_one(size_t nsub, size_t bit, size_t ny, const double *w, const unsigned char *size,
                                      const double *restrict v, double *restrict phi)
{
    for (size_t hi = 0; hi < nsub; hi += 2 * bit)
        for (size_t m = hi; m < hi + bit; m++) {
            const double wt = w[size[m]];
            const double *restrict with = v + (m | bit) * ny, *restrict without = v + m * ny;
            for (size_t t = 0; t < ny; t++) phi[t] += wt * (with[t] - without[t]);
        }
}

/* The weighted sums of the worker's actions (each action's on its own, in
 * the same order on any thread). */
static void *shapley_work(void *arg)
{
    attr_worker *c = arg;
    size_t K = c->sv->nact, ny = (size_t)c->sv->ny;
    for (size_t i = c->first; i < K; i += c->step)
        shapley_one(c->nsub, (size_t)1 << i, ny, c->wts, c->size, c->v, c->phi + i * ny);
    return NULL;
}

static int shapley_exact(attr_worker *wk, int nthreads, savings *sv, const double *all)
{
    size_t K = sv->nact, ny = (size_t)sv->ny, nsub = (size_t)1 << K;
    double *v = malloc(sizeof(double) * nsub * ny);
    double *w = malloc(sizeof(double) * (K + 1));
    if (!v || !w) {
        free(v);
        free(w);
        return HNB_E_NOMEM;
    }
    int rc = exact_values(wk, nthreads, sv, v, all);
    shapley_weights(K, w);
    unsigned char *size = rc ? NULL : malloc(nsub); /* |m| of each subset */
    if (!rc && !size) rc = HNB_E_NOMEM;
    for (size_t m = 0; !rc && m < nsub; m++) size[m] = (unsigned char)(m ? size[m >> 1] + (m & 1u) : 0);
    for (int t = 0; !rc && t < nthreads; t++) {
        wk[t].wts = w;
        wk[t].size = size;
        wk[t].phi = sv->by_action;
    }
    if (!rc) rc = run_workers(wk, nthreads, shapley_work);
    free(size);
    sv->projections = nsub;
    free(v);
    free(w);
    return rc;
}

/* Action i before action j in the order the sample starts from: by name, so
 * that listing the actions in another order draws the same orders. */
static int before(const savings *sv, const scenario *s, size_t i, size_t j)
{
    int d = strcmp(s->iv[sv->first + i].name, s->iv[sv->first + j].name);
    return d < 0 || (d == 0 && i < j);
}

/* The number of orders to sample: an even number (antithetic pairs) within the
 * projection budget, at least ATTR_MIN_ORDERS. */
static size_t attribution_orders(size_t K)
{
    size_t n = ATTR_SAMPLE_BUDGET / (K + 1);
    if (n > 4000) n = 4000;
    n &= ~(size_t)1;
    return n < ATTR_MIN_ORDERS ? ATTR_MIN_ORDERS : n;
}

static int shapley_sampled(attr_worker *wk, int nthreads, savings *sv, int oi)
{
    size_t K = sv->nact, ny = (size_t)sv->ny, N = attribution_orders(K);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    size_t *orders = malloc(N * K * sizeof *orders), *byname = malloc(K * sizeof *byname);
    double *marg = calloc(N * K * ny + 1, sizeof *marg);
    sv->se_to_end = calloc(K + 1, sizeof(double));
    sv->se_to_horizon = calloc(K + 1, sizeof(double));
    int rc = (r && orders && byname && marg && sv->se_to_end && sv->se_to_horizon) ? HNB_OK : HNB_E_NOMEM;
    if (r) gsl_rng_set(r, 20250201u);
    for (size_t i = 0; !rc && i < K; i++) { /* insertion sort by name */
        size_t j = i;
        for (; j > 0 && before(sv, wk[0].s, i, byname[j - 1]); j--) byname[j] = byname[j - 1];
        byname[j] = i;
    }
    for (size_t j = 0; !rc && j < N; j += 2) {
        size_t *o = orders + j * K, *rev = o + K;
        memcpy(o, byname, K * sizeof *o);
        gsl_ran_shuffle(r, o, K, sizeof *o);
        for (size_t k = 0; k < K; k++) rev[k] = o[K - 1 - k];
    }
    for (int t = 0; !rc && t < nthreads; t++) {
        wk[t].first = (size_t)t;
        wk[t].step = (size_t)nthreads;
        wk[t].orders = orders;
        wk[t].norders = N;
        wk[t].marg = marg;
    }
    if (!rc) rc = run_workers(wk, nthreads, sampled_work);
    /* means in order-index order; standard errors from the pairs' means */
    for (size_t i = 0; !rc && i < K; i++) {
        double s1e = 0.0, s2e = 0.0, s1h = 0.0, s2h = 0.0;
        for (size_t j = 0; j < N; j += 2) {
            double pe = 0.0, ph = 0.0;
            for (size_t u = j; u < j + 2; u++) {
                const double *m = marg + (u * K + i) * ny;
                for (size_t t = 0; t < ny; t++) {
                    sv->by_action[i * ny + t] += m[t] / (double)N;
                    ph += m[t] / 2.0;
                    if ((int)t <= oi) pe += m[t] / 2.0;
                }
            }
            s1e += pe;
            s2e += pe * pe;
            s1h += ph;
            s2h += ph * ph;
        }
        double np = (double)(N / 2);
        double ve = (s2e - s1e * s1e / np) / (np - 1.0), vh = (s2h - s1h * s1h / np) / (np - 1.0);
        sv->se_to_end[i] = oi >= 0 ? sqrt(fmax(ve, 0.0) / np) : NAN;
        sv->se_to_horizon[i] = sqrt(fmax(vh, 0.0) / np);
    }
    sv->samples = N;
    sv->projections = N * (K + 1);
    gsl_rng_free(r);
    free(orders);
    free(byname);
    free(marg);
    return rc;
}

int attribution_run(const scenario *s, const projection *parent, int threads, savings *sv)
{
    return attribution_run_ex(s, parent, threads, ATTR_EXACT_MAX, sv);
}

int attribution_run_ex(const scenario *s, const projection *parent, int threads, size_t exact_max, savings *sv)
{
    memset(sv, 0, sizeof *sv);
    sv->ny = s->last_fy - s->first_fy + 1;
    sv->first = s->nparent_iv;
    sv->nact = s->niv - s->nparent_iv;
    size_t ny = (size_t)sv->ny, K = sv->nact;
    /* exact while 2^K subsets of ny doubles fit in 1 GiB */
    sv->exact = K <= exact_max && ((size_t)1 << K) * ny * sizeof(double) <= ((size_t)1 << 30);
    size_t work = sv->exact ? (size_t)1 << K : attribution_orders(K);
    int nthreads = threads < 1 ? 1 : threads > 64 ? 64 : threads;
    if ((size_t)nthreads > work) nthreads = (int)work;
    if (nthreads < 1) nthreads = 1;
    sv->total = calloc(ny, sizeof(double));
    sv->other = calloc(ny, sizeof(double));
    sv->by_action = calloc(K * ny + 1, sizeof(double));
    attr_worker *wk = calloc((size_t)nthreads, sizeof *wk);
    double *all = calloc(ny, sizeof(double)), *none = calloc(ny, sizeof(double));
    int rc = (sv->total && sv->other && sv->by_action && wk && all && none) ? HNB_OK : HNB_E_NOMEM;
    int made = 0;
    for (; !rc && made < nthreads; made++) rc = worker_init(&wk[made], s, sv);
    if (!rc) rc = value_of(&wk[0], wk[0].on, none); /* on[] is all zero */
    if (!rc) {
        memset(wk[0].on, 1, K);
        rc = value_of(&wk[0], wk[0].on, all);
    }
    if (!rc)
        rc = sv->exact ? shapley_exact(wk, nthreads, sv, all)
                       : shapley_sampled(wk, nthreads, sv, headline_override_index(s));
    for (size_t t = 0; !rc && t < ny; t++) {
        double base = parent && parent->ny == sv->ny ? parent->in_year[t] + parent->writeoff[t] : none[t];
        sv->total[t] = all[t] - base;
        sv->other[t] = none[t] - base;
        if (sv->other[t] != 0.0) sv->has_other = 1;
    }
    /* sum(phi) = v(all) - v(none) holds up to rounding: measure the gap, refuse
     * one that is not rounding, and put the last fraction of a penny on the
     * largest action so that the reported figures add up as printed */
    for (size_t t = 0; !rc && K && t < ny; t++) {
        double sum = 0.0;
        size_t big = 0;
        for (size_t i = 0; i < K; i++) {
            sum += sv->by_action[i * ny + t];
            if (fabs(sv->by_action[i * ny + t]) > fabs(sv->by_action[big * ny + t])) big = i;
        }
        double gap = (all[t] - none[t]) - sum;
        if (fabs(gap) > sv->rounding) sv->rounding = fabs(gap);
        if (!(fabs(gap) <= ATTR_MAX_GAP))
            rc = HNB_E_INTERNAL;
        else
            sv->by_action[big * ny + t] += gap;
    }
    for (int t = 0; t < made; t++) worker_free(&wk[t]);
    free(wk);
    free(all);
    free(none);
    if (rc) savings_free(sv);
    return rc;
}
