/* test_ratedraw.c: rate uncertainty (analysis/ratedraw.c, docs/montecarlo.md)
 * against the variance the formula gives, through the real Monte Carlo.
 *
 * Each case is a scenario file written here: one placement `a` costing
 * £12,000 a year (no inflation, no other spend, no funding, no interest), so
 * the in-year position of 2025-26 is
 *     in_year = -(5/12 x 12,000 x N0 + 7/12 x 12,000 x N1) = -(5,000 N0 + 7,000 N1)
 * (money.c: 5 months at the January 2025 census, 7 at January 2026), and each
 * path's children in `a` at January 2026 are N1 = -(in_year + 5,000 N0) / 7,000,
 * read from the --paths-out CSV. A second placement `b` costs 0, so children
 * who move there leave the sum.
 *
 * Beta moments, for x ~ Beta(a, b):
 *     E x = a / (a + b),   E x^2 = a (a + 1) / ((a + b)(a + b + 1)).
 * A count X that is Binomial(N, q) given a random q has
 *     Var X = N E q (1 - E q) + N (N - 1) Var q                          (1)
 * (E[Var(X|q)] + Var(E[X|q]) = N(Eq - Eq^2) + N^2 Var q). With q ~ Beta(a, b)
 * this is the beta-binomial variance N a b (a + b + N) / ((a + b)^2 (a + b + 1)).
 *
 * 1. Leavers, beta-binomial. N0 = 50 children at age 0 in `a`; counts: 20 at
 *    risk, 2 left; prior 0.5. The survival chance s = 1 - r ~ Beta(18.5, 2.5),
 *    and with count noise N1 | s ~ Binomial(50, s):
 *        E N1 = 50 x 18.5 / 21 = 44.0476...
 *        Var N1 = 50 x 18.5 x 2.5 x (21 + 50) / (21^2 x 22) = 16.9232...
 *    With rate_uncertainty off the same file gives the binomial variance
 *    50 x 0.9 x 0.1 = 4.5 (the stated rate 0.1): the switch is what adds the rest.
 * 2. Leavers and moves together. N0 = 40 in `a` at age 0; counts: 30 at risk,
 *    0 left, 24 stayed in `a`, 6 went to `b`. r ~ Beta(0.5, 30.5) and the share
 *    staying m ~ Beta(24.5, 6.5) (the Dirichlet over the two destinations the
 *    counts name), independent; given them N1 ~ Binomial(40, q), q = (1 - r) m,
 *    E q = E(1-r) E m, E q^2 = E(1-r)^2 E m^2, and (1) gives Var N1.
 * 3. First placements, no count noise. 10 joiners a year at age 1; counts:
 *    7 started in `a`, 3 in `b`; the share phi ~ Beta(7.5, 3.5), N0 = 0, so
 *    N1 = 10 phi exactly: E N1 = 10 x 7.5 / 11, Var N1 = 100 Var phi.
 *
 * Each check: the sample mean within 4 standard errors (sd / sqrt(n)) and the
 * sample variance within 4 of its standard errors, sqrt((m4 - m2^2) / n) from
 * the sample's own fourth moment; the seed is fixed, so a pass is repeatable,
 * and the binomial variance without the rates' uncertainty lies tens of
 * standard errors away, so a draw that did nothing (or drew per age, or
 * forgot the prior's half) fails. Also: the draws depend on the seed and
 * the path alone (1 and 3 threads give the same CSV), and a rate_counts
 * that does not fit its scenario is refused with its path. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "hnbsim.h"

#define PATHS 20000

static const char *head =
    "{\"format\": \"hnbsim-scenarios\", \"title\": \"rate uncertainty\", \"source\": \"tests/test_ratedraw.c\",\n"
    " \"scenarios\": {\"c\": {\"label\": \"case\", \"max_age\": 1, \"horizon\": \"2026-27\",\n"
    "  \"opening_balance\": {\"value\": 0, \"source\": \"test\"},\n"
    "  \"placements\": {\"a\": {\"unit_cost\": {\"value\": 12000, \"price_base\": \"2025-26\", \"source\": \"t\"},"
    " \"inflation\": {\"value\": 0, \"source\": \"t\"}},\n"
    "                 \"b\": {\"unit_cost\": {\"value\": 0, \"price_base\": \"2025-26\", \"source\": \"t\"},"
    " \"inflation\": {\"value\": 0, \"source\": \"t\"}}},\n"
    "  \"funding\": {\"hnb_allocation\": {\"amount\": 0, \"fy\": \"2025-26\", \"growth\": 0, \"source\": \"t\"}},\n";

static int write_case(const char *path, const char *body)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fprintf(f, "%s%s}}}\n", head, body);
    return fclose(f);
}

/* Run the file's scenario `c` with paths to csv; 0 on success. */
static int run(const char *file, const char *csv, int threads, char *err, size_t nerr)
{
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_load_file(h, file);
    hnb_run_options o = {PATHS, 7, threads, 0, 0, csv};
    if (!rc) rc = hnb_run(h, &o);
    if (rc && err) snprintf(err, nerr, "%s", hnb_errmsg(h));
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    hnb_model_free(h);
    return rc;
}

