/* workbook.c: placeholder until the workbook lands (issue 9). */
#include "report.h"
#include "error.h"
int report_workbook(hnb_model *h, const cJSON *results, const char *path)
{
    (void)results;
    return err_set(h, HNB_E_WORKBOOK, "%s: workbook not built yet", path);
}
