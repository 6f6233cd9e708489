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

/* The seam of a run spread over processes (montecarlo_map.c builds
 * montecarlo_run_map on it): the same paths in blocks, into buffers the
 * caller owns, and a summary finished from the gathered values. */
typedef struct mc_block mc_block;
/* Figures of one path (montecarlo_column_stats' columns), and how many of
 * them one pass over `paths` paths keeps within the memory budget. The first
 * 2 + 2 x years (what --paths-out writes) are always in the first batch. */
size_t montecarlo_figures(const scenario *s);
size_t montecarlo_batch(const scenario *s, uint64_t paths);
/* A block runner for figures [f0, f1); count: 1 to count the probabilities
 * (the first pass). One per thread. */
int montecarlo_block_open(const scenario *s, uint64_t seed, size_t f0, size_t f1, int count, mc_block **out);
/* Paths [first, last) into out[(f - f0) * stride + path - first]; count[]
 * the paths in balance, above the threshold, growing every year. */
int montecarlo_block_run(mc_block *b, uint64_t first, uint64_t last, double *out, size_t stride, uint64_t count[3]);
void montecarlo_block_close(mc_block *b);
/* An empty summary of `paths` paths; the NSTAT statistics of figure f (fill
 * with montecarlo_column_stats); the probabilities' counts. */
mc_summary *montecarlo_summary_new(const scenario *s, uint64_t paths, uint64_t seed);
double *montecarlo_summary_stat(mc_summary *m, size_t f);
/* Figure f's statistics from its gathered column of m->paths values (the
 * column is reordered), with the headline figures' standard errors. */
void montecarlo_summary_column(mc_summary *m, size_t f, double *col);
void montecarlo_summary_counts(mc_summary *m, uint64_t n_balance, uint64_t n_above, uint64_t n_grows);
/* One --paths-out row: path's value of figure c at x[c * stride]. */
void montecarlo_paths_row(FILE *f, const scenario *s, uint64_t path, const double *x, size_t stride);

#endif
