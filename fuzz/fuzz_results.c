/* fuzz_results.c: libFuzzer target for the one checked reader of results
 * files (model/results/reader.c) and what reads its tree: the input is
 * written to a temporary file, loaded with hnb_load_results (which calls
 * results_read_checked), printed by the compare printer to /dev/null, and
 * compared with itself as two results files (hnb_compare_files). Any input
 * must give HNB_OK or a numbered error with a message, never a crash, a leak
 * or undefined behaviour. Build: cmake -S . -B build-fuzz
 * -DCMAKE_C_COMPILER=clang -DHNB_BUILD_FUZZERS=ON; run:
 * build-fuzz/fuzz/fuzz_results -jobs=1 fuzz/corpus-results (docs/testing.md). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hnbsim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    static FILE *devnull;
    if (!path[0]) snprintf(path, sizeof path, "/tmp/fuzz-results.%ld.json", (long)getpid());
    if (!devnull) devnull = fopen("/dev/null", "w");
    FILE *f = fopen(path, "wb");
    if (!f || !devnull) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    fclose(f);
    hnb_model *h = hnb_model_alloc();
    if (h) {
        int rc = hnb_load_results(h, path);
        if (rc != HNB_OK && hnb_errmsg(h)[0] == '\0') abort(); /* every error says what */
        if (rc == HNB_OK) hnb_compare_print(h, devnull);
        const char *const two[] = {path, path};
        rc = hnb_compare_files(h, two, 2, devnull, NULL);
        if (rc != HNB_OK && hnb_errmsg(h)[0] == '\0') abort();
    }
    hnb_model_free(h);
    unlink(path);
    return 0;
}
