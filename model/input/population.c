/* population.c: the population by single year of age behind the incidence
 * driver (joiners.population_by_age).
 *
 * Either a table in the scenario, {"table": {"2027": [people by age], ...}},
 * or a CSV file, {"file": "ons-snpp.csv"}, resolved relative to the scenario
 * file that names it and, like `extends`, kept to that file's folder tree
 * unless the load allows files outside it. The file has a header naming the
 * columns year, age and population (any order, other columns ignored) and a
 * row per year and age; ages above max_age are ignored (an ONS projection
 * runs to "90+", read as 90), and every year must give every age from 0 to max_age exactly
 * once. Each year becomes one parameter of nages people, by census year (the
 * census the joiners are counted at), so a Monte Carlo path or a sweep sees
 * it as any other list. A problem names the file, the line and the JSON path
 * of `file`; the file is read whole, at most LD_MAX_POP_BYTES. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "input/keys.h"
#include "input/sections.h"

#define LD_MAX_POP_BYTES (64L << 20)

static const parspec people = {"people by age 0-25 at the census", 0.0, 1e9, 0.0, 1, 0, 0, PLAUS_NONE};

static void add_year(joiners *j, int census, size_t par)
{
    j->popa_census[j->npopa] = census;
    j->popa_par[j->npopa++] = par;
}

static int read_table(loader *ld, scenario *s, const jv *tab)
{
    joiners *j = &s->join;
    if (!jv_want(ld, tab, cJSON_Object, "{\"2027\": [people by age], ...}: population by census year")) return 0;
    const char **keys = NULL;
    int n = jv_keys(tab, &keys);
    j->popa_census = calloc((size_t)(n > 0 ? n : 0) + 1, sizeof *j->popa_census);
    j->popa_par = calloc((size_t)(n > 0 ? n : 0) + 1, sizeof *j->popa_par);
    parspec sp = people;
    sp.n = s->nages;
    for (int i = 0; j->popa_census && j->popa_par && i < n; i++) {
        if (ld_note_key(ld, tab, keys[i])) continue;
        char *end;
        long y = strtol(keys[i], &end, 10);
        if (!*keys[i] || *end || y < 1990 || y > 2200) {
            jv one;
            jv_get(tab, keys[i], &one);
            ld_err(ld, HNB_E_KEY, &one, NULL, "a census year such as \"2027\"", "not a year");
            continue;
        }
        add_year(j, (int)y, par_read(ld, s, tab, keys[i], &sp));
    }
    free(keys);
    return 1;
}

/* The next comma-separated field of *p (spaces and quotes trimmed) into buf. */
static void field(const char **p, char *buf, size_t size)
{
    const char *q = *p;
    size_t n = 0;
    while (*q && *q != ',' && *q != '\n') {
        if (*q != '"' && *q != '\r' && n + 1 < size) buf[n++] = *q;
        q++;
    }
    buf[n] = '\0';
    while (n > 0 && isspace((unsigned char)buf[n - 1])) buf[--n] = '\0';
    size_t lead = 0;
    while (isspace((unsigned char)buf[lead])) lead++;
    memmove(buf, buf + lead, n - lead + 1);
    *p = *q == ',' ? q + 1 : q;
}

static int whole(const char *t, double lo, double hi, double *x)
{
    char *end;
    *x = strtod(t, &end);
    return *t && !*end && isfinite(*x) && *x >= lo && *x <= hi;
}

