/* workbook.c: the Excel workbook for finance officers, shaped like a DSG
 * management plan (report_workbook in report.h).
 *
 * Sheets, in order: Summary (headline figures, scenarios side by side,
 * linked by formulas to the sheets below; the Monte Carlo range), Charts,
 * Children and young people (EHCPs by the template's placement categories
 * and age groups), Financial summary (outturn years, then funding and spend
 * lines, in-year and cumulative position by financial year), Cost model
 * (counts x unit costs from editable assumptions), EHCPs, Unit costs,
 * Savings by action, Monte Carlo, Assumptions, Assumptions by age, s251,
 * Actuals (and Back-test when the results carry one). docs/spreadsheets.md
 * shows every sheet's rows and columns. The sheets are added in that order
 * first, then filled in the order their formulas need: a sheet that refers
 * to another's rows is filled after it (Summary and Charts last).
 *
 * Design and trade-offs:
 * - Cells hold full-precision £; the number format shows £m to one decimal
 *   place (`#,##0.0,,`: each trailing comma divides by 1000 for display), so
 *   totals are sums of the full figures, as in the model (the displayed lines
 *   may miss the displayed total by 0.1, the usual convention), and a finance
 *   officer can re-format without losing pennies.
 *   libxlsxwriter prints numbers with "%.16G", so a cell reads back to 16
 *   significant figures, not always the exact double; the CSV files are the
 *   exact copy (csv.c).
 * - Totals, in-year, brought-forward and cumulative rows, cumulative savings
 *   and the s251 lines are real formulas (worksheet_write_formula_num), so
 *   the sheet recalculates when an officer edits a line. Each formula caches
 *   the value from the results (or, for sums the results do not hold, the
 *   sum in the formula's own order), so readers that do not recalculate see
 *   the model's figures. libxlsxwriter sets fullCalcOnLoad, so Excel
 *   recalculates anyway; if a results file's in-year position is not
 *   funding less spend, a visible reconciling row ("Other changes ...")
 *   carries the difference rather than letting the recalculated sheet
 *   disagree with the model in silence.
 * - Year tables share one set of columns: the union of all scenarios'
 *   financial years, in order, so one frozen heading row serves every
 *   scenario block below it. Financial years are text ("2026-27").
 * - The workbook is written to a temporary name (fileout_reserve) and renamed
 *   into place only when libxlsxwriter has closed it; any failure before
 *   that discards the workbook (lxw_workbook_free) and the temporary file, so
 *   there is never a half-written hnbsim.xlsx. The document's creation time
 *   is the results' run date, so the same results give the same bytes.
 * - libxlsxwriter formats numbers with the C library's snprintf, which
 *   follows LC_NUMERIC: the writer switches this thread to the C locale
 *   (uselocale) while it works, whatever the calling program set.
 * - Column widths are estimated from the text written (characters, not
 *   pixels), with caps and wrapping for long labels and sources; the layout
 *   was checked by rendering in LibreOffice (docs/spreadsheets.md). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/dates.h"
#include "core/error.h"
#include "core/fileout.h"
#include "report.h"
#include "sheet.h"

/* ---- the workbook ------------------------------------------------------------------ */

static lxw_format *workbook_format(wb_ctx *w, const char *num, int bold, int top)
{
    lxw_format *f = workbook_add_format(w->book);
    if (!f) {
        w->nomem = 1;
        return NULL;
    }
    if (num) format_set_num_format(f, num);
    if (bold) format_set_bold(f);
    if (top) format_set_top(f, LXW_BORDER_THIN);
    return f;
}

