/* wb_charts.c: the Charts sheet: native Excel charts (libxlsxwriter's chart
 * API), so the workbook stands alone: the cumulative DSG position of every
 * scenario by financial year (outturn then forecast, from the Financial
 * summary's cumulative rows), and for each scenario its EHCPs by the
 * template's placement categories (a stacked column per January census,
 * from the Children and young people sheet's category totals).
 *
 * The charts read their figures from cells, not copies: change an
 * assumption on the Cost model and the position chart moves with the sheet.
 * Filled after every other sheet, because it needs the rows they wrote
 * (w->at). Printed a chart to a page, with a print area that covers the
 * charts (a sheet holding only charts has no used cells to print). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "sheet.h"

#define CHART_ROWS 22 /* rows a chart takes, with the gap below it */

static void charts_place(wb_sheet *s, lxw_chart *chart, int k)
{
    lxw_chart_options opt = {0};
    opt.x_scale = 1.6;
    opt.y_scale = 1.35;
    opt.x_offset = 4;
    sheet_fail(s, 0, 0, worksheet_insert_chart_opt(s->ws, (lxw_row_t)(WB_HEAD + CHART_ROWS * k), 0, chart, &opt));
}

static lxw_chart *charts_new(wb_sheet *s, uint8_t type, const char *title, const char *ytitle, const char *yfmt)
{
    lxw_chart *chart = workbook_add_chart(s->w->book, type);
    if (!chart) {
        s->w->nomem = 1;
        return NULL;
    }
    chart_title_set_name(chart, title);
    chart_title_set_name_font(chart, &(lxw_chart_font){.size = 12, .bold = LXW_TRUE});
    chart_axis_set_name(chart->y_axis, ytitle);
    chart_axis_set_num_format(chart->y_axis, yfmt);
    chart_axis_major_gridlines_set_line(chart->y_axis, &(lxw_chart_line){.color = 0xD9D9D9});
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    return chart;
}

void wb_charts(wb_ctx *w)
{
    wb_sheet s;
    if (sheet_begin(w, &s, "Charts", "Charts",
                    "From the Financial summary and Children and young people sheets: they move with the Cost model.",
                    0))
        return;
    lxw_col_t c0 = 2, c1 = (lxw_col_t)(2 + (w->yt.n ? w->yt.n - 1 : 0));
    int k = 0;
    lxw_chart *pos =
        charts_new(&s, LXW_CHART_LINE, "Cumulative DSG position (£m; negative = deficit)", "£m", "#,##0,,;-#,##0,,");
    if (!pos) return;
    const cJSON *sc;
    size_t si = 0;
    cJSON_ArrayForEach(sc, w->scen)
    {
        const wb_rows *at = &w->at[si++];
        if (!at->fin_cum) continue;
        lxw_chart_series *ser = chart_add_series(pos, NULL, NULL);
        if (!ser) {
            w->nomem = 1;
            return;
        }
        chart_series_set_categories(ser, "Financial summary", WB_HEAD, c0, WB_HEAD, c1);
        chart_series_set_values(ser, "Financial summary", at->fin_cum, c0, at->fin_cum, c1);
        chart_series_set_name(ser, report_str(sc, "label"));
        chart_series_set_marker_type(ser, LXW_CHART_MARKER_CIRCLE);
    }
    chart_axis_set_label_position(pos->x_axis, LXW_CHART_AXIS_LABEL_POSITION_LOW);
    charts_place(&s, pos, k++);

    /* EHCPs by category: columns 1.. on the Children and young people sheet. */
    lxw_col_t e0 = 1, e1 = (lxw_col_t)(w->yt.n ? w->yt.n : 1);
    si = 0;
    cJSON_ArrayForEach(sc, w->scen)
    {
        const wb_rows *at = &w->at[si++];
        if (!at->cyp_total[0]) continue;
        char title[200];
        snprintf(title, sizeof title, "EHCPs by placement category: %.150s", report_str(sc, "label"));
        lxw_chart *ch = charts_new(&s, LXW_CHART_COLUMN_STACKED, title, "EHCPs", "#,##0");
        if (!ch) return;
        for (int c = 0; c < REPORT_NCAT; c++) {
            lxw_chart_series *ser = chart_add_series(ch, NULL, NULL);
            if (!ser) {
                w->nomem = 1;
                return;
            }
            chart_series_set_categories(ser, "Children and young people", WB_HEAD, e0, WB_HEAD, e1);
            chart_series_set_values(ser, "Children and young people", at->cyp_total[c], e0, at->cyp_total[c], e1);
            chart_series_set_name(ser, report_category_label[c]);
        }
        chart_set_series_gap(ch, 60);
        charts_place(&s, ch, k++);
    }
    /* A chart to a printed page. */
    for (int i = 1; i < k && s.nbreaks + 1 < sizeof s.breaks / sizeof s.breaks[0]; i++)
        s.breaks[s.nbreaks++] = (lxw_row_t)(WB_HEAD - 1 + CHART_ROWS * i);
    sheet_fail(&s, 0, 0, worksheet_print_area(s.ws, 0, 0, (lxw_row_t)(WB_HEAD + CHART_ROWS * k), 12));
    sheet_end(&s, 0, 0, 10.0);
}
