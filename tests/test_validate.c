/* test_validate.c: strict validation of scenario files, through the real
 * command line.
 *
 * One malformed file per class of mistake (tests/data/bad/, each derived from
 * data/hand.json with one kind of problem), run through both
 * `hnbsim validate FILE` and `hnbsim run FILE --out DIR --no-charts`. For each
 * the test asserts: exit code 1 (bad input); every line of stderr is
 *   hnbsim: error: <the file>: <json.path>: <what was wrong> (expected <what>)
 * with the file named and an "(expected ...)"; the exact JSON path and what
 * was expected; as many lines as the file has problems (validation reports
 * every problem, not the first); and that the run wrote nothing (the output
 * folder stays empty: no results.json, no *.tmp.* file). Good files validate
 * with exit 0, and the complete example of docs/scenario-format.md is that
 * document's text, byte for byte, and loads and runs. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static char tmp[256];
static char out[8192], err[16384];

static void slurp_into(const char *path, char *buf, size_t size)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f) return;
    buf[fread(buf, 1, size - 1, f)] = '\0';
    fclose(f);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s) s[fread(s, 1, (size_t)n, f)] = '\0';
    fclose(f);
    return s;
}

/* Run the binary with args; stdout and stderr into out and err; the exit code. */
static int run(const char *args)
{
    char cmd[4096], o[300], e[300];
    snprintf(o, sizeof o, "%s/stdout", tmp);
    snprintf(e, sizeof e, "%s/stderr", tmp);
    snprintf(cmd, sizeof cmd, "\"%s\" %s >%s 2>%s", getenv("HNB_BIN"), args, o, e);
    int st = system(cmd);
    slurp_into(o, out, sizeof out);
    slurp_into(e, err, sizeof err);
    remove(o);
    remove(e);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* Entries in dir (0 if it does not exist); reports results.json and temporary files. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (strcmp(e->d_name, "results.json") == 0 || strstr(e->d_name, ".tmp."))
            fprintf(stderr, "left behind: %s/%s\n", dir, e->d_name);
        n++;
    }
    if (d) closedir(d);
    return n;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

/* Every line of err is an error about `file`, saying what was expected. */
static void check_every_line(const char *file)
{
    char prefix[300];
    snprintf(prefix, sizeof prefix, "hnbsim: error: %s", file);
    for (const char *p = err; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char line[2048];
        snprintf(line, sizeof line, "%.*s", (int)n, p);
        CHECK_STR_CONTAINS(line, prefix);
        CHECK(strncmp(line, prefix, strlen(prefix)) == 0);
        CHECK_STR_CONTAINS(line, "(expected ");
        p += n + (nl ? 1 : 0);
    }
}

/* data/bad/NAME.json has `nerr` problems; each following string (up to NULL)
 * must appear in the messages. Checked through validate and through run. */
static void bad_file(const char *name, int nerr, ...)
{
    char file[256], args[1024], dir[512];
    snprintf(file, sizeof file, "data/bad/%s.json", name);

    snprintf(args, sizeof args, "validate %s", file);
    CHECK(run(args) == 1);
    CHECK(out[0] == '\0'); /* no "ok" */
    check_every_line(file);
    if (count_lines(err) != nerr) fprintf(stderr, "%s: expected %d problems, got:\n%s", file, nerr, err);
    CHECK(count_lines(err) == nerr);
    va_list ap;
    va_start(ap, nerr);
    for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *)) CHECK_STR_CONTAINS(err, s);
    va_end(ap);

    /* a run on it stops before writing anything, into a folder that exists ... */
    snprintf(dir, sizeof dir, "%s/out-%s", tmp, name);
    CHECK(mkdir(dir, 0777) == 0);
    snprintf(args, sizeof args, "run %s --out %s --no-charts", file, dir);
    CHECK(run(args) == 1);
    check_every_line(file);
    CHECK(count_lines(err) == nerr);
    va_start(ap, nerr);
    for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *)) CHECK_STR_CONTAINS(err, s);
    va_end(ap);
    CHECK(entries(dir) == 0);
    /* ... or into one that does not: it is not even created */
    snprintf(dir, sizeof dir, "%s/new-%s", tmp, name);
    snprintf(args, sizeof args, "run %s --out %s --no-charts --no-spreadsheets", file, dir);
    CHECK(run(args) == 1);
    CHECK(!exists(dir));
}

