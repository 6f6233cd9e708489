/* errorstats.c: median and 90th-percentile absolute % error and mean signed
 * % error over authorities, for the national back-test (errorstats.h).
 * Quantiles interpolate linearly between order statistics (the "type 7"
 * definition of R and numpy), so the figures can be checked by hand. */
#include "analysis/errorstats.h"

#include <math.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double quantile_sorted(double *x, size_t n, double q)
{
    if (!n) return NAN;
    qsort(x, n, sizeof *x, cmp);
    double pos = q * (double)(n - 1);
    size_t i = (size_t)floor(pos);
    if (i + 1 >= n) return x[n - 1];
    return x[i] + (pos - (double)i) * (x[i + 1] - x[i]);
}

void error_stats_of(const double *pct_err, size_t n, error_stats *out)
{
    out->n = 0;
    out->median_abs = out->p90_abs = out->mean_signed = NAN;
    double *a = malloc((n ? n : 1) * sizeof *a);
    if (!a) return;
    double s = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (pct_err[i] != pct_err[i]) continue;
        a[k++] = fabs(pct_err[i]);
        s += pct_err[i];
    }
    out->n = k;
    if (k) {
        out->mean_signed = s / (double)k;
        out->median_abs = quantile_sorted(a, k, 0.5);
        out->p90_abs = quantile_sorted(a, k, 0.9);
    }
    free(a);
}
