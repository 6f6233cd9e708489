/* jview.c: layered JSON views and the loader's error reporting (jview.h). */
#define _POSIX_C_SOURCE 200809L
#include "input/jview.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dates.h"
#include "core/error.h"
#include "core/numfmt.h"

int ld_nomem(const loader *ld) { return alloc_failures() != ld->mark; }

void ld_err(loader *ld, int code, const jv *v, const char *key, const char *expected, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const char *file = v && v->n ? v->file[0] : "(input)";
    const char *path = v && v->n ? v->path[0] : "";
    char line[2048];
    if (key)
        snprintf(line, sizeof line, "%s: %s%s%s: %s%s%s%s", file, path, *path ? "." : "", key, what,
                 expected ? " (expected " : "", expected ? expected : "", expected ? ")" : "");
    else
        snprintf(line, sizeof line, "%s: %s: %s%s%s%s", file, *path ? path : "(top level)", what,
                 expected ? " (expected " : "", expected ? expected : "", expected ? ")" : "");
    ld->nerr++;
    /* A parent's problem is met again through each child: report it once. */
    const char *all = hnb_errmsg(ld->h);
    size_t n = strlen(line);
    for (const char *p = strstr(all, line); p; p = strstr(p + 1, line))
        if ((p == all || p[-1] == '\n') && (p[n] == '\0' || p[n] == '\n')) return;
    err_add(ld->h, code, "%s", line);
}

static void set_layer(jv *v, int i, const cJSON *node, const char *file, const char *path)
{
    v->node[i] = node;
    v->file[i] = file;
    size_t n = strlen(path);
    if (n >= JV_PATH) n = JV_PATH - 1; /* long paths are cut, in messages only */
    memcpy(v->path[i], path, n);
    v->path[i][n] = '\0';
}

void jv_root(jv *v, const cJSON *node, const char *file, const char *path)
{
    memset(v, 0, sizeof *v);
    v->n = 1;
    set_layer(v, 0, node, file, path);
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(node, "source");
    v->source = cJSON_IsString(s) ? s->valuestring : NULL;
}

void jv_push(jv *v, const cJSON *node, const char *file, const char *path)
{
    if (v->n >= JV_MAX) return;
    set_layer(v, v->n++, node, file, path);
    if (!v->source) {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(node, "source");
        v->source = cJSON_IsString(s) ? s->valuestring : NULL;
    }
}

/* An empty view without clearing its paths (16 x 200 bytes): only layers
 * below n are ever read, and path[0] of an empty view. */
static void jv_clear(jv *v)
{
    v->n = 0;
    v->source = NULL;
    memset(v->node, 0, sizeof v->node);
    memset(v->file, 0, sizeof v->file);
    v->path[0][0] = '\0';
}

/* Layer i's path: prefix, then sep and tail if tail is given, cut at
 * JV_PATH - 1 bytes like set_layer (the loader looks keys up a few hundred
 * thousand times a file, so no snprintf here). */
static void set_layer_path(jv *v, int i, const char *prefix, const char *sep, const char *tail)
{
    char *d = v->path[i];
    size_t k = 0;
    for (const char *s = prefix; *s && k < JV_PATH - 1; s++) d[k++] = *s;
    if (tail) {
        if (*prefix)
            for (const char *s = sep; *s && k < JV_PATH - 1; s++) d[k++] = *s;
        for (const char *s = tail; *s && k < JV_PATH - 1; s++) d[k++] = *s;
    }
    d[k] = '\0';
}

