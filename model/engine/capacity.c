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
    if (!ages) { /* every (age, need) row in order: one strided pass */
        const size_t rows = (size_t)pl->nages * G;
        const double *restrict c = x + p;
        for (size_t r = 0; r < rows; r++) t += c[r * P];
        return t;
    }
    for (int a = 0; a < pl->nages; a++) {
        if (ages && !ages[a]) continue;
        const double *r = x + (size_t)a * G * P;
        for (size_t n = 0; n < G; n++) t += r[n * P + (size_t)p];
    }
    return t;
}

/* The column sums of a placement's children (sum_in with every age) of
 * `next` and of `arrive`, kept while the column is untouched: a cache of
 * [nplace] sums with a flag each, and the columns capacity changed. NULL:
 * every sum is taken afresh. */
typedef struct colsums {
    double *next, *arr;
    unsigned char *ok_next, *ok_arr, *touched;
} colsums;

static double total_in(const plan *pl, const double *next, int p, colsums *cs)
{
    if (!cs) return sum_in(pl, next, p, NULL);
    if (!cs->ok_next[p]) {
        cs->next[p] = sum_in(pl, next, p, NULL);
        cs->ok_next[p] = 1;
    }
    return cs->next[p];
}

static double arrived_in(const plan *pl, const double *arrive, int p, colsums *cs)
{
    if (!cs) return sum_in(pl, arrive, p, NULL);
    if (!cs->ok_arr[p]) {
        cs->arr[p] = sum_in(pl, arrive, p, NULL);
        cs->ok_arr[p] = 1;
    }
    return cs->arr[p];
}

static void touch(colsums *cs, int p)
{
    if (cs) cs->ok_next[p] = cs->ok_arr[p] = 0, cs->touched[p] = 1;
}

