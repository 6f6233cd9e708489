/* wb_finance.c: the Financial summary (funding and spend lines, in-year and
 * cumulative position by financial year, as formulas over the lines) and the
 * s251 sheet (formulas over the Financial summary's spend cells, whose rows
 * wb_finance records in w->spend_row).
 *
 * The Financial summary is in the template's columns (w->yt): the outturn
 * years the results carry (actuals.finance, status "outturn"), with their
 * published in-year and cumulative positions as numbers, then the projected
 * years. In those, funding lines and placement spend lines link to the Cost
 * model (counts x unit costs, editable assumptions); other spend lines are
 * the model's figures; totals, in-year, brought forward and cumulative are
 * formulas. The first projected year brings forward the last outturn's
 * cumulative position by formula when the model's opening balance is that
 * figure (to half a penny), else the model's opening balance as a number. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheet.h"

/* ---- Financial summary ------------------------------------------------------ */

/* The DSG blocks a funding line may name (`block`; "" = high needs), in the
 * template's order, and how the Financial summary names them. */
static const char *const finance_block[4] = {"", "schools", "central_school_services", "early_years"};
static const char *const finance_block_label[4] = {"High needs block", "Schools block", "Central school services block",
                                                   "Early years block"};

static int finance_block_of(const cJSON *line)
{
    for (int k = 1; k < 4; k++)
        if (!strcmp(report_str(line, "block"), finance_block[k])) return k;
    return 0;
}

/* One row per line of a scenario's funding or spend, then the total (a SUM).
 * Funding lines that name another DSG block (schools, central school
 * services, early years) come after the high needs lines, under a heading
 * "Other DSG blocks", with the block in column B, and the total is then the
 * DSG total. Returns the total's row. */
static lxw_row_t finance_lines(wb_sheet *s, const cJSON *scen, const char *which, const char *lines_key,
                               const char *total_label, int with_code, lxw_row_t cm_row0)
{
    const cJSON *lines = report_get(scen, lines_key), *line, *years = report_get(scen, "years"), *y;
    lxw_row_t first = s->row;
    int any_block = 0;
    char f[96], x[WB_CELL];
    if (!with_code) cJSON_ArrayForEach(line, lines) any_block |= finance_block_of(line) != 0;
    for (int blk = 0; blk < (any_block ? 4 : 1); blk++) {
        int n = 0; /* the line's index in lines: its row on the Cost model */
        cJSON_ArrayForEach(line, lines)
        {
            if (any_block && finance_block_of(line) != blk) {
                n++;
                continue;
            }
            const char *id = report_str(line, "id");
            sheet_str(s, s->row, 0, report_str(line, "label"), s->w->f.item);
            if (with_code) sheet_str(s, s->row, 1, report_str(line, "s251"), NULL);
            if (any_block) sheet_str(s, s->row, 1, finance_block_label[blk], NULL);
            /* Funding lines and placement spend lines come from the Cost model. */
            int linked = cm_row0 && (!with_code || !strcmp(report_str(line, "kind"), "placement"));
            if (!linked)
                sheet_years_row(s, NULL, NULL, years, which, "by_line", id, s->w->f.money);
            else
                cJSON_ArrayForEach(y, years)
                {
                    lxw_col_t c = sheet_col(s, report_str(y, "fy"));
                    sheet_cell(x, cm_row0 + (lxw_row_t)n, c);
                    snprintf(f, sizeof f, "='Cost model'!%s", x);
                    sheet_formula(s, s->row, c, f, s->w->f.money, sheet_year_num(y, which, "by_line", id));
                }
            s->row++;
            n++;
        }
        if (any_block && blk == 0) sheet_str(s, s->row++, 0, "Other DSG blocks", s->w->f.section);
    }
    int nrows = (int)(s->row - first);
    return sheet_sum_row(s, any_block ? "Total funding (DSG total)" : total_label, first, nrows, years, which, "total",
                         NULL, NULL, NULL, s->w->f.money_total);
}

/* The published outturn of fy in a scenario's actuals, or NULL. */
static const cJSON *finance_outturn(const cJSON *scen, const char *fy)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, report_get(report_get(scen, "actuals"), "finance"))
    {
        if (!strcmp(report_str(a, "fy"), fy) && !strcmp(report_str(a, "status"), "outturn")) return a;
    }
    return NULL;
}

/* A year's figure, 0 when the results do not carry it (regime_funding,
 * alignment and writeoff are there only where the scenario has them). */
static double finance_opt(const cJSON *y, const char *key)
{
    double v = report_num(y, key);
    return isnan(v) ? 0.0 : v;
}

/* The difference between the results' in-year position and funding less
 * spend (and the regime's funding and the alignment, when there), when the
 * results carry one (more than half a penny). */
static double finance_gap(const cJSON *y)
{
    return report_num(y, "in_year") -
           (report_num(report_get(y, "funding"), "total") - report_num(report_get(y, "spend"), "total") +
            finance_opt(y, "regime_funding") + finance_opt(y, "alignment"));
}

