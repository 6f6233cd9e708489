/* headline.c: the headline figures of one projection (headline.h): the
 * cumulative position when the statutory override ends, the first year in
 * balance, the peak deficit and the interest paid. Monte Carlo, the
 * sensitivity and the results document all take them from here. */
#include "engine/headline.h"

#include <math.h>

int headline_override_index(const scenario *s)
{
    /* 31 March Y ends financial year Y-1 */
    int fy = (int)floor(s->override_end / 12.0) - 1;
    return fy >= s->first_fy && fy <= s->last_fy ? fy - s->first_fy : -1;
}

void headline_compute(const scenario *s, const projection *p, headline *h)
{
    int oi = headline_override_index(s);
    h->at_override_end = oi >= 0 ? p->cumulative[oi] : NAN;
    h->at_override_end_gross = oi >= 0 ? p->cumulative_gross[oi] : NAN;
    h->writeoff_to_override_end = 0.0;
    for (int k = 0; k <= oi; k++) h->writeoff_to_override_end += p->writeoff[k];
    h->first_balanced_fy = -1;
    h->peak_deficit = 0.0;
    h->peak_fy = -1;
    h->interest_to_override_end = h->interest_to_horizon = 0.0;
    for (int k = 0; k < p->ny; k++) {
        if (h->first_balanced_fy < 0 && p->in_year[k] >= 0.0) h->first_balanced_fy = s->first_fy + k;
        if (p->cumulative[k] < h->peak_deficit) {
            h->peak_deficit = p->cumulative[k];
            h->peak_fy = s->first_fy + k;
        }
        h->interest_to_horizon += p->interest[k];
        if (oi >= 0 && k <= oi) h->interest_to_override_end += p->interest[k];
    }
    h->at_horizon = p->cumulative[p->ny - 1];
}
