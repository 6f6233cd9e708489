/** @file hnbsim_report.h
 * @brief The public entry points of the spreadsheet writer (report/ in
 * libhnbsim): the workbook (hnbsim.xlsx, through libxlsxwriter) and the tidy
 * CSV files, from a results tree (docs/results-format.md; the sheets and
 * files are in docs/spreadsheets.md). The model (hnbsim.h) knows nothing of
 * them.
 *
 * Errors: each function returns HNB_OK or a code from hnbsim.h, with the
 * detail in hnb_errmsg(h). Money is in £, unrounded: the workbook shows £m
 * to one decimal place through its number formats, the CSV files hold the
 * figure exactly as results.json does.
 *
 * Thread safety: as for hnbsim.h (two handles on two threads at once; one
 * handle on one thread at a time). */
#ifndef HNBSIM_REPORT_H
#define HNBSIM_REPORT_H

#include "hnbsim.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Write outdir/hnbsim.xlsx and the CSV files in outdir/csv/ from a results
 * file written by hnb_write_results(), without touching the handle's own
 * results. outdir and outdir/csv are created with their parents if needed;
 * files of the same names are replaced.
 * @return HNB_OK; HNB_E_OPEN, HNB_E_SYNTAX or HNB_E_RESULTS for the
 *         results file; HNB_E_WORKBOOK if libxlsxwriter cannot write the
 *         workbook; HNB_E_WRITE for a CSV file or a folder. */
HNB_API int hnb_export_file(hnb_model *h, const char *results_path, const char *outdir);
/** The same from the results of the last hnb_run() (or hnb_load_results()).
 * @return as hnb_export_file(), and HNB_E_NOTRUN if there are no results. */
HNB_API int hnb_export_results(hnb_model *h, const char *outdir);
/** The workbook of a national run (sheets Authorities and England) from the
 * national.json that hnb_national() wrote.
 * @return HNB_OK; as hnb_export_file(). */
HNB_API int hnb_export_national(hnb_model *h, const char *national_json, const char *xlsx);
/** The results of the last hnb_sweep(): outdir/sweep.xlsx (a sheet per
 * sweep) and outdir/csv/sweep-NAME.csv (docs/sweeps.md).
 * @return HNB_OK, HNB_E_NOTRUN without sweep results, or a file error. */
HNB_API int hnb_export_sweep(hnb_model *h, const char *outdir);

/** Option of the _opt calls: also outdir/csv-excel/, the CSV files with a
 * UTF-8 byte-order mark and CRLF, for Excel on Windows. */
#define HNB_EXPORT_EXCEL_CSV 1u

/** hnb_export_file() with options (HNB_EXPORT_* or-ed; 0 = the same call).
 * @return as hnb_export_file(). */
HNB_API int hnb_export_file_opt(hnb_model *h, const char *results_path, const char *outdir, unsigned flags);
/** hnb_export_results() with options (HNB_EXPORT_* or-ed; 0 = the same call).
 * @return as hnb_export_results(). */
HNB_API int hnb_export_results_opt(hnb_model *h, const char *outdir, unsigned flags);

/** The Schools Forum paper: one self-contained HTML file (html_path) from a
 * results file: the headline, the position by financial year, EHCPs by
 * placement category, the management plan's actions, the risks, the
 * assumptions with their sources, the back-test and a methods note, its
 * charts inlined as SVG (docs/report.md). Needs gnuplot for the charts.
 * @return HNB_OK; as hnb_export_file(); HNB_E_GNUPLOT. */
HNB_API int hnb_paper_file(hnb_model *h, const char *results_path, const char *html_path);
/** The same from the results of the last hnb_run() (or hnb_load_results()).
 * @return as hnb_paper_file(), and HNB_E_NOTRUN if there are no results. */
HNB_API int hnb_paper_results(hnb_model *h, const char *html_path);
/** Print an HTML file (the paper) to PDF with headless Chromium ($HNB_CHROMIUM,
 * else chromium on PATH), with a private temporary profile and a time limit
 * ($HNB_CHROMIUM_TIMEOUT seconds, default 120). The PDF is replaced only when
 * printing succeeded.
 * @return HNB_OK; HNB_E_PRINT if Chromium is not found (the message says "not
 *         found"), fails or times out; HNB_E_OPEN, HNB_E_WRITE. */
HNB_API int hnb_paper_pdf(hnb_model *h, const char *html_path, const char *pdf_path);

#ifdef __cplusplus
}
#endif
#endif
