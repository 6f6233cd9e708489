/* chartparts.c: pieces several chart families draw (chartparts.h).
 *
 * Design. Published figures are drawn the same way on every chart that has
 * them (black points, filled for an outturn, open for a forecast), last and
 * on a white ring, so that a scenario's marker or line never hides them;
 * labels by a bar or a point are moved along the bar past any marker they
 * would cover (charts_clear_of_markers), never dropped silently. Rows of
 * horizontal bars (the waterfall, the tornado) name each row on the left, a
 * line of text per label, so any number of long names stays legible. */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chartparts.h"
#include "core/dates.h"

/* ---- ranges ------------------------------------------------------------ */

void charts_range_init(charts_range *r)
{
    r->lo = r->hi = 0.0;
    r->x0 = INT_MAX;
    r->x1 = INT_MIN;
    r->right_cm = 0.0;
}

void charts_range_value(charts_range *r, double v)
{
    if (!isfinite(v)) return;
    r->lo = fmin(r->lo, v);
    r->hi = fmax(r->hi, v);
}

void charts_range_x(charts_range *r, int x)
{
    if (x == INT_MIN) return;
    r->x0 = x < r->x0 ? x : r->x0;
    r->x1 = x > r->x1 ? x : r->x1;
}

void charts_range_merge(charts_range *r, const charts_range *o)
{
    charts_range_value(r, o->lo);
    charts_range_value(r, o->hi);
    if (o->x0 != INT_MAX) charts_range_x(r, o->x0);
    if (o->x1 != INT_MIN) charts_range_x(r, o->x1);
    r->right_cm = fmax(r->right_cm, o->right_cm);
}

/* ---- published figures ------------------------------------------------- */

int charts_actuals(const charts_ctx *x, const char *list, const char *field, charts_actual *out, charts_range *r)
{
    int n = 0, census = strcmp(list, "census") == 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, x->scen)
    {
        const cJSON *a;
        cJSON_ArrayForEach(a, charts_get(charts_get(s, "actuals"), list))
        {
            int at = census ? charts_year(a, "census") : charts_fy(a, "fy");
            double v = charts_num(a, field);
            if (at == INT_MIN || !isfinite(v) || n >= CHARTS_MAXACT) continue;
            int seen = 0;
            for (int k = 0; k < n; k++) seen |= out[k].at == at;
            if (seen) continue;
            out[n].at = at;
            out[n].value = census ? v : v / 1e6;
            out[n].forecast = strcmp(charts_str(a, "status", "outturn"), "forecast") == 0;
            if (r) {
                charts_range_value(r, out[n].value);
                charts_range_x(r, at);
            }
            n++;
        }
    }
    return n;
}

int charts_actuals_data(charts_chart *c, const charts_actual *a, int n)
{
    int have = 0;
    for (int f = 0; f < 2; f++) {
        int any = 0;
        for (int k = 0; k < n; k++) any |= a[k].forecast == f;
        if (!any) continue;
        have |= 1 << f;
        charts_printf(&c->data, "$%s << EOD\n", f ? "fc" : "out");
        for (int k = 0; k < n; k++)
            if (a[k].forecast == f) charts_printf(&c->data, "%d %.6f\n", a[k].at, a[k].value);
        charts_puts(&c->data, "EOD\n");
    }
    return have;
}

void charts_actuals_key(charts_chart *c, int have, const char *outturn)
{
    if (have & 1) charts_key_add(c, CHARTS_KEY_POINT, "ls 20", outturn ? outturn : "Published outturn");
    if (have & 2) charts_key_add(c, CHARTS_KEY_POINT, "ls 21", "Published forecast");
}

void charts_actuals_plot(charts_chart *c, int have)
{
    /* ls 24: a white disc under each, so the black ring shows on any line */
    if (have & 1)
        charts_puts(&c->body, ", $out using 1:2 with points ls 24 notitle, $out using 1:2 with points ls 20 notitle");
    if (have & 2)
        charts_puts(&c->body, ", $fc using 1:2 with points ls 24 notitle, $fc using 1:2 with points ls 21 notitle");
}

/* ---- labels ------------------------------------------------------------ */

void charts_set_label(charts_chart *c, int tag, const char *text, const char *rest, ...)
{
    if (tag)
        charts_printf(&c->body, "set label %d ", tag);
    else
        charts_puts(&c->body, "set label ");
    charts_quote(&c->body, text);
    charts_puts(&c->body, " ");
    va_list ap;
    va_start(ap, rest);
    char buf[512];
    vsnprintf(buf, sizeof buf, rest, ap);
    va_end(ap);
    charts_puts(&c->body, buf);
    charts_puts(&c->body, "\n");
}

void charts_override_lines(const charts_ctx *x, charts_chart *c, int at_year_end, int only)
{
    const char *seen[8];
    int n = 0, i = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, x->scen)
    {
        if (only >= 0 && i != only) {
            i++;
            continue;
        }
        i++;
        const char *d = charts_str(s, "override_end", NULL);
        if (!d) continue;
        int dup = 0;
        for (int k = 0; k < n; k++) dup |= strcmp(seen[k], d) == 0;
        if (dup || n == 8) continue;
        seen[n] = d;
        charts_override_line(c, d, at_year_end, n++);
    }
}

