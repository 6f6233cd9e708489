/* test_sensitivity.c: the tornado's numbers by hand (sensitivity.c).
 *
 * The hand case (tests/test_model.c) with the NMI unit cost uniform on
 * £50,000-£70,000: its 10th and 90th percentiles are £52,000 and £68,000.
 * The override ends on 31 March 2027, when the cumulative position is
 * +£12,313.33 at the central £60,000. NMI spend is (5/12 x 10 + 7/12 x 8.4) =
 * 9.066667 weighted places in 2025-26 at the 2025-26 cost, and 7.56 in 2026-27
 * at 1.05 times it, so each £1 on the 2025-26 cost moves the cumulative
 * position by -(9.066667 + 7.56 x 1.05) = -17.004667: £8,000 less gives
 * +£136,037.33, £8,000 more -£136,037.33. */
#include "check.h"
#include "core/model.h"

int main(void)
{
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_load_file(h, "data/sens.json");
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    CHECK(rc == HNB_OK);
    hnb_run_options o = {20, 1, 1, 0, 0, NULL};
    CHECK(hnb_run(h, &o) == HNB_OK);
    const cJSON *sw = cJSON_GetObjectItem(h->results, "sweep");
    CHECK(sw != NULL);
    const double base = 12313.0 + 1.0 / 3.0, swing = 8000.0 * (9.0 + 2.0 / 30.0 + 7.56 * 1.05);
    CHECK_NEAR(cJSON_GetObjectItem(sw, "base")->valuedouble, base, 1e-6);
    const cJSON *b = cJSON_GetArrayItem(cJSON_GetObjectItem(sw, "bars"), 0);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(sw, "bars")) == 1);
    CHECK_STR_CONTAINS(cJSON_GetObjectItem(b, "assumption")->valuestring, "placements.nmi.unit_cost");
    CHECK_NEAR(cJSON_GetObjectItem(b, "low")->valuedouble, base + swing, 1e-4);
    CHECK_NEAR(cJSON_GetObjectItem(b, "high")->valuedouble, base - swing, 1e-4);
    hnb_model_free(h);

    /* Sutton: assumptions tied by a shared factor are one bar, bars run from
     * the widest swing down */
    h = hnb_model_alloc();
    CHECK(hnb_load_embedded(h) == HNB_OK);
    CHECK(hnb_run(h, &o) == HNB_OK);
    sw = cJSON_GetObjectItem(h->results, "sweep");
    double prev = 1e300;
    int calibration = 0, alone = 0;
    for (const cJSON *e = cJSON_GetObjectItem(sw, "bars")->child; e; e = e->next) {
        double lo = cJSON_GetObjectItem(e, "low")->valuedouble, hi = cJSON_GetObjectItem(e, "high")->valuedouble;
        CHECK(fabs(hi - lo) <= prev);
        prev = fabs(hi - lo);
        const char *name = cJSON_GetObjectItem(e, "assumption")->valuestring;
        calibration += strstr(name, "calibration (") != NULL;
        alone += strcmp(name, "cost_scale") == 0;
    }
    CHECK(calibration == 1);
    CHECK(alone == 0); /* never swung without the allocation it was fitted with */
    hnb_model_free(h);
    return check_done();
}