/* Read the CSV text into per-year lists; returns 0 with a problem reported. */
static int parse_csv(loader *ld, scenario *s, const jv *f, const char *name, const char *text)
{
    const int A = s->nages;
    int col[3] = {-1, -1, -1}; /* year, age, population */
    static const char *const want[3] = {"year", "age", "population"};
    const char *p = text;
    char buf[128];
    int ncol = 0;
    while (*p && *p != '\n') {
        field(&p, buf, sizeof buf);
        for (int c = 0; c < 3; c++)
            if (strcasecmp(buf, want[c]) == 0 && col[c] < 0) col[c] = ncol;
        ncol++;
    }
    for (int c = 0; c < 3; c++)
        if (col[c] < 0) {
            ld_err(ld, HNB_E_TYPE, f, NULL, "a header line naming the columns year, age and population",
                   "%s line 1: no column \"%s\"", name, want[c]);
            return 0;
        }
    /* years as they come: at most one list per year, grown */
    int *years = NULL;
    double *pop = NULL; /* [year][age], NAN = not given yet */
    size_t ny = 0;
    int ok = 1;
    for (int line = 2; *p && ok; line++) {
        if (*p == '\n') p++;
        if (!*p) break;
        if (*p == '\r' && p[1] == '\n') p++;
        if (*p == '\n') continue; /* an empty line */
        double v[3] = {0, 0, 0};
        int got = 0;
        for (int c = 0; *p && *p != '\n'; c++) {
            field(&p, buf, sizeof buf);
            for (int k = 0; k < 3; k++)
                if (c == col[k]) {
                    static const double lo[3] = {1990, 0, 0}, hi[3] = {2200, 1000, 1e9};
                    static const char *const what[3] = {"a census year from 1990 to 2200", "a whole age from 0",
                                                        "people from 0 to 1e9"};
                    size_t len = strlen(buf);
                    if (k == 1 && len > 1 && buf[len - 1] == '+') buf[len - 1] = '\0'; /* "90+": an open age band */
                    if (!whole(buf, lo[k], hi[k], &v[k]) || (k < 2 && v[k] != floor(v[k]))) {
                        ld_err(ld, HNB_E_RANGE, f, NULL, what[k], "%s line %d: %s \"%s\"", name, line, want[k], buf);
                        ok = 0;
                    }
                    got |= 1 << k;
                }
        }
        if (!ok) break;
        if (got != 7) {
            ld_err(ld, HNB_E_TYPE, f, NULL, "a value in each of the columns year, age and population",
                   "%s line %d: too few columns", name, line);
            ok = 0;
            break;
        }
        int age = (int)v[1];
        if (age >= A) continue; /* older than the model's ages */
        size_t y = 0;
        while (y < ny && years[y] != (int)v[0]) y++;
        if (y == ny) {
            int *gy = realloc(years, (ny + 1) * sizeof *years);
            if (gy) years = gy;
            double *gp = realloc(pop, (ny + 1) * (size_t)A * sizeof *pop);
            if (gp) pop = gp;
            if (!gy || !gp) {
                ok = 0;
                break;
            }
            years[ny] = (int)v[0];
            for (int a = 0; a < A; a++) pop[ny * (size_t)A + (size_t)a] = NAN;
            ny++;
        }
        double *x = &pop[y * (size_t)A + (size_t)age];
        if (!isnan(*x)) {
            ld_err(ld, HNB_E_RANGE, f, NULL, "one row per year and age", "%s line %d: year %d age %d given twice", name,
                   line, years[y], age);
            ok = 0;
            break;
        }
        *x = v[2];
    }
    for (size_t y = 0; ok && y < ny; y++)
        for (int a = 0; a < A; a++)
            if (isnan(pop[y * (size_t)A + (size_t)a])) {
                char exp[64];
                snprintf(exp, sizeof exp, "every age from 0 to %d in every year", A - 1);
                ld_err(ld, HNB_E_RANGE, f, NULL, exp, "%s: year %d has no row for age %d", name, years[y], a);
                ok = 0;
                break;
            }
    if (ok && ny == 0) {
        ld_err(ld, HNB_E_MISSING, f, NULL, "rows of year, age and population", "%s: no rows", name);
        ok = 0;
    }
    joiners *j = &s->join;
    if (ok) {
        j->popa_census = calloc(ny + 1, sizeof *j->popa_census);
        j->popa_par = calloc(ny + 1, sizeof *j->popa_par);
    }
    for (size_t y = 0; ok && j->popa_census && j->popa_par && y < ny; y++) {
        char path[JV_PATH + 16];
        snprintf(path, sizeof path, "%s.%d", f->path[0], years[y]);
        size_t i = par_const(s, path, "people by age 0-25 at the census", A, pop + y * (size_t)A);
        if (i == NOPAR) break; /* out of memory: the load fails (ld_nomem) */
        free(s->par[i].source);
        s->par[i].source = ld_strdup(f->source && *f->source ? f->source : name);
        s->par[i].from_file = 1;
        s->par[i].lo = 0;
        s->par[i].hi = 1e9;
        add_year(j, years[y], i);
    }
    free(years);
    free(pop);
    return ok;
}

