/* compare.c: scenarios side by side in the terminal, and results files
 * against each other.
 *
 * Works from results trees alone, so `hnbsim compare RESULTS.json` and a
 * fresh run print the same tables. Money in £m to one decimal place, EHCPs
 * whole, as a Schools Forum paper shows them; the unrounded figures are in
 * results.json and the workbook. Scenarios are headed by their labels,
 * wrapped over up to four lines, and tables hold at most five scenarios so
 * that they fit 100 columns; more scenarios make more tables. Census figures
 * are labelled by the census ("Jan 2026"), money by financial year.
 *
 * Every lookup tolerates a missing or mistyped member (a damaged results
 * file prints "-", it never crashes); results_read has already checked the
 * file's shape. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/fileout.h"
#include "core/model.h"
#include "results/results.h"

#define LABEL_W 24 /* the row-label column */
#define COL_W   15 /* one scenario */
#define PER_ROW 5  /* scenarios per table: 24 + 5 x 15 = 99 columns */
#define LINES   6  /* lines of a scenario's label in a heading (the longest of Sutton's labels takes 6) */

static const cJSON *get(const cJSON *o, const char *k) { return o ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL; }

static double num(const cJSON *o, const char *a, const char *b)
{
    const cJSON *x = get(o, a);
    if (b) x = get(x, b);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *x = get(o, k);
    return cJSON_IsString(x) ? x->valuestring : "";
}

static const char *label_of(const cJSON *s)
{
    const char *l = str(s, "label");
    return *l ? l : str(s, "name");
}

static void money(FILE *f, double x, int width)
{
    if (isnan(x))
        fprintf(f, "%*s", width, "-");
    else
        fprintf(f, "%*.1f", width, x / 1e6);
}

/* Line `line` (0..LINES-1) of a label wrapped at word boundaries into width w. */
static void wrapped(const char *text, int w, int line, char *out)
{
    int len = (int)strlen(text), pos = 0;
    for (int l = 0;; l++) {
        while (pos < len && text[pos] == ' ') pos++;
        int end = pos + w < len ? pos + w : len, cut = end;
        if (end < len) {
            while (cut > pos && text[cut] != ' ') cut--;
            if (cut == pos) cut = end; /* one long word */
        }
        if (l == line) {
            if (l == LINES - 1 && cut < len && cut - pos >= 2) { /* the last line shows that more was cut */
                snprintf(out, (size_t)w + 1, "%.*s..", cut - pos - 2, text + pos);
            } else {
                snprintf(out, (size_t)w + 1, "%.*s", cut - pos, text + pos);
            }
            return;
        }
        pos = cut;
        if (pos >= len) {
            out[0] = '\0';
            return;
        }
    }
}

/* The column headings of scenarios [first, first + n). */
static void heading(FILE *f, const cJSON *scen, int first, int n, const char *rowhead)
{
    char buf[COL_W + 1];
    for (int line = 0; line < LINES; line++) {
        int any = 0;
        for (int i = first; i < first + n; i++) {
            wrapped(label_of(cJSON_GetArrayItem(scen, i)), COL_W - 2, line, buf);
            any |= buf[0] != '\0';
        }
        if (!any) break;
        fprintf(f, "%-*s", LABEL_W, line == 0 ? rowhead : "");
        for (int i = first; i < first + n; i++) {
            wrapped(label_of(cJSON_GetArrayItem(scen, i)), COL_W - 2, line, buf);
            fprintf(f, "%*s", COL_W, buf);
        }
        fprintf(f, "\n");
    }
}

static const cJSON *year_of(const cJSON *s, const char *fy)
{
    const cJSON *y;
    cJSON_ArrayForEach(y, get(s, "years")) if (strcmp(str(y, "fy"), fy) == 0) return y;
    return NULL;
}

