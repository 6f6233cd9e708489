/* chartstyle.c: the look every chart shares (see chartstyle.h).
 *
 * Design. The charts go into Schools Forum papers, which are printed and
 * photocopied in black and white, so no series is told apart by hue alone:
 * scenario lines differ in colour, dash pattern and point shape; stacked
 * layers use one hue at evenly spaced lightness (dark at the bottom), so the
 * order survives greyscale; layers of another kind are hatched. Every chart
 * carries its source and run date in a footnote, so a page torn out of a
 * paper still says where its numbers came from.
 *
 * Trade-offs. Tick labels are written by hand ("−£40m", "3,000") rather than
 * by gnuplot's format strings: gnuplot's thousands separator needs a locale
 * that may not be installed, and a hand-made list keeps £ and the true minus
 * sign. Vertical positions of the title and footnote are in screen fractions,
 * which holds because every format has the same aspect ratio and the fonts of
 * PNG and SVG are scaled to match the PDF page. Text is sent with gnuplot's
 * enhanced mode off, so labels from a results file (an underscore, a brace)
 * print as written. */
#define _POSIX_C_SOURCE 200809L
#include "chartstyle.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"

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

static void charts_quote2(charts_text *t, const char *s, int tic)
{
    charts_puts(t, "\"");
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '\\') charts_puts(t, "\\\\");
        else if (*p == '"') charts_puts(t, "\\\"");
        else if (*p == '\n') charts_puts(t, "\\n");
        else if (*p == '%' && tic) charts_puts(t, "%%");
        else if (*p < 0x20 || *p == 0x7f) charts_puts(t, " ");
        else {
            char c[2] = {(char)*p, '\0'};
            charts_puts(t, c);
        }
    }
    charts_puts(t, "\"");
}

void charts_quote(charts_text *t, const char *s) { charts_quote2(t, s, 0); }
void charts_quote_tic(charts_text *t, const char *s) { charts_quote2(t, s, 1); }

void charts_text_free(charts_text *t)
{
    free(t->s);
    memset(t, 0, sizeof *t);
}

/* ---- formats and prelude --------------------------------------------- */

/* The PDF page is the reference: 20 cm x 12.5 cm, 9 pt text (pdfcairo draws
 * fonts at 4/3 of their size with fontscale 1, hence 0.75), which stays
 * readable scaled to the text width of an A4 page. PNG (1600 x 1000) and SVG
 * (the page in points) scale fonts, lines and, through the variable PS,
 * points so that they look the same: measured against the PDF, not derived,
 * as the three terminals count points and pixels differently. gnuplot keeps
 * user variables across `reset`, so each terminal also sets FB (a bold face:
 * SVG has none) and KW, KS (key width and spacing: gnuplot's estimate of SVG
 * text is wider and taller than what renderers draw). */
const charts_format charts_formats[3] = {
    {HNB_FMT_PNG, "png",
     "set terminal pngcairo size 1600,1000 noenhanced font \"Sans,9\" fontscale 2.1 "
     "linewidth 1.41 rounded background \"white\"\nPS = 2.2\nFB = \"Sans:Bold\"\nKW = -1\nKS = 1.2"},
    {HNB_FMT_PDF, "pdf",
     "set terminal pdfcairo size 20cm,12.5cm noenhanced font \"Sans,9\" fontscale 0.75 "
     "linewidth 1 rounded background \"white\"\nPS = 1.0\nFB = \"Sans:Bold\"\nKW = -1\nKS = 1.2"},
    {HNB_FMT_SVG, "svg",
     "set terminal svg size 567,354 fixed noenhanced font \"sans-serif,9\" fontscale 1 "
     "linewidth 0.42 rounded background \"white\"\nPS = 0.77\nFB = \"sans-serif\"\nKW = -5\nKS = 1.0"},
};

/* Scenario styles: colour (Okabe-Ito-like, readable on white), a dash
 * pattern and a point shape that differ even with the colour gone. */
