/* paper_evidence.c: the Forum paper's evidence sections (paper.h): the risks
 * (fan charts, the chances, the tornado), the assumptions with every
 * source, the back-test against published figures, and the methods note.
 *
 * As in paper_sections.c, every sentence is made from the results' numbers
 * and every chart is followed by the table of its figures. Assumptions: the
 * first scenario lists all of its own; a scenario that extends another lists
 * only those that differ from its parent's (path, value, unit, source and
 * uncertainty), and says how many it shares. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paper.h"
#include "rview.h"

#define PE_TEXT 2048

static const char *const fan_stats[] = {"p5", "p25", "p50", "p75", "p95"};
static const char *const fan_heads[] = {"P5", "P25", "Median (P50)", "P75", "P95"};

/* ---- 5. risks ------------------------------------------------------------- */

static void risks_fan(paper *p, const cJSON *sc)
{
    pbuf *b = &p->b;
    const cJSON *mc = report_get(sc, "montecarlo"), *y, *ys = report_get(mc, "years");
    const cJSON *yl = cJSON_GetArrayItem(ys, cJSON_GetArraySize(ys) - 1), *cum = report_get(yl, "cumulative");
    char t[PE_TEXT], d[PE_TEXT], r[PS_WORDS], e[PF_LEN], m[PF_LEN], n[PF_LEN], v[PF_LEN];
    PB_TAG(b, "<h3>");
    pb_esc(b, report_str(sc, "label"));
    PB_TAG(b, "</h3>\n<p>");
    paper_fy_end(e, report_str(yl, "fy"));
    double lo = report_num(cum, "p5"), hi = report_num(cum, "p95"), med = report_num(cum, "p50");
    paper_range_words(r, lo, hi, 0);
    paper_position_words(m, med);
    pf_count(n, report_num(mc, "paths"));
    pb_escf(b, "In 90%% of %s simulated futures the cumulative position at %s lies between %s; the median is %s.", n, e,
            r, m);
    PB_TAG(b, "</p>\n");
    snprintf(t, sizeof t, "The range of the cumulative position, %s (the figures are in Table %d)",
             report_str(sc, "label"), p->tab + 1);
    snprintf(d, sizeof d,
             "Fan chart of the cumulative position by financial year: the median line, the 50%% band "
             "(P25 to P75) and the 90%% band (P5 to P95), which at %s runs %s.",
             e, r);
    snprintf(n, sizeof n, "fan-%.40s", report_str(sc, "name"));
    paper_chart(b, p->charts, n, ++p->fig, t, d);
    snprintf(t, sizeof t, "fan-%s", report_str(sc, "name"));
    snprintf(d, sizeof d, "%s: the simulated cumulative position at 31 March, £m, by percentile",
             report_str(sc, "label"));
    paper_table_open(p, t, d);
    PB_TAG(b, "<thead><tr>");
    pb_th_col(b, "Financial year");
    for (int k = 0; k < 5; k++) pb_th_col(b, fan_heads[k]);
    PB_TAG(b, "</tr></thead>\n<tbody>\n");
    cJSON_ArrayForEach(y, ys)
    {
        PB_TAG(b, "<tr>");
        pb_th_row(b, report_str(y, "fy"));
        for (int k = 0; k < 5; k++) {
            pf_m1(v, report_num(report_get(y, "cumulative"), fan_stats[k]));
            pb_td(b, v, 1);
        }
        PB_TAG(b, "</tr>\n");
    }
    PB_TAG(b, "</tbody>\n");
    paper_table_close(p);
}

