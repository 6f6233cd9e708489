/* run_mpi.c: `mpirun -np K hnbsim run FILE --paths N`, the Monte Carlo paths
 * spread over K ranks (compiled only when CMake finds MPI).
 *
 * Rank 0 runs the command as one process would (cmd_run, entered again from
 * here), except that its Monte Carlo goes through the MPI map in blocks of
 * paths (hnb_run_map, analysis/montecarlo_map.c): it deals the blocks out,
 * gathers every path's figures, summarises and alone writes the folder. The
 * other ranks parse the same command line, load the same files and wait for
 * rank 0's go (sent just before the run, once its output folder is ready),
 * then run the blocks they are given (hnb_run_map as a worker: no summary,
 * no files). The results are the same bytes as `hnbsim run` in one process,
 * for any K and any --threads on each rank: a path's figures depend on
 * (seed, path) alone and the summaries are computed on rank 0 from the
 * columns in path order. Errors are rank 0's to tell: the others keep quiet
 * while they parse and load (rank 0 meets the same problem and says it). A
 * rank that could not load what rank 0 loaded leaves at once and the others
 * do its share; when rank 0 stops on an error of its own after the go, it
 * drains the others (mpi_drain) so that none waits for a block that will
 * never come. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mpi_map.h"

/* cmd_run's options (keep in step with cmd_run.c): a worker must accept what
 * rank 0 accepts, or it refuses the run and rank 0 stops with an error */
#define RUN_OPTIONS                                                                                           \
    "--out --paths --seed --threads --paths-out --format --own-scales --no-charts --no-spreadsheets --quiet " \
    "--force --excel-csv --allow-outside --report --no-pdf --scenario --json --grid-csv"

enum { GO_STOP = 0, GO_RUN = 1, GO_MONTECARLO = 2 };

static int inside;             /* 1 while run_mpi runs: cmd_run entered again on rank 0 */
static int go_sent;            /* rank 0 told the others to go */
static int progress;           /* rank 0: the progress line (no --quiet, started from a terminal) */
static int montecarlo, run_rc; /* rank 0: the others run Monte Carlo blocks; how the run ended */

int run_mpi_wanted(void) { return !inside && mpi_launched(); }

int run_mpi_job(hnb_model *h, const hnb_run_options *opt)
{
    if (!inside) return hnb_run(h, opt);
    go_sent = 1;
    mpi_go(opt->paths > 0 ? GO_MONTECARLO : GO_RUN);
    mpi_map_ctx ctx = {progress, 1, "", "blocks", h, ""};
    hnb_map_options m = {mpi_map, &ctx, 0};
    montecarlo = opt->paths > 0;
    return run_rc = hnb_run_map(h, opt, &m);
}

/* A rank other than 0: the same files, then the blocks it is given. */
static int serve(hnb_model *h, int argc, char **argv)
{
    int quiet = mpi_quiet_begin();
    opts o;
    int bad = parse_opts("run", argc, argv, RUN_OPTIONS, &o);
    int rc = bad ? HNB_E_USAGE : load_all(h, &o);
    if (!rc && o.scenario) rc = hnb_select_scenario(h, o.scenario); /* the same scenarios as rank 0 */
    mpi_quiet_end(quiet);
    int go = mpi_go(GO_STOP), code = 0;
    if (go == GO_MONTECARLO && rc) {
        /* rank 0 loaded what this rank could not (another node's files):
         * the other ranks do this one's share, and the results stand */
        int rank = 0, size = 1;
        mpi_ranks(&rank, &size);
        const char *why = bad ? "its command line differs from rank 0's" : hnb_errmsg(h);
        fprintf(stderr, "hnbsim: rank %d: note: cannot run Monte Carlo blocks: %.*s; the other ranks run its share\n",
                rank, (int)strcspn(why, "\n"), why);
        mpi_leave();
    } else if (go == GO_MONTECARLO) {
        hnb_run_options ro = o.run;
        ro.progress = 0;
        ro.paths_out = NULL;
        mpi_map_ctx ctx = {0, 1, "", "blocks", h, ""};
        hnb_map_options m = {mpi_map, &ctx, 1};
        rc = hnb_run_map(h, &ro, &m);
        code = rc ? exit_code_for(rc) : 0;
        mpi_leave();
    }
    if (!bad) free(o.files);
    return code;
}

int run_mpi(hnb_model *h, int argc, char **argv)
{
    int rank = 0, size = 1;
    inside = 1;
    if (mpi_start(&rank, &size)) {
        fprintf(stderr, "hnbsim: error: MPI_Init failed (expected to run under mpirun or srun)\n");
        return EXIT_IO;
    }
    int code;
    if (rank == 0) {
        progress = mpi_terminal();
        for (int i = 0; i < argc; i++)
            if (strcmp(argv[i], "--quiet") == 0) progress = 0;
        code = cmd_run(h, argc, argv);
        if (!go_sent) mpi_go(GO_STOP);
        /* rank 0 may have stopped between blocks the others still wait for
         * (an error of its own after the go): they stop too, and leave */
        if (montecarlo) mpi_drain(run_rc);
    } else {
        code = serve(h, argc, argv);
    }
    mpi_end();
    return code;
}
