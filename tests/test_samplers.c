/* test_samplers.c: the count-noise samplers (engine/cohort.c) against the
 * distributions they claim.
 *
 * For binomials at small and large n (inversion below a mean of 14, BTPE
 * above, p above 1/2 by symmetry) and Poissons at small and large means
 * (inversion below 10, PTRS above), 200,000 draws from one Philox stream
 * (rng.c, the generator Monte Carlo gives the engine): the mean and the
 * variance within 5 standard errors of the distribution's, and, where the
 * distribution has few values, the frequency of every value within 5
 * standard errors of its probability (GSL's pdf). The draws are fixed by the
 * seed, so the test is deterministic; a sampler drawing from the wrong
 * distribution would miss these bounds by far more than 5 errors. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "analysis/rng.h"
#include "engine/project.h"

#define N 200000

/* mean and variance of xs within 5 standard errors of mu, var (kurt: the
 * excess kurtosis, for the variance's error) */
static void moments(const char *what, const unsigned int *xs, double mu, double var, double kurt)
{
    double m = 0.0, v = 0.0;
    for (int i = 0; i < N; i++) m += xs[i];
    m /= N;
    for (int i = 0; i < N; i++) v += (xs[i] - m) * (xs[i] - m);
    v /= N - 1;
    double se_m = sqrt(var / N), se_v = var * sqrt((kurt + 2.0) / N);
    if (fabs(m - mu) > 5 * se_m || fabs(v - var) > 5 * se_v)
        fprintf(stderr, "%s: mean %.6g (want %.6g), variance %.6g (want %.6g)\n", what, m, mu, v, var);
    CHECK(fabs(m - mu) <= 5 * se_m);
    CHECK(fabs(v - var) <= 5 * se_v);
}

/* the frequency of each value 0 .. kmax against pdf(k) */
static void frequencies(const char *what, const unsigned int *xs, int kmax, double (*pdf)(int, const double *),
                        const double *arg)
{
    int *count = calloc((size_t)kmax + 2, sizeof *count);
    for (int i = 0; i < N; i++) count[xs[i] <= (unsigned int)kmax ? xs[i] : (unsigned int)kmax + 1]++;
    for (int k = 0; k <= kmax; k++) {
        double p = pdf(k, arg), f = (double)count[k] / N, se = sqrt(p * (1 - p) / N) + 1e-12;
        if (fabs(f - p) > 5 * se) fprintf(stderr, "%s: P(%d) = %.6g, drawn %.6g\n", what, k, p, f);
        CHECK(fabs(f - p) <= 5 * se);
    }
    free(count);
}

static double binomial_pdf(int k, const double *a)
{
    return gsl_ran_binomial_pdf((unsigned int)k, a[0], (unsigned)a[1]);
}
static double poisson_pdf(int k, const double *a) { return gsl_ran_poisson_pdf((unsigned int)k, a[0]); }

