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

#include "cli.h"

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
     "Under mpirun (when built with MPI) the Monte Carlo paths are spread over the\n"
     "ranks; the files are the same bytes.\n"
     "  --out DIR           output folder (created if needed; default out)\n"
     "  --paths N           Monte Carlo paths (default 0: deterministic only)\n"
     "  --seed S            Monte Carlo seed (default 1)\n"
     "  --threads T         worker threads (default 0: one per core)\n"
     "  --paths-out FILE    also write every path's figures as CSV, and beside it each\n"
     "                      scenario's sampled inputs, FILE-inputs-NAME.csv (docs/results-format.md)\n"
     "  --scenario NAME     run one scenario of the file (with the scenarios it extends)\n"
     "  --json              print the headline figures as JSON on stdout, for scripts\n"
     "                      (docs/results-format.md, \"--json\"), instead of the tables\n"
     "  --grid-csv          also write DIR/grid.csv: EHCPs by census, age, need and placement\n"
     "  --format LIST       chart formats, from png,pdf,svg (default png,pdf)\n"
     "  --own-scales        each scenario's fan, EHCP and spend charts on its own scale\n"
     "                      (default: the same axes for every scenario, to compare)\n"
     "  --no-charts         do not draw charts (no gnuplot needed)\n"
     "  --no-spreadsheets   do not write the workbook and CSV files\n"
     "  --excel-csv         also write DIR/csv-excel/: the CSV files with a UTF-8 byte-order\n"
     "                      mark, so Excel on Windows reads the £ sign\n"
     "  --allow-outside     let \"extends\" name files outside the scenario's folder\n"
     "  --quiet             print nothing on success (no tables, no progress line)\n"
     "  --force             write into a folder another command (or you) wrote files in\n"
     "  --report            also the Schools Forum paper: DIR/report.html and DIR/report.pdf\n"
     "                      (the PDF by headless Chromium; skipped with a note without it)\n"
     "  --no-pdf            with --report: the HTML only\n"},
    {"validate", cmd_validate, "hnbsim validate SCENARIO.json ... [--scenario NAME]",
     "Check scenario files and report every problem (file, JSON path, what was\n"
     "found, what was expected). Exit 0 if all are valid, 1 if any is not.\n"
     "  --scenario NAME     also show that scenario as the model will use it: every\n"
     "                      assumption the file states, with its unit and source\n"
     "  --allow-outside     let \"extends\" name files outside the scenario's folder\n"},
    {"compare", cmd_compare,
     "hnbsim compare SCENARIO.json ... | RESULTS.json | RESULTS.json RESULTS.json ... [--out DIR]",
     "Print the scenarios side by side: EHCPs, spend, in-year and cumulative\n"
     "position by financial year, the headline figures and the Monte Carlo range.\n"
     "Given two results files or more (this month against last, or two\n"
     "authorities), compare them by scenario label with the changes; --out DIR\n"
     "also writes DIR/comparison.json and DIR/comparison.csv.\n"
     "  --out DIR           with results files: where to write the comparison\n"
     "  --quiet             print nothing on success\n"},
    {"backtest", cmd_backtest, "hnbsim backtest [SCENARIO.json] [--out DIR] | --national [--from 2023] [--paths N]",
     "Start each scenario from its \"backtest\" block (for Sutton: the January 2023\n"
     "census), run it forward with the scenario's assumptions, and print the model\n"
     "against every published figure with the error. Writes DIR/backtest.json.\n"
     "With --national: forecast every authority's EHCPs from January YEAR (default\n"
     "2023) and the next census, with nothing published later, and print the error\n"
     "distribution beside three baselines and the Monte Carlo interval coverage\n"
     "(docs/calibration.md). Writes DIR/backtest-national.json and .csv.\n"
     "  --force             write into a folder another command (or you) wrote files in\n"},
    {"calibrate", cmd_calibrate, "hnbsim calibrate [SCENARIO.json] [--scenario NAME] [--fit NAME]... [--out DIR]",
     "Fit named assumptions (by default those in the file's \"calibration\" block) to\n"
     "the published figures by weighted least squares (GSL), report the fitted\n"
     "values, standard errors and residuals, then repeat the fit on the figures up\n"
     "to the hold-out point and predict the rest. Writes DIR/calibration.json and\n"
     "DIR/calibrated.json (the scenario file with the fitted values).\n"
     "  --force             write into a folder another command (or you) wrote files in\n"},
    {"import-sen2", cmd_import, "hnbsim import-sen2 --la NAME|CODE [--census YEAR] [--out FILE] [--data DIR]",
     "Write a complete scenario file for any English authority from DfE's SEN2 tables\n"
     "(data/sen2): stocks by age and placement at the January census, cease rates,\n"
     "joiners, growth, the censuses as actuals, and national money defaults marked\n"
     "\"replace\": true (hnbsim validate lists them). Uses nothing published after\n"
     "the census (docs/sen2-mapping.md). Without --out the file goes to stdout.\n"
     "  --la NAME|CODE   name, ONS code (E09000029) or old code (319)\n"
     "  --census YEAR    the starting January census, 2023 to 2025 (default: the latest)\n"
     "  --data DIR       folder of hnbsim_tables.csv.gz (default: the source tree's data/sen2)\n"},
    {"national", cmd_national, "hnbsim national [--census YEAR] [--paths N] [--seed S] [--threads T] [--out DIR]",
     "Import and run every English authority from its January census (default 2025):\n"
     "one row per authority (EHCPs now and at the horizon, the Monte Carlo range) and\n"
     "England's totals, to DIR/national.json, .csv and .xlsx (default DIR: out/national).\n"
     "Money is the national defaults of import-sen2. A progress line goes to stderr.\n"
     "Under mpirun (when built with MPI) the authorities are spread over the ranks;\n"
     "the files are the same bytes.\n"
     "  --force             write into a folder another command (or you) wrote files in\n"},
    {"sweep", cmd_sweep,
     "hnbsim sweep SWEEP.json [--out DIR] [--sweep NAME] [--format png,pdf,svg] [--no-charts] [--no-spreadsheets]",
     "Run the sensitivity sweeps of a sweep file (docs/sweeps.md): tornado, spider,\n"
     "grid, batch, goal_seek and sobol, over the file's base scenario. Writes\n"
     "DIR/sweep.json, DIR/sweep.xlsx (a sheet per sweep), DIR/csv/sweep-NAME.csv and\n"
     "DIR/charts/sweep-NAME.png (default DIR: out/sweep). Under mpirun (when built with\n"
     "MPI) the cases are spread over the ranks; the files are the same bytes.\n"
     "  --sweep NAME        run only the sweep of this name\n"
     "  --format LIST       chart formats, from png,pdf,svg (default png,pdf)\n"
     "  --no-charts         do not draw charts (no gnuplot needed)\n"
     "  --no-spreadsheets   do not write the workbook and CSV files\n"
     "  --quiet             print nothing on success, and no progress line\n"
     "  --force             write into a folder another command (or you) wrote files in\n"},
    {"estimate", cmd_estimate,
     "hnbsim estimate HISTORY.csv [--population POP.csv] [--costs COSTS.csv] --out FILE [--min-count N] "
     "[--horizon FY]",
     "Estimate a scenario file from a person-level history, one row per child per year:\n"
     "calendar-year, setting-1, need-1, academic-year-1, setting-2, need-2, academic-year-2\n"
     "(NONSEND on the left: a joiner; on the right: a leaver; age = academic year + 4).\n"
     "Prints how much data each rate rests on and a validation run (every year but the\n"
     "last estimates, the last is forecast), and writes FILE (docs/estimation.md).\n"
     "  --population FILE   calendar-year, academic-year, population: joiners as a rate of it\n"
     "  --costs FILE        need, setting, cost: unit costs in £ per child per year\n"
     "  --out FILE          the scenario file to write (required)\n"
     "  --min-count N       ages pool until a rate rests on N children at risk (default 20)\n"
     "  --horizon FY        the last financial year of the scenario (default: six years)\n"
     "  --quiet             print nothing on success\n"},
    {"plot", cmd_plot, "hnbsim plot RESULTS.json [--out DIR] [--format png,pdf,svg] [--own-scales]",
     "Redraw the charts from a results file without rerunning the model\n"
     "(default DIR: out/plot). Needs gnuplot. --own-scales: each scenario's\n"
     "fan, EHCP and spend charts on its own scale (default: the same axes).\n"
     "  --force             write into a folder another command (or you) wrote files in\n"},
    {"export", cmd_export, "hnbsim export RESULTS.json [--out DIR] [--excel-csv]",
     "Write the workbook (DIR/hnbsim.xlsx) and CSV files (DIR/csv/) from a results file.\n"
     "  --excel-csv   also DIR/csv-excel/: the CSV files with a UTF-8 byte-order mark for Excel\n"
     "  --force             write into a folder another command (or you) wrote files in\n"},
    {"report", cmd_report, "hnbsim report RESULTS.json [--out report.html] [--no-pdf]",
     "Write the Schools Forum paper from a results file: one self-contained HTML file\n"
     "(headline, position by financial year, EHCPs by placement category, the plan's\n"
     "actions, risks, assumptions with sources, back-test, methods; charts inline as SVG)\n"
     "and a PDF of it printed by headless Chromium beside it (FILE with .pdf). Without\n"
     "Chromium the PDF is skipped with a note. Needs gnuplot (docs/report.md).\n"
     "  --out FILE          the HTML file (default out/report/report.html)\n"
     "  --no-pdf            the HTML only\n"
     "  --quiet             print nothing on success\n"},
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
