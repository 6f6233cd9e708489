/** @file hnbsim.h
 * @brief The public interface of the hnbsim library (libhnbsim).
 *
 * hnbsim forecasts the High Needs Block of an English local authority's
 * Dedicated Schools Grant: EHCPs by age and placement at each January census,
 * their cost per financial year, the funding, and the in-year and cumulative
 * DSG position under management-plan scenarios. docs/api.md shows the life
 * cycle of a handle and a complete program; examples/position.c is one.
 *
 * **The handle.** Everything lives in one opaque handle (::hnb_model): the
 * loaded scenarios, the results of the last run, and the detail of the last
 * error. There is no global state: two handles share nothing.
 *
 * **Thread safety.** Two handles may be used at the same time from two
 * threads. One handle must not be used from two threads at once (the caller
 * locks if it shares one). hnb_run() starts its own worker threads for Monte
 * Carlo and joins them before it returns. hnb_version(), hnb_strerror() and
 * hnb_embedded_text() read constant data and may be called from any thread.
 *
 * **Errors.** Every function that can fail returns 0 (HNB_OK) or a
 * numbered code from model/core/errors.def (installed beside this header):
 * 1xx the run itself, 2xx bad input (a scenario or results file), 3xx files
 * and external programs, 4xx usage of the library. hnb_strerror() gives the
 * fixed message of a code, hnb_errmsg() the detail, one problem per line, each
 * as `<file>: <json.path>: <what was wrong> (expected <what>)`. Validation
 * reports every problem it finds, then returns one code. The library never
 * aborts and never prints an error itself.
 *
 * **Units.** Money is in £ (unrounded; negative positions are deficits),
 * counts are EHCPs at the January census, financial years are strings such
 * as "2026-27" (1 April 2026 to 31 March 2027), census years are numbers
 * (2027 = the January 2027 census). docs/results-format.md lists every
 * figure.
 *
 * **Ownership.** Strings returned as `const char *` belong to the library
 * (constant data, or the handle, as each function says); the caller frees
 * only what a function says it must (hnb_results_string()).
 */
#ifndef HNBSIM_H
#define HNBSIM_H

#include <stddef.h>
#include <stdint.h>

/** Marks the functions the shared library exports; everything else in
 * libhnbsim is built with hidden visibility. */
#if defined(__GNUC__)
#define HNB_API __attribute__((visibility("default")))
#else
#define HNB_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Status codes: HNB_OK, or one of the numbered errors of errors.def
 * (HNB_E_NOMEM 101 ... HNB_E_USAGE 401). The number ranges mean something:
 * 1xx the run, 2xx bad input, 3xx files and external programs, 4xx usage. */
enum hnb_status {
    HNB_OK = 0, /**< success */
/** @cond */
#define X(name, num, msg) name = num,
#include "core/errors.def"
#undef X
    /** @endcond */
};

/** The opaque handle: loaded scenarios, results of the last run, last error.
 * Allocated by hnb_model_alloc(), freed by hnb_model_free(). */
typedef struct hnb_model hnb_model;

/** Output formats for charts, as bit flags (hnb_plot_file()). */
enum {
    HNB_FMT_PNG = 1, /**< PNG, for documents and slides */
    HNB_FMT_PDF = 2, /**< PDF, for print */
    HNB_FMT_SVG = 4  /**< SVG, for the web */
};

/** Options of hnb_run(). Start from `{0}` and set what you need; a NULL
 * options pointer means deterministic only, seed 1, with savings by action. */
typedef struct hnb_run_options {
    /** Monte Carlo paths; 0 = deterministic only. */
    uint64_t paths;
    /** Monte Carlo seed: the same seed and paths give the same figures on any
     * number of threads. */
    uint64_t seed;
    /** Worker threads for Monte Carlo; 0 = one per core. */
    int threads;
    /** 1: show a progress line on stderr (the caller decides whether stderr
     * is a terminal). */
    int progress;
    /** 1: attribute the savings of a scenario that extends another to its
     * actions (what `hnbsim run` does). */
    int attribution;
    /** Monte Carlo: also write every path's figures to this CSV file, or NULL. */
    const char *paths_out;
} hnb_run_options;

