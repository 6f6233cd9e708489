/* sample.h: drawing an assumption's value from its distribution (sample.c). */
#ifndef HNB_SAMPLE_H
#define HNB_SAMPLE_H

#include "core/scenario.h"

/* The value at probability u in (0, 1) of p's distribution, truncated to the
 * assumption's valid range [p->lo, p->hi]. */
double sample_quantile(const param *p, double u);
/* The distribution's mean and variance before truncation (for tests and docs). */
void sample_moments(const param *p, double *mean, double *var);

#endif
