/* national_book.c: the workbook of a national run (hnb_export_national),
 * from the national.json that hnbsim national writes.
 *
 * Two sheets: "Authorities", one row per authority (EHCPs now and at the
 * horizon, the Monte Carlo 10th-90th range, spend, cumulative position at
 * the national money defaults), and "England", the totals and where the
 * figures come from. Written to a temporary name and renamed into place,
 * as every output. The money is the importer's national defaults until each
 * council replaces them: the sheet says so in its first line. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#include "core/error.h"
#include "core/fileout.h"
#include "hnbsim_report.h"
#include "rview.h"

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : 0.0;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static void sheets(lxw_workbook *b, const cJSON *doc)
{
    lxw_format *head = workbook_add_format(b), *cnt = workbook_add_format(b), *gbp = workbook_add_format(b),
               *pct = workbook_add_format(b), *bold = workbook_add_format(b);
    format_set_bold(head);
    format_set_bottom(head, LXW_BORDER_THIN);
    format_set_text_wrap(head);
    format_set_num_format(cnt, "#,##0");
    format_set_num_format(gbp, "£#,##0");
    format_set_num_format(pct, "0.0%");
    format_set_bold(bold);
    int C = (int)num(doc, "census"), H = (int)num(doc, "horizon_census");
    char t[160];
    lxw_worksheet *ws = workbook_add_worksheet(b, "Authorities");
    snprintf(t, sizeof t, "EHCPs by authority from the January %d census (DfE SEN2); money at national defaults", C);
    worksheet_write_string(ws, 0, 0, t, bold);
    static const char *cols[] = {"Authority",
                                 "ONS code",
                                 "Region",
                                 "EHCPs now",
                                 "Growth per year",
                                 "EHCPs at horizon",
                                 "10th percentile",
                                 "90th percentile",
                                 "Spend, first year (£)",
                                 "Spend, last year (£)",
                                 "Cumulative, last year (£)",
                                 "Data breaks flagged"};
    for (int c = 0; c < 12; c++) worksheet_write_string(ws, 2, (lxw_col_t)c, cols[c], head);
    snprintf(t, sizeof t, "EHCPs, January %d", C);
    worksheet_write_string(ws, 2, 3, t, head);
    snprintf(t, sizeof t, "EHCPs, January %d", H);
    worksheet_write_string(ws, 2, 5, t, head);
    lxw_row_t r = 3;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, "authorities");
    for (const cJSON *a = arr ? arr->child : NULL; a; a = a->next, r++) {
        worksheet_write_string(ws, r, 0, str(a, "name"), NULL);
        worksheet_write_string(ws, r, 1, str(a, "code"), NULL);
        worksheet_write_string(ws, r, 2, str(a, "region"), NULL);
        worksheet_write_number(ws, r, 3, num(a, "ehcps_now"), cnt);
        worksheet_write_number(ws, r, 4, num(a, "growth"), pct);
        worksheet_write_number(ws, r, 5, num(a, "ehcps_horizon"), cnt);
        worksheet_write_number(ws, r, 6, num(a, "ehcps_horizon_p10"), cnt);
        worksheet_write_number(ws, r, 7, num(a, "ehcps_horizon_p90"), cnt);
        worksheet_write_number(ws, r, 8, num(a, "spend_first_fy"), gbp);
        worksheet_write_number(ws, r, 9, num(a, "spend_last_fy"), gbp);
        worksheet_write_number(ws, r, 10, num(a, "cumulative_last_fy"), gbp);
        worksheet_write_number(ws, r, 11, num(a, "data_breaks"), NULL);
    }
    worksheet_set_column(ws, 0, 0, 34, NULL);
    worksheet_set_column(ws, 1, 2, 14, NULL);
    worksheet_set_column(ws, 3, 11, 15, NULL);
    worksheet_freeze_panes(ws, 3, 1);
    worksheet_autofilter(ws, 2, 0, r > 3 ? r - 1 : 3, 11);

    const cJSON *e = cJSON_GetObjectItemCaseSensitive(doc, "england");
    lxw_worksheet *en = workbook_add_worksheet(b, "England");
    worksheet_write_string(en, 0, 0, "England: the sum of the authorities", bold);
    static const struct {
        const char *label, *key;
        int money;
    } rows[] = {{"Authorities", "authorities", 0},
                {"EHCPs at the starting census (sum of authorities)", "ehcps_now", 0},
                {"EHCPs at the starting census (published national total)", "ehcps_now_published", 0},
                {"EHCPs at the horizon (sum of central forecasts)", "ehcps_horizon", 0},
                {"Sum of the authorities' 10th percentiles", "ehcps_horizon_p10_sum", 0},
                {"Sum of the authorities' 90th percentiles", "ehcps_horizon_p90_sum", 0},
                {"High Needs spend, first year, national default unit costs (£)", "spend_first_fy", 1}};
    for (lxw_row_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        worksheet_write_string(en, k + 2, 0, rows[k].label, NULL);
        worksheet_write_number(en, k + 2, 1, num(e, rows[k].key), rows[k].money ? gbp : cnt);
    }
    worksheet_write_string(en, 10, 0, str(doc, "source"), NULL);
    worksheet_set_column(en, 0, 0, 62, NULL);
    worksheet_set_column(en, 1, 1, 18, NULL);
}

/* Seconds since 1970 at midnight UTC of "YYYY-MM-DD" (0 if malformed). */
static time_t run_epoch(const char *ymd)
{
    int y = 1970, m = 1, d = 1;
    if (sscanf(ymd, "%d-%d-%d", &y, &m, &d) != 3) return 0;
    long yy = y - (m <= 2), era = (yy >= 0 ? yy : yy - 399) / 400, yoe = yy - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (time_t)(era * 146097 + doe - 719468) * 86400;
}

