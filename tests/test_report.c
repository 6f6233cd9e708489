/* test_report.c: the spreadsheets (report/): the Excel workbook and the CSV
 * files written by hnb_export_file from tests/data/results-fixture.json.
 *
 * The workbook is read back by check_workbook.py (python3, standard library
 * only: it unzips the XLSX and reads the XML), which checks sheet names,
 * cells against the JSON, formulas and their cached values, number cells and
 * formats, and every CSV row against the JSON exactly. This file checks, in
 * C, what python cannot see from outside: the return codes and messages,
 * that no temporary or half-written file is left behind on failure, that
 * the same results give the same bytes, that the caller's locale does not
 * leak into the numbers, and the year tables of the CSV read back with C's
 * own strtod equal to cJSON's doubles. LibreOffice is not needed. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <dirent.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "check.h"
#include "hnbsim.h"
#include "hnbsim_report.h"

#define FIXTURE "data/results-fixture.json"

static const char *const csv_names[] = {"scenarios.csv",  "lines.csv",       "headline.csv", "finance.csv",
                                        "ehcps.csv",      "unit_costs.csv",  "s251.csv",     "savings.csv",
                                        "montecarlo.csv", "assumptions.csv", "actuals.csv",  NULL};

static char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += k;
        if (n == cap) {
            char *b = realloc(buf, 2 * cap + 1);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
    }
    fclose(fp);
    if (buf) buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

static int write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    if (!fp) return -1;
    fputs(text, fp);
    return fclose(fp);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Files in dir whose name contains ".tmp." (fileout's temporary names). */
static int count_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

static int same_bytes(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    char *x = read_file(a, &na), *y = read_file(b, &nb);
    int same = x && y && na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

static char *path2(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    snprintf(s, n, "%s/%s", a, b);
    return s;
}

/* python3 check_workbook.py <dir>/hnbsim.xlsx <results> <dir>/csv; 0 if it passes. */
static int run_checker(const char *dir, const char *results)
{
    const char *src = getenv("HNB_SRC");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "python3 %s%scheck_workbook.py '%s/hnbsim.xlsx' '%s' '%s/csv'", src ? src : "",
             src ? "/tests/" : "", dir, results, dir);
    int st = system(cmd);
    return (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
}

/* ---- a small RFC 4180 reader, to read the CSV back in C ------------------- */

typedef struct csv_row {
    int n;
    char *f[16];
} csv_row;

/* Parse one record at *p (advanced past its CRLF); fields point into buf,
 * which is modified in place. Returns 0 at the end of the text. */
static int csv_next(char **p, csv_row *row)
{
    char *s = *p;
    if (!*s) return 0;
    row->n = 0;
    for (;;) {
        char *out = s, *start = s;
        if (*s == '"') {
            s++;
            for (;;) {
                if (*s == '"' && s[1] == '"') {
                    *out++ = '"';
                    s += 2;
                } else if (*s == '"') {
                    s++;
                    break;
                } else if (!*s) {
                    break;
                } else {
                    *out++ = *s++;
                }
            }
        } else {
            while (*s && *s != ',' && *s != '\r' && *s != '\n') *out++ = *s++;
        }
        char sep = *s;
        *out = '\0';
        if (row->n < 16) row->f[row->n++] = start;
        if (sep == ',') {
            s++;
            continue;
        }
        if (sep == '\r') s++;
        if (*s == '\n') s++;
        break;
    }
    *p = s;
    return 1;
}

static const cJSON *find_by(const cJSON *arr, const char *key, const char *value)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(e, key);
        if (cJSON_IsString(k) && strcmp(k->valuestring, value) == 0) return e;
    }
    return NULL;
}

/* Every row of a year table (scenario,fy,census,figure,line,value) equals
 * the JSON value at years[fy].<figure>[.<line>] exactly, read with strtod. */
