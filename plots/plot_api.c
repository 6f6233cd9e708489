/* plot_api.c: hnb_plot_file and hnb_plot_results (hnbsim_plots.h): read a
 * results file through the model's one results reader, then draw; and
 * hnb_plot_results_start / hnb_plot_wait, the same in two halves, so that
 * gnuplot draws while the caller writes its other files. */
#include <cjson/cJSON.h>

#include "charts.h"
#include "chartpipe.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/model.h"
#include "hnbsim_plots.h"
#include "results/results.h"

/* The charts, and out of memory if an allocation failed on the way (core/alloc.h). */
static int draw(hnb_model *h, const cJSON *doc, const char *outdir, unsigned formats)
{
    unsigned long mark = alloc_failures();
    return alloc_check(h, mark, charts_draw(h, doc, outdir, formats), "drawing the charts");
}

int hnb_plot_file(hnb_model *h, const char *results_path, const char *outdir, unsigned formats)
{
    cJSON *doc = NULL;
    int rc = results_read_checked(h, results_path, &doc);
    if (!rc) rc = draw(h, doc, outdir, formats);
    cJSON_Delete(doc);
    return rc;
}

int hnb_plot_results(hnb_model *h, const char *outdir, unsigned formats)
{
    if (!h->results) return err_set(h, HNB_E_NOTRUN, "no results to plot (expected hnb_run first)");
    return draw(h, h->results, outdir, formats);
}

struct hnb_plot_job {
    charts_pool *pool;
};

int hnb_plot_results_start(hnb_model *h, const char *outdir, unsigned formats, hnb_plot_job **job)
{
    *job = NULL;
    if (!h->results) return err_set(h, HNB_E_NOTRUN, "no results to plot (expected hnb_run first)");
    unsigned long mark = alloc_failures();
    hnb_plot_job *j = calloc(1, sizeof *j);
    if (!j) return err_set(h, HNB_E_NOMEM, "%s: out of memory starting the charts", outdir);
    int rc = alloc_check(h, mark, charts_start(h, h->results, outdir, formats, &j->pool), "drawing the charts");
    if (rc && j->pool) charts_pool_end(j->pool); /* an allocation failed on the way: stop */
    if (rc) {
        free(j);
        return rc;
    }
    *job = j;
    return HNB_OK;
}

int hnb_plot_wait(hnb_model *h, hnb_plot_job *job)
{
    if (!job) return HNB_OK;
    unsigned long mark = alloc_failures();
    int rc = alloc_check(h, mark, charts_pool_end(job->pool), "drawing the charts");
    free(job);
    return rc;
}