static void test_classes(void)
{
    /* malformed JSON: file:line:column of the place the parser stopped (the
     * comma missing at the end of line 9 is found at the next key) */
    bad_file("malformed", 1, "data/bad/malformed.json:10:7: malformed JSON", "(expected valid JSON", NULL);
    /* an unknown key, with the nearest allowed key */
    bad_file("unknown-key", 1,
             "data/bad/unknown-key.json: scenarios.base.placements.special.inflaton: unknown key; did you mean "
             "\"inflation\"?",
             "(expected one of label s251 unit_cost price_base inflation", NULL);
    /* a key given twice (cJSON would silently use the first) */
    bad_file("duplicate-key", 1,
             "scenarios.base.stocks.by_age.nmi: duplicate key (expected each key once in an object)", NULL);
    /* the wrong type: text for a number, a number for a source note */
    bad_file("wrong-type", 2,
             "scenarios.base.placements.nmi.unit_cost: wrong type: found a string (expected a number from 0 to 1e+07 "
             "(£ per EHCP per year))",
             "scenarios.base.stocks.source: wrong type: found a number (expected a string", NULL);
    /* a required key left out */
    bad_file("missing-key", 1,
             "scenarios.base.leavers.cease_rates: missing required key (expected an array of 2 numbers from 0 to 1",
             NULL);
    /* a rate outside 0-1 */
    bad_file("rate-range", 1,
             "scenarios.base.leavers.cease_rates: element 0 out of range: found 1.2 (expected an array of 2 numbers "
             "from 0 to 1",
             NULL);
    /* shares that do not sum to 1 within 1e-9: as an array and as an object */
    bad_file(
        "shares-sum", 2,
        "scenarios.base.joiners.age_distribution: shares sum to 1.00000001 (expected shares that sum to 1 within 1e-9)",
        "scenarios.base.joiners.first_placement: shares sum to 1.0000001 (expected shares that sum to 1 within 1e-9)",
        NULL);
    /* a negative count */
    bad_file(
        "negative-count", 1,
        "scenarios.base.stocks.by_age.nmi: element 1 out of range: found -6 (expected an array of 2 numbers from 0",
        NULL);
    /* negative costs: a unit cost and a spend line */
    bad_file("negative-cost", 2,
             "scenarios.base.placements.nmi.unit_cost: out of range: found -60000 (expected a number from 0 to 1e+07 "
             "(£ per EHCP per year))",
             "scenarios.base.spend.outreach.amount: out of range: found -100000 (expected a number from 0", NULL);
    /* an action that starts after the horizon */
    bad_file("start-outside-horizon", 1,
             "scenarios.base.interventions[0].start: start date 2031-09-01 is outside the horizon (expected a date "
             "from 2025-01-01",
             "to 31 March 2028 (end of 2027-28))", NULL);
    /* capacity overflowing to, and an action on, placements that do not exist */
    bad_file("unknown-placement", 2,
             "scenarios.base.placements.special.overflow_to: no placement \"resourced\" (expected one of the "
             "placements: special nmi)",
             "scenarios.base.interventions[0].placement: no placement \"base\" (expected one of the placements: "
             "special nmi)",
             NULL);
    /* a transition matrix of the wrong size; a row that does not sum to 1 */
    bad_file("matrix-size", 1, "scenarios.base.moves[0].matrix: wrong size: 3 rows (expected 2 rows of 2 shares", NULL);
    bad_file("row-sum", 1,
             "scenarios.base.moves[0].matrix.special: row sums to 0.9 (expected a row that sums to 1 within 1e-9)",
             NULL);
    /* extends: a cycle in one file, a cycle through two files, missing parents */
    bad_file("extends-cycle", 2, "scenarios.plan-a.extends: extends forms a cycle: plan-a -> plan-b -> plan-a",
             "scenarios.plan-b.extends: extends forms a cycle: plan-b -> plan-a -> plan-b", NULL);
    bad_file("cycle-a", 1,
             "data/bad/cycle-a.json: scenarios.child.extends: extends forms a cycle: child -> middle -> child", NULL);
    bad_file(
        "missing-parent", 2,
        "scenarios.plan.extends: parent scenario \"bsae\" not found; did you mean \"base\"? (expected the name of a "
        "scenario in the file)",
        "scenarios.elsewhere.extends: parent file \"no-such-file.json\" not found (expected an existing scenario file)",
        NULL);
    /* distributions: PERT with min above mode; a negative sd; delivery
     * confidence outside 0-1, as a number and through its distribution */
    bad_file("dist-pert", 1,
             "scenarios.base.placements.nmi.unit_cost.dist: min 65000, mode 60000, max 70000 (expected min <= mode <= "
             "max, min < max)",
             NULL);
    bad_file("dist-sd", 1,
             "scenarios.base.interest_rate.dist.sd: out of range: -0.01 (expected a number of at least 0)", NULL);
    bad_file("delivery", 2,
             "scenarios.base.interventions[0].delivery: out of range: found 1.2 (expected a number from 0 to 1 "
             "(probability (0-1)))",
             "scenarios.base.interventions[1].delivery.dist: distribution reaches outside the valid range (expected a "
             "number from 0 to 1",
             NULL);
    /* keys the model would ignore: another driver's, another action type's */
    bad_file("ignored-keys", 2, "scenarios.base.joiners.requests: not used by the new_plans driver",
             "scenarios.base.interventions[0].places: not used by a reduce_joiners action", NULL);
    /* a ramp on an action that pays or freezes for whole years would do nothing */
    bad_file("ramp-no-effect", 1,
             "scenarios.base.interventions[0].ramp_months: a ramp has no effect on block_transfer (expected no ramp "
             "for this type",
             NULL);
    /* what backtest and calibrate read is checked by validate too */
    bad_file("backtest", 2, "scenarios.base.backtest.interventions: not allowed in a backtest block",
             "scenarios.base.backtest.stocks.census: found 1850 (expected a whole number from 1990 to 2200)", NULL);
    bad_file("calibration", 3,
             "calibration.scenario: no scenario \"baseline\" (expected the name of a scenario in the file)",
             "calibration.fit: wrong type: found a string (expected a list of assumption names",
             "calibration.holdout.fy: not a financial year: \"2024/25\"", NULL);
}