static void check_year_csv(const char *dir, const char *name, const cJSON *res, int derived_ok)
{
    char *p = path2(dir, name);
    char *text = read_file(p, NULL), *s = text;
    CHECK(text != NULL);
    csv_row row;
    int rows = 0, bad = 0;
    if (text && csv_next(&s, &row)) CHECK(row.n == 6 && strcmp(row.f[5], "value") == 0);
    while (text && csv_next(&s, &row)) {
        rows++;
        if (row.n != 6) {
            bad++;
            continue;
        }
        const cJSON *sc = find_by(cJSON_GetObjectItemCaseSensitive(res, "scenarios"), "name", row.f[0]);
        const cJSON *y = find_by(cJSON_GetObjectItemCaseSensitive(sc, "years"), "fy", row.f[1]);
        const cJSON *v = y;
        char fig[64];
        snprintf(fig, sizeof fig, "%s", row.f[3]);
        for (char *tok = strtok(fig, "."); tok && v; tok = strtok(NULL, "."))
            v = cJSON_GetObjectItemCaseSensitive(v, tok);
        if (v && *row.f[4]) v = cJSON_GetObjectItemCaseSensitive(v, row.f[4]);
        if (!v && derived_ok) continue; /* s251: a sum, checked by check_workbook.py */
        char *end;
        double got = strtod(row.f[5], &end);
        const cJSON *census = cJSON_GetObjectItemCaseSensitive(y, "census");
        if (!cJSON_IsNumber(v) || *end || got != v->valuedouble || !cJSON_IsNumber(census) ||
            strtod(row.f[2], NULL) != census->valuedouble) {
            if (bad++ < 5)
                fprintf(stderr, "%s: %s,%s,%s,%s,%s does not match the JSON\n", name, row.f[0], row.f[1], row.f[3],
                        row.f[4], row.f[5]);
        }
    }
    CHECK(rows > 0);
    CHECK(bad == 0);
    free(text);
    free(p);
}

static cJSON *load_fixture(void)
{
    char *text = read_file(FIXTURE, NULL);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    free(text);
    return doc;
}

/* Write doc as a results file in dir; returns the path (caller frees). */
static char *save(const char *dir, const char *name, const cJSON *doc)
{
    char *p = path2(dir, name);
    char *text = cJSON_Print(doc);
    CHECK(text && write_file(p, text) == 0);
    free(text);
    return p;
}

/* ---- the tests ---------------------------------------------------------- */

static void test_fixture(const char *top, const cJSON *res)
{
    char *dir = path2(top, "out"), *csv = path2(dir, "csv"), *xlsx = path2(dir, "hnbsim.xlsx");
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_export_file(h, FIXTURE, dir);
    if (rc) fprintf(stderr, "export: %s\n", hnb_errmsg(h));
    CHECK(rc == HNB_OK);
    CHECK(exists(xlsx));
    for (const char *const *n = csv_names; *n; n++) {
        char *p = path2(csv, *n);
        CHECK(exists(p));
        free(p);
    }
    CHECK(count_tmp(dir) == 0);
    CHECK(count_tmp(csv) == 0);
    CHECK(run_checker(dir, FIXTURE) == 0);
    check_year_csv(csv, "finance.csv", res, 0);
    check_year_csv(csv, "ehcps.csv", res, 0);
    check_year_csv(csv, "unit_costs.csv", res, 0);
    check_year_csv(csv, "s251.csv", res, 1);

    /* RFC 4180 quoting: a source with a comma is quoted, and reads back whole. */
    char *a = path2(csv, "assumptions.csv");
    char *text = read_file(a, NULL);
    CHECK_STR_CONTAINS(text, ",\"DfE PQ answer, 7 Jan 2026\",");
    free(text);
    free(a);

    /* The same results give the same bytes. */
    char *dir2 = path2(top, "again"), *xlsx2 = path2(dir2, "hnbsim.xlsx");
    CHECK(hnb_export_file(h, FIXTURE, dir2) == HNB_OK);
    CHECK(same_bytes(xlsx, xlsx2));
    for (const char *const *n = csv_names; *n; n++) {
        char *p1 = path2(csv, *n), *d2 = path2(dir2, "csv"), *p2 = path2(d2, *n);
        CHECK(same_bytes(p1, p2));
        free(p1);
        free(d2);
        free(p2);
    }

    /* A decimal-comma locale in the caller changes nothing. */
    static const char *const locales[] = {"de_DE.UTF-8", "de_DE.utf8",  "fr_FR.UTF-8",
                                          "fr_FR.utf8",  "nl_NL.UTF-8", NULL};
    const char *loc = NULL;
    for (const char *const *l = locales; *l && !loc; l++)
        if (setlocale(LC_ALL, *l)) loc = *l;
    if (!loc) {
        /* None installed: compile one into the test folder if glibc's
         * localedef and locale sources are there (LOCPATH is read when
         * setlocale loads a locale). */
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 '%s/loc/de_DE.UTF-8' >/dev/null 2>&1", top);
        char *locdir = path2(top, "loc");
        if (mkdir(locdir, 0777) == 0 && system(cmd) == 0 && setenv("LOCPATH", locdir, 1) == 0 &&
            setlocale(LC_ALL, "de_DE.UTF-8"))
            loc = "de_DE.UTF-8";
        free(locdir);
    }
    if (loc) {
        CHECK(localeconv()->decimal_point[0] == ','); /* the test means something */
        char *dir3 = path2(top, "locale"), *xlsx3 = path2(dir3, "hnbsim.xlsx"), *d3 = path2(dir3, "csv");
        CHECK(hnb_export_file(h, FIXTURE, dir3) == HNB_OK);
        setlocale(LC_ALL, "C");
        unsetenv("LOCPATH");
        CHECK(same_bytes(xlsx, xlsx3));
        for (const char *const *n = csv_names; *n; n++) {
            char *p1 = path2(csv, *n), *p3 = path2(d3, *n);
            CHECK(same_bytes(p1, p3));
            free(p1);
            free(p3);
        }
        free(dir3);
        free(xlsx3);
        free(d3);
    } else {
        printf("test_report: no decimal-comma locale installed; locale check skipped\n");
    }
    hnb_model_free(h);
    free(dir);
    free(csv);
    free(xlsx);
    free(dir2);
    free(xlsx2);
}

