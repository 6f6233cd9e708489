/* error.c: the table of numbered errors and the detail kept in the handle.
 *
 * Codes and fixed messages come from errors.def, so they cannot drift apart.
 * The detail is a growing buffer of lines in the handle (never a global), so
 * that validation can report every problem in a file before it fails. */
#include "core/alloc.h"
#include "core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"

const char *hnb_strerror(int code)
{
    switch (code) {
    case HNB_OK: return "success";
#define X(name, num, msg) \
    case num:             \
        return msg;
#include "core/errors.def"
#undef X
    default: return "unknown error";
    }
}

const char *hnb_errmsg(const hnb_model *h) { return (h && h->err.text) ? h->err.text : ""; }

void err_clear(hnb_model *h)
{
    if (h->err.text) h->err.text[0] = '\0';
    h->err.len = 0;
    h->err.count = 0;
    h->err.first = HNB_OK;
}

size_t err_count(const hnb_model *h) { return h->err.count; }
int err_first(const hnb_model *h) { return h->err.first; }

int err_vadd(hnb_model *h, int code, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    size_t need = h->err.len + (size_t)n + 2;
    if (need > h->err.cap) {
        size_t cap = h->err.cap ? h->err.cap : 256;
        while (cap < need) cap *= 2;
        char *t = realloc(h->err.text, cap);
        if (!t) { /* keep what we had: the code still says what failed */
            alloc_note_failure();
            return code;
        }
        h->err.text = t;
        h->err.cap = cap;
    }
    if (h->err.len) h->err.text[h->err.len++] = '\n';
    vsnprintf(h->err.text + h->err.len, (size_t)n + 1, fmt, ap);
    h->err.len += (size_t)n;
    if (!h->err.count) h->err.first = code;
    h->err.count++;
    return code;
}

int err_add(hnb_model *h, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vadd(h, code, fmt, ap);
    va_end(ap);
    return code;
}

int err_set(hnb_model *h, int code, const char *fmt, ...)
{
    err_clear(h);
    va_list ap;
    va_start(ap, fmt);
    err_vadd(h, code, fmt, ap);
    va_end(ap);
    return code;
}
