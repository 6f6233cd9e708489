/* flows.c: the flows between censuses, `moves` and `joiners`.
 *
 * A move matrix (rows by name or a full matrix) applies to a range of ages;
 * every row must sum to 1, and two ranges of the same width may not overlap
 * (the choice would depend on the order of the list). Joiners come from one
 * of four drivers; the keys of another driver are refused, since the model
 * would ignore them. First placements are one set of shares or age bands
 * that cover every age exactly once. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/error.h"
#include "input/keys.h"
#include "input/sections.h"

/* A matrix in either form (rows by name, or a full list of rows) into m
 * (P x P, the identity where a row is not given); 1 if every row is good. */
static int read_matrix(loader *ld, const scenario *s, const jv *mx, double *m)
{
    char plist[400]; /* the placements, for messages */
    const int P = s->nplace;
    for (int a = 0; a < P * P; a++) m[a] = (a / P == a % P) ? 1.0 : 0.0;
    const cJSON *top = jv_top(mx);
    int ok = 1;
    if (cJSON_IsArray(top)) { /* a full P x P matrix in placement order */
        char exp[96];
        snprintf(exp, sizeof exp, "%d rows of %d shares (one per placement, in order)", P, P);
        if (cJSON_GetArraySize(top) != P) {
            ld_err(ld, HNB_E_RANGE, mx, NULL, exp, "wrong size: %d rows", cJSON_GetArraySize(top));
            return 0;
        }
        int r = 0;
        for (const cJSON *row = top->child; row; row = row->next, r++) {
            if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) != P) {
                ld_err(ld, HNB_E_RANGE, mx, NULL, exp, "row %d: wrong size", r);
                return 0;
            }
            int c = 0;
            for (const cJSON *x = row->child; x; x = x->next, c++)
                m[r * P + c] = cJSON_IsNumber(x) ? x->valuedouble : -1;
        }
    } else if (cJSON_IsObject(top)) {
        for (const cJSON *row = top->child; row; row = row->next) {
            int r = scenario_placement(s, row->string);
            jv rv;
            jv_get(mx, row->string, &rv);
            if (r < 0) {
                ld_err(ld, HNB_E_REF, mx, row->string, ld_placement_list(s, plist, sizeof plist), "no such placement");
                ok = 0;
                continue;
            }
            if (!jv_want(ld, &rv, cJSON_Object, "shares by destination placement")) {
                ok = 0;
                continue;
            }
            for (int c = 0; c < P; c++) m[r * P + c] = 0.0;
            for (const cJSON *x = row->child; x; x = x->next) {
                int c = scenario_placement(s, x->string);
                if (c < 0) {
                    ld_err(ld, HNB_E_REF, &rv, x->string, ld_placement_list(s, plist, sizeof plist),
                           "no such placement");
                    ok = 0;
                    continue;
                }
                m[r * P + c] = cJSON_IsNumber(x) ? x->valuedouble : -1;
            }
        }
    } else {
        jv_want(ld, mx, cJSON_Object, "rows by placement, or an array of rows");
        return 0;
    }
    for (int r = 0; ok && r < P; r++) {
        double sum = 0;
        for (int c = 0; c < P; c++) {
            if (!(m[r * P + c] >= 0.0 && m[r * P + c] <= 1.0)) {
                ld_err(ld, HNB_E_RANGE, mx, s->place[r].id, "shares from 0 to 1", "share to %s is %g", s->place[c].id,
                       m[r * P + c]);
                ok = 0;
            }
            sum += m[r * P + c];
        }
        if (ok && fabs(sum - 1.0) > EPS_SHARE) {
            ld_err(ld, HNB_E_RANGE, mx, s->place[r].id, "a row that sums to 1 within 1e-9", "row sums to %.12g", sum);
            ok = 0;
        }
    }
    return ok;
}

/* A matrix as a parameter of P x P shares, with its source. */
static size_t matrix_par(scenario *s, const jv *mx, const double *m)
{
    const int P = s->nplace;
    size_t i = par_const(s, mx->path[0], "share moving from row to column placement", P * P, m);
    if (i == NOPAR) return NOPAR; /* out of memory: the load fails (ld_nomem) */
    free(s->par[i].source);
    s->par[i].source = ld_strdup(mx->source);
    s->par[i].from_file = 1;
    s->par[i].lo = 0.0;
    s->par[i].hi = 1.0;
    return i;
}

