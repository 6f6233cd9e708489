/* test_estimate.c: hnbsim estimate on a history small enough to count by
 * hand, through the real binary; and its bad inputs, each with its message,
 * exit code 1 and no file written. The recovery test on a large history
 * from a known model is tests/estimate_recovery.py.
 *
 * The history (below, HISTORY): calendar years 2020 and 2021, one need
 * (ASD), two settings (MS, SP), ages = academic year + 4.
 *   2020: MS-ASD at age 5: 5 children; 3 stay, 1 moves to SP, 1 leaves.
 *         SP-ASD at age 6: 2 children, both stay.
 *         joiners: 2 at age 5 into MS, 1 at age 4 into SP.
 *   2021: MS-ASD at age 5: the 2 joiners, both stay; at age 6: 3, all stay.
 *         SP-ASD at age 4: 1 stays; at 6: 1 stays; at 7: 2, both leave.
 *         joiners: 3 at age 5 into MS.
 * With --min-count 1 nothing pools. MS-ASD at 5: 7 at risk, 1 left: rate
 * 1/7; of the 6 who stayed in SEND, 5 in MS and 1 in SP: shares 5/6, 1/6 at
 * the new age 6. SP-ASD at 7: 2 of 2 left: rate 1.
 * With --min-count 3, SP-ASD's ages 4-6 (1 + 0 + 3 at risk) form one band
 * and age 7 (2, short) joins it: ages 4-7, 6 at risk, 2 left: 1/3.
 * Joiners: age 5: 5 over a population of 1000 + 1000: 0.0025; age 4:
 * 1 / 2000: the incidence driver's rate_by_age, with the population file
 * as its table, each calendar year as the census after it (2021's as 2022).
 * The population of 2022 is 2021's (the latest given): 1000 at each age, so
 * 2.5 + 0.5 = 3 joiners in the first step, 5/6 of them at 5.
 * Stocks at January 2022 (the 2021 rows' right side): MS-ASD 3 at age 5,
 * 2 at 6, 3 at 7; SP-ASD 1 at 5 and 1 at 7.
 *
 * Validation (estimated on 2020 alone, min count 1, forecast January 2022
 * from January 2021): MS-ASD's 2 at age 5 keep 3/5 in MS (1.2), move 1/5 to
 * SP (0.4); its 3 at age 6 take the rate of every placement at 6 (SP's: 0
 * left), and stay; SP-ASD's 1 at age 4 (no one at 4 in 2020, below the
 * youngest age seen: rate 0) stays, its 1 at 6 stays, its 2 at 7 (older
 * than anyone seen: rate 1) leave; joiners 2 into MS and 1 into SP (rates
 * 2/1000, 1/1000 times 1000). MS 1.2 + 3 + 2 = 6.2 (actual 8), SP 0.4 + 1 +
 * 1 + 1 = 3.4 (actual 2), ASD 9.6 (actual 10). */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static char dir[64], out[8192], err[4096];

static const char *HISTORY =
    "calendar-year,setting-1,need-1,academic-year-1,setting-2,need-2,academic-year-2\n"
    "2020,MS,ASD,1,MS,ASD,2\n2020,MS,ASD,1,MS,ASD,2\n2020,MS,ASD,1,MS,ASD,2\n"
    "2020,MS,ASD,1,SP,ASD,2\n2020,MS,ASD,1,NONSEND,NONSEND,2\n"
    "2020,SP,ASD,2,SP,ASD,3\n2020,SP,ASD,2,SP,ASD,3\n"
    "2020,NONSEND,NONSEND,0,MS,ASD,1\n2020,NONSEND,NONSEND,0,MS,ASD,1\n2020,NONSEND,NONSEND,-1,SP,ASD,0\n"
    "2021,MS,ASD,1,MS,ASD,2\n2021,MS,ASD,1,MS,ASD,2\n"
    "2021,MS,ASD,2,MS,ASD,3\n2021,MS,ASD,2,MS,ASD,3\n2021,MS,ASD,2,MS,ASD,3\n"
    "2021,SP,ASD,0,SP,ASD,1\n2021,SP,ASD,2,SP,ASD,3\n"
    "2021,SP,ASD,3,NONSEND,NONSEND,4\n2021,SP,ASD,3,NONSEND,NONSEND,4\n"
    "2021,NONSEND,NONSEND,0,MS,ASD,1\n2021,NONSEND,NONSEND,0,MS,ASD,1\n2021,NONSEND,NONSEND,0,MS,ASD,1\n";

