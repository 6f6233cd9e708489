/* expected.c: the risk-weighted expected line (expected.h).
 *
 * The central line assumes every action is delivered, on time; Monte Carlo
 * draws whether each one is. Between the two sits the line a finance officer
 * can compare with the fan's median: every other assumption at its stated
 * value, each action delivered with its stated confidence. Since an action
 * either delivers or not, "applied at its mean" is the expectation over the
 * two outcomes of each, taken exactly: every combination of delivered and
 * not delivered is projected and weighted by its probability (the product
 * of p or 1 - p over the actions), and the figures are their weighted sums.
 * That is linear in the figures, so the expected cumulative position is the
 * expectation of the cumulative position, with no approximation of a partly
 * delivered action (which the model has no meaning for). A stated delay
 * (delay_months' value) is applied, as on a path. With more than
 * EXPECTED_EXACT_MAX risky actions the 2^n combinations are too many, and
 * 4,096 are drawn (each action from its own stream, rng.c) and averaged.
 * With none, the line is the central line exactly (one projection).
 * As in attribution.c, an exact line projects the counts once for each
 * combination of the risky actions that can change them and runs only the
 * money again (plan_compile_money, position_rerun) for each combination of
 * the money-only ones on top; the figures are the same bytes as projecting
 * every combination whole (the combination of all delivered is projected
 * whole and compared; on any difference every combination is projected),
 * and the weighted sums are taken in combination order as before. Sutton's
 * SEND reform plan: 8 risky actions, 2 of them money-only, so 64 count
 * projections and 192 money runs instead of 256 projections. The count
 * projections are the walk of subsets.h, each run from the census where it
 * first differs from one already run (the reform actions act from 2029),
 * on a lean workspace (the figures read only the money and the EHCPs by
 * placement); every risky action changing counts is shared out the same
 * way (callgrind, the deterministic Sutton run: the line's 19.6 M
 * instructions down to 11.2 M). */
#include "analysis/expected.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/rng.h"
#include "analysis/subsets.h"
#include "core/error.h"
#include "engine/headline.h"
#include "engine/money.h"

#define EXPECTED_SAMPLES 4096

void expected_free(expected_line *e)
{
    free(e->in_year);
    free(e->risk);
    free(e->p);
    memset(e, 0, sizeof *e);
}

/* The figures the line takes of one projection, [6][ny]: in-year,
 * cumulative, gross cumulative, spend, funding, EHCPs. */
static void figures_of(const projection *p, int ny, double *f)
{
    for (int k = 0; k < ny; k++) {
        double t = 0.0;
        for (int q = 0; q < p->nplace; q++) t += p->ehcps[(size_t)k * (size_t)p->nplace + (size_t)q];
        f[k] = p->in_year[k];
        f[ny + k] = p->cumulative[k];
        f[2 * ny + k] = p->cumulative_gross[k];
        f[3 * ny + k] = p->spend_total[k];
        f[4 * ny + k] = p->fund_total[k];
        f[5 * ny + k] = t;
    }
}

/* The subset of bits `x` spread over the positions in `mask`, lowest first. */
static uint64_t deposit(uint64_t x, uint64_t mask)
{
    uint64_t m = 0;
    for (uint64_t b = 1; mask; b <<= 1) {
        if (x & b) m |= mask & (~mask + 1);
        mask &= mask - 1;
    }
    return m;
}

static void set_combo(const expected_line *e, uint64_t c, ivstate *ivs)
{
    for (size_t k = 0; k < e->nrisk; k++) ivs[e->risk[k]].on = (unsigned char)((c >> k) & 1u);
}

/* The split's walk (subsets.h) over the combinations of the risky count
 * actions: one count projection each, then the money runs on top. */
typedef struct split_walk {
    const scenario *s;
    expected_line *e;
    const double *wt;
    ivstate *ivs;
    workspace *w;
    projection *p;
    double *fig, *record, *mix;
    uint64_t counts, money, nmoney;
    int split, *rc;
    /* the walk's share of this worker (subsets_walk's first and step) */
    int nc;
    const int *estep;
    size_t first, step;
    int wrc, own_rc;
    workspace own_w; /* workers but the first: their own projection state */
    projection own_p;
    ivstate *own_ivs;
} split_walk;

