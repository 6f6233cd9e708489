/* test_sweep.c: the sweeps against figures worked out by hand (sweep*.c).
 *
 * tests/data/sweeps/linear.json is the hand case (tests/test_model.c) with no
 * interest, so every money figure is linear in the money assumptions. Its
 * in-year position in 2025-26 is HNB allocation F less outreach O less the
 * placements' spend P = £959,666.67 (test_model.c: -£59,666.67 at F = £1m,
 * O = £100,000), so d(in-year)/dF = 1, d(in-year)/dO = -1, and the funding
 * growth (from 2026-27 on) has no effect on it at all.
 *   tornado, given low/high: F £0.9m-£1.1m swings £200,000, O £50,000-
 *     £150,000 swings £100,000, growth (P10/P90) swings 0: that order.
 *   tornado, P10/P90 of uniform F on £0.9m-£1.1m: £0.92m and £1.08m; of O on
 *     £50,000-£150,000: £60,000 and £140,000.
 *   spider: +20% on F moves the figure by +£200,000, on O by -£20,000.
 *   goal seek: in-year 0 at F = £959,666.67 + £100,000 = £1,059,666.67;
 *     on £0.9m-£1.0m the figure stays below 0: no answer.
 *   grid over F x O, threshold 0: the contour is the line F - O = P.
 *   Sobol: F ~ U(£0.9m, £1.1m) has variance 200,000^2/12, O ~ U(£50,000,
 *     £150,000) 100,000^2/12: S_F = 4/5, S_O = 1/5 (first-order = total, an
 *     additive figure); the growth has S = S_T = 0. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "core/model.h"

static const cJSON *sweep_named(const cJSON *res, const char *name)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(res, "sweeps")) if (strcmp(cJSON_GetObjectItem(s, "name")->valuestring,
                                                                         name) == 0) return s;
    return NULL;
}

static double fig(const cJSON *o, const char *id)
{
    const cJSON *x = cJSON_GetObjectItem(o, id);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static double at(const cJSON *arr, int i)
{
    const cJSON *x = cJSON_GetArrayItem(arr, i);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

#define IY "in_year_2025_26"
static const double P = 959666.0 + 2.0 / 3.0, BASE = -59666.0 - 2.0 / 3.0;

static void tornado_and_spider(const cJSON *res)
{
    const cJSON *t = sweep_named(res, "tornado"), *bars = cJSON_GetObjectItem(t, "bars");
    CHECK(cJSON_GetArraySize(bars) == 3);
    static const char *const order[] = {"funding.hnb_allocation.amount", "spend.outreach.amount",
                                        "funding.hnb_allocation.growth"};
    static const char *const labels[] = {"HNB allocation (£ per year)", "Outreach (£ per year)",
                                         "Growth of HNB allocation (rate per year)"};
    static const double swing[] = {200000.0, 100000.0, 0.0};
    for (int i = 0; i < 3; i++) {
        const cJSON *b = cJSON_GetArrayItem(bars, i);
        CHECK(strcmp(cJSON_GetObjectItem(b, "name")->valuestring, order[i]) == 0);
        CHECK(strcmp(cJSON_GetObjectItem(b, "assumption")->valuestring, labels[i]) == 0);
        CHECK_NEAR(fig(b, "swing"), swing[i], 1e-6);
    }
    CHECK_NEAR(fig(cJSON_GetObjectItem(t, "base"), IY), BASE, 1e-6);
    CHECK_NEAR(fig(cJSON_GetObjectItem(cJSON_GetArrayItem(bars, 0), "low"), IY), BASE - 100000.0, 1e-6);
    CHECK_NEAR(fig(cJSON_GetObjectItem(cJSON_GetArrayItem(bars, 1), "low"), IY), BASE + 50000.0, 1e-6);

    t = sweep_named(res, "tornado-p10-p90");
    bars = cJSON_GetObjectItem(t, "bars");
    const cJSON *b0 = cJSON_GetArrayItem(bars, 0), *b1 = cJSON_GetArrayItem(bars, 1);
    CHECK(strcmp(cJSON_GetObjectItem(b0, "name")->valuestring, "funding.hnb_allocation.amount") == 0);
    CHECK_NEAR(fig(b0, "low_value"), 920000.0, 1e-6);
    CHECK_NEAR(fig(b0, "high_value"), 1080000.0, 1e-6);
    CHECK_NEAR(fig(b1, "low_value"), 60000.0, 1e-6);
    CHECK_NEAR(fig(b1, "high_value"), 140000.0, 1e-6);
    CHECK_NEAR(fig(b0, "swing"), 160000.0, 1e-6);
    CHECK_NEAR(fig(b1, "swing"), 80000.0, 1e-6);

    const cJSON *sp = sweep_named(res, "spider"), *lines = cJSON_GetObjectItem(sp, "lines");
    const cJSON *lo = cJSON_GetArrayItem(lines, 0), *lf = cJSON_GetArrayItem(lines, 1);
    CHECK(strcmp(cJSON_GetObjectItem(lo, "assumption")->valuestring, "Outreach (£ per year)") == 0);
    CHECK_NEAR(at(cJSON_GetObjectItem(lf, "values"), 4), 1200000.0, 1e-6);
    CHECK_NEAR(fig(cJSON_GetArrayItem(cJSON_GetObjectItem(lf, "figures"), 4), IY), BASE + 200000.0, 1e-6);
    CHECK_NEAR(fig(cJSON_GetArrayItem(cJSON_GetObjectItem(lo, "figures"), 4), IY), BASE - 20000.0, 1e-6);
    CHECK_NEAR(fig(cJSON_GetArrayItem(cJSON_GetObjectItem(lf, "figures"), 2), IY), BASE, 1e-6);
}

static void goal_and_grid(const cJSON *res)
{
    const cJSON *g = sweep_named(res, "balance-2025-26");
    CHECK_NEAR(fig(g, "value"), P + 100000.0, 1e-6);
    CHECK_NEAR(fig(cJSON_GetObjectItem(g, "figures"), IY), 0.0, 1e-6);

    const cJSON *gr = sweep_named(res, "grid"), *cs = cJSON_GetObjectItem(gr, "contours");
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(gr, "cells")) == 25);
    CHECK(cJSON_GetArraySize(cs) == 1);
    const cJSON *segs = cJSON_GetObjectItem(cJSON_GetArrayItem(cs, 0), "segments"), *s;
    /* F - O = P crosses the grid F £1.0m-£1.1m, O £50,000-£150,000 from
     * (£1,009,666.67, £50,000) to (£1.1m, £140,333.33): through 7 cells */
    CHECK(cJSON_GetArraySize(segs) == 7);
    double fmin = 1e300, fmax = -1e300;
    cJSON_ArrayForEach(s, segs)
    {
        for (int e = 0; e < 2; e++) {
            double f = at(s, 2 * e), o = at(s, 2 * e + 1);
            CHECK_NEAR(f - o, P, 1e-6);
            fmin = fmin < f ? fmin : f;
            fmax = fmax > f ? fmax : f;
        }
    }
    CHECK_NEAR(fmin, P + 50000.0, 1e-6);
    CHECK_NEAR(fmax, 1100000.0, 1e-6);
}

