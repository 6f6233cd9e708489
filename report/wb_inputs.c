/* wb_inputs.c: the sheets of what went in: Assumptions (every assumption
 * with its unit and source) and Actuals (the published figures the scenarios
 * carry). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheet.h"

/* ---- Assumptions ------------------------------------------------------------------- */

void wb_assumptions(wb_ctx *w)
{
    wb_sheet s;
    if (sheet_begin(w, &s, "Assumptions", "Every assumption of every scenario",
                    "Value as in the scenario file; a list of values runs across (printed: the first "
                    "12; assumptions.csv has them all). Distribution is blank when the assumption is fixed.",
                    5))
        return;
    static const char *const heads[] = {"Scenario", "Assumption", "Unit", "Source", "Distribution", "Value"};
    for (lxw_col_t c = 0; c < 6; c++) sheet_str(&s, s.row, c, heads[c], c == 5 ? w->f.head_r : w->f.head);
    lxw_row_t head = s.row++;
    const cJSON *sc, *a;
    int widest = 1, any = 0;
    cJSON_ArrayForEach(sc, w->scen)
    {
        cJSON_ArrayForEach(a, report_get(sc, "assumptions"))
        {
            any = 1;
            sheet_str(&s, s.row, 0, report_str(sc, "name"), w->f.wrap);
            sheet_str(&s, s.row, 1, report_str(a, "path"), w->f.wrap);
            sheet_str(&s, s.row, 2, report_str(a, "unit"), w->f.wrap);
            sheet_str(&s, s.row, 3, report_str(a, "source"), w->f.wrap);
            sheet_str(&s, s.row, 4, report_str(a, "distribution"), w->f.wrap);
            const cJSON *v = report_get(a, "value"), *e;
            if (cJSON_IsArray(v)) {
                lxw_col_t c = 5;
                cJSON_ArrayForEach(e, v) sheet_num(&s, s.row, c++, e->valuedouble, NULL);
                if ((int)(c - 5) > widest) widest = (int)(c - 5);
            } else {
                sheet_num(&s, s.row, 5, v ? v->valuedouble : NAN, NULL);
            }
            s.row++;
        }
    }
    if (!any) sheet_note(&s, s.row, 0, "The results list no assumptions.", w->f.note);
    sheet_head_blank(&s, head, 6, (lxw_col_t)(5 + widest));
    /* Lists run to 64 values (a placement-move matrix): printing them all one
     * page wide would make the text unreadable, so the print area stops at 12. */
    if (widest > 12) sheet_fail(&s, 0, 0, worksheet_print_area(s.ws, 0, 0, s.row > 0 ? s.row - 1 : 0, 5 + 12 - 1));
    sheet_cap(&s, 0, 22.0);
    sheet_cap(&s, 1, 56.0);
    sheet_cap(&s, 2, 36.0);
    sheet_cap(&s, 3, 60.0);
    sheet_cap(&s, 4, 26.0);
    sheet_end(&s, 1, 2, 10.0);
}

/* ---- Actuals ------------------------------------------------------------------------ */

void wb_actuals(wb_ctx *w)
{
    wb_sheet s;
    if (sheet_begin(w, &s, "Actuals", "Published figures the scenarios carry",
                    "Outturn and published forecasts (£m) and EHCPs at past censuses, with their sources.", 2))
        return;
    /* Text after a right-aligned number column is indented, so that the two never touch. */
    static const char *const heads[] = {"Scenario",        "Year",  "Status", "EHCPs at census", "In-year (£m)",
                                        "Cumulative (£m)", "Source"};
    for (lxw_col_t c = 0; c < 7; c++)
        sheet_str(&s, s.row, c, heads[c], (c >= 3 && c <= 5) ? w->f.head_r : c == 6 ? w->f.head_ind : w->f.head);
    s.row++;
    const cJSON *sc, *e;
    int any = 0;
    cJSON_ArrayForEach(sc, w->scen)
    {
        const cJSON *act = report_get(sc, "actuals");
        cJSON_ArrayForEach(e, report_get(act, "census"))
        {
            char t[32];
            snprintf(t, sizeof t, "Jan %.0f", report_num(e, "census"));
            sheet_str(&s, s.row, 0, report_str(sc, "name"), NULL);
            sheet_str(&s, s.row, 1, t, NULL);
            sheet_str(&s, s.row, 2, "census", NULL);
            sheet_num(&s, s.row, 3, report_num(e, "ehcps"), w->f.count);
            sheet_str(&s, s.row, 6, report_str(e, "source"), w->f.wrap_ind);
            s.row++;
            any = 1;
        }
        cJSON_ArrayForEach(e, report_get(act, "finance"))
        {
            sheet_str(&s, s.row, 0, report_str(sc, "name"), NULL);
            sheet_str(&s, s.row, 1, report_str(e, "fy"), NULL);
            sheet_str(&s, s.row, 2, report_str(e, "status"), NULL);
            sheet_num(&s, s.row, 4, report_num(e, "in_year"), w->f.money);
            sheet_num(&s, s.row, 5, report_num(e, "cumulative"), w->f.money);
            sheet_str(&s, s.row, 6, report_str(e, "source"), w->f.wrap_ind);
            s.row++;
            any = 1;
        }
    }
    if (!any) sheet_note(&s, s.row, 0, "The results carry no published figures.", w->f.note);
    sheet_cap(&s, 0, 22.0);
    sheet_cap(&s, 6, 50.0);
    s.c0 = 3;
    sheet_end(&s, 1, 2, 12.0);
}
