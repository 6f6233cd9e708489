/* cmd_run.c: hnbsim run and hnbsim validate. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
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

/* 1 if an executable gnuplot is on PATH. */
static int have_gnuplot(void)
{
    const char *path = getenv("PATH");
    char buf[4096];
    for (const char *p = path ? path : ""; *p;) {
        const char *e = strchr(p, ':');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        snprintf(buf, sizeof buf, "%.*s/gnuplot", (int)n, p);
        if (n && access(buf, X_OK) == 0) return 1;
        p += n + (e ? 1 : 0);
    }
    return 0;
}

int cmd_run(hnb_model *h, int argc, char **argv)
{
#ifdef HNB_HAVE_MPI
    if (run_mpi_wanted()) return run_mpi(h, argc, argv); /* under mpirun: run_mpi.c */
#endif
    opts o;
    int rc = parse_opts(
        "run", argc, argv,
        "--out --paths --seed --threads --paths-out --format --own-scales --no-charts --no-spreadsheets --quiet "
        "--force --excel-csv --allow-outside --report --no-pdf --scenario --json --grid-csv",
        &o);
    if (rc) return rc;
    rc = load_all(h, &o);
    if (!rc && o.scenario) rc = hnb_select_scenario(h, o.scenario);
    if (rc) {
        free(o.files);
        return fail(h, rc);
    }
    /* everything the run needs is checked before it computes */
    if (o.charts && !have_gnuplot()) {
        free(o.files);
        fprintf(stderr, "hnbsim: error: gnuplot: not found on PATH (expected gnuplot for the charts: install it "
                        "(scripts/setup), or run with --no-charts)\n");
        return EXIT_IO;
    }
    outset out;
    int e = outset_begin(&out, o.out, "run", o.force);
    if (e) {
        free(o.files);
        return e;
    }
#ifdef HNB_HAVE_MPI
    rc = run_mpi_job(h, &o.run); /* under mpirun: the paths over the ranks */
#else
    rc = hnb_run(h, &o.run);
#endif
    char *json = outset_path(&out, "results.json"), *charts = outset_path(&out, "charts");
    if (!rc && (!json || !charts)) rc = HNB_E_NOMEM;
    if (!rc) rc = hnb_add_backtest(h);
    /* the charts first: gnuplot draws them while the results file, the grid,
     * the workbook and CSV files are written */
    hnb_plot_job *charts_job = NULL;
    if (!rc && o.charts) rc = hnb_plot_results_start(h, charts, o.formats, &charts_job);
    if (!rc) rc = hnb_write_results(h, json);
    if (!rc && o.grid_csv) { /* the full grid of age x need x placement (model/api/grid.c) */
        char *grid = outset_path(&out, "grid.csv");
        rc = grid ? hnb_write_grid(h, grid) : HNB_E_NOMEM;
        free(grid);
    }
    if (!rc && o.spreadsheets) rc = hnb_export_results_opt(h, out.staging, o.excel_csv ? HNB_EXPORT_EXCEL_CSV : 0);
    if (rc && charts_job) { /* say what failed before the charts' own error could replace it */
        int e = fail(h, rc);
        hnb_plot_wait(h, charts_job);
        outset_abort(&out);
        free(json);
        free(charts);
        free(o.files);
        return e;
    }
    if (!rc) rc = hnb_plot_wait(h, charts_job);
    char *paper = o.report ? outset_path(&out, "report.html") : NULL,
         *paper_pdf = o.report ? outset_path(&out, "report.pdf") : NULL;
    if (!rc && o.report) rc = paper && paper_pdf ? hnb_paper_results(h, paper) : HNB_E_NOMEM;
    if (!rc && o.report && !o.no_pdf) rc = report_pdf(h, paper, paper_pdf, o.quiet);
    free(paper);
    free(paper_pdf);
    free(json);
    free(charts);
    if (rc) {
        outset_abort(&out);
        free(o.files);
        return fail(h, rc);
    }
    e = outset_commit(&out);
    if (!e && o.json) {
        /* for scripts: only the JSON on stdout, whatever --quiet says */
        char *text = NULL;
        rc = hnb_headline_json(h, &text);
        if (rc) {
            free(o.files);
            return fail(h, rc);
        }
        fputs(text, stdout);
        free(text);
    } else if (!e && !o.quiet) {
        hnb_compare_print(h, stdout);
        printf("\nResults: %s/results.json", o.out);
        if (o.spreadsheets) printf(", %s/hnbsim.xlsx, %s/csv/", o.out, o.out);
        if (o.charts) printf(", %s/charts/", o.out);
        if (o.report) printf(", %s/report.html", o.out);
        printf("\n");
    }
    free(o.files);
    return e;
}

int cmd_validate(hnb_model *h, int argc, char **argv)
{
    opts o;
    int rc = parse_opts("validate", argc, argv, "--quiet --allow-outside --scenario", &o);
    if (rc) return rc;
    if (o.nfiles == 0) {
        free(o.files);
        return usage_error("validate", "%s", "no scenario file given (expected hnbsim validate SCENARIO.json ...)");
    }
    int worst = 0;
    for (int i = 0; i < o.nfiles; i++) {
        rc = hnb_load_file_ex(h, o.files[i], o.load_flags);
        if (rc) {
            int e = fail(h, rc);
            if (e > worst) worst = e;
        } else if (!o.quiet) {
            printf("%s: ok\n", o.files[i]);
            char *notes = NULL;
            if (hnb_replace_notes(h, o.files[i], &notes) == 0 && notes && *notes) {
                printf("%s: note: figures marked \"replace\": true, national defaults the council should replace:\n",
                       o.files[i]);
                for (char *p = notes, *nl; *p; p = nl + 1) {
                    nl = strchr(p, '\n');
                    if (!nl) nl = p + strlen(p) - 1;
                    printf("  %.*s\n", (int)(nl - p), p);
                }
            }
            free(notes);
        }
    }
    /* --scenario NAME: that scenario as the model will use it */
    if (!worst && o.scenario && (rc = hnb_scenario_print(h, o.scenario, stdout)) != 0) worst = fail(h, rc);
    free(o.files);
    return worst;
}
