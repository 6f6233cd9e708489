/* test_regime.c: the funding regime of 2026 and the SEND reform actions,
 * on small cases worked by hand (tests/data/regime.json).
 *
 * The base case is tests/data/hand.json run to 2029-30 with an allocation
 * of £900,000 flat (test_model.c checks its figures by hand); its cumulative
 * position is -259,666.67 at 31 March 2026, -207,686.67, -133,572.67 at 31
 * March 2028 (the override's end), -95,752.97, -96,042.28; in-year
 * -159,666.67, 51,980, 74,114, 37,819.70, -289.315; spend in 2027-28
 * 825,886 and in 2028-29 862,180.30. The cases below are its children, so
 * every figure here is the base's figure and what the rule adds.
 *
 *  writeoff: 90% of the model's deficit at 31 March 2026 (259,666.67), paid
 *    1 October 2026: 233,700 in 2026-27, and the cumulative position is the
 *    base's + 233,700 from 2026-27 on; the gross cumulative is the base's.
 *    With delivery (the reform plan approved) 0.6, the Monte Carlo mean of
 *    the 2026-27 cumulative is the base's + 0.6 x 233,700 = +140,220, within
 *    3 standard errors: 233,700 x sqrt(0.6 x 0.4 / 4,000) x 3 = 5,432.
 *  writeoff_stated: 90% of a stated -150,000: 135,000.
 *  writeoff_later (on £700,000 of funding; its parent-like case lowfund):
 *    half the deficit accrued in 2026-27 and 2027-28, -148,020 - 125,886 =
 *    -273,906: 136,953 paid in 2028-29 (paid 1 June 2028).
 *  central: from 1 April 2028 the in-year gap is 0 and the cumulative stays
 *    at -133,572.67; central_mid from 1 October 2028: half of 2028-29's gap,
 *    37,819.70 / 2 = 18,909.85, remains, then 0.
 *  follows: funding 2028-29 = 900,000 + 0.5 x (862,180.30 - 825,886) =
 *    918,147.15: 18,147.15 more than the flat allocation.
 *  isp: half of new plans become ISPs from 1 April 2025: calendar 2025 sees
 *    the ramp's mean 9/12, so 10 x 0.5 x 0.75 = 3.75 ISPs at January 2026
 *    (and 3.75 fewer EHCPs: 18.85), then 3.75 x 0.5 + 5 = 6.875; 2025-26's
 *    ISP spend (5/12 x 0 + 7/12 x 3.75) x £5,000 = 10,937.50 on line isp.
 *  reassess: at age 1 (after the September 2025 transfer), NMI holds
 *    4 x 0.9 + 10 x 0.9 x 0.2 = 5.4; 20% end (1.08) and 25% step down to
 *    special (1.35): January 2026 EHCPs 22.6 - 1.08 = 21.52, leavers
 *    27.4 + 1.08 = 28.48.
 *  reassess_mid: from 1 June 2026 with a 6-month ramp: half the effect on
 *    1 September 2026; NMI at age 1 in January 2027 is 2.7 + 1.26 = 3.96,
 *    10% ends: 19 - 0.396 = 18.604; 2025-26 as the base (before the start).
 *  protect: NMI places held at January 2025 are protected: of the 5.4 at
 *    age 1 in 2026, 3.6 (the 4 at age 0, 90% staying) are protected, so 20%
 *    of 1.8 ends: 22.6 - 0.36 = 22.24.
 *  anchor: the council forecasts -200,000 for 2025-26 against the model's
 *    -159,666.67: an adjustment of -40,333.33 that year only. anchor_child
 *    extends it with 10% fewer new plans: it shares the parent's adjustment
 *    (the anchor is the parent's), so its 2025-26 differs from -200,000 by
 *    exactly its own saving, which the savings split credits to the action. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/model.h"

static const cJSON *scen(const cJSON *res, const char *name)
{
    const cJSON *sc;
    cJSON_ArrayForEach(sc, cJSON_GetObjectItem(res, "scenarios"))
    {
        const cJSON *n = cJSON_GetObjectItem(sc, "name");
        if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0) return sc;
    }
    fprintf(stderr, "no scenario %s\n", name);
    return NULL;
}

/* years[k].key (a number), or -1e300 if absent. */
static double yr(const cJSON *res, const char *name, int k, const char *key)
{
    const cJSON *y = cJSON_GetArrayItem(cJSON_GetObjectItem(scen(res, name), "years"), k);
    const cJSON *x = cJSON_GetObjectItem(y, key);
    return cJSON_IsNumber(x) ? x->valuedouble : -1e300;
}

