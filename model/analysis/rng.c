/* rng.c: counter-based streams (rng.h). The Philox wrapper comes from
 * Random123's gsl_microrng.h (header-only, Debian librandom123-dev); the GSL
 * type it defines is the only file-scope object here, and it is constant
 * after initialisation. rng_uniform_at computes the first uniform of a
 * stream straight from one Philox block, without a generator: the same
 * number as rng_start then rng_uniform, for the many factors that draw once. */
#include "analysis/rng.h"

#include <Random123/philox.h>
#include <Random123/gsl_microrng.h>

GSL_MICRORNG(hnb_philox, philox4x32);

int rng_alloc(rng_stream *s)
{
    s->r = gsl_rng_alloc(gsl_rng_hnb_philox);
    return s->r ? 0 : -1;
}

void rng_free(rng_stream *s)
{
    gsl_rng_free(s->r);
    s->r = NULL;
}

void rng_start(rng_stream *s, uint64_t seed, uint64_t path, uint32_t factor)
{
    /* the last counter word is the micro-generator's own draw count */
    philox4x32_ctr_t c = {{(uint32_t)path, (uint32_t)(path >> 32), factor, 0}};
    philox4x32_key_t k = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
    hnb_philox_reset(s->r, c, k);
}

double rng_uniform(rng_stream *s)
{
    uint64_t a = gsl_rng_get(s->r) >> 5, b = gsl_rng_get(s->r) >> 6; /* 27 + 26 bits */
    return ((double)(a * 67108864u + b) + 0.5) / 9007199254740992.0;
}

double rng_uniform_at(uint64_t seed, uint64_t path, uint32_t factor)
{
    /* what rng_start then rng_uniform give: the stream's first block, whose
     * last word the micro-generator hands out first */
    philox4x32_ctr_t c = {{(uint32_t)path, (uint32_t)(path >> 32), factor, 0}};
    philox4x32_key_t k = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
    philox4x32_ctr_t r = philox4x32(c, k);
    uint64_t a = r.v[3] >> 5, b = r.v[2] >> 6;
    return ((double)(a * 67108864u + b) + 0.5) / 9007199254740992.0;
}

uint32_t rng_factor(const char *name)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= 16777619u;
    }
    return h;
}