static const char *POP = "calendar-year,academic-year,population\n"
                         "2020,0,1000\n2020,1,1000\n2021,0,1000\n2021,1,1000\n";

static const char *COSTS = "need,setting,cost\nASD,MS,9000\nASD,SP,26000\n";

static void put(const char *name, const char *text)
{
    char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int run(const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd %s && \"%s\" estimate %s >out.txt 2>err.txt", dir, getenv("HNB_BIN"), args);
    int st = system(cmd);
    char p[128];
    FILE *f;
    out[0] = err[0] = '\0';
    snprintf(p, sizeof p, "%s/out.txt", dir);
    if ((f = fopen(p, "r"))) {
        out[fread(out, 1, sizeof out - 1, f)] = '\0';
        fclose(f);
    }
    snprintf(p, sizeof p, "%s/err.txt", dir);
    if ((f = fopen(p, "r"))) {
        err[fread(err, 1, sizeof err - 1, f)] = '\0';
        fclose(f);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static cJSON *load(const char *name)
{
    char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "r");
    if (!f) return NULL;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return cJSON_Parse(buf);
}

static int exists(const char *name)
{
    char p[128];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &st) == 0;
}

static double num(const cJSON *o, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *x = o;
    for (char *save = NULL, *t = strtok_r(buf, "/", &save); t && x; t = strtok_r(NULL, "/", &save)) {
        if (cJSON_IsArray(x))
            x = cJSON_GetArrayItem(x, atoi(t));
        else
            x = cJSON_GetObjectItemCaseSensitive(x, t);
    }
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static const cJSON *validation_row(const cJSON *doc, const char *kind, const char *name)
{
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "estimation"), "validation"), "rows");
    const cJSON *r;
    cJSON_ArrayForEach(r, rows)
    {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(r, kind);
        if (cJSON_IsString(k) && strcmp(k->valuestring, name) == 0) return r;
    }
    return NULL;
}

