/* chartparts.h: what the chart families share, inside plots/ only.
 *
 * The charts are split by family, a file each: chartposition.c (cumulative
 * and in-year position by scenario), chartrisk.c (the Monte Carlo fan and the
 * sensitivity tornado), chartstack.c (the stacked charts: EHCPs by placement,
 * spend by line), chartsavings.c (the savings waterfall). charts.c lists the
 * charts and drives them; chartread.c reads and checks the results tree;
 * chartparts.c holds the pieces several families draw (published figures,
 * override lines, end-of-line labels, rows of horizontal bars named on the
 * left, value labels kept clear of markers). chartstyle.c is the look every
 * chart shares and chartpipe.c the gnuplot processes.
 *
 * Every string from the results reaches gnuplot through charts_quote
 * (chartstyle.h) and nothing else: use charts_set_label for a label. */
#ifndef HNB_CHARTPARTS_H
#define HNB_CHARTPARTS_H

#include <cjson/cJSON.h>

#include "chartpipe.h"
#include "chartstyle.h"
#include "hnbsim.h"

#define CHARTS_MAXACT 64 /* published figures kept per chart */

/* What one chart's axes must cover: values [lo, hi] (0 included from the
 * start), x from x0 to x1 (financial or census years), and the room right of
 * the plot for end labels (cm). */
typedef struct charts_range {
    double lo, hi;
    int x0, x1;
    double right_cm;
} charts_range;

void charts_range_init(charts_range *r);
void charts_range_value(charts_range *r, double v);
void charts_range_x(charts_range *r, int x);
/* r widened to cover o too. */
void charts_range_merge(charts_range *r, const charts_range *o);

typedef struct charts_ctx {
    hnb_model *h;
    const cJSON *res;
    const cJSON *scen; /* the scenarios array */
    const char *outdir;
    unsigned formats;
    charts_meta meta;
    charts_pool *pool;
    /* The same chart of every scenario on the same axes (unless the caller
     * asked for HNB_PLOT_OWN_SCALES): the union of their ranges. */
    int shared;
    charts_range fan, ehcps, spend;
} charts_ctx;

/* ---- reading the results (chartread.c) ---- */

const cJSON *charts_get(const cJSON *o, const char *key);
double charts_num(const cJSON *o, const char *key);
/* A year-like integer, or INT_MIN if absent or out of any sensible range. */
int charts_year(const cJSON *o, const char *key);
const char *charts_str(const cJSON *o, const char *key, const char *dflt);
/* o.key as a financial year (named by its start year), or INT_MIN. */
int charts_fy(const cJSON *o, const char *key);
/* A scenario's label, or its name. */
const char *charts_label(const cJSON *s);
const cJSON *charts_scenario_named(const charts_ctx *x, const char *name, int *index);
/* The balance brought forward into the first projected year (£). */
double charts_brought_forward(const cJSON *s);
/* The financial year in which scenario s's override ends (31 March 2028 ends
 * 2027-28), or INT_MIN. */
int charts_override_fy(const cJSON *s);
/* Every problem in the parts the charts read (each with its JSON path), then
 * one code. */
int charts_check(charts_ctx *x);

/* ---- shared pieces (chartparts.c) ---- */

/* Published figures, once each across the scenarios (they carry the same
 * actuals); by financial year, or by census year for EHCPs. */
typedef struct charts_actual {
    int at;       /* fy, or census year */
    double value; /* £m, or EHCPs */
    int forecast; /* status "forecast" */
} charts_actual;

/* The published figures of list ("finance" or "census"), field ("in_year",
 * "cumulative", "ehcps"); money in £m. Returns how many (at most
 * CHARTS_MAXACT). r, if given, is widened to cover them. */
int charts_actuals(const charts_ctx *x, const char *list, const char *field, charts_actual *out, charts_range *r);
/* Datablocks $out and $fc at x = at; returns which were written (1 =
 * outturn, 2 = forecast). */
