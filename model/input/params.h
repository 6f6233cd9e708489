/* params.h: registering assumptions in a scenario's parameter table.
 *
 * An assumption in a file is a number, an array of numbers, or an object
 *   { "value": <number or array>, "unit": "...", "source": "...", "note": "...",
 *     "dist": { "type": "pert", "min": .., "mode": .., "max": .. } }
 * par_read registers it (path, unit, source, range) and returns its index; a
 * missing optional assumption is registered with its default and marked as
 * not from the file. Problems are recorded in the loader and the value is
 * replaced by the default, so loading carries on and reports everything. */
#ifndef HNB_PARAMS_H
#define HNB_PARAMS_H

#include "input/jview.h"
#include "core/scenario.h"

/* What an assumption is, for the plausibility checks (plausible.c). */
enum plaus_kind {
    PLAUS_NONE,
    PLAUS_RATE,       /* growth or inflation per year: -25% to 30% */
    PLAUS_UNIT_COST,  /* £ per EHCP per year: £1,000 to £250,000 */
    PLAUS_ALLOCATION, /* a funding line, £ per year: 0 or at least £100,000 */
    PLAUS_SPEND_LINE, /* another spend line, £ per year: 0 or at least £1,000 */
    PLAUS_BALANCE,    /* a balance, £: 0 or at least £10,000 either way */
    PLAUS_COST_SCALE, /* a multiplier of unit costs: 0.5 to 2.5 */
    PLAUS_INTEREST,   /* interest per year: 0 to 15% */
    PLAUS_ISP_COST,   /* £ per Individual Support Plan per year: £100 to £50,000 */
    PLAUS_N
};

typedef struct parspec {
    const char *unit;
    double lo, hi;         /* every value must lie in [lo, hi] */
    double def;            /* default value (for every element) */
    int required;          /* 1: a missing key is an error */
    int n;                 /* values expected: 1 for a scalar, k for a vector of k */
    int sum_to_one;        /* 1: the vector's values must sum to 1 within 1e-9 */
    enum plaus_kind plaus; /* the plausible range beside [lo, hi]; PLAUS_NONE: none */
} parspec;

/* Register the assumption at v's child `key` (v itself if key is NULL). */
size_t par_read(loader *ld, scenario *s, const jv *v, const char *key, const parspec *spec);
/* Check the keys of an assumption object: value, unit, source, note, dist,
 * and price_base too if `priced` (unit costs). par_read checks them itself;
 * call this first where price_base is allowed (an object is checked once). */
void par_check_keys(loader *ld, const jv *v, int priced);
/* plausible.c: report y if it is outside the plausible range of its kind,
 * with what it probably meant; 1 if reported. */
int plaus_check(loader *ld, const jv *at, enum plaus_kind kind, double y, const char *unit);
/* Report a distribution whose centre is far from the assumption's value or
 * whose support leaves the values it may take; 1 if reported. */
int plaus_dist(loader *ld, const jv *at, const param *p, double value);
/* 1 if y is outside the plausible range of kind (a fitted value, say), with
 * the range as people write it in why ("£1,000 to £250,000"); 0 if inside
 * or the kind has none. */
int plaus_outside(int kind, double y, char *why, size_t n);
/* Money as people write it (£62,000, £19.5m). */
void plaus_money(double x, char *buf, size_t n);
/* Register a value the program computed or defaulted (not in the file). */
size_t par_const(scenario *s, const char *path, const char *unit, int n, const double *x);

#endif
