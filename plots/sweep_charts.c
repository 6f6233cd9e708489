/* sweep_charts.c: the charts of the sweep results (docs/sweeps.md), one
 * file per sweep, named sweep-<name>.<ext>:
 *   tornado  horizontal bars from the central figure to the figure at each
 *            assumption's low and high setting, largest swing at the top;
 *   spider   the figure against the relative change of each assumption, a
 *            line each, crossing at the central value;
 *   grid     a heat map of the figure over the first two assumptions (one
 *            chart per value of any others), each cell labelled, with the
 *            contour where the figure crosses the threshold: the contour is
 *            the one in the results (computed by the model), drawn as a
 *            line, not one gnuplot works out for itself;
 *   sobol    first-order and total indices of each source of uncertainty,
 *            side by side, with their bootstrap intervals as whiskers.
 * Batch and goal seek sweeps are tables, not charts. Everything else (the
 * frame, key, footnote, fonts, money on axes, the gnuplot pipe) is the house
 * style of chartstyle.c and chartpipe.c; labels on charts are the
 * assumptions' human labels with units, never their JSON paths. Numbers go
 * to gnuplot in the C locale, whatever the caller set. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chartpipe.h"
#include "chartstyle.h"
#include "core/error.h"
#include "core/fileout.h"
#include "core/model.h"
#include "hnbsim_plots.h"

enum { VAL_PLAIN = 0, VAL_MONEY = 1, VAL_PERCENT = 2 }; /* how a value reads (value_text) */

typedef struct swctx {
    hnb_model *h;
    const cJSON *res;
    const char *outdir;
    unsigned formats;
    charts_meta meta;
    charts_pool *pool; /* the gnuplot processes drawing the charts */
} swctx;

static const cJSON *get(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }
static const char *str(const cJSON *o, const char *k)
{
    const cJSON *s = get(o, k);
    return cJSON_IsString(s) ? s->valuestring : "";
}
static double num(const cJSON *o, const char *k)
{
    const cJSON *n = get(o, k);
    return cJSON_IsNumber(n) ? n->valuedouble : NAN;
}

/* The main figure's label and unit. */
static const char *figure_label(const swctx *x, const cJSON *sw, int *money)
{
    const cJSON *f;
    *money = 1;
    cJSON_ArrayForEach(f, get(x->res, "figures")) if (strcmp(str(f, "id"), str(sw, "figure")) == 0)
    {
        *money = strcmp(str(f, "unit"), "£") == 0;
        return str(f, "label");
    }
    return str(sw, "figure");
}

/* The label without its "(£)" and with a capital: an axis title. */
static void axis_title(char *buf, size_t n, const char *label)
{
    snprintf(buf, n, "%s", label);
    char *u = strstr(buf, " (£)");
    if (u) *u = '\0';
    if (buf[0] >= 'a' && buf[0] <= 'z') buf[0] = (char)(buf[0] - 'a' + 'A');
}

/* The label without its "(£)", as it reads inside a title. */
static void plain_label(char *buf, size_t n, const char *label)
{
    snprintf(buf, n, "%s", label);
    char *u = strstr(buf, " (£)");
    if (u) memmove(u, u + strlen(" (£)"), strlen(u + strlen(" (£)")) + 1);
}

/* A value as written on a chart: money (pounds in) as "£1.05m", else %g. */
static void value_text(char *buf, size_t n, double v, int money)
{
    if (money == VAL_MONEY && fabs(v) < 1e6) { /* "£75,000", "−£9,667" */
        char c[40];
        charts_count(c, sizeof c, fabs(v));
        snprintf(buf, n, "%s£%s", v <= -0.5 ? "\u2212" : "", c);
    } else if (money == VAL_MONEY)
        charts_money(buf, n, v, fabs(v) >= 1e7 ? 1 : 2, 0);
    else if (money == VAL_PERCENT && fabs(v) < 1.0)
        snprintf(buf, n, "%.3g%%", 100.0 * v);
    else if (fabs(v) < 1.0 && v != 0.0)
        snprintf(buf, n, "%.3g", v);
    else
        snprintf(buf, n, "%.4g", v);
}

/* How an assumption's values read: money by "(£" in its label, a rate as a
 * percentage by "rate", "growth", "inflation" or "share", else a number. */
