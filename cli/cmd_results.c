/* cmd_results.c: hnbsim compare, plot and export: commands that read results files. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hnbsim_plots.h"
#include "hnbsim_report.h"

/* 1 if the file says it is a results file (its first bytes name the format). */
static int is_results_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    char head[512];
    size_t n = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    head[n] = '\0';
    return strstr(head, "\"hnbsim-results\"") != NULL;
}

int cmd_compare(hnb_model *h, int argc, char **argv)
{
    opts o;
    int rc = parse_opts("compare", argc, argv, "--quiet --out", &o);
    if (rc) return rc;
    /* results files (this month against last), or scenario files to run:
     * a file that names the results format decides, so a damaged or missing
     * results file gets its own error, not a scenario file's */
    int any_results = 0;
    for (int i = 0; i < o.nfiles; i++) any_results |= is_results_file(o.files[i]);
    if (any_results && o.nfiles >= 2) {
        rc = hnb_compare_files(h, o.files, o.nfiles, stdout, o.out_given ? o.out : NULL);
        free(o.files);
        return rc ? fail(h, rc) : 0;
    }
    if (any_results) {
        rc = hnb_load_results(h, o.files[0]);
    } else {
        rc = load_all(h, &o);
        o.run.attribution = 0;
        if (!rc) rc = hnb_run(h, &o.run);
    }
    if (!rc) rc = hnb_compare_print(h, stdout);
    free(o.files);
    return rc ? fail(h, rc) : 0;
}

/* One results file into a folder of one command's outputs (outset.c): the
 * writer fills the staging folder, then the set moves into place whole. */
typedef int (*results_writer)(hnb_model *h, const opts *o, const char *staging);

static int from_results_file(hnb_model *h, int argc, char **argv, const char *cmd, const char *allowed,
                             const char *default_out, results_writer write)
{
    opts o;
    int rc = parse_opts(cmd, argc, argv, allowed, &o);
    if (rc) return rc;
    if (o.nfiles != 1) {
        free(o.files);
        char msg[128];
        snprintf(msg, sizeof msg, "expected one results file: hnbsim %s RESULTS.json [--out DIR]", cmd);
        return usage_error(cmd, "%s", msg);
    }
    if (!o.out_given) o.out = default_out; /* its own folder: never run's */
    outset out;
    int e = outset_begin(&out, o.out, cmd, o.force);
    if (!e) {
        rc = write(h, &o, out.staging);
        if (rc) {
            outset_abort(&out);
            e = fail(h, rc);
        } else {
            e = outset_commit(&out);
        }
    }
    if (!e && strcmp(cmd, "plot") == 0) printf("Charts: %s/\n", o.out);
    if (!e && strcmp(cmd, "export") == 0) printf("Workbook: %s/hnbsim.xlsx; CSV: %s/csv/\n", o.out, o.out);
    free(o.files);
    return e;
}

static int write_charts(hnb_model *h, const opts *o, const char *staging)
{
    return hnb_plot_file(h, o->files[0], staging, o->formats);
}

static int write_sheets(hnb_model *h, const opts *o, const char *staging)
{
    return hnb_export_file_opt(h, o->files[0], staging, o->excel_csv ? HNB_EXPORT_EXCEL_CSV : 0);
}

int cmd_plot(hnb_model *h, int argc, char **argv)
{
    return from_results_file(h, argc, argv, "plot", "--out --format --own-scales --force", "out/plot", write_charts);
}

int cmd_export(hnb_model *h, int argc, char **argv)
{
    return from_results_file(h, argc, argv, "export", "--out --force --excel-csv", "out/export", write_sheets);
}

int report_pdf(hnb_model *h, const char *html, const char *pdf, int quiet)
{
    int rc = hnb_paper_pdf(h, html, pdf);
    if (rc == HNB_E_PRINT && strstr(hnb_errmsg(h), "not found")) {
        if (!quiet) fprintf(stderr, "hnbsim: note: %s; the HTML is written, the PDF skipped\n", hnb_errmsg(h));
        return 0;
    }
    return rc;
}

/* html with its .html (or .htm) ending replaced by .pdf, or .pdf added. */
static char *pdf_beside(const char *html)
{
    size_t n = strlen(html);
    char *s = malloc(n + 5);
    if (!s) return NULL;
    memcpy(s, html, n + 1);
    char *dot = strrchr(s, '.'), *slash = strrchr(s, '/');
    if (dot && (!slash || dot > slash) && (!strcmp(dot, ".html") || !strcmp(dot, ".htm")))
        strcpy(dot, ".pdf");
    else
        strcat(s, ".pdf");
    return s;
}

int cmd_report(hnb_model *h, int argc, char **argv)
{
    opts o;
    int rc = parse_opts("report", argc, argv, "--out --no-pdf --quiet", &o);
    if (rc) return rc;
    if (o.nfiles != 1) {
        free(o.files);
        return usage_error("report", "%s", "expected one results file: hnbsim report RESULTS.json [--out report.html]");
    }
    const char *html = o.out_given ? o.out : "out/report/report.html";
    char *pdf = pdf_beside(html);
    int e = 0;
    if (!pdf) {
        e = fail(h, HNB_E_NOMEM);
    } else if ((rc = hnb_paper_file(h, o.files[0], html)) != 0) {
        e = fail(h, rc);
    } else {
        int printed = 0;
        if (!o.no_pdf) {
            e = report_pdf(h, html, pdf, o.quiet);
            if (e) e = fail(h, e);
            printed = !e && access(pdf, R_OK) == 0;
        }
        if (!o.quiet) printf("Report: %s%s%s\n", html, printed ? ", " : "", printed ? pdf : "");
    }
    free(pdf);
    free(o.files);
    return e;
}
