/* chartrisk.c: the risk charts: the Monte Carlo fan of the cumulative
 * position (one per scenario with `montecarlo`) and the tornado of a
 * sensitivity sweep.
 *
 * Design. A fan's bands are the spread of the cumulative position over the
 * paths; it opens from the balance brought forward, which is known when the
 * paths start where the deterministic projection does. Fans of different
 * scenarios share one value axis, one span of years and one right margin
 * (charts_fan_range, merged over the scenarios by charts.c), so two fans set
 * side by side compare at a glance; HNB_PLOT_OWN_SCALES lets each scale
 * itself. The tornado runs horizontally, a row per assumption named on the
 * left, so that any number of long names stays legible. */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chartparts.h"

static const char *const charts_pk[] = {"p5", "p10", "p25", "p50", "p75", "p90", "p95"};

/* ---- the Monte Carlo fan ------------------------------------------------ */

/* The fan opens from the brought-forward balance if the paths start with the
 * projection's first year. */
static int charts_fan_opens(const cJSON *s)
{
    const cJSON *years = charts_get(charts_get(s, "montecarlo"), "years");
    int first = charts_fy(cJSON_GetArrayItem(years, 0), "fy");
    return first == charts_fy(cJSON_GetArrayItem(charts_get(s, "years"), 0), "fy");
}

/* The median at the end of the fan (£). */
static double charts_fan_last_median(const cJSON *s, int *fy)
{
    const cJSON *years = charts_get(charts_get(s, "montecarlo"), "years");
    const cJSON *ylast = cJSON_GetArrayItem(years, cJSON_GetArraySize(years) - 1);
    *fy = charts_fy(ylast, "fy");
    return charts_num(charts_get(ylast, "cumulative"), "p50");
}

void charts_fan_range(const charts_ctx *x, const cJSON *s, charts_range *r)
{
    const cJSON *y, *years = charts_get(charts_get(s, "montecarlo"), "years");
    int first = charts_fy(cJSON_GetArrayItem(years, 0), "fy");
    charts_range_x(r, first);
    if (charts_fan_opens(s)) {
        charts_range_value(r, charts_brought_forward(s) / 1e6);
        charts_range_x(r, first - 1);
    }
    cJSON_ArrayForEach(y, years)
    {
        charts_range_x(r, charts_fy(y, "fy"));
        for (int k = 0; k < 7; k++) charts_range_value(r, charts_num(charts_get(y, "cumulative"), charts_pk[k]) / 1e6);
    }
    /* the central and risk-weighted lines drawn over the fan */
    const cJSON *rw = charts_get(charts_get(s, "risk_weighted"), "years");
    cJSON_ArrayForEach(y, rw) charts_range_value(r, charts_num(y, "cumulative") / 1e6);
    if (rw) cJSON_ArrayForEach(y, charts_get(s, "years")) charts_range_value(r, charts_num(y, "cumulative") / 1e6);
    charts_actual act[CHARTS_MAXACT];
    charts_actuals(x, "finance", "cumulative", act, r);
    int fy;
    double med = charts_fan_last_median(s, &fy) / 1e6;
    r->right_cm = fmax(r->right_cm, charts_end_labels_cm(1, &med));
}

/* The footnote: paths, seed, the spread at the end of the override and the
 * probabilities. */