int main(void)
{
    rng_stream st;
    CHECK(rng_alloc(&st) == 0);
    unsigned int *xs = malloc(N * sizeof *xs);
    static const struct {
        unsigned int n;
        double p;
    } bin[] = {{1, 0.3},    {3, 0.05},    {12, 0.2},  {40, 0.3},    {30, 0.93},
               {100, 0.12}, {5000, 0.01}, {400, 0.5}, {100000, 0.3}};
    for (size_t c = 0; c < sizeof bin / sizeof *bin; c++) {
        unsigned int n = bin[c].n;
        double p = bin[c].p, q = 1 - p, arg[2] = {p, (double)n};
        rng_start(&st, 17, c, rng_factor("test binomial"));
        for (int i = 0; i < N; i++) xs[i] = cohort_binomial(st.r, p, n);
        char what[64];
        snprintf(what, sizeof what, "binomial(%u, %g)", n, p);
        moments(what, xs, n * p, n * p * q, (1 - 6 * p * q) / (n * p * q));
        if (n * p * q < 40) frequencies(what, xs, (int)(n * p + 6 * sqrt(n * p * q)) + 1, binomial_pdf, arg);
        int in = 1;
        for (int i = 0; i < N; i++) in = in && xs[i] <= n;
        CHECK(in);
    }
    /* p of 0 or 1 and n of 0 draw nothing */
    rng_start(&st, 17, 99, rng_factor("test binomial"));
    CHECK(cohort_binomial(st.r, 0.0, 10) == 0 && cohort_binomial(st.r, 1.0, 10) == 10 &&
          cohort_binomial(st.r, 0.4, 0) == 0);
    static const double mus[] = {0.2, 3.0, 9.9, 10.1, 45.0, 2500.0};
    for (size_t c = 0; c < sizeof mus / sizeof *mus; c++) {
        double mu = mus[c];
        rng_start(&st, 17, c, rng_factor("test poisson"));
        for (int i = 0; i < N; i++) xs[i] = cohort_poisson(st.r, mu);
        char what[64];
        snprintf(what, sizeof what, "poisson(%g)", mu);
        moments(what, xs, mu, mu, 1 / mu);
        if (mu < 100) frequencies(what, xs, (int)(mu + 6 * sqrt(mu)) + 1, poisson_pdf, &mu);
    }
    CHECK(cohort_poisson(st.r, 0.0) == 0 && cohort_poisson(st.r, -1.0) == 0);
    /* a move row's N children: each placement's count has the multinomial
     * marginal Binomial(N, share / norm) (mean and variance), the pair
     * (0, 2) the covariance -N p0 p2, and every draw conserves the N
     * children; N of 1 (one uniform), 3, 40 and 400 (the movers by one
     * binomial, then spread one each or by conditional binomials), and a
     * row where nobody stays */
    static const struct {
        unsigned int kids;
        double stay;
    } mv[] = {{1, 0.8}, {3, 0.8}, {40, 0.8}, {400, 0.8}, {60, 0.0}};
    for (size_t c = 0; c < sizeof mv / sizeof *mv; c++) {
        const int dest[3] = {0, 2, 3};
        const double stay = mv[c].stay, sh[3] = {0.05, stay > 0 ? 0.1 : 0.5, stay > 0 ? 0.05 : 0.45};
        const double norm = stay + sh[0] + sh[1] + sh[2], pq[4] = {sh[0], stay, sh[1], sh[2]};
        const unsigned int n = mv[c].kids;
        unsigned int *cnt = malloc(4 * (size_t)N * sizeof *cnt);
        rng_start(&st, 17, c, rng_factor("test move row"));
        int conserved = 1, arrivals = 1;
        for (int i = 0; i < N; i++) {
            double row[4] = {0, 0, 0, 0}, arr[4] = {0, 0, 0, 0};
            cohort_move_row(st.r, dest, sh, 3, stay, norm, 1, n, row, arr);
            conserved = conserved && row[0] + row[1] + row[2] + row[3] == (double)n;
            arrivals = arrivals && arr[1] == 0.0 && arr[0] == row[0] && arr[2] == row[2] && arr[3] == row[3];
            for (int q = 0; q < 4; q++) cnt[(size_t)q * N + (size_t)i] = (unsigned int)row[q];
        }
        CHECK(conserved);
        CHECK(arrivals);
        for (int q = 0; q < 4; q++) {
            double pp = pq[q] / norm, qq = 1 - pp;
            char what[64];
            snprintf(what, sizeof what, "move row N %u stay %g: placement %d", n, stay, q);
            if (pp > 0)
                moments(what, cnt + (size_t)q * N, n * pp, n * pp * qq, (1 - 6 * pp * qq) / (n * pp * qq));
            else
                CHECK(cnt[(size_t)q * N] == 0);
        }
        double m0 = 0, m2 = 0, c02 = 0, p0 = pq[0] / norm, p2 = pq[2] / norm;
        for (int i = 0; i < N; i++) m0 += cnt[i], m2 += cnt[2 * (size_t)N + (size_t)i];
        m0 /= N, m2 /= N;
        for (int i = 0; i < N; i++) c02 += (cnt[i] - m0) * (cnt[2 * (size_t)N + (size_t)i] - m2);
        c02 /= N - 1;
        /* the sample covariance's error: sqrt((var0 var2 + cov^2) / N) */
        double v0 = n * p0 * (1 - p0), v2 = n * p2 * (1 - p2), cv = -(double)n * p0 * p2;
        CHECK_NEAR(c02, cv, 5 * sqrt((v0 * v2 + cv * cv) / N));
        free(cnt);
    }
    /* a whole count draws nothing; a fraction is one child with its probability */
    rng_start(&st, 17, 0, rng_factor("test whole"));
    CHECK(cohort_whole(st.r, 7.0) == 7.0);
    double m = 0.0;
    for (int i = 0; i < N; i++) m += cohort_whole(st.r, 2.25);
    CHECK_NEAR(m / N, 2.25, 5 * sqrt(0.25 * 0.75 / N));
    free(xs);
    rng_free(&st);
    return check_done();
}
