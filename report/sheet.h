/* sheet.h: the sheet builder every sheet of the workbook is made with
 * (sheet.c), and the sheets themselves (wb_*.c), called in order by
 * report_workbook (workbook.c).
 *
 * A sheet is built top to bottom: sheet_begin writes the three title rows
 * (title, inputs and run date, units) and sets the print setup (landscape
 * A4, one page wide, footer); the sheet writes its heading row at WB_HEAD and
 * its rows, through sheet_str / sheet_num / sheet_formula so that the
 * builder learns the column widths and which rows wrap; sheet_end sets the
 * widths and wrapped-row heights, freezes the headings and repeats them on
 * every printed page.
 *
 * Most rows are one of a few shapes, each a helper: a label and one figure
 * per financial year read from the same path inside each year of results
 * (sheet_years_row), one such row per item of a list of ids (sheet_items),
 * and a total row of SUM formulas over the rows above (sheet_sum_row).
 *
 * Invariants: every libxlsxwriter call goes through sheet_fail, which keeps
 * the first error and where it happened (the workbook is then discarded);
 * running out of memory sets w->nomem and the writers stop. Absent figures
 * (NAN) are blank cells, never zeros. */
#ifndef HNB_REPORT_SHEET_H
#define HNB_REPORT_SHEET_H

#include <cjson/cJSON.h>
#include <xlsxwriter.h>

#include "hnbsim.h"
#include "rview.h"

/* Rows 0-2: title, inputs and run date, units. Row 3 blank. Headings at row 4. */
#define WB_HEAD      4
#define WB_MONEY_FMT "#,##0.0,,;-#,##0.0,,;\"-\""
#define WB_CELL      32

typedef struct wb_fmt {
    lxw_format *title, *note, *head, *head_r, *head_ind, *scen, *section, *item, *item_bold, *bold, *text_r;
    lxw_format *wrap, *wrap_ind, *wrap_r;
    lxw_format *money, *money_total, *money_key, *count, *count_total, *gbp, *pct, *pct1;
} wb_fmt;

/* Where a scenario's figures landed, so later sheets can refer to them (0 = none). */
typedef struct wb_rows {
    lxw_row_t fin_head, fin_fund0, fin_spend0, fin_iy, fin_cum, fin_interest; /* Financial summary */
    lxw_row_t fin_writeoff, fin_gross; /* 0 when the results carry no write-off */
    lxw_row_t cm_spend0, cm_fund0;     /* Cost model: computed £ */
    lxw_row_t cyp_total[8];            /* Children and young people: each category's total, then all */
    lxw_row_t sav_total;               /* Savings by action: the total row */
} wb_rows;

typedef struct wb_ctx {
    hnb_model *h;
    const char *path;
    const cJSON *res;
    const cJSON *scen; /* the scenarios array */
    lxw_workbook *book;
    wb_fmt f;
    report_years ys;
    lxw_error err; /* first libxlsxwriter error, and where */
    char where[96];
    int nomem;
    lxw_row_t *spend_row; /* per scenario: Financial summary row of its first spend line */
    char *subtitle;
    report_years yt;    /* the template's columns: outturn years, then projected (report_years_template) */
    struct wb_rows *at; /* per scenario: where its figures are, for formulas and charts */
    lxw_format *input, *input_pct, *input_gbp; /* shaded cells an officer may edit */
} wb_ctx;

typedef struct wb_sheet {
    wb_ctx *w;
    lxw_worksheet *ws;
    const char *name;
    double *width; /* widest text per column, in characters */
    double *cap;   /* widest a column may grow (wrap beyond) */
    size_t ncol;
    lxw_col_t c0;           /* first year column */
    const report_years *ys; /* its year columns: w->ys, or w->yt on the template's sheets */
    lxw_row_t row;
    struct workbook_wrap {
        lxw_row_t r;
        lxw_col_t c;
        char *text; /* a copy */
        double k;   /* width of its characters, in digit widths */
    } * wrap;       /* wrapped cells, for row heights */
    size_t nwrap, capwrap;
    lxw_row_t breaks[64]; /* page breaks before scenario blocks; 0-terminated */
    size_t nbreaks;
    int blocks, paginate; /* paginate: a page break before each scenario after the first */
} wb_sheet;

