/* alloc.c: the count of failed allocations and the checks built on it
 * (alloc.h), and the counted malloc and its kin that every other file of the
 * library calls under their usual names (alloc_count.h); this file is
 * compiled with HNB_ALLOC_RAW, so its own calls are the C library's. The JSON syntax check is a small recursive-descent
 * recogniser of RFC 8259 that allocates nothing; it is used only after cJSON has refused a text, to tell a syntax error
 * from a lack of memory, so it errs on the side of "not valid" (the syntax error is then reported as before). */
#define _POSIX_C_SOURCE 200809L
#include "core/alloc.h"
#include "core/alloc_count.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static atomic_ulong failures;
static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;

/* ---- the counted allocations (alloc_count.h) ---------------------------- */

static void *counted(void *p)
{
    if (!p) atomic_fetch_add(&failures, 1);
    return p;
}

void *alloc_counted_malloc(size_t n) { return counted(malloc(n)); }
void *alloc_counted_calloc(size_t k, size_t n) { return counted(calloc(k, n)); }
/* realloc(p, 0) may return NULL without failing: not counted */
void *alloc_counted_realloc(void *p, size_t n) { return n ? counted(realloc(p, n)) : realloc(p, n); }
void *alloc_counted_aligned_alloc(size_t align, size_t n) { return counted(aligned_alloc(align, n)); }
char *alloc_counted_strdup(const char *s) { return counted(strdup(s)); }
char *alloc_counted_strndup(const char *s, size_t n) { return counted(strndup(s, n)); }

/* Items a failed add left with no owner, chained by their `next` (a failed
 * add leaves it NULL), deleted when the public call ends (alloc_check). */
static _Thread_local cJSON *orphans;

static int adopted(int ok, cJSON *item)
{
    if (!ok && item) {
        item->next = orphans;
        orphans = item;
    }
    return ok;
}

int alloc_json_add_to_object(cJSON *object, const char *key, cJSON *item)
{
    return adopted(cJSON_AddItemToObject(object, key, item), item);
}

int alloc_json_add_to_array(cJSON *array, cJSON *item) { return adopted(cJSON_AddItemToArray(array, item), item); }

static void *json_malloc(size_t n)
{
    void *p = malloc(n);
    if (!p) atomic_fetch_add(&failures, 1);
    return p;
}

static void json_free(void *p) { free(p); }

static void install_hooks(void)
{
    cJSON_Hooks hooks = {json_malloc, json_free};
    cJSON_InitHooks(&hooks);
}

void alloc_init(void) { pthread_once(&hooks_once, install_hooks); }

unsigned long alloc_failures(void) { return atomic_load(&failures); }

void alloc_note_failure(void) { atomic_fetch_add(&failures, 1); }

char *alloc_strdup(const char *s) { return alloc_counted_strdup(s ? s : ""); }

int alloc_check(hnb_model *h, unsigned long mark, int rc, const char *what)
{
    cJSON_Delete(orphans); /* every item of the chain */
    orphans = NULL;
    if (alloc_failures() == mark) return rc;
    /* a site's own message, when it says only that ("out of memory running
     * Monte Carlo (3 paths)"), says more than the call's */
    const char *msg = hnb_errmsg(h);
    if (rc == HNB_E_NOMEM && strstr(msg, "out of memory") && !strchr(msg, '\n')) return rc;
    return err_set(h, HNB_E_NOMEM, "out of memory (%s)", what);
}

/* ---- JSON syntax, without allocating ------------------------------------ */

typedef struct scan {
    const char *p, *end;
    int depth;
} scan;

static void ws(scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')) s->p++;
}

static int lit(scan *s, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0) return 0;
    s->p += n;
    return 1;
}

static int digits(scan *s)
{
    const char *a = s->p;
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9') s->p++;
    return s->p > a;
}

static int number(scan *s)
{
    if (s->p < s->end && *s->p == '-') s->p++;
    if (!digits(s)) return 0;
    if (s->p < s->end && *s->p == '.') {
        s->p++;
        if (!digits(s)) return 0;
    }
    if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
        s->p++;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-')) s->p++;
        if (!digits(s)) return 0;
    }
    return 1;
}

/* Four hex digits at s->p (moved past them), or -1. */
static long hex4(scan *s)
{
    if (s->end - s->p < 4) return -1;
    long u = 0;
    for (int k = 0; k < 4; k++, s->p++) {
        char h = *s->p;
        int d = (h >= '0' && h <= '9')   ? h - '0'
                : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                         : -1;
        if (d < 0) return -1;
        u = u * 16 + d;
    }
    return u;
}

static int string(scan *s)
{
    if (s->p >= s->end || *s->p != '"') return 0;
    for (s->p++; s->p < s->end; s->p++) {
        unsigned char c = (unsigned char)*s->p;
        if (c == '"') {
            s->p++;
            return 1;
        }
        if (c == 0) return 0; /* cJSON takes other control characters raw */
        if (c == '\\') {
            if (++s->p >= s->end) return 0;
            if (*s->p == 'u') {
                /* a high surrogate must be followed by a low one, as cJSON wants */
                s->p++;
                long u = hex4(s);
                if (u < 0 || (u >= 0xDC00 && u <= 0xDFFF)) return 0;
                if (u >= 0xD800 && u <= 0xDBFF) {
                    if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u') return 0;
                    s->p += 2;
                    long lo = hex4(s);
                    if (lo < 0xDC00 || lo > 0xDFFF) return 0;
                }
                s->p--; /* the loop steps over the last hex digit */
            } else if (!*s->p || !strchr("\"\\/bfnrt", *s->p)) {
                return 0;
            }
        }
    }
    return 0;
}

static int value(scan *s);

static int members(scan *s, char close, int keyed)
{
    if (++s->depth > CJSON_NESTING_LIMIT) return 0;
    s->p++;
    ws(s);
    if (s->p < s->end && *s->p == close) {
        s->p++;
        s->depth--;
        return 1;
    }
    for (;;) {
        ws(s);
        if (keyed) {
            if (!string(s)) return 0;
            ws(s);
            if (s->p >= s->end || *s->p != ':') return 0;
            s->p++;
        }
        if (!value(s)) return 0;
        ws(s);
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            continue;
        }
        if (s->p < s->end && *s->p == close) {
            s->p++;
            s->depth--;
            return 1;
        }
        return 0;
    }
}

static int value(scan *s)
{
    ws(s);
    if (s->p >= s->end) return 0;
    switch (*s->p) {
    case '{': return members(s, '}', 1);
    case '[': return members(s, ']', 0);
    case '"': return string(s);
    case 't': return lit(s, "true");
    case 'f': return lit(s, "false");
    case 'n': return lit(s, "null");
    default: return number(s);
    }
}

int alloc_json_valid(const char *text, size_t len)
{
    scan s = {text, text + len, 0};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) s.p += 3; /* cJSON skips a byte-order mark */
    if (!value(&s)) return 0;
    ws(&s);
    return s.p == s.end;
}
