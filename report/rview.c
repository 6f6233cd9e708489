/* rview.c: checking and reading a results tree for the spreadsheets (rview.h).
 *
 * The check follows docs/results-format.md, but only as far as the workbook
 * and the CSV files read it: a key they never look at (sweep, backtest) is
 * not checked here. It insists on the cross-references that would otherwise
 * lose figures silently: every spend line id has an entry in every year's
 * spend.by_line and no entry is left over; the same for funding lines, unit
 * costs and EHCPs by placement; age bands match the first year's; savings and
 * Monte Carlo years name years the scenario projects. Financial years must be
 * "YYYY-YY" and increase within a scenario, so that sorting their text sorts
 * them in time (the union of years is built that way).
 *
 * Problems are listed up to CHK_MAX, then counted, so that a file of the
 * wrong shape gives a readable message rather than thousands of lines. */
#define _POSIX_C_SOURCE 200809L
#include "rview.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/error.h"

#define CHK_MAX  50
#define CHK_PATH 256

/* The statistics the workbook prints from a Monte Carlo summary. */
static const char *const report_stat_keys[] = {"mean", "p5", "p10", "p25", "p50", "p75", "p90", "p95", NULL};

typedef struct chk {
    hnb_model *h;
    const char *out;
    size_t n;
} chk;

/* ---- lookups shared with the writers ---------------------------------- */

