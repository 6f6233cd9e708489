/* main.c: the hnbsim command-line tool, a thin layer over libhnbsim.
 *
 * It parses arguments, calls the library, and prints; it holds no model
 * logic. Subcommands are dispatched from one table {name, function, usage,
 * help}. Errors from the library are printed one per line as
 *   hnbsim: error: <file>: <json.path>: <what> (expected <what>)
 * Exit codes: 0 success; 1 bad input (a scenario or results file that is
 * malformed or out of range); 2 usage (unknown command or option); 3 files,
 * external programs or internal errors (cannot write, gnuplot failed, out of
 * memory). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hnbsim.h"
#include "hnbsim_plots.h"
#include "hnbsim_report.h"

enum { EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

static int exit_code_for(int rc)
{
    if (rc == HNB_OK) return 0;
    if (rc >= 200 && rc < 300) return EXIT_INPUT;
    if (rc >= 400) return EXIT_USAGE;
    return EXIT_IO;
}

static int fail(hnb_model *h, int rc)
{
    const char *msg = hnb_errmsg(h);
    if (!*msg) msg = hnb_strerror(rc);
    const char *p = msg;
    while (*p) {
        const char *nl = strchr(p, '\n');
        int n = nl ? (int)(nl - p) : (int)strlen(p);
        fprintf(stderr, "hnbsim: error: %.*s\n", n, p);
        p += n + (nl ? 1 : 0);
    }
    return exit_code_for(rc);
}

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "hnbsim: error: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'hnbsim %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
    return EXIT_USAGE;
}

/* ---- options shared by the subcommands --------------------------------- */

typedef struct opts {
    const char *out;
    const char **files;
    int nfiles;
    hnb_run_options run;
    unsigned formats;
    int charts, spreadsheets, quiet;
} opts;

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!s || *s == '-' || !*s) return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return -1;
    *out = (uint64_t)v;
    return 0;
}

static int parse_formats(const char *s, unsigned *out)
{
    *out = 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (strcmp(t, "png") == 0)
            *out |= HNB_FMT_PNG;
        else if (strcmp(t, "pdf") == 0)
            *out |= HNB_FMT_PDF;
        else if (strcmp(t, "svg") == 0)
            *out |= HNB_FMT_SVG;
        else
            return -1;
    }
    return *out ? 0 : -1;
}

/* Parse argv into o; `allowed` lists the options this command takes. */
static int parse_opts_into(const char *cmd, int argc, char **argv, const char *allowed, opts *o)
{
    memset(o, 0, sizeof *o);
    o->out = "out";
    o->run.seed = 1;
    o->run.attribution = 1;
    o->formats = HNB_FMT_PNG | HNB_FMT_PDF;
    o->charts = o->spreadsheets = 1;
    o->files = calloc((size_t)argc + 1, sizeof *o->files);
    if (!o->files) return EXIT_IO;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            o->files[o->nfiles++] = a;
            continue;
        }
        if (!strstr(allowed, a) || (strstr(allowed, a)[strlen(a)] != ' ' && strstr(allowed, a)[strlen(a)] != '\0'))
            return usage_error(cmd, "unknown option '%s'", a);
        int takes = strcmp(a, "--out") == 0 || strcmp(a, "--fit") == 0 || strcmp(a, "--scenario") == 0 ||
                    strcmp(a, "--paths") == 0 || strcmp(a, "--seed") == 0 || strcmp(a, "--threads") == 0 ||
                    strcmp(a, "--format") == 0 || strcmp(a, "--paths-out") == 0;
        const char *v = takes ? (i + 1 < argc ? argv[++i] : NULL) : NULL;
        if (takes && !v) return usage_error(cmd, "option '%s' needs a value", a);
        uint64_t n;
        if (strcmp(a, "--out") == 0)
            o->out = v;
        else if (strcmp(a, "--paths-out") == 0)
            o->run.paths_out = v;
        else if (strcmp(a, "--fit") == 0 || strcmp(a, "--scenario") == 0)
            continue; /* read by the command */
        else if (strcmp(a, "--paths") == 0) {
            if (parse_u64(v, &o->run.paths)) return usage_error(cmd, "--paths: '%s' is not a whole number of paths", v);
        } else if (strcmp(a, "--seed") == 0) {
            if (parse_u64(v, &o->run.seed)) return usage_error(cmd, "--seed: '%s' is not a whole number", v);
        } else if (strcmp(a, "--threads") == 0) {
            if (parse_u64(v, &n) || n > 1024)
                return usage_error(cmd, "--threads: '%s' is not a number of threads (0-1024)", v);
            o->run.threads = (int)n;
        } else if (strcmp(a, "--format") == 0) {
            if (parse_formats(v, &o->formats))
                return usage_error(cmd, "--format: '%s' is not a list of png, pdf, svg", v);
        } else if (strcmp(a, "--no-charts") == 0)
            o->charts = 0;
        else if (strcmp(a, "--no-spreadsheets") == 0)
            o->spreadsheets = 0;
        else if (strcmp(a, "--quiet") == 0)
            o->quiet = 1;
    }
    if (o->run.paths_out && o->run.paths == 0)
        return usage_error(cmd, "%s", "--paths-out needs --paths N: there are no paths to write without Monte Carlo");
    o->run.progress = isatty(STDERR_FILENO) && !o->quiet;
    return 0;
}

