/* test_keys.c: the loader's table of keys (model/input/keys.c) against
 * docs/scenario-format.md, both ways.
 *
 * Every key the loader accepts must be listed in the document, in the section
 * for its object, and every key the document lists there must be accepted.
 * The document is read by these conventions:
 *   - a section is the text under a heading ("## placements");
 *   - a table whose first header cell is "key" lists keys: each backticked
 *     name in its first column, outside parentheses ("`growth` or
 *     `inflation`", "`source`, `note`");
 *   - any other table with a column headed "keys" describes one object (an
 *     action type, a driver, a part of a placement) per row: the row's object
 *     is the first backticked name of its first cell, its keys the backticked
 *     names of the keys column outside parentheses ("`to`, `share` (0-1);
 *     `ages` (a list; default `[11, 16]`)" lists to, share and ages).
 * The rules below say which kinds of the table each section documents; a
 * kind no rule checks is a failure too, so a new kind must be documented.
 * The test also checks that it fails: with a key deleted from a copy of the
 * document, and with a key added that the loader does not accept. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "input/keys.h"

typedef struct {
    const char *section; /* the heading's text */
    const char *kinds;   /* kinds the key tables document (space-separated), or NULL */
    const char *rows;    /* rows of object tables whose keys count for `kinds` too: names, "*" for all */
    const char *prefix;  /* each object-table row documents kind prefix + row name, or NULL */
} rule;

static const rule rules[] = {
    {"The file", "file", NULL, NULL},
    {"A scenario", "scenario", NULL, NULL},
    {"backtest", "backtest.refused", NULL, NULL},
    {"Assumptions: a number, its source and its uncertainty", "assumption assumption.unit_cost", NULL, NULL},
    {"Yearly figures (`by_year`)", "series", NULL, NULL},
    {"Distributions (`dist`)", "dist", "*", NULL},
    {"placements", "placement", NULL, "placement."},
    {"needs", "need", NULL, NULL},
    {"stocks", "stocks", NULL, NULL},
    {"leavers", "leavers", NULL, "leavers."},
    {"moves", "moves", NULL, NULL},
    {"joiners", "joiners", "total_growth new_plans requests prevalence incidence", "joiners."},
    {"spend and funding lines", "line", NULL, NULL},
    {"interventions", "action.common", NULL, NULL},
    {"interventions", "action", "*", "action."},
    {"actuals", "actuals", NULL, "actuals."},
    {"montecarlo", "montecarlo", NULL, NULL},
    {"rate_counts", "rate_counts", NULL, "rate_counts."},
    {"after_override", "after_override", NULL, NULL},
    {"anchor", "anchor", NULL, NULL},
    {"calibration", "calibration", NULL, "calibration."},
};
#define NRULES (sizeof rules / sizeof *rules)

/* ---- small sets of names ------------------------------------------------ */

typedef struct {
    char name[64][40];
    int n;
} nameset;

static void set_add(nameset *s, const char *name, size_t len)
{
    if (len >= sizeof s->name[0] || s->n == 64) return;
    for (int i = 0; i < s->n; i++)
        if (strlen(s->name[i]) == len && strncmp(s->name[i], name, len) == 0) return;
    memcpy(s->name[s->n], name, len);
    s->name[s->n++][len] = '\0';
}

static int set_has(const nameset *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->name[i], name) == 0) return 1;
    return 0;
}

static int word_in(const char *list, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = strstr(list, w); p; p = strstr(p + 1, w))
        if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ')) return 1;
    return 0;
}

static int kind_index(const char *name)
{
    for (int k = 0; k < KEYS_N; k++)
        if (strcmp(ld_keyset_name((enum ld_keyset)k), name) == 0) return k;
    return -1;
}

/* The backticked names of a cell [p, end) outside parentheses (all = 0) or
 * the first backticked name anywhere (all = 1, first only). */
static void cell_names(const char *p, const char *end, int first_only, nameset *out)
{
    int depth = 0;
    while (p < end) {
        if (*p == '`') {
            const char *q = memchr(p + 1, '`', (size_t)(end - p - 1));
            if (!q) return;
            int ident = q > p + 1 && (isalpha((unsigned char)p[1]) || p[1] == '_');
            for (const char *c = p + 1; c < q && ident; c++) ident = isalnum((unsigned char)*c) || *c == '_';
            if (ident && (first_only || depth == 0)) {
                set_add(out, p + 1, (size_t)(q - p - 1));
                if (first_only) return;
            }
            p = q + 1;
            continue;
        }
        if (*p == '(') depth++;
        if (*p == ')' && depth > 0) depth--;
        p++;
    }
}

/* ---- the document ------------------------------------------------------- */

typedef struct {
    char row[40]; /* an object table's row name; "" for a key table */
    nameset keys;
} docrow;

typedef struct {
    char title[96];
    docrow row[64];
    int nrow;
} section;