static void workbook_formats(wb_ctx *w)
{
    wb_fmt *f = &w->f;
    f->title = workbook_format(w, NULL, 1, 0);
    f->note = workbook_format(w, NULL, 0, 0);
    f->head = workbook_format(w, NULL, 1, 0);
    f->head_r = workbook_format(w, NULL, 1, 0);
    f->scen = workbook_format(w, NULL, 1, 0);
    f->section = workbook_format(w, NULL, 1, 0);
    f->item = workbook_format(w, NULL, 0, 0);
    f->bold = workbook_format(w, NULL, 1, 0);
    f->item_bold = workbook_format(w, NULL, 1, 0);
    f->text_r = workbook_format(w, NULL, 0, 0);
    f->wrap = workbook_format(w, NULL, 0, 0);
    f->money = workbook_format(w, WB_MONEY_FMT, 0, 0);
    f->money_total = workbook_format(w, WB_MONEY_FMT, 1, 1);
    f->money_key = workbook_format(w, WB_MONEY_FMT, 1, 0);
    f->count = workbook_format(w, "#,##0", 0, 0);
    f->count_total = workbook_format(w, "#,##0", 1, 1);
    f->gbp = workbook_format(w, "\"£\"#,##0", 0, 0);
    f->pct = workbook_format(w, "0.0%", 0, 0); /* 99.8% must not read as certain */
    f->pct1 = workbook_format(w, "0.0%", 0, 0);
    f->wrap_ind = workbook_format(w, NULL, 0, 0);
    f->head_ind = workbook_format(w, NULL, 1, 0);
    f->wrap_r = workbook_format(w, NULL, 0, 0);
    /* Cells an officer may edit (the Cost model's assumptions): shaded, as input cells usually are. */
    w->input = workbook_format(w, WB_MONEY_FMT, 0, 0);
    w->input_pct = workbook_format(w, "0.00%", 0, 0);
    w->input_gbp = workbook_format(w, "\"£\"#,##0", 0, 0);
    if (w->nomem) return;
    lxw_format *inputs[] = {w->input, w->input_pct, w->input_gbp};
    for (int i = 0; i < 3; i++) {
        format_set_bg_color(inputs[i], 0xFFF2CC);
        format_set_font_color(inputs[i], 0x1F3864);
    }
    format_set_text_wrap(f->wrap_r);
    format_set_align(f->wrap_r, LXW_ALIGN_RIGHT);
    format_set_font_size(f->title, 14);
    format_set_font_color(f->note, 0x595959);
    format_set_italic(f->note);
    lxw_format *heads[] = {f->head, f->head_r, f->head_ind};
    for (int i = 0; i < 3; i++) {
        format_set_bg_color(heads[i], 0xDDEBF7);
        format_set_bottom(heads[i], LXW_BORDER_THIN);
        format_set_text_wrap(heads[i]);
        format_set_align(heads[i], LXW_ALIGN_VERTICAL_BOTTOM);
    }
    format_set_align(f->head_r, LXW_ALIGN_RIGHT);
    format_set_font_size(f->scen, 12);
    format_set_font_color(f->scen, 0x1F3864);
    format_set_indent(f->item, 1);
    format_set_indent(f->item_bold, 1);
    format_set_align(f->text_r, LXW_ALIGN_RIGHT);
    format_set_text_wrap(f->wrap); /* bottom-aligned, like the numbers beside it */
    format_set_text_wrap(f->wrap_ind);
    format_set_indent(f->wrap_ind, 1);
    format_set_indent(f->head_ind, 1);
}

