/* plan.h: a projection compiled into flat tables (plan.c, intervention.c).
 *
 * Before a projection, the scenario's values `val` and the action states
 * `ivs` are turned into per-year, per-age tables, once (once per Monte Carlo
 * path, where the values change). The year loop (project.c) and its parts
 * (cohort.c, joiners.c, capacity.c, money.c) then read only the plan: no
 * parameter look-up, no scan of the action list, no search for a move matrix
 * inside a loop over cells. Step k is the step from census census0+k to
 * census0+k+1 and the money of financial year first_fy+k.
 *
 * Invariant: every table holds exactly the number the step used to compute in
 * place, by the same floating-point operations in the same order, so that a
 * projection run from a plan is byte-identical to one computed cell by cell
 * (the golden test). Where an effect is a product or a sum over actions, the
 * table starts at 1 or 0 and each action folds its term in, in list order.
 *
 * Lifetime: plan_alloc sizes everything that depends on the scenario's shape
 * (never on its values); plan_compile fills it and allocates nothing, except
 * that the arena of move-matrix entries grows (geometrically) the first times
 * a path needs more than any earlier one. A plan belongs to one workspace and
 * so to one thread.
 *
 * Move matrices are stored sparse: per row, the share that stays and the
 * off-diagonal entries (destination, share) in ascending destination order,
 * `below` of them to placements before the row's own. A matrix that is the
 * identity is not stored at all (move_of = -1, as for an age no matrix
 * covers): the kernel skips that age.
 *
 * How the actions to come go in (one builder each in intervention.c, plus a
 * table here only where no table holds the effect yet):
 *  - deficit write-off / stability grant (a share of the cumulative deficit at
 *    a date paid in a year): depends on the projected balance, so it cannot be
 *    a number in the plan; the builder records (pay year, date's year, share)
 *    in a small list `writeoff[]` and money_year adds share x max(0, -cumulative
 *    at that date) to the funding of the pay year. The kernel gains one loop
 *    over a list that is empty for every scenario without one.
 *  - post-2028 funding regimes: "council keeps accruing" is the default (no
 *    table); "government funds spend in full from a date" a per-year flag
 *    `fund_all_spend[k]` (money_year sets funding to spend); "funding grows
 *    with spend by a share" a per-year share `fund_follow[k]` of spend above
 *    a base year added to funding. Both are per-year tables filled by one
 *    builder each; money_year reads them.
 *  - SEND reform: diverting a share of new plans to Individual Support Plans
 *    multiplies join_factor (the share kept) and adds a per-year count to a
 *    new spend line (spend_other gains a column; the line comes from the
 *    loader); reassessment at the primary-to-secondary transfer ending or
 *    stepping down a share of plans is an extra cease share at the transfer
 *    age: the builder multiplies cease_stay[k][a] (or, if it is by need or
 *    placement, a per-year cease0 as for by_year rates); protection of
 *    existing special school places is a per-year floor on places by
 *    placement, `places_floor[k][p]`, read by capacity_apply.
 *  - need-specific leaver / move / first-placement rates and by_year rates
 *    (done): cease0 is per [a][p][n], and per year (cease_stride cells,
 *    cease_dynamic) when a list has by_year or a leave_rate action exists;
 *    move_of is [k][a][n], each need group's matrix (by_year variants stored
 *    beside the base one), groups that come to the same matrix sharing it;
 *    first placements are rows [k][row][p], a row per band (the need
 *    groups' own bands after the shared ones) or per (age, need) cell where a
 *    close action acts (first_of maps a cell to its row); join_agen is per
 *    year (agen_stride) with incidence or need shares by age.
 *  - modify_transitions (done): its builder records each action's strength
 *    per step (mod_move, mod_year) and folds leave_rate into leave_factor;
 *    plan_moves writes an edited age's matrix out dense, applies the edits
 *    in list order (intervention.c, iv_modify_matrix) and stores it again;
 *    plan_joiners closes the rows of new plans (iv_modify_first). Without
 *    any of these the tables are those of before, value for value. */
#ifndef HNB_PLAN_H
#define HNB_PLAN_H

#include <stddef.h>

#include "core/scenario.h"

/* How each action runs on this projection: on or off (attribution, delivery
 * risk) and when it starts (a delayed start in Monte Carlo). */
