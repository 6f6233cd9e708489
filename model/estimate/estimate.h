/* estimate.h: estimating a scenario from a council's person-level history.
 *
 * The estimate room reads three CSV files (csv.c): the history, one row per
 * child per year in the long format SEND Markov models use
 *   calendar-year, setting-1, need-1, academic-year-1, setting-2, need-2, academic-year-2
 * (the state at the January census of calendar-year and at the next; NONSEND
 * on the left marks a joiner, on the right a leaver; age = NCY + 4), an
 * optional population (calendar-year, academic-year, population) and optional
 * costs (need, setting, cost). It counts who stays, moves, leaves and joins
 * and turns the counts into rates (rates.c), pooling adjacent ages where a
 * placement has too few children at risk, and builds a complete scenario
 * file with cJSON (build.c) in today's format: need x setting spelt out as
 * placements, so the file runs on today's engine. The counts go in the file
 * too (its "estimation" block), so that rate uncertainty can be drawn from
 * them. The room never calls the engine: the validation run, which forecasts
 * a held-out year, is the job's (api/estimate.c).
 *
 * Invariants: placements are the (setting, need) pairs the history shows,
 * sorted by setting then need; every rate rests on the counts kept beside it;
 * every row of a move matrix and every set of shares sums to 1 exactly (the
 * largest share takes the rounding). */
#ifndef HNB_ESTIMATE_HISTORY_H
#define HNB_ESTIMATE_HISTORY_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "hnbsim.h"

#define HIST_MAX_AGE 30 /* the scenario format's largest max_age */

typedef struct hist_row {
    int year; /* calendar-year: the census of state 1 */
    int from; /* placement index at census year, or -1 (NONSEND: a joiner) */
    int to;   /* placement index at census year + 1, or -1 (NONSEND: a leaver) */
    int age1; /* age at census year (NCY-1 + 4); for a joiner, age2 - 1 */
    int age2; /* age at census year + 1 (NCY-2 + 4); for a leaver, age1 + 1 */
} hist_row;

typedef struct hist_data {
    char *history, *population, *costs; /* file names, for messages and sources */
    char **setting, **need;             /* the distinct names, sorted */
    int nsetting, nneed;
    int nplace;
    int *pl_setting, *pl_need; /* [nplace] */
    char **pl_id;              /* "SETTING-NEED" */
    hist_row *row;
    size_t nrow;
    int y0, y1;      /* first and last calendar-year of the history */
    int nages;       /* max_age + 1 */
    size_t nskipped; /* rows whose academic years do not step by one (counted, aged by one) */
    /* population by calendar year and age: pop[(y - py0) * nages + a], NAN if not given */
    double *pop;
    int py0, py1;
    double *cost; /* [nplace] £ per child per year, NAN if not given */
} hist_data;

/* The counts and rates from the rows with calendar-year in [y0, ylast]. */
typedef struct hist_band {
    int lo, hi;     /* ages at census t */
    double at_risk; /* children in the placement at those ages at census t */
    double left;    /* of whom left by census t+1 */
    double *to;     /* [nplace]: of whom were in each placement at t+1 (stayers included) */
} hist_band;

typedef struct hist_fit {
    int nplace, nages, y0, ylast, census; /* census = ylast + 1: the starting stocks */
    int min_count;
    hist_band **band; /* [nplace] lists of bands, nband[p] each */
    int *nband;
    double *overall_leave; /* [nages]: every placement pooled, by age; the fallback */
    double *at_risk_age;   /* [nages] */
    double *stock;         /* [nplace][nages] at census ylast + 1 */
    /* joiners: by transition year and age at t+1 */
    int nyears;
    double *join_year_age; /* [nyears][nages] */
    double *join_age_to;   /* [nages][nplace] summed over years */
    double *join_rate;     /* [nages] joiners per head of population, or NULL without population */
    double *join_pop;      /* [nages] population summed over the years with joiners, or NULL */
    hist_band *fp_band;    /* first-placement bands over ages 0..nages-1 */
    int nfp;
} hist_fit;

/* csv.c: read and check the files; every problem is an error naming the file
 * and line. pop_path and cost_path may be NULL. */
int hist_read(hnb_model *h, const char *history, const char *pop_path, const char *cost_path, hist_data *d);
void hist_data_free(hist_data *d);

/* rates.c: count and pool the rows with calendar-year <= ylast. */
int hist_fit_rows(hnb_model *h, const hist_data *d, int ylast, int min_count, hist_fit *f);
void hist_fit_free(hist_fit *f);
/* The leave rate and the move shares that apply at age a (at census t) for
 * placement p: the band that holds a, or NULL if p has no data at a (then the
 * overall rate applies and nobody moves). */
const hist_band *hist_band_at(const hist_fit *f, int p, int a);
/* Joiners expected in the step from census c to c+1, by age at c+1 (into
 * out[nages]); returns the total. Without population, the mean of the years. */
double hist_joiners(const hist_data *d, const hist_fit *f, int c, double *out);

/* One step of the estimated Markov chain from the stocks at census ylast+1,
 * for a group of placements (in_group[p] = 1): the expected count at the
 * next census and two variances: var_rates, the sampling error of the
 * estimated rates (delta method, each band one estimate; joiners into the
 * group as a Poisson count), and var_noise, the binomial noise of the
 * children's own outcomes and the Poisson noise of the joiners. */
void hist_step_group(const hist_data *d, const hist_fit *f, const double *stock, const unsigned char *in_group,
                     double *mean, double *var_rates, double *var_noise);

/* build.c: the scenario file (format hnbsim-scenarios) and the text report of
 * how much data each rate rests on. `horizon` is a financial year index
 * (0: six years from the census). */
cJSON *hist_build_scenario(const hist_data *d, const hist_fit *f, int horizon_fy);
void hist_print_data_report(FILE *out, const hist_data *d, const hist_fit *f);

#endif
