/* sweep_sheets.c: the sweep results as spreadsheets: sweep.xlsx with a sheet
 * per sweep, and csv/sweep-<name>.csv, one tidy table per sweep
 * (docs/sweeps.md lists the columns).
 *
 * Each sweep is first turned into one table (a header and rows of numbers
 * and strings); the sheet and the CSV file print that same table, so they
 * never disagree. The CSV header uses the figures' ids (for R and Python),
 * the sheet their labels with units (for a reader). Every file is written to
 * a temporary name and renamed only when all of them are complete. The
 * workbook's creation time is the run date, so one run gives one file. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/error.h"
#include "core/fileout.h"
#include "core/model.h"
#include "hnbsim_report.h"

typedef struct cellv {
    char *s; /* NULL: a number */
    double x;
} cellv;

typedef struct table {
    size_t ncol, nrow, cap;
    char **id, **label;
    unsigned char *money;
    cellv *cell; /* [nrow][ncol] */
    int oom;
} table;

static const cJSON *get(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }
static const char *str(const cJSON *o, const char *k)
{
    const cJSON *s = get(o, k);
    return cJSON_IsString(s) ? s->valuestring : "";
}
static double num(const cJSON *o, const char *k)
{
    const cJSON *n = get(o, k);
    return cJSON_IsNumber(n) ? n->valuedouble : NAN;
}

static void col(table *t, const char *id, const char *label, int money)
{
    char **a = realloc(t->id, (t->ncol + 1) * sizeof *a), **b = realloc(t->label, (t->ncol + 1) * sizeof *b);
    unsigned char *m = realloc(t->money, t->ncol + 1);
    if (a) t->id = a;
    if (b) t->label = b;
    if (m) t->money = m;
    if (!a || !b || !m) {
        t->oom = 1;
        return;
    }
    t->id[t->ncol] = strdup(id);
    t->label[t->ncol] = strdup(label);
    t->money[t->ncol++] = (unsigned char)money;
}

/* Figure columns: one per figure of the results, with a suffix. */
static void fig_cols(table *t, const cJSON *res, const char *suffix_id, const char *suffix_label)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, get(res, "figures"))
    {
        char id[120], label[300];
        snprintf(id, sizeof id, "%s%s", str(f, "id"), suffix_id);
        snprintf(label, sizeof label, "%s%s", str(f, "label"), suffix_label);
        col(t, id, label, strcmp(str(f, "unit"), "£") == 0);
    }
}

static cellv *row(table *t)
{
    if (t->nrow == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        cellv *c = realloc(t->cell, cap * t->ncol * sizeof *c);
        if (!c) {
            t->oom = 1;
            return NULL;
        }
        t->cell = c;
        t->cap = cap;
    }
    cellv *r = t->cell + t->nrow++ * t->ncol;
    for (size_t i = 0; i < t->ncol; i++) r[i] = (cellv){NULL, NAN};
    return r;
}

static void put_s(cellv *r, size_t i, const char *s) { r[i].s = strdup(s); }
static size_t put_figs(cellv *r, size_t i, const cJSON *res, const cJSON *figs)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, get(res, "figures")) r[i++].x = num(figs, str(f, "id"));
    return i;
}

static void table_free(table *t)
{
    for (size_t i = 0; i < t->ncol; i++) {
        free(t->id[i]);
        free(t->label[i]);
    }
    for (size_t i = 0; i < t->nrow * t->ncol; i++) free(t->cell[i].s);
    free(t->id);
    free(t->label);
    free(t->money);
    free(t->cell);
    memset(t, 0, sizeof *t);
}