/* Results without Monte Carlo and savings, and with text that needs quoting. */
static void test_plain(const char *top, const cJSON *fixture)
{
    cJSON *doc = cJSON_Duplicate(fixture, 1);
    cJSON *sc;
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "montecarlo");
    cJSON_ArrayForEach(sc, cJSON_GetObjectItemCaseSensitive(doc, "scenarios"))
    {
        cJSON_DeleteItemFromObjectCaseSensitive(sc, "montecarlo");
        cJSON_DeleteItemFromObjectCaseSensitive(sc, "savings");
    }
    sc = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "scenarios"), 0);
    cJSON_ReplaceItemInObjectCaseSensitive(sc, "label", cJSON_CreateString("Unmitigated, \"no plan\"\nat all"));
    char *res = save(top, "plain.json", doc);
    char *dir = path2(top, "plain");
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_export_file(h, res, dir);
    if (rc) fprintf(stderr, "export: %s\n", hnb_errmsg(h));
    CHECK(rc == HNB_OK);
    CHECK(run_checker(dir, res) == 0);
    char *csv = path2(dir, "csv"), *p = path2(csv, "scenarios.csv");
    char *text = read_file(p, NULL);
    CHECK_STR_CONTAINS(text, "baseline,\"Unmitigated, \"\"no plan\"\"\nat all\",,");
    free(text);
    hnb_model_free(h);
    cJSON_Delete(doc);
    free(res);
    free(dir);
    free(csv);
    free(p);
}

/* Text a spreadsheet would run as a formula (issue 20): in every CSV file it
 * is written with a leading single quote, so Excel and LibreOffice show it as
 * text; the Excel variant (HNB_EXPORT_EXCEL_CSV) is the same bytes after a
 * UTF-8 byte-order mark. check_workbook.py checks every field of every file. */
