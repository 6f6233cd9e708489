/* sweepfile.c: the sweep file reader (sweepfile.h, docs/sweeps.md).
 *
 * A sweep file names a base scenario file and scenario, the figures to
 * report, and a list of sweeps (tornado, spider, grid, batch, goal_seek,
 * sobol). This file checks its shape and numbers only: whether a named
 * assumption exists, and whether a figure's year lies in the scenario's
 * horizon, is the job's to check (api/sweep.c), since only it has the
 * scenario. Paths to other files are taken relative to the sweep file's
 * folder, as `extends` is. Every problem is listed through the loader's
 * error list, then one code is returned; nothing is half-filled on error. */
#define _POSIX_C_SOURCE 200809L
#include "input/sweepfile.h"

#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/jsyntax.h"
#include "core/jtext.h"
#include "core/fileout.h"
#include "input/jview.h"

static const char *const top_keys[] = {"format",   "title",   "source", "note", "scenario_file",
                                       "scenario", "figures", "sweeps", NULL};
static const char *const sweep_keys[] = {"name",      "type",       "figure", "assumptions", "assumption", "changes",
                                         "threshold", "files",      "target", "tolerance",   "samples",    "bootstrap",
                                         "seed",      "confidence", "source", "note",        NULL};
static const char *const as_keys[] = {"name", "label", "low", "high", "values", "min", "max", "source", "note", NULL};
static const char *const kinds[] = {"tornado", "spider", "grid", "batch", "goal_seek", "sobol", NULL};

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* A path relative to the folder of `base` (unless absolute). */
static char *beside(const char *base, const char *rel)
{
    if (rel[0] == '/') return strdup(rel);
    const char *slash = strrchr(base, '/');
    if (!slash) return strdup(rel);
    size_t n = (size_t)(slash - base);
    char *out = malloc(n + strlen(rel) + 2);
    if (out) snprintf(out, n + strlen(rel) + 2, "%.*s/%s", (int)n, base, rel);
    return out;
}

static const struct {
    const char *name;
    enum figure_kind kind;
} headlines[] = {
    {"cumulative_at_override_end", FIG_AT_OVERRIDE_END},
    {"cumulative_at_horizon", FIG_AT_HORIZON},
    {"peak_deficit", FIG_PEAK_DEFICIT},
    {"interest_to_override_end", FIG_INTEREST_TO_OVERRIDE_END},
    {"interest_to_horizon", FIG_INTEREST_TO_HORIZON},
};
#define NHEADLINES (sizeof headlines / sizeof headlines[0])
static const char *const yearly[] = {"cumulative", "in_year", "spend", "funding", "ehcps", NULL};
static const char *const fig_expected =
    "a headline figure (cumulative_at_override_end, cumulative_at_horizon, peak_deficit, interest_to_override_end, "
    "interest_to_horizon) or an object such as {\"in_year\": \"2027-28\"}, {\"cumulative\": \"2028-03-31\"}, "
    "{\"ehcps\": 2030}";

