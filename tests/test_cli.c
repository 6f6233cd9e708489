/* test_cli.c: the command line as a user meets it, through the real binary.
 *
 * Exit codes (0 ok, 1 input, 2 usage, 3 files/internal), the error format
 * "hnbsim: error: <file>: <json.path>: <what> (expected <what>)", no output
 * left behind by a failed run, byte-identical results from run to run, the
 * commands that read a results file, --paths-out, and the Sutton file's
 * promise that every assumption names its source. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "core/model.h"
#include "core/scenario.h"

static char out[65536], err[65536];

/* Run the binary with args; capture stdout/stderr; return the exit code. */
static int run(const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "\"%s\" %s >/tmp/hnb_cli_out.$PPID 2>/tmp/hnb_cli_err.$PPID", getenv("HNB_BIN"), args);
    int st = system(cmd);
    char path[64];
    FILE *f;
    snprintf(path, sizeof path, "/tmp/hnb_cli_out.%d", (int)getpid());
    out[0] = err[0] = '\0';
    if ((f = fopen(path, "r"))) {
        out[fread(out, 1, sizeof out - 1, f)] = '\0';
        fclose(f);
        remove(path);
    }
    snprintf(path, sizeof path, "/tmp/hnb_cli_err.%d", (int)getpid());
    if ((f = fopen(path, "r"))) {
        err[fread(err, 1, sizeof err - 1, f)] = '\0';
        fclose(f);
        remove(path);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) n += e->d_name[0] != '.';
    if (d) closedir(d);
    return n;
}

static char *slurp(const char *p)
{
    FILE *f = fopen(p, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s) s[fread(s, 1, (size_t)n, f)] = '\0';
    fclose(f);
    return s;
}

static void test_usage(void)
{
    CHECK(run("--help") == 0);
    CHECK_STR_CONTAINS(out, "hnbsim run");
    CHECK(run("--version") == 0);
    CHECK_STR_CONTAINS(out, "hnbsim 0.");
    CHECK(run("run --help") == 0);
    CHECK_STR_CONTAINS(out, "--paths N");
    CHECK(run("frobnicate") == 2);
    CHECK_STR_CONTAINS(err, "unknown command 'frobnicate'");
    CHECK(run("run --paths many") == 2);
    CHECK_STR_CONTAINS(err, "--paths: 'many' is not a whole number");
    CHECK(run("run --bogus") == 2);
    CHECK(run("run --paths-out x.csv") == 2); /* nothing to write without --paths */
    CHECK_STR_CONTAINS(err, "--paths-out needs --paths N");
    CHECK(run("validate") == 2);
}

static void test_validate_and_failed_run(const char *tmp)
{
    CHECK(run("validate data/hand.json") == 0);
    CHECK_STR_CONTAINS(out, "data/hand.json: ok");
    /* a broken copy: a rate above 1 and an unknown key */
    char bad[256], cmd[2048], dir[256];
    snprintf(bad, sizeof bad, "%s/bad.json", tmp);
    snprintf(cmd, sizeof cmd,
             "sed -e 's/\"cease_rates\": \\[0.1, 0.5\\]/\"cease_rates\": [0.1, 1.5]/' -e 's/\"horizon\"/\"horizn\"/' "
             "data/hand.json > %s",
             bad);
    CHECK(system(cmd) == 0);
    snprintf(cmd, sizeof cmd, "validate %s", bad);
    CHECK(run(cmd) == 1);
    CHECK_STR_CONTAINS(err, "hnbsim: error: ");
    CHECK_STR_CONTAINS(err,
                       "bad.json: scenarios.base.leavers.cease_rates: element 1 out of range: found 1.5 (expected");
    CHECK_STR_CONTAINS(err, "scenarios.base.horizn: unknown key; did you mean \"horizon\"?");
    /* a run on it writes nothing */
    snprintf(dir, sizeof dir, "%s/out-bad", tmp);
    snprintf(cmd, sizeof cmd, "run %s --out %s --no-charts", bad, dir);
    CHECK(run(cmd) == 1);
    CHECK(!exists(dir) || count_files(dir) == 0);
    /* a missing file is a file error */
    CHECK(run("validate /nonexistent/x.json") == 3);
    CHECK_STR_CONTAINS(err, "/nonexistent/x.json: cannot open");
}

