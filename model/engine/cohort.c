/* cohort.c: leavers, ageing and moves between placements, census t to t+1.
 *
 * Stocks are expected counts by [age][need][placement]. Leavers first: at
 * census t a share c(a, p) x need multiplier of the plans at age a cease during
 * the year (plus any earlier ceasing an action brings); every plan at the last
 * age (25) ceases. The survivors are a year older at t+1. Then moves: at their
 * new age a, children in placement p move to q with probability M_a[p][q]
 * (rows sum to 1). The matrix for age a is the narrowest of the scenario's
 * move matrices whose age range holds a, so the Year 6 -> 7 (age 11) and
 * Year 11 -> 12 (age 16) transfers and the moves to FE at 16 and 19 are their
 * own matrices over a general one; an age no matrix covers does not move.
 * Children who change placement are also added to `arrive`: capacity
 * (capacity.c) admits arrivals, never evicts those already in a place.
 * Both parts conserve children exactly: what leaves is what is counted. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

#include "engine/project.h"

/* With count noise: a whole number of children whose expectation is x (the
 * fraction left by need shares or proportional overflow is one child with
 * that probability), so that drawing never creates or loses children on
 * average. */
static double whole(gsl_rng *r, double x)
{
    double n = floor(x);
    return n + (gsl_rng_uniform(r) < x - n ? 1.0 : 0.0);
}

double cohort_leave_and_age(const scenario *s, const double *val, const ivstate *ivs, int census, const double *now,
                            double *next, workspace *w)
{
    const int A = s->nages, G = s->nneeds, P = s->nplace;
    memset(next, 0, sizeof(double) * (size_t)A * (size_t)G * (size_t)P);
    const double *base = par_val(s, val, s->cease);
    double leavers = 0.0;
    for (int a = 0; a < A; a++) {
        double extra = iv_extra_cease(s, val, ivs, a, census);
        for (int p = 0; p < P; p++) {
            const double *rate = s->cease_place[p] != NOPAR ? par_val(s, val, s->cease_place[p]) : base;
            for (int n = 0; n < G; n++) {
                double c = rate[a] * par_val(s, val, s->needs[n].cease_mult)[0];
                if (c > 1.0) c = 1.0;
                c = 1.0 - (1.0 - c) * (1.0 - extra);
                if (a == A - 1) c = 1.0; /* all plans cease after 25 */
                double x = now[cell(s, a, n, p)];
                double out = x * c;
                if (w->noise) { /* whole children, each ceasing with probability c */
                    x = whole(w->noise, x);
                    out = x > 0.0 ? (double)gsl_ran_binomial(w->noise, c, (unsigned int)x) : 0.0;
                }
                leavers += out;
                if (a + 1 < A) next[cell(s, a + 1, n, p)] = x - out;
            }
        }
    }
    return leavers;
}

/* The move matrix for children aged `age` at the new census, or NULL. */
static const movematrix *matrix_for(const scenario *s, int age)
{
    const movematrix *best = NULL;
    for (size_t i = 0; i < s->nmoves; i++) {
        const movematrix *m = &s->moves[i];
        if (age < m->lo || age > m->hi) continue;
        if (!best || m->hi - m->lo < best->hi - best->lo) best = m;
    }
    return best;
}

void cohort_move(const scenario *s, const double *val, const ivstate *ivs, int census, double *next, double *arrive,
                 workspace *w)
{
    const int A = s->nages, G = s->nneeds, P = s->nplace;
    memset(arrive, 0, sizeof(double) * (size_t)A * (size_t)G * (size_t)P);
    for (int a = 0; a < A; a++) {
        const movematrix *mm = matrix_for(s, a);
        if (!mm) continue;
        /* the matrix with any action that keeps children out of a placement
         * (looked for once per age: most ages have none, and this is the
         * Monte Carlo path loop) */
        memcpy(w->mat, par_val(s, val, mm->m), sizeof(double) * (size_t)(P * P));
        int acts = 0;
        for (size_t i = 0; i < s->niv && !acts; i++)
            acts = ivs[i].on && s->iv[i].type == IV_REDUCE_MOVES && s->iv[i].ages && s->iv[i].ages[a];
        for (int q = 0; acts && q < P; q++) {
            double f = iv_move_factor(s, val, ivs, a, q, census);
            if (f == 1.0) continue;
            for (int p = 0; p < P; p++) {
                if (p == q) continue;
                double kept = w->mat[p * P + q] * (1.0 - f);
                w->mat[p * P + q] -= kept;
                w->mat[p * P + p] += kept;
            }
        }
        for (int n = 0; n < G; n++) {
            double *row = w->row;
            for (int q = 0; q < P; q++) row[q] = 0.0;
            for (int p = 0; p < P; p++) {
                double x = next[cell(s, a, n, p)];
                if (x == 0.0) continue;
                if (w->noise) /* whole children spread multinomially over destinations */
                    gsl_ran_multinomial(w->noise, (size_t)P, (unsigned int)whole(w->noise, x), w->mat + p * P, w->draw);
                for (int q = 0; q < P; q++) {
                    double f = w->noise ? (double)w->draw[q] : x * w->mat[p * P + q];
                    row[q] += f;
                    if (q != p) arrive[cell(s, a, n, q)] += f;
                }
            }
            for (int q = 0; q < P; q++) next[cell(s, a, n, q)] = row[q];
        }
    }
}
