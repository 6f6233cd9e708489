/* csv.c: placeholder until the CSV files land (issue 9). */
#include "report.h"
#include "error.h"
int report_csv(hnb_model *h, const cJSON *results, const char *outdir)
{
    (void)results;
    return err_set(h, HNB_E_WRITE, "%s: CSV not built yet", outdir);
}
