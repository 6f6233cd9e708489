/* wb_ehcps.c: the EHCPs sheet (by placement, by age band, joiners, leavers
 * and fallbacks at each January census) and the Unit costs sheet. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheet.h"

/* ---- EHCPs and unit costs ----------------------------------------------------- */

void wb_ehcps(wb_ctx *w)
{
    wb_sheet s;
    if (sheet_begin(w, &s, "EHCPs", "EHCPs at each January census",
                    "Expected numbers of EHCPs (the model's projection, so not whole numbers; shown rounded). "
                    "Joiners and leavers are for the year to the census.",
                    1))
        return;
    s.paginate = 1;
    sheet_str(&s, s.row, 0, "Financial year", w->f.head);
    sheet_year_heads(&s, s.row);
    s.row++;
    sheet_str(&s, s.row, 0, "January census", w->f.head);
    for (size_t i = 0; i < w->ys.n; i++) {
        char t[32];
        if (isnan(w->ys.census[i]))
            t[0] = '\0';
        else
            snprintf(t, sizeof t, "Jan %.0f", w->ys.census[i]);
        sheet_str(&s, s.row, s.c0 + (lxw_col_t)i, t, w->f.head_r);
    }
    s.row += 2;
    const cJSON *sc, *item;
    cJSON_ArrayForEach(sc, w->scen)
    {
        const cJSON *years = report_get(sc, "years");
        sheet_scenario_title(&s, sc, NULL);
        sheet_str(&s, s.row++, 0, "By placement", w->f.section);
        lxw_row_t first = s.row;
        const cJSON *places = report_get(sc, "placements");
        int n = sheet_items(&s, places, years, "ehcps", "by_placement", w->f.count);
        sheet_sum_row(&s, "Total EHCPs", first, n, years, "ehcps", "total", NULL, NULL, NULL, w->f.count_total);
        sheet_str(&s, s.row++, 0, "By age band", w->f.section);
        const cJSON *bands = report_get(report_get(cJSON_GetArrayItem(years, 0), "ehcps"), "by_age_band");
        first = s.row;
        n = 0;
        cJSON_ArrayForEach(item, bands)
        {
            char t[64];
            snprintf(t, sizeof t, "Aged %.50s", item->string);
            sheet_years_row(&s, t, NULL, years, "ehcps", "by_age_band", item->string, w->f.count);
            s.row++;
            n++;
        }
        sheet_sum_row(&s, "Total EHCPs", first, n, years, NULL, NULL, bands, "ehcps", "by_age_band", w->f.count_total);
        sheet_str(&s, s.row++, 0, "In the year to the census", w->f.section);
        static const struct {
            const char *key, *label;
        } flows[] = {{"joiners", "Joiners (new EHCPs)"},
                     {"leavers", "Leavers (EHCPs ceased)"},
                     {"overflow", "Placed by a fallback (first choice full)"}};
        for (size_t k = 0; k < 3; k++) {
            sheet_years_row(&s, flows[k].label, NULL, years, flows[k].key, NULL, NULL, w->f.count);
            s.row++;
        }
        s.row++;
    }
    sheet_cap(&s, 0, 48.0);
    sheet_end(&s, 2, 1, 10.0);
}

void wb_unit_costs(wb_ctx *w)
{
    wb_sheet s;
    if (sheet_begin(w, &s, "Unit costs", "Cost per EHCP by placement",
                    "£ per EHCP per year, as the model costs each financial year.", 1))
        return;
    sheet_str(&s, s.row, 0, "£ per EHCP per year", w->f.head);
    sheet_year_heads(&s, s.row);
    s.row += 2;
    const cJSON *sc;
    cJSON_ArrayForEach(sc, w->scen)
    {
        sheet_scenario_title(&s, sc, NULL);
        sheet_items(&s, report_get(sc, "placements"), report_get(sc, "years"), "unit_costs", NULL, w->f.gbp);
        s.row++;
    }
    sheet_cap(&s, 0, 48.0);
    sheet_end(&s, 1, 1, 10.0);
}
