/* charts.c: the charts for Schools Forum papers, drawn from results.json.
 *
 * Each chart is one function over the results (docs/results-format.md):
 *   cumulative.*        cumulative DSG position by scenario, with the
 *                       published outturns/forecasts and the end of the
 *                       statutory override;
 *   in-year.*           in-year position by scenario (clustered bars);
 *   fan-<s>.*           Monte Carlo fan of the cumulative position (only for
 *                       scenarios with `montecarlo`);
 *   ehcps-<s>.*         EHCPs by placement at each January census (stacked);
 *   spend-<s>.*         spend by line (stacked) against total funding;
 *   savings-<s>.*       waterfall from the parent's position to the plan's at
 *                       the end of the override, one row per action (only
 *                       for scenarios with `savings`);
 *   tornado.*           a sensitivity sweep (only with a top-level `sweep`).
 * docs/charts.md describes them for readers.
 *
 * Design. The results are checked once up front (charts_check): every
 * problem is listed, then one HNB_E_RESULTS is returned, so the chart
 * functions can read the tree without re-checking each value. A chart writes
 * its data as gnuplot datablocks (money converted to £m, positions keyed by
 * financial year, x = the year the financial year starts in) and its body
 * through the shared style of chartstyle.c; chartpipe.c sends it to gnuplot
 * and keeps the files only if gnuplot succeeds.
 *
 * Trade-offs. A balance (cumulative position) is plotted at x = fy, meaning
 * 31 March at the end of that year, and the line starts from the brought-
 * forward balance at the end of the year before the projection, so it joins
 * the last published outturn. Flows (in-year, spend) are bars centred on the
 * year. Per-scenario charts are separate files rather than panels, so that a
 * paper can use the one it needs at full size. Keys go under the plot or
 * beside it, never over data (charts_frame). Real results are bigger than a
 * test fixture: a stack shows at most CHARTS_MAXSTACK layers (the smallest
 * items grouped, and named in the footnote), and the savings waterfall and
 * the tornado run horizontally, a row per bar with its name on the left, so
 * that any number of long names stays legible. Charts stop at the first
 * gnuplot failure: files already drawn are complete and stay. Numbers are
 * printed in the C numeric locale (this thread only), whatever the caller set:
 * "12,5" would be a gnuplot syntax error. */
#define _POSIX_C_SOURCE 200809L
#include "charts.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chartpipe.h"
#include "chartstyle.h"
#include "core/dates.h"
#include "core/error.h"
#include "core/fileout.h"

#define CHARTS_MAXACT 64 /* published figures kept per chart */

typedef struct charts_ctx {
    hnb_model *h;
    const cJSON *res;
    const cJSON *scen; /* the scenarios array */
    const char *outdir;
    unsigned formats;
    charts_meta meta;
} charts_ctx;

/* ---- reading the results --------------------------------------------- */

static const cJSON *charts_get(const cJSON *o, const char *key) { return cJSON_GetObjectItemCaseSensitive(o, key); }

static double charts_num(const cJSON *o, const char *key)
{
    const cJSON *v = charts_get(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* A year-like integer, or INT_MIN if absent or out of any sensible range. */
static int charts_year(const cJSON *o, const char *key)
{
    double v = charts_num(o, key);
    return (isfinite(v) && v >= 1900.0 && v <= 2200.0) ? (int)v : INT_MIN;
}

static const char *charts_str(const cJSON *o, const char *key, const char *dflt)
{
    const cJSON *v = charts_get(o, key);
    return (cJSON_IsString(v) && v->valuestring) ? v->valuestring : dflt;
}

static int charts_fy(const cJSON *o, const char *key)
{
    int fy;
    return fy_parse(charts_str(o, key, NULL), &fy) == 0 ? fy : INT_MIN;
}

static const char *charts_label(const cJSON *s)
{
    const char *l = charts_str(s, "label", "");
    return *l ? l : charts_str(s, "name", "?");
}

static const cJSON *charts_scenario_named(const charts_ctx *x, const char *name, int *index)
{
    int i = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, x->scen)
    {
        if (name && strcmp(charts_str(s, "name", ""), name) == 0) {
            if (index) *index = i;
            return s;
        }
        i++;
    }
    return NULL;
}

/* The balance brought forward into the first projected year (£). */
static double charts_brought_forward(const cJSON *s)
{
    const cJSON *y0 = cJSON_GetArrayItem(charts_get(s, "years"), 0);
    return charts_num(y0, "cumulative") - charts_num(y0, "in_year");
}

/* ---- checking the results -------------------------------------------- */

static void charts_bad(charts_ctx *x, const char *path, const char *key, const cJSON *v, const char *expected)
{
    err_add(x->h, HNB_E_RESULTS, "results: %s%s%s: %s (expected %s)", path, key ? "." : "", key ? key : "",
            v ? "wrong type or value" : "missing", expected);
}

static void charts_need_num(charts_ctx *x, const cJSON *o, const char *key, const char *path, const char *expected)
{
    const cJSON *v = charts_get(o, key);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) charts_bad(x, path, key, v, expected);
}

static void charts_need_str(charts_ctx *x, const cJSON *o, const char *key, const char *path, const char *expected)
{
    const cJSON *v = charts_get(o, key);
    if (!cJSON_IsString(v) || !v->valuestring || !*v->valuestring) charts_bad(x, path, key, v, expected);
}

static void charts_need_fy(charts_ctx *x, const cJSON *o, const char *key, const char *path)
{
    if (charts_fy(o, key) == INT_MIN)
        charts_bad(x, path, key, charts_get(o, key), "a financial year such as \"2026-27\"");
}

static const cJSON *charts_need_obj(charts_ctx *x, const cJSON *o, const char *key, const char *path)
{
    const cJSON *v = charts_get(o, key);
    if (!cJSON_IsObject(v)) {
        charts_bad(x, path, key, v, "an object");
        return NULL;
    }
    return v;
}

static const cJSON *charts_need_arr(charts_ctx *x, const cJSON *o, const char *key, const char *path, int nonempty)
{
    const cJSON *v = charts_get(o, key);
    if (!cJSON_IsArray(v) || (nonempty && cJSON_GetArraySize(v) == 0)) {
        charts_bad(x, path, key, v, nonempty ? "a non-empty array" : "an array");
        return NULL;
    }
    return v;
}

static void charts_check_pct(charts_ctx *x, const cJSON *o, const char *key, const char *path)
{
    static const char *const pk[] = {"p5", "p10", "p25", "p50", "p75", "p90", "p95"};
    const cJSON *p = charts_need_obj(x, o, key, path);
    if (!p) return;
    char sub[200];
    snprintf(sub, sizeof sub, "%s.%s", path, key);
    for (size_t k = 0; k < sizeof pk / sizeof pk[0]; k++) charts_need_num(x, p, pk[k], sub, "a percentile in \xc2\xa3");
}

