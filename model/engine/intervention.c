/* intervention.c: what management-plan actions do to one step or one year.
 *
 * Each action has a start date and a ramp (months to full effect). Effects on
 * children in a census step (fewer new plans, earlier ceasing, a shifted first
 * placement) take the ramp's mean over the calendar year of the step, since
 * those events happen through the year; an effect at a moment (places at the
 * census date, moves at the September key-stage transfer) takes the ramp's
 * value then. Effects on money take the mean over the financial year, which
 * is how a part-year saving is pro-rated ("from 1 October: 6/12"). Several
 * actions of one kind combine multiplicatively, so that two 10% reductions
 * give 19%, never more than 100%; shifts of first placement act together on
 * the stated shares, so the order actions are listed in never matters.
 * See docs/methodology.md. */
#include <math.h>
#include <string.h>

#include "core/dates.h"
#include "engine/project.h"

static double size_of(const scenario *s, const double *val, const intervention *iv)
{
    return iv->size == NOPAR ? 0.0 : par_val(s, val, iv->size)[0];
}

/* Mean effect over the calendar year `calyear`. */
static double over_calyear(const intervention *iv, const ivstate *st, int calyear)
{
    return ramp_mean(st->start, iv->ramp, 12.0 * calyear, 12.0 * (calyear + 1));
}

static double over_fy(const intervention *iv, const ivstate *st, int fy)
{
    return ramp_mean(st->start, iv->ramp, fy_start_months(fy), fy_start_months(fy + 1));
}

double iv_joiner_factor(const scenario *s, const double *val, const ivstate *ivs, int calyear)
{
    double f = 1.0;
    for (size_t i = 0; i < s->niv; i++)
        if (ivs[i].on && s->iv[i].type == IV_REDUCE_JOINERS)
            f *= 1.0 - size_of(s, val, &s->iv[i]) * over_calyear(&s->iv[i], &ivs[i], calyear);
    return f;
}

static int is_shift_from(const intervention *iv, const ivstate *st, int p)
{
    return st->on && iv->type == IV_SHIFT_FIRST_PLACEMENT && iv->placement == p;
}

/* Shifts act together on the shares as stated, never on one another's
 * result, so that the order actions are listed in does not matter: from a
 * placement p with shifts of (ramped) sizes f_1..f_k, a share
 * 1 - (1 - f_1)...(1 - f_k) of p's stated share leaves, split between the
 * destinations in proportion to f_i. (Applied one after another, "NMI to
 * special" then "special to mainstream" would also move some of the children
 * the first had just sent to special, and listing them the other way round
 * would not.) */
void iv_shift_first(const scenario *s, const double *val, const ivstate *ivs, int calyear, double *shares)
{
    const int P = s->nplace;
    int any = 0;
    for (size_t i = 0; i < s->niv && !any; i++) any = is_shift_from(&s->iv[i], &ivs[i], s->iv[i].placement);
    if (!any || P <= 0) return;
    double stated[P]; /* a few placements: no allocation in the year loop */
    memcpy(stated, shares, sizeof stated);
    for (int p = 0; p < P; p++) {
        double keep = 1.0, sumf = 0.0;
        for (size_t i = 0; i < s->niv; i++)
            if (is_shift_from(&s->iv[i], &ivs[i], p)) {
                double f = size_of(s, val, &s->iv[i]) * over_calyear(&s->iv[i], &ivs[i], calyear);
                keep *= 1.0 - f;
                sumf += f;
            }
        if (sumf <= 0.0) continue;
        double out = stated[p] * (1.0 - keep);
        shares[p] -= out;
        for (size_t i = 0; i < s->niv; i++)
            if (is_shift_from(&s->iv[i], &ivs[i], p))
                shares[s->iv[i].to_placement] +=
                    out * size_of(s, val, &s->iv[i]) * over_calyear(&s->iv[i], &ivs[i], calyear) / sumf;
    }
}

