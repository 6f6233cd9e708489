/* test_charts.c: the Schools Forum charts (plots/), drawn by a real gnuplot.
 *
 * What is checked: every chart the fixture supports is written in each
 * format with the right signature and a non-trivial size, the SVG is XML that
 * carries the title, the scenario labels and the footnote; charts that need
 * optional blocks (montecarlo, savings, sweep) appear only when the block is
 * there; a missing, failing or silent gnuplot gives HNB_E_GNUPLOT with a
 * message naming the chart and leaves nothing (not even a *.tmp.* file)
 * behind; a malformed results file is reported with the JSON path; labels
 * with quotes, backslashes, braces and '%' print as written; a caller in a
 * decimal-comma locale gets byte-identical SVGs. The formatting helpers
 * (money, counts, wrapping, quoting) are checked directly.
 *
 * The tests need gnuplot on PATH (the gnuplot-nox package); fake gnuplots
 * are small shell scripts in a temporary folder put first on PATH. Run from
 * tests/ (ctest does), so that data/results-fixture.json is found. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../plots/charts.h"
#include "../plots/chartstyle.h"
#include "check.h"
#include "hnbsim.h"
#include "hnbsim_plots.h"

#define FIXTURE "data/results-fixture.json"

/* ---- small helpers ---------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)(n > 0 ? n : 0) + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s) s[n] = '\0';
    if (len) *len = s ? (size_t)n : 0;
    fclose(f);
    return s;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *s = malloc(n);
    snprintf(s, n, "%s/%s", dir, name);
    return s;
}

static long file_size(const char *dir, const char *name)
{
    char *p = join(dir, name);
    struct stat st;
    long n = stat(p, &st) == 0 ? (long)st.st_size : -1;
    free(p);
    return n;
}

/* Number of entries in dir (not . and ..), and how many have ".tmp." in
 * their name. */
static int count_files(const char *dir, int *tmp)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (tmp) *tmp = 0;
    if (!d) return -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        n++;
        if (tmp && strstr(e->d_name, ".tmp.")) (*tmp)++;
    }
    closedir(d);
    return n;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char *p = join(dir, e->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(p);
        else
            remove(p);
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

static char *make_tmpdir(void)
{
    char tmpl[] = "/tmp/hnb-charts-XXXXXX";
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

/* A fake gnuplot: an executable shell script in its own folder. */
static char *fake_gnuplot(const char *body)
{
    char *dir = make_tmpdir();
    if (!dir) return NULL;
    char *p = join(dir, "gnuplot");
    FILE *f = fopen(p, "w");
    if (f) {
        fprintf(f, "#!/bin/sh\n%s\n", body);
        fclose(f);
        chmod(p, 0755);
    }
    free(p);
    return dir;
}

static char *saved_path;

static void path_set(const char *first)
{
    if (!first) {
        setenv("PATH", saved_path, 1);
        return;
    }
    size_t n = strlen(first) + strlen(saved_path) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s:%s", first, saved_path);
    setenv("PATH", p, 1);
    free(p);
}

/* Write the fixture with an edit applied (edit may be NULL) to a new file. */
static char *fixture_edited(const char *dir, void (*edit)(cJSON *))
{
    char *text = slurp(FIXTURE, NULL);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!doc) return NULL;
    if (edit) edit(doc);
    char *out = cJSON_Print(doc);
    cJSON_Delete(doc);
    char *path = join(dir, "results.json");
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(out, f);
        fclose(f);
    }
    free(out);
    return path;
}

/* ---- the charts from the fixture -------------------------------------- */

static const char *const fixture_charts[] = {
    "cumulative",
    "in-year",
    "fan-baseline",
    "fan-dsg-management-plan",
    "ehcps-baseline",
    "ehcps-dsg-management-plan",
    "spend-baseline",
    "spend-dsg-management-plan",
    "savings-dsg-management-plan",
    "tornado",
};
#define NCHARTS (sizeof fixture_charts / sizeof fixture_charts[0])

static void check_png(const char *dir, const char *name)
{
    char leaf[128];
    snprintf(leaf, sizeof leaf, "%s.png", name);
    char *p = join(dir, leaf);
    size_t n = 0;
    char *s = slurp(p, &n);
    CHECK(s != NULL);
    CHECK(n > 20000); /* a real chart at 1280 x 800, not an empty canvas */
    CHECK(s && n > 8 && memcmp(s, "\x89PNG\r\n\x1a\n", 8) == 0);
    if (s && n > 24) { /* IHDR: width and height, big-endian */
        const unsigned char *u = (const unsigned char *)s;
        unsigned w = (unsigned)u[16] << 24 | (unsigned)u[17] << 16 | (unsigned)u[18] << 8 | u[19];
        unsigned h = (unsigned)u[20] << 24 | (unsigned)u[21] << 16 | (unsigned)u[22] << 8 | u[23];
        CHECK(w == 1280 && h == 800);
    }
    free(s);
    free(p);
}

static void check_pdf(const char *dir, const char *name)
{
    char leaf[128];
    snprintf(leaf, sizeof leaf, "%s.pdf", name);
    char *p = join(dir, leaf);
    size_t n = 0;
    char *s = slurp(p, &n);
    CHECK(s != NULL);
    CHECK(n > 8000);
    CHECK(s && n > 5 && memcmp(s, "%PDF-", 5) == 0);
    /* complete: the trailer is there */
    int eof = 0;
    for (size_t i = n > 64 ? n - 64 : 0; s && i + 5 <= n; i++) eof |= memcmp(s + i, "%%EOF", 5) == 0;
    CHECK(eof);
    free(s);
    free(p);
}

static size_t count_str(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    return n;
}

/* Returns the SVG text (caller frees) after the checks every SVG passes. */
static char *check_svg(const char *dir, const char *name)
{
    char leaf[128];
    snprintf(leaf, sizeof leaf, "%s.svg", name);
    char *p = join(dir, leaf);
    size_t n = 0;
    char *s = slurp(p, &n);
    free(p);
    CHECK(s != NULL);
    if (!s) return NULL;
    CHECK(n > 5000);
    CHECK(strncmp(s, "<?xml", 5) == 0 || strncmp(s, "<svg", 4) == 0);
    CHECK(strstr(s, "</svg>") != NULL);
    /* tags balance, as a cheap well-formedness check */
    CHECK(count_str(s, "<text") == count_str(s, "</text>"));
    CHECK(count_str(s, "<g ") + count_str(s, "<g>") == count_str(s, "</g>"));
    CHECK_STR_CONTAINS(s, "London Borough of Sutton: High Needs Block forecast");
    CHECK_STR_CONTAINS(s, "Source: hnbsim 0.1.0; Sutton People Committee 25 Sep 2025; DfE SEN2 2025.");
    CHECK_STR_CONTAINS(s, "Produced 23 November 2026.");
    return s;
}

