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
 * Two ways to the same value. sample_quantile is the reference: GSL's
 * inverses, used by the one-at-a-time sensitivity and by the tests. A
 * `sampler` is what Monte Carlo draws with: everything that depends only on
 * the assumption (truncation bounds, lognormal mu and sigma, PERT shapes) is
 * worked out once per run, and PERT avoids GSL's general incomplete-beta
 * inverse (about 2 us a draw, an iterative search). A PERT whose mode is at
 * its min or max is Beta(1, b) or Beta(a, 1), inverted in closed form:
 * 1 - (1 - u)^(1/b) and u^(1/a). Any other PERT is tabulated once per run on
 * SAMPLE_PERT_CELLS equal cells of the Beta variate y in [0, 1]: in each cell
 * the CDF is the quintic Hermite interpolant of GSL's F, F' and F'' at the
 * cell's ends, and a draw finds its cell through a guide table and solves
 * for y by Newton's method (3 or 4 steps of a degree-5 polynomial). Every cell
 * is checked when the table is built, at a quarter, half and three quarters
 * of its width against GSL's F: where the interpolant is off by more than
 * SAMPLE_PERT_TOL in y (|F_interp - F| / F'), or the density vanishes at an
 * end (y = 0 with a > 1, y = 1 with b > 1), the cell draws through GSL's
 * inverse instead. So a tabulated draw is within SAMPLE_PERT_TOL x (max - min)
 * of GSL's, about GSL's own tolerance; these cells hold a small share of the
 * probability (the ends of the distribution), so almost every draw is fast.
 * The other kinds are the same arithmetic as sample_quantile, value for
 * value. */
#include "analysis/sample.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

/* ---- the normal quantile (AS 241) ----------------------------------------
 *
 * Three rational functions of degree 7 over 7: near the median in
 * q = u - 1/2 (|q| <= 0.425), and in r = sqrt(-log(min(u, 1 - u))) up to 5
 * and beyond. Each numerator and denominator by Horner's rule from the
 * highest coefficient, one multiply and one add a step, then one division:
 * the operations GSL's rat_eval does, in its order, so the value is its
 * value (the coefficients are the paper's). */
static const double as241_near[2][8] = {
    {3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457,
     67265.770927008700853, 33430.575583588128105, 2509.0809287301226727},
    {1.0, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867,
     39307.89580009271061, 28729.085735721942674, 5226.495278852854561}};
static const double as241_mid[2][8] = {
    {1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
     1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4},
    {1.0, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
     0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9}};
static const double as241_far[2][8] = {
    {6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
     0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7},
    {1.0, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
     1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15}};

static double as241_ratio(const double (*c)[8], double x)
{
    double num = c[0][7], den = c[1][7];
    for (int i = 6; i >= 0; i--) {
        num = x * num + c[0][i];
        den = x * den + c[1][i];
    }
    return num / den;
}

double sample_normal_quantile(double u)
{
    const double q = u - 0.5;
    if (u == 1.0) return INFINITY;
    if (u == 0.0) return -INFINITY;
    if (fabs(q) <= 0.425) return q * as241_ratio(as241_near, 0.180625 - q * q);
    const double r = sqrt(-log(u < 0.5 ? u : 1.0 - u));
    const double x = r <= 5.0 ? as241_ratio(as241_mid, r - 1.6) : as241_ratio(as241_far, r - 5.0);
    return u < 0.5 ? -x : x;
}

/* ---- the normal distribution function (Cody) -------------------------------
 *
 * W. J. Cody's rational approximations (Math. Comp. 23, 1969; ACM TOMS 715),
 * as GSL's gsl_cdf_ugaussian_P evaluates them, bit for bit
 * (test_normal_quantile): below |x| = 0.66291 in x^2, up to sqrt(32) in |x|
 * times exp(-x^2 / 2) taken as exp(-xr^2 / 2) exp(-(x - xr)(x + xr) / 2)
 * with xr = x rounded down to sixteenths, beyond in 1 / x^2; 1 above 8.572,
 * 0 below -37.519, 1/2 within half the double epsilon of 0. */
static const double cody_small[2][5] = {
    {2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249,
     0.065682337918207449113},
    {47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956, 0.0}};
static const double cody_mid[2][9] = {
    {0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
     6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8},
    {22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
     34900.952721145977266, 38912.003286093271411, 19685.429676859990727, 0.0}};
static const double cody_far[2][6] = {{0.21589853405795699, 0.1274011611602473639, 0.022235277870649807,
                                       0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303},
                                      {1.28426009614491121, 0.468238212480865118, 0.0659881378689285515,
                                       0.00378239633202758244, 7.29751555083966205e-5, 0.0}};

#define CODY_SQRT32    (4.0 * 1.41421356237309504880)                          /* 4 sqrt(2), GSL's SQRT32 */
#define CODY_1_SQRT2PI (1.12837916709551257390 * 0.70710678118654752440 / 2.0) /* as GSL's M_1_SQRT2PI */

/* exp(-x^2 / 2) x r, the square split at x rounded down to sixteenths */
static double cody_tail(double x, double r)
{
    const double xr = floor(x * 16.0) / 16.0, del = (x - xr) * (x + xr) * 0.5;
    return exp(-0.5 * xr * xr) * exp(-1.0 * del) * r;
}

double sample_normal_cdf(double x)
{
    const double ax = fabs(x);
    if (ax < 2.2204460492503131e-16 / 2) return 0.5;
    if (ax < 0.66291) {
        const double x2 = x * x;
        double num = cody_small[0][4] * x2, den = x2;
        for (int i = 0; i < 3; i++) {
            num = (num + cody_small[0][i]) * x2;
            den = (den + cody_small[1][i]) * x2;
        }
        return 0.5 + x * (num + cody_small[0][3]) / (den + cody_small[1][3]);
    }
    double p;
    if (ax < CODY_SQRT32) {
        double num = cody_mid[0][8] * ax, den = ax;
        for (int i = 0; i < 7; i++) {
            num = (num + cody_mid[0][i]) * ax;
            den = (den + cody_mid[1][i]) * ax;
        }
        p = cody_tail(x, (num + cody_mid[0][7]) / (den + cody_mid[1][7]));
    } else if (x > 8.572)
        return 1.0;
    else if (x < -37.519)
        return 0.0;
    else {
        const double r = 1.0 / (x * x);
        double num = cody_far[0][5] * r, den = r;
        for (int i = 0; i < 4; i++) {
            num = (num + cody_far[0][i]) * r;
            den = (den + cody_far[1][i]) * r;
        }
        const double t = r * (num + cody_far[0][4]) / (den + cody_far[1][4]);
        p = cody_tail(x, (CODY_1_SQRT2PI - t) / ax);
    }
    return x > 0.0 ? 1.0 - p : p;
}

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

enum { PERT_GSL, PERT_UNIFORM, PERT_A1, PERT_B1, PERT_TABLE };

/* The Beta(a, b) density and its slope at y. */
static void beta_density(double y, double a, double b, double *f, double *df)
{
    *f = gsl_ran_beta_pdf(y, a, b);
    if (*f == 0.0) {
        *df = 0.0;
        return;
    }
    double da = a == 1.0 ? 0.0 : (a - 1.0) / y, db = b == 1.0 ? 0.0 : (b - 1.0) / (1.0 - y);
    *df = *f * (da - db);
}

static double poly(const double *c, double t)
{
    return c[0] + t * (c[1] + t * (c[2] + t * (c[3] + t * (c[4] + t * c[5]))));
}

static double dpoly(const double *c, double t)
{
    return c[1] + t * (2.0 * c[2] + t * (3.0 * c[3] + t * (4.0 * c[4] + t * 5.0 * c[5])));
}

static int pert_table(sampler *sm)
{
    const int n = SAMPLE_PERT_CELLS, g = SAMPLE_PERT_CELLS;
    const double a = sm->al, b = sm->be, h = 1.0 / n;
    sm->cdf = malloc((size_t)(n + 1) * sizeof *sm->cdf);
    sm->coef = malloc((size_t)n * 6 * sizeof *sm->coef);
    sm->exact = malloc((size_t)n);
    sm->guide = malloc((size_t)(g + 1) * sizeof *sm->guide);
    if (!sm->cdf || !sm->coef || !sm->exact || !sm->guide) return HNB_E_NOMEM;
    double f0, d0, f1, d1;
    sm->cdf[0] = 0.0;
    beta_density(0.0, a, b, &f0, &d0);
    for (int i = 0; i < n; i++) {
        double y1 = i + 1 == n ? 1.0 : (i + 1) * h;
        sm->cdf[i + 1] = i + 1 == n ? 1.0 : gsl_cdf_beta_P(y1, a, b);
        beta_density(y1, a, b, &f1, &d1);
        /* p(t) = F(y_i + t h) on t in [0, 1], matching F, F', F'' at both ends */
        double *c = sm->coef + 6 * (size_t)i;
        double v0 = 0.0, v1 = sm->cdf[i + 1] - sm->cdf[i], s0 = h * f0, s1 = h * f1, c0 = h * h * d0, c1 = h * h * d1;
        double A = v1 - v0 - s0 - c0 / 2.0, B = s1 - s0 - c0, C = c1 - c0;
        c[0] = v0;
        c[1] = s0;
        c[2] = c0 / 2.0;
        c[3] = 10.0 * A - 4.0 * B + C / 2.0;
        c[4] = -15.0 * A + 7.0 * B - C;
        c[5] = 6.0 * A - 3.0 * B + C / 2.0;
        int bad = !(f0 > 0.0) || !(f1 > 0.0) || !isfinite(d0) || !isfinite(d1) || !(v1 > 0.0);
        for (int q = 1; q <= 3 && !bad; q++) {
            double t = q / 4.0, y = i * h + t * h, fy, dy;
            beta_density(y, a, b, &fy, &dy);
            double err = fabs(sm->cdf[i] + poly(c, t) - gsl_cdf_beta_P(y, a, b));
            bad = !(fy > 0.0) || err > SAMPLE_PERT_TOL * fy || !(dpoly(c, t) > 0.0);
        }
        sm->exact[i] = (unsigned char)bad;
        f0 = f1;
        d0 = d1;
    }
    /* guide[k]: the cell holding probability k / g */
    for (int k = 0, i = 0; k <= g; k++) {
        double u = (double)k / g;
        while (i + 1 < n && sm->cdf[i + 1] <= u) i++;
        sm->guide[k] = i;
    }
    return HNB_OK;
}

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
    if (p->dist != DIST_PERT) return HNB_OK;
    pert_params(p, &sm->al, &sm->be);
    if (sm->al == 1.0 && sm->be == 1.0)
        sm->pert = PERT_UNIFORM;
    else if (sm->al == 1.0)
        sm->pert = PERT_A1;
    else if (sm->be == 1.0)
        sm->pert = PERT_B1;
    else if (isfinite(sm->al) && isfinite(sm->be)) {
        sm->pert = PERT_TABLE;
        int rc = pert_table(sm);
        if (rc) sampler_free(sm);
        return rc;
    }
    return HNB_OK;
}