static void charts_fan_note(const cJSON *s, charts_text *note)
{
    const cJSON *mc = charts_get(s, "montecarlo");
    char when[48], m50[48], m5[48], m95[48], cnt[32];
    charts_long_date(when, sizeof when, charts_str(s, "override_end", ""));
    const cJSON *hoe = charts_get(charts_get(mc, "headline"), "cumulative_at_override_end");
    if (isfinite(charts_num(mc, "paths"))) {
        charts_count(cnt, sizeof cnt, charts_num(mc, "paths"));
        charts_printf(note, "%s Monte Carlo paths", cnt);
        if (isfinite(charts_num(mc, "seed"))) charts_printf(note, " (seed %.0f)", charts_num(mc, "seed"));
        charts_puts(note, ".");
    }
    if (cJSON_IsObject(hoe)) {
        charts_money(m50, sizeof m50, charts_num(hoe, "p50"), 1, 0);
        charts_money(m5, sizeof m5, charts_num(hoe, "p5"), 1, 0);
        charts_money(m95, sizeof m95, charts_num(hoe, "p95"), 1, 0);
        charts_printf(note, " At %s: median %s, 9 in 10 paths between %s and %s.", when, m50, m5, m95);
    }
    const cJSON *pr = charts_get(mc, "probabilities");
    const cJSON *above = charts_get(pr, "deficit_at_override_end_above");
    const cJSON *bal = charts_get(pr, "in_year_balance_by");
    if (cJSON_IsObject(above) && isfinite(charts_num(above, "p"))) {
        char t[48];
        charts_money(t, sizeof t, charts_num(above, "threshold"), 1, 0);
        charts_printf(note, "\nChance the deficit at %s is above %s: %.1f%%.", when, t,
                      100.0 * charts_num(above, "p")); /* 99.8% must not read as certain */
    }
    if (cJSON_IsObject(bal) && isfinite(charts_num(bal, "p")))
        charts_printf(note, "%sChance of an in-year balance by %s: %.1f%%.", cJSON_IsObject(above) ? " " : "\n",
                      charts_str(bal, "fy", "?"), 100.0 * charts_num(bal, "p"));
    const cJSON *rw = charts_get(s, "risk_weighted");
    if (cJSON_IsObject(rw)) {
        char c[48], w[48];
        charts_money(c, sizeof c, charts_num(charts_get(s, "headline"), "cumulative_at_override_end"), 1, 0);
        charts_money(w, sizeof w, charts_num(rw, "cumulative_at_override_end"), 1, 0);
        charts_printf(note,
                      "\nAt %s, central line (every action delivered, the grant paid) %s; risk-weighted line (each "
                      "action delivered with its stated confidence) %s. The fan also draws the other assumptions.",
                      when, c, w);
    }
}

int charts_fan(charts_ctx *x, const cJSON *s, int index)
{
    const cJSON *mc = charts_get(s, "montecarlo");
    charts_chart c;
    charts_begin_scenario(&c, "fan", s, "the Monte Carlo fan chart");

    charts_range r;
    charts_range_init(&r);
    charts_fan_range(x, s, &r);
    if (x->shared) r = x->fan;
    const cJSON *y, *years = charts_get(mc, "years");
    int first = charts_fy(cJSON_GetArrayItem(years, 0), "fy");
    /* columns 9 and 10: the central line (every action delivered) and the
     * risk-weighted line of the same year, when the results have it */
    const cJSON *rw = charts_get(charts_get(s, "risk_weighted"), "years");
    charts_puts(&c.data, "$fan << EOD\n");
    if (charts_fan_opens(s)) {
        double bf = charts_brought_forward(s) / 1e6;
        charts_printf(&c.data, "%d", first - 1);
        for (int k = 0; k < (rw ? 9 : 7); k++) charts_printf(&c.data, " %.6f", bf);
        charts_puts(&c.data, "\n");
    }
    cJSON_ArrayForEach(y, years)
    {
        int fy = charts_fy(y, "fy");
        charts_printf(&c.data, "%d", fy);
        for (int k = 0; k < 7; k++)
            charts_printf(&c.data, " %.6f", charts_num(charts_get(y, "cumulative"), charts_pk[k]) / 1e6);
        if (rw) {
            double cen = NAN, wtd = NAN;
            const cJSON *e;
            cJSON_ArrayForEach(e, charts_get(s, "years")) if (charts_fy(e, "fy") == fy) cen =
                charts_num(e, "cumulative");
            cJSON_ArrayForEach(e, rw) if (charts_fy(e, "fy") == fy) wtd = charts_num(e, "cumulative");
            if (isfinite(cen) && isfinite(wtd))
                charts_printf(&c.data, " %.6f %.6f", cen / 1e6, wtd / 1e6);
            else
                charts_puts(&c.data, " NaN NaN");
        }
        charts_puts(&c.data, "\n");
    }
    charts_puts(&c.data, "EOD\n");
    charts_actual act[CHARTS_MAXACT];
    int na = charts_actuals(x, "finance", "cumulative", act, NULL);
    int have = charts_actuals_data(&c, act, na);

    charts_text note = {0};
    charts_fan_note(s, &note);
    charts_key_add(&c, CHARTS_KEY_BOX, "fc rgb \"#d5dfee\" fs solid 1.0 noborder",
                   "5th to 95th percentile (9 in 10 paths)");
    charts_key_add(&c, CHARTS_KEY_BOX, "fc rgb \"#a7bcda\" fs solid 1.0 noborder", "10th to 90th percentile");
    charts_key_add(&c, CHARTS_KEY_BOX, "fc rgb \"#6e8fc2\" fs solid 1.0 noborder",
                   "25th to 75th percentile (half of paths)");
    charts_key_add(&c, CHARTS_KEY_LINE, "lc rgb \"#0b2545\" lw 2.6", "Median");
    if (rw) {
        charts_key_add(&c, CHARTS_KEY_LINE, "lc rgb \"#b3541e\" lw 2.2 dt (6,3)", "Risk-weighted line");
        charts_key_add(&c, CHARTS_KEY_LINE, "lc rgb \"#444444\" lw 1.6 dt (2,2)", "Central line (all delivered)");
    }
    charts_actuals_key(&c, have, NULL);
    int fylast;
    double med = charts_fan_last_median(s, &fylast);
    char m50[48];
    charts_money(m50, sizeof m50, med, 1, 0);
    charts_set_label(&c, 8000, m50, "at %d, %.6f left offset 1.2,0 font FB.\",8\" tc rgb \"#0b2545\"", fylast,
                     med / 1e6);
    charts_frame_opts fo = {"Range of outcomes: cumulative DSG position",
                            charts_label(s),
                            note.oom ? "" : note.s,
                            CHARTS_KEY_AUTO,
                            r.right_cm,
                            charts_fy_axis_cm(r.x0, r.x1)};
    charts_frame(&c, &x->meta, &fo);
    charts_scratch_free(&c, &note);
    charts_value_axis(&c, 'y', r.lo, r.hi, CHARTS_MONEY_M | CHARTS_ZERO, 0.05,
                      "Cumulative position (negative = deficit)");
    charts_fy_axis(&c, r.x0, r.x1, charts_mark_fy(x, index),
                   "Financial year (position at 31 March, the end of the year)");
    charts_override_lines(x, &c, 1, index);
    charts_puts(&c.body, "plot $fan using 1:2:8 with filledcurves fc rgb \"#d5dfee\" fs solid 1.0 noborder notitle, "
                         "$fan using 1:3:7 with filledcurves fc rgb \"#a7bcda\" fs solid 1.0 noborder notitle, "
                         "$fan using 1:4:6 with filledcurves fc rgb \"#6e8fc2\" fs solid 1.0 noborder notitle, "
                         "$fan using 1:5 with lines lc rgb \"#0b2545\" lw 2.6 notitle");
    if (rw)
        charts_puts(&c.body, ", $fan using 1:10 with lines lc rgb \"#b3541e\" lw 2.2 dt (6,3) notitle, "
                             "$fan using 1:9 with lines lc rgb \"#444444\" lw 1.6 dt (2,2) notitle");
    charts_actuals_plot(&c, have);
    charts_puts(&c.body, "\n");
    return charts_finish(x, &c);
}

