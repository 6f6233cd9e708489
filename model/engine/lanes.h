/* lanes.h: LANES projections side by side (lanes.c).
 *
 * Monte Carlo paths of one scenario differ in their drawn values, but most
 * of their count tables (starting stocks, cease shares, moves, joiners'
 * shares, cost multipliers) are the same whenever the paths' actions are in
 * the same states. lanes_run runs LANES such paths at once: every cell holds
 * LANES counts, [cell][lane], so each step's element-wise work is one
 * vector operation for all of them, reading the shared tables once. What
 * differs by path (the joiners' numbers, places, all the money) is read from
 * each path's own plan. Each lane does exactly the floating-point operations
 * of project_run_plan, in the same order, so a path's figures are the same
 * bits whichever way it runs (tests/test_lanes.c checks it).
 *
 * lanes_fit says whether LANES compiled plans may run side by side: one need
 * group, no count noise, no modify_transitions, the same SEND reform steps
 * on the stocks (protection, reassessment) in every lane, Monte Carlo's
 * lean projection (figures_only, no record), and every shared table bitwise
 * the same. Otherwise the caller runs each plan with project_run_plan.
 * lanes_run fills what a lean project_run_plan fills and never a
 * projection's grid: a caller that wants the grid runs the plan alone. */
#ifndef HNB_LANES_H
#define HNB_LANES_H

#include "engine/project.h"

#define LANES 4

/* Scratch for lanes_run, sized by lanes_alloc for one scenario's shape, and
 * what lanes_fit has learnt about pairs of plans' moves. */
typedef struct lanes {
    size_t cells;
    double *now, *next, *arrive;            /* [cells][LANES] */
    double *row;                            /* [2][nplace][LANES] a moved age as it is summed, and its survivors */
    double *tn, *ta, *ws;                   /* [nplace][LANES] column sums before capacity */
    double *col;                            /* [2][nplace][LANES] EHCPs and cost-weighted counts after capacity */
    unsigned char *ok;                      /* [nplace]: the columns capacity changed in some lane */
    double *w;                              /* [2][LANES][nplace] cost-weighted counts at the year's two censuses */
    double *prot, *prot_next, *prot_arrive; /* [cells][LANES] children protected from reassessment */
    /* per step [ny][nages][nplace], the same for every group of a run while
     * the tables they come from are: the share of a cell's children
     * ceasing, as the leavers take it (1 - (1 - cease0) x cease_keep), and
     * a new plan's share of the cell (age share x first placement share);
     * *_in: a copy of what each was made from (cease0, cease_keep; the age
     * x need shares, the first placements, first_of) */
    double *fcease, *fcease_in, *gjoin, *gjoin_in;
    size_t nfcease_in, ngjoin_in;
    int fcease_ok, gjoin_ok;
    /* moves found equal or not: (plan, its moves_id) against lane 0's */
    struct lanes_seen {
        const plan *a, *b;
        unsigned ida, idb;
        int same;
    } seen[8];
    int nseen;
} lanes;

int lanes_alloc(const scenario *s, lanes *ln); /* 0 or HNB_E_NOMEM */
void lanes_free(lanes *ln);
/* 1 if the plans compiled in w[0..LANES) may run side by side (above). */
int lanes_fit(lanes *ln, workspace *const w[LANES]);
/* Run the LANES compiled plans (lanes_fit said 1) into out[l]; rc[l] as
 * project_run_plan's for each (HNB_E_NUMERIC: a figure not finite). */
void lanes_run(lanes *ln, workspace *const w[LANES], projection *const out[LANES], int rc[LANES]);

/* reform.c: reform_reassess for one lane (cells LANES apart, prot NULL
 * or the lane's protected children); the protected children of `now` at a
 * protection's date into prot (reform_protect_step's first part). */
double reform_reassess_lane(const scenario *s, const double *val, const ivstate *ivs, int census, double *next,
                            double *arrive, const double *prot);
void reform_protect_lane(const plan *pl, int k, const double *now, double *prot);

#endif
