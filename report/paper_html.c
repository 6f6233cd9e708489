/* paper_html.c: the growing HTML buffer of the Forum paper and the one
 * function that escapes text into it (paper.h).
 *
 * pb_esc is the only way text reaches the page: it writes & < > " ' as
 * character references, so the same call is safe inside an element and
 * inside a quoted attribute, and it drops C0 control characters (other than
 * tab and newline), which HTML does not allow. Markup goes in only as string
 * literals (PB_TAG), and SVG only after paper_svg.c has checked it.
 *
 * On a failed allocation the buffer stops growing and remembers it (nomem);
 * paper_build then fails with HNB_E_NOMEM instead of writing half a page. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paper.h"

static void pb_put(pbuf *b, const char *s, size_t n)
{
    if (b->nomem) return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n + 1) cap *= 2;
        char *t = realloc(b->s, cap);
        if (!t) {
            b->nomem = 1;
            return;
        }
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

void pb_markup_(pbuf *b, const char *lit) { pb_put(b, lit, strlen(lit)); }

void pb_trusted_(pbuf *b, const char *svg, size_t n) { pb_put(b, svg, n); }

void pb_esc(pbuf *b, const char *text)
{
    const char *run = text;
    for (const char *s = text; s && *s; s++) {
        const char *rep = NULL;
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n') rep = "";
            if (c == 0x7f) rep = "";
        }
        if (!rep) continue;
        pb_put(b, run, (size_t)(s - run));
        pb_put(b, rep, strlen(rep));
        run = s + 1;
    }
    if (text) pb_put(b, run, strlen(run));
}

void pb_escf(pbuf *b, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    pb_esc(b, buf);
}

void pb_free(pbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->n = b->cap = 0;
}

void pb_th_col(pbuf *b, const char *text)
{
    PB_TAG(b, "<th scope=\"col\">");
    pb_esc(b, text);
    PB_TAG(b, "</th>");
}

void pb_th_row(pbuf *b, const char *text)
{
    PB_TAG(b, "<th scope=\"row\">");
    pb_esc(b, text);
    PB_TAG(b, "</th>");
}

void pb_td(pbuf *b, const char *text, int num)
{
    if (num == 2)
        PB_TAG(b, "<td class=\"d\">");
    else if (num)
        PB_TAG(b, "<td class=\"n\">");
    else
        PB_TAG(b, "<td>");
    pb_esc(b, text);
    PB_TAG(b, "</td>");
}