static void risks_chances(paper *p)
{
    pbuf *b = &p->b;
    const cJSON *sc;
    char t[PE_TEXT], v[PF_LEN], m[PF_LEN];
    paper_table_open(p, "chances", "The chances, from the Monte Carlo simulation");
    PB_TAG(b, "<thead><tr>");
    pb_th_col(b, "Scenario");
    pb_th_col(b, "An in-year balance by the target year");
    snprintf(t, sizeof t, "A deficit at %s above the threshold", p->ovend);
    pb_th_col(b, t);
    pb_th_col(b, "The deficit grows in every year");
    PB_TAG(b, "</tr></thead>\n<tbody>\n");
    cJSON_ArrayForEach(sc, p->scen)
    {
        const cJSON *pr = report_get(report_get(sc, "montecarlo"), "probabilities"), *o;
        if (!report_has_montecarlo(sc)) continue;
        PB_TAG(b, "<tr>");
        pb_th_row(b, report_str(sc, "label"));
        if ((o = report_get(pr, "in_year_balance_by"))) {
            pf_pct(v, report_num(o, "p"));
            snprintf(t, sizeof t, "%s by %s", v, report_str(o, "fy"));
        } else {
            snprintf(t, sizeof t, "not asked");
        }
        pb_td(b, t, 1);
        if ((o = report_get(pr, "deficit_at_override_end_above"))) {
            pf_pct(v, report_num(o, "p"));
            pf_money(m, report_num(o, "threshold"));
            snprintf(t, sizeof t, "%s above %s", v, m);
        } else {
            snprintf(t, sizeof t, "not asked");
        }
        pb_td(b, t, 1);
        pf_pct(v, report_num(pr, "deficit_grows_every_year"));
        pb_td(b, *v ? v : "not asked", 1);
        PB_TAG(b, "</tr>\n");
    }
    PB_TAG(b, "</tbody>\n");
    paper_table_close(p);
}

static const cJSON *scen_named(const paper *p, const char *name)
{
    const cJSON *sc;
    cJSON_ArrayForEach(sc, p->scen) if (!strcmp(report_str(sc, "name"), name)) return sc;
    return NULL;
}

static void risks_tornado(paper *p, const cJSON *sw)
{
    pbuf *b = &p->b;
    const cJSON *bars = report_get(sw, "bars"), *bar, *sc = scen_named(p, report_str(sw, "scenario"));
    const cJSON *b0 = cJSON_GetArrayItem(bars, 0);
    char t[PE_TEXT], d[PE_TEXT], w[PS_WORDS], lo[PS_WORDS], hi[PS_WORDS], v[PF_LEN];
    const char *label = sc ? report_str(sc, "label") : report_str(sw, "scenario");
    char when[PF_LEN + 8];
    if (!strcmp(report_str(sw, "figure"), "cumulative_at_override_end"))
        snprintf(when, sizeof when, "at %s", p->ovend);
    else
        snprintf(when, sizeof when, "(%.40s)", report_str(sw, "figure"));
    PB_TAG(b, "<h3>What moves the position most</h3>\n<p>");
    paper_position_words(w, report_num(sw, "base"));
    paper_position_words(lo, report_num(b0, "low"));
    paper_position_words(hi, report_num(b0, "high"));
    pb_escf(b,
            "For %s the position %s is %s on central assumptions. Taking one source of uncertainty at a time, the "
            "largest is \"%s\": at \"%s\" the position is %s, at \"%s\" %s.",
            label, when, w, report_str(b0, "assumption"), report_str(b0, "low_label"), lo, report_str(b0, "high_label"),
            hi);
    PB_TAG(b, "</p>\n");
    snprintf(t, sizeof t,
             "Tornado chart: the position %s of %s, one source of uncertainty at a time (the figures "
             "are in Table %d)",
             when, label, p->tab + 1);
    snprintf(d, sizeof d,
             "Horizontal bars, one for each of %d sources of uncertainty, largest first, each from the "
             "position at its low setting to the position at its high setting; the largest is %s.",
             cJSON_GetArraySize(bars), report_str(b0, "assumption"));
    paper_chart(b, p->charts, "tornado", ++p->fig, t, d);
    snprintf(d, sizeof d, "The position %s of %s at each source's low and high setting, £m (method: %s)", when, label,
             report_str(sw, "method"));
    paper_table_open(p, "tornado-table", d);
    PB_TAG(b, "<thead><tr>");
    pb_th_col(b, "Source of uncertainty");
    pb_th_col(b, "Low setting");
    pb_th_col(b, "Position at low");
    pb_th_col(b, "High setting");
    pb_th_col(b, "Position at high");
    pb_th_col(b, "Swing");
    PB_TAG(b, "</tr></thead>\n<tbody>\n");
    cJSON_ArrayForEach(bar, bars)
    {
        PB_TAG(b, "<tr>");
        pb_th_row(b, report_str(bar, "assumption"));
        pb_td(b, report_str(bar, "low_label"), 0);
        pf_m1(v, report_num(bar, "low"));
        pb_td(b, v, 1);
        pb_td(b, report_str(bar, "high_label"), 0);
        pf_m1(v, report_num(bar, "high"));
        pb_td(b, v, 1);
        pf_m1(v, fabs(report_num(bar, "high") - report_num(bar, "low")));
        pb_td(b, v, 1);
        PB_TAG(b, "</tr>\n");
    }
    PB_TAG(b, "</tbody>\n");
    paper_table_close(p);
}

