/* test_depth.c: model depth (issue 14) on hand cases, tests/data/depth.json:
 * need-dependent leavers, moves and first placements, by_year on the rates
 * and shares, the incidence driver (tests/data/depth-pop.csv), each variant
 * of modify_transitions, and the loader's messages for bad input.
 *
 * The base, "need": ages 0-1, placements ms, sp, nmi, need groups A and B
 * (0.5 each; A's cease_multiplier 2), census January 2025, two steps.
 *   Stocks at age 0: ms 100, sp 40, so each group has ms 50, sp 20.
 *   Cease rates: shared [0.1, 0.5]; A in sp its own [0.2, 0.5] (as given,
 *   no multiplier); B its own [0.3, 0.5]; so at age 0
 *     A ms 0.1 x 2 = 0.2: 10 leave, 40 survive   A sp 0.2: 4 leave, 16 survive
 *     B ms 0.3: 15 leave, 35 survive             B sp 0.3: 6 leave, 14 survive
 *   leavers step 0: 10 + 4 + 15 + 6 = 35.
 *   Moves at age 1: shared ms -> sp 0.1 (A: 40 -> ms 36, sp 16 + 4 = 20);
 *   B's own ms -> sp 0.4 (35 -> ms 21, sp 14 + 14 = 28).
 *   10 new plans at age 0, 5 per group; A by the shared first placement
 *   (ms 0.8, sp 0.2): ms 4, sp 1; B by its own (0.5, 0.5): ms 2.5, sp 2.5.
 *   Census 2026: ms 4 + 2.5 + 36 + 21 = 63.5, sp 1 + 2.5 + 20 + 28 = 51.5,
 *   nmi 0 (115).
 *   Step 1 from it: age 0 A ms 4 x 0.2 = 0.8 leave (3.2), A sp 1 x 0.2 (0.8),
 *   B ms 2.5 x 0.3 (1.75), B sp (1.75); all 105 at age 1 cease: leavers
 *   0.8 + 0.2 + 0.75 + 0.75 + 105 = 107.5. Moves: A ms 3.2 -> 2.88, sp
 *   0.8 + 0.32 = 1.12; B ms 1.75 -> 1.05, sp 1.75 + 0.7 = 2.45. New plans as
 *   before. Census 2027: ms 4 + 2.5 + 2.88 + 1.05 = 10.43, sp 1 + 2.5 + 1.12 +
 *   2.45 = 7.07. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/model.h"
#include "core/scenario.h"
#include "engine/project.h"

enum { MS, SP, NMI };

static hnb_model *h;

static const scenario *find(const char *name)
{
    for (size_t i = 0; i < h->nscen; i++)
        if (strcmp(h->scen[i]->name, name) == 0) return h->scen[i];
    fprintf(stderr, "no scenario %s\n", name);
    return NULL;
}

typedef struct run {
    double ehcps[2][3], leavers[2], joiners[2];
    double end[2][2][3]; /* stock at census 2027 [age][need][placement] */
} run;

static int project(const char *name, run *out)
{
    memset(out, 0, sizeof *out);
    const scenario *s = find(name);
    if (!s) return 0;
    workspace w;
    projection pr;
    ivstate ivs[8];
    if (s->niv > 8 || workspace_alloc(s, &w) || projection_alloc(s, &pr)) return 0;
    ivstate_default(s, ivs);
    int rc = project_run(s, s->val, ivs, &w, &pr);
    CHECK(rc == HNB_OK);
    for (int k = 0; k < 2; k++) {
        for (int p = 0; p < 3; p++) out->ehcps[k][p] = pr.ehcps[k * 3 + p];
        out->leavers[k] = pr.leavers[k];
        out->joiners[k] = pr.joiners[k];
    }
    for (int a = 0; a < 2; a++)
        for (int n = 0; n < 2; n++)
            for (int p = 0; p < 3; p++) out->end[a][n][p] = pr.stock_end[cell(s, a, n, p)];
    projection_free(&pr);
    workspace_free(&w);
    return 1;
}

static void check_census(const run *r, int k, double ms, double sp, double nmi)
{
    CHECK_NEAR(r->ehcps[k][MS], ms, 1e-9);
    CHECK_NEAR(r->ehcps[k][SP], sp, 1e-9);
    CHECK_NEAR(r->ehcps[k][NMI], nmi, 1e-9);
}

