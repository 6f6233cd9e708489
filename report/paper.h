/* paper.h: the Schools Forum paper, one self-contained HTML file built from a
 * results tree (paper.c, paper_sections.c), with its charts inlined as SVG
 * (paper_svg.c) and printed to PDF by headless Chromium (paper_pdf.c).
 *
 * Invariants. Every piece of text that reaches the HTML goes through one
 * escaping function, pb_esc (paper_html.c): markup is written only with
 * PB_TAG, which accepts nothing but a string literal, so a label, a source or
 * a title can never open a tag. Every figure is formatted by the functions
 * below from a number in the results (never typed), the way the public
 * sector writes: £23.5m, 2026-27, 12.1%, 31 March 2028. Nothing is written
 * until the whole document is built (the file is then written at once, under
 * a temporary name renamed into place).
 *
 * Trade-off: the paper reads the SVG files plots/ draws (through the public
 * hnb_plot_* calls, into a private temporary folder) rather than drawing its
 * own charts, so a chart looks the same in the paper as in charts/. */
#ifndef HNB_REPORT_PAPER_H
#define HNB_REPORT_PAPER_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "core/error.h"
#include "hnbsim.h"

/* ---- the HTML buffer (paper_html.c) ------------------------------------- */

typedef struct pbuf {
    char *s;
    size_t n, cap;
    int nomem; /* a failed allocation: the rest is dropped, the build fails */
} pbuf;

/* Markup: a string literal only (the "" "" makes anything else a compile error). */
#define PB_TAG(b, lit) pb_markup_((b), "" lit "")
void pb_markup_(pbuf *b, const char *lit);
/* The one escaping function: text (UTF-8) with & < > " ' as character
 * references, and C0 controls other than tab and newline dropped; safe in
 * element content and in quoted attribute values alike. */
void pb_esc(pbuf *b, const char *text);
/* printf into a bounded buffer, then pb_esc. */
void pb_escf(pbuf *b, const char *fmt, ...) HNB_PRINTF(2, 3);
/* Bytes that are already safe: SVG checked by paper_svg.c, the constant style sheet. */
void pb_trusted_(pbuf *b, const char *svg, size_t n);
void pb_free(pbuf *b);

/* <th scope="col|row">text</th> and <td>text</td>; num 1 right-aligns a
 * figure, 2 keeps a date on one line. */
void pb_th_col(pbuf *b, const char *text);
void pb_th_row(pbuf *b, const char *text);
void pb_td(pbuf *b, const char *text, int num);

/* ---- figures as the public sector writes them (paper_fmt.c) -------------- */

#define PF_LEN 64
/* £m to one decimal place with thousands separators, a deficit negative:
 * "-23.5", "1,204.0", "0.0" (never "-0.0"); "" for NAN. For tables in £m. */
void pf_m1(char *buf, double pounds);
/* The size of a sum for a sentence: its absolute value in £m to one decimal
 * place, "£23.5m", "£0.4m" (the sentence says deficit or surplus). */
void pf_money(char *buf, double pounds);
/* A share as "12.1%" (x = 0.121); "" for NAN. */
void pf_pct(char *buf, double x);
/* A count rounded to a whole number: "2,582". */
void pf_count(char *buf, double x);
/* An error in per cent already (x = 3.8 -> "3.8%"). */
void pf_pct100(char *buf, double x);
/* "2028-03-31" -> "31 March 2028" (the text itself if it is not a date). */
void pf_date(char *buf, const char *iso);
/* "January 2025" from a census year. */
void pf_census(char *buf, double census);

/* Sentences' pieces (paper_sections.c); buffers of PS_WORDS bytes. */
#define PS_WORDS 256
/* "a deficit of £23.5m", "a surplus of £1.2m", "in balance (£0.0m)". */
void paper_position_words(char *buf, double x);
/* The 90% range lo..hi (lo <= hi) in words: "£51.5m to £91.0m" (both
 * deficits, when the sentence already says deficit), "a deficit of £2.0m to
 * a surplus of £1.0m", ... */
void paper_range_words(char *buf, double lo, double hi, int in_deficit);
/* "2030-31" -> "31 March 2031" (PF_LEN bytes). */
void paper_fy_end(char *buf, const char *fy);
/* A Monte Carlo headline statistic of a scenario: montecarlo.headline.key.stat, NAN if absent. */
double paper_mc(const cJSON *sc, const char *key, const char *stat);
/* "Label (name)" (PS_WORDS bytes). */
void paper_scen_label(char *buf, const cJSON *sc);

/* ---- the charts (paper_svg.c) ------------------------------------------- */

typedef struct paper_charts {
    char dir[512]; /* the private folder the charts were drawn in; "" if none */
} paper_charts;

/* Draw the SVG charts of the results into a new private folder: from the
 * file when results_path is given, else from the handle's results. */
int paper_charts_draw(hnb_model *h, const char *results_path, paper_charts *c);
/* Inline chart NAME (e.g. "cumulative", "fan-baseline") as a figure with its
 * number, caption, title and description (text alternative), or a note if
 * it was not drawn. Returns 1 if the chart was inlined. */
int paper_chart(pbuf *b, const paper_charts *c, const char *name, int figno, const char *caption, const char *desc);
/* 1 if plots/ drew chart NAME (some charts exist only for some results). */
int paper_chart_exists(const paper_charts *c, const char *name);
/* Remove the folder and its files. */
void paper_charts_free(paper_charts *c);

/* ---- the document (paper.c, paper_sections.c) ---------------------------- */

typedef struct paper {
    hnb_model *h;
    const cJSON *res, *scen;
    const paper_charts *charts;
    pbuf b;
    int fig, tab;       /* last figure and table numbers */
    int section;        /* last section number */
    char ovend[PF_LEN]; /* "31 March 2028", from the first scenario */
} paper;

/* The scenario a scenario extends, when it is in the results; else NULL. */
const cJSON *paper_parent(const paper *p, const cJSON *sc);
/* A heading: <h2 id="s-N">N. text</h2>. */
void paper_h2(paper *p, const char *id, const char *text);
/* Open a table with its number, caption and id; close it. */
void paper_table_open(paper *p, const char *id, const char *caption);
void paper_table_close(paper *p);

void paper_headline(paper *p);
void paper_position(paper *p);
void paper_ehcps(paper *p);
void paper_actions(paper *p);
void paper_risks(paper *p);
void paper_assumptions(paper *p);
void paper_backtest(paper *p);
void paper_methods(paper *p);

/* Build the whole document into p->b. */
int paper_build(paper *p);

/* Print html_path to pdf_path with headless Chromium (paper_pdf.c). */
int paper_pdf(hnb_model *h, const char *html_path, const char *pdf_path);

#endif
