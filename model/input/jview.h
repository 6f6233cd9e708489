/* jview.h: a read-only view of one JSON value through a chain of `extends`.
 *
 * A scenario that extends another overrides only what differs, so a value is
 * looked up in the child first, then in its parent, and so on. A view holds
 * the value as it appears in each layer that has it (most specific first),
 * with the file and the JSON path of each, so that an error names the place
 * a finance officer must edit. Objects merge key by key across layers; any
 * other value (number, string, array) in a more specific layer hides the
 * rest. Layers are bounded by JV_MAX, the deepest extends chain allowed.
 *
 * The loader (struct loader) collects every problem as it goes (err_add) and
 * never stops at the first, so `hnbsim validate` can list them all. */
#ifndef HNB_JVIEW_H
#define HNB_JVIEW_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "hnbsim.h"

#define JV_MAX  16
#define JV_PATH 200

typedef struct jv {
    int n;
    const cJSON *node[JV_MAX];
    const char *file[JV_MAX];
    char path[JV_MAX][JV_PATH];
    const char *source; /* nearest enclosing "source" note, or NULL */
} jv;

typedef struct loader {
    hnb_model *h;
    size_t nerr;
    const cJSON **checked; /* objects whose keys were checked already */
    size_t nchecked, capchecked;
    int doc0;           /* index in h->docs of the first document of this load */
    unsigned flags;     /* HNB_LOAD_* of this load */
    const char *root;   /* the file loaded: `extends` stays in its folder tree */
    unsigned long mark; /* alloc_failures() when the load began (ld_nomem) */
} loader;

/* 1 if an allocation has failed since the load began (core/alloc.h): the
 * scenario being read is then abandoned, not read on with missing parts. */
int ld_nomem(const loader *ld);

/* Record a problem at v (or at v's child `key` if not NULL):
 * "<file>: <path>[.key]: <what> (expected <expected>)". */
void ld_err(loader *ld, int code, const jv *v, const char *key, const char *expected, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

void jv_root(jv *v, const cJSON *node, const char *file, const char *path);
/* Add a lower layer (a parent scenario) under the layers v has. */
void jv_push(jv *v, const cJSON *node, const char *file, const char *path);
/* The child `key` of an object view; returns 0 if no layer has it. */
int jv_get(const jv *v, const char *key, jv *out);
/* Element i of the (top layer's) array. */
int jv_at(const jv *v, int i, jv *out);
int jv_size(const jv *v);
/* The keys of an object view, merged over its layers: the root-most layer's
 * keys in file order, then the keys more specific layers add. Returns the
 * count and a malloc'd array in *keys (NULL when there are none), or -1 if
 * out of memory. jv_get(v, keys[i], ...) then gives each key's value. */
int jv_keys(const jv *v, const char ***keys);
static inline const cJSON *jv_top(const jv *v) { return v->n ? v->node[0] : NULL; }

/* Check every key of every layer against the allowed list (NULL-terminated):
 * unknown keys (with a "did you mean"), and "source" and "note", which must
 * be strings. Each object is checked once per load, whatever the number of
 * views that reach it. */
void jv_check_keys(loader *ld, const jv *v, const char *const *allowed);
/* Report every key that appears twice in one object, anywhere under node
 * (cJSON keeps both and the getters see only the first). `path` is node's. */
void jv_check_duplicates(loader *ld, const cJSON *node, const char *file, const char *path);
/* Type checks that record an error and return 0 when wrong. */
int jv_want(loader *ld, const jv *v, int cjson_type, const char *expected);

/* Convenience getters: return 1 if present and well typed. */
int jv_str(loader *ld, const jv *v, const char *key, int required, const char **out);
int jv_num(loader *ld, const jv *v, const char *key, int required, double lo, double hi, double *out);
int jv_int(loader *ld, const jv *v, const char *key, int required, int lo, int hi, int *out);
int jv_fy(loader *ld, const jv *v, const char *key, int required, int *fy);
int jv_date(loader *ld, const jv *v, const char *key, int required, double *months, char *text /* 11 bytes */);

/* Edit distance, for "did you mean". */
size_t jv_distance(const char *a, const char *b);

#endif
