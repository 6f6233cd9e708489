/* capacity.c: in-borough places and the fallback chain, at census t+1.
 *
 * A placement may have a number of places that changes on opening dates
 * (places open on or before 1 January count at that January's census), plus
 * places that actions add. Who overflows: children already in a placement
 * keep their place; children arriving (new plans, and moves in, including
 * key-stage transfers) are admitted while places remain, and the rest, in
 * proportion across ages and needs, go to the placement's `overflow_to` (in
 * practice NMI), which applies its own capacity in turn. Placements are
 * processed deepest-in-chain first, so a placement sees every child that
 * overflows into it. A placement without `overflow_to` is a soft limit: it
 * may run over capacity, as a school with bulge places does.
 *
 * A placement is limited when it has capacity steps or when the scenario has
 * an add_capacity action for it (on or off): a placement known only through
 * such an action is a new provision, with no places until the action opens
 * them (and none at all when the action is off or not delivered).
 *
 * Backfill: a placement with `backfill` fills spare places, after admissions,
 * from another placement's children at the ages named (for a new special
 * school: NMI pupils at the transfer ages). This is how a new local place
 * takes a child out of NMI and saves the difference in cost.
 * Overflow and backfill move children; they never create or remove one. */
#include <math.h>

#include "engine/project.h"

/* Send a share f of the children arriving in p on to q (overflow). */
static void overflow_arrivals(const plan *pl, double *next, double *arrive, int p, int q, double f)
{
    const size_t P = (size_t)pl->nplace, an = (size_t)pl->nages * (size_t)pl->nneeds;
    for (size_t i = 0; i < an; i++) {
        double *nx = next + i * P, *ar = arrive + i * P;
        double x = ar[p] * f;
        nx[p] -= x;
        ar[p] -= x;
        nx[q] += x;
        ar[q] += x;
    }
}

static double sum_in(const plan *pl, const double *x, int p, const unsigned char *ages)
{
    const size_t P = (size_t)pl->nplace, G = (size_t)pl->nneeds;
    double t = 0.0;
    for (int a = 0; a < pl->nages; a++) {
        if (ages && !ages[a]) continue;
        const double *r = x + (size_t)a * G * P;
        for (size_t n = 0; n < G; n++) t += r[n * P + (size_t)p];
    }
    return t;
}

double capacity_apply(const plan *pl, int k, double *next, double *arrive)
{
    const double *places = pl->places + (size_t)k * (size_t)pl->nplace;
    double overflow = 0.0;
    for (int i = 0; i < pl->noverflow; i++) {
        int p = pl->overflow[i].p, q = pl->overflow[i].q;
        double cap = places[p];
        if (isinf(cap)) continue;
        double total = sum_in(pl, next, p, NULL), arr = sum_in(pl, arrive, p, NULL);
        if (total <= cap || arr <= 0.0) continue;
        double stay = total - arr;
        double admit = cap > stay ? cap - stay : 0.0;
        double excess = arr - admit;
        if (excess <= 0.0) continue;
        overflow_arrivals(pl, next, arrive, p, q, excess / arr);
        overflow += excess;
    }
    const size_t P = (size_t)pl->nplace, G = (size_t)pl->nneeds;
    for (int p = 0; p < pl->nplace; p++) {
        int from = pl->backfill_from[p];
        if (from < 0) continue;
        const unsigned char *ages = pl->backfill_age[p];
        double cap = places[p];
        if (isinf(cap)) continue;
        double spare = cap - sum_in(pl, next, p, NULL);
        double pool = sum_in(pl, next, from, ages);
        if (spare <= 0.0 || pool <= 0.0) continue;
        double take = spare < pool ? spare : pool;
        /* children move from `from` to p */
        double f = take / pool;
        for (int a = 0; a < pl->nages; a++) {
            if (ages && !ages[a]) continue; /* NULL: every age, as sum_in */
            for (size_t n = 0; n < G; n++) {
                size_t c = ((size_t)a * G + n) * P;
                double x = next[c + (size_t)from] * f;
                next[c + (size_t)from] -= x;
                next[c + (size_t)p] += x;
                arrive[c + (size_t)p] += x;
            }
        }
    }
    return overflow;
}
