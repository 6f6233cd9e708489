/* results.h: the results tree (docs/results-format.md). */
#ifndef HNB_RESULTS_H
#define HNB_RESULTS_H

#include <cjson/cJSON.h>

#include "attribution.h"
#include "project.h"

struct mc_summary;

/* The headline figures of one projection. */
typedef struct headline {
    double at_override_end; /* cumulative at override_end; NAN if outside the horizon */
    int first_balanced_fy;  /* -1 if none */
    double peak_deficit;    /* most negative cumulative, or 0 */
    int peak_fy;            /* -1 if never in deficit */
    double interest_to_override_end, interest_to_horizon;
    double at_horizon;
} headline;

void results_headline(const scenario *s, const projection *p, headline *out);
/* Index of the financial year in which override_end falls, or -1. */
int results_override_index(const scenario *s);

cJSON *results_new(hnb_model *h);
/* Add one scenario's results; sv and mc may be NULL. */
int results_add_scenario(cJSON *root, const scenario *s, const projection *p, const savings *sv,
                         const struct mc_summary *mc);
char *results_print(const cJSON *root);
/* With two scenarios or more: each one's headline figures and their difference
 * from the first scenario's, as "comparison" (what hnbsim compare prints). */
void results_add_comparison(cJSON *root);
/* Today's date as "2026-11-23", from SOURCE_DATE_EPOCH when it is set. */
void results_run_date(char out[11]);

#endif