static void yearly_tables(FILE *f, const cJSON *scen, int first, int n)
{
    static const struct {
        const char *title, *a, *b;
        int is_money, census;
    } figs[] = {{"EHCPs at the January census", "ehcps", "total", 0, 1},
                {"Spend, £m", "spend", "total", 1, 0},
                {"Funding, £m", "funding", "total", 1, 0},
                {"In-year position, £m (negative = deficit)", "in_year", NULL, 1, 0},
                {"Cumulative DSG position at 31 March, £m", "cumulative", NULL, 1, 0}};
    const cJSON *s0 = cJSON_GetArrayItem(scen, first);
    for (size_t g = 0; g < sizeof figs / sizeof *figs; g++) {
        fprintf(f, "\n%s\n", figs[g].title);
        heading(f, scen, first, n, figs[g].census ? "census" : "financial year");
        const cJSON *y;
        cJSON_ArrayForEach(y, get(s0, "years"))
        {
            const char *fy = str(y, "fy");
            char row[32];
            if (figs[g].census && cJSON_IsNumber(get(y, "census")))
                snprintf(row, sizeof row, "Jan %d", (int)get(y, "census")->valuedouble);
            else
                snprintf(row, sizeof row, "%s", fy);
            fprintf(f, "%-*s", LABEL_W, row);
            for (int i = first; i < first + n; i++) {
                double x = num(year_of(cJSON_GetArrayItem(scen, i), fy), figs[g].a, figs[g].b);
                if (figs[g].is_money)
                    money(f, x, COL_W);
                else if (isnan(x))
                    fprintf(f, "%*s", COL_W, "-");
                else
                    fprintf(f, "%*.0f", COL_W, x);
            }
            fprintf(f, "\n");
        }
    }
}

static void row_money(FILE *f, const cJSON *scen, int first, int n, const char *title, const char *obj, const char *key)
{
    fprintf(f, "%-*s", LABEL_W, title);
    for (int i = first; i < first + n; i++) money(f, num(get(cJSON_GetArrayItem(scen, i), obj), key, NULL), COL_W);
    fprintf(f, "\n");
}

static void row_text(FILE *f, const cJSON *scen, int first, int n, const char *title, const char *obj, const char *key,
                     const char *none)
{
    fprintf(f, "%-*s", LABEL_W, title);
    for (int i = first; i < first + n; i++) {
        const char *t = str(get(cJSON_GetArrayItem(scen, i), obj), key);
        fprintf(f, "%*s", COL_W, *t ? t : none);
    }
    fprintf(f, "\n");
}

static void headline_table(FILE *f, const cJSON *scen, int first, int n)
{
    int rw = 0;
    for (int i = first; i < first + n; i++) rw |= get(cJSON_GetArrayItem(scen, i), "risk_weighted") != NULL;
    fprintf(f, "\nHeadline figures, £m (central forecast: every action delivered)\n");
    heading(f, scen, first, n, "");
    row_money(f, scen, first, n, "Override end, net", "headline", "cumulative_at_override_end");
    row_money(f, scen, first, n, "Override end, gross", "headline", "cumulative_at_override_end_gross");
    if (rw) row_money(f, scen, first, n, "Risk-weighted, net", "risk_weighted", "cumulative_at_override_end");
    row_money(f, scen, first, n, "Peak deficit", "headline", "peak_deficit");
    row_text(f, scen, first, n, "Peak deficit in", "headline", "peak_deficit_fy", "never");
    row_text(f, scen, first, n, "First in-year balance", "headline", "first_balanced_fy", "none");
    row_money(f, scen, first, n, "Interest to override end", "headline", "interest_to_override_end");
    row_money(f, scen, first, n, "Cumulative at horizon", "headline", "cumulative_at_horizon");
    fprintf(f, "%-*s", LABEL_W, "After the override");
    for (int i = first; i < first + n; i++) {
        const char *x = str(get(cJSON_GetArrayItem(scen, i), "funding_regime"), "after_override");
        const char *t = !*x                                       ? "-"
                        : strcmp(x, "central_funds_in_full") == 0 ? "central funds"
                        : strcmp(x, "funding_follows_spend") == 0 ? "follows spend"
                                                                  : "council pays";
        fprintf(f, "%*s", COL_W, t);
    }
    fprintf(f, "\n");
    if (rw)
        fprintf(f, "(Central: every action delivered, the grant paid. Risk-weighted: each action delivered with its\n"
                   "stated confidence, as the mean over delivered and not; every other assumption as stated.)\n");
}

