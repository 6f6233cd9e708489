/* csv.c: the results as tidy CSV files (report_csv in report.h).
 *
 * One figure per row, so that a finance officer's pivot table, Power Query,
 * R or pandas can read them without reshaping. The year tables share one
 * shape, scenario,fy,census,figure,line,value, where `figure` is the key's
 * path inside a year of results.json ("spend.by_line", "in_year") and `line`
 * the id within it ("nmi"), so any row can be traced back to the JSON. The
 * files and their columns are listed in docs/spreadsheets.md.
 *
 * Design and trade-offs:
 * - Numbers are the shortest text that reads back as the same double
 *   (%.15g, %.16g or %.17g, like cJSON), so CSV == JSON exactly and a file
 *   does not fill with ...0000001 digits; the decimal point is '.' whatever
 *   the caller's locale (this thread switches to the C locale while writing).
 *   Money stays in £, unrounded; counts stay fractional.
 * - RFC 4180: CRLF line ends, a field is quoted only when it holds a comma,
 *   a double quote, CR or LF, and quotes inside are doubled. UTF-8 without a
 *   byte-order mark in csv/: tools read it cleanly. The Excel variant
 *   (csv-excel/, --excel-csv) is the same bytes after a UTF-8 byte-order
 *   mark, so that Excel on Windows shows "£" rather than "Â£".
 * - Text is data, never a formula: a text field that begins with '=', '+',
 *   '-', '@', a tab or a carriage return (what a spreadsheet reads as the
 *   start of a formula), or with a single quote, is written with a single
 *   quote in front (the usual defence against CSV formula injection).
 *   Removing one leading quote from a text field gives back the results'
 *   text exactly, so the tidy files still round-trip. Numbers are never
 *   escaped (a negative number is a number).
 * - Two figures are derived rather than copied: spend by s251 code
 *   (s251.csv) and cumulative savings (savings.csv, figure "...cumulative").
 *   Each is a plain running sum in the order of the results, so a reader who
 *   sums the same numbers in the same order gets the same double.
 * - Every file is written under a temporary name; only when all are complete
 *   are they renamed into place, one after another. A failure before that
 *   leaves the folder as it was. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fileout.h"
#include "report.h"
#include "rview.h"

/* ---- fields and rows ---------------------------------------------------- */

/* 1 if a spreadsheet would read text starting so as a formula (or it
 * starts with the escape itself). */
static int csv_formula_like(const char *s) { return *s && strchr("=+-@\t\r'", *s) != NULL; }

