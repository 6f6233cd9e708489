/* plausible.c: the mistakes finance officers actually make, caught beside the
 * hard range checks (params.h, docs/scenario-format.md "Plausibility").
 *
 * A hard range says what the model can compute (a growth rate of 9 is a
 * number); a plausible range says what an English authority's figures look
 * like (growth and inflation a few % a year, a unit cost of £1,000 to
 * £250,000 per EHCP per year, an allocation in pounds, not millions). A value
 * outside it is an error that says what it probably meant ("0.09? rates are
 * fractions: 9 would be 900% a year") and how to accept it deliberately: the
 * assumption's object form with "plausible": false. Distributions are
 * checked against their assumption: a centre far from the stated value, or a
 * support outside what the value may be, would make Monte Carlo answer a
 * different question from the deterministic run. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/numfmt.h"
#include "input/params.h"

/* The plausible range of each kind, and the unit people write it in. */
static const struct {
    double lo, hi;
} range[PLAUS_N] = {
    [PLAUS_RATE] = {-0.25, 0.30},        [PLAUS_UNIT_COST] = {1000.0, 250000.0}, [PLAUS_ALLOCATION] = {1e5, 1e10},
    [PLAUS_SPEND_LINE] = {1000.0, 1e10}, [PLAUS_BALANCE] = {1e4, 1e10},          [PLAUS_COST_SCALE] = {0.5, 2.5},
    [PLAUS_INTEREST] = {0.0, 0.15},      [PLAUS_ISP_COST] = {100.0, 50000.0},
};

/* Money as people write it: £62,000, £19.5m, £1.2bn, with a sign. */
void plaus_money(double x, char *buf, size_t n) { num_money(x, buf, n); }

/* A rate as people write it: 9%, 0.5%, 900%. */
static void percent(double x, char *buf, size_t n) { num_percent(x, buf, n); }

int plaus_outside(int kind, double y, char *why, size_t n)
{
    if (kind <= PLAUS_NONE || kind >= PLAUS_N) return 0;
    double lo = range[kind].lo, hi = range[kind].hi, a = fabs(y);
    char l[NUM_BUF], h[NUM_BUF];
    switch ((enum plaus_kind)kind) {
    case PLAUS_RATE:
    case PLAUS_INTEREST:
        num_percent(lo, l, sizeof l);
        num_percent(hi, h, sizeof h);
        snprintf(why, n, "%s to %s a year", l, h);
        return !(y >= lo && y <= hi);
    case PLAUS_COST_SCALE: snprintf(why, n, "a multiplier from %g to %g", lo, hi); return !(y >= lo && y <= hi);
    case PLAUS_UNIT_COST:
    case PLAUS_ISP_COST:
        num_money(lo, l, sizeof l);
        num_money(hi, h, sizeof h);
        snprintf(why, n, "%s to %s", l, h);
        return y != 0.0 && !(y >= lo && y <= hi);
    default:
        num_money(lo, l, sizeof l);
        num_money(hi, h, sizeof h);
        snprintf(why, n, "0, or %s to %s in size", l, h);
        return y != 0.0 && !(a >= lo && a <= hi);
    }
}

#define ACCEPT "or \"plausible\": false in the assumption's object to accept it"

