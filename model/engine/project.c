/* project.c: the year loop (project.h).
 *
 * For each financial year k (first_fy + k), the step from census c0+k to
 * c0+k+1: leavers and ageing, moves, joiners, capacity; then the money of the
 * year from both censuses. Everything the step needs of the scenario is in
 * the compiled plan (plan.h); the stock at the starting census is the plan's,
 * already split over need groups by their shares. Figures are checked to be
 * finite at the end, so a bad assumption gives an error, never a NaN in a
 * results file. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/project.h"

int projection_alloc(const scenario *s, projection *p)
{
    memset(p, 0, sizeof *p);
    p->ny = s->last_fy - s->first_fy + 1;
    p->nplace = s->nplace;
    p->nspend = s->nplace + (int)s->nother;
    p->nfund = (int)s->nfund;
    p->nages = s->nages;
    p->nneeds = s->nneeds;
    size_t ny = (size_t)p->ny, cells = (size_t)s->nages * (size_t)s->nneeds * (size_t)s->nplace;
    p->ehcps = calloc(ny * (size_t)p->nplace + 1, sizeof(double));
    p->bands = calloc(ny * NBANDS + 1, sizeof(double));
    p->place_bands = calloc(ny * (size_t)p->nplace * NBANDS + 1, sizeof(double));
    p->unit_cost = calloc(ny * (size_t)p->nplace + 1, sizeof(double));
    p->spend = calloc(ny * (size_t)p->nspend + 1, sizeof(double));
    p->fund = calloc(ny * (size_t)p->nfund + 1, sizeof(double));
    double **one[] = {&p->joiners,   &p->leavers,          &p->overflow, &p->spend_total, &p->fund_total,
                      &p->in_year,   &p->cumulative,       &p->interest, &p->writeoff,    &p->regime,
                      &p->alignment, &p->cumulative_gross, &p->isps};
    int ok = p->ehcps && p->bands && p->place_bands && p->unit_cost && p->spend && p->fund;
    for (size_t i = 0; i < sizeof one / sizeof *one; i++) {
        *one[i] = calloc(ny + 1, sizeof(double));
        ok = ok && *one[i];
    }
    p->stock0 = calloc(cells + 1, sizeof(double));
    p->stock_end = calloc(cells + 1, sizeof(double));
    ok = ok && p->stock0 && p->stock_end;
    if (!ok) {
        projection_free(p);
        return HNB_E_NOMEM;
    }
    return HNB_OK;
}

void projection_free(projection *p)
{
    double *all[] = {p->place_bands, p->ehcps,     p->bands,      p->joiners,   p->leavers,
                     p->overflow,    p->unit_cost, p->spend,      p->fund,      p->spend_total,
                     p->fund_total,  p->in_year,   p->cumulative, p->interest,  p->stock0,
                     p->stock_end,   p->writeoff,  p->regime,     p->alignment, p->cumulative_gross,
                     p->isps,        p->grid};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) free(all[i]);
    memset(p, 0, sizeof *p);
}

int workspace_alloc(const scenario *s, workspace *w)
{
    memset(w, 0, sizeof *w);
    w->cells = (size_t)s->nages * (size_t)s->nneeds * (size_t)s->nplace;
    w->now = calloc(w->cells + 1, sizeof(double));
    w->next = calloc(w->cells + 1, sizeof(double));
    w->arrive = calloc(w->cells + 1, sizeof(double));
    w->row = calloc((size_t)s->nplace + 1, sizeof(double));
    w->weighted = calloc(2 * (size_t)s->nplace + 1, sizeof(double));
    w->cum = calloc(w->cells + 1, sizeof(double));
    w->col = calloc(2 * (size_t)s->nplace + 1, sizeof(double));
    w->w0 = calloc((size_t)s->nplace + 1, sizeof(double));
    w->w0_cost = calloc((size_t)s->nages * (size_t)s->nplace + (size_t)s->nneeds + 1, sizeof(double));
    w->col_ok = calloc(3 * (size_t)s->nplace + 1, 1);
    w->prot = calloc(w->cells + 1, sizeof(double));
    w->prot_next = calloc(w->cells + 1, sizeof(double));
    w->prot_arrive = calloc(w->cells + 1, sizeof(double));
    int rc = !w->now || !w->next || !w->arrive || !w->row || !w->weighted || !w->cum || !w->col || !w->w0 ||
                     !w->w0_cost || !w->col_ok || !w->prot || !w->prot_next || !w->prot_arrive
                 ? HNB_E_NOMEM
                 : plan_alloc(s, &w->plan);
    if (rc) {
        workspace_free(w);
        return HNB_E_NOMEM;
    }
    return HNB_OK;
}

void workspace_free(workspace *w)
{
    free(w->now);
    free(w->next);
    free(w->arrive);
    free(w->row);
    free(w->weighted);
    free(w->prot);
    free(w->prot_next);
    free(w->prot_arrive);
    free(w->cum);
    free(w->col);
    free(w->w0);
    free(w->w0_cost);
    free(w->col_ok);
    joiners_noise_free(w); /* h-noise: joiners.c's tables */
    plan_free(&w->plan);
    memset(w, 0, sizeof *w);
}

