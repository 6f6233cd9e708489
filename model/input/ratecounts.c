/* ratecounts.c: the counts a scenario's rates were estimated from, for the
 * rate uncertainty of Monte Carlo (docs/scenario-format.md, "rate_counts";
 * docs/montecarlo.md).
 *
 * A scenario's `rate_counts` says, for bands of ages of a placement, how
 * many children were at risk, how many left and where the rest were a year
 * later, and for bands of joiners where they started: the counts
 * `hnbsim estimate` writes, or a modeller's own. This file reads them and
 * resolves each band to the values it governs, once, at load: the leave
 * rates of its ages (the placement's own `leavers.by_placement` list), the
 * rows of the move matrices that apply at the ages a year on (the narrowest
 * matrix at each age, as the engine chooses), and the shares of the
 * `first_placement` band with the same ages. The Monte Carlo draw
 * (analysis/ratedraw.c) then only writes numbers at those offsets.
 *
 * Invariants checked here, each an error with its JSON path: a band's ages
 * lie inside the model's and do not overlap another band of the placement;
 * left <= at_risk; the destinations' counts sum to at_risk - left (joiners
 * for a first-placement band); a placement with leaver counts has its own
 * leave rates; a band whose children moved has a move matrix at every age
 * a year on, and each such matrix lies inside the band (a draw for one band
 * must not change another band's ages); a first-placement band matches a
 * band of joiners.first_placement exactly. With montecarlo.rate_uncertainty
 * on, rate_counts must be present. Counts are not assumptions: they are not
 * in the parameter table and nothing but the draw reads them. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "input/keys.h"
#include "input/sections.h"

/* The shared move matrix the engine applies at age a (at census t+1): the
 * narrowest without a `needs` list covering a (the loader refuses two of one
 * width that overlap), or -1. */
static int matrix_at(const scenario *s, int a)
{
    int best = -1;
    for (size_t m = 0; m < s->nmoves; m++) {
        const movematrix *mx = &s->moves[m];
        if (mx->needs || a < mx->lo || a > mx->hi) continue;
        if (best < 0 || mx->hi - mx->lo < s->moves[best].hi - s->moves[best].lo) best = (int)m;
    }
    return best;
}

/* The destinations object `to` into b->dest and b->count; returns their sum,
 * or -1 after an error. */
static double read_to(loader *ld, const scenario *s, const jv *band, rateband *b, int required)
{
    char plist[400];
    jv to;
    if (!jv_get(band, "to", &to)) {
        if (required)
            ld_err(ld, HNB_E_MISSING, band, "to", "an object of placements, each a count of children",
                   "missing required key");
        return required ? -1 : 0;
    }
    if (!jv_want(ld, &to, cJSON_Object, "an object of placements, each a count of children")) return -1;
    const char **keys = NULL;
    int n = jv_keys(&to, &keys);
    b->dest = calloc((size_t)(n > 0 ? n : 1), sizeof *b->dest);
    b->count = calloc((size_t)(n > 0 ? n : 1), sizeof *b->count);
    double sum = 0;
    int ok = b->dest && b->count && n >= 0;
    for (int i = 0; ok && i < n; i++) {
        if (ld_note_key(ld, &to, keys[i])) continue;
        int q = scenario_placement(s, keys[i]);
        jv one;
        jv_get(&to, keys[i], &one);
        if (q < 0) {
            ld_err(ld, HNB_E_REF, &one, NULL, ld_placement_list(s, plist, sizeof plist), "no such placement");
            ok = 0;
            continue;
        }
        double c;
        if (!jv_num(ld, &to, keys[i], 1, 0.0, 1e9, &c)) {
            ok = 0;
            continue;
        }
        b->dest[b->ndest] = q;
        b->count[b->ndest++] = c;
        sum += c;
    }
    free(keys);
    return ok ? sum : -1;
}

/* Each age a year on gets the row of its matrix; a matrix outside the band
 * is refused. */
