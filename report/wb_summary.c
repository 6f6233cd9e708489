/* wb_summary.c: the Summary sheet: the headline figures of every scenario
 * side by side, savings against the parent and the Monte Carlo range
 * (docs/spreadsheets.md). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheet.h"

/* ---- Summary -------------------------------------------------------------- */

typedef enum { SUM_MONEY, SUM_TEXT, SUM_PCT, SUM_COUNT } summary_kind;

static void summary_cell(wb_sheet *s, lxw_col_t c, summary_kind k, const cJSON *v, const char *text)
{
    wb_ctx *w = s->w;
    if (text) {
        sheet_str(s, s->row, c, text, w->f.text_r);
        return;
    }
    if (!cJSON_IsNumber(v)) return;
    lxw_format *f = k == SUM_MONEY ? w->f.money : k == SUM_PCT ? w->f.pct : k == SUM_COUNT ? w->f.count : NULL;
    sheet_num(s, s->row, c, v->valuedouble, f);
}

static void summary_label(wb_sheet *s, const char *label, lxw_format *f)
{
    sheet_str(s, s->row, 0, label, f ? f : s->w->f.item);
}

/* "'Financial summary'!C55" (or the range to the last projected year's
 * column, with `last`) for row r of a scenario: columns of the template
 * years on the Financial summary (c0 = 2), the first projected year's to
 * the year `to` (NULL: the last). Empty when the year is not a column. */
static void summary_ref(char *buf, size_t n, const wb_ctx *w, const cJSON *sc, lxw_row_t r, const char *from,
                        const char *to, int range)
{
    buf[0] = '\0';
    size_t i0 = report_years_find(&w->yt, from ? from : report_str(sc, "first_fy"));
    size_t i1 = report_years_find(&w->yt, to ? to : report_str(sc, "last_fy"));
    if (i0 == (size_t)-1 || i1 == (size_t)-1 || !r) return;
    char a[WB_CELL], b[WB_CELL];
    sheet_cell(a, r, (lxw_col_t)(2 + i0));
    sheet_cell(b, r, (lxw_col_t)(2 + i1));
    if (range)
        snprintf(buf, n, "'Financial summary'!%s:%s", a, b);
    else
        snprintf(buf, n, "'Financial summary'!%s", b);
}

/* "2027-28": the financial year that ends on (or holds) the date "2028-03-31". */
static void summary_fy_of(char *buf, const char *date)
{
    int y = atoi(date), m = (int)strtol(date + (strlen(date) >= 7 ? 5 : 0), NULL, 10);
    if (m <= 3) y--;
    unsigned u = (unsigned)(y < 0 ? 0 : y > 9998 ? 9998 : y);
    snprintf(buf, 8, "%04u-%02u", u, (u + 1) % 100u);
}

/* A money figure as a formula over other sheets (a number when ref is empty). */
static void summary_link(wb_sheet *s, lxw_col_t c, const char *fmt, const char *ref, const cJSON *v)
{
    char f[200];
    if (!cJSON_IsNumber(v)) return;
    if (!*ref) {
        sheet_num(s, s->row, c, v->valuedouble, s->w->f.money);
        return;
    }
    snprintf(f, sizeof f, fmt, ref, ref);
    sheet_formula(s, s->row, c, f, s->w->f.money, v->valuedouble);
}

/* scen.montecarlo[.a].b[.c], or NULL. */
static const cJSON *summary_mc(const cJSON *scen, const char *a, const char *b, const char *c)
{
    const cJSON *v = report_get(scen, "montecarlo");
    if (a) v = report_get(v, a);
    v = report_get(v, b);
    return c ? report_get(v, c) : v;
}

