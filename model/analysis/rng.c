/* rng.c: counter-based streams (rng.h).
 *
 * A stream is Random123's Philox4x32-10 keyed by the seed, with the counter
 * (path, factor, block): exactly the stream of Random123's gsl_microrng.h
 * wrapper (GSL_MICRORNG(name, philox4x32)), which hnbsim used before, and
 * the same 32-bit words in the same order: block n gives v[3], v[2], v[1],
 * v[0]. What differs is the cost: the micro-generator computes one block
 * every fourth call and runs the key schedule for each; here a call that
 * finds the buffer empty computes RNG_BLOCKS blocks side by side (one key
 * schedule, loops the compiler can keep in registers), so count noise, which
 * draws thousands of words a path, pays a fraction of the per-word cost.
 * tests/test_montecarlo.c checks the words against the micro-generator's.
 *
 * rng_uniform_at computes the first uniform of a stream straight from one
 * Philox block, without a generator: the same number as rng_start then
 * rng_uniform, for the many factors that draw once. The generator type is
 * the only file-scope object here, and it is constant. */
#include "analysis/rng.h"

#include <Random123/philox.h>
#include <string.h>

#include "engine/project.h"

#define RNG_BLOCKS 8

/* The words (engine/project.h's noise_words: what is left, from the top of
 * buf) come first, so the engine's samplers read them inline. */
typedef struct stream_state {
    noise_words w;
    uint32_t ctr[3]; /* path (low, high), factor */
    uint32_t key[2]; /* seed (low, high) */
    uint32_t block;  /* the next block to compute */
} stream_state;

_Static_assert(NOISE_WORDS == 4 * RNG_BLOCKS, "a refill fills the engine's word buffer");

/* Blocks block .. block + RNG_BLOCKS - 1, laid out so that buf[--left]
 * hands out block `block`'s v[3], v[2], v[1], v[0], then the next block's.
 * The loops over blocks are vectorised (GCC and clang: an AVX2 copy chosen
 * at load time where the processor has it, SSE2 otherwise); the words are
 * the same either way, integer arithmetic being exact. */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default"), optimize("tree-vectorize")))
#endif
static void
refill(stream_state *st)
{
    uint32_t c0[RNG_BLOCKS], c1[RNG_BLOCKS], c2[RNG_BLOCKS], c3[RNG_BLOCKS];
    for (int b = 0; b < RNG_BLOCKS; b++) {
        c0[b] = st->ctr[0];
        c1[b] = st->ctr[1];
        c2[b] = st->ctr[2];
        c3[b] = st->block + (uint32_t)b;
    }
    uint32_t k0 = st->key[0], k1 = st->key[1];
    for (int r = 0; r < 10; r++) {
        if (r) {
            k0 += PHILOX_W32_0;
            k1 += PHILOX_W32_1;
        }
        for (int b = 0; b < RNG_BLOCKS; b++) {
            uint64_t p0 = (uint64_t)PHILOX_M4x32_0 * c0[b], p1 = (uint64_t)PHILOX_M4x32_1 * c2[b];
            uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1[b] ^ k0, n2 = (uint32_t)(p0 >> 32) ^ c3[b] ^ k1;
            c1[b] = (uint32_t)p1;
            c3[b] = (uint32_t)p0;
            c0[b] = n0;
            c2[b] = n2;
        }
    }
    for (int b = 0; b < RNG_BLOCKS; b++) {
        uint32_t *o = st->w.buf + 4 * (RNG_BLOCKS - 1 - b);
        o[0] = c0[b];
        o[1] = c1[b];
        o[2] = c2[b];
        o[3] = c3[b];
    }
    st->block += RNG_BLOCKS;
    st->w.left = 4 * RNG_BLOCKS;
}

static void refill_words(noise_words *w) { refill((stream_state *)w); }

static unsigned long int stream_get(void *vstate)
{
    stream_state *st = vstate;
    if (st->w.left == 0) refill(st);
    return st->w.buf[--st->w.left];
}

static double stream_get_double(void *vstate) { return (double)stream_get(vstate) / 4294967296.0; }

static void stream_set(void *vstate, unsigned long int seed)
{
    (void)seed; /* streams are positioned by rng_start, never seeded */
    memset(vstate, 0, sizeof(stream_state));
    ((stream_state *)vstate)->w.refill = refill_words;
}

static const gsl_rng_type stream_type = {"hnb_philox4x32", 0xffffffffUL,      0, sizeof(stream_state), &stream_set,
                                         &stream_get,      &stream_get_double};

int rng_alloc(rng_stream *s)
{
    s->r = gsl_rng_alloc(&stream_type);
    return s->r ? 0 : -1;
}

void rng_free(rng_stream *s)
{
    gsl_rng_free(s->r);
    s->r = NULL;
}

void rng_start(rng_stream *s, uint64_t seed, uint64_t path, uint32_t factor)
{
    stream_state *st = s->r->state;
    st->ctr[0] = (uint32_t)path;
    st->ctr[1] = (uint32_t)(path >> 32);
    st->ctr[2] = factor;
    st->key[0] = (uint32_t)seed;
    st->key[1] = (uint32_t)(seed >> 32);
    st->block = 0;
    st->w.left = 0;
    st->w.refill = refill_words;
}

double rng_uniform(rng_stream *s)
{
    uint64_t a = gsl_rng_get(s->r) >> 5, b = gsl_rng_get(s->r) >> 6; /* 27 + 26 bits */
    return ((double)(a * 67108864u + b) + 0.5) / 9007199254740992.0;
}

double rng_uniform_at(uint64_t seed, uint64_t path, uint32_t factor)
{
    /* what rng_start then rng_uniform give: the stream's first block, whose
     * last word is handed out first */
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
