/* plan_money.c: the money part of the compiled plan (plan.h): unit costs
 * uplifted from their price base, the spend and funding lines after the
 * actions, and the money tables that depend on values alone. plan_compile
 * (plan.c) calls plan_money_values when the values change and plan_money at
 * every compile; plan_compile_money rebuilds only the money tables, for
 * action states that differ only in actions acting on money alone
 * (attribution.c). Same invariant as the rest of the plan: every table holds
 * exactly the number money_year used to compute, by the same operations in
 * the same order. */
#include <string.h>

#include "engine/project.h"

static int frozen(const plan *pl, int p, int fy)
{
    return pl->frozen[(size_t)(fy - pl->fz_lo) * (size_t)pl->nplace + (size_t)p];
}

/* money_year: unit costs uplifted from their price base (not in a year an
 * action freezes), scaled and changed by fee actions; age and need
 * multipliers; other spend and funding lines after the actions. */
void plan_money(const scenario *s, const double *val, plan *pl)
{
    const int P = s->nplace;
    for (int k = 0; k < pl->ny; k++) {
        int fy = s->first_fy + k;
        for (int p = 0; p < P; p++) {
            const placement *q = &s->place[p];
            double c = par_val(s, val, q->unit_cost)[0];
            for (int y = q->price_base + 1; y <= fy; y++)
                if (!frozen(pl, p, y)) c *= 1.0 + series_at(s, val, &q->inflation, y);
            for (int y = fy + 1; y <= q->price_base; y++) /* a year before the price base */
                if (!frozen(pl, p, y)) c /= 1.0 + series_at(s, val, &q->inflation, y);
            pl->unit_cost[(size_t)k * (size_t)P + (size_t)p] =
                c * par_val(s, val, s->cost_scale)[0] * pl->cost_factor[(size_t)k * (size_t)P + (size_t)p];
        }
        for (int o = 0; o < pl->nother; o++)
            pl->spend_other[(size_t)k * (size_t)pl->nother + (size_t)o] =
                pl->amount_other[(size_t)k * (size_t)pl->nother + (size_t)o] -
                pl->spend_adj[(size_t)k * (size_t)pl->nspend + (size_t)(P + o)];
        for (int l = 0; l < pl->nfund; l++)
            pl->fund[(size_t)k * (size_t)pl->nfund + (size_t)l] =
                pl->amount_fund[(size_t)k * (size_t)pl->nfund + (size_t)l] +
                pl->fund_adj[(size_t)k * (size_t)pl->nfund + (size_t)l];
    }
}

/* Money that depends on values alone: line amounts before actions, the age
 * and need multipliers, the opening balance and the interest rate. */
void plan_money_values(const scenario *s, const double *val, plan *pl)
{
    const int P = s->nplace;
    for (int k = 0; k < pl->ny; k++) {
        int fy = s->first_fy + k;
        for (int o = 0; o < pl->nother; o++)
            pl->amount_other[(size_t)k * (size_t)pl->nother + (size_t)o] = line_amount(s, val, &s->other[o], fy);
        for (int l = 0; l < pl->nfund; l++)
            pl->amount_fund[(size_t)k * (size_t)pl->nfund + (size_t)l] = line_amount(s, val, &s->fund[l], fy);
    }
    for (int p = 0; p < P; p++) {
        const placement *q = &s->place[p];
        for (int a = 0; a < s->nages; a++) {
            double m = 1.0;
            for (size_t b = 0; b < q->ncost_bands; b++)
                if (a >= q->cost_bands[b].lo && a <= q->cost_bands[b].hi) m = par_val(s, val, q->cost_bands[b].par)[0];
            pl->cost_age[(size_t)a * (size_t)P + (size_t)p] = m;
        }
    }
    for (int g = 0; g < s->nneeds; g++) pl->cost_need[g] = par_val(s, val, s->needs[g].cost_mult)[0];
    pl->balance = par_val(s, val, s->balance)[0];
    pl->interest = par_val(s, val, s->interest)[0];
}

int plan_compile_money(const scenario *s, const double *val, const ivstate *ivs, plan *pl)
{
    if (!pl->have_last || memcmp(val, pl->last_val, pl->nval * sizeof(double)) != 0)
        return plan_compile(s, val, ivs, pl);
    pl->s = s;
    pl->val = val;
    pl->ivs = ivs;
    /* the money accumulators afresh; the others stand, as the actions that
     * fold into them are the same */
    const size_t ny = (size_t)pl->ny, P = (size_t)pl->nplace;
    for (size_t i = 0; i < ny * P; i++) pl->cost_factor[i] = 1.0;
    memset(pl->frozen, 0, (size_t)pl->fz_n * P);
    for (size_t i = 0; i < ny * (size_t)pl->nfund; i++) pl->fund_adj[i] = 0.0;
    for (size_t i = 0; i < ny * (size_t)pl->nspend; i++) pl->spend_adj[i] = 0.0;
    iv_fold_money(s, val, ivs, pl);
    plan_money(s, val, pl);
    return HNB_OK;
}
