/* errorstats.h: the error distribution across authorities (errorstats.c). */
#ifndef HNB_ERRORSTATS_H
#define HNB_ERRORSTATS_H

#include <stddef.h>

typedef struct error_stats {
    size_t n;
    double median_abs, p90_abs, mean_signed; /* % of the actual */
} error_stats;

/* pct_err[i] = 100 (forecast - actual) / actual; NAN entries are skipped. */
void error_stats_of(const double *pct_err, size_t n, error_stats *out);
/* The q-quantile (0..1) of x[0..n) with linear interpolation; x is sorted in place. */
double quantile_sorted(double *x, size_t n, double q);

#endif
