/* test_needs.c: results by need group and by setting, the full grid CSV, and
 * the charts that group many placements (results/needs.c, api/grid.c,
 * plots/chartstack.c; docs/results-format.md, "EHCPs by need and setting").
 *
 * 1. A hand case: one placement `p` at ages 0-1, stocks [8, 4] at January
 *    2025, two need groups a (share 0.25, cease_multiplier 2) and b (0.75),
 *    cease rates [0.5, 1], 4 new plans a year at age 0 split by the shares.
 *    January 2025: a = 12 x 0.25 = 3, b = 9.
 *    January 2026: age 0 at 2025 was a 2, b 6; a ceases at 0.5 x 2 = 1 (none
 *    survive), b at 0.5 (3 survive, now age 1); age 1 all cease; joiners at
 *    age 0: a 1, b 3. So by_need a = 1, b = 6 (total 7); by_need_age_band
 *    "0-4" a 1, b 6; by_need_placement a.p 1, b.p 6; the grid's cell
 *    (2026, age 1, b, p) = 3 and (2026, age 0, a, p) = 1.
 * 2. Placement labels: a need x setting model of 3 settings x 2 needs whose
 *    placements name `setting` and `need`: by_setting and by_need add up to
 *    the total in every year; one placement without its label is refused.
 * 3. A 114-placement model (19 needs x 6 settings, generated here): the EHCP
 *    chart keys the 6 settings, not 7 placements and "Other placements", and
 *    the need chart exists; the grid has (5 + 1) x 26 x 114 rows. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "hnbsim.h"

static char dir[64];

static void put(const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

static char *slurp(const char *name)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *t = malloc((size_t)n + 1);
    if (t && fread(t, 1, (size_t)n, f) != (size_t)n) n = 0;
    if (t) t[n] = 0;
    fclose(f);
    return t;
}

static const char *hand =
    "{\"format\": \"hnbsim-scenarios\", \"title\": \"by need\", \"source\": \"tests/test_needs.c\",\n"
    " \"scenarios\": {\"h\": {\"label\": \"hand\", \"max_age\": 1, \"horizon\": \"2026-27\",\n"
    "  \"opening_balance\": {\"value\": 0, \"source\": \"t\"},\n"
    "  \"placements\": {\"p\": {\"unit_cost\": {\"value\": 10000, \"source\": \"t\"}}},\n"
    "  \"needs\": {\"a\": {\"share\": 0.25, \"cease_multiplier\": 2}, \"b\": {\"share\": 0.75}},\n"
    "  \"stocks\": {\"census\": 2025, \"source\": \"t\", \"by_age\": {\"p\": [8, 4]}},\n"
    "  \"leavers\": {\"source\": \"t\", \"cease_rates\": [0.5, 1]},\n"
    "  \"joiners\": {\"driver\": \"new_plans\", \"source\": \"t\", \"count\": 4, \"growth\": 0,"
    " \"age_distribution\": [1, 0], \"first_placement\": {\"p\": 1}},\n"
    "  \"funding\": {\"hnb_allocation\": {\"amount\": 0, \"fy\": \"2025-26\", \"growth\": 0, \"source\": \"t\"}}}}}\n";

static cJSON *run(const char *file, const char *grid)
{
    char p[256], g[256];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    snprintf(g, sizeof g, "%s/%s", dir, grid ? grid : "");
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_load_file(h, p);
    hnb_run_options o = {0, 1, 1, 0, 0, NULL};
    if (!rc) rc = hnb_run(h, &o);
    if (!rc && grid) rc = hnb_write_grid(h, g);
    char *s = NULL;
    if (!rc) rc = hnb_results_string(h, &s);
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    hnb_model_free(h);
    cJSON *r = s ? cJSON_Parse(s) : NULL;
    free(s);
    return r;
}

static double at(const cJSON *o, const char *a, const char *b, const char *c)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
    if (b) x = cJSON_GetObjectItemCaseSensitive(x, b);
    if (c) x = cJSON_GetObjectItemCaseSensitive(x, c);
    return cJSON_IsNumber(x) ? x->valuedouble : -1;
}

/* The value of the grid row that starts with `prefix`. */
static double grid_cell(const char *csv, const char *prefix)
{
    const char *p = strstr(csv, prefix);
    if (!p) return -1;
    p = strchr(p, '\n');
    const char *q = p;
    while (q > csv && q[-1] != ',') q--;
    return strtod(q, NULL);
}

