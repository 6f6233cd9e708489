/* sample.c: every distribution is drawn by its inverse CDF.
 *
 * One uniform u gives one value, x = F^-1(u), for every kind (normal,
 * lognormal, triangular, uniform, beta-PERT), which is what lets a shared
 * factor correlate any two assumptions (a one-factor Gaussian copula:
 * u = Phi(rho z_factor + sqrt(1 - rho^2) z_own), montecarlo.c) and makes
 * truncation exact: u is squeezed into [F(lo), F(hi)] rather than redrawn, so
 * a rate stays in 0-1 without rejection loops.
 *
 * Parameterisation, as finance officers state them:
 *   normal(mean, sd); lognormal(mean, sd) of the value itself (not of its log);
 *   uniform(min, max); triangular(min, mode, max);
 *   PERT(min, mode, max) = min + (max - min) Beta(1 + 4 (mode - min)/(max - min),
 *                                              1 + 4 (max - mode)/(max - min)),
 *   whose mean is (min + 4 mode + max) / 6.
 *
 * Two ways to the same value. sample_quantile is the reference, GSL's
 * inverses. A `sampler` is what Monte Carlo draws with: what depends only
 * on the assumption (truncation bounds, lognormal mu and sigma) is worked
 * out once per run; the arithmetic is sample_quantile's, value for
 * value. */
#include "analysis/sample.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

static void lognormal_params(const param *p, double *mu, double *sigma)
{
    double m = p->d[0], s = p->d[1];
    double s2 = log(1.0 + s * s / (m * m));
    *sigma = sqrt(s2);
    *mu = log(m) - s2 / 2.0;
}

static void pert_params(const param *p, double *a, double *b)
{
    double w = p->d[2] - p->d[0];
    *a = 1.0 + 4.0 * (p->d[1] - p->d[0]) / w;
    *b = 1.0 + 4.0 * (p->d[2] - p->d[1]) / w;
}

/* CDF at x, for truncation of the unbounded kinds. */
static double cdf(const param *p, double x)
{
    double mu, sigma;
    switch (p->dist) {
    case DIST_NORMAL: return isinf(x) ? (x > 0) : gsl_cdf_gaussian_P(x - p->d[0], p->d[1]);
    case DIST_LOGNORMAL:
        if (x <= 0) return 0.0;
        if (isinf(x)) return 1.0;
        lognormal_params(p, &mu, &sigma);
        return gsl_cdf_lognormal_P(x, mu, sigma);
    default: return x < p->d[0] ? 0.0 : 1.0; /* bounded kinds are checked at load */
    }
}

static double quantile(const param *p, double u)
{
    double a = p->d[0], b = p->d[1], c = p->d[2], x1, x2;
    switch (p->dist) {
    case DIST_FIXED: return a;
    case DIST_NORMAL: return a + gsl_cdf_gaussian_Pinv(u, b);
    case DIST_LOGNORMAL: lognormal_params(p, &x1, &x2); return gsl_cdf_lognormal_Pinv(u, x1, x2);
    case DIST_UNIFORM: return a + u * (c - a);
    case DIST_TRIANGULAR: {
        double fc = (b - a) / (c - a);
        return u < fc ? a + sqrt(u * (c - a) * (b - a)) : c - sqrt((1.0 - u) * (c - a) * (c - b));
    }
    case DIST_PERT: pert_params(p, &x1, &x2); return a + (c - a) * gsl_cdf_beta_Pinv(u, x1, x2);
    }
    return a;
}

static double squeeze(double u)
{
    if (u <= 0.0) u = 1e-300;
    if (u >= 1.0) u = 1.0 - 1e-16;
    return u;
}

static double clamp(const param *p, double x)
{
    if (x < p->lo) x = p->lo;
    if (x > p->hi) x = p->hi;
    return x;
}

double sample_quantile(const param *p, double u)
{
    if (p->dist == DIST_NORMAL || p->dist == DIST_LOGNORMAL) {
        double f0 = cdf(p, p->lo), f1 = cdf(p, p->hi);
        if (f0 > 0.0 || f1 < 1.0) u = f0 + u * (f1 - f0);
    }
    return clamp(p, quantile(p, squeeze(u)));
}

void sample_moments(const param *p, double *mean, double *var)
{
    double a = p->d[0], b = p->d[1], c = p->d[2], al, be;
    switch (p->dist) {
    case DIST_FIXED:
        *mean = a;
        *var = 0.0;
        return;
    case DIST_NORMAL:
    case DIST_LOGNORMAL:
        *mean = a;
        *var = b * b;
        return;
    case DIST_UNIFORM:
        *mean = (a + c) / 2.0;
        *var = (c - a) * (c - a) / 12.0;
        return;
    case DIST_TRIANGULAR:
        *mean = (a + b + c) / 3.0;
        *var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
        return;
    case DIST_PERT:
        pert_params(p, &al, &be);
        *mean = a + (c - a) * al / (al + be);
        *var = (c - a) * (c - a) * al * be / ((al + be) * (al + be) * (al + be + 1.0));
        return;
    }
}

/* ---- samplers: the same values, prepared once per run ------------------- */

int sampler_init(sampler *sm, const param *p)
{
    *sm = (sampler){0};
    sm->p = p;
    if (p->dist == DIST_NORMAL || p->dist == DIST_LOGNORMAL) {
        sm->f0 = cdf(p, p->lo);
        sm->f1 = cdf(p, p->hi);
        sm->trunc = sm->f0 > 0.0 || sm->f1 < 1.0;
    }
    if (p->dist == DIST_LOGNORMAL) lognormal_params(p, &sm->mu, &sm->sigma);
    return HNB_OK;
}

void sampler_free(sampler *sm) { (void)sm; }

double sampler_draw(const sampler *sm, double u)
{
    const param *p = sm->p;
    double a = p->d[0];
    if (sm->trunc) u = sm->f0 + u * (sm->f1 - sm->f0);
    u = squeeze(u);
    double x;
    switch (p->dist) {
    case DIST_NORMAL: x = a + gsl_cdf_gaussian_Pinv(u, p->d[1]); break;
    case DIST_LOGNORMAL: x = gsl_cdf_lognormal_Pinv(u, sm->mu, sm->sigma); break;
    default: x = quantile(p, u);
    }
    return clamp(p, x);
}
