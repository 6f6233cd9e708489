/* report.h: spreadsheets for finance officers: an XLSX workbook shaped like the
 * DSG management plan, and tidy CSV files (see workbook.c and csv.c). */
#ifndef HNB_REPORT_H
#define HNB_REPORT_H

#include <cjson/cJSON.h>

#include "hnbsim.h"

/* Write the workbook (path, e.g. out/hnbsim.xlsx) from a results tree. */
int report_workbook(hnb_model *h, const cJSON *results, const char *path);
/* Write the CSV files into outdir (e.g. out/csv/); with excel, each starts
 * with a UTF-8 byte-order mark (out/csv-excel/). */
int report_csv(hnb_model *h, const cJSON *results, const char *outdir, int excel);

#endif