int charts_mark_fy(const charts_ctx *x, int only)
{
    return charts_override_fy(cJSON_GetArrayItem(x->scen, only >= 0 ? only : 0));
}

double charts_end_labels_cm(int n, const double *ys)
{
    double widest = 0.0;
    for (int i = 0; i < n; i++) {
        char m[48];
        charts_money(m, sizeof m, ys[i] * 1e6, 1, 0);
        widest = fmax(widest, charts_text_cm(m, 8.0, 1));
    }
    return widest + 0.75;
}

double charts_end_labels(charts_chart *c, int n, const double *xs, const double *ys, double sep)
{
    int order[64];
    double y[64];
    if (n > 64) n = 64;
    for (int i = 0; i < n; i++) {
        order[i] = i;
        y[i] = ys[i];
    }
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && y[order[k]] < y[order[k - 1]]; k--) {
            int t = order[k];
            order[k] = order[k - 1];
            order[k - 1] = t;
        }
    for (int k = 1; k < n; k++)
        if (y[order[k]] - y[order[k - 1]] < sep) y[order[k]] = y[order[k - 1]] + sep;
    for (int i = 0; i < n; i++) {
        char m[48];
        charts_money(m, sizeof m, ys[i] * 1e6, 1, 0);
        charts_set_label(c, 8000 + i, m, "at %.4f, %.6f left offset 1.2,0 font FB.\",8\" tc ls %d", xs[i], y[i],
                         i % CHARTS_NSTYLES + 1);
    }
    return charts_end_labels_cm(n, ys);
}

void charts_headline_note(const charts_ctx *x, charts_text *t)
{
    const cJSON *s0 = cJSON_GetArrayItem(x->scen, 0);
    const char *d0 = charts_str(s0, "override_end", "");
    char when[48];
    charts_long_date(when, sizeof when, d0);
    /* with a write-off (the stability grant), the position the council must
     * meet and, in brackets, the gross one before it */
    int gross = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, x->scen)
    {
        const cJSON *hl = charts_get(s, "headline");
        double n = charts_num(hl, "cumulative_at_override_end"), g = charts_num(hl, "cumulative_at_override_end_gross");
        if (!isnan(g) && fabs(g - n) > 0.5) gross = 1;
    }
    charts_printf(t, "Cumulative position at the end of the statutory override (%s)%s:", when,
                  gross ? ", after any deficit write-off (before it in brackets)" : "");
    int i = 0;
    cJSON_ArrayForEach(s, x->scen)
    {
        if (i == 6) {
            charts_puts(t, "; ...");
            break;
        }
        char m[48], g[48];
        const cJSON *hl = charts_get(s, "headline");
        charts_money(m, sizeof m, charts_num(hl, "cumulative_at_override_end"), 1, 0);
        charts_printf(t, "%s %s %s", i ? ";" : "", charts_label(s), m);
        if (gross && !isnan(charts_num(hl, "cumulative_at_override_end_gross"))) {
            charts_money(g, sizeof g, charts_num(hl, "cumulative_at_override_end_gross"), 1, 0);
            charts_printf(t, " (%s)", g);
        }
        const char *regime = charts_str(charts_get(s, "funding_regime"), "after_override", "council_accrues");
        if (strcmp(regime, "central_funds_in_full") == 0) charts_puts(t, ", then funded in full centrally");
        if (strcmp(regime, "funding_follows_spend") == 0) charts_puts(t, ", then funding follows spend");
        const char *d = charts_str(s, "override_end", "");
        if (strcmp(d, d0) != 0) {
            charts_long_date(when, sizeof when, d);
            charts_printf(t, " (at %s)", when);
        }
        i++;
    }
    charts_puts(t, ".");
    /* which line this is: the risk-weighted one is on the fan charts */
    if (charts_get(cJSON_GetArrayItem(x->scen, 0), "risk_weighted"))
        charts_puts(t, " Lines assume every action delivered (the central forecast); the fan charts add the "
                       "risk-weighted line.");
}

/* ---- charts ------------------------------------------------------------ */

void charts_begin_scenario(charts_chart *c, const char *kind, const cJSON *s, const char *what)
{
    char w[160];
    snprintf(w, sizeof w, "%s for %s", what, charts_label(s));
    charts_begin(c, kind, charts_str(s, "name", "scenario"), w);
}

int charts_finish(charts_ctx *x, charts_chart *c)
{
    int rc = charts_pool_add(x->pool, c);
    charts_chart_free(c);
    return rc;
}

double charts_plot_w(const charts_chart *c) { return (c->box_r - c->box_l) * CHARTS_PAGE_W; }
double charts_plot_h(const charts_chart *c) { return (c->box_t - c->box_b) * CHARTS_PAGE_H; }

