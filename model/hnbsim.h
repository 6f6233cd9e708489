/* hnbsim.h: the public interface of the hnbsim library.
 *
 * hnbsim forecasts the High Needs Block of an English local authority's
 * Dedicated Schools Grant: EHCPs by age and placement at each January census,
 * their cost per financial year, the funding, and the in-year and cumulative
 * DSG position under management-plan scenarios.
 *
 * Everything lives in one opaque handle (hnb_model): the loaded scenarios,
 * the results of the last run, and the detail of the last error. Two handles
 * share nothing, so two models can run on two threads.
 *
 * Error convention (one for the whole library): every function that can fail
 * returns 0 (HNB_OK) or a numbered code from errors.def; hnb_strerror(code) is
 * the fixed message, hnb_errmsg(h) the detail, one problem per line, each as
 *   <file>: <json.path>: <what was wrong> (expected <what>)
 * Validation reports every problem it finds, then returns one code. */
#ifndef HNBSIM_H
#define HNBSIM_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define HNB_API __attribute__((visibility("default")))
#else
#define HNB_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

enum hnb_status {
    HNB_OK = 0,
#define X(name, num, msg) name = num,
#include "core/errors.def"
#undef X
};

typedef struct hnb_model hnb_model;

/* Output formats for charts, as bit flags. */
enum { HNB_FMT_PNG = 1, HNB_FMT_PDF = 2, HNB_FMT_SVG = 4 };

typedef struct hnb_run_options {
    uint64_t paths;        /* Monte Carlo paths; 0 = deterministic only */
    uint64_t seed;         /* Monte Carlo seed */
    int threads;           /* worker threads for Monte Carlo; 0 = number of cores */
    int progress;          /* 1: show a progress line on stderr (caller decides if a tty) */
    int attribution;       /* 1: attribute savings to actions (default behaviour of run) */
    const char *paths_out; /* Monte Carlo: write every path's figures to this CSV, or NULL */
} hnb_run_options;

HNB_API const char *hnb_version(void);
HNB_API const char *hnb_strerror(int code);

/* Allocate a handle; NULL if out of memory. hnb_model_free(NULL) is a no-op. */
HNB_API hnb_model *hnb_model_alloc(void);
HNB_API void hnb_model_free(hnb_model *h);

/* The detail of the last error, or "" if none. Owned by the handle. */
HNB_API const char *hnb_errmsg(const hnb_model *h);

/* Load and validate a scenario file (or the embedded Sutton scenarios) and add
 * its scenarios to the handle. Every problem in the file is reported. */
HNB_API int hnb_load_file(hnb_model *h, const char *path);
HNB_API int hnb_load_embedded(hnb_model *h);
/* The same with flags: HNB_LOAD_BACKTEST reads each scenario through its
 * "backtest" block (an earlier starting census and what goes with it), and
 * skips scenarios that have none. */
enum { HNB_LOAD_BACKTEST = 1 };
HNB_API int hnb_load_file_ex(hnb_model *h, const char *path, unsigned flags);
HNB_API int hnb_load_embedded_ex(hnb_model *h, unsigned flags);
/* Names of the embedded files (NULL-terminated list), for --help and docs. */
HNB_API const char *hnb_embedded_text(const char *name);

HNB_API size_t hnb_scenario_count(const hnb_model *h);
HNB_API const char *hnb_scenario_name(const hnb_model *h, size_t i);

/* Run every loaded scenario: deterministic projection, savings by action for
 * scenarios that extend another, and Monte Carlo when opt->paths > 0. */
HNB_API int hnb_run(hnb_model *h, const hnb_run_options *opt);

/* Write the results of the last run as JSON (docs/results-format.md) to path,
 * through a temporary file renamed into place. */
HNB_API int hnb_write_results(hnb_model *h, const char *path);
/* The results as a JSON string (caller frees with free()). */
HNB_API int hnb_results_string(hnb_model *h, char **out);

/* Load a results file written by hnb_write_results as the handle's results
 * (for compare, plot and export without rerunning the model). */
HNB_API int hnb_load_results(hnb_model *h, const char *path);

/* Print a side-by-side comparison of the scenarios of the last run. */
HNB_API int hnb_compare_print(hnb_model *h, void *file /* FILE* */);
/* Results files against each other (this month against last, or two
 * authorities): each scenario of the first matched by label in the others,
 * the headline figures and their changes printed to file; with outdir, also
 * outdir/comparison.json and outdir/comparison.csv. */
