/* chartstack.c: the stacked charts of one scenario: EHCPs by placement at
 * each January census (ehcps-<s>) and high needs spend by line against
 * funding (spend-<s>).
 *
 * Design. Both are the same shape, drawn by one function (charts_stacked)
 * from a description of what differs (charts_stack_spec): a stack per year of
 * the items of a list (placements, spend lines), the total above each bar,
 * the key on the right listing the layers from the top of a bar down, and a
 * line or points over the bars (the funding; the published EHCP counts).
 * Real results are bigger than a test fixture: a stack shows at most
 * CHARTS_MAXSTACK layers, the smallest items grouped into one and named in
 * the footnote. A need x setting model of many placements (100 and more)
 * would still key seven of them and lump the rest: when its placements name
 * their settings (the results' `settings`, `years[].ehcps.by_setting`), the
 * EHCP chart stacks by setting instead, and when it has need groups
 * (`need_groups`, `by_need`) a second chart, ehcps-need-<s>, stacks by need,
 * so the key lists a handful of groups whatever the number of placements.
 * The same chart of every scenario shares its value axis and
 * span of years (charts_*_range, merged by charts.c) unless the caller asked
 * for HNB_PLOT_OWN_SCALES. A total's label sits above its bar, moved up past
 * a funding point or a published count that would be under it. */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chartparts.h"

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

/* ---- the stacked chart -------------------------------------------------- */

typedef struct charts_stack_spec {
    const char *kind, *what, *title;
    const char *list, *part, *field; /* the items, and years[].<part>.<field>.<id> */
    double scale;                    /* 1 for counts, 1e6 for £m */
    int census;                      /* x: census years (else financial years) */
    const char *rest;                /* "Other placements (%d)" */
    const char *note;
    const char *y_label;
} charts_stack_spec;

static const charts_stack_spec charts_ehcps_spec = {
    "ehcps",
    "the EHCPs by placement chart",
    "EHCPs by placement at each January census",
    "placements",
    "ehcps",
    "by_placement",
    1.0,
    1,
    "Other placements (%d)",
    "Projected counts are expected values (fractional counts rounded); totals above each bar. The key lists the "
    "placements from the top of each bar down.",
    "EHCPs maintained by the authority"};

static const charts_stack_spec charts_spend_spec = {
    "spend",
    "the spend and funding chart",
    "High needs spend by line against funding",
    "spend_lines",
    "spend",
    "by_line",
    1e6,
    0,
    "Other lines (%d)",
    "Bars: spend in the year by line, stacked (the key lists the lines from the top of each bar down), total above. "
    "Line: total high needs funding; the gap between a bar's top and the line is the year's overspend.",
    "Spend and funding in the year"};

static const charts_stack_spec charts_setting_spec = {
    "ehcps",
    "the EHCPs by setting chart",
    "EHCPs by setting at each January census",
    "settings",
    "ehcps",
    "by_setting",
    1.0,
    1,
    "Other settings (%d)",
    "Projected counts are expected values (fractional counts rounded); totals above each bar. The placements are "
    "grouped by the setting each names; the key lists the settings from the top of each bar down.",
    "EHCPs maintained by the authority"};

static const charts_stack_spec charts_need_spec = {
    "ehcps-need",
    "the EHCPs by need chart",
    "EHCPs by need at each January census",
    "need_groups",
    "ehcps",
    "by_need",
    1.0,
    1,
    "Other needs (%d)",
    "Projected counts are expected values (fractional counts rounded); totals above each bar. The key lists the need "
    "groups from the top of each bar down.",
    "EHCPs maintained by the authority"};

/* The year a stack's bar stands at. */
static int charts_stack_x(const charts_stack_spec *sp, const cJSON *y)
{
    return sp->census ? charts_year(y, "census") : charts_fy(y, "fy");
}

/* The bar's total (counts or £m). */
static double charts_stack_total(const charts_stack_spec *sp, const cJSON *y)
{
    return charts_num(charts_get(y, sp->part), "total") / sp->scale;
}

#define CHARTS_STACK_PLOT_CM 6.0  /* a stacked chart's plot height, nominal, for the label room */
#define CHARTS_STACK_HALF_W  0.45 /* a bar's half width with a marker's, in years */

/* What is drawn over the bars, where a total's label must not go: the
 * funding points, or the published counts. Returns how many. */
