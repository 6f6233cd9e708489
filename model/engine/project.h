/* project.h: one deterministic projection of a scenario, year by year.
 *
 * project_run is the model: it compiles the values `val` and the action
 * states `ivs` into the workspace's plan (plan.h), then, from the stocks at
 * the starting census, steps census to census (cohort.c, joiners.c,
 * capacity.c), costs and funds each financial year (money.c), and fills a
 * `projection` of flat arrays. The steps read only the plan. Monte Carlo,
 * sweeps, calibration and savings attribution all call this one function with
 * other values; project_run_plan runs an already compiled plan (a caller that
 * changes nothing between runs need not compile again). It allocates nothing
 * once its workspace exists (the plan's move arena aside, which only grows),
 * so it is safe to call on many threads with one workspace and one projection
 * each. */
#ifndef HNB_PROJECT_H
#define HNB_PROJECT_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "core/scenario.h"
#include "engine/plan.h"

#define NBANDS 5 /* age bands reported: 0-4, 5-10, 11-15, 16-19, 20-25 */

/* A kernel whose loops are worth vectorising: GCC on x86-64 builds an AVX2
 * copy chosen at load time where the processor has it (as rng.c's refill),
 * and vectorises loops of any length. The numbers are the same either way:
 * element-wise IEEE operations, no fused multiply-add (AVX2 alone has none,
 * and ISO C mode does not contract), and no sum taken in another order (no
 * -fassociative-math, so a loop carrying a sum stays scalar). */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define HNB_VECTORISE \
    __attribute__((target_clones("avx2", "default"), optimize("tree-vectorize", "vect-cost-model=dynamic")))
#else
#define HNB_VECTORISE
#endif

typedef struct projection {
    int ny; /* financial years first_fy .. last_fy */
    int nplace, nspend, nfund, nages, nneeds;
    double *ehcps;                        /* [ny][nplace] at the census inside each year */
    double *bands;                        /* [ny][NBANDS] */
    double *place_bands;                  /* [ny][nplace][NBANDS] (the workbook's age-by-placement table) */
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
    double *grid;      /* [ny][cells] the census inside each year, or NULL: the caller allocates it to ask
                        * (results by need and the full grid CSV); projection_free frees it */
} projection;

/* The count-noise stream as the samplers read it (cohort.c): 32-bit words
 * handed out from buf[left - 1] down, `refill` putting the next NOISE_WORDS
 * in when it is empty. The state of the generator montecarlo.c sets as
 * w->noise (rng.c's type) begins with one, so the samplers' inline reads and
 * gsl_rng_uniform on w->noise take the same words of one stream, in order,
 * and the uniform of a word is word / 2^32 either way. */
#define NOISE_WORDS 32
typedef struct noise_words {
    int left;
    void (*refill)(struct noise_words *);
    uint32_t buf[NOISE_WORDS];
} noise_words;

typedef struct workspace {
    size_t cells;
    double *now, *next, *arrive;            /* [age][need][placement] */
    double *row;                            /* nplace scratch */
    double *weighted;                       /* [2][nplace]: cost-weighted counts at the two censuses of a year */
    double *prot, *prot_next, *prot_arrive; /* [cells] children protected from reassessment (reform.c) */
    double *cum;                            /* [cells]: joiners' cumulative shares (count noise) */
    double *col;                            /* [2][nplace]: capacity_tally's column sums */
    /* figures_only: the cost-weighted counts of the starting census, kept
     * while the plan's stock0 (stock_gen) and cost multipliers are the same
     * (w0_cost: [nages x nplace + nneeds], the multipliers they were made with) */
    double *w0, *w0_cost;
    unsigned w0_gen;
    int w0_ok;
    unsigned char *col_ok; /* [3][nplace]: which of them hold, and the columns changed */
    double isp_diverted;   /* new plans met by an ISP instead in this step */
    /* the children at the step's starting census summed in cell order, as
     * the leavers' pass counted them (have_total), for the total_growth
     * joiners; 0: the joiners sum them themselves */
    double total_now;
    int have_total;
    gsl_rng *noise; /* count noise (montecarlo.c), or NULL */
    /* h-noise: joiners.c's cumulative shares and guides by year (count
     * noise; made there on first use, freed by workspace_free), or NULL */
    struct join_cache *join_cache;
    plan plan; /* compiled by project_run */
    /* 1 (Monte Carlo): compute only what a path's figures read, skipping the
     * EHCPs by age band and by placement x band and the stock copies (their
     * fields of the projection are left as they were) */
    int figures_only;
    /* NULL, or [(ny + 1) x nplace + ny] set by the caller: project_run_plan
     * records there what the money of each year reads of the counts (the
     * cost-weighted counts at every census, then the ISPs at each), so that
     * position_rerun (money.h) can run the money again for other money actions */
    double *record;
} workspace;

