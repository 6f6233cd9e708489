/* chartposition.c: the DSG position by scenario, cumulative (lines) and in
 * year (clustered bars), with the published outturns and forecasts and the
 * end of the statutory override.
 *
 * Design. A balance (cumulative position) is plotted at x = fy, meaning 31
 * March at the end of that year, and each line starts from the brought-
 * forward balance at the end of the year before the projection, so it joins
 * the last published outturn. A flow (in-year position) is a bar centred on
 * its year. Every value label is placed where it covers no marker and no
 * other label: end-of-line labels are nudged apart by a line's height
 * measured on the drawn axis; a bar's label runs along the bar from its end
 * and past any published point in its way (charts_clear_of_markers).
 *
 * Trade-offs. Bars are labelled only while the labels can be read: level
 * with the bar while they fit its width, else upright along it while a line
 * of 6 pt text fits between neighbouring bars; past that (six scenarios on
 * a narrow plot) no bar is labelled and the footnote says where the figures
 * are, rather than printing labels over each other. */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chartparts.h"

/* ---- cumulative position by scenario ----------------------------------- */

int charts_cumulative(charts_ctx *x)
{
    charts_chart c;
    charts_begin(&c, "cumulative", NULL, "the cumulative DSG position chart");
    charts_range r;
    charts_range_init(&r);
    int ns = 0;
    double endx[64], endy[64];
    const cJSON *s;
    cJSON_ArrayForEach(s, x->scen)
    {
        const cJSON *y, *years = charts_get(s, "years");
        int first = charts_fy(cJSON_GetArrayItem(years, 0), "fy");
        double bf = charts_brought_forward(s) / 1e6;
        charts_printf(&c.data, "$s%d << EOD\n%d %.6f\n", ns, first - 1, bf);
        charts_range_value(&r, bf);
        charts_range_x(&r, first - 1);
        cJSON_ArrayForEach(y, years)
        {
            int fy = charts_fy(y, "fy");
            double v = charts_num(y, "cumulative") / 1e6;
            charts_printf(&c.data, "%d %.6f\n", fy, v);
            charts_range_value(&r, v);
            charts_range_x(&r, fy);
            if (ns < 64) {
                endx[ns] = fy;
                endy[ns] = v;
            }
        }
        charts_puts(&c.data, "EOD\n");
        char ls[16];
        snprintf(ls, sizeof ls, "ls %d", ns % CHARTS_NSTYLES + 1);
        charts_key_add(&c, CHARTS_KEY_LINEPOINT, ls, charts_label(s));
        ns++;
    }
    charts_actual act[CHARTS_MAXACT];
    int na = charts_actuals(x, "finance", "cumulative", act, &r);
    int have = charts_actuals_data(&c, act, na);
    charts_actuals_key(&c, have, NULL);

    int nend = ns < 64 ? ns : 64;
    charts_text note = {0};
    charts_headline_note(x, &note);
    charts_frame_opts fo = {"Cumulative DSG position by scenario",
                            NULL,
                            note.oom ? "" : note.s,
                            CHARTS_KEY_AUTO,
                            charts_end_labels_cm(nend, endy),
                            charts_fy_axis_cm(r.x0, r.x1)};
    charts_frame(&c, &x->meta, &fo);
    charts_scratch_free(&c, &note);
    charts_value_axis(&c, 'y', r.lo, r.hi, CHARTS_MONEY_M | CHARTS_ZERO, 0.05,
                      "Cumulative position (negative = deficit)");
    charts_fy_axis(&c, r.x0, r.x1, charts_mark_fy(x, -1), "Financial year (position at 31 March, the end of the year)");
    /* labels a line of 8 pt text apart, on the axis as drawn */
    charts_end_labels(&c, nend, endx, endy, 0.4 * (c.ax_hi - c.ax_lo) / fmax(1.0, charts_plot_h(&c)));
    charts_override_lines(x, &c, 1, -1);
    charts_puts(&c.body, "plot ");
    for (int i = 0; i < ns; i++)
        charts_printf(&c.body, "%s$s%d using 1:2 with linespoints ls %d notitle", i ? ", " : "", i,
                      i % CHARTS_NSTYLES + 1);
    charts_actuals_plot(&c, have);
    charts_puts(&c.body, "\n");
    return charts_finish(x, &c);
}

/* ---- in-year position by scenario ------------------------------------- */

#define CHARTS_MARK_R_CM 0.2 /* a published point's radius, with its white ring */

/* Where bar i's value labels go and how: 0 none, 1 level with the bar end,
 * 2 upright along the bar; the font size in *pt. */
static int charts_bar_label_mode(double widest7, double bar_cm, double pitch_cm, double *pt)
{
    for (*pt = 7.0; *pt >= 6.0; *pt -= 0.5) {
        double w = widest7 * *pt / 7.0;
        if (w <= 0.95 * bar_cm) return 1;
        if (charts_line_cm(*pt) <= 0.9 * pitch_cm) return 2;
    }
    return 0;
}

