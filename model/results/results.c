/* results.c: building results.json (docs/results-format.md) with cJSON.
 *
 * Keys are added in a fixed order and numbers printed exactly (results_print),
 * so the same run gives the same bytes and every figure reads back unchanged.
 * The run date is the one thing that changes from day to day: it comes from
 * SOURCE_DATE_EPOCH when set, as reproducible builds do. */
#define _POSIX_C_SOURCE 200809L
#include "results/results.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/dates.h"
#include "core/model.h"
#include "core/numfmt.h"
#include "analysis/expected.h"
#include "analysis/montecarlo.h"

static void add_fy(cJSON *o, const char *key, int fy)
{
    if (fy < 0) {
        cJSON_AddNullToObject(o, key);
        return;
    }
    char b[8];
    fy_format(fy, b);
    cJSON_AddStringToObject(o, key, b);
}

static void add_num(cJSON *o, const char *key, double x)
{
    if (isnan(x))
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, x);
}

cJSON *results_new(hnb_model *h)
{
    cJSON *r = cJSON_CreateObject();
    if (!r) return NULL;
    char date[11];
    run_date_today(date);
    cJSON_AddStringToObject(r, "format", "hnbsim-results");
    cJSON_AddNumberToObject(r, "format_version", 1);
    cJSON_AddStringToObject(r, "hnbsim_version", hnb_version());
    cJSON_AddStringToObject(r, "run_date", date);
    cJSON *in = cJSON_AddArrayToObject(r, "inputs");
    for (size_t i = 0; i < h->ninputs; i++) cJSON_AddItemToArray(in, cJSON_CreateString(h->inputs[i]));
    const scenario *s0 = h->nscen ? h->scen[0] : NULL;
    cJSON_AddStringToObject(r, "title", s0 ? s0->title : "");
    cJSON_AddStringToObject(r, "authority", s0 ? s0->authority : "");
    char src[600];
    snprintf(src, sizeof src, "hnbsim %s%s%s", hnb_version(), s0 && s0->source_note[0] ? "; " : "",
             s0 ? s0->source_note : "");
    cJSON_AddStringToObject(r, "source", src);
    cJSON_AddArrayToObject(r, "scenarios");
    return r;
}

static cJSON *by_ids(const double *x, int n, const char *const *ids)
{
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; i < n; i++) cJSON_AddNumberToObject(o, ids[i], x[i]);
    return o;
}

static void add_lists(cJSON *sc, const scenario *s)
{
    cJSON *pl = cJSON_AddArrayToObject(sc, "placements");
    for (int p = 0; p < s->nplace; p++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "id", s->place[p].id);
        cJSON_AddStringToObject(e, "label", s->place[p].label);
        cJSON_AddStringToObject(e, "s251", s->place[p].s251);
        cJSON_AddItemToArray(pl, e);
    }
    cJSON *sl = cJSON_AddArrayToObject(sc, "spend_lines");
    for (int i = 0; i < s->nplace + (int)s->nother; i++) {
        int isp = i < s->nplace;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "id", isp ? s->place[i].id : s->other[i - s->nplace].id);
        cJSON_AddStringToObject(e, "label", isp ? s->place[i].label : s->other[i - s->nplace].label);
        cJSON_AddStringToObject(e, "kind", isp ? "placement" : "other");
        cJSON_AddStringToObject(e, "s251", isp ? s->place[i].s251 : s->other[i - s->nplace].s251);
        cJSON_AddItemToArray(sl, e);
    }
    cJSON *fl = cJSON_AddArrayToObject(sc, "funding_lines");
    for (size_t l = 0; l < s->nfund; l++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "id", s->fund[l].id);
        cJSON_AddStringToObject(e, "label", s->fund[l].label);
        if (s->fund[l].block && *s->fund[l].block) cJSON_AddStringToObject(e, "block", s->fund[l].block);
        cJSON_AddItemToArray(fl, e);
    }
}

