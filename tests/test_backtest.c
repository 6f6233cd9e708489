/* test_backtest.c: the back-test and calibration, against figures that are known.
 *
 * - Sutton's back-test (the embedded file, from the January 2023 census): every
 *   row of the unmitigated scenario within the bounds docs/calibration.md states
 *   (EHCPs within 2%; in-year within £1.0m for 2023-24 and 2024-25 and £1.5m for
 *   2025-26; the cumulative at 31 March 2026 within £2m), and the model column
 *   equal to the table docs/calibration.md prints (EHCPs to 0.5, money to £0.05m,
 *   the table's rounding); the management plan's 2025-26 rows too. An index off
 *   by one year, or in-year and cumulative swapped, moves these by far more.
 * - Sutton's fit (hnb_calibrate with the file's calibration block): the four
 *   fitted values to the 6 significant figures docs/calibration.md prints and
 *   their standard errors to its 3, for the fit to every figure and for the
 *   hold-out fit. Swapped residual scales, unweighted residuals or a standard
 *   error without its square root all move them.
 * - Recovery of known values: the hand case (tests/data/hand.json) is run, its
 *   own figures (EHCPs at the 2026 and 2027 censuses, in-year and cumulative
 *   positions for three years) are put in as its actuals, two assumptions are
 *   moved off their true values (the allocation £1.0m -> £1.15m, joiners 10 -> 13),
 *   and calibration must return the true values within one standard error of
 *   its own (and to 1e-4, since the figures are exact). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/model.h"

static double num(const cJSON *o, const char *k)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(x) ? x->valuestring : "";
}

static const cJSON *named(const cJSON *arr, const char *key, const char *name)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, arr) if (strcmp(str(e, key), name) == 0) return e;
    return NULL;
}

static const cJSON *row_of(const cJSON *bt, const char *figure, const char *when)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(bt, "rows")) if (strcmp(str(r, "figure"), figure) == 0 &&
                                                               strcmp(str(r, "when"), when) == 0) return r;
    return NULL;
}

/* docs/calibration.md, "the back-test of every scenario, with the calibrated values" */
struct bt_row {
    const char *figure, *when;
    double model, tol, bound; /* bound: |error| (EHCPs: |error %|), 0 = none stated */
};

static void test_sutton_backtest(void)
{
    hnb_model *h = hnb_model_alloc();
    CHECK(hnb_load_embedded_ex(h, HNB_LOAD_BACKTEST) == HNB_OK);
    CHECK(hnb_backtest(h, NULL) == HNB_OK);
    const cJSON *all = cJSON_GetObjectItem(h->results, "backtest");
    const cJSON *base = named(all, "scenario", "baseline"), *plan = named(all, "scenario", "dsg-management-plan");
    CHECK(base != NULL && plan != NULL);
    CHECK(num(base, "start_census") == 2023);
    static const struct bt_row rows[] = {
        {"ehcps", "2024", 2310, 0.5, 2.0},
        {"ehcps", "2025", 2581, 0.5, 2.0},
        {"in_year", "2023-24", -3.3e6, 0.05e6, 1.0e6},
        {"in_year", "2024-25", -8.4e6, 0.05e6, 1.0e6},
        {"in_year", "2025-26", -13.0e6, 0.05e6, 1.5e6},
        {"cumulative", "2023-24", -1.8e6, 0.05e6, 0},
        {"cumulative", "2024-25", -10.2e6, 0.05e6, 0},
        {"cumulative", "2025-26", -23.2e6, 0.05e6, 2.0e6},
    };
    int n = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const cJSON *r = row_of(base, rows[i].figure, rows[i].when);
        CHECK(r != NULL);
        if (!r) continue;
        n++;
        if (fabs(num(r, "model") - rows[i].model) > rows[i].tol)
            fprintf(stderr, "backtest %s %s: model %.1f, documented %.1f\n", rows[i].figure, rows[i].when,
                    num(r, "model"), rows[i].model);
        CHECK_NEAR(num(r, "model"), rows[i].model, rows[i].tol);
        CHECK_NEAR(num(r, "error"), num(r, "model") - num(r, "actual"), 1e-6);
        if (rows[i].bound > 0) {
            double e = strcmp(rows[i].figure, "ehcps") == 0 ? fabs(num(r, "error_pct")) : fabs(num(r, "error"));
            CHECK(e <= rows[i].bound);
        }
    }
    CHECK(n == 8);
    /* the actuals are the published ones (docs/calibration.md, "What is compared") */
    CHECK(num(row_of(base, "ehcps", "2024"), "actual") == 2304);
    CHECK(num(row_of(base, "in_year", "2024-25"), "actual") == -9.2e6);
    CHECK(num(row_of(base, "cumulative", "2025-26"), "actual") == -23.2e6);
    /* the management plan: the same until 2025-26, then its own savings */
    CHECK_NEAR(num(row_of(plan, "ehcps", "2025"), "model"), 2581, 0.5);
    CHECK_NEAR(num(row_of(plan, "in_year", "2025-26"), "model"), -9.7e6, 0.05e6);
    CHECK_NEAR(num(row_of(plan, "cumulative", "2025-26"), "model"), -19.9e6, 0.05e6);
    hnb_model_free(h);
}

