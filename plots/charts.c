/* charts.c: placeholder until the charts land (issue 8). */
#include "charts.h"
#include "error.h"
int charts_draw(hnb_model *h, const cJSON *results, const char *outdir, unsigned formats)
{
    (void)results;
    (void)formats;
    return err_set(h, HNB_E_GNUPLOT, "%s: charts are not built yet", outdir);
}
