/* api.c: the handle's life cycle and the public calls that only route work
 * to the module that does it (scenario loading, the run, results, charts,
 * spreadsheets). The model itself is in the files named after it. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "error.h"
#include "fileout.h"
#include "model.h"
#include "report.h"
#include "results.h"
#include "scenario.h"

const char *hnb_version(void) { return HNB_VERSION; }

hnb_model *hnb_model_alloc(void)
{
    hnb_model *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->docs = cJSON_CreateArray();
    if (!h->docs) {
        free(h);
        return NULL;
    }
    return h;
}

void hnb_model_free(hnb_model *h)
{
    if (!h) return;
    for (size_t i = 0; i < h->nscen; i++) scenario_free(h->scen[i]);
    free(h->scen);
    for (size_t i = 0; i < h->ninputs; i++) free(h->inputs[i]);
    free(h->inputs);
    cJSON_Delete(h->docs);
    cJSON_Delete(h->results);
    free(h->err.text);
    free(h);
}

size_t hnb_scenario_count(const hnb_model *h) { return h->nscen; }

const char *hnb_scenario_name(const hnb_model *h, size_t i) { return i < h->nscen ? scenario_name(h->scen[i]) : NULL; }

/* Read a results file written by hnb_write_results. */
static int read_results(hnb_model *h, const char *path, cJSON **out)
{
    char *text = NULL;
    size_t len = 0;
    int rc = scenario_read_text(h, path, &text, &len);
    if (rc) return rc;
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (!doc) {
        rc = err_set(h, HNB_E_RESULTS, "%s: malformed JSON at byte %ld (expected a results.json written by hnbsim)",
                     path, end ? (long)(end - text) : 0L);
    } else {
        const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(doc, "format");
        if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "hnbsim-results") != 0 ||
            !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "scenarios"))) {
            rc = err_set(h, HNB_E_RESULTS,
                         "%s: format: not an hnbsim results file (expected \"format\": \"hnbsim-results\" and a "
                         "\"scenarios\" array)",
                         path);
            cJSON_Delete(doc);
            doc = NULL;
        }
    }
    free(text);
    *out = doc;
    return rc;
}

int hnb_load_results(hnb_model *h, const char *path)
{
    cJSON *doc = NULL;
    int rc = read_results(h, path, &doc);
    if (rc) return rc;
    cJSON_Delete(h->results);
    h->results = doc;
    return HNB_OK;
}

int hnb_plot_file(hnb_model *h, const char *results_path, const char *outdir, unsigned formats)
{
    cJSON *doc = NULL;
    int rc = read_results(h, results_path, &doc);
    if (!rc) rc = charts_draw(h, doc, outdir, formats);
    cJSON_Delete(doc);
    return rc;
}

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
    int rc = read_results(h, results_path, &doc);
    if (!rc) rc = export_tree(h, doc, outdir);
    cJSON_Delete(doc);
    return rc;
}

int hnb_plot_results(hnb_model *h, const char *outdir, unsigned formats)
{
    if (!h->results) return err_set(h, HNB_E_NOTRUN, "no results to plot (expected hnb_run first)");
    return charts_draw(h, h->results, outdir, formats);
}

int hnb_export_results(hnb_model *h, const char *outdir)
{
    if (!h->results) return err_set(h, HNB_E_NOTRUN, "no results to export (expected hnb_run first)");
    return export_tree(h, h->results, outdir);
}

int hnb_write_results(hnb_model *h, const char *path)
{
    char *s = NULL;
    int rc = hnb_results_string(h, &s);
    if (!rc) rc = fileout_write_string(h, path, s);
    free(s);
    return rc;
}

int hnb_results_string(hnb_model *h, char **out)
{
    *out = NULL;
    if (!h->results) return err_set(h, HNB_E_NOTRUN, "no results (expected hnb_run first)");
    *out = results_print(h->results);
    return *out ? HNB_OK : err_set(h, HNB_E_NOMEM, "out of memory printing results");
}
