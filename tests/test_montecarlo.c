/* test_montecarlo.c: Monte Carlo that a wrong implementation would fail.
 *
 * - Each sampler against its analytical mean and variance: 200,000 draws on
 *   a fixed seed; the tolerance is 5 standard errors of the estimate, so a
 *   wrong formula (a PERT with the wrong shape, a lognormal taking mean/sd as
 *   mu/sigma, a triangular with the wrong branch) fails and a right one does
 *   not, with this seed, every time.
 * - The samplers Monte Carlo draws with: equal to the GSL inverses value for
 *   value for every kind but PERT; PERT (closed forms and tables) within
 *   SAMPLE_PERT_TOL of GSL's inverse at 20,001 probabilities and the far
 *   tails, its draws' moments and percentiles those of the exact Beta.
 * - The random streams are, word for word, those of Random123's
 *   gsl_microrng.h wrapper of Philox4x32 that hnbsim used before.
 * - Percentiles by selection equal those of a full sort with the same
 *   interpolation, bit for bit, for columns of 1 to 100,000 values: random,
 *   few distinct values, constant, sorted, reversed, signed zeros.
 * - Reproducible: the Sutton results JSON is byte-identical for 1 and 2
 *   threads and for two runs; a different seed changes it.
 * - With every assumption fixed and no count noise, every percentile equals
 *   the deterministic figure exactly.
 * - Percentiles are monotone for every figure and year.
 * - Count noise keeps counts whole and non-negative. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <Random123/philox.h>
#include <Random123/gsl_microrng.h>

#include "check.h"
#include "core/model.h"
#include "analysis/montecarlo.h"
#include "analysis/rng.h"
#include "analysis/sample.h"
#include "core/scenario.h"

static void moments_check(enum dist_kind k, double a, double b, double c, double lo, double hi, const char *name)
{
    param p;
    memset(&p, 0, sizeof p);
    p.dist = k;
    p.d[0] = a;
    p.d[1] = b;
    p.d[2] = c;
    p.lo = lo;
    p.hi = hi;
    double mean, var;
    sample_moments(&p, &mean, &var);
    rng_stream r;
    CHECK(rng_alloc(&r) == 0);
    rng_start(&r, 12345, 0, rng_factor(name));
    const int N = 200000;
    double s = 0, s2 = 0;
    for (int i = 0; i < N; i++) {
        double x = sample_quantile(&p, rng_uniform(&r));
        s += x;
        s2 += x * x;
    }
    rng_free(&r);
    double m = s / N, v = s2 / N - m * m;
    double se_mean = sqrt(var / N), se_var = var * sqrt(2.0 / N) * 1.5; /* kurtosis allowance */
    if (fabs(m - mean) > 5 * se_mean || fabs(v - var) > 5 * se_var)
        fprintf(stderr, "%s: mean %g (want %g), var %g (want %g)\n", name, m, mean, v, var);
    CHECK_NEAR(m, mean, 5 * se_mean);
    CHECK_NEAR(v, var, 5 * se_var);
}

static void test_samplers(void)
{
    moments_check(DIST_NORMAL, 10.0, 2.0, 0, -INFINITY, INFINITY, "normal");
    moments_check(DIST_LOGNORMAL, 64000.0, 8000.0, 0, -INFINITY, INFINITY, "lognormal");
    moments_check(DIST_UNIFORM, 0.02, 0, 0.08, -INFINITY, INFINITY, "uniform");
    moments_check(DIST_TRIANGULAR, 0.0, 0.03, 0.06, -INFINITY, INFINITY, "triangular");
    moments_check(DIST_TRIANGULAR, 0.0, 0.01, 0.06, -INFINITY, INFINITY, "triangular-skew");
    moments_check(DIST_PERT, 0.05, 0.10, 0.14, -INFINITY, INFINITY, "pert");
    moments_check(DIST_PERT, 0.0, 0.0, 12.0, -INFINITY, INFINITY, "pert-edge");
    /* PERT's mean is (min + 4 mode + max) / 6 */
    param p = {0};
    p.dist = DIST_PERT;
    p.d[0] = 1;
    p.d[1] = 2;
    p.d[2] = 6;
    double mean, var;
    sample_moments(&p, &mean, &var);
    CHECK_NEAR(mean, (1 + 8 + 6) / 6.0, 1e-12);
    /* truncation: a normal rate around 0.9 with sd 0.2 never leaves [0, 1] */
    p.dist = DIST_NORMAL;
    p.d[0] = 0.9;
    p.d[1] = 0.2;
    p.lo = 0;
    p.hi = 1;
    int inside = 1;
    for (int i = 1; i < 1000; i++) {
        double x = sample_quantile(&p, i / 1000.0);
        inside &= x >= 0 && x <= 1;
    }
    CHECK(inside);
}

