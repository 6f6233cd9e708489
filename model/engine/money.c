/* money.c: spend, funding and the DSG balance of one financial year.
 *
 * Financial year t-(t+1) runs April t to March t+1: five months of the
 * academic year counted at the January census t and seven of the one counted
 * at January t+1. So a placement's spend is
 *     (5/12 x N_t + 7/12 x N_t+1) x unit cost(fy) x age and need multipliers
 * less any saving an action makes on that line. The unit cost is the stated
 * cost at its price base, uplifted each later year by the placement's
 * inflation (0 in a year an action freezes the uplift), times any change in
 * fees an action makes (pro-rated over the year from its start). Other spend
 * lines and funding lines grow from their base year, unless a year has its
 * own figure. The position of the year (in-year, cumulative, interest, and
 * what the funding regime and write-offs add) is position.c's. */
#include "engine/project.h"

double money_unit_cost(const scenario *s, const double *val, const ivstate *ivs, int p, int fy)
{
    const placement *pl = &s->place[p];
    double c = par_val(s, val, pl->unit_cost)[0];
    for (int y = pl->price_base + 1; y <= fy; y++)
        if (!iv_uplift_frozen(s, ivs, p, y)) c *= 1.0 + series_at(s, val, &pl->inflation, y);
    for (int y = fy + 1; y <= pl->price_base; y++) /* a year before the price base */
        if (!iv_uplift_frozen(s, ivs, p, y)) c /= 1.0 + series_at(s, val, &pl->inflation, y);
    return c * par_val(s, val, s->cost_scale)[0] * iv_cost_factor(s, val, ivs, p, fy);
}

/* Age-and-need weighted count in placement p at one census. */
static double weighted(const scenario *s, const double *val, const double *n, int p)
{
    const placement *pl = &s->place[p];
    double w = 0.0;
    for (int a = 0; a < s->nages; a++) {
        double m = 1.0;
        for (size_t b = 0; b < pl->ncost_bands; b++)
            if (a >= pl->cost_bands[b].lo && a <= pl->cost_bands[b].hi) m = par_val(s, val, pl->cost_bands[b].par)[0];
        for (int g = 0; g < s->nneeds; g++) w += n[cell(s, a, g, p)] * m * par_val(s, val, s->needs[g].cost_mult)[0];
    }
    return w;
}

void money_year(const scenario *s, const double *val, const ivstate *ivs, int k, const double *n0, const double *n1,
                projection *out)
{
    int fy = s->first_fy + k;
    const int P = s->nplace, S = out->nspend, F = out->nfund;
    double *spend = out->spend + (size_t)k * (size_t)S, *fund = out->fund + (size_t)k * (size_t)F;
    double st = 0.0, ft = 0.0;
    for (int p = 0; p < P; p++) {
        double uc = money_unit_cost(s, val, ivs, p, fy);
        out->unit_cost[(size_t)k * (size_t)P + (size_t)p] = uc;
        double x = (5.0 / 12.0 * weighted(s, val, n0, p) + 7.0 / 12.0 * weighted(s, val, n1, p)) * uc;
        spend[p] = x - iv_spend_saving(s, val, ivs, p, fy);
    }
    for (size_t o = 0; o < s->nother; o++)
        spend[P + (int)o] = line_amount(s, val, &s->other[o], fy) - iv_spend_saving(s, val, ivs, P + (int)o, fy);
    for (int i = 0; i < S; i++) st += spend[i];
    for (int l = 0; l < F; l++) {
        fund[l] = line_amount(s, val, &s->fund[l], fy) + iv_funding(s, val, ivs, l, fy);
        ft += fund[l];
    }
    out->spend_total[k] = st;
    out->fund_total[k] = ft;
}
