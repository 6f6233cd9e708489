/* cohort.c: leavers, ageing and moves between placements, census t to t+1.
 *
 * Stocks are expected counts by [age][need][placement]. Leavers first: at
 * census t a share c(a, p) x need multiplier of the plans at age a cease during
 * the year (plus any earlier ceasing an action brings); every plan at the last
 * age (25) ceases. The survivors are a year older at t+1. Then moves: at their
 * new age a, children in placement p move to q with probability M_a[p][q]
 * (rows sum to 1). The matrix for age a is the narrowest of the scenario's
 * move matrices whose age range holds a, so the Year 6 -> 7 (age 11) and
 * Year 11 -> 12 (age 16) transfers and the moves to FE at 16 and 19 are their
 * own matrices over a general one; an age no matrix covers does not move.
 * Children who change placement are also added to `arrive`: capacity
 * (capacity.c) admits arrivals, never evicts those already in a place.
 * Both parts conserve children exactly: what leaves is what is counted.
 *
 * The kernel reads only the plan: the share ceasing of every cell in the
 * order it is read, and per age and need group a sparse matrix (plan.h) or
 * none. An age
 * with no matrix (or the identity) is skipped; a row costs its stay share
 * and its few off-diagonal entries, never a pass over every placement. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

#include "engine/project.h"

/* ---- the samplers of count noise ------------------------------------------
 *
 * They read the stream's words inline (project.h's noise_words): a uniform is
 * word / 2^32, the number gsl_rng_uniform gives for the same word, so a draw
 * left to GSL (BTPE) takes its words from the same stream in the same order.
 * Each is exact (the distribution's own probabilities, up to rounding) and
 * its cost is bounded whatever the count: inversion only below a small mean,
 * where it takes one uniform and a few steps, and otherwise a rejection
 * method with a bounded expected number of tries. */

/* The samplers are inlined where they are called (gcc would leave the
 * larger ones out of line, a call and its spills a draw). */
#if defined(__GNUC__)
#define NOISE_INLINE static inline __attribute__((always_inline))
#else
#define NOISE_INLINE static inline
#endif

NOISE_INLINE double noise_uniform(gsl_rng *r)
{
    noise_words *nw = r->state;
    if (nw->left == 0) nw->refill(nw);
    return (double)nw->buf[--nw->left] * 0x1p-32;
}

/* With count noise: a whole number of children whose expectation is x (the
 * fraction left by need shares or proportional overflow is one child with
 * that probability), so that drawing never creates or loses children on
 * average. A whole x draws nothing. */
NOISE_INLINE double whole(gsl_rng *r, double x)
{
    /* counts are >= 0: truncation is floor, without a libm call below 2^53 */
    double n = x < 0x1p53 ? (double)(int64_t)x : floor(x);
    return n == x ? n : n + (noise_uniform(r) < x - n ? 1.0 : 0.0);
}

double cohort_whole(gsl_rng *r, double x) { return whole(r, x); }

/* q^n by squaring: at most 2 log2(n) multiplications. */
NOISE_INLINE double pow_n(double q, unsigned int n)
{
    double f = 1.0;
    while (n) {
        if (n & 1u) f *= q;
        q *= q;
        n >>= 1;
    }
    return f;
}

#define BINV_MEAN   14.0 /* inversion below this mean, as GSL's gsl_ran_binomial */
#define BINV_CUTOFF 110  /* a run of the search this long (rounding) starts again */

/* Binomial(n, p) by inversion: the probabilities f(k) from f(0) = q^n by
 * f(k+1) = f(k) (n - k) / (k + 1) p / q, subtracted from one uniform until it
 * falls inside one (the steps GSL's inversion takes, with one uniform per
 * draw). Expected steps: the mean + 1, under 15. p <= 1/2 by symmetry. */
NOISE_INLINE unsigned int binomial(gsl_rng *r, double p, unsigned int n)
{
    if (n == 0 || p <= 0.0) return 0;
    if (p >= 1.0) return n;
    int flip = p > 0.5;
    double pp = flip ? 1.0 - p : p;
    if ((double)n * pp >= BINV_MEAN) return gsl_ran_binomial(r, p, n); /* BTPE: bounded cost */
    double q = 1.0 - pp, s = pp / q, f0 = pow_n(q, n);
    double a = (double)(n + 1u) * s;
    for (;;) {
        double u = noise_uniform(r), f = f0;
        for (unsigned int k = 0; k <= BINV_CUTOFF; k++) {
            if (u < f) return flip ? n - k : k;
            u -= f;
            f *= a / (double)(k + 1u) - s;
        }
    }
}