static const struct charts_series {
    const char *colour;
    const char *dash;
    int point;
    const char *fill; /* for bars: solid dark, hatched, light, ... */
} charts_series[CHARTS_NSTYLES] = {
    {"#1b3a6b", "1", 7, "solid 1.0"},
    {"#c8500a", "(8,6)", 5, "pattern 4"},
    {"#1b7f5f", "(2,4)", 9, "solid 0.35"},
    {"#6a3d9a", "(9,3,2,3)", 13, "pattern 5"},
    {"#8c6d1f", "(16,5)", 11, "solid 0.65"},
    {"#3f8fc4", "(2,2,7,2)", 15, "pattern 1"},
};

void charts_begin(charts_chart *c, const char *name, const char *suffix, const char *what)
{
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s%s%s", name, suffix ? "-" : "", suffix ? suffix : "");
    for (char *p = c->name; *p; p++) {
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                 *p == '_' || *p == '-' || (*p == '.' && p != c->name);
        if (!ok) *p = '-';
    }
    snprintf(c->what, sizeof c->what, "%s", what);

    charts_text *b = &c->body;
    charts_puts(b,
                "reset\n"
                "set encoding utf8\n"
                "set border 3 lw 0.8 lc rgb \"#333333\"\n"
                "set tics nomirror out scale 0.6 textcolor rgb \"#222222\"\n"
                "set grid noxtics ytics back lw 0.5 lc rgb \"#cccccc\" dt 1\n"
                "set key opaque box lc rgb \"#aaaaaa\" lw 0.6 samplen 3.5 spacing 1.2 width 1 Left reverse\n"
                "set style fill solid 1.0 border lc rgb \"#222222\"\n"
                "set datafile separator whitespace\n"
                "set xzeroaxis lt 1 lc rgb \"#222222\" lw 1\n");
    for (int i = 0; i < CHARTS_NSTYLES; i++)
        charts_printf(b, "set style line %d lc rgb \"%s\" lw 3 dt %s pt %d ps 0.85*PS\n", i + 1,
                      charts_series[i].colour, charts_series[i].dash, charts_series[i].point);
    /* 20: published outturn (filled), 21: published forecast (open),
     * 22: a total drawn over bars, 23: thin reference line. */
    charts_puts(b,
                "set style line 20 lc rgb \"#000000\" lw 1.5 pt 7 ps 1.3*PS\n"
                "set style line 21 lc rgb \"#000000\" lw 1.5 pt 6 ps 1.3*PS\n"
                "set style line 22 lc rgb \"#000000\" lw 3 dt 1 pt 7 ps 0.9*PS\n"
                "set style line 23 lc rgb \"#444444\" lw 1.0 dt (4,3)\n");
}

void charts_chart_free(charts_chart *c)
{
    charts_text_free(&c->data);
    charts_text_free(&c->body);
}

void charts_scratch_free(charts_chart *c, charts_text *t)
{
    if (t->oom) c->body.oom = 1;
    charts_text_free(t);
}

void charts_scenario_fill(char *buf, size_t n, int i)
{
    const struct charts_series *s = &charts_series[i % CHARTS_NSTYLES];
    snprintf(buf, n, "lc rgb \"%s\" fs %s border lc rgb \"#222222\"", s->colour, s->fill);
}

void charts_stack_fill(char *buf, size_t n, int k, int count)
{
    /* From a dark blue to a pale one, linear in each channel (close enough to
     * linear in lightness for two ends of one hue). */
    static const double dark[3] = {0x0b, 0x2e, 0x59}, light[3] = {0xe3, 0xec, 0xf6};
    double f = count > 1 ? (double)k / (count - 1) : 0.0;
    int rgb[3];
    for (int j = 0; j < 3; j++) rgb[j] = (int)lround(dark[j] + f * (light[j] - dark[j]));
    snprintf(buf, n, "lc rgb \"#%02x%02x%02x\" fs solid 1.0 border lc rgb \"#222222\"", rgb[0], rgb[1],
             rgb[2]);
}

