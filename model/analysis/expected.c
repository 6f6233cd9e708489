/* expected.c: the risk-weighted expected line (expected.h).
 *
 * The central line assumes every action is delivered, on time; Monte Carlo
 * draws whether each one is. Between the two sits the line a finance officer
 * can compare with the fan's median: every other assumption at its stated
 * value, each action delivered with its stated confidence. Since an action
 * either delivers or not, "applied at its mean" is the expectation over the
 * two outcomes of each, taken exactly: every combination of delivered and
 * not delivered is projected and weighted by its probability (the product
 * of p or 1 - p over the actions), and the figures are their weighted sums.
 * That is linear in the figures, so the expected cumulative position is the
 * expectation of the cumulative position, with no approximation of a partly
 * delivered action (which the model has no meaning for). A stated delay
 * (delay_months' value) is applied, as on a path. With more than
 * EXPECTED_EXACT_MAX risky actions the 2^n combinations are too many, and
 * 4,096 are drawn (each action from its own stream, rng.c) and averaged.
 * With none, the line is the central line exactly (one projection). */
#include "analysis/expected.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/rng.h"
#include "core/error.h"
#include "engine/headline.h"

#define EXPECTED_SAMPLES 4096

void expected_free(expected_line *e)
{
    free(e->in_year);
    free(e->risk);
    free(e->p);
    memset(e, 0, sizeof *e);
}

int expected_run(const scenario *s, expected_line *e)
{
    memset(e, 0, sizeof *e);
    int ny = s->last_fy - s->first_fy + 1, oi = headline_override_index(s);
    e->ny = ny;
    e->in_year = calloc(6 * (size_t)ny, sizeof *e->in_year);
    e->risk = calloc(s->niv + 1, sizeof *e->risk);
    e->p = calloc(s->niv + 1, sizeof *e->p);
    ivstate *ivs = calloc(s->niv + 1, sizeof *ivs);
    uint32_t *stream = calloc(s->niv + 1, sizeof *stream);
    workspace w = {0};
    projection p = {0};
    int rc = e->in_year && e->risk && e->p && ivs && stream ? HNB_OK : HNB_E_NOMEM;
    if (!rc) rc = workspace_alloc(s, &w);
    if (!rc) rc = projection_alloc(s, &p);
    if (rc) goto done;
    e->cumulative = e->in_year + ny;
    e->cumulative_gross = e->cumulative + ny;
    e->spend = e->cumulative_gross + ny;
    e->funding = e->spend + ny;
    e->ehcps = e->funding + ny;
    for (size_t i = 0; i < s->niv; i++) {
        const intervention *iv = &s->iv[i];
        ivs[i].on = 1;
        ivs[i].start = iv->start + (iv->delay == NOPAR ? 0.0 : s->val[s->par[iv->delay].off]);
        double q = iv->delivery == NOPAR ? 1.0 : s->val[s->par[iv->delivery].off];
        if (q < 1.0) {
            e->risk[e->nrisk] = i;
            e->p[e->nrisk++] = q;
        }
        stream[i] = rng_factor(iv->name);
    }
    e->sampled = e->nrisk > EXPECTED_EXACT_MAX;
    e->combos = e->sampled ? EXPECTED_SAMPLES : (uint64_t)1 << e->nrisk;
    double over = 0.0, over_gross = 0.0;
    for (uint64_t c = 0; c < e->combos; c++) {
        double wt = e->sampled ? 1.0 / (double)e->combos : 1.0;
        for (size_t k = 0; k < e->nrisk; k++) {
            size_t i = e->risk[k];
            if (e->sampled) {
                ivs[i].on = rng_uniform_at(1, c, stream[i]) < e->p[k];
            } else {
                ivs[i].on = (unsigned char)((c >> k) & 1u);
                wt *= ivs[i].on ? e->p[k] : 1.0 - e->p[k];
            }
        }
        if (wt == 0.0) continue; /* a combination that cannot happen (a confidence of 0) */
        if (project_run(s, s->val, ivs, &w, &p)) {
            rc = HNB_E_NUMERIC;
            goto done;
        }
        for (int k = 0; k < ny; k++) {
            double t = 0.0;
            for (int q = 0; q < p.nplace; q++) t += p.ehcps[(size_t)k * (size_t)p.nplace + (size_t)q];
            e->in_year[k] += wt * p.in_year[k];
            e->cumulative[k] += wt * p.cumulative[k];
            e->cumulative_gross[k] += wt * p.cumulative_gross[k];
            e->spend[k] += wt * p.spend_total[k];
            e->funding[k] += wt * p.fund_total[k];
            e->ehcps[k] += wt * t;
        }
        if (oi >= 0) {
            over += wt * p.cumulative[oi];
            over_gross += wt * p.cumulative_gross[oi];
        }
    }
    e->at_override_end = oi >= 0 ? over : NAN;
    e->at_override_end_gross = oi >= 0 ? over_gross : NAN;
done:
    free(ivs);
    free(stream);
    workspace_free(&w);
    projection_free(&p);
    if (rc) expected_free(e);
    return rc;
}