static int charts_stack_markers(const charts_ctx *x, const cJSON *s, const charts_stack_spec *sp, double *mx,
                                double *my)
{
    int nm = 0;
    const cJSON *y;
    if (!sp->census) {
        cJSON_ArrayForEach(y, charts_get(s, "years"))
        {
            if (nm == 64) break;
            mx[nm] = charts_stack_x(sp, y);
            my[nm++] = charts_num(charts_get(y, "funding"), "total") / 1e6;
        }
        return nm;
    }
    charts_actual act[CHARTS_MAXACT];
    int na = charts_actuals(x, "census", "ehcps", act, NULL);
    for (int k = 0; k < na; k++)
        if (!act[k].forecast) {
            mx[nm] = act[k].at;
            my[nm++] = act[k].value;
        }
    return nm;
}

/* Where the label of the total tot at x starts, clear of the markers, on an
 * axis of cm data units per cm. */
static double charts_stack_label_at(double x, double tot, double cm, int nm, const double *mx, const double *my)
{
    return charts_clear_of_markers(x, fmax(tot, 1e-9), charts_line_cm(8.0), 0.1, cm, nm, mx, my, CHARTS_STACK_HALF_W,
                                   0.2);
}

/* The range covers the bars, the funding, the published counts and the
 * totals' labels above the bars (on a plot of nominal height): so the range
 * is the same for every scenario when shared, and the axis is drawn from it
 * alone. */
static void charts_stack_range(const charts_ctx *x, const cJSON *s, const charts_stack_spec *sp, charts_range *r)
{
    const cJSON *y;
    charts_range own;
    charts_range_init(&own);
    cJSON_ArrayForEach(y, charts_get(s, "years"))
    {
        charts_range_x(&own, charts_stack_x(sp, y));
        charts_range_value(&own, charts_stack_total(sp, y));
        if (!sp->census) charts_range_value(&own, charts_num(charts_get(y, "funding"), "total") / 1e6);
    }
    charts_actual act[CHARTS_MAXACT];
    if (sp->census) charts_actuals(x, "census", "ehcps", act, &own);
    double mx[CHARTS_MAXACT + 64], my[CHARTS_MAXACT + 64];
    int nm = charts_stack_markers(x, s, sp, mx, my);
    double cm = fmax(own.hi, 1.0) * 1.1 / CHARTS_STACK_PLOT_CM, top = own.hi;
    cJSON_ArrayForEach(y, charts_get(s, "years"))
    {
        double at = charts_stack_label_at(charts_stack_x(sp, y), charts_stack_total(sp, y), cm, nm, mx, my);
        top = fmax(top, at + (charts_line_cm(8.0) + 0.1) * cm);
    }
    charts_range_value(&own, top);
    charts_range_merge(r, &own);
}

void charts_ehcps_range(const charts_ctx *x, const cJSON *s, charts_range *r)
{
    charts_stack_range(x, s, &charts_ehcps_spec, r);
}

void charts_spend_range(const charts_ctx *x, const cJSON *s, charts_range *r)
{
    charts_stack_range(x, s, &charts_spend_spec, r);
}