void sampler_free(sampler *sm)
{
    free(sm->cdf);
    free(sm->coef);
    free(sm->exact);
    free(sm->guide);
    sm->cdf = sm->coef = NULL;
    sm->exact = NULL;
    sm->guide = NULL;
}

/* The Beta variate at probability u from the table. */
static double pert_lookup(const sampler *sm, double u)
{
    const int n = SAMPLE_PERT_CELLS;
    int i = sm->guide[(int)(u * SAMPLE_PERT_CELLS)];
    while (i + 1 < n && sm->cdf[i + 1] <= u) i++;
    if (sm->exact[i]) return gsl_cdf_beta_Pinv(u, sm->al, sm->be);
    const double *c = sm->coef + 6 * (size_t)i;
    double r = u - sm->cdf[i], w = sm->cdf[i + 1] - sm->cdf[i];
    double t = r / w; /* the straight line through the cell's ends, then Newton */
    for (int k = 0; k < 8; k++) {
        double dt = (poly(c, t) - r) / dpoly(c, t);
        t -= dt;
        if (t < 0.0) t = 0.0;
        if (t > 1.0) t = 1.0;
        if (fabs(dt) < 1e-15) break;
    }
    return (i + t) / n;
}

double sampler_draw(const sampler *sm, double u)
{
    const param *p = sm->p;
    double a = p->d[0], c = p->d[2];
    if (sm->trunc) u = sm->f0 + u * (sm->f1 - sm->f0);
    u = squeeze(u);
    double x;
    switch (p->dist) {
    case DIST_NORMAL: x = a + p->d[1] * sample_normal_quantile(u); break; /* gsl_cdf_gaussian_Pinv's product */
    case DIST_LOGNORMAL: x = gsl_cdf_lognormal_Pinv(u, sm->mu, sm->sigma); break;
    case DIST_PERT:
        switch (sm->pert) {
        case PERT_UNIFORM: x = a + (c - a) * u; break;
        case PERT_A1: x = a + (c - a) * -expm1(log1p(-u) / sm->be); break;
        case PERT_B1: x = a + (c - a) * pow(u, 1.0 / sm->al); break;
        case PERT_TABLE: x = a + (c - a) * pert_lookup(sm, u); break;
        default: x = quantile(p, u);
        }
        break;
    default: x = quantile(p, u);
    }
    return clamp(p, x);
}
