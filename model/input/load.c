/* scenario.c: reading scenario files into scenarios (scenario.h).
 *
 * A file holds named scenarios under "scenarios"; each may extend another in
 * the same file ("baseline") or in another ("other.json#baseline"). Rather than
 * merge JSON trees, which would lose where each value came from, every lookup
 * goes through a layered view (jview.h) so that a message names the file and
 * path a finance officer must edit. Interventions are the exception to
 * "override what differs": a child's actions are added after its parent's,
 * since the mitigated plan is the baseline plus its actions.
 *
 * Loading never stops at the first problem: each is recorded, a default is
 * used in its place, and the file fails as a whole at the end. The layout of
 * the file (keys, units, defaults) is documented in docs/scenario-format.md. */
#define _POSIX_C_SOURCE 200809L
#include "core/scenario.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/error.h"
#include "input/jview.h"
#include "core/model.h"
#include "core/fileout.h"
#include "input/load.h"
#include "input/params.h"

struct hnb_embedded_file {
    const char *name;
    const char *text;
};
extern const struct hnb_embedded_file hnb_embedded_files[];

#define NAGES     26 /* ages 0 to 25 by default: every plan ceases after the last age */
#define EPS_SHARE 1e-9

static char *dupstr(const char *s) { return strdup(s ? s : ""); }

/* ---- reading files ------------------------------------------------------ */

/* Parse text as JSON, turning cJSON's end offset into line:column. */
static cJSON *parse_json(hnb_model *h, const char *name, const char *text, size_t len)
{
    const char *end = NULL;
    /* len + 1: cJSON wants to see the terminating NUL when it checks for trailing garbage */
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (doc) return doc;
    int line = 1, col = 1;
    for (const char *p = text; end && p < end && *p; p++) {
        if (*p == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    err_add(h, HNB_E_SYNTAX,
            "%s:%d:%d: malformed JSON near \"%.20s\" (expected valid JSON: check commas, quotes and brackets)", name,
            line, col, end ? end : "");
    return NULL;
}

/* A parsed file kept alive in the handle for the views that point into it. */
typedef struct srcfile {
    const cJSON *doc;
    const char *name; /* as given, for messages */
    int embedded;
} srcfile;

/* ---- resolving extends ------------------------------------------------- */

typedef struct chainlink {
    srcfile file;
    const cJSON *scen;
    const char *name; /* the scenario's name in its file */
    char path[JV_PATH];
} chainlink;

static const cJSON *file_scenarios(const cJSON *doc) { return cJSON_GetObjectItemCaseSensitive(doc, "scenarios"); }

/* Load another file named by extends ("other.json#name"), relative to `from`.
 * A file is parsed once per load, however many scenarios extend it, so that a
 * chain that comes back to a file it has passed through is seen as a cycle. */
static int load_other(loader *ld, const srcfile *from, const char *fname, srcfile *out)
{
    hnb_model *h = ld->h;
    char *path = NULL;
    char *text = NULL;
    size_t len = 0;
    {
        const char *slash = from->embedded ? NULL : strrchr(from->name, '/');
        size_t nd = slash ? (size_t)(slash - from->name + 1) : 0;
        char want[1024];
        snprintf(want, sizeof want, "%.*s%s", (int)nd, from->name, fname);
        for (int i = ld->doc0; i < cJSON_GetArraySize(h->docs); i++) {
            const cJSON *d = cJSON_GetArrayItem(h->docs, i);
            const cJSON *nm = cJSON_GetObjectItemCaseSensitive(d, "\x01name");
            if (cJSON_IsString(nm) && strcmp(nm->valuestring, want) == 0) {
                out->doc = d;
                out->name = nm->valuestring;
                out->embedded = from->embedded;
                return 0;
            }
        }
    }
    if (from->embedded) {
        const char *t = hnb_embedded_text(fname);
        if (!t) return -1;
        text = strdup(t);
        len = strlen(t);
        path = dupstr(fname);
    } else {
        const char *slash = strrchr(from->name, '/');
        size_t nd = slash ? (size_t)(slash - from->name + 1) : 0;
        path = malloc(nd + strlen(fname) + 1);
        if (!path) return -1;
        memcpy(path, from->name, nd);
        strcpy(path + nd, fname);
        FILE *f = fopen(path, "rb");
        if (!f) {
            free(path);
            return -1;
        }
        fclose(f);
        if (file_read_text(h, path, &text, &len)) {
            free(path);
            return -1;
        }
    }
    cJSON *doc = text ? parse_json(h, path, text, len) : NULL;
    free(text);
    if (!doc) {
        free(path);
        ld->nerr++;
        return -2;
    }
    jv_check_duplicates(ld, doc, path, "");
    cJSON_AddItemToArray(h->docs, doc);
    /* keep the name alive with the document */
    cJSON_AddItemToObject(doc, "\x01name", cJSON_CreateString(path));
    out->doc = doc;
    out->name = cJSON_GetObjectItemCaseSensitive(doc, "\x01name")->valuestring;
    out->embedded = from->embedded;
    free(path);
    return 0;
}

/* Build the chain self, parent, grandparent ...; returns its length or 0. */
static int resolve_chain(loader *ld, const srcfile *file, const char *name, chainlink *chain)
{
    int n = 0;
    srcfile cur = *file;
    const char *curname = name;
    jv here;
    while (1) {
        const cJSON *sc = cJSON_GetObjectItemCaseSensitive(file_scenarios(cur.doc), curname);
        if (!cJSON_IsObject(sc)) return 0; /* reported by the caller */
        for (int i = 0; i < n; i++)
            if (chain[i].scen == sc ||
                (strcmp(chain[i].file.name, cur.name) == 0 && strcmp(chain[i].name, curname) == 0)) {
                char loop[512];
                size_t k = 0;
                for (int j = 0; j < n && k + 80 < sizeof loop; j++)
                    k += (size_t)snprintf(loop + k, sizeof loop - k, "%s -> ", chain[j].name);
                snprintf(loop + k, sizeof loop - k, "%s", curname);
                jv_root(&here, chain[0].scen, chain[0].file.name, chain[0].path);
                ld_err(ld, HNB_E_EXTENDS, &here, "extends", "a chain of extends that ends at a scenario without one",
                       "extends forms a cycle: %s", loop);
                return 0;
            }
        if (n == JV_MAX) {
            jv_root(&here, chain[0].scen, chain[0].file.name, chain[0].path);
            ld_err(ld, HNB_E_EXTENDS, &here, "extends", "at most 16 levels", "extends chain too deep");
            return 0;
        }
        chain[n].file = cur;
        chain[n].scen = sc;
        chain[n].name = curname;
        snprintf(chain[n].path, JV_PATH, "scenarios.%s", curname);
        n++;
        const cJSON *ext = cJSON_GetObjectItemCaseSensitive(sc, "extends");
        if (!ext || cJSON_IsNull(ext)) return n;
        jv_root(&here, sc, cur.name, chain[n - 1].path);
        if (!cJSON_IsString(ext)) {
            ld_err(ld, HNB_E_TYPE, &here, "extends", "the name of another scenario, or \"file.json#name\"",
                   "not a string");
            return 0;
        }
        const char *hash = strchr(ext->valuestring, '#');
        if (hash) {
            char fname[512];
            snprintf(fname, sizeof fname, "%.*s", (int)(hash - ext->valuestring), ext->valuestring);
            srcfile other;
            int rc = load_other(ld, &cur, fname, &other);
            if (rc == -1) {
                ld_err(ld, HNB_E_EXTENDS, &here, "extends", "an existing scenario file", "parent file \"%s\" not found",
                       fname);
                return 0;
            }
            if (rc) return 0;
            cur = other;
            curname = hash + 1;
        } else {
            curname = ext->valuestring;
        }
        if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(file_scenarios(cur.doc), curname))) {
            const char *best = NULL;
            size_t bestd = (size_t)-1;
            const cJSON *all = file_scenarios(cur.doc);
            for (const cJSON *c = cJSON_IsObject(all) ? all->child : NULL; c; c = c->next) {
                size_t d = jv_distance(c->string, curname);
                if (d < bestd) {
                    bestd = d;
                    best = c->string;
                }
            }
            if (best && bestd <= 3 && bestd < strlen(curname))
                ld_err(ld, HNB_E_EXTENDS, &here, "extends", "the name of a scenario in the file",
                       "parent scenario \"%s\" not found; did you mean \"%s\"?", ext->valuestring, best);
            else
                ld_err(ld, HNB_E_EXTENDS, &here, "extends", "the name of a scenario in the file",
                       "parent scenario \"%s\" not found", ext->valuestring);
            return 0;
        }
    }
}

/* ---- pieces of a scenario ---------------------------------------------- */

static const parspec RATE = {"rate per year", -1.0, 10.0, 0.0, 0, 1, 0};
static const parspec SHARE = {"share (0-1)", 0.0, 1.0, 0.0, 1, 1, 0};

