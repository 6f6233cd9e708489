/* position.c: the smallest complete program on libhnbsim (docs/api.md).
 *
 * Loads a scenario file (or, with no argument, the embedded London Borough
 * of Sutton scenarios), runs it deterministically, and prints each
 * scenario's cumulative DSG position at the end of every financial year
 * (31 March) and at the end of the statutory override, in £m, from the
 * figures of the run (hnb_result_number: docs/results-format.md). Exit 0, or 1 with the
 * library's messages on stderr.
 *
 *   cc position.c $(pkg-config --cflags --libs hnbsim) -o position
 *   ./position [SCENARIO.json] */
#include <stdio.h>
#include <stdlib.h>

#include <hnbsim.h>

/* Print the library's detail for a failed call and give the exit status. */
static int fail(hnb_model *h, int rc)
{
    const char *detail = hnb_errmsg(h);
    fprintf(stderr, "position: %s\n", *detail ? detail : hnb_strerror(rc));
    hnb_model_free(h);
    return 1;
}

int main(int argc, char **argv)
{
    hnb_model *h = hnb_model_alloc();
    if (!h) {
        fprintf(stderr, "position: out of memory\n");
        return 1;
    }
    int rc = argc > 1 ? hnb_load_file(h, argv[1]) : hnb_load_embedded(h);
    if (rc) return fail(h, rc);

    hnb_run_options opt = {0};
    opt.seed = 1;        /* used only with opt.paths > 0 (Monte Carlo) */
    opt.attribution = 0; /* savings by action are not needed here */
    rc = hnb_run(h, &opt);
    if (rc) return fail(h, rc);

    printf("hnbsim %s: cumulative DSG position, £m (negative = deficit)\n", hnb_version());
    for (size_t i = 0; i < hnb_scenario_count(h); i++) {
        const char *name = hnb_scenario_name(h, i);
        char path[512];
        size_t nyears = 0;
        snprintf(path, sizeof path, "scenarios.%s.years", name);
        rc = hnb_result_count(h, path, &nyears);
        if (rc) return fail(h, rc);
        printf("%s\n", name);
        for (size_t y = 0; y < nyears; y++) {
            const char *fy = NULL;
            double cumulative = 0;
            snprintf(path, sizeof path, "scenarios.%s.years.%zu.fy", name, y);
            rc = hnb_result_string(h, path, &fy);
            snprintf(path, sizeof path, "scenarios.%s.years.%zu.cumulative", name, y);
            if (!rc) rc = hnb_result_number(h, path, &cumulative);
            if (rc) return fail(h, rc);
            printf("  %s (at 31 March %d): %8.1f\n", fy, atoi(fy) + 1, cumulative / 1e6);
        }
        const char *end = NULL;
        double at_end = 0;
        snprintf(path, sizeof path, "scenarios.%s.override_end", name);
        rc = hnb_result_string(h, path, &end);
        snprintf(path, sizeof path, "scenarios.%s.headline.cumulative_at_override_end", name);
        if (!rc) rc = hnb_result_number(h, path, &at_end);
        if (rc) return fail(h, rc);
        printf("  at the end of the override (%s): %.1f\n", end, at_end / 1e6);
    }
    hnb_model_free(h);
    return 0;
}
