/* scenario.h: a scenario resolved from its file and its `extends` chain.
 *
 * Every numeric assumption is a *parameter*: a slot (scalar or vector) in one
 * flat array of values, `val`, with its JSON path, unit and source note kept
 * beside it in `par`. The model reads assumptions only through `val`, so a
 * Monte Carlo path, a sensitivity sweep or a calibration changes a scenario by
 * handing the model another copy of `val` and nothing else; the Assumptions
 * sheet is this table printed. Structures below hold indices into `par`.
 *
 * Dimensions (ages, need groups, placements, years, lines, actions) are all
 * sized from the file; none is capped. */
#ifndef HNB_SCENARIO_H
#define HNB_SCENARIO_H

#include <stddef.h>

#include "hnbsim.h"

#define NOPAR ((size_t)-1)

enum dist_kind { DIST_FIXED, DIST_NORMAL, DIST_LOGNORMAL, DIST_TRIANGULAR, DIST_UNIFORM, DIST_PERT };

typedef struct param {
    char *path;          /* "scenarios.baseline.placements.nmi.unit_cost" */
    char *unit;          /* "£ per EHCP per year" */
    char *source;        /* the nearest source note; "" if none */
    size_t off, n;       /* values live in val[off .. off+n) */
    double lo, hi;       /* the valid range of every value */
    int from_file;       /* 0 for a default the file did not state */
    enum dist_kind dist; /* Monte Carlo: how the value is drawn (scalars only) */
    double d[3];         /* the distribution's numbers (mean/sd, min/mode/max, ...) */
    char *factor;        /* shared factor it loads on (correlation), or NULL */
    double loading;      /* its correlation with that factor, -1 to 1 */
    int plaus;           /* its plausible range's kind (input/params.h enum plaus_kind), 0: none */
} param;

/* A yearly rate: one default, with values for named financial years. */
typedef struct series {
    size_t def;
    size_t n;
    int *fy;
    size_t *par;
} series;

typedef struct capstep {
    double from; /* months (dates.h) */
    size_t places;
} capstep;

typedef struct ageband {
    int lo, hi;
    size_t par;
} ageband;

typedef struct placement {
    char *id, *label, *s251;
    size_t unit_cost;    /* £ per EHCP per year at price_base */
    int price_base;      /* financial year of unit_cost */
    series inflation;    /* uplift applied from price_base+1 on */
    ageband *cost_bands; /* unit-cost multipliers by age (at the census) */
    size_t ncost_bands;
    capstep *cap; /* in-borough places; ncap == 0: no limit */
    size_t ncap;
    int overflow_to;             /* placement index, or -1 */
    int backfill_from;           /* placement whose children fill spare places, or -1 */
    unsigned char *backfill_age; /* [nages]: ages (at census t+1) that may be drawn */
    char *setting, *need;        /* what the placement spells out, for grouping (input/placegroups.c), or NULL */
} placement;

/* A money line: other spend or funding. Amount at base_fy, grown by `growth`,
 * unless a year has its own value in by_fy. */
typedef struct line {
    char *id, *label, *s251;
    char *block; /* funding lines: the DSG block ("" = high needs; schools, central_school_services, early_years) */
    size_t amount;
    int base_fy;
    series growth;
    size_t nby;
    int *by_fy;
    size_t *by_par;
} line;

typedef struct need {
    char *id, *label;
    size_t share;      /* of the stock and of joiners */
    size_t cease_mult; /* multiplies cease rates */
    size_t cost_mult;  /* multiplies unit costs */
} need;

typedef struct movematrix {
    char *name;
    int lo, hi;           /* ages at census t+1 it applies to */
    size_t m;             /* nplace*nplace values, row = from, column = to */
    unsigned char *needs; /* [nneeds]: the need groups it applies to, or NULL: every group */
    size_t nby;           /* by_year: the matrix by_m[i] replaces m in financial year by_fy[i] */
    int *by_fy;
    size_t *by_m;
} movematrix;

enum joiner_driver { JOIN_TOTAL_GROWTH, JOIN_NEW_PLANS, JOIN_REQUESTS, JOIN_PREVALENCE, JOIN_INCIDENCE, JOIN_NDRIVERS };

/* An age band of shares summing to 1: first placements (nplace values) or
 * the joiners' need shares (nneeds values); by_year sets replace `shares` in
 * the financial years named. */
typedef struct firstband {
    int lo, hi;
    size_t shares;
    int need; /* first placements: -1 shared, or the need group of joiners.by_need */
    size_t nby;
    int *by_fy;
    size_t *by_shares;
} firstband;