/* A file with five problems of different kinds reports all five, in file order. */
static void test_every_problem(void)
{
    bad_file("several", 5, "scenarios.base.interest_rat: unknown key; did you mean \"interest_rate\"?",
             "scenarios.base.leavers.cease_rates: element 1 out of range: found -0.5",
             "scenarios.base.moves[0].matrix.base: no such placement (expected one of the placements: special nmi)",
             "scenarios.base.joiners.driver: unknown driver \"new_plan\" (expected total_growth, new_plans, requests, "
             "prevalence or incidence)",
             "scenarios.base.spend.outreach.fy: not a financial year: \"2025-6\" (expected a financial year such as "
             "\"2026-27\")",
             NULL);
    /* an interest rate misspelt also leaves the real one at its default: no
     * extra error, since interest_rate is optional */
    CHECK(strstr(err, "interest_rate: missing") == NULL);
}

/* Write data/hand.json with `from` replaced by `to` into tmp/name. */
static void variant(const char *name, const char *from, const char *to, char *path, size_t size)
{
    char *s = slurp("data/hand.json");
    snprintf(path, size, "%s/%s", tmp, name);
    char *at = s ? strstr(s, from) : NULL;
    CHECK(at != NULL);
    FILE *f = fopen(path, "wb");
    if (f && at) {
        fwrite(s, 1, (size_t)(at - s), f);
        fputs(to, f);
        fputs(at + strlen(from), f);
    }
    if (f) fclose(f);
    free(s);
}

