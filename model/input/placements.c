/* placements.c: placements, need groups, stocks and leavers.
 *
 * Placements are read in two passes: the ids first (every other section names
 * them, in the order of the root-most layer then additions), then each one's
 * costs and capacity, then the links between them (overflow and backfill),
 * which may name a placement defined later; an overflow chain must end. Need
 * groups default to one group, "all". The stocks fix the starting census and
 * must give every placement its counts; cease rates may differ by placement. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/error.h"
#include "input/keys.h"
#include "input/sections.h"

void ld_read_placements(loader *ld, scenario *s, const jv *v)
{
    jv ps;
    if (!jv_get(v, "placements", &ps)) {
        ld_err(ld, HNB_E_MISSING, v, "placements", "an object of placements: mainstream, base, special, nmi ...",
               "missing required key");
        return;
    }
    if (!jv_want(ld, &ps, cJSON_Object, "an object of placements keyed by id")) return;
    /* ids in order: the root-most layer's order first, then additions */
    int cap = 0;
    for (int i = 0; i < ps.n; i++) cap += cJSON_GetArraySize(ps.node[i]);
    s->place = calloc((size_t)cap + 1, sizeof *s->place);
    if (!s->place) return;
    for (int i = ps.n - 1; i >= 0; i--)
        for (const cJSON *e = ps.node[i]->child; e; e = e->next)
            if (scenario_placement(s, e->string) < 0) {
                if (!(s->place[s->nplace].id = ld_strdup(e->string))) return; /* out of memory (ld_nomem) */
                s->nplace++;
            }
    if (s->nplace == 0)
        ld_err(ld, HNB_E_MISSING, &ps, NULL, "at least one placement (usually mainstream, base, special, nmi)",
               "no placements");
    if (s->nplace > LD_MAX_PLACEMENTS) {
        char exp[96];
        snprintf(exp, sizeof exp, "at most %d placements, the documented limit", LD_MAX_PLACEMENTS);
        ld_err(ld, HNB_E_RANGE, &ps, NULL, exp, "%d placements: too many to run in reasonable time", s->nplace);
        for (int p = LD_MAX_PLACEMENTS; p < s->nplace; p++) free(s->place[p].id);
        s->nplace = LD_MAX_PLACEMENTS; /* the rest of the checks look at these */
    }
}

