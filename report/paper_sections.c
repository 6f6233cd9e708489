/* paper_sections.c: the Forum paper's first sections (paper.h): the
 * headline, the position by financial year, EHCPs by placement category and
 * the management plan's actions.
 *
 * Every sentence is made here from the results' numbers (never typed), in
 * the words a Forum paper uses: "the cumulative deficit reaches £64.3m by
 * 31 March 2028 (90% range £51.5m to £91.0m)". A deficit is a negative
 * position; a sentence says "deficit" or "surplus" and gives the size. The
 * 90% range is the Monte Carlo P5 to P95. Every table has a caption, column
 * headings (th scope="col") and row headings (th scope="row"); every chart is
 * followed by the table of its figures. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paper.h"
#include "rview.h"

#define PS_TEXT 1024
#define PS_COLS 64

/* ---- words ------------------------------------------------------------- */

void paper_position_words(char *buf, double x)
{
    char m[PF_LEN];
    pf_money(m, x);
    if (!isfinite(x))
        snprintf(buf, PS_WORDS, "not known");
    else if (x <= -0.05e6)
        snprintf(buf, PS_WORDS, "a deficit of %s", m);
    else if (x >= 0.05e6)
        snprintf(buf, PS_WORDS, "a surplus of %s", m);
    else
        snprintf(buf, PS_WORDS, "in balance (%s)", m);
}

void paper_range_words(char *buf, double lo, double hi, int in_deficit)
{
    char a[PF_LEN], c[PF_LEN];
    int dlo = lo <= -0.05e6, dhi = hi <= -0.05e6, slo = lo >= 0.05e6, shi = hi >= 0.05e6;
    pf_money(a, lo);
    pf_money(c, hi);
    if (dhi) /* both deficits: the smaller first */
        snprintf(buf, PS_WORDS, "%s%s to %s", in_deficit ? "" : "a deficit of ", c, a);
    else if (slo)
        snprintf(buf, PS_WORDS, "a surplus of %s to %s", a, c);
    else if (dlo && shi)
        snprintf(buf, PS_WORDS, "a deficit of %s to a surplus of %s", a, c);
    else if (dlo)
        snprintf(buf, PS_WORDS, "a deficit of %s to balance", a);
    else if (shi)
        snprintf(buf, PS_WORDS, "balance to a surplus of %s", c);
    else
        snprintf(buf, PS_WORDS, "balance at both ends");
}

void paper_fy_end(char *buf, const char *fy)
{
    int y = 0;
    if (sscanf(fy, "%4d", &y) == 1)
        snprintf(buf, PF_LEN, "31 March %d", y + 1);
    else
        snprintf(buf, PF_LEN, "the end of %.20s", fy);
}

double paper_mc(const cJSON *sc, const char *key, const char *stat)
{
    return report_num(report_get(report_get(report_get(sc, "montecarlo"), "headline"), key), stat);
}

void paper_scen_label(char *buf, const cJSON *sc)
{
    snprintf(buf, PS_WORDS, "%s (%s)", report_str(sc, "label"), report_str(sc, "name"));
}

static const cJSON *last_year(const cJSON *sc)
{
    const cJSON *ys = report_get(sc, "years");
    return cJSON_GetArrayItem(ys, cJSON_GetArraySize(ys) - 1);
}

/* ---- 1. headline ------------------------------------------------------- */