/* A row of the year's `key` when any year carries it; its row, or 0. */
static lxw_row_t finance_opt_row(wb_sheet *s, const cJSON *years, const char *key, const char *label)
{
    const cJSON *y;
    int any = 0;
    cJSON_ArrayForEach(y, years) any |= cJSON_IsNumber(report_get(y, key));
    if (!any) return 0;
    sheet_str(s, s->row, 0, label, s->w->f.item);
    cJSON_ArrayForEach(y, years)
        sheet_num(s, s->row, sheet_col(s, report_str(y, "fy")), finance_opt(y, key), s->w->f.money);
    return s->row++;
}

void wb_finance(wb_ctx *w)
{
    wb_sheet s;
    if (sheet_begin(w, &s, "Financial summary", "Financial summary by financial year",
                    "£m (each cell holds the full £); negatives are deficits. Outturn: published figures. Forecast: "
                    "lines from the Cost model, totals as formulas.",
                    2))
        return;
    s.paginate = 1;
    s.ys = &w->yt;
    sheet_str(&s, s.row, 0, "£m", w->f.head);
    sheet_str(&s, s.row, 1, "s251 line", w->f.head);
    sheet_year_heads(&s, s.row);
    s.row++;
    sheet_str(&s, s.row, 0, "Outturn or forecast", w->f.head);
    sheet_head_blank(&s, s.row, 1, s.c0);
    for (size_t i = 0; i < w->yt.n; i++)
        sheet_str(&s, s.row, s.c0 + (lxw_col_t)i, i < w->yt.nact ? "Outturn" : "Forecast", w->f.head_r);
    s.row += 2;
    const cJSON *sc, *y;
    size_t si = 0;
    char f[160], a[WB_CELL], b[WB_CELL], d[WB_CELL];
    cJSON_ArrayForEach(sc, w->scen)
    {
        const cJSON *years = report_get(sc, "years");
        sheet_scenario_title(&s, sc, NULL);
        sheet_str(&s, s.row++, 0, "Funding", w->f.section);
        wb_rows *at = &w->at[si];
        lxw_row_t tf = finance_lines(&s, sc, "funding", "funding_lines", "Total funding", 0, at->cm_fund0);
        sheet_str(&s, s.row++, 0, "Spend", w->f.section);
        w->spend_row[si] = s.row;
        lxw_row_t ts = finance_lines(&s, sc, "spend", "spend_lines", "Total spend", 1, at->cm_spend0);
        /* What else the in-year position holds, where the scenario has it. */
        lxw_row_t regime = finance_opt_row(&s, years, "regime_funding", "Funding from the regime after the override");
        lxw_row_t align = finance_opt_row(&s, years, "alignment", "Alignment to the council's own forecast");
        lxw_row_t gap = 0;
        int has_gap = 0;
        cJSON_ArrayForEach(y, years) has_gap |= fabs(finance_gap(y)) > 0.005;
        if (has_gap) {
            gap = s.row++;
            sheet_str(&s, gap, 0, "Other changes in the results (not in the lines above)", w->f.item);
            cJSON_ArrayForEach(y, years)
                sheet_num(&s, gap, sheet_col(&s, report_str(y, "fy")), finance_gap(y), w->f.money);
        }
        lxw_row_t iy = s.row++, bf = s.row++;
        sheet_str(&s, iy, 0, "In-year position (funding less spend)", w->f.bold);
        sheet_str(&s, bf, 0, "Balance brought forward", w->f.item);
        /* A deficit written off (the stability grant, a later write-off) adds to the position carried forward. */
        lxw_row_t wo = finance_opt_row(&s, years, "writeoff", "Deficit written off (stability grant or write-off)");
        lxw_row_t cum = s.row++;
        sheet_str(&s, cum, 0, "Cumulative position carried forward", w->f.bold);
        lxw_row_t gross = finance_opt_row(&s, years, "cumulative_gross", "Cumulative position before write-offs");
        lxw_row_t intr = s.row++;
        sheet_str(&s, intr, 0, "Interest on the deficit (not charged to the DSG)", w->f.item);
        at->fin_iy = iy;
        at->fin_cum = cum;
        at->fin_interest = intr;
        at->fin_writeoff = wo;
        at->fin_gross = gross;
        /* The outturn years: published figures, as numbers. */
        lxw_col_t prev = (lxw_col_t)-1;
        double prev_cum = NAN;
        for (size_t i = 0; i < w->yt.nact; i++) {
            const cJSON *o = finance_outturn(sc, w->yt.fy[i]);
            if (!o) continue;
            lxw_col_t c = s.c0 + (lxw_col_t)i;
            double iyv = report_num(o, "in_year"), cv = report_num(o, "cumulative");
            sheet_num(&s, iy, c, iyv, w->f.money_key);
            sheet_num(&s, bf, c, cv - iyv, w->f.money);
            sheet_num(&s, cum, c, cv, w->f.money_total);
            prev = isnan(cv) ? (lxw_col_t)-1 : c;
            prev_cum = cv;
        }
        cJSON_ArrayForEach(y, years)
        {
            lxw_col_t c = sheet_col(&s, report_str(y, "fy"));
            size_t len = 0;
            sheet_cell(a, tf, c);
            sheet_cell(b, ts, c);
            len += (size_t)snprintf(f + len, sizeof f - len, "=%s-%s", a, b);
            lxw_row_t extra[3] = {regime, align, has_gap ? gap : 0};
            for (int k = 0; k < 3; k++) {
                if (!extra[k]) continue;
                sheet_cell(d, extra[k], c);
                len += (size_t)snprintf(f + len, sizeof f - len, "+%s", d);
            }
            sheet_formula(&s, iy, c, f, w->f.money_key, report_num(y, "in_year"));
            double open = y == years->child
                              ? report_num(y, "cumulative") - report_num(y, "in_year") - finance_opt(y, "writeoff")
                              : report_num(y->prev, "cumulative");
            if (prev == (lxw_col_t)-1 || (y == years->child && !(fabs(open - prev_cum) <= 0.005))) {
                sheet_num(&s, bf, c, open, w->f.money);
            } else {
                sheet_cell(a, cum, prev);
                snprintf(f, sizeof f, "=%s", a);
                sheet_formula(&s, bf, c, f, w->f.money, open);
            }
            sheet_cell(a, bf, c);
            sheet_cell(b, iy, c);
            len = (size_t)snprintf(f, sizeof f, "=%s+%s", a, b);
            if (wo) {
                sheet_cell(d, wo, c);
                snprintf(f + len, sizeof f - len, "+%s", d);
            }
            sheet_formula(&s, cum, c, f, w->f.money_total, report_num(y, "cumulative"));
            sheet_num(&s, intr, c, report_num(y, "interest"), w->f.money);
            prev = c;
        }
        s.row++;
        si++;
    }
    sheet_cap(&s, 0, 60.0);
    sheet_end(&s, 2, 2, 10.0);
}