void paper_risks(paper *p)
{
    const cJSON *sc, *sw = report_get(p->res, "sweep");
    int any = 0;
    paper_h2(p, "risks", "Risks");
    cJSON_ArrayForEach(sc, p->scen) any |= report_has_montecarlo(sc);
    if (!any) {
        PB_TAG(&p->b, "<p>These results have no Monte Carlo simulation (run with --paths N for the ranges and "
                      "chances).</p>\n");
    } else {
        PB_TAG(&p->b, "<p class=\"note\">Each uncertain assumption (section 6 gives its distribution) is drawn "
                      "afresh in every simulated future, and each action either delivers or not with its delivery "
                      "confidence; the figures are percentiles of the simulated positions.</p>\n");
        risks_chances(p);
        cJSON_ArrayForEach(sc, p->scen) if (report_has_montecarlo(sc)) risks_fan(p, sc);
    }
    if (cJSON_IsObject(sw) && cJSON_GetArraySize(report_get(sw, "bars")) > 0) risks_tornado(p, sw);
    PB_TAG(&p->b, "</section>\n");
}

/* ---- 6. assumptions ----------------------------------------------------------- */

static const char *assumption_path(const cJSON *a)
{
    const char *s = report_str(a, "path"), *dot;
    if (!strncmp(s, "scenarios.", 10) && (dot = strchr(s + 10, '.')) != NULL) return dot + 1;
    return s;
}

static int same_value(const cJSON *x, const cJSON *y)
{
    if (cJSON_IsNumber(x) && cJSON_IsNumber(y)) return x->valuedouble == y->valuedouble;
    if (!cJSON_IsArray(x) || !cJSON_IsArray(y) || cJSON_GetArraySize(x) != cJSON_GetArraySize(y)) return 0;
    for (int i = 0; i < cJSON_GetArraySize(x); i++)
        if (!same_value(cJSON_GetArrayItem(x, i), cJSON_GetArrayItem(y, i))) return 0;
    return 1;
}

static int inherited(const cJSON *par, const cJSON *a)
{
    const cJSON *q;
    static const char *const keys[] = {"path", "unit", "source", "distribution"};
    cJSON_ArrayForEach(q, report_get(par, "assumptions"))
    {
        int same = same_value(report_get(q, "value"), report_get(a, "value"));
        for (int k = 0; k < 4 && same; k++) same = !strcmp(report_str(q, keys[k]), report_str(a, keys[k]));
        if (same) return 1;
    }
    return 0;
}

/* An assumption's value: the number exactly, grouped; a list as its size and range. */
static void assumption_value(char *buf, size_t n, const cJSON *v)
{
    char t[32];
    if (cJSON_IsNumber(v)) {
        report_fmt_num(t, v->valuedouble);
        /* group the whole part of a plain number ("23200000" -> "23,200,000") */
        if (!strpbrk(t, "eE") && strcspn(t, ".") > 4) {
            char g[48], *o = g;
            const char *s = t;
            if (*s == '-') *o++ = *s++;
            size_t whole = strcspn(s, ".");
            for (size_t i = 0; i < whole; i++) {
                *o++ = s[i];
                if ((whole - i - 1) && (whole - i - 1) % 3 == 0) *o++ = ',';
            }
            strcpy(o, s + whole);
            snprintf(buf, n, "%s", g);
        } else {
            snprintf(buf, n, "%s", t);
        }
        return;
    }
    double lo = INFINITY, hi = -INFINITY;
    const cJSON *e;
    cJSON_ArrayForEach(e, v) if (cJSON_IsNumber(e)) lo = fmin(lo, e->valuedouble), hi = fmax(hi, e->valuedouble);
    char a[32], c[32];
    report_fmt_num(a, lo);
    report_fmt_num(c, hi);
    snprintf(buf, n, "%d values, %s to %s", cJSON_GetArraySize(v), a, c);
}

