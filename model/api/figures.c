/* figures.c: reading single figures out of the results of the last run
 * (hnb_result_number, hnb_result_string, hnb_result_count), for programs that
 * embed the library (examples/, python/) and would otherwise have to parse
 * the JSON of hnb_results_string.
 *
 * A figure is named by a dotted path into the results document
 * (docs/results-format.md), e.g. "scenarios.baseline.years.2027-28.cumulative".
 * Each step names an object key, or picks an array element either by its
 * index ("years.0") or by the value of its identifying key: "name"
 * (scenarios, actions), "fy" (years), "id" (placements, lines) or
 * "scenario" (backtest). Matching on these keys, not on positions, keeps a
 * caller's paths valid when a scenario or a year is added.
 *
 * Invariants: the functions only read h->results; they never change it, so
 * a string returned stays valid until the results are replaced (hnb_run,
 * hnb_load_results, hnb_backtest, hnb_calibrate) or the handle is freed.
 * Trade-off: a path is walked from the root on every call (a few string
 * comparisons per step), which is nothing beside a run. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/model.h"

/* The element of array `a` that `step` names: an index, or the element
 * whose identifying key equals step. */
static const cJSON *array_step(const cJSON *a, const char *step)
{
    static const char *const ids[] = {"name", "fy", "id", "scenario"};
    char *end;
    long i = strtol(step, &end, 10);
    if (step[0] >= '0' && step[0] <= '9' && *end == '\0')
        return i < cJSON_GetArraySize(a) ? cJSON_GetArrayItem(a, (int)i) : NULL;
    const cJSON *e;
    cJSON_ArrayForEach(e, a)
    {
        if (!cJSON_IsObject(e)) continue;
        for (size_t k = 0; k < sizeof ids / sizeof *ids; k++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, ids[k]);
            if (cJSON_IsString(v) && strcmp(v->valuestring, step) == 0) return e;
        }
    }
    return NULL;
}

/* Walk `path` from the root of the results; NULL with the error set if a
 * step names nothing. */
static const cJSON *walk(hnb_model *h, const char *path, int *rc)
{
    *rc = HNB_OK;
    if (!path) {
        *rc = err_set(h, HNB_E_USAGE,
                      "results: (null): no path given (expected a dotted path such as "
                      "\"scenarios.baseline.headline.cumulative_at_override_end\")");
        return NULL;
    }
    if (!h->results) {
        *rc = err_set(h, HNB_E_NOTRUN, "results: %s: no results (expected hnb_run or hnb_load_results first)", path);
        return NULL;
    }
    const cJSON *v = h->results;
    const char *p = path;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        char step[256];
        if (n == 0 || n >= sizeof step) {
            *rc = err_set(h, HNB_E_USAGE, "results: %s: empty or over-long step (expected keys joined by '.')", path);
            return NULL;
        }
        memcpy(step, p, n);
        step[n] = '\0';
        const cJSON *next = NULL;
        if (cJSON_IsObject(v))
            next = cJSON_GetObjectItemCaseSensitive(v, step);
        else if (cJSON_IsArray(v))
            next = array_step(v, step);
        if (!next) {
            *rc = err_set(h, HNB_E_REF, "results: %.*s: no such %s (expected %s)", (int)(p - path + n), path,
                          cJSON_IsArray(v)    ? "element"
                          : cJSON_IsObject(v) ? "key"
                                              : "step",
                          cJSON_IsArray(v)    ? "an index or the name, fy, id or scenario of an element"
                          : cJSON_IsObject(v) ? "a key of the results format, docs/results-format.md"
                                              : "nothing after a number or a string");
            return NULL;
        }
        v = next;
        p += n + (dot ? 1 : 0);
        if (dot && !*p) {
            *rc = err_set(h, HNB_E_USAGE, "results: %s: path ends with '.' (expected a key after it)", path);
            return NULL;
        }
    }
    return v;
}

int hnb_result_number(hnb_model *h, const char *path, double *out)
{
    int rc;
    if (out) *out = NAN;
    const cJSON *v = walk(h, path, &rc);
    if (!v) return rc;
    if (cJSON_IsNull(v)) return HNB_OK; /* a figure that is not defined: NaN */
    if (!cJSON_IsNumber(v))
        return err_set(h, HNB_E_TYPE, "results: %s: not a number (expected the path of a figure)", path);
    if (out) *out = v->valuedouble;
    return HNB_OK;
}

int hnb_result_string(hnb_model *h, const char *path, const char **out)
{
    int rc;
    if (out) *out = NULL;
    const cJSON *v = walk(h, path, &rc);
    if (!v) return rc;
    if (cJSON_IsNull(v)) return HNB_OK;
    if (!cJSON_IsString(v))
        return err_set(h, HNB_E_TYPE, "results: %s: not a string (expected the path of a name or a label)", path);
    if (out) *out = v->valuestring;
    return HNB_OK;
}

int hnb_result_count(hnb_model *h, const char *path, size_t *out)
{
    int rc;
    if (out) *out = 0;
    const cJSON *v = walk(h, path ? path : "", &rc);
    if (!v) return rc;
    if (!cJSON_IsArray(v) && !cJSON_IsObject(v))
        return err_set(h, HNB_E_TYPE, "results: %s: neither an array nor an object (expected a list to count)",
                       path ? path : "");
    if (out) *out = (size_t)cJSON_GetArraySize(v);
    return HNB_OK;
}

const char *hnb_result_key(hnb_model *h, const char *path, size_t i)
{
    int rc;
    const cJSON *v = walk(h, path ? path : "", &rc);
    if (!v || !cJSON_IsObject(v) || i >= (size_t)cJSON_GetArraySize(v)) return NULL;
    return cJSON_GetArrayItem(v, (int)i)->string;
}
