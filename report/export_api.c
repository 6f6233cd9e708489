/* export_api.c: hnb_export_file and hnb_export_results (hnbsim_report.h):
 * the workbook and the CSV files from a results file or the last run. */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "core/error.h"
#include "core/fileout.h"
#include "core/model.h"
#include "hnbsim_report.h"
#include "report.h"
#include "results/results.h"

static int export_tree(hnb_model *h, const cJSON *doc, const char *outdir)
{
    int rc = fileout_mkdirs(h, outdir);
    char *xlsx = fileout_join(outdir, "hnbsim.xlsx");
    char *csvdir = fileout_join(outdir, "csv");
    if (!xlsx || !csvdir) rc = err_set(h, HNB_E_NOMEM, "out of memory");
    if (!rc) rc = report_workbook(h, doc, xlsx);
    if (!rc) rc = report_csv(h, doc, csvdir);
    free(xlsx);
    free(csvdir);
    return rc;
}

int hnb_export_file(hnb_model *h, const char *results_path, const char *outdir)
{
    cJSON *doc = NULL;
    int rc = results_read(h, results_path, &doc);
    if (!rc) rc = export_tree(h, doc, outdir);
    cJSON_Delete(doc);
    return rc;
}

int hnb_export_results(hnb_model *h, const char *outdir)
{
    if (!h->results) return err_set(h, HNB_E_NOTRUN, "no results to export (expected hnb_run first)");
    return export_tree(h, h->results, outdir);
}
