/* wb_cost_model.c: the Cost model sheet: the money of each scenario as
 * formulas of counts x unit costs and of a block of assumptions an officer
 * can edit, so that changing a unit cost, an uplift or the allocation moves
 * the Financial summary and the Summary (which link here).
 *
 * Per scenario, in the template's columns (w->yt, the same columns as the
 * Financial summary, so a reference keeps its column letter):
 *   Assumptions (shaded: edit these): each placement's unit cost in the
 *     first projected year; its uplift on the year before, by year (the
 *     results' unit costs give it: uc[y] / uc[y-1] - 1, so an action that
 *     freezes the uplift shows as 0%); each funding line by year (the
 *     allocation).
 *   EHCP counts (the model's, fixed): cost-weighted EHCPs by placement, the
 *     results' spend divided by its unit cost: the 5/12 and 7/12 of the
 *     censuses either side of the year, weighted by the age and need cost
 *     multipliers, net of any action's saving on the line. These are not
 *     recalculated; the sheet says so.
 *   Computed: unit cost = first-year cost, uplifted year by year; spend =
 *     count x unit cost; funding = the assumption.
 * Each formula caches the model's figure, so a reader that does not
 * recalculate sees the results; recalculated, the formulas give the same
 * figures to rounding (tested through LibreOffice). Where a ratio does not
 * exist (a unit cost of 0), the figure is written as a number instead. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheet.h"

static char *cost_label(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 1;
    char *t = malloc(n);
    if (t) snprintf(t, n, "%s%s", a, b);
    return t;
}

/* One labelled row: the label (an allocation of a + b) and the unit. */
static void cost_row_label(wb_sheet *s, const char *a, const char *b, const char *unit)
{
    char *t = cost_label(a, b);
    if (!t) {
        s->w->nomem = 1;
        return;
    }
    sheet_str(s, s->row, 0, t, s->w->f.item);
    sheet_str(s, s->row, 1, unit, NULL);
    free(t);
}

static double cost_uc(const cJSON *y, const char *id) { return report_num(report_get(y, "unit_costs"), id); }
static double cost_spend(const cJSON *y, const char *id)
{
    return report_num(report_get(report_get(y, "spend"), "by_line"), id);
}