static double ehcps(const cJSON *res, const char *name, int k)
{
    const cJSON *y = cJSON_GetArrayItem(cJSON_GetObjectItem(scen(res, name), "years"), k);
    const cJSON *x = cJSON_GetObjectItem(cJSON_GetObjectItem(y, "ehcps"), "total");
    return cJSON_IsNumber(x) ? x->valuedouble : -1e300;
}

static double spend_line(const cJSON *res, const char *name, int k, const char *line)
{
    const cJSON *y = cJSON_GetArrayItem(cJSON_GetObjectItem(scen(res, name), "years"), k);
    const cJSON *x = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(y, "spend"), "by_line"), line);
    return cJSON_IsNumber(x) ? x->valuedouble : -1e300;
}

static double headline(const cJSON *res, const char *name, const char *key)
{
    const cJSON *x = cJSON_GetObjectItem(cJSON_GetObjectItem(scen(res, name), "headline"), key);
    return cJSON_IsNumber(x) ? x->valuedouble : -1e300;
}

static const double BASE_CUM[5] = {-259666.6666666665, -207686.6666666665, -133572.6666666665, -95752.96666666656,
                                   -96042.28166666662};

static void test_writeoffs(const cJSON *r)
{
    const double W = 0.9 * 259666.6666666665;
    CHECK_NEAR(yr(r, "writeoff", 0, "writeoff"), 0.0, 1e-9);
    CHECK_NEAR(yr(r, "writeoff", 1, "writeoff"), W, 1e-6);
    for (int k = 0; k < 5; k++) {
        CHECK_NEAR(yr(r, "writeoff", k, "cumulative"), BASE_CUM[k] + (k >= 1 ? W : 0.0), 1e-6);
        CHECK_NEAR(yr(r, "writeoff", k, "cumulative_gross"), BASE_CUM[k], 1e-6);
        CHECK_NEAR(yr(r, "writeoff", k, "in_year"), yr(r, "base", k, "in_year"), 1e-9);
    }
    /* the headline: what the council must meet at 31 March 2028, and gross */
    CHECK_NEAR(headline(r, "writeoff", "cumulative_at_override_end"), BASE_CUM[2] + W, 1e-6);
    CHECK_NEAR(headline(r, "writeoff", "cumulative_at_override_end_gross"), BASE_CUM[2], 1e-6);
    CHECK_NEAR(headline(r, "writeoff", "deficit_to_meet_at_override_end"), 0.0, 1e-9);
    CHECK_NEAR(headline(r, "writeoff", "writeoff_to_override_end"), W, 1e-6);
    CHECK_NEAR(headline(r, "base", "deficit_to_meet_at_override_end"), -BASE_CUM[2], 1e-6);
    /* interest is charged on the deficit after the write-off: none once in surplus */
    CHECK_NEAR(yr(r, "writeoff", 2, "interest"), 0.0, 1e-9);

    CHECK_NEAR(yr(r, "writeoff_stated", 1, "writeoff"), 135000.0, 1e-6);
    CHECK_NEAR(yr(r, "writeoff_stated", 1, "cumulative"), BASE_CUM[1] + 135000.0, 1e-6);

    CHECK_NEAR(yr(r, "writeoff_later", 3, "writeoff"), 0.5 * (148020.0 + 125886.0), 1e-6);
    for (int k = 0; k < 3; k++) CHECK_NEAR(yr(r, "writeoff_later", k, "writeoff"), 0.0, 1e-9);
    CHECK_NEAR(yr(r, "writeoff_later", 4, "cumulative"), yr(r, "lowfund", 4, "cumulative") + 136953.0, 1e-6);
}

static void test_regimes(const cJSON *r)
{
    for (int k = 0; k < 3; k++) CHECK_NEAR(yr(r, "central", k, "cumulative"), BASE_CUM[k], 1e-6);
    for (int k = 3; k < 5; k++) {
        CHECK_NEAR(yr(r, "central", k, "in_year"), 0.0, 1e-6);
        CHECK_NEAR(yr(r, "central", k, "cumulative"), BASE_CUM[2], 1e-6);
    }
    CHECK_NEAR(yr(r, "central_mid", 3, "in_year"), 37819.69999999995 / 2.0, 1e-6);
    CHECK_NEAR(yr(r, "central_mid", 4, "in_year"), 0.0, 1e-6);
    CHECK_NEAR(yr(r, "follows", 3, "regime_funding"), 0.5 * (862180.3 - 825886.0), 1e-3);
    CHECK_NEAR(yr(r, "follows", 3, "in_year"), 918147.15 - 862180.3, 1e-3);
    CHECK_NEAR(yr(r, "follows", 2, "regime_funding"), 0.0, 1e-9);
    const cJSON *fr = cJSON_GetObjectItem(scen(r, "follows"), "funding_regime");
    CHECK(fr && strcmp(cJSON_GetObjectItem(fr, "after_override")->valuestring, "funding_follows_spend") == 0);
    CHECK(fr && strcmp(cJSON_GetObjectItem(fr, "from")->valuestring, "2028-04-01") == 0);
    fr = cJSON_GetObjectItem(scen(r, "base"), "funding_regime");
    CHECK(fr && strcmp(cJSON_GetObjectItem(fr, "after_override")->valuestring, "council_accrues") == 0);
}