/* ---- the tornado of a sensitivity sweep --------------------------------- */

static void charts_figure_name(char *buf, size_t n, const char *fig, const cJSON *s)
{
    char when[48];
    charts_long_date(when, sizeof when, charts_str(s, "override_end", ""));
    if (strcmp(fig, "cumulative_at_override_end") == 0)
        snprintf(buf, n, "cumulative DSG position at %s", when);
    else if (strcmp(fig, "cumulative_at_horizon") == 0)
        snprintf(buf, n, "cumulative DSG position at the end of %s", charts_str(s, "last_fy", "the forecast"));
    else if (strcmp(fig, "peak_deficit") == 0)
        snprintf(buf, n, "peak deficit");
    else if (strcmp(fig, "interest_to_override_end") == 0)
        snprintf(buf, n, "interest on the deficit to %s", when);
    else if (strcmp(fig, "interest_to_horizon") == 0)
        snprintf(buf, n, "interest on the deficit to the end of the forecast");
    else {
        snprintf(buf, n, "%s", fig);
        for (char *p = buf; *p; p++)
            if (*p == '_') *p = ' ';
    }
}

int charts_tornado(charts_ctx *x, const cJSON *sw)
{
    charts_chart c;
    charts_begin(&c, "tornado", NULL, "the sensitivity tornado chart");
    const cJSON *s = charts_scenario_named(x, charts_str(sw, "scenario", NULL), NULL);
    const cJSON *bars = charts_get(sw, "bars"), *b;
    int n = cJSON_GetArraySize(bars), i = 0;
    if (n == 0) { /* a sweep of nothing: no chart */
        charts_chart_free(&c);
        return HNB_OK;
    }
    double base = charts_num(sw, "base") / 1e6, lo = base, hi = base, widest = 0.0;
    char m[48];
    const char **names = malloc(((size_t)n + 1) * sizeof *names);
    if (!names) {
        c.body.oom = 1;
        return charts_finish(x, &c);
    }

    cJSON_ArrayForEach(b, bars)
    {
        double vl = charts_num(b, "low") / 1e6, vh = charts_num(b, "high") / 1e6;
        names[i++] = charts_str(b, "assumption", "?");
        lo = fmin(lo, fmin(vl, vh));
        hi = fmax(hi, fmax(vl, vh));
        for (int side = 0; side < 2; side++) {
            const char *set = charts_str(b, side ? "high_label" : "low_label", "");
            charts_money(m, sizeof m, (side ? vh : vl) * 1e6, 1, 0);
            char t[300];
            snprintf(t, sizeof t, "%s%s%s", set, *set ? ": " : "", m);
            widest = fmax(widest, charts_text_cm(t, 8.0, 0));
        }
    }
    char fig[200], title[300];
    charts_figure_name(fig, sizeof fig, charts_str(sw, "figure", ""), s);
    snprintf(title, sizeof title, "Sensitivity of the %s", fig);
    char axis[240];
    snprintf(axis, sizeof axis, "%s", fig);
    if (axis[0] >= 'a' && axis[0] <= 'z') axis[0] = (char)(axis[0] - 'a' + 'A');
    charts_money(m, sizeof m, base * 1e6, 1, 0);
    charts_text note = {0};
    charts_printf(&note,
                  "Each bar moves one assumption to its low or high setting with the others at their central values. "
                  "Central estimate %s.",
                  m);
    const char *flow = "lc rgb \"#a7bcda\" fs solid 1.0 border lc rgb \"#222222\"";
    const char *fhigh = "lc rgb \"#1b3a6b\" fs solid 1.0 border lc rgb \"#222222\"";
    charts_key_add(&c, CHARTS_KEY_BOX, flow, "Low setting of the assumption");
    charts_key_add(&c, CHARTS_KEY_BOX, fhigh, "High setting of the assumption");
    charts_frame_opts fo = {title, s ? charts_label(s) : NULL, note.oom ? "" : note.s, CHARTS_KEY_BELOW, 0.9, 1.45};
    charts_frame(&c, &x->meta, &fo);
    charts_scratch_free(&c, &note);
    double *ys = charts_category_axis(&c, names, n, charts_plot_h(&c));
    free(names);
    if (!ys) return charts_finish(x, &c);
    charts_text low = {0}, high = {0};
    i = 0;
    cJSON_ArrayForEach(b, bars)
    {
        double yv = ys[i], vl = charts_num(b, "low") / 1e6, vh = charts_num(b, "high") / 1e6;
        charts_hbar(&low, base, vl, yv, 0.32);
        charts_hbar(&high, base, vh, yv, 0.32);
        for (int side = 0; side < 2; side++) {
            double v = side ? vh : vl;
            const char *set = charts_str(b, side ? "high_label" : "low_label", "");
            char mv[48];
            charts_money(mv, sizeof mv, v * 1e6, 1, 0);
            charts_text t = {0};
            charts_printf(&t, "%s%s%s", set, *set ? ": " : "", mv);
            charts_set_label(&c, 7000 + 2 * i + side, t.oom ? "" : t.s, "at %.6f, %.4f %s offset %s,0 font \",8\"", v,
                             yv, v < base ? "right" : "left", v < base ? "-0.6" : "0.6");
            charts_scratch_free(&c, &t);
        }
        i++;
    }
    free(ys);
    charts_printf(&c.data, "$low << EOD\n%sEOD\n$high << EOD\n%sEOD\n", low.oom ? "" : low.s, high.oom ? "" : high.s);
    charts_puts(&c.body, "set border 1\nset grid xtics noytics\nunset xzeroaxis\n");
    charts_value_axis(&c, 'x', lo, hi, CHARTS_MONEY_M, charts_pad_for(widest + 0.4, charts_plot_w(&c)), axis);
    charts_printf(&c.body,
                  "set arrow 7900 from %.6f, graph 0 to %.6f, graph 1 nohead lc rgb \"#000000\" lw 1.4 front\n", base,
                  base);
    char central[80];
    snprintf(central, sizeof central, "Central: %s", m);
    charts_set_label(&c, 7901, central, "at %.6f, graph 1 center offset 0,0.8 font FB.\",8\"", base);
    charts_printf(&c.body,
                  "plot $low using 1:2:3:4:5:6 with boxxyerror %s notitle, "
                  "$high using 1:2:3:4:5:6 with boxxyerror %s notitle\n",
                  flow, fhigh);
    charts_scratch_free(&c, &low);
    charts_scratch_free(&c, &high);
    return charts_finish(x, &c);
}