GSL_MICRORNG(ref_philox, philox4x32);

static void test_streams(void)
{
    gsl_rng *ref = gsl_rng_alloc(gsl_rng_ref_philox);
    rng_stream r;
    CHECK(ref && rng_alloc(&r) == 0);
    int same = 1;
    static const uint64_t seeds[] = {1, 42, 0xfedcba9876543210ull};
    for (int k = 0; ref && k < 3; k++)
        for (uint64_t path = 0; path < 40; path += 13) {
            uint32_t factor = rng_factor("count noise") + (uint32_t)k;
            philox4x32_ctr_t c = {{(uint32_t)path, (uint32_t)(path >> 32), factor, 0}};
            philox4x32_key_t key = {{(uint32_t)seeds[k], (uint32_t)(seeds[k] >> 32)}};
            ref_philox_reset(ref, c, key);
            rng_start(&r, seeds[k], path, factor);
            for (int i = 0; i < 10000; i++) same &= gsl_rng_get(ref) == gsl_rng_get(r.r);
            ref_philox_reset(ref, c, key);
            uint64_t a = gsl_rng_get(ref) >> 5, b = gsl_rng_get(ref) >> 6; /* in this order */
            same &= rng_uniform_at(seeds[k], path, factor) == ((double)(a * 67108864u + b) + 0.5) / 9007199254740992.0;
        }
    CHECK(same);
    rng_free(&r);
    gsl_rng_free(ref);
}

