/* workbook.c: the Excel workbook for finance officers, shaped like a DSG
 * management plan (report_workbook in report.h).
 *
 * Sheets, in order: Summary (headline figures, scenarios side by side, the
 * Monte Carlo range), Financial summary (funding and spend lines, in-year and
 * cumulative position by financial year), EHCPs, Unit costs, Savings by
 * action, Monte Carlo, Assumptions, s251, Actuals. docs/spreadsheets.md shows
 * every sheet's rows and columns.
 *
 * Design and trade-offs:
 * - Cells hold full-precision £; the number format shows £m to one decimal
 *   place (`#,##0.0,,`: each trailing comma divides by 1000 for display), so
 *   totals are sums of the full figures, as in the model (the displayed lines
 *   may miss the displayed total by 0.1, the usual convention), and a finance
 *   officer can re-format without losing pennies.
 *   libxlsxwriter prints numbers with "%.16G", so a cell reads back to 16
 *   significant figures, not always the exact double; the CSV files are the
 *   exact copy (csv.c).
 * - Totals, in-year, brought-forward and cumulative rows, cumulative savings
 *   and the s251 lines are real formulas (worksheet_write_formula_num), so
 *   the sheet recalculates when an officer edits a line. Each formula caches
 *   the value from the results (or, for sums the results do not hold, the
 *   sum in the formula's own order), so readers that do not recalculate see
 *   the model's figures. libxlsxwriter sets fullCalcOnLoad, so Excel
 *   recalculates anyway; if a results file's in-year position is not
 *   funding less spend, a visible reconciling row ("Other changes ...")
 *   carries the difference rather than letting the recalculated sheet
 *   disagree with the model in silence.
 * - Year tables share one set of columns: the union of all scenarios'
 *   financial years, in order, so one frozen heading row serves every
 *   scenario block below it. Financial years are text ("2026-27").
 * - The workbook is written to a temporary name (fileout_reserve) and renamed
 *   into place only when libxlsxwriter has closed it; any failure before
 *   that discards the workbook (lxw_workbook_free) and the temporary file, so
 *   there is never a half-written hnbsim.xlsx. The document's creation time
 *   is the results' run date, so the same results give the same bytes.
 * - libxlsxwriter formats numbers with the C library's snprintf, which
 *   follows LC_NUMERIC: the writer switches this thread to the C locale
 *   (uselocale) while it works, whatever the calling program set.
 * - Column widths are estimated from the text written (characters, not
 *   pixels), with caps and wrapping for long labels and sources; the layout
 *   was checked by rendering in LibreOffice (docs/spreadsheets.md). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#include "core/dates.h"
#include "core/error.h"
#include "core/fileout.h"
#include "report.h"
#include "rview.h"

/* Rows 0-2: title, inputs and run date, units. Row 3 blank. Headings at row 4. */
#define WB_HEAD      4
#define WB_MONEY_FMT "#,##0.0,,;-#,##0.0,,;\"-\""
#define WB_CELL      32

typedef struct workbook_fmt {
    lxw_format *title, *note, *head, *head_r, *head_ind, *scen, *section, *item, *item_bold, *bold, *text_r;
    lxw_format *wrap, *wrap_ind;
    lxw_format *money, *money_total, *money_key, *count, *count_total, *gbp, *pct, *pct1;
} workbook_fmt;

typedef struct workbook_ctx {
    hnb_model *h;
    const char *path;
    const cJSON *res;
    const cJSON *scen; /* the scenarios array */
    lxw_workbook *book;
    workbook_fmt f;
    report_years ys;
    lxw_error err; /* first libxlsxwriter error, and where */
    char where[96];
    int nomem;
    lxw_row_t *spend_row; /* per scenario: Financial summary row of its first spend line */
    char *subtitle;
} workbook_ctx;

typedef struct workbook_sheet {
    workbook_ctx *w;
    lxw_worksheet *ws;
    const char *name;
    double *width; /* widest text per column, in characters */
    double *cap;   /* widest a column may grow (wrap beyond) */
    size_t ncol;
    lxw_col_t c0; /* first year column */
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
} workbook_sheet;

/* ---- cells -------------------------------------------------------------- */

static size_t workbook_utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void workbook_cell(char *buf, lxw_row_t r, lxw_col_t c) { lxw_rowcol_to_cell(buf, r, c); }

static void workbook_fail(workbook_sheet *s, lxw_row_t r, lxw_col_t c, lxw_error e)
{
    if (e == LXW_NO_ERROR || s->w->err != LXW_NO_ERROR) return;
    char cell[WB_CELL];
    workbook_cell(cell, r, c);
    s->w->err = e;
    snprintf(s->w->where, sizeof s->w->where, "sheet %s, cell %s", s->name, cell);
}

static int workbook_grow(workbook_sheet *s, lxw_col_t c)
{
    if (c < s->ncol) return 1;
    size_t n = s->ncol ? s->ncol : 16;
    while (n <= c) n *= 2;
    double *w = realloc(s->width, n * sizeof *w);
    if (w) s->width = w;
    double *cap = realloc(s->cap, n * sizeof *cap);
    if (cap) s->cap = cap;
    if (!w || !cap) {
        s->w->nomem = 1;
        return 0;
    }
    for (size_t i = s->ncol; i < n; i++) {
        s->width[i] = 0.0;
        s->cap[i] = 60.0;
    }
    s->ncol = n;
    return 1;
}

static void workbook_fit(workbook_sheet *s, lxw_col_t c, double chars)
{
    if (workbook_grow(s, c) && chars > s->width[c]) s->width[c] = chars;
}

static void workbook_cap(workbook_sheet *s, lxw_col_t c, double chars)
{
    if (workbook_grow(s, c)) s->cap[c] = chars;
}

/* Remember a wrapped cell: sheet_end sets its row's height once the
 * column widths are known (LibreOffice does not grow rows by itself). */
static void workbook_wrapped(workbook_sheet *s, lxw_row_t r, lxw_col_t c, const char *t, double k)
{
    if (s->nwrap == s->capwrap) {
        size_t n = s->capwrap ? 2 * s->capwrap : 32;
        struct workbook_wrap *w = realloc(s->wrap, n * sizeof *w);
        if (!w) {
            s->w->nomem = 1;
            return;
        }
        s->wrap = w;
        s->capwrap = n;
    }
    size_t n = strlen(t) + 1;
    char *copy = malloc(n);
    if (!copy) {
        s->w->nomem = 1;
        return;
    }
    memcpy(copy, t, n);
    s->wrap[s->nwrap].r = r;
    s->wrap[s->nwrap].c = c;
    s->wrap[s->nwrap].text = copy;
    s->wrap[s->nwrap].k = k;
    s->nwrap++;
}

/* Lines that t takes when wrapped at word boundaries in a column `width`
 * characters wide (an estimate: proportional fonts vary). */
static int workbook_lines(const char *t, double width, double k)
{
    double avail = width > 2.0 ? width - 0.5 : 1.5, used = 0.0;
    int lines = 1;
    while (*t) {
        size_t n = 0, bytes = 0;
        while (t[bytes] && t[bytes] != ' ') n += ((unsigned char)t[bytes++] & 0xC0) != 0x80;
        double wlen = k * (double)n;
        if (used > 0.0 && used + 1.0 + wlen > avail) {
            lines++;
            used = 0.0;
        }
        while (wlen > avail) { /* a word longer than the line breaks anywhere */
            lines++;
            wlen -= avail;
        }
        used += (used > 0.0 ? 1.0 : 0.0) + wlen;
        t += bytes;
        while (*t == ' ') t++;
    }
    return lines;
}

