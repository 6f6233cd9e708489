/* montecarlo.h: uncertain assumptions, many paths, percentiles (montecarlo.c). */
#ifndef HNB_MONTECARLO_H
#define HNB_MONTECARLO_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/project.h"

typedef struct mc_summary mc_summary;

/* Run `paths` paths of scenario s on `threads` threads; every path's random
 * numbers depend on (seed, path) alone. */
int montecarlo_run(hnb_model *h, const scenario *s, uint64_t paths, uint64_t seed, int threads, int progress,
                   void *paths_out /* FILE* or NULL */, mc_summary **out);
/* The header line of the --paths-out CSV (docs/results-format.md). */
int montecarlo_paths_header(const scenario *s, FILE *f);
void montecarlo_free(mc_summary *m);
/* One figure's column of n path values (reordered): stat[0] the mean, then
 * P5, P10, P25, P50, P75, P90, P95, exactly those of a full sort; all NaN if
 * v[0] is NaN. */
void montecarlo_column_stats(double *v, uint64_t n, double *stat);
void montecarlo_add_results(cJSON *sc, const scenario *s, const mc_summary *m);

#endif
