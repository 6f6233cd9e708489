/* rview.h: what the workbook (workbook.c) and the CSV files (csv.c) share
 * when they read a results tree (docs/results-format.md).
 *
 * report_check validates, once and up front, every part of the tree the two
 * writers read, and reports every problem (one line each, as
 * "<output>: results <json.path>: <what> (expected <what>)") before returning
 * HNB_E_RESULTS. After it passes, the writers look values up without checking
 * each one again: report_num and report_str never fail (NAN and "" stand for
 * absent), so a writer cannot crash on a tree that slipped past the check.
 *
 * The rest are the small pieces both writers need identically: the columns of
 * financial years (the union over scenarios, in order), the grouping of spend
 * lines by s251 budget line, round-trip number text, and the C numeric locale
 * for the current thread only (libxlsxwriter prints numbers with snprintf, so
 * a caller's locale with a decimal comma would otherwise corrupt the XML). */
#ifndef HNB_RVIEW_H
#define HNB_RVIEW_H

/* locale_t is POSIX: files that include this define _POSIX_C_SOURCE 200809L
 * before any system header. */
#include <cjson/cJSON.h>
#include <locale.h>
#include <stddef.h>

#include "hnbsim.h"

/* Validate the parts of results the spreadsheets read. `out` names the file
 * or folder being written, for messages. HNB_OK or HNB_E_RESULTS (every
 * problem listed in hnb_errmsg). */
int report_check(hnb_model *h, const cJSON *results, const char *out);

/* Case-sensitive lookups that never fail: NULL, NAN or "" when absent or of
 * another type. */
const cJSON *report_get(const cJSON *obj, const char *key);
double report_num(const cJSON *obj, const char *key);
const char *report_str(const cJSON *obj, const char *key);
/* 1 if the scenario has savings / a Monte Carlo section. */
int report_has_savings(const cJSON *scen);
int report_has_montecarlo(const cJSON *scen);

/* The financial years of every scenario, in order without repeats: the
 * columns of the workbook's year tables. census[i] is the January census
 * inside fy[i] (from the first scenario that has the year). */
typedef struct report_years {
    size_t n;
    const char **fy; /* borrowed from the tree (or from store) */
    double *census;
    size_t nact; /* leading years before any projected year: actual (outturn) years */
    char *store; /* text of years made here */
} report_years;

int report_years_build(const cJSON *results, report_years *ys); /* 0 or -1 (memory) */
/* The template's columns: the outturn years of actuals.finance and the year of
 * each scenario's starting census (`start`) that come before the first
 * projected year (nact of them, census = the January inside), then the
 * projected years. 0 or -1 (memory). */
int report_years_template(const cJSON *results, report_years *ys);
void report_years_free(report_years *ys);
/* Index of fy in ys, or (size_t)-1. */
size_t report_years_find(const report_years *ys, const char *fy);

/* Spend lines grouped by s251 code: groups in natural order of the code
 * ("1.2.2" before "1.2.10"), lines with an empty code last, as "unmapped". */
typedef struct report_s251_group {
    const char *code; /* borrowed; "unmapped" for "" */
    size_t n;
    size_t *line; /* indices into spend_lines, in spend_lines order */
} report_s251_group;

typedef struct report_s251 {
    size_t n;
    report_s251_group *g;
} report_s251;

int report_s251_build(const cJSON *spend_lines, report_s251 *s); /* 0 or -1 (memory) */
void report_s251_free(report_s251 *s);
/* Sum of year.spend.by_line over a group, in spend_lines order (so that a
 * reader summing the same lines in the same order gets the same double). */
double report_s251_sum(const report_s251_group *g, const cJSON *spend_lines, const cJSON *year);

/* The shortest text that reads back as exactly v (%.15g, %.16g or %.17g),
 * '.' as the decimal point. buf must hold 32 bytes. Call inside
 * report_locale_push/pop. */
void report_fmt_num(char *buf, double v);

/* The DSG management plan template's placement categories (docs/spreadsheets.md). */
#define REPORT_NCAT 7
extern const char *const report_category_key[REPORT_NCAT];
extern const char *const report_category_label[REPORT_NCAT];
/* The category of a placement ({id, label[, category]}): its `category` key
 * when it names one, else the default mapping of its id, then its label. */
int report_category(const cJSON *placement);
/* The template's age groups: the results' age bands and how the template names them. */
#define REPORT_NAGE 5
extern const char *const report_age_key[REPORT_NAGE];
extern const char *const report_age_label[REPORT_NAGE];

/* A scenario's need groups (need_groups: {id, label}) in the order of the
 * template's 13 primary needs: those whose id is a DfE code (ASD, HI, MLD,
 * MSI, OTH, PD, PMLD, SEMH, SLCN, SLD, SPLD, VI, NSA; any case) first, in
 * DfE's order, labelled with DfE's name; then the others in the scenario's
 * order with their own labels. Up to max; returns how many. */
size_t report_need_order(const cJSON *groups, const cJSON **out, const char **labels, size_t max);

/* Switch this thread (only) to the C numeric locale, and back. */
typedef struct report_locale {
    locale_t c, old;
} report_locale;

int report_locale_push(report_locale *l); /* 0 or -1 */
void report_locale_pop(report_locale *l);

#endif