/* A matrix's by_year: the matrices that replace it in the years named. */
static void read_matrix_years(loader *ld, scenario *s, const jv *e, movematrix *mm, double *m)
{
    jv by;
    if (!jv_get(e, "by_year", &by) ||
        !jv_want(ld, &by, cJSON_Object, "an object of financial years, each a matrix: {\"2028-29\": {...}}"))
        return;
    const char **keys = NULL;
    int nk = jv_keys(&by, &keys);
    mm->by_fy = calloc((size_t)(nk > 0 ? nk : 0) + 1, sizeof *mm->by_fy);
    mm->by_m = calloc((size_t)(nk > 0 ? nk : 0) + 1, sizeof *mm->by_m);
    for (int i = 0; mm->by_fy && mm->by_m && i < nk; i++) {
        int fy;
        if (ld_note_key(ld, &by, keys[i]) || !ld_by_year_fy(ld, &by, keys[i], &fy)) continue;
        jv one;
        jv_get(&by, keys[i], &one);
        if (!read_matrix(ld, s, &one, m)) continue;
        mm->by_fy[mm->nby] = fy;
        mm->by_m[mm->nby++] = matrix_par(s, &one, m);
    }
    free(keys);
}

/* Two matrices apply to a common need group: both to every group, or both
 * listing one. */
static int common_need(const scenario *s, const movematrix *a, const movematrix *b)
{
    if (!a->needs || !b->needs) return !a->needs && !b->needs;
    for (int n = 0; n < s->nneeds; n++)
        if (a->needs[n] && b->needs[n]) return 1;
    return 0;
}

void ld_read_moves(loader *ld, scenario *s, const jv *v)
{
    jv mv;
    if (!jv_get(v, "moves", &mv)) return;
    if (!jv_want(ld, &mv, cJSON_Array, "a list of transition matrices")) return;
    int n = jv_size(&mv);
    s->moves = calloc((size_t)n + 1, sizeof *s->moves);
    if (!s->moves) return;
    int P = s->nplace;
    double *m = malloc(sizeof(double) * (size_t)(P * P) + 1);
    if (!m) return;
    for (int i = 0; i < n; i++) {
        const char *const *keys = ld_keys(KEYS_MOVES);
        jv e;
        jv_at(&mv, i, &e);
        if (!jv_want(ld, &e, cJSON_Object, "{\"name\": ..., \"ages\": [lo, hi], \"matrix\": {...}}")) continue;
        jv_check_keys(ld, &e, keys);
        movematrix *mm = &s->moves[s->nmoves];
        const char *name = "moves";
        jv_str(ld, &e, "name", 0, &name);
        if (!ld_read_ages(ld, &e, "ages", s->nages, &mm->lo, &mm->hi)) continue;
        jv mx;
        if (!jv_get(&e, "matrix", &mx)) {
            ld_err(ld, HNB_E_MISSING, &e, "matrix",
                   "rows by placement: {\"mainstream\": {\"mainstream\": 0.97, \"special\": 0.03}}",
                   "missing required key");
            continue;
        }
        if (!read_matrix(ld, s, &mx, m)) continue;
        mm->name = ld_strdup(name);
        mm->m = matrix_par(s, &mx, m);
        mm->needs = ld_read_need_list(ld, s, &e, "needs");
        read_matrix_years(ld, s, &e, mm, m);
        s->nmoves++;
    }
    free(m);
    /* Overlapping ranges of the same width for a common need group would
     * make the choice of matrix depend on the order of the list: refuse them. */
    for (size_t i = 0; i < s->nmoves; i++)
        for (size_t j = i + 1; j < s->nmoves; j++) {
            movematrix *a = &s->moves[i], *b = &s->moves[j];
            if (a->lo <= b->hi && b->lo <= a->hi && a->hi - a->lo == b->hi - b->lo && common_need(s, a, b))
                ld_err(ld, HNB_E_RANGE, &mv, NULL, "age ranges that nest or do not overlap",
                       "moves \"%s\" and \"%s\" cover the same ages with ranges of equal width", a->name, b->name);
        }
}