typedef struct joiners {
    enum joiner_driver driver;
    size_t count;      /* new_plans: plans in the first step; requests: requests */
    series growth;     /* total_growth, new_plans, requests */
    series conversion; /* requests */
    size_t npop;       /* prevalence: population by census year */
    int *pop_census;
    size_t *pop_par;
    series per10k;
    size_t age_dist;  /* nages shares summing to 1 (age at census t+1); NOPAR with incidence */
    firstband *first; /* the shared bands, then each need group's (need >= 0) */
    size_t nfirst;
    /* incidence: population by census year, each nages people by age, and the
     * rate by age (nages rates, a yearly series) */
    size_t npopa;
    int *popa_census;
    size_t *popa_par;
    series rate_age;
    firstband *need_band; /* need_shares by age band (nneeds values), or none: needs[].share */
    size_t nneed_band;
} joiners;

enum iv_type {
    IV_REDUCE_JOINERS,
    IV_ADD_CAPACITY,
    IV_SHIFT_FIRST_PLACEMENT,
    IV_UNIT_COST,
    IV_UPLIFT_FREEZE,
    IV_BLOCK_TRANSFER,
    IV_DFE_CONTRIBUTION,
    IV_EARLIER_CEASING,
    IV_REDUCE_MOVES,
    IV_SPEND_SAVING,
    IV_DEFICIT_WRITEOFF,   /* a share of the deficit at a date written off (the stability grant) */
    IV_ISP_DIVERSION,      /* a share of new plans met by Individual Support Plans instead */
    IV_REASSESSMENT,       /* plans reassessed at a transfer age: some end, some step down */
    IV_PROTECT_PLACES,     /* children in a placement before a date are not reassessed */
    IV_MODIFY_TRANSITIONS, /* scale moves or leavers, redirect moves, close a placement to entrants */
    IV_NTYPES
};

/* Which deficit a write-off takes its size from. */
enum writeoff_basis { WRITEOFF_MODEL, WRITEOFF_STATED };

typedef struct intervention {
    char *name;
    enum iv_type type;
    double start, ramp; /* months; ramp 0 = full effect at once */
    char start_text[11];
    size_t size;         /* the effect: a share, places, or £ (see docs) */
    int placement;       /* the placement acted on, or -1 */
    int to_placement;    /* for shifts and moves, or -1 */
    int fy;              /* uplift freeze / money: financial year, or -1 for every year from start */
    int last_fy;         /* money lines: last year paid (inclusive) */
    int line;            /* funding line (transfers, contributions) or spend line (savings) */
    int min_age;         /* earlier ceasing: from this age */
    unsigned char *ages; /* reduce_moves: [nages] transfer ages */
    size_t delivery;     /* probability the action delivers at all (Monte Carlo) */
    size_t delay;        /* months of start delay (Monte Carlo) */
    size_t cost;         /* £ per year the action costs to run from its start, or NOPAR */
    int cost_line;       /* spend line charged with it (placement index, or nplace + other line) */
    /* deficit_writeoff: size = share of the deficit; the deficit accrued from
     * `accrued_from` (months, or -1: the whole balance) to `deficit_at` (a 31
     * March), the model's own or a stated figure; paid in financial year fy */
    double deficit_at, accrued_from;
    enum writeoff_basis basis;
    size_t stated; /* £ (negative = deficit), WRITEOFF_STATED only */
    /* isp_diversion: size = share of new plans met by an ISP instead;
     * isp_cost = £ per ISP per year, charged to spend line `line`;
     * isp_exit = share of ISPs ending each year */
    size_t isp_exit, isp_cost;
    /* reassessment: size = share of plans ending; step = share stepping down
     * to to_placement; at the ages in `ages` (age at the census after the
     * September transfer); placements acted on: `places` [nplace] (NULL: all
     * but to_placement). protect_places: `places` protected from `start`. */
    size_t step;
    unsigned char *places;
    /* modify_transitions: what it changes; size = the factor (move_rate,
     * leave_rate) or the share (redirect, close); placement = the destination
     * redirected or the placement closed, to_placement where they go (or -1:
     * pro rata, close only); the filter: ages [nages], needs [nneeds] and
     * places [nplace] (NULL: every one) */
    enum { MODIFY_MOVE_RATE, MODIFY_LEAVE_RATE, MODIFY_REDIRECT, MODIFY_CLOSE } modify;
    unsigned char *needs;
} intervention;

typedef struct actual_census {
    int census;
    double ehcps;
    char *source;
} actual_census;

typedef struct actual_fin {
    int fy;
    double in_year, cumulative;
    int has_in_year, has_cumulative;
    char *status, *source;
} actual_fin;

/* Rate uncertainty (input/ratecounts.c reads it, analysis/ratedraw.c draws
 * it): one set of counts a group of rates was estimated from. A leaver band
 * (place >= 0): `at_risk` children of placement `place` at ages lo..hi at a
 * census, `left` of whom left by the next; the leave rate of those ages lives
 * at val[leave_off + a - lo]. Its destinations (children in each placement a
 * year later, stayers included) give the move rows at val[row_off[i] ..
 * + nplace). A first-placement band (place = -1): `at_risk` joiners, by
 * destination, whose shares live at val[row_off[0] .. + nplace). */