static param pert(double a, double b, double c)
{
    param p;
    memset(&p, 0, sizeof p);
    p.dist = DIST_PERT;
    p.d[0] = a;
    p.d[1] = b;
    p.d[2] = c;
    p.lo = -INFINITY;
    p.hi = INFINITY;
    return p;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A PERT sampler against the exact Beta: its quantiles at 20,001
 * probabilities and in the far tails (GSL's inverse), and 200,000 draws'
 * mean, variance and percentiles (5 standard errors). */
static void pert_check(double a, double b, double c)
{
    param p = pert(a, b, c);
    sampler sm;
    CHECK(sampler_init(&sm, &p) == 0);
    double w = c - a, worst = 0.0;
    static const double tails[] = {1e-300, 1e-15, 1e-9, 1e-4, 0.5, 1 - 1e-4, 1 - 1e-9, 1 - 1e-16};
    for (int i = 0; i <= 20008; i++) {
        double u = i <= 20000 ? (i + 0.5) / 20001.0 : tails[i - 20001];
        double e = fabs(sampler_draw(&sm, u) - sample_quantile(&p, u)) / w;
        if (e > worst) worst = e;
    }
    if (worst > SAMPLE_PERT_TOL) fprintf(stderr, "pert(%g, %g, %g): quantile off by %g\n", a, b, c, worst);
    CHECK(worst <= SAMPLE_PERT_TOL);

    double mean, var;
    sample_moments(&p, &mean, &var);
    enum { N = 200000 };
    static double x[N];
    rng_stream r;
    CHECK(rng_alloc(&r) == 0);
    rng_start(&r, 777, 0, rng_factor("pert check"));
    double s1 = 0, s2 = 0;
    for (int i = 0; i < N; i++) {
        x[i] = sampler_draw(&sm, rng_uniform(&r));
        s1 += x[i];
        s2 += x[i] * x[i];
    }
    rng_free(&r);
    double m = s1 / N, v = s2 / N - m * m;
    CHECK_NEAR(m, mean, 5 * sqrt(var / N));
    CHECK_NEAR(v, var, 5 * var * sqrt(2.0 / N) * 1.5);
    qsort(x, N, sizeof *x, cmp);
    double al = 1 + 4 * (b - a) / w, be = 1 + 4 * (c - b) / w;
    static const double q[] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};
    for (int k = 0; k < 7; k++) {
        double exact = a + w * gsl_cdf_beta_Pinv(q[k], al, be);
        double se = sqrt(q[k] * (1 - q[k]) / N) / (gsl_ran_beta_pdf((exact - a) / w, al, be) / w);
        CHECK_NEAR(x[(size_t)(q[k] * (N - 1))], exact, 5 * se);
    }
    sampler_free(&sm);
}

static void test_fast_samplers(void)
{
    pert_check(0.05, 0.10, 0.14); /* Sutton's growth: a table */
    pert_check(0.0, 0.05, 0.1);   /* symmetric */
    pert_check(0.0, 0.001, 1.0);  /* mode near the min: a sharp start */
    pert_check(0.0, 0.999, 1.0);
    pert_check(0.0, 0.0, 12.0);  /* Beta(1, 5): closed form */
    pert_check(0.0, 12.0, 12.0); /* Beta(5, 1): closed form */
    /* the other kinds are sample_quantile's arithmetic, bit for bit */
    param k[4];
    memset(k, 0, sizeof k);
    k[0].dist = DIST_NORMAL, k[0].d[0] = 0.9, k[0].d[1] = 0.2, k[0].lo = 0, k[0].hi = 1;
    k[1].dist = DIST_LOGNORMAL, k[1].d[0] = 64000, k[1].d[1] = 8000, k[1].lo = 0, k[1].hi = INFINITY;
    k[2].dist = DIST_UNIFORM, k[2].d[0] = 0.02, k[2].d[2] = 0.08, k[2].lo = -INFINITY, k[2].hi = INFINITY;
    k[3].dist = DIST_TRIANGULAR, k[3].d[0] = 0, k[3].d[1] = 0.01, k[3].d[2] = 0.06, k[3].lo = 0, k[3].hi = 1;
    int same = 1;
    for (int j = 0; j < 4; j++) {
        sampler sm;
        CHECK(sampler_init(&sm, &k[j]) == 0);
        for (int i = 0; i < 10000; i++)
            same &= sampler_draw(&sm, (i + 0.5) / 10000) == sample_quantile(&k[j], (i + 0.5) / 10000);
        sampler_free(&sm);
    }
    CHECK(same);
}

static uint64_t xs = 88172645463325252ull;
static double xrand(void)
{
    xs ^= xs << 13;
    xs ^= xs >> 7;
    xs ^= xs << 17;
    return (double)(xs >> 11) / 9007199254740992.0;
}

/* the percentiles as they were computed before selection: a full sort */
static void sorted_stats(double *v, size_t n, double *stat)
{
    static const double q[7] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};
    double x0 = v[0], acc = 0.0;
    for (size_t i = 0; i < n; i++) acc += v[i] - x0;
    stat[0] = x0 + acc / (double)n;
    qsort(v, n, sizeof *v, cmp);
    for (int k = 0; k < 7; k++) {
        double pos = q[k] * (double)(n - 1);
        size_t lo = (size_t)floor(pos);
        double frac = pos - (double)lo, a = v[lo], b = lo + 1 < n ? v[lo + 1] : a;
        stat[k + 1] = frac == 0.0 || a == b ? a : a + frac * (b - a);
    }
}

static void test_percentiles(void)
{
    static const size_t sizes[] = {1, 2, 3, 7, 16, 17, 100, 1001, 8192, 10000, 100000};
    int same = 1;
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
        size_t n = sizes[si];
        double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
        CHECK(a && b);
        for (int kind = 0; a && b && kind < 13; kind++) {
            for (size_t i = 0; i < n; i++) {
                double u = xrand(), x;
                switch (kind) {
                case 0: x = u; break;
                case 1: x = floor(u * 5); break;
                case 2: x = 42.0; break;
                case 3: x = (double)i; break;
                case 4: x = (double)(n - i); break;
                case 5: x = u < 0.9 ? 1.0 : xrand(); break;
                case 6: x = u < 0.5 ? -0.0 : 0.0; break;
                case 7: x = -1e6 * exp(10 * u); break;
                /* zeros of both signs among other values; a long tail; infinities;
                 * two clusters far apart; ties across the whole range */
                case 8: x = u < 0.3 ? -0.0 : u < 0.6 ? 0.0 : xrand() - 0.5; break;
                case 9: x = exp(40 * u); break;
                case 10: x = u < 0.02 ? INFINITY : u > 0.98 ? -INFINITY : u; break;
                case 11: x = u < 0.5 ? 1e-300 * xrand() : 1e300 * xrand(); break;
                default: x = floor(u * 3) * 1e9 + (u < 0.1 ? -0.0 : 0.0); break;
                }
                a[i] = b[i] = x;
            }
            double s1[8], s2[8];
            montecarlo_column_stats(a, n, s1);
            sorted_stats(b, n, s2);
            if (memcmp(s1, s2, sizeof s1)) {
                fprintf(stderr, "percentiles of %zu values, kind %d, differ from a sort\n", n, kind);
                same = 0;
            }
        }
        free(a);
        free(b);
    }
    CHECK(same);
}