static void hand_case(void)
{
    put("hand.json", hand);
    cJSON *r = run("hand.json", "grid.csv");
    CHECK(r != NULL);
    const cJSON *sc = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "scenarios"), 0);
    const cJSON *st = cJSON_GetObjectItem(cJSON_GetObjectItem(sc, "start"), "ehcps");
    CHECK_NEAR(at(st, "by_need", "a", NULL), 3, 1e-12);
    CHECK_NEAR(at(st, "by_need", "b", NULL), 9, 1e-12);
    const cJSON *y = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(sc, "years"), 0), "ehcps");
    CHECK_NEAR(at(y, "total", NULL, NULL), 7, 1e-12);
    CHECK_NEAR(at(y, "by_need", "a", NULL), 1, 1e-12);
    CHECK_NEAR(at(y, "by_need", "b", NULL), 6, 1e-12);
    CHECK_NEAR(at(y, "by_need_age_band", "a", "0-4"), 1, 1e-12);
    CHECK_NEAR(at(y, "by_need_age_band", "b", "0-4"), 6, 1e-12);
    CHECK_NEAR(at(y, "by_need_placement", "b", "p"), 6, 1e-12);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(sc, "need_groups")) == 2);
    CHECK(cJSON_GetObjectItem(sc, "settings") == NULL);
    cJSON_Delete(r);
    char *csv = slurp("grid.csv");
    CHECK(csv != NULL);
    if (csv) {
        CHECK(strncmp(csv, "scenario,census,age,need,placement,setting,placement_need,ehcps\n", 64) == 0);
        CHECK_NEAR(grid_cell(csv, "h,2026,1,b,p,"), 3, 1e-12);
        CHECK_NEAR(grid_cell(csv, "h,2026,0,a,p,"), 1, 1e-12);
        CHECK_NEAR(grid_cell(csv, "h,2025,0,b,p,"), 6, 1e-12);
        int rows = 0;
        for (const char *p = csv; *p; p++) rows += *p == '\n';
        CHECK(rows == 1 + 3 * 2 * 2 * 1); /* censuses 2025-2027 x ages x needs x placements */
        free(csv);
    }
}

/* A need x setting model written as placements: ns settings x nn needs. */
static void write_grouped(const char *name, int ns, int nn, int drop_label)
{
    static const char *const set[6] = {"mainstream", "resourced", "special", "independent", "post16", "ap"};
    size_t cap = 1 << 20;
    char *t = malloc(cap), id[32];
    size_t k = 0;
    k += (size_t)snprintf(t + k, cap - k,
                          "{\"format\": \"hnbsim-scenarios\", \"title\": \"grouped\", \"source\": \"t\",\n"
                          " \"scenarios\": {\"g\": {\"label\": \"grouped\", \"horizon\": \"2029-30\",\n"
                          "  \"opening_balance\": {\"value\": 0, \"source\": \"t\"}, \"placements\": {");
    for (int s = 0; s < ns; s++)
        for (int n = 0; n < nn; n++) {
            snprintf(id, sizeof id, "n%02d_%s", n + 1, set[s]);
            k += (size_t)snprintf(t + k, cap - k,
                                  "%s\"%s\": {\"unit_cost\": {\"value\": %d, \"source\": \"t\"}, \"need\": \"N%02d\"",
                                  s || n ? ", " : "", id, 9000 + 3000 * s, n + 1);
            if (!(drop_label && s == ns - 1 && n == nn - 1))
                k += (size_t)snprintf(t + k, cap - k, ", \"setting\": \"%s\"", set[s]);
            k += (size_t)snprintf(t + k, cap - k, "}");
        }
    k += (size_t)snprintf(t + k, cap - k, "},\n  \"stocks\": {\"census\": 2025, \"source\": \"t\", \"by_age\": {");
    for (int s = 0; s < ns; s++)
        for (int n = 0; n < nn; n++) {
            snprintf(id, sizeof id, "n%02d_%s", n + 1, set[s]);
            k += (size_t)snprintf(t + k, cap - k, "%s\"%s\": [", s || n ? ", " : "", id);
            for (int a = 0; a < 26; a++)
                k += (size_t)snprintf(t + k, cap - k, "%s%d", a ? ", " : "",
                                      a >= 4 && a <= 19 ? 1 + (n + s + a) % 4 : 0);
            k += (size_t)snprintf(t + k, cap - k, "]");
        }
    k += (size_t)snprintf(t + k, cap - k,
                          "}},\n  \"leavers\": {\"source\": \"t\", \"cease_rates\": [0, 0, 0, 0, 0.02, 0.02, 0.02, "
                          "0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.5, 0.5, 0.5, "
                          "0.5, 0.5, 1]},\n  \"joiners\": {\"driver\": \"new_plans\", \"source\": \"t\", \"count\": "
                          "300, \"growth\": 0.05, \"age_distribution\": [0, 0, 0, 0, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1, "
                          "0.1, 0.1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], \"first_placement\": {");
    for (int s = 0; s < ns; s++)
        for (int n = 0; n < nn; n++) {
            snprintf(id, sizeof id, "n%02d_%s", n + 1, set[s]);
            k += (size_t)snprintf(t + k, cap - k, "%s\"%s\": %.17g", s || n ? ", " : "", id, 1.0 / (ns * nn));
        }
    snprintf(t + k, cap - k,
             "}},\n  \"funding\": {\"hnb_allocation\": {\"amount\": 0, \"fy\": \"2025-26\", \"growth\": 0, \"source\": "
             "\"t\"}}}}}\n");
    put(name, t);
    free(t);
}