void charts_hatch_fill(char *buf, size_t n, int k)
{
    static const int pat[4] = {4, 5, 2, 6};
    snprintf(buf, n, "lc rgb \"#3a3a3a\" fs pattern %d border lc rgb \"#222222\"", pat[k % 4]);
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
    static const char *const month[12] = {"January", "February", "March",     "April",
                                          "May",     "June",     "July",      "August",
                                          "September", "October", "November", "December"};
    hnb_date d;
    if (date_parse(s, &d) == 0) snprintf(buf, n, "%d %s %d", d.d, month[d.m - 1], d.y);
    else snprintf(buf, n, "%s", s ? s : "");
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

/* ---- frame: title, subtitle, footnote -------------------------------- */

double charts_frame(charts_chart *c, const charts_meta *m, const char *title, const char *note,
                    int keyrows)
{
    charts_text *b = &c->body;
    char when[64];
    charts_long_date(when, sizeof when, m->run_date);

    /* A long title (a long scenario label) is set smaller rather than wrapped,
     * so the title block keeps its height. */
    size_t tlen = 0;
    for (const char *p = title; *p; p++) tlen += ((unsigned char)*p & 0xc0) != 0x80;
    double tsize = tlen > 72 ? fmax(9.0, 13.0 * 72.0 / (double)tlen) : 13.0;
    charts_puts(b, "set label 9001 ");
    charts_quote(b, title);
    charts_printf(b, " at screen 0.012, screen 0.955 left font FB.\",%.1f\" textcolor rgb \"#000000\"\n", tsize);
    if (m->title && *m->title) {
        charts_puts(b, "set label 9002 ");
        charts_quote(b, m->title);
        charts_puts(b, " at screen 0.012, screen 0.905 left font \",10\" textcolor rgb \"#333333\"\n");
    }
    /* The footnote: the note's lines, then the source, one label a line at
     * fixed heights (line spacing differs between terminals). */
    char wrapped[1200] = "";
    if (note) charts_wrap(wrapped, sizeof wrapped, note, 140);
    int lines = 0;
    for (const char *p = wrapped; *p; p++) lines += *p == '\n';
    if (wrapped[0]) lines++;
    charts_text foot = {0};
    charts_printf(&foot, "%s%sSource: %s. Produced %s.", wrapped, wrapped[0] ? "\n" : "",
                  (m->source && *m->source) ? m->source : "hnbsim", when[0] ? when : "(no run date)");
    int k = 0;
    for (char *line = foot.oom ? NULL : foot.s; line; k++) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        charts_printf(b, "set label %d ", 9003 + k);
        charts_quote(b, line);
        charts_printf(b, " at screen 0.012, screen %.3f left font \",7\" textcolor rgb \"#333333\"\n",
                      0.025 + 0.027 * (lines - k));
        line = nl ? nl + 1 : NULL;
    }
    charts_scratch_free(c, &foot);
    double foot_top = 0.045 + 0.027 * lines;
    double key_top = foot_top + 0.045 * keyrows + 0.01;
    double bottom = key_top + (keyrows ? 0.125 : 0.11);
    charts_printf(b, "set tmargin at screen 0.83\nset bmargin at screen %.3f\n", bottom);
    charts_puts(b, "set rmargin 4\n");
    if (keyrows > 0)
        charts_printf(b,
                      "set key at screen 0.5, screen %.3f center top vertical maxrows %d "
                      "noopaque nobox width KW spacing KS\n",
                      key_top, keyrows);
    return bottom;
}

/* ---- axes ------------------------------------------------------------ */

static double charts_nice_step(double range, int target)
{
    double raw = range / target, mag = pow(10.0, floor(log10(raw))), f = raw / mag;
    double s = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 2.5 ? 2.5 : f <= 5.0 ? 5.0 : 10.0;
    return s * mag;
}