void ivstate_default(const scenario *s, ivstate *ivs)
{
    for (size_t i = 0; i < s->niv; i++) {
        ivs[i].on = 1;
        ivs[i].start = s->iv[i].start;
    }
}

void census_tally(const plan *pl, const double *n, double *e, double *b, double *wsum)
{
    static const int band_hi[NBANDS] = {4, 10, 15, 19, 1000};
    const int P = pl->nplace, G = pl->nneeds;
    double ee[P > 0 ? P : 1], bb[NBANDS] = {0};
    for (int p = 0; p < P; p++) ee[p] = wsum[p] = 0.0;
    int band = 0;
    for (int a = 0; a < pl->nages; a++) {
        while (a > band_hi[band]) band++;
        const double *restrict x = n + (size_t)a * (size_t)G * (size_t)P;
        const double *restrict m = pl->cost_age + (size_t)a * (size_t)P;
        if (!b) { /* no bands asked for: no serial sum either */
            for (int g = 0; g < G; g++, x += P) {
                const double cm = pl->cost_need[g];
                for (int p = 0; p < P; p++) {
                    ee[p] += x[p];
                    wsum[p] += x[p] * m[p] * cm;
                }
            }
            continue;
        }
        double t = bb[band];
        for (int g = 0; g < G; g++, x += P) {
            const double cm = pl->cost_need[g];
            for (int p = 0; p < P; p++) {
                ee[p] += x[p];
                t += x[p];
                wsum[p] += x[p] * m[p] * cm;
            }
        }
        bb[band] = t;
    }
    if (e) memcpy(e, ee, sizeof(double) * (size_t)P);
    if (b) memcpy(b, bb, sizeof bb);
}

/* EHCPs by placement and age band at one census, [nplace][NBANDS], for the
 * results' by_placement_age_band (the workbook's template table). A pass of
 * its own, so the hot census_tally above stays as it is. */
static void place_band_tally(const plan *pl, const double *n, double *pb)
{
    static const int band_hi[NBANDS] = {4, 10, 15, 19, 1000};
    const int P = pl->nplace, G = pl->nneeds;
    memset(pb, 0, sizeof(double) * (size_t)P * NBANDS);
    int band = 0;
    for (int a = 0; a < pl->nages; a++) {
        while (a > band_hi[band]) band++;
        const double *x = n + (size_t)a * (size_t)G * (size_t)P;
        for (int g = 0; g < G; g++, x += P)
            for (int p = 0; p < P; p++) pb[(size_t)p * NBANDS + (size_t)band] += x[p];
    }
}

/* The cost-weighted counts of the starting census (census_tally of stock0)
 * into w0: the cached ones while stock0 and the cost multipliers are those
 * they were made from (bitwise), else tallied and kept. */
static void start_weighted(const plan *pl, workspace *w, double *w0)
{
    const size_t P = (size_t)pl->nplace, AP = (size_t)pl->nages * P, G = (size_t)pl->nneeds;
    if (!w->w0_ok || w->w0_gen != pl->stock_gen || memcmp(w->w0_cost, pl->cost_age, AP * sizeof(double)) != 0 ||
        memcmp(w->w0_cost + AP, pl->cost_need, G * sizeof(double)) != 0) {
        census_tally(pl, pl->stock0, NULL, NULL, w->w0);
        memcpy(w->w0_cost, pl->cost_age, AP * sizeof(double));
        memcpy(w->w0_cost + AP, pl->cost_need, G * sizeof(double));
        w->w0_gen = pl->stock_gen;
        w->w0_ok = 1;
    }
    memcpy(w0, w->w0, P * sizeof(double));
}

int project_run_plan(workspace *w, projection *out) { return project_run_plan_from(w, out, 0, NULL, NULL); }

int project_run(const scenario *s, const double *val, const ivstate *ivs, workspace *w, projection *out)
{
    int rc = plan_compile(s, val, ivs, &w->plan);
    return rc ? rc : project_run_plan(w, out);
}

/* ---- a plan run from a later census -------------------------------------
 *
 * project_run_plan_from (project.h): the year loop from step k0 on, given
 * what it carries from one census to the next: the stocks, the protected
 * stocks (reform.c), the cost-weighted counts and the ISPs; from step 0 it
 * is project_run_plan itself. One loop, so that a run resumed from a
 * recorded state is that of the whole run byte for byte whenever the
 * plan's steps before k0 are those of the run the state was recorded from
 * (tests/test_fromstep.c checks it at every step of every golden case). A state is [cells] stocks, [cells] protected
 * stocks (0 when not protecting), [nplace] cost-weighted counts and the ISPs. */

size_t project_state_size(const workspace *w) { return 2 * w->cells + (size_t)w->plan.nplace + 1; }