static void sobol(const cJSON *res)
{
    const cJSON *so = sweep_named(res, "sobol"), *ix = cJSON_GetObjectItem(cJSON_GetObjectItem(so, "indices"), IY);
    const cJSON *in = cJSON_GetObjectItem(so, "inputs");
    CHECK(cJSON_GetArraySize(in) == 3);
    /* inputs in the scenario's order: outreach, funding amount, funding growth */
    static const double want[] = {0.2, 0.8, 0.0};
    for (int i = 0; i < 3; i++) {
        double s = at(cJSON_GetObjectItem(ix, "first_order"), i),
               lo = at(cJSON_GetObjectItem(ix, "first_order_low"), i),
               hi = at(cJSON_GetObjectItem(ix, "first_order_high"), i);
        double t = at(cJSON_GetObjectItem(ix, "total"), i), tlo = at(cJSON_GetObjectItem(ix, "total_low"), i),
               thi = at(cJSON_GetObjectItem(ix, "total_high"), i);
        if (!(lo <= want[i] && want[i] <= hi && tlo <= want[i] && want[i] <= thi))
            fprintf(stderr, "input %d: S %g [%g, %g], ST %g [%g, %g], expected %g\n", i, s, lo, hi, t, tlo, thi,
                    want[i]);
        CHECK(lo <= want[i] && want[i] <= hi);
        CHECK(tlo <= want[i] && want[i] <= thi);
        CHECK(hi - lo < 0.1);
    }
    CHECK_STR_CONTAINS(cJSON_GetObjectItem(cJSON_GetArrayItem(in, 2), "assumption")->valuestring,
                       "Growth of HNB allocation");
    CHECK(at(cJSON_GetObjectItem(ix, "total"), 2) == 0.0); /* no effect at all: exactly 0 */
}