void charts_value_axis(charts_chart *c, char axis, double lo, double hi, int kind, double pad,
                       const char *label)
{
    charts_text *b = &c->body;
    int zero = kind & CHARTS_ZERO;
    kind &= ~CHARTS_ZERO;
    if (!isfinite(lo) || !isfinite(hi)) lo = hi = 0.0;
    if (zero && lo > 0.0) lo = 0.0;
    if (zero && hi < 0.0) hi = 0.0;
    if (hi - lo < 1e-9) hi = lo + 1.0;
    double span = hi - lo;
    if (!zero || lo < 0.0) lo -= pad * span;
    if (!zero || hi > 0.0) hi += pad * span;
    double step = charts_nice_step(hi - lo, 6);
    double a = floor(lo / step + 1e-9) * step, z = ceil(hi / step - 1e-9) * step;
    int decimals = 0;
    while (decimals < 3 && fabs(step * pow(10.0, decimals) - round(step * pow(10.0, decimals))) > 1e-6)
        decimals++;

    charts_printf(b, "set %crange [%.6g:%.6g]\nset %ctics (", axis, a, z, axis);
    int k = 0;
    for (double v = a; v <= z + step * 1e-6 && k < 200; v = a + step * ++k) {
        char lab[64];
        double vv = fabs(v) < step * 1e-6 ? 0.0 : v;
        if (vv == 0.0) snprintf(lab, sizeof lab, "0");
        else if (kind == CHARTS_MONEY_M) charts_money(lab, sizeof lab, vv * 1e6, decimals, 0);
        else charts_count(lab, sizeof lab, vv);
        if (k) charts_puts(b, ", ");
        charts_quote(b, lab);
        charts_printf(b, " %.6g", vv);
    }
    charts_printf(b, ")\nunset m%ctics\n", axis);
    if (label && *label) {
        charts_printf(b, "set %clabel ", axis);
        charts_quote(b, label);
        charts_puts(b, "\n");
    }
}

void charts_fy_axis(charts_chart *c, int fy0, int fy1, const char *label)
{
    charts_text *b = &c->body;
    charts_printf(b, "set xrange [%.2f:%.2f]\nset xtics (", fy0 - 0.6, fy1 + 0.6);
    for (int y = fy0; y <= fy1; y++) {
        char s[16];
        fy_format(y, s);
        charts_printf(b, "%s\"%s\" %d", y > fy0 ? ", " : "", s, y);
    }
    charts_puts(b, ")\nunset mxtics\n");
    if (fy1 - fy0 > 9) charts_puts(b, "set xtics rotate by 45 right\n");
    if (label && *label) {
        charts_puts(b, "set xlabel ");
        charts_quote(b, label);
        charts_puts(b, "\n");
    }
}

void charts_override_line(charts_chart *c, const char *date, int at_year_end, int tag)
{
    hnb_date d, next;
    if (date_parse(date, &d) != 0) return;
    /* The end of that day is the start of the next. */
    char s[32];
    snprintf(s, sizeof s, "%04d-%02d-%02d", d.y, d.m, d.d + 1);
    if (date_parse(s, &next) != 0) {
        snprintf(s, sizeof s, "%04d-%02d-01", d.m == 12 ? d.y + 1 : d.y, d.m == 12 ? 1 : d.m + 1);
        if (date_parse(s, &next) != 0) return;
    }
    /* x = fy is 1 April of fy+1 on a balance chart: months 12*(fy+1) + 3. */
    double x = (date_months(next) - 3.0) / 12.0 - 1.0 + (at_year_end ? 0.0 : 0.5);
    char when[48];
    charts_long_date(when, sizeof when, date);
    /* The label sits above the plot, where no data can be. */
    charts_printf(&c->body, "set arrow %d from %.4f, graph 0 to %.4f, graph 1.035 nohead ls 23 front\n", 9100 + tag,
                  x, x);
    charts_printf(&c->body, "set label %d \"Statutory override ends %s\" at %.4f, graph 1.035 center "
                            "offset 0,0.55 font \",8\" textcolor rgb \"#333333\" front\n",
                  9100 + tag, when, x);
}