static void hand_case(void)
{
    CHECK(run("history.csv --population pop.csv --costs costs.csv --min-count 1 --out est.json") == 0);
    cJSON *doc = load("est.json");
    CHECK(doc != NULL);
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "scenarios"), "estimated");
    CHECK_NEAR(num(sc, "leavers/by_placement/MS-ASD/5"), 1.0 / 7, 1e-15);
    CHECK_NEAR(num(sc, "leavers/by_placement/SP-ASD/7"), 1.0, 1e-15);
    CHECK_NEAR(num(sc, "leavers/by_placement/SP-ASD/6"), 0.0, 1e-15);
    /* the matrix for the new age 6: MS-ASD's row */
    const cJSON *m, *row = NULL;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(sc, "moves"))
    {
        if (num(m, "ages/0") == 6)
            row = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(m, "matrix"), "MS-ASD");
    }
    CHECK_NEAR(num(row, "MS-ASD"), 5.0 / 6, 1e-15);
    CHECK_NEAR(num(row, "SP-ASD"), 1.0 / 6, 1e-15);
    /* the incidence driver: the rates by age, the population by census year (2021's as January 2022's) */
    const cJSON *drv = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(sc, "joiners"), "driver");
    CHECK(cJSON_IsString(drv) && strcmp(drv->valuestring, "incidence") == 0);
    CHECK_NEAR(num(sc, "joiners/rate_by_age/value/5"), 0.0025, 1e-15);
    CHECK_NEAR(num(sc, "joiners/rate_by_age/value/4"), 0.0005, 1e-15);
    CHECK_NEAR(num(sc, "joiners/population_by_age/table/2022/5"), 1000, 0);
    CHECK(isnan(num(sc, "joiners/age_distribution/5")));
    CHECK_NEAR(num(sc, "joiners/first_placement/0/shares/SP-ASD"), 1.0, 0);
    CHECK_NEAR(num(sc, "joiners/first_placement/1/shares/MS-ASD"), 1.0, 0);
    CHECK_NEAR(num(sc, "joiners/first_placement/1/ages/0"), 5, 0);
    CHECK_NEAR(num(sc, "joiners/first_placement/1/ages/1"), 25, 0);
    CHECK_NEAR(num(sc, "stocks/by_age/MS-ASD/5"), 3, 0);
    CHECK_NEAR(num(sc, "stocks/by_age/MS-ASD/6"), 2, 0);
    CHECK_NEAR(num(sc, "stocks/by_age/MS-ASD/7"), 3, 0);
    CHECK_NEAR(num(sc, "stocks/by_age/SP-ASD/5"), 1, 0);
    CHECK_NEAR(num(sc, "stocks/by_age/SP-ASD/7"), 1, 0);
    CHECK_NEAR(num(sc, "stocks/census"), 2022, 0);
    CHECK_NEAR(num(sc, "placements/SP-ASD/unit_cost/value"), 26000, 0);
    /* the counts behind the rates */
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(doc, "estimation");
    CHECK_NEAR(num(e, "placements/MS-ASD/bands/0/at_risk"), 7, 0);
    CHECK_NEAR(num(e, "placements/MS-ASD/bands/0/left"), 1, 0);
    CHECK_NEAR(num(e, "placements/MS-ASD/bands/0/to/SP-ASD"), 1, 0);
    CHECK_NEAR(num(e, "joiners/by_year/2021"), 3, 0);
    /* validation, by hand above */
    CHECK_NEAR(num(validation_row(doc, "setting", "MS"), "forecast"), 6.2, 1e-9);
    CHECK_NEAR(num(validation_row(doc, "setting", "MS"), "actual"), 8, 0);
    CHECK_NEAR(num(validation_row(doc, "setting", "SP"), "forecast"), 3.4, 1e-9);
    CHECK_NEAR(num(validation_row(doc, "setting", "SP"), "actual"), 2, 0);
    CHECK_NEAR(num(validation_row(doc, "need", "ASD"), "forecast"), 9.6, 1e-9);
    CHECK_NEAR(num(validation_row(doc, "need", "ASD"), "actual"), 10, 0);
    /* January 2021: 6 stayers + 3 joiners on the right of 2020, 9 children on the left of 2021: no note */
    CHECK(strstr(out, "note: January 2021") == NULL);
    CHECK_STR_CONTAINS(out, "setting  MS                          6.2          8      -1.8   -22.5%");
    cJSON_Delete(doc);

    /* pooling: SP-ASD's ages 4-7 in one band */
    CHECK(run("history.csv --population pop.csv --min-count 3 --out est3.json") == 0);
    doc = load("est3.json");
    sc = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "scenarios"), "estimated");
    e = cJSON_GetObjectItemCaseSensitive(doc, "estimation");
    for (int a = 4; a <= 7; a++) {
        char p[64];
        snprintf(p, sizeof p, "leavers/by_placement/SP-ASD/%d", a);
        CHECK_NEAR(num(sc, p), 1.0 / 3, 1e-15);
    }
    CHECK_NEAR(num(e, "placements/SP-ASD/bands/0/ages/0"), 4, 0);
    CHECK_NEAR(num(e, "placements/SP-ASD/bands/0/ages/1"), 7, 0);
    CHECK_NEAR(num(e, "placements/SP-ASD/bands/0/at_risk"), 6, 0);
    CHECK_STR_CONTAINS(out, "SP-ASD                           4-7        6      2   0.3333 (0.1925)");
    /* no costs file: 0, with a source that says so */
    CHECK_NEAR(num(sc, "placements/MS-ASD/unit_cost/value"), 0, 0);
    cJSON_Delete(doc);

    /* without a population: the mean of the years (3 and 3), flat */
    CHECK(run("history.csv --min-count 1 --out est4.json --quiet") == 0);
    CHECK(out[0] == '\0');
    doc = load("est4.json");
    sc = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "scenarios"), "estimated");
    CHECK_NEAR(num(sc, "joiners/count/value"), 3.0, 1e-12);
    CHECK_NEAR(num(sc, "joiners/growth/value"), 0.0, 0);
    cJSON_Delete(doc);
}