static char *run_json(const char *file, uint64_t paths, uint64_t seed, int threads)
{
    hnb_model *h = hnb_model_alloc();
    int rc = file ? hnb_load_file(h, file) : hnb_load_embedded(h);
    hnb_run_options o = {paths, seed, threads, 0, 1, NULL};
    if (!rc) rc = hnb_run(h, &o);
    char *s = NULL;
    if (!rc) hnb_results_string(h, &s);
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    hnb_model_free(h);
    return s;
}

static void test_reproducible(void)
{
    char *a = run_json(NULL, 300, 42, 1), *b = run_json(NULL, 300, 42, 2), *c = run_json(NULL, 300, 42, 2),
         *d = run_json(NULL, 300, 43, 2);
    CHECK(a && b && c && d);
    if (a && b && c && d) {
        CHECK(strcmp(a, b) == 0); /* 1 thread and 2 threads */
        CHECK(strcmp(b, c) == 0); /* two runs */
        CHECK(strcmp(c, d) != 0); /* another seed */
    }
    free(a);
    free(b);
    free(c);
    free(d);
}

static const char *const P[7] = {"p5", "p10", "p25", "p50", "p75", "p90", "p95"};

static double get(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k)->valuedouble; }

/* Every percentile object under `o` (recursively) is monotone; count them. */
static int monotone(const cJSON *o, int *count)
{
    int ok = 1;
    if (cJSON_IsObject(o) && cJSON_GetObjectItemCaseSensitive(o, "p50") &&
        cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, "p5"))) {
        for (int k = 1; k < 7; k++) ok &= get(o, P[k - 1]) <= get(o, P[k]);
        (*count)++;
        return ok;
    }
    for (const cJSON *c = o ? o->child : NULL; c; c = c->next) ok &= monotone(c, count);
    return ok;
}

static void test_fixed_and_monotone(void)
{
    /* hand.json has no distributions: every percentile equals the deterministic figure */
    char *s = run_json("data/hand.json", 50, 1, 2);
    CHECK(s != NULL);
    cJSON *r = s ? cJSON_Parse(s) : NULL;
    const cJSON *sc = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "scenarios"), 0);
    const cJSON *ys = cJSON_GetObjectItem(sc, "years"),
                *ms = cJSON_GetObjectItem(cJSON_GetObjectItem(sc, "montecarlo"), "years");
    int n = 0, equal = 1;
    for (const cJSON *y = ys ? ys->child : NULL, *m = ms ? ms->child : NULL; y && m; y = y->next, m = m->next) {
        static const char *const figs[] = {"cumulative", "in_year"};
        for (int f = 0; f < 2; f++) {
            double det = get(y, figs[f]);
            const cJSON *st = cJSON_GetObjectItem(m, figs[f]);
            for (int k = 0; k < 7; k++, n++) equal &= get(st, P[k]) == det;
            equal &= get(st, "mean") == det;
        }
        double spend = get(cJSON_GetObjectItem(y, "spend"), "total");
        for (int k = 0; k < 7; k++, n++) equal &= get(cJSON_GetObjectItem(m, "spend"), P[k]) == spend;
    }
    CHECK(n == 3 * 3 * 7);
    CHECK(equal);
    cJSON_Delete(r);
    free(s);

    /* Sutton with its distributions: every percentile set is monotone */
    s = run_json(NULL, 400, 9, 2);
    r = s ? cJSON_Parse(s) : NULL;
    int count = 0;
    CHECK(monotone(r, &count));
    CHECK(count > 100);
    /* and the spread is real: P5 below P95 for the 2028 position */
    sc = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "scenarios"), 0);
    const cJSON *hl = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(sc, "montecarlo"), "headline"),
                                          "cumulative_at_override_end");
    CHECK(get(hl, "p5") < get(hl, "p95"));
    const cJSON *pr = cJSON_GetObjectItem(cJSON_GetObjectItem(sc, "montecarlo"), "probabilities");
    double p = get(cJSON_GetObjectItem(pr, "deficit_at_override_end_above"), "p");
    CHECK(p >= 0 && p <= 1);
    cJSON_Delete(r);
    free(s);
}