/* Text that sets its column's width. */
static void put_str(workbook_sheet *s, lxw_row_t r, lxw_col_t c, const char *t, lxw_format *f)
{
    workbook_fail(s, r, c, worksheet_write_string(s->ws, r, c, t, f));
    /* Text runs about 0.9 of the digit '0' that sets column widths (bold, 0.95). */
    if (f && (f == s->w->f.wrap || f == s->w->f.wrap_ind)) workbook_wrapped(s, r, c, t, 0.9);
    if (f && (f == s->w->f.head || f == s->w->f.head_r || f == s->w->f.head_ind)) workbook_wrapped(s, r, c, t, 0.95);
    const workbook_fmt *F = &s->w->f;
    int bold = f == F->head || f == F->head_r || f == F->head_ind || f == F->section || f == F->bold || f == F->scen ||
               f == F->item_bold;
    int indent = f == F->item || f == F->item_bold || f == F->wrap_ind || f == F->head_ind;
    workbook_fit(s, c, (bold ? 1.15 : 1.0) * (double)workbook_utf8_len(t) + (indent ? 2.0 : 0.0));
}

/* Text that may run over the empty cells to its right (titles, notes). */
static void put_note(workbook_sheet *s, lxw_row_t r, lxw_col_t c, const char *t, lxw_format *f)
{
    workbook_fail(s, r, c, worksheet_write_string(s->ws, r, c, t, f));
}

static void put_num(workbook_sheet *s, lxw_row_t r, lxw_col_t c, double v, lxw_format *f)
{
    if (isnan(v)) return; /* absent: a blank cell, never a 0 that looks like data */
    workbook_fail(s, r, c, worksheet_write_number(s->ws, r, c, v, f));
    workbook_fit(s, c, 8.0);
}

static void put_formula(workbook_sheet *s, lxw_row_t r, lxw_col_t c, const char *formula, lxw_format *f, double cached)
{
    workbook_fail(s, r, c, worksheet_write_formula_num(s->ws, r, c, formula, f, cached));
    workbook_fit(s, c, 8.0);
}

/* "=SUM(C7:C9)" over rows [r0, r1] of column c, or "=0" for none. */
static void workbook_sum(char *buf, size_t n, lxw_row_t r0, lxw_row_t r1, lxw_col_t c, int empty)
{
    char a[WB_CELL], b[WB_CELL];
    if (empty) {
        snprintf(buf, n, "=0");
        return;
    }
    workbook_cell(a, r0, c);
    workbook_cell(b, r1, c);
    snprintf(buf, n, "=SUM(%s:%s)", a, b);
}

/* ---- sheets --------------------------------------------------------------- */

static int sheet_begin(workbook_ctx *w, workbook_sheet *s, const char *name, const char *heading, const char *units,
                       lxw_col_t c0)
{
    memset(s, 0, sizeof *s);
    s->w = w;
    s->name = name;
    s->c0 = c0;
    s->ws = workbook_add_worksheet(w->book, name);
    if (!s->ws) {
        w->nomem = 1;
        return -1;
    }
    const char *title = report_str(w->res, "title");
    char *t = malloc(strlen(title) + strlen(heading) + 32);
    if (!t) {
        w->nomem = 1;
        return -1;
    }
    sprintf(t, "%s%s%s", *title ? title : "hnbsim results", " — ", heading);
    put_note(s, 0, 0, t, w->f.title);
    free(t);
    put_note(s, 1, 0, w->subtitle, w->f.note);
    if (units) put_note(s, 2, 0, units, w->f.note);
    workbook_fail(s, 0, 0, worksheet_set_row(s->ws, 0, 20, NULL));
    worksheet_set_landscape(s->ws);
    worksheet_set_paper(s->ws, 9); /* A4 */
    worksheet_set_margins(s->ws, 0.5, 0.5, 0.6, 0.6);
    worksheet_fit_to_pages(s->ws, 1, 0);
    workbook_fail(s, 0, 0, worksheet_set_footer(s->ws, "&L&A&RPage &P of &N"));
    s->row = WB_HEAD;
    return 0;
}

static int workbook_wrap_cmp(const void *pa, const void *pb)
{
    const struct workbook_wrap *a = pa, *b = pb;
    return (a->r > b->r) - (a->r < b->r);
}

/* Column widths, frozen headings, headings repeated on every printed page. */
static void sheet_end(workbook_sheet *s, lxw_row_t head_rows, lxw_col_t freeze_col, double year_min)
{
    for (size_t c = 0; c < s->ncol; c++) {
        double wdt = s->width[c];
        if (wdt <= 0.0) continue;
        wdt += 1.5;
        if ((lxw_col_t)c >= s->c0 && wdt < year_min) wdt = year_min;
        if (wdt > s->cap[c]) wdt = s->cap[c];
        s->width[c] = wdt;
        workbook_fail(s, 0, (lxw_col_t)c, worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, wdt, NULL));
    }
    /* One height per row, for its tallest wrapped cell. */
    if (s->nwrap) qsort(s->wrap, s->nwrap, sizeof *s->wrap, workbook_wrap_cmp);
    for (size_t i = 0; i < s->nwrap;) {
        lxw_row_t r = s->wrap[i].r;
        int lines = 1;
        for (; i < s->nwrap && s->wrap[i].r == r; i++) {
            lxw_col_t c = s->wrap[i].c;
            int n = workbook_lines(s->wrap[i].text, c < s->ncol ? s->width[c] : LXW_DEF_COL_WIDTH, s->wrap[i].k);
            if (n > lines) lines = n;
        }
        if (lines > 1) workbook_fail(s, r, 0, worksheet_set_row(s->ws, r, 15.0 * lines, NULL));
    }
    for (size_t i = 0; i < s->nwrap; i++) free(s->wrap[i].text);
    free(s->wrap);
    s->wrap = NULL;
    s->nwrap = s->capwrap = 0;
    if (s->nbreaks) {
        s->breaks[s->nbreaks] = 0;
        workbook_fail(s, 0, 0, worksheet_set_h_pagebreaks(s->ws, s->breaks));
    }
    worksheet_freeze_panes(s->ws, WB_HEAD + head_rows, freeze_col);
    workbook_fail(s, 0, 0, worksheet_repeat_rows(s->ws, WB_HEAD, WB_HEAD + head_rows - 1));
    free(s->width);
    free(s->cap);
    s->width = s->cap = NULL;
    s->ncol = 0;
}

/* The financial years across, from column c0, in heading format. */
static void sheet_year_heads(workbook_sheet *s, lxw_row_t r)
{
    for (size_t i = 0; i < s->w->ys.n; i++) put_str(s, r, s->c0 + (lxw_col_t)i, s->w->ys.fy[i], s->w->f.head_r);
}

/* Fill the heading row's cells between the label and the years, so the band is unbroken. */
static void sheet_head_blank(workbook_sheet *s, lxw_row_t r, lxw_col_t from, lxw_col_t to)
{
    for (lxw_col_t c = from; c < to; c++) workbook_fail(s, r, c, worksheet_write_blank(s->ws, r, c, s->w->f.head));
}

static lxw_col_t workbook_col(const workbook_sheet *s, const char *fy)
{
    size_t i = report_years_find(&s->w->ys, fy);
    return i == (size_t)-1 ? (lxw_col_t)-1 : s->c0 + (lxw_col_t)i;
}

/* "Unmitigated (baseline)" as the title of a scenario's block. */
static void sheet_scenario_title(workbook_sheet *s, const cJSON *scen, const char *extra)
{
    const char *label = report_str(scen, "label"), *name = report_str(scen, "name");
    size_t n = strlen(label) + strlen(name) + (extra ? strlen(extra) : 0) + 8;
    char *t = malloc(n);
    if (!t) {
        s->w->nomem = 1;
        return;
    }
    snprintf(t, n, "%s (%s)%s", label, name, extra ? extra : "");
    /* Each scenario after the first starts a printed page. */
    if (s->blocks++ && s->paginate && s->nbreaks + 1 < sizeof s->breaks / sizeof s->breaks[0])
        s->breaks[s->nbreaks++] = s->row;
    put_note(s, s->row, 0, t, s->w->f.scen);
    workbook_fail(s, s->row, 0, worksheet_set_row(s->ws, s->row, 18, NULL));
    free(t);
    s->row++;
}