double charts_pad_for(double room_cm, double len_cm)
{
    double q = len_cm > 0.0 ? room_cm / len_cm : 0.2;
    if (q > 0.3) q = 0.3;
    return q / (1.0 - 2.0 * q);
}

double charts_clear_of_markers(double x, double from, double len_cm, double gap_cm, double cm, int n, const double *mx,
                               const double *my, double half_w, double r_cm)
{
    double dir = from < 0.0 ? -1.0 : 1.0, start = from + dir * gap_cm * cm;
    /* markers in the order the label meets them, moving past each it covers */
    for (int pass = 0; pass < n; pass++) {
        int moved = 0;
        for (int k = 0; k < n; k++) {
            if (fabs(mx[k] - x) > half_w) continue;
            double a = start, b = start + dir * len_cm * cm; /* the label's extent */
            double lo = fmin(a, b) - r_cm * cm, hi = fmax(a, b) + r_cm * cm;
            if (my[k] > lo && my[k] < hi && (my[k] - from) * dir > -r_cm * cm) {
                start = my[k] + dir * (r_cm + gap_cm) * cm;
                moved = 1;
            }
        }
        if (!moved) break;
    }
    return start;
}

/* ---- rows of horizontal bars -------------------------------------------- */

void charts_hbar(charts_text *t, double x0, double x1, double y, double hb)
{
    charts_printf(t, "%.6f %.4f %.6f %.6f %.4f %.4f\n", (x0 + x1) / 2, y, fmin(x0, x1), fmax(x0, x1), y - hb, y + hb);
}

/* Rows of horizontal bars named on the left, row 0 at the top: each name
 * wrapped, in the largest font (8 pt down to 5.5 pt) and then the narrowest
 * wrapping (6 cm to 8.5 cm) with which every row gets room for its lines on
 * a plot plot_h_cm tall. A row of one line is one unit tall, and each
 * further line adds 0.8 of a unit, so long names take more room rather than
 * running into their neighbours. Writes the names and the yrange, sets the
 * left margin, and returns the centre of each row in y units (malloc'd; NULL when
 * out of memory). */
double *charts_category_axis(charts_chart *c, const char *const *names, int n, double plot_h_cm)
{
    static const double pts[] = {8.0, 7.5, 7.0, 6.5, 6.0, 5.5}, wraps[] = {6.0, 7.0, 8.5};
    char(*lab)[400] = malloc(((size_t)n + 1) * sizeof *lab);
    double *ys = malloc(((size_t)n + 1) * sizeof *ys), *w = malloc(((size_t)n + 1) * sizeof *w);
    if (!lab || !ys || !w) {
        free(lab);
        free(ys);
        free(w);
        c->body.oom = 1;
        return NULL;
    }
    double pt = pts[0], total = 0.0;
    int fits = 0;
    for (size_t p = 0; p < sizeof pts / sizeof pts[0] && !fits; p++)
        for (size_t k = 0; k < sizeof wraps / sizeof wraps[0] && !fits; k++) {
            pt = pts[p];
            total = 0.2;
            for (int r = 0; r < n; r++) {
                int lines = charts_wrap_cm(lab[r], sizeof lab[r], names[r], wraps[k], pt, 0);
                w[r] = 1.0 + 0.8 * (lines > 1 ? lines - 1 : 0);
                total += w[r];
            }
            fits = charts_line_cm(pt) <= 0.95 * plot_h_cm / total;
        }
    /* The names are labels, a line each, not tick labels: gnuplot reads a
     * tick label as a format and cuts one with a '%' at 50 characters. */
    double widest = 0.0, y = total - 0.1, unit = plot_h_cm / total, dl = charts_line_cm(pt) / unit;
    for (int r = 0; r < n; r++) {
        ys[r] = y - w[r] / 2;
        y -= w[r];
        widest = fmax(widest, charts_text_cm(lab[r], pt, 0));
    }
    charts_printf(&c->body, "unset ytics\nunset mytics\nset yrange [0:%.4f]\n", total);
    charts_left_axis(c, widest - 0.2, NULL);
    for (int r = 0; r < n; r++) {
        int lines = 1, j = 0;
        for (const char *q = lab[r]; *q; q++) lines += *q == '\n';
        for (const char *l = lab[r]; l; j++) {
            const char *nl = strchr(l, '\n');
            char one[400];
            snprintf(one, sizeof one, "%.*s", (int)(nl ? (size_t)(nl - l) : strlen(l)), l);
            charts_puts(&c->body, "set label ");
            charts_quote(&c->body, one);
            charts_printf(&c->body, " at screen %.4f, first %.4f right font \",%.1f\" textcolor rgb \"#111111\"\n",
                          c->box_l - 0.15 / CHARTS_PAGE_W, ys[r] + ((lines - 1) / 2.0 - j) * dl, pt);
            l = nl ? nl + 1 : NULL;
        }
    }
    free(lab);
    free(w);
    return ys;
}
