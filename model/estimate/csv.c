/* csv.c: reading the history, population and cost files (estimate.h).
 *
 * Each file is a CSV with a header row naming its columns (in any order;
 * other columns are ignored); fields may be quoted, blank lines are skipped,
 * CRLF line ends are accepted. Every problem is an error naming the file, the
 * line and the column, and reading goes on so that every problem is reported
 * before the job fails. Placements are the (setting, need) pairs the history
 * shows, sorted by setting then need, so the same history gives the same
 * file whatever the order of its rows. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fileout.h"
#include "core/model.h"
#include "estimate/estimate.h"

#define MAXF 32 /* fields per line we look at */

typedef struct csvline {
    char *f[MAXF];
    int n;
} csvline;

/* Split one line in place (quotes stripped, spaces trimmed). */
static void split(char *s, csvline *l)
{
    l->n = 0;
    while (l->n < MAXF) {
        while (*s == ' ' || *s == '\t') s++;
        char *start = s, *w = s;
        if (*s == '"') {
            s++;
            while (*s && !(*s == '"' && s[1] != '"')) {
                if (*s == '"') s++;
                *w++ = *s++;
            }
            if (*s == '"') s++;
            while (*s && *s != ',') s++;
        } else {
            while (*s && *s != ',') *w++ = *s++;
            while (w > start && (w[-1] == ' ' || w[-1] == '\t')) w--;
        }
        char c = *s;
        *w = '\0';
        l->f[l->n++] = start;
        if (c != ',') break;
        s++;
    }
}

typedef struct csvfile {
    char *text, *p;
    int line;
    const char *name;
} csvfile;

static int next_line(csvfile *c, csvline *l)
{
    while (c->p && *c->p) {
        char *s = c->p, *e = strchr(s, '\n');
        c->p = e ? e + 1 : NULL;
        if (e) *e = '\0';
        size_t n = strlen(s);
        if (n && s[n - 1] == '\r') s[n - 1] = '\0';
        c->line++;
        char *t = s;
        while (*t == ' ' || *t == '\t' || *t == ',') t++;
        if (!*t) continue;
        split(s, l);
        return 1;
    }
    return 0;
}

/* Open a CSV and find the named columns in its header (col[i] = field index). */
static int open_csv(hnb_model *h, const char *path, const char *const *names, int *col, csvfile *c)
{
    size_t len;
    memset(c, 0, sizeof *c);
    c->name = path;
    int rc = file_read_text(h, path, &c->text, &len);
    if (rc) return rc;
    c->p = c->text;
    if (c->p[0] == '\xef' && c->p[1] == '\xbb' && c->p[2] == '\xbf') c->p += 3; /* a BOM */
    csvline l;
    if (!next_line(c, &l)) return err_set(h, HNB_E_MISSING, "%s: empty file (expected a header row)", path);
    int bad = 0;
    for (int i = 0; names[i]; i++) {
        col[i] = -1;
        for (int k = 0; k < l.n; k++)
            if (strcmp(l.f[k], names[i]) == 0) col[i] = k;
        if (col[i] < 0) {
            err_add(h, HNB_E_MISSING, "%s:%d: no column %s (expected a header row with the columns", path, c->line,
                    names[i]);
            bad = 1;
        }
    }
    if (bad) {
        char all[256] = "";
        for (int i = 0; names[i]; i++) {
            strncat(all, i ? ", " : " ", sizeof all - strlen(all) - 1);
            strncat(all, names[i], sizeof all - strlen(all) - 1);
        }
        err_add(h, HNB_E_MISSING, "%s: the header must name%s)", path, all);
        return HNB_E_MISSING;
    }
    return HNB_OK;
}

static const char *field(const csvline *l, int col) { return col < l->n ? l->f[col] : ""; }

static int parse_int(const char *s, long lo, long hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi) return 0;
    *out = (int)v;
    return 1;
}

static int parse_num(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !isfinite(v) || v < lo || v > hi) return 0;
    *out = v;
    return 1;
}

