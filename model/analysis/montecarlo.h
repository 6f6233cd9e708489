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
/* Every path's sampled inputs (--paths-out's second file, docs/montecarlo.md):
 * a header, then a row a path: the scenario, the path, each uncertain
 * assumption's drawn value (a column named by its JSON path) and, for each
 * action with a delivery confidence below 1 (or drawn), 1 if it delivered. The same
 * draws as montecarlo_run's paths (they depend on seed and path alone). */
int montecarlo_write_inputs(const scenario *s, uint64_t paths, uint64_t seed, FILE *f);
void montecarlo_free(mc_summary *m);
/* One figure's column of n path values (reordered): stat[0] the mean, then
 * P5, P10, P25, P50, P75, P90, P95, exactly those of a full sort; all NaN if
 * v[0] is NaN. */
void montecarlo_column_stats(double *v, uint64_t n, double *stat);
void montecarlo_add_results(cJSON *sc, const scenario *s, const mc_summary *m);

#endif