const cJSON *report_get(const cJSON *obj, const char *key)
{
    return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

double report_num(const cJSON *obj, const char *key)
{
    const cJSON *v = report_get(obj, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

const char *report_str(const cJSON *obj, const char *key)
{
    const cJSON *v = report_get(obj, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

int report_has_savings(const cJSON *scen) { return cJSON_IsObject(report_get(scen, "savings")); }

int report_has_montecarlo(const cJSON *scen) { return cJSON_IsObject(report_get(scen, "montecarlo")); }

/* ---- the check ---------------------------------------------------------- */

static const char *chk_kind(const cJSON *v)
{
    if (!v) return "missing";
    if (cJSON_IsNull(v)) return "null";
    if (cJSON_IsBool(v)) return "true/false";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsArray(v)) return "an array";
    if (cJSON_IsObject(v)) return "an object";
    return "of an unknown type";
}

static void chk_err(chk *c, const char *path, const char *key, const char *expected, const char *fmt, ...)
    HNB_PRINTF(5, 6);

static void chk_err(chk *c, const char *path, const char *key, const char *expected, const char *fmt, ...)
{
    if (++c->n > CHK_MAX) return;
    char what[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const char *dot = (*path && key) ? "." : "";
    if (!*path && !key) path = "(top level)";
    err_add(c->h, HNB_E_RESULTS, "%s: results %s%s%s: %s (expected %s)", c->out, path, dot, key ? key : "", what,
            expected);
}

/* "is a string" / "missing" for a value of the wrong kind. */
static void chk_wrong(chk *c, const char *path, const char *key, const cJSON *v, const char *expected)
{
    if (!v)
        chk_err(c, path, key, expected, "missing");
    else
        chk_err(c, path, key, expected, "is %s", chk_kind(v));
}

/* A JSON path into buf (CHK_PATH bytes); a long one is cut short, which
 * only shortens a message. */
static void chk_path(char *buf, const char *fmt, ...) HNB_PRINTF(2, 3);

static void chk_path(char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, CHK_PATH, fmt, ap);
    va_end(ap);
}

static void chk_join(char *buf, const char *path, const char *key)
{
    chk_path(buf, "%s%s%s", path, *path ? "." : "", key);
}

static void chk_index(char *buf, const char *path, const char *key, size_t i)
{
    chk_path(buf, "%s%s%s[%zu]", path, *path ? "." : "", key, i);
}

static const cJSON *chk_obj(chk *c, const cJSON *o, const char *path, const char *key, int required)
{
    const cJSON *v = report_get(o, key);
    if (cJSON_IsObject(v)) return v;
    if (v || required) chk_wrong(c, path, key, v, "an object");
    return NULL;
}

static const cJSON *chk_arr(chk *c, const cJSON *o, const char *path, const char *key, int required)
{
    const cJSON *v = report_get(o, key);
    if (cJSON_IsArray(v)) return v;
    if (v || required) chk_wrong(c, path, key, v, "an array");
    return NULL;
}

static int chk_value_num(chk *c, const cJSON *v, const char *path, const char *key)
{
    if (!cJSON_IsNumber(v)) {
        chk_wrong(c, path, key, v, "a number");
        return 0;
    }
    if (!isfinite(v->valuedouble)) {
        chk_err(c, path, key, "a finite number", "is %g", v->valuedouble);
        return 0;
    }
    return 1;
}

static int chk_num(chk *c, const cJSON *o, const char *path, const char *key)
{
    return chk_value_num(c, report_get(o, key), path, key);
}

/* A number, or null where the figure may not exist (the end of the override
 * outside the horizon, as in a back-test): written as a blank cell. */
static int chk_num_or_null(chk *c, const cJSON *o, const char *path, const char *key)
{
    if (cJSON_IsNull(report_get(o, key))) return 1;
    return chk_num(c, o, path, key);
}

/* A string; with nullable, null is allowed too. */
static const char *chk_str(chk *c, const cJSON *o, const char *path, const char *key, int nullable)
{
    const cJSON *v = report_get(o, key);
    if (cJSON_IsString(v) && v->valuestring) return v->valuestring;
    if (nullable && cJSON_IsNull(v)) return NULL;
    chk_wrong(c, path, key, v, nullable ? "a string or null" : "a string");
    return NULL;
}

static int chk_fy(chk *c, const cJSON *o, const char *path, const char *key, int nullable)
{
    const char *s = chk_str(c, o, path, key, nullable);
    int fy;
    if (!s) return nullable && cJSON_IsNull(report_get(o, key));
    if (strlen(s) != 7 || fy_parse(s, &fy) != 0) {
        chk_err(c, path, key, "a financial year such as \"2026-27\"", "is \"%s\"", s);
        return 0;
    }
    return 1;
}

/* Every child of obj is a finite number. */
static void chk_all_num(chk *c, const cJSON *obj, const char *path)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, obj) chk_value_num(c, v, path, v->string);
}

/* obj has a number for each id in list (an array of objects with "id"), and
 * no other key. */
static void chk_by_id(chk *c, const cJSON *obj, const char *path, const cJSON *list, const char *what)
{
    if (!obj) return;
    const cJSON *item, *v;
    cJSON_ArrayForEach(item, list)
    {
        const char *id = report_str(item, "id");
        if (*id) chk_num(c, obj, path, id);
    }
    cJSON_ArrayForEach(v, obj)
    {
        int found = 0;
        cJSON_ArrayForEach(item, list) found = found || strcmp(report_str(item, "id"), v->string) == 0;
        if (!found) chk_err(c, path, v->string, what, "is not one of the scenario's ids");
    }
}

/* obj has exactly ref's keys, each a number. */
static void chk_same_keys(chk *c, const cJSON *obj, const char *path, const cJSON *ref, const char *refpath)
{
    if (!obj || !ref) return;
    const cJSON *v;
    char expected[CHK_PATH];
    chk_path(expected, "the same keys as %.200s", refpath);
    cJSON_ArrayForEach(v, ref)
    {
        if (!report_get(obj, v->string)) chk_err(c, path, v->string, expected, "missing");
    }
    cJSON_ArrayForEach(v, obj)
    {
        if (!report_get(ref, v->string))
            chk_err(c, path, v->string, expected, "is not in %s", refpath);
        else
            chk_value_num(c, v, path, v->string);
    }
}

/* A list of objects with string "id" and "label" (and more string keys). */
static void chk_lines(chk *c, const cJSON *arr, const char *path, const char *const *keys)
{
    size_t i = 0;
    char p[CHK_PATH];
    const cJSON *item;
    cJSON_ArrayForEach(item, arr)
    {
        chk_path(p, "%s[%zu]", path, i++);
        if (!cJSON_IsObject(item)) {
            chk_wrong(c, p, NULL, item, "an object");
            continue;
        }
        for (const char *const *k = keys; *k; k++) chk_str(c, item, p, *k, 0);
    }
}

/* A placement's optional "category": one of the template's (category.c). */
static void chk_categories(chk *c, const cJSON *arr, const char *path)
{
    size_t i = 0;
    char p[CHK_PATH];
    const cJSON *item;
    cJSON_ArrayForEach(item, arr)
    {
        chk_path(p, "%s[%zu]", path, i++);
        const cJSON *v = report_get(item, "category");
        if (!v) continue;
        int ok = 0;
        for (int k = 0; k < REPORT_NCAT && cJSON_IsString(v); k++)
            ok |= !strcmp(v->valuestring, report_category_key[k]);
        static const char *const want = "one of mainstream, resourced, special, nmi, hospital_ap, post16, other";
        if (!ok && cJSON_IsString(v))
            chk_err(c, p, "category", want, "is \"%.40s\"", v->valuestring);
        else if (!ok)
            chk_wrong(c, p, "category", v, want);
    }
}

/* A funding line's optional "block": one of the other DSG blocks. */
static void chk_blocks(chk *c, const cJSON *arr, const char *path)
{
    size_t i = 0;
    char p[CHK_PATH];
    const cJSON *item;
    cJSON_ArrayForEach(item, arr)
    {
        chk_path(p, "%s[%zu]", path, i++);
        const cJSON *v = report_get(item, "block");
        if (!v) continue;
        static const char *const want = "one of schools, central_school_services, early_years";
        if (!cJSON_IsString(v))
            chk_wrong(c, p, "block", v, want);
        else if (strcmp(v->valuestring, "schools") && strcmp(v->valuestring, "central_school_services") &&
                 strcmp(v->valuestring, "early_years"))
            chk_err(c, p, "block", want, "is \"%.40s\"", v->valuestring);
    }
}

/* A Monte Carlo summary: the statistics the workbook prints, every child a number. */
/* A Monte Carlo statistics object whose every value is null: the figure has
 * no value in any path (the cumulative position at the override's end, when
 * the horizon stops before 31 March 2028). */
static int chk_stats_null(const cJSON *s)
{
    if (!cJSON_IsObject(s) || !s->child) return 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, s) if (!cJSON_IsNull(v)) return 0;
    return 1;
}

static void chk_stats(chk *c, const cJSON *o, const char *path, const char *key)
{
    char p[CHK_PATH];
    const cJSON *s = chk_obj(c, o, path, key, 1);
    if (!s || chk_stats_null(s)) return;
    chk_join(p, path, key);
    for (const char *const *k = report_stat_keys; *k; k++)
        if (!report_get(s, *k)) chk_err(c, p, *k, "a number", "missing");
    chk_all_num(c, s, p);
}

/* Is fy one of the scenario's years? */
static int chk_in_years(const cJSON *years, const char *fy)
{
    const cJSON *y;
    cJSON_ArrayForEach(y, years) if (strcmp(report_str(y, "fy"), fy) == 0) return 1;
    return 0;
}

static void chk_by_year(chk *c, const cJSON *o, const char *path, const char *key, const cJSON *years)
{
    char p[CHK_PATH];
    const cJSON *by = chk_obj(c, o, path, key, 1), *v;
    if (!by) return;
    chk_join(p, path, key);
    cJSON_ArrayForEach(v, by)
    {
        if (!chk_in_years(years, v->string))
            chk_err(c, p, v->string, "a financial year the scenario projects", "is not one");
        else
            chk_value_num(c, v, p, v->string);
    }
}

static void chk_saving(chk *c, const cJSON *o, const char *path, const cJSON *years)
{
    chk_by_year(c, o, path, "by_year", years);
    chk_num_or_null(c, o, path, "to_override_end");
    chk_num(c, o, path, "to_horizon");
}

static void chk_savings(chk *c, const cJSON *sv, const char *path, const cJSON *years)
{
    char p[CHK_PATH], q[CHK_PATH];
    chk_str(c, sv, path, "against", 0);
    chk_str(c, sv, path, "method", 0);
    const cJSON *tot = chk_obj(c, sv, path, "total", 1);
    if (tot) {
        chk_join(p, path, "total");
        chk_saving(c, tot, p, years);
    }
    const cJSON *acts = chk_arr(c, sv, path, "actions", 1), *a;
    size_t i = 0;
    cJSON_ArrayForEach(a, acts)
    {
        chk_index(q, path, "actions", i++);
        if (!cJSON_IsObject(a)) {
            chk_wrong(c, q, NULL, a, "an object");
            continue;
        }
        chk_str(c, a, q, "name", 0);
        chk_str(c, a, q, "type", 0);
        chk_saving(c, a, q, years);
    }
}

static void chk_montecarlo(chk *c, const cJSON *mc, const char *path, const cJSON *years)
{
    char p[CHK_PATH], q[CHK_PATH];
    chk_num(c, mc, path, "paths");
    chk_num(c, mc, path, "seed");
    const cJSON *ys = chk_arr(c, mc, path, "years", 1), *y, *v;
    size_t i = 0;
    cJSON_ArrayForEach(y, ys)
    {
        chk_index(p, path, "years", i++);
        if (!cJSON_IsObject(y)) {
            chk_wrong(c, p, NULL, y, "an object");
            continue;
        }
        const char *fy = chk_str(c, y, p, "fy", 0);
        if (fy && !chk_in_years(years, fy))
            chk_err(c, p, "fy", "a financial year the scenario projects", "is \"%s\"", fy);
        chk_stats(c, y, p, "cumulative");
        chk_stats(c, y, p, "in_year");
        chk_stats(c, y, p, "spend");
        chk_stats(c, y, p, "funding");
        chk_stats(c, y, p, "ehcps");
        /* Anything else is a summary or an object of summaries (by placement);
         * the CSV writes it whatever its name. */
        cJSON_ArrayForEach(v, y)
        {
            if (!strcmp(v->string, "fy") || !strcmp(v->string, "cumulative") || !strcmp(v->string, "in_year") ||
                !strcmp(v->string, "spend") || !strcmp(v->string, "funding") || !strcmp(v->string, "ehcps"))
                continue;
            if (!cJSON_IsObject(v)) {
                chk_wrong(c, p, v->string, v, "an object of statistics");
                continue;
            }
            chk_join(q, p, v->string);
            if (report_get(v, "p50")) {
                chk_all_num(c, v, q);
            } else {
                const cJSON *w;
                cJSON_ArrayForEach(w, v)
                {
                    char r[CHK_PATH];
                    chk_join(r, q, w->string);
                    if (cJSON_IsObject(w))
                        chk_all_num(c, w, r);
                    else
                        chk_wrong(c, q, w->string, w, "an object of statistics");
                }
            }
        }
    }
    const cJSON *hl = chk_obj(c, mc, path, "headline", 1);
    if (hl) {
        chk_join(p, path, "headline");
        chk_stats(c, hl, p, "cumulative_at_override_end");
        chk_stats(c, hl, p, "peak_deficit");
        cJSON_ArrayForEach(v, hl)
        {
            chk_join(q, p, v->string);
            if (chk_stats_null(v))
                continue;
            else if (cJSON_IsObject(v))
                chk_all_num(c, v, q);
            else
                chk_wrong(c, p, v->string, v, "an object of statistics");
        }
    }
    const cJSON *pr = chk_obj(c, mc, path, "probabilities", 0);
    if (pr) {
        chk_join(p, path, "probabilities");
        const cJSON *b = chk_obj(c, pr, p, "in_year_balance_by", 0);
        if (b) {
            chk_join(q, p, "in_year_balance_by");
            chk_fy(c, b, q, "fy", 0);
            chk_num(c, b, q, "p");
        }
        b = chk_obj(c, pr, p, "deficit_at_override_end_above", 0);
        if (b) {
            chk_join(q, p, "deficit_at_override_end_above");
            chk_num(c, b, q, "threshold");
            chk_num_or_null(c, b, q, "p");
        }
        if (report_get(pr, "deficit_grows_every_year")) chk_num(c, pr, p, "deficit_grows_every_year");
    }
}

static void chk_assumptions(chk *c, const cJSON *arr, const char *path)
{
    static const char *const keys[] = {"path", "unit", "source", "distribution", NULL};
    char p[CHK_PATH];
    const cJSON *a;
    size_t i = 0;
    cJSON_ArrayForEach(a, arr)
    {
        chk_path(p, "%s[%zu]", path, i++);
        if (!cJSON_IsObject(a)) {
            chk_wrong(c, p, NULL, a, "an object");
            continue;
        }
        for (const char *const *k = keys; *k; k++) chk_str(c, a, p, *k, 0);
        const cJSON *v = report_get(a, "value");
        if (cJSON_IsArray(v)) {
            const cJSON *e;
            char q[CHK_PATH];
            chk_join(q, p, "value");
            size_t j = 0;
            cJSON_ArrayForEach(e, v)
            {
                char r[CHK_PATH];
                chk_path(r, "%s[%zu]", q, j++);
                if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble)) chk_wrong(c, r, NULL, e, "a finite number");
            }
        } else if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) {
            chk_wrong(c, p, "value", v, "a number or an array of numbers");
        }
    }
}

