/* export_api.c: hnb_export_file and hnb_export_results (hnbsim_report.h):
 * the workbook and the CSV files from a results file or the last run, and
 * with HNB_EXPORT_EXCEL_CSV the CSV files again for Excel (csv-excel/). */
#define _POSIX_C_SOURCE 200809L /* locale_t, for rview.h */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/fileout.h"
#include "core/model.h"
#include "hnbsim_report.h"
#include "report.h"
#include "rview.h"
#include "results/results.h"

static int export_tree(hnb_model *h, const cJSON *doc, const char *outdir, unsigned flags)
{
    unsigned long mark = alloc_failures();
    int rc = fileout_mkdirs(h, outdir);
    char *xlsx = fileout_join(outdir, "hnbsim.xlsx");
    char *csvdir = fileout_join(outdir, "csv");
    char *xldir = fileout_join(outdir, "csv-excel");
    if (!xlsx || !csvdir || !xldir) rc = err_set(h, HNB_E_NOMEM, "out of memory");
    if (!rc) rc = report_workbook(h, doc, xlsx);
    if (!rc) rc = report_csv(h, doc, csvdir, 0);
    if (!rc && (flags & HNB_EXPORT_EXCEL_CSV)) rc = report_csv(h, doc, xldir, 1);
    free(xlsx);
    free(csvdir);
    free(xldir);
    return alloc_check(h, mark, rc, "writing the workbook and CSV files");
}

int hnb_export_file_opt(hnb_model *h, const char *results_path, const char *outdir, unsigned flags)
{
    cJSON *doc = NULL;
    int rc = results_read_checked(h, results_path, &doc);
    /* what the workbook reads, checked first so that a message names the
     * file that was read, not the workbook being written */
    if (!rc) rc = report_check(h, doc, results_path);
    if (!rc) rc = export_tree(h, doc, outdir, flags);
    cJSON_Delete(doc);
    return rc;
}

int hnb_export_results_opt(hnb_model *h, const char *outdir, unsigned flags)
{
    if (!h->results) return err_set(h, HNB_E_NOTRUN, "no results to export (expected hnb_run first)");
    return export_tree(h, h->results, outdir, flags);
}

int hnb_export_file(hnb_model *h, const char *results_path, const char *outdir)
{
    return hnb_export_file_opt(h, results_path, outdir, 0);
}

int hnb_export_results(hnb_model *h, const char *outdir) { return hnb_export_results_opt(h, outdir, 0); }
