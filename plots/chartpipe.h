/* chartpipe.h: one chart sent to a gnuplot process (see chartpipe.c). */
#ifndef HNB_CHARTPIPE_H
#define HNB_CHARTPIPE_H

#include "chartstyle.h"
#include "hnbsim.h"

/* 1 if an executable `gnuplot` is in a folder on PATH (an empty entry means
 * the current folder, as for the shell), else 0. */
int charts_gnuplot_on_path(void);

/* Draw chart c into outdir as <name>.<ext> for each format in formats (one
 * gnuplot process writes them all). The files appear only if gnuplot exits 0
 * and wrote every one; otherwise none does, and the error (HNB_E_GNUPLOT)
 * names the file, the chart, what gnuplot said and what was expected. */
int charts_run(hnb_model *h, const charts_chart *c, const char *outdir, unsigned formats);

#endif
