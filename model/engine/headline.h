/* headline.h: the headline figures of one projection (headline.c). */
#ifndef HNB_HEADLINE_H
#define HNB_HEADLINE_H

#include "engine/project.h"

/* The headline figures of one projection. */
typedef struct headline {
    double at_override_end;          /* cumulative at override_end after write-offs (what the council
                                        must meet from its own resources); NAN if outside the horizon */
    double at_override_end_gross;    /* the same before any write-off */
    double writeoff_to_override_end; /* deficits written off up to then (£, positive) */
    int first_balanced_fy;           /* -1 if none */
    double peak_deficit;             /* most negative cumulative, or 0 */
    int peak_fy;                     /* -1 if never in deficit */
    double interest_to_override_end, interest_to_horizon;
    double at_horizon;
} headline;

void headline_compute(const scenario *s, const projection *p, headline *out);
/* Index of the financial year in which override_end falls, or -1. */
int headline_override_index(const scenario *s);

#endif
