/* rcols.c: the shared pieces the workbook and the CSV files lay their
 * tables out with (rview.h): the columns of financial years (every
 * scenario's, and the template's with the outturn years first), the
 * grouping of spend lines by s251 line, number text that reads back exactly,
 * and the C numeric locale for this thread. The check of a results tree and
 * the lookups are in rview.c. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rview.h"

/* ---- years -------------------------------------------------------------- */

static int report_strcmp_p(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int report_years_build(const cJSON *results, report_years *ys)
{
    memset(ys, 0, sizeof *ys);
    size_t cap = 0;
    const cJSON *s, *y;
    cJSON_ArrayForEach(s, report_get(results, "scenarios")) cap += (size_t)cJSON_GetArraySize(report_get(s, "years"));
    ys->fy = malloc((cap ? cap : 1) * sizeof *ys->fy);
    ys->census = malloc((cap ? cap : 1) * sizeof *ys->census);
    if (!ys->fy || !ys->census) {
        report_years_free(ys);
        return -1;
    }
    cJSON_ArrayForEach(s, report_get(results, "scenarios")) cJSON_ArrayForEach(y, report_get(s, "years"))
    {
        const char *fy = report_str(y, "fy");
        if (*fy) ys->fy[ys->n++] = fy;
    }
    qsort(ys->fy, ys->n, sizeof *ys->fy, report_strcmp_p);
    size_t k = 0;
    for (size_t i = 0; i < ys->n; i++)
        if (k == 0 || strcmp(ys->fy[k - 1], ys->fy[i]) != 0) ys->fy[k++] = ys->fy[i];
    ys->n = k;
    for (size_t i = 0; i < ys->n; i++) {
        ys->census[i] = NAN;
        cJSON_ArrayForEach(s, report_get(results, "scenarios")) cJSON_ArrayForEach(y, report_get(s, "years"))
        {
            if (isnan(ys->census[i]) && strcmp(report_str(y, "fy"), ys->fy[i]) == 0)
                ys->census[i] = report_num(y, "census");
        }
    }
    return 0;
}

/* "2024-25" for the financial year that holds the January `census`. */
static void report_census_fy(char *buf, double census)
{
    int y = (int)census - 1;
    unsigned u = (unsigned)(y < 0 ? 0 : y > 9998 ? 9998 : y);
    snprintf(buf, 8, "%04u-%02u", u, (u + 1) % 100u);
}

int report_years_template(const cJSON *results, report_years *ys)
{
    memset(ys, 0, sizeof *ys);
    report_years proj;
    if (report_years_build(results, &proj)) return -1;
    size_t cap = proj.n + 1;
    const cJSON *s, *a;
    cJSON_ArrayForEach(s, report_get(results, "scenarios"))
    {
        cap += (size_t)cJSON_GetArraySize(report_get(report_get(s, "actuals"), "finance")) + 1;
    }
    ys->fy = malloc(cap * sizeof *ys->fy);
    ys->census = malloc(cap * sizeof *ys->census);
    ys->store = malloc(cap * 8);
    if (!ys->fy || !ys->census || !ys->store) {
        report_years_free(&proj);
        report_years_free(ys);
        return -1;
    }
    const char *first = proj.n ? proj.fy[0] : "";
    size_t n = 0, ns = 0;
    cJSON_ArrayForEach(s, report_get(results, "scenarios"))
    {
        cJSON_ArrayForEach(a, report_get(report_get(s, "actuals"), "finance"))
        {
            const char *fy = report_str(a, "fy");
            if (*fy && strcmp(fy, first) < 0 && !strcmp(report_str(a, "status"), "outturn")) ys->fy[n++] = fy;
        }
        const cJSON *st = report_get(s, "start");
        if (cJSON_IsNumber(report_get(st, "census"))) {
            char *b = ys->store + 8 * ns++;
            report_census_fy(b, report_num(st, "census"));
            if (strcmp(b, first) < 0) ys->fy[n++] = b;
        }
    }
    qsort(ys->fy, n, sizeof *ys->fy, report_strcmp_p);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || strcmp(ys->fy[k - 1], ys->fy[i]) != 0) ys->fy[k++] = ys->fy[i];
    ys->nact = k;
    for (size_t i = 0; i < k; i++) ys->census[i] = atoi(ys->fy[i]) + 1;
    for (size_t i = 0; i < proj.n; i++) {
        ys->fy[k] = proj.fy[i];
        ys->census[k++] = proj.census[i];
    }
    ys->n = k;
    report_years_free(&proj);
    return 0;
}

