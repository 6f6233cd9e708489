/* rng.h: random streams that depend on (seed, path, factor) alone.
 *
 * Every uncertain factor of every Monte Carlo path draws from its own
 * counter-based stream (Random123's Philox4x32, as a GSL generator type):
 * key = the seed, counter = (path, factor, draw). A path's numbers therefore
 * do not depend on which thread runs it or how many threads there are, and
 * adding a factor leaves every other factor's draws unchanged, since a factor
 * is named by a hash of its JSON path, not by its position. */
#ifndef HNB_RNG_H
#define HNB_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

typedef struct rng_stream {
    gsl_rng *r;
} rng_stream;

int rng_alloc(rng_stream *s);
void rng_free(rng_stream *s);
/* Position the stream at the start of (seed, path, factor). */
void rng_start(rng_stream *s, uint64_t seed, uint64_t path, uint32_t factor);
/* A uniform in the open interval (0, 1) with 53 random bits. */
double rng_uniform(rng_stream *s);
/* The first uniform of (seed, path, factor): rng_start then rng_uniform, in
 * one Philox block and no generator state. */
double rng_uniform_at(uint64_t seed, uint64_t path, uint32_t factor);
/* The factor id of a name (FNV-1a, 32 bits). */
uint32_t rng_factor(const char *name);

#endif
