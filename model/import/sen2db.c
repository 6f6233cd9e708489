/* sen2db.c: reading the vendored SEN2 tables (sen2db.h).
 *
 * The file is one gzipped CSV, one row per authority, kind, year and
 * placement, with the counts by age in 26 columns; `scripts/sen2-extract
 * tables` writes it from the vendored data/sen2 files, so the placement mapping, the
 * checks and the repairs of docs/sen2-mapping.md are made once, in one
 * place. This reader trusts the layout of the columns and refuses a file
 * whose header is not the one it knows. */
#define _GNU_SOURCE /* dladdr: where the library itself was loaded from */
#include "import/sen2db.h"

#include <ctype.h>
#include <dlfcn.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>
#include <zlib.h>

#include "core/error.h"
#include "core/model.h"

#ifndef HNB_SEN2_DIR
#define HNB_SEN2_DIR "data/sen2"
#endif
#ifndef HNB_LIB_TO_SEN2 /* from the installed library's folder (cmake/install.cmake) */
#define HNB_LIB_TO_SEN2 "../share/hnbsim/data/sen2"
#endif

const char *const s2_placements[S2_NPL] = {"mainstream", "base", "special",     "nmi",
                                           "post16",     "ap",   "early_years", "other"};

static const char header[] = "la,code,old_code,region,kind,year,placement,total,a0,";
#define NCOL (8 + S2_NAGES)

/* dir if it holds the tables, else NULL. */
static const char *probe_dir(const char *dir)
{
    char probe[PATH_MAX + 128];
    snprintf(probe, sizeof probe, "%s/hnbsim_tables.csv.gz", dir);
    return access(probe, R_OK) == 0 ? dir : NULL;
}

/* The folder of the vendored tables: the one given, $HNB_SEN2_DATA, beside
 * the installed shared library (LIBDIR/../share/hnbsim/data/sen2, for a
 * program that loads libhnbsim.so: Python, a C program), beside the
 * installed program (PREFIX/bin/hnbsim -> PREFIX/share/hnbsim/data/sen2), or
 * the source tree the program was built from. */
const char *sen2_dir(const char *dir)
{
    if (dir && *dir) return dir;
    const char *e = getenv("HNB_SEN2_DATA");
    if (e && *e) return e;
    static _Thread_local char installed[PATH_MAX + 64]; /* one per thread: no shared state */
    char exe[PATH_MAX], lib[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    Dl_info info;
    if (dladdr((void *)(size_t)sen2_dir, &info) && info.dli_fname && realpath(info.dli_fname, lib) &&
        strcmp(lib, exe) != 0) {
        char *slash = strrchr(lib, '/'); /* LIBDIR/libhnbsim.so.0 -> LIBDIR */
        if (slash) *slash = '\0';
        char rel[PATH_MAX + 64];
        snprintf(rel, sizeof rel, "%s/%s", lib, HNB_LIB_TO_SEN2);
        if (probe_dir(rel) && realpath(rel, installed)) return installed; /* LIBDIR/../share -> PREFIX/share */
    }
    if (n > 0) {
        char *slash = strrchr(exe, '/'); /* PREFIX/bin/hnbsim -> PREFIX/bin */
        if (slash) *slash = '\0';
        slash = strrchr(exe, '/'); /* -> PREFIX */
        if (slash) *slash = '\0';
        snprintf(installed, sizeof installed, "%s/share/hnbsim/data/sen2", exe);
        if (probe_dir(installed)) return installed;
    }
    return HNB_SEN2_DIR;
}

/* Split one CSV line (quotes allowed) into at most NCOL fields, in place. */
static int split(char *line, char **f)
{
    int n = 0;
    char *p = line;
    while (n < NCOL) {
        if (*p == '"') {
            char *w = ++p;
            f[n++] = w;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"') p++;
                *w++ = *p++;
            }
            if (*p == '"') p++;
            *w = '\0';
            if (*p == ',') {
                p++;
                continue;
            }
            break;
        }
        f[n++] = p;
        while (*p && *p != ',' && *p != '\n' && *p != '\r') p++;
        if (*p != ',') {
            *p = '\0';
            break;
        }
        *p++ = '\0';
    }
    return n;
}

static void la_init(s2_la *a)
{
    memset(a, 0, sizeof *a);
    for (int y = 0; y < S2_NY; y++) a->census[y] = a->newp[y] = a->ceased[y] = a->requests[y] = NAN;
}