static void chk_actuals(chk *c, const cJSON *act, const char *path)
{
    char p[CHK_PATH];
    const cJSON *arr = chk_arr(c, act, path, "census", 0), *a;
    size_t i = 0;
    cJSON_ArrayForEach(a, arr)
    {
        chk_index(p, path, "census", i++);
        chk_num(c, a, p, "census");
        chk_num(c, a, p, "ehcps");
        chk_str(c, a, p, "source", 0);
    }
    arr = chk_arr(c, act, path, "finance", 0);
    i = 0;
    cJSON_ArrayForEach(a, arr)
    {
        chk_index(p, path, "finance", i++);
        chk_fy(c, a, p, "fy", 0);
        chk_num_or_null(c, a, p, "in_year"); /* a published figure may give one of the two */
        chk_num_or_null(c, a, p, "cumulative");
        chk_str(c, a, p, "status", 0);
        chk_str(c, a, p, "source", 0);
    }
}

/* ehcps.by_placement_age_band (optional: results before it was added lack it):
 * every placement id, each with the first year's age bands. */
static void chk_place_bands(chk *c, const cJSON *e, const char *q, const cJSON *placements, const cJSON *bands,
                            const char *bandpath)
{
    const cJSON *pb = chk_obj(c, e, q, "by_placement_age_band", 0), *line;
    if (!pb) return;
    char r[CHK_PATH], t[CHK_PATH];
    chk_join(r, q, "by_placement_age_band");
    cJSON_ArrayForEach(line, placements)
    {
        const char *id = report_str(line, "id");
        const cJSON *o = chk_obj(c, pb, r, id, 1);
        chk_join(t, r, id);
        if (o && bands) chk_same_keys(c, o, t, bands, bandpath);
        if (o) chk_all_num(c, o, t);
    }
}