static int is_money_label(const char *label)
{
    if (strstr(label, "(£")) return VAL_MONEY;
    if (strstr(label, "rate") || strstr(label, "growth") || strstr(label, "inflation") || strstr(label, "share"))
        return VAL_PERCENT;
    return VAL_PLAIN;
}

static int finish(swctx *x, charts_chart *c)
{
    int rc = c->body.oom || c->data.oom ? err_set(x->h, HNB_E_NOMEM, "out of memory drawing %s", c->what)
                                        : charts_pool_add(x->pool, c);
    charts_chart_free(c);
    return rc;
}

/* Rows named on the left, row 0 at the top, one unit each: the names
 * wrapped to 7 cm at 7.5 pt. Sets the yrange and the left margin. */
static void row_names(charts_chart *c, const char *const *names, int n)
{
    double widest = 0.0;
    char buf[400];
    for (int r = 0; r < n; r++) {
        charts_wrap_cm(buf, sizeof buf, names[r], 7.0, 7.5, 0);
        widest = fmax(widest, charts_text_cm(buf, 7.5, 0));
    }
    charts_printf(&c->body, "unset ytics\nunset mytics\nset yrange [0:%d]\n", n);
    charts_left_axis(c, widest - 0.2, NULL);
    double unit = (c->box_t - c->box_b) * CHARTS_PAGE_H / n, dl = charts_line_cm(7.5) / unit;
    for (int r = 0; r < n; r++) {
        int lines = charts_wrap_cm(buf, sizeof buf, names[r], 7.0, 7.5, 0), j = 0;
        double y = n - r - 0.5;
        for (char *l = buf; l; j++) {
            char *nl = strchr(l, '\n');
            if (nl) *nl = '\0';
            charts_puts(&c->body, "set label ");
            charts_quote(&c->body, l);
            charts_printf(&c->body, " at screen %.4f, first %.4f right font \",7.5\" textcolor rgb \"#111111\"\n",
                          c->box_l - 0.15 / CHARTS_PAGE_W, y + ((lines - 1) / 2.0 - j) * dl);
            l = nl ? nl + 1 : NULL;
        }
    }
}

/* ---- tornado ---------------------------------------------------------- */

