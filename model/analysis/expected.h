/* expected.h: the risk-weighted expected line (expected.c): the deterministic
 * projection with each action's delivery confidence applied at its mean,
 * beside the central line, which assumes every action delivered. */
#ifndef HNB_EXPECTED_H
#define HNB_EXPECTED_H

#include <stdint.h>

#include "engine/project.h"

typedef struct expected_line {
    int ny;
    double *in_year, *cumulative, *cumulative_gross, *spend, *funding, *ehcps; /* [ny], expectations */
    double at_override_end, at_override_end_gross; /* NAN if override_end is outside the horizon */
    size_t nrisk;                                  /* actions with a delivery confidence below 1 */
    size_t *risk;                                  /* [nrisk] their indices in s->iv */
    double *p;                                     /* [nrisk] their delivery confidences */
    uint64_t combos;                               /* combinations of delivered / not delivered projected */
    int sampled; /* 1: more than EXPECTED_EXACT_MAX risky actions, combinations sampled */
} expected_line;

/* Exact over every combination up to this many actions with a delivery risk
 * (2^12 = 4,096 projections); beyond, 4,096 combinations drawn. */
#define EXPECTED_EXACT_MAX 12

/* The expectation over the actions' delivery (each delivers with its stated
 * confidence, independently, as in Monte Carlo), every other assumption at
 * its stated value, count noise off. Returns 0, HNB_E_NOMEM or HNB_E_NUMERIC. */
int expected_run(const scenario *s, expected_line *out);
/* The same, the count projections shared out over `threads` threads (0 or
 * 1: one); the line does not depend on the number of threads. */
int expected_run_threads(const scenario *s, int threads, expected_line *out);
void expected_free(expected_line *e);

#endif
