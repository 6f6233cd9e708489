/* wb_analysis.c: the sheets of the analyses built on many projections:
 * Savings by action (with cumulative running sums as formulas), Monte Carlo
 * (every statistic of every figure by year) and Back-test (only when the
 * results carry one). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheet.h"

/* ---- Savings by action ---------------------------------------------------------- */

void wb_savings(wb_ctx *w)
{
    wb_sheet s;
    if (sheet_begin(w, &s, "Savings by action", "Savings by action against the parent scenario",
                    "£m. A saving is the improvement in the in-year position against the parent scenario "
                    "(positive = better). Totals and cumulative rows are formulas.",
                    2))
        return;
    size_t ny = w->ys.n;
    lxw_col_t c_end = s.c0 + (lxw_col_t)ny, c_hor = c_end + 1;
    sheet_str(&s, s.row, 0, "Action", w->f.head);
    sheet_str(&s, s.row, 1, "Type", w->f.head);
    sheet_year_heads(&s, s.row);
    sheet_str(&s, s.row, c_end, "To the end of the override", w->f.head_r);
    sheet_str(&s, s.row, c_hor, "To the end of the last year", w->f.head_r);
    sheet_cap(&s, c_end, 13.0);
    sheet_cap(&s, c_hor, 13.0);
    s.row += 2;
    const cJSON *sc, *y, *a;
    char f[160], x[WB_CELL], z[WB_CELL];
    int any = 0;
    size_t si = (size_t)-1;
    cJSON_ArrayForEach(sc, w->scen)
    {
        si++;
        if (!report_has_savings(sc)) continue;
        any = 1;
        const cJSON *sv = report_get(sc, "savings"), *years = report_get(sc, "years");
        const cJSON *acts = report_get(sv, "actions"), *tot = report_get(sv, "total");
        const char *against = report_str(sv, "against"), *method = report_str(sv, "method");
        if (!strcmp(method, "shapley-exact")) method = "Shapley values, exact";
        if (!strcmp(method, "shapley-sampled")) method = "Shapley values, sampled";
        char *extra = malloc(strlen(against) + strlen(method) + 40);
        if (!extra) {
            w->nomem = 1;
            break;
        }
        sprintf(extra, " against %s; attribution: %s", against, method);
        sheet_scenario_title(&s, sc, extra);
        free(extra);

        sheet_str(&s, s.row++, 0, "Saving in the year", w->f.section);
        lxw_row_t first = s.row;
        int n = 0;
        cJSON_ArrayForEach(a, acts)
        {
            sheet_str(&s, s.row, 0, report_str(a, "name"), w->f.item);
            sheet_str(&s, s.row, 1, report_str(a, "type"), NULL);
            const cJSON *by = report_get(a, "by_year");
            cJSON_ArrayForEach(y, years) sheet_num(&s, s.row, sheet_col(&s, report_str(y, "fy")),
                                                   report_num(by, report_str(y, "fy")), w->f.money);
            sheet_num(&s, s.row, c_end, report_num(a, "to_override_end"), w->f.money);
            sheet_num(&s, s.row, c_hor, report_num(a, "to_horizon"), w->f.money);
            s.row++;
            n++;
        }
        /* What the scenario changes besides its actions (docs/results-format.md): in the total too. */
        const cJSON *oc = report_get(sv, "other_changes");
        int rows = n;
        if (cJSON_IsObject(oc)) {
            sheet_str(&s, s.row, 0, "Other changes against the parent (not actions)", w->f.item);
            cJSON_ArrayForEach(y, years)
                sheet_num(&s, s.row, sheet_col(&s, report_str(y, "fy")),
                          report_num(report_get(oc, "by_year"), report_str(y, "fy")), w->f.money);
            sheet_num(&s, s.row, c_end, report_num(oc, "to_override_end"), w->f.money);
            sheet_num(&s, s.row, c_hor, report_num(oc, "to_horizon"), w->f.money);
            s.row++;
            rows++;
        }
        lxw_row_t total = s.row++;
        w->at[si].sav_total = total;
        sheet_str(&s, total, 0, "Total", w->f.bold);
        cJSON_ArrayForEach(y, years)
        {
            lxw_col_t c = sheet_col(&s, report_str(y, "fy"));
            double v = report_num(report_get(tot, "by_year"), report_str(y, "fy"));
            if (isnan(v)) continue;
            sheet_sum(f, sizeof f, first, total - 1, c, rows == 0);
            sheet_formula(&s, total, c, f, w->f.money_total, v);
        }
        sheet_sum(f, sizeof f, first, total - 1, c_end, rows == 0);
        sheet_formula(&s, total, c_end, f, w->f.money_total, report_num(tot, "to_override_end"));
        sheet_sum(f, sizeof f, first, total - 1, c_hor, rows == 0);
        sheet_formula(&s, total, c_hor, f, w->f.money_total, report_num(tot, "to_horizon"));

        sheet_str(&s, s.row++, 0, "Cumulative saving", w->f.section);
        /* Running sums of each action's row, then of the total row. */
        for (int k = 0; k <= n; k++) {
            const cJSON *src = k < n ? cJSON_GetArrayItem(acts, k) : tot;
            lxw_row_t from = k < n ? first + (lxw_row_t)k : total;
            sheet_str(&s, s.row, 0, k < n ? report_str(src, "name") : "Total", k < n ? w->f.item : w->f.bold);
            const cJSON *by = report_get(src, "by_year");
            double run = 0.0;
            lxw_col_t prev = (lxw_col_t)-1;
            cJSON_ArrayForEach(y, years)
            {
                lxw_col_t c = sheet_col(&s, report_str(y, "fy"));
                double v = report_num(by, report_str(y, "fy"));
                run += isnan(v) ? 0.0 : v;
                sheet_cell(x, from, c);
                if (prev == (lxw_col_t)-1) {
                    snprintf(f, sizeof f, "=%s", x);
                } else {
                    sheet_cell(z, s.row, prev);
                    snprintf(f, sizeof f, "=%s+%s", z, x);
                }
                sheet_formula(&s, s.row, c, f, k < n ? w->f.money : w->f.money_total, run);
                prev = c;
            }
            s.row++;
        }
        s.row++;
    }
    if (!any)
        sheet_note(&s, s.row, 0,
                   "No scenario in these results has savings by action (a scenario that extends another and "
                   "has actions).",
                   w->f.note);
    sheet_cap(&s, 0, 48.0);
    sheet_cap(&s, 1, 20.0);
    sheet_end(&s, 1, 2, 10.0);
}

