/* mcstats.c: a Monte Carlo figure's column summarised: the mean and the
 * percentiles (montecarlo.h's montecarlo_column_stats), by selection, not a
 * full sort.
 *
 * The mean is taken as x0 + the mean of (x - x0), so that a column of equal
 * values gives that value exactly. Percentiles interpolate linearly between
 * the ranks floor(p (n - 1)) and the next (the definition numpy's default
 * and R's type 7 use). select_ranks is a quickselect that places every
 * wanted rank in one recursion (median-of-three pivots, three-way split so
 * runs of equal values cost nothing), falling back to a sort past a depth
 * bound, so its cost is O(n) expected and O(n log n) at worst. The values a
 * rank holds do not depend on the algorithm, except for the sign of a zero:
 * a column holding both -0 and +0 is sorted, as it always was, so the bytes
 * of the results never depend on how the column was ordered.
 *
 * Before the selection, a column of 256 values or more is narrowed by
 * buckets (bucket_order): the pass that takes the mean also takes the least
 * and greatest value, one pass counts the values in n/8 equal buckets of
 * that range, and a second gathers only the buckets that hold a wanted
 * rank (about 14 x 8 values), on which the selection runs: the buckets of
 * the values vectorised, the least and greatest by AVX2 where the processor
 * has it, about 16 instructions a value in all, where the selection on the
 * whole column took about 90. The zeros' rule holds among the gathered values (all the zeros
 * of a column share one bucket and keep their order), and a column with a
 * NaN or an infinity (a sum that is not finite) takes the selection on the
 * whole column, as before. mcse.c's order statistics come from here too.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/montecarlo.h"
#include "analysis/mcse.h"

#define NSTAT 8 /* mean, p5, p10, p25, p50, p75, p90, p95 */

static const double pct[NSTAT - 1] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median3(double a, double b, double c)
{
    if (a > b) {
        double t = a;
        a = b;
        b = t;
    }
    return c < a ? a : c > b ? b : c;
}

/* v[lo .. hi) reordered as the values below p, then the rest; returns where
 * the rest starts. Branch-free (every step swaps, the boundary advances by
 * the comparison), so unpredictable data costs no mispredictions. */
static size_t split_below(double *v, size_t lo, size_t hi, double p)
{
    size_t i = lo;
    for (size_t k = lo; k < hi; k++) {
        double x = v[k];
        v[k] = v[i];
        v[i] = x;
        i += x < p;
    }
    return i;
}

/* The same with the values not above p first. */
static size_t split_not_above(double *v, size_t lo, size_t hi, double p)
{
    size_t i = lo;
    for (size_t k = lo; k < hi; k++) {
        double x = v[k];
        v[k] = v[i];
        v[i] = x;
        i += x <= p;
    }
    return i;
}

/* Put the order statistics want[0 .. nw) (ranks ascending, inside
 * [lo, hi)) of v in place: v[k] becomes what v[k] would be if v were sorted.
 * Quickselect on all the ranks at once around a median of three: the values
 * below the pivot, then (when the pivot's side is short, which is how runs of
 * equal values show) those equal to it, which are in place, then those above;
 * only the sides that hold a wanted rank go on. Past `depth` levels the range
 * is sorted, so the worst case is n log n. The values at the ranks are the
 * sorted ones, so the percentiles are those of a full sort, bit for bit. */
static void select_ranks(double *v, size_t lo, size_t hi, const size_t *want, size_t nw, int depth)
{
    while (nw > 0 && hi - lo > 1) {
        if (hi - lo <= 16 || depth-- == 0) {
            qsort(v + lo, hi - lo, sizeof *v, cmp_double);
            return;
        }
        double piv = median3(v[lo], v[lo + (hi - lo) / 2], v[hi - 1]);
        size_t lt = split_below(v, lo, hi, piv), gt = lt; /* [lo, lt) < piv, [lt, gt) == piv, [gt, hi) > piv */
        if (lt - lo < (hi - lo) / 8 || hi - lt < (hi - lo) / 8) gt = split_not_above(v, lt, hi, piv);
        if (gt == lo) break; /* nothing compares (NaN): leave as is */
        size_t a = 0, b;
        while (a < nw && want[a] < lt) a++;
        for (b = a; b < nw && want[b] < gt; b++) {
        }
        /* the smaller side by recursion, the larger by the loop */
        if (lt - lo < hi - gt) {
            select_ranks(v, lo, lt, want, a, depth);
            lo = gt;
            want += b;
            nw -= b;
        } else {
            select_ranks(v, gt, hi, want + b, nw - b, depth);
            hi = lt;
            nw = a;
        }
    }
}

static int select_depth(size_t n)
{
    int depth = 2;
    for (size_t m = n; m > 1; m >>= 1) depth += 2;
    return depth;
}