int jv_get(const jv *v, const char *key, jv *out)
{
    jv_clear(out);
    for (int i = 0; i < v->n; i++) {
        if (!cJSON_IsObject(v->node[i])) continue;
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(v->node[i], key);
        if (!c) continue;
        if (out->n && !cJSON_IsObject(c)) continue; /* hidden under an object above */
        int k = out->n++;
        out->node[k] = c;
        out->file[k] = v->file[i];
        set_layer_path(out, k, v->path[i], ".", key);
        if (!cJSON_IsObject(c)) break;
    }
    if (!out->n) return 0;
    /* The nearest source note: the value's own, else the enclosing one. */
    out->source = v->source;
    for (int i = out->n - 1; i >= 0; i--) {
        const cJSON *s = cJSON_IsObject(out->node[i]) ? cJSON_GetObjectItemCaseSensitive(out->node[i], "source") : NULL;
        if (cJSON_IsString(s) && s->valuestring[0]) out->source = s->valuestring;
    }
    if (cJSON_IsObject(out->node[0])) {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(out->node[0], "source");
        if (cJSON_IsString(s) && s->valuestring[0]) out->source = s->valuestring;
    }
    return 1;
}

int jv_size(const jv *v) { return cJSON_IsArray(jv_top(v)) ? cJSON_GetArraySize(jv_top(v)) : 0; }

int jv_at(const jv *v, int i, jv *out)
{
    jv_clear(out);
    const cJSON *c = cJSON_GetArrayItem(jv_top(v), i);
    if (!c) return 0;
    char p[JV_PATH + 16];
    snprintf(p, sizeof p, "%s[%d]", v->path[0], i);
    set_layer(out, 0, c, v->file[0], p);
    out->n = 1;
    out->source = v->source;
    const cJSON *s = cJSON_IsObject(c) ? cJSON_GetObjectItemCaseSensitive(c, "source") : NULL;
    if (cJSON_IsString(s) && s->valuestring[0]) out->source = s->valuestring;
    return 1;
}

int jv_keys(const jv *v, const char ***keys)
{
    *keys = NULL;
    int cap = 0, n = 0;
    for (int i = 0; i < v->n; i++) cap += cJSON_IsObject(v->node[i]) ? cJSON_GetArraySize(v->node[i]) : 0;
    if (!cap) return 0;
    const char **k = malloc((size_t)cap * sizeof *k);
    if (!k) return -1;
    for (int i = v->n - 1; i >= 0; i--) {
        if (!cJSON_IsObject(v->node[i])) continue;
        for (const cJSON *c = v->node[i]->child; c; c = c->next) {
            int seen = 0;
            for (int j = 0; j < n && !seen; j++) seen = strcmp(k[j], c->string) == 0;
            if (!seen) k[n++] = c->string;
        }
    }
    *keys = k;
    return n;
}

/* path[0 .. len) extended by ".key" (or "key" at the top) or "[i]", cut at
 * cap - 1 characters as snprintf into a buffer of cap would cut it; the
 * new length. */
static size_t path_append(char *path, size_t len, size_t cap, const char *key, int index)
{
    char num[24];
    const char *parts[3] = {NULL, NULL, NULL};
    if (key) {
        parts[0] = len ? "." : "";
        parts[1] = key;
    } else {
        snprintf(num, sizeof num, "[%d]", index);
        parts[0] = num;
    }
    for (int k = 0; k < 3 && parts[k]; k++)
        for (const char *q = parts[k]; *q && len + 1 < cap; q++) path[len++] = *q;
    path[len] = '\0';
    return len;
}

/* Duplicate keys below node, whose path is path[0 .. len): a path is made
 * only for the objects and arrays it goes into (the one in an error). */
static void duplicates_below(loader *ld, const cJSON *node, const char *file, char *path, size_t len, size_t cap)
{
    int i = 0;
    const int obj = cJSON_IsObject(node);
    for (const cJSON *c = node ? node->child : NULL; c; c = c->next, i++) {
        if (obj)
            for (const cJSON *d = node->child; d != c; d = d->next)
                if (strcmp(d->string, c->string) == 0) {
                    jv one;
                    jv_root(&one, node, file, path);
                    ld_err(ld, HNB_E_KEY, &one, c->string, "each key once in an object", "duplicate key");
                    break;
                }
        if (cJSON_IsObject(c) || cJSON_IsArray(c)) {
            duplicates_below(ld, c, file, path, path_append(path, len, cap, obj ? c->string : NULL, i), cap);
            path[len] = '\0';
        }
    }
}

