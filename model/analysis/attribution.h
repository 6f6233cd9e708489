/* attribution.h: savings by management-plan action (Shapley values). */
#ifndef HNB_ATTRIBUTION_H
#define HNB_ATTRIBUTION_H

#include "engine/project.h"

typedef struct savings {
    int ny;
    size_t nact;       /* the scenario's own actions (not inherited) */
    size_t first;      /* index in s->iv of the first own action */
    double *total;     /* [ny] in_year(scenario) - in_year(parent) */
    double *by_action; /* [nact][ny] */
    double *other;     /* [ny] changed assumptions that are not actions */
    int has_other;
    int exact;      /* 1 exact Shapley, 0 sampled */
    size_t samples; /* permutations sampled when not exact */
} savings;

/* Attribute the change in the in-year position between `parent` (the parent's
 * projection, or NULL to compare with the scenario's own actions off) and the
 * scenario with every action on. Exact over all subsets for up to
 * ATTR_EXACT_MAX actions, otherwise sampled over permutations with a fixed
 * seed. The actions' values plus `other` add up to `total` exactly. */
#define ATTR_EXACT_MAX 12
int attribution_run(const scenario *s, const projection *parent, savings *out);
void savings_free(savings *sv);

#endif