static void build(table *t, const cJSON *res, const cJSON *sw)
{
    const char *type = str(sw, "type");
    const cJSON *e;
    if (strcmp(type, "tornado") == 0) {
        col(t, "rank", "Rank (by swing)", 0);
        col(t, "assumption", "Assumption", 0);
        col(t, "setting", "Low and high", 0);
        col(t, "central", "Central value", 0);
        col(t, "low_value", "Low value", 0);
        col(t, "high_value", "High value", 0);
        fig_cols(t, res, "_low", " at the low value");
        fig_cols(t, res, "_high", " at the high value");
        col(t, "swing", "Swing of the main figure", 1);
        int k = 1;
        cJSON_ArrayForEach(e, get(sw, "bars"))
        {
            cellv *r = row(t);
            if (!r) return;
            r[0].x = k++;
            put_s(r, 1, str(e, "assumption"));
            put_s(r, 2, str(e, "setting"));
            r[3].x = num(e, "central");
            r[4].x = num(e, "low_value");
            r[5].x = num(e, "high_value");
            size_t i = put_figs(r, 6, res, get(e, "low"));
            i = put_figs(r, i, res, get(e, "high"));
            r[i].x = num(e, "swing");
        }
    } else if (strcmp(type, "spider") == 0) {
        col(t, "assumption", "Assumption", 0);
        col(t, "change", "Relative change", 0);
        col(t, "value", "Value", 0);
        fig_cols(t, res, "", "");
        cJSON_ArrayForEach(e, get(sw, "lines"))
        {
            const cJSON *ch = get(sw, "changes")->child, *v = get(e, "values")->child, *f;
            cJSON_ArrayForEach(f, get(e, "figures"))
            {
                cellv *r = row(t);
                if (!r) return;
                put_s(r, 0, str(e, "assumption"));
                r[1].x = ch ? ch->valuedouble : NAN;
                r[2].x = v ? v->valuedouble : NAN;
                put_figs(r, 3, res, f);
                ch = ch ? ch->next : NULL;
                v = v ? v->next : NULL;
            }
        }
    } else if (strcmp(type, "grid") == 0) {
        cJSON_ArrayForEach(e, get(sw, "assumptions")) col(t, str(e, "name"), str(e, "assumption"), 0);
        size_t na = t->ncol;
        fig_cols(t, res, "", "");
        cJSON_ArrayForEach(e, get(sw, "cells"))
        {
            cellv *r = row(t);
            if (!r) return;
            size_t i = 0;
            const cJSON *v;
            cJSON_ArrayForEach(v, get(e, "values")) if (i < na) r[i++].x = v->valuedouble;
            put_figs(r, na, res, get(e, "figures"));
        }
    } else if (strcmp(type, "batch") == 0) {
        col(t, "file", "Scenario file", 0);
        col(t, "scenario", "Scenario", 0);
        col(t, "label", "Label", 0);
        fig_cols(t, res, "", "");
        cJSON_ArrayForEach(e, get(sw, "rows"))
        {
            cellv *r = row(t);
            if (!r) return;
            put_s(r, 0, str(e, "file"));
            put_s(r, 1, str(e, "scenario"));
            put_s(r, 2, str(e, "label"));
            put_figs(r, 3, res, get(e, "figures"));
        }
    } else if (strcmp(type, "goal_seek") == 0) {
        col(t, "role", "Row", 0);
        col(t, "assumption", "Assumption", 0);
        col(t, "value", "Value", 0);
        fig_cols(t, res, "", "");
        cellv *r = row(t);
        if (!r) return;
        put_s(r, 0, "answer");
        put_s(r, 1, str(sw, "assumption"));
        r[2].x = num(sw, "value");
        put_figs(r, 3, res, get(sw, "figures"));
        cJSON_ArrayForEach(e, get(sw, "scan"))
        {
            if (!(r = row(t))) return;
            put_s(r, 0, "scan");
            put_s(r, 1, str(sw, "assumption"));
            r[2].x = num(e, "value");
            put_figs(r, 3, res, get(e, "figures"));
        }
    } else if (strcmp(type, "sobol") == 0) {
        col(t, "assumption", "Source of uncertainty", 0);
        col(t, "kind", "Kind", 0);
        col(t, "figure", "Figure", 0);
        col(t, "first_order", "First-order index", 0);
        col(t, "first_order_low", "First-order: low end of interval", 0);
        col(t, "first_order_high", "First-order: high end of interval", 0);
        col(t, "total", "Total index", 0);
        col(t, "total_low", "Total: low end of interval", 0);
        col(t, "total_high", "Total: high end of interval", 0);
        const cJSON *f;
        cJSON_ArrayForEach(f, get(res, "figures"))
        {
            const cJSON *ix = get(get(sw, "indices"), str(f, "id"));
            int i = 0;
            cJSON_ArrayForEach(e, get(sw, "inputs"))
            {
                cellv *r = row(t);
                if (!r) return;
                put_s(r, 0, str(e, "assumption"));
                put_s(r, 1, str(e, "kind"));
                put_s(r, 2, str(f, "label"));
                static const char *const keys[] = {"first_order", "first_order_low", "first_order_high",
                                                   "total",       "total_low",       "total_high"};
                for (int q = 0; q < 6; q++) {
                    const cJSON *v = cJSON_GetArrayItem(get(ix, keys[q]), i);
                    r[3 + q].x = cJSON_IsNumber(v) ? v->valuedouble : NAN;
                }
                i++;
            }
        }
    }
}

