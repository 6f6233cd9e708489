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

/* The assumption's path without "scenarios.<name>." (the block names the
 * scenario; an inherited assumption names the scenario that set it). */
static const char *inputs_path(const cJSON *sc, const cJSON *a)
{
    (void)sc;
    const char *p = report_str(a, "path"), *dot;
    if (!strncmp(p, "scenarios.", 10) && (dot = strchr(p + 10, '.')) != NULL) return dot + 1;
    return p;
}

/* The scenario this one extends, when it is in the results; else NULL. */
static const cJSON *inputs_parent(const cJSON *scens, const cJSON *sc)
{
    const char *ext = report_str(sc, "extends");
    const cJSON *p;
    if (!*ext) return NULL;
    cJSON_ArrayForEach(p, scens)
    {
        if (p != sc && !strcmp(report_str(p, "name"), ext)) return p;
    }
    return NULL;
}

/* Does the parent hold the same assumption (path under the scenario, value,
 * unit, source and distribution)? */
static int inputs_inherited(const cJSON *parent, const cJSON *sc, const cJSON *a)
{
    const cJSON *b;
    static const char *const keys[] = {"unit", "source", "distribution"};
    cJSON_ArrayForEach(b, report_get(parent, "assumptions"))
    {
        if (strcmp(inputs_path(parent, b), inputs_path(sc, a))) continue;
        int eq = cJSON_Compare(report_get(a, "value"), report_get(b, "value"), 1);
        for (int k = 0; k < 3; k++) eq = eq && !strcmp(report_str(a, keys[k]), report_str(b, keys[k]));
        return eq;
    }
    return 0;
}

/* One assumption per row, in scenario blocks: path, value, unit, source,
 * distribution. A scenario that extends another in the results lists only
 * the assumptions that differ from its parent's, and says how many it
 * shares. A list of values (by age, a move matrix) says how many it
 * has and is printed on Assumptions by age, so no row runs off the page. */
void wb_assumptions(wb_ctx *w)
{
    wb_sheet s;
    if (sheet_begin(w, &s, "Assumptions", "Every assumption of every scenario",
                    "One assumption per row, as in the scenario file (its path under the scenario); a scenario "
                    "that extends another shows what it changes. Lists of values (by age, between placements) are "
                    "on Assumptions by age. Distribution is blank when the assumption is fixed.",
                    1))
        return;
    s.paginate = 1;
    static const char *const heads[] = {"Assumption", "Value", "Unit", "Source", "Distribution"};
    for (lxw_col_t c = 0; c < 5; c++)
        sheet_str(&s, s.row, c, heads[c], c == 1 ? w->f.head_r : c == 2 ? w->f.head_ind : w->f.head);
    s.row += 2;
    const cJSON *sc, *a;
    int any = 0;
    cJSON_ArrayForEach(sc, w->scen)
    {
        if (!cJSON_GetArraySize(report_get(sc, "assumptions"))) continue;
        const cJSON *parent = inputs_parent(w->scen, sc);
        sheet_scenario_title(&s, sc, NULL);
        int same = 0;
        cJSON_ArrayForEach(a, report_get(sc, "assumptions"))
        {
            if (parent && inputs_inherited(parent, sc, a)) {
                same++;
                continue;
            }
            any = 1;
            sheet_str(&s, s.row, 0, inputs_path(sc, a), w->f.wrap);
            const cJSON *v = report_get(a, "value");
            if (cJSON_IsArray(v)) {
                char t[48];
                snprintf(t, sizeof t, "%d values", cJSON_GetArraySize(v));
                sheet_str(&s, s.row, 1, t, w->f.wrap_r);
            } else {
                sheet_num(&s, s.row, 1, cJSON_IsNumber(v) ? v->valuedouble : NAN, NULL);
            }
            sheet_str(&s, s.row, 2, report_str(a, "unit"), w->f.wrap_ind);
            sheet_str(&s, s.row, 3, report_str(a, "source"), w->f.wrap);
            sheet_str(&s, s.row, 4, report_str(a, "distribution"), w->f.wrap);
            s.row++;
        }
        if (same) {
            char t[200];
            snprintf(t, sizeof t, "%d more assumption%s as in %.100s (not repeated here).", same, same == 1 ? "" : "s",
                     report_str(parent, "name"));
            sheet_note(&s, s.row++, 0, t, w->f.note);
        }
        s.row++;
    }
    if (!any) sheet_note(&s, s.row, 0, "The results list no assumptions.", w->f.note);
    sheet_cap(&s, 0, 40.0);
    sheet_cap(&s, 1, 11.0);
    sheet_cap(&s, 2, 26.0);
    sheet_cap(&s, 3, 64.0);
    sheet_cap(&s, 4, 18.0);
    s.c0 = 1;
    sheet_end(&s, 1, 1, 10.0);
}

#define BY_AGE_WIDE 10 /* values to a row: the sheet prints one page wide, legibly */

/* The list-valued assumptions, ten values to a row: "values 0 to 9" (for an
 * age list, the ages), "values 10 to 19", ... */
void wb_by_age(wb_ctx *w)
{
    wb_sheet s;
    if (sheet_begin(w, &s, "Assumptions by age", "Assumptions that are lists of values",
                    "Ten values to a row: for a list by age, value 0 is age 0; a list between placements runs row "
                    "by row of its matrix. A scenario that extends another shows the lists it changes.",
                    2))
        return;
    s.paginate = 1;
    sheet_str(&s, s.row, 0, "Assumption", w->f.head);
    sheet_str(&s, s.row, 1, "Values", w->f.head);
    for (int k = 0; k < BY_AGE_WIDE; k++) {
        char t[16];
        snprintf(t, sizeof t, "+%d", k);
        sheet_str(&s, s.row, (lxw_col_t)(2 + k), t, w->f.head_r);
    }
    s.row += 2;
    const cJSON *sc, *a, *e;
    int any = 0;
    cJSON_ArrayForEach(sc, w->scen)
    {
        int titled = 0;
        const cJSON *parent = inputs_parent(w->scen, sc);
        cJSON_ArrayForEach(a, report_get(sc, "assumptions"))
        {
            const cJSON *v = report_get(a, "value");
            if (!cJSON_IsArray(v) || (parent && inputs_inherited(parent, sc, a))) continue;
            if (!titled++) sheet_scenario_title(&s, sc, NULL);
            any = 1;
            int n = cJSON_GetArraySize(v), i = 0;
            sheet_str(&s, s.row, 0, inputs_path(sc, a), w->f.wrap);
            cJSON_ArrayForEach(e, v)
            {
                if (i % BY_AGE_WIDE == 0) {
                    char t[32];
                    int hi = i + BY_AGE_WIDE - 1 < n - 1 ? i + BY_AGE_WIDE - 1 : n - 1;
                    if (i) s.row++;
                    snprintf(t, sizeof t, "%d to %d", i, hi);
                    sheet_str(&s, s.row, 1, t, NULL);
                }
                sheet_num(&s, s.row, (lxw_col_t)(2 + i % BY_AGE_WIDE), cJSON_IsNumber(e) ? e->valuedouble : NAN, NULL);
                i++;
            }
            s.row++;
        }
        if (titled) s.row++;
    }
    if (!any) sheet_note(&s, s.row, 0, "No assumption in these results is a list.", w->f.note);
    sheet_cap(&s, 0, 40.0);
    sheet_end(&s, 1, 2, 9.0);
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
