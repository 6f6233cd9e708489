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
void plaus_money(double x, char *buf, size_t n)
{
    const char *sign = x < 0 ? "-" : "";
    double a = fabs(x);
    if (a >= 1e9)
        snprintf(buf, n, "%s£%.3gbn", sign, a / 1e9);
    else if (a >= 1e6)
        snprintf(buf, n, "%s£%.3gm", sign, a / 1e6);
    else if (a < 100.0 && a != floor(a))
        snprintf(buf, n, "%s£%.2f", sign, a);
    else {
        long long v = llround(a);
        char digits[32], out[48];
        snprintf(digits, sizeof digits, "%lld", v);
        size_t len = strlen(digits), k = 0;
        for (size_t i = 0; i < len; i++) {
            out[k++] = digits[i];
            if ((len - 1 - i) % 3 == 0 && i + 1 < len) out[k++] = ',';
        }
        out[k] = '\0';
        snprintf(buf, n, "%s£%s", sign, out);
    }
}

/* A rate as people write it: 9%, 0.5%, 900%. */
static void percent(double x, char *buf, size_t n) { snprintf(buf, n, "%.3g%%", 100.0 * x); }

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
        snprintf(exp, sizeof exp, "a multiplier from %g to %g, " ACCEPT, lo, hi);
        ld_err(ld, HNB_E_PLAUSIBLE, at, NULL, exp, "a multiplier of %g changes every unit cost %g-fold", y, y);
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
    char exp[200];
    switch (p->dist) {
    case DIST_NORMAL:
    case DIST_LOGNORMAL: {
        double mean = p->d[0], sd = p->d[1];
        if (!(mean >= p->lo && mean <= p->hi)) {
            snprintf(exp, sizeof exp, "a mean from %g to %g, the values the assumption may take, " ACCEPT, p->lo,
                     p->hi);
            ld_err(ld, HNB_E_PLAUSIBLE, at, "mean", exp,
                   "the distribution's mean %g lies outside the assumption's range", mean);
            return 1;
        }
        double tol = 3.0 * sd + 1e-9 * fmax(1.0, fabs(value));
        if (fabs(mean - value) > tol) {
            snprintf(exp, sizeof exp, "a mean within 3 sd (%g) of the value %g, " ACCEPT, 3.0 * sd, value);
            ld_err(ld, HNB_E_PLAUSIBLE, at, "mean", exp,
                   "the distribution is centred on %g, far from the assumption's value %g: Monte Carlo would answer "
                   "another question than the central forecast",
                   mean, value);
            return 1;
        }
        return 0;
    }
    case DIST_TRIANGULAR:
    case DIST_PERT:
    case DIST_UNIFORM:
        if (value < p->d[0] || value > p->d[2]) {
            snprintf(exp, sizeof exp, "min <= %g <= max (the assumption's value inside its range), " ACCEPT, value);
            ld_err(ld, HNB_E_PLAUSIBLE, at, NULL, exp,
                   "the assumption's value %g lies outside its distribution (%g to %g)", value, p->d[0], p->d[2]);
            return 1;
        }
        return 0;
    default: return 0;
    }
}