static void test_need_rates(void)
{
    run r;
    CHECK(project("need", &r));
    check_census(&r, 0, 63.5, 51.5, 0.0);
    CHECK_NEAR(r.leavers[0], 35.0, 1e-9);
    CHECK_NEAR(r.joiners[0], 10.0, 1e-9);
    check_census(&r, 1, 10.43, 7.07, 0.0);
    CHECK_NEAR(r.leavers[1], 107.5, 1e-9);
    /* census 2027 cells: A ms at age 1 2.88, B sp at age 1 2.45, B sp at age 0 2.5 */
    CHECK_NEAR(r.end[1][0][MS], 2.88, 1e-9);
    CHECK_NEAR(r.end[1][1][SP], 2.45, 1e-9);
    CHECK_NEAR(r.end[0][1][SP], 2.5, 1e-9);
}

/* "years": the need case with by_year for 2026-27 (step 1) on the shared
 * cease rates ([0.3, 0.5]), the shared move matrix (ms -> sp 0.5), the
 * shared first placement (ms 0.6, sp 0.4) and the need shares of new plans
 * (A 0.8, B 0.2). Step 0 is the need case's.
 * Step 1: age 0 A ms 4 x 0.3 x 2 = 2.4 leave (1.6 survive); A sp (own rates)
 * 0.2 leave (0.8); B as before (1.75, 1.75): leavers 2.4 + 0.2 + 0.75 + 0.75
 * + 105 = 109.1. Moves: A ms 1.6 -> 0.8 stay, 0.8 to sp (sp 1.6); B by its
 * own matrix (no by_year): ms 1.05, sp 2.45. New plans: A 8 (ms 4.8, sp 3.2),
 * B 2 (ms 1, sp 1). Census 2027: ms 4.8 + 1 + 0.8 + 1.05 = 7.65, sp 3.2 + 1 +
 * 1.6 + 2.45 = 8.25. */
static void test_by_year(void)
{
    run r;
    CHECK(project("years", &r));
    check_census(&r, 0, 63.5, 51.5, 0.0);
    CHECK_NEAR(r.leavers[0], 35.0, 1e-9);
    check_census(&r, 1, 7.65, 8.25, 0.0);
    CHECK_NEAR(r.leavers[1], 109.1, 1e-9);
    CHECK_NEAR(r.end[0][0][MS], 4.8, 1e-9);
    CHECK_NEAR(r.end[0][1][SP], 1.0, 1e-9);
    CHECK_NEAR(r.end[1][0][SP], 1.6, 1e-9);
}

/* "incidence": population by census year from depth-pop.csv (2026: age 0
 * 1000, age 1 2000, age 2 ignored; 2027: 1500, 2000), rates [0.01, 0.002]
 * and [0.02, 0.002] in 2026-27, need shares A 0.6 / B 0.4 at age 0 and 0.5
 * each at age 1.
 * Step 0 (census 2026): age 0 1000 x 0.01 = 10 (A 6: ms 4.8, sp 1.2; B 4:
 * ms 2, sp 2), age 1 2000 x 0.002 = 4 (A 2: ms 1.6, sp 0.4; B 2: ms 1, sp 1):
 * 14 new plans. With the need case's survivors after moves (age 1: A ms 36,
 * sp 20; B ms 21, sp 28): ms 4.8 + 2 + 1.6 + 1 + 36 + 21 = 66.4, sp 1.2 + 2 +
 * 0.4 + 1 + 20 + 28 = 52.6.
 * Step 1 (census 2027, 2026-27 rates): age 0 1500 x 0.02 = 30, age 1 4: 34;
 * at census 2027 age 0 A ms = 30 x 0.6 x 0.8 = 14.4, B sp = 30 x 0.4 x 0.5 = 6;
 * age 1 new plans A ms 1.6 on top of the survivors. */
static void test_incidence(void)
{
    run r;
    CHECK(project("incidence", &r));
    CHECK_NEAR(r.joiners[0], 14.0, 1e-9);
    check_census(&r, 0, 66.4, 52.6, 0.0);
    CHECK_NEAR(r.joiners[1], 34.0, 1e-9);
    CHECK_NEAR(r.end[0][0][MS], 14.4, 1e-9);
    CHECK_NEAR(r.end[0][1][SP], 6.0, 1e-9);
    CHECK_NEAR(r.end[0][0][NMI], 0.0, 1e-12);
}