/** The library's version, e.g. "0.1.0" (the same as `hnbsim --version`).
 * @return a constant string. Thread safe. */
HNB_API const char *hnb_version(void);

/** The fixed message of a status code, e.g. "cannot open file" for
 * HNB_E_OPEN; "success" for HNB_OK, "unknown error" for a number not in
 * errors.def.
 * @return a constant string (never NULL). Thread safe. */
HNB_API const char *hnb_strerror(int code);

/** Allocate an empty handle (no scenarios, no results).
 * @return the handle, owned by the caller (free it with hnb_model_free()),
 *         or NULL if out of memory. Thread safe. */
HNB_API hnb_model *hnb_model_alloc(void);

/** Free a handle and everything it owns (scenarios, results, error text);
 * every string the handle returned becomes invalid. hnb_model_free(NULL) is
 * a no-op. */
HNB_API void hnb_model_free(hnb_model *h);

/** Remove the temporary files the library has open now (an output being
 * written beside its final name, such as `--paths-out`'s FILE.tmp.PID).
 * Async-signal-safe: for a SIGINT or SIGTERM handler, so that an interrupted
 * run leaves no temporary behind. */
HNB_API void hnb_remove_temporaries(void);

/** The detail of the last error: one problem per line, each
 * `<file>: <json.path>: <what was wrong> (expected <what>)`.
 * Meaningful after a call on this handle returned non-zero.
 * @return "" if there is none (or h is NULL). Owned by the handle: valid
 *         until the next call on it. */
HNB_API const char *hnb_errmsg(const hnb_model *h);

/** Load and validate a scenario file (docs/scenario-format.md) and add its
 * scenarios to the handle, after any loaded before. A file may extend
 * another ("extends"), which is read too. Every problem in the file is
 * reported in hnb_errmsg().
 * @param h the handle.
 * @param path the file name (read whole; not kept open).
 * @return HNB_OK; HNB_E_OPEN if it cannot be read; a 2xx code if it is
 *         not a valid scenario file (nothing is added then). */
HNB_API int hnb_load_file(hnb_model *h, const char *path);

/** Load the embedded London Borough of Sutton scenarios (the program's copy
 * of scenarios/sutton/sutton.json, also installed under
 * share/hnbsim/scenarios/sutton/). Its input is named
 * "(embedded) sutton.json" in the results and in error messages.
 * @return as hnb_load_file(). */
HNB_API int hnb_load_embedded(hnb_model *h);

/** Flags of hnb_load_file_ex(): ::HNB_LOAD_BACKTEST reads each scenario
 * through its "backtest" block (an earlier starting census and what goes
 * with it) and skips the scenarios that have none. */
enum {
    HNB_LOAD_BACKTEST = 1,     /**< read scenarios through their "backtest" blocks */
    HNB_LOAD_ALLOW_OUTSIDE = 2 /**< let `extends` name a file outside the folder of the file loaded (and its
                                    subfolders); without it such a file is refused */
};

/** hnb_load_file() with flags (0, ::HNB_LOAD_BACKTEST, ::HNB_LOAD_ALLOW_OUTSIDE).
 * @return as hnb_load_file(); with ::HNB_LOAD_BACKTEST, success may add no
 *         scenario (check hnb_scenario_count()). */
HNB_API int hnb_load_file_ex(hnb_model *h, const char *path, unsigned flags);

/** hnb_load_embedded() with flags (0 or ::HNB_LOAD_BACKTEST). */
HNB_API int hnb_load_embedded_ex(hnb_model *h, unsigned flags);

/** The text of an embedded scenario file, by its base name ("sutton.json").
 * @return a constant NUL-terminated string, or NULL if no embedded file has
 *         that name. Thread safe. */
