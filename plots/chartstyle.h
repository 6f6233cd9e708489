/* chartstyle.h: what every hnbsim chart shares, inside plots/ only.
 *
 * A chart is built as two pieces of gnuplot text: `data` (inline datablocks,
 * sent once) and `body` (every setting and the plot command, sent once per
 * output format after `set terminal` / `set output`). The helpers here write
 * the shared look into `body`: the terminals, fonts, the greyscale-safe
 * palette (colour + dash pattern + point shape + fill pattern per series),
 * the title block, the footnote with source and run date, axes in £m with
 * thousands separators, financial-year axes and the statutory override line.
 * The text helpers (growing strings, charts_quote, widths, money) are in
 * charttext.c. chartpipe.c sends a finished chart to gnuplot; charts.c and
 * the chart families (chartparts.h) decide what each chart shows. */
#ifndef HNB_CHARTSTYLE_H
#define HNB_CHARTSTYLE_H

#include <stdarg.h>
#include <stddef.h>

#include "core/error.h"
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
/* The one escaping function for the gnuplot sink: every string that comes
 * from a scenario or results file (labels, names, titles, sources, file
 * names) goes to gnuplot through it and nothing else. s as a gnuplot
 * single-quoted string, in which gnuplot runs no backquoted command, expands
 * no @macro and reads no backslash escape: a quote as the expression
 * '...'."'".'...', a line break as '...'."\n".'...', other control
 * characters made spaces, bytes that are not UTF-8 made U+FFFD. */
void charts_quote(charts_text *t, const char *s);
/* The same for a tick label, which gnuplot reads as a format: '%' doubled, a
 * line break made a space. */
void charts_quote_tic(charts_text *t, const char *s);
void charts_text_free(charts_text *t);

/* A key entry, drawn by charts_frame (gnuplot's own key cannot wrap a long
 * label: its second line overprints the next entry). */
enum { CHARTS_KEY_BOX = 1, CHARTS_KEY_LINE, CHARTS_KEY_LINEPOINT, CHARTS_KEY_POINT };
typedef struct charts_key_entry {
    int kind;
    char style[192]; /* BOX: a fill ("lc rgb ... fs ..." or "fc rgb ..."); else "ls 1" */
    char label[256];
} charts_key_entry;
#define CHARTS_MAXKEY 32

/* One chart to draw: its file name (without extension), a description for
 * error messages, the gnuplot text, the key entries, and the plot box in
 * screen fractions once charts_frame (top, bottom, right) and the value or
 * category axis (left) have set it. */
typedef struct charts_chart {
    char name[96];  /* "fan-baseline": safe as a file name */
    char what[160]; /* "the Monte Carlo fan chart for Unmitigated" */
    charts_text data;
    charts_text body;
    charts_key_entry key[CHARTS_MAXKEY];
    int nkey;
    double box_l, box_r, box_b, box_t;
    double ax_lo, ax_hi; /* the range the last charts_value_axis chose */
    double axis_cm;      /* room under the plot for tick labels and the x label */
} charts_chart;

/* What every chart's footnote and title need from the results' top level. */
typedef struct charts_meta {
    const char *title;    /* results title, printed in the subtitle */
    const char *source;   /* one-line source note */
    const char *run_date; /* "2026-11-23" */
} charts_meta;

/* Start a chart: name (made safe for a file name: anything but letters,
 * digits, '.', '_' and '-' becomes '-'), description, and the shared prelude
 * in body (encoding, fonts, border, grid, the series line styles). */
void charts_begin(charts_chart *c, const char *name, const char *suffix, const char *what);
void charts_chart_free(charts_chart *c);
/* Free a scratch text used to build part of chart c; if it ran out of
 * memory, so did the chart (charts_run then reports HNB_E_NOMEM). */
void charts_scratch_free(charts_chart *c, charts_text *t);

/* Key entries, in the order they are listed (extra entries past
 * CHARTS_MAXKEY are dropped). style: a fill for a box ("lc rgb ..." as for
 * plotting, or "fc rgb ..."), a line style ("ls 3") for the others. */
void charts_key_add(charts_chart *c, int kind, const char *style, const char *label);

/* The output formats in the order they are drawn: flag, extension, terminal. */
typedef struct charts_format {
    unsigned flag;
    const char *ext;
    const char *terminal; /* a complete `set terminal` command */
} charts_format;
extern const charts_format charts_formats[3];

/* Where charts_frame puts the key: under the plot in columns, in one column
 * right of the plot, or under it unless that would take more than a fifth
 * of the page (then right). */
enum { CHARTS_KEY_AUTO = 0, CHARTS_KEY_BELOW, CHARTS_KEY_RIGHT };

