/* fuzz_replay.c: replays the fuzzers' regression files without libFuzzer.
 *
 * Linked with one fuzz target (fuzz/fuzz_*.c), it feeds each file named on
 * the command line, or each file in a folder named there, to that target's
 * LLVMFuzzerTestOneInput, exactly as the fuzzer did when it found it. Every
 * input that once crashed, leaked or misbehaved is kept under
 * tests/data/fuzz/<target>/ and replayed by ctest (the ASan and UBSan build
 * of scripts/test makes a leak or undefined behaviour fail it too). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open\n", path);
        return 1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *t = realloc(buf, cap * 2);
            if (!t) break;
            buf = t;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf) return 1;
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    printf("replayed %s (%zu bytes)\n", path, n);
    return 0;
}

int main(int argc, char **argv)
{
    int bad = 0, count = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            struct dirent **names = NULL;
            int n = scandir(argv[i], &names, NULL, alphasort);
            for (int k = 0; k < n; k++) {
                if (names[k]->d_name[0] != '.') {
                    char path[4096];
                    snprintf(path, sizeof path, "%s/%s", argv[i], names[k]->d_name);
                    bad |= replay_file(path);
                    count++;
                }
                free(names[k]);
            }
            free(names);
        } else {
            bad |= replay_file(argv[i]);
            count++;
        }
    }
    printf("%d inputs replayed\n", count);
    return bad || count == 0;
}