void report_years_free(report_years *ys)
{
    free(ys->fy);
    free(ys->census);
    free(ys->store);
    memset(ys, 0, sizeof *ys);
}

size_t report_years_find(const report_years *ys, const char *fy)
{
    for (size_t i = 0; i < ys->n; i++)
        if (strcmp(ys->fy[i], fy) == 0) return i;
    return (size_t)-1;
}

/* ---- s251 groups ---------------------------------------------------------- */

/* Natural order: runs of digits compare as numbers, so 1.2.2 < 1.2.10. */
static int report_natcmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            char *ea, *eb;
            unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
            if (x != y) return x < y ? -1 : 1;
            a = ea;
            b = eb;
        } else {
            if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
            a++;
            b++;
        }
    }
    return *a ? 1 : *b ? -1 : 0;
}

static int report_group_cmp(const void *pa, const void *pb)
{
    const report_s251_group *a = pa, *b = pb;
    int ua = a->code[0] == '\0', ub = b->code[0] == '\0';
    if (ua != ub) return ua - ub;
    return report_natcmp(a->code, b->code);
}

int report_s251_build(const cJSON *spend_lines, report_s251 *s)
{
    memset(s, 0, sizeof *s);
    size_t nlines = (size_t)cJSON_GetArraySize(spend_lines);
    if (!nlines) return 0;
    s->g = calloc(nlines, sizeof *s->g);
    if (!s->g) return -1;
    const cJSON *line;
    size_t li = 0;
    cJSON_ArrayForEach(line, spend_lines)
    {
        const char *code = report_str(line, "s251");
        size_t k;
        for (k = 0; k < s->n && strcmp(s->g[k].code, code) != 0; k++) continue;
        if (k == s->n) {
            s->g[k].code = code;
            s->g[k].line = malloc(nlines * sizeof *s->g[k].line);
            if (!s->g[k].line) {
                report_s251_free(s);
                return -1;
            }
            s->n++;
        }
        s->g[k].line[s->g[k].n++] = li++;
    }
    qsort(s->g, s->n, sizeof *s->g, report_group_cmp);
    for (size_t k = 0; k < s->n; k++)
        if (!s->g[k].code[0]) s->g[k].code = "unmapped";
    return 0;
}

void report_s251_free(report_s251 *s)
{
    for (size_t k = 0; k < s->n; k++) free(s->g[k].line);
    free(s->g);
    memset(s, 0, sizeof *s);
}

double report_s251_sum(const report_s251_group *g, const cJSON *spend_lines, const cJSON *year)
{
    const cJSON *by = report_get(report_get(year, "spend"), "by_line");
    double sum = 0.0;
    for (size_t i = 0; i < g->n; i++) {
        const cJSON *line = cJSON_GetArrayItem(spend_lines, (int)g->line[i]);
        sum += report_num(by, report_str(line, "id"));
    }
    return sum;
}

/* ---- numbers and locale --------------------------------------------------- */

void report_fmt_num(char *buf, double v)
{
    if (!isfinite(v)) {
        buf[0] = '\0';
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
}

int report_locale_push(report_locale *l)
{
    l->c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (l->c == (locale_t)0) return -1;
    l->old = uselocale(l->c);
    return 0;
}

void report_locale_pop(report_locale *l)
{
    uselocale(l->old);
    freelocale(l->c);
}
