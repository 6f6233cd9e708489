/* cmd_sweep.c: hnbsim sweep SWEEP.json, the batch sensitivity sweeps
 * (docs/sweeps.md). Under mpirun (when built with MPI) the cases are spread
 * over the ranks and rank 0 alone prints and writes; the files are the same
 * bytes as one process writes. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hnbsim_plots.h"
#include "hnbsim_report.h"
#ifdef HNB_HAVE_MPI
#include "sweep_mpi.h"
#endif

int cmd_sweep(hnb_model *h, int argc, char **argv)
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
    int rc = parse_opts("sweep", nrest, rest, "--out --format --no-charts --no-spreadsheets --quiet", &o);
    free(rest);
    if (rc) return rc;
    if (o.nfiles != 1) {
        free(o.files);
        return usage_error("sweep", "%s", "give one sweep file (expected hnbsim sweep SWEEP.json)");
    }
    /* like every command, a default folder of its own */
    int given_out = 0;
    for (int i = 0; i < argc; i++) given_out |= strcmp(argv[i], "--out") == 0;
    if (!given_out) o.out = "out/sweep";
    int progress = o.run.progress, rank = 0;
    hnb_sweep_options so = {progress, only, NULL, NULL};
#ifdef HNB_HAVE_MPI
    int size = 1, mpi = sweep_mpi_launched();
    if (mpi) {
        if (sweep_mpi_start(&rank, &size)) {
            free(o.files);
            fprintf(stderr, "hnbsim: error: MPI_Init failed (expected to run under mpirun or srun)\n");
            return EXIT_IO;
        }
        progress = progress && rank == 0;
        so.progress = progress;
        so.map = sweep_mpi_map;
        so.map_ctx = &progress;
    }
#endif
    rc = hnb_sweep(h, o.files[0], &so);
    char *json = join(o.out, "sweep.json"), *charts = join(o.out, "charts");
    if (!rc && (!json || !charts)) rc = HNB_E_NOMEM;
    int code = 0;
    if (rank == 0) {
        if (!rc) rc = hnb_write_results(h, json);
        if (!rc && o.spreadsheets) rc = hnb_export_sweep(h, o.out);
        if (!rc && o.charts) rc = hnb_plot_sweep(h, charts, o.formats);
        if (!rc && !o.quiet) {
            hnb_sweep_print(h, stdout);
            printf("\nResults: %s", json);
            if (o.spreadsheets) printf(", %s/sweep.xlsx, %s/csv/", o.out, o.out);
            if (o.charts) printf(", %s/", charts);
            printf("\n");
        }
        code = rc ? fail(h, rc) : 0;
    } else {
        code = rc ? exit_code_for(rc) : 0;
    }
    free(json);
    free(charts);
    free(o.files);
#ifdef HNB_HAVE_MPI
    if (mpi) sweep_mpi_end();
#endif
    return code;
}
