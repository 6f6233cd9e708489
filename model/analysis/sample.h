/* sample.h: drawing an assumption's value from its distribution (sample.c). */
#ifndef HNB_SAMPLE_H
#define HNB_SAMPLE_H

#include "core/scenario.h"

/* The value at probability u in (0, 1) of p's distribution, truncated to the
 * assumption's valid range [p->lo, p->hi], by GSL's inverse CDFs. */
double sample_quantile(const param *p, double u);
/* The distribution's mean and variance before truncation (for tests and docs). */
void sample_moments(const param *p, double *mean, double *var);

/* The standard normal quantile at u: Wichura's algorithm AS 241 (PPND16,
 * Applied Statistics 37, 1988), as GSL's gsl_cdf_ugaussian_Pinv evaluates
 * it, bit for bit (test_normal_quantile compares them), without its calls
 * and loops: -inf at 0, +inf at 1. */
double sample_normal_quantile(double u);
/* The standard normal distribution function at x: Cody's rational
 * approximations as GSL's gsl_cdf_ugaussian_P evaluates them, bit for bit
 * (test_normal_quantile). */
double sample_normal_cdf(double x);

/* A PERT table's cells and its tolerance on the Beta variate (sample.c). */
#define SAMPLE_PERT_CELLS 256
#define SAMPLE_PERT_TOL   1e-10

/* One assumption's draws, prepared once per run (sample.c): the same values
 * as sample_quantile for every kind but PERT, which is within
 * SAMPLE_PERT_TOL x (max - min) of it. Read-only once built, so one sampler
 * serves every thread. */
typedef struct sampler {
    const param *p;
    double f0, f1; /* normal, lognormal: F at the valid range's ends */
    int trunc;     /* 1: u is squeezed into [f0, f1] */
    double mu, sigma;
    double al, be;        /* PERT shapes */
    int pert;             /* how PERT is inverted (sample.c) */
    double *cdf;          /* [cells + 1] F at the cells' ends */
    double *coef;         /* [cells][6] the CDF in each cell, from its left end */
    unsigned char *exact; /* [cells] 1: the cell draws through GSL */
    int *guide;           /* [cells + 1] the cell holding probability k / cells */
} sampler;

int sampler_init(sampler *sm, const param *p);
void sampler_free(sampler *sm);
/* The value at probability u in (0, 1). */
double sampler_draw(const sampler *sm, double u);

#endif