static void assumptions_scenario(paper *p, const cJSON *sc)
{
    pbuf *b = &p->b;
    const cJSON *par = paper_parent(p, sc), *a;
    char id[PE_TEXT], cap[PE_TEXT], v[128];
    int own = 0, shared = 0;
    cJSON_ArrayForEach(a, report_get(sc, "assumptions"))
    {
        if (par && inherited(par, a))
            shared++;
        else
            own++;
    }
    PB_TAG(b, "<h3>");
    pb_esc(b, report_str(sc, "label"));
    PB_TAG(b, "</h3>\n<p>");
    if (par && own == 0)
        pb_escf(b, "Every assumption (%d) is as listed for %s.", shared, report_str(par, "label"));
    else if (par)
        pb_escf(b, "%d assumption%s differ%s from those of %s; the other %d are as listed there.", own,
                own == 1 ? "" : "s", own == 1 ? "s" : "", report_str(par, "label"), shared);
    else
        pb_escf(b, "%d assumptions, each with its source.", own);
    PB_TAG(b, "</p>\n");
    if (!own) return;
    snprintf(id, sizeof id, "assumptions-%s", report_str(sc, "name"));
    snprintf(cap, sizeof cap, "%s: assumptions, their units, uncertainty and sources", report_str(sc, "label"));
    PB_TAG(b, "<table class=\"src\" id=\"");
    pb_esc(b, id);
    PB_TAG(b, "\">\n<caption>");
    pb_escf(b, "Table %d: %s", ++p->tab, cap);
    PB_TAG(b, "</caption>\n<thead><tr>");
    pb_th_col(b, "Assumption");
    pb_th_col(b, "Value");
    pb_th_col(b, "Unit");
    pb_th_col(b, "Uncertainty");
    pb_th_col(b, "Source");
    PB_TAG(b, "</tr></thead>\n<tbody>\n");
    cJSON_ArrayForEach(a, report_get(sc, "assumptions"))
    {
        if (par && inherited(par, a)) continue;
        PB_TAG(b, "<tr>");
        pb_th_row(b, assumption_path(a));
        assumption_value(v, sizeof v, report_get(a, "value"));
        pb_td(b, v, 1);
        pb_td(b, report_str(a, "unit"), 0);
        pb_td(b, *report_str(a, "distribution") ? report_str(a, "distribution") : "fixed", 0);
        pb_td(b, report_str(a, "source"), 0);
        PB_TAG(b, "</tr>\n");
    }
    PB_TAG(b, "</tbody>\n");
    paper_table_close(p);
}

void paper_assumptions(paper *p)
{
    const cJSON *sc;
    paper_h2(p, "assumptions", "Assumptions and their sources");
    PB_TAG(&p->b, "<p class=\"note\">Every figure the scenario files give, with its source. A list (by age 0 to "
                  "25, or a matrix of moves) shows its size and range; the workbook's Assumptions by age sheet lists "
                  "the values. Uncertainty is the distribution the Monte Carlo simulation draws from.</p>\n");
    cJSON_ArrayForEach(sc, p->scen) assumptions_scenario(p, sc);
    PB_TAG(&p->b, "</section>\n");
}

/* ---- 7. back-test --------------------------------------------------------- */

static int same_rows(const cJSON *x, const cJSON *y)
{
    static const char *const k[] = {"model", "actual", "error"};
    if (cJSON_GetArraySize(x) != cJSON_GetArraySize(y)) return 0;
    for (int i = 0; i < cJSON_GetArraySize(x); i++)
        for (int j = 0; j < 3; j++)
            if (report_num(cJSON_GetArrayItem(x, i), k[j]) != report_num(cJSON_GetArrayItem(y, i), k[j])) return 0;
    return 1;
}

