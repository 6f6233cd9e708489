/* cmd_estimate.c: hnbsim estimate, a scenario file from a person-level
 * history (docs/estimation.md). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_estimate(hnb_model *h, int argc, char **argv)
{
    hnb_estimate_options eo = {0};
    int quiet = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
            continue;
        }
        if (strcmp(a, "--population") == 0 || strcmp(a, "--costs") == 0 || strcmp(a, "--out") == 0 ||
            strcmp(a, "--min-count") == 0 || strcmp(a, "--horizon") == 0) {
            if (!val) return usage_error("estimate", "%s needs a value", a);
            i++;
            if (strcmp(a, "--population") == 0) eo.population = val;
            if (strcmp(a, "--costs") == 0) eo.costs = val;
            if (strcmp(a, "--out") == 0) eo.out = val;
            if (strcmp(a, "--min-count") == 0) {
                uint64_t n;
                if (parse_u64(val, &n) || n < 1 || n > 1000000)
                    return usage_error("estimate", "--min-count: expected a whole number from 1 to 1000000, not '%s'",
                                       val);
                eo.min_count = (int)n;
            }
            if (strcmp(a, "--horizon") == 0) {
                int y, y2;
                char end;
                if (sscanf(val, "%4d-%2d%c", &y, &y2, &end) != 2 || strlen(val) != 7 || (y + 1) % 100 != y2)
                    return usage_error("estimate", "--horizon: expected a financial year such as 2030-31, not '%s'",
                                       val);
                eo.horizon_fy = y;
            }
            continue;
        }
        if (a[0] == '-' && a[1]) return usage_error("estimate", "unknown option '%s'", a);
        if (eo.history) return usage_error("estimate", "%s", "expected one history file");
        eo.history = a;
    }
    if (!eo.history) return usage_error("estimate", "%s", "expected a history file (HISTORY.csv)");
    if (!eo.out) return usage_error("estimate", "%s", "expected --out FILE (the scenario file to write)");
    int rc = hnb_estimate(h, &eo, quiet ? NULL : stdout);
    return rc ? fail(h, rc) : 0;
}