unsigned int cohort_binomial(gsl_rng *r, double p, unsigned int n) { return binomial(r, p, n); }

#define PINV_MEAN 10.0

unsigned int cohort_poisson(gsl_rng *r, double mu)
{
    if (!(mu > 0.0)) return 0;
    if (mu < PINV_MEAN) { /* inversion from f(0) = e^-mu, f(k+1) = f(k) mu / (k + 1) */
        double f0 = exp(-mu);
        for (;;) {
            double u = noise_uniform(r), f = f0;
            for (unsigned int k = 0; k <= 200; k++) {
                if (u < f) return k;
                u -= f;
                f *= mu / (double)(k + 1u);
            }
        }
    }
    /* PTRS: W. Hormann, "The transformed rejection method for generating
     * Poisson random variables", Insurance: Mathematics and Economics 12
     * (1993); about 1.1 tries a draw, most accepted by the squeeze without a
     * logarithm */
    const double slam = sqrt(mu), loglam = log(mu), b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b,
                 invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        double U = noise_uniform(r) - 0.5, V = noise_uniform(r), us = 0.5 - fabs(U);
        double k = floor((2.0 * a / us + b) * U + mu + 0.43);
        if (us >= 0.07 && V <= vr) return (unsigned int)k;
        if (k < 0.0 || (us < 0.013 && V > us)) continue;
        if (V > 0.0 && log(V) + log(invalpha) - log(a / (us * us) + b) <= -mu + k * loglam - lgamma(k + 1.0))
            return (unsigned int)k;
    }
}

/* One nonempty cell's leavers: its x rounded to whole children, each
 * ceasing with probability cc (a single child: one uniform against cc, the
 * same Bernoulli the binomial would draw, without q^n and p / q); the
 * survivors go to *to. */
NOISE_INLINE double leave_cell(gsl_rng *r, double x0, double cc, double *to, double *surv)
{
    double x = whole(r, x0);
    double out = x == 1.0 ? (noise_uniform(r) < cc ? 1.0 : 0.0) : (double)binomial(r, cc, (unsigned int)x);
    *to = x - out;
    *surv += x - out;
    return out;
}

/* With count noise: whole children, each ceasing with probability cc. An
 * empty cell draws nothing, and neither do the last age's (all cease).
 * Cells are drawn in the order of cease0 ([age][placement][need]); an
 * empty cell costs a test and a store. The counts are whole, so
 * the sums (leavers, survivors) are exact in any order. */
static double leave_noise(const plan *pl, int k, const double *now, double *next, double *survivors, workspace *w)
{
    const int A = pl->nages, G = pl->nneeds, P = pl->nplace;
    const size_t GP = (size_t)G * (size_t)P;
    const double *c0 = pl->cease0 + (size_t)k * pl->cease_stride; /* [age][placement][need] */
    const double *keep = pl->cease_keep + (size_t)k * (size_t)A;
    gsl_rng *r = w->noise;
    double leavers = 0.0, surv = 0.0;
    memset(next, 0, GP * sizeof(double)); /* age 0: nobody survives into it */
    for (int a = 0; a + 1 < A; a++) {
        const double *x0 = now + (size_t)a * GP, *c = c0 + (size_t)a * GP;
        double *to = next + (size_t)(a + 1) * GP;
        const double kp = keep[a];
        if (G == 1) {
            for (int p = 0; p < P; p++)
                if (x0[p] == 0.0)
                    to[p] = 0.0;
                else
                    leavers += leave_cell(r, x0[p], 1.0 - (1.0 - c[p]) * kp, to + p, &surv);
            continue;
        }
        for (int p = 0; p < P; p++)
            for (int n = 0; n < G; n++, c++) {
                size_t i = (size_t)n * (size_t)P + (size_t)p;
                if (x0[i] == 0.0)
                    to[i] = 0.0;
                else
                    leavers += leave_cell(r, x0[i], 1.0 - (1.0 - *c) * kp, to + i, &surv);
            }
    }
    const double *x0 = now + (size_t)(A - 1) * GP;
    for (int p = 0; p < P; p++)
        for (int n = 0; n < G; n++) {
            double x = x0[(size_t)n * (size_t)P + (size_t)p];
            if (x != 0.0) leavers += whole(r, x);
        }
    *survivors = surv;
    return leavers;
}