static int tornado(swctx *x, const cJSON *sw)
{
    const cJSON *bars = get(sw, "bars"), *b;
    int n = cJSON_GetArraySize(bars), i = 0, money;
    if (n == 0) return HNB_OK;
    const char *fid = str(sw, "figure"), *flabel = figure_label(x, sw, &money);
    charts_chart c;
    char what[200];
    snprintf(what, sizeof what, "the tornado chart of sweep %s", str(sw, "name"));
    charts_begin(&c, "sweep", str(sw, "name"), what);
    double sc = money ? 1e6 : 1.0, base = num(get(sw, "base"), fid) / sc, lo = base, hi = base, widest = 0.0;
    const char **names = malloc(((size_t)n + 1) * sizeof *names);
    if (!names) {
        c.body.oom = 1;
        return finish(x, &c);
    }
    cJSON_ArrayForEach(b, bars)
    {
        double vl = num(get(b, "low"), fid) / sc, vh = num(get(b, "high"), fid) / sc;
        names[i++] = str(b, "assumption");
        lo = fmin(lo, fmin(vl, vh));
        hi = fmax(hi, fmax(vl, vh));
        for (int side = 0; side < 2; side++) {
            char m[48], v[48], t[120];
            value_text(m, sizeof m, (side ? vh : vl) * sc, money);
            value_text(v, sizeof v, num(b, side ? "high_value" : "low_value"), is_money_label(names[i - 1]));
            snprintf(t, sizeof t, "%s: %s", v, m);
            widest = fmax(widest, charts_text_cm(t, 7.0, 0));
        }
    }
    char title[300], axis[200], m[48];
    axis_title(axis, sizeof axis, flabel);
    char pl[200];
    plain_label(pl, sizeof pl, flabel);
    snprintf(title, sizeof title, "What moves the %s most", pl);
    value_text(m, sizeof m, base * sc, money);
    charts_text note = {0};
    charts_printf(&note,
                  "Each bar sets one assumption to its low or high value (the sweep file's, or the 10th and 90th "
                  "percentiles of its distribution), the others at their central values; each bar end is labelled "
                  "with the value and the figure. Central figure %s.",
                  m);
    const char *flow = "lc rgb \"#a7bcda\" fs solid 1.0 border lc rgb \"#222222\"";
    const char *fhigh = "lc rgb \"#1b3a6b\" fs solid 1.0 border lc rgb \"#222222\"";
    charts_key_add(&c, CHARTS_KEY_BOX, flow, "Low value of the assumption");
    charts_key_add(&c, CHARTS_KEY_BOX, fhigh, "High value of the assumption");
    charts_frame_opts fo = {title, str(x->res, "scenario_label"), note.oom ? "" : note.s, CHARTS_KEY_BELOW, 0.9, 1.45};
    charts_frame(&c, &x->meta, &fo);
    charts_scratch_free(&c, &note);
    row_names(&c, names, n);
    free(names);
    charts_text low = {0}, high = {0};
    i = 0;
    cJSON_ArrayForEach(b, bars)
    {
        double y = n - i - 0.5, vl = num(get(b, "low"), fid) / sc, vh = num(get(b, "high"), fid) / sc;
        charts_printf(&low, "%.6f %.4f %.6f %.6f %.4f %.4f\n", (base + vl) / 2, y, fmin(base, vl), fmax(base, vl),
                      y - 0.32, y + 0.32);
        charts_printf(&high, "%.6f %.4f %.6f %.6f %.4f %.4f\n", (base + vh) / 2, y, fmin(base, vh), fmax(base, vh),
                      y - 0.32, y + 0.32);
        for (int side = 0; side < 2; side++) {
            double v = side ? vh : vl;
            char mv[48], av[48], t[120];
            value_text(mv, sizeof mv, v * sc, money);
            value_text(av, sizeof av, num(b, side ? "high_value" : "low_value"), is_money_label(str(b, "assumption")));
            snprintf(t, sizeof t, "%s: %s", av, mv);
            /* the bar end away from the centre; a bar of no width labels both sides */
            int right = v > base || (v == base && side);
            charts_printf(&c.body, "set label %d ", 7000 + 2 * i + side);
            charts_quote(&c.body, t);
            charts_printf(&c.body, " at %.6f, %.4f %s offset %s,0 font \",7\"\n", v, y, right ? "left" : "right",
                          right ? "0.6" : "-0.6");
        }
        i++;
    }
    charts_printf(&c.data, "$low << EOD\n%sEOD\n$high << EOD\n%sEOD\n", low.oom ? "" : low.s, high.oom ? "" : high.s);
    charts_scratch_free(&c, &low);
    charts_scratch_free(&c, &high);
    charts_puts(&c.body, "set border 1\nset grid xtics noytics\nunset xzeroaxis\n");
    double len = (c.box_r - c.box_l) * CHARTS_PAGE_W, q = fmin(0.3, (widest + 0.5) / len);
    charts_value_axis(&c, 'x', lo, hi, money ? CHARTS_MONEY_M : CHARTS_COUNT, q / (1.0 - 2.0 * q), axis);
    charts_printf(&c.body,
                  "set arrow 7900 from %.6f, graph 0 to %.6f, graph 1 nohead lc rgb \"#000000\" lw 1.4 front\n", base,
                  base);
    charts_printf(&c.body, "set label 7901 \"Central: %s\" at %.6f, graph 1 center offset 0,0.8 font FB.\",8\"\n", m,
                  base);
    charts_printf(&c.body,
                  "plot $low using 1:2:3:4:5:6 with boxxyerror %s notitle, "
                  "$high using 1:2:3:4:5:6 with boxxyerror %s notitle\n",
                  flow, fhigh);
    return finish(x, &c);
}

/* ---- spider ----------------------------------------------------------- */