static void test_formula_text(const char *top, const cJSON *fixture)
{
    cJSON *doc = cJSON_Duplicate(fixture, 1);
    const cJSON *scens = cJSON_GetObjectItemCaseSensitive(doc, "scenarios");
    cJSON *s0 = cJSON_GetArrayItem(scens, 0), *s1 = cJSON_GetArrayItem(scens, 1);
    cJSON_ReplaceItemInObjectCaseSensitive(s0, "label", cJSON_CreateString("=HYPERLINK(\"http://x.test\",\"y\")"));
    cJSON *pl = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s0, "placements"), 0);
    cJSON_ReplaceItemInObjectCaseSensitive(pl, "label", cJSON_CreateString("+cmd|' /C calc'!A0"));
    cJSON *fl = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s0, "funding_lines"), 0);
    cJSON_ReplaceItemInObjectCaseSensitive(fl, "label", cJSON_CreateString("-2+3"));
    if (s1) cJSON_ReplaceItemInObjectCaseSensitive(s1, "label", cJSON_CreateString("@SUM(A1:A9)"));
    cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s0, "assumptions"), 0);
    if (a) cJSON_ReplaceItemInObjectCaseSensitive(a, "source", cJSON_CreateString("'quoted already"));
    char *res = save(top, "formula.json", doc);
    char *dir = path2(top, "formula");
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_export_file_opt(h, res, dir, HNB_EXPORT_EXCEL_CSV);
    if (rc) fprintf(stderr, "export: %s\n", hnb_errmsg(h));
    CHECK(rc == HNB_OK);
    CHECK(run_checker(dir, res) == 0);
    char *p = path2(dir, "csv/scenarios.csv"), *q = path2(dir, "csv/lines.csv"), *x = path2(dir, "csv-excel/lines.csv");
    char *text = read_file(p, NULL), *lines = read_file(q, NULL), *xl = read_file(x, NULL);
    CHECK_STR_CONTAINS(text, "baseline,\"'=HYPERLINK(\"\"http://x.test\"\",\"\"y\"\")\",");
    if (s1) CHECK_STR_CONTAINS(text, ",'@SUM(A1:A9),");
    CHECK_STR_CONTAINS(lines, ",'+cmd|' /C calc'!A0,");
    CHECK_STR_CONTAINS(lines, ",'-2+3,");
    CHECK(xl && lines && memcmp(xl, "\xEF\xBB\xBF", 3) == 0 && strcmp(xl + 3, lines) == 0);
    /* Without the option, no csv-excel folder. */
    char *plain = path2(top, "formula-plain"), *pxl = path2(plain, "csv-excel");
    CHECK(hnb_export_file(h, res, plain) == HNB_OK);
    CHECK(!exists(pxl));
    free(text);
    free(lines);
    free(xl);
    free(p);
    free(q);
    free(x);
    free(plain);
    free(pxl);
    hnb_model_free(h);
    cJSON_Delete(doc);
    free(res);
    free(dir);
}

/* A results file with problems: every one reported, nothing written. */
static void test_bad_results(const char *top, const cJSON *fixture)
{
    cJSON *doc = cJSON_Duplicate(fixture, 1);
    cJSON *s1 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "scenarios"), 1);
    cJSON *y2 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s1, "years"), 2);
    cJSON *by = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(y2, "spend"), "by_line");
    cJSON_DeleteItemFromObjectCaseSensitive(by, "nmi");
    cJSON_ReplaceItemInObjectCaseSensitive(y2, "in_year", cJSON_CreateString("-12.5m"));
    char *res = save(top, "bad.json", doc);
    char *dir = path2(top, "bad"), *xlsx = path2(dir, "hnbsim.xlsx"), *csv = path2(dir, "csv");
    hnb_model *h = hnb_model_alloc();
    CHECK(hnb_export_file(h, res, dir) == HNB_E_RESULTS);
    /* the one checked reader (model/results/reader.c) refuses it first, naming the file read (issue 20) */
    CHECK_STR_CONTAINS(hnb_errmsg(h), "bad.json: scenarios[1].years[2].in_year: wrong type");
    CHECK(!exists(xlsx));
    CHECK(!exists(csv));
    CHECK(count_tmp(dir) == 0);

    /* An unknown spend line in by_line would be dropped silently: refused. */
    cJSON_Delete(doc);
    doc = cJSON_Duplicate(fixture, 1);
    s1 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "scenarios"), 0);
    y2 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s1, "years"), 0);
    by = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(y2, "funding"), "by_line");
    cJSON_AddNumberToObject(by, "dedelegation", 1.0);
    free(res);
    res = save(top, "bad2.json", doc);
    CHECK(hnb_export_file(h, res, dir) == HNB_E_RESULTS);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "scenarios[0].years[0].funding.by_line.dedelegation: is not one of");
    CHECK(!exists(xlsx));

    /* A placement category that is not one of the template's. */
    cJSON_Delete(doc);
    doc = cJSON_Duplicate(fixture, 1);
    s1 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "scenarios"), 0);
    cJSON_AddStringToObject(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s1, "placements"), 1), "category",
                            "specialist");
    free(res);
    res = save(top, "bad3.json", doc);
    CHECK(hnb_export_file(h, res, dir) == HNB_E_RESULTS);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "scenarios[0].placements[1].category: is \"specialist\" (expected one of "
                                      "mainstream, resourced, special, nmi, hospital_ap, post16, other)");
    CHECK(!exists(xlsx));

    /* No scenarios at all. */
    cJSON_ReplaceItemInObjectCaseSensitive(doc, "scenarios", cJSON_CreateArray());
    free(res);
    res = save(top, "empty.json", doc);
    CHECK(hnb_export_file(h, res, dir) == HNB_E_RESULTS);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "scenarios: is empty");
    CHECK(!exists(xlsx));

    hnb_model_free(h);
    cJSON_Delete(doc);
    free(res);
    free(dir);
    free(xlsx);
    free(csv);
}

