/* charttext.c: text for the charts (chartstyle.h): growing strings, the one
 * escaping function for the gnuplot sink (charts_quote), text widths as
 * drawn, and numbers and dates as printed.
 *
 * Design. Every string that comes from a scenario or results file reaches
 * gnuplot as a single-quoted string through charts_quote, never inside a
 * double-quoted one: gnuplot runs a backquoted command inside double quotes
 * (a scenario label `Baseline \`id > f\`` would run id), and expands nothing
 * inside single quotes. Widths are from DejaVu Sans advance widths, the font
 * "Sans" resolves to, on the 20 cm x 12.5 cm page every format shares, so
 * layout does not depend on gnuplot's per-terminal estimates. Money is
 * written by hand ("−£43.9m": true minus, thousands separators) rather than
 * by gnuplot formats, whose separator needs a locale that may be missing. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chartstyle.h"
#include "core/dates.h"

#define CHARTS_MINUS "\xe2\x88\x92" /* U+2212 MINUS SIGN */

/* ---- growing text ---------------------------------------------------- */

static int charts_reserve(charts_text *t, size_t more)
{
    if (t->oom) return -1;
    size_t need = t->len + more + 1;
    if (need <= t->cap) return 0;
    size_t cap = t->cap ? t->cap : 1024;
    while (cap < need) cap *= 2;
    char *s = realloc(t->s, cap);
    if (!s) {
        t->oom = 1;
        return -1;
    }
    t->s = s;
    t->cap = cap;
    return 0;
}

void charts_printf(charts_text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || charts_reserve(t, (size_t)n) != 0) return;
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

void charts_puts(charts_text *t, const char *s)
{
    size_t n = strlen(s);
    if (charts_reserve(t, n) != 0) return;
    memcpy(t->s + t->len, s, n + 1);
    t->len += n;
}

/* The length of the valid UTF-8 sequence at p (1 to 4), or 0 if it is not
 * one (a stray continuation byte, a truncated or overlong sequence, a
 * surrogate or a code point past U+10FFFF). */
static int charts_utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    int n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (n <= 1) return n;
    unsigned cp = c & (0x7fu >> n);
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        cp = cp << 6 | (p[i] & 0x3fu);
    }
    static const unsigned least[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return n;
}

/* The one way text reaches gnuplot (see chartstyle.h): a single-quoted
 * string, in which gnuplot 5.4 performs no backquote (shell command)
 * substitution, no macro (@) expansion and no backslash escapes; the only
 * special character is the quote itself. It is written as the string
 * expression '...'."'".'...' (the double-quoted "'" holds nothing gnuplot
 * could expand), not doubled: gnuplot 5.4 reads a doubled quote at the start
 * of a string as an empty string and a stray token. A line break becomes
 * '...'."\n".'...'; for a tick label (a format) '%' is doubled and a line
 * break is a space. Control characters become spaces and
 * bytes that are not UTF-8 become U+FFFD, so the SVG stays valid XML. */
static void charts_quote2(charts_text *t, const char *s, int tic)
{
    charts_puts(t, "'");
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        int n = charts_utf8_len(p);
        if (n == 0) {
            charts_puts(t, "\xef\xbf\xbd");
            p++;
            continue;
        }
        if (n > 1) {
            char c[5] = {0};
            memcpy(c, p, (size_t)n);
            charts_puts(t, c);
            p += n;
            continue;
        }
        if (*p == '\'') /* gnuplot misreads a doubled quote at either end */
            charts_puts(t, "'.\"'\".'");
        else if (*p == '\n' && !tic)
            charts_puts(t, "'.\"\\n\".'");
        else if (*p == '%' && tic)
            charts_puts(t, "%%");
        else if (*p < 0x20 || *p == 0x7f)
            charts_puts(t, " ");
        else {
            char c[2] = {(char)*p, '\0'};
            charts_puts(t, c);
        }
        p++;
    }
    charts_puts(t, "'");
}

void charts_quote(charts_text *t, const char *s) { charts_quote2(t, s, 0); }
void charts_quote_tic(charts_text *t, const char *s) { charts_quote2(t, s, 1); }

void charts_text_free(charts_text *t)
{
    free(t->s);
    memset(t, 0, sizeof *t);
}

/* ---- text widths ------------------------------------------------------ */

/* DejaVu Sans (Book, Bold) advance widths for ' '..'~', in thousandths of
 * an em, read from the fonts' hmtx tables. */
static const unsigned short charts_adv[2][95] = {
    {318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361,  318, 337, 636, 636, 636,
     636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
     575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635,  611, 732, 684, 989, 685,
     611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352,  635, 634, 278, 278, 579,
     278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592,  525, 636, 337, 636, 838},
    {348, 456,  521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415,  380, 365, 696, 696,  696,
     696, 696,  696, 696, 696, 696,  696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830,  683,
     683, 821,  837, 372, 372, 775,  637, 995, 837, 850, 733, 850, 770, 720,  682, 812, 774, 1103, 771,
     724, 725,  457, 365, 457, 838,  500, 500, 675, 716, 593, 716, 678, 435,  716, 712, 343, 343,  665,
     343, 1042, 712, 687, 716, 716,  493, 595, 478, 712, 652, 924, 645, 652,  582, 712, 365, 712,  838},
};

