/* fuzz_montecarlo.c: libFuzzer target for a Monte Carlo run of whatever the
 * loader accepts: the input is a scenario file; when it loads, every scenario
 * runs deterministically and 4 Monte Carlo paths on one thread (sampling each
 * uncertain assumption, the projection of each path, the percentiles and
 * chances), then the results are printed as JSON. Any input must give HNB_OK
 * or a numbered error with a message, never a crash, a leak or undefined
 * behaviour. The documented limits (30 years, 400 placements, 200 actions)
 * keep one input's run short. Build as fuzz_scenario; run:
 * build-fuzz/fuzz/fuzz_montecarlo -jobs=1 fuzz/corpus (docs/testing.md). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hnbsim.h"
#include "core/scenario.h"
#include "input/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    hnb_model *h = hnb_model_alloc();
    if (h) {
        int rc = scenario_load_text(h, "fuzz.json", text, size, 0, 0);
        if (rc != HNB_OK && hnb_errmsg(h)[0] == '\0') abort();
        if (rc == HNB_OK && hnb_scenario_count(h) > 0) {
            hnb_run_options o = {4, 1, 1, 0, 0, NULL};
            rc = hnb_run(h, &o);
            if (rc != HNB_OK && hnb_errmsg(h)[0] == '\0') abort();
            char *json = NULL;
            if (rc == HNB_OK && hnb_results_string(h, &json) == HNB_OK) free(json);
        }
    }
    hnb_model_free(h);
    free(text);
    return 0;
}