static void csv_field(FILE *fp, const char *s)
{
    int esc = csv_formula_like(s);
    if (!strpbrk(s, ",\"\r\n")) {
        if (esc) fputc('\'', fp);
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    if (esc) fputc('\'', fp);
    for (; *s; s++) {
        if (*s == '"') fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

/* One row. types holds one letter per field: 's' a string (const char *),
 * 'n' a number (double; NAN gives an empty field), '-' an empty field. */
static void csv_row(FILE *fp, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    char num[32];
    for (const char *t = types; *t; t++) {
        if (t != types) fputc(',', fp);
        if (*t == 's') {
            csv_field(fp, va_arg(ap, const char *));
        } else if (*t == 'n') {
            report_fmt_num(num, va_arg(ap, double));
            fputs(num, fp);
        }
    }
    va_end(ap);
    fputs("\r\n", fp);
}

static double csv_num(const cJSON *v) { return cJSON_IsNumber(v) ? v->valuedouble : NAN; }

/* ---- the files ------------------------------------------------------------ */

static int csv_scenarios(FILE *fp, const cJSON *res)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, report_get(res, "scenarios"))
        csv_row(fp, "ssssss", report_str(s, "name"), report_str(s, "label"), report_str(s, "extends"),
                report_str(s, "override_end"), report_str(s, "first_fy"), report_str(s, "last_fy"));
    return 0;
}

static int csv_lines(FILE *fp, const cJSON *res)
{
    static const char *const lists[] = {"placements", "spend_lines", "funding_lines"};
    const cJSON *s, *l;
    cJSON_ArrayForEach(s, report_get(res, "scenarios")) for (int k = 0; k < 3; k++)
        cJSON_ArrayForEach(l, report_get(s, lists[k]))
            csv_row(fp, "ssssss", report_str(s, "name"), lists[k], report_str(l, "id"), report_str(l, "label"),
                    report_str(l, "kind"), report_str(l, "s251"));
    return 0;
}

static int csv_headline(FILE *fp, const cJSON *res)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, report_get(res, "scenarios"))
    {
        const cJSON *hl = report_get(s, "headline");
        const char *name = report_str(s, "name");
        csv_row(fp, "ss-n", name, "cumulative_at_override_end", report_num(hl, "cumulative_at_override_end"));
        csv_row(fp, "sss-", name, "first_balanced_fy", report_str(hl, "first_balanced_fy"));
        csv_row(fp, "sssn", name, "peak_deficit", report_str(hl, "peak_deficit_fy"), report_num(hl, "peak_deficit"));
        csv_row(fp, "ss-n", name, "interest_to_override_end", report_num(hl, "interest_to_override_end"));
        csv_row(fp, "ss-n", name, "interest_to_horizon", report_num(hl, "interest_to_horizon"));
        csv_row(fp, "ss-n", name, "cumulative_at_horizon", report_num(hl, "cumulative_at_horizon"));
        /* Only where the scenario writes off a deficit (docs/results-format.md). */
        static const char *const wo_keys[] = {"cumulative_at_override_end_gross", "deficit_to_meet_at_override_end",
                                              "writeoff_to_override_end"};
        for (size_t k = 0; k < 3; k++)
            if (report_get(hl, wo_keys[k])) csv_row(fp, "ss-n", name, wo_keys[k], report_num(hl, wo_keys[k]));
    }
    return 0;
}

/* Rows "scenario,fy,census,figure,line,value" for every entry of year.a.b
 * (an object keyed by id), or for year.a alone. */
static void csv_year_obj(FILE *fp, const char *scen, const cJSON *y, const char *figure, const cJSON *obj)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, obj)
        csv_row(fp, "ssnssn", scen, report_str(y, "fy"), report_num(y, "census"), figure, v->string, csv_num(v));
}

static void csv_year_num(FILE *fp, const char *scen, const cJSON *y, const char *figure, double v)
{
    csv_row(fp, "ssns-n", scen, report_str(y, "fy"), report_num(y, "census"), figure, v);
}

/* by_line in the order of the lines list (which the results promise is also
 * the order of by_line; the list decides). */
static void csv_by_line(FILE *fp, const char *scen, const cJSON *y, const char *figure, const cJSON *by,
                        const cJSON *lines)
{
    const cJSON *l;
    cJSON_ArrayForEach(l, lines)
    {
        const char *id = report_str(l, "id");
        csv_row(fp, "ssnssn", scen, report_str(y, "fy"), report_num(y, "census"), figure, id, report_num(by, id));
    }
}

static int csv_finance(FILE *fp, const cJSON *res)
{
    const cJSON *s, *y;
    cJSON_ArrayForEach(s, report_get(res, "scenarios"))
    {
        const char *name = report_str(s, "name");
        cJSON_ArrayForEach(y, report_get(s, "years"))
        {
            const cJSON *fu = report_get(y, "funding"), *sp = report_get(y, "spend");
            csv_by_line(fp, name, y, "funding.by_line", report_get(fu, "by_line"), report_get(s, "funding_lines"));
            csv_year_num(fp, name, y, "funding.total", report_num(fu, "total"));
            csv_by_line(fp, name, y, "spend.by_line", report_get(sp, "by_line"), report_get(s, "spend_lines"));
            csv_year_num(fp, name, y, "spend.total", report_num(sp, "total"));
            csv_year_num(fp, name, y, "in_year", report_num(y, "in_year"));
            csv_year_num(fp, name, y, "cumulative", report_num(y, "cumulative"));
            csv_year_num(fp, name, y, "interest", report_num(y, "interest"));
            static const char *const opt[] = {"regime_funding", "alignment", "writeoff", "cumulative_gross"};
            for (size_t k = 0; k < 4; k++)
                if (report_get(y, opt[k])) csv_year_num(fp, name, y, opt[k], report_num(y, opt[k]));
        }
    }
    return 0;
}