static void add_years(cJSON *sc, const scenario *s, const projection *p)
{
    static const char *const bands[NBANDS] = {"0-4", "5-10", "11-15", "16-19", "20-25"};
    const char **pid = malloc(sizeof(char *) * (size_t)(p->nspend + 1));
    const char **fid = malloc(sizeof(char *) * (size_t)(p->nfund + 1));
    if (!pid || !fid) {
        free(pid);
        free(fid);
        return;
    }
    for (int i = 0; i < p->nspend; i++) pid[i] = i < s->nplace ? s->place[i].id : s->other[i - s->nplace].id;
    for (int i = 0; i < p->nfund; i++) fid[i] = s->fund[i].id;
    int writeoffs = scenario_has_action(s, IV_DEFICIT_WRITEOFF), isps = scenario_has_action(s, IV_ISP_DIVERSION);
    cJSON *ys = cJSON_AddArrayToObject(sc, "years");
    for (int k = 0; k < p->ny; k++) {
        cJSON *y = cJSON_CreateObject();
        add_fy(y, "fy", s->first_fy + k);
        cJSON_AddNumberToObject(y, "census", s->census0 + k + 1);
        cJSON *e = cJSON_AddObjectToObject(y, "ehcps");
        const double *ep = p->ehcps + (size_t)k * (size_t)p->nplace;
        double tot = 0.0;
        for (int q = 0; q < p->nplace; q++) tot += ep[q];
        cJSON_AddNumberToObject(e, "total", tot);
        cJSON_AddItemToObject(e, "by_placement", by_ids(ep, p->nplace, pid));
        cJSON_AddItemToObject(e, "by_age_band", by_ids(p->bands + (size_t)k * NBANDS, NBANDS, bands));
        cJSON *pb = cJSON_AddObjectToObject(e, "by_placement_age_band");
        for (int q = 0; q < p->nplace; q++)
            cJSON_AddItemToObject(
                pb, pid[q],
                by_ids(p->place_bands + ((size_t)k * (size_t)p->nplace + (size_t)q) * NBANDS, NBANDS, bands));
        cJSON_AddNumberToObject(y, "joiners", p->joiners[k]);
        cJSON_AddNumberToObject(y, "leavers", p->leavers[k]);
        cJSON_AddNumberToObject(y, "overflow", p->overflow[k]);
        cJSON_AddItemToObject(y, "unit_costs", by_ids(p->unit_cost + (size_t)k * (size_t)p->nplace, p->nplace, pid));
        cJSON *sp = cJSON_AddObjectToObject(y, "spend");
        cJSON_AddNumberToObject(sp, "total", p->spend_total[k]);
        cJSON_AddItemToObject(sp, "by_line", by_ids(p->spend + (size_t)k * (size_t)p->nspend, p->nspend, pid));
        cJSON *fu = cJSON_AddObjectToObject(y, "funding");
        cJSON_AddNumberToObject(fu, "total", p->fund_total[k]);
        cJSON_AddItemToObject(fu, "by_line", by_ids(p->fund + (size_t)k * (size_t)p->nfund, p->nfund, fid));
        if (s->regime != REGIME_ACCRUE) cJSON_AddNumberToObject(y, "regime_funding", p->regime[k]);
        if (s->anchor_fy >= 0 && s->anchor_align) cJSON_AddNumberToObject(y, "alignment", p->alignment[k]);
        cJSON_AddNumberToObject(y, "in_year", p->in_year[k]);
        if (writeoffs) {
            cJSON_AddNumberToObject(y, "writeoff", p->writeoff[k]);
            cJSON_AddNumberToObject(y, "cumulative_gross", p->cumulative_gross[k]);
        }
        cJSON_AddNumberToObject(y, "cumulative", p->cumulative[k]);
        cJSON_AddNumberToObject(y, "interest", p->interest[k]);
        if (isps) cJSON_AddNumberToObject(y, "isps", p->isps[k]);
        cJSON_AddItemToArray(ys, y);
    }
    free(pid);
    free(fid);
}

/* The stocks at the starting census (the actual caseload the projection starts
 * from), in the shape of years[i].ehcps. */