/* One figure; returns 1 and fills f when well formed. */
static int read_figure(loader *ld, const jv *v, sweep_figure *f)
{
    memset(f, 0, sizeof *f);
    const cJSON *c = jv_top(v);
    if (cJSON_IsString(c)) {
        for (size_t i = 0; i < NHEADLINES; i++)
            if (strcmp(c->valuestring, headlines[i].name) == 0) {
                f->kind = headlines[i].kind;
                f->money = 1;
                snprintf(f->id, sizeof f->id, "%s", headlines[i].name);
                return 1;
            }
        ld_err(ld, HNB_E_RANGE, v, NULL, fig_expected, "unknown figure \"%s\"", c->valuestring);
        return 0;
    }
    if (!cJSON_IsObject(c) || cJSON_GetArraySize(c) != 1) {
        ld_err(ld, HNB_E_TYPE, v, NULL, fig_expected, "not a figure");
        return 0;
    }
    const cJSON *e = c->child;
    int k = 0;
    while (yearly[k] && strcmp(yearly[k], e->string) != 0) k++;
    if (!yearly[k]) {
        ld_err(ld, HNB_E_KEY, v, e->string, fig_expected, "unknown figure");
        return 0;
    }
    jv ev;
    jv_get(v, e->string, &ev);
    if (k == 4) { /* ehcps at a January census */
        int census = 0;
        if (!jv_int(ld, v, "ehcps", 1, 1990, 2200, &census)) return 0;
        f->kind = FIG_EHCPS;
        f->when = census;
        snprintf(f->id, sizeof f->id, "ehcps_jan_%d", census);
        return 1;
    }
    int fy = 0;
    hnb_date d;
    if (k == 0 && cJSON_IsString(e) && date_parse(e->valuestring, &d) == 0) {
        if (d.m != 3 || d.d != 31) {
            ld_err(ld, HNB_E_RANGE, &ev, NULL, "31 March, the end of a financial year, such as \"2028-03-31\"",
                   "found \"%s\"", e->valuestring);
            return 0;
        }
        fy = d.y - 1;
    } else if (!cJSON_IsString(e) || fy_parse(e->valuestring, &fy) != 0) {
        ld_err(ld, HNB_E_RANGE, &ev, NULL,
               k == 0 ? "a financial year such as \"2027-28\" or its last day \"2028-03-31\""
                      : "a financial year such as \"2027-28\"",
               "not a financial year");
        return 0;
    }
    static const enum figure_kind fk[] = {FIG_CUMULATIVE, FIG_IN_YEAR, FIG_SPEND, FIG_FUNDING};
    f->kind = fk[k];
    f->when = fy;
    f->money = 1;
    snprintf(f->id, sizeof f->id, "%s_%d_%02d", yearly[k], fy, (fy + 1) % 100);
    return 1;
}

/* The index of figure f in the file's list, adding it if new; -1 if out of memory. */
static int figure_index(sweep_file *out, const sweep_figure *f)
{
    for (size_t i = 0; i < out->nfig; i++)
        if (strcmp(out->fig[i].id, f->id) == 0) return (int)i;
    sweep_figure *t = realloc(out->fig, (out->nfig + 1) * sizeof *t);
    if (!t) return -1;
    out->fig = t;
    out->fig[out->nfig] = *f;
    return (int)out->nfig++;
}

static int read_numbers(loader *ld, const jv *v, const char *key, int required, double **out, size_t *n)
{
    jv a;
    *out = NULL;
    *n = 0;
    if (!jv_get(v, key, &a)) {
        if (required) ld_err(ld, HNB_E_MISSING, v, key, "an array of numbers", "missing required key");
        return !required;
    }
    if (!jv_want(ld, &a, cJSON_Array, "an array of numbers")) return 0;
    int m = jv_size(&a);
    if (m == 0) {
        ld_err(ld, HNB_E_RANGE, &a, NULL, "at least one number", "empty array");
        return 0;
    }
    *out = calloc((size_t)m, sizeof **out);
    if (!*out) return 0;
    for (int i = 0; i < m; i++) {
        jv e;
        jv_at(&a, i, &e);
        if (!jv_want(ld, &e, cJSON_Number, "a number")) return 0;
        (*out)[i] = jv_top(&e)->valuedouble;
    }
    *n = (size_t)m;
    return 1;
}

static void read_assumption(loader *ld, const jv *e, sweep_assumption *a, enum sweep_kind kind)
{
    snprintf(a->where, sizeof a->where, "%s", e->path[0]);
    a->par = (size_t)-1;
    const cJSON *c = jv_top(e);
    if (cJSON_IsString(c)) {
        a->name = strdup(c->valuestring);
    } else if (cJSON_IsObject(c)) {
        jv_check_keys(ld, e, as_keys);
        const char *name = NULL, *label = NULL;
        if (jv_str(ld, e, "name", 1, &name)) a->name = strdup(name);
        if (jv_str(ld, e, "label", 0, &label)) a->label = strdup(label);
        a->has_low = jv_num(ld, e, "low", 0, -INFINITY, INFINITY, &a->low);
        a->has_high = jv_num(ld, e, "high", 0, -INFINITY, INFINITY, &a->high);
        if (a->has_low != a->has_high)
            ld_err(ld, HNB_E_MISSING, e, a->has_low ? "high" : "low", "both low and high, or neither",
                   "missing: the other is given");
        int hmin = jv_num(ld, e, "min", 0, -INFINITY, INFINITY, &a->min);
        int hmax = jv_num(ld, e, "max", 0, -INFINITY, INFINITY, &a->max);
        a->has_range = hmin && hmax;
        if (hmin != hmax)
            ld_err(ld, HNB_E_MISSING, e, hmin ? "max" : "min", "both min and max", "missing: the other is given");
        if (a->has_range && !(a->min < a->max))
            ld_err(ld, HNB_E_RANGE, e, "max", "max above min", "max %g is not above min %g", a->max, a->min);
        read_numbers(ld, e, "values", kind == SWEEP_GRID, &a->values, &a->nvalues);
    } else {
        ld_err(ld, HNB_E_TYPE, e, NULL, "an assumption's name, or an object {\"name\": ..., ...}", "not an assumption");
        return;
    }
    if (kind == SWEEP_GRID && cJSON_IsString(c))
        ld_err(ld, HNB_E_MISSING, e, NULL, "an object with \"values\": [...]", "a grid needs the values to take");
    if (kind == SWEEP_GOAL && !a->has_range)
        ld_err(ld, HNB_E_MISSING, e, NULL, "\"min\" and \"max\": the range to search", "a goal seek needs its range");
}