static int csv_ehcps(FILE *fp, const cJSON *res)
{
    const cJSON *s, *y;
    cJSON_ArrayForEach(s, report_get(res, "scenarios"))
    {
        const char *name = report_str(s, "name");
        cJSON_ArrayForEach(y, report_get(s, "years"))
        {
            const cJSON *e = report_get(y, "ehcps");
            csv_year_num(fp, name, y, "ehcps.total", report_num(e, "total"));
            csv_by_line(fp, name, y, "ehcps.by_placement", report_get(e, "by_placement"), report_get(s, "placements"));
            csv_year_obj(fp, name, y, "ehcps.by_age_band", report_get(e, "by_age_band"));
            csv_year_num(fp, name, y, "joiners", report_num(y, "joiners"));
            csv_year_num(fp, name, y, "leavers", report_num(y, "leavers"));
            csv_year_num(fp, name, y, "overflow", report_num(y, "overflow"));
            if (report_get(y, "isps")) csv_year_num(fp, name, y, "isps", report_num(y, "isps"));
        }
    }
    return 0;
}

static int csv_unit_costs(FILE *fp, const cJSON *res)
{
    const cJSON *s, *y;
    cJSON_ArrayForEach(s, report_get(res, "scenarios")) cJSON_ArrayForEach(y, report_get(s, "years")) csv_by_line(
        fp, report_str(s, "name"), y, "unit_costs", report_get(y, "unit_costs"), report_get(s, "placements"));
    return 0;
}

static int csv_s251(FILE *fp, const cJSON *res)
{
    const cJSON *s, *y;
    cJSON_ArrayForEach(s, report_get(res, "scenarios"))
    {
        const cJSON *lines = report_get(s, "spend_lines");
        report_s251 g;
        if (report_s251_build(lines, &g)) return -1;
        cJSON_ArrayForEach(y, report_get(s, "years")) for (size_t k = 0; k < g.n; k++)
            csv_row(fp, "ssnssn", report_str(s, "name"), report_str(y, "fy"), report_num(y, "census"), "spend.by_s251",
                    g.g[k].code, report_s251_sum(&g.g[k], lines, y));
        report_s251_free(&g);
    }
    return 0;
}

/* scenario,against,method,action,type,fy,figure,value for the total (action
 * and type empty) or one action. */
static void csv_saving(FILE *fp, const cJSON *s, const cJSON *part, const char *action, const char *type,
                       const char *prefix)
{
    const cJSON *sv = report_get(s, "savings"), *y;
    const char *name = report_str(s, "name"), *against = report_str(sv, "against"), *method = report_str(sv, "method");
    const cJSON *by = report_get(part, "by_year");
    char fig[48];
    snprintf(fig, sizeof fig, "%s.by_year", prefix);
    cJSON_ArrayForEach(y, report_get(s, "years"))
    {
        const cJSON *v = report_get(by, report_str(y, "fy"));
        if (v) csv_row(fp, "sssssssn", name, against, method, action, type, report_str(y, "fy"), fig, csv_num(v));
    }
    snprintf(fig, sizeof fig, "%s.cumulative", prefix);
    double run = 0.0;
    cJSON_ArrayForEach(y, report_get(s, "years"))
    {
        const cJSON *v = report_get(by, report_str(y, "fy"));
        if (!v) continue;
        run += csv_num(v);
        csv_row(fp, "sssssssn", name, against, method, action, type, report_str(y, "fy"), fig, run);
    }
    snprintf(fig, sizeof fig, "%s.to_override_end", prefix);
    csv_row(fp, "sssss-sn", name, against, method, action, type, fig, report_num(part, "to_override_end"));
    snprintf(fig, sizeof fig, "%s.to_horizon", prefix);
    csv_row(fp, "sssss-sn", name, against, method, action, type, fig, report_num(part, "to_horizon"));
}