static void chk_year(chk *c, const cJSON *y, const char *p, const cJSON *scen, const cJSON *bands, const char *bandpath)
{
    char q[CHK_PATH];
    const cJSON *placements = report_get(scen, "placements");
    chk_fy(c, y, p, "fy", 0);
    chk_num(c, y, p, "census");
    const cJSON *e = chk_obj(c, y, p, "ehcps", 1);
    if (e) {
        chk_join(q, p, "ehcps");
        chk_num(c, e, q, "total");
        const cJSON *bp = chk_obj(c, e, q, "by_placement", 1);
        char r[CHK_PATH];
        chk_join(r, q, "by_placement");
        chk_by_id(c, bp, r, placements, "a placement id");
        const cJSON *ba = chk_obj(c, e, q, "by_age_band", 1);
        chk_join(r, q, "by_age_band");
        if (ba && bands != ba) chk_same_keys(c, ba, r, bands, bandpath);
        if (ba && bands == ba) chk_all_num(c, ba, r);
        chk_place_bands(c, e, q, placements, bands, bandpath);
        const cJSON *needs = report_get(scen, "need_groups");
        if (cJSON_IsArray(needs)) {
            chk_join(r, q, "by_need");
            chk_by_id(c, chk_obj(c, e, q, "by_need", 1), r, needs, "a need group id");
        }
    }
    chk_num(c, y, p, "joiners");
    chk_num(c, y, p, "leavers");
    chk_num(c, y, p, "overflow");
    const cJSON *uc = chk_obj(c, y, p, "unit_costs", 1);
    chk_join(q, p, "unit_costs");
    chk_by_id(c, uc, q, placements, "a placement id");
    static const char *const money[][2] = {{"spend", "spend_lines"}, {"funding", "funding_lines"}};
    for (int k = 0; k < 2; k++) {
        const cJSON *m = chk_obj(c, y, p, money[k][0], 1);
        if (!m) continue;
        chk_join(q, p, money[k][0]);
        chk_num(c, m, q, "total");
        const cJSON *bl = chk_obj(c, m, q, "by_line", 1);
        char r[CHK_PATH];
        chk_join(r, q, "by_line");
        chk_by_id(c, bl, r, report_get(scen, money[k][1]), k ? "a funding line id" : "a spend line id");
    }
    chk_num(c, y, p, "in_year");
    chk_num(c, y, p, "cumulative");
    chk_num(c, y, p, "interest");
}