double iv_extra_places(const scenario *s, const double *val, const ivstate *ivs, int p, double when)
{
    double x = 0.0;
    for (size_t i = 0; i < s->niv; i++)
        if (ivs[i].on && s->iv[i].type == IV_ADD_CAPACITY && s->iv[i].placement == p)
            x += size_of(s, val, &s->iv[i]) * ramp_at(ivs[i].start, s->iv[i].ramp, when);
    return x;
}

double iv_extra_cease(const scenario *s, const double *val, const ivstate *ivs, int age, int calyear)
{
    double stay = 1.0;
    for (size_t i = 0; i < s->niv; i++)
        if (ivs[i].on && s->iv[i].type == IV_EARLIER_CEASING && age >= s->iv[i].min_age)
            stay *= 1.0 - size_of(s, val, &s->iv[i]) * over_calyear(&s->iv[i], &ivs[i], calyear);
    return 1.0 - stay;
}

double iv_move_factor(const scenario *s, const double *val, const ivstate *ivs, int age, int to, int calyear)
{
    double f = 1.0;
    double transfer = 12.0 * calyear + 8.0; /* 1 September: the key-stage transfer */
    for (size_t i = 0; i < s->niv; i++) {
        const intervention *iv = &s->iv[i];
        if (ivs[i].on && iv->type == IV_REDUCE_MOVES && iv->to_placement == to && iv->ages && iv->ages[age])
            f *= 1.0 - size_of(s, val, iv) * ramp_at(ivs[i].start, iv->ramp, transfer);
    }
    return f;
}

double iv_cost_factor(const scenario *s, const double *val, const ivstate *ivs, int p, int fy)
{
    double f = 1.0;
    for (size_t i = 0; i < s->niv; i++)
        if (ivs[i].on && s->iv[i].type == IV_UNIT_COST && s->iv[i].placement == p)
            f *= 1.0 + size_of(s, val, &s->iv[i]) * over_fy(&s->iv[i], &ivs[i], fy);
    return f;
}

int iv_uplift_frozen(const scenario *s, const ivstate *ivs, int p, int fy)
{
    for (size_t i = 0; i < s->niv; i++)
        if (ivs[i].on && s->iv[i].type == IV_UPLIFT_FREEZE && s->iv[i].fy == fy &&
            (s->iv[i].placement < 0 || s->iv[i].placement == p))
            return 1;
    return 0;
}

/* The financial year an action's start falls in. */
static int start_fy(double start) { return (int)floor((start - 3.0) / 12.0); }

double iv_funding(const scenario *s, const double *val, const ivstate *ivs, int l, int fy)
{
    double x = 0.0;
    for (size_t i = 0; i < s->niv; i++) {
        const intervention *iv = &s->iv[i];
        if (!ivs[i].on || iv->line != l || (iv->type != IV_BLOCK_TRANSFER && iv->type != IV_DFE_CONTRIBUTION)) continue;
        int first = start_fy(ivs[i].start), last = iv->last_fy >= 0 ? iv->last_fy : first;
        if (fy >= first && fy <= last) x += size_of(s, val, iv);
    }
    return x;
}

double iv_spend_saving(const scenario *s, const double *val, const ivstate *ivs, int spendline, int fy)
{
    double x = 0.0;
    for (size_t i = 0; i < s->niv; i++) {
        const intervention *iv = &s->iv[i];
        if (!ivs[i].on) continue;
        if (iv->type == IV_SPEND_SAVING && iv->line == spendline) x += size_of(s, val, iv) * over_fy(iv, &ivs[i], fy);
        /* a running cost is paid in full from the start: no ramp */
        if (iv->cost != NOPAR && iv->cost_line == spendline)
            x -= par_val(s, val, iv->cost)[0] *
                 ramp_mean(ivs[i].start, 0.0, fy_start_months(fy), fy_start_months(fy + 1));
    }
    return x;
}