static void add_start(cJSON *sc, const scenario *s, const projection *p)
{
    static const int band_hi[NBANDS] = {4, 10, 15, 19, 1000};
    static const char *const bands[NBANDS] = {"0-4", "5-10", "11-15", "16-19", "20-25"};
    double *e = calloc((size_t)s->nplace * (NBANDS + 1) + NBANDS + 1, sizeof(double));
    if (!e) return;
    double *b = e + s->nplace, *pb = b + NBANDS, tot = 0.0;
    for (int a = 0; a < s->nages; a++) {
        int band = 0;
        while (a > band_hi[band]) band++;
        for (int g = 0; g < s->nneeds; g++)
            for (int q = 0; q < s->nplace; q++) {
                double x = p->stock0[cell(s, a, g, q)];
                e[q] += x;
                b[band] += x;
                pb[q * NBANDS + band] += x;
            }
    }
    for (int q = 0; q < s->nplace; q++) tot += e[q];
    cJSON *st = cJSON_AddObjectToObject(sc, "start");
    cJSON_AddNumberToObject(st, "census", s->census0);
    cJSON *eh = cJSON_AddObjectToObject(st, "ehcps");
    cJSON_AddNumberToObject(eh, "total", tot);
    cJSON *bp = cJSON_AddObjectToObject(eh, "by_placement");
    for (int q = 0; q < s->nplace; q++) cJSON_AddNumberToObject(bp, s->place[q].id, e[q]);
    cJSON_AddItemToObject(eh, "by_age_band", by_ids(b, NBANDS, bands));
    cJSON *pbo = cJSON_AddObjectToObject(eh, "by_placement_age_band");
    for (int q = 0; q < s->nplace; q++)
        cJSON_AddItemToObject(pbo, s->place[q].id, by_ids(pb + (size_t)q * NBANDS, NBANDS, bands));
    free(e);
}

static void add_headline(cJSON *sc, const scenario *s, const projection *p)
{
    headline h;
    headline_compute(s, p, &h);
    cJSON *o = cJSON_AddObjectToObject(sc, "headline");
    add_num(o, "cumulative_at_override_end", h.at_override_end);
    add_num(o, "cumulative_at_override_end_gross", h.at_override_end_gross);
    add_num(o, "deficit_to_meet_at_override_end", isnan(h.at_override_end) ? NAN : fmax(0.0, -h.at_override_end));
    cJSON_AddNumberToObject(o, "writeoff_to_override_end", h.writeoff_to_override_end);
    add_fy(o, "first_balanced_fy", h.first_balanced_fy);
    cJSON_AddNumberToObject(o, "peak_deficit", h.peak_deficit);
    add_fy(o, "peak_deficit_fy", h.peak_fy);
    cJSON_AddNumberToObject(o, "interest_to_override_end", h.interest_to_override_end);
    cJSON_AddNumberToObject(o, "interest_to_horizon", h.interest_to_horizon);
    cJSON_AddNumberToObject(o, "cumulative_at_horizon", h.at_horizon);
}

/* The funding regime after the override and the anchor to the council's
 * forecast, as the scenario states them. */
static void add_regime(cJSON *sc, const scenario *s, const projection *p)
{
    static const char *const names[] = {"council_accrues", "central_funds_in_full", "funding_follows_spend"};
    cJSON *o = cJSON_AddObjectToObject(sc, "funding_regime");
    cJSON_AddStringToObject(o, "after_override", names[s->regime]);
    if (s->regime != REGIME_ACCRUE) {
        cJSON_AddStringToObject(o, "from", s->regime_text);
        if (s->regime == REGIME_FOLLOWS_SPEND)
            cJSON_AddNumberToObject(o, "share_of_spend_growth", par_val(s, s->val, s->regime_share)[0]);
    }
    cJSON_AddStringToObject(o, "source", s->regime_source ? s->regime_source : "");
    if (s->anchor_fy < 0) return;
    int k = s->anchor_fy - s->first_fy;
    cJSON *a = cJSON_AddObjectToObject(sc, "anchor");
    add_fy(a, "fy", s->anchor_fy);
    cJSON_AddNumberToObject(a, "council_forecast", par_val(s, s->val, s->anchor_in_year)[0]);
    cJSON_AddNumberToObject(a, "model", p->in_year[k] - p->alignment[k]);
    cJSON_AddBoolToObject(a, "aligned", s->anchor_align);
    cJSON_AddNumberToObject(a, "adjustment", p->alignment[k]);
    cJSON_AddStringToObject(a, "source", s->anchor_source ? s->anchor_source : "");
}