static void read_files(loader *ld, const jv *sv, const char *path, sweep_spec *sp)
{
    jv f;
    if (!jv_get(sv, "files", &f)) {
        ld_err(ld, HNB_E_MISSING, sv, "files", "a list of scenario files or a glob such as \"scenarios/*.json\"",
               "missing required key");
        return;
    }
    const cJSON *c = jv_top(&f);
    if (cJSON_IsString(c)) {
        char *pat = beside(path, c->valuestring);
        glob_t g;
        memset(&g, 0, sizeof g);
        if (pat && glob(pat, 0, NULL, &g) == 0 && g.gl_pathc > 0) {
            sp->files = calloc(g.gl_pathc, sizeof *sp->files);
            for (size_t i = 0; sp->files && i < g.gl_pathc; i++) sp->files[sp->nfiles++] = strdup(g.gl_pathv[i]);
        } else {
            ld_err(ld, HNB_E_OPEN, &f, NULL, "a glob that matches at least one scenario file", "no file matches \"%s\"",
                   pat ? pat : c->valuestring);
        }
        globfree(&g);
        free(pat);
        return;
    }
    if (!jv_want(ld, &f, cJSON_Array, "a list of scenario files or a glob")) return;
    int n = jv_size(&f);
    if (n == 0) {
        ld_err(ld, HNB_E_RANGE, &f, NULL, "at least one scenario file", "empty list");
        return;
    }
    sp->files = calloc((size_t)n, sizeof *sp->files);
    for (int i = 0; sp->files && i < n; i++) {
        jv e;
        jv_at(&f, i, &e);
        if (jv_want(ld, &e, cJSON_String, "a scenario file's path"))
            sp->files[sp->nfiles++] = beside(path, jv_top(&e)->valuestring);
    }
}

