/* plan_money.c: the money part of the compiled plan (plan.h): unit costs
 * uplifted from their price base, the spend and funding lines after the
 * actions, and the money tables that depend on values alone. plan_compile
 * (plan.c) calls plan_money_values when the values change and plan_money at
 * every compile; plan_compile_money rebuilds only the money tables, for
 * action states that differ only in actions acting on money alone
 * (attribution.c). Same invariant as the rest of the plan: every table holds
 * exactly the number money_year used to compute, by the same operations in
 * the same order. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/plan_memo.h"
#include "engine/project.h"

/* 1 if an action freezes the uplift of placement p in some year. */
static int any_frozen(const plan *pl, int p)
{
    const unsigned char *f = pl->frozen + p;
    for (int i = 0; i < pl->fz_n; i++, f += pl->nplace)
        if (*f) return 1;
    return 0;
}

/* The unit cost of placement p in every financial year of the plan,
 * uplifted from its price base by the tabulated factors (1 + inflation),
 * skipping the years flagged in `frozen` ([fy - fz_lo] x nplace, or NULL:
 * none), then times cost_scale: into out[k x P] (if out), and times the fee
 * factor cf[k x P] into uc[k x P] (if uc). For each year the product is the
 * one money_year used to take, c0 x f(pb+1) x ... x f(fy) from the left, so
 * a running product over the years gives it exactly; a year before the
 * price base divides, f(fy+1) first, as before. */
static void uplifted(const scenario *s, const double *val, const plan *pl, int p, const unsigned char *frozen,
                     double *out, const double *cf, double *uc)
{
    const placement *q = &s->place[p];
    const size_t P = (size_t)pl->nplace;
    const double c0 = par_val(s, val, q->unit_cost)[0], scale = par_val(s, val, s->cost_scale)[0];
    const double *f = pl->uplift + (size_t)p;
    const unsigned char *z = frozen ? frozen + (size_t)p : NULL;
    const int pb = q->price_base, fz_lo = pl->fz_lo, fy0 = pl->first_fy, ny = pl->ny;
    double run = c0;
    if (fy0 > pb) { /* every year after the price base: the running product alone */
        size_t i = (size_t)(pb + 1 - fz_lo) * P;
        const size_t first = (size_t)(fy0 - fz_lo) * P, last = (size_t)(fy0 + ny - 1 - fz_lo) * P;
        if (z) {
            for (; i < first; i += P)
                if (!z[i]) run *= f[i];
        } else
            for (; i < first; i += P) run *= f[i];
        if (z && !out && uc) /* a frozen year: money_after's unit cost */
            for (size_t k = 0; i <= last; i += P, k += P) {
                if (!z[i]) run *= f[i];
                uc[k] = run * scale * cf[k];
            }
        else if (!z && out && uc) /* the cost with no year frozen, and the unit cost from it */
            for (size_t k = 0; i <= last; i += P, k += P) {
                run *= f[i];
                const double y = run * scale;
                out[k] = y;
                uc[k] = y * cf[k];
            }
        else
            for (size_t k = 0; i <= last; i += P, k += P) {
                if (!z || !z[i]) run *= f[i];
                const double y = run * scale;
                if (out) out[k] = y;
                if (uc) uc[k] = y * cf[k];
            }
        return;
    }
    int next = pb + 1; /* the next year the running product takes */
    size_t in = (size_t)(next - fz_lo) * P;
    for (int k = 0; k < ny; k++) {
        const int fy = fy0 + k;
        double x;
        if (fy >= pb) {
            for (; next <= fy; next++, in += P)
                if (!z || !z[in]) run *= f[in];
            x = run;
        } else { /* a year before the price base */
            x = c0;
            for (int y = fy + 1; y <= pb; y++) {
                size_t i = (size_t)(y - fz_lo) * P;
                if (!z || !z[i]) x /= f[i];
            }
        }
        const double y = x * scale;
        if (out) out[(size_t)k * P] = y;
        if (uc) uc[(size_t)k * P] = y * cf[(size_t)k * P];
    }
}

/* money_year: unit costs uplifted from their price base (not in a year an
 * action freezes), scaled and changed by fee actions; age and need
 * multipliers; other spend and funding lines after the actions. A
 * placement with no year frozen takes its uplifted cost from the table of
 * the values (cost_plain); one with a frozen year is uplifted again. Every
 * column (all), or those whose inputs changed (plan_memo.h). */