static double capacity_run(const plan *pl, int k, double *next, double *arrive, colsums *cs)
{
    const double *places = pl->places + (size_t)k * (size_t)pl->nplace;
    double overflow = 0.0;
    for (int i = 0; i < pl->noverflow; i++) {
        int p = pl->overflow[i].p, q = pl->overflow[i].q;
        double cap = places[p];
        if (isinf(cap)) continue;
        double total = total_in(pl, next, p, cs), arr = arrived_in(pl, arrive, p, cs);
        if (total <= cap || arr <= 0.0) continue;
        double stay = total - arr;
        double admit = cap > stay ? cap - stay : 0.0;
        double excess = arr - admit;
        if (excess <= 0.0) continue;
        overflow_arrivals(pl, next, arrive, p, q, excess / arr);
        touch(cs, p);
        touch(cs, q);
        overflow += excess;
    }
    const size_t P = (size_t)pl->nplace, G = (size_t)pl->nneeds;
    for (int p = 0; p < pl->nplace; p++) {
        int from = pl->backfill_from[p];
        if (from < 0) continue;
        const unsigned char *ages = pl->backfill_age[p];
        double cap = places[p];
        if (isinf(cap)) continue;
        double spare = cap - total_in(pl, next, p, cs);
        double pool = ages ? sum_in(pl, next, from, ages) : total_in(pl, next, from, cs);
        if (spare <= 0.0 || pool <= 0.0) continue;
        touch(cs, p);
        touch(cs, from);
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

double capacity_apply(const plan *pl, int k, double *next, double *arrive)
{
    return capacity_run(pl, k, next, arrive, NULL);
}

/* Column sums of one need group, each column's from 0 in age order: an age
 * at a time added element-wise into the sums (vectorised across columns,
 * each column's sum in its own order). */
static inline void col_add(int P, double cm, const double *restrict x, const double *restrict r,
                           const double *restrict m, double *restrict tn, double *restrict ta, double *restrict ws)
{
    for (int p = 0; p < P; p++) {
        tn[p] += x[p];
        ta[p] += r[p];
        ws[p] += x[p] * m[p] * cm;
    }
}

HNB_VECTORISE static void col_sums_one_group(int P, int A, const double *cost_age, double cm, const double *next,
                                             const double *arrive, double *tn, double *ta, double *ws)
{
    for (int p = 0; p < P; p++) tn[p] = ta[p] = ws[p] = 0.0;
    for (int a = 0; a < A; a++)
        col_add(P, cm, next + (size_t)a * (size_t)P, arrive + (size_t)a * (size_t)P, cost_age + (size_t)a * (size_t)P,
                tn, ta, ws);
}

/* One pass over the census before capacity gives every placement's column
 * sums of `next` and `arrive` and its cost-weighted count, each in the order
 * sum_in and census_tally take them ((age, need) order from 0); capacity
 * reads the sums from it, and only the columns it changed are summed again
 * afterwards. Four placements at a time, their sums in registers. */
double capacity_tally(const plan *pl, int k, double *next, double *arrive, double *e, double *wsum, workspace *w)
{
    const int P = pl->nplace, G = pl->nneeds, A = pl->nages;
    const size_t GP = (size_t)G * (size_t)P;
    double *tn = w->col, *ta = w->col + P;
    unsigned char *ok = w->col_ok;
    colsums cs = {tn, ta, ok, ok + P, ok + 2 * P};
    int p = 0;
    if (G == 1) {
        col_sums_one_group(P, A, pl->cost_age, pl->cost_need[0], next, arrive, tn, ta, wsum);
        p = P;
    }
    for (; G > 1 && p + 4 <= P; p += 4) {
        double n0 = 0.0, n1 = 0.0, n2 = 0.0, n3 = 0.0, r0 = 0.0, r1 = 0.0, r2 = 0.0, r3 = 0.0;
        double w0 = 0.0, w1 = 0.0, w2 = 0.0, w3 = 0.0;
        for (int a = 0; a < A; a++) {
            const double *restrict m = pl->cost_age + (size_t)a * (size_t)P + (size_t)p;
            for (int g = 0; g < G; g++) {
                const size_t c = (size_t)a * GP + (size_t)g * (size_t)P + (size_t)p;
                const double *restrict x = next + c, *restrict r = arrive + c;
                const double cm = pl->cost_need[g];
                n0 += x[0], n1 += x[1], n2 += x[2], n3 += x[3];
                r0 += r[0], r1 += r[1], r2 += r[2], r3 += r[3];
                w0 += x[0] * m[0] * cm, w1 += x[1] * m[1] * cm, w2 += x[2] * m[2] * cm, w3 += x[3] * m[3] * cm;
            }
        }
        tn[p] = n0, tn[p + 1] = n1, tn[p + 2] = n2, tn[p + 3] = n3;
        ta[p] = r0, ta[p + 1] = r1, ta[p + 2] = r2, ta[p + 3] = r3;
        wsum[p] = w0, wsum[p + 1] = w1, wsum[p + 2] = w2, wsum[p + 3] = w3;
    }
    for (; p < P; p++) {
        double n0 = 0.0, r0 = 0.0, w0 = 0.0;
        for (int a = 0; a < A; a++) {
            const double mp = pl->cost_age[(size_t)a * (size_t)P + (size_t)p];
            for (int g = 0; g < G; g++) {
                const size_t c = (size_t)a * GP + (size_t)g * (size_t)P + (size_t)p;
                n0 += next[c];
                r0 += arrive[c];
                w0 += next[c] * mp * pl->cost_need[g];
            }
        }
        tn[p] = n0, ta[p] = r0, wsum[p] = w0;
    }
    for (p = 0; p < P; p++) ok[p] = ok[P + p] = 1, ok[2 * P + p] = 0;
    double overflow = capacity_run(pl, k, next, arrive, &cs);
    for (p = 0; p < P; p++) {
        if (!cs.touched[p]) {
            e[p] = tn[p];
            continue;
        }
        e[p] = total_in(pl, next, p, &cs);
        double w0 = 0.0;
        if (G == 1) {
            const double cm = pl->cost_need[0];
            const double *restrict x = next + p, *restrict m = pl->cost_age + p;
            for (int a = 0; a < A; a++) w0 += x[(size_t)a * (size_t)P] * m[(size_t)a * (size_t)P] * cm;
            wsum[p] = w0;
            continue;
        }
        for (int a = 0; a < A; a++) {
            const double mp = pl->cost_age[(size_t)a * (size_t)P + (size_t)p];
            for (int g = 0; g < G; g++)
                w0 += next[(size_t)a * GP + (size_t)g * (size_t)P + (size_t)p] * mp * pl->cost_need[g];
        }
        wsum[p] = w0;
    }
    return overflow;
}