HNB_API const char *hnb_embedded_text(const char *name);

/** The number of scenarios loaded in the handle (in file order). */
HNB_API size_t hnb_scenario_count(const hnb_model *h);

/** The name of scenario i (its key in the scenario file, e.g. "baseline").
 * @return a string owned by the handle (valid until it is freed), or NULL
 *         if i >= hnb_scenario_count(). */
HNB_API const char *hnb_scenario_name(const hnb_model *h, size_t i);

/** Run every loaded scenario: the deterministic projection, savings by
 * action for scenarios that extend another (opt->attribution), and Monte
 * Carlo when opt->paths > 0 (with the sensitivity bars). The results
 * replace those of any earlier run only when everything succeeded; read them
 * with hnb_result_number(), hnb_results_string() or hnb_write_results().
 * Monte Carlo runs on opt->threads worker threads; the figures do not depend
 * on the number of threads.
 * @param h the handle.
 * @param opt the options, or NULL for the defaults (see ::hnb_run_options).
 * @return HNB_OK; HNB_E_USAGE if no scenario is loaded; HNB_E_NUMERIC
 *         if a projection is not finite; HNB_E_OPEN or HNB_E_WRITE for
 *         opt->paths_out; HNB_E_NOMEM. */
HNB_API int hnb_run(hnb_model *h, const hnb_run_options *opt);

/** Write the results of the last run as JSON (docs/results-format.md) to
 * path, through a temporary file renamed into place: a failure leaves no
 * half-written file. Numbers are printed so that they read back exactly.
 * @return HNB_OK; HNB_E_NOTRUN if there are no results; HNB_E_OPEN or
 *         HNB_E_WRITE. */
HNB_API int hnb_write_results(hnb_model *h, const char *path);

/** Write the full grid of the last run's deterministic projections as CSV
 * (docs/results-format.md, "The full grid"): EHCPs of every scenario by
 * January census (the starting one, then one a year), age, need group and
 * placement, with the placement's setting and need where it names them,
 * through a temporary file renamed into place.
 * @return HNB_OK; HNB_E_NOTRUN if there are no results; HNB_E_NOMEM;
 *         HNB_E_OPEN or HNB_E_WRITE. */
HNB_API int hnb_write_grid(hnb_model *h, const char *path);

/** The results of the last run as a JSON string, as hnb_write_results()
 * would write it.
 * @param h the handle.
 * @param out set to the string, which the caller frees with free(); NULL on
 *        failure.
 * @return HNB_OK; HNB_E_NOTRUN; HNB_E_NOMEM. */
HNB_API int hnb_results_string(hnb_model *h, char **out);

/** Load a results file written by hnb_write_results() (or `hnbsim run`) as
 * the handle's results, for compare, plot, export and the hnb_result_*
 * calls without rerunning the model. Loaded scenarios are kept.
 * @return HNB_OK; HNB_E_OPEN; HNB_E_SYNTAX or HNB_E_RESULTS if it is
 *         not a results file (the earlier results are kept then). */
HNB_API int hnb_load_results(hnb_model *h, const char *path);

/** One figure of the results (of the last run, or loaded). The results
 * are not changed.
 * @param h the handle.
 * @param path a dotted path into the results document
 *        (docs/results-format.md). Each step is an object key, or picks an
 *        array element by its index or by the value of its "name", "fy", "id"
 *        or "scenario" key:
 *        "scenarios.baseline.years.2027-28.cumulative" (£),
 *        "scenarios.0.headline.cumulative_at_override_end" (£),
 *        "scenarios.baseline.years.0.ehcps.by_placement.nmi" (EHCPs),
 *        "scenarios.baseline.montecarlo.headline.cumulative_at_override_end.p5" (£).
 * @param out set to the value; NaN for a figure the results leave
 *        undefined (null in the JSON, e.g. an error_pct where the actual is
 *        0), and NaN on failure.
 * @return HNB_OK; HNB_E_NOTRUN if there are no results; HNB_E_REF if a
 *         step names nothing (hnb_errmsg() says which); HNB_E_TYPE if the
 *         path names something other than a number; HNB_E_USAGE for a
 *         NULL or malformed path. */