static void headline_scenario(paper *p, const cJSON *sc)
{
    pbuf *b = &p->b;
    const cJSON *hl = report_get(sc, "headline"), *mc = report_get(sc, "montecarlo");
    char t[PS_TEXT], w[PS_WORDS], r[PS_WORDS], m[PF_LEN], pc[PF_LEN];
    double x = report_num(hl, "cumulative_at_override_end");
    PB_TAG(b, "<p><strong>");
    pb_escf(b, "%s.", report_str(sc, "label"));
    PB_TAG(b, "</strong> ");
    if (!isfinite(x)) {
        pb_escf(b, "The projection ends before %s.", p->ovend);
    } else {
        pf_money(m, x);
        if (x <= -0.05e6)
            snprintf(t, sizeof t, "On current assumptions the cumulative deficit reaches %s by %s", m, p->ovend);
        else {
            paper_position_words(w, x);
            snprintf(t, sizeof t, "On current assumptions the cumulative position is %s at %s", w, p->ovend);
        }
        double lo = paper_mc(sc, "cumulative_at_override_end", "p5");
        double hi = paper_mc(sc, "cumulative_at_override_end", "p95");
        if (isfinite(lo) && isfinite(hi)) {
            paper_range_words(r, lo, hi, x <= -0.05e6);
            size_t k = strlen(t);
            snprintf(t + k, sizeof t - k, " (90%% range %s)", r);
        }
        pb_escf(b, "%s.", t);
        double wo = report_num(hl, "writeoff_to_override_end"), g = report_num(hl, "cumulative_at_override_end_gross");
        if (isfinite(wo) && fabs(wo) >= 0.05e6 && isfinite(g)) {
            pf_money(m, wo);
            paper_position_words(w, g);
            snprintf(t, sizeof t, " Before the %s of deficit written off by then, it would be %s", m, w);
            lo = paper_mc(sc, "cumulative_at_override_end_gross", "p5");
            hi = paper_mc(sc, "cumulative_at_override_end_gross", "p95");
            if (isfinite(lo) && isfinite(hi)) {
                paper_range_words(r, lo, hi, g <= -0.05e6);
                size_t k = strlen(t);
                snprintf(t + k, sizeof t - k, " (90%% range %s)", r);
            }
            pb_escf(b, "%s.", t);
        }
    }
    const cJSON *bal = report_get(report_get(mc, "probabilities"), "in_year_balance_by");
    if (bal) {
        pf_pct(pc, report_num(bal, "p"));
        pf_count(m, report_num(mc, "paths"));
        pb_escf(b, " The chance of an in-year balance by %s is %s (in %s simulated futures).", report_str(bal, "fy"),
                pc, m);
    }
    const char *fb = report_str(hl, "first_balanced_fy");
    if (*fb)
        pb_escf(b, " On the central projection the High Needs Block first balances in year in %s.", fb);
    else
        pb_escf(b,
                " On the central projection the High Needs Block does not balance in year by %s, the last year "
                "projected.",
                report_str(sc, "last_fy"));
    double peak = report_num(hl, "peak_deficit");
    if (isfinite(peak) && peak <= -0.05e6) {
        pf_money(m, peak);
        pb_escf(b, " The deficit is largest, %s, at the end of %s.", m, report_str(hl, "peak_deficit_fy"));
    }
    PB_TAG(b, "</p>\n");
}

