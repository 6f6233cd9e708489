/* wb_children.c: the Children and young people sheet, in the shape of the
 * DfE DSG management plan template: EHCPs by the template's placement
 * categories (category.c) and age groups, at each January census, the
 * actual caseload the projection starts from (results `start`) first, then
 * the forecast.
 *
 * The counts are the model's (sums of ehcps.by_placement_age_band over the
 * placements of a category, in placement order); category totals and the
 * all-placements rows are formulas over them, so the table adds up in the
 * sheet as it does in the model. Published totals at past censuses
 * (actuals.census) sit beneath, for comparison. The rows of each
 * category's total are kept in w->at for the chart of EHCPs by category. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheet.h"

/* Sum over the placements of category k of ehcps.by_placement_age_band[id][age]. */
static double children_cell(const cJSON *ehcps, const cJSON *places, int k, const char *age)
{
    const cJSON *pab = report_get(ehcps, "by_placement_age_band"), *pl;
    if (!cJSON_IsObject(pab)) return NAN;
    double sum = 0.0;
    cJSON_ArrayForEach(pl, places)
    {
        if (report_category(pl) != k) continue;
        sum += report_num(report_get(pab, report_str(pl, "id")), age);
    }
    return sum;
}

/* The financial year holding January `census`. */
static void children_fy(char *buf, double census)
{
    int y = (int)census - 1;
    unsigned u = (unsigned)(y < 0 ? 0 : y > 9998 ? 9998 : y);
    snprintf(buf, 8, "%04u-%02u", u, (u + 1) % 100u);
}

/* One column of a scenario: (ehcps object, column), for the start and each year. */
typedef struct children_col {
    const cJSON *ehcps;
    lxw_col_t c;
} children_col;

/* EHCPs by primary need (the template's 13, in DfE's order; the scenario's
 * other need groups after them), where the results carry need_groups: the
 * model's ehcps.by_need in each column and a SUM formula for the total. */
static void children_needs(wb_sheet *s, const cJSON *sc, const children_col *col, size_t n)
{
    wb_ctx *w = s->w;
    const cJSON *g[64];
    const char *label[64];
    size_t ng = report_need_order(report_get(sc, "need_groups"), g, label, 64);
    if (!ng) return;
    char f[512];
    sheet_str(s, s->row++, 0, "By primary need", w->f.section);
    lxw_row_t first = s->row;
    for (size_t k = 0; k < ng; k++) {
        sheet_str(s, s->row, 0, label[k], w->f.item);
        for (size_t i = 0; i < n; i++)
            sheet_num(s, s->row, col[i].c, report_num(report_get(col[i].ehcps, "by_need"), report_str(g[k], "id")),
                      w->f.count);
        s->row++;
    }
    sheet_str(s, s->row, 0, "Total EHCPs by primary need", w->f.bold);
    for (size_t i = 0; i < n; i++) {
        double sum = 0.0;
        for (size_t k = 0; k < ng; k++) sum += report_num(report_get(col[i].ehcps, "by_need"), report_str(g[k], "id"));
        if (isnan(sum)) continue;
        sheet_sum(f, sizeof f, first, s->row - 1, col[i].c, 0);
        sheet_formula(s, s->row, col[i].c, f, w->f.count_total, sum);
    }
    s->row++;
}