static void cost_block(wb_sheet *s, const cJSON *sc, wb_rows *at)
{
    wb_ctx *w = s->w;
    const cJSON *places = report_get(sc, "placements"), *funds = report_get(sc, "funding_lines");
    const cJSON *years = report_get(sc, "years"), *y0 = cJSON_GetArrayItem(years, 0), *pl, *y;
    int np = cJSON_GetArraySize(places), nf = cJSON_GetArraySize(funds);
    char f[160], a[WB_CELL], b[WB_CELL], fyl[40];
    snprintf(fyl, sizeof fyl, "£ per EHCP, %.10s", report_str(y0, "fy"));

    sheet_str(s, s->row++, 0, "Assumptions (shaded cells: change them and the sheets recalculate)", w->f.section);
    lxw_row_t r_uc0 = s->row;
    cJSON_ArrayForEach(pl, places)
    {
        cost_row_label(s, "Unit cost: ", report_str(pl, "label"), fyl);
        sheet_num(s, s->row, sheet_col(s, report_str(y0, "fy")), cost_uc(y0, report_str(pl, "id")), w->input_gbp);
        s->row++;
    }
    lxw_row_t r_up0 = s->row;
    cJSON_ArrayForEach(pl, places)
    {
        const char *id = report_str(pl, "id");
        cost_row_label(s, "Unit-cost uplift: ", report_str(pl, "label"), "% on the year before");
        cJSON_ArrayForEach(y, years)
        {
            if (!y->prev || y == years->child) continue;
            double prev = cost_uc(y->prev, id), now = cost_uc(y, id);
            if (prev != 0.0 && !isnan(prev))
                sheet_num(s, s->row, sheet_col(s, report_str(y, "fy")), now / prev - 1.0, w->input_pct);
        }
        s->row++;
    }
    lxw_row_t r_fa0 = s->row;
    cJSON_ArrayForEach(pl, funds)
    {
        cost_row_label(s, "", report_str(pl, "label"), "£m");
        const char *id = report_str(pl, "id");
        cJSON_ArrayForEach(y, years)
            sheet_num(s, s->row, sheet_col(s, report_str(y, "fy")),
                      report_num(report_get(report_get(y, "funding"), "by_line"), id), w->input);
        s->row++;
    }
    s->row++;

    sheet_str(s, s->row++, 0, "EHCP counts (the model's; not recalculated)", w->f.section);
    lxw_row_t r_n0 = s->row;
    cJSON_ArrayForEach(pl, places)
    {
        const char *id = report_str(pl, "id");
        cost_row_label(s, "", report_str(pl, "label"), "cost-weighted EHCPs");
        cJSON_ArrayForEach(y, years)
        {
            double uc = cost_uc(y, id), sp = cost_spend(y, id);
            if (uc != 0.0) sheet_num(s, s->row, sheet_col(s, report_str(y, "fy")), sp / uc, w->f.count);
        }
        s->row++;
    }
    s->row++;

    sheet_str(s, s->row++, 0, "Computed (formulas)", w->f.section);
    lxw_row_t r_c0 = s->row;
    for (int p = 0; p < np; p++) {
        const char *id = report_str(cJSON_GetArrayItem(places, p), "id");
        cost_row_label(s, "Unit cost: ", report_str(cJSON_GetArrayItem(places, p), "label"), "£ per EHCP");
        lxw_col_t prev = (lxw_col_t)-1;
        cJSON_ArrayForEach(y, years)
        {
            lxw_col_t c = sheet_col(s, report_str(y, "fy"));
            double uc = cost_uc(y, id), before = y == years->child ? NAN : cost_uc(y->prev, id);
            if (prev == (lxw_col_t)-1) {
                sheet_cell(a, r_uc0 + (lxw_row_t)p, c);
                snprintf(f, sizeof f, "=%s", a);
                sheet_formula(s, s->row, c, f, w->f.gbp, uc);
            } else if (before != 0.0 && !isnan(before)) {
                sheet_cell(a, s->row, prev);
                sheet_cell(b, r_up0 + (lxw_row_t)p, c);
                snprintf(f, sizeof f, "=%s*(1+%s)", a, b);
                sheet_formula(s, s->row, c, f, w->f.gbp, uc);
            } else {
                sheet_num(s, s->row, c, uc, w->input_gbp);
            }
            prev = c;
        }
        s->row++;
    }
    at->cm_spend0 = s->row;
    for (int p = 0; p < np; p++) {
        const char *id = report_str(cJSON_GetArrayItem(places, p), "id");
        cost_row_label(s, "Spend: ", report_str(cJSON_GetArrayItem(places, p), "label"), "£m");
        cJSON_ArrayForEach(y, years)
        {
            lxw_col_t c = sheet_col(s, report_str(y, "fy"));
            if (cost_uc(y, id) != 0.0) {
                sheet_cell(a, r_n0 + (lxw_row_t)p, c);
                sheet_cell(b, r_c0 + (lxw_row_t)p, c);
                snprintf(f, sizeof f, "=%s*%s", a, b);
                sheet_formula(s, s->row, c, f, w->f.money, cost_spend(y, id));
            } else {
                sheet_num(s, s->row, c, cost_spend(y, id), w->f.money);
            }
        }
        s->row++;
    }
    at->cm_fund0 = s->row;
    for (int l = 0; l < nf; l++) {
        const cJSON *fl = cJSON_GetArrayItem(funds, l);
        cost_row_label(s, "Funding: ", report_str(fl, "label"), "£m");
        cJSON_ArrayForEach(y, years)
        {
            lxw_col_t c = sheet_col(s, report_str(y, "fy"));
            sheet_cell(a, r_fa0 + (lxw_row_t)l, c);
            snprintf(f, sizeof f, "=%s", a);
            sheet_formula(s, s->row, c, f, w->f.money,
                          report_num(report_get(report_get(y, "funding"), "by_line"), report_str(fl, "id")));
        }
        s->row++;
    }
    s->row++;
}

void wb_cost_model(wb_ctx *w)
{
    wb_sheet s;
    if (sheet_begin(w, &s, "Cost model", "Spend as counts x unit costs, from editable assumptions",
                    "Change a shaded cell (a unit cost, an uplift, the allocation) and the Financial summary and the "
                    "Summary move with it. The EHCP counts are the model's and stay as it computed them. Money in "
                    "£m; unit costs in £.",
                    2))
        return;
    s.ys = &w->yt;
    s.paginate = 1;
    sheet_str(&s, s.row, 0, "Line", w->f.head);
    sheet_str(&s, s.row, 1, "Unit", w->f.head);
    sheet_year_heads(&s, s.row);
    s.row += 2;
    const cJSON *sc;
    size_t si = 0;
    cJSON_ArrayForEach(sc, w->scen)
    {
        sheet_scenario_title(&s, sc, NULL);
        cost_block(&s, sc, &w->at[si++]);
        if (w->nomem) break;
    }
    sheet_cap(&s, 0, 56.0);
    sheet_cap(&s, 1, 22.0);
    sheet_end(&s, 1, 2, 10.0);
}