int projection_alloc(const scenario *s, projection *p);
void projection_free(projection *p);
int workspace_alloc(const scenario *s, workspace *w);
void workspace_free(workspace *w);
/* Every action on, at its stated start. `ivs` must hold s->niv entries. */
void ivstate_default(const scenario *s, ivstate *ivs);

/* Run the model: compile w->plan from val and ivs, then project_run_plan.
 * Returns 0, HNB_E_NOMEM, or HNB_E_NUMERIC if a figure is not finite. */
int project_run(const scenario *s, const double *val, const ivstate *ivs, workspace *w, projection *out);
/* Run w->plan as compiled. */
int project_run_plan(workspace *w, projection *out);
/* (h-det) project_run_plan from step k0, for analyses that project many
 * subsets of actions (attribution.c, expected.c): the state at census k0
 * (what the year loop carries: project_state_size doubles) is `from`, as a
 * run of another plan recorded it into its `states`; that plan's steps
 * before k0 must be this one's (the actions that differ act from step k0
 * on). `out`'s years before k0 (and w->record's censuses before k0) are
 * left as the caller has them; the counts of every later year are then
 * those of project_run_plan, byte for byte, and so is the money when out's
 * earlier years are this plan's. k0 0 (or `from` NULL) is project_run_plan.
 * `states`, if not NULL, [ny][project_state_size]: the state at each census
 * k0 .. ny - 1 is written there. */
size_t project_state_size(const workspace *w);
int project_run_plan_from(workspace *w, projection *out, int k0, const double *from, double *states);

/* ---- the parts of step k (one file each); they read only the plan ------- */

/* cohort.c: leavers and ageing, then moves. `now` at census t -> `next` at
 * t+1 (survivors only, their sum over cells in *survivors), `arrive` =
 * children who changed placement. With
 * w->noise set, counts are drawn (binomial leavers, multinomial moves) from
 * whole numbers of children instead of taken as expected values. */
double cohort_leave_and_age(const plan *pl, int k, const double *now, double *next, double *survivors, workspace *w);
void cohort_move(const plan *pl, int k, double *next, double *arrive, workspace *w);
/* joiners.c: add the new plans of the step into census+1; returns their number
 * (a Poisson draw spread multinomially when w->noise is set). */
double joiners_add(const plan *pl, int k, const double *now, double survivors, double *next, double *arrive,
                   workspace *w);
/* joiners.c: the number of new plans of step k that stay EHCPs, from the
 * children at the step's starting census (total_growth reads it) and the
 * survivors, after the actions; *isp: those met by an ISP instead. */
double joiners_count(const plan *pl, int k, double total_now, double survivors, double *isp);
/* capacity.c: apply in-borough places at census+1; returns children overflowed. */
double capacity_apply(const plan *pl, int k, double *next, double *arrive);
/* capacity_apply, then census_tally's EHCPs by placement `e` and
 * cost-weighted counts `wsum` of the census after it (no age bands), the
 * same numbers from one pass before capacity and the columns it changed
 * summed again (workspace.figures_only). */
