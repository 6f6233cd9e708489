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
 * what the funding regime and write-offs add) is position.c's.
 * Unit costs, multipliers, line amounts and the actions' adjustments are all
 * in the plan; the age-and-need weighted count of each placement at a census
 * is tallied once (census_tally, project.c) and serves the two financial
 * years the census falls between. money_mix takes the 5/12 + 7/12 mix of
 * a recorded projection once, for the money runs that reuse its counts
 * (money.h, position_rerun). */
#include "engine/money.h"
#include "engine/project.h"

void money_year(const plan *pl, int k, const double *w0, const double *w1, projection *out)
{
    const int P = pl->nplace, S = out->nspend, F = out->nfund, O = pl->nother;
    double *spend = out->spend + (size_t)k * (size_t)S, *fund = out->fund + (size_t)k * (size_t)F;
    const double *uc = pl->unit_cost + (size_t)k * (size_t)P, *adj = pl->spend_adj + (size_t)k * (size_t)pl->nspend;
    double st = 0.0, ft = 0.0;
    for (int p = 0; p < P; p++) {
        double a0 = w0[p], a1 = w1[p];
        out->unit_cost[(size_t)k * (size_t)P + (size_t)p] = uc[p];
        double x = (5.0 / 12.0 * a0 + 7.0 / 12.0 * a1) * uc[p];
        spend[p] = x - adj[p];
    }
    for (int o = 0; o < O; o++) spend[P + o] = pl->spend_other[(size_t)k * (size_t)O + (size_t)o];
    for (int i = 0; i < S; i++) st += spend[i];
    for (int l = 0; l < F; l++) {
        fund[l] = pl->fund[(size_t)k * (size_t)F + (size_t)l];
        ft += fund[l];
    }
    out->spend_total[k] = st;
    out->fund_total[k] = ft;
}

void money_mix(const plan *pl, const double *record, double *mix)
{
    const size_t P = (size_t)pl->nplace;
    for (size_t k = 0; k < (size_t)pl->ny; k++) {
        const double *w0 = record + k * P, *w1 = w0 + P;
        for (size_t p = 0; p < P; p++) mix[k * P + p] = 5.0 / 12.0 * w0[p] + 7.0 / 12.0 * w1[p];
    }
}