/* ---- names ---------------------------------------------------------------- */

typedef struct names {
    char **s;
    int n, cap;
} names;

static int intern(names *t, const char *s)
{
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->s[i], s) == 0) return i;
    if (t->n == t->cap) {
        int cap = t->cap ? 2 * t->cap : 16;
        char **x = realloc(t->s, (size_t)cap * sizeof *x);
        if (!x) return -1;
        t->s = x;
        t->cap = cap;
    }
    t->s[t->n] = strdup(s);
    return t->s[t->n] ? t->n++ : -1;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* ---- the history ---------------------------------------------------------- */

static const char *const HCOLS[] = {"calendar-year", "setting-1", "need-1",          "academic-year-1",
                                    "setting-2",     "need-2",    "academic-year-2", NULL};

/* A state: setting and need both NONSEND (returns 0), both named (1), or a mix (-1). */
static int state_kind(const char *setting, const char *need)
{
    int a = strcmp(setting, "NONSEND") == 0, b = strcmp(need, "NONSEND") == 0;
    if (a && b) return 0;
    if (a || b || !*setting || !*need) return -1;
    return 1;
}

static int read_history(hnb_model *h, const char *path, hist_data *d)
{
    int col[7];
    csvfile c;
    int rc = open_csv(h, path, HCOLS, col, &c);
    if (rc) {
        free(c.text);
        return rc;
    }
    names set = {0}, need = {0};
    int *pair = NULL; /* raw (setting, need) per state, 2 per row */
    size_t cap = 0, bad = 0;
    int maxage = 0;
    csvline l;
    d->y0 = 1 << 30;
    d->y1 = -(1 << 30);
    while (next_line(&c, &l)) {
        if (d->nrow == cap) {
            cap = cap ? 2 * cap : 1024;
            hist_row *r = realloc(d->row, cap * sizeof *r);
            int *p = realloc(pair, cap * 4 * sizeof *p);
            if (r) d->row = r;
            if (p) pair = p;
            if (!r || !p) {
                rc = err_set(h, HNB_E_NOMEM, "out of memory reading %s", path);
                break;
            }
        }
        hist_row *r = &d->row[d->nrow];
        int *pr = &pair[d->nrow * 4];
        int ok = 1, k[2];
        if (!parse_int(field(&l, col[0]), 1990, 2200, &r->year)) {
            err_add(h, HNB_E_RANGE, "%s:%d: calendar-year: found \"%s\" (expected a year such as 2021)", path, c.line,
                    field(&l, col[0]));
            ok = 0;
        }
        for (int side = 0; side < 2; side++) {
            const char *s = field(&l, col[side ? 4 : 1]), *n = field(&l, col[side ? 5 : 2]);
            k[side] = state_kind(s, n);
            if (k[side] < 0) {
                err_add(h, HNB_E_RANGE,
                        "%s:%d: setting-%d \"%s\", need-%d \"%s\" (expected both NONSEND, or a setting and a need)",
                        path, c.line, side + 1, s, side + 1, n);
                ok = 0;
            } else if (k[side]) {
                pr[side * 2] = intern(&set, s);
                pr[side * 2 + 1] = intern(&need, n);
            } else {
                pr[side * 2] = pr[side * 2 + 1] = -1;
            }
        }
        if (ok && !k[0] && !k[1]) {
            err_add(h, HNB_E_RANGE, "%s:%d: NONSEND on both sides (expected a joiner, a leaver or a child in SEND)",
                    path, c.line);
            ok = 0;
        }
        int ay[2] = {0, 0};
        for (int side = 0; ok && side < 2; side++) {
            if (!k[side]) continue; /* the NONSEND side's academic year is not used */
            if (!parse_int(field(&l, col[side ? 6 : 3]), -4, HIST_MAX_AGE - 4, &ay[side])) {
                err_add(h, HNB_E_RANGE,
                        "%s:%d: academic-year-%d: found \"%s\" (expected a national curriculum year from -4 to %d: "
                        "age = year + 4, 0 to %d)",
                        path, c.line, side + 1, field(&l, col[side ? 6 : 3]), HIST_MAX_AGE - 4, HIST_MAX_AGE);
                ok = 0;
            }
        }
        if (ok) {
            if (!k[0]) { /* a joiner */
                r->age2 = ay[1] + 4;
                r->age1 = r->age2 - 1;
            } else if (!k[1]) { /* a leaver */
                r->age1 = ay[0] + 4;
                r->age2 = r->age1 + 1;
                if (r->age1 == HIST_MAX_AGE) r->age2 = HIST_MAX_AGE;
            } else {
                r->age1 = ay[0] + 4;
                r->age2 = ay[1] + 4;
                if (r->age2 != r->age1 + 1) d->nskipped++;
                if (r->age1 == HIST_MAX_AGE) {
                    err_add(h, HNB_E_RANGE,
                            "%s:%d: academic-year-1 %d stays in SEND (expected at most %d: age %d is the last)", path,
                            c.line, ay[0], HIST_MAX_AGE - 5, HIST_MAX_AGE);
                    ok = 0;
                }
            }
        }
        if (!ok) {
            bad++;
            continue;
        }
        int top = k[1] ? r->age2 : r->age1;
        if (top > maxage) maxage = top;
        if (r->year < d->y0) d->y0 = r->year;
        if (r->year > d->y1) d->y1 = r->year;
        d->nrow++;
    }
    free(c.text);
    if (!rc && !bad && d->nrow == 0)
        rc = err_set(h, HNB_E_MISSING, "%s: no rows (expected one row per child per year)", path);
    if (!rc && !bad && d->y1 == d->y0)
        rc = err_set(h, HNB_E_RANGE,
                     "%s: one calendar-year only, %d (expected two or more: the validation run holds "
                     "the last one out)",
                     path, d->y0);
    if (!rc && bad) rc = err_first(h);
    for (int y = d->y0 + 1; !rc && y < d->y1; y++) { /* every year between the first and the last */
        size_t k = 0;
        while (k < d->nrow && d->row[k].year != y) k++;
        if (k == d->nrow)
            rc = err_set(h, HNB_E_MISSING,
                         "%s: no rows for calendar-year %d (expected rows for every year from %d to %d)", path, y,
                         d->y0, d->y1);
    }
    if (!rc) {
        /* sort the names, then the placements */
        d->nsetting = set.n;
        d->nneed = need.n;
        d->setting = malloc(sizeof(char *) * (size_t)(set.n + 1));
        d->need = malloc(sizeof(char *) * (size_t)(need.n + 1));
        int *smap = malloc(sizeof(int) * (size_t)(set.n + 1)), *nmap = malloc(sizeof(int) * (size_t)(need.n + 1));
        unsigned char *seen = calloc((size_t)(set.n * need.n + 1), 1);
        int *pmap = malloc(sizeof(int) * (size_t)(set.n * need.n + 1));
        d->pl_setting = malloc(sizeof(int) * (size_t)(set.n * need.n + 1));
        d->pl_need = malloc(sizeof(int) * (size_t)(set.n * need.n + 1));
        d->pl_id = calloc((size_t)(set.n * need.n + 1), sizeof(char *));
        if (!d->setting || !d->need || !smap || !nmap || !seen || !pmap || !d->pl_setting || !d->pl_need || !d->pl_id)
            rc = err_set(h, HNB_E_NOMEM, "out of memory reading %s", path);
        if (!rc) {
            memcpy(d->setting, set.s, sizeof(char *) * (size_t)set.n);
            memcpy(d->need, need.s, sizeof(char *) * (size_t)need.n);
            qsort(d->setting, (size_t)set.n, sizeof(char *), cmp_str);
            qsort(d->need, (size_t)need.n, sizeof(char *), cmp_str);
            for (int i = 0; i < set.n; i++)
                for (int j = 0; j < set.n; j++)
                    if (d->setting[j] == set.s[i]) smap[i] = j;
            for (int i = 0; i < need.n; i++)
                for (int j = 0; j < need.n; j++)
                    if (d->need[j] == need.s[i]) nmap[i] = j;
            for (size_t r = 0; r < d->nrow; r++)
                for (int side = 0; side < 2; side++)
                    if (pair[r * 4 + side * 2] >= 0)
                        seen[smap[pair[r * 4 + side * 2]] * need.n + nmap[pair[r * 4 + side * 2 + 1]]] = 1;
            for (int i = 0; i < set.n * need.n; i++) {
                pmap[i] = -1;
                if (!seen[i]) continue;
                int s = i / need.n, n = i % need.n;
                size_t len = strlen(d->setting[s]) + strlen(d->need[n]) + 2;
                d->pl_id[d->nplace] = malloc(len);
                if (!d->pl_id[d->nplace]) {
                    rc = err_set(h, HNB_E_NOMEM, "out of memory");
                    break;
                }
                snprintf(d->pl_id[d->nplace], len, "%s-%s", d->setting[s], d->need[n]);
                d->pl_setting[d->nplace] = s;
                d->pl_need[d->nplace] = n;
                pmap[i] = d->nplace++;
            }
            for (size_t r = 0; !rc && r < d->nrow; r++) {
                int *pr = &pair[r * 4];
                d->row[r].from = pr[0] < 0 ? -1 : pmap[smap[pr[0]] * need.n + nmap[pr[1]]];
                d->row[r].to = pr[2] < 0 ? -1 : pmap[smap[pr[2]] * need.n + nmap[pr[3]]];
            }
        }
        free(smap);
        free(nmap);
        free(seen);
        free(pmap);
        free(set.s);
        free(need.s);
        set.n = need.n = 0;
    }
    for (int i = 0; i < set.n; i++) free(set.s[i]);
    for (int i = 0; i < need.n; i++) free(need.s[i]);
    if (set.n) free(set.s);
    if (need.n) free(need.s);
    free(pair);
    d->nages = maxage + 1 > 26 ? maxage + 1 : 26;
    return rc;
}