/* The population as a table gives the incidence case's figures; B's own
 * cease rates with by_year for 2026-27 ([0.5, 0.5]): step 1 at age 0 B ms
 * 2.5 x 0.5 = 1.25 leave, B sp 1.25 (not 0.75 each): leavers 107.5 + 1 =
 * 108.5; B's survivors 1.25 each, B ms moves 0.4: ms 0.75, sp 1.25 + 0.5 =
 * 1.75. Census 2027: ms 4 + 2.5 + 2.88 + 0.75 = 10.13, sp 1 + 2.5 + 1.12 +
 * 1.75 = 6.37. */
static void test_table_and_need_years(void)
{
    run r;
    CHECK(project("incidence-table", &r));
    CHECK_NEAR(r.joiners[0], 14.0, 1e-9);
    check_census(&r, 0, 66.4, 52.6, 0.0);
    CHECK_NEAR(r.joiners[1], 34.0, 1e-9);
    CHECK_NEAR(r.end[0][0][MS], 14.4, 1e-9);
    CHECK(project("need-years", &r));
    check_census(&r, 0, 63.5, 51.5, 0.0);
    CHECK_NEAR(r.leavers[1], 108.5, 1e-9);
    check_census(&r, 1, 10.13, 6.37, 0.0);
}

/* modify_transitions, each from 1 January 2025 (the whole of step 0). */
static void test_modify(void)
{
    run r;
    /* move_rate 0.5 for B at age 1 from ms: B's 35 move 0.4 x 0.5 = 0.2:
     * ms 28, sp 14 + 7 = 21; A as before (36, 20). ms 4 + 2.5 + 36 + 28 =
     * 70.5, sp 1 + 2.5 + 20 + 21 = 44.5. */
    CHECK(project("move-rate", &r));
    check_census(&r, 0, 70.5, 44.5, 0.0);
    /* the same with factor 0 ramped over 16 months: at 1 September 2025 the
     * ramp is 8/16 = 0.5, so the moves are x (1 + 0.5 x (0 - 1)) = 0.5 */
    CHECK(project("move-rate-ramp", &r));
    check_census(&r, 0, 70.5, 44.5, 0.0);
    /* factor 3: B's moves would be 1.2 of the row: capped, everyone moves:
     * B ms 0, sp 14 + 35 = 49. ms 4 + 2.5 + 36 = 42.5, sp 1 + 2.5 + 20 + 49 =
     * 72.5 */
    CHECK(project("move-rate-cap", &r));
    check_census(&r, 0, 42.5, 72.5, 0.0);
    CHECK_NEAR(r.end[1][1][MS], 0.0, 1e-12); /* still nobody in step 1 */
    /* leave_rate 2 for A in sp at age 0: 0.2 x 2 = 0.4, 8 leave (12
     * survive): leavers 35 + 4 = 39, A sp 12 + 4 = 16; sp 1 + 2.5 + 16 + 28 =
     * 47.5 */
    CHECK(project("leave-rate", &r));
    check_census(&r, 0, 63.5, 47.5, 0.0);
    CHECK_NEAR(r.leavers[0], 39.0, 1e-9);
    /* leave_rate 10 for B in ms: 0.3 x 10 = 3, capped at 1: all 50 cease at
     * age 0 (leavers 35 + 35 = 70) and B ms at age 1 is empty; ms 4 + 2.5 + 36
     * = 42.5, sp 1 + 2.5 + 20 + 14 = 37.5 */
    CHECK(project("leave-rate-cap", &r));
    check_census(&r, 0, 42.5, 37.5, 0.0);
    CHECK_NEAR(r.leavers[0], 70.0, 1e-9);
    /* redirect half the moves into sp from ms at age 1 to nmi: A 4 -> sp 2,
     * nmi 2; B 14 -> sp 7, nmi 7. sp 1 + 2.5 + 18 + 21 = 42.5, nmi 9 */
    CHECK(project("redirect", &r));
    check_census(&r, 0, 63.5, 42.5, 9.0);
    /* close sp, pro rata: new plans' sp share goes to ms (nmi has 0): A 5 and
     * B 5 all to ms; moves to sp go back to staying (the row's only other
     * entry): A ms 40, B ms 35 stay. ms 5 + 5 + 40 + 35 = 85, sp 16 + 14 =
     * 30 */
    CHECK(project("close", &r));
    check_census(&r, 0, 85.0, 30.0, 0.0);
    CHECK_NEAR(r.joiners[0], 10.0, 1e-9);
    /* close half of sp to B's entrants, to nmi: B's new plans ms 2.5, sp
     * 1.25, nmi 1.25; B's moves 14 -> sp 7, nmi 7; A as in the need case. ms
     * 4 + 2.5 + 36 + 21 = 63.5, sp 1 + 1.25 + 20 + 21 = 43.25, nmi 1.25 + 7 =
     * 8.25 */
    CHECK(project("close-to", &r));
    check_census(&r, 0, 63.5, 43.25, 8.25);
}