/* One age's leavers and survivors: element-wise, so vectorised. */
static inline void leave_age(int P, const double *restrict x0, const double *restrict c, double kp, double *restrict to,
                             double *restrict out)
{
    for (int p = 0; p < P; p++) {
        const double x = x0[p], o = x * (1.0 - (1.0 - c[p]) * kp);
        out[p] = o;
        to[p] = x - o;
    }
}

/* Expected leavers of one need group: each age's shares element-wise into
 * next and the scratch `out`, then the three sums in cell order (the
 * children at the census, the leavers, the survivors: sums[0..2]), all
 * plans ceasing after the last age. */
HNB_VECTORISE static void leave_one_group(const plan *pl, const double *c0, const double *keep, const double *now,
                                          double *next, double *out, double *sums)
{
    const int A = pl->nages, P = pl->nplace;
    double total = 0.0, leavers = 0.0, surv = 0.0;
    for (int a = 0; a + 1 < A; a++) {
        const double *x0 = now + (size_t)a * (size_t)P;
        double *to = next + (size_t)(a + 1) * (size_t)P;
        leave_age(P, x0, c0 + (size_t)a * (size_t)P, keep[a], to, out);
        for (int p = 0; p < P; p++) {
            total += x0[p];
            leavers += out[p];
            surv += to[p];
        }
    }
    const double *x0 = now + (size_t)(A - 1) * (size_t)P;
    for (int p = 0; p < P; p++) {
        total += x0[p];
        leavers += x0[p];
    }
    sums[0] = total, sums[1] = leavers, sums[2] = surv;
}

double cohort_leave_and_age(const plan *pl, int k, const double *now, double *next, double *survivors, workspace *w)
{
    const int A = pl->nages, G = pl->nneeds, P = pl->nplace;
    const size_t GP = (size_t)G * (size_t)P;
    const double *c0 = pl->cease0 + (size_t)k * pl->cease_stride; /* [age][placement][need] */
    const double *keep = pl->cease_keep + (size_t)k * (size_t)A;
    double leavers = 0.0, surv = 0.0;
    w->have_total = 0;
    if (w->noise) return leave_noise(pl, k, now, next, survivors, w);
    memset(next, 0, GP * sizeof(double)); /* age 0: nobody survives into it */
    if (G == 1) {                         /* cells in the order they are counted */
        double sums[3] = {0.0, 0.0, 0.0};
        leave_one_group(pl, c0, keep, now, next, w->row, sums);
        *survivors = sums[2];
        w->total_now = sums[0];
        w->have_total = 1;
        return sums[1];
    } else {
        for (int a = 0; a < A; a++) {
            const double *x0 = now + (size_t)a * GP;
            double *to = a + 1 < A ? next + (size_t)(a + 1) * GP : NULL;
            const double kp = keep[a];
            for (int p = 0; p < P; p++)
                for (int n = 0; n < G; n++) {
                    double cc = 1.0 - (1.0 - *c0++) * kp, x = x0[(size_t)n * (size_t)P + (size_t)p];
                    if (!to) cc = 1.0; /* all plans cease after the last age */
                    double out = x * cc;
                    leavers += out;
                    if (to) to[(size_t)n * (size_t)P + (size_t)p] = x - out;
                }
        }
    }
    /* the survivors in cell order */
    for (size_t c = GP; c < pl->cells; c++) surv += next[c];
    *survivors = surv;
    return leavers;
}

/* up to this many children, one uniform each; more draw one binomial (from
 * two children its one word is cheaper: callgrind on the 114-placement case) */
#define MOVE_EACH 1

/* M children spread over a row's off-diagonal entries (their sum `off`):
 * one uniform each for a few (at most the entries' count), else
 * conditional binomials in destination order (GSL's multinomial method),
 * the last positive entry taking whoever is left, so that no child is lost
 * to rounding. Adds the counts to `row` and `arr`. */