/* The years of a "by_year" object, merged over the layers (a child that
 * changes one year keeps the others): fy[i] and the assumption par[i]. */
static void read_by_year(loader *ld, scenario *s, const jv *by, const parspec *sp, int **fy, size_t **par, size_t *n)
{
    const char **keys = NULL;
    int nk = jv_keys(by, &keys);
    *n = 0;
    *fy = calloc((size_t)(nk > 0 ? nk : 0) + 1, sizeof **fy);
    *par = calloc((size_t)(nk > 0 ? nk : 0) + 1, sizeof **par);
    for (int i = 0; *fy && *par && i < nk; i++) {
        int y;
        jv one;
        jv_get(by, keys[i], &one);
        if (fy_parse(keys[i], &y) != 0) {
            ld_err(ld, HNB_E_KEY, &one, NULL, "a financial year such as \"2026-27\"", "not a financial year");
            continue;
        }
        (*fy)[*n] = y;
        (*par)[(*n)++] = par_read(ld, s, by, keys[i], sp);
    }
    free(keys);
}

/* A yearly series: a number or {"value": x, "by_year": {"2026-27": y}}. */
static void read_series(loader *ld, scenario *s, const jv *v, const char *key, const parspec *sp, series *r)
{
    static const char *const series_keys[] = {"value", "unit", "source", "note", "dist", "by_year", NULL};
    memset(r, 0, sizeof *r);
    jv c;
    int by_year = 0; /* in any layer: a child may change the default and keep its parent's years */
    if (jv_get(v, key, &c))
        for (int i = 0; i < c.n; i++)
            by_year |= cJSON_IsObject(c.node[i]) && cJSON_GetObjectItemCaseSensitive(c.node[i], "by_year");
    if (!by_year) {
        r->def = par_read(ld, s, v, key, sp);
        return;
    }
    jv_check_keys(ld, &c, series_keys); /* so that par_read does not refuse by_year */
    /* the default (every year by_year does not name): the object itself read
     * as a plain assumption, so that its value, unit, source and dist all
     * count; its value is required when the series is, never silently 0 */
    r->def = par_read(ld, s, &c, NULL, sp);
    jv by;
    jv_get(&c, "by_year", &by);
    if (!jv_want(ld, &by, cJSON_Object, "an object of financial years, {\"2026-27\": 0.0}")) return;
    read_by_year(ld, s, &by, sp, &r->fy, &r->par, &r->n);
}

static const char *const line_keys[] = {"label",     "s251",    "amount", "fy",   "growth",
                                        "inflation", "by_year", "source", "note", NULL};

static void read_line(loader *ld, scenario *s, const jv *v, const char *id, line *l, int funding)
{
    memset(l, 0, sizeof *l);
    l->id = dupstr(id);
    jv_check_keys(ld, v, line_keys);
    const char *label = id, *code = "";
    jv_str(ld, v, "label", 0, &label);
    jv_str(ld, v, "s251", 0, &code);
    l->label = dupstr(label);
    l->s251 = dupstr(code);
    parspec money = {"£ per year", funding ? -1e12 : 0.0, 1e12, 0.0, 1, 1, 0};
    l->amount = par_read(ld, s, v, "amount", &money);
    l->base_fy = s->first_fy;
    jv_fy(ld, v, "fy", 0, &l->base_fy);
    /* "growth" and "inflation" are one setting under two names: the most
     * specific layer that states either decides which is read */
    const char *rate_key = "growth";
    for (int i = 0; i < v->n; i++) {
        int g = cJSON_GetObjectItemCaseSensitive(v->node[i], "growth") != NULL;
        int f = cJSON_GetObjectItemCaseSensitive(v->node[i], "inflation") != NULL;
        if (g && f) {
            jv one;
            jv_root(&one, v->node[i], v->file[i], v->path[i]);
            ld_err(ld, HNB_E_KEY, &one, "inflation", "either growth or inflation, not both",
                   "both growth and inflation given");
        }
        if (g || f) {
            rate_key = f && !g ? "inflation" : "growth";
            break;
        }
    }
    read_series(ld, s, v, rate_key, &RATE, &l->growth);
    jv by;
    if (jv_get(v, "by_year", &by) &&
        jv_want(ld, &by, cJSON_Object, "an object of financial years, {\"2026-27\": 1000000}")) {
        read_by_year(ld, s, &by, &money, &l->by_fy, &l->by_par, &l->nby);
    }
}

/* An age range [lo, hi] written as a two-element array. */
static int read_ages(loader *ld, const jv *v, const char *key, int nages, int *lo, int *hi)
{
    jv c;
    if (!jv_get(v, key, &c)) {
        ld_err(ld, HNB_E_MISSING, v, key, "an age range such as [11, 11]", "missing required key");
        return 0;
    }
    const cJSON *a = jv_top(&c);
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != 2 || !cJSON_IsNumber(a->child) ||
        !cJSON_IsNumber(a->child->next)) {
        ld_err(ld, HNB_E_TYPE, &c, NULL, "an age range such as [11, 11]", "not a pair of ages");
        return 0;
    }
    *lo = a->child->valueint;
    *hi = a->child->next->valueint;
    if (*lo < 0 || *hi >= nages || *lo > *hi || a->child->valuedouble != *lo || a->child->next->valuedouble != *hi) {
        char exp[64];
        snprintf(exp, sizeof exp, "whole ages 0 <= from <= to <= %d", nages - 1);
        ld_err(ld, HNB_E_RANGE, &c, NULL, exp, "found [%g, %g]", a->child->valuedouble, a->child->next->valuedouble);
        return 0;
    }
    return 1;
}

/* A list of ages [11, 16] into a flag per age. */
static unsigned char *read_age_list(loader *ld, const jv *v, const char *key, int nages)
{
    unsigned char *f = calloc((size_t)nages, 1);
    jv c;
    if (!f || !jv_get(v, key, &c)) return f;
    if (!jv_want(ld, &c, cJSON_Array, "a list of ages such as [11, 16]")) return f;
    for (const cJSON *e = jv_top(&c)->child; e; e = e->next) {
        if (!cJSON_IsNumber(e) || e->valuedouble != floor(e->valuedouble) || e->valueint < 0 || e->valueint >= nages) {
            char exp[64];
            snprintf(exp, sizeof exp, "whole ages from 0 to %d", nages - 1);
            ld_err(ld, HNB_E_RANGE, &c, NULL, exp, "not an age");
            continue;
        }
        f[e->valueint] = 1;
    }
    return f;
}

/* In an object keyed by placement or year, "source" and "note" are notes
 * (strings), not entries: returns 1 for them, reporting one of another type. */
static int note_key(loader *ld, const jv *obj, const char *key)
{
    if (strcmp(key, "source") != 0 && strcmp(key, "note") != 0) return 0;
    jv one;
    if (jv_get(obj, key, &one) && !cJSON_IsString(jv_top(&one)))
        jv_want(ld, &one, cJSON_String, "a string: a note for the reader");
    return 1;
}

/* "one of the placements: mainstream base special nmi", for messages. */
static const char *placement_list(const scenario *s, char *buf, size_t size)
{
    size_t k = (size_t)snprintf(buf, size, "one of the placements:");
    for (int i = 0; i < s->nplace && k + 40 < size; i++)
        k += (size_t)snprintf(buf + k, size - k, " %s", s->place[i].id);
    return buf;
}

static int placement_ref(loader *ld, const scenario *s, const jv *v, const char *key, int required)
{
    const char *id = NULL;
    if (!jv_str(ld, v, key, required, &id)) return -1;
    int p = scenario_placement(s, id);
    if (p < 0) {
        char exp[400];
        ld_err(ld, HNB_E_REF, v, key, placement_list(s, exp, sizeof exp), "no placement \"%s\"", id);
    }
    return p;
}

static const char *const placement_keys[] = {"label",     "s251",        "unit_cost", "price_base",
                                             "inflation", "cost_by_age", "capacity",  "overflow_to",
                                             "backfill",  "source",      "note",      NULL};

static void read_placements(loader *ld, scenario *s, const jv *v)
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
            if (scenario_placement(s, e->string) < 0) s->place[s->nplace++].id = dupstr(e->string);
    if (s->nplace == 0)
        ld_err(ld, HNB_E_MISSING, &ps, NULL, "at least one placement (usually mainstream, base, special, nmi)",
               "no placements");
}

