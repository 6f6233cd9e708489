/** @file hnbsim_plots.h
 * @brief The public entry points of the chart writer (plots/ in libhnbsim).
 *
 * Charts are drawn from a results tree (docs/results-format.md) by gnuplot,
 * run as a child process (`gnuplot -d`, found on PATH) through a pipe; the
 * model (hnbsim.h) knows nothing of them. docs/charts.md lists the files:
 * cumulative.*, fan-SCENARIO.* and tornado.* (with Monte Carlo),
 * savings-SCENARIO.* and the rest, each in every format asked for.
 *
 * Errors: each function returns HNB_OK or a code from hnbsim.h, with the
 * detail in hnb_errmsg(h). A chart is written through a temporary file and
 * kept only if gnuplot succeeded; on failure the charts already drawn are
 * complete and stay.
 *
 * Thread safety: as for hnbsim.h (two handles on two threads at once; one
 * handle on one thread at a time). The number locale is set for the calling
 * thread only, and put back before returning. */
#ifndef HNBSIM_PLOTS_H
#define HNBSIM_PLOTS_H

#include "hnbsim.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Added to the HNB_FMT_* formats: draw each scenario's fan, EHCP and spend
 * charts on its own scale. By default the same chart of every scenario has
 * the same axes (value range and years), so that they can be set side by
 * side. */
#define HNB_PLOT_OWN_SCALES 0x100u

/** Charts from a results file written by hnb_write_results() (or `hnbsim
 * run`), into outdir (created with its parents if needed), without touching
 * the handle's own results.
 * @param h the handle.
 * @param results_path the results JSON file.
 * @param outdir the folder for the charts, e.g. "out/charts".
 * @param formats a non-empty set of HNB_FMT_PNG, HNB_FMT_PDF, HNB_FMT_SVG,
 *        with HNB_PLOT_OWN_SCALES if wanted.
 * @return HNB_OK; HNB_E_OPEN, HNB_E_SYNTAX or HNB_E_RESULTS for the
 *         results file; HNB_E_GNUPLOT if gnuplot is missing or fails;
 *         HNB_E_WRITE; HNB_E_USAGE for an empty or unknown set of formats. */
HNB_API int hnb_plot_file(hnb_model *h, const char *results_path, const char *outdir, unsigned formats);
/** The same from the results of the last hnb_run() (or hnb_load_results()).
 * @return as hnb_plot_file(), and HNB_E_NOTRUN if there are no results. */
HNB_API int hnb_plot_results(hnb_model *h, const char *outdir, unsigned formats);
/** Charts drawn while the caller goes on: the gnuplot processes drawing
 * the charts of hnb_plot_results_start(), until hnb_plot_wait(). */
typedef struct hnb_plot_job hnb_plot_job;
/** hnb_plot_results() without waiting for gnuplot: every chart is prepared
 * from the last hnb_run()'s results (not read again: the caller may write
 * the results file or the workbook meanwhile, on the same thread) and the
 * first gnuplot processes started; hnb_plot_wait() starts the rest and
 * waits. The files appear as with hnb_plot_results().
 * @param h the handle.
 * @param outdir the folder for the charts, as for hnb_plot_results().
 * @param formats as for hnb_plot_results().
 * @param job set to the running charts on HNB_OK, else NULL (nothing left
 *        running).
 * @return HNB_OK, or an error of hnb_plot_results() found while preparing. */
HNB_API int hnb_plot_results_start(hnb_model *h, const char *outdir, unsigned formats, hnb_plot_job **job);
/** Wait for the charts of hnb_plot_results_start() and free job.
 * @param h the handle the charts were started with.
 * @param job what hnb_plot_results_start() set (NULL: a no-op returning
 *        HNB_OK).
 * @return HNB_OK, or the error of the first chart that failed, with the
 *         detail in hnb_errmsg(h), as hnb_plot_results(). */
HNB_API int hnb_plot_wait(hnb_model *h, hnb_plot_job *job);
/** The charts of the last hnb_sweep() into outdir: sweep-NAME.* for each
 * tornado, spider, grid (heat map) and sobol sweep (docs/sweeps.md), in the
 * HNB_FMT_* formats given.
 * @return HNB_OK, HNB_E_NOTRUN without sweep results, HNB_E_GNUPLOT. */
HNB_API int hnb_plot_sweep(hnb_model *h, const char *outdir, unsigned formats);

#ifdef __cplusplus
}
#endif
#endif