static int csv_savings(FILE *fp, const cJSON *res)
{
    const cJSON *s, *a;
    cJSON_ArrayForEach(s, report_get(res, "scenarios"))
    {
        if (!report_has_savings(s)) continue;
        const cJSON *sv = report_get(s, "savings");
        csv_saving(fp, s, report_get(sv, "total"), "", "", "total");
        cJSON_ArrayForEach(a, report_get(sv, "actions"))
            csv_saving(fp, s, a, report_str(a, "name"), report_str(a, "type"), "actions");
    }
    return 0;
}

/* scenario,fy,figure,line,stat,value for each statistic of a summary. */
static void csv_stats(FILE *fp, const char *scen, const char *fy, const char *figure, const char *line,
                      const cJSON *stats)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, stats) csv_row(fp, "sssssn", scen, fy, figure, line, v->string, csv_num(v));
}

static int csv_montecarlo(FILE *fp, const cJSON *res)
{
    const cJSON *s, *y, *v, *w;
    char fig[96];
    cJSON_ArrayForEach(s, report_get(res, "scenarios"))
    {
        if (!report_has_montecarlo(s)) continue;
        const char *name = report_str(s, "name");
        const cJSON *mc = report_get(s, "montecarlo");
        csv_row(fp, "s-s--n", name, "paths", report_num(mc, "paths"));
        csv_row(fp, "s-s--n", name, "seed", report_num(mc, "seed"));
        cJSON_ArrayForEach(y, report_get(mc, "years"))
        {
            const char *fy = report_str(y, "fy");
            cJSON_ArrayForEach(v, y)
            {
                if (!cJSON_IsObject(v)) continue; /* "fy" */
                if (report_get(v, "p50")) {
                    csv_stats(fp, name, fy, v->string, "", v);
                } else {
                    cJSON_ArrayForEach(w, v) csv_stats(fp, name, fy, v->string, w->string, w);
                }
            }
        }
        cJSON_ArrayForEach(v, report_get(mc, "headline"))
        {
            snprintf(fig, sizeof fig, "headline.%.80s", v->string);
            csv_stats(fp, name, "", fig, "", v);
        }
        cJSON_ArrayForEach(v, report_get(mc, "probabilities"))
        {
            snprintf(fig, sizeof fig, "probabilities.%.80s", v->string);
            if (cJSON_IsNumber(v)) {
                csv_row(fp, "s-s-sn", name, fig, "p", v->valuedouble);
            } else {
                cJSON_ArrayForEach(w, v) if (cJSON_IsNumber(w))
                    csv_row(fp, "sss-sn", name, report_str(v, "fy"), fig, w->string, w->valuedouble);
            }
        }
    }
    return 0;
}

static int csv_assumptions(FILE *fp, const cJSON *res)
{
    const cJSON *s, *a, *e;
    cJSON_ArrayForEach(s, report_get(res, "scenarios")) cJSON_ArrayForEach(a, report_get(s, "assumptions"))
    {
        const char *name = report_str(s, "name");
        const cJSON *v = report_get(a, "value");
        if (cJSON_IsArray(v)) {
            double i = 0;
            cJSON_ArrayForEach(e, v)
                csv_row(fp, "ssnnsss", name, report_str(a, "path"), i++, csv_num(e), report_str(a, "unit"),
                        report_str(a, "source"), report_str(a, "distribution"));
        } else {
            csv_row(fp, "ss-nsss", name, report_str(a, "path"), csv_num(v), report_str(a, "unit"),
                    report_str(a, "source"), report_str(a, "distribution"));
        }
    }
    return 0;
}

