/* test_running_cost.c: an action that saves on one line and costs on another
 * is reported net (tests/data/iv-cost.json on the hand case of test_model.c).
 *
 * From 1 October 2025 an outreach team saves £200,000 a year on special school
 * spend and costs £120,000 a year, charged to the outreach line. 2025-26 is half
 * over when it starts: special -100,000, outreach +60,000 (100,000 + 60,000 =
 * 160,000), a net saving of 40,000. From 2026-27: -200,000 and +120,000, net
 * 80,000 a year. The savings attribution (one action) is exactly that net. */
#include "check.h"
#include "core/model.h"

static const cJSON *year(const cJSON *sc, int k) { return cJSON_GetArrayItem(cJSON_GetObjectItem(sc, "years"), k); }
static double line(const cJSON *y, const char *id)
{
    return cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(y, "spend"), "by_line"), id)->valuedouble;
}

int main(void)
{
    hnb_model *h = hnb_model_alloc();
    CHECK(hnb_load_file(h, "data/hand.json") == HNB_OK);
    int rc = hnb_load_file(h, "data/iv-cost.json");
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    CHECK(rc == HNB_OK);
    CHECK(hnb_run(h, NULL) == HNB_OK);
    const cJSON *sc = cJSON_GetObjectItem(h->results, "scenarios");
    const cJSON *base = cJSON_GetArrayItem(sc, 0), *plan = cJSON_GetArrayItem(sc, 1);
    CHECK_NEAR(line(year(plan, 0), "outreach"), 160000.0, 1e-6);
    CHECK_NEAR(line(year(plan, 1), "outreach"), 220000.0, 1e-6);
    CHECK_NEAR(line(year(base, 0), "special") - line(year(plan, 0), "special"), 100000.0, 1e-6);
    CHECK_NEAR(line(year(base, 1), "special") - line(year(plan, 1), "special"), 200000.0, 1e-6);
    const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(plan, "savings"), "actions"), 0);
    const cJSON *by = cJSON_GetObjectItem(a, "by_year");
    CHECK_NEAR(cJSON_GetObjectItem(by, "2025-26")->valuedouble, 40000.0, 1e-6);
    CHECK_NEAR(cJSON_GetObjectItem(by, "2026-27")->valuedouble, 80000.0, 1e-6);
    CHECK(cJSON_GetObjectItem(cJSON_GetObjectItem(plan, "savings"), "other_changes") == NULL);
    hnb_model_free(h);

    /* a cost_line without a running_cost is an error, not ignored */
    h = hnb_model_alloc();
    FILE *f = fopen("data/iv-cost-bad.json.tmp", "w");
    fputs("{\"format\": \"hnbsim-scenarios\", \"scenarios\": {\"p\": {\"extends\": \"hand.json#base\", "
          "\"interventions\": [{\"name\": \"x\", \"type\": \"spend_saving\", \"start\": \"2025-10-01\", "
          "\"line\": \"special\", \"amount\": 1, \"cost_line\": \"outreach\"}]}}}",
          f);
    fclose(f);
    CHECK(hnb_load_file(h, "data/iv-cost-bad.json.tmp") == HNB_E_MISSING);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "scenarios.p.interventions[0].running_cost: cost_line without running_cost");
    remove("data/iv-cost-bad.json.tmp");
    hnb_model_free(h);
    return check_done();
}
