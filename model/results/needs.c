/* needs.c: EHCPs by need group and by setting in the results, and the full
 * grid of age x need x placement as CSV (results.h; docs/results-format.md,
 * "EHCPs by need and setting" and "The full grid").
 *
 * The engine's state is children by [age][need][placement]; the results
 * list placements and age bands. Two kinds of model want more:
 *   - need groups as a real dimension (`needs` with two or more groups):
 *     EHCPs by need group, by need and placement, by need and age band;
 *   - need x setting spelt out as placements (what `hnbsim estimate`
 *     writes, or a 114-placement council), whose placements name their
 *     `setting` and `need` (input/placegroups.c): EHCPs by need and by
 *     setting, summed over the placements that name each.
 * The section is added only when there is something to group by, so a
 * scenario with one need group and no placement labels has the results it
 * always had, byte for byte. It reads the projection's per-year grid
 * (projection.grid, which the run allocates for its deterministic
 * projections) and the starting stocks; Monte Carlo does not keep it.
 *
 * Invariants: every grouping sums to the year's EHCP total (each child is in
 * exactly one need group, each placement in exactly one setting and need);
 * groups are listed in the order of `needs`, or of the placements that first
 * name them. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fileout.h"
#include "results/results.h"

static const int band_hi[NBANDS] = {4, 10, 15, 19, 1000};
static const char *const band_name[NBANDS] = {"0-4", "5-10", "11-15", "16-19", "20-25"};

/* A grouping: ng groups with ids; of[p] (by placement) or of[n] (by need group). */
typedef struct grouping {
    int ng, by_need_group; /* 1: a child's need group; 0: the placement's label */
    const char **id;       /* [ng] */
    int *of;               /* [nplace] or [nneeds] */
} grouping;

static void grouping_free(grouping *g)
{
    free(g->id);
    free(g->of);
    memset(g, 0, sizeof *g);
}

/* Distinct labels of the placements (setting: which = 0, need: 1). */
static int from_labels(const scenario *s, int which, grouping *g)
{
    memset(g, 0, sizeof *g);
    if (!s->nplace || !(which ? s->place[0].need : s->place[0].setting)) return 0;
    g->id = calloc((size_t)s->nplace, sizeof *g->id);
    g->of = calloc((size_t)s->nplace, sizeof *g->of);
    if (!g->id || !g->of) {
        grouping_free(g);
        return 0;
    }
    for (int p = 0; p < s->nplace; p++) {
        const char *t = which ? s->place[p].need : s->place[p].setting;
        int k = 0;
        while (k < g->ng && strcmp(g->id[k], t) != 0) k++;
        if (k == g->ng) g->id[g->ng++] = t;
        g->of[p] = k;
    }
    return 1;
}

static int from_need_groups(const scenario *s, grouping *g)
{
    memset(g, 0, sizeof *g);
    if (s->nneeds < 2) return 0;
    g->id = calloc((size_t)s->nneeds, sizeof *g->id);
    g->of = calloc((size_t)s->nneeds, sizeof *g->of);
    if (!g->id || !g->of) {
        grouping_free(g);
        return 0;
    }
    g->by_need_group = 1;
    g->ng = s->nneeds;
    for (int n = 0; n < s->nneeds; n++) {
        g->id[n] = s->needs[n].id;
        g->of[n] = n;
    }
    return 1;
}

/* One census x [cells] into tot[ng], by_place[ng][nplace], by_band[ng][NBANDS]. */
static void tally(const scenario *s, const grouping *g, const double *x, double *tot, double *by_place, double *by_band)
{
    int P = s->nplace;
    memset(tot, 0, sizeof *tot * (size_t)g->ng);
    memset(by_place, 0, sizeof *by_place * (size_t)g->ng * (size_t)P);
    memset(by_band, 0, sizeof *by_band * (size_t)g->ng * NBANDS);
    int band = 0;
    for (int a = 0; a < s->nages; a++) {
        while (a > band_hi[band]) band++;
        for (int n = 0; n < s->nneeds; n++)
            for (int p = 0; p < P; p++) {
                double v = x[cell(s, a, n, p)];
                int k = g->by_need_group ? g->of[n] : g->of[p];
                tot[k] += v;
                by_place[(size_t)k * (size_t)P + (size_t)p] += v;
                by_band[(size_t)k * NBANDS + (size_t)band] += v;
            }
    }
}

static void add_list(cJSON *sc, const char *key, const grouping *g, const scenario *s)
{
    cJSON *l = cJSON_AddArrayToObject(sc, key);
    for (int k = 0; k < g->ng; k++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "id", g->id[k]);
        cJSON_AddStringToObject(e, "label", g->by_need_group ? s->needs[k].label : g->id[k]);
        cJSON_AddItemToArray(l, e);
    }
}

/* Into the ehcps object of one census: by_<what> and, for need groups, by
 * need and placement and by need and age band. */