int hnb_export_national(hnb_model *h, const char *national_json, const char *xlsx)
{
    char *text = NULL;
    size_t len = 0;
    int rc = file_read_text(h, national_json, &text, &len);
    if (rc) return rc;
    cJSON *doc = cJSON_ParseWithLength(text, len);
    free(text);
    if (!doc || strcmp(str(doc, "format"), "hnbsim-national") != 0) {
        cJSON_Delete(doc);
        return err_set(h, HNB_E_RESULTS, "%s: format: not a national run (expected \"hnbsim-national\")",
                       national_json);
    }
    fileout fo;
    rc = fileout_reserve(h, &fo, xlsx);
    report_locale loc;
    if (!rc && report_locale_push(&loc) != 0) {
        fileout_abort(&fo);
        rc = err_set(h, HNB_E_NOMEM, "%s: out of memory (switching to the C locale)", xlsx);
    } else if (!rc) {
        lxw_workbook *b = workbook_new(fo.tmp);
        if (!b) {
            rc = err_set(h, HNB_E_NOMEM, "%s: out of memory starting the workbook", xlsx);
        } else {
            /* the run's date (national.json's run_date, which follows
             * SOURCE_DATE_EPOCH), not the clock: the same run, the same bytes */
            lxw_doc_properties props = {0};
            props.title = (char *)"hnbsim national run";
            props.author = (char *)"hnbsim";
            props.created = run_epoch(str(doc, "run_date"));
            workbook_set_properties(b, &props);
            sheets(b, doc);
            lxw_error e = workbook_close(b);
            if (e != LXW_NO_ERROR)
                rc = err_set(h, HNB_E_WORKBOOK, "%s: cannot write the workbook: %s (expected a writable folder)", xlsx,
                             lxw_strerror(e));
        }
        report_locale_pop(&loc);
        if (rc)
            fileout_abort(&fo);
        else
            rc = fileout_commit(h, &fo);
    }
    cJSON_Delete(doc);
    return rc;
}