static void resolve_moves(loader *ld, const scenario *s, const jv *band, rateband *b)
{
    int moved = 0;
    for (int i = 0; i < b->ndest; i++) moved |= b->dest[i] != b->place && b->count[i] > 0;
    if (!moved) return;
    b->row_off = calloc((size_t)(b->hi - b->lo + 2), sizeof *b->row_off);
    if (!b->row_off) return;
    int last = -1;
    for (int a = b->lo + 1; a <= b->hi + 1 && a < s->nages; a++) {
        int m = matrix_at(s, a);
        if (m < 0) {
            ld_err(ld, HNB_E_REF, band, "to",
                   "a move matrix at every age a year on from the band's, since its children moved",
                   "no move matrix covers age %d (the census after age %d)", a, a - 1);
            return;
        }
        const movematrix *mx = &s->moves[m];
        if (mx->lo < b->lo + 1 || mx->hi > b->hi + 1) {
            ld_err(ld, HNB_E_RANGE, band, "ages",
                   "move matrices at the ages a year on that lie inside the band (ages at the census after it)",
                   "the move matrix \"%s\" for ages %d to %d reaches outside ages %d to %d, a year on from the "
                   "band's %d to %d",
                   mx->name ? mx->name : "", mx->lo, mx->hi, b->lo + 1, b->hi + 1, b->lo, b->hi);
            return;
        }
        if (mx->nby) {
            ld_err(ld, HNB_E_RANGE, band, "to", "move matrices without by_year (one set of counts gives one matrix)",
                   "the move matrix \"%s\" changes by year", mx->name ? mx->name : "");
            return;
        }
        if (m == last) continue;
        last = m;
        b->row_off[b->nrow++] = s->par[mx->m].off + (size_t)b->place * (size_t)s->nplace;
    }
}

static void read_leaver_bands(loader *ld, scenario *s, const jv *pls, const char *id, rateband **out, size_t *nout)
{
    char plist[400];
    jv list;
    jv_get(pls, id, &list);
    int p = scenario_placement(s, id);
    if (p < 0) {
        ld_err(ld, HNB_E_REF, &list, NULL, ld_placement_list(s, plist, sizeof plist), "no such placement");
        return;
    }
    if (!jv_want(ld, &list, cJSON_Array, "a list of bands such as [{\"ages\": [4, 7], \"at_risk\": 22, \"left\": 1}]"))
        return;
    if (s->cease_place[p].def == NOPAR) {
        ld_err(ld, HNB_E_REF, &list, NULL, "leave rates of its own in leavers.by_placement",
               "placement \"%s\" has counts but uses the shared cease_rates", id);
        return;
    }
    if (s->cease_place[p].n) {
        ld_err(ld, HNB_E_RANGE, &list, NULL, "leave rates without by_year (one set of counts gives one list)",
               "placement \"%s\" has leave rates that change by year", id);
        return;
    }
    const char *const *keys = ld_keys(KEYS_RATE_BAND);
    unsigned char seen[64] = {0}; /* max_age is at most 30 */
    int n = jv_size(&list);
    for (int i = 0; i < n; i++) {
        jv band;
        jv_at(&list, i, &band);
        if (!jv_want(ld, &band, cJSON_Object, "{\"ages\": [4, 7], \"at_risk\": 22, \"left\": 1, \"to\": {...}}"))
            continue;
        jv_check_keys(ld, &band, keys);
        rateband b = {.place = p, .leave_off = NOPAR};
        double at_risk = 0, left = 0;
        int ok = ld_read_ages(ld, &band, "ages", s->nages, &b.lo, &b.hi);
        ok &= jv_num(ld, &band, "at_risk", 1, 0.0, 1e9, &at_risk);
        ok &= jv_num(ld, &band, "left", 1, 0.0, 1e9, &left);
        if (ok && left > at_risk) {
            ld_err(ld, HNB_E_RANGE, &band, "left", "at most at_risk", "%g left of %g at risk", left, at_risk);
            ok = 0;
        }
        for (int a = b.lo; ok && a <= b.hi; a++)
            if (seen[a]++) {
                ld_err(ld, HNB_E_RANGE, &band, "ages", "bands of one placement that do not overlap",
                       "age %d is in an earlier band of \"%s\"", a, id);
                ok = 0;
            }
        double sum = ok ? read_to(ld, s, &band, &b, 0) : -1;
        if (ok && sum >= 0 && b.ndest && fabs(sum - (at_risk - left)) > 1e-6 * (1 + at_risk)) {
            ld_err(ld, HNB_E_RANGE, &band, "to", "counts that sum to at_risk - left (the children still in SEND)",
                   "they sum to %g, at_risk - left is %g", sum, at_risk - left);
            ok = 0;
        }
        b.at_risk = at_risk;
        b.left = left;
        b.leave_off = s->par[s->cease_place[p].def].off + (size_t)b.lo;
        if (ok && sum >= 0) resolve_moves(ld, s, &band, &b);
        if (!ok || sum < 0) {
            free(b.dest);
            free(b.count);
            free(b.row_off);
            continue;
        }
        rateband *t = realloc(*out, (*nout + 1) * sizeof **out);
        if (!t) {
            free(b.dest);
            free(b.count);
            free(b.row_off);
            return;
        }
        *out = t;
        (*out)[(*nout)++] = b;
    }
}

