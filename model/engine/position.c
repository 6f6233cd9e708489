/* position.c: the DSG position of financial year k, from the spend and
 * funding money.c has put in the projection (docs/methodology.md, "The DSG
 * position" and "The funding regime").
 *
 * In this order:
 *  1. Individual Support Plans (reform.c) are costed on their spend line:
 *     (5/12 I_t + 7/12 I_t+1) x £ per ISP per year.
 *  2. The post-override regime adds funding R from its start date, pro rata
 *     over the part of the year it covers (fraction f):
 *       accrue           R = 0: the council keeps accruing deficits;
 *       central in full  R = f (S - F): the in-year gap is zero, the
 *                        cumulative frozen;
 *       follows spend    R = f (F_b + phi (S - S_b) - F), b the year before
 *                        the regime: a share phi of the growth in spend
 *                        since then is funded, funding lines no longer grow.
 *  3. The alignment to the council's own forecast of one year (a constant
 *     found by hnb_run, not a parameter): A.
 *     in_year = F + R + A - S (negative = deficit).
 *  4. Write-offs paid in the year (the one their start date falls in): a share of a deficit at an earlier 31
 *     March (the model's, accrued from a date or the whole balance, or a
 *     stated figure; only a deficit is written off): W >= 0.
 *     cumulative_gross_k = cumulative_gross_k-1 + in_year
 *     cumulative_k       = cumulative_k-1 + in_year + W  (what the council
 *                          must meet; both start from the opening balance)
 *  5. Interest: rate x the mean of the opening and closing deficit of the
 *     cumulative after write-offs.
 * position_rerun (money.h) runs steps 1 to 5 of every year, with money_year's
 * totals, from a count projection's record, for analyses that change only
 * money actions: the same operations in the same order, without the spend
 * lines. */
#include <math.h>

#include "core/dates.h"
#include "engine/money.h"
#include "engine/project.h"

/* The gross cumulative position at the end of year index k (the opening
 * balance for k = -1). */
static double gross_at(const scenario *s, const double *val, const projection *out, int k)
{
    return k < 0 ? par_val(s, val, s->balance)[0] : out->cumulative_gross[k];
}

/* The deficit (positive £) a write-off takes its share of. */
static double writeoff_deficit(const scenario *s, const double *val, const intervention *iv, const projection *out)
{
    if (iv->basis == WRITEOFF_STATED) return fmax(0.0, -par_val(s, val, iv->stated)[0]);
    int kto = (int)floor(iv->deficit_at / 12.0) - 1 - s->first_fy; /* 31 March Y ends FY Y-1 */
    double from = 0.0;
    if (iv->accrued_from >= 0.0)
        from = gross_at(s, val, out, (int)floor((iv->accrued_from - 3.0) / 12.0) - 1 - s->first_fy);
    return fmax(0.0, -(gross_at(s, val, out, kto) - from));
}

static double regime_funding(const scenario *s, const double *val, int k, const projection *out)
{
    if (s->regime == REGIME_ACCRUE) return 0.0;
    int fy = s->first_fy + k;
    double f = (fy_start_months(fy + 1) - s->regime_from) / 12.0;
    if (f <= 0.0) return 0.0;
    if (f > 1.0) f = 1.0;
    double S = out->spend_total[k], F = out->fund_total[k];
    if (s->regime == REGIME_CENTRAL_FULL) return f * (S - F);
    int b = (int)floor((s->regime_from - 3.0) / 12.0) - 1 - s->first_fy; /* the year before the regime's first */
    if (b < 0) b = 0;                                                    /* the loader keeps it inside */
    double phi = par_val(s, val, s->regime_share)[0];
    return f * (out->fund_total[b] + phi * (S - out->spend_total[b]) - F);
}

void position_gather(const scenario *s, const ivstate *ivs, position_acts *a)
{
    a->nisp = a->nwo = 0;
    for (size_t i = 0; i < s->niv; i++) {
        const intervention *iv = &s->iv[i];
        if (!ivs[i].on) continue;
        if (iv->type == IV_ISP_DIVERSION && iv->isp_cost != NOPAR) a->isp[a->nisp++] = i;
        if (iv->type == IV_DEFICIT_WRITEOFF) {
            a->wo_fy[a->nwo] = (int)floor((ivs[i].start - 3.0) / 12.0);
            a->wo[a->nwo++] = i;
        }
    }
}

/* Steps 1 to 5 for year k; `lines` 0 leaves the spend lines as they are
 * (only the totals and the position are wanted: position_rerun). */