static int spider(swctx *x, const cJSON *sw)
{
    const cJSON *lines = get(sw, "lines"), *l, *ch = get(sw, "changes"), *e;
    int money, i = 0, nc = cJSON_GetArraySize(ch);
    if (!cJSON_GetArraySize(lines) || nc < 2) return HNB_OK;
    const char *fid = str(sw, "figure"), *flabel = figure_label(x, sw, &money);
    double sc = money ? 1e6 : 1.0, lo = INFINITY, hi = -INFINITY, c0 = INFINITY, c1 = -INFINITY;
    charts_chart c;
    char what[200];
    snprintf(what, sizeof what, "the spider chart of sweep %s", str(sw, "name"));
    charts_begin(&c, "sweep", str(sw, "name"), what);
    cJSON_ArrayForEach(e, ch)
    {
        c0 = fmin(c0, 100.0 * e->valuedouble);
        c1 = fmax(c1, 100.0 * e->valuedouble);
    }
    cJSON_ArrayForEach(l, lines)
    {
        const cJSON *f, *cc = ch->child;
        charts_printf(&c.data, "$l%d << EOD\n", i);
        cJSON_ArrayForEach(f, get(l, "figures"))
        {
            double v = num(f, fid) / sc;
            charts_printf(&c.data, "%.6f %.6f\n", 100.0 * (cc ? cc->valuedouble : 0.0), v);
            lo = fmin(lo, v);
            hi = fmax(hi, v);
            cc = cc ? cc->next : NULL;
        }
        charts_puts(&c.data, "EOD\n");
        char style[16];
        snprintf(style, sizeof style, "ls %d", i % CHARTS_NSTYLES + 1);
        charts_key_add(&c, CHARTS_KEY_LINEPOINT, style, str(l, "assumption"));
        i++;
    }
    char title[300], axis[200], m[48];
    axis_title(axis, sizeof axis, flabel);
    char pl[200];
    plain_label(pl, sizeof pl, flabel);
    snprintf(title, sizeof title, "The %s as each assumption changes", pl);
    value_text(m, sizeof m, num(get(sw, "base"), fid), money);
    charts_text note = {0};
    charts_printf(&note,
                  "Each line changes one assumption by the percentage on the axis from its central value, the others "
                  "at theirs; a steeper line is a figure more sensitive to that assumption. Central figure %s.",
                  m);
    charts_frame_opts fo = {title, str(x->res, "scenario_label"), note.oom ? "" : note.s, CHARTS_KEY_BELOW, 0.0, 1.45};
    charts_frame(&c, &x->meta, &fo);
    charts_scratch_free(&c, &note);
    charts_value_axis(&c, 'y', lo, hi, money ? CHARTS_MONEY_M : CHARTS_COUNT, 0.06, axis);
    charts_printf(&c.body, "set xrange [%.4f:%.4f]\nset xtics (", c0 - 0.03 * (c1 - c0), c1 + 0.03 * (c1 - c0));
    int k = 0;
    cJSON_ArrayForEach(e, ch)
    {
        char t[32];
        snprintf(t, sizeof t, "%+.0f%%", 100.0 * e->valuedouble);
        if (e->valuedouble == 0.0) snprintf(t, sizeof t, "central");
        charts_printf(&c.body, "%s", k++ ? ", " : "");
        charts_quote_tic(&c.body, t);
        charts_printf(&c.body, " %.6f", 100.0 * e->valuedouble);
    }
    charts_puts(&c.body, ")\nset xlabel \"Change in the assumption from its central value\"\n"
                         "set grid xtics ytics\n");
    charts_printf(&c.body, "set arrow 7900 from 0, graph 0 to 0, graph 1 nohead ls 23\nplot ");
    for (int j = 0; j < i; j++)
        charts_printf(&c.body, "%s$l%d using 1:2 with linespoints ls %d notitle", j ? ", " : "", j,
                      j % CHARTS_NSTYLES + 1);
    charts_puts(&c.body, "\n");
    return finish(x, &c);
}

/* ---- grid: heat map with the threshold contour ------------------------ */

static void value_tics(charts_chart *c, char axis, const double *v, int n, int money)
{
    charts_printf(&c->body, "set %ctics (", axis);
    for (int i = 0; i < n; i++) {
        char t[48];
        if (money == VAL_MONEY && fabs(v[i]) >= 1e6 && fabs(v[i]) < 1e7 && fabs(v[i] - 1e4 * round(v[i] / 1e4)) > 0.5)
            charts_money(t, sizeof t, v[i], 3, 0); /* tell £0.125m from £0.12m */
        else
            value_text(t, sizeof t, v[i], money);
        charts_printf(&c->body, "%s", i ? ", " : "");
        charts_quote_tic(&c->body, t);
        charts_printf(&c->body, " %.10g", v[i]);
    }
    charts_puts(&c->body, ")\n");
}

