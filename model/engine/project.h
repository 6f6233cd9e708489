/* project.h: one deterministic projection of a scenario, year by year.
 *
 * project_run is the model: from the stocks at the starting census it steps
 * census to census (cohort.c, joiners.c, capacity.c), costs and funds each
 * financial year (money.c), and fills a `projection` of flat arrays. It reads
 * assumptions only from `val` and actions only from `ivs`, so Monte Carlo,
 * sweeps, calibration and savings attribution all call this one function with
 * other values. It allocates nothing once its workspace exists, so it is safe
 * to call on many threads with one workspace and one projection each. */
#ifndef HNB_PROJECT_H
#define HNB_PROJECT_H

#include <gsl/gsl_rng.h>

#include "core/scenario.h"

#define NBANDS 5 /* age bands reported: 0-4, 5-10, 11-15, 16-19, 20-25 */

/* How each action runs on this projection: on or off (attribution, delivery
 * risk) and when it starts (a delayed start in Monte Carlo). */
typedef struct ivstate {
    unsigned char on;
    double start; /* months (dates.h) */
} ivstate;

typedef struct projection {
    int ny; /* financial years first_fy .. last_fy */
    int nplace, nspend, nfund, nages, nneeds;
    double *ehcps;                        /* [ny][nplace] at the census inside each year */
    double *bands;                        /* [ny][NBANDS] */
    double *joiners, *leavers, *overflow; /* [ny] for the step into that census */
    double *unit_cost;                    /* [ny][nplace] £ per EHCP per year */
    double *spend;                        /* [ny][nspend]: placements, then other lines */
    double *fund;                         /* [ny][nfund] */
    double *spend_total, *fund_total, *in_year, *cumulative, *interest; /* [ny] */
    /* [ny] the DSG position's other parts (position.c): deficit written off in
     * the year (£, positive), funding the post-override regime adds (£), the
     * one-year alignment to the council's forecast (£), the cumulative before
     * any write-off (£), Individual Support Plans at the census (children) */
    double *writeoff, *regime, *alignment, *cumulative_gross, *isps;
    double *stock0;    /* [cells] stocks at the starting census */
    double *stock_end; /* [cells] stocks at the last census */
} projection;

typedef struct workspace {
    size_t cells;
    double *now, *next, *arrive, *tmp;      /* [age][need][placement] */
    double *row;                            /* nplace scratch */
    double *mat;                            /* nplace*nplace scratch */
    unsigned int *draw;                     /* cells scratch for multinomial draws */
    double *prot, *prot_next, *prot_arrive; /* [cells] children protected from reassessment (reform.c) */
    double isp_diverted;                    /* new plans met by an ISP instead in this step */
    gsl_rng *noise;                         /* count noise (montecarlo.c), or NULL */
} workspace;

int projection_alloc(const scenario *s, projection *p);
void projection_free(projection *p);
int workspace_alloc(const scenario *s, workspace *w);
void workspace_free(workspace *w);
/* Every action on, at its stated start. `ivs` must hold s->niv entries. */
void ivstate_default(const scenario *s, ivstate *ivs);

/* Run the model. Returns 0, or HNB_E_NUMERIC if a figure is not finite. */
int project_run(const scenario *s, const double *val, const ivstate *ivs, workspace *w, projection *out);

/* ---- the parts of a step (one file each) ------------------------------- */

/* cohort.c: leavers and ageing, then moves. `now` at census t -> `next` at
 * t+1 (survivors only), `arrive` = children who changed placement. With
 * w->noise set, counts are drawn (binomial leavers, multinomial moves) from
 * whole numbers of children instead of taken as expected values. */
double cohort_leave_and_age(const scenario *s, const double *val, const ivstate *ivs, int census, const double *now,
                            double *next, workspace *w);
void cohort_move(const scenario *s, const double *val, const ivstate *ivs, int census, double *next, double *arrive,
                 workspace *w);
/* joiners.c: add the new plans of the step into census+1; returns their number
 * (a Poisson draw spread multinomially when w->noise is set). */
double joiners_add(const scenario *s, const double *val, const ivstate *ivs, int census, const double *now,
                   double survivors, double *next, double *arrive, workspace *w);
/* capacity.c: apply in-borough places at census+1; returns children overflowed. */
double capacity_apply(const scenario *s, const double *val, const ivstate *ivs, int census, double *next,
                      double *arrive);
/* money.c: spend, funding and balance of financial year index k. */
void money_year(const scenario *s, const double *val, const ivstate *ivs, int k, const double *n0, const double *n1,
                projection *out);
double money_unit_cost(const scenario *s, const double *val, const ivstate *ivs, int p, int fy);

/* reform.c: SEND reform actions (from 2029). The share of new plans that
 * stay EHCPs after diversion to Individual Support Plans; reassessment at
 * the transfer ages of the plans not protected (returns the plans ended); the
 * protected stock's step; and Individual Support Plans' number and cost. */
double reform_isp_keep(const scenario *s, const double *val, const ivstate *ivs, int census);
double reform_reassess(const scenario *s, const double *val, const ivstate *ivs, int census, double *next,
                       double *arrive, const double *prot, gsl_rng *rng);
int reform_protecting(const scenario *s, const ivstate *ivs);
void reform_protect_step(const scenario *s, const double *val, const ivstate *ivs, int census, const double *next,
                         workspace *w);
double reform_isp_step(const scenario *s, const double *val, const ivstate *ivs, double isps, double diverted);
/* position.c: the year's DSG position from its spend and funding: ISP spend,
 * the post-override regime, the alignment to the council's forecast, write-
 * offs, in-year, cumulative (net of write-offs and gross) and interest. */
void position_year(const scenario *s, const double *val, const ivstate *ivs, int k, double isp0, double isp1,
                   projection *out);

/* intervention.c: the effect of the actions that are on. */
double iv_joiner_factor(const scenario *s, const double *val, const ivstate *ivs, int calyear);
void iv_shift_first(const scenario *s, const double *val, const ivstate *ivs, int calyear, double *shares);
double iv_extra_places(const scenario *s, const double *val, const ivstate *ivs, int p, double when);
double iv_extra_cease(const scenario *s, const double *val, const ivstate *ivs, int age, int calyear);
double iv_move_factor(const scenario *s, const double *val, const ivstate *ivs, int age, int to, int calyear);
double iv_cost_factor(const scenario *s, const double *val, const ivstate *ivs, int p, int fy);
int iv_uplift_frozen(const scenario *s, const ivstate *ivs, int p, int fy);
double iv_funding(const scenario *s, const double *val, const ivstate *ivs, int l, int fy);
double iv_spend_saving(const scenario *s, const double *val, const ivstate *ivs, int spendline, int fy);

#endif
