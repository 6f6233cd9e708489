/* test_drivers.c: the four ways to set the number of new plans, on the hand
 * case (tests/data/hand.json, derived in tests/test_model.c): 40 EHCPs at
 * January 2025, of whom 27.4 leave in 2025, so 12.6 survive into January 2026.
 * Later years' survivors depend on the joiners, so each case derives its own.
 * All joiners are age 0; 10% of age 0 and all of age 1 (the last age) leave. */
#include "check.h"
#include "core/model.h"

static double joiners(const cJSON *sc, int k)
{
    const cJSON *y = cJSON_GetArrayItem(cJSON_GetObjectItem(sc, "years"), k);
    return cJSON_GetObjectItem(y, "joiners")->valuedouble;
}

static double total(const cJSON *sc, int k)
{
    const cJSON *y = cJSON_GetArrayItem(cJSON_GetObjectItem(sc, "years"), k);
    return cJSON_GetObjectItem(cJSON_GetObjectItem(y, "ehcps"), "total")->valuedouble;
}

int main(void)
{
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_load_file(h, "data/drivers.json");
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    CHECK(rc == HNB_OK);
    CHECK(hnb_run(h, NULL) == HNB_OK);
    const cJSON *sc = cJSON_GetObjectItem(h->results, "scenarios");

    /* total_growth 10%: J = 40 x 1.1 - 12.6 = 31.4, and the caseload is 44.0.
     * Next year: 10% of the 31.4 at age 0 cease (3.14) and all 12.6 at age 1:
     * survivors 28.26; J = 44 x 1.1 - 28.26 = 20.14; caseload 48.4 = 44 x 1.1. */
    const cJSON *g = cJSON_GetArrayItem(sc, 0);
    CHECK_NEAR(joiners(g, 0), 31.4, 1e-9);
    CHECK_NEAR(total(g, 0), 44.0, 1e-9);
    CHECK_NEAR(joiners(g, 1), 20.14, 1e-9);
    CHECK_NEAR(total(g, 1), 48.4, 1e-9);

    /* requests x conversion: 20 x 0.5 = 10 in 2025; growth of requests is the
     * 2026-27 value (20%) for the step from January 2026: 24 x 0.5 = 12; then
     * 10% on: 26.4 x 0.5 = 13.2. */
    const cJSON *r = cJSON_GetArrayItem(sc, 1);
    CHECK_NEAR(joiners(r, 0), 10.0, 1e-9);
    CHECK_NEAR(joiners(r, 1), 12.0, 1e-9);
    CHECK_NEAR(joiners(r, 2), 13.2, 1e-9);

    /* prevalence: 50 per 10,000 of 5,000 people at January 2026 = 25 EHCPs, so
     * J = 25 - 12.6 = 12.4. January 2027: 50 per 10,000 of 6,000 = 30; the
     * survivors of 2026 are 0.9 x 12.4 = 11.16 (all of age 1 cease), so
     * J = 30 - 11.16 = 18.84. 2028 uses the latest population given (6,000). */
    const cJSON *p = cJSON_GetArrayItem(sc, 2);
    CHECK_NEAR(joiners(p, 0), 12.4, 1e-9);
    CHECK_NEAR(total(p, 0), 25.0, 1e-9);
    CHECK_NEAR(joiners(p, 1), 18.84, 1e-9);
    CHECK_NEAR(total(p, 1), 30.0, 1e-9);
    CHECK_NEAR(total(p, 2), 30.0, 1e-9);

    /* new_plans growing 20%: 10, 12, 14.4 */
    const cJSON *n = cJSON_GetArrayItem(sc, 3);
    CHECK_NEAR(joiners(n, 0), 10.0, 1e-9);
    CHECK_NEAR(joiners(n, 1), 12.0, 1e-9);
    CHECK_NEAR(joiners(n, 2), 14.4, 1e-9);
    hnb_model_free(h);
    return check_done();
}