/* The edges of the cells round values v[0..n): halfway between neighbours. */
static double edge(const double *v, int n, int i, int upper)
{
    if (n == 1) return v[0] + (upper ? 0.5 : -0.5) * (fabs(v[0]) > 0 ? fabs(v[0]) * 0.1 : 1.0);
    if (upper) return i + 1 < n ? 0.5 * (v[i] + v[i + 1]) : v[i] + 0.5 * (v[i] - v[i - 1]);
    return i > 0 ? 0.5 * (v[i - 1] + v[i]) : v[i] - 0.5 * (v[i + 1] - v[i]);
}

static int heatmap(swctx *x, const cJSON *sw, const cJSON *contour, int r, int nrest)
{
    const cJSON *as = get(sw, "assumptions"), *ax = cJSON_GetArrayItem(as, 0), *ay = cJSON_GetArrayItem(as, 1);
    int nx = cJSON_GetArraySize(get(ax, "values")), ny = cJSON_GetArraySize(get(ay, "values")), money, k = 0;
    int na = cJSON_GetArraySize(as);
    const char *fid = str(sw, "figure"), *flabel = figure_label(x, sw, &money);
    double *vx = malloc(((size_t)nx + 1) * sizeof *vx), *vy = malloc(((size_t)ny + 1) * sizeof *vy);
    charts_chart c;
    char what[200], suffix[140];
    snprintf(what, sizeof what, "the heat map of sweep %s", str(sw, "name"));
    if (nrest > 1)
        snprintf(suffix, sizeof suffix, "%s-%d", str(sw, "name"), r + 1);
    else
        snprintf(suffix, sizeof suffix, "%s", str(sw, "name"));
    charts_begin(&c, "sweep", suffix, what);
    if (!vx || !vy) {
        free(vx);
        free(vy);
        c.body.oom = 1;
        return finish(x, &c);
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, get(ax, "values")) vx[k++] = e->valuedouble;
    k = 0;
    cJSON_ArrayForEach(e, get(ay, "values")) vy[k++] = e->valuedouble;
    int mx = is_money_label(str(ax, "assumption")), my = is_money_label(str(ay, "assumption"));
    double sc = money ? 1e6 : 1.0, zlo = INFINITY, zhi = -INFINITY, thr = num(sw, "threshold") / sc;
    /* cells of this combination of the other assumptions: cell index (ix*ny + iy)*nrest + r */
    charts_puts(&c.data, "$heat << EOD\n");
    charts_text labels = {0};
    for (int ix = 0; ix < nx; ix++)
        for (int iy = 0; iy < ny; iy++) {
            const cJSON *cell = cJSON_GetArrayItem(get(sw, "cells"), (ix * ny + iy) * nrest + r);
            double z = num(get(cell, "figures"), fid) / sc;
            if (isnan(z)) continue;
            zlo = fmin(zlo, z);
            zhi = fmax(zhi, z);
            charts_printf(&c.data, "%.10g %.10g %.10g %.10g %.10g %.10g %.6f\n", vx[ix], vy[iy], edge(vx, nx, ix, 0),
                          edge(vx, nx, ix, 1), edge(vy, ny, iy, 0), edge(vy, ny, iy, 1), z);
            if (nx * ny <= 100) {
                char t[48];
                value_text(t, sizeof t, z * sc, money);
                charts_printf(&labels, "%.10g %.10g ", vx[ix], vy[iy]);
                charts_quote(&labels, t);
                charts_puts(&labels, "\n");
            }
        }
    charts_puts(&c.data, "EOD\n$labels << EOD\n");
    charts_puts(&c.data, labels.oom || !labels.s ? "" : labels.s);
    charts_puts(&c.data, "EOD\n$contour << EOD\n");
    charts_scratch_free(&c, &labels);
    int nseg = 0;
    cJSON_ArrayForEach(e, get(contour, "segments"))
    {
        const cJSON *p = e->child;
        double s[4] = {0, 0, 0, 0};
        for (int q = 0; q < 4 && p; q++, p = p->next) s[q] = p->valuedouble;
        charts_printf(&c.data, "%.10g %.10g\n%.10g %.10g\n\n", s[0], s[1], s[2], s[3]);
        nseg++;
    }
    charts_puts(&c.data, "EOD\n");
    char title[300], m[48], t2[300];
    char pl[200];
    plain_label(pl, sizeof pl, flabel);
    snprintf(title, sizeof title, "The %s over two assumptions", pl);
    value_text(m, sizeof m, num(sw, "threshold"), money);
    charts_text note = {0};
    charts_printf(&note,
                  "Each cell is one combination; the black line is where the figure equals %s (by linear "
                  "interpolation between cells).",
                  m);
    for (int j = 2; j < na; j++) {
        const cJSON *o = cJSON_GetArrayItem(get(contour, "others"), j - 2);
        const cJSON *aj = cJSON_GetArrayItem(as, j);
        char v[48];
        value_text(v, sizeof v, cJSON_IsNumber(o) ? o->valuedouble : NAN, is_money_label(str(aj, "assumption")));
        charts_printf(&note, " %s at %s.", str(aj, "assumption"), v);
    }
    snprintf(t2, sizeof t2, "Where the figure equals %.40s%s", m, nseg ? "" : " (not crossed in this grid)");
    if (get(sw, "threshold")) charts_key_add(&c, CHARTS_KEY_LINE, "lc rgb \"#000000\" lw 3", t2);
    charts_frame_opts fo = {title, str(x->res, "scenario_label"), note.oom ? "" : note.s, CHARTS_KEY_BELOW, 2.6, 1.45};
    charts_frame(&c, &x->meta, &fo);
    charts_scratch_free(&c, &note);
    double wy = 0.0;
    for (int i = 0; i < ny; i++) {
        char t[48];
        value_text(t, sizeof t, vy[i], my);
        wy = fmax(wy, charts_text_cm(t, 8.0, 0));
    }
    /* a label longer than the plot is tall takes two lines, and the room for them */
    char ylab[400];
    double ph = (c.box_t - c.box_b) * CHARTS_PAGE_H;
    int ylines = charts_wrap_cm(ylab, sizeof ylab, str(ay, "assumption"), 0.95 * ph, 9.0, 0);
    charts_left_axis(&c, wy + (ylines - 1) * charts_line_cm(9.0), ylab);
    value_tics(&c, 'x', vx, nx, mx);
    value_tics(&c, 'y', vy, ny, my);
    charts_printf(&c.body, "set xrange [%.10g:%.10g]\nset yrange [%.10g:%.10g]\n", edge(vx, nx, 0, 0),
                  edge(vx, nx, nx - 1, 1), edge(vy, ny, 0, 0), edge(vy, ny, ny - 1, 1));
    charts_puts(&c.body, "set xlabel ");
    charts_quote(&c.body, str(ax, "assumption"));
    charts_puts(&c.body, "\nset grid noxtics noytics\nset border 15\nunset xzeroaxis\n");
    /* a diverging palette centred on the threshold: red below, blue above */
    double span = fmax(fabs(zhi - thr), fabs(zlo - thr));
    if (!(span > 0)) span = 1.0;
    charts_printf(&c.body,
                  "set palette defined (-1 \"#b2182b\", -0.5 \"#ef8a62\", 0 \"#f7f7f7\", 0.5 \"#67a9cf\", 1 "
                  "\"#2166ac\")\nset cbrange [%.6f:%.6f]\nset colorbox user origin screen %.4f, screen %.4f size "
                  "screen 0.018, screen %.4f\nset cbtics font \",7\"\n",
                  thr - span, thr + span, c.box_r + 0.02, c.box_b, c.box_t - c.box_b);
    charts_printf(&c.body, "set cblabel \"%s\" font \",8\"\n", money ? "£m" : "EHCPs");
    charts_printf(&c.body, "plot $heat using 1:2:3:4:5:6:7 with boxxyerror fs solid 1.0 noborder lc palette "
                           "notitle, $labels using 1:2:3 with labels font \",6.5\" textcolor rgb \"#111111\" notitle");
    if (nseg) charts_puts(&c.body, ", $contour using 1:2 with lines lc rgb \"#000000\" lw 3 notitle");
    charts_puts(&c.body, "\n");
    free(vx);
    free(vy);
    return finish(x, &c);
}

