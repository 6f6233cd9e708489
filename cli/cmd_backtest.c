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
    int rc = o->nfiles ? hnb_load_file_ex(h, o->files[0], HNB_LOAD_BACKTEST | o->load_flags)
                       : hnb_load_embedded_ex(h, HNB_LOAD_BACKTEST);
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
    int rc = parse_opts("backtest", argc, argv, "--out --quiet --force --allow-outside", &o);
    if (rc) return rc;
    if (!o.out_given) o.out = "out/backtest"; /* its own folder: never run's */
    if (o.nfiles > 1) {
        free(o.files);
        return usage_error("backtest", "%s", "expected at most one scenario file");
    }
    rc = load_backtest(h, &o);
    if (rc == -1) {
        free(o.files);
        return EXIT_INPUT;
    }
    outset out;
    int e = rc ? 0 : outset_begin(&out, o.out, "backtest", o.force);
    if (e) {
        free(o.files);
        return e;
    }
    if (!rc) rc = hnb_backtest(h, o.quiet ? NULL : stdout);
    char *json = rc ? NULL : outset_path(&out, "backtest.json");
    if (!rc) rc = json ? hnb_write_results(h, json) : HNB_E_NOMEM;
    if (!rc) rc = hnb_export_results(h, out.staging);
    free(json);
    if (!rc) {
        e = outset_commit(&out);
        if (!e && !o.quiet)
            printf("\nBack-test results: %s/backtest.json, %s/hnbsim.xlsx (sheet Back-test)\n", o.out, o.out);
        free(o.files);
        return e;
    }
    if (hnb_scenario_count(h)) outset_abort(&out);
    free(o.files);
    return fail(h, rc);
}

int cmd_calibrate(hnb_model *h, int argc, char **argv)
{
    opts o;
    int rc = parse_opts("calibrate", argc, argv, "--out --fit --scenario --quiet --force --allow-outside", &o);
    if (rc) return rc;
    if (!o.out_given) o.out = "out/calibration"; /* its own folder: never run's */
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
    outset out;
    int e = rc ? 0 : outset_begin(&out, o.out, "calibrate", o.force);
    if (e) {
        free(fit);
        free(o.files);
        return e;
    }
    char *json = rc ? NULL : outset_path(&out, "calibration.json"),
         *scn = rc ? NULL : outset_path(&out, "calibrated.json");
    hnb_calibrate_options co = {scen, nf ? fit : NULL, 0, NULL, scn};
    if (!rc && (!json || !scn)) rc = HNB_E_NOMEM;
    if (!rc) rc = hnb_calibrate(h, &co, o.quiet ? NULL : stdout);
    if (!rc) rc = hnb_write_results(h, json);
    free(json);
    free(scn);
    free(fit);
    free(o.files);
    if (rc) {
        if (out.staging[0]) outset_abort(&out);
        return fail(h, rc);
    }
    e = outset_commit(&out);
    if (!e && !o.quiet)
        printf("\nCalibration: %s/calibration.json; calibrated scenario file: %s/calibrated.json\n", o.out, o.out);
    return e;
}
