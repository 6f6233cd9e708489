/* test_normal_quantile.c: sample_normal_quantile and sample_normal_cdf
 * (analysis/sample.c) give GSL's gsl_cdf_ugaussian_Pinv and
 * gsl_cdf_ugaussian_P bit for bit.
 *
 * Monte Carlo's copula draws through it (montecarlo.c), so a value that
 * differed in its last bit would change results: every probability compared
 * is compared by its bits. The probabilities: 4 million from a fixed
 * generator over (0, 1), and as many spread by their logarithm down to 1e-300
 * (and mirrored near 1), which reach the three branches of AS 241 in
 * proportion to their width; the branch boundaries (|u - 1/2| = 0.425,
 * r = 5) and the doubles either side of them; 0, 1, the least positive
 * double, the one below 1, and a NaN; and gsl_cdf_gaussian_Pinv as sigma
 * times it, as sampler_draw takes it. The distribution function at 6 million
 * points (normals, and spread to +-40 and +-6) and either side of its
 * branches' boundaries. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "analysis/sample.h"

static int bits_equal(double a, double b)
{
    uint64_t x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    return x == y;
}

static long differ;

static void one(double u)
{
    double a = sample_normal_quantile(u), b = gsl_cdf_ugaussian_Pinv(u);
    if (!bits_equal(a, b) && !(isnan(a) && isnan(b))) {
        if (differ < 5) fprintf(stderr, "u = %.17g: %.17g, GSL %.17g\n", u, a, b);
        differ++;
    }
}

/* each side of x, a few doubles away */
static void around(double x)
{
    double lo = x, hi = x;
    for (int i = 0; i < 4; i++) {
        one(lo);
        one(hi);
        lo = nextafter(lo, 0.0);
        hi = nextafter(hi, 1.0);
    }
}

int main(void)
{
    uint64_t s = 0x9e3779b97f4a7c15ULL;
    for (long i = 0; i < 4000000; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        double u = ((double)(s >> 11) + 0.5) / 9007199254740992.0; /* (0, 1) */
        one(u);
        double t = pow(10.0, -300.0 * u); /* 1 .. 1e-300, by its logarithm */
        one(t);
        one(1.0 - t);
    }
    around(0.075);
    around(0.925);
    around(exp(-25.0));
    around(1.0 - exp(-25.0));
    around(0.5);
    one(0.0);
    one(1.0);
    one(4.9406564584124654e-324);
    one(nextafter(1.0, 0.0));
    one(NAN);
    /* gsl_cdf_gaussian_Pinv is sigma times it (sampler_draw's normal) */
    static const double sigmas[] = {1.0, 0.1257, 5746000.0, 3.5e-7};
    for (long i = 0; i < 100000; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        double u = ((double)(s >> 11) + 0.5) / 9007199254740992.0, sd = sigmas[i % 4];
        if (!bits_equal(sd * sample_normal_quantile(u), gsl_cdf_gaussian_Pinv(u, sd))) differ++;
    }
    CHECK(differ == 0);
    /* the distribution function: normals from the quantile, spread values to
     * +-40, every branch's boundaries and either side of them */
    long cdf_differ = 0;
    static const double edges[] = {0.0, 1.1102230246251565e-16, 0.66291, 5.656854249492381, 8.572, -37.519, 1.0, -1.0};
    for (long i = 0; i < 6000000; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        double u = ((double)(s >> 11) + 0.5) / 9007199254740992.0;
        double x = i % 3 == 0 ? sample_normal_quantile(u) : i % 3 == 1 ? 80.0 * u - 40.0 : 12.0 * u - 6.0;
        if (!bits_equal(sample_normal_cdf(x), gsl_cdf_ugaussian_P(x))) cdf_differ++;
    }
    for (size_t e = 0; e < sizeof edges / sizeof *edges; e++)
        for (int sgn = -1; sgn <= 1; sgn += 2) {
            double x = sgn * edges[e];
            for (int k = 0; k < 8; k++, x = nextafter(x, sgn * INFINITY)) {
                if (!bits_equal(sample_normal_cdf(x), gsl_cdf_ugaussian_P(x))) cdf_differ++;
                double y = nextafter(sgn * edges[e], -sgn * INFINITY);
                if (!bits_equal(sample_normal_cdf(y), gsl_cdf_ugaussian_P(y))) cdf_differ++;
            }
        }
    if (cdf_differ) fprintf(stderr, "sample_normal_cdf: %ld values differ from GSL's\n", cdf_differ);
    CHECK(cdf_differ == 0);
    return check_done();
}