static void state_save(const workspace *w, int protecting, const double *w0, double isps, double *to)
{
    const size_t cells = w->cells, P = (size_t)w->plan.nplace;
    memcpy(to, w->now, cells * sizeof(double));
    if (protecting)
        memcpy(to + cells, w->prot, cells * sizeof(double));
    else
        memset(to + cells, 0, cells * sizeof(double));
    memcpy(to + 2 * cells, w0, P * sizeof(double));
    to[2 * cells + P] = isps;
}

int project_run_plan_from(workspace *w, projection *out, int k0, const double *from, double *states)
{
    const plan *pl = &w->plan;
    const size_t cells = w->cells, P = (size_t)pl->nplace, ss = project_state_size(w);
    double *w0 = w->weighted, *w1 = w->weighted + P;
    const int lean = w->figures_only;
    const scenario *s = pl->s;
    const double *val = pl->val;
    const ivstate *ivs = pl->ivs;
    int protecting = pl->protecting;
    double isps = 0.0;
    size_t pa_isp[s->niv + 1], pa_wo[s->niv + 1];
    int pa_wo_fy[s->niv + 1];
    position_acts acts = {0, 0, pa_isp, pa_wo, pa_wo_fy};
    position_gather(s, ivs, &acts); /* the actions the money reads, once for the run */
    const int isp_iv = reform_isp_action(s, ivs);
    if (!from || k0 <= 0 || k0 >= out->ny) k0 = 0;
    if (k0 == 0) {
        memcpy(w->now, pl->stock0, cells * sizeof(double));
        if (!lean) memcpy(out->stock0, w->now, cells * sizeof(double));
        if (lean)
            start_weighted(pl, w, w0);
        else
            census_tally(pl, w->now, NULL, NULL, w0);
        if (w->record) memcpy(w->record, w0, P * sizeof(double));
        if (protecting) memset(w->prot, 0, cells * sizeof(double));
    } else {
        memcpy(w->now, from, cells * sizeof(double));
        if (protecting) memcpy(w->prot, from + cells, cells * sizeof(double));
        memcpy(w0, from + 2 * cells, P * sizeof(double));
        isps = from[2 * cells + P];
        if (w->record) memcpy(w->record + (size_t)k0 * P, w0, P * sizeof(double));
    }
    if (states) state_save(w, protecting, w0, isps, states + (size_t)k0 * ss);
    for (int k = k0; k < out->ny; k++) {
        int census = pl->census0 + k;
        double survivors = 0.0;
        double left = cohort_leave_and_age(pl, k, w->now, w->next, &survivors, w);
        const int have_total = w->have_total;
        const double total_now = w->total_now;
        cohort_move(pl, k, w->next, w->arrive, w);
        if (protecting) reform_protect_step(pl, k, w->now, w);
        if (pl->reassessing)
            left +=
                reform_reassess(s, val, ivs, census, w->next, w->arrive, protecting ? w->prot_next : NULL, w->noise);
        out->leavers[k] = left;
        w->isp_diverted = 0.0;
        w->have_total = have_total;
        w->total_now = total_now;
        out->joiners[k] = joiners_add(pl, k, w->now, survivors, w->next, w->arrive, w);
        double isps1 = reform_isp_next(s, val, isp_iv, isps, w->isp_diverted);
        out->isps[k] = isps1;
        if (lean) {
            out->overflow[k] = capacity_tally(pl, k, w->next, w->arrive, out->ehcps + (size_t)k * P, w1, w);
        } else {
            out->overflow[k] = capacity_apply(pl, k, w->next, w->arrive);
            census_tally(pl, w->next, out->ehcps + (size_t)k * P, out->bands + (size_t)k * NBANDS, w1);
            place_band_tally(pl, w->next, out->place_bands + (size_t)k * P * NBANDS);
        }
        if (w->record) {
            memcpy(w->record + (size_t)(k + 1) * P, w1, P * sizeof(double));
            w->record[(size_t)(out->ny + 1) * P + (size_t)k] = isps1;
        }
        if (out->grid) memcpy(out->grid + (size_t)k * cells, w->next, cells * sizeof(double));
        money_year(pl, k, w0, w1, out);
        position_step(s, val, &acts, k, isps, isps1, out);
        isps = isps1;
        double *t = w->now;
        w->now = w->next;
        w->next = t;
        t = w0;
        w0 = w1;
        w1 = t;
        if (protecting) {
            t = w->prot;
            w->prot = w->prot_next;
            w->prot_next = t;
        }
        if (states && k + 1 < out->ny) state_save(w, protecting, w0, isps, states + (size_t)(k + 1) * ss);
    }
    if (!lean) memcpy(out->stock_end, w->now, cells * sizeof(double));
    for (int k = 0; k < out->ny; k++)
        if (!isfinite(out->cumulative[k]) || !isfinite(out->spend_total[k]) || !isfinite(out->ehcps[k * pl->nplace]))
            return HNB_E_NUMERIC;
    return HNB_OK;
}