static void children_block(wb_sheet *s, const cJSON *sc, wb_rows *at)
{
    wb_ctx *w = s->w;
    const cJSON *places = report_get(sc, "placements"), *years = report_get(sc, "years"), *y;
    size_t ncol = (size_t)cJSON_GetArraySize(years) + 1, n = 0;
    children_col *col = malloc(ncol * sizeof *col);
    if (!col) {
        w->nomem = 1;
        return;
    }
    const cJSON *st = report_get(sc, "start");
    if (cJSON_IsObject(report_get(st, "ehcps"))) {
        char fy[8];
        children_fy(fy, report_num(st, "census"));
        lxw_col_t c = sheet_col(s, fy);
        if (c != (lxw_col_t)-1) col[n++] = (children_col){report_get(st, "ehcps"), c};
    }
    cJSON_ArrayForEach(y, years)
    {
        lxw_col_t c = sheet_col(s, report_str(y, "fy"));
        if (c != (lxw_col_t)-1) col[n++] = (children_col){report_get(y, "ehcps"), c};
    }
    char f[512], x[WB_CELL];
    lxw_row_t age_row[REPORT_NCAT][REPORT_NAGE];
    for (int k = 0; k < REPORT_NCAT; k++) {
        sheet_str(s, s->row++, 0, report_category_label[k], w->f.section);
        lxw_row_t first = s->row;
        for (int g = 0; g < REPORT_NAGE; g++) {
            age_row[k][g] = s->row;
            sheet_str(s, s->row, 0, report_age_label[g], w->f.item);
            for (size_t i = 0; i < n; i++)
                sheet_num(s, s->row, col[i].c, children_cell(col[i].ehcps, places, k, report_age_key[g]), w->f.count);
            s->row++;
        }
        sheet_str(s, s->row, 0, "Total", w->f.bold);
        for (size_t i = 0; i < n; i++) {
            double sum = 0.0;
            for (int g = 0; g < REPORT_NAGE; g++) sum += children_cell(col[i].ehcps, places, k, report_age_key[g]);
            if (isnan(sum)) continue;
            sheet_sum(f, sizeof f, first, s->row - 1, col[i].c, 0);
            sheet_formula(s, s->row, col[i].c, f, w->f.count_total, sum);
        }
        at->cyp_total[k] = s->row++;
    }
    sheet_str(s, s->row++, 0, "All placements", w->f.section);
    lxw_row_t first = s->row;
    for (int g = 0; g < REPORT_NAGE; g++) {
        sheet_str(s, s->row, 0, report_age_label[g], w->f.item);
        for (size_t i = 0; i < n; i++) {
            double sum = 0.0;
            size_t len = 0;
            f[len++] = '=';
            for (int k = 0; k < REPORT_NCAT; k++) {
                sum += children_cell(col[i].ehcps, places, k, report_age_key[g]);
                sheet_cell(x, age_row[k][g], col[i].c);
                len += (size_t)snprintf(f + len, sizeof f - len, "%s%s", k ? "+" : "", x);
            }
            if (!isnan(sum)) sheet_formula(s, s->row, col[i].c, f, w->f.count, sum);
        }
        s->row++;
    }
    sheet_str(s, s->row, 0, "Total EHCPs", w->f.bold);
    for (size_t i = 0; i < n; i++) {
        double sum = 0.0;
        for (int g = 0; g < REPORT_NAGE; g++) {
            double a = 0.0;
            for (int k = 0; k < REPORT_NCAT; k++) a += children_cell(col[i].ehcps, places, k, report_age_key[g]);
            sum += a;
        }
        if (isnan(sum)) continue;
        sheet_sum(f, sizeof f, first, s->row - 1, col[i].c, 0);
        sheet_formula(s, s->row, col[i].c, f, w->f.count_total, sum);
    }
    at->cyp_total[REPORT_NCAT] = s->row++;
    children_needs(s, sc, col, n);
    const cJSON *cen;
    int any = 0;
    cJSON_ArrayForEach(cen, report_get(report_get(sc, "actuals"), "census"))
    {
        char fy[8];
        children_fy(fy, report_num(cen, "census"));
        lxw_col_t c = sheet_col(s, fy);
        if (c == (lxw_col_t)-1) continue;
        if (!any++) sheet_str(s, s->row, 0, "Published EHCPs at the January census", w->f.item);
        sheet_num(s, s->row, c, report_num(cen, "ehcps"), w->f.count);
    }
    if (any) s->row++;
    if (n && !cJSON_IsObject(report_get(col[n - 1].ehcps, "by_placement_age_band")))
        sheet_note(s, s->row++, 0,
                   "These results do not carry EHCPs by placement and age (ehcps.by_placement_age_band): run them "
                   "again with this version of hnbsim.",
                   w->f.note);
    free(col);
    s->row++;
}

void wb_children(wb_ctx *w)
{
    wb_sheet s;
    if (sheet_begin(w, &s, "Children and young people",
                    "EHCPs by placement category and age group (DSG management plan template)",
                    "EHCPs at each January census: the actual caseload the projection starts from, then the "
                    "model's forecast (expected numbers, so not whole; shown rounded). Categories: "
                    "docs/spreadsheets.md.",
                    1))
        return;
    s.ys = &w->yt;
    s.paginate = 1;
    sheet_str(&s, s.row, 0, "Financial year", w->f.head);
    sheet_year_heads(&s, s.row);
    s.row++;
    sheet_str(&s, s.row, 0, "January census", w->f.head);
    for (size_t i = 0; i < w->yt.n; i++) {
        char t[32];
        snprintf(t, sizeof t, "Jan %.0f", w->yt.census[i]);
        sheet_str(&s, s.row, s.c0 + (lxw_col_t)i, isnan(w->yt.census[i]) ? "" : t, w->f.head_r);
    }
    s.row++;
    sheet_str(&s, s.row, 0, "Actual or forecast", w->f.head);
    for (size_t i = 0; i < w->yt.n; i++)
        sheet_str(&s, s.row, s.c0 + (lxw_col_t)i, i < w->yt.nact ? "Actual" : "Forecast", w->f.head_r);
    s.row += 2;
    const cJSON *sc;
    size_t si = 0;
    cJSON_ArrayForEach(sc, w->scen)
    {
        sheet_scenario_title(&s, sc, NULL);
        children_block(&s, sc, &w->at[si++]);
        if (w->nomem) break;
    }
    sheet_cap(&s, 0, 48.0);
    sheet_end(&s, 3, 1, 10.0);
}