static void charts_check_scenario(charts_ctx *x, const cJSON *s, int i)
{
    char path[32], sub[96];
    snprintf(path, sizeof path, "scenarios[%d]", i);
    if (!cJSON_IsObject(s)) {
        charts_bad(x, path, NULL, s, "a scenario object");
        return;
    }
    charts_need_str(x, s, "name", path, "the scenario's name");
    const cJSON *years = charts_need_arr(x, s, "years", path, 1);
    const cJSON *y;
    int j = 0;
    cJSON_ArrayForEach(y, years)
    {
        snprintf(sub, sizeof sub, "%s.years[%d]", path, j++);
        charts_need_fy(x, y, "fy", sub);
        if (charts_year(y, "census") == INT_MIN)
            charts_bad(x, sub, "census", charts_get(y, "census"), "the January census year, such as 2027");
        charts_need_num(x, y, "in_year", sub, "the in-year position in \xc2\xa3");
        charts_need_num(x, y, "cumulative", sub, "the cumulative position in \xc2\xa3");
        char part[160];
        const cJSON *e = charts_need_obj(x, y, "ehcps", sub);
        snprintf(part, sizeof part, "%s.ehcps", sub);
        if (e) charts_need_num(x, e, "total", part, "the number of EHCPs");
        if (e) charts_need_obj(x, e, "by_placement", part);
        e = charts_need_obj(x, y, "spend", sub);
        snprintf(part, sizeof part, "%s.spend", sub);
        if (e) charts_need_num(x, e, "total", part, "total spend in \xc2\xa3");
        if (e) charts_need_obj(x, e, "by_line", part);
        e = charts_need_obj(x, y, "funding", sub);
        snprintf(part, sizeof part, "%s.funding", sub);
        if (e) charts_need_num(x, e, "total", part, "total funding in \xc2\xa3");
    }
    const cJSON *a, *list;
    list = charts_need_arr(x, s, "placements", path, 0);
    j = 0;
    cJSON_ArrayForEach(a, list)
    {
        snprintf(sub, sizeof sub, "%s.placements[%d]", path, j++);
        charts_need_str(x, a, "id", sub, "a placement id");
    }
    list = charts_need_arr(x, s, "spend_lines", path, 0);
    j = 0;
    cJSON_ArrayForEach(a, list)
    {
        snprintf(sub, sizeof sub, "%s.spend_lines[%d]", path, j++);
        charts_need_str(x, a, "id", sub, "a spend line id");
    }
    const cJSON *h = charts_need_obj(x, s, "headline", path);
    snprintf(sub, sizeof sub, "%s.headline", path);
    if (h) charts_need_num(x, h, "cumulative_at_override_end", sub, "the cumulative position in \xc2\xa3");

    const cJSON *act = charts_get(s, "actuals");
    snprintf(sub, sizeof sub, "%s.actuals", path);
    const cJSON *fin = act ? charts_get(act, "finance") : NULL;
    if (fin) {
        fin = charts_need_arr(x, act, "finance", sub, 0);
        j = 0;
        cJSON_ArrayForEach(a, fin)
        {
            char p2[160];
            snprintf(p2, sizeof p2, "%s.finance[%d]", sub, j++);
            charts_need_fy(x, a, "fy", p2);
            charts_need_num(x, a, "in_year", p2, "the published in-year position in \xc2\xa3");
            charts_need_num(x, a, "cumulative", p2, "the published cumulative position in \xc2\xa3");
        }
    }
    const cJSON *cen = act ? charts_get(act, "census") : NULL;
    if (cen) {
        cen = charts_need_arr(x, act, "census", sub, 0);
        j = 0;
        cJSON_ArrayForEach(a, cen)
        {
            char p2[160];
            snprintf(p2, sizeof p2, "%s.census[%d]", sub, j++);
            if (charts_year(a, "census") == INT_MIN)
                charts_bad(x, p2, "census", charts_get(a, "census"), "a census year, such as 2025");
            charts_need_num(x, a, "ehcps", p2, "the published number of EHCPs");
        }
    }

    const cJSON *mc = charts_get(s, "montecarlo");
    if (mc) {
        snprintf(sub, sizeof sub, "%s.montecarlo", path);
        const cJSON *my = charts_need_arr(x, mc, "years", sub, 1);
        j = 0;
        cJSON_ArrayForEach(a, my)
        {
            char p2[160];
            snprintf(p2, sizeof p2, "%s.years[%d]", sub, j++);
            charts_need_fy(x, a, "fy", p2);
            charts_check_pct(x, a, "cumulative", p2);
        }
    }

    const cJSON *sv = charts_get(s, "savings");
    if (sv) {
        snprintf(sub, sizeof sub, "%s.savings", path);
        const cJSON *ag = charts_get(sv, "against");
        if (!cJSON_IsString(ag) || !charts_scenario_named(x, ag->valuestring, NULL))
            charts_bad(x, sub, "against", ag, "the name of a scenario in the results");
        const cJSON *acts = charts_need_arr(x, sv, "actions", sub, 0);
        j = 0;
        cJSON_ArrayForEach(a, acts)
        {
            char p2[160];
            snprintf(p2, sizeof p2, "%s.actions[%d]", sub, j++);
            charts_need_str(x, a, "name", p2, "the action's name");
            charts_need_num(x, a, "to_override_end", p2, "the saving to the end of the override in \xc2\xa3");
        }
    }
}

static void charts_check_sweep(charts_ctx *x, const cJSON *sw)
{
    const cJSON *sc = charts_get(sw, "scenario");
    if (!cJSON_IsString(sc) || !charts_scenario_named(x, sc->valuestring, NULL))
        charts_bad(x, "sweep", "scenario", sc, "the name of a scenario in the results");
    charts_need_str(x, sw, "figure", "sweep", "the name of the headline figure swept");
    charts_need_num(x, sw, "base", "sweep", "the figure at the central assumptions in \xc2\xa3");
    const cJSON *bars = charts_need_arr(x, sw, "bars", "sweep", 0), *b;
    int j = 0;
    cJSON_ArrayForEach(b, bars)
    {
        char p[64];
        snprintf(p, sizeof p, "sweep.bars[%d]", j++);
        charts_need_str(x, b, "assumption", p, "the assumption varied");
        charts_need_num(x, b, "low", p, "the figure at the low setting in \xc2\xa3");
        charts_need_num(x, b, "high", p, "the figure at the high setting in \xc2\xa3");
    }
}

/* Every problem in the parts the charts read, then one code. */
static int charts_check(charts_ctx *x)
{
    err_clear(x->h);
    x->scen = charts_get(x->res, "scenarios");
    if (!cJSON_IsArray(x->scen) || cJSON_GetArraySize(x->scen) == 0)
        return err_set(x->h, HNB_E_RESULTS, "results: scenarios: %s (expected a non-empty array of scenarios)",
                       x->scen ? "not a non-empty array" : "missing");
    int i = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, x->scen) charts_check_scenario(x, s, i++);
    const cJSON *sw = charts_get(x->res, "sweep");
    if (sw) charts_check_sweep(x, sw);
    return err_count(x->h) ? HNB_E_RESULTS : HNB_OK;
}

/* ---- shared pieces --------------------------------------------------- */

/* Published figures, once each across the scenarios (they carry the same
 * actuals); by financial year, or by census year for EHCPs. */
typedef struct charts_actual {
    int at;       /* fy, or census year */
    double value; /* £m, or EHCPs */
    int forecast; /* status "forecast" */
} charts_actual;

static int charts_actuals(const charts_ctx *x, const char *list, const char *field, charts_actual *out)
{
    int n = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, x->scen)
    {
        const cJSON *a;
        cJSON_ArrayForEach(a, charts_get(charts_get(s, "actuals"), list))
        {
            int at = strcmp(list, "census") == 0 ? charts_year(a, "census") : charts_fy(a, "fy");
            double v = charts_num(a, field);
            if (at == INT_MIN || !isfinite(v) || n >= CHARTS_MAXACT) continue;
            int seen = 0;
            for (int k = 0; k < n; k++) seen |= out[k].at == at;
            if (seen) continue;
            out[n].at = at;
            out[n].value = strcmp(list, "census") == 0 ? v : v / 1e6;
            out[n].forecast = strcmp(charts_str(a, "status", "outturn"), "forecast") == 0;
            n++;
        }
    }
    return n;
}

/* Datablocks $out and $fc of published figures at x = at; returns which
 * were written (1 = outturn, 2 = forecast). */
static int charts_actuals_data(charts_chart *c, const charts_actual *a, int n)
{
    int have = 0;
    for (int f = 0; f < 2; f++) {
        int any = 0;
        for (int k = 0; k < n; k++) any |= a[k].forecast == f;
        if (!any) continue;
        have |= 1 << f;
        charts_printf(&c->data, "$%s << EOD\n", f ? "fc" : "out");
        for (int k = 0; k < n; k++)
            if (a[k].forecast == f) charts_printf(&c->data, "%d %.6f\n", a[k].at, a[k].value);
        charts_puts(&c->data, "EOD\n");
    }
    return have;
}

static void charts_actuals_key(charts_chart *c, int have, const char *outturn)
{
    if (have & 1) charts_key_add(c, CHARTS_KEY_POINT, "ls 20", outturn ? outturn : "Published outturn");
    if (have & 2) charts_key_add(c, CHARTS_KEY_POINT, "ls 21", "Published forecast");
}

static void charts_actuals_plot(charts_chart *c, int have)
{
    if (have & 1) charts_puts(&c->body, ", $out using 1:2 with points ls 20 notitle");
    if (have & 2) charts_puts(&c->body, ", $fc using 1:2 with points ls 21 notitle");
}

/* One override line per distinct override_end among the scenarios given
 * (all when only < 0). */
static void charts_override_lines(const charts_ctx *x, charts_chart *c, int at_year_end, int only)
{
    const char *seen[8];
    int n = 0, i = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, x->scen)
    {
        if (only >= 0 && i != only) {
            i++;
            continue;
        }
        i++;
        const char *d = charts_str(s, "override_end", NULL);
        if (!d) continue;
        int dup = 0;
        for (int k = 0; k < n; k++) dup |= strcmp(seen[k], d) == 0;
        if (dup || n == 8) continue;
        seen[n] = d;
        charts_override_line(c, d, at_year_end, n++);
    }
}

/* Labels at the end of lines, nudged apart so they do not overlap; returns
 * the room they need right of the plot, in cm. */
static double charts_end_labels(charts_chart *c, int n, const double *xs, const double *ys, double sep)
{
    int order[64];
    double y[64], widest = 0.0;
    if (n > 64) n = 64;
    for (int i = 0; i < n; i++) {
        order[i] = i;
        y[i] = ys[i];
    }
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && y[order[k]] < y[order[k - 1]]; k--) {
            int t = order[k];
            order[k] = order[k - 1];
            order[k - 1] = t;
        }
    for (int k = 1; k < n; k++)
        if (y[order[k]] - y[order[k - 1]] < sep) y[order[k]] = y[order[k - 1]] + sep;
    for (int i = 0; i < n; i++) {
        char m[48];
        charts_money(m, sizeof m, ys[i] * 1e6, 1, 0);
        charts_printf(&c->body, "set label %d \"%s\" at %.4f, %.6f left offset 1.2,0 font FB.\",8\" tc ls %d\n",
                      8000 + i, m, xs[i], y[i], i % CHARTS_NSTYLES + 1);
        widest = fmax(widest, charts_text_cm(m, 8.0, 1));
    }
    return widest + 0.75;
}