static void add_actuals(cJSON *sc, const scenario *s)
{
    cJSON *a = cJSON_AddObjectToObject(sc, "actuals");
    cJSON *c = cJSON_AddArrayToObject(a, "census");
    for (size_t i = 0; i < s->nact_census; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "census", s->act_census[i].census);
        cJSON_AddNumberToObject(e, "ehcps", s->act_census[i].ehcps);
        cJSON_AddStringToObject(e, "source", s->act_census[i].source);
        cJSON_AddItemToArray(c, e);
    }
    cJSON *f = cJSON_AddArrayToObject(a, "finance");
    for (size_t i = 0; i < s->nact_fin; i++) {
        const actual_fin *x = &s->act_fin[i];
        cJSON *e = cJSON_CreateObject();
        add_fy(e, "fy", x->fy);
        add_num(e, "in_year", x->has_in_year ? x->in_year : NAN);
        add_num(e, "cumulative", x->has_cumulative ? x->cumulative : NAN);
        cJSON_AddStringToObject(e, "status", x->status);
        cJSON_AddStringToObject(e, "source", x->source);
        cJSON_AddItemToArray(f, e);
    }
}

static const char *const iv_type_names[IV_NTYPES] = {
    "reduce_joiners",   "add_capacity",     "shift_first_placement", "unit_cost",      "uplift_freeze",
    "block_transfer",   "dfe_contribution", "earlier_ceasing",       "reduce_moves",   "spend_saving",
    "deficit_writeoff", "isp_diversion",    "reassessment",          "protect_places", "modify_transitions"};

static cJSON *saving_entry(const scenario *s, const double *x, int ny, int oi)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *by = cJSON_AddObjectToObject(o, "by_year");
    double to_end = 0.0, all = 0.0;
    for (int k = 0; k < ny; k++) {
        char b[8];
        fy_format(s->first_fy + k, b);
        cJSON_AddNumberToObject(by, b, x[k]);
        all += x[k];
        if (k <= oi) to_end += x[k];
    }
    add_num(o, "to_override_end", oi >= 0 ? to_end : NAN);
    cJSON_AddNumberToObject(o, "to_horizon", all);
    return o;
}

static void add_savings(cJSON *sc, const scenario *s, const savings *sv)
{
    int oi = headline_override_index(s);
    cJSON *o = cJSON_AddObjectToObject(sc, "savings");
    cJSON_AddStringToObject(o, "against", s->extends ? s->extends : "");
    cJSON_AddStringToObject(o, "method", sv->exact ? "shapley-exact" : "shapley-sampled");
    cJSON_AddNumberToObject(o, "projections", (double)sv->projections);
    if (!sv->exact) cJSON_AddNumberToObject(o, "orders_sampled", (double)sv->samples);
    cJSON_AddNumberToObject(o, "rounding_gap", sv->rounding);
    cJSON_AddItemToObject(o, "total", saving_entry(s, sv->total, sv->ny, oi));
    cJSON *acts = cJSON_AddArrayToObject(o, "actions");
    for (size_t i = 0; i < sv->nact; i++) {
        const intervention *iv = &s->iv[sv->first + i];
        cJSON *e = saving_entry(s, sv->by_action + i * (size_t)sv->ny, sv->ny, oi);
        cJSON *named = cJSON_CreateObject();
        cJSON_AddStringToObject(named, "name", iv->name);
        cJSON_AddStringToObject(named, "type", iv_type_names[iv->type]);
        /* what the Forum paper's actions table shows (report/paper.c) */
        cJSON_AddStringToObject(named, "start", iv->start_text);
        cJSON_AddNumberToObject(named, "ramp_months", iv->ramp);
        cJSON_AddNumberToObject(named, "delivery", iv->delivery == NOPAR ? 1.0 : s->val[s->par[iv->delivery].off]);
        for (cJSON *c = e ? e->child : NULL; c;) { /* move the figures after name and type (none if out of memory) */
            cJSON *nx = c->next;
            cJSON_AddItemToObject(named, c->string, cJSON_DetachItemViaPointer(e, c));
            c = nx;
        }
        cJSON_Delete(e);
        if (!sv->exact) {
            add_num(named, "se_to_override_end", sv->se_to_end[i]);
            cJSON_AddNumberToObject(named, "se_to_horizon", sv->se_to_horizon[i]);
        }
        cJSON_AddItemToArray(acts, named);
    }
    if (sv->has_other) {
        cJSON *e = saving_entry(s, sv->other, sv->ny, oi);
        cJSON_AddItemToObject(o, "other_changes", e);
    }
}