/* ---- Summary -------------------------------------------------------------- */

typedef enum { SUM_MONEY, SUM_TEXT, SUM_PCT, SUM_COUNT } summary_kind;

static void summary_cell(workbook_sheet *s, lxw_col_t c, summary_kind k, const cJSON *v, const char *text)
{
    workbook_ctx *w = s->w;
    if (text) {
        put_str(s, s->row, c, text, w->f.text_r);
        return;
    }
    if (!cJSON_IsNumber(v)) return;
    lxw_format *f = k == SUM_MONEY ? w->f.money : k == SUM_PCT ? w->f.pct : k == SUM_COUNT ? w->f.count : NULL;
    put_num(s, s->row, c, v->valuedouble, f);
}

static void summary_label(workbook_sheet *s, const char *label, lxw_format *f)
{
    put_str(s, s->row, 0, label, f ? f : s->w->f.item);
}

/* scen.montecarlo[.a].b[.c], or NULL. */
static const cJSON *summary_mc(const cJSON *scen, const char *a, const char *b, const char *c)
{
    const cJSON *v = report_get(scen, "montecarlo");
    if (a) v = report_get(v, a);
    v = report_get(v, b);
    return c ? report_get(v, c) : v;
}

static void workbook_summary(workbook_ctx *w)
{
    workbook_sheet s;
    if (sheet_begin(w, &s, "Summary", "Summary by scenario",
                    "Money in £m to one decimal place (each cell holds the full £ figure). "
                    "Negative positions are deficits.",
                    1))
        return;
    const cJSON *sc;
    int any_sav = 0, any_mc = 0;
    put_str(&s, s.row, 0, "Scenario", w->f.head);
    lxw_col_t c = 1;
    cJSON_ArrayForEach(sc, w->scen)
    {
        put_str(&s, s.row, c, report_str(sc, "label"), w->f.head_r);
        workbook_cap(&s, c, 30.0);
        c++;
        any_sav |= report_has_savings(sc);
        any_mc |= report_has_montecarlo(sc);
    }
    s.row++;

/* Run the statement once per scenario, col_ being its column. */
#define EACH_SCEN(...)                  \
    do {                                \
        lxw_col_t col_ = 1;             \
        cJSON_ArrayForEach(sc, w->scen) \
        {                               \
            __VA_ARGS__;                \
            col_++;                     \
        }                               \
    } while (0)

    char buf[64];
    summary_label(&s, "Scenario name", NULL);
    EACH_SCEN(summary_cell(&s, col_, SUM_TEXT, NULL, report_str(sc, "name")));
    s.row++;
    summary_label(&s, "Extends", NULL);
    EACH_SCEN({
        const char *e = report_str(sc, "extends");
        summary_cell(&s, col_, SUM_TEXT, NULL, *e ? e : "-");
    });
    s.row++;
    summary_label(&s, "Years projected", NULL);
    EACH_SCEN({
        snprintf(buf, sizeof buf, "%.20s to %.20s", report_str(sc, "first_fy"), report_str(sc, "last_fy"));
        summary_cell(&s, col_, SUM_TEXT, NULL, buf);
    });
    s.row++;
    summary_label(&s, "End of the statutory override", NULL);
    EACH_SCEN(summary_cell(&s, col_, SUM_TEXT, NULL, report_str(sc, "override_end")));
    s.row += 2;

    put_str(&s, s.row++, 0, "DSG position (£m)", w->f.section);
    static const struct {
        const char *key, *label;
    } money_rows[] = {
        {"cumulative_at_override_end", "Cumulative position at the end of the override"},
        {"cumulative_at_horizon", "Cumulative position at the end of the last year"},
        {"peak_deficit", "Peak deficit"},
    };
    for (size_t i = 0; i < sizeof money_rows / sizeof money_rows[0]; i++) {
        summary_label(&s, money_rows[i].label, i == 0 ? w->f.item_bold : NULL);
        EACH_SCEN(summary_cell(&s, col_, SUM_MONEY, report_get(report_get(sc, "headline"), money_rows[i].key), NULL));
        s.row++;
    }
    summary_label(&s, "Year of the peak deficit", NULL);
    EACH_SCEN({
        const char *fy = report_str(report_get(sc, "headline"), "peak_deficit_fy");
        summary_cell(&s, col_, SUM_TEXT, NULL, *fy ? fy : "never in deficit");
    });
    s.row++;
    summary_label(&s, "First year in balance (in-year surplus or nil)", w->f.item_bold);
    EACH_SCEN({
        const char *fy = report_str(report_get(sc, "headline"), "first_balanced_fy");
        snprintf(buf, sizeof buf, "none by %.20s", report_str(sc, "last_fy"));
        summary_cell(&s, col_, SUM_TEXT, NULL, *fy ? fy : buf);
    });
    s.row++;
    summary_label(&s, "Interest cost of the deficit to the end of the override", NULL);
    EACH_SCEN(
        summary_cell(&s, col_, SUM_MONEY, report_get(report_get(sc, "headline"), "interest_to_override_end"), NULL));
    s.row++;
    summary_label(&s, "Interest cost of the deficit to the end of the last year", NULL);
    EACH_SCEN(summary_cell(&s, col_, SUM_MONEY, report_get(report_get(sc, "headline"), "interest_to_horizon"), NULL));
    s.row += 2;

    if (any_sav) {
        put_str(&s, s.row++, 0, "Savings against the parent scenario (£m)", w->f.section);
        summary_label(&s, "Compared with", NULL);
        EACH_SCEN({
            if (report_has_savings(sc))
                summary_cell(&s, col_, SUM_TEXT, NULL, report_str(report_get(sc, "savings"), "against"));
        });
        s.row++;
        summary_label(&s, "Saving to the end of the override", NULL);
        EACH_SCEN(summary_cell(&s, col_, SUM_MONEY,
                               report_get(report_get(report_get(sc, "savings"), "total"), "to_override_end"), NULL));
        s.row++;
        summary_label(&s, "Saving to the end of the last year", NULL);
        EACH_SCEN(summary_cell(&s, col_, SUM_MONEY,
                               report_get(report_get(report_get(sc, "savings"), "total"), "to_horizon"), NULL));
        s.row += 2;
    }

    if (any_mc) {
        put_str(&s, s.row++, 0, "Monte Carlo range (£m; P5 is the worst 1 in 20)", w->f.section);
        summary_label(&s, "Paths", NULL);
        EACH_SCEN(summary_cell(&s, col_, SUM_COUNT, summary_mc(sc, NULL, "paths", NULL), NULL));
        s.row++;
        summary_label(&s, "Seed", NULL);
        EACH_SCEN(summary_cell(&s, col_, SUM_COUNT, summary_mc(sc, NULL, "seed", NULL), NULL));
        s.row++;
        static const struct {
            const char *key, *label;
        } mc_rows[] = {{"cumulative_at_override_end", "Cumulative position at the end of the override"},
                       {"peak_deficit", "Peak deficit"}};
        static const char *const pk[] = {"p5", "p50", "p95"};
        static const char *const pl[] = {"P5", "P50 (median)", "P95"};
        for (size_t i = 0; i < 2; i++) {
            for (size_t k = 0; k < 3; k++) {
                snprintf(buf, sizeof buf, "%s: %s", mc_rows[i].label, pl[k]);
                summary_label(&s, buf, NULL);
                EACH_SCEN(summary_cell(&s, col_, SUM_MONEY, summary_mc(sc, "headline", mc_rows[i].key, pk[k]), NULL));
                s.row++;
            }
        }
        summary_label(&s, "In-year balance by", NULL);
        EACH_SCEN({
            const cJSON *fy = summary_mc(sc, "probabilities", "in_year_balance_by", "fy");
            if (cJSON_IsString(fy)) summary_cell(&s, col_, SUM_TEXT, NULL, fy->valuestring);
        });
        s.row++;
        summary_label(&s, "    probability", NULL);
        EACH_SCEN(summary_cell(&s, col_, SUM_PCT, summary_mc(sc, "probabilities", "in_year_balance_by", "p"), NULL));
        s.row++;
        summary_label(&s, "Deficit at the end of the override above (£m)", NULL);
        EACH_SCEN(summary_cell(&s, col_, SUM_MONEY,
                               summary_mc(sc, "probabilities", "deficit_at_override_end_above", "threshold"), NULL));
        s.row++;
        summary_label(&s, "    probability", NULL);
        EACH_SCEN(summary_cell(&s, col_, SUM_PCT, summary_mc(sc, "probabilities", "deficit_at_override_end_above", "p"),
                               NULL));
        s.row++;
        summary_label(&s, "Probability the deficit grows every year", NULL);
        EACH_SCEN(
            summary_cell(&s, col_, SUM_PCT, summary_mc(sc, "probabilities", "deficit_grows_every_year", NULL), NULL));
        s.row++;
    }
#undef EACH_SCEN
    worksheet_activate(s.ws);
    worksheet_fit_to_pages(s.ws, 1, 1);
    sheet_end(&s, 1, 1, 14.0);
}