static void test_run_outputs(const char *tmp)
{
    char a[256], b[256], cmd[2048], p1[600], p2[600];
    snprintf(a, sizeof a, "%s/a", tmp);
    snprintf(b, sizeof b, "%s/b", tmp);
    snprintf(cmd, sizeof cmd, "run --out %s --no-charts --quiet", a);
    CHECK(run(cmd) == 0);
    snprintf(cmd, sizeof cmd, "run --out %s --no-charts --quiet", b);
    CHECK(run(cmd) == 0);
    snprintf(p1, sizeof p1, "%s/results.json", a);
    snprintf(p2, sizeof p2, "%s/results.json", b);
    char *x = slurp(p1), *y = slurp(p2);
    CHECK(x && y && strcmp(x, y) == 0); /* byte-identical */
    CHECK_STR_CONTAINS(x, "\"name\": \"dsg-management-plan\"");
    free(x);
    free(y);
    snprintf(p1, sizeof p1, "%s/hnbsim.xlsx", a);
    CHECK(exists(p1));
    /* compare reads the results file */
    snprintf(cmd, sizeof cmd, "compare %s/results.json", a);
    CHECK(run(cmd) == 0);
    CHECK_STR_CONTAINS(out, "Override end, net");
    CHECK_STR_CONTAINS(out, "Override end, gross");
    CHECK_STR_CONTAINS(out, "Jan 2026");
    CHECK_STR_CONTAINS(out, "(mitigated)"); /* the plan's label, not its id */
    /* --paths-out: a header and one row per path per scenario */
    snprintf(cmd, sizeof cmd,
             "run data/hand.json --out %s/mc --paths 25 --seed 3 --paths-out %s/mc/paths.csv --no-charts "
             "--no-spreadsheets --quiet",
             tmp, tmp);
    CHECK(run(cmd) == 0);
    snprintf(p1, sizeof p1, "%s/mc/paths.csv", tmp);
    x = slurp(p1);
    int lines = 0;
    for (const char *c = x; c && *c; c++) lines += *c == '\n';
    CHECK(lines == 26);
    CHECK_STR_CONTAINS(x, "scenario,path,cumulative_at_override_end,peak_deficit,cumulative_2025-26,in_year_2025-26");
    free(x);
    /* a published year with an in-year figure but no cumulative one still exports */
    snprintf(cmd, sizeof cmd, "run data/partial-actuals.json --out %s/partial --no-charts --quiet", tmp);
    CHECK(run(cmd) == 0);
    snprintf(p1, sizeof p1, "%s/partial/hnbsim.xlsx", tmp);
    CHECK(exists(p1));
    /* backtest prints model against actual */
    snprintf(cmd, sizeof cmd, "backtest --out %s/bt", tmp);
    CHECK(run(cmd) == 0);
    CHECK_STR_CONTAINS(out, "ehcps       2025");
    snprintf(p1, sizeof p1, "%s/bt/backtest.json", tmp);
    CHECK(exists(p1));
}

/* Every assumption in the Sutton file names its source. */
static void test_sutton_sources(void)
{
    hnb_model *h = hnb_model_alloc();
    CHECK(hnb_load_embedded(h) == HNB_OK);
    size_t n = 0, missing = 0;
    for (size_t i = 0; i < h->nscen; i++)
        for (size_t k = 0; k < h->scen[i]->npar; k++) {
            const param *p = &h->scen[i]->par[k];
            if (!p->from_file) continue;
            n++;
            if (!p->source || !p->source[0]) {
                missing++;
                fprintf(stderr, "no source: %s\n", p->path);
            }
        }
    CHECK(n > 50);
    CHECK(missing == 0);
    hnb_model_free(h);
    /* the back-test block too */
    h = hnb_model_alloc();
    CHECK(hnb_load_embedded_ex(h, HNB_LOAD_BACKTEST) == HNB_OK);
    for (size_t i = 0; i < h->nscen; i++)
        for (size_t k = 0; k < h->scen[i]->npar; k++)
            if (h->scen[i]->par[k].from_file) CHECK(h->scen[i]->par[k].source[0] != '\0');
    hnb_model_free(h);
}

int main(void)
{
    char tmp[] = "/tmp/hnb_cli_XXXXXX";
    if (!getenv("HNB_BIN") || !mkdtemp(tmp)) {
        fprintf(stderr, "HNB_BIN not set or no temp dir\n");
        return 1;
    }
    test_usage();
    test_validate_and_failed_run(tmp);
    test_run_outputs(tmp);
    test_sutton_sources();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmp);
    return check_done();
}
