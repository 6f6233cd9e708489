/* compare.c: scenarios side by side in the terminal.
 *
 * Works from the results tree alone, so `hnbsim compare RESULTS.json` and a
 * fresh run print the same table. Money in £m to one decimal place, EHCPs
 * whole, as a Schools Forum paper would show them; the unrounded figures are
 * in results.json and the workbook. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/model.h"

static const cJSON *get(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }

static double num_at(const cJSON *year, const char *a, const char *b)
{
    const cJSON *x = get(year, a);
    if (b) x = get(x, b);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static void money(FILE *f, double x, int width)
{
    if (isnan(x))
        fprintf(f, "%*s", width, "-");
    else
        fprintf(f, "%*.1f", width, x / 1e6);
}

int hnb_compare_print(hnb_model *h, void *file)
{
    FILE *f = file;
    if (!h->results) return err_set(h, HNB_E_NOTRUN, "nothing to compare (expected a run or a results file)");
    const cJSON *scen = get(h->results, "scenarios");
    int n = cJSON_GetArraySize(scen);
    if (n < 1) return err_set(h, HNB_E_RESULTS, "results: scenarios: empty (expected at least one scenario)");
    const int W = 22;
    const cJSON *s0 = cJSON_GetArrayItem(scen, 0);
    fprintf(f, "%s\n", cJSON_IsString(get(h->results, "title")) ? get(h->results, "title")->valuestring : "");
    static const struct {
        const char *title, *a, *b;
        int is_money;
    } figs[] = {{"EHCPs at the January census", "ehcps", "total", 0},
                {"Spend, £m", "spend", "total", 1},
                {"Funding, £m", "funding", "total", 1},
                {"In-year position, £m (negative = deficit)", "in_year", NULL, 1},
                {"Cumulative DSG position at 31 March, £m", "cumulative", NULL, 1}};
    for (size_t g = 0; g < sizeof figs / sizeof *figs; g++) {
        fprintf(f, "\n%s\n%-9s", figs[g].title, "year");
        for (const cJSON *s = scen->child; s; s = s->next) fprintf(f, "%*.*s", W, W - 2, get(s, "name")->valuestring);
        fprintf(f, "\n");
        const cJSON *years = get(s0, "years");
        for (const cJSON *y = years->child; y; y = y->next) {
            const char *fy = get(y, "fy")->valuestring;
            fprintf(f, "%-9s", fy);
            for (const cJSON *s = scen->child; s; s = s->next) {
                const cJSON *match = NULL;
                for (const cJSON *z = get(s, "years") ? get(s, "years")->child : NULL; z; z = z->next)
                    if (strcmp(get(z, "fy")->valuestring, fy) == 0) match = z;
                double x = match ? num_at(match, figs[g].a, figs[g].b) : NAN;
                if (figs[g].is_money)
                    money(f, x, W);
                else if (isnan(x))
                    fprintf(f, "%*s", W, "-");
                else
                    fprintf(f, "%*.0f", W, x);
            }
            fprintf(f, "\n");
        }
    }
    fprintf(f, "\nHeadline figures\n");
    fprintf(f, "%-34s", "");
    for (const cJSON *s = scen->child; s; s = s->next) fprintf(f, "%*.*s", W, W - 2, get(s, "name")->valuestring);
    fprintf(f, "\n%-34s", "Override end, after write-off, £m");
    for (const cJSON *s = scen->child; s; s = s->next)
        money(f, num_at(get(s, "headline"), "cumulative_at_override_end", NULL), W);
    fprintf(f, "\n%-34s", "Override end, before write-off, £m");
    for (const cJSON *s = scen->child; s; s = s->next)
        money(f, num_at(get(s, "headline"), "cumulative_at_override_end_gross", NULL), W);
    fprintf(f, "\n%-34s", "After the override");
    for (const cJSON *s = scen->child; s; s = s->next) {
        const cJSON *x = get(get(s, "funding_regime"), "after_override");
        const char *t = !cJSON_IsString(x)                                     ? "-"
                        : strcmp(x->valuestring, "central_funds_in_full") == 0 ? "central funds"
                        : strcmp(x->valuestring, "funding_follows_spend") == 0 ? "funding follows"
                                                                               : "council accrues";
        fprintf(f, "%*s", W, t);
    }
    fprintf(f, "\n%-34s", "Peak deficit, £m");
    for (const cJSON *s = scen->child; s; s = s->next) money(f, num_at(get(s, "headline"), "peak_deficit", NULL), W);
    fprintf(f, "\n%-34s", "Peak deficit in");
    for (const cJSON *s = scen->child; s; s = s->next) {
        const cJSON *x = get(get(s, "headline"), "peak_deficit_fy");
        fprintf(f, "%*s", W, cJSON_IsString(x) ? x->valuestring : "never");
    }
    fprintf(f, "\n%-34s", "First in-year balance");
    for (const cJSON *s = scen->child; s; s = s->next) {
        const cJSON *x = get(get(s, "headline"), "first_balanced_fy");
        fprintf(f, "%*s", W, cJSON_IsString(x) ? x->valuestring : "none");
    }
    fprintf(f, "\n%-34s", "Interest to end of override, £m");
    for (const cJSON *s = scen->child; s; s = s->next)
        money(f, num_at(get(s, "headline"), "interest_to_override_end", NULL), W);
    fprintf(f, "\n%-34s", "Cumulative at horizon, £m");
    for (const cJSON *s = scen->child; s; s = s->next)
        money(f, num_at(get(s, "headline"), "cumulative_at_horizon", NULL), W);
    fprintf(f, "\n");
    return HNB_OK;
}