static void test_fixture_all_formats(void)
{
    char *dir = make_tmpdir();
    CHECK(dir != NULL);
    if (!dir) return;
    char *out = join(dir, "charts/sub"); /* created by the call */
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_plot_file(h, FIXTURE, out, HNB_FMT_PNG | HNB_FMT_PDF | HNB_FMT_SVG);
    CHECK(rc == HNB_OK);
    if (rc) fprintf(stderr, "hnb_plot_file: %s\n", hnb_errmsg(h));

    for (size_t i = 0; i < NCHARTS; i++) {
        check_png(out, fixture_charts[i]);
        check_pdf(out, fixture_charts[i]);
        free(check_svg(out, fixture_charts[i]));
    }
    int tmp = 0;
    CHECK(count_files(out, &tmp) == (int)(3 * NCHARTS)); /* nothing else */
    CHECK(tmp == 0);
    CHECK(file_size(out, "savings-baseline.png") < 0); /* baseline has no savings */

    char *s = check_svg(out, "cumulative");
    CHECK_STR_CONTAINS(s, "Cumulative DSG position by scenario");
    CHECK_STR_CONTAINS(s, "Unmitigated");
    CHECK_STR_CONTAINS(s, "DSG management plan");
    CHECK_STR_CONTAINS(s, "Published outturn");
    CHECK_STR_CONTAINS(s, "Published forecast");
    CHECK_STR_CONTAINS(s, "Statutory override ends 31 March 2028");
    CHECK_STR_CONTAINS(s, "2027-28");
    CHECK_STR_CONTAINS(s, "\xe2\x88\x92\xc2\xa3"
                          "137.8m"); /* the 2030-31 end label, true minus */
    free(s);
    s = check_svg(out, "in-year");
    CHECK_STR_CONTAINS(s, "In-year DSG high needs position by scenario");
    CHECK_STR_CONTAINS(s, "Unmitigated");
    CHECK_STR_CONTAINS(s, "DSG management plan");
    free(s);
    s = check_svg(out, "fan-baseline");
    CHECK_STR_CONTAINS(s, "Range of outcomes: cumulative DSG position");
    /* the scenario in the subtitle, with the results' title */
    CHECK_STR_CONTAINS(s, "Unmitigated \xe2\x80\x94 London Borough of Sutton: High Needs Block forecast");
    CHECK_STR_CONTAINS(s, "25th to 75th percentile");
    CHECK_STR_CONTAINS(s, "1,000 Monte Carlo paths");
    CHECK_STR_CONTAINS(s, "93.0%"); /* probabilities to one decimal place */
    free(s);
    s = check_svg(out, "ehcps-baseline");
    CHECK_STR_CONTAINS(s, "EHCPs by placement");
    CHECK_STR_CONTAINS(s, "Independent and non-maintained"); /* a key entry wrapped over two lines */
    CHECK_STR_CONTAINS(s, "3,971");                          /* the 2031 total, with a thousands separator */
    CHECK_STR_CONTAINS(s, "Published EHCP count");
    CHECK_STR_CONTAINS(s, "January census");
    CHECK_STR_CONTAINS(s, ">2031<"); /* "Jan 2031" where there is room for it */
    free(s);
    s = check_svg(out, "spend-dsg-management-plan");
    CHECK_STR_CONTAINS(s, "DSG management plan");
    CHECK_STR_CONTAINS(s, "Central SEN services");
    CHECK_STR_CONTAINS(s, "Total high needs funding");
    free(s);
    s = check_svg(out, "savings-dsg-management-plan");
    CHECK_STR_CONTAINS(s, "Savings by action to 31 March 2028");
    CHECK_STR_CONTAINS(s, "NMI placement review");        /* a row name */
    CHECK_STR_CONTAINS(s, "Other changes (not actions)"); /* the fixture's savings do not add up */
    CHECK_STR_CONTAINS(s, "exact Shapley values");
    CHECK_STR_CONTAINS(s, "+\xc2\xa3"
                          "1.8m");
    CHECK_STR_CONTAINS(s, "Unmitigated");
    free(s);
    s = check_svg(out, "tornado");
    CHECK_STR_CONTAINS(s, "Sensitivity of the cumulative DSG position at 31 March 2028");
    CHECK_STR_CONTAINS(s, "Unmitigated \xe2\x80\x94 London Borough");
    CHECK_STR_CONTAINS(s, "EHCP growth");
    CHECK_STR_CONTAINS(s, "\xc2\xa3"
                          "70k");
    free(s);

    hnb_model_free(h);
    free(out);
    remove_tree(dir);
    free(dir);
}

/* ---- many lines, many actions, long labels ---------------------------- */

/* The text of an SVG as a reader sees it: the contents of its <text>
 * elements joined by single spaces (so a label wrapped over lines reads as
 * one), entities decoded. Caller frees. */
static char *svg_text(const char *svg)
{
    size_t n = strlen(svg), k = 0;
    char *out = malloc(n + 1);
    if (!out) return NULL;
    for (const char *p = svg; (p = strstr(p, "<text")) != NULL;) {
        const char *b = strchr(p, '>'), *e = b ? strstr(b, "</text>") : NULL;
        if (!e) break;
        if (k) out[k++] = ' ';
        for (const char *q = b + 1; q < e; q++) {
            if (*q == '<') { /* a nested tag (tspan): skip it */
                const char *t = strchr(q, '>');
                if (!t || t > e) break;
                q = t;
                continue;
            }
            static const char *const ent[][2] = {
                {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}};
            int done = 0;
            for (size_t i = 0; i < sizeof ent / sizeof ent[0] && !done; i++)
                if (strncmp(q, ent[i][0], strlen(ent[i][0])) == 0) {
                    out[k++] = ent[i][1][0];
                    q += strlen(ent[i][0]) - 1;
                    done = 1;
                }
            if (!done) out[k++] = *q;
        }
        p = e + 7;
    }
    out[k] = '\0';
    return out;
}

/* Every horizontal text of an SVG from gnuplot (567 x 354 units, a unit a
 * point) lies inside the canvas, as far as DejaVu Sans widths tell: nothing
 * is cut off at an edge. Returns the number of texts that stick out, and
 * prints them unless quiet. */
static int svg_outside(const char *svg, const char *name, int quiet)
{
    int bad = 0;
    for (const char *p = svg; (p = strstr(p, "<g transform=\"translate(")) != NULL; p++) {
        double x = 0, y = 0, size = 9;
        if (sscanf(p, "<g transform=\"translate(%lf,%lf)", &x, &y) != 2) continue;
        const char *end = strchr(p, '>'), *t = strstr(p, "<text>"), *te = t ? strstr(t, "</text>") : NULL;
        const char *next = strstr(p + 1, "<g ");
        if (!end || !t || !te || (next && t > next)) continue; /* not a text group */
        char head[600];
        snprintf(head, sizeof head, "%.*s", (int)(end - p < 599 ? end - p : 599), p);
        if (strstr(head, "rotate(")) continue;
        const char *fs = strstr(head, "font-size=\"");
        if (fs) size = atof(fs + 11);
        char txt[600];
        snprintf(txt, sizeof txt, "%.*s", (int)(te - t - 6 < 599 ? te - t - 6 : 599), t + 6);
        double w = charts_text_cm(txt, size, strstr(head, "bold") != NULL) / CHARTS_PAGE_W * 567.0;
        double x0 = strstr(head, "text-anchor=\"end\"")      ? x - w
                    : strstr(head, "text-anchor=\"middle\"") ? x - w / 2
                                                             : x;
        if (x0 < -1.0 || x0 + w > 568.0 || y < 0.0 || y > 354.0) {
            if (!quiet)
                fprintf(stderr, "%s: text \"%s\" at %.1f..%.1f, y %.1f is outside the canvas\n", name, txt, x0, x0 + w,
                        y);
            bad++;
        }
    }
    return bad;
}

#define NEXTRA_LINES  10
#define NEXTRA_PLACES 4
#define NACTIONS      16

static const char *const long_actions[NACTIONS] = {
    "Schools Block transfer of 0.5% to the High Needs Block, subject to the Schools Forum",
    "0% top-up uplift for specialist provision",
    "0% top-up uplift for resourced provision",
    "Action 04: no saving expected before the end of the override",
    "NMI placement review",
    "Action 06: commissioning change that costs more than it saves at first",
    "Sherwood Hill / Carew Manor, phase 1",
    "Sherwood Hill / Carew Manor, phase 2",
    "Sherwood Hill / Carew Manor, to 84 places",
    "Oakfield base, 56 to 84 places",
    "Secondary resource bases",
    "Limes College satellite (AP)",
    "Orchard Hill post-16 at the Life Centre",
    "Angel Hill special free school",
    "Demand management (SEND Support Advisory Partnership, OAP, early years transition funding)",
    "Action 16: a final action whose name is long enough to need two or three lines in any layout",
};

/* The fixture made like Sutton's real results: long scenario labels, nine
 * placements, seventeen spend lines and sixteen actions with long names
 * (one saving nothing, one a cost), adding up exactly. */
