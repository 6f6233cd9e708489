/* alloc.h: running out of memory, told apart from everything else.
 *
 * The library checks what malloc returns where it calls it; what it cannot
 * check call by call is the hundreds of cJSON calls that build a results
 * tree (cJSON_Add* return NULL and the tree silently lacks a member), a
 * cJSON parse that fails (NULL for a syntax error and for memory alike), and
 * a string copied while a scenario loads. So:
 *   - every allocation of the library is counted when it fails: malloc and
 *     its kin by the names alloc_count.h maps to alloc.c's counted versions,
 *     cJSON's through hooks installed once (alloc_init, called by
 *     hnb_model_alloc), what libc allocates inside (realpath) by
 *     alloc_note_failure at the call;
 *   - a public call takes alloc_failures() when it starts and, if the count
 *     moved, its result is HNB_E_NOMEM, whatever else it concluded (a
 *     "missing key" seen because a copy failed is out of memory, not bad
 *     input), and nothing is written (alloc_check, which also deletes the
 *     cJSON items a failed add could not adopt: alloc_count.h);
 *   - alloc_json_valid says, without allocating, whether text is JSON cJSON
 *     would accept, so a failed parse of valid text is out of memory.
 * The count is global (the hooks have no handle): a failure in another
 * thread's job can only make a call report out of memory, never hide one.
 * Installing cJSON's hooks replaces any an embedding program set: they call
 * malloc and free, as cJSON's defaults do. tests/allocfail.c fails every
 * allocation in turn through a link-time seam (docs/testing.md). */
#ifndef HNB_ALLOC_H
#define HNB_ALLOC_H

#include <stddef.h>

#include "hnbsim.h"

/* Install cJSON's counting hooks (once; safe from any thread). */
void alloc_init(void);
/* Allocations that have failed since the program started. */
unsigned long alloc_failures(void);
/* Count one failed allocation of the library's own. */
void alloc_note_failure(void);
/* strdup that counts a failure. */
char *alloc_strdup(const char *s);
/* rc, or HNB_E_NOMEM (the detail replaced by "out of memory (what)") when
 * an allocation failed since `mark` (an alloc_failures() value); deletes
 * this thread's orphaned cJSON items (alloc_count.h). Called as a public
 * call ends. */
int alloc_check(hnb_model *h, unsigned long mark, int rc, const char *what);
/* 1 if text[0..len) is one JSON value (with nothing but white space after it)
 * that cJSON parses, nested at most CJSON_NESTING_LIMIT deep; 0 if not. */
int alloc_json_valid(const char *text, size_t len);

#endif