void paper_headline(paper *p)
{
    pbuf *b = &p->b;
    const cJSON *sc;
    char t[PS_TEXT], v[PF_LEN];
    paper_h2(p, "headline", "Headline");
    cJSON_ArrayForEach(sc, p->scen) headline_scenario(p, sc);
    snprintf(t, sizeof t,
             "The DSG position at %s by scenario, £m (negative = deficit): after and before deficits written off, "
             "and the Monte Carlo range",
             p->ovend);
    paper_table_open(p, "headline-table", t);
    PB_TAG(b, "<thead><tr>");
    pb_th_col(b, "Scenario");
    snprintf(t, sizeof t, "Cumulative position at %s, after write-offs", p->ovend);
    pb_th_col(b, t);
    pb_th_col(b, "Before write-offs");
    pb_th_col(b, "Written off to then");
    pb_th_col(b, "P5 (after write-offs)");
    pb_th_col(b, "P95 (after write-offs)");
    pb_th_col(b, "Chance of an in-year balance by the target year");
    PB_TAG(b, "</tr></thead>\n<tbody>\n");
    cJSON_ArrayForEach(sc, p->scen)
    {
        const cJSON *hl = report_get(sc, "headline"), *mc = report_get(sc, "montecarlo");
        PB_TAG(b, "<tr>");
        pb_th_row(b, report_str(sc, "label"));
        pf_m1(v, report_num(hl, "cumulative_at_override_end"));
        pb_td(b, v, 1);
        pf_m1(v, report_num(hl, "cumulative_at_override_end_gross"));
        pb_td(b, v, 1);
        pf_m1(v, report_num(hl, "writeoff_to_override_end"));
        pb_td(b, v, 1);
        pf_m1(v, paper_mc(sc, "cumulative_at_override_end", "p5"));
        pb_td(b, *v ? v : "no Monte Carlo", 1);
        pf_m1(v, paper_mc(sc, "cumulative_at_override_end", "p95"));
        pb_td(b, *v ? v : "no Monte Carlo", 1);
        const cJSON *bal = report_get(report_get(mc, "probabilities"), "in_year_balance_by");
        if (bal) {
            pf_pct(v, report_num(bal, "p"));
            snprintf(t, sizeof t, "%s by %s", v, report_str(bal, "fy"));
            pb_td(b, t, 1);
        } else {
            pb_td(b, "no Monte Carlo", 1);
        }
        PB_TAG(b, "</tr>\n");
    }
    PB_TAG(b, "</tbody>\n");
    paper_table_close(p);
    PB_TAG(b, "<p class=\"note\">Written off: deficits the scenario writes off, such as the High Needs "
              "Stability Grant. P5 and P95: the 5th and 95th percentiles of the simulated positions, the ends of "
              "the 90% range (P5 is the larger deficit). The chance of an in-year balance is the share of simulated "
              "futures in which spend is within funding in some year up to the target year.</p>\n</section>\n");
}

/* ---- 2. the position ---------------------------------------------------- */

typedef struct pcols {
    size_t n;
    const char *fy[PS_COLS];
    int outturn[PS_COLS];
} pcols;

/* The outturn years of the first scenario's actuals before its first
 * projected year, then every projected financial year (in order). */
static void position_cols(const paper *p, pcols *c)
{
    c->n = 0;
    const cJSON *sc0 = cJSON_GetArrayItem(p->scen, 0), *a, *y;
    const char *first = report_str(cJSON_GetArrayItem(report_get(sc0, "years"), 0), "fy");
    cJSON_ArrayForEach(a, report_get(report_get(sc0, "actuals"), "finance"))
    {
        if (strcmp(report_str(a, "status"), "outturn") || strcmp(report_str(a, "fy"), first) >= 0) continue;
        if (c->n < PS_COLS) c->fy[c->n] = report_str(a, "fy"), c->outturn[c->n++] = 1;
    }
    report_years ys;
    if (report_years_build(p->res, &ys) == 0) {
        for (size_t i = 0; i < ys.n && c->n < PS_COLS; i++) {
            /* the text lives in the tree: find it there, so it outlives ys */
            const cJSON *sc;
            const char *fy = NULL;
            cJSON_ArrayForEach(sc, p->scen)
                cJSON_ArrayForEach(y, report_get(sc, "years")) if (!fy && !strcmp(report_str(y, "fy"), ys.fy[i])) fy =
                    report_str(y, "fy");
            if (fy) c->fy[c->n] = fy, c->outturn[c->n++] = 0;
        }
        report_years_free(&ys);
    }
}

static const cJSON *scen_year(const cJSON *sc, const char *fy)
{
    const cJSON *y;
    cJSON_ArrayForEach(y, report_get(sc, "years")) if (!strcmp(report_str(y, "fy"), fy)) return y;
    return NULL;
}

static const cJSON *scen_outturn(const cJSON *sc, const char *fy)
{
    const cJSON *a;
    cJSON_ArrayForEach(
        a, report_get(report_get(sc, "actuals"), "finance")) if (!strcmp(report_str(a, "fy"), fy) &&
                                                                 !strcmp(report_str(a, "status"), "outturn")) return a;
    return NULL;
}

static void position_heads(paper *p, const pcols *c, const char *first)
{
    char t[PF_LEN + 16];
    PB_TAG(&p->b, "<thead><tr>");
    pb_th_col(&p->b, first);
    for (size_t i = 0; i < c->n; i++) {
        snprintf(t, sizeof t, "%s%s", c->fy[i], c->outturn[i] ? " outturn" : "");
        pb_th_col(&p->b, t);
    }
    PB_TAG(&p->b, "</tr></thead>\n<tbody>\n");
}