/* ---- s251 ------------------------------------------------------------------------ */

void wb_s251(wb_ctx *w)
{
    wb_sheet s;
    if (sheet_begin(w, &s, "s251", "Spend by s251 budget line",
                    "£m. Each line sums the spend lines mapped to its s251 code on the Financial summary "
                    "(formulas); lines with no code are \"unmapped\".",
                    2))
        return;
    s.ys = &w->yt;
    sheet_str(&s, s.row, 0, "s251 line", w->f.head);
    sheet_str(&s, s.row, 1, "Spend lines", w->f.head);
    sheet_year_heads(&s, s.row);
    s.row += 2;
    const cJSON *sc, *y;
    size_t si = 0;
    char x[WB_CELL];
    cJSON_ArrayForEach(sc, w->scen)
    {
        const cJSON *lines = report_get(sc, "spend_lines"), *years = report_get(sc, "years");
        report_s251 g;
        if (report_s251_build(lines, &g)) {
            w->nomem = 1;
            break;
        }
        sheet_scenario_title(&s, sc, NULL);
        lxw_row_t first = s.row;
        for (size_t k = 0; k < g.n; k++) {
            const report_s251_group *gr = &g.g[k];
            size_t nl = 0;
            for (size_t i = 0; i < gr->n; i++)
                nl += strlen(report_str(cJSON_GetArrayItem(lines, (int)gr->line[i]), "label")) + 2;
            char *names = malloc(nl + 1), *f = malloc(gr->n * 48 + 8);
            if (!names || !f) {
                free(names);
                free(f);
                w->nomem = 1;
                break;
            }
            names[0] = '\0';
            for (size_t i = 0; i < gr->n; i++) {
                if (i) strcat(names, "; ");
                strcat(names, report_str(cJSON_GetArrayItem(lines, (int)gr->line[i]), "label"));
            }
            sheet_str(&s, s.row, 0, gr->code, w->f.item);
            sheet_str(&s, s.row, 1, names, w->f.wrap);
            cJSON_ArrayForEach(y, years)
            {
                lxw_col_t c = sheet_col(&s, report_str(y, "fy"));
                size_t len = 0;
                f[len++] = '=';
                for (size_t i = 0; i < gr->n; i++) {
                    sheet_cell(x, w->spend_row[si] + (lxw_row_t)gr->line[i], c);
                    len += (size_t)sprintf(f + len, "%s'Financial summary'!%s", i ? "+" : "", x);
                }
                sheet_formula(&s, s.row, c, f, w->f.money, report_s251_sum(gr, lines, y));
            }
            free(names);
            free(f);
            s.row++;
        }
        sheet_str(&s, s.row, 0, "Total spend", w->f.bold);
        cJSON_ArrayForEach(y, years)
        {
            char f[96];
            lxw_col_t c = sheet_col(&s, report_str(y, "fy"));
            sheet_sum(f, sizeof f, first, s.row - 1, c, g.n == 0);
            sheet_formula(&s, s.row, c, f, w->f.money_total, report_num(report_get(y, "spend"), "total"));
        }
        s.row += 2;
        report_s251_free(&g);
        si++;
    }
    sheet_cap(&s, 1, 48.0);
    sheet_end(&s, 1, 2, 10.0);
}