/* ---- CSV ------------------------------------------------------------------ */

static void csv_str(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_write(FILE *f, const table *t)
{
    for (size_t i = 0; i < t->ncol; i++) {
        if (i) fputc(',', f);
        csv_str(f, t->id[i]);
    }
    fputc('\n', f);
    for (size_t r = 0; r < t->nrow; r++) {
        for (size_t i = 0; i < t->ncol; i++) {
            const cellv *c = &t->cell[r * t->ncol + i];
            if (i) fputc(',', f);
            if (c->s)
                csv_str(f, c->s);
            else if (!isnan(c->x))
                fprintf(f, "%.17g", c->x);
        }
        fputc('\n', f);
    }
}

/* ---- the workbook --------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static lxw_error sheet_write(lxw_workbook *wb, const cJSON *res, const cJSON *sw, const table *t, lxw_format *bold,
                             lxw_format *money, lxw_format *plain, char *sheetname)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheetname);
    if (!ws) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error e = LXW_NO_ERROR;
    const char *flabel = str(sw, "figure");
    const cJSON *f;
    cJSON_ArrayForEach(f, get(res, "figures")) if (strcmp(str(f, "id"), flabel) == 0) flabel = str(f, "label");
    char title[600];
    snprintf(title, sizeof title, "%s sweep \"%s\": %s", str(sw, "type"), str(sw, "name"), flabel);
    title[0] = (char)(title[0] >= 'a' && title[0] <= 'z' ? title[0] - 'a' + 'A' : title[0]);
    if (!e) e = worksheet_write_string(ws, 0, 0, title, bold);
    snprintf(title, sizeof title, "Scenario: %s (%s), %s. Source: %s; run %s.", str(res, "scenario_label"),
             str(res, "scenario"), str(res, "scenario_file"), str(res, "source"), str(res, "run_date"));
    if (!e) e = worksheet_write_string(ws, 1, 0, title, plain);
    for (size_t i = 0; !e && i < t->ncol; i++) {
        e = worksheet_write_string(ws, 3, (lxw_col_t)i, t->label[i], bold);
        if (!e) e = worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, i == 0 || t->money[i] ? 22 : 16, NULL);
    }
    for (size_t r = 0; !e && r < t->nrow; r++)
        for (size_t i = 0; !e && i < t->ncol; i++) {
            const cellv *c = &t->cell[r * t->ncol + i];
            lxw_row_t rr = (lxw_row_t)(4 + r);
            if (c->s)
                e = worksheet_write_string(ws, rr, (lxw_col_t)i, c->s, plain);
            else if (!isnan(c->x))
                e = worksheet_write_number(ws, rr, (lxw_col_t)i, c->x, t->money[i] ? money : plain);
        }
    if (!e) worksheet_freeze_panes(ws, 4, 0);
    return e;
}

int hnb_export_sweep(hnb_model *h, const char *outdir)
{
    const cJSON *res = h->results;
    if (!res || strcmp(str(res, "format"), "hnbsim-sweep") != 0)
        return err_set(h, HNB_E_NOTRUN, "no sweep results to export (expected hnb_sweep first)");
    const cJSON *sws = get(res, "sweeps"), *sw;
    size_t n = (size_t)cJSON_GetArraySize(sws), k = 0;
    char *csvdir = fileout_join(outdir, "csv"), *xlsx = fileout_join(outdir, "sweep.xlsx");
    fileout *fo = calloc(n + 1, sizeof *fo), book = {0};
    table *t = calloc(n + 1, sizeof *t);
    int rc = csvdir && xlsx && fo && t ? HNB_OK : err_set(h, HNB_E_NOMEM, "out of memory");
    if (!rc) rc = fileout_mkdirs(h, csvdir);
    cJSON_ArrayForEach(sw, sws)
    {
        if (rc) break;
        build(&t[k], res, sw);
        if (t[k].oom) rc = err_set(h, HNB_E_NOMEM, "out of memory");
        char name[200];
        snprintf(name, sizeof name, "sweep-%s.csv", str(sw, "name"));
        char *path = fileout_join(csvdir, name);
        if (!rc) rc = path ? fileout_open(h, &fo[k], path) : err_set(h, HNB_E_NOMEM, "out of memory");
        free(path);
        if (!rc) csv_write(fo[k].fp, &t[k]);
        k++;
    }
    if (!rc) rc = fileout_reserve(h, &book, xlsx);
    if (!rc) {
        lxw_workbook_options opt = {0};
        lxw_workbook *wb = workbook_new_opt(book.tmp, &opt);
        lxw_error e = wb ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;
        int y = 1970, mo = 1, d = 1;
        sscanf(str(res, "run_date"), "%d-%d-%d", &y, &mo, &d);
        lxw_doc_properties props = {0};
        props.title = (char *)"hnbsim sweeps";
        props.author = (char *)"hnbsim";
        props.created = (time_t)(days_from_civil(y, mo, d) * 86400L);
        if (!e) e = workbook_set_properties(wb, &props);
        lxw_format *bold = wb ? workbook_add_format(wb) : NULL, *money = wb ? workbook_add_format(wb) : NULL;
        lxw_format *plain = wb ? workbook_add_format(wb) : NULL;
        if (bold) format_set_bold(bold);
        if (money) format_set_num_format(money, "£#,##0;-£#,##0");
        size_t i = 0;
        cJSON_ArrayForEach(sw, sws)
        {
            if (e) break;
            char sheet[32];
            snprintf(sheet, sizeof sheet, "%.24s", str(sw, "name"));
            for (char *p = sheet; *p; p++)
                if (strchr("[]:*?/\\", *p)) *p = '-';
            e = sheet_write(wb, res, sw, &t[i++], bold, money, plain, sheet);
        }
        if (wb) {
            if (e)
                lxw_workbook_free(wb);
            else
                e = workbook_close(wb);
        }
        if (e)
            rc = err_set(h, HNB_E_WORKBOOK, "%s: cannot write the sweep workbook: %s (expected a writable folder)",
                         xlsx, lxw_strerror(e));
    }
    for (size_t i = 0; i < k; i++) {
        if (!rc)
            rc = fileout_commit(h, &fo[i]);
        else
            fileout_abort(&fo[i]);
    }
    if (!rc)
        rc = fileout_commit(h, &book);
    else
        fileout_abort(&book);
    for (size_t i = 0; t && i < n; i++) table_free(&t[i]);
    free(t);
    free(fo);
    free(csvdir);
    free(xlsx);
    return rc;
}
