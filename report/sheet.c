/* sheet.c: the sheet builder (sheet.h): cells that learn their column's
 * width, the title rows and print setup every sheet shares, and the row
 * shapes the year tables are made of.
 *
 * Trade-offs: column widths are estimated from the characters written (not
 * pixels), with a cap per column beyond which text wraps; LibreOffice does
 * not grow the rows of wrapped text when it opens a file, so the builder
 * remembers every wrapped cell and sets its row's height in sheet_end, once
 * the widths are known. */
#define _POSIX_C_SOURCE 200809L
#include "sheet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- cells -------------------------------------------------------------- */

static size_t workbook_utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

void sheet_cell(char *buf, lxw_row_t r, lxw_col_t c) { lxw_rowcol_to_cell(buf, r, c); }

void sheet_fail(wb_sheet *s, lxw_row_t r, lxw_col_t c, lxw_error e)
{
    if (e == LXW_NO_ERROR || s->w->err != LXW_NO_ERROR) return;
    char cell[WB_CELL];
    sheet_cell(cell, r, c);
    s->w->err = e;
    snprintf(s->w->where, sizeof s->w->where, "sheet %s, cell %s", s->name, cell);
}

static int workbook_grow(wb_sheet *s, lxw_col_t c)
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

void sheet_fit(wb_sheet *s, lxw_col_t c, double chars)
{
    if (workbook_grow(s, c) && chars > s->width[c]) s->width[c] = chars;
}

void sheet_cap(wb_sheet *s, lxw_col_t c, double chars)
{
    if (workbook_grow(s, c)) s->cap[c] = chars;
}

/* Remember a wrapped cell: sheet_end sets its row's height once the
 * column widths are known (LibreOffice does not grow rows by itself). */
static void workbook_wrapped(wb_sheet *s, lxw_row_t r, lxw_col_t c, const char *t, double k)
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
void sheet_str(wb_sheet *s, lxw_row_t r, lxw_col_t c, const char *t, lxw_format *f)
{
    sheet_fail(s, r, c, worksheet_write_string(s->ws, r, c, t, f));
    /* Text runs about 0.9 of the digit '0' that sets column widths (bold, 0.95). */
    if (f && (f == s->w->f.wrap || f == s->w->f.wrap_ind || f == s->w->f.wrap_r)) workbook_wrapped(s, r, c, t, 0.9);
    if (f && (f == s->w->f.head || f == s->w->f.head_r || f == s->w->f.head_ind)) workbook_wrapped(s, r, c, t, 0.95);
    const wb_fmt *F = &s->w->f;
    int bold = f == F->head || f == F->head_r || f == F->head_ind || f == F->section || f == F->bold || f == F->scen ||
               f == F->item_bold;
    int indent = f == F->item || f == F->item_bold || f == F->wrap_ind || f == F->head_ind;
    sheet_fit(s, c, (bold ? 1.15 : 1.0) * (double)workbook_utf8_len(t) + (indent ? 2.0 : 0.0));
}

/* Text that may run over the empty cells to its right (titles, notes). */
void sheet_note(wb_sheet *s, lxw_row_t r, lxw_col_t c, const char *t, lxw_format *f)
{
    sheet_fail(s, r, c, worksheet_write_string(s->ws, r, c, t, f));
}

void sheet_num(wb_sheet *s, lxw_row_t r, lxw_col_t c, double v, lxw_format *f)
{
    if (isnan(v)) return; /* absent: a blank cell, never a 0 that looks like data */
    sheet_fail(s, r, c, worksheet_write_number(s->ws, r, c, v, f));
    sheet_fit(s, c, 8.0);
}

void sheet_formula(wb_sheet *s, lxw_row_t r, lxw_col_t c, const char *formula, lxw_format *f, double cached)
{
    sheet_fail(s, r, c, worksheet_write_formula_num(s->ws, r, c, formula, f, cached));
    sheet_fit(s, c, 8.0);
}

/* "=SUM(C7:C9)" over rows [r0, r1] of column c, or "=0" for none. */
void sheet_sum(char *buf, size_t n, lxw_row_t r0, lxw_row_t r1, lxw_col_t c, int empty)
{
    char a[WB_CELL], b[WB_CELL];
    if (empty) {
        snprintf(buf, n, "=0");
        return;
    }
    sheet_cell(a, r0, c);
    sheet_cell(b, r1, c);
    snprintf(buf, n, "=SUM(%s:%s)", a, b);
}

/* ---- sheets --------------------------------------------------------------- */

int sheet_begin(wb_ctx *w, wb_sheet *s, const char *name, const char *heading, const char *units, lxw_col_t c0)
{
    memset(s, 0, sizeof *s);
    s->w = w;
    s->name = name;
    s->c0 = c0;
    s->ys = &w->ys;
    /* A sheet made early to keep its place in the order (Summary, Charts) is filled last. */
    s->ws = workbook_get_worksheet_by_name(w->book, name);
    if (!s->ws) s->ws = workbook_add_worksheet(w->book, name);
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
    sheet_note(s, 0, 0, t, w->f.title);
    free(t);
    sheet_note(s, 1, 0, w->subtitle, w->f.note);
    if (units) sheet_note(s, 2, 0, units, w->f.note);
    sheet_fail(s, 0, 0, worksheet_set_row(s->ws, 0, 20, NULL));
    worksheet_set_landscape(s->ws);
    worksheet_set_paper(s->ws, 9); /* A4 */
    worksheet_set_margins(s->ws, 0.5, 0.5, 0.6, 0.6);
    worksheet_fit_to_pages(s->ws, 1, 0);
    sheet_fail(s, 0, 0, worksheet_set_footer(s->ws, "&L&A&RPage &P of &N"));
    s->row = WB_HEAD;
    return 0;
}

