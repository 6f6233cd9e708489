/* error.h: the library's one error convention, internal side.
 *
 * A failing function records what went wrong in the handle and returns the
 * code: `return err_set(h, HNB_E_RANGE, "%s: %s: must be >= 0 (expected ...)", ...)`.
 * err_set replaces the detail (a single error); err_add appends a line, for
 * validation, which reports every problem before returning one code. */
#ifndef HNB_ERROR_H
#define HNB_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#include "hnbsim.h"

#if defined(__GNUC__)
#define HNB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define HNB_PRINTF(a, b)
#endif

int err_set(hnb_model *h, int code, const char *fmt, ...) HNB_PRINTF(3, 4);
int err_add(hnb_model *h, int code, const char *fmt, ...) HNB_PRINTF(3, 4);
int err_vadd(hnb_model *h, int code, const char *fmt, va_list ap);
void err_clear(hnb_model *h);
/* Number of problems recorded since the last err_clear. */
size_t err_count(const hnb_model *h);
/* The first code recorded since the last err_clear, or HNB_OK. */
int err_first(const hnb_model *h);

#endif