/* ---- Financial summary ------------------------------------------------------ */

/* One row per line of a scenario's funding or spend, then the total (a SUM).
 * Returns the total's row. */
static lxw_row_t finance_lines(workbook_sheet *s, const cJSON *scen, const char *which, const char *lines_key,
                               const char *total_label, int with_code)
{
    workbook_ctx *w = s->w;
    const cJSON *lines = report_get(scen, lines_key), *line, *y;
    const cJSON *years = report_get(scen, "years");
    lxw_row_t first = s->row;
    int n = 0;
    cJSON_ArrayForEach(line, lines)
    {
        const char *id = report_str(line, "id");
        put_str(s, s->row, 0, report_str(line, "label"), w->f.item);
        if (with_code) put_str(s, s->row, 1, report_str(line, "s251"), NULL);
        cJSON_ArrayForEach(y, years)
        {
            lxw_col_t c = workbook_col(s, report_str(y, "fy"));
            put_num(s, s->row, c, report_num(report_get(report_get(y, which), "by_line"), id), w->f.money);
        }
        s->row++;
        n++;
    }
    put_str(s, s->row, 0, total_label, w->f.bold);
    cJSON_ArrayForEach(y, years)
    {
        char f[96];
        lxw_col_t c = workbook_col(s, report_str(y, "fy"));
        workbook_sum(f, sizeof f, first, s->row - 1, c, n == 0);
        put_formula(s, s->row, c, f, w->f.money_total, report_num(report_get(y, which), "total"));
    }
    return s->row++;
}

/* The difference between the results' in-year position and funding less
 * spend, when the results carry one (more than half a penny). */
static double finance_gap(const cJSON *y)
{
    return report_num(y, "in_year") -
           (report_num(report_get(y, "funding"), "total") - report_num(report_get(y, "spend"), "total"));
}

static void workbook_finance(workbook_ctx *w)
{
    workbook_sheet s;
    if (sheet_begin(w, &s, "Financial summary", "Financial summary by financial year",
                    "£m to one decimal place (each cell holds the full £ figure). Totals, in-year and cumulative "
                    "rows are formulas. Negative positions are deficits.",
                    2))
        return;
    s.paginate = 1;
    put_str(&s, s.row, 0, "£m", w->f.head);
    put_str(&s, s.row, 1, "s251 line", w->f.head);
    sheet_year_heads(&s, s.row);
    s.row += 2;
    const cJSON *sc, *y;
    size_t si = 0;
    char f[160], a[WB_CELL], b[WB_CELL], d[WB_CELL];
    cJSON_ArrayForEach(sc, w->scen)
    {
        const cJSON *years = report_get(sc, "years");
        sheet_scenario_title(&s, sc, NULL);
        put_str(&s, s.row++, 0, "Funding", w->f.section);
        lxw_row_t tf = finance_lines(&s, sc, "funding", "funding_lines", "Total funding", 0);
        put_str(&s, s.row++, 0, "Spend", w->f.section);
        w->spend_row[si] = s.row;
        lxw_row_t ts = finance_lines(&s, sc, "spend", "spend_lines", "Total spend", 1);
        lxw_row_t gap = 0;
        int has_gap = 0;
        cJSON_ArrayForEach(y, years) has_gap |= fabs(finance_gap(y)) > 0.005;
        if (has_gap) {
            gap = s.row++;
            put_str(&s, gap, 0, "Other changes in the results (not in the lines above)", w->f.item);
            cJSON_ArrayForEach(y, years)
                put_num(&s, gap, workbook_col(&s, report_str(y, "fy")), finance_gap(y), w->f.money);
        }
        lxw_row_t iy = s.row++, bf = s.row++, cum = s.row++, intr = s.row++;
        put_str(&s, iy, 0, "In-year position (funding less spend)", w->f.bold);
        put_str(&s, bf, 0, "Balance brought forward", w->f.item);
        put_str(&s, cum, 0, "Cumulative position carried forward", w->f.bold);
        put_str(&s, intr, 0, "Interest on the deficit (not charged to the DSG)", w->f.item);
        lxw_col_t prev = (lxw_col_t)-1;
        cJSON_ArrayForEach(y, years)
        {
            lxw_col_t c = workbook_col(&s, report_str(y, "fy"));
            workbook_cell(a, tf, c);
            workbook_cell(b, ts, c);
            if (has_gap) {
                workbook_cell(d, gap, c);
                snprintf(f, sizeof f, "=%s-%s+%s", a, b, d);
            } else {
                snprintf(f, sizeof f, "=%s-%s", a, b);
            }
            put_formula(&s, iy, c, f, w->f.money_key, report_num(y, "in_year"));
            if (prev == (lxw_col_t)-1) {
                put_num(&s, bf, c, report_num(y, "cumulative") - report_num(y, "in_year"), w->f.money);
            } else {
                workbook_cell(a, cum, prev);
                snprintf(f, sizeof f, "=%s", a);
                put_formula(&s, bf, c, f, w->f.money, report_num(y->prev, "cumulative"));
            }
            workbook_cell(a, bf, c);
            workbook_cell(b, iy, c);
            snprintf(f, sizeof f, "=%s+%s", a, b);
            put_formula(&s, cum, c, f, w->f.money_total, report_num(y, "cumulative"));
            put_num(&s, intr, c, report_num(y, "interest"), w->f.money);
            prev = c;
        }
        s.row++;
        si++;
    }
    workbook_cap(&s, 0, 60.0);
    sheet_end(&s, 1, 2, 10.0);
}

/* ---- EHCPs and unit costs ----------------------------------------------------- */