/* ---- Monte Carlo ----------------------------------------------------------------- */

void wb_montecarlo(wb_ctx *w)
{
    wb_sheet s;
    if (sheet_begin(w, &s, "Monte Carlo", "Monte Carlo range by financial year",
                    "£m (EHCPs in numbers). P5 to P95: 90% of simulated paths fall between them; for the DSG "
                    "position P5 is the worse end.",
                    1))
        return;
    s.paginate = 1;
    sheet_str(&s, s.row, 0, "Statistic", w->f.head);
    sheet_year_heads(&s, s.row);
    s.row += 2;
    static const struct {
        const char *key, *label;
        int money;
    } figs[] = {{"cumulative", "Cumulative position (£m)", 1},
                {"in_year", "In-year position (£m)", 1},
                {"spend", "Spend (£m)", 1},
                {"funding", "Funding (£m)", 1},
                {"ehcps", "EHCPs at the January census", 0}};
    static const char *const stat[] = {"mean", "p5", "p10", "p25", "p50", "p75", "p90", "p95"};
    static const char *const statl[] = {"Mean", "P5", "P10", "P25", "P50 (median)", "P75", "P90", "P95"};
    const cJSON *sc;
    int any = 0;
    cJSON_ArrayForEach(sc, w->scen)
    {
        if (!report_has_montecarlo(sc)) continue;
        any = 1;
        const cJSON *mc = report_get(sc, "montecarlo");
        char extra[96];
        snprintf(extra, sizeof extra, ": %.0f paths, seed %.0f", report_num(mc, "paths"), report_num(mc, "seed"));
        sheet_scenario_title(&s, sc, extra);
        for (size_t i = 0; i < sizeof figs / sizeof figs[0]; i++) {
            sheet_str(&s, s.row++, 0, figs[i].label, w->f.section);
            for (size_t k = 0; k < 8; k++) {
                sheet_years_row(&s, statl[k], NULL, report_get(mc, "years"), figs[i].key, stat[k], NULL,
                                figs[i].money ? (k == 4 ? w->f.money_key : w->f.money) : w->f.count);
                s.row++;
            }
        }
        s.row++;
    }
    if (!any) sheet_note(&s, s.row, 0, "No Monte Carlo in these results (run with --paths N).", w->f.note);
    sheet_end(&s, 1, 1, 10.0);
}

/* ---- Back-test ---------------------------------------------------------------------- */

/* Written only when the results carry a "backtest" block (hnbsim run on scenarios
 * with a backtest block, or hnbsim backtest): the model against every published
 * figure, with the error. */
void wb_backtest(wb_ctx *w)
{
    const cJSON *bt = report_get(w->res, "backtest");
    if (!cJSON_IsArray(bt) || !bt->child) return;
    wb_sheet s;
    if (sheet_begin(w, &s, "Back-test", "Back-test: the model against the published figures",
                    "Each scenario started from an earlier census and run forward with its own assumptions "
                    "(docs/calibration.md). Money in £m, EHCPs at the January census.",
                    2))
        return;
    static const char *const heads[] = {"Scenario", "Figure", "When", "Model", "Actual", "Error", "Error (%)"};
    for (lxw_col_t c = 0; c < 7; c++) sheet_str(&s, s.row, c, heads[c], c >= 3 ? w->f.head_r : w->f.head);
    s.row++;
    const cJSON *b, *r;
    cJSON_ArrayForEach(b, bt)
    {
        cJSON_ArrayForEach(r, report_get(b, "rows"))
        {
            const char *fig = report_str(r, "figure");
            int count = strcmp(fig, "ehcps") == 0;
            lxw_format *f = count ? w->f.count : w->f.money;
            sheet_str(&s, s.row, 0, report_str(b, "scenario"), NULL);
            sheet_str(&s, s.row, 1,
                      count                         ? "EHCPs"
                      : strcmp(fig, "in_year") == 0 ? "In-year position"
                                                    : "Cumulative position",
                      NULL);
            sheet_str(&s, s.row, 2, report_str(r, "when"), NULL);
            sheet_num(&s, s.row, 3, report_num(r, "model"), f);
            sheet_num(&s, s.row, 4, report_num(r, "actual"), f);
            char formula[64];
            snprintf(formula, sizeof formula, "=D%u-E%u", (unsigned)s.row + 1, (unsigned)s.row + 1);
            worksheet_write_formula_num(s.ws, s.row, 5, formula, f, report_num(r, "model") - report_num(r, "actual"));
            const cJSON *pc = report_get(r, "error_pct");
            if (cJSON_IsNumber(pc)) sheet_num(&s, s.row, 6, pc->valuedouble / 100.0, w->f.pct1);
            s.row++;
        }
    }
    sheet_cap(&s, 0, 30.0);
    s.c0 = 3;
    sheet_end(&s, 1, 2, 12.0);
}