static void chk_scenario(chk *c, const cJSON *s, const char *p)
{
    static const char *const place_keys[] = {"id", "label", "s251", NULL};
    static const char *const spend_keys[] = {"id", "label", "kind", "s251", NULL};
    static const char *const fund_keys[] = {"id", "label", NULL};
    char q[CHK_PATH], r[CHK_PATH];
    if (!cJSON_IsObject(s)) {
        chk_wrong(c, p, NULL, s, "an object");
        return;
    }
    chk_str(c, s, p, "name", 0);
    chk_str(c, s, p, "label", 0);
    if (report_get(s, "extends")) chk_str(c, s, p, "extends", 1);
    chk_str(c, s, p, "override_end", 0);
    chk_fy(c, s, p, "first_fy", 0);
    chk_fy(c, s, p, "last_fy", 0);
    const cJSON *arr;
    if ((arr = chk_arr(c, s, p, "placements", 1))) {
        chk_join(q, p, "placements");
        chk_lines(c, arr, q, place_keys);
        chk_categories(c, arr, q);
    }
    if ((arr = chk_arr(c, s, p, "spend_lines", 1))) {
        chk_join(q, p, "spend_lines");
        chk_lines(c, arr, q, spend_keys);
    }
    if ((arr = chk_arr(c, s, p, "need_groups", 0))) {
        static const char *const need_keys[] = {"id", "label", NULL};
        chk_join(q, p, "need_groups");
        chk_lines(c, arr, q, need_keys);
    }
    if ((arr = chk_arr(c, s, p, "funding_lines", 1))) {
        chk_join(q, p, "funding_lines");
        chk_lines(c, arr, q, fund_keys);
        chk_blocks(c, arr, q);
    }
    const cJSON *years = chk_arr(c, s, p, "years", 1), *y;
    if (years && cJSON_GetArraySize(years) == 0) chk_err(c, p, "years", "at least one year", "is empty");
    const cJSON *bands = NULL;
    char bandpath[CHK_PATH] = "";
    const char *prev = NULL;
    size_t i = 0;
    cJSON_ArrayForEach(y, years)
    {
        chk_index(q, p, "years", i++);
        if (!cJSON_IsObject(y)) {
            chk_wrong(c, q, NULL, y, "an object");
            continue;
        }
        if (!bands) {
            bands = report_get(report_get(y, "ehcps"), "by_age_band");
            if (!cJSON_IsObject(bands)) bands = NULL;
            chk_path(bandpath, "%s.ehcps.by_age_band", q);
        }
        chk_year(c, y, q, s, bands, bandpath);
        const char *fy = report_str(y, "fy");
        if (prev && *fy && strcmp(prev, fy) >= 0)
            chk_err(c, q, "fy", "years in increasing order, each once", "\"%s\" follows \"%s\"", fy, prev);
        if (*fy) prev = fy;
    }
    const cJSON *st = chk_obj(c, s, p, "start", 0);
    if (st) {
        chk_join(q, p, "start");
        chk_num(c, st, q, "census");
        const cJSON *e = chk_obj(c, st, q, "ehcps", 1);
        chk_join(r, q, "ehcps");
        if (e) chk_place_bands(c, e, r, report_get(s, "placements"), bands, bandpath);
        const cJSON *needs = report_get(s, "need_groups");
        if (e && cJSON_IsArray(needs)) {
            char t[CHK_PATH];
            chk_join(t, r, "by_need");
            chk_by_id(c, chk_obj(c, e, r, "by_need", 1), t, needs, "a need group id");
        }
    }
    const cJSON *hl = chk_obj(c, s, p, "headline", 1);
    if (hl) {
        chk_join(q, p, "headline");
        chk_num_or_null(c, hl, q, "cumulative_at_override_end");
        chk_fy(c, hl, q, "first_balanced_fy", 1);
        chk_num(c, hl, q, "peak_deficit");
        chk_fy(c, hl, q, "peak_deficit_fy", 1);
        chk_num(c, hl, q, "interest_to_override_end");
        chk_num(c, hl, q, "interest_to_horizon");
        chk_num(c, hl, q, "cumulative_at_horizon");
    }
    const cJSON *o;
    if ((o = chk_obj(c, s, p, "actuals", 0))) {
        chk_join(q, p, "actuals");
        chk_actuals(c, o, q);
    }
    if ((o = chk_obj(c, s, p, "savings", 0))) {
        chk_join(q, p, "savings");
        chk_savings(c, o, q, years);
    }
    if ((o = chk_obj(c, s, p, "montecarlo", 0))) {
        chk_join(q, p, "montecarlo");
        chk_montecarlo(c, o, q, years);
    }
    if ((arr = chk_arr(c, s, p, "assumptions", 0))) {
        chk_join(r, p, "assumptions");
        chk_assumptions(c, arr, r);
    }
}