#define RATEBAND_MAX_DEST 400 /* destinations of one band: at most the placements (LD_MAX_PLACEMENTS) */

typedef struct rateband {
    int place, lo, hi;
    double at_risk, left;
    size_t leave_off; /* NOPAR: no leave rate drawn */
    int ndest;
    int *dest;       /* [ndest] placement indices named in the counts */
    double *count;   /* [ndest] */
    size_t *row_off; /* [nrow] */
    int nrow;
} rateband;

typedef struct scenario {
    char *name, *label, *description, *extends, *file;
    char *title, *authority, *source_note;
    int parent;        /* index among the handle's scenarios, or -1 */
    int backtest;      /* 1: read through the scenario's "backtest" block (HNB_LOAD_BACKTEST) */
    size_t nparent_iv; /* interventions inherited from the parent (listed first) */

    int nages, nneeds, nplace;
    int census0; /* the January census the stocks are at */
    int first_fy, last_fy;
    double override_end;
    char override_text[11];
    /* After the override: how high needs deficits are met from `regime_from`
     * (months): the council keeps accruing them (as now); central government
     * funds spend in full (the in-year gap is zero, the cumulative frozen);
     * or funding follows spend, a share `regime_share` of the growth in spend
     * over the year before the regime being funded. */
    enum { REGIME_ACCRUE, REGIME_CENTRAL_FULL, REGIME_FOLLOWS_SPEND } regime;
    double regime_from;
    char regime_text[11];
    size_t regime_share;
    char *regime_source;
    /* The council's own forecast of one financial year's in-year position
     * (e.g. its month-6 forecast): reported beside the model's, and with
     * anchor_align the model's year is aligned to it by a one-year adjustment
     * (anchor_adjust, £, found by hnb_run from the deterministic projection). */
    int anchor_fy; /* -1: none */
    size_t anchor_in_year;
    int anchor_align;
    int anchor_owned; /* 1: stated in this scenario; 0: inherited through extends */
    double anchor_adjust;
    char *anchor_source;

    param *par;
    size_t npar;
    double *val;
    size_t nval;

    placement *place;
    need *needs;
    size_t *stock; /* [nplace] vector params of nages counts; split by need shares */

    /* leavers: nages rates each, yearly series (def NOPAR: not given); the
     * rate of a cell is the first given of need x placement, need, placement
     * (x cease_multiplier), shared (x cease_multiplier) */
    series cease;
    series *cease_place;      /* [nplace] */
    series *cease_need;       /* [nneeds] */
    series *cease_need_place; /* [nneeds][nplace] */
    movematrix *moves;
    size_t nmoves;
    joiners join;

    line *other;
    size_t nother;
    line *fund;
    size_t nfund;
    size_t cost_scale; /* multiplies every placement's unit cost (a calibration knob) */
    size_t balance;    /* £ brought forward at 1 April of first_fy */
    size_t interest;   /* annual rate on the average deficit */

    intervention *iv;
    size_t niv;

    actual_census *act_census;
    size_t nact_census;
    actual_fin *act_fin;
    size_t nact_fin;

    /* Monte Carlo settings (montecarlo.c) */
    int count_noise;          /* 1: binomial leavers, multinomial moves, Poisson joiners */
    int balance_by_fy;        /* P(in-year balance by this year) */
    double deficit_threshold; /* P(deficit at override end above this, £) */
    /* Rate uncertainty: montecarlo.rate_uncertainty and the scenario's
     * rate_counts (input/ratecounts.c); draws in analysis/ratedraw.c */
    int rate_uncertainty;
    double rate_prior; /* the Beta and Dirichlet prior's count per category */
    rateband *rateband;
    size_t nrateband;
} scenario;

void scenario_free(struct scenario *s);
const char *scenario_name(const struct scenario *s);

/* The parameter of a yearly series in financial year fy (its default, or
 * the by_year entry for fy): for series of lists. */
size_t series_par(const series *r, int fy);
/* The value of a yearly series in financial year fy. */
double series_at(const scenario *s, const double *val, const series *r, int fy);
/* Spend or funding line amount in financial year fy (before interventions). */
double line_amount(const scenario *s, const double *val, const line *l, int fy);
/* 1 if the scenario has an action of this type. */
int scenario_has_action(const scenario *s, enum iv_type type);
/* Index of a placement by id, or -1. */
int scenario_placement(const scenario *s, const char *id);

/* The values of parameter i in a value array (the scenario's own, or a
 * Monte Carlo path's copy). */
static inline const double *par_val(const scenario *s, const double *val, size_t i) { return val + s->par[i].off; }

/* Index into the stock arrays [age][need][placement]. */
static inline size_t cell(const scenario *s, int a, int n, int p)
{
    return ((size_t)a * (size_t)s->nneeds + (size_t)n) * (size_t)s->nplace + (size_t)p;
}

#endif
