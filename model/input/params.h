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

typedef struct parspec {
    const char *unit;
    double lo, hi;  /* every value must lie in [lo, hi] */
    double def;     /* default value (for every element) */
    int required;   /* 1: a missing key is an error */
    int n;          /* values expected: 1 for a scalar, k for a vector of k */
    int sum_to_one; /* 1: the vector's values must sum to 1 within 1e-9 */
} parspec;

/* Register the assumption at v's child `key` (v itself if key is NULL). */
size_t par_read(loader *ld, scenario *s, const jv *v, const char *key, const parspec *spec);
/* Check the keys of an assumption object: value, unit, source, note, dist,
 * and price_base too if `priced` (unit costs). par_read checks them itself;
 * call this first where price_base is allowed (an object is checked once). */
void par_check_keys(loader *ld, const jv *v, int priced);
/* Register a value the program computed or defaulted (not in the file). */
size_t par_const(scenario *s, const char *path, const char *unit, int n, const double *x);

#endif