HNB_API int hnb_result_number(hnb_model *h, const char *path, double *out);

/** A string of the results.
 * @param h the handle.
 * @param path as in hnb_result_number(), e.g. "scenarios.1.label" or
 *        "scenarios.baseline.years.0.fy" (whose value is "2025-26").
 * @param out set to a string owned by the handle, valid until the results
 *        are replaced (hnb_run(), hnb_load_results(), hnb_backtest(),
 *        hnb_calibrate()) or the handle is freed; NULL for a null value and
 *        on failure.
 * @return as hnb_result_number(), HNB_E_TYPE if it is not a string. */
HNB_API int hnb_result_string(hnb_model *h, const char *path, const char **out);

/** The number of elements of an array or keys of an object in the results,
 * e.g. "scenarios" or "scenarios.baseline.years"; "" or NULL is the whole
 * document.
 * @return as hnb_result_number(), HNB_E_TYPE if it is neither. */
HNB_API int hnb_result_count(hnb_model *h, const char *path, size_t *out);

/** The i-th key of an object in the results (in the file's order), e.g. the
 * placements of "scenarios.baseline.years.0.ehcps.by_placement".
 * @return a string owned by the handle (valid as for hnb_result_string()),
 *         or NULL if the path names no object or i is past its end
 *         (hnb_errmsg() says which step named nothing, when one did). */
HNB_API const char *hnb_result_key(hnb_model *h, const char *path, size_t i);

/** Print a side-by-side comparison of the scenarios of the results: EHCPs,
 * spend, funding, in-year and cumulative position (£m, one decimal) by
 * financial year, and the headline figures.
 * @param h the handle.
 * @param file a `FILE *` open for writing.
 * @return HNB_OK; HNB_E_NOTRUN; HNB_E_RESULTS if there is no scenario. */
HNB_API int hnb_compare_print(hnb_model *h, void *file /* FILE* */);
/** Compare results files against each other (this month against last, or
 * two authorities): each scenario of the first file is matched by its label
 * in the others, and its headline figures (£m) and their changes against the
 * first are printed. The handle's own results are not touched.
 * @param h the handle.
 * @param paths the results files, first the one to compare against.
 * @param npaths how many (2 or more).
 * @param file a `FILE *` for the table.
 * @param outdir if not NULL, also write outdir/comparison.json and
 *        outdir/comparison.csv (created with its parents if needed).
 * @return HNB_OK; HNB_E_USAGE for fewer than two files; HNB_E_OPEN,
 *         HNB_E_SYNTAX or HNB_E_RESULTS for a file that cannot be read as
 *         results; HNB_E_WRITE; HNB_E_NOMEM. */
HNB_API int hnb_compare_files(hnb_model *h, const char *const *paths, int npaths, void *file, const char *outdir);

/** Back-test: run the scenarios loaded with ::HNB_LOAD_BACKTEST
 * (deterministically) and set the model beside every published figure they
 * carry, with the error. The table is printed to file and added to the
 * results as "backtest" (the scenarios of these results are the back-test
 * projections).
 * @param h the handle.
 * @param file a `FILE *` for the table, or NULL to print nothing.
 * @return as hnb_run(). */
HNB_API int hnb_backtest(hnb_model *h, void *file);

/** After hnb_run(): reload the same inputs through their backtest blocks,
 * run the back-test in a separate handle, and add its table to this handle's
 * results as "backtest" (nothing if no scenario has a backtest block).
 * @return HNB_OK; HNB_E_NOTRUN; as hnb_load_file() and hnb_run(). */