/* Parse argv into o; on a usage error o holds nothing to free. */
static int parse_opts(const char *cmd, int argc, char **argv, const char *allowed, opts *o)
{
    int rc = parse_opts_into(cmd, argc, argv, allowed, o);
    if (rc) {
        free(o->files);
        o->files = NULL;
    }
    return rc;
}

static int load_all(hnb_model *h, const opts *o)
{
    if (o->nfiles == 0) return hnb_load_embedded(h);
    for (int i = 0; i < o->nfiles; i++) {
        int rc = hnb_load_file(h, o->files[i]);
        if (rc) return rc;
    }
    return HNB_OK;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s/%s", dir, name);
    return s;
}

/* ---- subcommands --------------------------------------------------------- */

static int cmd_run(hnb_model *h, int argc, char **argv)
{
    opts o;
    int rc =
        parse_opts("run", argc, argv,
                   "--out --paths --seed --threads --paths-out --format --no-charts --no-spreadsheets --quiet", &o);
    if (rc) return rc;
    rc = load_all(h, &o);
    if (!rc) rc = hnb_run(h, &o.run);
    char *json = join(o.out, "results.json"), *charts = join(o.out, "charts");
    if (!rc && (!json || !charts)) rc = HNB_E_NOMEM;
    if (!rc) rc = hnb_add_backtest(h);
    if (!rc) rc = hnb_write_results(h, json);
    if (!rc && o.spreadsheets) rc = hnb_export_results(h, o.out);
    if (!rc && o.charts) rc = hnb_plot_results(h, charts, o.formats);
    if (!rc && !o.quiet) {
        hnb_compare_print(h, stdout);
        printf("\nResults: %s", json);
        if (o.spreadsheets) printf(", %s/hnbsim.xlsx, %s/csv/", o.out, o.out);
        if (o.charts) printf(", %s/", charts);
        printf("\n");
    }
    free(json);
    free(charts);
    free(o.files);
    return rc ? fail(h, rc) : 0;
}

static int cmd_validate(hnb_model *h, int argc, char **argv)
{
    opts o;
    int rc = parse_opts("validate", argc, argv, "--quiet", &o);
    if (rc) return rc;
    if (o.nfiles == 0) {
        free(o.files);
        return usage_error("validate", "%s", "no scenario file given (expected hnbsim validate SCENARIO.json ...)");
    }
    int worst = 0;
    for (int i = 0; i < o.nfiles; i++) {
        rc = hnb_load_file(h, o.files[i]);
        if (rc) {
            int e = fail(h, rc);
            if (e > worst) worst = e;
        } else if (!o.quiet) {
            printf("%s: ok\n", o.files[i]);
        }
    }
    free(o.files);
    return worst;
}

static int cmd_compare(hnb_model *h, int argc, char **argv)
{
    opts o;
    int rc = parse_opts("compare", argc, argv, "--quiet", &o);
    if (rc) return rc;
    if (o.nfiles == 1 && hnb_load_results(h, o.files[0]) == HNB_OK) {
        rc = HNB_OK;
    } else {
        rc = load_all(h, &o);
        o.run.attribution = 0;
        if (!rc) rc = hnb_run(h, &o.run);
    }
    if (!rc) rc = hnb_compare_print(h, stdout);
    free(o.files);
    return rc ? fail(h, rc) : 0;
}

static int cmd_plot(hnb_model *h, int argc, char **argv)
{
    opts o;
    int rc = parse_opts("plot", argc, argv, "--out --format", &o);
    if (rc) return rc;
    if (o.nfiles != 1) {
        free(o.files);
        return usage_error("plot", "%s", "expected one results file: hnbsim plot RESULTS.json [--out DIR]");
    }
    if (strcmp(o.out, "out") == 0) o.out = "out/charts";
    rc = hnb_plot_file(h, o.files[0], o.out, o.formats);
    if (!rc) printf("Charts: %s/\n", o.out);
    free(o.files);
    return rc ? fail(h, rc) : 0;
}

static int cmd_export(hnb_model *h, int argc, char **argv)
{
    opts o;
    int rc = parse_opts("export", argc, argv, "--out", &o);
    if (rc) return rc;
    if (o.nfiles != 1) {
        free(o.files);
        return usage_error("export", "%s", "expected one results file: hnbsim export RESULTS.json [--out DIR]");
    }
    rc = hnb_export_file(h, o.files[0], o.out);
    if (!rc) printf("Workbook: %s/hnbsim.xlsx; CSV: %s/csv/\n", o.out, o.out);
    free(o.files);
    return rc ? fail(h, rc) : 0;
}

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