/* N1 of every path: from the in_year_2025-26 column. */
static double *children(const char *csv, double n0, size_t *n)
{
    FILE *f = fopen(csv, "r");
    *n = 0;
    if (!f) return NULL;
    char line[4096];
    int want = -1;
    double *v = malloc(sizeof *v * PATHS);
    if (fgets(line, sizeof line, f)) {
        int c = 0;
        for (char *t = strtok(line, ",\n"); t; t = strtok(NULL, ",\n"), c++)
            if (strcmp(t, "in_year_2025-26") == 0) want = c;
    }
    while (v && want >= 0 && *n < PATHS && fgets(line, sizeof line, f)) {
        char *p = line;
        for (int c = 0; c < want && p; c++) {
            p = strchr(p, ',');
            if (p) p++;
        }
        if (p) v[(*n)++] = -(strtod(p, NULL) + 5000.0 * n0) / 7000.0;
    }
    fclose(f);
    return v;
}

/* The sample's mean and variance against the formula's, within 4 standard errors each. */
static void check_moments(const double *x, size_t n, double mean, double var, const char *what)
{
    double m = 0, m2 = 0, m4 = 0;
    for (size_t i = 0; i < n; i++) m += x[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - m;
        m2 += d * d;
        m4 += d * d * d * d;
    }
    m2 /= (double)n;
    m4 /= (double)n;
    double s2 = m2 * (double)n / (double)(n - 1);
    double se_mean = sqrt(m2 / (double)n), se_var = sqrt((m4 - m2 * m2) / (double)n);
    printf("%s: mean %.4f (formula %.4f, se %.4f), variance %.4f (formula %.4f, se %.4f)\n", what, m, mean, se_mean, s2,
           var, se_var);
    CHECK(n == PATHS);
    CHECK_NEAR(m, mean, 4 * se_mean);
    CHECK_NEAR(s2, var, 4 * se_var);
}

static double beta_mean(double a, double b) { return a / (a + b); }
static double beta_m2(double a, double b) { return a * (a + 1) / ((a + b) * (a + b + 1)); }

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *t = malloc((size_t)n + 1);
    if (t && fread(t, 1, (size_t)n, f) != (size_t)n) n = 0;
    if (t) t[n] = 0;
    fclose(f);
    return t;
}

/* A file that must be refused with this message. */
static void refused(const char *dir, const char *body, const char *msg)
{
    char file[512], err[2048] = "";
    snprintf(file, sizeof file, "%s/bad.json", dir);
    write_case(file, body);
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_load_file(h, file);
    snprintf(err, sizeof err, "%s", rc ? hnb_errmsg(h) : "(loaded)");
    hnb_model_free(h);
    CHECK(rc == HNB_E_REF || rc == HNB_E_RANGE || rc == HNB_E_MISSING || rc == HNB_E_TYPE);
    CHECK_STR_CONTAINS(err, msg);
}