static void montecarlo_table(FILE *f, const cJSON *scen, int first, int n)
{
    int any = 0;
    for (int i = first; i < first + n; i++) any |= get(cJSON_GetArrayItem(scen, i), "montecarlo") != NULL;
    if (!any) return;
    const cJSON *mc0 = NULL;
    for (int i = first; i < first + n && !mc0; i++) mc0 = get(cJSON_GetArrayItem(scen, i), "montecarlo");
    fprintf(f, "\nMonte Carlo, %.0f paths: the position at the override's end, £m\n", num(mc0, "paths", NULL));
    heading(f, scen, first, n, "");
    static const struct {
        const char *title, *stat;
        int gross;
    } rows[] = {{"Median (P50), net", "p50", 0},
                {"P5 (worse), net", "p5", 0},
                {"P95 (better), net", "p95", 0},
                {"P5 (worse), gross", "p5", 1},
                {"P95 (better), gross", "p95", 1}};
    for (size_t r = 0; r < sizeof rows / sizeof *rows; r++) {
        fprintf(f, "%-*s", LABEL_W, rows[r].title);
        for (int i = first; i < first + n; i++) {
            const cJSON *hl = get(get(cJSON_GetArrayItem(scen, i), "montecarlo"), "headline");
            const cJSON *st = get(hl, "cumulative_at_override_end");
            if (rows[r].gross && get(hl, "cumulative_at_override_end_gross"))
                st = get(hl, "cumulative_at_override_end_gross");
            money(f, num(st, rows[r].stat, NULL), COL_W);
        }
        fprintf(f, "\n");
    }
    /* the Monte Carlo standard errors of the net P5, P50 and P95 (mcse.c) */
    int any_se = 0;
    for (int i = first; i < first + n; i++)
        any_se |= get(get(cJSON_GetArrayItem(scen, i), "montecarlo"), "standard_errors") != NULL;
    if (any_se) {
        fprintf(f, "%-*s", LABEL_W, "Std. error P5/P50/P95");
        for (int i = first; i < first + n; i++) {
            const cJSON *e = get(get(get(cJSON_GetArrayItem(scen, i), "montecarlo"), "standard_errors"),
                                 "cumulative_at_override_end");
            double a = num(e, "se_p5", NULL), b = num(e, "se_p50", NULL), c = num(e, "se_p95", NULL);
            char t[64];
            if (isnan(a) || isnan(b) || isnan(c))
                snprintf(t, sizeof t, "-");
            else
                snprintf(t, sizeof t, "%.2f/%.2f/%.2f", a / 1e6, b / 1e6, c / 1e6);
            fprintf(f, "%*s", COL_W, t);
        }
        fprintf(f, "\n");
    }
    const cJSON *pr0 = get(mc0, "probabilities");
    char t[64];
    snprintf(t, sizeof t, "Chance deficit > £%.0fm",
             num(get(pr0, "deficit_at_override_end_above"), "threshold", NULL) / 1e6);
    fprintf(f, "%-*s", LABEL_W, t);
    for (int i = first; i < first + n; i++) {
        double p = num(
            get(get(get(cJSON_GetArrayItem(scen, i), "montecarlo"), "probabilities"), "deficit_at_override_end_above"),
            "p", NULL);
        if (isnan(p))
            fprintf(f, "%*s", COL_W, "-");
        else
            fprintf(f, "%*.1f%%", COL_W - 1, 100.0 * p);
    }
    snprintf(t, sizeof t, "Chance balanced %s", str(get(pr0, "in_year_balance_by"), "fy"));
    fprintf(f, "\n%-*s", LABEL_W, t);
    for (int i = first; i < first + n; i++) {
        double p = num(get(get(get(cJSON_GetArrayItem(scen, i), "montecarlo"), "probabilities"), "in_year_balance_by"),
                       "p", NULL);
        if (isnan(p))
            fprintf(f, "%*s", COL_W, "-");
        else
            fprintf(f, "%*.1f%%", COL_W - 1, 100.0 * p);
    }
    fprintf(f, "\n(Monte Carlo draws whether each action delivers and every uncertain assumption, so its median\n"
               "is near the risk-weighted figure, not on it.)\n");
}

