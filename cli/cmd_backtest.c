/* cmd_backtest.c: hnbsim backtest and calibrate. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hnbsim_plots.h"
#include "hnbsim_report.h"

static int load_backtest(hnb_model *h, const opts *o)
{
    int rc =
        o->nfiles ? hnb_load_file_ex(h, o->files[0], HNB_LOAD_BACKTEST) : hnb_load_embedded_ex(h, HNB_LOAD_BACKTEST);
    if (!rc && hnb_scenario_count(h) == 0) {
        fprintf(stderr,
                "hnbsim: error: %s: no scenario has a \"backtest\" block (expected \"backtest\": {\"stocks\": "
                "{\"census\": 2023, ...}})\n",
                o->nfiles ? o->files[0] : "(embedded) sutton.json");
        return -1;
    }
    return rc;
}

int cmd_backtest(hnb_model *h, int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--national") == 0) return cmd_backtest_national(h, argc, argv);
    opts o;
    int rc = parse_opts("backtest", argc, argv, "--out --quiet", &o);
    if (rc) return rc;
    if (o.nfiles > 1) {
        free(o.files);
        return usage_error("backtest", "%s", "expected at most one scenario file");
    }
    rc = load_backtest(h, &o);
    if (rc == -1) {
        free(o.files);
        return EXIT_INPUT;
    }
    if (!rc) rc = hnb_backtest(h, o.quiet ? NULL : stdout);
    char *json = join(o.out, "backtest.json");
    if (!rc) rc = json ? hnb_write_results(h, json) : HNB_E_NOMEM;
    if (!rc) rc = hnb_export_results(h, o.out);
    if (!rc && !o.quiet) printf("\nBack-test results: %s, %s/hnbsim.xlsx (sheet Back-test)\n", json, o.out);
    free(json);
    free(o.files);
    return rc ? fail(h, rc) : 0;
}

int cmd_calibrate(hnb_model *h, int argc, char **argv)
{
    opts o;
    int rc = parse_opts("calibrate", argc, argv, "--out --fit --scenario --quiet", &o);
    if (rc) return rc;
    /* --fit NAME and --scenario NAME were left as files: pick them out */
    const char **fit = calloc((size_t)argc + 1, sizeof *fit);
    const char *scen = NULL, *file = NULL;
    int nf = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--fit") == 0 && i + 1 < argc)
            fit[nf++] = argv[++i];
        else if (strcmp(argv[i], "--scenario") == 0 && i + 1 < argc)
            scen = argv[++i];
        else if (strcmp(argv[i], "--out") == 0)
            i++;
        else if (argv[i][0] != '-') {
            if (file) {
                free(fit);
                free(o.files);
                return usage_error("calibrate", "%s", "expected at most one scenario file");
            }
            file = argv[i];
        }
    }
    o.nfiles = file ? 1 : 0;
    o.files[0] = file;
    rc = load_backtest(h, &o);
    if (rc == -1) {
        free(fit);
        free(o.files);
        return EXIT_INPUT;
    }
    char *json = join(o.out, "calibration.json"), *scn = join(o.out, "calibrated.json");
    hnb_calibrate_options co = {scen, nf ? fit : NULL, 0, NULL, scn};
    if (!rc) rc = hnb_calibrate(h, &co, o.quiet ? NULL : stdout);
    if (!rc) rc = hnb_write_results(h, json);
    if (!rc && !o.quiet) printf("\nCalibration: %s; calibrated scenario file: %s\n", json, scn);
    free(json);
    free(scn);
    free(fit);
    free(o.files);
    return rc ? fail(h, rc) : 0;
}
