/* fuzz_scenario.c: libFuzzer target for the scenario loader (cJSON parsing,
 * layered extends, every key's validation). Any input must give HNB_OK or a
 * numbered error with a message, never a crash, a leak or undefined
 * behaviour. Build: cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang
 * -DHNB_BUILD_FUZZERS=ON; run: build-fuzz/fuzz/fuzz_scenario fuzz/corpus. */
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
        if (rc != HNB_OK && hnb_errmsg(h)[0] == '\0') abort(); /* every error says what */
        if (rc == HNB_OK && hnb_scenario_count(h) > 0) {
            hnb_run_options o = {0, 1, 1, 0, 0, NULL};
            hnb_run(h, &o);
        }
    }
    hnb_model_free(h);
    free(text);
    return 0;
}