HNB_API int hnb_add_backtest(hnb_model *h);

/** Options of hnb_calibrate(). */
typedef struct hnb_calibrate_options {
    /** The scenario to fit; NULL: the file's calibration.scenario, else the
     * first scenario. */
    const char *scenario;
    /** Assumption names to fit, NULL-terminated: the end of their JSON path,
     * e.g. "cost_scale" or "funding.hnb_allocation.amount"; NULL: the
     * file's calibration.fit. */
    const char **fit;
    /** Last census in the hold-out fit (e.g. 2024); 0: the file's. */
    int holdout_census;
    /** Last financial year in the hold-out fit (e.g. "2024-25"); NULL: the
     * file's. */
    const char *holdout_fy;
    /** Write the scenario file with the fitted values here, or NULL. */
    const char *out_scenario;
} hnb_calibrate_options;

/** Calibration: fit named assumptions of one scenario (loaded with
 * ::HNB_LOAD_BACKTEST) to its published figures by weighted least squares
 * (GSL), then again on the figures up to a hold-out point only, predicting
 * the rest. The report (fitted values, standard errors, residuals) is
 * printed to file and the results hold it as "calibration".
 * @param h the handle.
 * @param opt the options (not NULL).
 * @param file a `FILE *` for the report, or NULL.
 * @return HNB_OK; HNB_E_REF for a scenario or assumption that does not
 *         exist; HNB_E_FIT if the fit did not converge; HNB_E_WRITE for
 *         opt->out_scenario; as hnb_run(). */
HNB_API int hnb_calibrate(hnb_model *h, const hnb_calibrate_options *opt, void *file);

/** Options of hnb_import_sen2(). */
typedef struct hnb_import_options {
    /** The authority: a name, ONS code or old code. */
    const char *la;
    /** The starting January census (0: the latest). */
    int census;
    /** The SEN2 tables' folder; NULL: $HNB_SEN2_DATA, else an installed
     * library's or program's PREFIX/share/hnbsim/data/sen2, else the source
     * tree's data/sen2. */
    const char *data_dir;
} hnb_import_options;
/** SEN2 import (model/import/): a complete scenario file for any English
 * authority from DfE's SEN2 tables (data/sen2), started from its January
 * census using nothing published after it. An unknown authority gets a
 * "did you mean" list in hnb_errmsg().
 * @param h the handle.
 * @param opt the options.
 * @param json set to the scenario file's JSON text, checked by the loader;
 *        the caller frees it with free().
 * @return HNB_OK or an error code as for hnb_load_file(). */
HNB_API int hnb_import_sen2(hnb_model *h, const hnb_import_options *opt, char **json);
/** Report only one loaded scenario in hnb_run() (`hnbsim run --scenario NAME`),
 * with the scenarios it extends (its savings by action are against them):
 * the others stay loaded but are not drawn (Monte Carlo), reported or
 * written. Holds until changed.
 * @param h the handle.
 * @param name the scenario's name, or NULL for every scenario again.
 * @return HNB_OK; HNB_E_REF if no loaded scenario has that name (the message
 *         lists those that are). */
HNB_API int hnb_select_scenario(hnb_model *h, const char *name);

/** Print one loaded scenario as the model will use it (`hnbsim validate
 * --scenario NAME`): its file, years and override, every assumption the
 * file states with its value (£ and % as people write them), unit and
 * source, and its actions with their delivery confidences.
 * @param h the handle.
 * @param name the scenario's name.
 * @param file a FILE* to print to.
 * @return HNB_OK; HNB_E_REF if no loaded scenario has that name. */
HNB_API int hnb_scenario_print(hnb_model *h, const char *name, void *file /* FILE* */);