#define CHARTS_PT_CM 0.035278 /* one point in cm */

/* Width in ems of the UTF-8 text from s to e (one line). */
static double charts_ems(const char *s, const char *e, int bold)
{
    double w = 0.0;
    for (const unsigned char *p = (const unsigned char *)s; p < (const unsigned char *)e && *p;) {
        unsigned cp = *p;
        int len = cp < 0x80 ? 1 : cp >= 0xf0 ? 4 : cp >= 0xe0 ? 3 : cp >= 0xc0 ? 2 : 1;
        if (len == 2 && p + 1 < (const unsigned char *)e)
            cp = (cp & 0x1fu) << 6 | (p[1] & 0x3fu);
        else if (len == 3 && p + 2 < (const unsigned char *)e)
            cp = (cp & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu);
        if (cp >= 32 && cp < 127)
            w += charts_adv[bold ? 1 : 0][cp - 32] / 1000.0;
        else if (cp == 0xa3)
            w += bold ? 0.696 : 0.636; /* £ */
        else if (cp == 0x2212)
            w += 0.838; /* minus */
        else if (cp == 0x2014 || cp == 0x2026)
            w += 1.0; /* em dash, ellipsis */
        else if (cp >= 0x80)
            w += bold ? 0.72 : 0.66;
        p += len;
    }
    return w;
}

double charts_text_cm(const char *s, double pt, int bold)
{
    double best = 0.0;
    for (const char *l = s ? s : ""; l;) {
        const char *nl = strchr(l, '\n');
        double w = charts_ems(l, nl ? nl : l + strlen(l), bold);
        best = w > best ? w : best;
        l = nl ? nl + 1 : NULL;
    }
    return best * pt * CHARTS_PT_CM;
}

double charts_line_cm(double pt) { return pt * 1.25 * CHARTS_PT_CM; }

int charts_wrap_cm(char *buf, size_t n, const char *text, double max_cm, double pt, int bold)
{
    snprintf(buf, n, "%s", text ? text : "");
    double max_em = max_cm / (pt * CHARTS_PT_CM);
    int lines = 1;
    char *start = buf, *last_space = NULL;
    for (char *p = buf; *p; p++) {
        if (*p == '\n') {
            lines++;
            start = p + 1;
            last_space = NULL;
            continue;
        }
        if (*p == ' ') {
            if (charts_ems(start, p, bold) > max_em && last_space) {
                *last_space = '\n';
                lines++;
                start = last_space + 1;
            }
            last_space = p;
        }
    }
    if (last_space && charts_ems(start, start + strlen(start), bold) > max_em) {
        *last_space = '\n';
        lines++;
    }
    return buf[0] ? lines : 0;
}

/* ---- numbers and dates as printed ------------------------------------ */

/* |v| with `decimals` and thousands separators into buf; returns 1 if the
 * printed figure is zero (so no sign is shown). */
static int charts_group(char *buf, size_t n, double v, int decimals)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
    const char *dot = strchr(raw, '.');
    size_t il = dot ? (size_t)(dot - raw) : strlen(raw), k = 0;
    for (size_t i = 0; i < il && k + 2 < n; i++) {
        if (i > 0 && (il - i) % 3 == 0) buf[k++] = ',';
        buf[k++] = raw[i];
    }
    for (const char *p = dot; p && *p && k + 1 < n; p++) buf[k++] = *p;
    buf[k < n ? k : n - 1] = '\0';
    return strspn(raw, "0.") == strlen(raw);
}

void charts_money(char *buf, size_t n, double pounds, int decimals, int plus)
{
    char num[40];
    int zero = charts_group(num, sizeof num, pounds / 1e6, decimals);
    const char *sign = zero ? "" : pounds < 0 ? CHARTS_MINUS : plus ? "+" : "";
    snprintf(buf, n, "%s\xc2\xa3%sm", sign, num);
}

void charts_count(char *buf, size_t n, double v)
{
    char num[40];
    int zero = charts_group(num, sizeof num, v, 0);
    snprintf(buf, n, "%s%s", (!zero && v < 0) ? CHARTS_MINUS : "", num);
}

void charts_long_date(char *buf, size_t n, const char *s)
{
    static const char *const month[12] = {"January", "February", "March",     "April",   "May",      "June",
                                          "July",    "August",   "September", "October", "November", "December"};
    hnb_date d;
    if (date_parse(s, &d) == 0)
        snprintf(buf, n, "%d %s %d", d.d, month[d.m - 1], d.y);
    else
        snprintf(buf, n, "%s", s ? s : "");
}

void charts_wrap(char *buf, size_t n, const char *text, size_t width)
{
    snprintf(buf, n, "%s", text ? text : "");
    size_t col = 0;
    char *last_space = NULL;
    for (char *p = buf; *p; p++) {
        if (*p == '\n') {
            col = 0;
            last_space = NULL;
            continue;
        }
        if (*p == ' ') last_space = p;
        /* count characters, not UTF-8 continuation bytes */
        if (((unsigned char)*p & 0xc0) != 0x80) col++;
        if (col > width && last_space) {
            *last_space = '\n';
            col = 0;
            for (char *q = last_space + 1; q <= p; q++)
                if (((unsigned char)*q & 0xc0) != 0x80) col++;
            last_space = NULL;
        }
    }
}
