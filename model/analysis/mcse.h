/* mcse.h: the Monte Carlo standard error of a percentile (mcse.c). */
#ifndef HNB_MCSE_H
#define HNB_MCSE_H

#include <stddef.h>
#include <stdint.h>

/* The method, as results.json states it. */
#define MCSE_METHOD                                                                                               \
    "order statistics: the distribution-free 95% interval of each percentile p from the binomial count of paths " \
    "below it (ranks n p -/+ 1.96 sqrt(n p (1 - p))), its width divided by 2 x 1.96"

/* The standard errors of the percentiles pcts[0 .. np) (np at most 8) of
 * the n values v (v is reordered): se[k] = (v[u] - v[l]) / (2 x 1.96), l and u the
 * ranks of the interval, clipped to the paths. NAN if v holds a NaN or n < 2. */
void mcse_percentiles(double *v, uint64_t n, const double *pcts, int np, double *se);
/* mcstats.c: the values a full sort of v[0 .. n) puts at the ranks
 * want[0 .. nw) (ascending, distinct, below n) into out, by selection (v is
 * reordered); a column with both -0 and +0 as glibc's stable sort orders it. */
void mcstats_order(double *v, size_t n, const size_t *want, size_t nw, double *out);

#endif
