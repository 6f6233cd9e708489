/* ratedraw.h: rate uncertainty, the leave and move rates and first-placement
 * shares drawn per Monte Carlo path from the counts they rest on
 * (ratedraw.c; docs/montecarlo.md). */
#ifndef HNB_RATEDRAW_H
#define HNB_RATEDRAW_H

#include <stdint.h>

#include "analysis/rng.h"
#include "core/scenario.h"

/* The factor id of the rate draws' stream: rng_factor("rate_counts"). */
uint32_t ratedraw_factor(void);
/* Draw every band of s->rateband into the path's values `val`: a Beta for
 * each leave rate, a Dirichlet for each set of destination shares, from the
 * counts and s->rate_prior, on the stream (seed, path, ratedraw_factor()).
 * `st` is any allocated stream; it is repositioned. Does nothing unless
 * s->rate_uncertainty. */
void ratedraw_path(const scenario *s, uint64_t seed, uint64_t path, double *val, rng_stream *st);

#endif
