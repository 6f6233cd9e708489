/* chartsavings.c: the savings waterfall of a management-plan scenario
 * (savings-<s>): from its parent's cumulative position at the end of the
 * override, a step per action, to its own.
 *
 * Design. A horizontal waterfall, read top down: the parent's position, a
 * row per action, then this scenario's position; a row each, names on the
 * left (charts_category_axis), so that any number of actions with long names
 * stays legible. Whatever the actions do not explain (rounding aside) is a
 * row of its own, "Other changes (not actions)", not hidden.
 *
 * Trade-offs. The steps are small beside the totals (Sutton: actions of
 * £0.1m to £4.6m between −£85m and −£68m), so when zero is far from every
 * level (nearer than half the steps' span would be a stretch) the scale
 * starts near the smallest total instead of at zero: the steps get the whole
 * width and the two total bars are cut at the plot's edge, which the
 * footnote says. A scale with zero would make £0.1-0.4m actions slivers. */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chartparts.h"

/* The steps: the parent's position, then each action's level; lo/hi over
 * every level and the end. */
typedef struct charts_steps {
    double start, end, level, sum, gap, lo, hi;
    int nact, ncost, nsave, have_gap;
} charts_steps;

static void charts_steps_measure(charts_steps *w, const cJSON *parent, const cJSON *s, const cJSON *acts)
{
    const cJSON *a;
    memset(w, 0, sizeof *w);
    w->start = charts_num(charts_get(parent, "headline"), "cumulative_at_override_end") / 1e6;
    w->end = charts_num(charts_get(s, "headline"), "cumulative_at_override_end") / 1e6;
    w->level = w->lo = w->hi = w->start;
    cJSON_ArrayForEach(a, acts)
    {
        double v = charts_num(a, "to_override_end") / 1e6;
        w->level += v;
        w->sum += v;
        w->lo = fmin(w->lo, w->level);
        w->hi = fmax(w->hi, w->level);
        w->ncost += v < 0.0;
        w->nsave += v >= 0.0;
        w->nact++;
    }
    w->gap = w->end - w->level;
    w->have_gap = fabs(w->gap) > fmax(0.05, 0.005 * fabs(w->start));
    w->lo = fmin(w->lo, w->end);
    w->hi = fmax(w->hi, w->end);
}

/* The footnote: what the rows are and how the savings were attributed. */
static void charts_savings_note(charts_text *note, const cJSON *parent, const cJSON *s, const cJSON *sv,
                                const char *when, double sum)
{
    const char *method = charts_str(sv, "method", "");
    const char *how = strcmp(method, "shapley-sampled") == 0 ? "sampled Shapley values"
                      : strcmp(method, "shapley-exact") == 0 ? "exact Shapley values"
                      : *method                              ? method
                                                             : "Shapley values";
    char m[48];
    charts_money(m, sizeof m, sum * 1e6, 1, 1);
    charts_printf(note,
                  "Cumulative position at %s: %s at the top, %s at the bottom. Each action's saving is the improvement "
                  "of the in-year position, summed to %s (actions %s in total), attributed to actions by %s. "
                  "Figures may not add because of rounding.",
                  when, charts_label(parent), charts_label(s), when, m, how);
}

/* A value label by a bar: left of x0 if right is 0, else right of x1. */
static void charts_step_label(charts_chart *c, double v, int plus, double x, double y, int right)
{
    char m[48];
    charts_money(m, sizeof m, v * 1e6, 1, plus);
    charts_set_label(c, 0, m, "at %.6f, %.4f %s offset %s,0 font FB.\",8\"", x, y, right ? "left" : "right",
                     right ? "0.5" : "-0.5");
}