int charts_actuals_data(charts_chart *c, const charts_actual *a, int n);
void charts_actuals_key(charts_chart *c, int have, const char *outturn);
/* The plot clauses (each with a leading comma): drawn last, over everything,
 * on a white ring, so no scenario marker or line hides them. */
void charts_actuals_plot(charts_chart *c, int have);

/* `set label [tag] '<text>' <the rest>`: text through charts_quote. tag 0:
 * an untagged label. */
void charts_set_label(charts_chart *c, int tag, const char *text, const char *rest, ...) HNB_PRINTF(4, 5);

/* One override line per distinct override_end among the scenarios (all when
 * only < 0, else scenario `only`). */
void charts_override_lines(const charts_ctx *x, charts_chart *c, int at_year_end, int only);
/* The override year to label on the x axis (of the first scenario, or of
 * scenario `only`), or INT_MIN. */
int charts_mark_fy(const charts_ctx *x, int only);
/* Labels in £m at the end of n lines (style i+1 each), nudged apart so they
 * do not overlap; returns the room they need right of the plot, in cm. */
double charts_end_labels(charts_chart *c, int n, const double *xs, const double *ys, double sep);
/* The room (cm) the widest end label of values ys would need. */
double charts_end_labels_cm(int n, const double *ys);
/* "... (31 March 2028): Unmitigated −£43.9m; DSG management plan −£31.6m." */
void charts_headline_note(const charts_ctx *x, charts_text *t);
/* Start chart c for scenario s: "<kind>-<name>", "<what> for <label>". */
void charts_begin_scenario(charts_chart *c, const char *kind, const cJSON *s, const char *what);
/* Hand chart c to gnuplot (charts_pool_add) and free it. */
int charts_finish(charts_ctx *x, charts_chart *c);

/* The plot's size in cm (after charts_frame and the left axis). */
double charts_plot_w(const charts_chart *c);
double charts_plot_h(const charts_chart *c);
/* The pad (a fraction of the data's span, each side) that leaves room_cm
 * beyond the data on an axis len_cm long. */
double charts_pad_for(double room_cm, double len_cm);

/* A row of a horizontal bar chart: "xc y x0 x1 y-hb y+hb" for boxxyerror. */
void charts_hbar(charts_text *t, double x0, double x1, double y, double hb);
/* Rows of horizontal bars named on the left, row 0 at the top (names
 * wrapped, set smaller only as far as they must be to fit): writes the names
 * and the yrange, sets the left margin, and returns each row's centre in y
 * units (malloc'd; NULL when out of memory, with c marked so). */
double *charts_category_axis(charts_chart *c, const char *const *names, int n, double plot_h_cm);

/* A value printed by a bar's end or a point, kept clear of markers: along
 * the bar's axis, the label starts gap_cm beyond `from` (the bar's end, in
 * data units, on an axis of `cm` data units per cm) and away from zero; if
 * a marker at (mx[k], my[k]) sits within half_w (x units) of the label's x
 * and its disc of radius r_cm meets the label's extent len_cm, the label
 * starts past the marker instead. Returns where the label starts. */
double charts_clear_of_markers(double x, double from, double len_cm, double gap_cm, double cm, int n, const double *mx,
                               const double *my, double half_w, double r_cm);

/* ---- the charts, one function each ---- */

int charts_cumulative(charts_ctx *x);
int charts_in_year(charts_ctx *x);
void charts_fan_range(const charts_ctx *x, const cJSON *s, charts_range *r);
int charts_fan(charts_ctx *x, const cJSON *s, int index);
int charts_tornado(charts_ctx *x, const cJSON *sw);
void charts_ehcps_range(const charts_ctx *x, const cJSON *s, charts_range *r);
int charts_ehcps(charts_ctx *x, const cJSON *s, int index);
void charts_spend_range(const charts_ctx *x, const cJSON *s, charts_range *r);
int charts_spend(charts_ctx *x, const cJSON *s, int index);
int charts_savings(charts_ctx *x, const cJSON *s, int index);

#endif