static const char *finance_status(const cJSON *sc, const char *fy)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, report_get(report_get(sc, "actuals"),
                                     "finance")) if (!strcmp(report_str(a, "fy"), fy)) return report_str(a, "status");
    return "";
}

static void backtest_one(paper *p, const cJSON *bt, const cJSON *sc)
{
    pbuf *b = &p->b;
    const cJSON *row;
    char id[PE_TEXT], cap[PE_TEXT], v[PF_LEN], c[PF_LEN];
    double worst[3] = {0, 0, 0};
    static const char *const figs[3] = {"ehcps", "in_year", "cumulative"};
    cJSON_ArrayForEach(row, report_get(bt, "rows"))
    {
        const char *f = report_str(row, "figure");
        if (strcmp(f, "ehcps") && strcmp(finance_status(sc, report_str(row, "when")), "outturn")) continue;
        for (int k = 0; k < 3; k++)
            if (!strcmp(f, figs[k])) worst[k] = fmax(worst[k], fabs(report_num(row, "error_pct")));
    }
    PB_TAG(b, "<p>");
    pf_census(c, report_num(bt, "start_census"));
    char w0[PF_LEN], w1[PF_LEN], w2[PF_LEN];
    pf_pct100(w0, worst[0]);
    pf_pct100(w1, worst[1]);
    pf_pct100(w2, worst[2]);
    pb_escf(b,
            "%s, started from the %s census with nothing published after it: EHCPs within %s of the published "
            "counts; against the published outturns, in-year positions within %s and cumulative positions within "
            "%s.",
            sc ? report_str(sc, "label") : report_str(bt, "scenario"), c, w0, w1, w2);
    PB_TAG(b, "</p>\n");
    snprintf(id, sizeof id, "backtest-%s", report_str(bt, "scenario"));
    snprintf(cap, sizeof cap, "%s: the model against published figures (money in £m)",
             sc ? report_str(sc, "label") : report_str(bt, "scenario"));
    paper_table_open(p, id, cap);
    PB_TAG(b, "<thead><tr>");
    pb_th_col(b, "Figure");
    pb_th_col(b, "When");
    pb_th_col(b, "Model");
    pb_th_col(b, "Published");
    pb_th_col(b, "Error");
    pb_th_col(b, "Error (%)");
    PB_TAG(b, "</tr></thead>\n<tbody>\n");
    cJSON_ArrayForEach(row, report_get(bt, "rows"))
    {
        const char *f = report_str(row, "figure"), *when = report_str(row, "when");
        int money = strcmp(f, "ehcps") != 0;
        PB_TAG(b, "<tr>");
        pb_th_row(b, !money ? "EHCPs" : !strcmp(f, "in_year") ? "In-year position" : "Cumulative position");
        if (!money) {
            snprintf(cap, sizeof cap, "January %s", when);
        } else {
            const char *st = finance_status(sc, when);
            snprintf(cap, sizeof cap, "%s%s%s%s", when, *st ? " (" : "", st, *st ? ")" : "");
        }
        pb_td(b, cap, 0);
        static const char *const k[3] = {"model", "actual", "error"};
        for (int j = 0; j < 3; j++) {
            double x = report_num(row, k[j]);
            if (money)
                pf_m1(v, x);
            else
                pf_count(v, x);
            pb_td(b, v, 1);
        }
        pf_pct100(v, report_num(row, "error_pct"));
        pb_td(b, v, 1);
        PB_TAG(b, "</tr>\n");
    }
    PB_TAG(b, "</tbody>\n");
    paper_table_close(p);
}