int report_check(hnb_model *h, const cJSON *results, const char *out)
{
    chk c = {h, out, 0};
    err_clear(h);
    if (!cJSON_IsObject(results)) {
        chk_wrong(&c, "", NULL, results, "an object");
    } else {
        if (report_get(results, "title")) chk_str(&c, results, "", "title", 0);
        if (report_get(results, "run_date")) chk_str(&c, results, "", "run_date", 0);
        if (report_get(results, "hnbsim_version")) chk_str(&c, results, "", "hnbsim_version", 0);
        const cJSON *inputs = chk_arr(&c, results, "", "inputs", 0), *v;
        size_t i = 0;
        cJSON_ArrayForEach(v, inputs)
        {
            char p[CHK_PATH];
            chk_index(p, "", "inputs", i++);
            if (!cJSON_IsString(v)) chk_wrong(&c, p, NULL, v, "a string");
        }
        const cJSON *scen = chk_arr(&c, results, "", "scenarios", 1);
        if (scen && cJSON_GetArraySize(scen) == 0) chk_err(&c, "", "scenarios", "at least one scenario", "is empty");
        i = 0;
        cJSON_ArrayForEach(v, scen)
        {
            char p[CHK_PATH];
            chk_index(p, "", "scenarios", i++);
            chk_scenario(&c, v, p);
        }
    }
    if (c.n > CHK_MAX) err_add(h, HNB_E_RESULTS, "%s: results: %zu more problems not listed", out, c.n - CHK_MAX);
    return c.n ? HNB_E_RESULTS : HNB_OK;
}
