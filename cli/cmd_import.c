/* cmd_import.c: hnbsim import-sen2, a scenario file for any English
 * authority from DfE's SEN2 tables. The file goes to --out (written
 * atomically) or to standard output; a summary line goes to stderr. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_import(hnb_model *h, int argc, char **argv)
{
    hnb_import_options o = {0};
    const char *out = NULL;
    int quiet = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int takes =
            strcmp(a, "--la") == 0 || strcmp(a, "--census") == 0 || strcmp(a, "--out") == 0 || strcmp(a, "--data") == 0;
        if (!takes && strcmp(a, "--quiet") != 0) return usage_error("import-sen2", "unknown option '%s'", a);
        if (!takes) {
            quiet = 1;
            continue;
        }
        if (i + 1 >= argc) return usage_error("import-sen2", "option '%s' needs a value", a);
        const char *v = argv[++i];
        if (strcmp(a, "--la") == 0) {
            o.la = v;
        } else if (strcmp(a, "--out") == 0) {
            out = v;
        } else if (strcmp(a, "--data") == 0) {
            o.data_dir = v;
        } else {
            uint64_t y;
            if (parse_u64(v, &y) || y < 2000 || y > 2100)
                return usage_error("import-sen2", "--census: '%s' is not a census year such as 2025", v);
            o.census = (int)y;
        }
    }
    if (!o.la) return usage_error("import-sen2", "%s", "--la NAME is required (an authority's name or code)");
    char *json = NULL;
    int rc = hnb_import_sen2(h, &o, &json);
    if (!rc) {
        if (out) {
            size_t n = strlen(json);
            char *t = malloc(n + 2);
            if (!t) {
                free(json);
                return EXIT_IO;
            }
            memcpy(t, json, n);
            t[n] = '\n';
            t[n + 1] = '\0';
            rc = hnb_write_text(h, out, t);
            free(t);
        } else {
            printf("%s\n", json);
        }
    }
    free(json);
    if (rc) return fail(h, rc);
    if (out && !quiet) fprintf(stderr, "%s: written; hnbsim validate %s lists the figures to replace\n", out, out);
    return 0;
}