/* Scenarios down, years across: key of each year (or of the outturn). */
static void position_table(paper *p, const pcols *c, const char *id, const char *caption, const char *key)
{
    pbuf *b = &p->b;
    const cJSON *sc;
    char v[PF_LEN];
    paper_table_open(p, id, caption);
    position_heads(p, c, "Scenario");
    cJSON_ArrayForEach(sc, p->scen)
    {
        PB_TAG(b, "<tr>");
        pb_th_row(b, report_str(sc, "label"));
        for (size_t i = 0; i < c->n; i++) {
            const cJSON *o = c->outturn[i] ? scen_outturn(sc, c->fy[i]) : scen_year(sc, c->fy[i]);
            pf_m1(v, report_num(o, key));
            pb_td(b, v, 1);
        }
        PB_TAG(b, "</tr>\n");
    }
    PB_TAG(b, "</tbody>\n");
    paper_table_close(p);
}

static void position_detail(paper *p, const pcols *c, const cJSON *sc)
{
    static const char *const rows[][3] = {{"Total funding", "funding", "total"},
                                          {"Total spend", "spend", "total"},
                                          {"In-year position", "in_year", NULL},
                                          {"Deficit written off", "writeoff", NULL},
                                          {"Cumulative position before write-offs", "cumulative_gross", NULL},
                                          {"Cumulative position carried forward", "cumulative", NULL}};
    pbuf *b = &p->b;
    char t[PS_TEXT], v[PF_LEN];
    snprintf(t, sizeof t, "position-%s", report_str(sc, "name"));
    char cap[PS_TEXT];
    snprintf(cap, sizeof cap, "%s: High Needs Block funding, spend and position by financial year, £m",
             report_str(sc, "label"));
    paper_table_open(p, t, cap);
    pcols proj = {0};
    for (size_t i = 0; i < c->n; i++)
        if (!c->outturn[i] && scen_year(sc, c->fy[i])) proj.fy[proj.n++] = c->fy[i];
    position_heads(p, &proj, "Line");
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        if (r == 3 || r == 4) { /* write-off rows only where the results carry them */
            if (!report_get(cJSON_GetArrayItem(report_get(sc, "years"), 0), rows[r][1])) continue;
        }
        if (r == 2 || r == 5)
            PB_TAG(b, "<tr class=\"total\">");
        else
            PB_TAG(b, "<tr>");
        pb_th_row(b, rows[r][0]);
        for (size_t i = 0; i < proj.n; i++) {
            const cJSON *y = scen_year(sc, proj.fy[i]);
            double x = rows[r][2] ? report_num(report_get(y, rows[r][1]), rows[r][2]) : report_num(y, rows[r][1]);
            pf_m1(v, x);
            pb_td(b, v, 1);
        }
        PB_TAG(b, "</tr>\n");
    }
    PB_TAG(b, "</tbody>\n");
    paper_table_close(p);
}

