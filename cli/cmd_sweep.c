/* cmd_sweep.c: hnbsim sweep SWEEP.json, the batch sensitivity sweeps
 * (docs/sweeps.md). The files go to --out (default out/sweep) through a
 * staging folder and a manifest (outset.c), like run's: whole or untouched,
 * and no file of an earlier sweep left beside the new ones. Under mpirun
 * (when built with MPI) every rank parses and runs the same sweep file, the
 * cases spread over the ranks (mpi_map.c); rank 0 alone prints and writes,
 * after telling the others to go once its folder is ready. The files are the
 * same bytes as one process writes. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hnbsim_plots.h"
#include "hnbsim_report.h"
#ifdef HNB_HAVE_MPI
#include "mpi_map.h"
#endif

static int sweep(hnb_model *h, int argc, char **argv, int rank, int mpi, int *told)
{
    /* --sweep NAME is this command's own; the rest are the shared options */
    const char *only = NULL;
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    int nrest = 0;
    if (!rest) return EXIT_IO;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--sweep") == 0) {
            if (i + 1 >= argc) {
                free(rest);
                return usage_error("sweep", "option '%s' needs a value", "--sweep");
            }
            only = argv[++i];
        } else {
            rest[nrest++] = argv[i];
        }
    }
    opts o;
    int rc = parse_opts("sweep", nrest, rest, "--out --format --no-charts --no-spreadsheets --quiet --force", &o);
    free(rest);
    if (rc) return rc;
    if (o.nfiles != 1) {
        free(o.files);
        return usage_error("sweep", "%s", "give one sweep file (expected hnbsim sweep SWEEP.json)");
    }
    /* like every command, a default folder of its own */
    if (!o.out_given) o.out = "out/sweep";
    int progress = o.run.progress && rank == 0;
#ifdef HNB_HAVE_MPI
    if (mpi && rank == 0 && !o.quiet) progress = mpi_terminal(); /* stderr is mpirun's pipe */
#endif
    hnb_sweep_options so = {progress, only, NULL, NULL};
    outset set = {0};
    if (rank == 0 && (rc = outset_begin(&set, o.out, "sweep", o.force)) != 0) {
        free(o.files);
        return rc;
    }
#ifdef HNB_HAVE_MPI
    mpi_map_ctx mc = {progress, 0, "sweep ", "cases", h, ""};
    if (mpi) {
        so.map = mpi_map;
        so.map_ctx = &mc;
        *told = 1;
        if (!mpi_go(1)) { /* rank 0 stopped: it says why */
            free(o.files);
            return 0;
        }
    }
#else
    (void)mpi;
    (void)told;
#endif
    rc = hnb_sweep(h, o.files[0], &so);
    int code = 0;
    if (rank == 0) {
        char *json = outset_path(&set, "sweep.json"), *charts = outset_path(&set, "charts");
        if (!rc && (!json || !charts)) rc = HNB_E_NOMEM;
        if (!rc) rc = hnb_write_results(h, json);
        if (!rc && o.spreadsheets) rc = hnb_export_sweep(h, set.staging);
        if (!rc && o.charts) rc = hnb_plot_sweep(h, charts, o.formats);
        free(json);
        free(charts);
        if (rc) {
            outset_abort(&set);
#ifdef HNB_HAVE_MPI
            code = mpi ? mpi_fail(h, rc, &mc) : fail(h, rc);
#else
            code = fail(h, rc);
#endif
        } else if ((code = outset_commit(&set)) == 0 && !o.quiet) {
            hnb_sweep_print(h, stdout);
            printf("\nResults: %s/sweep.json", o.out);
            if (o.spreadsheets) printf(", %s/sweep.xlsx, %s/csv/", o.out, o.out);
            if (o.charts) printf(", %s/charts/", o.out);
            printf("\n");
        }
    } else {
        code = rc ? exit_code_for(rc) : 0;
    }
    free(o.files);
    return code;
}

int cmd_sweep(hnb_model *h, int argc, char **argv)
{
    int rank = 0, mpi = 0, told = 0;
#ifdef HNB_HAVE_MPI
    int size = 1;
    mpi = mpi_launched();
    if (mpi && mpi_start(&rank, &size)) {
        fprintf(stderr, "hnbsim: error: MPI_Init failed (expected to run under mpirun or srun)\n");
        return EXIT_IO;
    }
#endif
#ifdef HNB_HAVE_MPI
    int quiet = mpi && rank > 0 ? mpi_quiet_begin() : -1; /* rank 0 tells the problems */
#endif
    int code = sweep(h, argc, argv, rank, mpi, &told);
#ifdef HNB_HAVE_MPI
    if (quiet >= 0) mpi_quiet_end(quiet);
    /* every rank takes part in rank 0's go or stop once; a rank that could
     * not start when rank 0 did refuses the first map, and rank 0 stops */
    if (mpi && !told && mpi_go(0) && rank > 0) mpi_refuse(HNB_E_USAGE);
    if (mpi) mpi_end();
#endif
    return code;
}
