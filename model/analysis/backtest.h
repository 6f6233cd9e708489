/* backtest.h: the model against the published figures (backtest.c). */
#ifndef HNB_BACKTEST_H
#define HNB_BACKTEST_H

#include <cjson/cJSON.h>

#include "engine/project.h"

/* One published figure beside the model's. */
typedef struct comparison {
    char figure[16]; /* "ehcps", "in_year", "cumulative" */
    char when[8];    /* "2024" (census) or "2024-25" */
    int census, fy;  /* the one that applies; the other -1 */
    double model, actual;
    double sd; /* the weight's scale in calibration: 1% of a count, £0.5m / £1m */
} comparison;

/* Every actual the projection covers, in the scenario's order (census first).
 * Returns the number written (at most max; backtest_rows(s) is always enough). */
size_t backtest_compare(const scenario *s, const projection *p, comparison *out, size_t max);
static inline size_t backtest_rows(const scenario *s) { return s->nact_census + 2 * s->nact_fin; }
cJSON *backtest_json(const scenario *s, const comparison *c, size_t n);
void backtest_print(const scenario *s, const comparison *c, size_t n, void *file);

#endif
