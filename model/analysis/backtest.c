/* backtest.c: model against actual for every published figure.
 *
 * `hnbsim backtest` loads the scenarios through their "backtest" blocks (an
 * earlier starting census, the balance then), runs them forward with the
 * scenario's own assumptions, and sets each census total and each published
 * in-year and cumulative position beside the model's, with the error. The
 * same comparisons are the residuals that `hnbsim calibrate` minimises. */
#include "analysis/backtest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/error.h"
#include "core/model.h"
#include "engine/headline.h"

size_t backtest_compare(const scenario *s, const projection *p, comparison *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nact_census && n < max; i++) {
        int k = s->act_census[i].census - s->census0 - 1; /* census c is in year index c - c0 - 1 */
        if (k < 0 || k >= p->ny) continue;
        comparison *c = &out[n++];
        memset(c, 0, sizeof *c);
        strcpy(c->figure, "ehcps");
        snprintf(c->when, sizeof c->when, "%d", s->act_census[i].census % 10000);
        c->census = s->act_census[i].census;
        c->fy = -1;
        double m = 0.0;
        for (int q = 0; q < p->nplace; q++) m += p->ehcps[(size_t)k * (size_t)p->nplace + (size_t)q];
        c->model = m;
        c->actual = s->act_census[i].ehcps;
        c->sd = 0.01 * c->actual;
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < s->nact_fin && n < max; i++) {
            const actual_fin *a = &s->act_fin[i];
            int k = a->fy - s->first_fy;
            if (k < 0 || k >= p->ny || !(pass ? a->has_cumulative : a->has_in_year)) continue;
            comparison *c = &out[n++];
            memset(c, 0, sizeof *c);
            strcpy(c->figure, pass ? "cumulative" : "in_year");
            fy_format(a->fy, c->when);
            c->census = -1;
            c->fy = a->fy;
            c->model = pass ? p->cumulative[k] : p->in_year[k];
            c->actual = pass ? a->cumulative : a->in_year;
            c->sd = pass ? 1.0e6 : 0.5e6;
        }
    return n;
}

cJSON *backtest_json(const scenario *s, const comparison *c, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "scenario", s->name);
    cJSON_AddNumberToObject(o, "start_census", s->census0);
    cJSON *rows = cJSON_AddArrayToObject(o, "rows");
    for (size_t i = 0; i < n; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "figure", c[i].figure);
        cJSON_AddStringToObject(r, "when", c[i].when);
        cJSON_AddNumberToObject(r, "model", c[i].model);
        cJSON_AddNumberToObject(r, "actual", c[i].actual);
        cJSON_AddNumberToObject(r, "error", c[i].model - c[i].actual);
        if (c[i].actual != 0.0)
            cJSON_AddNumberToObject(r, "error_pct", 100.0 * (c[i].model - c[i].actual) / fabs(c[i].actual));
        else
            cJSON_AddNullToObject(r, "error_pct");
        cJSON_AddItemToArray(rows, r);
    }
    return o;
}

void backtest_print(const scenario *s, const comparison *c, size_t n, void *file)
{
    FILE *f = file;
    fprintf(f, "\n%s (%s): from the January %d census\n", s->label, s->name, s->census0);
    fprintf(f, "%-11s %-8s %14s %14s %14s %8s\n", "figure", "when", "model", "actual", "error", "error");
    for (size_t i = 0; i < n; i++) {
        int money = c[i].census < 0;
        char m[32], a[32], e[32];
        if (money) {
            double d = c[i].model - c[i].actual;
            snprintf(m, sizeof m, "%s£%.1fm", c[i].model < 0 ? "-" : "", fabs(c[i].model) / 1e6);
            snprintf(a, sizeof a, "%s£%.1fm", c[i].actual < 0 ? "-" : "", fabs(c[i].actual) / 1e6);
            snprintf(e, sizeof e, "%s£%.1fm", d < 0 ? "-" : "+", fabs(d) / 1e6);
        } else {
            snprintf(m, sizeof m, "%.0f", c[i].model);
            snprintf(a, sizeof a, "%.0f", c[i].actual);
            snprintf(e, sizeof e, "%+.0f", c[i].model - c[i].actual);
        }
        fprintf(f, "%-11s %-8s %15s %15s %15s %7.1f%%\n", c[i].figure, c[i].when, m, a, e,
                c[i].actual ? 100.0 * (c[i].model - c[i].actual) / fabs(c[i].actual) : 0.0);
    }
}