int charts_in_year(charts_ctx *x)
{
    charts_chart c;
    charts_begin(&c, "in-year", NULL, "the in-year position chart");
    int ns = cJSON_GetArraySize(x->scen), i = 0;
    double w = 0.8 / ns, widest = 0.0;
    charts_range r;
    charts_range_init(&r);
    const cJSON *s;
    cJSON_ArrayForEach(s, x->scen)
    {
        const cJSON *y;
        charts_printf(&c.data, "$s%d << EOD\n", i);
        cJSON_ArrayForEach(y, charts_get(s, "years"))
        {
            int fy = charts_fy(y, "fy");
            double v = charts_num(y, "in_year") / 1e6, xc = fy - 0.4 + w * (i + 0.5);
            charts_printf(&c.data, "%.4f %.6f\n", xc, v);
            charts_range_value(&r, v);
            charts_range_x(&r, fy);
            char m[48];
            charts_money(m, sizeof m, v * 1e6, 1, 0);
            widest = fmax(widest, charts_text_cm(m, 7.0, 0));
        }
        charts_puts(&c.data, "EOD\n");
        char fill[128];
        charts_scenario_fill(fill, sizeof fill, i);
        charts_key_add(&c, CHARTS_KEY_BOX, fill, charts_label(s));
        i++;
    }
    charts_actual act[CHARTS_MAXACT];
    int na = charts_actuals(x, "finance", "in_year", act, &r);
    int have = charts_actuals_data(&c, act, na);
    charts_actuals_key(&c, have, NULL);

    /* The labels' mode depends on the plot's width, known after the frame;
     * the footnote must say if there are none, so measure the frame first
     * on a scratch chart with the same key. */
    charts_chart probe = c;
    probe.data = (charts_text){0};
    probe.body = (charts_text){0};
    charts_frame_opts fo = {
        "In-year DSG high needs position by scenario", NULL, "", CHARTS_KEY_AUTO, 0.0, charts_fy_axis_cm(r.x0, r.x1)};
    charts_frame(&probe, &x->meta, &fo);
    charts_left_axis(&probe,
                     charts_text_cm("\xe2\x88\x92\xc2\xa3"
                                    "000m",
                                    9.0, 0),
                     "In-year");
    double each = charts_plot_w(&probe) / (r.x1 - r.x0 + 1.2); /* cm per year */
    charts_chart_free(&probe);
    double pt = 7.0;
    int mode = charts_bar_label_mode(widest, each * w * 0.92, each * w, &pt);
    char note[400];
    snprintf(note, sizeof note, "In-year position = funding less spend in the year; negative = overspend.%s",
             mode ? ""
                  : " Bars are too narrow to label with this many scenarios: the figures are in results.json and "
                    "the workbook's financial summary.");
    fo.note = note;
    charts_frame(&c, &x->meta, &fo);

    /* Value labels: their extent along the bars decides the axis range. */
    double mx[CHARTS_MAXACT], my[CHARTS_MAXACT];
    for (int k = 0; k < na; k++) {
        mx[k] = act[k].at;
        my[k] = act[k].value;
    }
    double plot_h = charts_plot_h(&c), lo = r.lo, hi = r.hi;
    double half_w = w * 0.46 + CHARTS_MARK_R_CM / each;
    for (int pass = 0; pass < 2 && mode; pass++) {
        double cm = (hi - lo) * 1.1 / fmax(1.0, plot_h); /* data units per cm, roughly */
        i = 0;
        cJSON_ArrayForEach(s, x->scen)
        {
            const cJSON *y;
            cJSON_ArrayForEach(y, charts_get(s, "years"))
            {
                double v = charts_num(y, "in_year") / 1e6, xc = charts_fy(y, "fy") - 0.4 + w * (i + 0.5);
                char m[48];
                charts_money(m, sizeof m, v * 1e6, 1, 0);
                double len = mode == 2 ? charts_text_cm(m, pt, 0) : charts_line_cm(pt);
                double at = charts_clear_of_markers(xc, v, len, 0.12, cm, na, mx, my, half_w, CHARTS_MARK_R_CM);
                double end = at + (v < 0 ? -1.0 : 1.0) * (len + 0.1) * cm;
                lo = fmin(lo, end);
                hi = fmax(hi, end);
            }
            i++;
        }
    }
    charts_value_axis(&c, 'y', lo, hi, CHARTS_MONEY_M | CHARTS_ZERO, 0.0, "In-year position (negative = overspend)");
    charts_fy_axis(&c, r.x0, r.x1, charts_mark_fy(x, -1), "Financial year");
    double cm = (c.ax_hi - c.ax_lo) / fmax(1.0, plot_h);
    i = 0;
    cJSON_ArrayForEach(s, x->scen)
    {
        const cJSON *y;
        cJSON_ArrayForEach(y, charts_get(s, "years"))
        {
            if (!mode) break;
            double v = charts_num(y, "in_year") / 1e6, xc = charts_fy(y, "fy") - 0.4 + w * (i + 0.5);
            char m[48];
            charts_money(m, sizeof m, v * 1e6, 1, 0);
            double len = mode == 2 ? charts_text_cm(m, pt, 0) : charts_line_cm(pt);
            double at = charts_clear_of_markers(xc, v, len, 0.12, cm, na, mx, my, half_w, CHARTS_MARK_R_CM);
            if (mode == 2)
                charts_set_label(&c, 0, m, "at %.4f, %.6f rotate by 90 %s font \",%.1f\"", xc, at,
                                 v < 0 ? "right" : "left", pt);
            else /* centred on the middle of its line */
                charts_set_label(&c, 0, m, "at %.4f, %.6f center font \",%.1f\"", xc,
                                 at + (v < 0 ? -0.5 : 0.5) * charts_line_cm(pt) * cm, pt);
        }
        i++;
    }
    charts_override_lines(x, &c, 0, -1);
    charts_printf(&c.body, "set boxwidth %.4f absolute\nplot ", w * 0.92);
    for (i = 0; i < ns; i++) {
        char fill[128];
        charts_scenario_fill(fill, sizeof fill, i);
        charts_printf(&c.body, "%s$s%d using 1:2 with boxes %s notitle", i ? ", " : "", i, fill);
    }
    charts_actuals_plot(&c, have);
    charts_puts(&c.body, "\n");
    return charts_finish(x, &c);
}
