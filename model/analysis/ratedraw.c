/* ratedraw.c: rate uncertainty for Monte Carlo (ratedraw.h).
 *
 * A rate estimated from counts is uncertain by as much as the counts are
 * few: 3 leavers of 22 children says less than 300 of 2,200. With
 * montecarlo.rate_uncertainty on, each path draws the rates afresh from the
 * posterior the counts give (docs/montecarlo.md has the model and why this
 * prior):
 *
 *   leave rate r of a band  ~ Beta(left + c, at_risk - left + c)
 *   destination shares      ~ Dirichlet(count_q + c, over the destinations
 *                             the counts name: a move nobody made and the
 *                             counts do not name stays impossible)
 *   first-placement shares  ~ Dirichlet(count_q + c) likewise
 *
 * with c = rate_counts.prior (0.5 by default, the Jeffreys prior). The band's
 * one rate is written at every age of the band (they were estimated as one),
 * and its shares into every move row the band governs (input/ratecounts.c
 * resolved the offsets at load). A Beta is drawn as GSL's gsl_ran_beta and a
 * Dirichlet as normalised gsl_ran_gamma draws, on the path's own Philox
 * stream keyed by (seed, path, rng_factor("rate_counts")): the draws depend
 * on the seed and the path alone, not on the thread, and leave every other
 * factor's stream unchanged; off, nothing is drawn and every result is the
 * same byte for byte. The count noise that follows (binomial leavers given
 * the drawn rate) then makes each path's counts beta-binomial: the test
 * test_ratedraw checks its variance against the formula. */
#include "analysis/ratedraw.h"

#include <gsl/gsl_randist.h>
#include <string.h>

uint32_t ratedraw_factor(void) { return rng_factor("rate_counts"); }

void ratedraw_path(const scenario *s, uint64_t seed, uint64_t path, double *val, rng_stream *st)
{
    if (!s->rate_uncertainty || !s->nrateband) return;
    rng_start(st, seed, path, ratedraw_factor());
    const double c = s->rate_prior;
    double g[RATEBAND_MAX_DEST];
    for (size_t i = 0; i < s->nrateband; i++) {
        const rateband *b = &s->rateband[i];
        if (b->leave_off != NOPAR) {
            double r = gsl_ran_beta(st->r, b->left + c, b->at_risk - b->left + c);
            for (int a = b->lo; a <= b->hi; a++) val[b->leave_off + (size_t)(a - b->lo)] = r;
        }
        if (!b->nrow) continue;
        double sum = 0;
        for (int k = 0; k < b->ndest; k++) sum += g[k] = gsl_ran_gamma(st->r, b->count[k] + c, 1.0);
        for (int r = 0; r < b->nrow; r++) {
            double *row = val + b->row_off[r];
            memset(row, 0, sizeof *row * (size_t)s->nplace);
            for (int k = 0; k < b->ndest; k++) row[b->dest[k]] += g[k] / sum;
        }
    }
}