/** The headline figures of the last results as a small JSON document for
 * scripts (`hnbsim run --json`; its shape is in docs/results-format.md,
 * "--json"): per scenario the central and risk-weighted positions at the
 * override's end and, after Monte Carlo, P5, P50 and P95 with their
 * standard errors and the chances.
 * @param h the handle, after hnb_run() or hnb_load_results().
 * @param out set to the text (ends with a newline); the caller frees it with free().
 * @return HNB_OK; HNB_E_NOTRUN; HNB_E_NOMEM. */
HNB_API int hnb_headline_json(hnb_model *h, char **out);

/** The figures a scenario file marks "replace": true.
 * @param h the handle.
 * @param path the scenario file.
 * @param out set to one line per figure ("<json.path> = <value>: <source>"),
 *        or ""; the caller frees it with free().
 * @return HNB_OK or an error code as for hnb_load_file(). */
HNB_API int hnb_replace_notes(hnb_model *h, const char *path, char **out);
/** Write text to path atomically (a temporary file renamed into place).
 * @return HNB_OK; HNB_E_OPEN or HNB_E_WRITE. */
HNB_API int hnb_write_text(hnb_model *h, const char *path, const char *text);

/** One case of a sweep: fill out[0 .. nout) with case i's figures.
 * @return 0, or an error code that stops the sweep. */
typedef int (*hnb_case_fn)(void *ctx, size_t i, double *out);
/** A map that runs a sweep's cases: fn(ctx, i, out + i * nout) for every
 * i < ncases, returning with every out filled (on every process that called
 * it, for a map that spreads cases over processes, as the MPI map does), or
 * the first non-zero code fn returned. `what` names the sweep for a progress
 * line. A process that only serves another's map may pass out = NULL
 * (hnb_map_options.worker); the map then fills nothing there. */
typedef int (*hnb_map_fn)(void *map_ctx, size_t ncases, size_t nout, hnb_case_fn fn, void *ctx, double *out,
                          const char *what);
/** Options of the national run and national back-test over every authority
 * (model/api/national.c). */
typedef struct hnb_national_options {
    /** Starting census (0: the latest); back-test: the first origin. */
    int census;
    /** Monte Carlo paths per authority (0: deterministic only). */
    uint64_t paths;
    /** Monte Carlo seed. */
    uint64_t seed;
    /** Worker threads (0: one per core). */
    int threads;
    /** 1: a progress line on stderr. */
    int progress;
    /** The SEN2 tables' folder, as in hnb_import_options. */
    const char *data_dir;
    /** The JSON file written (atomically), or NULL. */
    const char *json_out;
    /** The CSV file written (atomically), or NULL. */
    const char *csv_out;
} hnb_national_options;
/** Import and run every English authority from its January census.
 * @param h the handle.
 * @param opt the options.
 * @param file a `FILE *` for the summary, or NULL.
 * @return HNB_OK or an error code. */
HNB_API int hnb_national(hnb_model *h, const hnb_national_options *opt, void *file /* FILE* summary */);
/** The national back-test: every authority's EHCPs forecast from an earlier
 * census against the next, with the error distribution.
 * @param h the handle.
 * @param opt the options.
 * @param file a `FILE *` for the table, or NULL.
 * @return HNB_OK or an error code. */
HNB_API int hnb_backtest_national(hnb_model *h, const hnb_national_options *opt, void *file);
/** How the cases of a job run when they are spread over processes: the map
 * and, on a process that only runs cases for another process's map (an MPI
 * rank other than 0), worker = 1. */
typedef struct hnb_map_options {
    hnb_map_fn map; /**< runs the cases (as hnb_sweep_options.map); its `out` is NULL on a worker */
    void *map_ctx;  /**< passed to map */
    int worker;     /**< 1: this process only serves the map; its results are not to be written */
} hnb_map_options;
/** hnb_run() with the Monte Carlo paths in blocks through a map (the MPI map
 * of `mpirun hnbsim run --paths N`): the results are the same bytes as
 * hnb_run()'s for any map that runs every case. On a worker (map->worker)
 * the results hold no Monte Carlo, savings by action or sensitivity, and are
 * not to be written.
 * @param h the handle. @param opt as for hnb_run(). @param map the map, or
 * NULL for hnb_run() itself.
 * @return as hnb_run(). Not thread-safe on one handle. */
