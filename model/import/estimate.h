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

typedef struct growth_est {
    double own3;    /* the authority's mean yearly growth over the 3 years to C */
    double last;    /* its growth in the last year (naive) */
    double nat3;    /* England's mean yearly growth over the same years */
    double natlast; /* England's growth in the last year */
    double w;       /* weight of own3 against nat3 (est_pool_weight) */
    double pooled;  /* w * own3 + (1 - w) * nat3 */
    double sd;      /* the spread of the method's past errors, per year (for Monte Carlo) */
    int nbreak;     /* years replaced by England's growth: data breaks and reorganisations */
    int breaks[4];  /* the censuses that end those years */
    int lastbreak;  /* 1: the last year is a break (naive takes England's growth) */
} growth_est;
void est_growth(const sen2db *db, const s2_la *a, int census, growth_est *g);
/* The pooling weight at census C: of 0, 0.1, .. 1, the one whose 1-year
 * forecasts C-2 -> C-1 and C-1 -> C (each from its own origin's data) had the
 * smallest median absolute error across authorities. Known at C. */
double est_pool_weight(const sen2db *db, int census);
/* The Monte Carlo spread (per year, log scale) at census C: from the errors
 * e = ln(actual / forecast) of the same method's (weight w) 1-year forecasts
 * from C-1 to C, across authorities: the mean of q80|e - median| / 1.2816
 * and q90|e - median| / 1.6449 (the sd of a normal with those central
 * ranges, so heavy tails widen it). Known at C. */
double est_growth_sd(const sen2db *db, int census, double w);

/* The residual of the step census y -> y+1: census(y+1) - census(y) - new(y) + ceased(y). */
double est_residual(const s2_la *a, int y);

#endif