typedef struct ivstate {
    unsigned char on;
    double start; /* months (dates.h) */
} ivstate;

/* One row of a sparse move matrix. */
typedef struct plan_row {
    double stay; /* share of the row's children who stay */
    double norm; /* the row's sum, as gsl_ran_multinomial adds it up */
    int first;   /* their off-diagonal entries: dest[first .. first + n) */
    int n;
    int below; /* how many of them go to a placement before the row's own */
} plan_row;

typedef struct plan_overflow {
    int p, q; /* arrivals over p's places go on to q */
} plan_overflow;

typedef struct plan {
    /* what the plan was compiled from: the steps that are not tables yet
     * (reform.c's reassessment and protection, position.c) read them */
    const scenario *s;
    const double *val;
    const ivstate *ivs;
    int protecting, reassessing; /* a protect_places / reassessment action is on */

    /* shape: from the scenario, fixed for the plan's life */
    int ny, nages, nneeds, nplace, nspend, nfund, nother;
    size_t cells; /* nages x nneeds x nplace: [age][need][placement] */
    int census0, first_fy;

    /* the starting census */
    double *stock0; /* [cells] */

    /* leavers: the share of each cell's plans ceasing in step k is
     * 1 - (1 - cease0) x cease_keep[k][age] (1 at the last age), cease0 in the
     * order the leavers are counted, [age][placement][need], and stored once
     * (cease_stride 0) while it is the same every year; per year (stride
     * cells, cease_dynamic) when a rate has by_year or a modify_transitions
     * action may scale it (leave_factor), and then rebuilt at every compile */
    double *cease0;
    size_t cease_stride;
    int cease_dynamic;
    double *cease_keep;   /* [k][age]: 1 - the actions' earlier ceasing */
    double *leave_factor; /* [k][cells as cease0]: modify_transitions leave_rate, or NULL */

    /* moves: matrix index for [k][age][need], or -1 (no move) */
    int *move_of;
    int *matrix_of;   /* [age][need]: the scenario's move matrix covering it, or -1 */
    int *variant0;    /* [move matrix]: its first entry in base_matrix (then one per by_year) */
    int *base_matrix; /* [move matrix variant]: its stored index, or -1 (identity) */
    size_t nvariant;
    plan_row *rows; /* [matrix][nplace], grown like the entries */
    int *dest;      /* [entry] destination placement */
    double *share;  /* [entry] share moving there */
    size_t nmat, mat_cap, nent, ent_cap;

    /* joiners of step k */
    int driver;            /* enum joiner_driver */
    double *join_base;     /* [k]: 1 + growth (total_growth), the count (new_plans,
                              requests), rate / 10,000 x population (prevalence) */
    double *join_factor;   /* [k]: what the actions leave of them */
    double *join_isp_keep; /* [k]: the share that stays EHCPs after ISP diversion (reform.c) */
    double *join_agen;     /* [k][age][need]: age share x need share (agen_stride 0: the same every year) */
    size_t agen_stride;
    int nfirst;         /* first-placement rows per year */
    int *first_of;      /* [age][need]: the row whose shares apply, or -1 (no joiners) */
    double *join_first; /* [k][row][nplace]: first-placement shares after any shift and closure */
    int first_cells;    /* 1: one row per (age, need) (a close action), 0: one per band */

    /* modify_transitions: one slot per such action of the scenario (list
     * order); its strength in step k (0 when off), at 1 September for moves,
     * over the calendar year for new plans (leave_rate folds into
     * leave_factor); dense scratch for the matrices they edit */
    int nmod;
    const intervention **mod_iv; /* [slot] */
    double *mod_move, *mod_year; /* [slot][k] */
    double *dense;               /* [nplace][nplace], or NULL without moves to edit */

    /* capacity at census k+1 */
    double *places;          /* [k][nplace]: places, or INFINITY if no limit */
    plan_overflow *overflow; /* placements with an overflow, deepest in chain first */
    int noverflow;
    int *backfill_from;                 /* [nplace] or -1 */
    const unsigned char **backfill_age; /* [nplace]: ages that may be drawn, NULL = all */

    /* money of financial year first_fy + k */
    double *unit_cost;   /* [k][nplace] £ per EHCP per year */
    double *cost_age;    /* [nages][nplace] age multiplier of the unit cost */
    double *cost_need;   /* [nneeds] need multiplier */
    double *spend_other; /* [k][nother]: other spend lines, after savings */
    double *fund;        /* [k][nfund]: funding lines, after transfers and contributions */
    double balance;      /* £ brought forward at 1 April of first_fy */
    double interest;     /* annual rate on the average deficit */

    /* accumulators the action builders fold their effects into (plan.c turns
     * them into the tables above) */
    double *cease_stay;       /* [k][age]: product of (1 - earlier ceasing) */
    double *move_keep;        /* [k][age][nplace]: product of (1 - reduce_moves) by destination */
    unsigned char *move_acts; /* [age]: some action that is on reduces moves at that age */
    double *extra_places;     /* [k][nplace]: places actions add */
    unsigned char *limited;   /* [nplace]: capacity steps or an add_capacity action */
    double *cost_factor;      /* [k][nplace]: product of (1 + fee change) */
    int fz_lo, fz_n;          /* uplift-frozen flags cover financial years fz_lo .. fz_lo + fz_n - 1 */
    unsigned char *frozen;    /* [fy - fz_lo][nplace] */
    double *uplift;           /* [fy - fz_lo][nplace]: 1 + inflation in that year (values alone) */
    double *cost_plain;       /* [k][nplace]: unit cost uplifted with no year frozen, x cost_scale (values alone) */
    double *fund_adj;         /* [k][nfund]: transfers and contributions */
    double *spend_adj;        /* [k][nspend]: savings less running costs (read by money_year for placements) */
    double *amount_other;     /* [k][nother]: other spend lines before actions */
    double *amount_fund;      /* [k][nfund]: funding lines before actions */

    /* what the last compile was made from: tables that depend on values
     * alone are rebuilt only when the values change, and the stored move
     * matrices only when theirs do */
    double *last_val;
    size_t nval;
    int have_last;
    size_t nmat_base, nent_base; /* the scenario's own matrices, stored first */
    /* [npar]: which of the tables built from values alone read each
     * parameter (plan.c's DEP_* bits), built once by plan_alloc; a compile
     * rebuilds only those the changed parameters reach */
    unsigned char *dep;
    /* the moves' memo: the move_acts and move_keep rows (of the ages that
     * act) plan_moves last read; while they are the same and no stored
     * matrix was rebuilt (moves_memo), move_of and the arena stand. Without
     * modify_transitions only. move_keep_clean: rows of the ages that do not
     * act are all 1 (reset_accumulators resets only the others). */
    double *move_keep_last;
    unsigned char *move_acts_last;
    int moves_memo, move_keep_clean;
    struct plan_moves_slot *spare, *swap; /* plan_moves.c: a set of moves kept aside, and scratch */
    unsigned stock_gen;                   /* counts the rebuilds of stock0 (project.c's cache of its tally) */
    /* the moves in force (move_of and the arena) by an id of this plan's:
     * a new one each time plan_moves builds them, the saved one when a set
     * kept aside is swapped back in; one id, one content (lanes.c compares
     * two plans' moves once per pair of ids) */
    unsigned moves_id, moves_ids;

    /* the compile memo (plan_memo.h): what each parameter and
     * action reaches, column by column, and the action states of the last
     * compile; a compile rebuilds only what changed inputs reach */
    struct plan_memo *memo;
} plan;