double capacity_tally(const plan *pl, int k, double *next, double *arrive, double *e, double *wsum, workspace *w);
/* money.c: spend, funding and balance of financial year index k from the
 * age-and-need weighted counts by placement at the censuses either side of
 * it (census_tally). */
void money_year(const plan *pl, int k, const double *w0, const double *w1, projection *out);
/* project.c: one pass over a census: EHCPs by placement and age band into
 * e[nplace] and b[NBANDS] (either may be NULL) and the cost-weighted counts
 * into wsum[nplace]. */
void census_tally(const plan *pl, const double *n, double *e, double *b, double *wsum);

/* reform.c: SEND reform actions (from 2029). The share of new plans that
 * stay EHCPs after diversion to Individual Support Plans (read into the plan
 * as join_isp_keep); reassessment at the transfer ages of the plans not
 * protected (returns the plans ended); the protected stock's step; and
 * Individual Support Plans' number and cost. These and position_year still
 * read the scenario, values and action states (the plan keeps them). */
double reform_isp_keep(const scenario *s, const double *val, const ivstate *ivs, int census);
double reform_reassess(const scenario *s, const double *val, const ivstate *ivs, int census, double *next,
                       double *arrive, const double *prot, gsl_rng *rng);
int reform_protecting(const scenario *s, const ivstate *ivs);
void reform_protect_step(const plan *pl, int k, const double *now, workspace *w);
double reform_isp_step(const scenario *s, const double *val, const ivstate *ivs, double isps, double diverted);
/* reform_isp_step in two parts, for a run that takes many steps with one
 * set of action states: the ISP diversion that is on (its index, or -1),
 * then each step from it. */
int reform_isp_action(const scenario *s, const ivstate *ivs);
double reform_isp_next(const scenario *s, const double *val, int iv, double isps, double diverted);
/* position.c: the year's DSG position from its spend and funding: ISP spend,
 * the post-override regime, the alignment to the council's forecast, write-
 * offs, in-year, cumulative (net of write-offs and gross) and interest. */
void position_year(const scenario *s, const double *val, const ivstate *ivs, int k, double isp0, double isp1,
                   projection *out);
/* position_year with the actions it reads gathered once for a run (they
 * depend on the action states alone): position_gather fills `a`, whose
 * arrays the caller gives room for s->niv + 1 entries each; position_step
 * is then position_year of step k. */
typedef struct position_acts {
    size_t nisp, nwo;
    size_t *isp, *wo; /* in list order: ISP diversions that are on and have a cost, write-offs that are on */
    int *wo_fy;       /* the financial year each write-off is paid in (its start's) */
} position_acts;
void position_gather(const scenario *s, const ivstate *ivs, position_acts *a);
void position_step(const scenario *s, const double *val, const position_acts *a, int k, double isp0, double isp1,
                   projection *out);

/* ---- count noise (cohort.c) ---------------------------------------------- */

/* `r` is always a generator of rng.c's type (its state a noise_words). */
/* With count noise: a whole number of children whose expectation is x. */
double cohort_whole(gsl_rng *r, double x);
/* A binomial count that draws nothing when n is 0 or p is 0 or 1: inversion
 * below a mean of 14 (one uniform, (1-p)^n by squaring), BTPE above. */
unsigned int cohort_binomial(gsl_rng *r, double p, unsigned int n);
/* A Poisson count of mean mu (0 when mu <= 0): inversion below a mean of 10,
 * Hormann's transformed rejection (PTRS) above. */
unsigned int cohort_poisson(gsl_rng *r, double mu);
/* Free joiners.c's tables of count noise in w (workspace_free calls it). */
void joiners_noise_free(workspace *w);
/* N children of placement p spread over a move row (the stay share, then
 * the n off-diagonal entries dest/share; norm: the row's sum) as count
 * noise spreads them: added to row[] (all) and arr[] (the movers). */
void cohort_move_row(gsl_rng *r, const int *dest, const double *share, int n, double stay, double norm, int p,
                     unsigned int N, double *row, double *arr);

#endif
