/* test_mc_values.c: Monte Carlo values a wrong implementation would get wrong.
 *
 * test_montecarlo.c checks the samplers and the shape of the output; this file
 * checks the values, each on a case of tests/data/mc-values.json (the hand case
 * with one kind of uncertainty at a time) where the answer is known, through the
 * public API, the results JSON and the --paths-out CSV (which holds every path's
 * figures, not its sampled inputs):
 *
 * - Percentiles and means are recounted from the paths: for "spread" (a normal
 *   funding line, 100 paths, so q x (n - 1) is fractional for most q) every
 *   figure's P5..P95 is the order statistic at q x (n - 1) with linear
 *   interpolation, and the mean the paths' mean. Fails for q x n, for no
 *   interpolation, for a mean over n - 1.
 * - Delivery: "deliver" has one uncertain thing, a £1m contribution delivered
 *   with probability 0.3, so each path's position at the override's end takes
 *   one of two values, the deterministic ones without and with it. The count m
 *   of delivering paths (recounted from the CSV) is within 4 standard errors of
 *   0.3 x n, and the percentiles and mean are exactly those of (n - m) lows and
 *   m highs. Fails for an inverted delivery test (share 0.7).
 * - Correlation: "corr" draws the funding line A (loading 0.8) and the outreach
 *   line B (loading 0.6) on one factor; the first two years' in-year positions
 *   are y1 = A - B + c1 and y2 = 1.02 A - B + c2, so A and B are recovered from
 *   each path (up to constants) and their correlation must be 0.8 x 0.6 = 0.48
 *   and their standard deviations £100,000 and £10,000, within 4 standard
 *   errors. Fails for a blend without its square root (0.62, and the sds shrink
 *   to 88%) and for a reversed loading.
 * - Probabilities: "above" is always in deficit beyond the threshold, never
 *   balances and falls every year (1, 0, 1); "below" the reverse (0, 1, 0);
 *   "late" balances in its last year only, so by 2027-28 gives 1 and by 2026-27 0.
 * - Threads: the Sutton results JSON is byte for byte the same for 1, 2, 3 and
 *   7 threads (203 paths: not a multiple of the 16-path chunk). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/model.h"

static const char *const P[7] = {"p5", "p10", "p25", "p50", "p75", "p90", "p95"};
static const double Q[7] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};

static double num(const cJSON *o, const char *k)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

/* Run the file's scenarios, return the parsed results and fill csv (a path). */
static cJSON *run(const char *file, uint64_t paths, uint64_t seed, int threads, const char *csv)
{
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_load_file(h, file);
    hnb_run_options o = {paths, seed, threads, 0, 0, csv};
    if (!rc) rc = hnb_run(h, &o);
    char *s = NULL;
    if (!rc) rc = hnb_results_string(h, &s);
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    hnb_model_free(h);
    cJSON *r = s ? cJSON_Parse(s) : NULL;
    free(s);
    return r;
}

static const cJSON *scenario_of(const cJSON *r, const char *name)
{
    const cJSON *sc;
    cJSON_ArrayForEach(sc, cJSON_GetObjectItem(r, "scenarios"))
    {
        const cJSON *n = cJSON_GetObjectItem(sc, "name");
        if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0) return sc;
    }
    return NULL;
}

/* One column of the paths CSV for one scenario, in path order; *n paths. */
static double *csv_column(const char *csv, const char *scen, const char *col, size_t *n)
{
    FILE *f = fopen(csv, "r");
    *n = 0;
    if (!f) return NULL;
    char line[4096];
    int want = -1;
    size_t cap = 0;
    double *v = NULL;
    if (fgets(line, sizeof line, f)) {
        int c = 0;
        for (char *t = strtok(line, ",\n"); t; t = strtok(NULL, ",\n"), c++)
            if (strcmp(t, col) == 0) want = c;
    }
    while (want >= 0 && fgets(line, sizeof line, f)) {
        size_t len = strlen(scen);
        if (strncmp(line, scen, len) != 0 || line[len] != ',') continue;
        char *p = line;
        for (int c = 0; c < want && p; c++) {
            p = strchr(p, ',');
            if (p) p++;
        }
        if (!p) continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 256;
            v = realloc(v, cap * sizeof *v);
        }
        v[(*n)++] = strtod(p, NULL);
    }
    fclose(f);
    return v;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* P(q) of a sorted sample: position q (n - 1), linear between neighbours. */
static double pct_sorted(const double *v, size_t n, double q)
{
    double pos = q * (double)(n - 1);
    size_t lo = (size_t)floor(pos);
    double fr = pos - (double)lo;
    return lo + 1 < n ? v[lo] + fr * (v[lo + 1] - v[lo]) : v[lo];
}