static void workbook_ehcps(workbook_ctx *w)
{
    workbook_sheet s;
    if (sheet_begin(w, &s, "EHCPs", "EHCPs at each January census",
                    "Expected numbers of EHCPs (the model's projection, so not whole numbers; shown rounded). "
                    "Joiners and leavers are for the year to the census.",
                    1))
        return;
    s.paginate = 1;
    put_str(&s, s.row, 0, "Financial year", w->f.head);
    sheet_year_heads(&s, s.row);
    s.row++;
    put_str(&s, s.row, 0, "January census", w->f.head);
    for (size_t i = 0; i < w->ys.n; i++) {
        char t[32];
        if (isnan(w->ys.census[i]))
            t[0] = '\0';
        else
            snprintf(t, sizeof t, "Jan %.0f", w->ys.census[i]);
        put_str(&s, s.row, s.c0 + (lxw_col_t)i, t, w->f.head_r);
    }
    s.row += 2;
    const cJSON *sc, *y, *item;
    char f[96];
    cJSON_ArrayForEach(sc, w->scen)
    {
        const cJSON *years = report_get(sc, "years");
        sheet_scenario_title(&s, sc, NULL);
        put_str(&s, s.row++, 0, "By placement", w->f.section);
        lxw_row_t first = s.row;
        int n = 0;
        cJSON_ArrayForEach(item, report_get(sc, "placements"))
        {
            put_str(&s, s.row, 0, report_str(item, "label"), w->f.item);
            cJSON_ArrayForEach(y, years) put_num(
                &s, s.row, workbook_col(&s, report_str(y, "fy")),
                report_num(report_get(report_get(y, "ehcps"), "by_placement"), report_str(item, "id")), w->f.count);
            s.row++;
            n++;
        }
        put_str(&s, s.row, 0, "Total EHCPs", w->f.bold);
        cJSON_ArrayForEach(y, years)
        {
            lxw_col_t c = workbook_col(&s, report_str(y, "fy"));
            workbook_sum(f, sizeof f, first, s.row - 1, c, n == 0);
            put_formula(&s, s.row, c, f, w->f.count_total, report_num(report_get(y, "ehcps"), "total"));
        }
        s.row++;
        put_str(&s, s.row++, 0, "By age band", w->f.section);
        const cJSON *bands = report_get(report_get(cJSON_GetArrayItem(years, 0), "ehcps"), "by_age_band");
        first = s.row;
        n = 0;
        cJSON_ArrayForEach(item, bands)
        {
            char t[64];
            snprintf(t, sizeof t, "Aged %.50s", item->string);
            put_str(&s, s.row, 0, t, w->f.item);
            cJSON_ArrayForEach(y, years)
                put_num(&s, s.row, workbook_col(&s, report_str(y, "fy")),
                        report_num(report_get(report_get(y, "ehcps"), "by_age_band"), item->string), w->f.count);
            s.row++;
            n++;
        }
        put_str(&s, s.row, 0, "Total EHCPs", w->f.bold);
        cJSON_ArrayForEach(y, years)
        {
            lxw_col_t c = workbook_col(&s, report_str(y, "fy"));
            double sum = 0.0;
            cJSON_ArrayForEach(item, bands) sum +=
                report_num(report_get(report_get(y, "ehcps"), "by_age_band"), item->string);
            workbook_sum(f, sizeof f, first, s.row - 1, c, n == 0);
            put_formula(&s, s.row, c, f, w->f.count_total, sum);
        }
        s.row++;
        put_str(&s, s.row++, 0, "In the year to the census", w->f.section);
        static const struct {
            const char *key, *label;
        } flows[] = {{"joiners", "Joiners (new EHCPs)"},
                     {"leavers", "Leavers (EHCPs ceased)"},
                     {"overflow", "Placed by a fallback (first choice full)"}};
        for (size_t k = 0; k < 3; k++) {
            put_str(&s, s.row, 0, flows[k].label, w->f.item);
            cJSON_ArrayForEach(y, years)
                put_num(&s, s.row, workbook_col(&s, report_str(y, "fy")), report_num(y, flows[k].key), w->f.count);
            s.row++;
        }
        s.row++;
    }
    workbook_cap(&s, 0, 48.0);
    sheet_end(&s, 2, 1, 10.0);
}

static void workbook_unit_costs(workbook_ctx *w)
{
    workbook_sheet s;
    if (sheet_begin(w, &s, "Unit costs", "Cost per EHCP by placement",
                    "£ per EHCP per year, as the model costs each financial year.", 1))
        return;
    put_str(&s, s.row, 0, "£ per EHCP per year", w->f.head);
    sheet_year_heads(&s, s.row);
    s.row += 2;
    const cJSON *sc, *y, *item;
    cJSON_ArrayForEach(sc, w->scen)
    {
        sheet_scenario_title(&s, sc, NULL);
        cJSON_ArrayForEach(item, report_get(sc, "placements"))
        {
            put_str(&s, s.row, 0, report_str(item, "label"), w->f.item);
            cJSON_ArrayForEach(y, report_get(sc, "years"))
                put_num(&s, s.row, workbook_col(&s, report_str(y, "fy")),
                        report_num(report_get(y, "unit_costs"), report_str(item, "id")), w->f.gbp);
            s.row++;
        }
        s.row++;
    }
    workbook_cap(&s, 0, 48.0);
    sheet_end(&s, 1, 1, 10.0);
}

/* ---- Savings by action ---------------------------------------------------------- */

static void workbook_savings(workbook_ctx *w)
{
    workbook_sheet s;
    if (sheet_begin(w, &s, "Savings by action", "Savings by action against the parent scenario",
                    "£m. A saving is the improvement in the in-year position against the parent scenario "
                    "(positive = better). Totals and cumulative rows are formulas.",
                    2))
        return;
    size_t ny = w->ys.n;
    lxw_col_t c_end = s.c0 + (lxw_col_t)ny, c_hor = c_end + 1;
    put_str(&s, s.row, 0, "Action", w->f.head);
    put_str(&s, s.row, 1, "Type", w->f.head);
    sheet_year_heads(&s, s.row);
    put_str(&s, s.row, c_end, "To the end of the override", w->f.head_r);
    put_str(&s, s.row, c_hor, "To the end of the last year", w->f.head_r);
    workbook_cap(&s, c_end, 13.0);
    workbook_cap(&s, c_hor, 13.0);
    s.row += 2;
    const cJSON *sc, *y, *a;
    char f[160], x[WB_CELL], z[WB_CELL];
    int any = 0;
    cJSON_ArrayForEach(sc, w->scen)
    {
        if (!report_has_savings(sc)) continue;
        any = 1;
        const cJSON *sv = report_get(sc, "savings"), *years = report_get(sc, "years");
        const cJSON *acts = report_get(sv, "actions"), *tot = report_get(sv, "total");
        const char *against = report_str(sv, "against"), *method = report_str(sv, "method");
        if (!strcmp(method, "shapley-exact")) method = "Shapley values, exact";
        if (!strcmp(method, "shapley-sampled")) method = "Shapley values, sampled";
        char *extra = malloc(strlen(against) + strlen(method) + 40);
        if (!extra) {
            w->nomem = 1;
            break;
        }
        sprintf(extra, " against %s; attribution: %s", against, method);
        sheet_scenario_title(&s, sc, extra);
        free(extra);

        put_str(&s, s.row++, 0, "Saving in the year", w->f.section);
        lxw_row_t first = s.row;
        int n = 0;
        cJSON_ArrayForEach(a, acts)
        {
            put_str(&s, s.row, 0, report_str(a, "name"), w->f.item);
            put_str(&s, s.row, 1, report_str(a, "type"), NULL);
            const cJSON *by = report_get(a, "by_year");
            cJSON_ArrayForEach(y, years) put_num(&s, s.row, workbook_col(&s, report_str(y, "fy")),
                                                 report_num(by, report_str(y, "fy")), w->f.money);
            put_num(&s, s.row, c_end, report_num(a, "to_override_end"), w->f.money);
            put_num(&s, s.row, c_hor, report_num(a, "to_horizon"), w->f.money);
            s.row++;
            n++;
        }
        lxw_row_t total = s.row++;
        put_str(&s, total, 0, "Total", w->f.bold);
        cJSON_ArrayForEach(y, years)
        {
            lxw_col_t c = workbook_col(&s, report_str(y, "fy"));
            double v = report_num(report_get(tot, "by_year"), report_str(y, "fy"));
            if (isnan(v)) continue;
            workbook_sum(f, sizeof f, first, total - 1, c, n == 0);
            put_formula(&s, total, c, f, w->f.money_total, v);
        }
        workbook_sum(f, sizeof f, first, total - 1, c_end, n == 0);
        put_formula(&s, total, c_end, f, w->f.money_total, report_num(tot, "to_override_end"));
        workbook_sum(f, sizeof f, first, total - 1, c_hor, n == 0);
        put_formula(&s, total, c_hor, f, w->f.money_total, report_num(tot, "to_horizon"));

        put_str(&s, s.row++, 0, "Cumulative saving", w->f.section);
        /* Running sums of each action's row, then of the total row. */
        for (int k = 0; k <= n; k++) {
            const cJSON *src = k < n ? cJSON_GetArrayItem(acts, k) : tot;
            lxw_row_t from = k < n ? first + (lxw_row_t)k : total;
            put_str(&s, s.row, 0, k < n ? report_str(src, "name") : "Total", k < n ? w->f.item : w->f.bold);
            const cJSON *by = report_get(src, "by_year");
            double run = 0.0;
            lxw_col_t prev = (lxw_col_t)-1;
            cJSON_ArrayForEach(y, years)
            {
                lxw_col_t c = workbook_col(&s, report_str(y, "fy"));
                double v = report_num(by, report_str(y, "fy"));
                run += isnan(v) ? 0.0 : v;
                workbook_cell(x, from, c);
                if (prev == (lxw_col_t)-1) {
                    snprintf(f, sizeof f, "=%s", x);
                } else {
                    workbook_cell(z, s.row, prev);
                    snprintf(f, sizeof f, "=%s+%s", z, x);
                }
                put_formula(&s, s.row, c, f, k < n ? w->f.money : w->f.money_total, run);
                prev = c;
            }
            s.row++;
        }
        s.row++;
    }
    if (!any)
        put_note(&s, s.row, 0,
                 "No scenario in these results has savings by action (a scenario that extends another and "
                 "has actions).",
                 w->f.note);
    workbook_cap(&s, 0, 48.0);
    workbook_cap(&s, 1, 20.0);
    sheet_end(&s, 1, 2, 10.0);
}

