/* hnbsim_plots.h: the public entry points of the chart writer (plots/).
 *
 * Charts are drawn from a results tree (docs/results-format.md) by gnuplot
 * through a pipe; the model library (model/) knows nothing of them. Each
 * function returns HNB_OK or an error code from hnbsim.h, with the detail in
 * hnb_errmsg(h). */
#ifndef HNBSIM_PLOTS_H
#define HNBSIM_PLOTS_H

#include "hnbsim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Added to the HNB_FMT_* formats: draw each scenario's fan, EHCP and spend
 * charts on its own scale. By default the same chart of every scenario has
 * the same axes (value range and years), so that they can be set side by
 * side. */
#define HNB_PLOT_OWN_SCALES 0x100u

/* Charts from a results file written by hnb_write_results, into outdir, in
 * the HNB_FMT_* formats given (with HNB_PLOT_OWN_SCALES if wanted). */
HNB_API int hnb_plot_file(hnb_model *h, const char *results_path, const char *outdir, unsigned formats);
/* The same from the results of the last hnb_run. */
HNB_API int hnb_plot_results(hnb_model *h, const char *outdir, unsigned formats);
/* The charts of the last hnb_sweep into outdir: sweep-<name>.* for each
 * tornado, spider, grid (heat map) and sobol sweep (docs/sweeps.md). */
HNB_API int hnb_plot_sweep(hnb_model *h, const char *outdir, unsigned formats);

#ifdef __cplusplus
}
#endif
#endif