typedef struct charts_frame_opts {
    const char *title;    /* what the chart shows: "Range of outcomes: ..." */
    const char *scenario; /* the scenario's label for a per-scenario chart, else NULL */
    const char *note;     /* footnote text over the source line ('\n' breaks), or NULL */
    int key;              /* CHARTS_KEY_* */
    double right_cm;      /* room right of the plot (labels at the ends of lines) */
    double axis_cm;       /* room under the plot for tick labels and x label (0: 1.45 cm) */
} charts_frame_opts;

/* The frame every chart shares: title (bold, top left, set smaller if it
 * would not fit the width), subtitle (the scenario's label, then the results
 * title), the key (c->key), and the footnote: the note (wrapped to the
 * width) over "Source: ... Produced 23 November 2026.". Sets the top, bottom
 * and right margins (c->box_t, box_b, box_r) and unsets gnuplot's key.
 * Returns the bottom margin (a screen fraction). */
double charts_frame(charts_chart *c, const charts_meta *m, const charts_frame_opts *o);

/* Text widths as drawn: the page is 20 cm x 12.5 cm in every format (fonts
 * are scaled to it), and the fonts are DejaVu Sans (what "Sans" is on the
 * systems this runs on); widths are from its advance widths, so estimates,
 * not measurements, for another font. */
#define CHARTS_PAGE_W 20.0
#define CHARTS_PAGE_H 12.5
/* Width in cm of the widest line of s at pt points (bold if bold). */
double charts_text_cm(const char *s, double pt, int bold);
/* Height in cm of one line of text at pt points. */
double charts_line_cm(double pt);
/* Wrap text at spaces so no line is wider than max_cm at pt (a word wider
 * than that stays whole); returns the number of lines. */
int charts_wrap_cm(char *buf, size_t n, const char *text, double max_cm, double pt, int bold);
/* A label on the left of the plot (a rotated y-axis title) and the left
 * margin for tick labels tick_cm wide (0: none) and that title. */
void charts_left_axis(charts_chart *c, double tick_cm, const char *label);

/* Series styles. Scenario i (cycled past 6) has a line style `ls <i+1>` set in
 * the prelude (colour, dash pattern, point shape); its fill for bars is
 * charts_scenario_fill(i). Layer k of a stack (bottom first) is
 * charts_layer_fill(k): solid shades of one blue and hatchings in other
 * colours take turns, so that any two neighbouring layers differ in texture
 * and the solid ones in lightness, in greyscale as in colour (distinct for
 * the first CHARTS_NLAYERS layers). charts_rest_fill is the grey
 * cross-hatching of a layer that groups the smallest lines. Every fill
 * includes its colour and a black border. Buffers of at least 96 bytes. */
void charts_scenario_fill(char *buf, size_t n, int i);
void charts_layer_fill(char *buf, size_t n, int k);
void charts_rest_fill(char *buf, size_t n);
#define CHARTS_NSTYLES 6
#define CHARTS_NLAYERS 12

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
 * include 0 when kind has CHARTS_ZERO (no pad beyond a 0 end), and then out
 * to the next tick unless kind has CHARTS_TIGHT, with ticks at
 * a 1-2-2.5-5 step labelled by hand (thousands separators without a locale).
 * On 'y' the label is drawn by charts_left_axis, which also sets the left
 * margin to fit the tick labels. */
enum { CHARTS_MONEY_M = 1, CHARTS_COUNT = 2, CHARTS_ZERO = 16, CHARTS_TIGHT = 32 };
void charts_value_axis(charts_chart *c, char axis, double lo, double hi, int kind, double pad, const char *label);
/* Financial years on x from fy0 to fy1 (fy named by its start year), one
 * tick per year labelled "2026-27". Call after the value axis on y (the
 * plot's width decides the labels). Up to ten years every year is labelled
 * (smaller, then in two staggered rows, where the plot is narrow); past ten,
 * or on a plot too narrow even for that, every second (third, ...) year,
 * counting back from the last. The year `mark` (the override year; INT_MIN
 * for none) is always labelled. */
void charts_fy_axis(charts_chart *c, int fy0, int fy1, int mark, const char *label);
/* January censuses on x from c0 to c1, labelled "Jan 2027" (or "2027" where
 * the plot is narrow), as charts_fy_axis; mark a census year. */
void charts_census_axis(charts_chart *c, int c0, int c1, int mark, const char *label);
/* Room in cm that axis needs under the plot (tick labels, slanted past ten
 * years, and the x label): the axis_cm to give charts_frame. */
double charts_fy_axis_cm(int fy0, int fy1);
/* The end of the statutory override on a financial-year axis: a vertical
 * dotted line with a label. at_year_end: 1 when the chart plots balances at
 * the end of each year (x = fy is 31 March of fy+1), 0 when it plots flows
 * over the year (x = fy is the middle of the year). Does nothing if date does
 * not parse. tag distinguishes several lines on one chart. */
void charts_override_line(charts_chart *c, const char *date, int at_year_end, int tag);
/* Wrap text at spaces to lines of about width characters (a '\n' between). */
void charts_wrap(char *buf, size_t n, const char *text, size_t width);

#endif
