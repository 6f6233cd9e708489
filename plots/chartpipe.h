/* chartpipe.h: charts sent to real gnuplot processes, several at a time
 * (see chartpipe.c). */
#ifndef HNB_CHARTPIPE_H
#define HNB_CHARTPIPE_H

#include "chartstyle.h"
#include "hnbsim.h"

/* 1 if an executable `gnuplot` is in a folder on PATH (an empty entry means
 * the current folder, as for the shell), else 0. */
int charts_gnuplot_on_path(void);

/* The environment for gnuplot: the caller's with the PNG encoder's settings
 * module (hnbsim-pngenc.so) added to LD_PRELOAD (chartenv.c); NULL when
 * there is no module to load (or no memory): use environ. */
char **charts_spawn_env(void);
/* Free what charts_spawn_env returned (NULL is fine). */
void charts_spawn_env_free(char **env);

/* A set of gnuplot processes drawing charts into one folder, a batch of
 * charts each, at most one per core (sysconf) at a time. */
typedef struct charts_pool charts_pool;

/* A pool for outdir and formats (HNB_FMT_* flags); NULL when out of memory.
 * jobs <= 0: one per online core. */
charts_pool *charts_pool_new(hnb_model *h, const char *outdir, unsigned formats, int jobs);
/* About how many charts will be added: batches are sized so that each core
 * draws two, the first about two thirds of its share and the second the
 * rest (one batch on one core; without a count, four charts a batch). */
void charts_pool_expect(charts_pool *p, int charts);
/* Add chart c, to be drawn as <name>.<ext> for each format (one gnuplot process
 * writes them all, and the other charts of its batch); a full batch is
 * started at once if a slot is free, else queued (never waited for here:
 * charts_pool_end starts the rest as slots free). The chart's script is
 * copied, so c may be freed at once. Returns HNB_OK, or the error of the
 * first chart (in the order added) known to have failed so far: the caller
 * then adds no more. */
int charts_pool_add(charts_pool *p, const charts_chart *c);
/* Start the last batch, wait for every chart, free the pool, and return
 * HNB_OK or the error of the first chart (in the order added) that failed,
 * with its detail in h. A chart's files appear only if gnuplot drew it
 * without an error and wrote every one;
 * otherwise none does, and the error (HNB_E_GNUPLOT) names the file, the
 * chart, what gnuplot said and what was expected. Charts that succeeded keep
 * their files whatever happened to the others. */
int charts_pool_end(charts_pool *p);

#endif