static int csv_actuals(FILE *fp, const cJSON *res)
{
    const cJSON *s, *e;
    char year[32];
    cJSON_ArrayForEach(s, report_get(res, "scenarios"))
    {
        const char *name = report_str(s, "name");
        const cJSON *act = report_get(s, "actuals");
        cJSON_ArrayForEach(e, report_get(act, "census"))
        {
            report_fmt_num(year, report_num(e, "census"));
            csv_row(fp, "ssssn-s", name, "census", year, "ehcps", report_num(e, "ehcps"), report_str(e, "source"));
        }
        cJSON_ArrayForEach(e, report_get(act, "finance"))
        {
            csv_row(fp, "ssssnss", name, "finance", report_str(e, "fy"), "in_year", report_num(e, "in_year"),
                    report_str(e, "status"), report_str(e, "source"));
            csv_row(fp, "ssssnss", name, "finance", report_str(e, "fy"), "cumulative", report_num(e, "cumulative"),
                    report_str(e, "status"), report_str(e, "source"));
        }
    }
    return 0;
}

static const struct {
    const char *name, *header;
    int (*write)(FILE *fp, const cJSON *res);
} csv_files[] = {
    {"scenarios.csv", "scenario,label,extends,override_end,first_fy,last_fy", csv_scenarios},
    {"lines.csv", "scenario,list,id,label,kind,s251", csv_lines},
    {"headline.csv", "scenario,figure,fy,value", csv_headline},
    {"finance.csv", "scenario,fy,census,figure,line,value", csv_finance},
    {"ehcps.csv", "scenario,fy,census,figure,line,value", csv_ehcps},
    {"unit_costs.csv", "scenario,fy,census,figure,line,value", csv_unit_costs},
    {"s251.csv", "scenario,fy,census,figure,line,value", csv_s251},
    {"savings.csv", "scenario,against,method,action,type,fy,figure,value", csv_savings},
    {"montecarlo.csv", "scenario,fy,figure,line,stat,value", csv_montecarlo},
    {"assumptions.csv", "scenario,path,index,value,unit,source,distribution", csv_assumptions},
    {"actuals.csv", "scenario,list,period,figure,value,status,source", csv_actuals},
};

#define CSV_NFILES (sizeof csv_files / sizeof csv_files[0])

int report_csv(hnb_model *h, const cJSON *results, const char *outdir, int excel)
{
    int rc = report_check(h, results, outdir);
    if (!rc) rc = fileout_mkdirs(h, outdir);
    if (rc) return rc;
    report_locale loc;
    if (report_locale_push(&loc) != 0)
        return err_set(h, HNB_E_NOMEM, "%s: out of memory (switching to the C locale)", outdir);
    fileout fo[CSV_NFILES];
    memset(fo, 0, sizeof fo);
    size_t i;
    for (i = 0; i < CSV_NFILES && !rc; i++) {
        char *path = fileout_join(outdir, csv_files[i].name);
        if (!path) {
            rc = err_set(h, HNB_E_NOMEM, "%s: out of memory", outdir);
            break;
        }
        rc = fileout_open(h, &fo[i], path);
        if (!rc) {
            if (excel) fputs("\xEF\xBB\xBF", fo[i].fp); /* UTF-8 byte-order mark, for Excel */
            fputs(csv_files[i].header, fo[i].fp);
            fputs("\r\n", fo[i].fp);
            if (csv_files[i].write(fo[i].fp, results) != 0)
                rc = err_set(h, HNB_E_NOMEM, "%s: out of memory writing %s", outdir, csv_files[i].name);
            else if (fflush(fo[i].fp) != 0 || ferror(fo[i].fp))
                rc = err_set(h, HNB_E_WRITE, "%s: write failed (expected a folder with space)", path);
        }
        free(path);
    }
    for (i = 0; i < CSV_NFILES && !rc; i++) rc = fileout_commit(h, &fo[i]);
    for (; i < CSV_NFILES; i++) fileout_abort(&fo[i]);
    report_locale_pop(&loc);
    return rc;
}