static int grid(swctx *x, const cJSON *sw)
{
    const cJSON *as = get(sw, "assumptions");
    int na = cJSON_GetArraySize(as), nrest = 1;
    if (na < 2) return HNB_OK;
    for (int j = 2; j < na; j++) nrest *= cJSON_GetArraySize(get(cJSON_GetArrayItem(as, j), "values"));
    const cJSON *cs = get(sw, "contours");
    int rc = HNB_OK;
    for (int r = 0; !rc && r < nrest && r < 12; r++) rc = heatmap(x, sw, cJSON_GetArrayItem(cs, r), r, nrest);
    return rc;
}

/* ---- sobol ------------------------------------------------------------ */

static int sobol(swctx *x, const cJSON *sw)
{
    const cJSON *in = get(sw, "inputs"), *ix = get(get(sw, "indices"), str(sw, "figure")), *e;
    int n = cJSON_GetArraySize(in), money, i = 0;
    if (!n || !ix) return HNB_OK;
    const char *flabel = figure_label(x, sw, &money);
    charts_chart c;
    char what[200];
    snprintf(what, sizeof what, "the Sobol indices chart of sweep %s", str(sw, "name"));
    charts_begin(&c, "sweep", str(sw, "name"), what);
    const char **names = malloc(((size_t)n + 1) * sizeof *names);
    if (!names) {
        c.body.oom = 1;
        return finish(x, &c);
    }
    cJSON_ArrayForEach(e, in) names[i++] = str(e, "assumption");
    double hi = 1.0;
    charts_text d1 = {0}, dt = {0};
#define AT(key, j) \
    (cJSON_IsNumber(cJSON_GetArrayItem(get(ix, key), j)) ? cJSON_GetArrayItem(get(ix, key), j)->valuedouble : NAN)
    for (int j = 0; j < n; j++) {
        double y = n - j - 0.5;
        double s = AT("first_order", j), sl = AT("first_order_low", j), sh = AT("first_order_high", j);
        double t = AT("total", j), tl = AT("total_low", j), th = AT("total_high", j);
        if (isnan(sl)) sl = sh = s;
        if (isnan(tl)) tl = th = t;
        if (isnan(s)) continue;
        charts_printf(&d1, "%.6f %.4f %.6f %.6f %.4f %.4f\n", s / 2, y + 0.17, fmin(0.0, s), fmax(0.0, s), y + 0.02,
                      y + 0.32);
        charts_printf(&dt, "%.6f %.4f %.6f %.6f %.4f %.4f\n", t / 2, y - 0.17, fmin(0.0, t), fmax(0.0, t), y - 0.32,
                      y - 0.02);
        charts_printf(&c.data, "%s%.6f %.4f %.6f %.6f\n", j ? "" : "$err << EOD\n", s, y + 0.17, sl, sh);
        charts_printf(&c.data, "%.6f %.4f %.6f %.6f\n", t, y - 0.17, tl, th);
        hi = fmax(hi, fmax(sh, th));
        char lab[64];
        snprintf(lab, sizeof lab, "%.2f", s);
        charts_printf(&c.body, "set label %d \"%s\" at %.6f, %.4f left offset 0.5,0 font \",6.5\"\n", 7000 + 2 * j, lab,
                      fmax(sh, s), y + 0.17);
        snprintf(lab, sizeof lab, "%.2f", t);
        charts_printf(&c.body, "set label %d \"%s\" at %.6f, %.4f left offset 0.5,0 font \",6.5\"\n", 7001 + 2 * j, lab,
                      fmax(th, t), y - 0.17);
    }
#undef AT
    charts_puts(&c.data, c.data.len ? "EOD\n" : "$err << EOD\nEOD\n");
    charts_printf(&c.data, "$first << EOD\n%sEOD\n$total << EOD\n%sEOD\n", d1.oom || !d1.s ? "" : d1.s,
                  dt.oom || !dt.s ? "" : dt.s);
    charts_scratch_free(&c, &d1);
    charts_scratch_free(&c, &dt);
    const char *f1 = "lc rgb \"#a7bcda\" fs solid 1.0 border lc rgb \"#222222\"";
    const char *ft = "lc rgb \"#1b3a6b\" fs solid 1.0 border lc rgb \"#222222\"";
    char key[120];
    snprintf(key, sizeof key, "First-order index (the assumption alone)");
    charts_key_add(&c, CHARTS_KEY_BOX, f1, key);
    charts_key_add(&c, CHARTS_KEY_BOX, ft, "Total index (with its interactions)");
    char title[300];
    char pl[200];
    plain_label(pl, sizeof pl, flabel);
    snprintf(title, sizeof title, "What drives the spread of the %s", pl);
    charts_text note = {0};
    charts_printf(&note,
                  "Share of the figure's variance due to each source of uncertainty (Sobol indices, %d Saltelli "
                  "samples, Jansen estimators); whiskers: %.0f%% bootstrap intervals. An index near 0 means the "
                  "figure does not depend on that source.",
                  (int)num(sw, "samples"), 100.0 * num(sw, "confidence"));
    charts_frame_opts fo = {title, str(x->res, "scenario_label"), note.oom ? "" : note.s, CHARTS_KEY_BELOW, 0.9, 1.45};
    charts_frame(&c, &x->meta, &fo);
    charts_scratch_free(&c, &note);
    row_names(&c, names, n);
    free(names);
    charts_printf(&c.body,
                  "set xrange [%.4f:%.4f]\nset xtics 0.2\nset xlabel \"Index (share of the variance)\"\n"
                  "set border 1\nset grid xtics noytics\nunset xzeroaxis\n",
                  -0.02, fmin(1.15, hi + 0.1));
    charts_printf(&c.body,
                  "plot $first using 1:2:3:4:5:6 with boxxyerror %s notitle, $total using 1:2:3:4:5:6 with "
                  "boxxyerror %s notitle, $err using 1:2:3:4 with xerrorbars lc rgb \"#000000\" lw 1.2 pt -1 "
                  "notitle\n",
                  f1, ft);
    return finish(x, &c);
}