static void read_first_bands(loader *ld, scenario *s, const jv *list, rateband **out, size_t *nout)
{
    if (!jv_want(ld, list, cJSON_Array, "a list of bands such as [{\"ages\": [0, 4], \"joiners\": 66, \"to\": {...}}]"))
        return;
    const char *const *keys = ld_keys(KEYS_RATE_FIRST);
    int n = jv_size(list);
    for (int i = 0; i < n; i++) {
        jv band;
        jv_at(list, i, &band);
        if (!jv_want(ld, &band, cJSON_Object, "{\"ages\": [0, 4], \"joiners\": 66, \"to\": {...}}")) continue;
        jv_check_keys(ld, &band, keys);
        rateband b = {.place = -1, .leave_off = NOPAR};
        int ok = ld_read_ages(ld, &band, "ages", s->nages, &b.lo, &b.hi);
        ok &= jv_num(ld, &band, "joiners", 1, 0.0, 1e9, &b.at_risk);
        int k = -1;
        for (size_t f = 0; ok && f < s->join.nfirst; f++)
            if (s->join.first[f].need < 0 && s->join.first[f].lo == b.lo && s->join.first[f].hi == b.hi) k = (int)f;
        if (k >= 0 && s->join.first[k].nby) {
            ld_err(ld, HNB_E_RANGE, &band, "ages",
                   "first-placement shares without by_year (one set of counts gives one set)",
                   "the first_placement band for ages %d to %d changes by year", b.lo, b.hi);
            ok = 0;
        }
        if (ok && k < 0) {
            ld_err(ld, HNB_E_REF, &band, "ages", "the ages of a band of joiners.first_placement",
                   "no first_placement band for ages %d to %d", b.lo, b.hi);
            ok = 0;
        }
        double sum = ok ? read_to(ld, s, &band, &b, 1) : -1;
        if (ok && sum >= 0 && fabs(sum - b.at_risk) > 1e-6 * (1 + b.at_risk)) {
            ld_err(ld, HNB_E_RANGE, &band, "to", "counts that sum to joiners", "they sum to %g, joiners is %g", sum,
                   b.at_risk);
            ok = 0;
        }
        if (!ok || sum < 0) {
            free(b.dest);
            free(b.count);
            continue;
        }
        b.row_off = malloc(sizeof *b.row_off);
        if (b.row_off) b.row_off[b.nrow++] = s->par[s->join.first[k].shares].off;
        rateband *t = realloc(*out, (*nout + 1) * sizeof **out);
        if (!t) {
            free(b.dest);
            free(b.count);
            free(b.row_off);
            return;
        }
        *out = t;
        (*out)[(*nout)++] = b;
    }
}

void ld_read_rate_counts(loader *ld, scenario *s, const jv *v)
{
    s->rate_prior = 0.5;
    jv rc;
    if (!jv_get(v, "rate_counts", &rc)) {
        if (s->rate_uncertainty) {
            jv mc, ru;
            jv_get(v, "montecarlo", &mc);
            jv_get(&mc, "rate_uncertainty", &ru);
            ld_err(ld, HNB_E_MISSING, &ru, NULL, "a rate_counts section in the scenario (the counts to draw from)",
                   "rate uncertainty is on but the scenario has no rate_counts");
        }
        return;
    }
    if (!jv_want(ld, &rc, cJSON_Object, "{\"placements\": {...}, \"first_placement\": [...]}")) return;
    jv_check_keys(ld, &rc, ld_keys(KEYS_RATE_COUNTS));
    if (jv_num(ld, &rc, "prior", 0, 0.0, 10.0, &s->rate_prior) && !(s->rate_prior > 0)) {
        ld_err(ld, HNB_E_RANGE, &rc, "prior", "a number above 0, up to 10 (0.5: Jeffreys)", "found 0");
        s->rate_prior = 0.5;
    }
    if (!s->cease_place) return;
    jv pls, fp;
    if (jv_get(&rc, "placements", &pls) &&
        jv_want(ld, &pls, cJSON_Object, "an object of placements, each a list of bands")) {
        const char **keys = NULL;
        int n = jv_keys(&pls, &keys);
        for (int i = 0; i < n; i++)
            if (!ld_note_key(ld, &pls, keys[i])) read_leaver_bands(ld, s, &pls, keys[i], &s->rateband, &s->nrateband);
        free(keys);
    }
    if (jv_get(&rc, "first_placement", &fp)) read_first_bands(ld, s, &fp, &s->rateband, &s->nrateband);
}