static void test_good_files(void)
{
    CHECK(run("validate data/hand.json") == 0);
    CHECK_STR_CONTAINS(out, "data/hand.json: ok");
    CHECK(err[0] == '\0');
    CHECK(run("validate data/example.json") == 0);
    CHECK_STR_CONTAINS(out, "data/example.json: ok");
    CHECK(err[0] == '\0');
    /* several files: each is reported, and one bad one fails the lot */
    CHECK(run("validate data/hand.json data/bad/rate-range.json data/example.json") == 1);
    CHECK_STR_CONTAINS(out, "data/hand.json: ok");
    CHECK_STR_CONTAINS(out, "data/example.json: ok");
    CHECK_STR_CONTAINS(err, "data/bad/rate-range.json: scenarios.base.leavers.cease_rates");
    CHECK(count_lines(err) == 1);

    /* shares within 1e-9 of 1 are accepted (rounding in a spreadsheet), beyond are not */
    char path[512], args[600];
    variant("close.json", "\"nmi\": 0.3}", "\"nmi\": 0.3000000000004}", path, sizeof path);
    snprintf(args, sizeof args, "validate %s", path);
    CHECK(run(args) == 0);
    variant("far.json", "\"nmi\": 0.3}", "\"nmi\": 0.300000002}", path, sizeof path);
    snprintf(args, sizeof args, "validate %s", path);
    CHECK(run(args) == 1);
    CHECK_STR_CONTAINS(err, "scenarios.base.joiners.first_placement: shares sum to 1.000000002");
}

/* The complete example in docs/scenario-format.md is data/example.json,
 * byte for byte, between the marker comment and the end of its code block;
 * it validates, runs, and back-tests. */
static void test_documented_example(void)
{
    char docpath[1024];
    snprintf(docpath, sizeof docpath, "%s/docs/scenario-format.md", getenv("HNB_SRC"));
    char *doc = slurp(docpath), *file = slurp("data/example.json");
    CHECK(doc != NULL);
    CHECK(file != NULL);
    if (doc && file) {
        const char *marker = "<!-- this block is tests/data/example.json -->\n```json\n";
        char *start = strstr(doc, marker);
        CHECK(start != NULL);
        if (start) {
            start += strlen(marker);
            char *end = strstr(start, "\n```\n");
            CHECK(end != NULL);
            if (end) {
                end[1] = '\0'; /* keep the file's final newline */
                if (strcmp(start, file) != 0)
                    fprintf(stderr, "docs/scenario-format.md: the example differs from tests/data/example.json\n");
                CHECK(strcmp(start, file) == 0);
            }
        }
    }
    free(doc);
    free(file);
    char args[600], dir[512], results[600];
    snprintf(dir, sizeof dir, "%s/example", tmp);
    snprintf(args, sizeof args, "run data/example.json --out %s --no-charts --quiet", dir);
    CHECK(run(args) == 0);
    snprintf(results, sizeof results, "%s/results.json", dir);
    CHECK(exists(results));
    snprintf(args, sizeof args, "backtest data/example.json --out %s/backtest --quiet", dir);
    CHECK(run(args) == 0);
}

int main(void)
{
    if (!getenv("HNB_BIN") || !getenv("HNB_SRC")) {
        fprintf(stderr, "HNB_BIN and HNB_SRC must be set (ctest sets them)\n");
        return 1;
    }
    snprintf(tmp, sizeof tmp, "/tmp/hnb-validate-XXXXXX");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    test_classes();
    test_every_problem();
    test_good_files();
    test_documented_example();
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmp);
    return check_done();
}