static void dist_text(const param *p, char *buf, size_t n)
{
    switch (p->dist) {
    case DIST_FIXED: buf[0] = '\0'; break;
    case DIST_NORMAL: snprintf(buf, n, "normal(mean %g, sd %g)", p->d[0], p->d[1]); break;
    case DIST_LOGNORMAL: snprintf(buf, n, "lognormal(mean %g, sd %g)", p->d[0], p->d[1]); break;
    case DIST_UNIFORM: snprintf(buf, n, "uniform(%g, %g)", p->d[0], p->d[2]); break;
    case DIST_TRIANGULAR: snprintf(buf, n, "triangular(%g, %g, %g)", p->d[0], p->d[1], p->d[2]); break;
    case DIST_PERT: snprintf(buf, n, "pert(%g, %g, %g)", p->d[0], p->d[1], p->d[2]); break;
    }
}

static void add_assumptions(cJSON *sc, const scenario *s)
{
    cJSON *a = cJSON_AddArrayToObject(sc, "assumptions");
    for (size_t i = 0; i < s->npar; i++) {
        const param *p = &s->par[i];
        if (!p->from_file) continue;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "path", p->path);
        if (p->n == 1)
            cJSON_AddNumberToObject(e, "value", s->val[p->off]);
        else
            cJSON_AddItemToObject(e, "value", cJSON_CreateDoubleArray(s->val + p->off, (int)p->n));
        cJSON_AddStringToObject(e, "unit", p->unit);
        cJSON_AddStringToObject(e, "source", p->source);
        char d[160];
        dist_text(p, d, sizeof d);
        cJSON_AddStringToObject(e, "distribution", d);
        cJSON_AddItemToArray(a, e);
    }
}