static int split_visit(void *arg, uint64_t bits, int k0, const double *from, double *states)
{
    split_walk *sw = arg;
    const int ny = sw->e->ny;
    const size_t nf = 6 * (size_t)ny;
    uint64_t c0 = deposit(bits, sw->counts);
    int any = 0; /* a combination with these counts that can happen */
    for (uint64_t u = 0; u < sw->nmoney && !any; u++) any = sw->wt[c0 | deposit(u, sw->money)] != 0.0;
    set_combo(sw->e, c0, sw->ivs);
    int rc = plan_compile(sw->s, sw->s->val, sw->ivs, &sw->w->plan);
    if (rc) {
        *sw->rc = rc;
        return 1;
    }
    if (project_run_plan_from(sw->w, sw->p, k0, from, states) == HNB_OK) {
        money_mix(&sw->w->plan, sw->record, sw->mix);
        if (k0 > 0) rc = position_rerun(&sw->w->plan, NULL, sw->record, sw->mix, sw->p);
    } else {
        rc = HNB_E_NUMERIC;
    }
    if (rc) {
        if (any && sw->wt[c0] != 0.0)
            *sw->rc = HNB_E_NUMERIC;
        else
            sw->split = 0; /* a projection the line does not weigh: leave it to the caller's */
        return 1;
    }
    if (!any) return 0; /* projected for the combinations after it only */
    figures_of(sw->p, ny, sw->fig + c0 * nf);
    for (uint64_t u = 1; u < sw->nmoney; u++) {
        uint64_t c = c0 | deposit(u, sw->money);
        if (sw->wt[c] == 0.0) continue;
        set_combo(sw->e, c, sw->ivs);
        *sw->rc = plan_compile_money(sw->s, sw->s->val, sw->ivs, &sw->w->plan);
        if (!*sw->rc && position_rerun(&sw->w->plan, NULL, sw->record, sw->mix, sw->p)) *sw->rc = HNB_E_NUMERIC;
        if (*sw->rc) return 1;
        figures_of(sw->p, ny, sw->fig + c * nf); /* EHCPs: the count projection's */
    }
    return 0;
}

/* The figures of every combination of nonzero weight into fig[c][6][ny], the
 * counts projected once for each combination of the risky actions that can
 * change them, as the walk of subsets.h (each from the census where it
 * first differs from one already run), and the money run again from them
 * for each combination of the money-only ones (money.h; as attribution.c
 * does). 1 if done, 0 if the combination of all delivered, projected
 * whole, differs (or a projection the line does not weigh is not finite):
 * the caller then projects every combination. */
static void *split_work(void *arg)
{
    split_walk *sw = arg;
    sw->w->record = sw->record;
    sw->wrc =
        subsets_walk(sw->nc, sw->estep, sw->e->ny, project_state_size(sw->w), sw->first, sw->step, split_visit, sw);
    sw->w->record = NULL;
    return NULL;
}

#define EXPECTED_THREADS 16

