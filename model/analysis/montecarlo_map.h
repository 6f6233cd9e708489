/* montecarlo_map.h: a Monte Carlo run through a map of cases, such as the
 * MPI map of `mpirun hnbsim run` (montecarlo_map.c). */
#ifndef HNB_MONTECARLO_MAP_H
#define HNB_MONTECARLO_MAP_H

#include "analysis/montecarlo.h"

/* Paths per case for a run of `paths` paths (about 64 cases, 64 to 4,096
 * paths each); it depends on `paths` alone, so every process agrees. */
uint64_t montecarlo_map_block(uint64_t paths);
/* montecarlo_run with the paths in blocks through map->map: the same summary,
 * byte for byte. With map->worker, this process only runs cases for another
 * process's map: *out is NULL and nothing is summarised. */
int montecarlo_run_map(hnb_model *h, const scenario *s, uint64_t paths, uint64_t seed, int threads,
                       void *paths_out /* FILE* or NULL */, const hnb_map_options *map, mc_summary **out);

#endif