static int cli(const char *args, char *err, size_t n)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "\"%s\" %s 2>/tmp/hnb_sweep_err.$PPID >/dev/null; echo $?", getenv("HNB_BIN"), args);
    FILE *p = popen(cmd, "r");
    int code = -1;
    if (p) {
        if (fscanf(p, "%d", &code) != 1) code = -1;
        pclose(p);
    }
    snprintf(cmd, sizeof cmd, "cat /tmp/hnb_sweep_err.$PPID; rm -f /tmp/hnb_sweep_err.$PPID");
    p = popen(cmd, "r");
    size_t got = p ? fread(err, 1, n - 1, p) : 0;
    err[got] = '\0';
    if (p) pclose(p);
    return code;
}

int main(void)
{
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_sweep(h, "data/sweeps/hand.json", NULL);
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    CHECK(rc == HNB_OK);
    if (!rc) {
        tornado_and_spider(h->results);
        goal_and_grid(h->results);
        sobol(h->results);
        const cJSON *b = sweep_named(h->results, "batch");
        /* one row per file and scenario: hand.json's base; linear.json's linear and its base (a copy of the hand
         * case, so that the file stands inside its own folder) */
        CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(b, "rows")) == 3);
        /* hand.json has interest, sweeps/linear.json none; 2025-26 in-year is the same */
        CHECK_NEAR(fig(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(b, "rows"), 0), "figures"), IY), BASE,
                   1e-6);
    }
    hnb_model_free(h);

    /* goal seek with no answer: the message, and exit 1 from the command */
    h = hnb_model_alloc();
    rc = hnb_sweep(h, "data/sweeps/goal-none.json", NULL);
    CHECK(rc == HNB_E_RANGE);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "data/sweeps/goal-none.json: sweeps[0] (goal_seek no-answer): no "
                                      "value of HNB allocation (£ per year) from 900000 to 1000000 makes the in-year "
                                      "DSG position 2025-26 (£) reach £0m");
    CHECK(h->results == NULL);
    hnb_model_free(h);
    char err[4096];
    if (getenv("HNB_BIN")) {
        CHECK(cli("sweep data/sweeps/goal-none.json --out /tmp/hnb-sweep-none --quiet", err, sizeof err) == 1);
        CHECK_STR_CONTAINS(err, "hnbsim: error: data/sweeps/goal-none.json: sweeps[0]");
        CHECK_STR_CONTAINS(err, "(expected a range of the assumption in which the figure crosses the target)");
        CHECK(access("/tmp/hnb-sweep-none/sweep.json", F_OK) != 0);
        CHECK(cli("sweep data/sweeps/bad-unknown.json --quiet --no-charts --no-spreadsheets", err, sizeof err) == 1);
        CHECK_STR_CONTAINS(err, "data/sweeps/bad-unknown.json: sweeps[0].assumptions[0]: "
                                "\"funding.hnb_allocation.amonut\": no such assumption in scenario \"linear\"");
        CHECK(cli("sweep data/sweeps/bad-keys.json --quiet", err, sizeof err) == 1);
        CHECK_STR_CONTAINS(err, "data/sweeps/bad-keys.json: figures[0].in_yaer: unknown figure");
        CHECK_STR_CONTAINS(err, "data/sweeps/bad-keys.json: figures[1].cumulative: found \"2028-04-01\" (expected 31 "
                                "March, the end of a financial year");
        CHECK_STR_CONTAINS(err, "sweeps[0].type: unknown sweep \"tornadoo\"");
        CHECK_STR_CONTAINS(err, "sweeps[1].treshold: unknown key; did you mean \"threshold\"?");
        CHECK_STR_CONTAINS(err, "sweeps[1].assumptions[0]: a grid needs the values to take");
    }
    return check_done();
}