/* ---- bad input ---------------------------------------------------------- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *t = malloc((size_t)n + 1);
    if (t && fread(t, 1, (size_t)n, f) != (size_t)n) {
        free(t);
        t = NULL;
    }
    if (t) t[n] = '\0';
    fclose(f);
    return t;
}

static char dir[64];

/* depth.json with `from` replaced by `to`, loaded from a folder of its own
 * (beside a copy of the population file, or `csv` in its place): the
 * loader's message must contain `want`. */
static void bad(const char *from, const char *to, const char *csv, const char *want)
{
    char *text = slurp("data/depth.json");
    CHECK(text != NULL);
    const char *p = text ? strstr(text, from) : NULL;
    CHECK(p != NULL);
    if (!p) {
        fprintf(stderr, "not in depth.json: %s\n", from);
        free(text);
        return;
    }
    char path[128], pop[128];
    snprintf(path, sizeof path, "%s/bad.json", dir);
    snprintf(pop, sizeof pop, "%s/depth-pop.csv", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
    fclose(f);
    char *good = slurp("data/depth-pop.csv");
    f = fopen(pop, "w");
    fputs(csv ? csv : good, f);
    fclose(f);
    free(good);
    hnb_model *m = hnb_model_alloc();
    CHECK(hnb_load_file(m, path) != HNB_OK);
    CHECK_STR_CONTAINS(hnb_errmsg(m), want);
    hnb_model_free(m);
    free(text);
}

static void test_bad_input(void)
{
    snprintf(dir, sizeof dir, "/tmp/hnb-depth-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    bad("\"B\": {\"cease_rates\": [0.3, 0.5]}", "\"C\": {\"cease_rates\": [0.3, 0.5]}", NULL,
        "bad.json: scenarios.need.leavers.by_need.C: no need group \"C\" (expected one of the need groups: A B)");
    bad("\"needs\": [\"B\"], \"source\": \"test\",\n                 \"matrix\"",
        "\"needs\": [\"D\"], \"source\": \"test\",\n                 \"matrix\"", NULL,
        "bad.json: scenarios.need.moves[1].needs[0]: no need group D (expected one of the need groups: A B)");
    bad("\"factor\": 0.5, \"ages\": [1]", "\"factor\": 0.5, \"ages\": [2]", NULL,
        "bad.json: scenarios.move-rate.interventions[0].ages: not an age (expected whole ages from 0 to 1)");
    bad("\"placement\": \"sp\", \"to\": \"nmi\", \"share\": 0.5, \"ages\"",
        "\"placement\": \"sp\", \"to\": \"sp\", \"share\": 0.5, \"ages\"", NULL,
        "bad.json: scenarios.redirect.interventions[0].to: a redirect to itself (expected a placement other than "
        "`placement`)");
    bad("\"modify\": \"close\",\n                         \"start\": \"2025-01-01\", \"placement\": \"sp\"",
        "\"modify\": \"close\",\n                         \"start\": \"2025-01-01\", \"placement\": \"xx\"", NULL,
        "bad.json: scenarios.close.interventions[0].placement: no placement \"xx\" (expected one of the placements: "
        "ms sp nmi)");
    bad("\"needs\": [\"A\"], \"placements\": [\"sp\"]", "\"needs\": [\"E\"], \"placements\": [\"sp\"]", NULL,
        "bad.json: scenarios.leave-rate.interventions[0].needs[0]: no need group E (expected one of the need "
        "groups: A B)");
    bad("\"modify\": \"redirect\",", "\"modify\": \"redirect\", \"factor\": 2,", NULL,
        "bad.json: scenarios.redirect.interventions[0].factor: not used by modify \"redirect\"");
    bad("\"2026-27\": {\"ms\": 0.6, \"sp\": 0.4}", "\"2026-27\": {\"ms\": 0.6, \"sp\": 0.3}", NULL,
        "bad.json: scenarios.years.joiners.first_placement.by_year.2026-27: shares sum to 0.9 (expected shares "
        "that sum to 1 within 1e-9)");
    bad("\"2026-27\": {\"A\": 0.8, \"B\": 0.2}", "\"2026-7\": {\"A\": 0.8, \"B\": 0.2}", NULL,
        "bad.json: scenarios.years.joiners.need_shares.by_year.2026-7: not a financial year (expected a financial "
        "year such as \"2026-27\")");
    bad("\"A\": 0.6, \"B\": 0.4", "\"A\": 0.6, \"Z\": 0.4", NULL,
        "bad.json: scenarios.incidence.joiners.need_shares[0].shares.Z: no need group \"Z\"");
    bad("\"modify\": \"move_rate\",\n                         \"start\": \"2025-01-01\", \"factor\": 3",
        "\"modify\": \"moves\",\n                         \"start\": \"2025-01-01\", \"factor\": 3", NULL,
        "scenarios.move-rate-cap.interventions[0].modify: unknown change \"moves\" (expected one of move_rate "
        "leave_rate redirect close)");
    /* the population file */
    bad("\"driver\": \"incidence\"", "\"driver\": \"incidence\"",
        "year,age,population\n2026,0,1000\n2026,1,2000\n2027,0,1500\n",
        "bad.json: scenarios.incidence.joiners.population_by_age.file: ");
    bad("\"driver\": \"incidence\"", "\"driver\": \"incidence\"",
        "year,age,population\n2026,0,1000\n2026,1,2000\n2027,0,1500\n",
        "depth-pop.csv: year 2027 has no row for age 1 (expected every age from 0 to 1 in every year)");
    bad("\"driver\": \"incidence\"", "\"driver\": \"incidence\"", "year,age,people\n2026,0,1000\n",
        "depth-pop.csv line 1: no column \"population\" (expected a header line naming the columns year, age and "
        "population)");
    bad("\"driver\": \"incidence\"", "\"driver\": \"incidence\"", "age,population,year\n0,10,2026\n1,-5,2026\n",
        "depth-pop.csv line 3: population \"-5\" (expected people from 0 to 1e9)");
    bad("\"driver\": \"incidence\"", "\"driver\": \"incidence\"", "year,age,population\n2026,0,1\n2026,0,2\n",
        "depth-pop.csv line 3: year 2026 age 0 given twice (expected one row per year and age)");
    bad("\"file\": \"depth-pop.csv\"", "\"file\": \"nowhere.csv\"", NULL, "population file \"");
    char link[128];
    snprintf(link, sizeof link, "%s/link.csv", dir);
    CHECK(symlink("/etc/hostname", link) == 0);
    bad("\"file\": \"depth-pop.csv\"", "\"file\": \"link.csv\"", NULL,
        "population file \"link.csv\" is outside the folder of");
    unlink(link);
    bad("\"driver\": \"incidence\", \"source\": \"test\",", "\"driver\": \"incidence\", \"age_distribution\": [1, 0],",
        NULL, "scenarios.incidence.joiners.age_distribution: not used by the incidence driver");
    char path[128];
    snprintf(path, sizeof path, "%s/bad.json", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/depth-pop.csv", dir);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    h = hnb_model_alloc();
    int rc = hnb_load_file(h, "data/depth.json");
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    CHECK(rc == HNB_OK);
    if (!rc) {
        test_need_rates();
        test_by_year();
        test_incidence();
        test_table_and_need_years();
        test_modify();
    }
    hnb_model_free(h);
    test_bad_input();
    return check_done();
}