int hnb_plot_sweep(hnb_model *h, const char *outdir, unsigned formats)
{
    const cJSON *res = h->results;
    if (!res || strcmp(str(res, "format"), "hnbsim-sweep") != 0)
        return err_set(h, HNB_E_NOTRUN, "no sweep results to plot (expected hnb_sweep first)");
    const unsigned all = HNB_FMT_PNG | HNB_FMT_PDF | HNB_FMT_SVG;
    if (!formats || (formats & ~all))
        return err_set(h, HNB_E_USAGE,
                       "%s: chart formats 0x%x: not a set of known formats (expected PNG, PDF and/or SVG)", outdir,
                       formats);
    const cJSON *sw;
    int any = 0;
    cJSON_ArrayForEach(sw, get(res, "sweeps"))
    {
        const char *t = str(sw, "type");
        any |= !strcmp(t, "tornado") || !strcmp(t, "spider") || !strcmp(t, "grid") || !strcmp(t, "sobol");
    }
    if (!any) return HNB_OK;
    if (!charts_gnuplot_on_path())
        return err_set(h, HNB_E_GNUPLOT,
                       "%s: cannot draw the sweep charts: gnuplot not found on PATH (expected the gnuplot program, "
                       "e.g. from the gnuplot-nox package, or --no-charts)",
                       outdir);
    int rc = fileout_mkdirs(h, outdir);
    if (rc) return rc;
    swctx x = {h, res, outdir, formats, {str(res, "title"), str(res, "source"), str(res, "run_date")}, NULL};
    x.pool = charts_pool_new(h, outdir, formats, 0);
    if (!x.pool) return err_set(h, HNB_E_NOMEM, "%s: out of memory starting gnuplot", outdir);
    locale_t cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = cloc ? uselocale(cloc) : (locale_t)0;
    cJSON_ArrayForEach(sw, get(res, "sweeps"))
    {
        if (rc) break;
        const char *t = str(sw, "type");
        if (!strcmp(t, "tornado"))
            rc = tornado(&x, sw);
        else if (!strcmp(t, "spider"))
            rc = spider(&x, sw);
        else if (!strcmp(t, "grid"))
            rc = grid(&x, sw);
        else if (!strcmp(t, "sobol"))
            rc = sobol(&x, sw);
    }
    int end = charts_pool_end(x.pool); /* the first failure in the order added */
    if (!rc) rc = end;
    if (cloc) {
        uselocale(old);
        freelocale(cloc);
    }
    return rc;
}