int main(void)
{
    char dir[] = "/tmp/hnb-ratedraw-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char file[512], csv[512], csv3[512], err[2048] = "";
    snprintf(file, sizeof file, "%s/case.json", dir);
    snprintf(csv, sizeof csv, "%s/paths.csv", dir);
    snprintf(csv3, sizeof csv3, "%s/paths3.csv", dir);
    size_t n;
    double *x;

    /* 1. leavers: beta-binomial */
    const char *one =
        "  \"stocks\": {\"census\": 2025, \"source\": \"t\", \"by_age\": {\"a\": [50, 0], \"b\": [0, 0]}},\n"
        "  \"leavers\": {\"source\": \"t\", \"cease_rates\": [0, 1], \"by_placement\": {\"a\": [0.1, 1]}},\n"
        "  \"joiners\": {\"driver\": \"new_plans\", \"source\": \"t\", \"count\": 0, \"growth\": 0,"
        " \"age_distribution\": [0, 1], \"first_placement\": {\"a\": 1}},\n"
        "  \"rate_counts\": {\"source\": \"t\", \"placements\": {\"a\": [{\"ages\": [0, 0], \"at_risk\": 20, \"left\": "
        "2}]}},\n"
        "  \"montecarlo\": {\"count_noise\": true, \"rate_uncertainty\": %s}\n";
    char body[4096];
    snprintf(body, sizeof body, one, "true");
    CHECK(write_case(file, body) == 0);
    CHECK(run(file, csv, 1, err, sizeof err) == 0);
    x = children(csv, 50, &n);
    {
        double a = 18.5, b = 2.5, N = 50;
        check_moments(x, n, N * a / (a + b), N * a * b * (a + b + N) / ((a + b) * (a + b) * (a + b + 1)),
                      "leavers, rate uncertainty on (beta-binomial)");
        int whole = 1;
        for (size_t i = 0; i < n; i++) whole &= fabs(x[i] - round(x[i])) < 1e-6;
        CHECK(whole);
    }
    free(x);
    /* the same paths on 3 threads: the same bytes */
    CHECK(run(file, csv3, 3, err, sizeof err) == 0);
    {
        char *t1 = slurp(csv), *t3 = slurp(csv3);
        CHECK(t1 && t3 && strcmp(t1, t3) == 0);
        free(t1);
        free(t3);
    }
    snprintf(body, sizeof body, one, "false");
    CHECK(write_case(file, body) == 0);
    CHECK(run(file, csv, 1, err, sizeof err) == 0);
    x = children(csv, 50, &n);
    check_moments(x, n, 45, 4.5, "leavers, rate uncertainty off (binomial)");
    free(x);

    /* 2. leavers and moves: (1) with q = (1 - r) m */
    const char *two =
        "  \"stocks\": {\"census\": 2025, \"source\": \"t\", \"by_age\": {\"a\": [40, 0], \"b\": [0, 0]}},\n"
        "  \"leavers\": {\"source\": \"t\", \"cease_rates\": [0, 1], \"by_placement\": {\"a\": [0, 1]}},\n"
        "  \"moves\": [{\"ages\": [1, 1], \"source\": \"t\", \"matrix\": {\"a\": {\"a\": 0.8, \"b\": 0.2}}}],\n"
        "  \"joiners\": {\"driver\": \"new_plans\", \"source\": \"t\", \"count\": 0, \"growth\": 0,"
        " \"age_distribution\": [0, 1], \"first_placement\": {\"a\": 1}},\n"
        "  \"rate_counts\": {\"source\": \"t\", \"placements\": {\"a\": [{\"ages\": [0, 0], \"at_risk\": 30, \"left\": "
        "0,"
        " \"to\": {\"a\": 24, \"b\": 6}}]}},\n"
        "  \"montecarlo\": {\"count_noise\": true, \"rate_uncertainty\": true}\n";
    CHECK(write_case(file, two) == 0);
    CHECK(run(file, csv, 2, err, sizeof err) == 0);
    x = children(csv, 40, &n);
    {
        double N = 40, s1 = beta_mean(30.5, 0.5), s2 = beta_m2(30.5, 0.5), m1 = beta_mean(24.5, 6.5),
               m2 = beta_m2(24.5, 6.5);
        double eq = s1 * m1, vq = s2 * m2 - eq * eq;
        check_moments(x, n, N * eq, N * eq * (1 - eq) + N * (N - 1) * vq, "leavers and moves (Beta x Dirichlet)");
    }
    free(x);

    /* 3. first placements, no count noise: N1 = 10 phi */
    const char *three =
        "  \"stocks\": {\"census\": 2025, \"source\": \"t\", \"by_age\": {\"a\": [0, 0], \"b\": [0, 0]}},\n"
        "  \"leavers\": {\"source\": \"t\", \"cease_rates\": [0, 1]},\n"
        "  \"joiners\": {\"driver\": \"new_plans\", \"source\": \"t\", \"count\": 10, \"growth\": 0,"
        " \"age_distribution\": [0, 1], \"first_placement\": [{\"ages\": [0, 1], \"shares\": {\"a\": 0.7, \"b\": "
        "0.3}}]},\n"
        "  \"rate_counts\": {\"source\": \"t\", \"first_placement\": [{\"ages\": [0, 1], \"joiners\": 10,"
        " \"to\": {\"a\": 7, \"b\": 3}}]},\n"
        "  \"montecarlo\": {\"rate_uncertainty\": true}\n";
    CHECK(write_case(file, three) == 0);
    CHECK(run(file, csv, 1, err, sizeof err) == 0);
    x = children(csv, 0, &n);
    {
        double e = beta_mean(7.5, 3.5), v = beta_m2(7.5, 3.5) - e * e;
        check_moments(x, n, 10 * e, 100 * v, "first placements (Dirichlet)");
    }
    free(x);

    /* counts that do not fit the scenario are refused, with the path */
    refused(dir,
            "  \"stocks\": {\"census\": 2025, \"source\": \"t\", \"by_age\": {\"a\": [5, 0], \"b\": [0, 0]}},\n"
            "  \"leavers\": {\"source\": \"t\", \"cease_rates\": [0, 1]},\n"
            "  \"joiners\": {\"driver\": \"new_plans\", \"source\": \"t\", \"count\": 0, \"growth\": 0,"
            " \"age_distribution\": [0, 1], \"first_placement\": {\"a\": 1}},\n"
            "  \"rate_counts\": {\"placements\": {\"a\": [{\"ages\": [0, 0], \"at_risk\": 20, \"left\": 2}]}}\n",
            "rate_counts.placements.a: placement \"a\" has counts but uses the shared cease_rates (expected leave "
            "rates of its own in leavers.by_placement)");
    refused(dir,
            "  \"stocks\": {\"census\": 2025, \"source\": \"t\", \"by_age\": {\"a\": [5, 0], \"b\": [0, 0]}},\n"
            "  \"leavers\": {\"source\": \"t\", \"cease_rates\": [0, 1], \"by_placement\": {\"a\": [0, 1]}},\n"
            "  \"joiners\": {\"driver\": \"new_plans\", \"source\": \"t\", \"count\": 0, \"growth\": 0,"
            " \"age_distribution\": [0, 1], \"first_placement\": {\"a\": 1}},\n"
            "  \"rate_counts\": {\"placements\": {\"a\": [{\"ages\": [0, 0], \"at_risk\": 20, \"left\": 2,"
            " \"to\": {\"a\": 17}}]}}\n",
            "rate_counts.placements.a[0].to: they sum to 17, at_risk - left is 18 (expected counts that sum to "
            "at_risk - left");
    refused(dir,
            "  \"stocks\": {\"census\": 2025, \"source\": \"t\", \"by_age\": {\"a\": [5, 0], \"b\": [0, 0]}},\n"
            "  \"leavers\": {\"source\": \"t\", \"cease_rates\": [0, 1], \"by_placement\": {\"a\": [0, 1]}},\n"
            "  \"joiners\": {\"driver\": \"new_plans\", \"source\": \"t\", \"count\": 0, \"growth\": 0,"
            " \"age_distribution\": [0, 1], \"first_placement\": {\"a\": 1}},\n"
            "  \"rate_counts\": {\"placements\": {\"a\": [{\"ages\": [0, 0], \"at_risk\": 20, \"left\": 2,"
            " \"to\": {\"a\": 16, \"b\": 2}}]}}\n",
            "no move matrix covers age 1 (the census after age 0)");
    refused(dir,
            "  \"stocks\": {\"census\": 2025, \"source\": \"t\", \"by_age\": {\"a\": [5, 0], \"b\": [0, 0]}},\n"
            "  \"leavers\": {\"source\": \"t\", \"cease_rates\": [0, 1]},\n"
            "  \"joiners\": {\"driver\": \"new_plans\", \"source\": \"t\", \"count\": 0, \"growth\": 0,"
            " \"age_distribution\": [0, 1], \"first_placement\": {\"a\": 1}},\n"
            "  \"montecarlo\": {\"rate_uncertainty\": true}\n",
            "montecarlo.rate_uncertainty: rate uncertainty is on but the scenario has no rate_counts");
    refused(dir,
            "  \"stocks\": {\"census\": 2025, \"source\": \"t\", \"by_age\": {\"a\": [5, 0], \"b\": [0, 0]}},\n"
            "  \"leavers\": {\"source\": \"t\", \"cease_rates\": [0, 1]},\n"
            "  \"joiners\": {\"driver\": \"new_plans\", \"source\": \"t\", \"count\": 0, \"growth\": 0,"
            " \"age_distribution\": [0, 1], \"first_placement\": {\"a\": 1}},\n"
            "  \"rate_counts\": {\"first_placement\": [{\"ages\": [0, 0], \"joiners\": 1, \"to\": {\"a\": 1}}]}\n",
            "no first_placement band for ages 0 to 0");
    remove(file);
    remove(csv);
    remove(csv3);
    snprintf(file, sizeof file, "%s/bad.json", dir);
    remove(file);
    rmdir(dir);
    return check_done();
}