static void add_census(cJSON *eh, const char *what, const scenario *s, const grouping *g, const double *x, double *buf)
{
    int P = s->nplace;
    double *tot = buf, *bp = tot + g->ng, *bb = bp + (size_t)g->ng * (size_t)P;
    tally(s, g, x, tot, bp, bb);
    char key[64];
    snprintf(key, sizeof key, "by_%s", what);
    cJSON *o = cJSON_AddObjectToObject(eh, key);
    for (int k = 0; k < g->ng; k++) cJSON_AddNumberToObject(o, g->id[k], tot[k]);
    if (!g->by_need_group) return;
    cJSON *np = cJSON_AddObjectToObject(eh, "by_need_placement");
    cJSON *na = cJSON_AddObjectToObject(eh, "by_need_age_band");
    for (int k = 0; k < g->ng; k++) {
        cJSON *one = cJSON_AddObjectToObject(np, g->id[k]);
        for (int p = 0; p < P; p++) cJSON_AddNumberToObject(one, s->place[p].id, bp[(size_t)k * (size_t)P + (size_t)p]);
        cJSON *ab = cJSON_AddObjectToObject(na, g->id[k]);
        for (int b = 0; b < NBANDS; b++) cJSON_AddNumberToObject(ab, band_name[b], bb[(size_t)k * NBANDS + (size_t)b]);
    }
}

static void add_grouping(cJSON *sc, const scenario *s, const projection *p, const grouping *g, const char *list,
                         const char *what)
{
    double *buf = calloc((size_t)g->ng * ((size_t)s->nplace + NBANDS + 1) + 1, sizeof *buf);
    if (!buf) return;
    add_list(sc, list, g, s);
    cJSON *st = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(sc, "start"), "ehcps");
    if (st) add_census(st, what, s, g, p->stock0, buf);
    size_t cells = (size_t)s->nages * (size_t)s->nneeds * (size_t)s->nplace;
    int k = 0;
    const cJSON *y;
    cJSON_ArrayForEach(y, cJSON_GetObjectItemCaseSensitive(sc, "years"))
    {
        cJSON *eh = cJSON_GetObjectItemCaseSensitive(y, "ehcps");
        if (eh && k < p->ny) add_census(eh, what, s, g, p->grid + (size_t)k * cells, buf);
        k++;
    }
    free(buf);
}

void results_add_needs(cJSON *sc, const scenario *s, const projection *p)
{
    if (!p->grid) return;
    grouping g;
    if (from_need_groups(s, &g) || from_labels(s, 1, &g)) {
        add_grouping(sc, s, p, &g, "need_groups", "need");
        grouping_free(&g);
    }
    if (from_labels(s, 0, &g)) {
        add_grouping(sc, s, p, &g, "settings", "setting");
        grouping_free(&g);
    }
}

/* A CSV field, quoted if it holds a comma, a quote or a line break. */
static void field(FILE *f, const char *t)
{
    if (!strpbrk(t, ",\"\r\n")) {
        fputs(t, f);
        return;
    }
    fputc('"', f);
    for (; *t; t++) {
        if (*t == '"') fputc('"', f);
        fputc(*t, f);
    }
    fputc('"', f);
}

int results_write_grid(hnb_model *h, const char *path, scenario *const *scen, const projection *proj, size_t n)
{
    fileout f = {0};
    int rc = fileout_open(h, &f, path);
    if (rc) return rc;
    fputs("scenario,census,age,need,placement,setting,placement_need,ehcps\n", f.fp);
    for (size_t i = 0; i < n; i++) {
        const scenario *s = scen[i];
        const projection *p = &proj[i];
        size_t cells = (size_t)s->nages * (size_t)s->nneeds * (size_t)s->nplace;
        for (int k = -1; k < p->ny; k++) {
            const double *x = k < 0 ? p->stock0 : p->grid ? p->grid + (size_t)k * cells : NULL;
            if (!x) break;
            for (int a = 0; a < s->nages; a++)
                for (int g = 0; g < s->nneeds; g++)
                    for (int q = 0; q < s->nplace; q++) {
                        field(f.fp, s->name);
                        fprintf(f.fp, ",%d,%d,", s->census0 + k + 1, a);
                        field(f.fp, s->needs[g].id);
                        fputc(',', f.fp);
                        field(f.fp, s->place[q].id);
                        fputc(',', f.fp);
                        field(f.fp, s->place[q].setting ? s->place[q].setting : "");
                        fputc(',', f.fp);
                        field(f.fp, s->place[q].need ? s->place[q].need : "");
                        fprintf(f.fp, ",%.17g\n", x[cell(s, a, g, q)]);
                    }
        }
    }
    if (ferror(f.fp)) {
        fileout_abort(&f);
        return err_set(h, HNB_E_WRITE, "%s: write failed (expected room on the disk)", path);
    }
    return fileout_commit(h, &f);
}