void ld_read_placement_detail(loader *ld, scenario *s, const jv *ps, int p)
{
    placement *pl = &s->place[p];
    jv v;
    jv_get(ps, pl->id, &v);
    pl->overflow_to = pl->backfill_from = -1;
    if (!jv_want(ld, &v, cJSON_Object, "an object with label, unit_cost, inflation ...")) return;
    jv_check_keys(ld, &v, ld_keys(KEYS_PLACEMENT));
    const char *label = pl->id, *code = "";
    jv_str(ld, &v, "label", 0, &label);
    jv_str(ld, &v, "s251", 0, &code);
    pl->label = ld_strdup(label);
    pl->s251 = ld_strdup(code);
    static const parspec cost = {"£ per EHCP per year", 0.0, 1e7, 0.0, 1, 1, 0, PLAUS_UNIT_COST};
    jv uc;
    int priced = jv_get(&v, "unit_cost", &uc) && cJSON_IsObject(jv_top(&uc));
    if (priced) par_check_keys(ld, &uc, 1); /* a unit cost may name its price base */
    pl->unit_cost = par_read(ld, s, &v, "unit_cost", &cost);
    pl->price_base = s->first_fy;
    if (priced) jv_fy(ld, &uc, "price_base", 0, &pl->price_base);
    jv_fy(ld, &v, "price_base", 0, &pl->price_base);
    ld_read_series(ld, s, &v, "inflation", &LD_RATE, &pl->inflation);
    jv bands;
    if (jv_get(&v, "cost_by_age", &bands) &&
        jv_want(ld, &bands, cJSON_Array, "a list of {\"ages\": [16, 25], \"multiplier\": 0.8}")) {
        int n = jv_size(&bands);
        pl->cost_bands = calloc((size_t)n + 1, sizeof *pl->cost_bands);
        for (int i = 0; pl->cost_bands && i < n; i++) {
            const char *const *keys = ld_keys(KEYS_COST_BAND);
            static const parspec mult = {"multiplier of the unit cost", 0.0, 100.0, 1.0, 1, 1, 0, PLAUS_NONE};
            jv b;
            jv_at(&bands, i, &b);
            if (!jv_want(ld, &b, cJSON_Object, "{\"ages\": [16, 25], \"multiplier\": 0.8}")) continue;
            jv_check_keys(ld, &b, keys);
            ageband *ab = &pl->cost_bands[pl->ncost_bands];
            if (!ld_read_ages(ld, &b, "ages", s->nages, &ab->lo, &ab->hi)) continue;
            ab->par = par_read(ld, s, &b, "multiplier", &mult);
            pl->ncost_bands++;
        }
    }
    jv caps;
    if (jv_get(&v, "capacity", &caps) &&
        jv_want(ld, &caps, cJSON_Array, "a list of {\"from\": \"2025-09-01\", \"places\": 120}")) {
        int n = jv_size(&caps);
        pl->cap = calloc((size_t)n + 1, sizeof *pl->cap);
        double prev = -INFINITY;
        for (int i = 0; pl->cap && i < n; i++) {
            const char *const *keys = ld_keys(KEYS_CAPACITY);
            static const parspec places = {"places", 0.0, 1e6, 0.0, 1, 1, 0, PLAUS_NONE};
            jv c;
            jv_at(&caps, i, &c);
            if (!jv_want(ld, &c, cJSON_Object, "{\"from\": \"2025-09-01\", \"places\": 120}")) continue;
            jv_check_keys(ld, &c, keys);
            capstep *cs = &pl->cap[pl->ncap];
            if (!jv_date(ld, &c, "from", 1, &cs->from, NULL)) continue;
            if (cs->from < prev)
                ld_err(ld, HNB_E_RANGE, &c, "from", "dates in increasing order", "earlier than the step before");
            prev = cs->from;
            cs->places = par_read(ld, s, &c, "places", &places);
            pl->ncap++;
        }
    }
}

void ld_read_placement_links(loader *ld, scenario *s, const jv *ps, int p)
{
    placement *pl = &s->place[p];
    jv v;
    jv_get(ps, pl->id, &v);
    if (!cJSON_IsObject(jv_top(&v))) return;
    pl->overflow_to = ld_placement_ref(ld, s, &v, "overflow_to", 0);
    if (pl->overflow_to == p) {
        ld_err(ld, HNB_E_RANGE, &v, "overflow_to", "another placement", "a placement cannot overflow into itself");
        pl->overflow_to = -1;
    }
    jv bf;
    if (jv_get(&v, "backfill", &bf) && jv_want(ld, &bf, cJSON_Object, "{\"from\": \"nmi\", \"ages\": [11, 16]}")) {
        const char *const *keys = ld_keys(KEYS_BACKFILL);
        jv_check_keys(ld, &bf, keys);
        pl->backfill_from = ld_placement_ref(ld, s, &bf, "from", 1);
        pl->backfill_age = ld_read_age_list(ld, &bf, "ages", s->nages);
        if (pl->backfill_age && !cJSON_GetObjectItemCaseSensitive(jv_top(&bf), "ages"))
            memset(pl->backfill_age, 1, (size_t)s->nages);
    }
}

void ld_check_overflow_cycles(loader *ld, scenario *s, const jv *ps)
{
    for (int p = 0; p < s->nplace; p++) {
        int q = s->place[p].overflow_to, steps = 0;
        while (q >= 0 && steps <= s->nplace) {
            q = s->place[q].overflow_to;
            steps++;
        }
        if (steps > s->nplace) {
            jv v;
            jv_get(ps, s->place[p].id, &v);
            ld_err(ld, HNB_E_RANGE, &v, "overflow_to", "a fallback chain that ends (usually at nmi)",
                   "overflow chain loops");
            s->place[p].overflow_to = -1;
        }
    }
}