/* Keys of one driver given with another would be ignored: report them. Only
 * the layers from the one that names the driver up are checked, since a
 * child that changes the driver cannot delete its parent's keys. */
static void check_driver_keys(loader *ld, const jv *jn, enum joiner_driver driver)
{
    static const char *const names[JOIN_NDRIVERS] = {"total_growth", "new_plans", "requests", "prevalence",
                                                     "incidence"};
    const char *const *uses = ld_keys(KEYS_DRIVER + driver);
    char exp[96];
    size_t m = (size_t)snprintf(exp, sizeof exp, "for the %s driver:", names[driver]);
    for (const char *const *k = uses; *k; k++) m += (size_t)snprintf(exp + m, sizeof exp - m, " %s", *k);
    for (int i = 0; i < jn->n; i++) {
        const cJSON *o = jn->node[i];
        /* the keys of joiners that belong to a driver, in the table's order */
        for (const char *const *k = ld_keys(KEYS_JOINERS); *k; k++) {
            int specific = 0;
            for (int d = 0; d < JOIN_NDRIVERS && !specific; d++) specific = ld_key_in(ld_keys(KEYS_DRIVER + d), *k);
            if (!specific || ld_key_in(uses, *k) || !cJSON_GetObjectItemCaseSensitive(o, *k)) continue;
            jv one;
            jv_root(&one, o, jn->file[i], jn->path[i]);
            ld_err(ld, HNB_E_KEY, &one, *k, exp, "not used by the %s driver", names[driver]);
        }
        if (cJSON_GetObjectItemCaseSensitive(o, "driver")) break;
    }
}

enum share_kind { SHARES_PLACEMENTS, SHARES_NEEDS };

/* The values of one set of shares (an object of placements or of need
 * groups, a name not given 0) into x; 1 if they sum to 1. `by_year` (taken
 * by read_shares) and notes are skipped. */
static int share_values(loader *ld, const scenario *s, const jv *sh, enum share_kind kind, double *x)
{
    char list[400]; /* the names, for messages */
    const int n = kind == SHARES_PLACEMENTS ? s->nplace : s->nneeds;
    if (!jv_want(ld, sh, cJSON_Object,
                 kind == SHARES_PLACEMENTS ? "{\"mainstream\": 0.6, \"special\": 0.2, ...}"
                                           : "{\"ASD\": 0.4, \"SEMH\": 0.3, ...}"))
        return 0;
    double sum = 0;
    int ok = 1;
    for (int p = 0; p < n; p++) x[p] = 0.0;
    /* merged over the layers: a child may change one share (and must keep
     * the sum at 1) */
    const char **keys = NULL;
    int nk = jv_keys(sh, &keys);
    for (int k = 0; k < nk; k++) {
        if (ld_note_key(ld, sh, keys[k]) || strcmp(keys[k], "by_year") == 0) continue;
        jv one;
        jv_get(sh, keys[k], &one);
        const cJSON *e = jv_top(&one);
        int p = kind == SHARES_PLACEMENTS ? scenario_placement(s, keys[k]) : ld_need_index(s, keys[k]);
        if (p < 0) {
            if (kind == SHARES_PLACEMENTS)
                ld_err(ld, HNB_E_REF, &one, NULL, ld_placement_list(s, list, sizeof list), "no such placement");
            else
                ld_err(ld, HNB_E_REF, &one, NULL, ld_need_list(s, list, sizeof list), "no need group \"%s\"", keys[k]);
            ok = 0;
            continue;
        }
        if (!cJSON_IsNumber(e)) {
            jv_want(ld, &one, cJSON_Number, "a share from 0 to 1");
            ok = 0;
            continue;
        }
        if (!(e->valuedouble >= 0 && e->valuedouble <= 1)) {
            ld_err(ld, HNB_E_RANGE, &one, NULL, "a share from 0 to 1", "out of range: found %g", e->valuedouble);
            ok = 0;
            continue;
        }
        x[p] = e->valuedouble;
        sum += x[p];
    }
    free(keys);
    if (ok && fabs(sum - 1.0) > EPS_SHARE) {
        ld_err(ld, HNB_E_RANGE, sh, NULL, "shares that sum to 1 within 1e-9", "shares sum to %.12g", sum);
        ok = 0;
    }
    return ok;
}