static void many_lines(cJSON *doc)
{
    static const char *const labels[2] = {"Unmitigated: no DSG management plan, with a label long enough to wrap",
                                          "DSG management plan (mitigated), also with a long label for the test"};
    cJSON *scen = cJSON_GetObjectItemCaseSensitive(doc, "scenarios"), *s;
    int si = 0;
    double start = 0.0;
    cJSON_ArrayForEach(s, scen)
    {
        cJSON_ReplaceItemInObjectCaseSensitive(s, "label", cJSON_CreateString(labels[si]));
        cJSON *pl = cJSON_GetObjectItemCaseSensitive(s, "placements"),
              *sl = cJSON_GetObjectItemCaseSensitive(s, "spend_lines");
        for (int k = 0; k < NEXTRA_PLACES; k++) {
            char id[32], lab[96];
            snprintf(id, sizeof id, "extra_p%d", k);
            snprintf(lab, sizeof lab, "Extra placement %d, with a long label for the key", k + 1);
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", id);
            cJSON_AddStringToObject(o, "label", lab);
            cJSON_AddItemToArray(pl, o);
        }
        for (int k = 0; k < NEXTRA_LINES; k++) {
            char id[32], lab[96];
            snprintf(id, sizeof id, "extra_l%02d", k);
            snprintf(lab, sizeof lab, "Extra spend line %02d of the high needs block", k + 1);
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", id);
            cJSON_AddStringToObject(o, "label", lab);
            cJSON_AddStringToObject(o, "kind", "other");
            cJSON_AddItemToArray(sl, o);
        }
        cJSON *y;
        int yi = 0;
        cJSON_ArrayForEach(y, cJSON_GetObjectItemCaseSensitive(s, "years"))
        {
            cJSON *e = cJSON_GetObjectItemCaseSensitive(y, "ehcps"), *sp = cJSON_GetObjectItemCaseSensitive(y, "spend");
            cJSON *bp = cJSON_GetObjectItemCaseSensitive(e, "by_placement"),
                  *bl = cJSON_GetObjectItemCaseSensitive(sp, "by_line");
            double te = cJSON_GetObjectItemCaseSensitive(e, "total")->valuedouble;
            double ts = cJSON_GetObjectItemCaseSensitive(sp, "total")->valuedouble;
            for (int k = 0; k < NEXTRA_PLACES; k++) {
                char id[32];
                snprintf(id, sizeof id, "extra_p%d", k);
                cJSON_AddNumberToObject(bp, id, 12.0 * (k + 1) + yi);
                te += 12.0 * (k + 1) + yi;
            }
            for (int k = 0; k < NEXTRA_LINES; k++) {
                char id[32];
                snprintf(id, sizeof id, "extra_l%02d", k);
                cJSON_AddNumberToObject(bl, id, 150000.0 * (k + 1) + 20000.0 * yi);
                ts += 150000.0 * (k + 1) + 20000.0 * yi;
            }
            cJSON_ReplaceItemInObjectCaseSensitive(e, "total", cJSON_CreateNumber(te));
            cJSON_ReplaceItemInObjectCaseSensitive(sp, "total", cJSON_CreateNumber(ts));
            yi++;
        }
        cJSON *hl = cJSON_GetObjectItemCaseSensitive(s, "headline");
        if (si == 0) start = cJSON_GetObjectItemCaseSensitive(hl, "cumulative_at_override_end")->valuedouble;
        cJSON *sv = cJSON_GetObjectItemCaseSensitive(s, "savings");
        if (sv) {
            cJSON *acts = cJSON_CreateArray();
            double sum = 0.0;
            for (int k = 0; k < NACTIONS; k++) {
                double v = k == 3 ? 0.0 : k == 5 ? -400000.0 : 150000.0 * (k % 5 + 1);
                cJSON *a = cJSON_CreateObject();
                cJSON_AddStringToObject(a, "name", long_actions[k]);
                cJSON_AddStringToObject(a, "type", "unit_cost");
                cJSON_AddNumberToObject(a, "to_override_end", v);
                cJSON_AddNumberToObject(a, "to_horizon", 3 * v);
                cJSON_AddItemToArray(acts, a);
                sum += v;
            }
            cJSON_ReplaceItemInObjectCaseSensitive(sv, "actions", acts);
            cJSON_ReplaceItemInObjectCaseSensitive(sv, "method", cJSON_CreateString("shapley-sampled"));
            cJSON_ReplaceItemInObjectCaseSensitive(hl, "cumulative_at_override_end", cJSON_CreateNumber(start + sum));
        }
        si++;
    }
}

static void test_many_lines_and_actions(void)
{
    /* the check itself: a key entry starting off the left edge is caught */
    CHECK(svg_outside("<g transform=\"translate(-20.5,300.1)\" stroke=\"none\" font-size=\"9.00\" "
                      "text-anchor=\"start\">\n<text>Mainstream schools</text>\n</g>",
                      "a made-up SVG", 1) == 1);
    CHECK(svg_outside("<g transform=\"translate(560,300)\" font-size=\"9.00\" text-anchor=\"end\">"
                      "<text>Right-aligned at the edge</text></g>",
                      "a made-up SVG", 1) == 0);

    char *dir = make_tmpdir();
    if (!dir) return;
    char *res = fixture_edited(dir, many_lines);
    char *out = join(dir, "out");
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_plot_file(h, res, out, HNB_FMT_PNG | HNB_FMT_SVG | HNB_FMT_PDF);
    CHECK(rc == HNB_OK);
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    for (size_t i = 0; i < NCHARTS; i++) {
        check_png(out, fixture_charts[i]);
        check_pdf(out, fixture_charts[i]);
        char *svg = check_svg(out, fixture_charts[i]);
        if (svg) CHECK(svg_outside(svg, fixture_charts[i], 0) == 0); /* nothing cut off at an edge */
        free(svg);
    }

    /* spend: every line is in the key or named under "Other lines" */
    char *svg = check_svg(out, "spend-baseline"), *t = svg ? svg_text(svg) : NULL;
    CHECK_STR_CONTAINS(t, "High needs spend by line against funding");
    CHECK_STR_CONTAINS(t, "Unmitigated: no DSG management plan, with a label long enough to wrap");
    CHECK_STR_CONTAINS(t, "Total high needs funding");
    CHECK_STR_CONTAINS(t, "Mainstream schools");
    CHECK_STR_CONTAINS(t, "Central SEN services");
    CHECK_STR_CONTAINS(t, "Other lines (10)"); /* 17 lines: the 7 largest, and the other 10 as one */
    for (int k = 0; k < NEXTRA_LINES; k++) {
        char lab[96];
        snprintf(lab, sizeof lab, "Extra spend line %02d of the high needs block", k + 1);
        CHECK_STR_CONTAINS(t, lab);
    }
    free(t);
    free(svg);

    svg = check_svg(out, "ehcps-dsg-management-plan");
    t = svg ? svg_text(svg) : NULL;
    CHECK_STR_CONTAINS(t, "Other placements (2)"); /* 9 placements: 7 and the other 2 */
    CHECK_STR_CONTAINS(t, "Independent and non-maintained special");
    CHECK_STR_CONTAINS(t, "Extra placement 4, with a long label for the key");
    free(t);
    free(svg);

    /* savings: a row per action, every name whole; zero and negative kept */
    svg = check_svg(out, "savings-dsg-management-plan");
    t = svg ? svg_text(svg) : NULL;
    for (int k = 0; k < NACTIONS; k++) CHECK_STR_CONTAINS(t, long_actions[k]);
    CHECK_STR_CONTAINS(t, "Unmitigated: no DSG management plan, with a label long enough to wrap");
    CHECK_STR_CONTAINS(t, "\xc2\xa3"
                          "0.0m"); /* the action that saves nothing */
    CHECK_STR_CONTAINS(t, "\xe2\x88\x92\xc2\xa3"
                          "0.4m"); /* the one that costs */
    CHECK_STR_CONTAINS(t, "Cost: adds to the deficit");
    CHECK_STR_CONTAINS(t, "sampled Shapley values");
    CHECK(t && strstr(t, "Not attributed") == NULL); /* they add up: no gap bar */
    free(t);
    free(svg);

    hnb_model_free(h);
    free(res);
    free(out);
    remove_tree(dir);
    free(dir);
}