struct fitted {
    const char *path;
    double value, se;
};

static void check_fit(const cJSON *fit, const struct fitted *want, int n, const char *what)
{
    const cJSON *as = cJSON_GetObjectItem(fit, "assumptions");
    for (int i = 0; i < n; i++) {
        const cJSON *a = named(as, "path", want[i].path);
        CHECK(a != NULL);
        if (!a) continue;
        double v = num(a, "fitted"), se = num(a, "std_error");
        if (fabs(v - want[i].value) > 1e-5 * fabs(want[i].value) ||
            (want[i].se > 0 && fabs(se - want[i].se) > 0.006 * want[i].se))
            fprintf(stderr, "%s: %s fitted %.6g (se %.3g), documented %.6g (se %.3g)\n", what, want[i].path, v, se,
                    want[i].value, want[i].se);
        CHECK_NEAR(v, want[i].value, 1e-5 * fabs(want[i].value));
        if (want[i].se > 0) CHECK_NEAR(se, want[i].se, 0.006 * want[i].se);
    }
}

static void test_sutton_fit(void)
{
    hnb_model *h = hnb_model_alloc();
    CHECK(hnb_load_embedded_ex(h, HNB_LOAD_BACKTEST) == HNB_OK);
    hnb_calibrate_options o = {NULL, NULL, 0, NULL, NULL};
    FILE *f = fopen("/dev/null", "w");
    int rc = hnb_calibrate(h, &o, f);
    fclose(f);
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    CHECK(rc == HNB_OK);
    const cJSON *cb = cJSON_GetObjectItem(h->results, "calibration");
    CHECK(strcmp(str(cb, "scenario"), "baseline") == 0);
    static const struct fitted all[] = {
        {"scenarios.baseline.cost_scale", 1.33708, 0.126},
        {"scenarios.baseline.funding.hnb_allocation.amount", 6.32967e+07, 5.75e+06},
        {"scenarios.baseline.joiners.growth.by_year.2023-24", 0.0673333, 0.0106},
        {"scenarios.baseline.joiners.growth.by_year.2024-25", 0.117669, 0.0157},
    };
    check_fit(cJSON_GetObjectItem(cb, "fit_all"), all, 4, "fit to every figure");
    CHECK_NEAR(num(cJSON_GetObjectItem(cb, "fit_all"), "weighted_sum_of_squares"), 4.773, 0.0005);
    static const struct fitted hold[] = {
        {"scenarios.baseline.cost_scale", 1.88425, 0.237},
        {"scenarios.baseline.funding.hnb_allocation.amount", 8.7501e+07, 1.04e+07},
        {"scenarios.baseline.joiners.growth.by_year.2023-24", 0.064695, 0.0106},
    };
    const cJSON *ho = cJSON_GetObjectItem(cb, "holdout");
    CHECK(ho != NULL);
    check_fit(ho, hold, 3, "hold-out fit");
    hnb_model_free(h);
}

