/* chartstyle.h: what every hnbsim chart shares, inside plots/ only.
 *
 * A chart is built as two pieces of gnuplot text: `data` (inline datablocks,
 * sent once) and `body` (every setting and the plot command, sent once per
 * output format after `set terminal` / `set output`). The helpers here write
 * the shared look into `body`: the terminals, fonts, the greyscale-safe
 * palette (colour + dash pattern + point shape + fill pattern per series),
 * the title block, the footnote with source and run date, axes in £m with
 * thousands separators, financial-year axes and the statutory override line.
 * chartpipe.c sends a finished chart to gnuplot; charts.c decides what each
 * chart shows. */
#ifndef HNB_CHARTSTYLE_H
#define HNB_CHARTSTYLE_H

#include <stdarg.h>
#include <stddef.h>

#include "error.h"
#include "hnbsim.h"

/* A growing string. On out of memory it keeps what it had and sets oom, so
 * callers check once at the end. */
typedef struct charts_text {
    char *s;
    size_t len, cap;
    int oom;
} charts_text;

void charts_printf(charts_text *t, const char *fmt, ...) HNB_PRINTF(2, 3);
void charts_puts(charts_text *t, const char *s);
/* s as a gnuplot double-quoted string: backslash and quote escaped, a newline
 * kept as a line break, other control characters made spaces. */
void charts_quote(charts_text *t, const char *s);
/* The same for a tick label, which gnuplot reads as a format: '%' doubled. */
void charts_quote_tic(charts_text *t, const char *s);
void charts_text_free(charts_text *t);

/* One chart to draw: its file name (without extension), a description for
 * error messages, and the gnuplot text. */
typedef struct charts_chart {
    char name[96];  /* "fan-baseline": safe as a file name */
    char what[160]; /* "the Monte Carlo fan chart for Unmitigated" */
    charts_text data;
    charts_text body;
} charts_chart;

/* What every chart's footnote and title need from the results' top level. */
typedef struct charts_meta {
    const char *title;     /* results title, printed as the subtitle */
    const char *source;    /* one-line source note */
    const char *run_date;  /* "2026-11-23" */
} charts_meta;

/* Start a chart: name (made safe for a file name: anything but letters,
 * digits, '.', '_' and '-' becomes '-'), description, and the shared prelude
 * in body (encoding, fonts, border, grid, the series line styles). */
void charts_begin(charts_chart *c, const char *name, const char *suffix, const char *what);
void charts_chart_free(charts_chart *c);
/* Free a scratch text used to build part of chart c; if it ran out of
 * memory, so did the chart (charts_run then reports HNB_E_NOMEM). */
void charts_scratch_free(charts_chart *c, charts_text *t);

/* The output formats in the order they are drawn: flag, extension, terminal. */
typedef struct charts_format {
    unsigned flag;
    const char *ext;
    const char *terminal; /* a complete `set terminal` command */
} charts_format;
extern const charts_format charts_formats[3];

/* Title (bold, top left), subtitle (the results title) and the footnote:
 * an optional note (lines split by '\n') over "Source: ... Produced 23
 * November 2026.".
 * top and bottom margins are left for them; keyrows adds room at the bottom
 * for a key drawn below the plot. Returns the bottom margin set (a screen
 * fraction), for a chart that needs more room under its axis. */
double charts_frame(charts_chart *c, const charts_meta *m, const char *title, const char *note,
                    int keyrows);

/* Series styles. Scenario i (cycled past 6) has a line style `ls <i+1>` set in
 * the prelude (colour, dash pattern, point shape); its fill for bars is
 * charts_scenario_fill(i). A stack of n filled layers, darkest at the bottom,
 * is charts_stack_fill(k, n) (luminance evenly spaced, so the order survives
 * greyscale); hatched layers are charts_hatch_fill(k). Every fill includes
 * its colour and a black border. Buffers of at least 96 bytes. */
void charts_scenario_fill(char *buf, size_t n, int i);
void charts_stack_fill(char *buf, size_t n, int k, int count);
void charts_hatch_fill(char *buf, size_t n, int k);
#define CHARTS_NSTYLES 6

/* Money as printed on charts: pounds in, "−£43.9m" out (U+2212 minus,
 * thousands separators, `decimals` after the point); "+£1.4m" when plus is
 * set and the value is positive. */
void charts_money(char *buf, size_t n, double pounds, int decimals, int plus);
/* A count with thousands separators, rounded: "3,971". */
void charts_count(char *buf, size_t n, double v);
/* A date "2028-03-31" as "31 March 2028" (or a copy of s if it does not parse). */
void charts_long_date(char *buf, size_t n, const char *s);

/* A value axis ('x' or 'y') over [lo, hi] (data units: £m for money, EHCPs
 * for counts), widened by pad (a fraction of the span) on each side, and to
 * include 0 when kind has CHARTS_ZERO (no pad beyond a 0 end), with ticks at
 * a 1-2-2.5-5 step labelled by hand (thousands separators without a locale). */
enum { CHARTS_MONEY_M = 1, CHARTS_COUNT = 2, CHARTS_ZERO = 16 };
void charts_value_axis(charts_chart *c, char axis, double lo, double hi, int kind, double pad,
                       const char *label);
/* Financial years on x from fy0 to fy1 (fy named by its start year), one
 * tick per year labelled "2026-27". */
void charts_fy_axis(charts_chart *c, int fy0, int fy1, const char *label);
/* The end of the statutory override on a financial-year axis: a vertical
 * dotted line with a label. at_year_end: 1 when the chart plots balances at
 * the end of each year (x = fy is 31 March of fy+1), 0 when it plots flows
 * over the year (x = fy is the middle of the year). Does nothing if date does
 * not parse. tag distinguishes several lines on one chart. */
void charts_override_line(charts_chart *c, const char *date, int at_year_end, int tag);
/* Wrap text at spaces to lines of about width characters (a '\n' between). */
void charts_wrap(char *buf, size_t n, const char *text, size_t width);

#endif
