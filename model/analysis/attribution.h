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
    int exact;             /* 1 exact Shapley, 0 sampled */
    size_t samples;        /* orders sampled when not exact */
    size_t projections;    /* projections run for the split */
    double *se_to_end;     /* [nact] sampled: standard error of to_override_end (£), else NULL */
    double *se_to_horizon; /* [nact] sampled: standard error of to_horizon (£), else NULL */
    double rounding;       /* largest |sum of actions - (all - none)| in a year before the
                              last-penny adjustment (£); an error if over ATTR_MAX_GAP */
} savings;

/* Exact over all 2^K subsets up to this many actions (2^20 projections: a few
 * seconds on two cores with a projection of a few microseconds). */
#define ATTR_EXACT_MAX 20
/* Beyond it, sampled orders: at most this many projections in all, and never
 * fewer than ATTR_MIN_ORDERS orders (pairs of an order and its reverse). */
#define ATTR_SAMPLE_BUDGET 200000
#define ATTR_MIN_ORDERS    20
/* The split adds up to the total by construction (every subset or order
 * telescopes); a gap beyond this is a defect, never absorbed silently. */
#define ATTR_MAX_GAP 1.0

/* Attribute the change in the in-year position between `parent` (the parent's
 * projection, or NULL to compare with the scenario's own actions off) and the
 * scenario with every action on, on `threads` threads (0 or 1: one). The
 * result does not depend on the number of threads. Returns HNB_OK,
 * HNB_E_NOMEM, HNB_E_NUMERIC, or HNB_E_INTERNAL when the split does not add up
 * to the total within ATTR_MAX_GAP. */
int attribution_run(const scenario *s, const projection *parent, int threads, savings *out);
/* The same, exact only up to exact_max actions (tests force sampling with it). */
int attribution_run_ex(const scenario *s, const projection *parent, int threads, size_t exact_max, savings *out);
void savings_free(savings *sv);

#endif
