/* alloc_count.h: every allocation of the library counted.
 *
 * The build forces this header into every file of libhnbsim (model/,
 * plots/, report/: `-include`, CMakeLists.txt), ahead of everything else, so
 * that malloc, calloc, realloc, aligned_alloc, strdup and strndup in any of
 * them are alloc.c's counted versions: the same calls, which add one to the
 * count of failed allocations (alloc.h) when they return NULL. A public call
 * compares the count when it ends with the count when it started
 * (alloc_check), so an allocation that fails anywhere below it, checked or
 * not at its site, makes the call's result HNB_E_NOMEM, "out of memory": no
 * failure can be swallowed into a run that "succeeds" with missing data, nor
 * reported as bad input. Each site still has to cope with the NULL (no crash,
 * no leak): tests/allocfail.c fails every allocation in turn to show it does.
 *
 * The same goes for the two cJSON calls that take ownership of an item:
 * cJSON_AddItemToObject and cJSON_AddItemToArray leave the item with the
 * caller when they fail (a key that could not be copied, a parent that a
 * failed allocation left NULL), and no caller frees it. Their counted
 * versions keep such an item, still valid (the caller may go on filling
 * it), on this thread's list of orphans, which the public call deletes when
 * it ends (alloc_check): a failure while building a results tree leaks
 * nothing.
 *
 * Trade-offs: the names are macros, so the header declares nothing that
 * needs a system header (it comes before each file's feature-test macros);
 * the system headers' own declarations of malloc and its kin then declare
 * the counted functions, with the same types and attributes. Allocations
 * made inside other libraries (libc's realpath and stdio, GSL,
 * libxlsxwriter, zlib) are not counted: their callers check what they get.
 * alloc.c itself is compiled with HNB_ALLOC_RAW, to call the real ones. */
#ifndef HNB_ALLOC_COUNT_H
#define HNB_ALLOC_COUNT_H

void *alloc_counted_malloc(__SIZE_TYPE__ n);
void *alloc_counted_calloc(__SIZE_TYPE__ k, __SIZE_TYPE__ n);
void *alloc_counted_realloc(void *p, __SIZE_TYPE__ n);
void *alloc_counted_aligned_alloc(__SIZE_TYPE__ align, __SIZE_TYPE__ n);
char *alloc_counted_strdup(const char *s);
char *alloc_counted_strndup(const char *s, __SIZE_TYPE__ n);
struct cJSON;
int alloc_json_add_to_object(struct cJSON *object, const char *key, struct cJSON *item);
int alloc_json_add_to_array(struct cJSON *array, struct cJSON *item);

#ifndef HNB_ALLOC_RAW
#define malloc(n)                      alloc_counted_malloc(n)
#define calloc(k, n)                   alloc_counted_calloc(k, n)
#define realloc(p, n)                  alloc_counted_realloc(p, n)
#define aligned_alloc(a, n)            alloc_counted_aligned_alloc(a, n)
#define strdup(s)                      alloc_counted_strdup(s)
#define strndup(s, n)                  alloc_counted_strndup(s, n)
#define cJSON_AddItemToObject(o, k, i) alloc_json_add_to_object(o, k, i)
#define cJSON_AddItemToArray(a, i)     alloc_json_add_to_array(a, i)
#endif

#endif