/* ---- cells (sheet.c) ---- */
void sheet_cell(char *buf, lxw_row_t r, lxw_col_t c); /* "C7"; buf holds WB_CELL */
void sheet_fail(wb_sheet *s, lxw_row_t r, lxw_col_t c, lxw_error e);
void sheet_fit(wb_sheet *s, lxw_col_t c, double chars);
void sheet_cap(wb_sheet *s, lxw_col_t c, double chars);
/* Text that sets its column's width (wrapped formats also set row heights). */
void sheet_str(wb_sheet *s, lxw_row_t r, lxw_col_t c, const char *t, lxw_format *f);
/* Text that may run over the empty cells to its right (titles, notes). */
void sheet_note(wb_sheet *s, lxw_row_t r, lxw_col_t c, const char *t, lxw_format *f);
void sheet_num(wb_sheet *s, lxw_row_t r, lxw_col_t c, double v, lxw_format *f); /* NAN: blank */
void sheet_formula(wb_sheet *s, lxw_row_t r, lxw_col_t c, const char *formula, lxw_format *f, double cached);
/* "=SUM(C7:C9)" over rows [r0, r1] of column c, or "=0" when empty. */
void sheet_sum(char *buf, size_t n, lxw_row_t r0, lxw_row_t r1, lxw_col_t c, int empty);

/* ---- a sheet (sheet.c) ---- */
/* Add the sheet, its title rows and print setup; c0 = first year column. 0 or -1. */
int sheet_begin(wb_ctx *w, wb_sheet *s, const char *name, const char *heading, const char *units, lxw_col_t c0);
/* Widths, wrapped-row heights, frozen and repeated headings (head_rows from WB_HEAD). */
void sheet_end(wb_sheet *s, lxw_row_t head_rows, lxw_col_t freeze_col, double year_min);
void sheet_year_heads(wb_sheet *s, lxw_row_t r); /* the financial years across, from c0 */
void sheet_head_blank(wb_sheet *s, lxw_row_t r, lxw_col_t from, lxw_col_t to);
lxw_col_t sheet_col(const wb_sheet *s, const char *fy); /* (lxw_col_t)-1 if not a column */
/* "Label (name)extra" as a scenario block's title; a page break before it on
 * paginated sheets. */
void sheet_scenario_title(wb_sheet *s, const cJSON *scen, const char *extra);

/* ---- row shapes (sheet.c) ---- */
/* year.a[.b[.c]] as a number (NAN when absent); b and c may be NULL. */
double sheet_year_num(const cJSON *year, const char *a, const char *b, const char *c);
/* At s->row: `label` in column 0 (when not NULL) and year.a.b.c under each
 * year's column. Does not advance s->row. */
void sheet_years_row(wb_sheet *s, const char *label, lxw_format *lf, const cJSON *years, const char *a, const char *b,
                     const char *c, lxw_format *f);
/* One row per item of `list` ({id, label}): its label, and year.a.b[id] (b
 * may be NULL: year.a[id]) across. Returns the number of rows written. */
int sheet_items(wb_sheet *s, const cJSON *list, const cJSON *years, const char *a, const char *b, lxw_format *f);
/* At s->row: `label` in bold and, under each year, SUM of rows [first,
 * s->row-1] (=0 when n == 0), caching year.a.b, or, with a == NULL, the sum
 * of `list`'s ids at year.ca.cb[id] in list order. Advances s->row; returns
 * the total's row. */
lxw_row_t sheet_sum_row(wb_sheet *s, const char *label, lxw_row_t first, int n, const cJSON *years, const char *a,
                        const char *b, const cJSON *list, const char *ca, const char *cb, lxw_format *f);

/* ---- the sheets, in workbook order (wb_*.c) ---- */
void wb_summary(wb_ctx *w);     /* wb_summary.c (filled last: it links to the others) */
void wb_charts(wb_ctx *w);      /* wb_charts.c (filled last) */
void wb_children(wb_ctx *w);    /* wb_children.c: Children and young people */
void wb_cost_model(wb_ctx *w);  /* wb_cost_model.c */
void wb_by_age(wb_ctx *w);      /* wb_inputs.c: Assumptions by age (the lists) */
void wb_finance(wb_ctx *w);     /* wb_finance.c */
void wb_s251(wb_ctx *w);        /* wb_finance.c */
void wb_ehcps(wb_ctx *w);       /* wb_ehcps.c */
void wb_unit_costs(wb_ctx *w);  /* wb_ehcps.c */
void wb_savings(wb_ctx *w);     /* wb_analysis.c */
void wb_montecarlo(wb_ctx *w);  /* wb_analysis.c */
void wb_backtest(wb_ctx *w);    /* wb_analysis.c */
void wb_assumptions(wb_ctx *w); /* wb_inputs.c */
void wb_actuals(wb_ctx *w);     /* wb_inputs.c */

#endif
