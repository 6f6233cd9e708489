/* mcse.c: how far a Monte Carlo percentile may be from the one infinitely
 * many paths would give (mcse.h).
 *
 * The number of paths below the true p-th percentile is binomial (n, p), so
 * the order statistics at ranks n p -/+ 1.96 sqrt(n p (1 - p)) bracket the
 * true percentile with about 95% confidence, whatever the distribution of
 * the figure (no normality, no density estimate). Half that interval's width
 * over 1.96 is reported as the percentile's standard error: for a normal
 * figure it tends to the textbook sqrt(p (1 - p) / n) / density. It is
 * computed for the headline figures only (a full sort of each: n log n,
 * small beside the paths themselves), after their percentiles, so it never
 * changes them. */
#include "analysis/mcse.h"

#include <math.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void mcse_percentiles(double *v, uint64_t n, const double *pcts, int np, double *se)
{
    int bad = n < 2;
    for (uint64_t i = 0; !bad && i < n; i++) bad = isnan(v[i]);
    if (bad) {
        for (int k = 0; k < np; k++) se[k] = NAN;
        return;
    }
    qsort(v, (size_t)n, sizeof *v, cmp);
    for (int k = 0; k < np; k++) {
        double p = pcts[k], c = p * (double)(n - 1), h = 1.96 * sqrt((double)n * p * (1.0 - p));
        double lo = floor(c - h), hi = ceil(c + h);
        if (lo < 0) lo = 0;
        if (hi > (double)(n - 1)) hi = (double)(n - 1);
        se[k] = (v[(size_t)hi] - v[(size_t)lo]) / (2.0 * 1.96);
    }
}