/* ---- optional charts and formats -------------------------------------- */

static void drop_optional(cJSON *doc)
{
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "sweep");
    cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(doc, "scenarios"))
    {
        cJSON_DeleteItemFromObjectCaseSensitive(s, "montecarlo");
        cJSON_DeleteItemFromObjectCaseSensitive(s, "savings");
        cJSON *act = cJSON_GetObjectItemCaseSensitive(s, "actuals");
        cJSON_DeleteItemFromObjectCaseSensitive(act, "finance");
        cJSON_DeleteItemFromObjectCaseSensitive(act, "census");
    }
}

static void test_optional_charts_absent(void)
{
    char *dir = make_tmpdir();
    if (!dir) return;
    char *res = fixture_edited(dir, drop_optional);
    char *out = join(dir, "out");
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_plot_file(h, res, out, HNB_FMT_PDF);
    CHECK(rc == HNB_OK);
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    CHECK(file_size(out, "cumulative.pdf") > 0);
    CHECK(file_size(out, "in-year.pdf") > 0);
    CHECK(file_size(out, "ehcps-baseline.pdf") > 0);
    CHECK(file_size(out, "spend-dsg-management-plan.pdf") > 0);
    CHECK(file_size(out, "fan-baseline.pdf") < 0);
    CHECK(file_size(out, "savings-dsg-management-plan.pdf") < 0);
    CHECK(file_size(out, "tornado.pdf") < 0);
    CHECK(file_size(out, "cumulative.png") < 0); /* only the format asked for */
    CHECK(file_size(out, "cumulative.svg") < 0);
    int tmp = 0;
    CHECK(count_files(out, &tmp) == 6);
    CHECK(tmp == 0);

    CHECK(hnb_plot_file(h, res, out, 0) == HNB_E_USAGE);
    CHECK(hnb_plot_file(h, res, out, 64) == HNB_E_USAGE);
    hnb_model_free(h);
    free(res);
    free(out);
    remove_tree(dir);
    free(dir);
}

/* Labels as a finance officer might type them: quotes, a backslash, braces
 * and an underscore (which gnuplot's enhanced mode would eat). */
static void awkward_labels(cJSON *doc)
{
    cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "scenarios"), 0);
    cJSON_ReplaceItemInObjectCaseSensitive(s, "label", cJSON_CreateString("Do \"nothing\" \\ base_{case} @ 100%"));
    cJSON_ReplaceItemInObjectCaseSensitive(s, "name", cJSON_CreateString("base/../line 1"));
    cJSON *sv = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "scenarios"), 1), "savings");
    cJSON_ReplaceItemInObjectCaseSensitive(sv, "against", cJSON_CreateString("base/../line 1"));
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "sweep"), "scenario",
                                           cJSON_CreateString("base/../line 1"));
}

static void test_awkward_labels(void)
{
    char *dir = make_tmpdir();
    if (!dir) return;
    char *res = fixture_edited(dir, awkward_labels);
    char *out = join(dir, "out");
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_plot_file(h, res, out, HNB_FMT_SVG);
    CHECK(rc == HNB_OK);
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    char *svg = join(out, "cumulative.svg");
    char *s = slurp(svg, NULL);
    CHECK_STR_CONTAINS(s, "base_{case} @ 100%");
    CHECK_STR_CONTAINS(s, "\\");
    free(s);
    free(svg);
    /* the scenario name is made safe as a file name: no folder escapes */
    CHECK(file_size(out, "fan-base-..-line-1.svg") > 0);
    CHECK(file_size(out, "ehcps-base-..-line-1.svg") > 0);
    hnb_model_free(h);
    free(res);
    free(out);
    remove_tree(dir);
    free(dir);
}

/* A caller in a decimal-comma locale gets the same charts: numbers sent to
 * gnuplot keep their '.' (one misplaced comma is a gnuplot syntax error). */
static void test_comma_locale(void)
{
    static const char *const locales[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", NULL};
    char *dir = make_tmpdir();
    if (!dir) return;
    const char *loc = NULL;
    for (const char *const *l = locales; *l && !loc; l++)
        if (setlocale(LC_ALL, *l)) loc = *l;
    if (!loc) { /* none installed: compile one, if glibc's localedef can */
        char *locdir = join(dir, "loc"), cmd[600];
        snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 '%s/de_DE.UTF-8' >/dev/null 2>&1", locdir);
        if (mkdir(locdir, 0777) == 0 && system(cmd) == 0 && setenv("LOCPATH", locdir, 1) == 0 &&
            setlocale(LC_ALL, "de_DE.UTF-8"))
            loc = "de_DE.UTF-8";
        free(locdir);
    }
    if (!loc) {
        printf("test_charts: no decimal-comma locale; locale check skipped\n");
        remove_tree(dir);
        free(dir);
        return;
    }
    CHECK(localeconv()->decimal_point[0] == ','); /* the test means something */
    char *comma = join(dir, "comma"), *dot = join(dir, "dot");
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_plot_file(h, FIXTURE, comma, HNB_FMT_SVG);
    CHECK(rc == HNB_OK);
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    CHECK(localeconv()->decimal_point[0] == ','); /* the caller's locale is put back */
    setlocale(LC_ALL, "C");
    unsetenv("LOCPATH");
    CHECK(hnb_plot_file(h, FIXTURE, dot, HNB_FMT_SVG) == HNB_OK);
    for (size_t i = 0; i < NCHARTS; i++) {
        char leaf[128];
        snprintf(leaf, sizeof leaf, "%s.svg", fixture_charts[i]);
        char *a = join(comma, leaf), *b = join(dot, leaf);
        size_t na = 0, nb = 0;
        char *sa = slurp(a, &na), *sb = slurp(b, &nb);
        CHECK(sa && sb && na == nb && memcmp(sa, sb, na) == 0);
        free(sa);
        free(sb);
        free(a);
        free(b);
    }
    hnb_model_free(h);
    free(comma);
    free(dot);
    remove_tree(dir);
    free(dir);
}

/* ---- input is data: hostile labels ------------------------------------- */

/* A string that would run a command or break out of a gnuplot string if it
 * were passed as code: backquotes (gnuplot's command substitution in a
 * double-quoted string), the shell's $(...), both quotes, a backslash at the
 * end, '@' (a gnuplot macro), '%' (a format), a line break and a control
 * character. `payload` is the file the commands would create. */
static void hostile(char *buf, size_t n, const char *payload, const char *tail)
{
    snprintf(buf, n, "Baseline `touch %s` $(touch %s) 'single' \"double\" @x 100%%%s \\", payload, payload, tail);
}

static char hostile_payload[256];

/* Every string of the results that reaches a chart, made hostile. */
static void hostile_results(cJSON *doc)
{
    char lab[1400], t[1400];
    hostile(lab, sizeof lab, hostile_payload, "\nsecond line\x01");
    cJSON *scen = cJSON_GetObjectItemCaseSensitive(doc, "scenarios");
    cJSON *s0 = cJSON_GetArrayItem(scen, 0), *s1 = cJSON_GetArrayItem(scen, 1);
    cJSON_ReplaceItemInObjectCaseSensitive(s0, "label", cJSON_CreateString(lab));
    hostile(t, sizeof t, hostile_payload, " title");
    cJSON_ReplaceItemInObjectCaseSensitive(doc, "title", cJSON_CreateString(t));
    hostile(t, sizeof t, hostile_payload, " source");
    cJSON_ReplaceItemInObjectCaseSensitive(doc, "source", cJSON_CreateString(t));
    /* a label as long as a paragraph */
    char longlab[5000];
    memset(longlab, 'w', sizeof longlab - 1);
    for (size_t i = 7; i < sizeof longlab - 1; i += 8) longlab[i] = ' ';
    longlab[sizeof longlab - 1] = '\0';
    cJSON_ReplaceItemInObjectCaseSensitive(s1, "label", cJSON_CreateString(longlab));
    cJSON *pl = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s0, "placements"), 0);
    hostile(t, sizeof t, hostile_payload, " placement");
    cJSON_ReplaceItemInObjectCaseSensitive(pl, "label", cJSON_CreateString(t));
    cJSON *sl = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s0, "spend_lines"), 0);
    hostile(t, sizeof t, hostile_payload, " line");
    cJSON_ReplaceItemInObjectCaseSensitive(sl, "label", cJSON_CreateString(t));
    cJSON *act = cJSON_GetArrayItem(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s1, "savings"), "actions"), 0);
    hostile(t, sizeof t, hostile_payload, " action");
    cJSON_ReplaceItemInObjectCaseSensitive(act, "name", cJSON_CreateString(t));
    cJSON *bar =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "sweep"), "bars"), 0);
    hostile(t, sizeof t, hostile_payload, " assumption");
    cJSON_ReplaceItemInObjectCaseSensitive(bar, "assumption", cJSON_CreateString(t));
    cJSON_ReplaceItemInObjectCaseSensitive(bar, "low_label", cJSON_CreateString("`touch x` 'lo'"));
}