void wb_summary(wb_ctx *w)
{
    wb_sheet s;
    if (sheet_begin(w, &s, "Summary", "Summary by scenario",
                    "Money in £m to one decimal place (each cell holds the full £ figure). Negative positions "
                    "are deficits. The position rows are formulas over the Financial summary and Savings sheets; "
                    "the Monte Carlo range is the model's and does not recalculate.",
                    1))
        return;
    const cJSON *sc;
    int any_sav = 0, any_mc = 0;
    sheet_str(&s, s.row, 0, "Scenario", w->f.head);
    lxw_col_t c = 1;
    cJSON_ArrayForEach(sc, w->scen)
    {
        sheet_str(&s, s.row, c, report_str(sc, "label"), w->f.head_r);
        sheet_cap(&s, c, 30.0);
        c++;
        any_sav |= report_has_savings(sc);
        any_mc |= report_has_montecarlo(sc);
    }
    s.row++;

/* Run the statement once per scenario, col_ being its column. */
#define EACH_SCEN(...)                             \
    do {                                           \
        lxw_col_t col_ = 1;                        \
        cJSON_ArrayForEach(sc, w->scen)            \
        {                                          \
            const wb_rows *at_ = &w->at[col_ - 1]; \
            (void)at_;                             \
            __VA_ARGS__;                           \
            col_++;                                \
        }                                          \
    } while (0)

    char buf[64];
    summary_label(&s, "Scenario name", NULL);
    EACH_SCEN(summary_cell(&s, col_, SUM_TEXT, NULL, report_str(sc, "name")));
    s.row++;
    summary_label(&s, "Extends", NULL);
    EACH_SCEN({
        const char *e = report_str(sc, "extends");
        summary_cell(&s, col_, SUM_TEXT, NULL, *e ? e : "-");
    });
    s.row++;
    summary_label(&s, "Years projected", NULL);
    EACH_SCEN({
        snprintf(buf, sizeof buf, "%.20s to %.20s", report_str(sc, "first_fy"), report_str(sc, "last_fy"));
        summary_cell(&s, col_, SUM_TEXT, NULL, buf);
    });
    s.row++;
    summary_label(&s, "End of the statutory override", NULL);
    EACH_SCEN(summary_cell(&s, col_, SUM_TEXT, NULL, report_str(sc, "override_end")));
    s.row += 2;

    sheet_str(&s, s.row++, 0, "DSG position (£m)", w->f.section);
    static const struct {
        const char *key, *label;
    } money_rows[] = {
        {"cumulative_at_override_end", "Cumulative position at the end of the override"},
        {"cumulative_at_horizon", "Cumulative position at the end of the last year"},
        {"peak_deficit", "Peak deficit"},
    };
    char ref[160], hd[160], ofy[8];
    lxw_row_t peak_row = 0, cum_row = 0;
    /* Write-offs (the stability grant): below the position at the end of the
     * override, the position before them, what they wrote off, and the
     * deficit left for the council to meet. */
    int any_wo = 0;
    cJSON_ArrayForEach(sc, w->scen) any_wo |=
        report_get(report_get(sc, "headline"), "writeoff_to_override_end") != NULL;
    for (size_t i = 0; i < sizeof money_rows / sizeof money_rows[0]; i++) {
        summary_label(&s, money_rows[i].label, i == 0 ? w->f.item_bold : NULL);
        if (i == 2) peak_row = s.row;
        if (i == 0) cum_row = s.row;
        EACH_SCEN({
            const cJSON *v = report_get(report_get(sc, "headline"), money_rows[i].key);
            summary_fy_of(ofy, report_str(sc, "override_end"));
            summary_ref(ref, sizeof ref, w, sc, at_->fin_cum, NULL, i == 0 ? ofy : NULL, i == 2);
            summary_link(&s, col_, i == 2 ? "=MIN(0,MIN(%s))" : "=%s", ref, v);
        });
        s.row++;
        if (i == 0 && any_wo) {
            summary_label(&s, "    before write-offs", NULL);
            EACH_SCEN({
                summary_fy_of(ofy, report_str(sc, "override_end"));
                /* Without a write-off row the position before write-offs is the position. */
                summary_ref(ref, sizeof ref, w, sc, at_->fin_gross ? at_->fin_gross : at_->fin_cum, NULL, ofy, 0);
                summary_link(&s, col_, "=%s", ref,
                             report_get(report_get(sc, "headline"), "cumulative_at_override_end_gross"));
            });
            s.row++;
            summary_label(&s, "Deficits written off to the end of the override", NULL);
            EACH_SCEN({
                summary_fy_of(ofy, report_str(sc, "override_end"));
                summary_ref(ref, sizeof ref, w, sc, at_->fin_writeoff, NULL, ofy, 1);
                summary_link(&s, col_, "=SUM(%s)", ref,
                             report_get(report_get(sc, "headline"), "writeoff_to_override_end"));
            });
            s.row++;
            summary_label(&s, "Deficit the council must meet at the end of the override", w->f.item_bold);
            EACH_SCEN({
                char x[WB_CELL];
                sheet_cell(x, cum_row, col_);
                summary_link(&s, col_, "=MAX(0,-%s)", x,
                             report_get(report_get(sc, "headline"), "deficit_to_meet_at_override_end"));
            });
            s.row++;
        }
    }
    summary_label(&s, "Year of the peak deficit", NULL);
    EACH_SCEN({
        const char *fy = report_str(report_get(sc, "headline"), "peak_deficit_fy");
        summary_ref(ref, sizeof ref, w, sc, at_->fin_cum, NULL, NULL, 1);
        summary_ref(hd, sizeof hd, w, sc, WB_HEAD, NULL, NULL, 1);
        if (*ref && cJSON_IsNumber(report_get(report_get(sc, "headline"), "peak_deficit"))) {
            char f[480], p[WB_CELL];
            sheet_cell(p, peak_row, col_);
            snprintf(f, sizeof f, "=IF(%s<0,INDEX(%s,MATCH(%s,%s,0)),\"never in deficit\")", p, hd, p, ref);
            sheet_fail(&s, s.row, col_,
                       worksheet_write_formula_str(s.ws, s.row, col_, f, w->f.text_r, *fy ? fy : "never in deficit"));
        } else {
            summary_cell(&s, col_, SUM_TEXT, NULL, *fy ? fy : "never in deficit");
        }
    });
    s.row++;
    summary_label(&s, "First year in balance (in-year surplus or nil)", w->f.item_bold);
    EACH_SCEN({
        const char *fy = report_str(report_get(sc, "headline"), "first_balanced_fy");
        snprintf(buf, sizeof buf, "none by %.20s", report_str(sc, "last_fy"));
        summary_cell(&s, col_, SUM_TEXT, NULL, *fy ? fy : buf);
    });
    s.row++;
    summary_label(&s, "Interest cost of the deficit to the end of the override", NULL);
    EACH_SCEN({
        summary_fy_of(ofy, report_str(sc, "override_end"));
        summary_ref(ref, sizeof ref, w, sc, at_->fin_interest, NULL, ofy, 1);
        summary_link(&s, col_, "=SUM(%s)", ref, report_get(report_get(sc, "headline"), "interest_to_override_end"));
    });
    s.row++;
    summary_label(&s, "Interest cost of the deficit to the end of the last year", NULL);
    EACH_SCEN({
        summary_ref(ref, sizeof ref, w, sc, at_->fin_interest, NULL, NULL, 1);
        summary_link(&s, col_, "=SUM(%s)", ref, report_get(report_get(sc, "headline"), "interest_to_horizon"));
    });
    /* the risk-weighted line (results "risk_weighted"; hnb_run since issue 18):
     * the rows above assume every action delivered */
    int any_rw = 0;
    cJSON_ArrayForEach(sc, w->scen) any_rw |= report_get(sc, "risk_weighted") != NULL;
    if (any_rw) {
        s.row++;
        summary_label(&s, "Risk-weighted position at the end of the override (each action at its delivery confidence)",
                      NULL);
        EACH_SCEN(summary_cell(&s, col_, SUM_MONEY,
                               report_get(report_get(sc, "risk_weighted"), "cumulative_at_override_end"), NULL));
    }
    s.row += 2;

    if (any_sav) {
        sheet_str(&s, s.row++, 0, "Savings against the parent scenario (£m)", w->f.section);
        summary_label(&s, "Compared with", NULL);
        EACH_SCEN({
            if (report_has_savings(sc))
                summary_cell(&s, col_, SUM_TEXT, NULL, report_str(report_get(sc, "savings"), "against"));
        });
        s.row++;
        static const char *const sav_key[2] = {"to_override_end", "to_horizon"};
        static const char *const sav_label[2] = {"Saving to the end of the override",
                                                 "Saving to the end of the last year"};
        for (int k = 0; k < 2; k++) {
            summary_label(&s, sav_label[k], NULL);
            EACH_SCEN({
                ref[0] = '\0';
                if (at_->sav_total) {
                    char x[WB_CELL];
                    sheet_cell(x, at_->sav_total, (lxw_col_t)(2 + w->ys.n + (size_t)k));
                    snprintf(ref, sizeof ref, "'Savings by action'!%s", x);
                }
                summary_link(&s, col_, "=%s", ref,
                             report_get(report_get(report_get(sc, "savings"), "total"), sav_key[k]));
            });
            s.row++;
        }
        s.row--;
        s.row += 2;
    }

    if (any_mc) {
        sheet_str(&s, s.row++, 0, "Monte Carlo range (£m; P5 is the worst 1 in 20)", w->f.section);
        summary_label(&s, "Paths", NULL);
        EACH_SCEN(summary_cell(&s, col_, SUM_COUNT, summary_mc(sc, NULL, "paths", NULL), NULL));
        s.row++;
        summary_label(&s, "Seed", NULL);
        EACH_SCEN(summary_cell(&s, col_, SUM_COUNT, summary_mc(sc, NULL, "seed", NULL), NULL));
        s.row++;
        static const struct {
            const char *key, *label;
        } mc_rows[] = {{"cumulative_at_override_end", "Cumulative position at the end of the override"},
                       {"peak_deficit", "Peak deficit"}};
        static const char *const pk[] = {"p5", "p50", "p95"};
        static const char *const pl[] = {"P5", "P50 (median)", "P95"};
        for (size_t i = 0; i < 2; i++) {
            for (size_t k = 0; k < 3; k++) {
                snprintf(buf, sizeof buf, "%s: %s", mc_rows[i].label, pl[k]);
                summary_label(&s, buf, NULL);
                EACH_SCEN(summary_cell(&s, col_, SUM_MONEY, summary_mc(sc, "headline", mc_rows[i].key, pk[k]), NULL));
                s.row++;
            }
        }
        summary_label(&s, "In-year balance by", NULL);
        EACH_SCEN({
            const cJSON *fy = summary_mc(sc, "probabilities", "in_year_balance_by", "fy");
            if (cJSON_IsString(fy)) summary_cell(&s, col_, SUM_TEXT, NULL, fy->valuestring);
        });
        s.row++;
        summary_label(&s, "    probability", NULL);
        EACH_SCEN(summary_cell(&s, col_, SUM_PCT, summary_mc(sc, "probabilities", "in_year_balance_by", "p"), NULL));
        s.row++;
        summary_label(&s, "Deficit at the end of the override above (£m)", NULL);
        EACH_SCEN(summary_cell(&s, col_, SUM_MONEY,
                               summary_mc(sc, "probabilities", "deficit_at_override_end_above", "threshold"), NULL));
        s.row++;
        summary_label(&s, "    probability", NULL);
        EACH_SCEN(summary_cell(&s, col_, SUM_PCT, summary_mc(sc, "probabilities", "deficit_at_override_end_above", "p"),
                               NULL));
        s.row++;
        summary_label(&s, "Probability the deficit grows every year", NULL);
        EACH_SCEN(
            summary_cell(&s, col_, SUM_PCT, summary_mc(sc, "probabilities", "deficit_grows_every_year", NULL), NULL));
        s.row++;
        /* the Monte Carlo standard errors of the position's percentiles
         * (results montecarlo.standard_errors, since issue 18; the method is
         * in results.json and docs/results-format.md) */
        int any_se = 0;
        cJSON_ArrayForEach(sc, w->scen) any_se |= report_get(report_get(sc, "montecarlo"), "standard_errors") != NULL;
        static const char *const se_k[] = {"se_p5", "se_p50", "se_p95"};
        for (size_t k = 0; any_se && k < 3; k++) {
            snprintf(buf, sizeof buf, "Override-end position %s: Monte Carlo standard error", pl[k]);
            summary_label(&s, buf, NULL);
            EACH_SCEN(summary_cell(&s, col_, SUM_MONEY,
                                   summary_mc(sc, "standard_errors", "cumulative_at_override_end", se_k[k]), NULL));
            s.row++;
        }
    }
#undef EACH_SCEN
    worksheet_activate(s.ws);
    worksheet_fit_to_pages(s.ws, 1, 1);
    sheet_end(&s, 1, 1, 14.0);
}
