/* charts.h: Schools Forum charts drawn by gnuplot through a pipe (see charts.c). */
#ifndef HNB_CHARTS_H
#define HNB_CHARTS_H

#include <cjson/cJSON.h>

#include "hnbsim.h"

/* Draw every chart the results support into outdir (created if needed), in the
 * formats given (HNB_FMT_* flags). Each file is written under a temporary name
 * and renamed when gnuplot has exited 0. Returns HNB_OK or an error code with
 * the detail in h (HNB_E_GNUPLOT when gnuplot is missing or fails). */
int charts_draw(hnb_model *h, const cJSON *results, const char *outdir, unsigned formats);

/* The same, without waiting for gnuplot: every chart's script is built
 * (the results are not read again) and the first batches started; on
 * HNB_OK *pool is the running pool, for charts_pool_end (chartpipe.h) to
 * start the rest, wait and give the first chart's error. On an error
 * nothing is left running and *pool is NULL. */
typedef struct charts_pool charts_pool;
int charts_start(hnb_model *h, const cJSON *results, const char *outdir, unsigned formats, charts_pool **pool);

#endif