/* The file a payload would create is not there (nor anything like it). */
static int payload_ran(const char *dir)
{
    char p[600];
    snprintf(p, sizeof p, "%s/pwned", dir);
    struct stat st;
    return stat(p, &st) == 0 || stat("x", &st) == 0;
}

/* Run a shell command line; its exit status. */
static int run_status(const char *cmd)
{
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_hostile_results(void)
{
    char *dir = make_tmpdir();
    if (!dir) return;
    snprintf(hostile_payload, sizeof hostile_payload, "%s/pwned", dir);
    char *res = fixture_edited(dir, hostile_results);
    char *out = join(dir, "out");
    /* through the library */
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_plot_file(h, res, out, HNB_FMT_SVG | HNB_FMT_PNG);
    CHECK(rc == HNB_OK);
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    CHECK(!payload_ran(dir));
    for (size_t i = 0; i < NCHARTS; i++) {
        char leaf[128];
        snprintf(leaf, sizeof leaf, "%s.svg", fixture_charts[i]);
        CHECK(file_size(out, leaf) > 5000);
    }
    /* shown as typed: the subtitle of a per-scenario chart, the key, the
     * row names of the waterfall and the tornado */
    char lab[1400];
    hostile(lab, sizeof lab, hostile_payload, "");
    lab[strlen(lab) - 2] = '\0'; /* the label's first line */
    char *p = join(out, "fan-baseline.svg"), *svg = slurp(p, NULL), *t = svg ? svg_text(svg) : NULL;
    free(p);
    CHECK_STR_CONTAINS(t, lab); /* up to the line break */
    CHECK_STR_CONTAINS(t, "second line");
    free(t);
    free(svg);
    const char *shown[][2] = {{"cumulative.svg", " source"},
                              {"ehcps-baseline.svg", " placement"},
                              {"spend-baseline.svg", " line"},
                              {"tornado.svg", " assumption"}};
    for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++) {
        p = join(out, shown[k][0]);
        svg = slurp(p, NULL);
        t = svg ? svg_text(svg) : NULL;
        CHECK_STR_CONTAINS(t, "`touch ");
        CHECK_STR_CONTAINS(t, "$(touch ");
        CHECK_STR_CONTAINS(t, "'single' \"double\" @x 100%");
        CHECK_STR_CONTAINS(t, shown[k][1]);
        free(t);
        free(svg);
        free(p);
    }
    p = join(out, "tornado.svg");
    svg = slurp(p, NULL);
    t = svg ? svg_text(svg) : NULL;
    CHECK_STR_CONTAINS(t, "`touch x` 'lo': ");
    free(t);
    free(svg);
    free(p);
    hnb_model_free(h);

    /* through `hnbsim plot` on the crafted results file */
    const char *bin = getenv("HNB_BIN");
    if (bin) {
        char cmd[2400];
        snprintf(cmd, sizeof cmd, "'%s' plot '%s' --out '%s/cli' --format svg >/dev/null 2>&1", bin, res, dir);
        CHECK(run_status(cmd) == 0);
        CHECK(!payload_ran(dir));
        char *cli = join(dir, "cli");
        CHECK(file_size(cli, "cumulative.svg") > 5000);
        CHECK(file_size(cli, "savings-dsg-management-plan.svg") > 5000);
        free(cli);
    }
    free(res);
    free(out);
    remove_tree(dir);
    free(dir);
}

/* A scenario whose label would run a command, through `hnbsim run`. */
static void test_hostile_run(void)
{
    const char *bin = getenv("HNB_BIN");
    if (!bin) {
        printf("test_charts: HNB_BIN not set; hnbsim run check skipped\n");
        return;
    }
    char *dir = make_tmpdir();
    if (!dir) return;
    char payload[256], lab[1400];
    snprintf(payload, sizeof payload, "%s/pwned", dir);
    hostile(lab, sizeof lab, payload, "");
    char *text = slurp("data/hand.json", NULL);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    free(text);
    CHECK(doc != NULL);
    if (!doc) return;
    cJSON *base = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "scenarios"), "base");
    cJSON_ReplaceItemInObjectCaseSensitive(base, "label", cJSON_CreateString(lab));
    cJSON_ReplaceItemInObjectCaseSensitive(doc, "title", cJSON_CreateString(lab));
    char *json = cJSON_Print(doc);
    cJSON_Delete(doc);
    char *scen = join(dir, "hostile.json");
    FILE *f = fopen(scen, "w");
    if (f) {
        fputs(json, f);
        fclose(f);
    }
    free(json);
    char cmd[2400];
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --out '%s/out' --format svg --no-spreadsheets --quiet >/dev/null 2>&1",
             bin, scen, dir);
    CHECK(run_status(cmd) == 0);
    CHECK(!payload_ran(dir));
    char *charts = join(dir, "out/charts");
    char *p = join(charts, "cumulative.svg"), *svg = slurp(p, NULL), *t = svg ? svg_text(svg) : NULL;
    CHECK_STR_CONTAINS(t, lab);
    free(t);
    free(svg);
    free(p);
    CHECK(file_size(charts, "ehcps-base.svg") > 5000);
    CHECK(file_size(charts, "spend-base.svg") > 5000);
    free(charts);
    free(scen);
    remove_tree(dir);
    free(dir);
}

/* ---- charts that compare: six scenarios, long labels ------------------- */

#define NSIX 6

static const char *const six_labels[NSIX] = {
    "Unmitigated: no DSG management plan, on the council's own growth assumptions",
    "DSG management plan (mitigated), every action delivered in full and on time",
    "Management plan with funding flat in cash terms after 2026-27",
    "Management plan with EHCP growth at the national rate rather than Sutton's",
    "Management plan with the Schools Block transfer refused by the Secretary of State",
    "Management plan with special school places delayed by a year",
};

/* The fixture with four more scenarios made from the baseline: each further
 * from balance by 4% a year (so lines and fans differ), with long labels. */
