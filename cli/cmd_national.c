/* cmd_national.c: hnbsim national and hnbsim backtest --national, the jobs
 * over every English authority. The summary goes to stdout, the progress
 * line to stderr when it is a terminal, the files to --out (default
 * out/national, out/backtest-national), whole or untouched (outset.c).
 *
 * Under mpirun (when built with MPI), `hnbsim national` spreads the
 * authorities over the ranks (mpi_map.c, one case an authority, dealt out
 * as ranks ask for work): every rank parses the same options and waits for
 * rank 0's go, given once its output folder is ready; every rank gets every
 * authority's figures back and rank 0 alone prints and writes, the same
 * bytes as one process. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "hnbsim_report.h"
#ifdef HNB_HAVE_MPI
#include "mpi_map.h"
#endif

static int quiet_given; /* --quiet was given (parse) */

static int parse(const char *cmd, int argc, char **argv, hnb_national_options *o, const char **out, int national,
                 int *paths_given, int *force)
{
    *paths_given = 0;
    *force = 0;
    memset(o, 0, sizeof *o);
    o->seed = 1;
    *out = national ? "out/national" : "out/backtest-national"; /* folders of their own */
    int quiet = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--national") == 0 && !national) continue;
        if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
            continue;
        }
        if (strcmp(a, "--force") == 0) {
            *force = 1;
            continue;
        }
        const char *yearopt = national ? "--census" : "--from";
        int known = strcmp(a, yearopt) == 0 || strcmp(a, "--paths") == 0 || strcmp(a, "--seed") == 0 ||
                    strcmp(a, "--threads") == 0 || strcmp(a, "--out") == 0 || strcmp(a, "--data") == 0;
        if (!known) return usage_error(cmd, "unknown option '%s'", a);
        if (i + 1 >= argc) return usage_error(cmd, "option '%s' needs a value", a);
        const char *v = argv[++i];
        uint64_t n;
        if (strcmp(a, "--out") == 0) {
            *out = v;
        } else if (strcmp(a, "--data") == 0) {
            o->data_dir = v;
        } else if (parse_u64(v, &n)) {
            return usage_error(cmd, "'%s' is not a whole number", v);
        } else if (strcmp(a, yearopt) == 0) {
            if (n < 2000 || n > 2100) return usage_error(cmd, "'%s' is not a census year such as 2023", v);
            o->census = (int)n;
        } else if (strcmp(a, "--paths") == 0) {
            o->paths = n;
            *paths_given = 1;
        } else if (strcmp(a, "--seed") == 0) {
            o->seed = n;
        } else {
            if (n > 1024) return usage_error(cmd, "--threads: '%s' is not a number of threads (0-1024)", v);
            o->threads = (int)n;
        }
    }
    o->progress = !quiet && isatty(STDERR_FILENO);
    quiet_given = quiet;
    return 0;
}

/* Under MPI: the map's context, and rank 0 telling the others to go (1) or
 * stop (0), once. */
static int go_sent;
#ifdef HNB_HAVE_MPI
static int mpi_on;
static mpi_map_ctx map_ctx = {0, 0, "", "authorities", NULL, ""};
#endif

static void tell(int go)
{
#ifdef HNB_HAVE_MPI
    if (mpi_on && !go_sent) mpi_go(go);
#endif
    (void)go;
    go_sent = 1;
}

/* After parse: the authorities through the MPI map, its progress line in
 * place of the library's (with the rate and the time left). */
static const hnb_map_options *use_map(hnb_national_options *o)
{
#ifdef HNB_HAVE_MPI
    static hnb_map_options m = {mpi_map, &map_ctx, 0};
    if (!mpi_on) return NULL;
    map_ctx.progress = !quiet_given && mpi_terminal();
    o->progress = 0;
    return &m;
#else
    (void)o;
    return NULL;
#endif
}

static int job(hnb_model *h, int argc, char **argv, int national, hnb_national_options *o)
{
    const char *out;
    const char *cmd = national ? "national" : "backtest";
    int given, force;
    int rc = parse(cmd, argc, argv, o, &out, national, &given, &force);
    if (rc) return rc;
    const hnb_map_options *map = use_map(o);
    if (!national && !given) o->paths = 1000; /* the back-test needs its intervals */
    outset set;
    int e = outset_begin(&set, out, national ? "national" : "backtest --national", force);
    if (e) return e;
    char *json = outset_path(&set, national ? "national.json" : "backtest-national.json");
    char *csv = outset_path(&set, national ? "national.csv" : "backtest-national.csv");
    char *xlsx = national ? outset_path(&set, "national.xlsx") : NULL;
    if (!json || !csv || (national && !xlsx)) rc = HNB_E_NOMEM;
    o->json_out = json;
    o->csv_out = csv;
    tell(!rc);
    if (!rc) rc = national ? hnb_national_map(h, o, stdout, map) : hnb_backtest_national(h, o, stdout);
    if (!rc && national) rc = hnb_export_national(h, json, xlsx);
    free(xlsx);
    free(json);
    free(csv);
    if (rc) {
        outset_abort(&set);
#ifdef HNB_HAVE_MPI
        if (mpi_on) return mpi_fail(h, rc, &map_ctx);
#endif
        return fail(h, rc);
    }
    e = outset_commit(&set);
    if (!e)
        printf("\nResults: %s/%s.json, .csv%s\n", out, national ? "national" : "backtest-national",
               national ? ", .xlsx" : "");
    return e;
}

#ifdef HNB_HAVE_MPI
/* A rank other than 0: the same options (rank 0 tells what is wrong with
 * them, this rank keeps quiet), then the authorities it is given. */
static int serve(hnb_model *h, int argc, char **argv)
{
    hnb_national_options o;
    const char *out;
    int given, force, code = 0;
    int quiet = mpi_quiet_begin();
    int rc = parse("national", argc, argv, &o, &out, 1, &given, &force);
    mpi_quiet_end(quiet);
    const hnb_map_options *map = use_map(&o);
    map_ctx.progress = 0;
    map_ctx.h = h;
    int go = mpi_go(0);
    if (go && rc) {
        mpi_refuse(HNB_E_USAGE);
        code = rc;
    } else if (go) {
        rc = hnb_national_map(h, &o, NULL, map);
        code = rc ? exit_code_for(rc) : 0;
    }
    return code;
}
#endif

static int run(hnb_model *h, int argc, char **argv, int national)
{
    hnb_national_options o;
    memset(&o, 0, sizeof o);
    int rank = 0;
#ifdef HNB_HAVE_MPI
    if (national && mpi_launched()) {
        int size = 1;
        if (mpi_start(&rank, &size)) {
            fprintf(stderr, "hnbsim: error: MPI_Init failed (expected to run under mpirun or srun)\n");
            return EXIT_IO;
        }
        mpi_on = 1;
    }
    if (mpi_on && rank > 0) {
        int code = serve(h, argc, argv);
        mpi_end();
        return code;
    }
#endif
    int code = job(h, argc, argv, national, &o);
    tell(0);
#ifdef HNB_HAVE_MPI
    if (mpi_on) mpi_end();
#endif
    (void)rank;
    return code;
}

int cmd_national(hnb_model *h, int argc, char **argv) { return run(h, argc, argv, 1); }
int cmd_backtest_national(hnb_model *h, int argc, char **argv) { return run(h, argc, argv, 0); }
