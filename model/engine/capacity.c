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

#include "core/dates.h"
#include "engine/project.h"

/* Places available in placement p at a moment, or INFINITY if no limit. */
static double places(const scenario *s, const double *val, const ivstate *ivs, int p, double when)
{
    const placement *pl = &s->place[p];
    int limited = pl->ncap > 0;
    for (size_t i = 0; !limited && i < s->niv; i++)
        limited = s->iv[i].type == IV_ADD_CAPACITY && s->iv[i].placement == p;
    if (!limited) return INFINITY;
    double c = 0.0;
    for (size_t i = 0; i < pl->ncap; i++)
        if (pl->cap[i].from <= when) c = par_val(s, val, pl->cap[i].places)[0];
    return c + iv_extra_places(s, val, ivs, p, when);
}

static int depth(const scenario *s, int p)
{
    int d = 0;
    for (int q = s->place[p].overflow_to; q >= 0 && d <= s->nplace; q = s->place[q].overflow_to) d++;
    return d;
}

/* Send a share f of the children arriving in p on to q (overflow). */
static void overflow_arrivals(const scenario *s, double *next, double *arrive, int p, int q, double f)
{
    for (int a = 0; a < s->nages; a++)
        for (int n = 0; n < s->nneeds; n++) {
            double x = arrive[cell(s, a, n, p)] * f;
            next[cell(s, a, n, p)] -= x;
            arrive[cell(s, a, n, p)] -= x;
            next[cell(s, a, n, q)] += x;
            arrive[cell(s, a, n, q)] += x;
        }
}

static double sum_in(const scenario *s, const double *x, int p, const unsigned char *ages)
{
    double t = 0.0;
    for (int a = 0; a < s->nages; a++) {
        if (ages && !ages[a]) continue;
        for (int n = 0; n < s->nneeds; n++) t += x[cell(s, a, n, p)];
    }
    return t;
}

double capacity_apply(const scenario *s, const double *val, const ivstate *ivs, int census, double *next,
                      double *arrive)
{
    double when = census_months(census + 1), overflow = 0.0;
    int maxd = 0;
    for (int p = 0; p < s->nplace; p++) {
        int d = depth(s, p);
        if (d > maxd) maxd = d;
    }
    for (int d = maxd; d >= 1; d--)
        for (int p = 0; p < s->nplace; p++) {
            int q = s->place[p].overflow_to;
            if (q < 0 || depth(s, p) != d) continue;
            double cap = places(s, val, ivs, p, when);
            if (isinf(cap)) continue;
            double total = sum_in(s, next, p, NULL), arr = sum_in(s, arrive, p, NULL);
            if (total <= cap || arr <= 0.0) continue;
            double stay = total - arr;
            double admit = cap > stay ? cap - stay : 0.0;
            double excess = arr - admit;
            if (excess <= 0.0) continue;
            overflow_arrivals(s, next, arrive, p, q, excess / arr);
            overflow += excess;
        }
    for (int p = 0; p < s->nplace; p++) {
        const placement *pl = &s->place[p];
        if (pl->backfill_from < 0) continue;
        double cap = places(s, val, ivs, p, when);
        if (isinf(cap)) continue;
        double spare = cap - sum_in(s, next, p, NULL);
        double pool = sum_in(s, next, pl->backfill_from, pl->backfill_age);
        if (spare <= 0.0 || pool <= 0.0) continue;
        double take = spare < pool ? spare : pool;
        /* children move from pl->backfill_from to p */
        double f = take / pool;
        for (int a = 0; a < s->nages; a++) {
            if (pl->backfill_age && !pl->backfill_age[a]) continue; /* NULL: every age, as sum_in */
            for (int n = 0; n < s->nneeds; n++) {
                double x = next[cell(s, a, n, pl->backfill_from)] * f;
                next[cell(s, a, n, pl->backfill_from)] -= x;
                next[cell(s, a, n, p)] += x;
                arrive[cell(s, a, n, p)] += x;
            }
        }
    }
    return overflow;
}