static size_t share_par(scenario *s, const jv *sh, enum share_kind kind, const double *x)
{
    const char *unit =
        kind == SHARES_PLACEMENTS ? "share of new plans by first placement" : "share of new plans by need group";
    size_t i = par_const(s, sh->path[0], unit, kind == SHARES_PLACEMENTS ? s->nplace : s->nneeds, x);
    if (i == NOPAR) return NOPAR; /* out of memory: the load fails (ld_nomem) */
    free(s->par[i].source);
    s->par[i].source = ld_strdup(sh->source);
    s->par[i].from_file = 1;
    s->par[i].lo = 0;
    s->par[i].hi = 1;
    return i;
}

/* A set of shares with any by_year sets into fb; 1 if its default was read. */
static int read_shares(loader *ld, scenario *s, const jv *sh, enum share_kind kind, firstband *fb)
{
    double *x = calloc((size_t)(s->nplace > s->nneeds ? s->nplace : s->nneeds) + 1, sizeof *x);
    if (!x) return 0;
    int ok = share_values(ld, s, sh, kind, x);
    if (ok) fb->shares = share_par(s, sh, kind, x);
    jv by;
    if (ok && jv_get(sh, "by_year", &by) &&
        jv_want(ld, &by, cJSON_Object, "an object of financial years, each a set of shares summing to 1")) {
        const char **keys = NULL;
        int nk = jv_keys(&by, &keys);
        fb->by_fy = calloc((size_t)(nk > 0 ? nk : 0) + 1, sizeof *fb->by_fy);
        fb->by_shares = calloc((size_t)(nk > 0 ? nk : 0) + 1, sizeof *fb->by_shares);
        for (int i = 0; fb->by_fy && fb->by_shares && i < nk; i++) {
            int fy;
            if (ld_note_key(ld, &by, keys[i]) || !ld_by_year_fy(ld, &by, keys[i], &fy)) continue;
            jv one;
            jv_get(&by, keys[i], &one);
            jv inner;
            if (cJSON_IsObject(jv_top(&one)) && jv_get(&one, "by_year", &inner)) {
                ld_err(ld, HNB_E_KEY, &inner, NULL, "the shares of one year", "a by_year inside a by_year");
                continue;
            }
            if (!share_values(ld, s, &one, kind, x)) continue;
            fb->by_fy[fb->nby] = fy;
            fb->by_shares[fb->nby++] = share_par(s, &one, kind, x);
        }
        free(keys);
    }
    free(x);
    return ok;
}

/* first_placement or need_shares: one set of shares for every age, or a list
 * of age bands that cover every age exactly once; appended to *list, the
 * bands of a first placement by need marked with the need. */
static void read_bands(loader *ld, scenario *s, const jv *fp, enum share_kind kind, int need, firstband **list,
                       size_t *n)
{
    int nb = cJSON_IsArray(jv_top(fp)) ? jv_size(fp) : 1;
    if (nb == 0)
        ld_err(ld, HNB_E_MISSING, fp, NULL, "shares, or age bands that cover every age 0-25",
               "an empty list of age bands");
    firstband *grown = realloc(*list, (*n + (size_t)nb + 1) * sizeof **list);
    if (!grown) return;
    *list = grown;
    size_t first = *n;
    for (int b = 0; b < nb; b++) {
        jv band = *fp, sh;
        firstband *fb = &(*list)[*n];
        memset(fb, 0, sizeof *fb);
        fb->need = need;
        fb->lo = 0;
        fb->hi = s->nages - 1;
        if (cJSON_IsArray(jv_top(fp))) {
            jv_at(fp, b, &band);
            if (!jv_want(ld, &band, cJSON_Object, "{\"ages\": [0, 4], \"shares\": {...}}")) continue;
            jv_check_keys(ld, &band, ld_keys(kind == SHARES_PLACEMENTS ? KEYS_FIRST_BAND : KEYS_NEED_BAND));
            if (!ld_read_ages(ld, &band, "ages", s->nages, &fb->lo, &fb->hi)) continue;
            if (!jv_get(&band, "shares", &sh)) {
                ld_err(ld, HNB_E_MISSING, &band, "shares",
                       kind == SHARES_PLACEMENTS ? "{\"mainstream\": 0.6, ...}" : "{\"ASD\": 0.4, ...}",
                       "missing required key");
                continue;
            }
        } else {
            sh = *fp;
        }
        if (read_shares(ld, s, &sh, kind, fb)) (*n)++;
    }
    if (*n == first) return;
    for (int a = 0; a < s->nages; a++) {
        int covered = 0;
        for (size_t b = first; b < *n; b++) covered += (*list)[b].lo <= a && a <= (*list)[b].hi;
        if (covered != 1) {
            ld_err(ld, HNB_E_RANGE, fp, NULL, "age bands that cover every age 0-25 exactly once",
                   "age %d is covered by %d bands", a, covered);
            break;
        }
    }
}

