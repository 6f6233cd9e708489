/* chartpipe.h: charts sent to real gnuplot processes, several at a time
 * (see chartpipe.c). */
#ifndef HNB_CHARTPIPE_H
#define HNB_CHARTPIPE_H

#include "chartstyle.h"
#include "hnbsim.h"

/* 1 if an executable `gnuplot` is in a folder on PATH (an empty entry means
 * the current folder, as for the shell), else 0. */
int charts_gnuplot_on_path(void);

/* A set of gnuplot processes drawing charts into one folder, at most one per
 * core (sysconf) at a time. */
typedef struct charts_pool charts_pool;

/* A pool for outdir and formats (HNB_FMT_* flags); NULL when out of memory.
 * jobs <= 0: one per online core. */
charts_pool *charts_pool_new(hnb_model *h, const char *outdir, unsigned formats, int jobs);
/* Start drawing chart c as <name>.<ext> for each format (one gnuplot process
 * writes them all), waiting first for a free slot. The chart's script is
 * copied, so c may be freed at once. Returns HNB_OK, or the error of the
 * first chart (in the order added) known to have failed so far: the caller
 * then adds no more. */
int charts_pool_add(charts_pool *p, const charts_chart *c);
/* Wait for every chart, free the pool, and return HNB_OK or the error of the
 * first chart (in the order added) that failed, with its detail in h. A
 * chart's files appear only if its gnuplot exited 0 and wrote every one;
 * otherwise none does, and the error (HNB_E_GNUPLOT) names the file, the
 * chart, what gnuplot said and what was expected. Charts that succeeded keep
 * their files whatever happened to the others. */
int charts_pool_end(charts_pool *p);

#endif
