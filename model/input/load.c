/* load.c: reading scenario files into scenarios (scenario.h).
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
 * the file (keys, units, defaults) is documented in docs/scenario-format.md.
 *
 * This file reads files, resolves the `extends` chain, and reads one scenario
 * by calling the section readers (sections.h) in order; it also holds the
 * public hnb_load_* entry points. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "core/scenario.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/alloc.h"
#include "core/error.h"
#include "input/jview.h"
#include "core/model.h"
#include "core/fileout.h"
#include "core/jsyntax.h"
#include "core/jtext.h"
#include "input/load.h"
#include "input/params.h"
#include "input/keys.h"
#include "input/sections.h"

struct hnb_embedded_file {
    const char *name;
    const char *text;
};
extern const struct hnb_embedded_file hnb_embedded_files[];

#define NAGES 26 /* ages 0 to 25 by default: every plan ceases after the last age */

/* ---- reading files ------------------------------------------------------ */

/* Parse text as JSON; a syntax error is told with its line, column and
 * probable mistake (core/jsyntax.h). A NUL byte or invalid UTF-8 in any
 * string refuses the file (core/jtext.h). The line of a syntax error is
 * quoted only for the file the user named (quote != 0): a file reached
 * through `extends` may be any file, and its content is not echoed. */
static cJSON *parse_json(hnb_model *h, const char *name, const char *text, size_t len, int quote)
{
    if (jtext_check_nul(h, HNB_E_SYNTAX, name, text, len)) return NULL;
    const char *end = NULL;
    /* len + 1: cJSON wants to see the terminating NUL when it checks for trailing garbage */
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (doc) {
        if (!jtext_check_utf8(h, HNB_E_SYNTAX, name, doc, "")) return doc;
        cJSON_Delete(doc);
        return NULL;
    }
    if (alloc_json_valid(text, len)) { /* valid JSON that cJSON could not hold */
        alloc_note_failure();
        err_add(h, HNB_E_NOMEM, "%s: out of memory (parsing the file)", name);
        return NULL;
    }
    jsyntax_error(h, HNB_E_SYNTAX, name, "a scenario file in JSON", text, len, end, quote);
    return NULL;
}

/* ---- resolving extends ------------------------------------------------- */

/* Whether path (an existing file) lies in the folder of the file loaded or
 * below it, both resolved (symbolic links, "..") by realpath: 0 inside (or
 * allowed anywhere by HNB_LOAD_ALLOW_OUTSIDE), 1 outside, -1 if path does
 * not exist, -2 out of memory (counted: realpath allocates inside libc). */