/* ---- population and costs ------------------------------------------------- */

static const char *const PCOLS[] = {"calendar-year", "academic-year", "population", NULL};
static const char *const CCOLS[] = {"need", "setting", "cost", NULL};

static int read_population(hnb_model *h, const char *path, hist_data *d)
{
    int col[3];
    csvfile c;
    int rc = open_csv(h, path, PCOLS, col, &c);
    csvline l;
    int y0 = 1 << 30, y1 = -(1 << 30);
    /* two passes: the years, then the figures */
    char *copy = rc ? NULL : strdup(c.p ? c.p : "");
    if (!rc && !copy) rc = err_set(h, HNB_E_NOMEM, "out of memory");
    size_t bad = 0;
    int line0 = c.line;
    while (!rc && next_line(&c, &l)) {
        int y;
        if (parse_int(field(&l, col[0]), 1990, 2200, &y)) {
            if (y < y0) y0 = y;
            if (y > y1) y1 = y;
        }
    }
    if (!rc && y1 < y0)
        rc = err_set(h, HNB_E_MISSING, "%s: no rows (expected calendar-year, academic-year, population)", path);
    if (!rc) {
        d->py0 = y0;
        d->py1 = y1;
        size_t n = (size_t)(y1 - y0 + 1) * (size_t)d->nages;
        d->pop = malloc(n * sizeof *d->pop);
        if (!d->pop) rc = err_set(h, HNB_E_NOMEM, "out of memory");
        for (size_t i = 0; !rc && i < n; i++) d->pop[i] = NAN;
        c.p = copy;
        c.line = line0;
    }
    while (!rc && next_line(&c, &l)) {
        int y, ay;
        double x;
        if (!parse_int(field(&l, col[0]), 1990, 2200, &y)) {
            err_add(h, HNB_E_RANGE, "%s:%d: calendar-year: found \"%s\" (expected a year such as 2021)", path, c.line,
                    field(&l, col[0]));
            bad++;
            continue;
        }
        if (!parse_int(field(&l, col[1]), -10, 40, &ay)) {
            err_add(h, HNB_E_RANGE, "%s:%d: academic-year: found \"%s\" (expected a national curriculum year)", path,
                    c.line, field(&l, col[1]));
            bad++;
            continue;
        }
        if (!parse_num(field(&l, col[2]), 0, 1e9, &x)) {
            err_add(h, HNB_E_RANGE, "%s:%d: population: found \"%s\" (expected a number from 0 to 1e9)", path, c.line,
                    field(&l, col[2]));
            bad++;
            continue;
        }
        int a = ay + 4;
        if (a < 0 || a >= d->nages) continue; /* ages the model does not hold */
        double *cell = &d->pop[(size_t)(y - y0) * (size_t)d->nages + (size_t)a];
        if (!isnan(*cell)) {
            err_add(h, HNB_E_KEY, "%s:%d: calendar-year %d, academic-year %d given twice (expected one row each)", path,
                    c.line, y, ay);
            bad++;
            continue;
        }
        *cell = x;
    }
    free(copy);
    free(c.text);
    return rc ? rc : bad ? err_first(h) : HNB_OK;
}