/* The risk-weighted expected line beside the central one (analysis/expected.h). */
static void add_risk_weighted(cJSON *sc, const scenario *s, const expected_line *e)
{
    cJSON *o = cJSON_AddObjectToObject(sc, "risk_weighted");
    cJSON_AddStringToObject(o, "assumes",
                            "each action delivered with its stated delivery confidence, every other assumption at its "
                            "stated value (the expectation over delivered and not delivered)");
    cJSON_AddStringToObject(o, "central_assumes", "every action delivered at its stated start, every grant paid");
    char m[200];
    if (e->nrisk == 0)
        snprintf(m, sizeof m, "no action has a delivery risk: the central line itself");
    else if (e->nrisk == 1)
        snprintf(m, sizeof m, "exact: the one action with a delivery risk delivered and not (2 projections)");
    else if (e->sampled)
        snprintf(m, sizeof m, "sampled: %llu combinations of the %zu actions with a delivery risk",
                 (unsigned long long)e->combos, e->nrisk);
    else
        snprintf(m, sizeof m, "exact: every combination of the %zu actions with a delivery risk (%llu projections)",
                 e->nrisk, (unsigned long long)e->combos);
    cJSON_AddStringToObject(o, "method", m);
    cJSON *a = cJSON_AddArrayToObject(o, "actions");
    for (size_t k = 0; k < e->nrisk; k++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", s->iv[e->risk[k]].name);
        cJSON_AddNumberToObject(x, "delivery", e->p[k]);
        cJSON_AddItemToArray(a, x);
    }
    add_num(o, "cumulative_at_override_end", e->at_override_end);
    add_num(o, "cumulative_at_override_end_gross", e->at_override_end_gross);
    cJSON *ys = cJSON_AddArrayToObject(o, "years");
    for (int k = 0; k < e->ny; k++) {
        cJSON *y = cJSON_CreateObject();
        add_fy(y, "fy", s->first_fy + k);
        cJSON_AddNumberToObject(y, "in_year", e->in_year[k]);
        cJSON_AddNumberToObject(y, "cumulative", e->cumulative[k]);
        cJSON_AddNumberToObject(y, "cumulative_gross", e->cumulative_gross[k]);
        cJSON_AddNumberToObject(y, "spend", e->spend[k]);
        cJSON_AddNumberToObject(y, "funding", e->funding[k]);
        cJSON_AddNumberToObject(y, "ehcps", e->ehcps[k]);
        cJSON_AddItemToArray(ys, y);
    }
}

int results_add_scenario(cJSON *root, const scenario *s, const projection *p, const savings *sv,
                         const expected_line *ex, const struct mc_summary *mc)
{
    cJSON *sc = cJSON_CreateObject();
    if (!sc) return HNB_E_NOMEM;
    cJSON_AddStringToObject(sc, "name", s->name);
    cJSON_AddStringToObject(sc, "label", s->label);
    if (s->extends)
        cJSON_AddStringToObject(sc, "extends", s->extends);
    else
        cJSON_AddNullToObject(sc, "extends");
    cJSON_AddStringToObject(sc, "override_end", s->override_text);
    add_fy(sc, "first_fy", s->first_fy);
    add_fy(sc, "last_fy", s->last_fy);
    add_lists(sc, s);
    add_start(sc, s, p);
    add_years(sc, s, p);
    add_headline(sc, s, p);
    if (ex) add_risk_weighted(sc, s, ex);
    add_regime(sc, s, p);
    add_actuals(sc, s);
    if (sv) add_savings(sc, s, sv);
    if (mc) montecarlo_add_results(sc, s, mc);
    add_assumptions(sc, s);
    results_add_needs(sc, s, p); /* by need and by setting, when the scenario has them (needs.c) */
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(root, "scenarios"), sc);
    return HNB_OK;
}

/* ---- printing ------------------------------------------------------------
 * cJSON prints 15 significant digits whenever they come within a relative
 * epsilon of the value, which loses the last bits of a £ figure; a results
 * file must read back exactly, so numbers are printed here as the shortest of
 * %.15g, %.16g and %.17g that strtod turns back into the same double
 * (num_json, numfmt.c, which finds those bytes without printf), with
 * two-space indentation and keys in the order they were added. The text
 * goes into one growing buffer (its NUL written once, at the end); each
 * scenario's member is printed on its own thread first (one a core, since a
 * member's text depends only on the member and its depth) and copied in
 * where it belongs, so the bytes are those of one thread (the golden test).
 * Sutton's 394 kB results: 13.3 M instructions before, 8.7 M on one. */

struct prerender;
typedef struct sbuf {
    char *s;
    size_t len, cap;
    int bad;
    const struct prerender *pre; /* values printed already (results_print), or NULL */
} sbuf;

/* The scenarios' members printed on their own threads (each is a tenth of
 * a megabyte of text), then copied in where they belong: the same bytes. */
typedef struct prerender {
    const cJSON **v; /* [n] the elements of the scenarios array, at depth 2 */
    sbuf *text;      /* [n] each printed */
    size_t n;
} prerender;

/* Room for n more bytes and the terminating NUL: 0, or 1 once out of
 * memory (and from then on). */