static int placement_of(const char *s)
{
    for (int p = 0; p < S2_NPL; p++)
        if (strcmp(s, s2_placements[p]) == 0) return p;
    return -1;
}

static int band_of(const char *s)
{
    static const char *const b[] = {"0-4", "5-10", "11-15", "16-19", "20-25", "all"};
    for (int i = 0; i <= S2_NBAND; i++)
        if (strcmp(s, b[i]) == 0) return i;
    return -1;
}

static void put_row(s2_la *a, char **f)
{
    const char *kind = f[4], *pl = f[6];
    int y = atoi(f[5]) - S2_Y0;
    if (y < 0 || y >= S2_NY) return;
    double total = *f[7] ? atof(f[7]) : NAN;
    double ages[S2_NAGES];
    for (int k = 0; k < S2_NAGES; k++) ages[k] = atof(f[8 + k]);
    int p = placement_of(pl), all = strcmp(pl, "all") == 0;
    if (strcmp(kind, "census") == 0) {
        if (all)
            a->census[y] = total;
        else if (p >= 0)
            a->cpl[y][p] = total;
        else if (strcmp(pl, "unallocated") == 0)
            a->cunalloc[y] = total;
    } else if (strcmp(kind, "census_age") == 0) {
        a->has_cage[y] = 1;
        memcpy(all ? a->cage_all[y] : a->cage[y][p < 0 ? 0 : p], ages, sizeof ages);
    } else if (strcmp(kind, "new") == 0) {
        if (all)
            a->newp[y] = total;
        else if (p >= 0)
            a->newpl[y][p] = total;
    } else if (strcmp(kind, "new_age") == 0) {
        if (all) {
            a->has_new_age[y] = 1;
            memcpy(a->new_age[y], ages, sizeof ages);
        }
    } else if (strcmp(kind, "ceased") == 0) {
        if (all) a->ceased[y] = total;
    } else if (strcmp(kind, "ceased_age") == 0) {
        if (all) {
            a->has_ceased_age[y] = 1;
            memcpy(a->ceased_age[y], ages, sizeof ages);
        } else {
            a->ceased_unknown[y] = total;
        }
    } else if (strcmp(kind, "requests") == 0) {
        a->requests[y] = total;
    } else if (strcmp(kind, "band2022") == 0) {
        int b = band_of(pl);
        if (b >= 0 && total == total) {
            a->band[y][b] = total;
            if (b == S2_NBAND) a->has_band[y] = 1;
        }
    }
}

int sen2_load(hnb_model *h, const char *dir, sen2db *db)
{
    memset(db, 0, sizeof *db);
    dir = sen2_dir(dir);
    size_t len = strlen(dir) + 32;
    db->path = malloc(len);
    if (!db->path) return err_set(h, HNB_E_NOMEM, "out of memory");
    snprintf(db->path, len, "%s/hnbsim_tables.csv.gz", dir);
    gzFile g = gzopen(db->path, "rb");
    if (!g)
        return err_set(h, HNB_E_OPEN,
                       "%s: cannot open the SEN2 tables (expected data/sen2/hnbsim_tables.csv.gz; give --data DIR "
                       "or set HNB_SEN2_DATA)",
                       db->path);
    char line[4096];
    char *f[NCOL];
    int rc = HNB_OK;
    size_t cap = 0;
    if (!gzgets(g, line, sizeof line) || strncmp(line, header, sizeof header - 1) != 0)
        rc = err_set(h, HNB_E_INVALID, "%s: line 1: not the hnbsim SEN2 table header (expected \"%s...\")", db->path,
                     header);
    for (long ln = 2; !rc && gzgets(g, line, sizeof line); ln++) {
        if (split(line, f) != NCOL) {
            rc = err_set(h, HNB_E_INVALID, "%s: line %ld: %d columns expected", db->path, ln, NCOL);
            break;
        }
        s2_la *a = db->n ? &db->la[db->n - 1] : NULL;
        if (!a || strcmp(a->name, f[0]) != 0) {
            a = NULL;
            for (size_t i = 0; i < db->n; i++)
                if (strcmp(db->la[i].name, f[0]) == 0) a = &db->la[i];
        }
        if (!a) {
            if (db->n == cap) {
                cap = cap ? 2 * cap : 256;
                s2_la *t = realloc(db->la, cap * sizeof *t);
                if (!t) {
                    rc = err_set(h, HNB_E_NOMEM, "out of memory");
                    break;
                }
                db->la = t;
            }
            a = &db->la[db->n++];
            la_init(a);
            snprintf(a->name, sizeof a->name, "%s", f[0]);
        }
        if (*f[1] && strcmp(f[4], "band2022") != 0) {
            snprintf(a->code, sizeof a->code, "%s", f[1]);
            snprintf(a->old_code, sizeof a->old_code, "%s", f[2]);
            snprintf(a->region, sizeof a->region, "%s", f[3]);
        }
        put_row(a, f);
    }
    gzclose(g);
    if (!rc && (!db->n || strcmp(db->la[0].name, "England") != 0))
        rc = err_set(h, HNB_E_INVALID, "%s: the first rows are not England's (expected the national rows first)",
                     db->path);
    if (rc) sen2_free(db);
    return rc;
}