void ld_read_needs(loader *ld, scenario *s, const jv *v)
{
    jv ns;
    if (!jv_get(v, "needs", &ns)) {
        s->needs = calloc(1, sizeof *s->needs);
        if (!s->needs) return;
        s->nneeds = 1;
        double one = 1.0;
        s->needs[0].id = ld_strdup("all");
        s->needs[0].label = ld_strdup("All needs");
        s->needs[0].share = par_const(s, "needs.all.share", "share", 1, &one);
        s->needs[0].cease_mult = par_const(s, "needs.all.cease_multiplier", "multiplier", 1, &one);
        s->needs[0].cost_mult = par_const(s, "needs.all.cost_multiplier", "multiplier", 1, &one);
        return;
    }
    if (!jv_want(ld, &ns, cJSON_Object, "an object of need groups keyed by id (ASD, SEMH, SLCN ...)")) return;
    int cap = 0;
    for (int i = 0; i < ns.n; i++) cap += cJSON_GetArraySize(ns.node[i]);
    s->needs = calloc((size_t)cap + 1, sizeof *s->needs);
    if (!s->needs) return;
    double sum = 0;
    for (int i = ns.n - 1; i >= 0; i--)
        for (const cJSON *e = ns.node[i]->child; e; e = e->next) {
            int seen = 0;
            for (int k = 0; k < s->nneeds; k++) seen |= strcmp(s->needs[k].id, e->string) == 0;
            if (seen) continue;
            const char *const *keys = ld_keys(KEYS_NEED);
            static const parspec mult = {"multiplier", 0.0, 100.0, 1.0, 0, 1, 0, PLAUS_NONE};
            need *nd = &s->needs[s->nneeds];
            jv g;
            jv_get(&ns, e->string, &g);
            if (!(nd->id = ld_strdup(e->string))) return; /* out of memory (ld_nomem) */
            s->nneeds++;
            const char *label = e->string;
            if (jv_want(ld, &g, cJSON_Object, "{\"share\": 0.3, \"cost_multiplier\": 1.1}")) {
                jv_check_keys(ld, &g, keys);
                jv_str(ld, &g, "label", 0, &label);
            }
            nd->label = ld_strdup(label);
            nd->share = par_read(ld, s, &g, "share", &LD_SHARE);
            nd->cease_mult = par_read(ld, s, &g, "cease_multiplier", &mult);
            nd->cost_mult = par_read(ld, s, &g, "cost_multiplier", &mult);
            if (nd->share != NOPAR) sum += s->val[s->par[nd->share].off];
        }
    if (s->nneeds == 0 || fabs(sum - 1.0) > EPS_SHARE)
        ld_err(ld, HNB_E_RANGE, &ns, NULL, "need-group shares that sum to 1 within 1e-9", "shares sum to %.12g", sum);
}

void ld_read_stocks(loader *ld, scenario *s, const jv *v)
{
    char plist[400]; /* the placements, for messages */
    const char *const *keys = ld_keys(KEYS_STOCKS);
    jv st;
    s->stock = calloc((size_t)s->nplace + 1, sizeof *s->stock);
    if (!s->stock) return;
    for (int p = 0; p < s->nplace; p++) s->stock[p] = NOPAR;
    if (!jv_get(v, "stocks", &st)) {
        ld_err(ld, HNB_E_MISSING, v, "stocks", "the EHCPs at the starting census by age and placement",
               "missing required key");
        return;
    }
    if (!jv_want(ld, &st, cJSON_Object, "{\"census\": 2025, \"by_age\": {...}}")) return;
    jv_check_keys(ld, &st, keys);
    jv_int(ld, &st, "census", 1, 1990, 2200, &s->census0);
    jv by;
    if (!jv_get(&st, "by_age", &by)) {
        ld_err(ld, HNB_E_MISSING, &st, "by_age", "an array of 26 counts (ages 0-25) per placement",
               "missing required key");
        return;
    }
    if (!jv_want(ld, &by, cJSON_Object, "an object of placements, each an array of 26 counts")) return;
    /* every placement needs its counts (zeros for one with none yet): a
     * placement left out would start empty without anyone noticing */
    parspec counts = {"EHCPs at the January census, by age 0-25", 0.0, 1e7, 0.0, 1, s->nages, 0, PLAUS_NONE};
    for (int i = 0; i < by.n; i++)
        for (const cJSON *e = by.node[i]->child; e; e = e->next)
            if (scenario_placement(s, e->string) < 0)
                ld_err(ld, HNB_E_REF, &by, e->string, ld_placement_list(s, plist, sizeof plist), "no such placement");
    for (int p = 0; p < s->nplace; p++) s->stock[p] = par_read(ld, s, &by, s->place[p].id, &counts);
}