static int figures_split(const scenario *s, expected_line *e, const double *wt, ivstate *ivs, workspace *w,
                         projection *p, double *fig, int threads, int *rc)
{
    const int ny = e->ny;
    const size_t nf = 6 * (size_t)ny, P = (size_t)s->nplace, nrec = (size_t)(ny + 1) * P + (size_t)ny;
    uint64_t money = 0;
    for (size_t k = 0; k < e->nrisk; k++)
        if (iv_money_only(s->iv[e->risk[k]].type)) money |= (uint64_t)1 << k;
    uint64_t counts = (e->combos - 1) & ~money;
    int nc = 0, estep[64];
    for (size_t k = 0; k < e->nrisk; k++)
        if ((counts >> k) & 1u) estep[nc++] = subsets_effect_step(s, &s->iv[e->risk[k]], &ivs[e->risk[k]]);
    int n = threads < 1 ? 1 : threads > EXPECTED_THREADS ? EXPECTED_THREADS : threads;
    if (n > 1 && ((uint64_t)1 << nc) < 16 * (uint64_t)n) n = 1; /* too few count projections to be worth a thread */
    split_walk sw[EXPECTED_THREADS];
    memset(sw, 0, sizeof sw);
    int bad = 0;
    for (int t = 0; t < n; t++) {
        split_walk *x = &sw[t];
        *x = (split_walk){.s = s,
                          .e = e,
                          .wt = wt,
                          .ivs = ivs,
                          .w = w,
                          .p = p,
                          .fig = fig,
                          .counts = counts,
                          .money = money,
                          .nmoney = (uint64_t)1 << __builtin_popcountll(money),
                          .split = 1,
                          .nc = nc,
                          .estep = estep,
                          .first = (size_t)t,
                          .step = (size_t)n};
        x->rc = t ? &x->own_rc : rc;
        x->record = calloc(nrec + (size_t)ny * P + 1, sizeof(double));
        x->mix = x->record ? x->record + nrec : NULL;
        if (t && x->record) { /* a workspace, projection and action states of its own */
            x->own_ivs = malloc((s->niv + 1) * sizeof *ivs);
            if (x->own_ivs && !workspace_alloc(s, &x->own_w) && !projection_alloc(s, &x->own_p)) {
                memcpy(x->own_ivs, ivs, s->niv * sizeof *ivs);
                x->own_w.figures_only = 1;
                x->ivs = x->own_ivs, x->w = &x->own_w, x->p = &x->own_p;
            } else {
                bad = 1;
            }
        }
        bad |= !x->record;
    }
    pthread_t tid[EXPECTED_THREADS];
    unsigned char started[EXPECTED_THREADS] = {0};
    for (int t = 1; !bad && t < n; t++) started[t] = pthread_create(&tid[t], NULL, split_work, &sw[t]) == 0;
    if (!bad) split_work(&sw[0]);
    int split = 1;
    for (int t = 0; t < n; t++) {
        if (t && started[t])
            pthread_join(tid[t], NULL);
        else if (t && !bad)
            split_work(&sw[t]); /* its thread did not start: here */
        if (sw[t].wrc == HNB_E_NOMEM || (bad && !*rc)) *rc = HNB_E_NOMEM;
        if (!*rc && *sw[t].rc) *rc = *sw[t].rc; /* the first worker's error */
        split &= sw[t].split;
        free(sw[t].record);
        if (t) {
            workspace_free(&sw[t].own_w);
            projection_free(&sw[t].own_p);
            free(sw[t].own_ivs);
        }
    }
    if (*rc || !split) return split;
    /* the combination of all delivered, projected whole, as a check */
    uint64_t all = e->combos - 1;
    if (wt[all] == 0.0) return 1;
    set_combo(e, all, ivs);
    if (project_run(s, s->val, ivs, w, p)) {
        *rc = HNB_E_NUMERIC;
        return 1;
    }
    double check[nf];
    figures_of(p, ny, check);
    return memcmp(check, fig + all * nf, sizeof check) == 0;
}

int expected_run(const scenario *s, expected_line *e) { return expected_run_threads(s, 1, e); }

