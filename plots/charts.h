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

#endif