int plan_alloc(const scenario *s, plan *pl);
void plan_free(plan *pl);
/* Fill the plan from values and action states (`ivs` holds s->niv entries).
 * Returns 0, or HNB_E_NOMEM if the move arena could not grow. */
int plan_compile(const scenario *s, const double *val, const ivstate *ivs, plan *pl);
/* Rebuild only the money tables (unit costs, spend and funding lines) for
 * `ivs`, keeping every count table: valid only when the plan was last
 * compiled from the same values and with the same actions that change
 * counts, `ivs` differing only in actions that act on money alone
 * (attribution.c's money_only). Compiles in full if the values differ. */
int plan_compile_money(const scenario *s, const double *val, const ivstate *ivs, plan *pl);
/* plan_compile_money for a caller that knows `val` holds the values the
 * plan was last compiled from (the same array, unchanged since), without
 * comparing them: attribution's thousands of money runs. */
int plan_compile_money_known(const scenario *s, const double *val, const ivstate *ivs, plan *pl);
/* The tables the money of each year reads after the actions (unit costs,
 * spend adjustments, other spend and funding lines): how many doubles they
 * are, and a copy of them, one after the other (unit_cost [ny][nplace],
 * spend_adj [ny][nspend], spend_other [ny][nother], fund [ny][nfund]). A
 * copy stands for plan_compile_money of the action states it was made for,
 * in a plan compiled from the same values (position_rerun, money.h). */