static int workbook_wrap_cmp(const void *pa, const void *pb)
{
    const struct workbook_wrap *a = pa, *b = pb;
    return (a->r > b->r) - (a->r < b->r);
}

/* Column widths, frozen headings, headings repeated on every printed page. */
void sheet_end(wb_sheet *s, lxw_row_t head_rows, lxw_col_t freeze_col, double year_min)
{
    for (size_t c = 0; c < s->ncol; c++) {
        double wdt = s->width[c];
        if (wdt <= 0.0) continue;
        wdt += 1.5;
        if ((lxw_col_t)c >= s->c0 && wdt < year_min) wdt = year_min;
        if (wdt > s->cap[c]) wdt = s->cap[c];
        s->width[c] = wdt;
        sheet_fail(s, 0, (lxw_col_t)c, worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, wdt, NULL));
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
        if (lines > 1) sheet_fail(s, r, 0, worksheet_set_row(s->ws, r, 15.0 * lines, NULL));
    }
    for (size_t i = 0; i < s->nwrap; i++) free(s->wrap[i].text);
    free(s->wrap);
    s->wrap = NULL;
    s->nwrap = s->capwrap = 0;
    if (s->nbreaks) {
        s->breaks[s->nbreaks] = 0;
        sheet_fail(s, 0, 0, worksheet_set_h_pagebreaks(s->ws, s->breaks));
    }
    if (head_rows) {
        worksheet_freeze_panes(s->ws, WB_HEAD + head_rows, freeze_col);
        sheet_fail(s, 0, 0, worksheet_repeat_rows(s->ws, WB_HEAD, WB_HEAD + head_rows - 1));
    }
    free(s->width);
    free(s->cap);
    s->width = s->cap = NULL;
    s->ncol = 0;
}

/* The financial years across, from column c0, in heading format. */
void sheet_year_heads(wb_sheet *s, lxw_row_t r)
{
    for (size_t i = 0; i < s->ys->n; i++) sheet_str(s, r, s->c0 + (lxw_col_t)i, s->ys->fy[i], s->w->f.head_r);
}

/* Fill the heading row's cells between the label and the years, so the band is unbroken. */
void sheet_head_blank(wb_sheet *s, lxw_row_t r, lxw_col_t from, lxw_col_t to)
{
    for (lxw_col_t c = from; c < to; c++) sheet_fail(s, r, c, worksheet_write_blank(s->ws, r, c, s->w->f.head));
}

lxw_col_t sheet_col(const wb_sheet *s, const char *fy)
{
    size_t i = report_years_find(s->ys, fy);
    return i == (size_t)-1 ? (lxw_col_t)-1 : s->c0 + (lxw_col_t)i;
}

/* "Unmitigated (baseline)" as the title of a scenario's block. */
void sheet_scenario_title(wb_sheet *s, const cJSON *scen, const char *extra)
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
    sheet_note(s, s->row, 0, t, s->w->f.scen);
    sheet_fail(s, s->row, 0, worksheet_set_row(s->ws, s->row, 18, NULL));
    free(t);
    s->row++;
}

/* ---- row shapes ----------------------------------------------------------- */

double sheet_year_num(const cJSON *year, const char *a, const char *b, const char *c)
{
    const cJSON *v = report_get(year, a);
    if (b) v = report_get(v, b);
    if (c) v = report_get(v, c);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

void sheet_years_row(wb_sheet *s, const char *label, lxw_format *lf, const cJSON *years, const char *a, const char *b,
                     const char *c, lxw_format *f)
{
    const cJSON *y;
    if (label) sheet_str(s, s->row, 0, label, lf ? lf : s->w->f.item);
    cJSON_ArrayForEach(y, years) sheet_num(s, s->row, sheet_col(s, report_str(y, "fy")), sheet_year_num(y, a, b, c), f);
}

int sheet_items(wb_sheet *s, const cJSON *list, const cJSON *years, const char *a, const char *b, lxw_format *f)
{
    const cJSON *item;
    int n = 0;
    cJSON_ArrayForEach(item, list)
    {
        const char *id = report_str(item, "id");
        sheet_years_row(s, report_str(item, "label"), NULL, years, a, b ? b : id, b ? id : NULL, f);
        s->row++;
        n++;
    }
    return n;
}

lxw_row_t sheet_sum_row(wb_sheet *s, const char *label, lxw_row_t first, int n, const cJSON *years, const char *a,
                        const char *b, const cJSON *list, const char *ca, const char *cb, lxw_format *f)
{
    const cJSON *y, *item;
    char buf[96];
    sheet_str(s, s->row, 0, label, s->w->f.bold);
    cJSON_ArrayForEach(y, years)
    {
        lxw_col_t c = sheet_col(s, report_str(y, "fy"));
        double cached = 0.0;
        if (a) {
            cached = sheet_year_num(y, a, b, NULL);
        } else {
            cJSON_ArrayForEach(item, list)
            {
                const char *id = cJSON_IsString(item) ? item->valuestring : item->string;
                cached += sheet_year_num(y, ca, cb, report_get(item, "id") ? report_str(item, "id") : id);
            }
        }
        sheet_sum(buf, sizeof buf, first, s->row - 1, c, n == 0);
        sheet_formula(s, s->row, c, buf, f, cached);
    }
    return s->row++;
}