int charts_savings(charts_ctx *x, const cJSON *s, int index)
{
    const cJSON *sv = charts_get(s, "savings");
    int pindex = 0;
    const cJSON *parent = charts_scenario_named(x, charts_str(sv, "against", NULL), &pindex);
    charts_chart c;
    charts_begin_scenario(&c, "savings", s, "the savings waterfall");
    const cJSON *acts = charts_get(sv, "actions"), *a;
    charts_steps w;
    charts_steps_measure(&w, parent, s, acts);
    int rows = w.nact + 2 + w.have_gap;
    /* zero is far: every level on one side of it, further than half the span */
    int zoom = (w.lo > 0.0 || w.hi < 0.0) && fmin(fabs(w.lo), fabs(w.hi)) > 0.5 * (w.hi - w.lo);

    const char *fsave = "lc rgb \"#9cc3a4\" fs solid 1.0 border lc rgb \"#222222\"";
    const char *fcost = "lc rgb \"#3a3a3a\" fs pattern 4 border lc rgb \"#222222\"";
    const char *fgap = "lc rgb \"#7a7a7a\" fs pattern 2 border lc rgb \"#222222\"";
    if (w.nsave) charts_key_add(&c, CHARTS_KEY_BOX, fsave, "Saving: moves the position towards balance");
    if (w.ncost) charts_key_add(&c, CHARTS_KEY_BOX, fcost, "Cost: adds to the deficit");
    if (w.have_gap) charts_key_add(&c, CHARTS_KEY_BOX, fgap, "Other changes (not actions)");

    char when[48], title[200];
    charts_long_date(when, sizeof when, charts_str(s, "override_end", ""));
    snprintf(title, sizeof title, "Savings by action to %s", when);
    charts_text note = {0};
    charts_savings_note(&note, parent, s, sv, when, w.sum);
    if (zoom) {
        charts_printf(&note,
                      " The scale does not start at zero, so that small actions show: the two total bars are cut at "
                      "the %s edge.",
                      w.hi < 0.0 ? "right-hand" : "left-hand");
    }
    charts_frame_opts fo = {title, charts_label(s), note.oom ? "" : note.s, CHARTS_KEY_BELOW, 0.9, 1.45};
    charts_frame(&c, &x->meta, &fo);
    charts_scratch_free(&c, &note);

    /* Row names: parent, actions, [not attributed], this scenario. */
    const char **names = malloc(((size_t)rows + 1) * sizeof *names);
    if (!names) {
        c.body.oom = 1;
        return charts_finish(x, &c);
    }
    int r = 0;
    names[r++] = charts_label(parent);
    cJSON_ArrayForEach(a, acts) names[r++] = charts_str(a, "name", "?");
    if (w.have_gap) names[r++] = "Other changes (not actions)";
    names[r++] = charts_label(s);
    double *ys = charts_category_axis(&c, names, rows, charts_plot_h(&c));
    free(names);
    if (!ys) return charts_finish(x, &c);

    /* Values: room for the totals' labels left of a negative bar (right of a
     * positive one), and for each step's label right of its bar. */
    double plot_w = charts_plot_w(&c);
    double tw = charts_text_cm("\xe2\x88\x92\xc2\xa3"
                               "000.0m",
                               8.0, 1) +
                0.35;
    double lo = zoom ? w.lo : fmin(0.0, w.lo), hi = zoom ? w.hi : fmax(0.0, w.hi);
    double lroom = (w.start < 0.0 || w.end < 0.0) ? tw : 0.0, rroom = (w.start > 0.0 || w.end > 0.0) ? tw : 0.0;
    if (zoom) rroom = fmax(rroom, 0.6); /* a stretch of the cut total bars */
    double per = (hi - lo > 1e-9 ? hi - lo : 1.0) / fmax(1.0, plot_w - lroom - rroom); /* £m per cm, roughly */
    double xl = lo - lroom * per, xh = hi + rroom * per, level = w.start;
    cJSON_ArrayForEach(a, acts)
    {
        double v = charts_num(a, "to_override_end") / 1e6;
        char m[48];
        charts_money(m, sizeof m, v * 1e6, 1, 1);
        xh = fmax(xh, fmax(level, level + v) + (charts_text_cm(m, 8.0, 1) + 0.35) * per);
        level += v;
    }
    charts_value_axis(&c, 'x', xl, xh, CHARTS_MONEY_M | (zoom ? 0 : CHARTS_ZERO) | CHARTS_TIGHT, 0.0,
                      zoom ? "Cumulative position (negative = deficit; the scale does not start at zero)"
                           : "Cumulative position (negative = deficit)");
    double cm = (c.ax_hi - c.ax_lo) / (plot_w > 1.0 ? plot_w : 1.0); /* £m per cm */
    double minw = 0.08 * cm;                         /* a zero step is drawn this wide, so that its row is not empty */
    double zero = fmin(fmax(0.0, c.ax_lo), c.ax_hi); /* where a total's bar starts: 0, or the cut */
    charts_puts(&c.body,
                "set border 1 lw 0.8 lc rgb \"#333333\"\nset grid xtics noytics back lw 0.5 lc rgb \"#cccccc\"\n"
                "unset xzeroaxis\nset yzeroaxis lt 1 lc rgb \"#222222\" lw 1\n");

    charts_text tot = {0}, up = {0}, down = {0};
    const double hb = 0.34; /* half a bar's height */
    r = 0;
    double yr = ys[r];
    charts_hbar(&tot, zero, w.start, yr, hb);
    charts_step_label(&c, w.start, 0, w.start, yr, w.start >= 0);
    level = w.start;
    cJSON_ArrayForEach(a, acts)
    {
        double v = charts_num(a, "to_override_end") / 1e6, from = level, to = level + v;
        double x0 = fmin(from, to), x1 = fmax(from, to);
        if (x1 - x0 < minw) {
            x0 = (from + to) / 2 - minw / 2;
            x1 = x0 + minw;
        }
        charts_printf(&c.body, "set arrow from %.6f, %.4f to %.6f, %.4f nohead ls 23 back\n", from, yr - hb, from,
                      ys[r + 1] + hb);
        yr = ys[++r];
        charts_hbar(v >= 0 ? &up : &down, x0, x1, yr, hb);
        char m[48];
        charts_money(m, sizeof m, v * 1e6, 1, 1);
        /* the label after the bar's right end, or before its left end if
         * there is no room on the right */
        int right = (c.ax_hi - x1) / cm >= charts_text_cm(m, 8.0, 1) + 0.3;
        charts_step_label(&c, v, 1, right ? x1 : x0, yr, right);
        level = to;
    }
    if (w.have_gap) {
        charts_printf(&c.body, "set arrow from %.6f, %.4f to %.6f, %.4f nohead ls 23 back\n", level, yr - hb, level,
                      ys[r + 1] + hb);
        yr = ys[++r];
        charts_puts(&c.data, "$gap << EOD\n");
        charts_hbar(&c.data, level, w.end, yr, hb);
        charts_puts(&c.data, "EOD\n");
        charts_step_label(&c, w.gap, 1, fmax(level, w.end), yr, 1);
        level = w.end;
    }
    charts_printf(&c.body, "set arrow from %.6f, %.4f to %.6f, %.4f nohead ls 23 back\n", level, yr - hb, level,
                  ys[r + 1] + hb);
    yr = ys[++r];
    charts_hbar(&tot, zero, w.end, yr, hb);
    charts_step_label(&c, w.end, 0, w.end, yr, w.end >= 0);
    if (zoom) /* a break in each cut total bar, near the edge */
        for (int k = 0; k < 2; k++) {
            double yk = k ? yr : ys[0], xb = zero + (zero >= c.ax_hi ? -0.45 : 0.45) * cm;
            for (int l = 0; l < 2; l++)
                charts_printf(&c.body,
                              "set arrow from %.6f, %.4f to %.6f, %.4f nohead lc rgb \"#ffffff\" lw 2.5 front\n",
                              xb + (l * 0.12 - 0.1) * cm, yk - hb * 1.3, xb + (l * 0.12 + 0.1) * cm, yk + hb * 1.3);
        }
    free(ys);
    charts_printf(&c.data, "$tot << EOD\n%sEOD\n", tot.oom || !tot.s ? "" : tot.s);
    if (up.len) charts_printf(&c.data, "$up << EOD\n%sEOD\n", up.s);
    if (down.len) charts_printf(&c.data, "$down << EOD\n%sEOD\n", down.s);

    char fa[128], fb[128];
    charts_scenario_fill(fa, sizeof fa, pindex);
    charts_scenario_fill(fb, sizeof fb, index);
    charts_puts(&c.body, "plot ");
    charts_printf(&c.body, "$tot using 1:2:3:4:5:6 every ::0::0 with boxxyerror %s notitle, ", fa);
    charts_printf(&c.body, "$tot using 1:2:3:4:5:6 every ::1::1 with boxxyerror %s notitle", fb);
    if (up.len) charts_printf(&c.body, ", $up using 1:2:3:4:5:6 with boxxyerror %s notitle", fsave);
    if (down.len) charts_printf(&c.body, ", $down using 1:2:3:4:5:6 with boxxyerror %s notitle", fcost);
    if (w.have_gap) charts_printf(&c.body, ", $gap using 1:2:3:4:5:6 with boxxyerror %s notitle", fgap);
    charts_puts(&c.body, "\n");
    charts_scratch_free(&c, &tot);
    charts_scratch_free(&c, &up);
    charts_scratch_free(&c, &down);
    return charts_finish(x, &c);
}