static void position_of(const scenario *s, const double *val, const position_acts *a, int k, double isp0, double isp1,
                        int lines, projection *out)
{
    int fy = s->first_fy + k;
    double *spend = out->spend + (size_t)k * (size_t)out->nspend;
    for (size_t j = 0; j < a->nisp; j++) {
        const intervention *iv = &s->iv[a->isp[j]];
        double x = (5.0 / 12.0 * isp0 + 7.0 / 12.0 * isp1) * par_val(s, val, iv->isp_cost)[0];
        if (lines) spend[iv->line] += x;
        out->spend_total[k] += x;
    }
    out->regime[k] = regime_funding(s, val, k, out);
    out->alignment[k] = s->anchor_align && fy == s->anchor_fy ? s->anchor_adjust : 0.0;
    out->in_year[k] = out->fund_total[k] + out->regime[k] + out->alignment[k] - out->spend_total[k];
    out->cumulative_gross[k] = gross_at(s, val, out, k - 1) + out->in_year[k];
    double w = 0.0;
    for (size_t j = 0; j < a->nwo; j++) {
        const intervention *iv = &s->iv[a->wo[j]];
        if (a->wo_fy[j] == fy) w += par_val(s, val, iv->size)[0] * writeoff_deficit(s, val, iv, out);
    }
    out->writeoff[k] = w;
    double open = k ? out->cumulative[k - 1] : par_val(s, val, s->balance)[0];
    out->cumulative[k] = open + out->in_year[k] + w;
    double avg = -(open + out->cumulative[k]) / 2.0;
    out->interest[k] = avg > 0.0 ? par_val(s, val, s->interest)[0] * avg : 0.0;
}

void position_year(const scenario *s, const double *val, const ivstate *ivs, int k, double isp0, double isp1,
                   projection *out)
{
    size_t isp[s->niv + 1], wo[s->niv + 1];
    int wo_fy[s->niv + 1];
    position_acts a = {0, 0, isp, wo, wo_fy};
    position_gather(s, ivs, &a);
    position_of(s, val, &a, k, isp0, isp1, 1, out);
}

void position_step(const scenario *s, const double *val, const position_acts *a, int k, double isp0, double isp1,
                   projection *out)
{
    position_of(s, val, a, k, isp0, isp1, 1, out);
}

/* position_of for every year with money_year's totals, the same operations
 * in the same order, with what does not change from year to year looked up
 * once: attribution runs it thousands of times. */
int position_rerun(const plan *pl, const double *tables, const double *record, const double *mix, projection *out)
{
    const scenario *s = pl->s;
    const double *val = pl->val;
    const size_t P = (size_t)pl->nplace, O = (size_t)pl->nother, F = (size_t)pl->nfund, S = (size_t)pl->nspend;
    size_t isp[s->niv + 1], wo[s->niv + 1];
    int wo_fy[s->niv + 1];
    position_acts a = {0, 0, isp, wo, wo_fy};
    position_gather(s, pl->ivs, &a);
    double isp_cost[a.nisp + 1];
    for (size_t j = 0; j < a.nisp; j++) isp_cost[j] = par_val(s, val, s->iv[a.isp[j]].isp_cost)[0];
    const double *isps = record + (size_t)(out->ny + 1) * P;
    const int ny = out->ny, align_k = s->anchor_align ? s->anchor_fy - s->first_fy : -1;
    const double balance = par_val(s, val, s->balance)[0], rate = par_val(s, val, s->interest)[0];
    const double *uc = tables ? tables : pl->unit_cost, *adj = tables ? uc + (size_t)ny * P : pl->spend_adj;
    const double *other = tables ? adj + (size_t)ny * S : pl->spend_other,
                 *fund = tables ? other + (size_t)ny * O : pl->fund;
    double gross = balance, open = balance;
    for (int k = 0; k < ny; k++, mix += P, uc += P, adj += S, other += O, fund += F) {
        /* money_year's totals: the same sums in the same order */
        double st = 0.0, ft = 0.0;
        for (size_t p = 0; p < P; p++) st += mix[p] * uc[p] - adj[p];
        for (size_t o = 0; o < O; o++) st += other[o];
        for (size_t l = 0; l < F; l++) ft += fund[l];
        /* position_of, step by step */
        const double isp0 = k ? isps[k - 1] : 0.0, isp1 = isps[k];
        for (size_t j = 0; j < a.nisp; j++) st += (5.0 / 12.0 * isp0 + 7.0 / 12.0 * isp1) * isp_cost[j];
        out->spend_total[k] = st;
        out->fund_total[k] = ft;
        const double regime = s->regime == REGIME_ACCRUE ? 0.0 : regime_funding(s, val, k, out);
        const double align = k == align_k ? s->anchor_adjust : 0.0;
        const double in_year = ft + regime + align - st;
        out->regime[k] = regime;
        out->alignment[k] = align;
        out->in_year[k] = in_year;
        gross = gross + in_year;
        out->cumulative_gross[k] = gross;
        double w = 0.0;
        for (size_t j = 0; j < a.nwo; j++) {
            const intervention *iv = &s->iv[a.wo[j]];
            if (a.wo_fy[j] == s->first_fy + k) w += par_val(s, val, iv->size)[0] * writeoff_deficit(s, val, iv, out);
        }
        out->writeoff[k] = w;
        const double cum = open + in_year + w;
        out->cumulative[k] = cum;
        double avg = -(open + cum) / 2.0;
        out->interest[k] = avg > 0.0 ? rate * avg : 0.0;
        open = cum;
    }
    for (int k = 0; k < ny; k++)
        if (!isfinite(out->cumulative[k]) || !isfinite(out->spend_total[k])) return HNB_E_NUMERIC;
    return HNB_OK;
}