/* A bad file: exit 1, the message, no output file. */
static void bad(const char *history, const char *args, const char *msg)
{
    put("bad.csv", history);
    remove("bad.json");
    char a[256];
    snprintf(a, sizeof a, "bad.csv %s --out bad.json", args);
    CHECK(run(a) == 1);
    CHECK_STR_CONTAINS(err, msg);
    CHECK(!exists("bad.json"));
}

static void bad_inputs(void)
{
    const char *head = "calendar-year,setting-1,need-1,academic-year-1,setting-2,need-2,academic-year-2\n";
    char h[1024];
    snprintf(h, sizeof h, "%s2020,MS,ASD,1,MS,NONSEND,2\n2021,MS,ASD,1,MS,ASD,2\n", head);
    bad(h, "",
        "hnbsim: error: bad.csv:2: setting-2 \"MS\", need-2 \"NONSEND\" (expected both NONSEND, or a setting and a "
        "need)");
    snprintf(h, sizeof h, "%s2020,MS,ASD,x,MS,ASD,2\n2021,MS,ASD,1,MS,ASD,2\n", head);
    bad(h, "", "bad.csv:2: academic-year-1: found \"x\" (expected a national curriculum year from -4 to 26");
    snprintf(h, sizeof h, "%s2020,NONSEND,NONSEND,1,NONSEND,NONSEND,2\n", head);
    bad(h, "", "bad.csv:2: NONSEND on both sides (expected a joiner, a leaver or a child in SEND)");
    snprintf(h, sizeof h, "%s2020,MS,ASD,1,MS,ASD,2\n", head);
    bad(h, "", "bad.csv: one calendar-year only, 2020 (expected two or more");
    snprintf(h, sizeof h, "%s2019,MS,ASD,1,MS,ASD,2\n2021,MS,ASD,1,MS,ASD,2\n", head);
    bad(h, "", "bad.csv: no rows for calendar-year 2020 (expected rows for every year from 2019 to 2021)");
    bad("calendar-year,setting-1,need-1,academic-year-1,setting-2,academic-year-2\n2020,MS,ASD,1,MS,2\n", "",
        "bad.csv:1: no column need-2");
    /* a joiner in a year the population does not cover */
    put("pop1.csv", "calendar-year,academic-year,population\n2021,0,1000\n2021,1,1000\n");
    bad(HISTORY, "--population pop1.csv",
        "pop1.csv: no population for calendar-year 2020, academic-year 1, which has 2 joiners");
    put("cost1.csv", "need,setting,cost\nASD,MS,-5\n");
    bad(HISTORY, "--costs cost1.csv", "cost1.csv:2: cost: found \"-5\" (expected £ per child per year, 0 to 1e7)");
    /* usage */
    CHECK(run("history.csv") == 2);
    CHECK_STR_CONTAINS(err, "expected --out FILE");
    CHECK(run("history.csv --out x.json --horizon 2030-32") == 2);
    CHECK(run("missing.csv --out x.json") == 3);
    CHECK(!exists("x.json"));
}

/* tests/data/estimated.json (a golden case) is the worked example's
 * estimate: it must be what hnbsim estimate writes today, byte for byte. */
static void example_in_sync(void)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd \"%s\" && \"%s\" estimate examples/estimate/history.csv --population examples/estimate/population.csv "
             "--costs examples/estimate/costs.csv --out %s/example.json --quiet && cmp -s %s/example.json "
             "tests/data/estimated.json",
             getenv("HNB_SRC"), getenv("HNB_BIN"), dir, dir);
    int st = system(cmd);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0))
        fprintf(stderr,
                "tests/data/estimated.json is not what hnbsim estimate writes: regenerate it (docs/estimation.md)\n");
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/hnb_estimate.XXXXXX");
    if (!mkdtemp(dir)) return 1;
    put("history.csv", HISTORY);
    put("pop.csv", POP);
    put("costs.csv", COSTS);
    hand_case();
    bad_inputs();
    example_in_sync();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return 1;
    return check_done();
}
