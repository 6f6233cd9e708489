/* plot_api.c: hnb_plot_file and hnb_plot_results (hnbsim_plots.h): read a
 * results file through the model's one results reader, then draw. */
#include <cjson/cJSON.h>

#include "charts.h"
#include "core/alloc.h"
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