static int read_costs(hnb_model *h, const char *path, hist_data *d)
{
    int col[3];
    csvfile c;
    int rc = open_csv(h, path, CCOLS, col, &c);
    d->cost = rc ? NULL : malloc(sizeof(double) * (size_t)(d->nplace + 1));
    if (!rc && !d->cost) rc = err_set(h, HNB_E_NOMEM, "out of memory");
    for (int p = 0; !rc && p < d->nplace; p++) d->cost[p] = NAN;
    csvline l;
    size_t bad = 0;
    while (!rc && next_line(&c, &l)) {
        double x;
        if (!parse_num(field(&l, col[2]), 0, 1e7, &x)) {
            err_add(h, HNB_E_RANGE, "%s:%d: cost: found \"%s\" (expected £ per child per year, 0 to 1e7)", path, c.line,
                    field(&l, col[2]));
            bad++;
            continue;
        }
        for (int p = 0; p < d->nplace; p++)
            if (strcmp(d->setting[d->pl_setting[p]], field(&l, col[1])) == 0 &&
                strcmp(d->need[d->pl_need[p]], field(&l, col[0])) == 0) {
                if (!isnan(d->cost[p])) {
                    err_add(h, HNB_E_KEY, "%s:%d: need %s, setting %s given twice (expected one row each)", path,
                            c.line, field(&l, col[0]), field(&l, col[1]));
                    bad++;
                }
                d->cost[p] = x;
            }
    }
    free(c.text);
    return rc ? rc : bad ? err_first(h) : HNB_OK;
}

int hist_read(hnb_model *h, const char *history, const char *pop_path, const char *cost_path, hist_data *d)
{
    memset(d, 0, sizeof *d);
    err_clear(h);
    d->history = strdup(history);
    d->population = pop_path ? strdup(pop_path) : NULL;
    d->costs = cost_path ? strdup(cost_path) : NULL;
    int rc = read_history(h, history, d);
    if (!rc && pop_path) rc = read_population(h, pop_path, d);
    if (!rc && cost_path) rc = read_costs(h, cost_path, d);
    return rc;
}

void hist_data_free(hist_data *d)
{
    for (int i = 0; i < d->nsetting; i++) free(d->setting[i]);
    for (int i = 0; i < d->nneed; i++) free(d->need[i]);
    for (int p = 0; p < d->nplace; p++) free(d->pl_id[p]);
    free(d->setting);
    free(d->need);
    free(d->pl_id);
    free(d->pl_setting);
    free(d->pl_need);
    free(d->row);
    free(d->pop);
    free(d->cost);
    free(d->history);
    free(d->population);
    free(d->costs);
    memset(d, 0, sizeof *d);
}