/* "... (31 March 2028): Unmitigated −£43.9m; DSG management plan −£31.6m."
 * A scenario whose override ends on another date says so. */
static void charts_headline_note(const charts_ctx *x, charts_text *t)
{
    const cJSON *s0 = cJSON_GetArrayItem(x->scen, 0);
    const char *d0 = charts_str(s0, "override_end", "");
    char when[48];
    charts_long_date(when, sizeof when, d0);
    charts_printf(t, "Cumulative position at the end of the statutory override (%s):", when);
    int i = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, x->scen)
    {
        if (i == 6) {
            charts_puts(t, "; ...");
            break;
        }
        char m[48];
        charts_money(m, sizeof m, charts_num(charts_get(s, "headline"), "cumulative_at_override_end"), 1, 0);
        charts_printf(t, "%s %s %s", i ? ";" : "", charts_label(s), m);
        const char *d = charts_str(s, "override_end", "");
        if (strcmp(d, d0) != 0) {
            charts_long_date(when, sizeof when, d);
            charts_printf(t, " (at %s)", when);
        }
        i++;
    }
    charts_puts(t, ".");
}

static int charts_finish(charts_ctx *x, charts_chart *c)
{
    int rc = charts_run(x->h, c, x->outdir, x->formats);
    charts_chart_free(c);
    return rc;
}

/* The plot's size in cm (after charts_frame and the left axis). */
static double charts_plot_w(const charts_chart *c) { return (c->box_r - c->box_l) * CHARTS_PAGE_W; }
static double charts_plot_h(const charts_chart *c) { return (c->box_t - c->box_b) * CHARTS_PAGE_H; }

/* The pad (a fraction of the data's span, each side) that leaves room_cm
 * beyond the data on an axis len_cm long. */
static double charts_pad_for(double room_cm, double len_cm)
{
    double q = len_cm > 0.0 ? room_cm / len_cm : 0.2;
    if (q > 0.3) q = 0.3;
    return q / (1.0 - 2.0 * q);
}

/* ---- 1. cumulative position by scenario ------------------------------- */

static int charts_cumulative(charts_ctx *x)
{
    charts_chart c;
    charts_begin(&c, "cumulative", NULL, "the cumulative DSG position chart");
    int fy0 = INT_MAX, fy1 = INT_MIN, ns = 0;
    double lo = 0.0, hi = 0.0, endx[64], endy[64];
    const cJSON *s;
    cJSON_ArrayForEach(s, x->scen)
    {
        const cJSON *y, *years = charts_get(s, "years");
        int first = charts_fy(cJSON_GetArrayItem(years, 0), "fy");
        double bf = charts_brought_forward(s) / 1e6;
        charts_printf(&c.data, "$s%d << EOD\n%d %.6f\n", ns, first - 1, bf);
        lo = fmin(lo, bf);
        hi = fmax(hi, bf);
        fy0 = first - 1 < fy0 ? first - 1 : fy0;
        cJSON_ArrayForEach(y, years)
        {
            int fy = charts_fy(y, "fy");
            double v = charts_num(y, "cumulative") / 1e6;
            charts_printf(&c.data, "%d %.6f\n", fy, v);
            lo = fmin(lo, v);
            hi = fmax(hi, v);
            fy1 = fy > fy1 ? fy : fy1;
            if (ns < 64) {
                endx[ns] = fy;
                endy[ns] = v;
            }
        }
        charts_puts(&c.data, "EOD\n");
        char ls[16];
        snprintf(ls, sizeof ls, "ls %d", ns % CHARTS_NSTYLES + 1);
        charts_key_add(&c, CHARTS_KEY_LINEPOINT, ls, charts_label(s));
        ns++;
    }
    charts_actual act[CHARTS_MAXACT];
    int na = charts_actuals(x, "finance", "cumulative", act);
    for (int k = 0; k < na; k++) {
        lo = fmin(lo, act[k].value);
        hi = fmax(hi, act[k].value);
        fy0 = act[k].at < fy0 ? act[k].at : fy0;
        fy1 = act[k].at > fy1 ? act[k].at : fy1;
    }
    int have = charts_actuals_data(&c, act, na);
    charts_actuals_key(&c, have, NULL);

    /* the end labels go first: the room they need sets the right margin */
    double right = charts_end_labels(&c, ns < 64 ? ns : 64, endx, endy, (hi - lo) * 0.045);
    charts_text note = {0};
    charts_headline_note(x, &note);
    charts_frame_opts fo = {"Cumulative DSG position by scenario",
                            NULL,
                            note.oom ? "" : note.s,
                            CHARTS_KEY_AUTO,
                            right,
                            charts_fy_axis_cm(fy0, fy1)};
    charts_frame(&c, &x->meta, &fo);
    charts_scratch_free(&c, &note);
    charts_fy_axis(&c, fy0, fy1, "Financial year (position at 31 March, the end of the year)");
    charts_value_axis(&c, 'y', lo, hi, CHARTS_MONEY_M | CHARTS_ZERO, 0.05, "Cumulative position (negative = deficit)");
    charts_override_lines(x, &c, 1, -1);
    charts_puts(&c.body, "plot ");
    for (int i = 0; i < ns; i++)
        charts_printf(&c.body, "%s$s%d using 1:2 with linespoints ls %d notitle", i ? ", " : "", i,
                      i % CHARTS_NSTYLES + 1);
    charts_actuals_plot(&c, have);
    charts_puts(&c.body, "\n");
    return charts_finish(x, &c);
}

/* ---- 2. in-year position by scenario --------------------------------- */

static int charts_in_year(charts_ctx *x)
{
    charts_chart c;
    charts_begin(&c, "in-year", NULL, "the in-year position chart");
    int fy0 = INT_MAX, fy1 = INT_MIN, ns = cJSON_GetArraySize(x->scen), i = 0;
    double lo = 0.0, hi = 0.0, w = 0.8 / ns, widest = 0.0;
    const cJSON *s;
    int labels = ns <= 3;
    cJSON_ArrayForEach(s, x->scen)
    {
        const cJSON *y;
        charts_printf(&c.data, "$s%d << EOD\n", i);
        cJSON_ArrayForEach(y, charts_get(s, "years"))
        {
            int fy = charts_fy(y, "fy");
            double v = charts_num(y, "in_year") / 1e6, xc = fy - 0.4 + w * (i + 0.5);
            charts_printf(&c.data, "%.4f %.6f\n", xc, v);
            lo = fmin(lo, v);
            hi = fmax(hi, v);
            fy0 = fy < fy0 ? fy : fy0;
            fy1 = fy > fy1 ? fy : fy1;
            char m[48];
            charts_money(m, sizeof m, v * 1e6, 1, 0);
            widest = fmax(widest, charts_text_cm(m, 7.0, 0));
        }
        charts_puts(&c.data, "EOD\n");
        char fill[128];
        charts_scenario_fill(fill, sizeof fill, i);
        charts_key_add(&c, CHARTS_KEY_BOX, fill, charts_label(s));
        i++;
    }
    charts_actual act[CHARTS_MAXACT];
    int na = charts_actuals(x, "finance", "in_year", act);
    for (int k = 0; k < na; k++) {
        lo = fmin(lo, act[k].value);
        hi = fmax(hi, act[k].value);
        fy0 = act[k].at < fy0 ? act[k].at : fy0;
        fy1 = act[k].at > fy1 ? act[k].at : fy1;
    }
    int have = charts_actuals_data(&c, act, na);
    charts_actuals_key(&c, have, NULL);

    charts_frame_opts fo = {"In-year DSG high needs position by scenario",
                            NULL,
                            "In-year position = funding less spend in the year; negative = overspend.",
                            CHARTS_KEY_AUTO,
                            0.0,
                            charts_fy_axis_cm(fy0, fy1)};
    charts_frame(&c, &x->meta, &fo);
    charts_fy_axis(&c, fy0, fy1, "Financial year");
    /* A value label wider than its bar is turned upright along the bar, and
     * the axis leaves room for it beyond the longest bar. */
    double bar_cm = (c.box_r - 0.1) * CHARTS_PAGE_W * w * 0.92 / (fy1 - fy0 + 1.2);
    int upright = labels && widest > 0.95 * bar_cm;
    double pad = upright ? charts_pad_for(widest + 0.3, charts_plot_h(&c)) : 0.08;
    charts_value_axis(&c, 'y', lo, hi, CHARTS_MONEY_M | CHARTS_ZERO, pad, "In-year position (negative = overspend)");
    i = 0;
    cJSON_ArrayForEach(s, x->scen)
    {
        const cJSON *y;
        cJSON_ArrayForEach(y, charts_get(s, "years"))
        {
            if (!labels) break;
            int fy = charts_fy(y, "fy");
            double v = charts_num(y, "in_year") / 1e6, xc = fy - 0.4 + w * (i + 0.5);
            char m[48];
            charts_money(m, sizeof m, v * 1e6, 1, 0);
            if (upright)
                charts_printf(&c.body, "set label \"%s\" at %.4f, %.6f rotate by 90 %s offset 0,%s font \",7\"\n", m,
                              xc, v, v < 0 ? "right" : "left", v < 0 ? "-0.4" : "0.4");
            else
                charts_printf(&c.body, "set label \"%s\" at %.4f, %.6f center offset 0,%s font \",7\"\n", m, xc, v,
                              v < 0 ? "-0.7" : "0.7");
        }
        i++;
    }
    charts_override_lines(x, &c, 0, -1);
    charts_printf(&c.body, "set boxwidth %.4f absolute\nplot ", w * 0.92);
    for (i = 0; i < ns; i++) {
        char fill[128];
        charts_scenario_fill(fill, sizeof fill, i);
        charts_printf(&c.body, "%s$s%d using 1:2 with boxes %s notitle", i ? ", " : "", i, fill);
    }
    charts_actuals_plot(&c, have);
    charts_puts(&c.body, "\n");
    return charts_finish(x, &c);
}