/* The stats object st (mean, p5..p95) against the sample v. */
static void check_stats(const cJSON *st, double *v, size_t n, const char *what)
{
    double mean = 0;
    for (size_t i = 0; i < n; i++) mean += v[i];
    mean /= (double)n;
    qsort(v, n, sizeof *v, cmp);
    int bad = 0;
    double tol = 1e-7 * (1.0 + fabs(v[0]) + fabs(v[n - 1]));
    bad |= !(fabs(num(st, "mean") - mean) <= tol);
    for (int k = 0; k < 7; k++) {
        double want = pct_sorted(v, n, Q[k]);
        if (!(fabs(num(st, P[k]) - want) <= tol)) {
            fprintf(stderr, "%s: %s = %.10g, recounted %.10g\n", what, P[k], num(st, P[k]), want);
            bad = 1;
        }
    }
    CHECK(!bad);
}

static const char *csv_path(void)
{
    static char p[64];
    snprintf(p, sizeof p, "/tmp/hnb-mcvalues-%ld.csv", (long)getpid());
    return p;
}

static void test_percentiles_recounted(void)
{
    const char *csv = csv_path();
    cJSON *r = run("data/mc-values.json", 100, 3, 2, csv);
    CHECK(r != NULL);
    const cJSON *sc = scenario_of(r, "spread"), *mc = cJSON_GetObjectItem(sc, "montecarlo");
    CHECK(num(mc, "paths") == 100);
    size_t n;
    double *v = csv_column(csv, "spread", "cumulative_at_override_end", &n);
    CHECK(n == 100);
    if (n == 100)
        check_stats(cJSON_GetObjectItem(cJSON_GetObjectItem(mc, "headline"), "cumulative_at_override_end"), v, n,
                    "cumulative_at_override_end");
    free(v);
    v = csv_column(csv, "spread", "peak_deficit", &n);
    if (n == 100) check_stats(cJSON_GetObjectItem(cJSON_GetObjectItem(mc, "headline"), "peak_deficit"), v, n, "peak");
    free(v);
    int years = 0;
    const cJSON *y;
    cJSON_ArrayForEach(y, cJSON_GetObjectItem(mc, "years"))
    {
        const char *fy = cJSON_GetObjectItem(y, "fy")->valuestring;
        static const char *const figs[2] = {"cumulative", "in_year"};
        for (int f = 0; f < 2; f++) {
            char col[64];
            snprintf(col, sizeof col, "%s_%s", figs[f], fy);
            v = csv_column(csv, "spread", col, &n);
            CHECK(n == 100);
            if (n == 100) check_stats(cJSON_GetObjectItem(y, figs[f]), v, n, col);
            free(v);
        }
        years++;
    }
    CHECK(years == 3);
    /* the sample really spreads (so interpolation and position matter) */
    const cJSON *hl = cJSON_GetObjectItem(cJSON_GetObjectItem(mc, "headline"), "cumulative_at_override_end");
    CHECK(num(hl, "p95") - num(hl, "p5") > 100000.0);
    cJSON_Delete(r);
    remove(csv);
}

static void test_delivery(void)
{
    const char *csv = csv_path();
    const uint64_t N = 4000;
    cJSON *r = run("data/mc-values.json", N, 11, 2, csv);
    CHECK(r != NULL);
    /* the two values: the deterministic figure without the action (base) and with it (deliver) */
    double lo = num(cJSON_GetObjectItem(scenario_of(r, "base"), "headline"), "cumulative_at_override_end");
    double hi = num(cJSON_GetObjectItem(scenario_of(r, "deliver"), "headline"), "cumulative_at_override_end");
    CHECK(hi - lo > 900000.0); /* a £1m contribution in 2026-27, less the interest it saves or not */
    size_t n;
    double *v = csv_column(csv, "deliver", "cumulative_at_override_end", &n);
    CHECK(n == N);
    size_t m = 0, other = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] == hi)
            m++;
        else if (v[i] != lo)
            other++;
    }
    CHECK(other == 0);
    double share = (double)m / (double)N, se = sqrt(0.3 * 0.7 / (double)N);
    CHECK_NEAR(share, 0.3, 4 * se);
    /* the stats of n - m lows and m highs, exactly */
    const cJSON *st = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(scenario_of(r, "deliver"), "montecarlo"), "headline"),
        "cumulative_at_override_end");
    for (size_t i = 0; i < n; i++) v[i] = i < n - m ? lo : hi;
    for (int k = 0; k < 7; k++) CHECK_NEAR(num(st, P[k]), pct_sorted(v, n, Q[k]), 1e-6);
    CHECK_NEAR(num(st, "p25"), lo, 1e-6); /* about 70% of paths are lows */
    CHECK_NEAR(num(st, "p95"), hi, 1e-6);
    CHECK_NEAR(num(st, "mean"), lo + share * (hi - lo), 1e-6);
    free(v);
    cJSON_Delete(r);
    remove(csv);
}

