/* common.c: the pieces of the scenario format that every section uses.
 *
 * Yearly series (a default and `by_year` overrides, merged over the layers of
 * an `extends` chain), age ranges and age lists, references to placements
 * with the list of valid ids for messages, and the "source"/"note" entries of
 * objects keyed by placement or year. Each records its problems in the loader
 * and leaves a default, like every section reader (sections.h). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/error.h"
#include "input/keys.h"
#include "input/sections.h"

const cJSON *ld_file_scenarios(const cJSON *doc) { return cJSON_GetObjectItemCaseSensitive(doc, "scenarios"); }

const parspec LD_RATE = {"rate per year", -1.0, 100.0, 0.0, 0, 1, 0, PLAUS_RATE};
const parspec LD_SHARE = {"share (0-1)", 0.0, 1.0, 0.0, 1, 1, 0, PLAUS_NONE};

int ld_by_year_fy(loader *ld, const jv *by, const char *key, int *fy)
{
    if (fy_parse(key, fy) == 0) return 1;
    jv one;
    jv_get(by, key, &one);
    ld_err(ld, HNB_E_KEY, &one, NULL, "a financial year such as \"2026-27\"", "not a financial year");
    return 0;
}

/* The years of a "by_year" object, merged over the layers (a child that
 * changes one year keeps the others): fy[i] and the assumption par[i]. */
void ld_read_by_year(loader *ld, scenario *s, const jv *by, const parspec *sp, int **fy, size_t **par, size_t *n)
{
    const char **keys = NULL;
    int nk = jv_keys(by, &keys);
    *n = 0;
    *fy = calloc((size_t)(nk > 0 ? nk : 0) + 1, sizeof **fy);
    *par = calloc((size_t)(nk > 0 ? nk : 0) + 1, sizeof **par);
    for (int i = 0; *fy && *par && i < nk; i++) {
        int y;
        if (!ld_by_year_fy(ld, by, keys[i], &y)) continue;
        (*fy)[*n] = y;
        (*par)[(*n)++] = par_read(ld, s, by, keys[i], sp);
    }
    free(keys);
}

/* A yearly series: a number or {"value": x, "by_year": {"2026-27": y}}. */
void ld_read_series(loader *ld, scenario *s, const jv *v, const char *key, const parspec *sp, series *r)
{
    const char *const *series_keys = ld_keys(KEYS_SERIES);
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
    ld_read_by_year(ld, s, &by, sp, &r->fy, &r->par, &r->n);
}

/* An age range [lo, hi] written as a two-element array. */
int ld_read_ages(loader *ld, const jv *v, const char *key, int nages, int *lo, int *hi)
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
unsigned char *ld_read_age_list(loader *ld, const jv *v, const char *key, int nages)
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
int ld_note_key(loader *ld, const jv *obj, const char *key)
{
    if (strcmp(key, "source") != 0 && strcmp(key, "note") != 0) return 0;
    jv one;
    if (jv_get(obj, key, &one) && !cJSON_IsString(jv_top(&one)))
        jv_want(ld, &one, cJSON_String, "a string: a note for the reader");
    return 1;
}

/* "one of the placements: mainstream base special nmi", for messages. */
const char *ld_placement_list(const scenario *s, char *buf, size_t size)
{
    size_t k = (size_t)snprintf(buf, size, "one of the placements:");
    for (int i = 0; i < s->nplace && k + 40 < size; i++)
        k += (size_t)snprintf(buf + k, size - k, " %s", s->place[i].id);
    return buf;
}

int ld_need_index(const scenario *s, const char *id)
{
    for (int n = 0; n < s->nneeds; n++)
        if (strcmp(s->needs[n].id, id) == 0) return n;
    return -1;
}

const char *ld_need_list(const scenario *s, char *buf, size_t size)
{
    size_t k = (size_t)snprintf(buf, size, "one of the need groups:");
    for (int i = 0; i < s->nneeds && k + 40 < size; i++)
        k += (size_t)snprintf(buf + k, size - k, " %s", s->needs[i].id);
    return buf;
}

unsigned char *ld_read_need_list(loader *ld, const scenario *s, const jv *e, const char *key)
{
    jv arr;
    if (!jv_get(e, key, &arr)) return NULL;
    unsigned char *on = calloc((size_t)s->nneeds + 1, 1);
    if (!on || !jv_want(ld, &arr, cJSON_Array, "a list of need-group ids, [\"ASD\", \"SEMH\"]")) return on;
    for (int i = 0; i < jv_size(&arr); i++) {
        jv x;
        jv_at(&arr, i, &x);
        const cJSON *c = jv_top(&x);
        int n = cJSON_IsString(c) ? ld_need_index(s, c->valuestring) : -1;
        if (n >= 0) {
            on[n] = 1;
        } else {
            char exp[400];
            ld_err(ld, HNB_E_REF, &x, NULL, ld_need_list(s, exp, sizeof exp), "no need group %s",
                   cJSON_IsString(c) ? c->valuestring : "(not a string)");
        }
    }
    return on;
}

int ld_placement_ref(loader *ld, const scenario *s, const jv *v, const char *key, int required)
{
    const char *id = NULL;
    if (!jv_str(ld, v, key, required, &id)) return -1;
    int p = scenario_placement(s, id);
    if (p < 0) {
        char exp[400];
        ld_err(ld, HNB_E_REF, v, key, ld_placement_list(s, exp, sizeof exp), "no placement \"%s\"", id);
    }
    return p;
}