void jv_check_duplicates(loader *ld, const cJSON *node, const char *file, const char *path)
{
    char buf[2 * JV_PATH];
    size_t len = 0;
    for (; path[len] && len + 1 < sizeof buf; len++) buf[len] = path[len];
    buf[len] = '\0';
    duplicates_below(ld, node, file, buf, len, sizeof buf);
}

size_t jv_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    size_t *row = malloc((nb + 1) * sizeof *row);
    if (!row) return (size_t)-1;
    for (size_t j = 0; j <= nb; j++) row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t d = row[nb];
    free(row);
    return d;
}

static const char *type_name(const cJSON *c)
{
    if (cJSON_IsNumber(c)) return "a number";
    if (cJSON_IsString(c)) return "a string";
    if (cJSON_IsBool(c)) return "true/false";
    if (cJSON_IsNull(c)) return "null";
    if (cJSON_IsArray(c)) return "an array";
    if (cJSON_IsObject(c)) return "an object";
    return "an invalid value";
}

static int already_checked(loader *ld, const cJSON *o)
{
    for (size_t i = 0; i < ld->nchecked; i++)
        if (ld->checked[i] == o) return 1;
    if (ld->nchecked == ld->capchecked) {
        size_t cap = ld->capchecked ? 2 * ld->capchecked : 64;
        const cJSON **t = realloc(ld->checked, cap * sizeof *t);
        if (!t) return 0;
        ld->checked = t;
        ld->capchecked = cap;
    }
    ld->checked[ld->nchecked++] = o;
    return 0;
}

void jv_check_keys(loader *ld, const jv *v, const char *const *allowed)
{
    for (int i = 0; i < v->n; i++) {
        const cJSON *o = v->node[i];
        if (!cJSON_IsObject(o) || already_checked(ld, o)) continue;
        jv one;
        memset(&one, 0, sizeof one);
        one.n = 1;
        set_layer(&one, 0, o, v->file[i], v->path[i]);
        for (const cJSON *c = o->child; c; c = c->next) {
            int ok = 0;
            const char *best = NULL;
            size_t bestd = (size_t)-1;
            for (const char *const *a = allowed; *a && !ok; a++) ok = strcmp(*a, c->string) == 0;
            /* the nearest allowed key only for a key that is not one (the distances are costly) */
            for (const char *const *a = allowed; *a && !ok; a++) {
                size_t d = jv_distance(*a, c->string);
                if (d < bestd) {
                    bestd = d;
                    best = *a;
                }
            }
            if (ok) {
                if ((strcmp(c->string, "source") == 0 || strcmp(c->string, "note") == 0) && !cJSON_IsString(c))
                    ld_err(ld, HNB_E_TYPE, &one, c->string, "a string: a note for the reader", "wrong type: found %s",
                           type_name(c));
                continue;
            }
            char exp[400];
            size_t k = 0;
            k += (size_t)snprintf(exp + k, sizeof exp - k, "one of");
            for (const char *const *a = allowed; *a && k < sizeof exp - 40; a++)
                k += (size_t)snprintf(exp + k, sizeof exp - k, " %s", *a);
            if (best && bestd <= 3 && bestd < strlen(c->string))
                ld_err(ld, HNB_E_KEY, &one, c->string, exp, "unknown key; did you mean \"%s\"?", best);
            else
                ld_err(ld, HNB_E_KEY, &one, c->string, exp, "unknown key");
        }
    }
}

int jv_want(loader *ld, const jv *v, int type, const char *expected)
{
    const cJSON *c = jv_top(v);
    if (c && (c->type & 0xFF) == type) return 1;
    ld_err(ld, HNB_E_TYPE, v, NULL, expected, "wrong type: found %s", type_name(c));
    return 0;
}