/* Split a line "| a | b |" into cells: starts and ends. */
static int cells(const char *line, const char *eol, const char **cs, const char **ce, int max)
{
    int n = 0;
    const char *p = line + 1;
    while (p < eol && n < max) {
        const char *q = p;
        int tick = 0;
        while (q < eol && (*q != '|' || tick)) {
            if (*q == '`') tick = !tick;
            q++;
        }
        if (q >= eol) break;
        cs[n] = p;
        ce[n] = q;
        n++;
        p = q + 1;
    }
    return n;
}

static int cell_is(const char *s, const char *e, const char *word)
{
    while (s < e && *s == ' ') s++;
    while (e > s && e[-1] == ' ') e--;
    return (size_t)(e - s) == strlen(word) && strncmp(s, word, (size_t)(e - s)) == 0;
}

static int cell_has(const char *s, const char *e, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = s; p + n <= e; p++)
        if (strncmp(p, word, n) == 0) return 1;
    return 0;
}

/* Read the sections of the document and their tables. */
static int read_doc(const char *text, section *sec, int max)
{
    int ns = 0;
    const char *p = text;
    int in_table = 0, keycol = -1, keytable = 0, header = 0, fence = 0;
    while (*p) {
        const char *eol = strchr(p, '\n');
        if (!eol) eol = p + strlen(p);
        if (strncmp(p, "```", 3) == 0) fence = !fence;
        if (!fence && *p == '#' && ns < max) {
            const char *t = p;
            while (*t == '#') t++;
            while (*t == ' ') t++;
            snprintf(sec[ns].title, sizeof sec[ns].title, "%.*s", (int)(eol - t), t);
            sec[ns].nrow = 0;
            ns++;
            in_table = 0;
        } else if (!fence && *p == '|' && ns > 0) {
            const char *cs[8], *ce[8];
            int nc = cells(p, eol, cs, ce, 8);
            section *s = &sec[ns - 1];
            if (!in_table) { /* the header */
                in_table = header = 1;
                keytable = nc > 0 && cell_is(cs[0], ce[0], "key");
                keycol = -1;
                for (int c = 1; c < nc && keycol < 0; c++)
                    if (cell_has(cs[c], ce[c], "keys")) keycol = c;
            } else if (header) {
                header = 0; /* the |---| line */
            } else if (nc > 0 && s->nrow < 64 && (keytable || keycol > 0) && (keytable || keycol < nc)) {
                docrow *r = &s->row[s->nrow++];
                memset(r, 0, sizeof *r);
                if (keytable) {
                    cell_names(cs[0], ce[0], 0, &r->keys);
                } else {
                    nameset first = {.n = 0};
                    cell_names(cs[0], ce[0], 1, &first);
                    snprintf(r->row, sizeof r->row, "%s", first.n ? first.name[0] : "?");
                    cell_names(cs[keycol], ce[keycol], 0, &r->keys);
                }
            }
        } else {
            in_table = 0;
        }
        p = *eol ? eol + 1 : eol;
    }
    return ns;
}

/* ---- the comparison ----------------------------------------------------- */

static void table_set(const char *kinds, nameset *out)
{
    char buf[200];
    snprintf(buf, sizeof buf, "%s", kinds);
    for (char *k = strtok(buf, " "); k; k = strtok(NULL, " ")) {
        int i = kind_index(k);
        if (i < 0) continue;
        for (const char *const *key = ld_keys((enum ld_keyset)i); *key; key++) set_add(out, *key, strlen(*key));
    }
}

/* Compare what a section lists with what the table accepts; returns the
 * number of differences, each printed to `out`. */
static int compare_set(FILE *out, const char *section, const char *kinds, const nameset *doc, const nameset *acc)
{
    int bad = 0;
    for (int i = 0; i < acc->n; i++)
        if (!set_has(doc, acc->name[i])) {
            fprintf(out, "scenario-format.md: \"%s\": key `%s` of %s is accepted by the loader but not listed\n",
                    section, acc->name[i], kinds);
            bad++;
        }
    for (int i = 0; i < doc->n; i++)
        if (!set_has(acc, doc->name[i])) {
            fprintf(out, "scenario-format.md: \"%s\": lists `%s`, which the loader does not accept for %s\n", section,
                    doc->name[i], kinds);
            bad++;
        }
    return bad;
}