static int grow(sbuf *b, size_t n)
{
    if (b->bad) return 1;
    size_t cap = b->cap ? b->cap : 65536;
    while (b->len + n + 1 > cap) cap *= 2;
    char *x = realloc(b->s, cap);
    if (!x) {
        b->bad = 1;
        return 1;
    }
    b->s = x;
    b->cap = cap;
    return 0;
}

/* The NUL is written once, at the end (results_print). */
static inline void put(sbuf *b, const char *t, size_t n)
{
    if (b->len + n + 1 > b->cap && grow(b, n)) return;
    memcpy(b->s + b->len, t, n);
    b->len += n;
}

static void puts_(sbuf *b, const char *t) { put(b, t, strlen(t)); }

static void put_number(sbuf *b, double x)
{
    char t[NUM_JSON_BUF];
    put(b, t, num_json(x, t));
}

static void put_string(sbuf *b, const char *str)
{
    put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)str; *p; p++) {
        char e[8];
        const unsigned char *run = p; /* characters written as they are, at once */
        while (*p >= 0x20 && *p != '"' && *p != '\\') p++;
        if (p > run) put(b, (const char *)run, (size_t)(p - run));
        if (!*p) break;
        switch (*p) {
        case '"': puts_(b, "\\\""); break;
        case '\\': puts_(b, "\\\\"); break;
        case '\n': puts_(b, "\\n"); break;
        case '\r': puts_(b, "\\r"); break;
        case '\t': puts_(b, "\\t"); break;
        default: /* another control character */ snprintf(e, sizeof e, "\\u%04x", *p); puts_(b, e);
        }
    }
    put(b, "\"", 1);
}

static void indent(sbuf *b, int depth)
{
    static const char spaces[] = "\n                                                                ";
    const int most = (int)(sizeof spaces - 2) / 2;
    put(b, spaces, 1 + 2 * (size_t)(depth < most ? depth : most));
    for (int i = most; i < depth; i++) put(b, "  ", 2);
}

static void put_value(sbuf *b, const cJSON *v, int depth)
{
    if (depth == 2 && b->pre)
        for (size_t i = 0; i < b->pre->n; i++)
            if (b->pre->v[i] == v) {
                if (b->pre->text[i].bad) /* out of memory printing it: no text */
                    b->bad = 1;
                else
                    put(b, b->pre->text[i].s, b->pre->text[i].len);
                return;
            }
    if (cJSON_IsNumber(v)) {
        put_number(b, v->valuedouble);
    } else if (cJSON_IsString(v)) {
        put_string(b, v->valuestring);
    } else if (cJSON_IsTrue(v)) {
        puts_(b, "true");
    } else if (cJSON_IsFalse(v)) {
        puts_(b, "false");
    } else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
        int obj = cJSON_IsObject(v);
        if (!v->child) {
            puts_(b, obj ? "{}" : "[]");
            return;
        }
        /* arrays of numbers stay on one line */
        int flat = !obj;
        for (const cJSON *c = v->child; flat && c; c = c->next) flat = cJSON_IsNumber(c);
        put(b, obj ? "{" : "[", 1);
        for (const cJSON *c = v->child; c; c = c->next) {
            if (flat) {
                if (c != v->child) puts_(b, ", ");
            } else {
                indent(b, depth + 1);
            }
            if (obj) {
                put_string(b, c->string);
                puts_(b, ": ");
            }
            put_value(b, c, depth + 1);
            if (c->next && !flat) put(b, ",", 1);
        }
        if (!flat) indent(b, depth);
        put(b, obj ? "}" : "]", 1);
    } else {
        puts_(b, "null");
    }
}