static int get_required(loader *ld, const jv *v, const char *key, int required, jv *c, const char *expected)
{
    if (jv_get(v, key, c)) return 1;
    if (required) ld_err(ld, HNB_E_MISSING, v, key, expected, "missing required key");
    return 0;
}

int jv_str(loader *ld, const jv *v, const char *key, int required, const char **out)
{
    jv c;
    if (!get_required(ld, v, key, required, &c, "a string")) return 0;
    if (!jv_want(ld, &c, cJSON_String, "a string")) return 0;
    *out = jv_top(&c)->valuestring;
    return 1;
}

int jv_num(loader *ld, const jv *v, const char *key, int required, double lo, double hi, double *out)
{
    jv c;
    char exp[128], lo_s[NUM_BUF], hi_s[NUM_BUF], got[NUM_BUF];
    num_plain(lo, lo_s, sizeof lo_s);
    num_plain(hi, hi_s, sizeof hi_s);
    if (isinf(lo) && isinf(hi))
        snprintf(exp, sizeof exp, "a number");
    else if (isinf(hi))
        snprintf(exp, sizeof exp, "a number of at least %s", lo_s);
    else if (isinf(lo))
        snprintf(exp, sizeof exp, "a number of at most %s", hi_s);
    else
        snprintf(exp, sizeof exp, "a number from %s to %s", lo_s, hi_s);
    if (!get_required(ld, v, key, required, &c, exp)) return 0;
    if (!jv_want(ld, &c, cJSON_Number, exp)) return 0;
    double x = jv_top(&c)->valuedouble;
    if (!(x >= lo && x <= hi)) {
        num_plain(x, got, sizeof got);
        ld_err(ld, HNB_E_RANGE, &c, NULL, exp, "out of range: %s", got);
        return 0;
    }
    *out = x;
    return 1;
}

int jv_int(loader *ld, const jv *v, const char *key, int required, int lo, int hi, int *out)
{
    jv c;
    char exp[96];
    snprintf(exp, sizeof exp, "a whole number from %d to %d", lo, hi);
    if (!get_required(ld, v, key, required, &c, exp)) return 0;
    if (!jv_want(ld, &c, cJSON_Number, exp)) return 0;
    double x = jv_top(&c)->valuedouble;
    if (!(x >= lo && x <= hi) || x != floor(x)) {
        ld_err(ld, HNB_E_RANGE, &c, NULL, exp, "found %g", x);
        return 0;
    }
    *out = (int)x;
    return 1;
}

int jv_fy(loader *ld, const jv *v, const char *key, int required, int *fy)
{
    const char *s = NULL;
    jv c;
    if (!get_required(ld, v, key, required, &c, "a financial year such as \"2026-27\"")) return 0;
    if (!jv_want(ld, &c, cJSON_String, "a financial year such as \"2026-27\"")) return 0;
    s = jv_top(&c)->valuestring;
    if (fy_parse(s, fy) != 0) {
        ld_err(ld, HNB_E_RANGE, &c, NULL, "a financial year such as \"2026-27\"", "not a financial year: \"%s\"", s);
        return 0;
    }
    return 1;
}

int jv_date(loader *ld, const jv *v, const char *key, int required, double *months, char *text)
{
    jv c;
    if (!get_required(ld, v, key, required, &c, "a date such as \"2027-09-01\"")) return 0;
    if (!jv_want(ld, &c, cJSON_String, "a date such as \"2027-09-01\"")) return 0;
    const char *s = jv_top(&c)->valuestring;
    hnb_date d;
    if (date_parse(s, &d) != 0) {
        ld_err(ld, HNB_E_RANGE, &c, NULL, "a date such as \"2027-09-01\"", "not a date: \"%s\"", s);
        return 0;
    }
    *months = date_months(d);
    if (text) snprintf(text, 11, "%s", s);
    return 1;
}
