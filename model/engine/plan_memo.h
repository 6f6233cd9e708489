/* plan_memo.h: what a compile of the plan may keep from the last one
 * (plan_memo.c; plan.c, plan_join.c and plan_money.c read it).
 *
 * Two kinds of input change between compiles: values (a Monte Carlo path
 * draws a few parameters) and action states (on or off, and when they
 * start). The memo maps every parameter to the targets its values reach, at
 * the grain of one table's column (one placement's inflation, one funding
 * line), and every action to the accumulator group it folds into (one
 * placement's extra places, one spend line's adjustments); a compile marks
 * the targets and groups that changed and rebuilds only the tables they
 * reach, each by the same operations as a full build (plan.h's invariant).
 *
 * Invariant: a target or group that is not marked holds what a full compile
 * from the current inputs would give, because none of its inputs changed
 * since the compile that built it. The first compile, and any after the
 * memo was spent (plan_memo_invalidate: a money-only recompile, a failed
 * compile), marks everything. */
#ifndef HNB_PLAN_MEMO_H
#define HNB_PLAN_MEMO_H

#include <stdint.h>

#include "engine/plan.h"

/* Where a yearly series' value of each year lo .. lo + n - 1 is in val
 * (series_par, once): its offset, or SIZE_MAX where it has none. */
typedef struct plan_years {
    int lo, n;
    size_t *off;
} plan_years;

/* series_at(s, val, r, y), through the offsets where they cover y. */
static inline double memo_series(const plan_years *t, const scenario *s, const double *val, const series *r, int y)
{
    if (y >= t->lo && y < t->lo + t->n && t->off[y - t->lo] != SIZE_MAX) return val[t->off[y - t->lo]];
    return series_at(s, val, r, y);
}

#define MEMO_DIFFS 256 /* changed values a compile maps one by one; more: parameter by parameter */

typedef struct plan_memo {
    /* targets reached by values: [t_x + column] */
    int t_misc;   /* cost_age, cost_need, balance, interest */
    int t_jbase;  /* join_base: the driver's counts, growth, conversion, prevalence, incidence */
    int t_jfirst; /* join_first: the first-placement shares of the bands */
    int t_infl, t_uc, t_cap, t_other, t_fund, t_iv; /* + placement, placement, placement, line, line, action */
    int ntarget;
    size_t *reach_off;      /* [npar + 1] */
    int *reach;             /* the targets of parameter i: reach[reach_off[i] .. reach_off[i + 1]) */
    unsigned char *dirty_t; /* [ntarget], this compile */
    /* the parameters to compare: one value each, and several */
    size_t *scalar_off, *scalar_par, nscalar;
    size_t *big_par, nbig;
    size_t *word_par; /* [nval]: the parameter each value belongs to, or NOPAR */
    size_t *diff;     /* [MEMO_DIFFS] scratch: the words that changed */
    /* action groups: [g_x + column] */
    int g_join, g_cease, g_movek, g_mod, g_frozen, g_isp, g_shift, g_places, g_costf, g_fundadj, g_spendadj;
    int ngroup;
    int *iv_group, *iv_cost_group; /* [niv] the group an action's builder and its running cost fold into, or -1 */
    unsigned char *dirty_g;        /* [ngroup], this compile */
    int *dirty_list;               /* [ngroup]: the groups marked, ndirty of them (the memo standing) */
    size_t ndirty;
    size_t *movek_iv, nmovek;   /* the reduce_moves actions */
    size_t *mem_off, *mem;      /* group g's members: mem[mem_off[g] .. mem_off[g + 1]), (action << 1) | cost */
    unsigned char *act_changed; /* [niv]: this compile */
    long *snap_at;              /* [ngroup]: the member before which snap was taken, or -1 */
    double *snap;               /* [ngroup][ny]: a group's cells then (columns and join_factor only) */
    size_t *flag_iv, nflag;     /* protect_places and reassessment actions */
    ivstate *last_ivs;          /* [niv] the last compile's */
    int valid;                  /* last_ivs and every group's tables stand */
    size_t *infl_off;           /* [fz_n][nplace]: offset in val of each inflation, or SIZE_MAX */
    plan_years *line_growth;    /* [nlines = nother + nfund]: each line's growth, other lines first */
    size_t nlines;
    plan_years join_growth;     /* the joiners' growth */
    unsigned char *plain_stale; /* [nplace]: cost_plain not rebuilt since its values changed (plan_money.c) */
    unsigned char *frozen_any;  /* [nplace]: an action freezes the placement's uplift in some year */
} plan_memo;

int plan_memo_alloc(const scenario *s, plan *pl);
void plan_memo_free(plan *pl);
/* Compare val with the last compile's values (pl->last_val), copy what
 * changed and mark the targets it reaches; everything when the plan has
 * none (have_last 0). Returns the DEP_* bits of plan.c reached. */
unsigned plan_memo_values(const scenario *s, const double *val, plan *pl);
/* Compare ivs (and the values the builders read) with the last compile's,
 * mark the groups that changed (all when the memo is spent), reset them and
 * fold their actions again, in list order. */
void plan_memo_actions(const scenario *s, const double *val, const ivstate *ivs, plan *pl);
/* After a compile that left every table built: the memo stands. */
static inline void plan_memo_done(plan *pl) { pl->memo->valid = 1; }
static inline void plan_memo_invalidate(plan *pl)
{
    if (pl->memo) pl->memo->valid = 0;
}
/* plan_money.c: plan_money of only the columns whose inputs changed. */
void plan_money_changed(const scenario *s, const double *val, plan *pl);
static inline int memo_t(const plan *pl, int t) { return pl->memo->dirty_t[t]; }
static inline int memo_g(const plan *pl, int g) { return pl->memo->dirty_g[g]; }

#endif