void ld_read_joiners(loader *ld, scenario *s, const jv *v)
{
    const char *const *keys = ld_keys(KEYS_JOINERS);
    joiners *j = &s->join;
    jv jn;
    if (!jv_get(v, "joiners", &jn)) {
        ld_err(ld, HNB_E_MISSING, v, "joiners",
               "{\"driver\": ..., \"age_distribution\": [...], \"first_placement\": {...}}", "missing required key");
        return;
    }
    if (!jv_want(ld, &jn, cJSON_Object, "an object")) return;
    jv_check_keys(ld, &jn, keys);
    const char *drv = "new_plans";
    static const char *const drivers[] = {"total_growth", "new_plans", "requests", "prevalence", "incidence", NULL};
    int known = 0;
    if (jv_str(ld, &jn, "driver", 1, &drv)) {
        int k = 0;
        while (drivers[k] && strcmp(drivers[k], drv) != 0) k++;
        if (!drivers[k])
            ld_err(ld, HNB_E_RANGE, &jn, "driver", "total_growth, new_plans, requests, prevalence or incidence",
                   "unknown driver \"%s\"", drv);
        else
            j->driver = (enum joiner_driver)k;
        known = drivers[k] != NULL;
    }
    if (known) check_driver_keys(ld, &jn, j->driver);
    static const parspec count = {"new plans or requests in the first year", 0.0, 1e7, 0.0, 1, 1, 0, PLAUS_NONE};
    static const parspec conv = {"share of requests that become plans", 0.0, 1.0, 0.0, 1, 1, 0, PLAUS_NONE};
    static const parspec prev = {"EHCPs per 10,000 of the 0-25 population", 0.0, 10000.0, 0.0, 1, 1, 0, PLAUS_NONE};
    parspec growth = LD_RATE;
    growth.required = known && j->driver != JOIN_PREVALENCE && j->driver != JOIN_INCIDENCE;
    ld_read_series(ld, s, &jn, "growth", &growth, &j->growth);
    if (known && j->driver == JOIN_NEW_PLANS) j->count = par_read(ld, s, &jn, "count", &count);
    if (known && j->driver == JOIN_REQUESTS) {
        j->count = par_read(ld, s, &jn, "requests", &count);
        ld_read_series(ld, s, &jn, "conversion", &conv, &j->conversion);
    }
    if (known && j->driver == JOIN_PREVALENCE) {
        ld_read_series(ld, s, &jn, "per_10000", &prev, &j->per10k);
        jv pop;
        if (!jv_get(&jn, "population", &pop))
            ld_err(ld, HNB_E_MISSING, &jn, "population", "{\"2026\": 52000, ...}: 0-25 population by census year",
                   "missing required key");
        else if (jv_want(ld, &pop, cJSON_Object, "{\"2026\": 52000, ...}: 0-25 population by census year")) {
            const char **keys = NULL;
            int n = jv_keys(&pop, &keys);
            j->pop_census = calloc((size_t)(n > 0 ? n : 0) + 1, sizeof *j->pop_census);
            j->pop_par = calloc((size_t)(n > 0 ? n : 0) + 1, sizeof *j->pop_par);
            static const parspec people = {"people aged 0-25", 0.0, 1e9, 0.0, 1, 1, 0, PLAUS_NONE};
            for (int i = 0; j->pop_census && j->pop_par && i < n; i++) {
                if (ld_note_key(ld, &pop, keys[i])) continue;
                char *end;
                long y = strtol(keys[i], &end, 10);
                if (!*keys[i] || *end || y < 1990 || y > 2200) {
                    jv one;
                    jv_get(&pop, keys[i], &one);
                    ld_err(ld, HNB_E_KEY, &one, NULL, "a census year such as \"2027\"", "not a year");
                    continue;
                }
                j->pop_census[j->npop] = (int)y;
                j->pop_par[j->npop++] = par_read(ld, s, &pop, keys[i], &people);
            }
            free(keys);
            if (n == 0) ld_err(ld, HNB_E_MISSING, &pop, NULL, "at least one census year", "no population given");
        }
    }
    if (known && j->driver == JOIN_INCIDENCE) {
        static const parspec rate = {"share of the population of the age starting a plan in the year, by age 0-25",
                                     0.0,
                                     1.0,
                                     0.0,
                                     1,
                                     0,
                                     0,
                                     PLAUS_NONE};
        parspec r = rate;
        r.n = s->nages;
        ld_read_series(ld, s, &jn, "rate_by_age", &r, &j->rate_age);
        ld_read_population(ld, s, &jn);
    }
    j->age_dist = NOPAR;
    if (known && j->driver == JOIN_INCIDENCE) {
        /* the layers from the one that names the driver up, as for the
         * keys of another driver: a parent's age distribution stays behind */
        for (int i = 0; i < jn.n; i++) {
            const cJSON *o = jn.node[i];
            if (cJSON_GetObjectItemCaseSensitive(o, "age_distribution")) {
                jv one;
                jv_root(&one, o, jn.file[i], jn.path[i]);
                ld_err(ld, HNB_E_KEY, &one, "age_distribution",
                       "for the incidence driver: population_by_age and rate_by_age (the ages come from them)",
                       "not used by the incidence driver");
            }
            if (cJSON_GetObjectItemCaseSensitive(o, "driver")) break;
        }
    } else {
        parspec ages = {"share of new plans by age 0-25 at the next census", 0.0, 1.0, 0.0, 1, s->nages, 1, PLAUS_NONE};
        j->age_dist = par_read(ld, s, &jn, "age_distribution", &ages);
    }

    jv fp;
    if (!jv_get(&jn, "first_placement", &fp)) {
        ld_err(ld, HNB_E_MISSING, &jn, "first_placement", "{\"mainstream\": 0.6, \"special\": 0.2, ...}",
               "missing required key");
        return;
    }
    read_bands(ld, s, &fp, SHARES_PLACEMENTS, -1, &j->first, &j->nfirst);
    jv ns;
    if (jv_get(&jn, "need_shares", &ns)) read_bands(ld, s, &ns, SHARES_NEEDS, -1, &j->need_band, &j->nneed_band);
    jv bn;
    if (jv_get(&jn, "by_need", &bn) &&
        jv_want(ld, &bn, cJSON_Object, "an object of need groups, each {\"first_placement\": {...}}")) {
        char nlist[400];
        const char **nk = NULL;
        int nn = jv_keys(&bn, &nk);
        for (int i = 0; i < nn; i++) {
            if (ld_note_key(ld, &bn, nk[i])) continue;
            jv g, gf;
            jv_get(&bn, nk[i], &g);
            int n = ld_need_index(s, nk[i]);
            if (n < 0) {
                ld_err(ld, HNB_E_REF, &g, NULL, ld_need_list(s, nlist, sizeof nlist), "no need group \"%s\"", nk[i]);
                continue;
            }
            if (!jv_want(ld, &g, cJSON_Object, "{\"first_placement\": {...}}")) continue;
            jv_check_keys(ld, &g, ld_keys(KEYS_JOIN_NEED));
            if (!jv_get(&g, "first_placement", &gf)) {
                ld_err(ld, HNB_E_MISSING, &g, "first_placement", "{\"mainstream\": 0.6, \"special\": 0.2, ...}",
                       "missing required key");
                continue;
            }
            read_bands(ld, s, &gf, SHARES_PLACEMENTS, n, &j->first, &j->nfirst);
        }
        free(nk);
    }
}