static int cmd_backtest(hnb_model *h, int argc, char **argv)
{
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

static int cmd_calibrate(hnb_model *h, int argc, char **argv)
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

typedef struct command {
    const char *name;
    int (*fn)(hnb_model *, int, char **);
    const char *usage;
    const char *help;
} command;

static const command commands[] = {
    {"run", cmd_run,
     "hnbsim run [SCENARIO.json ...] [--out DIR] [--paths N --seed S --threads T] [--paths-out FILE] [--format "
     "png,pdf,svg]",
     "Run the scenarios (the embedded Sutton scenarios if no file is given) and write\n"
     "DIR/results.json, DIR/hnbsim.xlsx, DIR/csv/ and DIR/charts/ (DIR defaults to ./out).\n"
     "  --out DIR           output folder (created if needed; default out)\n"
     "  --paths N           Monte Carlo paths (default 0: deterministic only)\n"
     "  --seed S            Monte Carlo seed (default 1)\n"
     "  --threads T         worker threads (default 0: one per core)\n"
     "  --paths-out FILE    also write every path's figures as CSV (docs/results-format.md)\n"
     "  --format LIST       chart formats, from png,pdf,svg (default png,pdf)\n"
     "  --no-charts         do not draw charts (no gnuplot needed)\n"
     "  --no-spreadsheets   do not write the workbook and CSV files\n"
     "  --quiet             print nothing on success\n"},
    {"validate", cmd_validate, "hnbsim validate SCENARIO.json ...",
     "Check scenario files and report every problem (file, JSON path, what was\n"
     "found, what was expected). Exit 0 if all are valid, 1 if any is not.\n"},
    {"compare", cmd_compare, "hnbsim compare SCENARIO.json ... | RESULTS.json",
     "Print the scenarios side by side: EHCPs, spend, in-year and cumulative\n"
     "position by financial year, and the headline figures.\n"},
    {"backtest", cmd_backtest, "hnbsim backtest [SCENARIO.json] [--out DIR]",
     "Start each scenario from its \"backtest\" block (for Sutton: the January 2023\n"
     "census), run it forward with the scenario's assumptions, and print the model\n"
     "against every published figure with the error. Writes DIR/backtest.json.\n"},
    {"calibrate", cmd_calibrate, "hnbsim calibrate [SCENARIO.json] [--scenario NAME] [--fit NAME]... [--out DIR]",
     "Fit named assumptions (by default those in the file's \"calibration\" block) to\n"
     "the published figures by weighted least squares (GSL), report the fitted\n"
     "values, standard errors and residuals, then repeat the fit on the figures up\n"
     "to the hold-out point and predict the rest. Writes DIR/calibration.json and\n"
     "DIR/calibrated.json (the scenario file with the fitted values).\n"},
    {"plot", cmd_plot, "hnbsim plot RESULTS.json [--out DIR] [--format png,pdf,svg]",
     "Redraw the charts from a results file without rerunning the model\n"
     "(default DIR: out/charts). Needs gnuplot.\n"},
    {"export", cmd_export, "hnbsim export RESULTS.json [--out DIR]",
     "Write the workbook (DIR/hnbsim.xlsx) and CSV files (DIR/csv/) from a results file.\n"},
};
static const size_t ncommands = sizeof commands / sizeof commands[0];

static void print_help(void)
{
    printf("hnbsim %s: High Needs Block forecasting for English local authorities\n\n", hnb_version());
    printf("Usage:\n");
    for (size_t i = 0; i < ncommands; i++) printf("  %s\n", commands[i].usage);
    printf("\n  hnbsim --help | --version | <command> --help\n\n"
           "With no scenario file, 'hnbsim run' runs the embedded London Borough of Sutton\n"
           "scenarios. Exit codes: 0 success, 1 bad input, 2 usage error, 3 file, gnuplot\n"
           "or internal error. Docs: docs/ in the source tree.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help();
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        print_help();
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("hnbsim %s\n", hnb_version());
        return 0;
    }
    for (size_t i = 0; i < ncommands; i++) {
        if (strcmp(argv[1], commands[i].name) != 0) continue;
        for (int k = 2; k < argc; k++)
            if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
                printf("Usage: %s\n\n%s", commands[i].usage, commands[i].help);
                return 0;
            }
        hnb_model *h = hnb_model_alloc();
        if (!h) {
            fprintf(stderr, "hnbsim: error: out of memory\n");
            return EXIT_IO;
        }
        int rc = commands[i].fn(h, argc - 2, argv + 2);
        hnb_model_free(h);
        return rc;
    }
    return usage_error(NULL, "unknown command '%s'", argv[1]);
}