static void test_reform(const cJSON *r)
{
    CHECK_NEAR(yr(r, "isp", 0, "isps"), 3.75, 1e-9);
    CHECK_NEAR(yr(r, "isp", 1, "isps"), 6.875, 1e-9);
    CHECK_NEAR(ehcps(r, "isp", 0), 22.6 - 3.75, 1e-9);
    CHECK_NEAR(spend_line(r, "isp", 0, "isp"), 7.0 / 12.0 * 3.75 * 5000.0, 1e-6);
    CHECK_NEAR(spend_line(r, "base", 0, "isp"), 0.0, 1e-9);

    CHECK_NEAR(ehcps(r, "reassess", 0), 22.6 - 1.08, 1e-9);
    CHECK_NEAR(yr(r, "reassess", 0, "leavers"), 27.4 + 1.08, 1e-9);
    CHECK_NEAR(ehcps(r, "reassess_mid", 0), 22.6, 1e-9);
    CHECK_NEAR(ehcps(r, "reassess_mid", 1), 19.0 - 0.396, 1e-9);
    CHECK_NEAR(ehcps(r, "protect", 0), 22.6 - 0.36, 1e-9);

    CHECK_NEAR(yr(r, "anchor", 0, "alignment"), -200000.0 + 159666.6666666665, 1e-6);
    CHECK_NEAR(yr(r, "anchor", 0, "in_year"), -200000.0, 1e-6);
    CHECK_NEAR(yr(r, "anchor", 1, "in_year"), 51980.0, 1e-6);
    CHECK_NEAR(yr(r, "anchor_child", 0, "alignment"), -200000.0 + 159666.6666666665, 1e-6);
    const cJSON *sv = cJSON_GetObjectItem(scen(r, "anchor_child"), "savings");
    const cJSON *tot = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(sv, "total"), "by_year"), "2025-26");
    CHECK(cJSON_IsNumber(tot) && tot->valuedouble > 0.0);
    if (cJSON_IsNumber(tot)) CHECK_NEAR(yr(r, "anchor_child", 0, "in_year"), -200000.0 + tot->valuedouble, 1e-6);
    CHECK(cJSON_GetObjectItem(sv, "other_changes") == NULL); /* the alignment is shared, not a change */
    const cJSON *a = cJSON_GetObjectItem(scen(r, "anchor"), "anchor");
    CHECK(a && fabs(cJSON_GetObjectItem(a, "model")->valuedouble + 159666.6666666665) < 1e-6);
}

static void test_montecarlo(const cJSON *r)
{
    const cJSON *mc = cJSON_GetObjectItem(scen(r, "writeoff"), "montecarlo");
    const cJSON *y = cJSON_GetArrayItem(cJSON_GetObjectItem(mc, "years"), 1);
    const cJSON *m = cJSON_GetObjectItem(cJSON_GetObjectItem(y, "cumulative"), "mean");
    CHECK(cJSON_IsNumber(m));
    if (cJSON_IsNumber(m)) CHECK_NEAR(m->valuedouble - BASE_CUM[1], 0.6 * 0.9 * 259666.6666666665, 5432.0);
}

static cJSON *run(const char *path, uint64_t paths)
{
    hnb_model *h = hnb_model_alloc();
    hnb_run_options o = {paths, 3, 2, 0, 1, NULL};
    int rc = hnb_load_file(h, path);
    if (!rc) rc = hnb_run(h, &o);
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    CHECK(rc == HNB_OK);
    cJSON *res = rc ? NULL : cJSON_Duplicate(h->results, 1);
    hnb_model_free(h);
    return res;
}

int main(void)
{
    cJSON *r = run("data/regime.json", 4000);
    if (r) {
        test_writeoffs(r);
        test_regimes(r);
        test_reform(r);
        test_montecarlo(r);
    }
    cJSON_Delete(r);
    return check_done();
}