int expected_run_threads(const scenario *s, int threads, expected_line *e)
{
    memset(e, 0, sizeof *e);
    int ny = s->last_fy - s->first_fy + 1, oi = headline_override_index(s);
    e->ny = ny;
    e->in_year = calloc(6 * (size_t)ny, sizeof *e->in_year);
    e->risk = calloc(s->niv + 1, sizeof *e->risk);
    e->p = calloc(s->niv + 1, sizeof *e->p);
    ivstate *ivs = calloc(s->niv + 1, sizeof *ivs);
    uint32_t *stream = calloc(s->niv + 1, sizeof *stream);
    double *wts = NULL, *fig = NULL;
    workspace w = {0};
    projection p = {0};
    int rc = e->in_year && e->risk && e->p && ivs && stream ? HNB_OK : HNB_E_NOMEM;
    if (!rc) rc = workspace_alloc(s, &w);
    if (!rc) rc = projection_alloc(s, &p);
    if (rc) goto done;
    w.figures_only = 1; /* the figures read only the money and the EHCPs by placement */
    e->cumulative = e->in_year + ny;
    e->cumulative_gross = e->cumulative + ny;
    e->spend = e->cumulative_gross + ny;
    e->funding = e->spend + ny;
    e->ehcps = e->funding + ny;
    for (size_t i = 0; i < s->niv; i++) {
        const intervention *iv = &s->iv[i];
        ivs[i].on = 1;
        ivs[i].start = iv->start + (iv->delay == NOPAR ? 0.0 : s->val[s->par[iv->delay].off]);
        double q = iv->delivery == NOPAR ? 1.0 : s->val[s->par[iv->delivery].off];
        if (q < 1.0) {
            e->risk[e->nrisk] = i;
            e->p[e->nrisk++] = q;
        }
        stream[i] = rng_factor(iv->name);
    }
    e->sampled = e->nrisk > EXPECTED_EXACT_MAX;
    e->combos = e->sampled ? EXPECTED_SAMPLES : (uint64_t)1 << e->nrisk;
    const size_t nf = 6 * (size_t)ny;
    wts = calloc(e->combos, sizeof *wts);
    fig = calloc(e->combos * nf, sizeof *fig);
    if (!wts || !fig) {
        rc = HNB_E_NOMEM;
        goto done;
    }
    for (uint64_t c = 0; c < e->combos; c++) {
        double wt = e->sampled ? 1.0 / (double)e->combos : 1.0;
        for (size_t k = 0; !e->sampled && k < e->nrisk; k++) wt *= (c >> k) & 1u ? e->p[k] : 1.0 - e->p[k];
        wts[c] = wt;
    }
    /* every combination's figures: shared count projections when exact,
     * else (or if the check fails) each projected whole */
    int split = !e->sampled && e->nrisk > 0 && figures_split(s, e, wts, ivs, &w, &p, fig, threads, &rc);
    for (uint64_t c = 0; !rc && !split && c < e->combos; c++) {
        for (size_t k = 0; k < e->nrisk; k++) {
            size_t i = e->risk[k];
            ivs[i].on = e->sampled ? rng_uniform_at(1, c, stream[i]) < e->p[k] : (unsigned char)((c >> k) & 1u);
        }
        if (wts[c] == 0.0) continue; /* a combination that cannot happen (a confidence of 0) */
        if (project_run(s, s->val, ivs, &w, &p)) {
            rc = HNB_E_NUMERIC;
            break;
        }
        figures_of(&p, ny, fig + c * nf);
    }
    if (rc) goto done;
    /* the weighted sums in combination order */
    double over = 0.0, over_gross = 0.0;
    for (uint64_t c = 0; c < e->combos; c++) {
        double wt = wts[c];
        if (wt == 0.0) continue;
        const double *f = fig + c * nf;
        for (int k = 0; k < ny; k++) {
            e->in_year[k] += wt * f[k];
            e->cumulative[k] += wt * f[ny + k];
            e->cumulative_gross[k] += wt * f[2 * ny + k];
            e->spend[k] += wt * f[3 * ny + k];
            e->funding[k] += wt * f[4 * ny + k];
            e->ehcps[k] += wt * f[5 * ny + k];
        }
        if (oi >= 0) {
            over += wt * f[ny + oi];
            over_gross += wt * f[2 * ny + oi];
        }
    }
    e->at_override_end = oi >= 0 ? over : NAN;
    e->at_override_end_gross = oi >= 0 ? over_gross : NAN;
done:
    free(ivs);
    free(stream);
    free(wts);
    free(fig);
    workspace_free(&w);
    projection_free(&p);
    if (rc) expected_free(e);
    return rc;
}