/* The order statistics the selection or the sort leaves at the ranks, in
 * place: a column holding both -0 and +0 sorted as it always was. */
static void order_in_place(double *v, size_t n, const size_t *want, size_t nw)
{
    int zero_signs = 0; /* bit 1: a -0, bit 2: a +0 */
    for (size_t i = 0; i < n; i++) zero_signs |= (v[i] == 0.0) << (signbit(v[i]) ? 0 : 1);
    if (zero_signs == 3)
        qsort(v, n, sizeof *v, cmp_double);
    else
        select_ranks(v, 0, n, want, nw, select_depth(n));
}

#define BUCKETS_MAX  4096
#define MAX_RANKS    16
#define BUCKET_MIN_N 256 /* below this, the selection on the whole column */

/* Each value's bucket, floor((x - mn) x scale), the greatest value's
 * (whose product may round up to top + 1) capped at top: element-wise, so
 * vectorised (the same numbers either way: one subtraction, one product). */
HNB_VECTORISE static void buckets_of(const double *v, size_t n, double mn, double scale, int top, uint16_t *b)
{
    for (size_t i = 0; i < n; i++) {
        int x = (int)((v[i] - mn) * scale);
        b[i] = (uint16_t)(x < top ? x : top);
    }
}

/* The least and greatest of v[0 .. n), n > 0 (which of two zeros does not
 * matter to the buckets). */
