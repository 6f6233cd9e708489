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
 */
#include <math.h>
#include <stdlib.h>

#include "analysis/montecarlo.h"

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

void montecarlo_column_stats(double *v, uint64_t n, double *stat)
{
    if (isnan(v[0])) {
        for (int k = 0; k < NSTAT; k++) stat[k] = NAN;
        return;
    }
    double x0 = v[0], acc = 0.0;
    int zero_signs = 0; /* bit 1: a -0, bit 2: a +0 */
    for (uint64_t i = 0; i < n; i++) {
        acc += v[i] - x0;
        zero_signs |= (v[i] == 0.0) << (signbit(v[i]) ? 0 : 1);
    }
    stat[0] = x0 + acc / (double)n;
    size_t want[2 * (NSTAT - 1)], nw = 0, lo[NSTAT - 1];
    for (int k = 0; k < NSTAT - 1; k++) {
        lo[k] = (size_t)floor(pct[k] * (double)(n - 1));
        for (size_t r = lo[k]; r <= lo[k] + 1 && r < n; r++)
            if (nw == 0 || want[nw - 1] < r) want[nw++] = r;
    }
    /* -0 and +0 compare equal, so which one a rank holds depends on the
     * algorithm; a column with both is sorted as it always was (glibc's
     * stable merge sort), so that its percentiles keep their signs */
    if (zero_signs == 3)
        qsort(v, (size_t)n, sizeof *v, cmp_double);
    else
        select_ranks(v, 0, (size_t)n, want, nw, select_depth((size_t)n));
    for (int k = 0; k < NSTAT - 1; k++) {
        double pos = pct[k] * (double)(n - 1);
        double frac = pos - (double)lo[k];
        double a = v[lo[k]], b = lo[k] + 1 < n ? v[lo[k] + 1] : a;
        stat[k + 1] = frac == 0.0 || a == b ? a : a + frac * (b - a);
    }
}
