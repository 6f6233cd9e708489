/* montecarlo.h: uncertain assumptions, many paths, percentiles (montecarlo.c). */
#ifndef HNB_MONTECARLO_H
#define HNB_MONTECARLO_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "project.h"

typedef struct mc_summary mc_summary;

/* Run `paths` paths of scenario s on `threads` threads; every path's random
 * numbers depend on (seed, path) alone. */
int montecarlo_run(hnb_model *h, const scenario *s, uint64_t paths, uint64_t seed, int threads, int progress,
                   mc_summary **out);
void montecarlo_free(mc_summary *m);
void montecarlo_add_results(cJSON *sc, const scenario *s, const mc_summary *m);

#endif