static void six_scenarios(cJSON *doc)
{
    cJSON *scen = cJSON_GetObjectItemCaseSensitive(doc, "scenarios");
    cJSON *base = cJSON_GetArrayItem(scen, 0);
    for (int k = 2; k < NSIX; k++) {
        cJSON *s = cJSON_Duplicate(base, 1);
        char name[32];
        snprintf(name, sizeof name, "variant-%d", k);
        cJSON_ReplaceItemInObjectCaseSensitive(s, "name", cJSON_CreateString(name));
        double f = 1.0 + 0.04 * (k - 1);
        cJSON *y;
        cJSON_ArrayForEach(y, cJSON_GetObjectItemCaseSensitive(s, "years"))
        {
            const char *keys[] = {"in_year", "cumulative"};
            for (int i = 0; i < 2; i++) {
                cJSON *v = cJSON_GetObjectItemCaseSensitive(y, keys[i]);
                cJSON_SetNumberValue(v, v->valuedouble * f);
            }
        }
        cJSON_ArrayForEach(y,
                           cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s, "montecarlo"), "years"))
        {
            cJSON *c = cJSON_GetObjectItemCaseSensitive(y, "cumulative"), *v;
            cJSON_ArrayForEach(v, c) cJSON_SetNumberValue(v, v->valuedouble * f * f);
        }
        cJSON *hl = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s, "headline"),
                                                     "cumulative_at_override_end");
        cJSON_SetNumberValue(hl, hl->valuedouble * f);
        cJSON_AddItemToArray(scen, s);
    }
    int i = 0;
    cJSON *s;
    cJSON_ArrayForEach(s, scen) cJSON_ReplaceItemInObjectCaseSensitive(s, "label", cJSON_CreateString(six_labels[i++]));
}

/* A text of an SVG and the box it covers, in SVG units (points). */
typedef struct svg_box {
    char text[700];
    double x0, x1, y0, y1;
} svg_box;

/* Every text of an SVG from gnuplot with its box, from its anchor, size and
 * DejaVu Sans widths (upright or turned by 90 degrees; slanted texts are
 * skipped). Returns the number found (at most max). */
static int svg_boxes(const char *svg, svg_box *b, int max)
{
    int n = 0;
    for (const char *p = svg; n < max && (p = strstr(p, "<g transform=\"translate(")) != NULL; p++) {
        double x = 0, y = 0, size = 9;
        if (sscanf(p, "<g transform=\"translate(%lf,%lf)", &x, &y) != 2) continue;
        const char *end = strchr(p, '>'), *t = strstr(p, "<text>"), *te = t ? strstr(t, "</text>") : NULL;
        const char *next = strstr(p + 1, "<g ");
        if (!end || !t || !te || (next && t > next)) continue;
        char head[600];
        snprintf(head, sizeof head, "%.*s", (int)(end - p < 599 ? end - p : 599), p);
        int turned = strstr(head, "rotate(-90)") != NULL;
        if (!turned && strstr(head, "rotate(")) continue;
        const char *fs = strstr(head, "font-size=\"");
        if (fs) size = atof(fs + 11);
        char raw[600];
        snprintf(raw, sizeof raw, "%.*s", (int)(te - t - 6 < 599 ? te - t - 6 : 599), t + 6);
        char *dec = svg_text(raw[0] ? raw : " ");
        svg_box *o = &b[n];
        snprintf(o->text, sizeof o->text, "%s", dec ? dec : raw);
        /* svg_text found no <text> in raw: it is the text itself */
        if (dec && !dec[0]) snprintf(o->text, sizeof o->text, "%s", raw);
        free(dec);
        double w = charts_text_cm(o->text, size, strstr(head, "bold") != NULL) / CHARTS_PAGE_W * 567.0;
        double a = strstr(head, "text-anchor=\"end\"") ? w : strstr(head, "text-anchor=\"middle\"") ? w / 2 : 0.0;
        /* along the text: from x - a to x - a + w; across: ascent 0.75 em, descent 0.22 em */
        if (!turned) {
            o->x0 = x - a;
            o->x1 = x - a + w;
            o->y0 = y - 0.75 * size;
            o->y1 = y + 0.22 * size;
        } else { /* reads upwards: the text runs from y + a up to y + a - w */
            o->y0 = y + a - w;
            o->y1 = y + a;
            o->x0 = x - 0.75 * size;
            o->x1 = x + 0.22 * size;
        }
        if (o->text[0] && strspn(o->text, " ") != strlen(o->text)) n++;
    }
    return n;
}

/* Pairs of texts whose boxes overlap by more than a sliver; printed. */
static int svg_overlaps(const char *svg, const char *name)
{
    static svg_box b[600];
    int n = svg_boxes(svg, b, 600), bad = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double ox = fmin(b[i].x1, b[j].x1) - fmax(b[i].x0, b[j].x0);
            double oy = fmin(b[i].y1, b[j].y1) - fmax(b[i].y0, b[j].y0);
            if (ox > 0.5 && oy > 0.5) {
                fprintf(stderr, "%s: \"%s\" (%.1f..%.1f, %.1f..%.1f) overlaps \"%s\" (%.1f..%.1f, %.1f..%.1f)\n", name,
                        b[i].text, b[i].x0, b[i].x1, b[i].y0, b[i].y1, b[j].text, b[j].x0, b[j].x1, b[j].y0, b[j].y1);
                bad++;
            }
        }
    return bad;
}

/* The y tick labels of an SVG (texts right-aligned left of the plot), joined. */
static void svg_yticks(const char *svg, char *out, size_t n)
{
    static svg_box b[600];
    int nb = svg_boxes(svg, b, 600);
    out[0] = '\0';
    for (int i = 0; i < nb; i++)
        if (b[i].x1 < 80.0 && b[i].x0 > 20.0 && strstr(b[i].text, "\xc2\xa3")) {
            strncat(out, b[i].text, n - strlen(out) - 2);
            strncat(out, "|", n - strlen(out) - 1);
        }
}

static void test_six_scenarios(void)
{
    /* the check itself: two labels on top of each other are caught */
    CHECK(
        svg_overlaps(
            "<g transform=\"translate(100,100)\" font-size=\"9.00\" text-anchor=\"start\">\n<text>2026-27</text>\n</g>"
            "<g transform=\"translate(110,102)\" font-size=\"9.00\" text-anchor=\"start\">\n<text>2027-28</text>\n</g>",
            "a made-up SVG (expected)") == 1);
    char *dir = make_tmpdir();
    if (!dir) return;
    char *res = fixture_edited(dir, six_scenarios);
    char *out = join(dir, "out"), *own = join(dir, "own");
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_plot_file(h, res, out, HNB_FMT_SVG | HNB_FMT_PNG);
    CHECK(rc == HNB_OK);
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    const char *const charts[] = {"cumulative",     "in-year",         "fan-baseline",   "fan-variant-5",
                                  "spend-baseline", "spend-variant-5", "ehcps-baseline", "savings-dsg-management-plan",
                                  "tornado"};
    for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++) {
        char leaf[128];
        snprintf(leaf, sizeof leaf, "%s.svg", charts[i]);
        char *p = join(out, leaf), *svg = slurp(p, NULL), *t = svg ? svg_text(svg) : NULL;
        free(p);
        CHECK(svg != NULL);
        if (!svg) continue;
        CHECK(svg_overlaps(svg, charts[i]) == 0);
        CHECK(svg_outside(svg, charts[i], 0) == 0);
        /* every financial year labelled, the override year among them */
        if (strncmp(charts[i], "ehcps", 5) == 0) {
            for (int y = 2023; y <= 2031; y++) {
                char c[16];
                snprintf(c, sizeof c, "%d", y);
                CHECK_STR_CONTAINS(t, c);
            }
        } else if (strcmp(charts[i], "tornado") != 0 && strncmp(charts[i], "savings", 7) != 0) {
            int first = strncmp(charts[i], "spend", 5) == 0 ? 2025 : 2023;
            for (int y = first; y <= 2030; y++) {
                char fy[16];
                snprintf(fy, sizeof fy, ">%d-%02d<", y, (y + 1) % 100);
                CHECK_STR_CONTAINS(svg, fy);
            }
        }
        free(t);
        free(svg);
    }
    /* every scenario in the key, whole */
    char *p = join(out, "cumulative.svg"), *svg = slurp(p, NULL), *t = svg ? svg_text(svg) : NULL;
    for (int k = 0; k < NSIX; k++) CHECK_STR_CONTAINS(t, six_labels[k]);
    free(t);
    free(svg);
    free(p);
    /* too many bars to label: the footnote says where the figures are */
    p = join(out, "in-year.svg");
    svg = slurp(p, NULL);
    t = svg ? svg_text(svg) : NULL;
    CHECK_STR_CONTAINS(t, "too narrow to label");
    free(t);
    free(svg);
    free(p);

    /* the same chart of two scenarios on the same scale; with
     * HNB_PLOT_OWN_SCALES each on its own */
    rc = hnb_plot_file(h, res, own, HNB_FMT_SVG | HNB_PLOT_OWN_SCALES);
    CHECK(rc == HNB_OK);
    const char *pairs[][2] = {{"fan-baseline.svg", "fan-variant-5.svg"},
                              {"spend-baseline.svg", "spend-dsg-management-plan.svg"}};
    for (int k = 0; k < 2; k++) {
        char ta[2][1000], tb[2][1000];
        for (int m = 0; m < 2; m++) {
            char *d = m ? own : out;
            char *pa = join(d, pairs[k][0]), *pb = join(d, pairs[k][1]);
            char *sa = slurp(pa, NULL), *sb = slurp(pb, NULL);
            svg_yticks(sa ? sa : "", ta[m], sizeof ta[m]);
            svg_yticks(sb ? sb : "", tb[m], sizeof tb[m]);
            free(sa);
            free(sb);
            free(pa);
            free(pb);
        }
        CHECK(ta[0][0] && strcmp(ta[0], tb[0]) == 0); /* shared */
        if (strcmp(ta[0], tb[0]) != 0) fprintf(stderr, "%s: %s\n%s: %s\n", pairs[k][0], ta[0], pairs[k][1], tb[0]);
        if (k == 0) CHECK(strcmp(ta[1], tb[1]) != 0); /* the fans differ by 36%: their own scales differ */
    }
    hnb_model_free(h);
    free(res);
    free(out);
    free(own);
    if (getenv("HNB_CHARTS_KEEP")) /* to look at them */
        printf("test_charts: six-scenario charts kept in %s\n", dir);
    else
        remove_tree(dir);
    free(dir);
}