int ld_inside_tree(const loader *ld, const char *path)
{
    char *real = realpath(path, NULL);
    if (!real && errno == ENOMEM) alloc_note_failure();
    if (!real) return errno == ENOMEM ? -2 : -1;
    int out = 0;
    if (!(ld->flags & HNB_LOAD_ALLOW_OUTSIDE) && ld->root) {
        const char *slash = strrchr(ld->root, '/');
        char dir[4096];
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - ld->root) + 1 : 1, slash ? ld->root : ".");
        char *rdir = realpath(dir, NULL);
        if (!rdir && errno == ENOMEM) {
            alloc_note_failure();
            free(real);
            return -2;
        }
        size_t n = rdir ? strlen(rdir) : 0;
        out = !rdir || strncmp(real, rdir, n) != 0 || (real[n] != '/' && !(n == 1 && rdir[0] == '/'));
        free(rdir);
    }
    free(real);
    return out;
}

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
        path = ld_strdup(fname);
        if (!text || !path) { /* out of memory: the load fails (alloc_check) */
            free(text);
            free(path);
            ld->nerr++;
            return -2;
        }
    } else {
        const char *slash = strrchr(from->name, '/');
        size_t nd = slash ? (size_t)(slash - from->name + 1) : 0;
        if (fname[0] == '/') nd = 0; /* an absolute path stands as it is */
        path = malloc(nd + strlen(fname) + 1);
        if (!path) return -1;
        memcpy(path, from->name, nd);
        strcpy(path + nd, fname);
        int where = ld_inside_tree(ld, path);
        if (where != 0) {
            free(path);
            if (where == -2) ld->nerr++; /* out of memory: the load fails (alloc_check) */
            return where == -2 ? -2 : where < 0 ? -1 : -3;
        }
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
    size_t mark = h->err.len, count = h->err.count;
    cJSON *doc = text ? parse_json(h, path, text, len, 0) : NULL;
    free(text);
    if (!doc && mark && h->err.len > mark) {
        /* met again through another scenario: the problem is reported once */
        h->err.text[mark] = '\0';
        if (strstr(h->err.text, h->err.text + mark + 1)) {
            h->err.len = mark;
            h->err.count = count;
        } else {
            h->err.text[mark] = '\n';
        }
    }
    if (!doc) {
        free(path);
        ld->nerr++;
        return -2;
    }
    jv_check_duplicates(ld, doc, path, "");
    cJSON_AddItemToArray(h->docs, doc);
    /* keep the name alive with the document */
    cJSON_AddItemToObject(doc, "\x01name", cJSON_CreateString(path));
    free(path);
    const cJSON *nm = cJSON_GetObjectItemCaseSensitive(doc, "\x01name");
    if (!nm) { /* out of memory: the load fails (alloc_check) */
        ld->nerr++;
        return -2;
    }
    out->doc = doc;
    out->name = nm->valuestring;
    out->embedded = from->embedded;
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
        const cJSON *sc = cJSON_GetObjectItemCaseSensitive(ld_file_scenarios(cur.doc), curname);
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
            if (rc == -3) {
                ld_err(ld, HNB_E_EXTENDS, &here, "extends",
                       "a file in the scenario's folder or below it, or --allow-outside to accept it",
                       "parent file \"%s\" is outside the folder of %s", fname, ld->root);
                return 0;
            }
            if (rc) return 0;
            cur = other;
            curname = hash + 1;
        } else {
            curname = ext->valuestring;
        }
        if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(ld_file_scenarios(cur.doc), curname))) {
            const char *best = NULL;
            size_t bestd = (size_t)-1;
            const cJSON *all = ld_file_scenarios(cur.doc);
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

/* The opening balance and the file's own outturn for the year before the
 * first must agree in sign: +6.5m beside a -6.5m outturn is a slip of sign. */
static void check_balance_sign(loader *ld, scenario *s, const jv *v)
{
    jv b, pl;
    if (s->balance == NOPAR || !jv_get(v, "opening_balance", &b)) return;
    if (cJSON_IsObject(jv_top(&b)) && jv_get(&b, "plausible", &pl) && cJSON_IsFalse(jv_top(&pl))) return;
    double open = par_val(s, s->val, s->balance)[0];
    for (size_t i = 0; i < s->nact_fin; i++) {
        const actual_fin *a = &s->act_fin[i];
        if (a->fy != s->first_fy - 1 || !a->has_cumulative || a->cumulative * open >= 0.0) continue;
        char o[32], c[32], m[32], fy[8], exp[200];
        plaus_money(open, o, sizeof o);
        plaus_money(-open, m, sizeof m);
        plaus_money(a->cumulative, c, sizeof c);
        fy_format(a->fy, fy);
        snprintf(exp, sizeof exp,
                 "the sign of the %s outturn (negative = a deficit), or \"plausible\": false to accept it", fy);
        ld_err(ld, HNB_E_PLAUSIBLE, &b, NULL, exp,
               "the opening balance is %s but the file's %s outturn carried forward is %s: did you mean %s?", o, fy, c,
               m);
        return;
    }
}

static scenario *read_scenario(loader *ld, const srcfile *file, const char *name, unsigned flags)
{
    chainlink chain[JV_MAX];
    int nchain = resolve_chain(ld, file, name, chain);
    if (!nchain) return NULL;
    scenario *s = calloc(1, sizeof *s);
    if (!s) {
        ld->nerr++; /* out of memory: the load fails (alloc_check) */
        return NULL;
    }
    s->parent = -1;
    s->name = ld_strdup(name);
    s->file = ld_strdup(file->name);
    jv v;
    jv_root(&v, chain[0].scen, chain[0].file.name, chain[0].path);
    for (int k = 1; k < nchain; k++) jv_push(&v, chain[k].scen, chain[k].file.name, chain[k].path);
    jv_check_keys(ld, &v, ld_keys(KEYS_SCENARIO));
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
        /* it overrides settings like a child would, but it cannot extend, nest,
         * or bring actions (the back-test runs the scenario's own) */
        jv_check_keys(ld, &bt, ld_keys(KEYS_SCENARIO));
        for (const char *const *k = ld_keys(KEYS_BACKTEST_REFUSED); *k; k++)
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
    s->label = ld_strdup(label);
    s->description = ld_strdup(desc);
    s->extends = ext ? ld_strdup(ext) : NULL;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(file->doc, "title");
    const cJSON *au = cJSON_GetObjectItemCaseSensitive(file->doc, "authority");
    const cJSON *so = cJSON_GetObjectItemCaseSensitive(file->doc, "source");
    s->title = ld_strdup(cJSON_IsString(t) ? t->valuestring : "");
    s->authority = ld_strdup(cJSON_IsString(au) ? au->valuestring : "");
    s->source_note = ld_strdup(cJSON_IsString(so) ? so->valuestring : "");
    if (ld_nomem(ld)) goto nomem;
    s->nages = NAGES;
    int max_age = NAGES - 1;
    if (jv_int(ld, &v, "max_age", 0, 1, 30, &max_age)) s->nages = max_age + 1;

    ld_read_placements(ld, s, &v);
    if (ld_nomem(ld)) goto nomem;
    ld_read_needs(ld, s, &v);
    if (ld_nomem(ld)) goto nomem;
    ld_read_stocks(ld, s, &v);
    if (ld_nomem(ld)) goto nomem;
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
    if (s->census0 && s->last_fy - s->first_fy + 1 > LD_MAX_YEARS) {
        char a[8], b[8], exp[120];
        fy_format(s->first_fy, a);
        fy_format(s->first_fy + LD_MAX_YEARS - 1, b);
        snprintf(exp, sizeof exp, "at most %d financial years, %s to %s at the latest", LD_MAX_YEARS, a, b);
        jv h;
        jv_get(&v, "horizon", &h);
        ld_err(ld, HNB_E_RANGE, &h, NULL, exp, "%d financial years from %s: too many to run in reasonable time",
               s->last_fy - s->first_fy + 1, a);
        s->last_fy = s->first_fy + LD_MAX_YEARS - 1;
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
        for (int p = 0; p < s->nplace; p++) ld_read_placement_detail(ld, s, &ps, p);
        for (int p = 0; p < s->nplace; p++) ld_read_placement_links(ld, s, &ps, p);
        ld_check_overflow_cycles(ld, s, &ps);
    }
    if (ld_nomem(ld)) goto nomem;
    ld_read_leavers(ld, s, &v);
    if (ld_nomem(ld)) goto nomem;
    ld_read_moves(ld, s, &v);
    if (ld_nomem(ld)) goto nomem;
    ld_read_joiners(ld, s, &v);
    if (ld_nomem(ld)) goto nomem;
    ld_read_lines(ld, s, &v, "spend", &s->other, &s->nother, 0);
    ld_read_lines(ld, s, &v, "funding", &s->fund, &s->nfund, 1);
    ld_read_regime(ld, s, &v);
    if (ld_nomem(ld)) goto nomem;
    /* an anchor stated here, not inherited: this scenario's alignment is found
     * from its own projection, and those that extend it share it */
    s->anchor_owned = cJSON_GetObjectItemCaseSensitive(chain[0].scen, "anchor") != NULL;
    if (ld_find_line(s->fund, s->nfund, "hnb_allocation") < 0) {
        jv f;
        if (jv_get(&v, "funding", &f))
            ld_err(ld, HNB_E_MISSING, &f, "hnb_allocation", "the High Needs Block allocation line",
                   "missing required key");
        else
            ld_err(ld, HNB_E_MISSING, &v, "funding",
                   "{\"hnb_allocation\": {\"amount\": ..., \"fy\": ..., \"growth\": ...}}", "missing required key");
    }
    static const parspec bal = {
        "£ at 1 April of the first financial year (negative = deficit)", -1e12, 1e12, 0.0, 1, 1, 0, PLAUS_BALANCE};
    static const parspec rate = {
        "interest rate per year on the average deficit", 0.0, 10.0, 0.0, 0, 1, 0, PLAUS_INTEREST};
    s->balance = par_read(ld, s, &v, "opening_balance", &bal);
    static const parspec scale = {
        "multiplier of every placement's unit cost", 0.1, 10.0, 1.0, 0, 1, 0, PLAUS_COST_SCALE};
    s->cost_scale = par_read(ld, s, &v, "cost_scale", &scale);
    s->interest = par_read(ld, s, &v, "interest_rate", &rate);
    if (ld_nomem(ld)) goto nomem;
    ld_read_interventions(ld, s, chain, nchain);
    if (ld_nomem(ld)) goto nomem;
    ld_read_actuals(ld, s, &v);
    check_balance_sign(ld, s, &v);
    ld_read_montecarlo(ld, s, &v);
    if (ld_nomem(ld)) goto nomem;
    ld_read_rate_counts(ld, s, &v);
    ld_read_placement_groups(ld, s, &v);
    if (ld_nomem(ld)) goto nomem;
    return s;
nomem: /* an allocation failed: the scenario is abandoned, not read on with parts missing */
    scenario_free(s);
    ld->nerr++;
    return NULL;
}

/* ---- a whole file ------------------------------------------------------ */

int scenario_load_text(hnb_model *h, const char *name, const char *text, size_t len, int embedded, unsigned flags)
{
    err_clear(h);
    cJSON *doc = parse_json(h, name, text, len, 1);
    if (!doc) return HNB_E_SYNTAX;
    cJSON_AddItemToArray(h->docs, doc);
    loader ld = {h, 0, NULL, 0, 0, cJSON_GetArraySize(h->docs) - 1, flags, embedded ? NULL : name, alloc_failures()};
    if (flags & HNB_LOAD_ALLOW_OUTSIDE) h->load_flags |= HNB_LOAD_ALLOW_OUTSIDE;
    srcfile file = {doc, name, embedded};
    jv top;
    jv_root(&top, doc, name, "");
    size_t first_new = h->nscen;
    if (!jv_want(&ld, &top, cJSON_Object, "an object with \"scenarios\"")) goto done;
    jv_check_duplicates(&ld, doc, name, "");
    jv_check_keys(&ld, &top, ld_keys(KEYS_FILE));
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
        /* validate what `hnbsim backtest` and `calibrate` would read as well;
         * not the embedded file's, fixed when hnbsim was built and read
         * that way by the tests (test_backtest, test_cli): half its reading */
        if (!(flags & HNB_LOAD_BACKTEST) && !embedded)
            scenario_free(read_scenario(&ld, &file, e->string, flags | HNB_LOAD_BACKTEST));
        scenario *s = read_scenario(&ld, &file, e->string, flags);
        if (!s) continue;
        scenario **t = realloc(h->scen, (h->nscen + 1) * sizeof *t);
        if (!t) {
            scenario_free(s);
            ld.nerr++;
            break;
        }
        if (ld_nomem(&ld)) { /* e.g. the back-test's reading ran out of memory */
            h->scen = t;
            scenario_free(s);
            ld.nerr++;
            break;
        }
        h->scen = t;
        h->scen[h->nscen++] = s;
    }
    ld_check_calibration(&ld, &top);
    jv est; /* written by hnbsim estimate: the counts behind the rates (docs/estimation.md) */
    if (jv_get(&top, "estimation", &est)) jv_want(&ld, &est, cJSON_Object, "the counts hnbsim estimate wrote");
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
    char *copy = in ? ld_strdup(name) : NULL;
    if (in) h->inputs = in;
    if (!copy) {
        for (size_t i = first_new; i < h->nscen; i++) scenario_free(h->scen[i]);
        h->nscen = first_new;
        return err_set(h, HNB_E_NOMEM, "out of memory");
    }
    h->inputs[h->ninputs++] = copy;
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
    unsigned long mark = alloc_failures();
    char *text = NULL;
    size_t len = 0;
    int rc = file_read_text(h, path, &text, &len);
    if (!rc) rc = scenario_load_text(h, path, text, len, 0, flags);
    free(text);
    return alloc_check(h, mark, rc, "loading the scenario file");
}

int hnb_load_embedded_ex(hnb_model *h, unsigned flags)
{
    const char *t = hnb_embedded_text("sutton.json");
    if (!t)
        return err_set(h, HNB_E_INTERNAL,
                       "(embedded) sutton.json: not compiled in (expected scenarios/sutton/sutton.json)");
    unsigned long mark = alloc_failures();
    int rc = scenario_load_text(h, "(embedded) sutton.json", t, strlen(t), 1, flags);
    return alloc_check(h, mark, rc, "loading the embedded scenarios");
}