void paper_position(paper *p)
{
    pbuf *b = &p->b;
    pcols c;
    const cJSON *sc;
    char t[PS_TEXT], d[PS_TEXT * 2], w[PS_WORDS], e[PF_LEN], m1[PF_LEN];
    position_cols(p, &c);
    paper_h2(p, "position", "The DSG position by financial year");
    cJSON_ArrayForEach(sc, p->scen)
    {
        const cJSON *y0 = cJSON_GetArrayItem(report_get(sc, "years"), 0), *yl = last_year(sc);
        paper_fy_end(e, report_str(yl, "fy"));
        paper_position_words(w, report_num(yl, "cumulative"));
        PB_TAG(b, "<p>");
        char w0[PS_WORDS], w1[PS_WORDS];
        paper_position_words(w0, report_num(y0, "in_year"));
        paper_position_words(w1, report_num(yl, "in_year"));
        pb_escf(b, "%s: the in-year position is %s in %s and %s in %s; the cumulative position at %s is %s.",
                report_str(sc, "label"), w0, report_str(y0, "fy"), w1, report_str(yl, "fy"), e, w);
        PB_TAG(b, "</p>\n");
    }
    /* the chart, then its table */
    size_t k = 0;
    snprintf(d, sizeof d,
             "Line chart of the cumulative DSG position at 31 March, one line per scenario, outturn "
             "then forecast.");
    cJSON_ArrayForEach(sc, p->scen)
    {
        paper_fy_end(e, report_str(last_year(sc), "fy"));
        pf_m1(m1, report_num(last_year(sc), "cumulative"));
        k = strlen(d);
        snprintf(d + k, sizeof d - k, " %s: %s at %s.", report_str(sc, "label"), m1, e);
    }
    snprintf(t, sizeof t, "Cumulative DSG position at 31 March by scenario, £m (the figures are in Table %d)",
             p->tab + 1);
    paper_chart(b, p->charts, "cumulative", ++p->fig, t, d);
    position_table(p, &c, "position-cumulative",
                   "Cumulative DSG position at 31 March, £m (negative = deficit; outturn years as published)",
                   "cumulative");
    position_table(p, &c, "position-in-year", "In-year position by financial year, £m (funding less spend)", "in_year");
    cJSON_ArrayForEach(sc, p->scen) position_detail(p, &c, sc);
    PB_TAG(b, "</section>\n");
}

/* ---- 3. EHCPs by placement category ------------------------------------- */

/* EHCPs of a year (or the start) by the template's category. */
static void ehcps_by_cat(const cJSON *sc, const cJSON *ehcps, double cat[REPORT_NCAT])
{
    const cJSON *pl, *bp = report_get(ehcps, "by_placement");
    for (int k = 0; k < REPORT_NCAT; k++) cat[k] = 0.0;
    cJSON_ArrayForEach(pl, report_get(sc, "placements"))
    {
        double x = report_num(bp, report_str(pl, "id"));
        if (isfinite(x)) cat[report_category(pl)] += x;
    }
}

/* 1 if every year's EHCPs by placement are the parent's. */
static int ehcps_as_parent(const cJSON *sc, const cJSON *par)
{
    if (!par) return 0;
    const cJSON *ys = report_get(sc, "years"), *yp = report_get(par, "years");
    if (cJSON_GetArraySize(ys) != cJSON_GetArraySize(yp)) return 0;
    for (int i = 0; i < cJSON_GetArraySize(ys); i++) {
        const cJSON *a = report_get(report_get(cJSON_GetArrayItem(ys, i), "ehcps"), "by_placement");
        const cJSON *c = report_get(report_get(cJSON_GetArrayItem(yp, i), "ehcps"), "by_placement"), *v;
        if (cJSON_GetArraySize(a) != cJSON_GetArraySize(c)) return 0;
        cJSON_ArrayForEach(v, a) if (report_num(c, v->string) != v->valuedouble) return 0;
    }
    return 1;
}

/* The heading row of a table of EHCPs by census: `first` over the row
 * labels, the starting census (actual) where there is one, then each year's. */
static void census_head(pbuf *b, const cJSON *sc, const char *first)
{
    char v[PF_LEN], c[PF_LEN];
    const cJSON *st = report_get(sc, "start"), *y;
    PB_TAG(b, "<thead><tr>");
    pb_th_col(b, first);
    if (st) {
        pf_census(c, report_num(st, "census"));
        snprintf(v, sizeof v, "%.50s actual", c);
        pb_th_col(b, v);
    }
    cJSON_ArrayForEach(y, report_get(sc, "years"))
    {
        pf_census(c, report_num(y, "census"));
        pb_th_col(b, c);
    }
    PB_TAG(b, "</tr></thead>\n<tbody>\n");
}