static int charts_stacked(charts_ctx *x, const cJSON *s, int index, const charts_stack_spec *sp,
                          const charts_range *shared)
{
    charts_chart c;
    charts_begin_scenario(&c, sp->kind, s, sp->what);
    const cJSON *items = charts_get(s, sp->list), *y, *years = charts_get(s, "years");
    int ny = cJSON_GetArraySize(years);
    charts_range r;
    charts_range_init(&r);
    charts_stack_range(x, s, sp, &r);
    if (shared) r = *shared;
    charts_stack st;
    int *xs = malloc(((size_t)ny + 1) * sizeof *xs);
    if (!xs || charts_stack_build(&st, items, years, sp->part, sp->field, sp->scale) != 0) {
        free(xs);
        c.body.oom = 1;
        return charts_finish(x, &c);
    }
    /* what is drawn over the bars: the funding line, or the published counts */
    double mx[CHARTS_MAXACT + 64], my[CHARTS_MAXACT + 64];
    int nm = charts_stack_markers(x, s, sp, mx, my), have = 0, j = 0;
    if (!sp->census) {
        charts_puts(&c.data, "$fund << EOD\n");
        for (int k = 0; k < nm; k++) charts_printf(&c.data, "%d %.6f\n", (int)mx[k], my[k]);
        charts_puts(&c.data, "EOD\n");
        charts_key_add(&c, CHARTS_KEY_LINEPOINT, "ls 22", "Total high needs funding");
    } else {
        charts_actual act[CHARTS_MAXACT];
        int na = charts_actuals(x, "census", "ehcps", act, NULL);
        have = charts_actuals_data(&c, act, na) & 1;
        charts_actuals_key(&c, have, "Published EHCP count (SEN2)");
    }
    cJSON_ArrayForEach(y, years) xs[j++] = charts_stack_x(sp, y);
    char rest[64];
    snprintf(rest, sizeof rest, sp->rest, cJSON_GetArraySize(items) - st.n + 1);
    charts_stack_data(&c, &st, xs, rest);

    charts_text note = {0};
    charts_puts(&note, sp->note);
    if (st.rest) charts_printf(&note, " %s: %s.", rest, st.rest_names.oom ? "" : st.rest_names.s);
    charts_frame_opts fo = {
        sp->title, charts_label(s), note.oom ? "" : note.s, CHARTS_KEY_RIGHT, 0.0, charts_fy_axis_cm(r.x0, r.x1)};
    charts_frame(&c, &x->meta, &fo);
    charts_scratch_free(&c, &note);

    /* Totals above the bars, clear of the markers (the range has room for them). */
    double plot_h = fmax(1.0, charts_plot_h(&c)), lh = charts_line_cm(8.0);
    charts_value_axis(&c, 'y', 0.0, r.hi, (sp->census ? CHARTS_COUNT : CHARTS_MONEY_M) | CHARTS_ZERO, 0.0, sp->y_label);
    int mark = charts_mark_fy(x, index);
    if (sp->census)
        charts_census_axis(&c, r.x0, r.x1, mark == INT_MIN ? INT_MIN : mark + 1, "January census");
    else
        charts_fy_axis(&c, r.x0, r.x1, mark, "Financial year");
    double cm = (c.ax_hi - c.ax_lo) / plot_h;
    cJSON_ArrayForEach(y, years)
    {
        double tot = charts_stack_total(sp, y);
        double at = charts_stack_label_at(charts_stack_x(sp, y), tot, cm, nm, mx, my);
        char m[48];
        if (sp->census)
            charts_count(m, sizeof m, tot);
        else
            charts_money(m, sizeof m, tot * 1e6, 1, 0);
        charts_set_label(&c, 0, m, "at %d, %.6f center font FB.\",8\"", charts_stack_x(sp, y), at + 0.5 * lh * cm);
    }
    charts_puts(&c.body, "plot ");
    charts_stack_plot(&c, &st);
    if (!sp->census) /* a white halo keeps the funding line readable across dark bars */
        charts_printf(&c.body,
                      "%s$fund using 1:2 with lines lc rgb \"white\" lw 7 notitle, "
                      "$fund using 1:2 with linespoints ls 22 notitle",
                      st.n ? ", " : "");
    else if (have & 1)
        charts_printf(&c.body, "%s$out using 1:2 with points ls 24 notitle, $out using 1:2 with points ls 20 notitle",
                      st.n ? ", " : "");
    /* with no layers and nothing over them there is nothing to draw but the frame */
    else if (!st.n)
        charts_puts(&c.body, "NaN notitle");
    charts_puts(&c.body, "\n");
    charts_stack_free(&c, &st);
    free(xs);
    return charts_finish(x, &c);
}

int charts_ehcps(charts_ctx *x, const cJSON *s, int index)
{
    /* by setting when there are more placements than a key can show and they name their settings */
    const charts_stack_spec *sp = cJSON_GetArraySize(charts_get(s, "placements")) > CHARTS_MAXSTACK &&
                                          cJSON_GetArraySize(charts_get(s, "settings")) > 0
                                      ? &charts_setting_spec
                                      : &charts_ehcps_spec;
    int rc = charts_stacked(x, s, index, sp, x->shared ? &x->ehcps : NULL);
    if (!rc && cJSON_GetArraySize(charts_get(s, "need_groups")) > 0)
        rc = charts_stacked(x, s, index, &charts_need_spec, x->shared ? &x->ehcps : NULL);
    return rc;
}

int charts_spend(charts_ctx *x, const cJSON *s, int index)
{
    return charts_stacked(x, s, index, &charts_spend_spec, x->shared ? &x->spend : NULL);
}