int plaus_check(loader *ld, const jv *at, enum plaus_kind kind, double y, const char *unit)
{
    if (kind == PLAUS_NONE || kind >= PLAUS_N) return 0;
    double lo = range[kind].lo, hi = range[kind].hi;
    double a = fabs(y);
    char got[48], meant[48], exp[200], lo_s[32], hi_s[32];
    switch (kind) {
    case PLAUS_RATE:
    case PLAUS_INTEREST:
        if (y >= lo && y <= hi) return 0;
        percent(y, got, sizeof got);
        percent(lo, lo_s, sizeof lo_s);
        percent(hi, hi_s, sizeof hi_s);
        snprintf(exp, sizeof exp, "a rate from %s to %s a year (%s), " ACCEPT, lo_s, hi_s, unit);
        if (a > 1.0 && y / 100.0 >= lo && y / 100.0 <= hi) {
            percent(y / 100.0, meant, sizeof meant);
            ld_err(ld, HNB_E_PLAUSIBLE, at, NULL, exp,
                   "%g would be %s a year; rates are fractions: did you mean %g (%s)?", y, got, y / 100.0, meant);
        } else {
            ld_err(ld, HNB_E_PLAUSIBLE, at, NULL, exp, "%g is %s a year, beyond what English authorities see", y, got);
        }
        return 1;
    case PLAUS_COST_SCALE:
        if (y >= lo && y <= hi) return 0;
        num_plain(y, got, sizeof got);
        snprintf(exp, sizeof exp, "a multiplier from %g to %g, " ACCEPT, lo, hi);
        ld_err(ld, HNB_E_PLAUSIBLE, at, NULL, exp, "a multiplier of %s changes every unit cost %s-fold", got, got);
        return 1;
    case PLAUS_UNIT_COST:
    case PLAUS_ISP_COST:
        if (y == 0.0 || (y >= lo && y <= hi)) return 0;
        plaus_money(y, got, sizeof got);
        plaus_money(lo, lo_s, sizeof lo_s);
        plaus_money(hi, hi_s, sizeof hi_s);
        snprintf(exp, sizeof exp, "%s to %s (%s), " ACCEPT, lo_s, hi_s, unit);
        if (y < lo && y * 1000.0 >= lo && y * 1000.0 <= hi) {
            plaus_money(y * 1000.0, meant, sizeof meant);
            ld_err(ld, HNB_E_PLAUSIBLE, at, NULL, exp,
                   "%g would be %s a year; amounts are in £, not £ thousands: did you mean %s (%.0f)?", y, got, meant,
                   y * 1000.0);
        } else {
            ld_err(ld, HNB_E_PLAUSIBLE, at, NULL, exp, "%s is not a cost a placement has (%s)", got, unit);
        }
        return 1;
    case PLAUS_ALLOCATION:
    case PLAUS_SPEND_LINE:
    case PLAUS_BALANCE:
        if (y == 0.0 || (a >= lo && a <= hi)) return 0;
        plaus_money(y, got, sizeof got);
        plaus_money(lo, lo_s, sizeof lo_s);
        snprintf(exp, sizeof exp, "0, or at least %s in size (%s), " ACCEPT, lo_s, unit);
        /* a spend line of 300 is more likely £300k than £300m, one of 1.5 £1.5m */
        int thousands_first = kind == PLAUS_SPEND_LINE && a >= 10.0 && a * 1000.0 >= lo;
        if (a < lo && !thousands_first && a * 1e6 >= lo && a * 1e6 <= hi) {
            plaus_money(y * 1e6, meant, sizeof meant);
            ld_err(ld, HNB_E_PLAUSIBLE, at, NULL, exp,
                   "%g would be %s; amounts are in £, not £ millions: did you mean %s (%.0f)?", y, got, meant, y * 1e6);
        } else if (a < lo && a * 1000.0 >= lo) {
            plaus_money(y * 1000.0, meant, sizeof meant);
            ld_err(ld, HNB_E_PLAUSIBLE, at, NULL, exp,
                   "%g would be %s; amounts are in £, not £ thousands: did you mean %s (%.0f)?", y, got, meant,
                   y * 1000.0);
        } else {
            ld_err(ld, HNB_E_PLAUSIBLE, at, NULL, exp, "%s is not a plausible amount for this line", got);
        }
        return 1;
    default: return 0;
    }
}

int plaus_dist(loader *ld, const jv *at, const param *p, double value)
{
    char exp[240], a[NUM_BUF], b[NUM_BUF], c[NUM_BUF], v[NUM_BUF];
    num_unit(value, p->unit, v, sizeof v);
    switch (p->dist) {
    case DIST_NORMAL:
    case DIST_LOGNORMAL: {
        double mean = p->d[0], sd = p->d[1];
        num_unit(mean, p->unit, a, sizeof a);
        if (!(mean >= p->lo && mean <= p->hi)) {
            num_unit(p->lo, p->unit, b, sizeof b);
            num_unit(p->hi, p->unit, c, sizeof c);
            snprintf(exp, sizeof exp, "a mean from %s to %s, the values the assumption may take, " ACCEPT, b, c);
            ld_err(ld, HNB_E_PLAUSIBLE, at, "mean", exp,
                   "the distribution's mean %s lies outside the assumption's range", a);
            return 1;
        }
        double tol = 3.0 * sd + 1e-9 * fmax(1.0, fabs(value));
        if (fabs(mean - value) > tol) {
            num_unit(3.0 * sd, p->unit, b, sizeof b);
            snprintf(exp, sizeof exp, "a mean within 3 sd (%s) of the value %s, " ACCEPT, b, v);
            ld_err(ld, HNB_E_PLAUSIBLE, at, "mean", exp,
                   "the distribution is centred on %s, far from the assumption's value %s: Monte Carlo would answer "
                   "another question than the central forecast",
                   a, v);
            return 1;
        }
        return 0;
    }
    case DIST_TRIANGULAR:
    case DIST_PERT:
    case DIST_UNIFORM:
        if (value < p->d[0] || value > p->d[2]) {
            num_unit(p->d[0], p->unit, a, sizeof a);
            num_unit(p->d[2], p->unit, b, sizeof b);
            snprintf(exp, sizeof exp, "min <= %s <= max (the assumption's value inside its range), " ACCEPT, v);
            ld_err(ld, HNB_E_PLAUSIBLE, at, NULL, exp,
                   "the assumption's value %s lies outside its distribution (%s to %s)", v, a, b);
            return 1;
        }
        return 0;
    default: return 0;
    }
}