static void ehcps_table(paper *p, const cJSON *sc)
{
    pbuf *b = &p->b;
    char id[PS_TEXT], cap[PS_TEXT], v[PF_LEN];
    const cJSON *st = report_get(sc, "start"), *y;
    double cat[REPORT_NCAT];
    snprintf(id, sizeof id, "ehcps-%s", report_str(sc, "name"));
    snprintf(cap, sizeof cap, "%s: EHCPs by placement category at the January census", report_str(sc, "label"));
    paper_table_open(p, id, cap);
    census_head(b, sc, "Placement category");
    for (int k = 0; k <= REPORT_NCAT; k++) {
        if (k == REPORT_NCAT)
            PB_TAG(b, "<tr class=\"total\">");
        else
            PB_TAG(b, "<tr>");
        pb_th_row(b, k < REPORT_NCAT ? report_category_label[k] : "Total EHCPs");
        if (st) {
            ehcps_by_cat(sc, report_get(st, "ehcps"), cat);
            pf_count(v, k < REPORT_NCAT ? cat[k] : report_num(report_get(st, "ehcps"), "total"));
            pb_td(b, v, 1);
        }
        cJSON_ArrayForEach(y, report_get(sc, "years"))
        {
            ehcps_by_cat(sc, report_get(y, "ehcps"), cat);
            pf_count(v, k < REPORT_NCAT ? cat[k] : report_num(report_get(y, "ehcps"), "total"));
            pb_td(b, v, 1);
        }
        PB_TAG(b, "</tr>\n");
    }
    PB_TAG(b, "</tbody>\n");
    paper_table_close(p);
}

/* EHCPs by primary need (the template's 13 in DfE's order, then the
 * scenario's other groups), where the results carry need groups. */
static void ehcps_need_table(paper *p, const cJSON *sc)
{
    pbuf *b = &p->b;
    const cJSON *g[64], *st = report_get(sc, "start");
    const char *label[64];
    size_t ng = report_need_order(report_get(sc, "need_groups"), g, label, 64);
    if (!ng) return;
    char id[PS_TEXT], cap[PS_TEXT], v[PF_LEN];
    snprintf(id, sizeof id, "ehcps-need-%.40s", report_str(sc, "name"));
    if (paper_chart_exists(p->charts, id)) {
        snprintf(cap, sizeof cap, "EHCPs by need at the January census, %s (the figures are in Table %d)",
                 report_str(sc, "label"), p->tab + 1);
        snprintf(v, sizeof v, "%zu need groups", ng);
        char d[PS_TEXT];
        snprintf(d, sizeof d, "Stacked column chart of EHCPs by need group (%s) at each January census.", v);
        paper_chart(b, p->charts, id, ++p->fig, cap, d);
    }
    snprintf(id, sizeof id, "ehcps-need-%s", report_str(sc, "name"));
    snprintf(cap, sizeof cap, "%s: EHCPs by primary need at the January census", report_str(sc, "label"));
    paper_table_open(p, id, cap);
    census_head(b, sc, "Primary need");
    for (size_t k = 0; k <= ng; k++) {
        if (k == ng)
            PB_TAG(b, "<tr class=\"total\">");
        else
            PB_TAG(b, "<tr>");
        pb_th_row(b, k < ng ? label[k] : "Total EHCPs");
        for (int i = st ? -1 : 0; i < cJSON_GetArraySize(report_get(sc, "years")); i++) {
            const cJSON *e = report_get(i < 0 ? st : cJSON_GetArrayItem(report_get(sc, "years"), i), "ehcps");
            pf_count(v, k < ng ? report_num(report_get(e, "by_need"), report_str(g[k], "id")) : report_num(e, "total"));
            pb_td(b, v, 1);
        }
        PB_TAG(b, "</tr>\n");
    }
    PB_TAG(b, "</tbody>\n");
    paper_table_close(p);
}