HNB_API int hnb_compare_files(hnb_model *h, const char *const *paths, int npaths, void *file, const char *outdir);

/* Back-test: run scenarios loaded with HNB_LOAD_BACKTEST and set the model
 * beside every published figure; the table is printed to file (a FILE*, or
 * NULL) and added to the results as "backtest". */
HNB_API int hnb_backtest(hnb_model *h, void *file);
/* After hnb_run: reload the same inputs through their backtest blocks, run
 * the back-test, and add its table to the results (nothing if none has one). */
HNB_API int hnb_add_backtest(hnb_model *h);

/* Calibration: fit named assumptions of one scenario (loaded with
 * HNB_LOAD_BACKTEST) to its published figures by weighted least squares, and
 * again on the figures up to a hold-out point only, predicting the rest.
 * `fit` lists assumption names (the end of their JSON path, e.g. "cost_scale"
 * or "funding.hnb_allocation.amount"); NULL takes the file's "calibration"
 * block. Writes the report to file and, if out_scenario is not NULL, the
 * scenario file with the fitted values. */
typedef struct hnb_calibrate_options {
    const char *scenario;   /* NULL: the file's calibration.scenario */
    const char **fit;       /* NULL-terminated, or NULL */
    int holdout_census;     /* last census in the hold-out fit; 0: the file's */
    const char *holdout_fy; /* last financial year in the hold-out fit; NULL: the file's */
    const char *out_scenario;
} hnb_calibrate_options;
HNB_API int hnb_calibrate(hnb_model *h, const hnb_calibrate_options *opt, void *file);

/* SEN2 import (model/import/): a complete scenario file for any English
 * authority from DfE's SEN2 tables (data/sen2), started from its January
 * `census` (0: the latest) using nothing published after it. `la` is a name,
 * ONS code or old code; an unknown one gets a "did you mean" list. The JSON
 * text (caller frees) has been checked by the loader. */
typedef struct hnb_import_options {
    const char *la;
    int census;
    const char *data_dir; /* NULL: $HNB_SEN2_DATA, else the source tree's data/sen2 */
} hnb_import_options;
HNB_API int hnb_import_sen2(hnb_model *h, const hnb_import_options *opt, char **json);
/* The figures a scenario file marks "replace": true, one line each
 * ("<json.path> = <value>: <source>"), or "" (caller frees). */
HNB_API int hnb_replace_notes(hnb_model *h, const char *path, char **out);
/* Write text to path atomically (temporary file renamed into place). */
HNB_API int hnb_write_text(hnb_model *h, const char *path, const char *text);

/* National run and national back-test over every authority (model/api/national.c). */
typedef struct hnb_national_options {
    int census;           /* starting census (0: the latest); back-test: the first origin */
    uint64_t paths, seed; /* Monte Carlo paths per authority (0: deterministic only) */
    int threads, progress;
    const char *data_dir;
    const char *json_out, *csv_out; /* files written (atomically), or NULL */
} hnb_national_options;
HNB_API int hnb_national(hnb_model *h, const hnb_national_options *opt, void *file /* FILE* summary */);
HNB_API int hnb_backtest_national(hnb_model *h, const hnb_national_options *opt, void *file);

/* Estimation: a scenario file from a person-level history (docs/estimation.md):
 * HISTORY.csv in the long format (calendar-year, setting-1, need-1,
 * academic-year-1, setting-2, need-2, academic-year-2), optionally a
 * population and unit costs. Prints how much data each rate rests on and a
 * validation run (every year but the last estimates, the last is forecast)
 * to file (a FILE*, or NULL), and writes the scenario file to out. */
typedef struct hnb_estimate_options {
    const char *history;    /* required */
    const char *population; /* calendar-year, academic-year, population; or NULL */
    const char *costs;      /* need, setting, cost; or NULL */
    const char *out;        /* the scenario file to write (required) */
    int min_count;          /* children at risk a rate rests on at least (ages pool); 0: 20 */
    int horizon_fy;         /* the last financial year (2030 = "2030-31"); 0: six years */
} hnb_estimate_options;
HNB_API int hnb_estimate(hnb_model *h, const hnb_estimate_options *opt, void *file);

/* Charts and spreadsheets are not the model's: see hnbsim_plots.h (plots/)
 * and hnbsim_report.h (report/). */

#ifdef __cplusplus
}
#endif
#endif