static void read_sweep(loader *ld, const jv *sv, const char *path, int idx, sweep_file *out, sweep_spec *sp)
{
    jv_check_keys(ld, sv, sweep_keys);
    const char *type = NULL, *name = NULL;
    if (jv_str(ld, sv, "type", 1, &type)) {
        int k = 0;
        while (kinds[k] && strcmp(kinds[k], type) != 0) k++;
        if (!kinds[k])
            ld_err(ld, HNB_E_RANGE, sv, "type", "tornado, spider, grid, batch, goal_seek or sobol",
                   "unknown sweep \"%s\"", type);
        else
            sp->kind = (enum sweep_kind)k;
    }
    char def[32];
    snprintf(def, sizeof def, "%s-%d", type ? type : "sweep", idx + 1);
    sp->name = strdup(jv_str(ld, sv, "name", 0, &name) ? name : def);
    for (char *p = sp->name; *p; p++) /* a file-name-safe name */
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_'))
            *p = '-';
    jv fv;
    sp->figure = 0;
    if (jv_get(sv, "figure", &fv)) {
        sweep_figure f;
        if (read_figure(ld, &fv, &f)) sp->figure = figure_index(out, &f);
    }
    jv as;
    if (sp->kind == SWEEP_GOAL) {
        if (jv_get(sv, "assumption", &as)) {
            sp->as = calloc(1, sizeof *sp->as);
            if (sp->as) {
                sp->nas = 1;
                read_assumption(ld, &as, sp->as, sp->kind);
            }
        } else {
            ld_err(ld, HNB_E_MISSING, sv, "assumption", "{\"name\": ..., \"min\": ..., \"max\": ...}",
                   "missing required key");
        }
        jv_num(ld, sv, "target", 1, -INFINITY, INFINITY, &sp->target);
        sp->xtol = 1e-9;
        jv_num(ld, sv, "tolerance", 0, 0.0, INFINITY, &sp->xtol);
    } else if (sp->kind != SWEEP_BATCH && jv_get(sv, "assumptions", &as)) {
        if (jv_want(ld, &as, cJSON_Array, "a list of assumptions")) {
            int n = jv_size(&as);
            sp->as = calloc((size_t)n + 1, sizeof *sp->as);
            for (int i = 0; sp->as && i < n; i++) {
                jv e;
                jv_at(&as, i, &e);
                read_assumption(ld, &e, &sp->as[sp->nas++], sp->kind);
            }
            if (n == 0) ld_err(ld, HNB_E_RANGE, &as, NULL, "at least one assumption", "empty list");
        }
    } else if (sp->kind != SWEEP_BATCH && sp->kind != SWEEP_SOBOL) {
        ld_err(ld, HNB_E_MISSING, sv, "assumptions", "a list of assumptions", "missing required key");
    }
    if (sp->kind == SWEEP_GRID && sp->nas > 0 && sp->nas < 2)
        ld_err(ld, HNB_E_RANGE, sv, "assumptions", "two or more assumptions for a grid", "only one");
    if (sp->kind == SWEEP_SPIDER) {
        if (!jv_get(sv, "changes", &as)) {
            static const double d[] = {-0.2, -0.1, 0.0, 0.1, 0.2};
            sp->changes = malloc(sizeof d);
            if (sp->changes) memcpy(sp->changes, d, sizeof d);
            sp->nchanges = sp->changes ? 5 : 0;
        } else {
            read_numbers(ld, sv, "changes", 1, &sp->changes, &sp->nchanges);
            for (size_t i = 0; i < sp->nchanges; i++)
                if (!(sp->changes[i] > -1.0 && sp->changes[i] < 10.0))
                    ld_err(ld, HNB_E_RANGE, sv, "changes", "relative changes above -1 (-0.2 = 20% lower)",
                           "element %zu is %g", i, sp->changes[i]);
        }
    }
    if (sp->kind == SWEEP_GRID) sp->has_threshold = jv_num(ld, sv, "threshold", 0, -INFINITY, INFINITY, &sp->threshold);
    if (sp->kind == SWEEP_BATCH) read_files(ld, sv, path, sp);
    if (sp->kind == SWEEP_SOBOL) {
        double x = 1000, b = 200, seed = 1;
        jv_num(ld, sv, "samples", 0, 16, 1e7, &x);
        jv_num(ld, sv, "bootstrap", 0, 0, 1e5, &b);
        jv_num(ld, sv, "seed", 0, 0, 9007199254740992.0, &seed);
        sp->confidence = 0.95;
        jv_num(ld, sv, "confidence", 0, 0.5, 0.999, &sp->confidence);
        sp->samples = (size_t)x;
        sp->bootstrap = (size_t)b;
        sp->seed = (uint64_t)seed;
    }
}

void sweepfile_free(sweep_file *f)
{
    for (size_t i = 0; i < f->nsw; i++) {
        sweep_spec *sp = &f->sw[i];
        for (size_t j = 0; j < sp->nas; j++) {
            free(sp->as[j].name);
            free(sp->as[j].label);
            free(sp->as[j].values);
        }
        for (size_t j = 0; j < sp->nfiles; j++) free(sp->files[j]);
        free(sp->files);
        free(sp->as);
        free(sp->changes);
        free(sp->name);
    }
    free(f->sw);
    free(f->fig);
    free(f->path);
    free(f->title);
    free(f->scenario_file);
    free(f->scenario);
    memset(f, 0, sizeof *f);
}