HNB_API int hnb_run_map(hnb_model *h, const hnb_run_options *opt, const hnb_map_options *map);
/** hnb_national() with the authorities through a map, one case an authority
 * (the MPI map of `mpirun hnbsim national`): the same figures, byte for
 * byte. The map must fill its output on every process (map->worker is not
 * used); a process other than the one that writes passes NULL outputs.
 * @param h the handle. @param opt as for hnb_national(). @param file a
 * `FILE *` for the summary, or NULL. @param map the map, or NULL for
 * hnb_national() itself.
 * @return as hnb_national(). */
HNB_API int hnb_national_map(hnb_model *h, const hnb_national_options *opt, void *file, const hnb_map_options *map);
/** Options of hnb_sweep(). A zeroed struct runs every sweep here, quietly. */
typedef struct hnb_sweep_options {
    int progress;     /**< 1: a progress line on stderr (the caller decides if stderr is a terminal) */
    const char *only; /**< run only the sweep of this name, or NULL for all */
    hnb_map_fn map;   /**< how the cases run; NULL: one after the other in this process */
    void *map_ctx;    /**< passed to map */
} hnb_sweep_options;
/** Read a sweep file (docs/sweeps.md: tornado, spider, grid, batch, goal
 * seek and Sobol sensitivity), load its scenario file and run the sweeps.
 * The sweep results (format "hnbsim-sweep") become the handle's results,
 * written by hnb_write_results() and drawn by hnb_plot_sweep().
 * @param h the handle (its scenarios are replaced by the sweep's).
 * @param sweep_path the sweep file.
 * @param opt the options, or NULL for the defaults.
 * @return HNB_OK; an input error (2xx) with every problem of the sweep file in
 * hnb_errmsg(); HNB_E_RANGE when a goal seek has no answer in its range.
 * Not thread-safe on one handle. */
HNB_API int hnb_sweep(hnb_model *h, const char *sweep_path, const hnb_sweep_options *opt);
/** Print what each sweep of the last hnb_sweep() found.
 * @param h the handle. @param file a `FILE *`.
 * @return HNB_OK, or HNB_E_NOTRUN if no sweep has run. */
HNB_API int hnb_sweep_print(hnb_model *h, void *file);

/** Options of hnb_estimate(): the files of a council's person-level history. */
typedef struct hnb_estimate_options {
    const char *history;    /**< calendar-year, setting-1, need-1, academic-year-1, setting-2, need-2,
                                 academic-year-2: one row per child per year (required) */
    const char *population; /**< calendar-year, academic-year, population; or NULL */
    const char *costs;      /**< need, setting, cost (£ per child per year); or NULL */
    const char *out;        /**< the scenario file to write (required) */
    int min_count;          /**< children at risk a rate rests on at least (ages pool); 0: 20 */
    int horizon_fy;         /**< the last financial year (2030 = "2030-31"); 0: six years */
} hnb_estimate_options;
/** Estimate a scenario file from a person-level history (docs/estimation.md):
 * rates by placement and age with their counts, joiners, first placements.
 * Prints how much data each rate rests on and a validation run (every year
 * but the last estimates, the last is forecast) to file, and writes the
 * scenario file to opt->out.
 * @param h the handle. @param opt the files. @param file a `FILE *`, or NULL.
 * @return HNB_OK; an input error (2xx) naming the file, line and column of a
 * bad row; a file error (3xx). Nothing is written on an error. */
HNB_API int hnb_estimate(hnb_model *h, const hnb_estimate_options *opt, void *file);

/* Charts and spreadsheets are not the model's: see hnbsim_plots.h (plots/)
 * and hnbsim_report.h (report/). */

#ifdef __cplusplus
}
#endif
#endif