/* An object of placements, each a list of rates (a yearly figure), into
 * out[nplace] (def NOPAR for a placement not named). */
static void read_rates_by_placement(loader *ld, scenario *s, const jv *bp, const parspec *rates, series *out)
{
    char plist[400]; /* the placements, for messages */
    const char **keys = NULL;
    int n = jv_keys(bp, &keys);
    for (int i = 0; i < n; i++) {
        if (ld_note_key(ld, bp, keys[i])) continue;
        int p = scenario_placement(s, keys[i]);
        if (p < 0) {
            jv one;
            jv_get(bp, keys[i], &one);
            ld_err(ld, HNB_E_REF, &one, NULL, ld_placement_list(s, plist, sizeof plist), "no such placement");
            continue;
        }
        ld_read_series(ld, s, bp, keys[i], rates, &out[p]);
    }
    free(keys);
}

static void no_series(series *r, size_t n)
{
    for (size_t i = 0; i < n; i++) r[i] = (series){.def = NOPAR};
}

void ld_read_leavers(loader *ld, scenario *s, const jv *v)
{
    char nlist[400]; /* the need groups, for messages */
    const char *const *keys = ld_keys(KEYS_LEAVERS);
    jv lv;
    parspec rates = {
        "share of plans ceasing in the year, by age 0-25 at the census", 0.0, 1.0, 0.0, 1, s->nages, 0, PLAUS_NONE};
    const size_t P = (size_t)s->nplace, G = (size_t)s->nneeds;
    s->cease_place = calloc(P + 1, sizeof *s->cease_place);
    s->cease_need = calloc(G + 1, sizeof *s->cease_need);
    s->cease_need_place = calloc(G * P + 1, sizeof *s->cease_need_place);
    if (!s->cease_place || !s->cease_need || !s->cease_need_place) return;
    no_series(s->cease_place, P);
    no_series(s->cease_need, G);
    no_series(s->cease_need_place, G * P);
    if (!jv_get(v, "leavers", &lv)) {
        ld_err(ld, HNB_E_MISSING, v, "leavers", "{\"cease_rates\": [26 rates by age]}", "missing required key");
        s->cease = (series){.def = par_const(s, "leavers.cease_rates", "rate", s->nages, NULL)};
        return;
    }
    jv_check_keys(ld, &lv, keys);
    ld_read_series(ld, s, &lv, "cease_rates", &rates, &s->cease);
    rates.required = 0;
    jv bp;
    if (jv_get(&lv, "by_placement", &bp) && jv_want(ld, &bp, cJSON_Object, "an object of placements, each 26 rates"))
        read_rates_by_placement(ld, s, &bp, &rates, s->cease_place);
    jv bn;
    if (!jv_get(&lv, "by_need", &bn) ||
        !jv_want(ld, &bn, cJSON_Object,
                 "an object of need groups, each {\"cease_rates\": [...], \"by_placement\": {...}}"))
        return;
    const char **nk = NULL;
    int nn = jv_keys(&bn, &nk);
    for (int i = 0; i < nn; i++) {
        if (ld_note_key(ld, &bn, nk[i])) continue;
        jv g;
        jv_get(&bn, nk[i], &g);
        int n = ld_need_index(s, nk[i]);
        if (n < 0) {
            ld_err(ld, HNB_E_REF, &g, NULL, ld_need_list(s, nlist, sizeof nlist), "no need group \"%s\"", nk[i]);
            continue;
        }
        if (!jv_want(ld, &g, cJSON_Object, "{\"cease_rates\": [...], \"by_placement\": {...}}")) continue;
        jv_check_keys(ld, &g, ld_keys(KEYS_LEAVERS_NEED));
        jv x;
        if (jv_get(&g, "cease_rates", &x)) ld_read_series(ld, s, &g, "cease_rates", &rates, &s->cease_need[n]);
        if (jv_get(&g, "by_placement", &bp) && jv_want(ld, &bp, cJSON_Object, "an object of placements, each 26 rates"))
            read_rates_by_placement(ld, s, &bp, &rates, s->cease_need_place + (size_t)n * P);
    }
    free(nk);
}