int sweepfile_read(hnb_model *h, const char *path, sweep_file *out)
{
    memset(out, 0, sizeof *out);
    err_clear(h);
    char *text = NULL;
    size_t len = 0;
    int rc = file_read_text(h, path, &text, &len);
    if (rc) return rc;
    /* a NUL byte cuts a string short and invalid UTF-8 would reach every
     * output: both refused with the place, as in scenario files (core/jtext.h) */
    if (jtext_check_nul(h, HNB_E_SYNTAX, path, text, len)) {
        free(text);
        return HNB_E_SYNTAX;
    }
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (doc && jtext_check_utf8(h, HNB_E_SYNTAX, path, doc, "")) {
        cJSON_Delete(doc);
        free(text);
        return HNB_E_SYNTAX;
    }
    if (!doc && alloc_json_valid(text, len)) {
        free(text);
        alloc_note_failure();
        return err_set(h, HNB_E_NOMEM, "%s: out of memory (parsing the sweep file)", path);
    }
    if (!doc) {
        /* line, column, the line and the probable mistake (core/jsyntax.h) */
        rc = jsyntax_error(h, HNB_E_SYNTAX, path, "a sweep file (docs/sweeps.md)", text, len, end, 1);
        free(text);
        return rc;
    }
    free(text);
    loader ld = {h, 0, NULL, 0, 0, 0, 0, NULL, alloc_failures()};
    jv root;
    jv_root(&root, doc, path, "");
    jv_check_duplicates(&ld, doc, path, "");
    if (jv_want(&ld, &root, cJSON_Object, "an object (a sweep file, docs/sweeps.md)")) {
        jv_check_keys(&ld, &root, top_keys);
        const char *fmt = NULL, *s = NULL;
        if (jv_str(&ld, &root, "format", 1, &fmt) && strcmp(fmt, "hnbsim-sweep") != 0)
            ld_err(&ld, HNB_E_RANGE, &root, "format", "\"hnbsim-sweep\"", "found \"%s\"", fmt);
        out->path = strdup(path);
        out->title = strdup(jv_str(&ld, &root, "title", 0, &s) ? s : "");
        if (jv_str(&ld, &root, "scenario_file", 0, &s)) out->scenario_file = beside(path, s);
        if (jv_str(&ld, &root, "scenario", 0, &s)) out->scenario = dup_or_null(s);
        jv figs, sws;
        if (jv_get(&root, "figures", &figs) && jv_want(&ld, &figs, cJSON_Array, "a list of figures")) {
            for (int i = 0; i < jv_size(&figs); i++) {
                jv e;
                sweep_figure f;
                jv_at(&figs, i, &e);
                if (read_figure(&ld, &e, &f) && figure_index(out, &f) < 0) rc = HNB_E_NOMEM;
            }
        }
        if (!out->nfig) { /* the default: the cumulative position when the override ends */
            sweep_figure f = {FIG_AT_OVERRIDE_END, 0, "cumulative_at_override_end", "", 1};
            if (figure_index(out, &f) < 0) rc = HNB_E_NOMEM;
        }
        if (jv_get(&root, "sweeps", &sws) && jv_want(&ld, &sws, cJSON_Array, "a list of sweeps")) {
            int n = jv_size(&sws);
            out->sw = calloc((size_t)n + 1, sizeof *out->sw);
            if (!out->sw) rc = HNB_E_NOMEM;
            for (int i = 0; out->sw && i < n; i++) {
                jv e;
                jv_at(&sws, i, &e);
                if (jv_want(&ld, &e, cJSON_Object, "a sweep: an object with a \"type\""))
                    read_sweep(&ld, &e, path, i, out, &out->sw[out->nsw++]);
            }
            for (size_t i = 0; i < out->nsw; i++)
                for (size_t j = 0; j < i; j++)
                    if (strcmp(out->sw[i].name, out->sw[j].name) == 0)
                        ld_err(&ld, HNB_E_KEY, &sws, NULL, "a different name for each sweep",
                               "two sweeps are named \"%s\"", out->sw[i].name);
            if (n == 0) ld_err(&ld, HNB_E_RANGE, &sws, NULL, "at least one sweep", "empty list");
        } else if (!jv_get(&root, "sweeps", &sws)) {
            ld_err(&ld, HNB_E_MISSING, &root, "sweeps", "a list of sweeps", "missing required key");
        }
    }
    free(ld.checked);
    cJSON_Delete(doc);
    if (!rc && ld.nerr) rc = err_first(h);
    if (rc) sweepfile_free(out);
    return rc;
}