void sen2_free(sen2db *db)
{
    free(db->la);
    free(db->path);
    memset(db, 0, sizeof *db);
}

const s2_la *sen2_by_name(const sen2db *db, const char *name)
{
    for (size_t i = 0; i < db->n; i++)
        if (strcasecmp(db->la[i].name, name) == 0) return &db->la[i];
    return NULL;
}

static int contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0) return 1;
    return 0;
}

/* Levenshtein distance on lower-cased text, for "did you mean". */
static size_t distance(const char *a, const char *b)
{
    size_t n = strlen(b), row[128];
    if (n >= 127) n = 127;
    for (size_t j = 0; j <= n; j++) row[j] = j;
    for (size_t i = 1; a[i - 1]; i++) {
        size_t prev = row[0]++;
        for (size_t j = 1; j <= n; j++) {
            size_t cur = row[j];
            size_t sub = prev + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            size_t best = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 : row[j - 1] + 1;
            row[j] = sub < best ? sub : best;
            prev = cur;
        }
    }
    return row[n];
}

const s2_la *sen2_find(hnb_model *h, const sen2db *db, const char *key)
{
    for (size_t i = 1; i < db->n; i++) {
        const s2_la *a = &db->la[i];
        if (strcasecmp(a->name, key) == 0 || strcasecmp(a->code, key) == 0 || strcasecmp(a->old_code, key) == 0)
            return a;
    }
    /* the five nearest names, and any name that contains the key */
    size_t best[5] = {0}, bd[5];
    int nb = 0;
    for (size_t i = 1; i < db->n; i++) {
        size_t d = distance(key, db->la[i].name);
        if (contains(db->la[i].name, key)) d = 0;
        int k;
        if (nb < 5)
            k = nb++;
        else if (d < bd[4])
            k = 4;
        else
            continue;
        bd[k] = d;
        best[k] = i;
        for (; k > 0 && bd[k] < bd[k - 1]; k--) {
            size_t t = bd[k];
            bd[k] = bd[k - 1];
            bd[k - 1] = t;
            t = best[k];
            best[k] = best[k - 1];
            best[k - 1] = t;
        }
    }
    char list[512] = "";
    for (int k = 0; k < nb; k++) {
        size_t l = strlen(list);
        snprintf(list + l, sizeof list - l, "%s\"%s\"", k ? ", " : "", db->la[best[k]].name);
    }
    err_set(h, HNB_E_REF,
            "--la: no local authority \"%s\" in %s; did you mean %s? (expected an authority's name, ONS code such as "
            "E09000029 or old code such as 319)",
            key, db->path, list);
    return NULL;
}

size_t sen2_authorities_at(const sen2db *db, int y, const s2_la **out)
{
    size_t n = 0;
    for (size_t i = 1; i < db->n; i++)
        if (s2_has_census(&db->la[i], y)) out[n++] = &db->la[i];
    return n;
}

static const char *const cumbria[] = {"Cumberland", "Westmorland and Furness", NULL};
static const char *const northants[] = {"North Northamptonshire", "West Northamptonshire", NULL};

const char *const *sen2_successors(const char *name)
{
    if (strcmp(name, "Cumbria") == 0) return cumbria;
    if (strcmp(name, "Northamptonshire") == 0) return northants;
    return NULL;
}

double sen2_total_or_successors(const sen2db *db, const s2_la *a, int y)
{
    if (y < S2_Y0 || y >= S2_Y0 + S2_NY) return NAN;
    if (s2_has_census(a, y)) return s2_total(a, y);
    const char *const *succ = sen2_successors(a->name);
    if (!succ) return NAN;
    double s = 0.0;
    for (; *succ; succ++) {
        const s2_la *b = sen2_by_name(db, *succ);
        if (!b || !s2_has_census(b, y)) return NAN;
        s += s2_total(b, y);
    }
    return s;
}