static void read_file(loader *ld, scenario *s, const jv *f)
{
    const char *fname = cJSON_IsString(jv_top(f)) ? jv_top(f)->valuestring : NULL;
    if (!fname || !*fname) {
        jv_want(ld, f, cJSON_String, "the name of a CSV file of year, age, population");
        return;
    }
    /* relative to the scenario file whose layer names it */
    const char *from = f->file[0] ? f->file[0] : "";
    const char *slash = strrchr(from, '/');
    size_t nd = fname[0] == '/' || !slash ? 0 : (size_t)(slash - from + 1);
    char *path = malloc(nd + strlen(fname) + 1);
    if (!path) return;
    memcpy(path, from, nd);
    strcpy(path + nd, fname);
    int where = ld_inside_tree(ld, path);
    FILE *in = where < 0 ? NULL : fopen(path, "rb");
    if (where > 0) {
        ld_err(ld, HNB_E_REF, f, NULL, "a file in the scenario's folder or below it, or --allow-outside to accept it",
               "population file \"%s\" is outside the folder of %s", fname, ld->root ? ld->root : from);
    } else if (!in) {
        ld_err(ld, HNB_E_REF, f, NULL, "an existing CSV file of year, age, population",
               "population file \"%s\" not found", path);
    } else {
        char *text = NULL;
        long n = fseek(in, 0, SEEK_END) == 0 ? ftell(in) : -1;
        if (n < 0 || n > LD_MAX_POP_BYTES) {
            ld_err(ld, HNB_E_RANGE, f, NULL, "a CSV file of at most 64 MB", "%s: too large or unreadable", path);
        } else if (fseek(in, 0, SEEK_SET) == 0 && (text = malloc((size_t)n + 1)) != NULL) {
            size_t got = fread(text, 1, (size_t)n, in);
            text[got] = '\0';
            if (strlen(text) != got)
                ld_err(ld, HNB_E_TYPE, f, NULL, "a text CSV file", "%s: a NUL byte in the file", path);
            else
                parse_csv(ld, s, f, path, text);
        }
        free(text);
    }
    if (in) fclose(in);
    free(path);
}

void ld_read_population(loader *ld, scenario *s, const jv *jn)
{
    jv pv;
    if (!jv_get(jn, "population_by_age", &pv)) {
        ld_err(ld, HNB_E_MISSING, jn, "population_by_age",
               "{\"file\": \"population.csv\"} or {\"table\": {\"2027\": [people by age], ...}}",
               "missing required key");
        return;
    }
    if (!jv_want(ld, &pv, cJSON_Object, "{\"file\": \"population.csv\"} or {\"table\": {...}}")) return;
    jv_check_keys(ld, &pv, ld_keys(KEYS_POPULATION));
    jv f, tab;
    int has_file = jv_get(&pv, "file", &f), has_table = jv_get(&pv, "table", &tab);
    if (has_file == has_table) {
        ld_err(ld, HNB_E_MISSING, &pv, NULL, "one of file (a CSV file) and table (population by census year)",
               has_file ? "both a file and a table" : "neither a file nor a table");
        return;
    }
    if (has_table)
        read_table(ld, s, &tab);
    else
        read_file(ld, s, &f);
    if (s->join.npopa == 0 && has_table)
        ld_err(ld, HNB_E_MISSING, &tab, NULL, "at least one census year", "no population given");
}