NOISE_INLINE void move_off(gsl_rng *r, const int *d, const double *sh, int n, double off, unsigned int M, double *row,
                           double *arr)
{
    int last = -1;
    for (int e = 0; e < n; e++)
        if (sh[e] > 0.0) last = e;
    if (last < 0) return; /* unreachable: off > 0 */
    if (M <= (unsigned int)n) {
        for (unsigned int i = 0; i < M; i++) {
            double u = noise_uniform(r) * off;
            int e = 0;
            for (; e < last; e++) {
                if (!(sh[e] > 0.0)) continue;
                if (u < sh[e]) break;
                u -= sh[e];
            }
            row[d[e]] += 1.0;
            arr[d[e]] += 1.0;
        }
        return;
    }
    double sum_p = 0.0;
    for (int e = 0; e < last && M > 0; e++) {
        if (!(sh[e] > 0.0)) continue;
        unsigned int got = binomial(r, sh[e] / (off - sum_p), M);
        M -= got;
        row[d[e]] += (double)got;
        arr[d[e]] += (double)got;
        sum_p += sh[e];
    }
    row[d[last]] += (double)M;
    arr[d[last]] += (double)M;
}

/* One row's N children spread over its destinations multinomially, the
 * stay first: a lone child (up to MOVE_EACH) draws one uniform, compared
 * with the stay share; more draw how many move, one binomial (their share (norm - stay)
 * / norm, usually small: inversion, bounded cost), and only the movers are
 * spread over the off-diagonal entries (move_off). The same multinomial
 * either way: who stays is a binomial, and the movers are spread in
 * proportion to the off-diagonal shares. Adds the counts to `row` and
 * (movers) `arr`. */
NOISE_INLINE void move_row_noise(gsl_rng *r, const int *d, const double *sh, int n, double stay, double norm, int p,
                                 unsigned int N, double *row, double *arr)
{
    if (N == 0) return;
    stay = stay > 0.0 ? stay : 0.0;
    const double off = norm - stay;
    if (!(off > 0.0)) { /* nobody moves */
        row[p] += (double)N;
        return;
    }
    if (N <= MOVE_EACH) {
        unsigned int movers = 0;
        for (unsigned int i = 0; i < N; i++) movers += noise_uniform(r) * norm >= stay;
        row[p] += (double)(N - movers);
        if (movers) move_off(r, d, sh, n, off, movers, row, arr);
        return;
    }
    unsigned int movers = binomial(r, off / norm, N);
    row[p] += (double)(N - movers);
    if (movers) move_off(r, d, sh, n, off, movers, row, arr);
}

void cohort_move_row(gsl_rng *r, const int *dest, const double *share, int n, double stay, double norm, int p,
                     unsigned int N, double *row, double *arr)
{
    move_row_noise(r, dest, share, n, stay, norm, p, N, row, arr);
}

void cohort_move(const plan *pl, int k, double *next, double *arrive, workspace *w)
{
    const int A = pl->nages, G = pl->nneeds, P = pl->nplace;
    const size_t GP = (size_t)G * (size_t)P;
    const int *move_of = pl->move_of + (size_t)k * (size_t)A * (size_t)G; /* [age][need] */
    gsl_rng *r = w->noise;
    double *restrict row = w->row;
    memset(arrive, 0, pl->cells * sizeof(double));
    for (int a = 0; a < A; a++) {
        for (int n = 0; n < G; n++) {
            const int m = move_of[(size_t)a * (size_t)G + (size_t)n];
            if (m < 0) continue; /* nobody of this group moves at this age */
            const plan_row *rows = pl->rows + (size_t)m * (size_t)P;
            double *restrict x = next + (size_t)a * GP + (size_t)n * (size_t)P;
            double *restrict arr = arrive + (size_t)a * GP + (size_t)n * (size_t)P;
            for (int q = 0; q < P; q++) row[q] = 0.0;
            for (int p = 0; p < P; p++) {
                const double xp = x[p];
                if (xp == 0.0) continue;
                const plan_row *rw = &rows[p];
                if (r) { /* whole children spread multinomially over destinations */
                    if (rw->n == 0)
                        row[p] += whole(r, xp); /* an identity row: everyone stays, nothing to draw */
                    else
                        move_row_noise(r, pl->dest + rw->first, pl->share + rw->first, rw->n, rw->stay, rw->norm, p,
                                       (unsigned int)whole(r, xp), row, arr);
                    continue;
                }
                row[p] += xp * rw->stay;
                const int *restrict d = pl->dest + rw->first;
                const double *restrict sh = pl->share + rw->first;
                for (int e = 0; e < rw->n; e++) {
                    double f = xp * sh[e];
                    row[d[e]] += f;
                    arr[d[e]] += f;
                }
            }
            memcpy(x, row, (size_t)P * sizeof(double));
        }
    }
}