/* ---- Monte Carlo ----------------------------------------------------------------- */

static void workbook_montecarlo(workbook_ctx *w)
{
    workbook_sheet s;
    if (sheet_begin(w, &s, "Monte Carlo", "Monte Carlo range by financial year",
                    "£m (EHCPs in numbers). P5 to P95: 90% of simulated paths fall between them; for the DSG "
                    "position P5 is the worse end.",
                    1))
        return;
    s.paginate = 1;
    put_str(&s, s.row, 0, "Statistic", w->f.head);
    sheet_year_heads(&s, s.row);
    s.row += 2;
    static const struct {
        const char *key, *label;
        int money;
    } figs[] = {{"cumulative", "Cumulative position (£m)", 1},
                {"in_year", "In-year position (£m)", 1},
                {"spend", "Spend (£m)", 1},
                {"funding", "Funding (£m)", 1},
                {"ehcps", "EHCPs at the January census", 0}};
    static const char *const stat[] = {"mean", "p5", "p10", "p25", "p50", "p75", "p90", "p95"};
    static const char *const statl[] = {"Mean", "P5", "P10", "P25", "P50 (median)", "P75", "P90", "P95"};
    const cJSON *sc, *y;
    int any = 0;
    cJSON_ArrayForEach(sc, w->scen)
    {
        if (!report_has_montecarlo(sc)) continue;
        any = 1;
        const cJSON *mc = report_get(sc, "montecarlo");
        char extra[96];
        snprintf(extra, sizeof extra, ": %.0f paths, seed %.0f", report_num(mc, "paths"), report_num(mc, "seed"));
        sheet_scenario_title(&s, sc, extra);
        for (size_t i = 0; i < sizeof figs / sizeof figs[0]; i++) {
            put_str(&s, s.row++, 0, figs[i].label, w->f.section);
            for (size_t k = 0; k < 8; k++) {
                put_str(&s, s.row, 0, statl[k], w->f.item);
                cJSON_ArrayForEach(y, report_get(mc, "years")) put_num(
                    &s, s.row, workbook_col(&s, report_str(y, "fy")), report_num(report_get(y, figs[i].key), stat[k]),
                    figs[i].money ? (k == 4 ? w->f.money_key : w->f.money) : w->f.count);
                s.row++;
            }
        }
        s.row++;
    }
    if (!any) put_note(&s, s.row, 0, "No Monte Carlo in these results (run with --paths N).", w->f.note);
    sheet_end(&s, 1, 1, 10.0);
}

/* ---- Assumptions ------------------------------------------------------------------- */

static void workbook_assumptions(workbook_ctx *w)
{
    workbook_sheet s;
    if (sheet_begin(w, &s, "Assumptions", "Every assumption of every scenario",
                    "Value as in the scenario file; a list of values runs across (printed: the first "
                    "12; assumptions.csv has them all). Distribution is blank when the assumption is fixed.",
                    5))
        return;
    static const char *const heads[] = {"Scenario", "Assumption", "Unit", "Source", "Distribution", "Value"};
    for (lxw_col_t c = 0; c < 6; c++) put_str(&s, s.row, c, heads[c], c == 5 ? w->f.head_r : w->f.head);
    lxw_row_t head = s.row++;
    const cJSON *sc, *a;
    int widest = 1, any = 0;
    cJSON_ArrayForEach(sc, w->scen)
    {
        cJSON_ArrayForEach(a, report_get(sc, "assumptions"))
        {
            any = 1;
            put_str(&s, s.row, 0, report_str(sc, "name"), w->f.wrap);
            put_str(&s, s.row, 1, report_str(a, "path"), w->f.wrap);
            put_str(&s, s.row, 2, report_str(a, "unit"), w->f.wrap);
            put_str(&s, s.row, 3, report_str(a, "source"), w->f.wrap);
            put_str(&s, s.row, 4, report_str(a, "distribution"), w->f.wrap);
            const cJSON *v = report_get(a, "value"), *e;
            if (cJSON_IsArray(v)) {
                lxw_col_t c = 5;
                cJSON_ArrayForEach(e, v) put_num(&s, s.row, c++, e->valuedouble, NULL);
                if ((int)(c - 5) > widest) widest = (int)(c - 5);
            } else {
                put_num(&s, s.row, 5, v ? v->valuedouble : NAN, NULL);
            }
            s.row++;
        }
    }
    if (!any) put_note(&s, s.row, 0, "The results list no assumptions.", w->f.note);
    sheet_head_blank(&s, head, 6, (lxw_col_t)(5 + widest));
    /* Lists run to 64 values (a placement-move matrix): printing them all one
     * page wide would make the text unreadable, so the print area stops at 12. */
    if (widest > 12) workbook_fail(&s, 0, 0, worksheet_print_area(s.ws, 0, 0, s.row > 0 ? s.row - 1 : 0, 5 + 12 - 1));
    workbook_cap(&s, 0, 22.0);
    workbook_cap(&s, 1, 56.0);
    workbook_cap(&s, 2, 36.0);
    workbook_cap(&s, 3, 60.0);
    workbook_cap(&s, 4, 26.0);
    sheet_end(&s, 1, 2, 10.0);
}

/* ---- s251 ------------------------------------------------------------------------ */