/* Places that cannot be written: an error, and no partial or temporary file.
 * (Tests may run as root, which ignores permissions, so the obstacles are
 * things even root cannot write through: a file where a folder should be, a
 * folder where a file should be.) */
static void test_unwritable(const char *top)
{
    hnb_model *h = hnb_model_alloc();
    char *file = path2(top, "plainfile"), *under = path2(file, "out");
    CHECK(write_file(file, "not a folder\n") == 0);
    int rc = hnb_export_file(h, FIXTURE, under);
    CHECK(rc == HNB_E_WRITE);
    CHECK_STR_CONTAINS(hnb_errmsg(h), under);

    /* The workbook's own name is taken by a folder: the rename fails. */
    char *dir = path2(top, "blocked"), *xlsx = path2(dir, "hnbsim.xlsx"), *inner = path2(xlsx, "keep");
    CHECK(mkdir(dir, 0777) == 0 && mkdir(xlsx, 0777) == 0 && write_file(inner, "x") == 0);
    rc = hnb_export_file(h, FIXTURE, dir);
    CHECK(rc != HNB_OK);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "hnbsim.xlsx");
    CHECK(is_dir(xlsx));
    CHECK(count_tmp(dir) == 0);

    /* A CSV file's name is taken by a folder: that file fails, none is left half-written. */
    char *dir2 = path2(top, "blocked-csv"), *csv = path2(dir2, "csv"), *fin = path2(csv, "finance.csv"),
         *inner2 = path2(fin, "keep");
    CHECK(mkdir(dir2, 0777) == 0 && mkdir(csv, 0777) == 0 && mkdir(fin, 0777) == 0 && write_file(inner2, "x") == 0);
    rc = hnb_export_file(h, FIXTURE, dir2);
    CHECK(rc == HNB_E_WRITE);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "finance.csv");
    CHECK(is_dir(fin));
    CHECK(count_tmp(csv) == 0);
    char *later = path2(csv, "montecarlo.csv");
    CHECK(!exists(later)); /* files after the failing one are never renamed into place */
    free(later);

    /* Not a results file. */
    rc = hnb_export_file(h, "data/does-not-exist.json", dir);
    CHECK(rc != HNB_OK);

    hnb_model_free(h);
    free(file);
    free(under);
    free(dir);
    free(xlsx);
    free(inner);
    free(dir2);
    free(csv);
    free(fin);
    free(inner2);
}

int main(void)
{
    char top[] = "/tmp/hnbsim-report-XXXXXX";
    if (!mkdtemp(top)) {
        perror("mkdtemp");
        return 1;
    }
    cJSON *fixture = load_fixture();
    CHECK(fixture != NULL);
    if (fixture) {
        test_fixture(top, fixture);
        test_plain(top, fixture);
        test_formula_text(top, fixture);
        test_bad_results(top, fixture);
        test_unwritable(top);
    }
    cJSON_Delete(fixture);
    int status = check_done();
    if (!status) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", top);
    } else {
        fprintf(stderr, "test_report: output kept in %s\n", top);
    }
    return status;
}
