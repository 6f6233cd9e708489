/* rng.c: counter-based streams (rng.h).
 *
 * A stream is Random123's Philox4x32-10 keyed by the seed, with the counter
 * (path, factor, block): exactly the stream of Random123's gsl_microrng.h
 * wrapper (GSL_MICRORNG(name, philox4x32)), which hnbsim used before, and
 * the same 32-bit words in the same order: block n gives v[3], v[2], v[1],
 * v[0]. What differs is the cost: the micro-generator computes one block
 * every fourth call and runs the key schedule for each; here a call that
 * finds the buffer empty computes RNG_BLOCKS blocks side by side (one key
 * schedule), so count noise, which draws thousands of words a path, pays a
 * fraction of the per-word cost. On x86-64 processors with AVX2 (checked at
 * run time) the 8 blocks run in the 8 32-bit lanes of AVX2 registers
 * (refill_avx2: about 9 instructions a word, against 19 for the portable
 * loop); the words are the same, integer arithmetic being exact.
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
 * Portable C (the compiler may vectorise it); refill_avx2 below gives the
 * same words, integer arithmetic being exact. */
static void refill(stream_state *st)
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

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#include <immintrin.h>
#define RNG_HAVE_AVX2 1

/* The 8 lanes' 32 x 32 -> 64-bit products by m, as low and high words:
 * vpmuludq multiplies the even lanes, so the odd ones are shifted down
 * first and the halves blended back. */
__attribute__((target("avx2"))) static inline void mulhilo8(__m256i x, __m256i m, __m256i *lo, __m256i *hi)
{
    __m256i even = _mm256_mul_epu32(x, m), odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);
    *lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
    *hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

/* refill, the 8 blocks in the 8 lanes of AVX2 registers (one lane a block):
 * the same words in the same places, about a third of the instructions. */
__attribute__((target("avx2"))) static void refill_avx2(stream_state *st)
{
    _Static_assert(RNG_BLOCKS == 8, "one block a 32-bit lane of a 256-bit register");
    __m256i c0 = _mm256_set1_epi32((int)st->ctr[0]), c1 = _mm256_set1_epi32((int)st->ctr[1]),
            c2 = _mm256_set1_epi32((int)st->ctr[2]),
            c3 = _mm256_add_epi32(_mm256_set1_epi32((int)st->block), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    const __m256i m0 = _mm256_set1_epi64x(PHILOX_M4x32_0), m1 = _mm256_set1_epi64x(PHILOX_M4x32_1);
    uint32_t k0 = st->key[0], k1 = st->key[1];
    for (int r = 0; r < 10; r++) {
        if (r) {
            k0 += PHILOX_W32_0;
            k1 += PHILOX_W32_1;
        }
        __m256i lo0, hi0, lo1, hi1;
        mulhilo8(c0, m0, &lo0, &hi0);
        mulhilo8(c2, m1, &lo1, &hi1);
        c0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32((int)k0));
        c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32((int)k1));
        c1 = lo1;
        c3 = lo0;
    }
    /* transpose: u_j holds blocks j and j + 4 as (v[0], v[1], v[2], v[3]) */
    __m256i t0 = _mm256_unpacklo_epi32(c0, c1), t1 = _mm256_unpackhi_epi32(c0, c1), t2 = _mm256_unpacklo_epi32(c2, c3),
            t3 = _mm256_unpackhi_epi32(c2, c3);
    __m256i u[4] = {_mm256_unpacklo_epi64(t0, t2), _mm256_unpackhi_epi64(t0, t2), _mm256_unpacklo_epi64(t1, t3),
                    _mm256_unpackhi_epi64(t1, t3)};
    for (int j = 0; j < 4; j++) {
        _mm_storeu_si128((__m128i *)(void *)(st->w.buf + 4 * (RNG_BLOCKS - 1 - j)), _mm256_castsi256_si128(u[j]));
        _mm_storeu_si128((__m128i *)(void *)(st->w.buf + 4 * (RNG_BLOCKS - 5 - j)), _mm256_extracti128_si256(u[j], 1));
    }
    st->block += RNG_BLOCKS;
    st->w.left = 4 * RNG_BLOCKS;
}
#endif

/* refill_avx2 where the processor has AVX2, else refill: the same words. */
static void refill_any(stream_state *st)
{
#ifdef RNG_HAVE_AVX2
    if (__builtin_cpu_supports("avx2")) {
        refill_avx2(st);
        return;
    }
#endif
    refill(st);
}

static void refill_words(noise_words *w) { refill((stream_state *)w); }
#ifdef RNG_HAVE_AVX2
static void refill_words_avx2(noise_words *w) { refill_avx2((stream_state *)w); }
#endif

/* The refill the engine's samplers call: chosen once per stream start. */
static void (*pick_refill(void))(noise_words *)
{
#ifdef RNG_HAVE_AVX2
    if (__builtin_cpu_supports("avx2")) return refill_words_avx2;
#endif
    return refill_words;
}

static unsigned long int stream_get(void *vstate)
{
    stream_state *st = vstate;
    if (st->w.left == 0) refill_any(st);
    return st->w.buf[--st->w.left];
}

static double stream_get_double(void *vstate) { return (double)stream_get(vstate) / 4294967296.0; }

static void stream_set(void *vstate, unsigned long int seed)
{
    (void)seed; /* streams are positioned by rng_start, never seeded */
    memset(vstate, 0, sizeof(stream_state));
    ((stream_state *)vstate)->w.refill = pick_refill();
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
    st->w.refill = pick_refill();
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