static void workbook_s251(workbook_ctx *w)
{
    workbook_sheet s;
    if (sheet_begin(w, &s, "s251", "Spend by s251 budget line",
                    "£m. Each line sums the spend lines mapped to its s251 code on the Financial summary "
                    "(formulas); lines with no code are \"unmapped\".",
                    2))
        return;
    put_str(&s, s.row, 0, "s251 line", w->f.head);
    put_str(&s, s.row, 1, "Spend lines", w->f.head);
    sheet_year_heads(&s, s.row);
    s.row += 2;
    const cJSON *sc, *y;
    size_t si = 0;
    char x[WB_CELL];
    cJSON_ArrayForEach(sc, w->scen)
    {
        const cJSON *lines = report_get(sc, "spend_lines"), *years = report_get(sc, "years");
        report_s251 g;
        if (report_s251_build(lines, &g)) {
            w->nomem = 1;
            break;
        }
        sheet_scenario_title(&s, sc, NULL);
        lxw_row_t first = s.row;
        for (size_t k = 0; k < g.n; k++) {
            const report_s251_group *gr = &g.g[k];
            size_t nl = 0;
            for (size_t i = 0; i < gr->n; i++)
                nl += strlen(report_str(cJSON_GetArrayItem(lines, (int)gr->line[i]), "label")) + 2;
            char *names = malloc(nl + 1), *f = malloc(gr->n * 48 + 8);
            if (!names || !f) {
                free(names);
                free(f);
                w->nomem = 1;
                break;
            }
            names[0] = '\0';
            for (size_t i = 0; i < gr->n; i++) {
                if (i) strcat(names, "; ");
                strcat(names, report_str(cJSON_GetArrayItem(lines, (int)gr->line[i]), "label"));
            }
            put_str(&s, s.row, 0, gr->code, w->f.item);
            put_str(&s, s.row, 1, names, w->f.wrap);
            cJSON_ArrayForEach(y, years)
            {
                lxw_col_t c = workbook_col(&s, report_str(y, "fy"));
                size_t len = 0;
                f[len++] = '=';
                for (size_t i = 0; i < gr->n; i++) {
                    workbook_cell(x, w->spend_row[si] + (lxw_row_t)gr->line[i], c);
                    len += (size_t)sprintf(f + len, "%s'Financial summary'!%s", i ? "+" : "", x);
                }
                put_formula(&s, s.row, c, f, w->f.money, report_s251_sum(gr, lines, y));
            }
            free(names);
            free(f);
            s.row++;
        }
        put_str(&s, s.row, 0, "Total spend", w->f.bold);
        cJSON_ArrayForEach(y, years)
        {
            char f[96];
            lxw_col_t c = workbook_col(&s, report_str(y, "fy"));
            workbook_sum(f, sizeof f, first, s.row - 1, c, g.n == 0);
            put_formula(&s, s.row, c, f, w->f.money_total, report_num(report_get(y, "spend"), "total"));
        }
        s.row += 2;
        report_s251_free(&g);
        si++;
    }
    workbook_cap(&s, 1, 48.0);
    sheet_end(&s, 1, 2, 10.0);
}

/* ---- Actuals ------------------------------------------------------------------------ */

static void workbook_actuals(workbook_ctx *w)
{
    workbook_sheet s;
    if (sheet_begin(w, &s, "Actuals", "Published figures the scenarios carry",
                    "Outturn and published forecasts (£m) and EHCPs at past censuses, with their sources.", 2))
        return;
    /* Text after a right-aligned number column is indented, so that the two never touch. */
    static const char *const heads[] = {"Scenario",        "Year",  "Status", "EHCPs at census", "In-year (£m)",
                                        "Cumulative (£m)", "Source"};
    for (lxw_col_t c = 0; c < 7; c++)
        put_str(&s, s.row, c, heads[c], (c >= 3 && c <= 5) ? w->f.head_r : c == 6 ? w->f.head_ind : w->f.head);
    s.row++;
    const cJSON *sc, *e;
    int any = 0;
    cJSON_ArrayForEach(sc, w->scen)
    {
        const cJSON *act = report_get(sc, "actuals");
        cJSON_ArrayForEach(e, report_get(act, "census"))
        {
            char t[32];
            snprintf(t, sizeof t, "Jan %.0f", report_num(e, "census"));
            put_str(&s, s.row, 0, report_str(sc, "name"), NULL);
            put_str(&s, s.row, 1, t, NULL);
            put_str(&s, s.row, 2, "census", NULL);
            put_num(&s, s.row, 3, report_num(e, "ehcps"), w->f.count);
            put_str(&s, s.row, 6, report_str(e, "source"), w->f.wrap_ind);
            s.row++;
            any = 1;
        }
        cJSON_ArrayForEach(e, report_get(act, "finance"))
        {
            put_str(&s, s.row, 0, report_str(sc, "name"), NULL);
            put_str(&s, s.row, 1, report_str(e, "fy"), NULL);
            put_str(&s, s.row, 2, report_str(e, "status"), NULL);
            put_num(&s, s.row, 4, report_num(e, "in_year"), w->f.money);
            put_num(&s, s.row, 5, report_num(e, "cumulative"), w->f.money);
            put_str(&s, s.row, 6, report_str(e, "source"), w->f.wrap_ind);
            s.row++;
            any = 1;
        }
    }
    if (!any) put_note(&s, s.row, 0, "The results carry no published figures.", w->f.note);
    workbook_cap(&s, 0, 22.0);
    workbook_cap(&s, 6, 50.0);
    s.c0 = 3;
    sheet_end(&s, 1, 2, 12.0);
}

/* ---- Back-test ---------------------------------------------------------------------- */

/* Written only when the results carry a "backtest" block (hnbsim run on scenarios
 * with a backtest block, or hnbsim backtest): the model against every published
 * figure, with the error. */
static void workbook_backtest(workbook_ctx *w)
{
    const cJSON *bt = report_get(w->res, "backtest");
    if (!cJSON_IsArray(bt) || !bt->child) return;
    workbook_sheet s;
    if (sheet_begin(w, &s, "Back-test", "Back-test: the model against the published figures",
                    "Each scenario started from an earlier census and run forward with its own assumptions "
                    "(docs/calibration.md). Money in £m, EHCPs at the January census.",
                    2))
        return;
    static const char *const heads[] = {"Scenario", "Figure", "When", "Model", "Actual", "Error", "Error (%)"};
    for (lxw_col_t c = 0; c < 7; c++) put_str(&s, s.row, c, heads[c], c >= 3 ? w->f.head_r : w->f.head);
    s.row++;
    const cJSON *b, *r;
    cJSON_ArrayForEach(b, bt)
    {
        cJSON_ArrayForEach(r, report_get(b, "rows"))
        {
            const char *fig = report_str(r, "figure");
            int count = strcmp(fig, "ehcps") == 0;
            lxw_format *f = count ? w->f.count : w->f.money;
            put_str(&s, s.row, 0, report_str(b, "scenario"), NULL);
            put_str(&s, s.row, 1,
                    count                         ? "EHCPs"
                    : strcmp(fig, "in_year") == 0 ? "In-year position"
                                                  : "Cumulative position",
                    NULL);
            put_str(&s, s.row, 2, report_str(r, "when"), NULL);
            put_num(&s, s.row, 3, report_num(r, "model"), f);
            put_num(&s, s.row, 4, report_num(r, "actual"), f);
            char formula[64];
            snprintf(formula, sizeof formula, "=D%u-E%u", (unsigned)s.row + 1, (unsigned)s.row + 1);
            worksheet_write_formula_num(s.ws, s.row, 5, formula, f, report_num(r, "model") - report_num(r, "actual"));
            const cJSON *pc = report_get(r, "error_pct");
            if (cJSON_IsNumber(pc)) put_num(&s, s.row, 6, pc->valuedouble / 100.0, w->f.pct1);
            s.row++;
        }
    }
    workbook_cap(&s, 0, 30.0);
    s.c0 = 3;
    sheet_end(&s, 1, 2, 12.0);
}

/* ---- the workbook ------------------------------------------------------------------ */

