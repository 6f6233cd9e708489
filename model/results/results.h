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

#endif