void paper_ehcps(paper *p)
{
    pbuf *b = &p->b;
    const cJSON *sc;
    char t[PS_TEXT], d[PS_TEXT], a[PF_LEN], z[PF_LEN], c0[PF_LEN], c1[PF_LEN], pc[PF_LEN];
    paper_h2(p, "ehcps", "EHCPs by placement category");
    PB_TAG(b, "<p class=\"note\">Children and young people with an education, health and care plan (EHCP) that "
              "the council maintains, by the DSG management plan template's placement categories. The first column "
              "is the actual caseload the projection starts from; the rest are forecast. Counts are rounded to "
              "whole children.</p>\n");
    cJSON_ArrayForEach(sc, p->scen)
    {
        const cJSON *par = paper_parent(p, sc), *st = report_get(sc, "start"), *yl = last_year(sc);
        PB_TAG(b, "<h3>");
        pb_esc(b, report_str(sc, "label"));
        PB_TAG(b, "</h3>\n<p>");
        if (ehcps_as_parent(sc, par)) {
            pb_escf(b, "EHCPs as in %s: this scenario changes money only.", report_str(par, "label"));
            PB_TAG(b, "</p>\n");
            continue;
        }
        double e0 = st ? report_num(report_get(st, "ehcps"), "total")
                       : report_num(report_get(cJSON_GetArrayItem(report_get(sc, "years"), 0), "ehcps"), "total");
        double e1 = report_num(report_get(yl, "ehcps"), "total");
        pf_count(a, e0);
        pf_count(z, e1);
        pf_census(c0,
                  st ? report_num(st, "census") : report_num(cJSON_GetArrayItem(report_get(sc, "years"), 0), "census"));
        pf_census(c1, report_num(yl, "census"));
        pf_pct(pc, e0 > 0 ? fabs(e1 / e0 - 1.0) : NAN);
        pb_escf(b, "EHCPs %s from %s in %s to %s in %s (%s %s).", e1 >= e0 ? "rise" : "fall", a, c0, z, c1,
                e1 >= e0 ? "up" : "down", pc);
        PB_TAG(b, "</p>\n");
        snprintf(t, sizeof t, "EHCPs by placement at the January census, %s (the figures by category are in Table %d)",
                 report_str(sc, "label"), p->tab + 1);
        snprintf(d, sizeof d,
                 "Stacked column chart of EHCPs by placement at each January census from %s (%s) to %s "
                 "(%s).",
                 c0, a, c1, z);
        snprintf(a, sizeof a, "ehcps-%.40s", report_str(sc, "name"));
        paper_chart(b, p->charts, a, ++p->fig, t, d);
        ehcps_table(p, sc);
        ehcps_need_table(p, sc);
    }
    PB_TAG(b, "</section>\n");
}

/* ---- 4. actions and savings ---------------------------------------------- */

/* One row: the action's timing, its saving by year, to the end of the
 * override and of the last year, and its share of the whole saving to the
 * last year (total: the total's to_horizon). */
static void actions_row(paper *p, const cJSON *sc, const cJSON *a, const char *label, double total, int is_total)
{
    pbuf *b = &p->b;
    char v[PF_LEN], d[PF_LEN];
    const cJSON *y;
    if (is_total)
        PB_TAG(b, "<tr class=\"total\">");
    else
        PB_TAG(b, "<tr>");
    pb_th_row(b, label);
    if (report_get(a, "start")) {
        pf_date(d, report_str(a, "start"));
        pb_td(b, d, 2);
        double r = report_num(a, "ramp_months");
        if (r == 0)
            snprintf(v, sizeof v, "at once");
        else
            snprintf(v, sizeof v, "%.0f months", r);
        pb_td(b, v, 0);
        pf_pct(v, report_num(a, "delivery"));
        pb_td(b, v, 1);
    } else {
        pb_td(b, "", 0);
        pb_td(b, "", 0);
        pb_td(b, "", 1);
    }
    cJSON_ArrayForEach(y, report_get(sc, "years"))
    {
        pf_m1(v, report_num(report_get(a, "by_year"), report_str(y, "fy")));
        pb_td(b, v, 1);
    }
    pf_m1(v, report_num(a, "to_override_end"));
    pb_td(b, v, 1);
    double to = report_num(a, "to_horizon");
    pf_m1(v, to);
    pb_td(b, v, 1);
    pf_pct(v, fabs(total) >= 0.5 ? to / total : NAN);
    pb_td(b, v, 1);
    PB_TAG(b, "</tr>\n");
}

