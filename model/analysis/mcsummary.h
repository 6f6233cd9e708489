/* mcsummary.h: what montecarlo.c and mcsummary.c share of a run's summary
 * (internal to analysis/: the figures' order and the summary's fields).
 *
 * Figures, in this order: the two headline figures; cumulative and in-year
 * for every year (what --paths-out writes); then per year spend, funding,
 * EHCPs and EHCPs by placement; last, the cumulative at the override's end
 * before any write-off. Each figure's summary is NSTAT numbers: mean, p5,
 * p10, p25, p50, p75, p90, p95. */
#ifndef HNB_MCSUMMARY_H
#define HNB_MCSUMMARY_H

#include <stddef.h>
#include <stdint.h>

#define NSTAT 8

struct mc_summary {
    uint64_t paths, seed;
    int ny, nplace;
    size_t nfig;
    double *stat; /* [nfig][NSTAT] */
    uint64_t n_balance, n_above, n_grows;
    double se[3 * 3]; /* [headline figure][p5, p50, p95] Monte Carlo standard errors (mcse.c) */
};

enum { FIG_OVERRIDE = 0, FIG_PEAK = 1 };
static inline size_t fig_gross(int ny, int P) { return 2 + 2 * (size_t)ny + (size_t)ny * (3 + (size_t)P); }
static inline size_t fig_count(int ny, int P) { return fig_gross(ny, P) + 1; }

/* the percentiles whose Monte Carlo standard errors are reported */
extern const double mc_se_pct[3];

#endif
