/* results.h: the results tree (docs/results-format.md). */
#ifndef HNB_RESULTS_H
#define HNB_RESULTS_H

#include <cjson/cJSON.h>

#include "analysis/attribution.h"
#include "engine/headline.h"
#include "engine/project.h"

struct mc_summary;
struct expected_line;

cJSON *results_new(hnb_model *h);
/* Add one scenario's results; sv, ex (the risk-weighted line) and mc may be NULL. */
int results_add_scenario(cJSON *root, const scenario *s, const projection *p, const savings *sv,
                         const struct expected_line *ex, const struct mc_summary *mc);
char *results_print(const cJSON *root);
/* With two scenarios or more: each one's headline figures and their difference
 * from the first scenario's, as "comparison" (what hnbsim compare prints). */
void results_add_comparison(cJSON *root);

/* Read and check a results file written by hnb_write_results (the one reader
 * that compare, plot and export share). *out is the tree (caller deletes). */
int results_read(hnb_model *h, const char *path, cJSON **out);
/* The same, and the tree checked for what compare and hnb_load_results
 * rely on (every scenario's name, label, headline and years with their
 * totals), each problem with the file and its JSON path. */
int results_read_checked(hnb_model *h, const char *path, cJSON **out);

/* needs.c: EHCPs by need group and by setting into scenario sc's start and
 * years (only when the scenario has two or more need groups, or placements
 * that name their setting and need; p->grid must be filled). */
void results_add_needs(cJSON *sc, const scenario *s, const projection *p);
/* needs.c: the full grid, EHCPs by census, age, need and placement, of every
 * scenario's deterministic projection (each p->grid filled), as one CSV. */
int results_write_grid(hnb_model *h, const char *path, scenario *const *scen, const projection *proj, size_t n);

#endif