size_t plan_money_size(const plan *pl);
void plan_money_save(const plan *pl, double *to);

static inline size_t plan_cell(const plan *pl, int a, int n, int p)
{
    return ((size_t)a * (size_t)pl->nneeds + (size_t)n) * (size_t)pl->nplace + (size_t)p;
}

/* plan_moves.c: the scenario's own move matrices, stored first in the
 * arena, rebuilt only when `changed`; then every step's moves after the
 * actions (kept as they are while nothing they read has changed). Both
 * return 0 or HNB_E_NOMEM. */
int plan_base_moves(const scenario *s, const double *val, plan *pl, int changed);
int plan_moves_memo(const scenario *s, plan *pl);
void plan_moves_free(plan *pl); /* what plan_moves_memo allocated */

/* plan_join.c: the first-placement band of children of need group `need`
 * aged `age` (the group's own, or the shared one), or -1; the age x need
 * shares (values alone) and the joiners' tables of each year (after the
 * actions). */
int plan_band_for(const scenario *s, int age, int need);
void plan_join_agen(const scenario *s, const double *val, plan *pl);
void plan_joiners(const scenario *s, const double *val, const ivstate *ivs, plan *pl);

/* plan_money.c: the money tables that depend on values alone (line amounts
 * before actions, age and need multipliers, balance, interest), and those
 * after the actions' money accumulators (unit costs, spend and funding
 * lines). */
void plan_money_values(const scenario *s, const double *val, plan *pl);
void plan_money(const scenario *s, const double *val, plan *pl);
/* The money tables' own storage (plan_alloc, plan_free): 0 or HNB_E_NOMEM. */
int plan_money_alloc(plan *pl);
void plan_money_free(plan *pl);

/* intervention.c: one builder per action type folds an action that is on
 * into the accumulators; running costs are folded for every action. */
void iv_fold(const scenario *s, const double *val, const ivstate *ivs, plan *pl);
/* One part of action i's fold, as iv_fold does it for an action that is on:
 * its builder (cost 0) or its running cost (cost 1); plan_memo.c folds the
 * groups whose actions changed this way, each group in list order. */
void iv_fold_one(const scenario *s, const double *val, const ivstate *ivs, plan *pl, size_t i, int cost);
/* 1 if actions of this type act on money alone: their builders write only
 * the money accumulators (cost_factor, frozen, fund_adj, spend_adj) or
 * nothing (the write-off, read by position.c). A new type is 0 unless it
 * is added here. */
int iv_money_only(int type);
/* iv_fold of the money-only actions and every action's running cost: the
 * money accumulators exactly as iv_fold leaves them, the others untouched. */
void iv_fold_money(const scenario *s, const double *val, const ivstate *ivs, plan *pl);
/* Shifts of first placement act together on the stated shares (see
 * intervention.c): `shares` (nplace) stated -> after the actions of calyear. */
void iv_shift_first(const scenario *s, const double *val, const ivstate *ivs, int calyear, double *shares);
/* modify_transitions on the moves of step k at age a (new census) and need
 * group n: whether any acts there; whether groups n and n2 are edited alike
 * (so may share a matrix); the edits applied, in list order, to a dense
 * nplace x nplace matrix. */
int iv_modify_moves_at(const plan *pl, int k, int a, int n);
int iv_modify_same_need(const plan *pl, int k, int a, int n, int n2);
void iv_modify_matrix(const plan *pl, int k, int a, int n, double *m);
/* close actions on the first placements of new plans aged a of group n. */
void iv_modify_first(const plan *pl, int k, int a, int n, double *shares);

#endif
