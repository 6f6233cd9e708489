/* hnbsim_report.h: the public entry points of the spreadsheet writer
 * (report/): the workbook (hnbsim.xlsx) and the tidy CSV files, from a
 * results tree. The model library (model/) knows nothing of them. Each
 * function returns HNB_OK or an error code from hnbsim.h, with the detail in
 * hnb_errmsg(h). */
#ifndef HNBSIM_REPORT_H
#define HNBSIM_REPORT_H

#include "hnbsim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* outdir/hnbsim.xlsx and outdir/csv/ from a results file. */
HNB_API int hnb_export_file(hnb_model *h, const char *results_path, const char *outdir);
/* The same from the results of the last hnb_run. */
HNB_API int hnb_export_results(hnb_model *h, const char *outdir);
/* The workbook of a national run (sheets Authorities and England) from the
 * national.json that hnb_national wrote. */
HNB_API int hnb_export_national(hnb_model *h, const char *national_json, const char *xlsx);
/* The results of the last hnb_sweep: outdir/sweep.xlsx (a sheet per sweep)
 * and outdir/csv/sweep-<name>.csv (docs/sweeps.md). */
HNB_API int hnb_export_sweep(hnb_model *h, const char *outdir);

/* Options of the _opt calls (or-ed together). */
#define HNB_EXPORT_EXCEL_CSV 1u /* also outdir/csv-excel/: the CSV files with a UTF-8 byte-order mark */

/* hnb_export_file and hnb_export_results with options (0 = the same as them). */
HNB_API int hnb_export_file_opt(hnb_model *h, const char *results_path, const char *outdir, unsigned flags);
HNB_API int hnb_export_results_opt(hnb_model *h, const char *outdir, unsigned flags);

#ifdef __cplusplus
}
#endif
#endif