/* The hand case's own figures as its actuals; two assumptions moved off. */
static void test_recovery(void)
{
    hnb_model *h = hnb_model_alloc();
    CHECK(hnb_load_file(h, "data/hand.json") == HNB_OK);
    hnb_run_options ro = {0, 1, 1, 0, 0, NULL};
    CHECK(hnb_run(h, &ro) == HNB_OK);
    const cJSON *sc = cJSON_GetArrayItem(cJSON_GetObjectItem(h->results, "scenarios"), 0);
    const cJSON *years = cJSON_GetObjectItem(sc, "years");
    CHECK(cJSON_GetArraySize(years) == 3);

    FILE *in = fopen("data/hand.json", "r");
    char buf[8192];
    size_t len = in ? fread(buf, 1, sizeof buf - 1, in) : 0;
    if (in) fclose(in);
    buf[len] = 0;
    cJSON *file = cJSON_Parse(buf);
    cJSON *base = cJSON_GetObjectItem(cJSON_GetObjectItem(file, "scenarios"), "base");
    CHECK(base != NULL);
    cJSON *act = cJSON_AddObjectToObject(base, "actuals");
    cJSON_AddStringToObject(act, "source", "the model's own figures (tests/test_backtest.c)");
    cJSON *cen = cJSON_AddArrayToObject(act, "census"), *fin = cJSON_AddArrayToObject(act, "finance");
    int k = 0;
    const cJSON *y;
    cJSON_ArrayForEach(y, years)
    {
        const char *fy = str(y, "fy");
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "fy", fy);
        cJSON_AddNumberToObject(e, "in_year", num(y, "in_year"));
        cJSON_AddNumberToObject(e, "cumulative", num(y, "cumulative"));
        cJSON_AddStringToObject(e, "source", "model");
        cJSON_AddItemToArray(fin, e);
        if (k < 2) { /* the censuses of January 2026 and 2027: year index census - 2025 - 1 */
            e = cJSON_CreateObject();
            cJSON_AddNumberToObject(e, "census", 2026 + k);
            cJSON_AddNumberToObject(e, "ehcps", num(cJSON_GetObjectItem(y, "ehcps"), "total"));
            cJSON_AddStringToObject(e, "source", "model");
            cJSON_AddItemToArray(cen, e);
        }
        k++;
    }
    cJSON *bt = cJSON_AddObjectToObject(base, "backtest");
    cJSON_AddStringToObject(bt, "horizon", "2027-28");
    cJSON_AddStringToObject(bt, "source", "the same start: the figures are the model's own");
    cJSON *fl = cJSON_GetObjectItem(cJSON_GetObjectItem(base, "funding"), "hnb_allocation");
    cJSON_ReplaceItemInObject(fl, "amount", cJSON_CreateNumber(1150000));
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(base, "joiners"), "count", cJSON_CreateNumber(13));
    char *text = cJSON_Print(file);
    cJSON_Delete(file);
    hnb_model_free(h);

    char path[64];
    snprintf(path, sizeof path, "/tmp/hnb-recover-%ld.json", (long)getpid());
    FILE *out = fopen(path, "w");
    CHECK(out != NULL);
    if (out) {
        fputs(text, out);
        fclose(out);
    }
    free(text);
    h = hnb_model_alloc();
    int rc = hnb_load_file_ex(h, path, HNB_LOAD_BACKTEST);
    const char *fit[] = {"funding.hnb_allocation.amount", "joiners.count", NULL};
    hnb_calibrate_options o = {"base", fit, 0, NULL, NULL};
    FILE *f = fopen("/dev/null", "w");
    if (!rc) rc = hnb_calibrate(h, &o, f);
    fclose(f);
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    CHECK(rc == HNB_OK);
    const cJSON *as = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(h->results, "calibration"), "fit_all"), "assumptions");
    static const struct fitted truth[] = {{"scenarios.base.funding.hnb_allocation.amount", 1000000, 0},
                                          {"scenarios.base.joiners.count", 10, 0}};
    for (int i = 0; i < 2; i++) {
        const cJSON *a = named(as, "path", truth[i].path);
        CHECK(a != NULL);
        if (!a) continue;
        double v = num(a, "fitted"), se = num(a, "std_error");
        if (fabs(v - truth[i].value) > 1e-4 * truth[i].value)
            fprintf(stderr, "recovery: %s fitted %.8g (se %.3g), true %.8g\n", truth[i].path, v, se, truth[i].value);
        CHECK(num(a, "stated") != truth[i].value);
        CHECK(se > 0);
        CHECK(fabs(v - truth[i].value) <= se);
        CHECK_NEAR(v, truth[i].value, 1e-4 * truth[i].value);
    }
    hnb_model_free(h);
    remove(path);
}

int main(void)
{
    test_sutton_backtest();
    test_sutton_fit();
    test_recovery();
    return check_done();
}