/* Count noise: binomial leavers, multinomial moves, Poisson joiners. The
 * spread is real, nothing goes negative, and the mean stays near the expected
 * counts of the deterministic model (which are the noise's expectations). */
static void test_count_noise(void)
{
    char *s = run_json("data/hand-noise.json", 4001, 5, 2);
    CHECK(s != NULL);
    cJSON *r = s ? cJSON_Parse(s) : NULL;
    const cJSON *sc = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "scenarios"), 0);
    const cJSON *y = cJSON_GetArrayItem(cJSON_GetObjectItem(sc, "years"), 2);
    const cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(sc, "montecarlo"), "years"), 2);
    const cJSON *e = cJSON_GetObjectItem(m, "ehcps");
    double det = get(cJSON_GetObjectItem(y, "ehcps"), "total"); /* 19.0 by hand */
    CHECK_NEAR(det, 19.0, 1e-9);
    /* Var of the 2028 total is about 10 (Poisson joiners ~10 plus binomial
     * survivors); the mean of 4,001 paths (odd, so the median is one path) is within 0.3 of 19 */
    CHECK_NEAR(get(e, "mean"), det, 0.3);
    CHECK(get(e, "p5") < get(e, "p95"));
    CHECK(get(e, "p5") >= 0.0);
    CHECK(get(e, "p50") == floor(get(e, "p50"))); /* whole children */
    cJSON_Delete(r);
    free(s);
}

/* Sutton with every distribution removed and every action certain: the
 * sampling, copula and delivery code all run, and every percentile of every
 * yearly figure must still equal the deterministic one exactly. */
static void test_sutton_fixed(void)
{
    hnb_model *h = hnb_model_alloc();
    CHECK(hnb_load_embedded(h) == HNB_OK);
    for (size_t i = 0; i < h->nscen; i++) {
        scenario *s = h->scen[i];
        for (size_t k = 0; k < s->npar; k++) s->par[k].dist = DIST_FIXED;
        for (size_t k = 0; k < s->niv; k++)
            if (s->iv[k].delivery != NOPAR) s->val[s->par[s->iv[k].delivery].off] = 1.0;
    }
    hnb_run_options o = {40, 3, 2, 0, 0, NULL};
    CHECK(hnb_run(h, &o) == HNB_OK);
    int n = 0, equal = 1;
    for (const cJSON *sc = cJSON_GetObjectItem(h->results, "scenarios")->child; sc; sc = sc->next) {
        const cJSON *ys = cJSON_GetObjectItem(sc, "years"),
                    *ms = cJSON_GetObjectItem(cJSON_GetObjectItem(sc, "montecarlo"), "years");
        for (const cJSON *y = ys->child, *m = ms->child; y && m; y = y->next, m = m->next) {
            const cJSON *bp = cJSON_GetObjectItem(cJSON_GetObjectItem(y, "ehcps"), "by_placement");
            for (const cJSON *p = bp->child; p; p = p->next) {
                const cJSON *st = cJSON_GetObjectItem(cJSON_GetObjectItem(m, "ehcps_by_placement"), p->string);
                for (int k = 0; k < 7; k++, n++) equal &= get(st, P[k]) == p->valuedouble;
            }
            for (int k = 0; k < 7; k++, n++) {
                equal &= get(cJSON_GetObjectItem(m, "cumulative"), P[k]) == get(y, "cumulative");
                equal &=
                    get(cJSON_GetObjectItem(m, "funding"), P[k]) == get(cJSON_GetObjectItem(y, "funding"), "total");
            }
        }
    }
    CHECK(n == 5 * 6 * (8 + 1) * 7); /* five scenarios, six years, eight placements and the totals */
    CHECK(equal);
    hnb_model_free(h);
}

int main(void)
{
    test_sutton_fixed();
    test_count_noise();
    test_samplers();
    test_streams();
    test_fast_samplers();
    test_percentiles();
    test_reproducible();
    test_fixed_and_monotone();
    return check_done();
}