static void money_after(const scenario *s, const double *val, plan *pl, int all)
{
    plan_memo *m = pl->memo;
    const int P = s->nplace;
    const size_t ny = (size_t)pl->ny;
    if (all || memo_g(pl, m->g_frozen))
        for (int p = 0; p < P; p++) m->frozen_any[p] = (unsigned char)any_frozen(pl, p);
    for (int p = 0; p < P; p++) {
        if (!all && !memo_t(pl, m->t_infl + p) && !memo_t(pl, m->t_uc + p) && !memo_g(pl, m->g_costf + p) &&
            !memo_g(pl, m->g_frozen))
            continue;
        double *uc = pl->unit_cost + (size_t)p;
        const double *cf = pl->cost_factor + (size_t)p;
        if (m->frozen_any[p])
            uplifted(s, val, pl, p, pl->frozen, NULL, cf, uc);
        else if (m->plain_stale[p]) {
            uplifted(s, val, pl, p, NULL, pl->cost_plain + (size_t)p, cf, uc);
            m->plain_stale[p] = 0;
        } else {
            const double *plain = pl->cost_plain + (size_t)p;
            for (size_t k = 0; k < ny; k++) uc[k * (size_t)P] = plain[k * (size_t)P] * cf[k * (size_t)P];
        }
    }
    const size_t O = (size_t)pl->nother, F = (size_t)pl->nfund, S = (size_t)pl->nspend;
    for (size_t o = 0; o < O; o++) {
        if (!all && !memo_t(pl, m->t_other + (int)o) && !memo_g(pl, m->g_spendadj + P + (int)o)) continue;
        for (size_t k = 0; k < ny; k++)
            pl->spend_other[k * O + o] = pl->amount_other[k * O + o] - pl->spend_adj[k * S + (size_t)P + o];
    }
    for (size_t l = 0; l < F; l++) {
        if (!all && !memo_t(pl, m->t_fund + (int)l) && !memo_g(pl, m->g_fundadj + (int)l)) continue;
        for (size_t k = 0; k < ny; k++) pl->fund[k * F + l] = pl->amount_fund[k * F + l] + pl->fund_adj[k * F + l];
    }
}

void plan_money(const scenario *s, const double *val, plan *pl) { money_after(s, val, pl, 1); }

void plan_money_changed(const scenario *s, const double *val, plan *pl) { money_after(s, val, pl, 0); }

int plan_money_alloc(plan *pl)
{
    pl->uplift = calloc((size_t)pl->fz_n * (size_t)pl->nplace + 1, sizeof(double));
    pl->cost_plain = calloc((size_t)pl->ny * (size_t)pl->nplace + 1, sizeof(double));
    return pl->uplift && pl->cost_plain ? HNB_OK : HNB_E_NOMEM;
}

void plan_money_free(plan *pl)
{
    free(pl->uplift);
    free(pl->cost_plain);
    pl->uplift = pl->cost_plain = NULL;
}

/* line_amount (scenario.c) for every financial year of the plan, by the
 * same operations: a year given by_year is its value; a year at or after
 * the base is the amount times (1 + growth) of each year after the base up
 * to it, from the left, which a running product over the years gives
 * exactly; a year before the base divides, the year after it first. */
static void line_amounts(const scenario *s, const double *val, const line *l, const plan_years *g, int fy0, int ny,
                         double *out, size_t stride)
{
    const double amount = par_val(s, val, l->amount)[0];
    double run = amount;
    int next = l->base_fy + 1; /* the next year the running product takes */
    for (int k = 0; k < ny; k++) {
        const int fy = fy0 + k;
        size_t i = 0;
        while (i < l->nby && l->by_fy[i] != fy) i++;
        double x;
        if (i < l->nby)
            x = par_val(s, val, l->by_par[i])[0];
        else if (fy >= l->base_fy) {
            for (; next <= fy; next++) run *= 1.0 + memo_series(g, s, val, &l->growth, next);
            x = run;
        } else {
            x = amount;
            for (int y = fy + 1; y <= l->base_fy; y++) x /= 1.0 + memo_series(g, s, val, &l->growth, y);
        }
        out[(size_t)k * stride] = x;
    }
}

/* Money that depends on values alone: line amounts before actions, the age
 * and need multipliers, the opening balance and the interest rate; only
 * the lines and placements whose values changed (plan_memo.h). */