/* ---- 3. Monte Carlo fan chart ---------------------------------------- */

static int charts_fan(charts_ctx *x, const cJSON *s, int index)
{
    static const char *const pk[] = {"p5", "p10", "p25", "p50", "p75", "p90", "p95"};
    const cJSON *mc = charts_get(s, "montecarlo");
    char what[160];
    snprintf(what, sizeof what, "the Monte Carlo fan chart for %s", charts_label(s));
    charts_chart c;
    charts_begin(&c, "fan", charts_str(s, "name", "scenario"), what);

    int fy0 = INT_MAX, fy1 = INT_MIN;
    double lo = 0.0, hi = 0.0;
    const cJSON *y, *years = charts_get(mc, "years");
    /* The fan opens from the balance brought forward, which is known (when
     * the paths start where the deterministic projection does). */
    int first = charts_fy(cJSON_GetArrayItem(years, 0), "fy");
    charts_puts(&c.data, "$fan << EOD\n");
    fy0 = first;
    if (first == charts_fy(cJSON_GetArrayItem(charts_get(s, "years"), 0), "fy")) {
        double bf = charts_brought_forward(s) / 1e6;
        charts_printf(&c.data, "%d", first - 1);
        for (int k = 0; k < 7; k++) charts_printf(&c.data, " %.6f", bf);
        charts_puts(&c.data, "\n");
        fy0 = first - 1;
        lo = fmin(lo, bf);
        hi = fmax(hi, bf);
    }
    cJSON_ArrayForEach(y, years)
    {
        int fy = charts_fy(y, "fy");
        const cJSON *cum = charts_get(y, "cumulative");
        charts_printf(&c.data, "%d", fy);
        for (int k = 0; k < 7; k++) {
            double v = charts_num(cum, pk[k]) / 1e6;
            charts_printf(&c.data, " %.6f", v);
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
        charts_puts(&c.data, "\n");
        fy1 = fy > fy1 ? fy : fy1;
    }
    charts_puts(&c.data, "EOD\n");
    charts_actual act[CHARTS_MAXACT];
    int na = charts_actuals(x, "finance", "cumulative", act);
    for (int k = 0; k < na; k++) {
        lo = fmin(lo, act[k].value);
        hi = fmax(hi, act[k].value);
        fy0 = act[k].at < fy0 ? act[k].at : fy0;
        fy1 = act[k].at > fy1 ? act[k].at : fy1;
    }
    int have = charts_actuals_data(&c, act, na);

    /* Note: the spread at the end of the override and the probabilities. */
    charts_text note = {0};
    char when[48], m50[48], m5[48], m95[48], cnt[32];
    charts_long_date(when, sizeof when, charts_str(s, "override_end", ""));
    const cJSON *hoe = charts_get(charts_get(mc, "headline"), "cumulative_at_override_end");
    if (isfinite(charts_num(mc, "paths"))) {
        charts_count(cnt, sizeof cnt, charts_num(mc, "paths"));
        charts_printf(&note, "%s Monte Carlo paths", cnt);
        if (isfinite(charts_num(mc, "seed"))) charts_printf(&note, " (seed %.0f)", charts_num(mc, "seed"));
        charts_puts(&note, ".");
    }
    if (cJSON_IsObject(hoe)) {
        charts_money(m50, sizeof m50, charts_num(hoe, "p50"), 1, 0);
        charts_money(m5, sizeof m5, charts_num(hoe, "p5"), 1, 0);
        charts_money(m95, sizeof m95, charts_num(hoe, "p95"), 1, 0);
        charts_printf(&note, " At %s: median %s, 9 in 10 paths between %s and %s.", when, m50, m5, m95);
    }
    const cJSON *pr = charts_get(mc, "probabilities");
    const cJSON *above = charts_get(pr, "deficit_at_override_end_above");
    const cJSON *bal = charts_get(pr, "in_year_balance_by");
    if (cJSON_IsObject(above) && isfinite(charts_num(above, "p"))) {
        char t[48];
        charts_money(t, sizeof t, charts_num(above, "threshold"), 1, 0);
        charts_printf(&note, "\nChance the deficit at %s is above %s: %.1f%%.", when, t,
                      100.0 * charts_num(above, "p")); /* 99.8% must not read as certain */
    }
    if (cJSON_IsObject(bal) && isfinite(charts_num(bal, "p")))
        charts_printf(&note, "%sChance of an in-year balance by %s: %.1f%%.", cJSON_IsObject(above) ? " " : "\n",
                      charts_str(bal, "fy", "?"), 100.0 * charts_num(bal, "p"));

    charts_key_add(&c, CHARTS_KEY_BOX, "fc rgb \"#d5dfee\" fs solid 1.0 noborder",
                   "5th to 95th percentile (9 in 10 paths)");
    charts_key_add(&c, CHARTS_KEY_BOX, "fc rgb \"#a7bcda\" fs solid 1.0 noborder", "10th to 90th percentile");
    charts_key_add(&c, CHARTS_KEY_BOX, "fc rgb \"#6e8fc2\" fs solid 1.0 noborder",
                   "25th to 75th percentile (half of paths)");
    charts_key_add(&c, CHARTS_KEY_LINE, "lc rgb \"#0b2545\" lw 2.6", "Median");
    charts_actuals_key(&c, have, NULL);
    const cJSON *ylast = cJSON_GetArrayItem(years, cJSON_GetArraySize(years) - 1);
    double med = charts_num(charts_get(ylast, "cumulative"), "p50");
    charts_money(m50, sizeof m50, med, 1, 0);
    charts_printf(&c.body, "set label 8000 \"%s\" at %d, %.6f left offset 1.2,0 font FB.\",8\" tc rgb \"#0b2545\"\n",
                  m50, charts_fy(ylast, "fy"), med / 1e6);
    charts_frame_opts fo = {"Range of outcomes: cumulative DSG position",
                            charts_label(s),
                            note.oom ? "" : note.s,
                            CHARTS_KEY_AUTO,
                            charts_text_cm(m50, 8.0, 1) + 0.75,
                            charts_fy_axis_cm(fy0, fy1)};
    charts_frame(&c, &x->meta, &fo);
    charts_scratch_free(&c, &note);
    charts_fy_axis(&c, fy0, fy1, "Financial year (position at 31 March, the end of the year)");
    charts_value_axis(&c, 'y', lo, hi, CHARTS_MONEY_M | CHARTS_ZERO, 0.05, "Cumulative position (negative = deficit)");
    charts_override_lines(x, &c, 1, index);
    charts_puts(&c.body, "plot $fan using 1:2:8 with filledcurves fc rgb \"#d5dfee\" fs solid 1.0 noborder notitle, "
                         "$fan using 1:3:7 with filledcurves fc rgb \"#a7bcda\" fs solid 1.0 noborder notitle, "
                         "$fan using 1:4:6 with filledcurves fc rgb \"#6e8fc2\" fs solid 1.0 noborder notitle, "
                         "$fan using 1:5 with lines lc rgb \"#0b2545\" lw 2.6 notitle");
    charts_actuals_plot(&c, have);
    charts_puts(&c.body, "\n");
    return charts_finish(x, &c);
}

/* ---- stacked bars: layers, the smallest grouped ------------------------ */

/* Up to this many layers in a stack; past it the smallest items are summed
 * into one top layer, as a stack of thin slivers cannot be read. */
#define CHARTS_MAXSTACK 8

/* The layers of a stacked chart over the items of list (placements or spend
 * lines, by id): the items in list order, or, with more than CHARTS_MAXSTACK,
 * the CHARTS_MAXSTACK - 1 largest over all years in list order and then one
 * layer for the rest. val[l * ny + j] is layer l in years[j] of
 * years[j].<part>.<field>.<id>, divided by scale. */
typedef struct charts_stack {
    int n, ny, rest; /* layers, years, whether the last layer is the rest */
    double *val;
    const cJSON **item; /* per layer; NULL for the rest */
    charts_text rest_names;
} charts_stack;

static void charts_stack_free(charts_chart *c, charts_stack *st)
{
    free(st->val);
    free(st->item);
    charts_scratch_free(c, &st->rest_names);
}

static int charts_stack_build(charts_stack *st, const cJSON *list, const cJSON *years, const char *part,
                              const char *field, double scale)
{
    memset(st, 0, sizeof *st);
    int ni = cJSON_GetArraySize(list), ny = cJSON_GetArraySize(years);
    double *tot = calloc((size_t)ni + 1, sizeof *tot), *iv = calloc((size_t)ni * ny + 1, sizeof *iv);
    int *keep = calloc((size_t)ni + 1, sizeof *keep);
    st->val = calloc((size_t)(ni + 1) * ny + 1, sizeof *st->val);
    st->item = calloc((size_t)ni + 1, sizeof *st->item);
    if (!tot || !iv || !keep || !st->val || !st->item) {
        free(tot);
        free(iv);
        free(keep);
        return -1;
    }
    st->ny = ny;
    const cJSON *it, *y;
    int i = 0;
    cJSON_ArrayForEach(it, list)
    {
        int j = 0;
        cJSON_ArrayForEach(y, years)
        {
            double v = charts_num(charts_get(charts_get(y, part), field), charts_str(it, "id", "")) / scale;
            iv[i * ny + j] = isfinite(v) ? v : 0.0;
            tot[i] += fabs(iv[i * ny + j]);
            j++;
        }
        keep[i] = 1;
        i++;
    }
    if (ni > CHARTS_MAXSTACK) { /* keep the largest, ties to the first listed */
        for (i = 0; i < ni; i++) {
            int larger = 0;
            for (int k = 0; k < ni; k++) larger += tot[k] > tot[i] || (tot[k] == tot[i] && k < i);
            keep[i] = larger < CHARTS_MAXSTACK - 1;
        }
        st->rest = 1;
    }
    i = 0;
    int l = 0;
    cJSON_ArrayForEach(it, list)
    {
        if (keep[i]) {
            st->item[l] = it;
            for (int j = 0; j < ny; j++) st->val[l * ny + j] = iv[i * ny + j];
            l++;
        }
        i++;
    }
    if (st->rest) {
        i = 0;
        cJSON_ArrayForEach(it, list)
        {
            if (!keep[i]) {
                for (int j = 0; j < ny; j++) st->val[l * ny + j] += iv[i * ny + j];
                const char *lab = charts_str(it, "label", "");
                charts_printf(&st->rest_names, "%s%s", st->rest_names.len ? "; " : "",
                              *lab ? lab : charts_str(it, "id", "?"));
            }
            i++;
        }
        st->item[l++] = NULL;
    }
    st->n = l;
    free(tot);
    free(iv);
    free(keep);
    return 0;
}

/* The stack's datablocks $l0, $l1, ... (a box per year at x = xs[j]: x y
 * xlo xhi ylo yhi) and its key entries, top layer first, as they are seen. */
static void charts_stack_data(charts_chart *c, const charts_stack *st, const int *xs, const char *rest_label)
{
    for (int l = 0; l < st->n; l++) {
        charts_printf(&c->data, "$l%d << EOD\n", l);
        for (int j = 0; j < st->ny; j++) {
            double base = 0.0, v = st->val[l * st->ny + j];
            for (int m = 0; m < l; m++) base += st->val[m * st->ny + j];
            charts_printf(&c->data, "%d %.6f %.3f %.3f %.6f %.6f\n", xs[j], base + v / 2, xs[j] - 0.36, xs[j] + 0.36,
                          base, base + v);
        }
        charts_puts(&c->data, "EOD\n");
    }
    for (int l = st->n - 1; l >= 0; l--) {
        char fill[128];
        if (!st->item[l]) {
            charts_rest_fill(fill, sizeof fill);
            charts_key_add(c, CHARTS_KEY_BOX, fill, rest_label);
        } else {
            charts_layer_fill(fill, sizeof fill, l);
            const char *lab = charts_str(st->item[l], "label", "");
            charts_key_add(c, CHARTS_KEY_BOX, fill, *lab ? lab : charts_str(st->item[l], "id", "?"));
        }
    }
}

/* The plot clauses for the stack's layers (no leading comma). */
static void charts_stack_plot(charts_chart *c, const charts_stack *st)
{
    for (int l = 0; l < st->n; l++) {
        char fill[128];
        if (st->item[l])
            charts_layer_fill(fill, sizeof fill, l);
        else
            charts_rest_fill(fill, sizeof fill);
        charts_printf(&c->body, "%s$l%d using 1:2:3:4:5:6 with boxxyerror %s notitle", l ? ", " : "", l, fill);
    }
}

/* ---- 4. EHCPs by placement ------------------------------------------- */

static int charts_ehcps(charts_ctx *x, const cJSON *s)
{
    char what[160];
    snprintf(what, sizeof what, "the EHCPs by placement chart for %s", charts_label(s));
    charts_chart c;
    charts_begin(&c, "ehcps", charts_str(s, "name", "scenario"), what);

    const cJSON *pl = charts_get(s, "placements"), *y, *years = charts_get(s, "years");
    int c0 = INT_MAX, c1 = INT_MIN, ny = cJSON_GetArraySize(years);
    double hi = 0.0;
    charts_stack st;
    int *xs = malloc(((size_t)ny + 1) * sizeof *xs);
    if (!xs || charts_stack_build(&st, pl, years, "ehcps", "by_placement", 1.0) != 0) {
        free(xs);
        c.body.oom = 1;
        return charts_finish(x, &c);
    }
    int j = 0;
    cJSON_ArrayForEach(y, years)
    {
        int cy = charts_year(y, "census");
        xs[j++] = cy;
        double tot = charts_num(charts_get(y, "ehcps"), "total");
        char n[32];
        charts_count(n, sizeof n, tot);
        charts_printf(&c.body, "set label \"%s\" at %d, %.4f center offset 0,0.8 font FB.\",8\"\n", n, cy, tot);
        hi = fmax(hi, tot);
        c0 = cy < c0 ? cy : c0;
        c1 = cy > c1 ? cy : c1;
    }
    charts_actual act[CHARTS_MAXACT];
    int na = charts_actuals(x, "census", "ehcps", act);
    for (int k = 0; k < na; k++) {
        hi = fmax(hi, act[k].value);
        c0 = act[k].at < c0 ? act[k].at : c0;
        c1 = act[k].at > c1 ? act[k].at : c1;
    }
    int have = charts_actuals_data(&c, act, na) & 1;
    charts_actuals_key(&c, have, "Published EHCP count (SEN2)");
    char rest[64];
    snprintf(rest, sizeof rest, "Other placements (%d)", cJSON_GetArraySize(pl) - st.n + 1);
    charts_stack_data(&c, &st, xs, rest);

    charts_text note = {0};
    charts_puts(&note, "Projected counts are expected values (fractional counts rounded); totals above each bar. "
                       "The key lists the placements from the top of each bar down.");
    if (st.rest) charts_printf(&note, " %s: %s.", rest, st.rest_names.oom ? "" : st.rest_names.s);
    charts_frame_opts fo = {"EHCPs by placement at each January census",
                            charts_label(s),
                            note.oom ? "" : note.s,
                            CHARTS_KEY_RIGHT,
                            0.0,
                            charts_fy_axis_cm(c0, c1)};
    charts_frame(&c, &x->meta, &fo);
    charts_scratch_free(&c, &note);
    charts_census_axis(&c, c0, c1, "January census");
    charts_value_axis(&c, 'y', 0.0, hi * 1.04, CHARTS_COUNT | CHARTS_ZERO, 0.04, "EHCPs maintained by the authority");
    charts_puts(&c.body, "plot ");
    charts_stack_plot(&c, &st);
    if (have & 1) charts_printf(&c.body, "%s$out using 1:2 with points ls 20 notitle", st.n ? ", " : "");
    /* with no placements and no published counts there is nothing to draw but the frame */
    if (!st.n && !(have & 1)) charts_puts(&c.body, "NaN notitle");
    charts_puts(&c.body, "\n");
    charts_stack_free(&c, &st);
    free(xs);
    return charts_finish(x, &c);
}

/* ---- 5. spend against funding ---------------------------------------- */

static int charts_spend(charts_ctx *x, const cJSON *s)
{
    char what[160];
    snprintf(what, sizeof what, "the spend and funding chart for %s", charts_label(s));
    charts_chart c;
    charts_begin(&c, "spend", charts_str(s, "name", "scenario"), what);

    const cJSON *lines = charts_get(s, "spend_lines"), *y, *years = charts_get(s, "years");
    int fy0 = INT_MAX, fy1 = INT_MIN, ny = cJSON_GetArraySize(years);
    double hi = 0.0;
    charts_stack st;
    int *xs = malloc(((size_t)ny + 1) * sizeof *xs);
    if (!xs || charts_stack_build(&st, lines, years, "spend", "by_line", 1e6) != 0) {
        free(xs);
        c.body.oom = 1;
        return charts_finish(x, &c);
    }
    charts_puts(&c.data, "$fund << EOD\n");
    int j = 0;
    cJSON_ArrayForEach(y, years)
    {
        int fy = charts_fy(y, "fy");
        xs[j++] = fy;
        double sp = charts_num(charts_get(y, "spend"), "total") / 1e6;
        double fu = charts_num(charts_get(y, "funding"), "total") / 1e6;
        charts_printf(&c.data, "%d %.6f\n", fy, fu);
        char m[48];
        charts_money(m, sizeof m, sp * 1e6, 1, 0);
        charts_printf(&c.body, "set label \"%s\" at %d, %.6f center offset 0,0.8 font FB.\",8\"\n", m, fy, sp);
        hi = fmax(hi, fmax(sp, fu));
        fy0 = fy < fy0 ? fy : fy0;
        fy1 = fy > fy1 ? fy : fy1;
    }
    charts_puts(&c.data, "EOD\n");
    charts_key_add(&c, CHARTS_KEY_LINEPOINT, "ls 22", "Total high needs funding");
    char rest[64];
    snprintf(rest, sizeof rest, "Other lines (%d)", cJSON_GetArraySize(lines) - st.n + 1);
    charts_stack_data(&c, &st, xs, rest);

    charts_text note = {0};
    charts_puts(&note, "Bars: spend in the year by line, stacked (the key lists the lines from the top of each bar "
                       "down), total above. Line: total high needs funding; the gap between a bar's top and the line "
                       "is the year's overspend.");
    if (st.rest) charts_printf(&note, " %s: %s.", rest, st.rest_names.oom ? "" : st.rest_names.s);
    charts_frame_opts fo = {"High needs spend by line against funding",
                            charts_label(s),
                            note.oom ? "" : note.s,
                            CHARTS_KEY_RIGHT,
                            0.0,
                            charts_fy_axis_cm(fy0, fy1)};
    charts_frame(&c, &x->meta, &fo);
    charts_scratch_free(&c, &note);
    charts_fy_axis(&c, fy0, fy1, "Financial year");
    charts_value_axis(&c, 'y', 0.0, hi * 1.04, CHARTS_MONEY_M | CHARTS_ZERO, 0.04, "Spend and funding in the year");
    charts_puts(&c.body, "plot ");
    charts_stack_plot(&c, &st);
    /* A white halo keeps the funding line readable across dark bars. */
    charts_printf(&c.body,
                  "%s$fund using 1:2 with lines lc rgb \"white\" lw 7 notitle, "
                  "$fund using 1:2 with linespoints ls 22 notitle\n",
                  st.n ? ", " : "");
    charts_stack_free(&c, &st);
    free(xs);
    return charts_finish(x, &c);
}

/* ---- category axes: names on the left of horizontal bars -------------- */

/* Rows of horizontal bars named on the left, row 0 at the top: each name
 * wrapped, in the largest font (8 pt down to 5.5 pt) and then the narrowest
 * wrapping (6 cm to 8.5 cm) with which every row gets room for its lines on
 * a plot plot_h_cm tall. A row of one line is one unit tall, and each
 * further line adds 0.8 of a unit, so long names take more room rather than
 * running into their neighbours. Writes the names and the yrange, sets the
 * left margin, and returns the centre of each row in y units (malloc'd; NULL when
 * out of memory). */
static double *charts_category_axis(charts_chart *c, const char *const *names, int n, double plot_h_cm)
{
    static const double pts[] = {8.0, 7.5, 7.0, 6.5, 6.0, 5.5}, wraps[] = {6.0, 7.0, 8.5};
    char(*lab)[400] = malloc(((size_t)n + 1) * sizeof *lab);
    double *ys = malloc(((size_t)n + 1) * sizeof *ys), *w = malloc(((size_t)n + 1) * sizeof *w);
    if (!lab || !ys || !w) {
        free(lab);
        free(ys);
        free(w);
        c->body.oom = 1;
        return NULL;
    }
    double pt = pts[0], total = 0.0;
    int fits = 0;
    for (size_t p = 0; p < sizeof pts / sizeof pts[0] && !fits; p++)
        for (size_t k = 0; k < sizeof wraps / sizeof wraps[0] && !fits; k++) {
            pt = pts[p];
            total = 0.2;
            for (int r = 0; r < n; r++) {
                int lines = charts_wrap_cm(lab[r], sizeof lab[r], names[r], wraps[k], pt, 0);
                w[r] = 1.0 + 0.8 * (lines > 1 ? lines - 1 : 0);
                total += w[r];
            }
            fits = charts_line_cm(pt) <= 0.95 * plot_h_cm / total;
        }
    /* The names are labels, a line each, not tick labels: gnuplot reads a
     * tick label as a format and cuts one with a '%' at 50 characters. */
    double widest = 0.0, y = total - 0.1, unit = plot_h_cm / total, dl = charts_line_cm(pt) / unit;
    for (int r = 0; r < n; r++) {
        ys[r] = y - w[r] / 2;
        y -= w[r];
        widest = fmax(widest, charts_text_cm(lab[r], pt, 0));
    }
    charts_printf(&c->body, "unset ytics\nunset mytics\nset yrange [0:%.4f]\n", total);
    charts_left_axis(c, widest - 0.2, NULL);
    for (int r = 0; r < n; r++) {
        int lines = 1, j = 0;
        for (const char *q = lab[r]; *q; q++) lines += *q == '\n';
        for (const char *l = lab[r]; l; j++) {
            const char *nl = strchr(l, '\n');
            char one[400];
            snprintf(one, sizeof one, "%.*s", (int)(nl ? (size_t)(nl - l) : strlen(l)), l);
            charts_puts(&c->body, "set label ");
            charts_quote(&c->body, one);
            charts_printf(&c->body, " at screen %.4f, first %.4f right font \",%.1f\" textcolor rgb \"#111111\"\n",
                          c->box_l - 0.15 / CHARTS_PAGE_W, ys[r] + ((lines - 1) / 2.0 - j) * dl, pt);
            l = nl ? nl + 1 : NULL;
        }
    }
    free(lab);
    free(w);
    return ys;
}

/* ---- 6. savings waterfall -------------------------------------------- */

static int charts_savings(charts_ctx *x, const cJSON *s, int index)
{
    const cJSON *sv = charts_get(s, "savings");
    int pindex = 0;
    const cJSON *parent = charts_scenario_named(x, charts_str(sv, "against", NULL), &pindex);
    char what[160];
    snprintf(what, sizeof what, "the savings waterfall for %s", charts_label(s));
    charts_chart c;
    charts_begin(&c, "savings", charts_str(s, "name", "scenario"), what);

    /* A horizontal waterfall, read top down: the parent's position, a step
     * per action, then this scenario's position; a row each, names on the
     * left, so that any number of actions with long names stays legible. */
    double start = charts_num(charts_get(parent, "headline"), "cumulative_at_override_end") / 1e6;
    double end = charts_num(charts_get(s, "headline"), "cumulative_at_override_end") / 1e6;
    const cJSON *acts = charts_get(sv, "actions"), *a;
    int nact = cJSON_GetArraySize(acts), ncost = 0, nsave = 0;
    double level = start, lo = fmin(0.0, start), hi = fmax(0.0, start), sum = 0.0;
    cJSON_ArrayForEach(a, acts)
    {
        double v = charts_num(a, "to_override_end") / 1e6;
        level += v;
        sum += v;
        lo = fmin(lo, level);
        hi = fmax(hi, level);
        ncost += v < 0.0;
        nsave += v >= 0.0;
    }
    /* Whatever the actions do not explain (rounding aside) is shown, not hidden. */
    double gap = end - level, tol = fmax(0.05, 0.005 * fabs(start));
    int have_gap = fabs(gap) > tol;
    lo = fmin(lo, end);
    hi = fmax(hi, end);
    int rows = nact + 2 + have_gap;

    const char *fsave = "lc rgb \"#9cc3a4\" fs solid 1.0 border lc rgb \"#222222\"";
    const char *fcost = "lc rgb \"#3a3a3a\" fs pattern 4 border lc rgb \"#222222\"";
    const char *fgap = "lc rgb \"#7a7a7a\" fs pattern 2 border lc rgb \"#222222\"";
    if (nsave) charts_key_add(&c, CHARTS_KEY_BOX, fsave, "Saving: moves the position towards balance");
    if (ncost) charts_key_add(&c, CHARTS_KEY_BOX, fcost, "Cost: adds to the deficit");
    if (have_gap) charts_key_add(&c, CHARTS_KEY_BOX, fgap, "Other changes (not actions)");

    char when[48], m[48], title[200];
    charts_long_date(when, sizeof when, charts_str(s, "override_end", ""));
    snprintf(title, sizeof title, "Savings by action to %s", when);
    const char *method = charts_str(sv, "method", "");
    const char *how = strcmp(method, "shapley-sampled") == 0 ? "sampled Shapley values"
                      : strcmp(method, "shapley-exact") == 0 ? "exact Shapley values"
                      : *method                              ? method
                                                             : "Shapley values";
    charts_text note = {0};
    charts_money(m, sizeof m, sum * 1e6, 1, 1);
    charts_printf(&note,
                  "Cumulative position at %s: %s at the top, %s at the bottom. Each action's saving is the improvement "
                  "of the in-year position, summed to %s (actions %s in total), attributed to actions by %s. "
                  "Figures may not add because of rounding.",
                  when, charts_label(parent), charts_label(s), when, m, how);
    charts_frame_opts fo = {title, charts_label(s), note.oom ? "" : note.s, CHARTS_KEY_BELOW, 0.9, 1.45};
    charts_frame(&c, &x->meta, &fo);
    charts_scratch_free(&c, &note);

    /* Row names: parent, actions, [not attributed], this scenario. */
    const char **names = malloc(((size_t)rows + 1) * sizeof *names);
    if (!names) {
        c.body.oom = 1;
        return charts_finish(x, &c);
    }
    int r = 0;
    names[r++] = charts_label(parent);
    cJSON_ArrayForEach(a, acts) names[r++] = charts_str(a, "name", "?");
    if (have_gap) names[r++] = "Other changes (not actions)";
    names[r++] = charts_label(s);
    double *ys = charts_category_axis(&c, names, rows, charts_plot_h(&c));
    free(names);
    if (!ys) return charts_finish(x, &c);

    /* Values: room for the totals' labels left of a negative bar (right of a
     * positive one), and for each step's label right of its bar. */
    double plot_w = charts_plot_w(&c), tw = charts_text_cm("\xe2\x88\x92\xc2\xa3"
                                                           "000.0m",
                                                           8.0, 1) +
                                            0.35;
    double lroom = (start < 0.0 || end < 0.0) ? tw : 0.0, rroom = (start > 0.0 || end > 0.0) ? tw : 0.0;
    double per = (hi - lo > 1e-9 ? hi - lo : 1.0) / fmax(1.0, plot_w - lroom - rroom); /* £m per cm, roughly */
    double xl = lo - lroom * per, xh = hi + rroom * per;
    level = start;
    cJSON_ArrayForEach(a, acts)
    {
        double v = charts_num(a, "to_override_end") / 1e6;
        charts_money(m, sizeof m, v * 1e6, 1, 1);
        xh = fmax(xh, fmax(level, level + v) + (charts_text_cm(m, 8.0, 1) + 0.35) * per);
        level += v;
    }
    charts_value_axis(&c, 'x', xl, xh, CHARTS_MONEY_M | CHARTS_ZERO | CHARTS_TIGHT, 0.0,
                      "Cumulative position (negative = deficit)");
    double span = c.ax_hi - c.ax_lo, cm = span / (plot_w > 1.0 ? plot_w : 1.0); /* £m per cm */
    double minw = 0.08 * cm; /* a zero step is drawn this wide, so that its row is not empty */
    charts_puts(&c.body,
                "set border 1 lw 0.8 lc rgb \"#333333\"\nset grid xtics noytics back lw 0.5 lc rgb \"#cccccc\"\n"
                "unset xzeroaxis\nset yzeroaxis lt 1 lc rgb \"#222222\" lw 1\n");

    charts_text tot = {0}, up = {0}, down = {0};
    const double hb = 0.34; /* half a bar's height */
    r = 0;
    double yr = ys[r];
    charts_printf(&tot, "%.6f %.4f %.6f %.6f %.4f %.4f\n", start / 2, yr, fmin(0.0, start), fmax(0.0, start), yr - hb,
                  yr + hb);
    charts_money(m, sizeof m, start * 1e6, 1, 0);
    charts_printf(&c.body, "set label \"%s\" at %.6f, %.4f %s offset %s,0 font FB.\",8\"\n", m, start, yr,
                  start < 0 ? "right" : "left", start < 0 ? "-0.5" : "0.5");
    level = start;
    cJSON_ArrayForEach(a, acts)
    {
        double v = charts_num(a, "to_override_end") / 1e6, from = level, to = level + v;
        double x0 = fmin(from, to), x1 = fmax(from, to);
        if (x1 - x0 < minw) {
            x0 = (from + to) / 2 - minw / 2;
            x1 = x0 + minw;
        }
        charts_printf(&c.body, "set arrow from %.6f, %.4f to %.6f, %.4f nohead ls 23 back\n", from, yr - hb, from,
                      ys[r + 1] + hb);
        yr = ys[++r];
        charts_printf(v >= 0 ? &up : &down, "%.6f %.4f %.6f %.6f %.4f %.4f\n", (x0 + x1) / 2, yr, x0, x1, yr - hb,
                      yr + hb);
        charts_money(m, sizeof m, v * 1e6, 1, 1);
        /* the label after the bar's right end, or before its left end if
         * there is no room on the right */
        if ((c.ax_hi - x1) / cm >= charts_text_cm(m, 8.0, 1) + 0.3)
            charts_printf(&c.body, "set label \"%s\" at %.6f, %.4f left offset 0.5,0 font FB.\",8\"\n", m, x1, yr);
        else
            charts_printf(&c.body, "set label \"%s\" at %.6f, %.4f right offset -0.5,0 font FB.\",8\"\n", m, x0, yr);
        level = to;
    }
    if (have_gap) {
        charts_printf(&c.body, "set arrow from %.6f, %.4f to %.6f, %.4f nohead ls 23 back\n", level, yr - hb, level,
                      ys[r + 1] + hb);
        yr = ys[++r];
        charts_printf(&c.data, "$gap << EOD\n%.6f %.4f %.6f %.6f %.4f %.4f\nEOD\n", level + gap / 2, yr,
                      fmin(level, end), fmax(level, end), yr - hb, yr + hb);
        charts_money(m, sizeof m, gap * 1e6, 1, 1);
        charts_printf(&c.body, "set label \"%s\" at %.6f, %.4f left offset 0.5,0 font FB.\",8\"\n", m, fmax(level, end),
                      yr);
        level = end;
    }
    charts_printf(&c.body, "set arrow from %.6f, %.4f to %.6f, %.4f nohead ls 23 back\n", level, yr - hb, level,
                  ys[r + 1] + hb);
    yr = ys[++r];
    charts_printf(&tot, "%.6f %.4f %.6f %.6f %.4f %.4f\n", end / 2, yr, fmin(0.0, end), fmax(0.0, end), yr - hb,
                  yr + hb);
    charts_money(m, sizeof m, end * 1e6, 1, 0);
    charts_printf(&c.body, "set label \"%s\" at %.6f, %.4f %s offset %s,0 font FB.\",8\"\n", m, end, yr,
                  end < 0 ? "right" : "left", end < 0 ? "-0.5" : "0.5");
    free(ys);
    charts_printf(&c.data, "$tot << EOD\n%sEOD\n", tot.oom ? "" : tot.s);
    if (up.len) charts_printf(&c.data, "$up << EOD\n%sEOD\n", up.s);
    if (down.len) charts_printf(&c.data, "$down << EOD\n%sEOD\n", down.s);

    char fa[128], fb[128];
    charts_scenario_fill(fa, sizeof fa, pindex);
    charts_scenario_fill(fb, sizeof fb, index);
    charts_puts(&c.body, "plot ");
    charts_printf(&c.body, "$tot using 1:2:3:4:5:6 every ::0::0 with boxxyerror %s notitle, ", fa);
    charts_printf(&c.body, "$tot using 1:2:3:4:5:6 every ::1::1 with boxxyerror %s notitle", fb);
    if (up.len) charts_printf(&c.body, ", $up using 1:2:3:4:5:6 with boxxyerror %s notitle", fsave);
    if (down.len) charts_printf(&c.body, ", $down using 1:2:3:4:5:6 with boxxyerror %s notitle", fcost);
    if (have_gap) charts_printf(&c.body, ", $gap using 1:2:3:4:5:6 with boxxyerror %s notitle", fgap);
    charts_puts(&c.body, "\n");
    charts_scratch_free(&c, &tot);
    charts_scratch_free(&c, &up);
    charts_scratch_free(&c, &down);
    return charts_finish(x, &c);
}

/* ---- 7. tornado of a sensitivity sweep ------------------------------- */

static void charts_figure_name(char *buf, size_t n, const char *fig, const cJSON *s)
{
    char when[48];
    charts_long_date(when, sizeof when, charts_str(s, "override_end", ""));
    if (strcmp(fig, "cumulative_at_override_end") == 0)
        snprintf(buf, n, "cumulative DSG position at %s", when);
    else if (strcmp(fig, "cumulative_at_horizon") == 0)
        snprintf(buf, n, "cumulative DSG position at the end of %s", charts_str(s, "last_fy", "the forecast"));
    else if (strcmp(fig, "peak_deficit") == 0)
        snprintf(buf, n, "peak deficit");
    else if (strcmp(fig, "interest_to_override_end") == 0)
        snprintf(buf, n, "interest on the deficit to %s", when);
    else if (strcmp(fig, "interest_to_horizon") == 0)
        snprintf(buf, n, "interest on the deficit to the end of the forecast");
    else {
        snprintf(buf, n, "%s", fig);
        for (char *p = buf; *p; p++)
            if (*p == '_') *p = ' ';
    }
}

static int charts_tornado(charts_ctx *x, const cJSON *sw)
{
    charts_chart c;
    charts_begin(&c, "tornado", NULL, "the sensitivity tornado chart");
    const cJSON *s = charts_scenario_named(x, charts_str(sw, "scenario", NULL), NULL);
    const cJSON *bars = charts_get(sw, "bars"), *b;
    int n = cJSON_GetArraySize(bars), i = 0;
    if (n == 0) { /* a sweep of nothing: no chart */
        charts_chart_free(&c);
        return HNB_OK;
    }
    double base = charts_num(sw, "base") / 1e6, lo = base, hi = base, widest = 0.0;
    char m[48];
    const char **names = malloc(((size_t)n + 1) * sizeof *names);
    if (!names) {
        c.body.oom = 1;
        return charts_finish(x, &c);
    }

    cJSON_ArrayForEach(b, bars)
    {
        double vl = charts_num(b, "low") / 1e6, vh = charts_num(b, "high") / 1e6;
        names[i++] = charts_str(b, "assumption", "?");
        lo = fmin(lo, fmin(vl, vh));
        hi = fmax(hi, fmax(vl, vh));
        for (int side = 0; side < 2; side++) {
            const char *set = charts_str(b, side ? "high_label" : "low_label", "");
            charts_money(m, sizeof m, (side ? vh : vl) * 1e6, 1, 0);
            char t[300];
            snprintf(t, sizeof t, "%s%s%s", set, *set ? ": " : "", m);
            widest = fmax(widest, charts_text_cm(t, 8.0, 0));
        }
    }
    char fig[200], title[300];
    charts_figure_name(fig, sizeof fig, charts_str(sw, "figure", ""), s);
    snprintf(title, sizeof title, "Sensitivity of the %s", fig);
    char axis[240];
    snprintf(axis, sizeof axis, "%s", fig);
    if (axis[0] >= 'a' && axis[0] <= 'z') axis[0] = (char)(axis[0] - 'a' + 'A');
    charts_money(m, sizeof m, base * 1e6, 1, 0);
    charts_text note = {0};
    charts_printf(&note,
                  "Each bar moves one assumption to its low or high setting with the others at their central values. "
                  "Central estimate %s.",
                  m);
    const char *flow = "lc rgb \"#a7bcda\" fs solid 1.0 border lc rgb \"#222222\"";
    const char *fhigh = "lc rgb \"#1b3a6b\" fs solid 1.0 border lc rgb \"#222222\"";
    charts_key_add(&c, CHARTS_KEY_BOX, flow, "Low setting of the assumption");
    charts_key_add(&c, CHARTS_KEY_BOX, fhigh, "High setting of the assumption");
    charts_frame_opts fo = {title, s ? charts_label(s) : NULL, note.oom ? "" : note.s, CHARTS_KEY_BELOW, 0.9, 1.45};
    charts_frame(&c, &x->meta, &fo);
    charts_scratch_free(&c, &note);
    double *ys = charts_category_axis(&c, names, n, charts_plot_h(&c));
    free(names);
    if (!ys) return charts_finish(x, &c);
    charts_text low = {0}, high = {0};
    i = 0;
    cJSON_ArrayForEach(b, bars)
    {
        double yv = ys[i], vl = charts_num(b, "low") / 1e6, vh = charts_num(b, "high") / 1e6;
        charts_printf(&low, "%.6f %.4f %.6f %.6f %.4f %.4f\n", (base + vl) / 2, yv, fmin(base, vl), fmax(base, vl),
                      yv - 0.32, yv + 0.32);
        charts_printf(&high, "%.6f %.4f %.6f %.6f %.4f %.4f\n", (base + vh) / 2, yv, fmin(base, vh), fmax(base, vh),
                      yv - 0.32, yv + 0.32);
        for (int side = 0; side < 2; side++) {
            double v = side ? vh : vl;
            const char *set = charts_str(b, side ? "high_label" : "low_label", "");
            char mv[48];
            charts_money(mv, sizeof mv, v * 1e6, 1, 0);
            charts_text t = {0};
            charts_printf(&t, "%s%s%s", set, *set ? ": " : "", mv);
            charts_printf(&c.body, "set label %d ", 7000 + 2 * i + side);
            charts_quote(&c.body, t.oom ? "" : t.s);
            charts_printf(&c.body, " at %.6f, %.4f %s offset %s,0 font \",8\"\n", v, yv, v < base ? "right" : "left",
                          v < base ? "-0.6" : "0.6");
            charts_scratch_free(&c, &t);
        }
        i++;
    }
    free(ys);
    charts_printf(&c.data, "$low << EOD\n%sEOD\n$high << EOD\n%sEOD\n", low.oom ? "" : low.s, high.oom ? "" : high.s);
    charts_puts(&c.body, "set border 1\nset grid xtics noytics\nunset xzeroaxis\n");
    charts_value_axis(&c, 'x', lo, hi, CHARTS_MONEY_M, charts_pad_for(widest + 0.4, charts_plot_w(&c)), axis);
    charts_printf(&c.body,
                  "set arrow 7900 from %.6f, graph 0 to %.6f, graph 1 nohead lc rgb \"#000000\" lw 1.4 front\n", base,
                  base);
    charts_printf(&c.body, "set label 7901 \"Central: %s\" at %.6f, graph 1 center offset 0,0.8 font FB.\",8\"\n", m,
                  base);
    charts_printf(&c.body,
                  "plot $low using 1:2:3:4:5:6 with boxxyerror %s notitle, "
                  "$high using 1:2:3:4:5:6 with boxxyerror %s notitle\n",
                  flow, fhigh);
    charts_scratch_free(&c, &low);
    charts_scratch_free(&c, &high);
    return charts_finish(x, &c);
}

/* ---- the entry point ------------------------------------------------- */

int charts_draw(hnb_model *h, const cJSON *results, const char *outdir, unsigned formats)
{
    const unsigned all = HNB_FMT_PNG | HNB_FMT_PDF | HNB_FMT_SVG;
    if (!formats || (formats & ~all))
        return err_set(h, HNB_E_USAGE,
                       "%s: chart formats 0x%x: not a set of known formats (expected PNG, PDF and/or SVG)", outdir,
                       formats);
    charts_ctx x = {h, results, NULL, outdir, formats, {NULL, NULL, NULL}};
    int rc = charts_check(&x);
    if (rc) return rc;
    x.meta.title = charts_str(results, "title", "");
    x.meta.source = charts_str(results, "source", "");
    x.meta.run_date = charts_str(results, "run_date", "");

    /* popen of a missing program succeeds; say so before anything is made. */
    if (!charts_gnuplot_on_path()) {
        char *first = fileout_join(outdir, formats & HNB_FMT_PNG   ? "cumulative.png"
                                           : formats & HNB_FMT_PDF ? "cumulative.pdf"
                                                                   : "cumulative.svg");
        rc = err_set(h, HNB_E_GNUPLOT,
                     "%s: cannot draw the cumulative DSG position chart: gnuplot not found on PATH (expected the "
                     "gnuplot program, e.g. from the gnuplot-nox package)",
                     first ? first : outdir);
        free(first);
        return rc;
    }
    rc = fileout_mkdirs(h, outdir);
    if (rc) return rc;

    /* Numbers go to gnuplot with a '.' whatever locale the caller set; this
     * thread only, and put back before returning. */
    locale_t cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = cloc ? uselocale(cloc) : (locale_t)0;

    rc = charts_cumulative(&x);
    if (!rc) rc = charts_in_year(&x);
    const cJSON *s;
    int i = 0;
    cJSON_ArrayForEach(s, x.scen)
    {
        if (!rc && charts_get(s, "montecarlo")) rc = charts_fan(&x, s, i);
        if (!rc) rc = charts_ehcps(&x, s);
        if (!rc) rc = charts_spend(&x, s);
        if (!rc && charts_get(s, "savings")) rc = charts_savings(&x, s, i);
        i++;
    }
    const cJSON *sw = charts_get(results, "sweep");
    if (!rc && sw) rc = charts_tornado(&x, sw);

    if (cloc) {
        uselocale(old);
        freelocale(cloc);
    }
    return rc;
}
