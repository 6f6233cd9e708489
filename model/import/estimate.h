/* estimate.h: what the importer derives from an authority's SEN2 series at a
 * chosen January census, using nothing published after it (estimate.c).
 *
 * No look-ahead: for census C, only censuses up to C and flows of calendar
 * years up to C-1 (those the release that carries census C publishes) are
 * read. Every function writes a one-line `method` saying what it did. */
#ifndef HNB_ESTIMATE_H
#define HNB_ESTIMATE_H

#include "import/sen2db.h"

#define EST_METHOD   2048
#define EST_BREAK_LO 0.6 /* a year-on-year ratio below this (a halving) or above EST_BREAK_HI ... */
#define EST_BREAK_HI 1.6 /* ... is a data break: flagged, not fitted */
#define EST_FLOW_MAX 1.0 /* requests or new plans in a year above this many per plan in force: a bad return */

/* Plans at census C by placement and single year of age, whole numbers that
 * sum to the published total exactly. */
int est_stock(const sen2db *db, const s2_la *a, int census, double st[S2_NPL][S2_NAGES], char *method);
/* Cease rates by age (age at the census), from ceased plans of the years
 * before C over the stocks at the censuses they start from. */
void est_cease(const sen2db *db, const s2_la *a, int census, double rate[S2_NAGES], char *method);
/* Joiners: age distribution (age at the census after the plan starts) and
 * first placements, from new plans of calendar years C-3 .. C-1. 0, or -1
 * when no year has new plans by age (before census 2023). */
int est_joiners(const s2_la *a, int census, double age[S2_NAGES], double first[S2_NPL], char *method);

/* The total of the authority at census y, on its boundaries of census C
 * (successor authorities are given their share of the predecessor before they
 * existed; BCP before 2020 is Bournemouth + Poole); NAN if unknown. *brk is
 * set when y is the first census after a reorganisation. */
double est_series(const sen2db *db, const s2_la *a, int y, int *brk);

/* ---- growth of the total (growth.c) ---------------------------------------
 *
 * The model's growth at census C is England's mean growth over the three
 * years to C plus a relative term, sum_k b[k] x[k], over the ingredients
 * below (features of the authority at C, each relative to England's). The
 * coefficients b are fitted by least squares on the authorities' 1-year
 * growth relative to England's into the two censuses before C (C-2 -> C-1 and
 * C-1 -> C, features taken at each origin with that origin's data), a year
 * that is a data break left out: they are known at C, never fitted to the
 * years a back-test scores. */
enum {
    EG_OWN = 1,       /* the authority's own 3-year mean growth (pooling: b is the weight on it) */
    EG_REQ = 2,       /* requests for assessment in calendar year C-1 per plan at January C-1 */
    EG_AGE = 4,       /* the share of plans aged 16-25 at C (cohort ageing: the age 16, 19 and 25 exits) */
    EG_NEW = 8,       /* new plans in calendar year C-1 per plan at January C-1 */
    EG_AGECLIFF = 16, /* variant of EG_AGE: the share at the cliff ages 15, 18-19 and 24-25 */
    EG_REQ2 = 32,     /* variant of EG_REQ: requests of C-2 and C-1 over plans at January C-2 and C-1 */
    EG_REQ0 = 64,     /* variant of EG_REQ: requests of C-1 over plans at January C */
    EG_NOFLAG = 256,  /* breaks not flagged: raw growth and flows, break years kept in the fit */
    EG_BASELAST = 512 /* the base is England's last-year growth, not its 3-year mean (est_base) */
};
#define EG_NFEAT 7 /* x[k] is the feature of bit 1 << k */
#define EG_MODEL (EG_OWN | EG_REQ | EG_AGE | EG_NEW)

typedef struct growth_est {
    double own3;        /* the authority's mean yearly growth over the 3 years to C */
    double last;        /* its growth in the last year (naive) */
    double nat3;        /* England's mean yearly growth over the same years */
    double natlast;     /* England's growth in the last year */
    double w;           /* pooling alone: the weight of own3 against nat3 (est_pool_weight) */
    double pooled;      /* w * own3 + (1 - w) * nat3 */
    double x[EG_NFEAT]; /* the features at C, each minus England's: own3 - nat3, requests, age, new
                           plans, and the variants' cliff ages, 2-year requests, requests at C */
    double b[EG_NFEAT]; /* the model's coefficients (est_fit, EG_MODEL) */
    size_t nfit;        /* authority-years they were fitted on */
    double growth;      /* the model's growth: nat3 + sum b x; what the scenario uses */
    double sd;          /* the spread of the model's past errors, per year (for Monte Carlo) */
    int nbreak;         /* years replaced by England's growth: data breaks and reorganisations */
    int breaks[4];      /* the censuses that end those years */
    int lastbreak;      /* 1: the last year is a break (naive takes England's growth) */
    unsigned flowbreak; /* EG_REQ, EG_NEW: that flow is a bad return (not positive, or above EST_FLOW_MAX
                           per plan in force): England's rate used */
} growth_est;
/* Everything above for authority a at census C (the model: EG_MODEL). */
void est_growth(const sen2db *db, const s2_la *a, int census, growth_est *g);
/* What est_growth computes once for every authority at census C (the
 * pooling weight, the coefficients, the spread), and est_growth from it. */
typedef struct growth_fit {
    double w, b[EG_NFEAT], sd;
    size_t nfit;
} growth_fit;
void est_growth_fit(const sen2db *db, int census, growth_fit *f);
void est_growth_at(const sen2db *db, const s2_la *a, int census, const growth_fit *f, growth_est *g);
/* The features of a at C for the ingredients `which` (EG_*), into g (x, own3,
 * nat3, last, natlast, breaks); features not asked for are 0. */
void est_features(const sen2db *db, const s2_la *a, int census, unsigned which, growth_est *g);
/* The coefficients for `which` at census C (b[k] 0 where not asked for);
 * returns the number of authority-years fitted on. Known at C. */
size_t est_fit(const sen2db *db, int census, unsigned which, double b[EG_NFEAT]);
/* nat3 + sum b x. */
double est_predict(const growth_est *g, const double b[EG_NFEAT]);
/* The base growth for `which`: natlast with EG_BASELAST, else nat3. */
double est_base(const growth_est *g, unsigned which);
/* The pooling weight at census C: of 0, 0.1, .. 1, the one whose 1-year
 * forecasts C-2 -> C-1 and C-1 -> C (each from its own origin's data) had the
 * smallest median absolute error across authorities. Known at C. */
double est_pool_weight(const sen2db *db, int census);
/* The Monte Carlo spread (per year, log scale) at census C: from the errors
 * e = ln(actual / forecast) of the model's 1-year forecasts over the three
 * steps before C (C-3 -> C-2, C-2 -> C-1, C-1 -> C, each with coefficients
 * fitted at the step's start; a step used if its fit has authority-years and
 * at least 10 authorities have errors), pooled across authorities and steps:
 * the mean of q80|e - median| / 1.2816 and q90|e - median| / 1.6449 (the sd
 * of a normal with those central ranges, so heavy tails widen it). Known at C. */
double est_growth_sd(const sen2db *db, int census, unsigned which);

/* The residual of the step census y -> y+1: census(y+1) - census(y) - new(y) + ceased(y). */
double est_residual(const s2_la *a, int y);

#endif