/* ---- errors ------------------------------------------------------------ */

static void bad_fy_and_bar(cJSON *doc)
{
    cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "scenarios"), 1);
    cJSON *y = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s, "years"), 2);
    cJSON_ReplaceItemInObjectCaseSensitive(y, "fy", cJSON_CreateString("2027/28"));
    cJSON *bar =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "sweep"), "bars"), 1);
    cJSON_ReplaceItemInObjectCaseSensitive(bar, "low", cJSON_CreateString("-42000000"));
}

static void no_cumulative(cJSON *doc)
{
    cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "scenarios"), 1);
    cJSON *y = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s, "years"), 2);
    cJSON_DeleteItemFromObjectCaseSensitive(y, "cumulative");
    cJSON_ReplaceItemInObjectCaseSensitive(y, "fy", cJSON_CreateString("2027/28"));
    cJSON *bar =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "sweep"), "bars"), 1);
    cJSON_ReplaceItemInObjectCaseSensitive(bar, "low", cJSON_CreateString("-42000000"));
}

static void test_malformed_results(void)
{
    char *dir = make_tmpdir();
    if (!dir) return;
    char *res = fixture_edited(dir, no_cumulative);
    char *out = join(dir, "out");
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_plot_file(h, res, out, HNB_FMT_PNG);
    CHECK(rc == HNB_E_RESULTS);
    const char *m = hnb_errmsg(h);
    /* the one checked reader (model/results/reader.c) refuses it first, naming the file */
    CHECK_STR_CONTAINS(m, "results.json: scenarios[1].years[2].cumulative: missing");
    CHECK(count_files(out, NULL) <= 0); /* nothing drawn */
    hnb_model_free(h);
    free(res);
    /* past the reader, the charts' own checks: every problem, each with its path and what was expected */
    res = fixture_edited(dir, bad_fy_and_bar);
    h = hnb_model_alloc();
    CHECK(hnb_plot_file(h, res, out, HNB_FMT_PNG) == HNB_E_RESULTS);
    m = hnb_errmsg(h);
    CHECK_STR_CONTAINS(m,
                       "scenarios[1].years[2].fy: wrong type or value (expected a financial year such as \"2026-27\")");
    CHECK_STR_CONTAINS(m, "sweep.bars[1].low");
    CHECK(count_files(out, NULL) <= 0);
    hnb_model_free(h);
    free(res);
    free(out);
    remove_tree(dir);
    free(dir);
}

static void test_missing_gnuplot(void)
{
    char *dir = make_tmpdir(), *empty = make_tmpdir();
    if (!dir || !empty) return;
    setenv("PATH", empty, 1); /* nothing runnable anywhere */
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_plot_file(h, FIXTURE, dir, HNB_FMT_PNG | HNB_FMT_PDF);
    path_set(NULL);
    CHECK(rc == HNB_E_GNUPLOT);
    const char *m = hnb_errmsg(h);
    CHECK_STR_CONTAINS(m, "cumulative.png");
    CHECK_STR_CONTAINS(m, "gnuplot not found on PATH");
    CHECK_STR_CONTAINS(m, "(expected the gnuplot program");
    int tmp = 0;
    CHECK(count_files(dir, &tmp) == 0); /* no chart, no temporary file */
    CHECK(tmp == 0);
    CHECK(strcmp(hnb_strerror(rc), "gnuplot failed") == 0);
    hnb_model_free(h);
    remove_tree(dir);
    remove_tree(empty);
    free(dir);
    free(empty);
}

/* gnuplot that starts writing the chart, then fails as a real one does:
 * carries on to the end of its input and exits 1 with its message. */
static void test_failing_gnuplot(void)
{
    char *dir = make_tmpdir();
    char *fake = fake_gnuplot(
        "while IFS= read -r line; do\n"
        "  case \"$line\" in\n"
        "    'set output \"'*) f=${line#set output \\\"}; f=${f%\\\"}; echo partial > \"$f\";;\n"
        "  esac\n"
        "done\n"
        "printf '\\ngnuplot> plot $s0 using 1:2\\n         ^\\n         line 0: fake failure for the test\\n\\n' >&2\n"
        "exit 1");
    if (!dir || !fake) return;
    path_set(fake);
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_plot_file(h, FIXTURE, dir, HNB_FMT_PNG | HNB_FMT_SVG);
    path_set(NULL);
    CHECK(rc == HNB_E_GNUPLOT);
    const char *m = hnb_errmsg(h);
    CHECK_STR_CONTAINS(m, "cumulative.png: gnuplot failed drawing the cumulative DSG position chart (exit status 1)");
    CHECK_STR_CONTAINS(m, "fake failure for the test");
    CHECK_STR_CONTAINS(m, "plot $s0 using 1:2");
    CHECK_STR_CONTAINS(m, "(expected gnuplot to exit 0");
    int tmp = 0;
    CHECK(count_files(dir, &tmp) == 0); /* the partial files were removed */
    CHECK(tmp == 0);
    hnb_model_free(h);
    remove_tree(dir);
    remove_tree(fake);
    free(dir);
    free(fake);
}

/* A real gnuplot that fails on one chart of a batch (an error is slipped in
 * after the in-year chart's `set output`): that chart's files are removed
 * and its error is reported with gnuplot's message; the chart before it in
 * the same gnuplot keeps its files. */
static void test_one_chart_fails(void)
{
    char *dir = make_tmpdir();
    char *fake =
        fake_gnuplot("PATH=${PATH#*:}\n"
                     "sed -e '/^set output .*in-year\\.svg/a plot undefined_for_the_test' | exec gnuplot \"$@\"");
    if (!dir || !fake) return;
    path_set(fake);
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_plot_file(h, FIXTURE, dir, HNB_FMT_SVG);
    path_set(NULL);
    CHECK(rc == HNB_E_GNUPLOT);
    const char *m = hnb_errmsg(h);
    CHECK_STR_CONTAINS(m, "in-year.svg: gnuplot failed drawing the in-year position chart (exit status 1)");
    CHECK_STR_CONTAINS(m, "undefined_for_the_test");
    char *kept = join(dir, "cumulative.svg"), *gone = join(dir, "in-year.svg");
    struct stat st;
    CHECK(stat(kept, &st) == 0 && st.st_size > 0);
    CHECK(stat(gone, &st) != 0);
    int tmp = 0;
    count_files(dir, &tmp);
    CHECK(tmp == 0); /* no temporary file left behind */
    free(kept);
    free(gone);
    hnb_model_free(h);
    remove_tree(dir);
    remove_tree(fake);
    free(dir);
    free(fake);
}

