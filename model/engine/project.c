/* project.c: the year loop (project.h).
 *
 * For each financial year k (first_fy + k), the step from census c0+k to
 * c0+k+1: leavers and ageing, moves, joiners, capacity; then the money of the
 * year from both censuses. The stock at the starting census is split over
 * need groups by their shares. Figures are checked to be finite at the end,
 * so a bad assumption gives an error, never a NaN in a results file. */
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
    p->unit_cost = calloc(ny * (size_t)p->nplace + 1, sizeof(double));
    p->spend = calloc(ny * (size_t)p->nspend + 1, sizeof(double));
    p->fund = calloc(ny * (size_t)p->nfund + 1, sizeof(double));
    double **one[] = {&p->joiners,   &p->leavers,          &p->overflow, &p->spend_total, &p->fund_total,
                      &p->in_year,   &p->cumulative,       &p->interest, &p->writeoff,    &p->regime,
                      &p->alignment, &p->cumulative_gross, &p->isps};
    int ok = p->ehcps && p->bands && p->unit_cost && p->spend && p->fund;
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
    double *all[] = {p->ehcps,     p->bands,      p->joiners,   p->leavers,          p->overflow,
                     p->unit_cost, p->spend,      p->fund,      p->spend_total,      p->fund_total,
                     p->in_year,   p->cumulative, p->interest,  p->stock0,           p->stock_end,
                     p->writeoff,  p->regime,     p->alignment, p->cumulative_gross, p->isps};
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
    w->tmp = calloc(w->cells + 1, sizeof(double));
    w->row = calloc((size_t)s->nplace + 1, sizeof(double));
    w->mat = calloc((size_t)s->nplace * (size_t)s->nplace + 1, sizeof(double));
    w->draw = calloc(w->cells + 1, sizeof(unsigned int));
    w->prot = calloc(w->cells + 1, sizeof(double));
    w->prot_next = calloc(w->cells + 1, sizeof(double));
    w->prot_arrive = calloc(w->cells + 1, sizeof(double));
    if (!w->now || !w->next || !w->arrive || !w->tmp || !w->row || !w->mat || !w->draw || !w->prot || !w->prot_next ||
        !w->prot_arrive) {
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
    free(w->tmp);
    free(w->row);
    free(w->mat);
    free(w->draw);
    free(w->prot);
    free(w->prot_next);
    free(w->prot_arrive);
    memset(w, 0, sizeof *w);
}

void ivstate_default(const scenario *s, ivstate *ivs)
{
    for (size_t i = 0; i < s->niv; i++) {
        ivs[i].on = 1;
        ivs[i].start = s->iv[i].start;
    }
}

static void record_census(const scenario *s, const double *n, projection *out, int k)
{
    static const int band_hi[NBANDS] = {4, 10, 15, 19, 1000};
    double *e = out->ehcps + (size_t)k * (size_t)s->nplace, *b = out->bands + (size_t)k * NBANDS;
    for (int a = 0; a < s->nages; a++) {
        int band = 0;
        while (a > band_hi[band]) band++;
        for (int g = 0; g < s->nneeds; g++)
            for (int p = 0; p < s->nplace; p++) {
                double x = n[cell(s, a, g, p)];
                e[p] += x;
                b[band] += x;
            }
    }
}

int project_run(const scenario *s, const double *val, const ivstate *ivs, workspace *w, projection *out)
{
    const size_t cells = w->cells;
    size_t ny = (size_t)out->ny;
    memset(out->ehcps, 0, ny * (size_t)s->nplace * sizeof(double));
    memset(out->bands, 0, ny * NBANDS * sizeof(double));
    for (int a = 0; a < s->nages; a++)
        for (int g = 0; g < s->nneeds; g++) {
            double share = par_val(s, val, s->needs[g].share)[0];
            for (int p = 0; p < s->nplace; p++)
                w->now[cell(s, a, g, p)] = s->stock[p] == NOPAR ? 0.0 : par_val(s, val, s->stock[p])[a] * share;
        }
    memcpy(out->stock0, w->now, cells * sizeof(double));
    int protecting = reform_protecting(s, ivs);
    if (protecting) memset(w->prot, 0, cells * sizeof(double));
    double isps = 0.0;
    for (int k = 0; k < out->ny; k++) {
        int census = s->census0 + k;
        double left = cohort_leave_and_age(s, val, ivs, census, w->now, w->next, w);
        double survivors = 0.0;
        for (size_t c = 0; c < cells; c++) survivors += w->next[c];
        cohort_move(s, val, ivs, census, w->next, w->arrive, w);
        if (protecting) reform_protect_step(s, val, ivs, census, w->now, w);
        left += reform_reassess(s, val, ivs, census, w->next, w->arrive, protecting ? w->prot_next : NULL, w->noise);
        out->leavers[k] = left;
        w->isp_diverted = 0.0;
        out->joiners[k] = joiners_add(s, val, ivs, census, w->now, survivors, w->next, w->arrive, w);
        double isps1 = reform_isp_step(s, val, ivs, isps, w->isp_diverted);
        out->isps[k] = isps1;
        out->overflow[k] = capacity_apply(s, val, ivs, census, w->next, w->arrive);
        record_census(s, w->next, out, k);
        money_year(s, val, ivs, k, w->now, w->next, out);
        position_year(s, val, ivs, k, isps, isps1, out);
        isps = isps1;
        double *t = w->now;
        w->now = w->next;
        w->next = t;
        if (protecting) {
            t = w->prot;
            w->prot = w->prot_next;
            w->prot_next = t;
        }
    }
    memcpy(out->stock_end, w->now, cells * sizeof(double));
    for (int k = 0; k < out->ny; k++)
        if (!isfinite(out->cumulative[k]) || !isfinite(out->spend_total[k]) || !isfinite(out->ehcps[k * s->nplace]))
            return HNB_E_NUMERIC;
    return HNB_OK;
}
