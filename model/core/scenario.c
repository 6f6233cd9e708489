/* scenario.c: what every room may ask of a resolved scenario (scenario.h):
 * its name, a placement by id, a yearly series or money line in a financial
 * year, and freeing it. The loader (input/) fills scenarios; the engine and
 * the analyses only read them through these and the parameter table. */
#include "core/scenario.h"

#include <stdlib.h>
#include <string.h>

const char *scenario_name(const scenario *s) { return s->name; }

int scenario_placement(const scenario *s, const char *id)
{
    for (int p = 0; p < s->nplace; p++)
        if (strcmp(s->place[p].id, id) == 0) return p;
    return -1;
}

int scenario_has_action(const scenario *s, enum iv_type type)
{
    for (size_t i = 0; i < s->niv; i++)
        if (s->iv[i].type == type) return 1;
    return 0;
}

size_t series_par(const series *r, int fy)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->fy[i] == fy) return r->par[i];
    return r->def;
}

double series_at(const scenario *s, const double *val, const series *r, int fy)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->fy[i] == fy) return par_val(s, val, r->par[i])[0];
    return par_val(s, val, r->def)[0];
}

double line_amount(const scenario *s, const double *val, const line *l, int fy)
{
    for (size_t i = 0; i < l->nby; i++)
        if (l->by_fy[i] == fy) return par_val(s, val, l->by_par[i])[0];
    double x = par_val(s, val, l->amount)[0];
    for (int y = l->base_fy + 1; y <= fy; y++) x *= 1.0 + series_at(s, val, &l->growth, y);
    for (int y = fy + 1; y <= l->base_fy; y++) x /= 1.0 + series_at(s, val, &l->growth, y);
    return x;
}

static void free_series(series *r)
{
    free(r->fy);
    free(r->par);
}

static void free_lines(line *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(l[i].id);
        free(l[i].label);
        free(l[i].s251);
        free(l[i].block);
        free_series(&l[i].growth);
        free(l[i].by_fy);
        free(l[i].by_par);
    }
    free(l);
}

void scenario_free(scenario *s)
{
    if (!s) return;
    free(s->name);
    free(s->label);
    free(s->description);
    free(s->extends);
    free(s->file);
    free(s->title);
    free(s->authority);
    free(s->source_note);
    free(s->regime_source);
    free(s->anchor_source);
    for (size_t i = 0; i < s->npar; i++) {
        free(s->par[i].path);
        free(s->par[i].unit);
        free(s->par[i].source);
        free(s->par[i].factor);
    }
    free(s->par);
    free(s->val);
    for (int p = 0; s->place && p < s->nplace; p++) {
        placement *pl = &s->place[p];
        free(pl->id);
        free(pl->label);
        free(pl->s251);
        free_series(&pl->inflation);
        free(pl->cost_bands);
        free(pl->cap);
        free(pl->backfill_age);
        free(pl->setting);
        free(pl->need);
    }
    free(s->place);
    for (int n = 0; s->needs && n < s->nneeds; n++) {
        free(s->needs[n].id);
        free(s->needs[n].label);
    }
    free(s->needs);
    free(s->stock);
    free_series(&s->cease);
    for (int p = 0; s->cease_place && p < s->nplace; p++) free_series(&s->cease_place[p]);
    free(s->cease_place);
    for (int n = 0; s->cease_need && n < s->nneeds; n++) free_series(&s->cease_need[n]);
    free(s->cease_need);
    for (int n = 0; s->cease_need_place && n < s->nneeds * s->nplace; n++) free_series(&s->cease_need_place[n]);
    free(s->cease_need_place);
    for (size_t i = 0; i < s->nmoves; i++) {
        free(s->moves[i].name);
        free(s->moves[i].needs);
        free(s->moves[i].by_fy);
        free(s->moves[i].by_m);
    }
    free(s->moves);
    free_series(&s->join.growth);
    free_series(&s->join.conversion);
    free_series(&s->join.per10k);
    free(s->join.pop_census);
    free(s->join.pop_par);
    for (size_t b = 0; s->join.first && b < s->join.nfirst; b++) {
        free(s->join.first[b].by_fy);
        free(s->join.first[b].by_shares);
    }
    free(s->join.first);
    for (size_t b = 0; s->join.need_band && b < s->join.nneed_band; b++) {
        free(s->join.need_band[b].by_fy);
        free(s->join.need_band[b].by_shares);
    }
    free(s->join.need_band);
    free(s->join.popa_census);
    free(s->join.popa_par);
    free_series(&s->join.rate_age);
    free_lines(s->other, s->nother);
    free_lines(s->fund, s->nfund);
    for (size_t i = 0; i < s->niv; i++) {
        free(s->iv[i].name);
        free(s->iv[i].ages);
        free(s->iv[i].places);
        free(s->iv[i].needs);
    }
    free(s->iv);
    for (size_t i = 0; i < s->nact_census; i++) free(s->act_census[i].source);
    free(s->act_census);
    for (size_t i = 0; i < s->nact_fin; i++) {
        free(s->act_fin[i].status);
        free(s->act_fin[i].source);
    }
    free(s->act_fin);
    for (size_t i = 0; i < s->nrateband; i++) {
        free(s->rateband[i].dest);
        free(s->rateband[i].count);
        free(s->rateband[i].row_off);
    }
    free(s->rateband);
    free(s);
}