/* gnuplot that dies at once without reading: writing to it raises SIGPIPE,
 * which must not kill the caller. */
static void test_gnuplot_dies_early(void)
{
    char *dir = make_tmpdir();
    char *fake = fake_gnuplot("echo 'gnuplot: cannot open display' >&2\nexit 3");
    if (!dir || !fake) return;
    path_set(fake);
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_plot_file(h, FIXTURE, dir, HNB_FMT_PDF);
    path_set(NULL);
    CHECK(rc == HNB_E_GNUPLOT);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "(exit status 3)");
    CHECK_STR_CONTAINS(hnb_errmsg(h), "cannot open display");
    CHECK(count_files(dir, NULL) == 0);
    hnb_model_free(h);
    remove_tree(dir);
    remove_tree(fake);
    free(dir);
    free(fake);
}

/* A gnuplot on PATH that cannot be started (its interpreter is missing): the
 * shell's status 127, seen only at pclose. */
static void test_unstartable_gnuplot(void)
{
    char *dir = make_tmpdir(), *fake = make_tmpdir();
    if (!dir || !fake) return;
    char *p = join(fake, "gnuplot");
    FILE *f = fopen(p, "w");
    if (f) {
        fputs("#!/nonexistent/interpreter\n", f);
        fclose(f);
    }
    chmod(p, 0755);
    free(p);
    setenv("PATH", fake, 1); /* alone: sh would otherwise try the next gnuplot */
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_plot_file(h, FIXTURE, dir, HNB_FMT_PNG);
    path_set(NULL);
    CHECK(rc == HNB_E_GNUPLOT);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "cumulative.png: gnuplot could not be run");
    CHECK(count_files(dir, NULL) == 0);
    hnb_model_free(h);
    remove_tree(dir);
    remove_tree(fake);
    free(dir);
    free(fake);
}

/* gnuplot that reads everything and exits 0 but draws nothing. */
static void test_silent_gnuplot(void)
{
    char *dir = make_tmpdir();
    char *fake = fake_gnuplot("cat > /dev/null\nexit 0");
    if (!dir || !fake) return;
    path_set(fake);
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_plot_file(h, FIXTURE, dir, HNB_FMT_SVG);
    path_set(NULL);
    CHECK(rc == HNB_E_GNUPLOT);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "cumulative.svg: gnuplot exited 0 but wrote nothing");
    CHECK(count_files(dir, NULL) == 0);
    hnb_model_free(h);
    remove_tree(dir);
    remove_tree(fake);
    free(dir);
    free(fake);
}

/* ---- the formatting helpers ------------------------------------------- */

static void test_formatting(void)
{
    char b[128];
    charts_money(b, sizeof b, -43896271.6, 1, 0);
    CHECK(strcmp(b, "\xe2\x88\x92\xc2\xa3"
                    "43.9m") == 0);
    charts_money(b, sizeof b, 1234567890123.0, 0, 0);
    CHECK(strcmp(b, "\xc2\xa3"
                    "1,234,568m") == 0);
    charts_money(b, sizeof b, 1350000, 1, 1);
    CHECK(strcmp(b, "+\xc2\xa3"
                    "1.4m") == 0);
    charts_money(b, sizeof b, -20000, 1, 1); /* rounds to zero: no sign */
    CHECK(strcmp(b, "\xc2\xa3"
                    "0.0m") == 0);
    charts_money(b, sizeof b, -2500000000.0, 1, 0);
    CHECK(strcmp(b, "\xe2\x88\x92\xc2\xa3"
                    "2,500.0m") == 0);
    charts_count(b, sizeof b, 3971.2);
    CHECK(strcmp(b, "3,971") == 0);
    charts_count(b, sizeof b, 999.4);
    CHECK(strcmp(b, "999") == 0);
    charts_count(b, sizeof b, 1000000);
    CHECK(strcmp(b, "1,000,000") == 0);
    charts_long_date(b, sizeof b, "2028-03-31");
    CHECK(strcmp(b, "31 March 2028") == 0);
    charts_long_date(b, sizeof b, "soon");
    CHECK(strcmp(b, "soon") == 0);
    charts_wrap(b, sizeof b, "Independent and non-maintained special", 16);
    CHECK(strcmp(b, "Independent and\nnon-maintained\nspecial") == 0);
    charts_wrap(b, sizeof b, "Short", 16);
    CHECK(strcmp(b, "Short") == 0);

    /* widths from DejaVu Sans: "0" is 0.636 em, so ten at 10 pt are 2.24 cm */
    CHECK(fabs(charts_text_cm("0000000000", 10.0, 0) - 2.244) < 0.01);
    CHECK(charts_text_cm("Wide\nx", 9.0, 0) > charts_text_cm("x", 9.0, 0));
    CHECK(charts_text_cm("abc", 9.0, 1) > charts_text_cm("abc", 9.0, 0));
    CHECK(charts_wrap_cm(b, sizeof b, "Independent and non-maintained special schools", 3.0, 9.0, 0) == 3);
    CHECK(strcmp(b, "Independent and\nnon-maintained\nspecial schools") == 0);
    CHECK(charts_wrap_cm(b, sizeof b, "Short", 3.0, 9.0, 0) == 1 && strcmp(b, "Short") == 0);
    CHECK(charts_wrap_cm(b, sizeof b, "Unbreakablewordlongerthanthewidth x", 1.0, 9.0, 0) == 2);
    CHECK(strncmp(b, "Unbreakablewordlongerthanthewidth\n", 34) == 0);

    /* the one escaping function for gnuplot: a single-quoted string, where
     * gnuplot expands nothing; only the quote is doubled */
    charts_text t = {0};
    charts_quote(&t, "a 'b' \"c\" `id` $(id) @x \\ 5%\nd\te\x01\x7f");
    CHECK(t.s && strcmp(t.s, "'a '.\"'\".'b'.\"'\".' \"c\" `id` $(id) @x \\ 5%'.\"\\n\".'d e  '") == 0);
    charts_text_free(&t);
    charts_quote(&t,
                 "bad \xff\xc3 utf-8 \xed\xa0\x80 \xc2\xa3 \xe2\x88\x92"); /* stray, cut, surrogate; £ and minus kept */
    CHECK(t.s &&
          strcmp(t.s,
                 "'bad \xef\xbf\xbd\xef\xbf\xbd utf-8 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xc2\xa3 \xe2\x88\x92'") ==
              0);
    charts_text_free(&t);
    charts_quote(&t, NULL);
    CHECK(t.s && strcmp(t.s, "''") == 0);
    charts_text_free(&t);
    charts_quote_tic(&t, "5% 'x'\ny");
    CHECK(t.s && strcmp(t.s, "'5%% '.\"'\".'x'.\"'\".' y'") == 0);
    charts_text_free(&t);

    charts_chart c;
    charts_begin(&c, "fan", "../etc/passwd x", "test");
    CHECK(strcmp(c.name, "fan-..-etc-passwd-x") == 0);
    charts_chart_free(&c);
}

int main(void)
{
    const char *p = getenv("PATH");
    saved_path = strdup(p ? p : "/usr/bin:/bin");
    test_formatting();
    test_fixture_all_formats();
    test_many_lines_and_actions();
    test_optional_charts_absent();
    test_awkward_labels();
    test_hostile_results();
    test_hostile_run();
    test_six_scenarios();
    test_comma_locale();
    test_malformed_results();
    test_missing_gnuplot();
    test_failing_gnuplot();
    test_one_chart_fails();
    test_gnuplot_dies_early();
    test_unstartable_gnuplot();
    test_silent_gnuplot();
    free(saved_path);
    return check_done();
}