static lxw_format *workbook_format(workbook_ctx *w, const char *num, int bold, int top)
{
    lxw_format *f = workbook_add_format(w->book);
    if (!f) {
        w->nomem = 1;
        return NULL;
    }
    if (num) format_set_num_format(f, num);
    if (bold) format_set_bold(f);
    if (top) format_set_top(f, LXW_BORDER_THIN);
    return f;
}

static void workbook_formats(workbook_ctx *w)
{
    workbook_fmt *f = &w->f;
    f->title = workbook_format(w, NULL, 1, 0);
    f->note = workbook_format(w, NULL, 0, 0);
    f->head = workbook_format(w, NULL, 1, 0);
    f->head_r = workbook_format(w, NULL, 1, 0);
    f->scen = workbook_format(w, NULL, 1, 0);
    f->section = workbook_format(w, NULL, 1, 0);
    f->item = workbook_format(w, NULL, 0, 0);
    f->bold = workbook_format(w, NULL, 1, 0);
    f->item_bold = workbook_format(w, NULL, 1, 0);
    f->text_r = workbook_format(w, NULL, 0, 0);
    f->wrap = workbook_format(w, NULL, 0, 0);
    f->money = workbook_format(w, WB_MONEY_FMT, 0, 0);
    f->money_total = workbook_format(w, WB_MONEY_FMT, 1, 1);
    f->money_key = workbook_format(w, WB_MONEY_FMT, 1, 0);
    f->count = workbook_format(w, "#,##0", 0, 0);
    f->count_total = workbook_format(w, "#,##0", 1, 1);
    f->gbp = workbook_format(w, "\"£\"#,##0", 0, 0);
    f->pct = workbook_format(w, "0.0%", 0, 0); /* 99.8% must not read as certain */
    f->pct1 = workbook_format(w, "0.0%", 0, 0);
    f->wrap_ind = workbook_format(w, NULL, 0, 0);
    f->head_ind = workbook_format(w, NULL, 1, 0);
    if (w->nomem) return;
    format_set_font_size(f->title, 14);
    format_set_font_color(f->note, 0x595959);
    format_set_italic(f->note);
    lxw_format *heads[] = {f->head, f->head_r, f->head_ind};
    for (int i = 0; i < 3; i++) {
        format_set_bg_color(heads[i], 0xDDEBF7);
        format_set_bottom(heads[i], LXW_BORDER_THIN);
        format_set_text_wrap(heads[i]);
        format_set_align(heads[i], LXW_ALIGN_VERTICAL_BOTTOM);
    }
    format_set_align(f->head_r, LXW_ALIGN_RIGHT);
    format_set_font_size(f->scen, 12);
    format_set_font_color(f->scen, 0x1F3864);
    format_set_indent(f->item, 1);
    format_set_indent(f->item_bold, 1);
    format_set_align(f->text_r, LXW_ALIGN_RIGHT);
    format_set_text_wrap(f->wrap); /* bottom-aligned, like the numbers beside it */
    format_set_text_wrap(f->wrap_ind);
    format_set_indent(f->wrap_ind, 1);
    format_set_indent(f->head_ind, 1);
}

/* Seconds since 1970 at midnight UTC of "YYYY-MM-DD", or 0 if malformed. */
static time_t workbook_epoch(const char *ymd)
{
    hnb_date d;
    if (date_parse(ymd, &d) != 0) return 0;
    long y = d.y - (d.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (time_t)(era * 146097 + doe - 719468) * 86400;
}

/* "From (embedded) sutton.json; run 2026-11-23 by hnbsim 0.1.0." */
static char *workbook_subtitle(const cJSON *res)
{
    size_t n = 96;
    const cJSON *in;
    cJSON_ArrayForEach(in, report_get(res, "inputs")) n += strlen(cJSON_IsString(in) ? in->valuestring : "") + 2;
    n += strlen(report_str(res, "run_date")) + strlen(report_str(res, "hnbsim_version"));
    char *s = malloc(n);
    if (!s) return NULL;
    strcpy(s, "From ");
    int k = 0;
    cJSON_ArrayForEach(in, report_get(res, "inputs"))
    {
        if (!cJSON_IsString(in)) continue;
        if (k++) strcat(s, ", ");
        strcat(s, in->valuestring);
    }
    if (!k) strcat(s, "(inputs not recorded)");
    const char *date = report_str(res, "run_date"), *ver = report_str(res, "hnbsim_version");
    size_t len = strlen(s);
    snprintf(s + len, n - len, "; run %s by hnbsim %s.", *date ? date : "(date not recorded)", *ver ? ver : "");
    return s;
}

int report_workbook(hnb_model *h, const cJSON *results, const char *path)
{
    int rc = report_check(h, results, path);
    if (rc) return rc;
    fileout fo;
    rc = fileout_reserve(h, &fo, path);
    if (rc) return rc;
    report_locale loc;
    if (report_locale_push(&loc) != 0) {
        fileout_abort(&fo);
        return err_set(h, HNB_E_NOMEM, "%s: out of memory (switching to the C locale)", path);
    }
    workbook_ctx w;
    memset(&w, 0, sizeof w);
    w.h = h;
    w.path = path;
    w.res = results;
    w.scen = report_get(results, "scenarios");
    size_t nscen = (size_t)cJSON_GetArraySize(w.scen);
    w.spend_row = calloc(nscen ? nscen : 1, sizeof *w.spend_row);
    w.subtitle = workbook_subtitle(results);
    lxw_workbook_options opt = {0};
    if (w.spend_row && w.subtitle && report_years_build(results, &w.ys) == 0) w.book = workbook_new_opt(fo.tmp, &opt);
    if (!w.book) {
        rc = err_set(h, HNB_E_NOMEM, "%s: out of memory starting the workbook", path);
        goto done;
    }
    const char *title = report_str(results, "title");
    lxw_doc_properties props = {0};
    props.title = (char *)(*title ? title : "hnbsim results");
    props.subject = (char *)"High Needs Block forecast";
    props.author = (char *)"hnbsim";
    props.comments = w.subtitle;
    props.created = workbook_epoch(report_str(results, "run_date"));
    w.err = workbook_set_properties(w.book, &props);
    snprintf(w.where, sizeof w.where, "document properties");

    workbook_formats(&w);
    if (!w.nomem) workbook_summary(&w);
    if (!w.nomem) workbook_finance(&w);
    if (!w.nomem) workbook_ehcps(&w);
    if (!w.nomem) workbook_unit_costs(&w);
    if (!w.nomem) workbook_savings(&w);
    if (!w.nomem) workbook_montecarlo(&w);
    if (!w.nomem) workbook_assumptions(&w);
    if (!w.nomem) workbook_s251(&w);
    if (!w.nomem) workbook_actuals(&w);
    if (!w.nomem) workbook_backtest(&w);

    if (w.nomem) {
        lxw_workbook_free(w.book);
        rc = err_set(h, HNB_E_NOMEM, "%s: out of memory building the workbook", path);
    } else if (w.err != LXW_NO_ERROR) {
        lxw_workbook_free(w.book);
        rc = err_set(h, HNB_E_WORKBOOK, "%s: %s: %s (expected values Excel accepts)", path, w.where,
                     lxw_strerror(w.err));
    } else {
        lxw_error e = workbook_close(w.book);
        if (e != LXW_NO_ERROR)
            rc = err_set(h, HNB_E_WORKBOOK, "%s: cannot write the workbook: %s (expected a writable folder with space)",
                         path, lxw_strerror(e));
    }
done:
    report_locale_pop(&loc);
    report_years_free(&w.ys);
    free(w.spend_row);
    free(w.subtitle);
    if (rc)
        fileout_abort(&fo);
    else
        rc = fileout_commit(h, &fo);
    return rc;
}