void plan_money_values(const scenario *s, const double *val, plan *pl)
{
    const plan_memo *m = pl->memo;
    const int P = s->nplace;
    for (int o = 0; o < pl->nother; o++)
        if (memo_t(pl, m->t_other + o))
            line_amounts(s, val, &s->other[o], &m->line_growth[o], s->first_fy, pl->ny, pl->amount_other + o,
                         (size_t)pl->nother);
    for (int l = 0; l < pl->nfund; l++)
        if (memo_t(pl, m->t_fund + l))
            line_amounts(s, val, &s->fund[l], &m->line_growth[pl->nother + l], s->first_fy, pl->ny, pl->amount_fund + l,
                         (size_t)pl->nfund);
    if (memo_t(pl, m->t_misc)) {
        for (int p = 0; p < P; p++) {
            const placement *q = &s->place[p];
            for (int a = 0; a < s->nages; a++) {
                double x = 1.0;
                for (size_t b = 0; b < q->ncost_bands; b++)
                    if (a >= q->cost_bands[b].lo && a <= q->cost_bands[b].hi)
                        x = par_val(s, val, q->cost_bands[b].par)[0];
                pl->cost_age[(size_t)a * (size_t)P + (size_t)p] = x;
            }
        }
        for (int g = 0; g < s->nneeds; g++) pl->cost_need[g] = par_val(s, val, s->needs[g].cost_mult)[0];
        pl->balance = par_val(s, val, s->balance)[0];
        pl->interest = par_val(s, val, s->interest)[0];
    }
    /* 1 + inflation of each placement in each year a unit cost is uplifted
     * through (where series_at finds it: plan_memo's infl_off); the uplifted
     * cost with no year frozen is rebuilt when a placement without a frozen
     * year reads it (money_after) */
    for (int p = 0; p < P; p++) {
        if (!memo_t(pl, m->t_infl + p)) continue;
        const size_t *off = m->infl_off + p;
        double *u = pl->uplift + p;
        for (size_t i = (size_t)P, end = (size_t)pl->fz_n * (size_t)P; i < end; i += (size_t)P)
            u[i] = 1.0 + (off[i] != SIZE_MAX
                              ? val[off[i]]
                              : series_at(s, val, &s->place[p].inflation, pl->fz_lo + (int)(i / (size_t)P)));
    }
    for (int p = 0; p < P; p++) m->plain_stale[p] |= memo_t(pl, m->t_infl + p) || memo_t(pl, m->t_uc + p);
}

/* The money accumulators afresh and the money actions folded in again; the
 * other accumulators and tables stand, as the actions that fold into them
 * are the same. */
static void recompile_money(const scenario *s, const double *val, const ivstate *ivs, plan *pl)
{
    pl->s = s;
    pl->val = val;
    pl->ivs = ivs;
    const size_t ny = (size_t)pl->ny, P = (size_t)pl->nplace;
    for (size_t i = 0; i < ny * P; i++) pl->cost_factor[i] = 1.0;
    memset(pl->frozen, 0, (size_t)pl->fz_n * P);
    for (size_t i = 0; i < ny * (size_t)pl->nfund; i++) pl->fund_adj[i] = 0.0;
    for (size_t i = 0; i < ny * (size_t)pl->nspend; i++) pl->spend_adj[i] = 0.0;
    iv_fold_money(s, val, ivs, pl);
    plan_money(s, val, pl);
    plan_memo_invalidate(pl); /* the action states of the last compile no longer stand */
}

int plan_compile_money(const scenario *s, const double *val, const ivstate *ivs, plan *pl)
{
    if (!pl->have_last || memcmp(val, pl->last_val, pl->nval * sizeof(double)) != 0)
        return plan_compile(s, val, ivs, pl);
    recompile_money(s, val, ivs, pl);
    return HNB_OK;
}

int plan_compile_money_known(const scenario *s, const double *val, const ivstate *ivs, plan *pl)
{
    if (!pl->have_last) return plan_compile(s, val, ivs, pl);
    recompile_money(s, val, ivs, pl);
    return HNB_OK;
}

/* unit_cost [ny][nplace], spend_adj [ny][nspend], spend_other [ny][nother],
 * fund [ny][nfund], one after the other */
size_t plan_money_size(const plan *pl)
{
    return (size_t)pl->ny * ((size_t)pl->nplace + (size_t)pl->nspend + (size_t)pl->nother + (size_t)pl->nfund);
}

/* The tables plan_money_size counts, and how many doubles each. */
static void money_tables(const plan *pl, double **t, size_t *n)
{
    const size_t ny = (size_t)pl->ny;
    t[0] = pl->unit_cost, n[0] = ny * (size_t)pl->nplace;
    t[1] = pl->spend_adj, n[1] = ny * (size_t)pl->nspend;
    t[2] = pl->spend_other, n[2] = ny * (size_t)pl->nother;
    t[3] = pl->fund, n[3] = ny * (size_t)pl->nfund;
}

void plan_money_save(const plan *pl, double *to)
{
    double *t[4];
    size_t n[4];
    money_tables(pl, t, n);
    for (size_t i = 0; i < 4; to += n[i], i++) memcpy(to, t[i], n[i] * sizeof(double));
}