int hnb_compare_print(hnb_model *h, void *file)
{
    FILE *f = file;
    if (!h->results) return err_set(h, HNB_E_NOTRUN, "nothing to compare (expected a run or a results file)");
    const cJSON *scen = get(h->results, "scenarios");
    int n = cJSON_GetArraySize(scen);
    if (n < 1) return err_set(h, HNB_E_RESULTS, "results: scenarios: empty (expected at least one scenario)");
    fprintf(f, "%s\n", str(h->results, "title"));
    for (int first = 0; first < n; first += PER_ROW) {
        int k = n - first < PER_ROW ? n - first : PER_ROW;
        if (n > PER_ROW) fprintf(f, "\nScenarios %d to %d of %d\n", first + 1, first + k, n);
        yearly_tables(f, scen, first, k);
        headline_table(f, scen, first, k);
        montecarlo_table(f, scen, first, k);
    }
    return HNB_OK;
}

/* ---- results files against each other ----------------------------------- */

/* A growing string; buf is NULL after a failed allocation. */
typedef struct text {
    char *buf;
    size_t len, cap;
    int failed;
} text;

static void put(text *t, const char *s)
{
    size_t n = strlen(s);
    if (t->failed) return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 1024;
        while (cap < t->len + n + 1) cap *= 2;
        char *b = realloc(t->buf, cap);
        if (!b) {
            free(t->buf);
            t->buf = NULL;
            t->failed = 1;
            return;
        }
        t->buf = b;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, s, n + 1);
    t->len += n;
}

/* A CSV field: quoted, quotes doubled, and a leading = + - @ made text. */
static void put_field(text *t, const char *s)
{
    put(t, "\"");
    if (strchr("=+-@", s[0]) && s[0]) put(t, "'");
    for (const char *c = s; *c; c++) {
        char one[3] = {*c, *c == '"' ? '"' : '\0', '\0'};
        put(t, one);
    }
    put(t, "\"");
}

static const char *const HEADLINE_KEYS[] = {"cumulative_at_override_end", "cumulative_at_override_end_gross",
                                            "peak_deficit", "interest_to_override_end", "cumulative_at_horizon"};
#define NHEAD (sizeof HEADLINE_KEYS / sizeof *HEADLINE_KEYS)

static const cJSON *by_label(const cJSON *doc, const char *label)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, get(doc, "scenarios")) if (strcmp(label_of(s), label) == 0) return s;
    return NULL;
}

static int compare_files(hnb_model *h, const char *const *paths, int npaths, void *file, const char *outdir);

int hnb_compare_files(hnb_model *h, const char *const *paths, int npaths, void *file, const char *outdir)
{
    unsigned long mark = alloc_failures();
    return alloc_check(h, mark, compare_files(h, paths, npaths, file, outdir), "comparing the results files");
}