static int sh(const char *cmd)
{
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void grouped(void)
{
    write_grouped("six.json", 3, 2, 0);
    cJSON *r = run("six.json", NULL);
    CHECK(r != NULL);
    const cJSON *sc = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "scenarios"), 0), *y;
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(sc, "settings")) == 3);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(sc, "need_groups")) == 2);
    int years = 0;
    cJSON_ArrayForEach(y, cJSON_GetObjectItem(sc, "years"))
    {
        const cJSON *e = cJSON_GetObjectItem(y, "ehcps"), *x;
        double tot = at(e, "total", NULL, NULL), bs = 0, bn = 0;
        cJSON_ArrayForEach(x, cJSON_GetObjectItem(e, "by_setting")) bs += x->valuedouble;
        cJSON_ArrayForEach(x, cJSON_GetObjectItem(e, "by_need")) bn += x->valuedouble;
        CHECK_NEAR(bs, tot, 1e-9 * tot);
        CHECK_NEAR(bn, tot, 1e-9 * tot);
        CHECK(cJSON_GetObjectItem(e, "by_need_placement") == NULL); /* labels, not need groups */
        /* mainstream = the two mainstream placements */
        CHECK_NEAR(at(e, "by_setting", "mainstream", NULL),
                   at(e, "by_placement", "n01_mainstream", NULL) + at(e, "by_placement", "n02_mainstream", NULL), 1e-9);
        years++;
    }
    CHECK(years == 5);
    cJSON_Delete(r);
    /* a label on some placements and not others */
    write_grouped("bad.json", 3, 2, 1);
    char p[256];
    snprintf(p, sizeof p, "%s/bad.json", dir);
    hnb_model *h = hnb_model_alloc();
    CHECK(hnb_load_file(h, p) == HNB_E_MISSING);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "scenarios.g.placements.n02_special.setting: missing, though other placements "
                                      "name theirs (expected a placement's setting and need named on every placement "
                                      "or on none)");
    hnb_model_free(h);
    /* 114 placements: the EHCP chart keys the settings, a second chart the needs */
    write_grouped("c114.json", 6, 19, 0);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "\"%s\" run %s/c114.json --out %s/out --format svg --no-spreadsheets --grid-csv --quiet 2>&1",
             getenv("HNB_BIN"), dir, dir);
    CHECK(sh(cmd) == 0);
    char *svg = slurp("out/charts/ehcps-g.svg");
    CHECK(svg != NULL);
    if (svg) {
        CHECK_STR_CONTAINS(svg, "EHCPs by setting");
        CHECK_STR_CONTAINS(svg, "independent");
        CHECK(strstr(svg, "Other placements") == NULL);
        CHECK(strstr(svg, "n01_mainstream") == NULL);
        free(svg);
    }
    svg = slurp("out/charts/ehcps-need-g.svg");
    CHECK(svg != NULL);
    if (svg) {
        CHECK_STR_CONTAINS(svg, "EHCPs by need");
        CHECK_STR_CONTAINS(svg, "Other needs (12)");
        free(svg);
    }
    char *csv = slurp("out/grid.csv");
    int rows = 0;
    for (const char *q = csv; q && *q; q++) rows += *q == '\n';
    CHECK(rows == 1 + 6 * 26 * 114);
    free(csv);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/hnb_needs.XXXXXX");
    if (!mkdtemp(dir)) return 1;
    hand_case();
    grouped();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return 1;
    return check_done();
}