static void read_placement_detail(loader *ld, scenario *s, const jv *ps, int p)
{
    placement *pl = &s->place[p];
    jv v;
    jv_get(ps, pl->id, &v);
    pl->overflow_to = pl->backfill_from = -1;
    if (!jv_want(ld, &v, cJSON_Object, "an object with label, unit_cost, inflation ...")) return;
    jv_check_keys(ld, &v, placement_keys);
    const char *label = pl->id, *code = "";
    jv_str(ld, &v, "label", 0, &label);
    jv_str(ld, &v, "s251", 0, &code);
    pl->label = dupstr(label);
    pl->s251 = dupstr(code);
    static const parspec cost = {"£ per EHCP per year", 0.0, 1e7, 0.0, 1, 1, 0};
    jv uc;
    int priced = jv_get(&v, "unit_cost", &uc) && cJSON_IsObject(jv_top(&uc));
    if (priced) par_check_keys(ld, &uc, 1); /* a unit cost may name its price base */
    pl->unit_cost = par_read(ld, s, &v, "unit_cost", &cost);
    pl->price_base = s->first_fy;
    if (priced) jv_fy(ld, &uc, "price_base", 0, &pl->price_base);
    jv_fy(ld, &v, "price_base", 0, &pl->price_base);
    read_series(ld, s, &v, "inflation", &RATE, &pl->inflation);
    jv bands;
    if (jv_get(&v, "cost_by_age", &bands) &&
        jv_want(ld, &bands, cJSON_Array, "a list of {\"ages\": [16, 25], \"multiplier\": 0.8}")) {
        int n = jv_size(&bands);
        pl->cost_bands = calloc((size_t)n + 1, sizeof *pl->cost_bands);
        for (int i = 0; pl->cost_bands && i < n; i++) {
            static const char *const keys[] = {"ages", "multiplier", "source", "note", NULL};
            static const parspec mult = {"multiplier of the unit cost", 0.0, 100.0, 1.0, 1, 1, 0};
            jv b;
            jv_at(&bands, i, &b);
            if (!jv_want(ld, &b, cJSON_Object, "{\"ages\": [16, 25], \"multiplier\": 0.8}")) continue;
            jv_check_keys(ld, &b, keys);
            ageband *ab = &pl->cost_bands[pl->ncost_bands];
            if (!read_ages(ld, &b, "ages", s->nages, &ab->lo, &ab->hi)) continue;
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
            static const char *const keys[] = {"from", "places", "source", "note", NULL};
            static const parspec places = {"places", 0.0, 1e6, 0.0, 1, 1, 0};
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

static void read_placement_links(loader *ld, scenario *s, const jv *ps, int p)
{
    placement *pl = &s->place[p];
    jv v;
    jv_get(ps, pl->id, &v);
    if (!cJSON_IsObject(jv_top(&v))) return;
    pl->overflow_to = placement_ref(ld, s, &v, "overflow_to", 0);
    if (pl->overflow_to == p) {
        ld_err(ld, HNB_E_RANGE, &v, "overflow_to", "another placement", "a placement cannot overflow into itself");
        pl->overflow_to = -1;
    }
    jv bf;
    if (jv_get(&v, "backfill", &bf) && jv_want(ld, &bf, cJSON_Object, "{\"from\": \"nmi\", \"ages\": [11, 16]}")) {
        static const char *const keys[] = {"from", "ages", "source", "note", NULL};
        jv_check_keys(ld, &bf, keys);
        pl->backfill_from = placement_ref(ld, s, &bf, "from", 1);
        pl->backfill_age = read_age_list(ld, &bf, "ages", s->nages);
        if (pl->backfill_age && !cJSON_GetObjectItemCaseSensitive(jv_top(&bf), "ages"))
            memset(pl->backfill_age, 1, (size_t)s->nages);
    }
}

static void check_overflow_cycles(loader *ld, scenario *s, const jv *ps)
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

static void read_needs(loader *ld, scenario *s, const jv *v)
{
    jv ns;
    if (!jv_get(v, "needs", &ns)) {
        s->nneeds = 1;
        s->needs = calloc(1, sizeof *s->needs);
        if (!s->needs) return;
        double one = 1.0;
        s->needs[0].id = dupstr("all");
        s->needs[0].label = dupstr("All needs");
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
            static const char *const keys[] = {"label", "share", "cease_multiplier", "cost_multiplier", "source",
                                               "note",  NULL};
            static const parspec mult = {"multiplier", 0.0, 100.0, 1.0, 0, 1, 0};
            need *nd = &s->needs[s->nneeds++];
            jv g;
            jv_get(&ns, e->string, &g);
            nd->id = dupstr(e->string);
            const char *label = e->string;
            if (jv_want(ld, &g, cJSON_Object, "{\"share\": 0.3, \"cost_multiplier\": 1.1}")) {
                jv_check_keys(ld, &g, keys);
                jv_str(ld, &g, "label", 0, &label);
            }
            nd->label = dupstr(label);
            nd->share = par_read(ld, s, &g, "share", &SHARE);
            nd->cease_mult = par_read(ld, s, &g, "cease_multiplier", &mult);
            nd->cost_mult = par_read(ld, s, &g, "cost_multiplier", &mult);
            sum += s->val[s->par[nd->share].off];
        }
    if (s->nneeds == 0 || fabs(sum - 1.0) > EPS_SHARE)
        ld_err(ld, HNB_E_RANGE, &ns, NULL, "need-group shares that sum to 1 within 1e-9", "shares sum to %.12g", sum);
}

static void read_stocks(loader *ld, scenario *s, const jv *v)
{
    char plist[400]; /* the placements, for messages */
    static const char *const keys[] = {"census", "by_age", "source", "note", NULL};
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
    parspec counts = {"EHCPs at the January census, by age 0-25", 0.0, 1e7, 0.0, 1, s->nages, 0};
    for (int i = 0; i < by.n; i++)
        for (const cJSON *e = by.node[i]->child; e; e = e->next)
            if (scenario_placement(s, e->string) < 0)
                ld_err(ld, HNB_E_REF, &by, e->string, placement_list(s, plist, sizeof plist), "no such placement");
    for (int p = 0; p < s->nplace; p++) s->stock[p] = par_read(ld, s, &by, s->place[p].id, &counts);
}

static void read_leavers(loader *ld, scenario *s, const jv *v)
{
    char plist[400]; /* the placements, for messages */
    static const char *const keys[] = {"cease_rates", "by_placement", "source", "note", NULL};
    jv lv;
    parspec rates = {"share of plans ceasing in the year, by age 0-25 at the census", 0.0, 1.0, 0.0, 1, s->nages, 0};
    s->cease_place = calloc((size_t)s->nplace + 1, sizeof *s->cease_place);
    if (!s->cease_place) return;
    for (int p = 0; p < s->nplace; p++) s->cease_place[p] = NOPAR;
    if (!jv_get(v, "leavers", &lv)) {
        ld_err(ld, HNB_E_MISSING, v, "leavers", "{\"cease_rates\": [26 rates by age]}", "missing required key");
        s->cease = par_const(s, "leavers.cease_rates", "rate", s->nages, NULL);
        return;
    }
    jv_check_keys(ld, &lv, keys);
    s->cease = par_read(ld, s, &lv, "cease_rates", &rates);
    jv bp;
    if (jv_get(&lv, "by_placement", &bp) && jv_want(ld, &bp, cJSON_Object, "an object of placements, each 26 rates")) {
        rates.required = 0;
        const char **keys = NULL;
        int n = jv_keys(&bp, &keys);
        for (int i = 0; i < n; i++) {
            if (note_key(ld, &bp, keys[i])) continue;
            int p = scenario_placement(s, keys[i]);
            if (p < 0) {
                jv one;
                jv_get(&bp, keys[i], &one);
                ld_err(ld, HNB_E_REF, &one, NULL, placement_list(s, plist, sizeof plist), "no such placement");
                continue;
            }
            s->cease_place[p] = par_read(ld, s, &bp, keys[i], &rates);
        }
        free(keys);
    }
}

static void read_moves(loader *ld, scenario *s, const jv *v)
{
    char plist[400]; /* the placements, for messages */
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
        static const char *const keys[] = {"name", "ages", "matrix", "source", "note", NULL};
        jv e;
        jv_at(&mv, i, &e);
        if (!jv_want(ld, &e, cJSON_Object, "{\"name\": ..., \"ages\": [lo, hi], \"matrix\": {...}}")) continue;
        jv_check_keys(ld, &e, keys);
        movematrix *mm = &s->moves[s->nmoves];
        const char *name = "moves";
        jv_str(ld, &e, "name", 0, &name);
        if (!read_ages(ld, &e, "ages", s->nages, &mm->lo, &mm->hi)) continue;
        for (int a = 0; a < P * P; a++) m[a] = (a / P == a % P) ? 1.0 : 0.0;
        jv mx;
        if (!jv_get(&e, "matrix", &mx)) {
            ld_err(ld, HNB_E_MISSING, &e, "matrix",
                   "rows by placement: {\"mainstream\": {\"mainstream\": 0.97, \"special\": 0.03}}",
                   "missing required key");
            continue;
        }
        const cJSON *top = jv_top(&mx);
        int ok = 1;
        if (cJSON_IsArray(top)) { /* a full P x P matrix in placement order */
            char exp[96];
            snprintf(exp, sizeof exp, "%d rows of %d shares (one per placement, in order)", P, P);
            if (cJSON_GetArraySize(top) != P) {
                ld_err(ld, HNB_E_RANGE, &mx, NULL, exp, "wrong size: %d rows", cJSON_GetArraySize(top));
                continue;
            }
            int r = 0;
            for (const cJSON *row = top->child; row; row = row->next, r++) {
                if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) != P) {
                    ld_err(ld, HNB_E_RANGE, &mx, NULL, exp, "row %d: wrong size", r);
                    ok = 0;
                    break;
                }
                int c = 0;
                for (const cJSON *x = row->child; x; x = x->next, c++)
                    m[r * P + c] = cJSON_IsNumber(x) ? x->valuedouble : -1;
            }
        } else if (cJSON_IsObject(top)) {
            for (const cJSON *row = top->child; row; row = row->next) {
                int r = scenario_placement(s, row->string);
                jv rv;
                jv_get(&mx, row->string, &rv);
                if (r < 0) {
                    ld_err(ld, HNB_E_REF, &mx, row->string, placement_list(s, plist, sizeof plist),
                           "no such placement");
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
                        ld_err(ld, HNB_E_REF, &rv, x->string, placement_list(s, plist, sizeof plist),
                               "no such placement");
                        ok = 0;
                        continue;
                    }
                    m[r * P + c] = cJSON_IsNumber(x) ? x->valuedouble : -1;
                }
            }
        } else {
            jv_want(ld, &mx, cJSON_Object, "rows by placement, or an array of rows");
            continue;
        }
        for (int r = 0; ok && r < P; r++) {
            double sum = 0;
            for (int c = 0; c < P; c++) {
                if (!(m[r * P + c] >= 0.0 && m[r * P + c] <= 1.0)) {
                    ld_err(ld, HNB_E_RANGE, &mx, s->place[r].id, "shares from 0 to 1", "share to %s is %g",
                           s->place[c].id, m[r * P + c]);
                    ok = 0;
                }
                sum += m[r * P + c];
            }
            if (ok && fabs(sum - 1.0) > EPS_SHARE) {
                ld_err(ld, HNB_E_RANGE, &mx, s->place[r].id, "a row that sums to 1 within 1e-9", "row sums to %.12g",
                       sum);
                ok = 0;
            }
        }
        if (!ok) continue;
        mm->name = dupstr(name);
        mm->m = par_const(s, mx.path[0], "share moving from row to column placement", P * P, m);
        free(s->par[mm->m].source);
        s->par[mm->m].source = dupstr(mx.source);
        s->par[mm->m].from_file = 1;
        s->par[mm->m].lo = 0.0;
        s->par[mm->m].hi = 1.0;
        s->nmoves++;
    }
    free(m);
    /* Overlapping ranges of the same width would make the choice of matrix
     * depend on the order of the list: refuse them. */
    for (size_t i = 0; i < s->nmoves; i++)
        for (size_t j = i + 1; j < s->nmoves; j++) {
            movematrix *a = &s->moves[i], *b = &s->moves[j];
            if (a->lo <= b->hi && b->lo <= a->hi && a->hi - a->lo == b->hi - b->lo)
                ld_err(ld, HNB_E_RANGE, &mv, NULL, "age ranges that nest or do not overlap",
                       "moves \"%s\" and \"%s\" cover the same ages with ranges of equal width", a->name, b->name);
        }
}