void paper_backtest(paper *p)
{
    const cJSON *bts = report_get(p->res, "backtest"), *bt, *prev;
    paper_h2(p, "backtest", "Back-test against published figures");
    if (!cJSON_IsArray(bts) || cJSON_GetArraySize(bts) == 0) {
        PB_TAG(&p->b, "<p>These results carry no back-test (a scenario needs a backtest block: "
                      "docs/calibration.md).</p>\n</section>\n");
        return;
    }
    PB_TAG(&p->b, "<p class=\"note\">Each scenario is started again from an earlier census and run forward with its "
                  "own assumptions; the table sets what it forecasts beside what was published. Error = model less "
                  "published; a published forecast (not yet an outturn) is marked.</p>\n");
    cJSON_ArrayForEach(bt, bts)
    {
        const cJSON *sc = scen_named(p, report_str(bt, "scenario")), *same = NULL;
        for (prev = bts->child; prev && prev != bt && !same; prev = prev->next)
            if (same_rows(report_get(prev, "rows"), report_get(bt, "rows"))) same = prev;
        if (same) {
            const cJSON *ss = scen_named(p, report_str(same, "scenario"));
            PB_TAG(&p->b, "<p>");
            pb_escf(&p->b, "%s: the same figures as %s.", sc ? report_str(sc, "label") : report_str(bt, "scenario"),
                    ss ? report_str(ss, "label") : report_str(same, "scenario"));
            PB_TAG(&p->b, "</p>\n");
            continue;
        }
        backtest_one(p, bt, sc);
    }
    PB_TAG(&p->b, "</section>\n");
}

/* ---- 8. methods ------------------------------------------------------------- */

void paper_methods(paper *p)
{
    pbuf *b = &p->b;
    const cJSON *sc0 = cJSON_GetArrayItem(p->scen, 0), *sc, *mc = NULL, *sv = NULL;
    cJSON_ArrayForEach(sc, p->scen)
    {
        if (!mc && report_has_montecarlo(sc)) mc = report_get(sc, "montecarlo");
        if (!sv && report_has_savings(sc)) sv = report_get(sc, "savings");
    }
    char n[PF_LEN], s[PF_LEN];
    paper_h2(p, "methods", "Methods note");
    PB_TAG(b, "<p>");
    pb_escf(b,
            "hnbsim %s projects the children and young people with an EHCP by single year of age (0 to 25) and "
            "placement from one January census to the next, from %s to %s: each year some plans end, children age "
            "and move between placements, and new plans start. Spend on each placement is the children in it (5/12 "
            "of the census before the financial year and 7/12 of the one after) times its unit cost, uplifted each "
            "year; other high needs spend and the funding lines are the scenario's. The in-year position is funding "
            "less spend; the cumulative position carries it forward with any deficit written off.",
            report_str(p->res, "hnbsim_version"), report_str(sc0, "first_fy"), report_str(sc0, "last_fy"));
    PB_TAG(b, "</p>\n<p>");
    if (mc) {
        pf_count(n, report_num(mc, "paths"));
        report_fmt_num(s, report_num(mc, "seed"));
        pb_escf(b,
                "Ranges and chances come from a Monte Carlo simulation of %s futures (seed %s): in each, every "
                "uncertain assumption is drawn from its distribution (section 6) and every action delivers or not "
                "with its delivery confidence. The 90%% range runs from the 5th to the 95th percentile. The same "
                "seed gives the same figures.",
                n, s);
    } else {
        pb_esc(b, "These results have no Monte Carlo simulation, so there are no ranges or chances.");
    }
    PB_TAG(b, "</p>\n<p>");
    if (sv) {
        pf_count(n, report_num(sv, "projections"));
        pb_escf(b,
                "Savings are measured against the scenario the plan extends. Actions interact (a place avoided "
                "cannot be avoided twice), so each action's saving is its Shapley value: the average of what it "
                "adds over every order of adding the actions (%s, %s projections); the shares add up to the "
                "whole.",
                report_str(sv, "method"), n);
    } else {
        pb_esc(b, "No scenario has actions measured against a parent.");
    }
    PB_TAG(b, "</p>\n<p>");
    pb_escf(b,
            "The figures in this paper are generated from the results file (%s, run on %s), rounded for display; "
            "the workbook (hnbsim.xlsx) and the CSV files hold them unrounded. Documentation: docs/methodology.md "
            "and docs/report.md in hnbsim's source.",
            report_str(p->res, "format"), report_str(p->res, "run_date"));
    PB_TAG(b, "</p>\n</section>\n");
}