static void min_max_plain(const double *v, size_t n, double *lo, double *hi)
{
    double mn = v[0], mx = v[0];
    for (size_t i = 0; i < n; i++) {
        mn = v[i] < mn ? v[i] : mn;
        mx = v[i] > mx ? v[i] : mx;
    }
    *lo = mn, *hi = mx;
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define MCSTATS_AVX2 1
__attribute__((target("avx2"))) static void min_max_avx2(const double *v, size_t n, double *lo, double *hi)
{
    if (n < 8) {
        min_max_plain(v, n, lo, hi);
        return;
    }
    __m256d mn0 = _mm256_loadu_pd(v), mx0 = mn0, mn1 = _mm256_loadu_pd(v + 4), mx1 = mn1;
    size_t i = 8;
    for (; i + 8 <= n; i += 8) {
        __m256d x0 = _mm256_loadu_pd(v + i), x1 = _mm256_loadu_pd(v + i + 4);
        mn0 = _mm256_min_pd(x0, mn0), mx0 = _mm256_max_pd(x0, mx0);
        mn1 = _mm256_min_pd(x1, mn1), mx1 = _mm256_max_pd(x1, mx1);
    }
    double a[8], b[8];
    _mm256_storeu_pd(a, _mm256_min_pd(mn0, mn1));
    _mm256_storeu_pd(b, _mm256_max_pd(mx0, mx1));
    double mn = a[0], mx = b[0];
    for (int k = 1; k < 4; k++) {
        mn = a[k] < mn ? a[k] : mn;
        mx = b[k] > mx ? b[k] : mx;
    }
    for (; i < n; i++) {
        mn = v[i] < mn ? v[i] : mn;
        mx = v[i] > mx ? v[i] : mx;
    }
    *lo = mn, *hi = mx;
}
#endif

static void min_max(const double *v, size_t n, double *lo, double *hi)
{
#ifdef MCSTATS_AVX2
    if (__builtin_cpu_supports("avx2")) {
        min_max_avx2(v, n, lo, hi);
        return;
    }
#endif
    min_max_plain(v, n, lo, hi);
}

/* The order statistics at want[0 .. nw) (ascending, distinct, < n) of v
 * into out, for a column of finite values from mn to mx (mn < mx): each
 * value's bucket is floor((x - mn) x scale), a non-decreasing function of
 * x, so every value of a bucket is at most every value of the next; the
 * buckets counted tell the bucket of each wanted rank, the values of those
 * buckets are gathered to the front of v in their order in v, and the
 * selection (or, with both zeros among them, the sort) runs on those alone.
 * A bucket holds all the values equal to any of its values, so the
 * gathered values' order statistics are the column's, and their order in v
 * keeps the zeros' signs where the stable sort of the whole column put
 * them. Returns 0, or -1 if the range gives no buckets or no scratch. */
static int bucket_order(double *v, size_t n, double mn, double mx, const size_t *want, size_t nw, double *out)
{
    size_t nb = n / 8 < BUCKETS_MAX ? n / 8 : BUCKETS_MAX;
    const double scale = (double)nb / (mx - mn);
    if (!(scale > 0.0) || !isfinite(scale)) return -1;
    uint16_t *bk = malloc(n * sizeof *bk);
    if (!bk) return -1;
    buckets_of(v, n, mn, scale, (int)nb - 1, bk);
    size_t count[BUCKETS_MAX + 1];
    unsigned char mark[BUCKETS_MAX];
    memset(count, 0, (nb + 1) * sizeof *count);
    memset(mark, 0, nb);
    for (size_t i = 0; i < n; i++) count[bk[i]]++;
    /* count[b]: the values in buckets below b, then each wanted rank's bucket */
    size_t below = 0;
    for (size_t b = 0; b <= nb; b++) {
        size_t c = count[b];
        count[b] = below;
        below += c;
    }
    size_t bw[MAX_RANKS] = {0}, rank[MAX_RANKS] = {0}; /* a wanted rank's bucket, and its rank among the gathered */
    size_t gathered_below = 0;                         /* in the marked buckets below bw[k] */
    for (size_t k = 0, b = 0; k < nw; k++) {
        while (count[b + 1] <= want[k]) b++;
        if (k > 0 && b != bw[k - 1]) gathered_below += count[bw[k - 1] + 1] - count[bw[k - 1]];
        bw[k] = b;
        mark[b] = 1;
        rank[k] = gathered_below + (want[k] - count[b]);
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (mark[bk[i]]) {
            const double x = v[i];
            v[i] = v[m];
            v[m++] = x;
        }
    free(bk);
    order_in_place(v, m, rank, nw);
    for (size_t k = 0; k < nw; k++) out[k] = v[rank[k]];
    return 0;
}

/* The order statistics of v at want[0 .. nw) (ascending, distinct, < n,
 * at most 16) into out; mn, mx the column's least and greatest, finite. */
static void order_stats(double *v, size_t n, double mn, double mx, const size_t *want, size_t nw, double *out)
{
    if (mn == mx && mn != 0.0) { /* every value the same, bit for bit */
        for (size_t k = 0; k < nw; k++) out[k] = mn;
        return;
    }
    if (n < BUCKET_MIN_N || nw > MAX_RANKS || mn == mx || bucket_order(v, n, mn, mx, want, nw, out) != 0) {
        order_in_place(v, n, want, nw);
        for (size_t k = 0; k < nw; k++) out[k] = v[want[k]];
    }
}

void mcstats_order(double *v, size_t n, const size_t *want, size_t nw, double *out)
{
    double mn, mx, acc = 0.0;
    for (size_t i = 0; i < n; i++) acc += v[i];
    min_max(v, n, &mn, &mx);
    if (isfinite(acc)) { /* no NaN nor infinity (the sum would not be finite) */
        order_stats(v, n, mn, mx, want, nw, out);
        return;
    }
    order_in_place(v, n, want, nw);
    for (size_t k = 0; k < nw; k++) out[k] = v[want[k]];
}

void montecarlo_column_stats(double *v, uint64_t n, double *stat)
{
    if (isnan(v[0])) {
        for (int k = 0; k < NSTAT; k++) stat[k] = NAN;
        return;
    }
    double x0 = v[0], acc = 0.0, mn, mx;
    uint64_t i = 0;
    for (; i + 4 <= n; i += 4) { /* in path order, four a step */
        acc += v[i] - x0;
        acc += v[i + 1] - x0;
        acc += v[i + 2] - x0;
        acc += v[i + 3] - x0;
    }
    for (; i < n; i++) acc += v[i] - x0;
    stat[0] = x0 + acc / (double)n;
    min_max(v, (size_t)n, &mn, &mx);
    size_t want[2 * (NSTAT - 1)], nw = 0, lo[NSTAT - 1], at[NSTAT - 1];
    for (int k = 0; k < NSTAT - 1; k++) {
        lo[k] = (size_t)floor(pct[k] * (double)(n - 1));
        for (size_t r = lo[k]; r <= lo[k] + 1 && r < n; r++)
            if (nw == 0 || want[nw - 1] < r) want[nw++] = r;
        at[k] = nw;
        while (want[at[k] - 1] > lo[k]) at[k]--; /* want[at[k] - 1] == lo[k] */
    }
    double ord[2 * (NSTAT - 1)];
    /* a sum that is not finite: a NaN or an infinity (or an overflow) in
     * the column, where the selection on the whole column decides */
    if (isfinite(acc))
        order_stats(v, (size_t)n, mn, mx, want, nw, ord);
    else {
        order_in_place(v, (size_t)n, want, nw);
        for (size_t k = 0; k < nw; k++) ord[k] = v[want[k]];
    }
    for (int k = 0; k < NSTAT - 1; k++) {
        double pos = pct[k] * (double)(n - 1);
        double frac = pos - (double)lo[k];
        size_t i = at[k] - 1;
        double a = ord[i], b = lo[k] + 1 < n ? ord[i + 1] : a;
        stat[k + 1] = frac == 0.0 || a == b ? a : a + frac * (b - a);
    }
}