/* Keys of one driver given with another would be ignored: report them. Only
 * the layers from the one that names the driver up are checked, since a
 * child that changes the driver cannot delete its parent's keys. */
static void check_driver_keys(loader *ld, const jv *jn, enum joiner_driver driver)
{
    static const char *const specific[] = {"growth",     "count",     "requests", "conversion",
                                           "population", "per_10000", NULL};
    static const char *const uses[4] = {"growth", "growth count", "growth requests conversion", "per_10000 population"};
    static const char *const names[4] = {"total_growth", "new_plans", "requests", "prevalence"};
    for (int i = 0; i < jn->n; i++) {
        const cJSON *o = jn->node[i];
        for (const char *const *k = specific; *k; k++) {
            if (!cJSON_GetObjectItemCaseSensitive(o, *k)) continue;
            size_t n = strlen(*k);
            const char *u = uses[driver];
            int used = 0;
            for (const char *p = strstr(u, *k); p && !used; p = strstr(p + 1, *k))
                used = (p == u || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ');
            if (used) continue;
            jv one;
            jv_root(&one, o, jn->file[i], jn->path[i]);
            char exp[96];
            snprintf(exp, sizeof exp, "for the %s driver: %s", names[driver], uses[driver]);
            ld_err(ld, HNB_E_KEY, &one, *k, exp, "not used by the %s driver", names[driver]);
        }
        if (cJSON_GetObjectItemCaseSensitive(o, "driver")) break;
    }
}

static void read_joiners(loader *ld, scenario *s, const jv *v)
{
    char plist[400]; /* the placements, for messages */
    static const char *const keys[] = {"driver",          "growth",     "count",     "requests",
                                       "conversion",      "population", "per_10000", "age_distribution",
                                       "first_placement", "source",     "note",      NULL};
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
    static const char *const drivers[] = {"total_growth", "new_plans", "requests", "prevalence", NULL};
    int known = 0;
    if (jv_str(ld, &jn, "driver", 1, &drv)) {
        int k = 0;
        while (drivers[k] && strcmp(drivers[k], drv) != 0) k++;
        if (!drivers[k])
            ld_err(ld, HNB_E_RANGE, &jn, "driver", "total_growth, new_plans, requests or prevalence",
                   "unknown driver \"%s\"", drv);
        else
            j->driver = (enum joiner_driver)k;
        known = drivers[k] != NULL;
    }
    if (known) check_driver_keys(ld, &jn, j->driver);
    static const parspec count = {"new plans or requests in the first year", 0.0, 1e7, 0.0, 1, 1, 0};
    static const parspec conv = {"share of requests that become plans", 0.0, 1.0, 0.0, 1, 1, 0};
    static const parspec prev = {"EHCPs per 10,000 of the 0-25 population", 0.0, 10000.0, 0.0, 1, 1, 0};
    parspec growth = RATE;
    growth.required = known && j->driver != JOIN_PREVALENCE;
    read_series(ld, s, &jn, "growth", &growth, &j->growth);
    if (known && j->driver == JOIN_NEW_PLANS) j->count = par_read(ld, s, &jn, "count", &count);
    if (known && j->driver == JOIN_REQUESTS) {
        j->count = par_read(ld, s, &jn, "requests", &count);
        read_series(ld, s, &jn, "conversion", &conv, &j->conversion);
    }
    if (known && j->driver == JOIN_PREVALENCE) {
        read_series(ld, s, &jn, "per_10000", &prev, &j->per10k);
        jv pop;
        if (!jv_get(&jn, "population", &pop))
            ld_err(ld, HNB_E_MISSING, &jn, "population", "{\"2026\": 52000, ...}: 0-25 population by census year",
                   "missing required key");
        else if (jv_want(ld, &pop, cJSON_Object, "{\"2026\": 52000, ...}: 0-25 population by census year")) {
            const char **keys = NULL;
            int n = jv_keys(&pop, &keys);
            j->pop_census = calloc((size_t)(n > 0 ? n : 0) + 1, sizeof *j->pop_census);
            j->pop_par = calloc((size_t)(n > 0 ? n : 0) + 1, sizeof *j->pop_par);
            static const parspec people = {"people aged 0-25", 0.0, 1e9, 0.0, 1, 1, 0};
            for (int i = 0; j->pop_census && j->pop_par && i < n; i++) {
                if (note_key(ld, &pop, keys[i])) continue;
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
    parspec ages = {"share of new plans by age 0-25 at the next census", 0.0, 1.0, 0.0, 1, s->nages, 1};
    j->age_dist = par_read(ld, s, &jn, "age_distribution", &ages);

    jv fp;
    parspec shares = {"share of new plans by first placement", 0.0, 1.0, 0.0, 1, s->nplace, 1};
    if (!jv_get(&jn, "first_placement", &fp)) {
        ld_err(ld, HNB_E_MISSING, &jn, "first_placement", "{\"mainstream\": 0.6, \"special\": 0.2, ...}",
               "missing required key");
        return;
    }
    double *x = calloc((size_t)s->nplace + 1, sizeof *x);
    if (!x) return;
    /* one object for every age, or a list of age bands each with shares */
    int nb = cJSON_IsArray(jv_top(&fp)) ? jv_size(&fp) : 1;
    if (nb == 0)
        ld_err(ld, HNB_E_MISSING, &fp, NULL, "shares by placement, or age bands that cover every age 0-25",
               "an empty list of age bands");
    j->first = calloc((size_t)nb + 1, sizeof *j->first);
    for (int b = 0; j->first && b < nb; b++) {
        jv band = fp, sh;
        firstband *fb = &j->first[j->nfirst];
        fb->lo = 0;
        fb->hi = s->nages - 1;
        if (cJSON_IsArray(jv_top(&fp))) {
            static const char *const bkeys[] = {"ages", "shares", "source", "note", NULL};
            jv_at(&fp, b, &band);
            if (!jv_want(ld, &band, cJSON_Object, "{\"ages\": [0, 4], \"shares\": {...}}")) continue;
            jv_check_keys(ld, &band, bkeys);
            if (!read_ages(ld, &band, "ages", s->nages, &fb->lo, &fb->hi)) continue;
            if (!jv_get(&band, "shares", &sh)) {
                ld_err(ld, HNB_E_MISSING, &band, "shares", "{\"mainstream\": 0.6, ...}", "missing required key");
                continue;
            }
        } else {
            sh = fp;
        }
        if (!jv_want(ld, &sh, cJSON_Object, "{\"mainstream\": 0.6, \"special\": 0.2, ...}")) continue;
        double sum = 0;
        for (int p = 0; p < s->nplace; p++) x[p] = 0.0;
        /* merged over the layers: a child may change one placement's share
         * (and must keep the sum at 1) */
        const char **keys = NULL;
        int nk = jv_keys(&sh, &keys);
        for (int k = 0; k < nk; k++) {
            if (note_key(ld, &sh, keys[k])) continue;
            jv one;
            jv_get(&sh, keys[k], &one);
            const cJSON *e = jv_top(&one);
            int p = scenario_placement(s, keys[k]);
            if (p < 0) {
                ld_err(ld, HNB_E_REF, &one, NULL, placement_list(s, plist, sizeof plist), "no such placement");
                continue;
            }
            if (!cJSON_IsNumber(e)) {
                jv_want(ld, &one, cJSON_Number, "a share from 0 to 1");
                continue;
            }
            if (!(e->valuedouble >= 0 && e->valuedouble <= 1)) {
                ld_err(ld, HNB_E_RANGE, &one, NULL, "a share from 0 to 1", "out of range: found %g", e->valuedouble);
                continue;
            }
            x[p] = e->valuedouble;
            sum += x[p];
        }
        free(keys);
        if (fabs(sum - 1.0) > EPS_SHARE) {
            ld_err(ld, HNB_E_RANGE, &sh, NULL, "shares that sum to 1 within 1e-9", "shares sum to %.12g", sum);
            continue;
        }
        fb->shares = par_const(s, sh.path[0], shares.unit, s->nplace, x);
        free(s->par[fb->shares].source);
        s->par[fb->shares].source = dupstr(sh.source);
        s->par[fb->shares].from_file = 1;
        s->par[fb->shares].lo = 0;
        s->par[fb->shares].hi = 1;
        j->nfirst++;
    }
    free(x);
    for (int a = 0; a < s->nages; a++) {
        int covered = 0;
        for (size_t b = 0; b < j->nfirst; b++) covered += j->first[b].lo <= a && a <= j->first[b].hi;
        if (covered != 1 && j->nfirst) {
            ld_err(ld, HNB_E_RANGE, &fp, NULL, "age bands that cover every age 0-25 exactly once",
                   "age %d is covered by %d bands", a, covered);
            break;
        }
    }
}

static void read_lines(loader *ld, scenario *s, const jv *v, const char *key, line **out, size_t *nout, int funding)
{
    jv ls;
    if (!jv_get(v, key, &ls)) return;
    if (!jv_want(ld, &ls, cJSON_Object, "an object of lines keyed by id")) return;
    int cap = 0;
    for (int i = 0; i < ls.n; i++) cap += cJSON_GetArraySize(ls.node[i]);
    *out = calloc((size_t)cap + 3, sizeof **out); /* room for lines that actions add */
    if (!*out) return;
    for (int i = ls.n - 1; i >= 0; i--)
        for (const cJSON *e = ls.node[i]->child; e; e = e->next) {
            int seen = 0;
            for (size_t k = 0; k < *nout; k++) seen |= strcmp((*out)[k].id, e->string) == 0;
            if (seen) continue;
            jv one;
            jv_get(&ls, e->string, &one);
            if (!jv_want(ld, &one, cJSON_Object, "{\"label\": ..., \"amount\": ..., \"growth\": ...}")) continue;
            read_line(ld, s, &one, e->string, &(*out)[(*nout)++], funding);
        }
}

static int find_line(const line *l, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(l[i].id, id) == 0) return (int)i;
    return -1;
}

/* A funding line an action pays into, added with no money of its own. */
static int funding_line_for(scenario *s, const char *id, const char *label)
{
    int k = find_line(s->fund, s->nfund, id);
    if (k >= 0) return k;
    line *t = realloc(s->fund, (s->nfund + 1) * sizeof *t);
    if (!t) return -1;
    s->fund = t;
    line *l = &s->fund[s->nfund];
    memset(l, 0, sizeof *l);
    l->id = dupstr(id);
    l->label = dupstr(label);
    l->s251 = dupstr("");
    double zero = 0.0;
    char path[128];
    snprintf(path, sizeof path, "funding.%s.amount", id);
    l->amount = par_const(s, path, "£ per year", 1, &zero);
    snprintf(path, sizeof path, "funding.%s.growth", id);
    l->growth.def = par_const(s, path, "rate per year", 1, &zero);
    l->base_fy = s->first_fy;
    return (int)s->nfund++;
}

static const char *const iv_names[IV_NTYPES] = {
    "reduce_joiners", "add_capacity",     "shift_first_placement", "unit_cost",    "uplift_freeze",
    "block_transfer", "dfe_contribution", "earlier_ceasing",       "reduce_moves", "spend_saving"};

/* The keys each type of action takes besides name, type, start, ramp_months,
 * delivery, delay_months, source and note (in iv_type order). */
static const char *const iv_keys[IV_NTYPES][4] = {
    {"share"},                    /* reduce_joiners */
    {"placement", "places"},      /* add_capacity */
    {"placement", "to", "share"}, /* shift_first_placement */
    {"placement", "change"},      /* unit_cost */
    {"placement", "fy"},          /* uplift_freeze */
    {"amount", "until", "line"},  /* block_transfer */
    {"amount", "until", "line"},  /* dfe_contribution */
    {"share", "from_age"},        /* earlier_ceasing */
    {"share", "to", "ages"},      /* reduce_moves */
    {"amount", "line"},           /* spend_saving */
};

/* A key another type of action takes, given to this one, would be ignored:
 * report it rather than let the file say something the model does not do. */
static void check_iv_keys(loader *ld, const jv *e, enum iv_type type)
{
    static const char *const common[] = {"name",   "type", "start",        "ramp_months", "delivery", "delay_months",
                                         "source", "note", "running_cost", "cost_line",   NULL};
    for (const cJSON *c = jv_top(e)->child; c; c = c->next) {
        int ok = 0;
        for (const char *const *k = common; *k && !ok; k++) ok = strcmp(*k, c->string) == 0;
        for (int k = 0; k < 4 && iv_keys[type][k] && !ok; k++) ok = strcmp(iv_keys[type][k], c->string) == 0;
        int known = 0;
        for (int t = 0; t < IV_NTYPES && !known; t++)
            for (int k = 0; k < 4 && iv_keys[t][k] && !known; k++) known = strcmp(iv_keys[t][k], c->string) == 0;
        if (ok || !known) continue; /* unknown keys are reported by jv_check_keys */
        char exp[200];
        size_t n = (size_t)snprintf(exp, sizeof exp, "for %s: name type start ramp_months delivery delay_months",
                                    iv_names[type]);
        for (int k = 0; k < 4 && iv_keys[type][k]; k++)
            n += (size_t)snprintf(exp + n, sizeof exp - n, " %s", iv_keys[type][k]);
        ld_err(ld, HNB_E_KEY, e, c->string, exp, "not used by a %s action", iv_names[type]);
    }
}

static void read_intervention(loader *ld, scenario *s, const jv *e, intervention *iv)
{
    static const char *const keys[] = {"name",     "type",         "start",     "ramp_months", "share",        "places",
                                       "change",   "amount",       "placement", "to",          "fy",           "until",
                                       "from_age", "ages",         "line",      "delivery",    "delay_months", "source",
                                       "note",     "running_cost", "cost_line", NULL};
    iv->placement = iv->to_placement = iv->line = iv->cost_line = -1;
    iv->cost = NOPAR;
    iv->fy = iv->last_fy = -1;
    iv->size = iv->delivery = iv->delay = NOPAR;
    if (!jv_want(ld, e, cJSON_Object, "{\"name\": ..., \"type\": ..., \"start\": \"2025-09-01\", ...}")) return;
    jv_check_keys(ld, e, keys);
    const char *name = "action", *type = "";
    jv_str(ld, e, "name", 1, &name);
    iv->name = dupstr(name);
    if (!jv_str(ld, e, "type", 1, &type)) return; /* without a type, nothing else can be checked */
    int k = 0;
    while (k < IV_NTYPES && strcmp(iv_names[k], type) != 0) k++;
    if (k == IV_NTYPES) {
        char exp[300];
        size_t n = (size_t)snprintf(exp, sizeof exp, "one of");
        for (int t = 0; t < IV_NTYPES; t++) n += (size_t)snprintf(exp + n, sizeof exp - n, " %s", iv_names[t]);
        ld_err(ld, HNB_E_RANGE, e, "type", exp, "unknown action type \"%s\"", type);
        return;
    }
    iv->type = (enum iv_type)k;
    check_iv_keys(ld, e, iv->type);
    if (jv_date(ld, e, "start", 1, &iv->start, iv->start_text)) {
        double lo = census_months(s->census0), hi = fy_start_months(s->last_fy + 1);
        if (iv->start < lo || (iv->start >= hi && !s->backtest)) {
            char exp[96], a[8], b[8];
            fy_format(s->census0 - 1, a);
            fy_format(s->last_fy, b);
            snprintf(exp, sizeof exp, "a date from %d-01-01 (the starting census) to 31 March %d (end of %s)",
                     s->census0, s->last_fy + 1, b);
            jv st;
            jv_get(e, "start", &st);
            ld_err(ld, HNB_E_RANGE, &st, NULL, exp, "start date %s is outside the horizon", iv->start_text);
        }
    }
    double ramp = 0;
    if (jv_num(ld, e, "ramp_months", 0, 0, 240, &ramp)) {
        iv->ramp = ramp;
        /* a freeze is one year's uplift and a transfer a year's sum: no ramp */
        if (ramp > 0 &&
            (iv->type == IV_UPLIFT_FREEZE || iv->type == IV_BLOCK_TRANSFER || iv->type == IV_DFE_CONTRIBUTION))
            ld_err(ld, HNB_E_KEY, e, "ramp_months", "no ramp for this type: it acts for whole financial years",
                   "a ramp has no effect on %s", iv_names[iv->type]);
    }
    static const parspec prob = {"probability (0-1)", 0.0, 1.0, 1.0, 0, 1, 0};
    static const parspec delay = {"months", 0.0, 120.0, 0.0, 0, 1, 0};
    iv->delivery = par_read(ld, s, e, "delivery", &prob);
    iv->delay = par_read(ld, s, e, "delay_months", &delay);
    /* what the action itself costs to run, charged to a spend line from its
     * start, so that its saving is reported net */
    jv rc;
    if (jv_get(e, "running_cost", &rc)) {
        static const parspec cost = {"£ per year", 0.0, 1e12, 0.0, 1, 1, 0};
        iv->cost = par_read(ld, s, e, "running_cost", &cost);
        const char *id = NULL;
        if (jv_str(ld, e, "cost_line", 1, &id)) {
            int p = scenario_placement(s, id), o = find_line(s->other, s->nother, id);
            if (p >= 0)
                iv->cost_line = p;
            else if (o >= 0)
                iv->cost_line = s->nplace + o;
            else
                ld_err(ld, HNB_E_REF, e, "cost_line", "the id of a placement or of a spend line",
                       "no spend line \"%s\"", id);
        }
    } else if (jv_get(e, "cost_line", &rc)) {
        ld_err(ld, HNB_E_MISSING, e, "running_cost", "a running cost in £ per year for the cost_line",
               "cost_line without running_cost");
    }
    static const parspec places = {"places", 0.0, 1e6, 0.0, 1, 1, 0};
    static const parspec change = {"change in the unit cost (-0.05 = 5% cheaper)", -1.0, 10.0, 0.0, 1, 1, 0};
    static const parspec money = {"£ per year", 0.0, 1e12, 0.0, 1, 1, 0};
    int need_placement = 0;
    switch (iv->type) {
    case IV_REDUCE_JOINERS: iv->size = par_read(ld, s, e, "share", &SHARE); break;
    case IV_ADD_CAPACITY:
        iv->size = par_read(ld, s, e, "places", &places);
        need_placement = 1;
        break;
    case IV_SHIFT_FIRST_PLACEMENT:
        iv->size = par_read(ld, s, e, "share", &SHARE);
        need_placement = 1;
        iv->to_placement = placement_ref(ld, s, e, "to", 1);
        break;
    case IV_UNIT_COST:
        iv->size = par_read(ld, s, e, "change", &change);
        need_placement = 1;
        break;
    case IV_UPLIFT_FREEZE:
        iv->placement = placement_ref(ld, s, e, "placement", 0); /* absent: every placement */
        if (!jv_fy(ld, e, "fy", 1, &iv->fy)) iv->fy = -1;
        break;
    case IV_BLOCK_TRANSFER:
    case IV_DFE_CONTRIBUTION: {
        iv->size = par_read(ld, s, e, "amount", &money);
        const char *id = iv->type == IV_BLOCK_TRANSFER ? "block_transfer" : "dfe_contribution";
        jv_str(ld, e, "line", 0, &id);
        iv->line =
            funding_line_for(s, id, iv->type == IV_BLOCK_TRANSFER ? "Block transfer into the HNB" : "DfE contribution");
        jv_fy(ld, e, "until", 0, &iv->last_fy);
        break;
    }
    case IV_EARLIER_CEASING:
        iv->size = par_read(ld, s, e, "share", &SHARE);
        iv->min_age = 19;
        jv_int(ld, e, "from_age", 0, 0, s->nages - 1, &iv->min_age);
        break;
    case IV_REDUCE_MOVES:
        iv->size = par_read(ld, s, e, "share", &SHARE);
        iv->to_placement = placement_ref(ld, s, e, "to", 1);
        iv->ages = read_age_list(ld, e, "ages", s->nages);
        if (iv->ages && !cJSON_GetObjectItemCaseSensitive(jv_top(e), "ages")) {
            iv->ages[11] = iv->ages[16] = 1; /* Year 6 -> 7 and Year 11 -> 12 */
        }
        break;
    case IV_SPEND_SAVING: {
        iv->size = par_read(ld, s, e, "amount", &money);
        const char *id = NULL;
        if (jv_str(ld, e, "line", 1, &id)) {
            int p = scenario_placement(s, id);
            int o = find_line(s->other, s->nother, id);
            if (p >= 0)
                iv->line = p;
            else if (o >= 0)
                iv->line = s->nplace + o;
            else
                ld_err(ld, HNB_E_REF, e, "line", "the id of a placement or of a spend line", "no spend line \"%s\"",
                       id);
        }
        break;
    }
    case IV_NTYPES: break;
    }
    if (need_placement) iv->placement = placement_ref(ld, s, e, "placement", 1);
}

static void read_interventions(loader *ld, scenario *s, const chainlink *chain, int nchain)
{
    int total = 0;
    for (int k = 0; k < nchain; k++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(chain[k].scen, "interventions");
        total += cJSON_IsArray(a) ? cJSON_GetArraySize(a) : 0;
    }
    s->iv = calloc((size_t)total + 1, sizeof *s->iv);
    if (!s->iv) return;
    /* the root-most ancestor's actions first */
    for (int k = nchain - 1; k >= 0; k--) {
        jv self, arr;
        jv_root(&self, chain[k].scen, chain[k].file.name, chain[k].path);
        if (!jv_get(&self, "interventions", &arr)) continue;
        if (!jv_want(ld, &arr, cJSON_Array, "a list of actions")) continue;
        for (int i = 0; i < jv_size(&arr); i++) {
            jv e;
            jv_at(&arr, i, &e);
            read_intervention(ld, s, &e, &s->iv[s->niv++]);
        }
        if (k > 0) s->nparent_iv = s->niv;
    }
}

static void read_actuals(loader *ld, scenario *s, const jv *v)
{
    static const char *const keys[] = {"census", "finance", "source", "note", NULL};
    jv ac, c, f;
    if (!jv_get(v, "actuals", &ac) || !jv_want(ld, &ac, cJSON_Object, "{\"census\": [...], \"finance\": [...]}"))
        return;
    jv_check_keys(ld, &ac, keys);
    if (jv_get(&ac, "census", &c) && jv_want(ld, &c, cJSON_Array, "a list of {\"census\": 2024, \"ehcps\": 2304}")) {
        int n = jv_size(&c);
        s->act_census = calloc((size_t)n + 1, sizeof *s->act_census);
        for (int i = 0; s->act_census && i < n; i++) {
            static const char *const k2[] = {"census", "ehcps", "source", "note", NULL};
            jv e;
            jv_at(&c, i, &e);
            if (!jv_want(ld, &e, cJSON_Object, "{\"census\": 2024, \"ehcps\": 2304}")) continue;
            jv_check_keys(ld, &e, k2);
            actual_census *a = &s->act_census[s->nact_census];
            if (!jv_int(ld, &e, "census", 1, 1990, 2200, &a->census) || !jv_num(ld, &e, "ehcps", 1, 0, 1e7, &a->ehcps))
                continue;
            a->source = dupstr(e.source);
            s->nact_census++;
        }
    }
    if (jv_get(&ac, "finance", &f) &&
        jv_want(ld, &f, cJSON_Array, "a list of {\"fy\": \"2024-25\", \"in_year\": ..., \"cumulative\": ...}")) {
        int n = jv_size(&f);
        s->act_fin = calloc((size_t)n + 1, sizeof *s->act_fin);
        for (int i = 0; s->act_fin && i < n; i++) {
            static const char *const k2[] = {"fy", "in_year", "cumulative", "status", "source", "note", NULL};
            jv e;
            jv_at(&f, i, &e);
            if (!jv_want(ld, &e, cJSON_Object, "{\"fy\": \"2024-25\", \"in_year\": -9200000}")) continue;
            jv_check_keys(ld, &e, k2);
            actual_fin *a = &s->act_fin[s->nact_fin];
            if (!jv_fy(ld, &e, "fy", 1, &a->fy)) continue;
            a->has_in_year = jv_num(ld, &e, "in_year", 0, -1e12, 1e12, &a->in_year);
            a->has_cumulative = jv_num(ld, &e, "cumulative", 0, -1e12, 1e12, &a->cumulative);
            const char *st = "outturn";
            if (jv_str(ld, &e, "status", 0, &st) && strcmp(st, "outturn") && strcmp(st, "forecast") &&
                strcmp(st, "budget"))
                ld_err(ld, HNB_E_RANGE, &e, "status", "outturn, forecast or budget", "unknown status \"%s\"", st);
            a->status = dupstr(st);
            a->source = dupstr(e.source);
            s->nact_fin++;
        }
    }
}

static void read_montecarlo(loader *ld, scenario *s, const jv *v)
{
    static const char *const keys[] = {"count_noise", "balance_by", "deficit_threshold", "source", "note", NULL};
    s->balance_by_fy = (int)(s->override_end / 12.0) - 1;
    s->deficit_threshold = 0.0;
    jv mc;
    if (!jv_get(v, "montecarlo", &mc) ||
        !jv_want(ld, &mc, cJSON_Object, "{\"count_noise\": false, \"balance_by\": \"2027-28\"}"))
        return;
    jv_check_keys(ld, &mc, keys);
    jv noise;
    if (jv_get(&mc, "count_noise", &noise)) {
        if (cJSON_IsBool(jv_top(&noise)))
            s->count_noise = cJSON_IsTrue(jv_top(&noise));
        else
            ld_err(ld, HNB_E_TYPE, &noise, NULL, "true or false", "not a boolean");
    }
    if (jv_fy(ld, &mc, "balance_by", 0, &s->balance_by_fy) && !s->backtest &&
        (s->balance_by_fy < s->first_fy || s->balance_by_fy > s->last_fy))
        ld_err(ld, HNB_E_RANGE, &mc, "balance_by", "a financial year within the horizon", "outside the horizon");
    jv_num(ld, &mc, "deficit_threshold", 0, 0.0, 1e12, &s->deficit_threshold);
}

static const char *const scenario_keys[] = {
    "label",         "description",     "extends",       "source",     "note",     "horizon",
    "override_end",  "opening_balance", "interest_rate", "max_age",    "stocks",   "leavers",
    "moves",         "joiners",         "placements",    "needs",      "spend",    "funding",
    "interventions", "actuals",         "montecarlo",    "cost_scale", "backtest", NULL};
/* A backtest block overrides settings of its scenario like a child would,
 * but it cannot extend, nest, or bring actions (the back-test runs the
 * scenario's own): these keys of a scenario are refused in it. */
static const char *const not_in_backtest[] = {"extends", "backtest", "interventions", NULL};

static scenario *read_scenario(loader *ld, const srcfile *file, const char *name, unsigned flags)
{
    chainlink chain[JV_MAX];
    int nchain = resolve_chain(ld, file, name, chain);
    if (!nchain) return NULL;
    scenario *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->parent = -1;
    s->name = dupstr(name);
    s->file = dupstr(file->name);
    jv v;
    jv_root(&v, chain[0].scen, chain[0].file.name, chain[0].path);
    for (int k = 1; k < nchain; k++) jv_push(&v, chain[k].scen, chain[k].file.name, chain[k].path);
    jv_check_keys(ld, &v, scenario_keys);
    if (flags & HNB_LOAD_BACKTEST) {
        /* the backtest block overrides the scenario, as a child would */
        jv bt, over;
        int has = jv_get(&v, "backtest", &bt); /* own or inherited; none: not back-tested */
        if (!has || !jv_want(ld, &bt, cJSON_Object, "an object of overrides: stocks, opening_balance ...")) {
            free(s->name);
            free(s->file);
            free(s);
            return NULL;
        }
        jv_check_keys(ld, &bt, scenario_keys);
        for (const char *const *k = not_in_backtest; *k; k++)
            if (cJSON_GetObjectItemCaseSensitive(jv_top(&bt), *k))
                ld_err(ld, HNB_E_KEY, &bt, *k, "only settings to override: stocks, opening_balance, horizon ...",
                       "not allowed in a backtest block (the back-test runs the scenario's own actions)");
        over = bt;
        for (int k = 0; k < v.n; k++) jv_push(&over, v.node[k], v.file[k], v.path[k]);
        v = over;
        s->backtest = 1;
    }
    const char *label = name, *desc = "", *ext = NULL;
    jv_str(ld, &v, "label", 0, &label);
    jv_str(ld, &v, "description", 0, &desc);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(chain[0].scen, "extends");
    if (cJSON_IsString(e)) ext = e->valuestring;
    s->label = dupstr(label);
    s->description = dupstr(desc);
    s->extends = ext ? dupstr(ext) : NULL;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(file->doc, "title");
    const cJSON *au = cJSON_GetObjectItemCaseSensitive(file->doc, "authority");
    const cJSON *so = cJSON_GetObjectItemCaseSensitive(file->doc, "source");
    s->title = dupstr(cJSON_IsString(t) ? t->valuestring : "");
    s->authority = dupstr(cJSON_IsString(au) ? au->valuestring : "");
    s->source_note = dupstr(cJSON_IsString(so) ? so->valuestring : "");
    s->nages = NAGES;
    int max_age = NAGES - 1;
    if (jv_int(ld, &v, "max_age", 0, 1, 30, &max_age)) s->nages = max_age + 1;

    read_placements(ld, s, &v);
    read_needs(ld, s, &v);
    read_stocks(ld, s, &v);
    s->first_fy = s->census0;
    s->last_fy = s->census0 + 5;
    jv_fy(ld, &v, "horizon", 0, &s->last_fy);
    if (s->census0 && s->last_fy < s->first_fy) {
        char a[8];
        fy_format(s->first_fy, a);
        jv h;
        jv_get(&v, "horizon", &h);
        ld_err(ld, HNB_E_RANGE, &h, NULL, "a financial year from the first projected one", "horizon ends before %s", a);
        s->last_fy = s->first_fy;
    }
    hnb_date od = {s->census0 + 3, 3, 31};
    double om = date_months(od);
    snprintf(s->override_text, sizeof s->override_text, "%04u-03-31", (unsigned)(s->census0 + 3) % 10000u);
    if (jv_date(ld, &v, "override_end", 0, &om, s->override_text)) {
        hnb_date d;
        date_parse(s->override_text, &d);
        if (d.m != 3 || d.d != 31) {
            jv o;
            jv_get(&v, "override_end", &o);
            ld_err(ld, HNB_E_RANGE, &o, NULL, "31 March of a year (the end of a financial year)", "%s",
                   s->override_text);
        }
    }
    s->override_end = om;

    jv ps;
    if (jv_get(&v, "placements", &ps) && cJSON_IsObject(jv_top(&ps))) {
        for (int p = 0; p < s->nplace; p++) read_placement_detail(ld, s, &ps, p);
        for (int p = 0; p < s->nplace; p++) read_placement_links(ld, s, &ps, p);
        check_overflow_cycles(ld, s, &ps);
    }
    read_leavers(ld, s, &v);
    read_moves(ld, s, &v);
    read_joiners(ld, s, &v);
    read_lines(ld, s, &v, "spend", &s->other, &s->nother, 0);
    read_lines(ld, s, &v, "funding", &s->fund, &s->nfund, 1);
    if (find_line(s->fund, s->nfund, "hnb_allocation") < 0) {
        jv f;
        if (jv_get(&v, "funding", &f))
            ld_err(ld, HNB_E_MISSING, &f, "hnb_allocation", "the High Needs Block allocation line",
                   "missing required key");
        else
            ld_err(ld, HNB_E_MISSING, &v, "funding",
                   "{\"hnb_allocation\": {\"amount\": ..., \"fy\": ..., \"growth\": ...}}", "missing required key");
    }
    static const parspec bal = {
        "£ at 1 April of the first financial year (negative = deficit)", -1e12, 1e12, 0.0, 1, 1, 0};
    static const parspec rate = {"interest rate per year on the average deficit", 0.0, 1.0, 0.0, 0, 1, 0};
    s->balance = par_read(ld, s, &v, "opening_balance", &bal);
    static const parspec scale = {"multiplier of every placement's unit cost", 0.1, 10.0, 1.0, 0, 1, 0};
    s->cost_scale = par_read(ld, s, &v, "cost_scale", &scale);
    s->interest = par_read(ld, s, &v, "interest_rate", &rate);
    read_interventions(ld, s, chain, nchain);
    read_actuals(ld, s, &v);
    read_montecarlo(ld, s, &v);
    return s;
}

/* ---- a whole file ------------------------------------------------------ */

static const char *const file_keys[] = {"format", "title",     "authority",   "source", "description",
                                        "note",   "scenarios", "calibration", NULL};

/* The calibration block (read by calibrate.c): its shape is checked here so
 * that `hnbsim validate` reports a mistake before a calibration is tried.
 * Whether each name in "fit" and "holdout.set" is one assumption is known only
 * once the scenario is read through its backtest block, so calibrate checks it. */
static void check_calibration(loader *ld, const jv *top)
{
    static const char *const keys[] = {"scenario", "fit", "holdout", "source", "note", NULL};
    static const char *const hkeys[] = {"census", "fy", "set", "source", "note", NULL};
    jv cal, x;
    if (!jv_get(top, "calibration", &cal)) return;
    if (!jv_want(ld, &cal, cJSON_Object, "{\"scenario\": \"baseline\", \"fit\": [\"cost_scale\"], \"holdout\": {...}}"))
        return;
    jv_check_keys(ld, &cal, keys);
    const char *name = NULL;
    if (jv_str(ld, &cal, "scenario", 0, &name) &&
        !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(file_scenarios(jv_top(top)), name)))
        ld_err(ld, HNB_E_REF, &cal, "scenario", "the name of a scenario in the file", "no scenario \"%s\"", name);
    if (jv_get(&cal, "fit", &x) &&
        jv_want(ld, &x, cJSON_Array, "a list of assumption names such as [\"cost_scale\"]")) {
        for (int i = 0; i < jv_size(&x); i++) {
            jv e;
            jv_at(&x, i, &e);
            if (!cJSON_IsString(jv_top(&e)) || !jv_top(&e)->valuestring[0])
                ld_err(ld, HNB_E_TYPE, &e, NULL, "the end of an assumption's JSON path, such as \"cost_scale\"",
                       "not a name");
        }
    }
    jv ho;
    if (!jv_get(&cal, "holdout", &ho) || !jv_want(ld, &ho, cJSON_Object, "{\"census\": 2024, \"fy\": \"2024-25\"}"))
        return;
    jv_check_keys(ld, &ho, hkeys);
    int census, fy;
    jv_int(ld, &ho, "census", 0, 1990, 2200, &census);
    jv_fy(ld, &ho, "fy", 0, &fy);
    if (jv_get(&ho, "set", &x) &&
        jv_want(ld, &x, cJSON_Object, "{\"joiners.growth\": 0.1}: assumption names and values"))
        for (const cJSON *c = jv_top(&x)->child; c; c = c->next)
            if (!cJSON_IsNumber(c)) {
                jv one;
                jv_get(&x, c->string, &one);
                jv_want(ld, &one, cJSON_Number, "a number: the value the hold-out assumes");
            }
}

int scenario_load_text(hnb_model *h, const char *name, const char *text, size_t len, int embedded, unsigned flags)
{
    err_clear(h);
    cJSON *doc = parse_json(h, name, text, len);
    if (!doc) return HNB_E_SYNTAX;
    cJSON_AddItemToArray(h->docs, doc);
    loader ld = {h, 0, NULL, 0, 0, cJSON_GetArraySize(h->docs) - 1};
    srcfile file = {doc, name, embedded};
    jv top;
    jv_root(&top, doc, name, "");
    size_t first_new = h->nscen;
    if (!jv_want(&ld, &top, cJSON_Object, "an object with \"scenarios\"")) goto done;
    jv_check_duplicates(&ld, doc, name, "");
    jv_check_keys(&ld, &top, file_keys);
    static const char *const texts[] = {"title", "authority", "description", NULL};
    for (const char *const *k = texts; *k; k++) {
        const char *t;
        jv_str(&ld, &top, *k, 0, &t);
    }
    const char *fmt = NULL;
    if (jv_str(&ld, &top, "format", 1, &fmt) && strcmp(fmt, "hnbsim-scenarios") != 0)
        ld_err(&ld, HNB_E_RANGE, &top, "format", "\"hnbsim-scenarios\"", "found \"%s\"", fmt);
    jv sc;
    if (!jv_get(&top, "scenarios", &sc)) {
        ld_err(&ld, HNB_E_MISSING, &top, "scenarios", "an object of named scenarios", "missing required key");
        goto done;
    }
    if (!jv_want(&ld, &sc, cJSON_Object, "an object of named scenarios") || !jv_top(&sc)->child) {
        if (cJSON_IsObject(jv_top(&sc))) ld_err(&ld, HNB_E_MISSING, &sc, NULL, "at least one scenario", "no scenarios");
        goto done;
    }
    for (const cJSON *e = jv_top(&sc)->child; e; e = e->next) {
        if (!cJSON_IsObject(e)) {
            jv one;
            jv_get(&sc, e->string, &one);
            jv_want(&ld, &one, cJSON_Object, "a scenario object");
            continue;
        }
        /* validate what `hnbsim backtest` and `calibrate` would read as well */
        if (!(flags & HNB_LOAD_BACKTEST))
            scenario_free(read_scenario(&ld, &file, e->string, flags | HNB_LOAD_BACKTEST));
        scenario *s = read_scenario(&ld, &file, e->string, flags);
        if (!s) continue;
        scenario **t = realloc(h->scen, (h->nscen + 1) * sizeof *t);
        if (!t) {
            scenario_free(s);
            ld.nerr++;
            break;
        }
        h->scen = t;
        h->scen[h->nscen++] = s;
    }
    check_calibration(&ld, &top);
    /* link each child to its parent when the parent is in this file */
    for (size_t i = first_new; i < h->nscen; i++) {
        scenario *s = h->scen[i];
        if (!s->extends || strchr(s->extends, '#')) continue;
        for (size_t k = first_new; k < h->nscen; k++)
            if (strcmp(h->scen[k]->name, s->extends) == 0) s->parent = (int)k;
    }
done:
    free(ld.checked);
    if (ld.nerr || err_count(h)) {
        for (size_t i = first_new; i < h->nscen; i++) scenario_free(h->scen[i]);
        h->nscen = first_new;
        return err_first(h) ? err_first(h) : HNB_E_INVALID;
    }
    char **in = realloc(h->inputs, (h->ninputs + 1) * sizeof *in);
    if (!in) return err_set(h, HNB_E_NOMEM, "out of memory");
    h->inputs = in;
    h->inputs[h->ninputs++] = dupstr(name);
    return HNB_OK;
}

/* ---- the public entry points ------------------------------------------- */

const char *hnb_embedded_text(const char *name)
{
    for (const struct hnb_embedded_file *f = hnb_embedded_files; f->name; f++)
        if (strcmp(f->name, name) == 0) return f->text;
    return NULL;
}

int hnb_load_file(hnb_model *h, const char *path) { return hnb_load_file_ex(h, path, 0); }
int hnb_load_embedded(hnb_model *h) { return hnb_load_embedded_ex(h, 0); }

int hnb_load_file_ex(hnb_model *h, const char *path, unsigned flags)
{
    char *text = NULL;
    size_t len = 0;
    int rc = file_read_text(h, path, &text, &len);
    if (rc) return rc;
    rc = scenario_load_text(h, path, text, len, 0, flags);
    free(text);
    return rc;
}

int hnb_load_embedded_ex(hnb_model *h, unsigned flags)
{
    const char *t = hnb_embedded_text("sutton.json");
    if (!t)
        return err_set(h, HNB_E_INTERNAL,
                       "(embedded) sutton.json: not compiled in (expected scenarios/sutton/sutton.json)");
    return scenario_load_text(h, "(embedded) sutton.json", t, strlen(t), 1, flags);
}