void results_add_comparison(cJSON *root)
{
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(root, "scenarios");
    if (cJSON_GetArraySize(sc) < 2) return;
    const cJSON *first = sc->child;
    const cJSON *h0 = cJSON_GetObjectItemCaseSensitive(first, "headline");
    cJSON *c = cJSON_AddObjectToObject(root, "comparison");
    cJSON_AddStringToObject(c, "against", cJSON_GetObjectItemCaseSensitive(first, "name")->valuestring);
    cJSON *rows = cJSON_AddArrayToObject(c, "scenarios");
    static const char *const keys[] = {"cumulative_at_override_end", "peak_deficit", "interest_to_override_end",
                                       "cumulative_at_horizon"};
    for (const cJSON *s = sc->child; s; s = s->next) {
        const cJSON *hl = cJSON_GetObjectItemCaseSensitive(s, "headline");
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "name", cJSON_GetObjectItemCaseSensitive(s, "name")->valuestring);
        cJSON_AddStringToObject(r, "label", cJSON_GetObjectItemCaseSensitive(s, "label")->valuestring);
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
            const cJSON *x = cJSON_GetObjectItemCaseSensitive(hl, keys[k]),
                        *x0 = cJSON_GetObjectItemCaseSensitive(h0, keys[k]);
            char dk[64];
            snprintf(dk, sizeof dk, "%s_difference", keys[k]);
            add_num(r, keys[k], cJSON_IsNumber(x) ? x->valuedouble : NAN);
            add_num(r, dk, cJSON_IsNumber(x) && cJSON_IsNumber(x0) ? x->valuedouble - x0->valuedouble : NAN);
        }
        const cJSON *fb = cJSON_GetObjectItemCaseSensitive(hl, "first_balanced_fy");
        if (cJSON_IsString(fb))
            cJSON_AddStringToObject(r, "first_balanced_fy", fb->valuestring);
        else
            cJSON_AddNullToObject(r, "first_balanced_fy");
        cJSON_AddItemToArray(rows, r);
    }
}

typedef struct print_worker {
    prerender *pr;
    size_t first, step;
} print_worker;

static void *print_work(void *arg)
{
    print_worker *w = arg;
    for (size_t i = w->first; i < w->pr->n; i += w->step) put_value(&w->pr->text[i], w->pr->v[i], 2);
    return NULL;
}

#define PRINT_THREADS 8

/* The elements of root's scenarios array printed on up to one thread a core
 * into pr (nothing if there are fewer than two, or no memory for it). */
static void print_scenarios(const cJSON *root, prerender *pr)
{
    memset(pr, 0, sizeof *pr);
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(root, "scenarios");
    size_t n = 0;
    for (const cJSON *c = cJSON_IsArray(sc) ? sc->child : NULL; c; c = c->next) n++;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = cores < 2 ? 1 : cores > PRINT_THREADS ? PRINT_THREADS : (size_t)cores;
    if (nt > n) nt = n;
    if (nt < 2) return;
    pr->v = calloc(n, sizeof *pr->v);
    pr->text = calloc(n, sizeof *pr->text);
    if (!pr->v || !pr->text) {
        free(pr->v);
        free(pr->text);
        memset(pr, 0, sizeof *pr);
        return;
    }
    pr->n = n;
    size_t i = 0;
    for (const cJSON *c = sc->child; c; c = c->next) pr->v[i++] = c;
    print_worker wk[PRINT_THREADS];
    pthread_t tid[PRINT_THREADS];
    unsigned char started[PRINT_THREADS] = {0};
    for (size_t t = 0; t < nt; t++) wk[t] = (print_worker){pr, t, nt};
    for (size_t t = 1; t < nt; t++) started[t] = pthread_create(&tid[t], NULL, print_work, &wk[t]) == 0;
    print_work(&wk[0]);
    for (size_t t = 1; t < nt; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            print_work(&wk[t]);
    }
}

char *results_print(const cJSON *root)
{
    prerender pr;
    print_scenarios(root, &pr);
    sbuf b = {0};
    b.pre = pr.n ? &pr : NULL;
    put_value(&b, root, 0);
    for (size_t i = 0; i < pr.n; i++) free(pr.text[i].s);
    free(pr.v);
    free(pr.text);
    put(&b, "\n", 1);
    if (!b.bad) b.s[b.len] = '\0'; /* put leaves room for it */
    if (b.bad) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