/* Seconds since 1970 at midnight UTC of "YYYY-MM-DD", or 0 if malformed. */
static time_t workbook_epoch(const char *ymd)
{
    hnb_date d;
    if (date_parse(ymd, &d) != 0) return 0;
    long y = d.y - (d.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (time_t)(era * 146097 + doe - 719468) * 86400;
}

/* "From (embedded) sutton.json; run 2026-11-23 by hnbsim 0.1.0." */
static char *workbook_subtitle(const cJSON *res)
{
    size_t n = 96;
    const cJSON *in;
    cJSON_ArrayForEach(in, report_get(res, "inputs")) n += strlen(cJSON_IsString(in) ? in->valuestring : "") + 2;
    n += strlen(report_str(res, "run_date")) + strlen(report_str(res, "hnbsim_version"));
    char *s = malloc(n);
    if (!s) return NULL;
    strcpy(s, "From ");
    int k = 0;
    cJSON_ArrayForEach(in, report_get(res, "inputs"))
    {
        if (!cJSON_IsString(in)) continue;
        if (k++) strcat(s, ", ");
        strcat(s, in->valuestring);
    }
    if (!k) strcat(s, "(inputs not recorded)");
    const char *date = report_str(res, "run_date"), *ver = report_str(res, "hnbsim_version");
    size_t len = strlen(s);
    snprintf(s + len, n - len, "; run %s by hnbsim %s.", *date ? date : "(date not recorded)", *ver ? ver : "");
    return s;
}

int report_workbook(hnb_model *h, const cJSON *results, const char *path)
{
    int rc = report_check(h, results, path);
    if (rc) return rc;
    fileout fo;
    rc = fileout_reserve(h, &fo, path);
    if (rc) return rc;
    report_locale loc;
    if (report_locale_push(&loc) != 0) {
        fileout_abort(&fo);
        return err_set(h, HNB_E_NOMEM, "%s: out of memory (switching to the C locale)", path);
    }
    wb_ctx w;
    memset(&w, 0, sizeof w);
    w.h = h;
    w.path = path;
    w.res = results;
    w.scen = report_get(results, "scenarios");
    size_t nscen = (size_t)cJSON_GetArraySize(w.scen);
    w.spend_row = calloc(nscen ? nscen : 1, sizeof *w.spend_row);
    w.at = calloc(nscen ? nscen : 1, sizeof *w.at);
    w.subtitle = workbook_subtitle(results);
    lxw_workbook_options opt = {0};
    if (w.spend_row && w.at && w.subtitle && report_years_build(results, &w.ys) == 0 &&
        report_years_template(results, &w.yt) == 0)
        w.book = workbook_new_opt(fo.tmp, &opt);
    if (!w.book) {
        rc = err_set(h, HNB_E_NOMEM, "%s: out of memory starting the workbook", path);
        goto done;
    }
    const char *title = report_str(results, "title");
    lxw_doc_properties props = {0};
    props.title = (char *)(*title ? title : "hnbsim results");
    props.subject = (char *)"High Needs Block forecast";
    props.author = (char *)"hnbsim";
    props.comments = w.subtitle;
    props.created = workbook_epoch(report_str(results, "run_date"));
    w.err = workbook_set_properties(w.book, &props);
    snprintf(w.where, sizeof w.where, "document properties");

    workbook_formats(&w);
    static const char *const order[] = {"Summary",
                                        "Charts",
                                        "Children and young people",
                                        "Financial summary",
                                        "Cost model",
                                        "EHCPs",
                                        "Unit costs",
                                        "Savings by action",
                                        "Monte Carlo",
                                        "Assumptions",
                                        "Assumptions by age",
                                        "s251",
                                        "Actuals",
                                        "Back-test"};
    const cJSON *bt = report_get(results, "backtest");
    size_t nsheet = sizeof order / sizeof order[0] - !(cJSON_IsArray(bt) && bt->child);
    for (size_t i = 0; i < nsheet && !w.nomem; i++)
        if (!workbook_add_worksheet(w.book, order[i])) w.nomem = 1;
    void (*const fill[])(wb_ctx *) = {wb_children, wb_cost_model, wb_finance,     wb_ehcps,  wb_unit_costs,
                                      wb_savings,  wb_montecarlo, wb_assumptions, wb_by_age, wb_s251,
                                      wb_actuals,  wb_backtest,   wb_summary,     wb_charts};
    for (size_t i = 0; i < sizeof fill / sizeof fill[0] && !w.nomem; i++) fill[i](&w);

    if (w.nomem) {
        lxw_workbook_free(w.book);
        rc = err_set(h, HNB_E_NOMEM, "%s: out of memory building the workbook", path);
    } else if (w.err != LXW_NO_ERROR) {
        lxw_workbook_free(w.book);
        rc = err_set(h, HNB_E_WORKBOOK, "%s: %s: %s (expected values Excel accepts)", path, w.where,
                     lxw_strerror(w.err));
    } else {
        lxw_error e = workbook_close(w.book);
        if (e != LXW_NO_ERROR)
            rc = err_set(h, HNB_E_WORKBOOK, "%s: cannot write the workbook: %s (expected a writable folder with space)",
                         path, lxw_strerror(e));
    }
done:
    report_locale_pop(&loc);
    report_years_free(&w.ys);
    report_years_free(&w.yt);
    free(w.spend_row);
    free(w.at);
    free(w.subtitle);
    if (rc)
        fileout_abort(&fo);
    else
        rc = fileout_commit(h, &fo);
    return rc;
}