static void test_correlation(void)
{
    const char *csv = csv_path();
    const uint64_t N = 4000;
    cJSON *r = run("data/mc-values.json", N, 17, 2, csv);
    CHECK(r != NULL);
    size_t n1, n2;
    double *y1 = csv_column(csv, "corr", "in_year_2025-26", &n1), *y2 = csv_column(csv, "corr", "in_year_2026-27", &n2);
    CHECK(n1 == N && n2 == N);
    if (n1 == N && n2 == N) {
        /* A = (y2 - y1) / 0.02 and B = A - y1, up to constants */
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        for (size_t i = 0; i < N; i++) {
            double a = (y2[i] - y1[i]) / 0.02, b = a - y1[i];
            sa += a;
            sb += b;
            saa += a * a;
            sbb += b * b;
            sab += a * b;
        }
        double ma = sa / N, mb = sb / N, va = saa / N - ma * ma, vb = sbb / N - mb * mb, cab = sab / N - ma * mb;
        double rho = cab / sqrt(va * vb), want = 0.8 * 0.6;
        CHECK_NEAR(rho, want, 4 * (1 - want * want) / sqrt((double)N));
        CHECK_NEAR(sqrt(va), 100000.0, 4 * 100000.0 / sqrt(2.0 * N));
        CHECK_NEAR(sqrt(vb), 10000.0, 4 * 10000.0 / sqrt(2.0 * N));
    }
    free(y1);
    free(y2);
    cJSON_Delete(r);
    remove(csv);
}

static void test_probabilities(void)
{
    cJSON *r = run("data/mc-values.json", 200, 5, 2, NULL);
    CHECK(r != NULL);
    const cJSON *pa = cJSON_GetObjectItem(cJSON_GetObjectItem(scenario_of(r, "above"), "montecarlo"), "probabilities");
    const cJSON *pb = cJSON_GetObjectItem(cJSON_GetObjectItem(scenario_of(r, "below"), "montecarlo"), "probabilities");
    CHECK(num(cJSON_GetObjectItem(pa, "deficit_at_override_end_above"), "p") == 1.0);
    CHECK(num(cJSON_GetObjectItem(pb, "deficit_at_override_end_above"), "p") == 0.0);
    CHECK(num(cJSON_GetObjectItem(pa, "in_year_balance_by"), "p") == 0.0);
    CHECK(num(cJSON_GetObjectItem(pb, "in_year_balance_by"), "p") == 1.0);
    CHECK(num(pa, "deficit_grows_every_year") == 1.0);
    CHECK(num(pb, "deficit_grows_every_year") == 0.0);
    /* the year the balance is looked for up to is the stated one */
    CHECK(strcmp(cJSON_GetObjectItem(cJSON_GetObjectItem(pa, "in_year_balance_by"), "fy")->valuestring, "2027-28") ==
          0);
    /* "late" is in deficit in 2025-26 and 2026-27 and balances in 2027-28 only (outreach £600,000
     * a year, nothing in 2027-28; no uncertainty): balance by 2027-28 is certain, by 2026-27 impossible */
    const cJSON *pl = cJSON_GetObjectItem(cJSON_GetObjectItem(scenario_of(r, "late"), "montecarlo"), "probabilities");
    const cJSON *pe =
        cJSON_GetObjectItem(cJSON_GetObjectItem(scenario_of(r, "late_early"), "montecarlo"), "probabilities");
    CHECK(num(cJSON_GetObjectItem(pl, "in_year_balance_by"), "p") == 1.0);
    CHECK(num(cJSON_GetObjectItem(pe, "in_year_balance_by"), "p") == 0.0);
    cJSON_Delete(r);
}

static void test_threads(void)
{
    char *ref = NULL;
    const int threads[4] = {1, 2, 3, 7};
    for (int t = 0; t < 4; t++) {
        hnb_model *h = hnb_model_alloc();
        int rc = hnb_load_embedded(h);
        hnb_run_options o = {203, 77, threads[t], 0, 1, NULL};
        if (!rc) rc = hnb_run(h, &o);
        char *s = NULL;
        if (!rc) hnb_results_string(h, &s);
        CHECK(s != NULL);
        if (!ref)
            ref = s;
        else {
            if (s && strcmp(s, ref) != 0) fprintf(stderr, "results differ for %d threads\n", threads[t]);
            CHECK(s && strcmp(s, ref) == 0);
            free(s);
        }
        hnb_model_free(h);
    }
    free(ref);
}

int main(void)
{
    test_percentiles_recounted();
    test_delivery();
    test_correlation();
    test_probabilities();
    test_threads();
    return check_done();
}