static int compare_files(hnb_model *h, const char *const *paths, int npaths, void *file, const char *outdir)
{
    FILE *f = file;
    unsigned long mark = alloc_failures();
    if (npaths < 2) return err_set(h, HNB_E_USAGE, "compare: two results files or more (expected A.json B.json)");
    cJSON **docs = calloc((size_t)npaths, sizeof *docs);
    if (!docs) return err_set(h, HNB_E_NOMEM, "out of memory");
    int rc = HNB_OK;
    for (int i = 0; !rc && i < npaths; i++) rc = results_read_checked(h, paths[i], &docs[i]);
    cJSON *out = rc ? NULL : cJSON_CreateObject();
    if (!rc && !out) rc = err_set(h, HNB_E_NOMEM, "out of memory");
    if (!rc) {
        cJSON *files = cJSON_AddArrayToObject(out, "files");
        for (int i = 0; i < npaths; i++) cJSON_AddItemToArray(files, cJSON_CreateString(paths[i]));
        cJSON *rows = cJSON_AddArrayToObject(out, "scenarios");
        fprintf(f, "Results files compared by scenario label, against the first (%s); £m\n", paths[0]);
        for (int i = 0; i < npaths; i++)
            fprintf(f, "  [%d] %s (%s, run %s)\n", i + 1, paths[i], str(docs[i], "title"), str(docs[i], "run_date"));
        const cJSON *s;
        cJSON_ArrayForEach(s, get(docs[0], "scenarios"))
        {
            const char *label = label_of(s);
            fprintf(f, "\n%s\n%-*s", label, LABEL_W, "");
            for (int i = 0; i < npaths; i++) {
                char c[16];
                snprintf(c, sizeof c, "[%d]", i + 1);
                fprintf(f, "%*s", COL_W, c);
                if (i) fprintf(f, "%*s", COL_W, "change");
            }
            fprintf(f, "\n");
            cJSON *row = cJSON_CreateObject();
            cJSON_AddStringToObject(row, "label", label);
            for (size_t k = 0; k < NHEAD; k++) {
                static const char *const titles[] = {"Override end, net", "Override end, gross", "Peak deficit",
                                                     "Interest to override end", "Cumulative at horizon"};
                double x0 = num(get(s, "headline"), HEADLINE_KEYS[k], NULL);
                fprintf(f, "%-*s", LABEL_W, titles[k]);
                cJSON *vals = cJSON_AddArrayToObject(row, HEADLINE_KEYS[k]);
                for (int i = 0; i < npaths; i++) {
                    const cJSON *m = i ? by_label(docs[i], label) : s;
                    double x = num(get(m, "headline"), HEADLINE_KEYS[k], NULL);
                    money(f, x, COL_W);
                    if (i) money(f, x - x0, COL_W);
                    cJSON_AddItemToArray(vals, isnan(x) ? cJSON_CreateNull() : cJSON_CreateNumber(x));
                }
                fprintf(f, "\n");
            }
            for (int i = 1; i < npaths; i++)
                if (!by_label(docs[i], label)) fprintf(f, "  (no scenario \"%s\" in [%d])\n", label, i + 1);
            cJSON_AddItemToArray(rows, row);
        }
    }
    /* a tree that lacks a member (an allocation failed) is not written */
    if (!rc && alloc_failures() != mark) rc = err_set(h, HNB_E_NOMEM, "out of memory");
    if (!rc && outdir) {
        rc = fileout_mkdirs(h, outdir);
        char *js = rc ? NULL : results_print(out), *jp = fileout_join(outdir, "comparison.json");
        char *cp = fileout_join(outdir, "comparison.csv");
        if (!rc && (!js || !jp || !cp)) rc = err_set(h, HNB_E_NOMEM, "out of memory");
        /* the same as tidy CSV: one row per scenario, figure and file */
        text csv = {0};
        put(&csv, "scenario,figure,file,value_gbp\n");
        const cJSON *row, *all = rc ? NULL : get(out, "scenarios");
        cJSON_ArrayForEach(row, all)
        {
            for (size_t k = 0; k < NHEAD; k++) {
                const cJSON *v;
                int i = 0;
                cJSON_ArrayForEach(v, get(row, HEADLINE_KEYS[k]))
                {
                    char x[40] = "";
                    if (cJSON_IsNumber(v)) snprintf(x, sizeof x, "%.17g", v->valuedouble);
                    put_field(&csv, str(row, "label"));
                    put(&csv, ",");
                    put(&csv, HEADLINE_KEYS[k]);
                    put(&csv, ",");
                    put_field(&csv, paths[i++]);
                    put(&csv, ",");
                    put(&csv, x);
                    put(&csv, "\n");
                }
            }
        }
        if (!rc && !csv.buf) rc = err_set(h, HNB_E_NOMEM, "out of memory");
        /* both texts whole before either file is written */
        if (!rc) rc = fileout_write_string(h, jp, js);
        if (!rc) rc = fileout_write_string(h, cp, csv.buf);
        free(csv.buf);
        free(js);
        free(jp);
        free(cp);
    }
    cJSON_Delete(out);
    for (int i = 0; i < npaths; i++) cJSON_Delete(docs[i]);
    free(docs);
    return rc;
}
