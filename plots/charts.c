/* charts.c: the charts for Schools Forum papers, drawn from results.json:
 * the list of charts and the driver.
 *
 *   cumulative.*   cumulative DSG position by scenario, with the published
 *                  outturns/forecasts and the end of the statutory override
 *                  (chartposition.c);
 *   in-year.*      in-year position by scenario, clustered bars (chartposition.c);
 *   fan-<s>.*      Monte Carlo fan of the cumulative position, for scenarios
 *                  with `montecarlo` (chartrisk.c);
 *   ehcps-<s>.*    EHCPs by placement at each January census, stacked (chartstack.c);
 *   spend-<s>.*    spend by line, stacked, against total funding (chartstack.c);
 *   savings-<s>.*  waterfall from the parent's position to the plan's at the
 *                  end of the override, a row per action, for scenarios with
 *                  `savings` (chartsavings.c);
 *   tornado.*      a sensitivity sweep, with a top-level `sweep` (chartrisk.c).
 * docs/charts.md describes them for readers.
 *
 * Design. The results are checked once up front (charts_check, chartread.c):
 * every problem is listed, then one HNB_E_RESULTS is returned, before
 * anything is drawn. Then the ranges the per-scenario charts share are
 * measured over every scenario, so that the fan (EHCP, spend) charts of two
 * scenarios have the same axes and can be set side by side; the caller may
 * ask instead for each to scale itself (HNB_PLOT_OWN_SCALES). Each chart
 * writes its data as gnuplot datablocks (money in £m, x = the year a
 * financial year starts in) and its body through the shared style of
 * chartstyle.c, and hands it to a pool of gnuplot processes (chartpipe.c),
 * one per core, each drawing a batch of charts, which keeps a chart's files
 * only if gnuplot drew it without an error.
 *
 * Trade-offs. Per-scenario charts are separate files rather than panels, so
 * that a paper can use the one it needs at full size. Charts stop at the
 * first failure: no chart is started after it, charts already drawn are
 * complete and stay, and the error is that of the first chart in this list
 * that failed. Numbers are printed in the C numeric locale (this thread
 * only), whatever the caller set: "12,5" would be a gnuplot syntax error. */
#define _POSIX_C_SOURCE 200809L
#include "charts.h"

#include <locale.h>
#include <stdlib.h>

#include "chartparts.h"
#include "core/error.h"
#include "core/fileout.h"
#include "hnbsim_plots.h"

/* Every chart, in the order they are drawn; stops at the first error. */
static int charts_all(charts_ctx *x)
{
    int rc = charts_cumulative(x);
    if (!rc) rc = charts_in_year(x);
    const cJSON *s;
    int i = 0;
    cJSON_ArrayForEach(s, x->scen)
    {
        if (!rc && charts_get(s, "montecarlo")) rc = charts_fan(x, s, i);
        if (!rc) rc = charts_ehcps(x, s, i);
        if (!rc) rc = charts_spend(x, s, i);
        if (!rc && charts_get(s, "savings")) rc = charts_savings(x, s, i);
        i++;
    }
    const cJSON *sw = charts_get(x->res, "sweep");
    if (!rc && sw) rc = charts_tornado(x, sw);
    return rc;
}

/* How many charts charts_all draws (for the size of gnuplot's batches). */
static int charts_count_all(const charts_ctx *x)
{
    int n = 2; /* cumulative, in-year */
    const cJSON *s;
    cJSON_ArrayForEach(s, x->scen)
    {
        n += 2; /* ehcps, spend */
        n += charts_get(s, "montecarlo") != NULL;
        n += charts_get(s, "savings") != NULL;
        n += cJSON_GetArraySize(charts_get(s, "need_groups")) > 0;
    }
    return n + (charts_get(x->res, "sweep") != NULL);
}

/* The ranges the same chart of every scenario shares. */
static void charts_share(charts_ctx *x)
{
    charts_range_init(&x->fan);
    charts_range_init(&x->ehcps);
    charts_range_init(&x->spend);
    const cJSON *s;
    cJSON_ArrayForEach(s, x->scen)
    {
        if (charts_get(s, "montecarlo")) charts_fan_range(x, s, &x->fan);
        charts_ehcps_range(x, s, &x->ehcps);
        charts_spend_range(x, s, &x->spend);
    }
}

int charts_start(hnb_model *h, const cJSON *results, const char *outdir, unsigned formats, charts_pool **pool)
{
    *pool = NULL;
    const unsigned all = HNB_FMT_PNG | HNB_FMT_PDF | HNB_FMT_SVG;
    if (!(formats & all) || (formats & ~(all | HNB_PLOT_OWN_SCALES)))
        return err_set(h, HNB_E_USAGE,
                       "%s: chart formats 0x%x: not a set of known formats (expected PNG, PDF and/or SVG)", outdir,
                       formats);
    charts_ctx x = {0};
    x.h = h;
    x.res = results;
    x.outdir = outdir;
    x.formats = formats & all;
    int rc = charts_check(&x);
    if (rc) return rc;
    x.meta.title = charts_str(results, "title", "");
    x.meta.source = charts_str(results, "source", "");
    x.meta.run_date = charts_str(results, "run_date", "");

    /* Say gnuplot is missing before anything is made. */
    if (!charts_gnuplot_on_path()) {
        char *first = fileout_join(outdir, formats & HNB_FMT_PNG   ? "cumulative.png"
                                           : formats & HNB_FMT_PDF ? "cumulative.pdf"
                                                                   : "cumulative.svg");
        rc = err_set(h, HNB_E_GNUPLOT,
                     "%s: cannot draw the cumulative DSG position chart: gnuplot not found on PATH (expected the "
                     "gnuplot program, e.g. from the gnuplot-nox package)",
                     first ? first : outdir);
        free(first);
        return rc;
    }
    rc = fileout_mkdirs(h, outdir);
    if (rc) return rc;
    x.pool = charts_pool_new(h, outdir, x.formats, 0);
    if (!x.pool) return err_set(h, HNB_E_NOMEM, "%s: out of memory starting the charts", outdir);
    charts_pool_expect(x.pool, charts_count_all(&x));
    x.shared = !(formats & HNB_PLOT_OWN_SCALES);

    /* Numbers go to gnuplot with a '.' whatever locale the caller set; this
     * thread only, and put back before returning. */
    locale_t cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = cloc ? uselocale(cloc) : (locale_t)0;
    if (x.shared) charts_share(&x);
    rc = charts_all(&x);
    if (cloc) {
        uselocale(old);
        freelocale(cloc);
    }
    if (rc) {
        int end = charts_pool_end(x.pool); /* the first failure in the order added */
        return end ? end : rc;
    }
    *pool = x.pool;
    return HNB_OK;
}

int charts_draw(hnb_model *h, const cJSON *results, const char *outdir, unsigned formats)
{
    charts_pool *pool = NULL;
    int rc = charts_start(h, results, outdir, formats, &pool);
    return pool ? charts_pool_end(pool) : rc;
}