static int compare(const char *text, FILE *out)
{
    static section sec[80];
    int ns = read_doc(text, sec, 80);
    int bad = 0;
    int covered[KEYS_N] = {0};
    for (size_t r = 0; r < NRULES; r++) {
        const rule *ru = &rules[r];
        const section *s = NULL;
        for (int i = 0; i < ns && !s; i++)
            if (strcmp(sec[i].title, ru->section) == 0) s = &sec[i];
        if (!s) {
            fprintf(out, "scenario-format.md: no section \"%s\"\n", ru->section);
            bad++;
            continue;
        }
        if (ru->kinds) {
            nameset doc = {.n = 0}, acc = {.n = 0};
            for (int i = 0; i < s->nrow; i++) {
                const docrow *row = &s->row[i];
                int counts = !row->row[0] || (ru->rows && (strcmp(ru->rows, "*") == 0 || word_in(ru->rows, row->row)));
                for (int k = 0; counts && k < row->keys.n; k++)
                    set_add(&doc, row->keys.name[k], strlen(row->keys.name[k]));
            }
            table_set(ru->kinds, &acc);
            bad += compare_set(out, ru->section, ru->kinds, &doc, &acc);
            char buf[200];
            snprintf(buf, sizeof buf, "%s", ru->kinds);
            for (char *k = strtok(buf, " "); k; k = strtok(NULL, " ")) {
                int i = kind_index(k);
                if (i < 0) {
                    fprintf(out, "test_keys: rule for \"%s\": no kind %s in the table\n", ru->section, k);
                    bad++;
                } else {
                    covered[i] = 1;
                }
            }
        }
        if (ru->prefix)
            for (int i = 0; i < s->nrow; i++) {
                const docrow *row = &s->row[i];
                if (!row->row[0]) continue;
                char kind[80];
                snprintf(kind, sizeof kind, "%s%s", ru->prefix, row->row);
                int k = kind_index(kind);
                if (k < 0) {
                    fprintf(out,
                            "scenario-format.md: \"%s\": describes `%s`, which is no kind of object the loader reads\n",
                            ru->section, row->row);
                    bad++;
                    continue;
                }
                covered[k] = 1;
                nameset acc = {.n = 0};
                table_set(kind, &acc);
                bad += compare_set(out, ru->section, kind, &row->keys, &acc);
            }
    }
    for (int k = 0; k < KEYS_N; k++)
        if (!covered[k]) {
            fprintf(out, "test_keys: the keys of %s are compared with no section of scenario-format.md\n",
                    ld_keyset_name((enum ld_keyset)k));
            bad++;
        }
    return bad;
}

/* Run the comparison on text and return its report (malloc'd). */
static char *report(const char *text, int *bad)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    *bad = compare(text, f);
    fclose(f);
    return buf;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *t = malloc((size_t)n + 1);
    if (t && fread(t, 1, (size_t)n, f) != (size_t)n) {
        free(t);
        t = NULL;
    }
    if (t) t[n] = '\0';
    fclose(f);
    return t;
}

/* text with the first occurrence of `from` replaced by `to` (malloc'd). */
static char *replace(const char *text, const char *from, const char *to)
{
    const char *p = strstr(text, from);
    if (!p) return NULL;
    size_t a = (size_t)(p - text), nf = strlen(from), nt = strlen(to), rest = strlen(p + nf);
    char *t = malloc(a + nt + rest + 1);
    memcpy(t, text, a);
    memcpy(t + a, to, nt);
    memcpy(t + a + nt, p + nf, rest + 1);
    return t;
}

int main(void)
{
    const char *src = getenv("HNB_SRC");
    char path[1024];
    snprintf(path, sizeof path, "%s/docs/scenario-format.md", src ? src : "..");
    char *doc = slurp(path);
    CHECK(doc != NULL);
    if (!doc) return check_done();

    /* the table itself: every list non-empty, the union lists the union */
    for (int k = 0; k < KEYS_N; k++) CHECK(ld_keys((enum ld_keyset)k) && ld_keys((enum ld_keyset)k)[0]);
    nameset all = {.n = 0}, parts = {.n = 0};
    table_set("action", &all);
    table_set("action.common", &parts);
    for (int t = 0; t < IV_NTYPES; t++) table_set(ld_keyset_name((enum ld_keyset)(KEYS_ACTION_TYPE + t)), &parts);
    CHECK(all.n == parts.n && compare_set(stderr, "(table)", "action", &all, &parts) == 0);
    CHECK(strcmp(ld_keyset_name(KEYS_ACTION_TYPE + IV_SPEND_SAVING), "action.spend_saving") == 0);
    CHECK(strcmp(ld_keyset_name(KEYS_DRIVER + JOIN_PREVALENCE), "joiners.prevalence") == 0);

    /* the document against the table */
    int bad = compare(doc, stderr);
    CHECK(bad == 0);

    /* the test can fail: a key left out of the document ... */
    char *less = replace(doc, "| `cost_by_age` |", "| cost by age |");
    CHECK(less != NULL);
    if (less) {
        char *r = report(less, &bad);
        CHECK(bad == 1);
        CHECK_STR_CONTAINS(r,
                           "\"placements\": key `cost_by_age` of placement is accepted by the loader but not listed");
        free(r);
        free(less);
    }
    /* ... a key the loader does not take ... */
    char *more = replace(doc, "| `cease_rates` |", "| `cease_rate`, `cease_rates` |");
    CHECK(more != NULL);
    if (more) {
        char *r = report(more, &bad);
        CHECK(bad == 1);
        CHECK_STR_CONTAINS(r, "\"leavers\": lists `cease_rate`, which the loader does not accept for leavers");
        free(r);
        free(more);
    }
    /* ... and an action type's key given to another type */
    char *moved = replace(doc, "| `reduce_joiners` | `share` (0-1)", "| `reduce_joiners` | `share` (0-1), `places`");
    CHECK(moved != NULL);
    if (moved) {
        char *r = report(moved, &bad);
        CHECK(bad == 1);
        CHECK_STR_CONTAINS(r, "lists `places`, which the loader does not accept for action.reduce_joiners");
        free(r);
        free(moved);
    }
    free(doc);
    return check_done();
}
