/* fuzz_results.c: libFuzzer target for the one checked reader of results
 * files (model/results/reader.c) and what reads its tree: the input is
 * written to a temporary file, loaded with hnb_load_results (which calls
 * results_read_checked), printed by the compare printer to /dev/null, and
 * compared with itself as two results files (hnb_compare_files). Any input
 * must give HNB_OK or a numbered error with a message, never a crash, a leak
 * or undefined behaviour.
 *
 * Harness version 2 (docs/testing.md): the temporary file is made once per
 * process, in /dev/shm when there is one (memory, not disk), rewritten for
 * each input and removed at exit (version 1 created and removed a file on
 * disk for every input: a third of the time went to the file system); and a
 * file the reader refuses is not compared with itself (hnb_compare_files
 * would call the same reader on the same bytes and stop at the same place).
 *
 * Harness version 3: a file the reader accepts also goes through what
 * `hnbsim export` and `hnbsim report` do with it: the workbook and CSV
 * (hnb_export_results into a folder in /dev/shm, emptied after each input)
 * and the HTML paper (hnb_paper_results; no PDF, which needs Chromium).
 * `plot` reads the same tree through the same reader; its gnuplot runs are
 * left out (a process per chart would make the target a gnuplot fuzzer).
 * Build: cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang
 * -DHNB_BUILD_FUZZERS=ON; run: build-fuzz/fuzz/fuzz_results -jobs=1
 * fuzz/corpus-results (docs/testing.md). */
#include <stdint.h>
#include <stdio.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hnbsim.h"
#include "hnbsim_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64], outdir[64], paper[96];

/* The export folder emptied (it holds files only: workbook, CSVs). */
static void empty_outdir(void)
{
    DIR *d = opendir(outdir);
    if (!d) return;
    struct dirent *e;
    char f[400];
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') {
            snprintf(f, sizeof f, "%s/%s", outdir, e->d_name);
            unlink(f);
        }
    closedir(d);
}

static void remove_path(void)
{
    unlink(path);
    unlink(paper);
    empty_outdir();
    rmdir(outdir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *devnull;
    if (!path[0]) {
        const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(path, sizeof path, "%s/fuzz-results.%ld.json", tmp, (long)getpid());
        snprintf(outdir, sizeof outdir, "%s/fuzz-export.%ld", tmp, (long)getpid());
        snprintf(paper, sizeof paper, "%s/paper.html", outdir);
        if (mkdir(outdir, 0700) != 0) abort();
        atexit(remove_path);
    }
    if (!devnull) devnull = fopen("/dev/null", "w");
    FILE *f = fopen(path, "wb");
    if (!f || !devnull) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    if (fclose(f) != 0) abort();
    hnb_model *h = hnb_model_alloc();
    if (h) {
        int rc = hnb_load_results(h, path);
        if (rc != HNB_OK && hnb_errmsg(h)[0] == '\0') abort(); /* every error says what */
        if (rc == HNB_OK) {
            hnb_compare_print(h, devnull);
            const char *const two[] = {path, path};
            rc = hnb_compare_files(h, two, 2, devnull, NULL);
            if (rc != HNB_OK && hnb_errmsg(h)[0] == '\0') abort();
            rc = hnb_export_results(h, outdir);
            if (rc != HNB_OK && hnb_errmsg(h)[0] == '\0') abort();
            rc = hnb_paper_results(h, paper);
            if (rc != HNB_OK && hnb_errmsg(h)[0] == '\0') abort();
            empty_outdir();
        }
    }
    hnb_model_free(h);
    return 0;
}