static void actions_scenario(paper *p, const cJSON *sc)
{
    pbuf *b = &p->b;
    const cJSON *sv = report_get(sc, "savings"), *tot = report_get(sv, "total"), *a, *y, *par = paper_parent(p, sc);
    char t[PS_TEXT], d[PS_TEXT], m1[PF_LEN], m2[PF_LEN], n[PF_LEN];
    int nact = cJSON_GetArraySize(report_get(sv, "actions"));
    double total = report_num(tot, "to_override_end"), whole = report_num(tot, "to_horizon");
    PB_TAG(b, "<h3>");
    pb_esc(b, report_str(sc, "label"));
    PB_TAG(b, "</h3>\n<p>");
    pf_money(m1, total);
    pf_money(m2, report_num(tot, "to_horizon"));
    pf_count(n, report_num(sv, "projections"));
    pb_escf(b,
            "Against %s, the %d actions %s %s to %s and %s to the end of %s. Each action's share is its Shapley "
            "value: its saving averaged over every order in which the actions could be added (%s projections).",
            par ? report_str(par, "label") : report_str(sv, "against"), nact, total >= 0 ? "save" : "cost", m1,
            p->ovend, m2, report_str(sc, "last_fy"), n);
    PB_TAG(b, "</p>\n");
    snprintf(t, sizeof t, "Savings by action to %s, %s (the figures are in Table %d)", p->ovend,
             report_str(sc, "label"), p->tab + 1);
    snprintf(d, sizeof d, "Waterfall chart of the %d actions' savings, adding up to %s to %s.", nact, m1, p->ovend);
    snprintf(n, sizeof n, "savings-%.40s", report_str(sc, "name"));
    paper_chart(b, p->charts, n, ++p->fig, t, d);
    snprintf(t, sizeof t, "actions-%s", report_str(sc, "name"));
    snprintf(d, sizeof d,
             "%s: the management plan's actions, when they start, how fast they reach their full effect, the "
             "chance they deliver, and their saving by financial year, £m",
             report_str(sc, "label"));
    PB_TAG(b, "<table class=\"wide\" id=\"");
    pb_esc(b, t);
    PB_TAG(b, "\">\n<caption>");
    pb_escf(b, "Table %d: %s", ++p->tab, d);
    PB_TAG(b, "</caption>\n<thead><tr>");
    pb_th_col(b, "Action");
    pb_th_col(b, "Start");
    pb_th_col(b, "Ramp to full effect");
    pb_th_col(b, "Delivery confidence");
    cJSON_ArrayForEach(y, report_get(sc, "years")) pb_th_col(b, report_str(y, "fy"));
    snprintf(t, sizeof t, "To %s", p->ovend);
    pb_th_col(b, t);
    paper_fy_end(m1, report_str(sc, "last_fy"));
    snprintf(t, sizeof t, "To %s", m1);
    pb_th_col(b, t);
    pb_th_col(b, "Share of the saving to then");
    PB_TAG(b, "</tr></thead>\n<tbody>\n");
    cJSON_ArrayForEach(a, report_get(sv, "actions")) actions_row(p, sc, a, report_str(a, "name"), whole, 0);
    if (report_get(sv, "other_changes"))
        actions_row(p, sc, report_get(sv, "other_changes"), "Other changes against the parent (not actions)", whole, 0);
    actions_row(p, sc, tot, "All actions", whole, 1);
    PB_TAG(b, "</tbody>\n");
    paper_table_close(p);
}

void paper_actions(paper *p)
{
    const cJSON *sc;
    int any = 0;
    paper_h2(p, "actions", "The management plan: actions and savings");
    cJSON_ArrayForEach(sc, p->scen) if (report_has_savings(sc))
    {
        any = 1;
        actions_scenario(p, sc);
    }
    if (!any)
        PB_TAG(&p->b, "<p>No scenario in these results has actions measured against the scenario it extends.</p>\n");
    PB_TAG(&p->b, "</section>\n");
}
