/* subsets.c: every subset of some actions as a tree of count projections
 * (subsets.h).
 *
 * Savings attribution projects the counts of every subset of a plan's
 * actions that change counts (Sutton's management plan: 9 of them, 512
 * subsets), the risk-weighted line every combination of delivered actions.
 * Most of those projections repeat the years before an action starts: an
 * action that opens places in September 2027 changes nothing in the steps
 * to January 2026 and 2027. The walk orders the actions by the first step
 * they can act in and visits the subsets as a tree: a subset's parent is the
 * subset less its action of latest effect step e, the two have the same
 * plan in every step before e, so the subset's projection is run from census
 * e, from the state the parent recorded there (project_run_plan_from); the
 * roots, the subsets of the actions that act from the first step, are run
 * whole. Children are visited in falling order of effect step, so that the
 * years before a child's e that a projection leaves as they are still hold
 * its parent's, never a sibling's.
 *
 * The effect step is read from the action's type and start, as the builders
 * in intervention.c use them: each folds into its table a term that is
 * exactly neutral (a factor 1 - x * 0 = 1, an addend x * 0 = 0, a strength
 * 0 that plan_moves and the joiners' closures skip) at every date before
 * the start: the calendar year of a step (new plans, leavers, first
 * placements, the modify_transitions strengths), the September transfer
 * inside it (moves) and the January census that closes it (places). A step
 * ends at 12 x (census0 + k + 1) months, the latest of those dates, so an
 * action whose start is later changes nothing in it. Types not listed here
 * (the reform actions, read by reform.c from the action states, and any new
 * type) are taken to act from the first step: the walk is then the whole
 * projection of every subset, never a wrong one. The SEND reform actions,
 * which reform.c reads from the action states, are neutral before their
 * start too: the ISP stock stays 0 (0 x (1 - exit) + 0), a reassessment of
 * strength 0 is skipped, and a protection takes its children at the census
 * before its date, the protected stock being 0 until then (a run that
 * protects nothing records it as 0). The golden test and
 * tests/test_fromstep.c check the result against whole projections. */
#include "analysis/subsets.h"

#include <math.h>
#include <stdlib.h>

#include "core/dates.h"

int subsets_effect_step(const scenario *s, const intervention *iv, const ivstate *st)
{
    switch (iv->type) {
    case IV_REDUCE_JOINERS:        /* join_factor x (1 - x mean over the calendar year) */
    case IV_ADD_CAPACITY:          /* extra_places + x ramp at the census closing the step */
    case IV_SHIFT_FIRST_PLACEMENT: /* shares shifted by x mean over the calendar year */
    case IV_EARLIER_CEASING:       /* cease_stay x (1 - x mean over the calendar year) */
    case IV_REDUCE_MOVES:          /* move_keep x (1 - x ramp at the September transfer) */
    case IV_MODIFY_TRANSITIONS:    /* strengths: ramp at the transfer, mean over the year */
    case IV_ISP_DIVERSION:         /* join_isp_keep x (1 - x mean over the year): no ISP before */
    case IV_REASSESSMENT:          /* shares x ramp at the transfer: 0, skipped */
    case IV_PROTECT_PLACES: /* children protected from the census before its date: none before */ break;
    default: return 0;
    }
    if (iv->size != NOPAR && !isfinite(par_val(s, s->val, iv->size)[0])) return 0;
    const int ny = s->last_fy - s->first_fy + 1;
    int k = 0;
    while (k < ny - 1 && st->start > census_months(s->census0 + k + 1)) k++;
    return k;
}

typedef struct walk {
    int n, ny;
    int order[64]; /* the actions by effect step, then by index */
    int es[64];    /* their effect steps */
    size_t ss;
    double *levels; /* [depth][ny][ss], or NULL: every subset run whole */
    subsets_visit *fn;
    void *ctx;
} walk;

static double *level(const walk *w, int depth)
{
    return w->levels ? w->levels + (size_t)depth * (size_t)w->ny * w->ss : NULL;
}

/* The children of `bits` (whose last action is order[last]), the latest
 * effect step first, each followed by its own subtree. */
static int children(walk *w, uint64_t bits, int last, int depth)
{
    const double *parent = level(w, depth);
    double *mine = level(w, depth + 1);
    for (int a = w->n - 1; a > last; a--) {
        uint64_t b = bits | (uint64_t)1 << w->order[a];
        int k0 = parent ? w->es[a] : 0;
        int rc = w->fn(w->ctx, b, k0, k0 ? parent + (size_t)k0 * w->ss : NULL, mine);
        if (!rc) rc = children(w, b, a, depth + 1);
        if (rc) return rc;
    }
    return 0;
}

int subsets_walk(int n, const int *estep, int ny, size_t state_size, size_t first, size_t step, subsets_visit *fn,
                 void *ctx)
{
    if (n < 0 || n > 63 || ny < 1) return HNB_E_INTERNAL;
    walk w = {.n = n, .ny = ny, .ss = state_size, .fn = fn, .ctx = ctx};
    int e0 = 0;
    for (int i = 0; i < n; i++) { /* insertion sort: by effect step, then index */
        int j = i;
        for (; j > 0 && estep[w.order[j - 1]] > estep[i]; j--) w.order[j] = w.order[j - 1];
        w.order[j] = i;
    }
    for (int i = 0; i < n; i++) {
        w.es[i] = estep[w.order[i]] < 0 ? 0 : estep[w.order[i]] >= ny ? ny - 1 : estep[w.order[i]];
        if (w.es[i] == 0) e0 = i + 1;
    }
    int r = e0; /* the roots: subsets of order[0 .. r) */
    while (r < n && ((uint64_t)1 << r) < 2 * (uint64_t)step) r++;
    /* a state a census for each depth below the roots, within 256 MiB */
    size_t depth = (size_t)(n - r) + 1, per = (size_t)ny * state_size;
    if (r < n && per && depth <= ((size_t)256 << 20) / sizeof(double) / per)
        w.levels = malloc(depth * per * sizeof(double)); /* NULL: each subset whole */
    int rc = 0;
    for (uint64_t j = first; !rc && j < (uint64_t)1 << r; j += step) {
        uint64_t bits = 0;
        for (int i = 0; i < r; i++)
            if ((j >> i) & 1u) bits |= (uint64_t)1 << w.order[i];
        rc = fn(ctx, bits, 0, NULL, level(&w, 0));
        if (!rc) rc = children(&w, bits, r - 1, 0);
    }
    free(w.levels);
    return rc;
}
