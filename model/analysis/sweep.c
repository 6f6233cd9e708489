/* sweep.c: what every sweep shares (sweep.h): the figures of a projection,
 * the human labels of assumptions, running a list of cases, the serial map
 * and its progress line.
 *
 * A case sets a few scalar assumptions in a private copy of the scenario's
 * values, projects, reads the figures, and puts the values back, so a case
 * depends on its own settings only: cases may run in any order, in any
 * process, and give the same bits. Labels come from the scenario's own names
 * (placement and line labels, action names) and the parameter's unit, never
 * from its JSON path alone, so a chart reads as a finance officer would say
 * it; a sweep file may give its own label instead. */
#define _POSIX_C_SOURCE 200809L
#include "analysis/sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/dates.h"
#include "core/error.h"
#include "engine/headline.h"

int sweep_eval_open(sweep_eval *e, const scenario *s, const sweep_figure *fig, size_t nfig)
{
    memset(e, 0, sizeof *e);
    e->s = s;
    e->fig = fig;
    e->nfig = nfig;
    e->val = malloc(s->nval * sizeof *e->val + 1);
    e->ivs = calloc(s->niv + 1, sizeof *e->ivs);
    if (!e->val || !e->ivs || workspace_alloc(s, &e->w)) {
        free(e->val);
        free(e->ivs);
        memset(e, 0, sizeof *e);
        return HNB_E_NOMEM;
    }
    if (projection_alloc(s, &e->p)) {
        workspace_free(&e->w);
        free(e->val);
        free(e->ivs);
        memset(e, 0, sizeof *e);
        return HNB_E_NOMEM;
    }
    memcpy(e->val, s->val, s->nval * sizeof *e->val);
    ivstate_default(s, e->ivs);
    return HNB_OK;
}

void sweep_eval_close(sweep_eval *e)
{
    if (!e->s) return;
    workspace_free(&e->w);
    projection_free(&e->p);
    free(e->val);
    free(e->ivs);
    memset(e, 0, sizeof *e);
}

void sweep_figures(const scenario *s, const projection *p, const sweep_figure *fig, size_t nfig, double *out)
{
    headline hl;
    headline_compute(s, p, &hl);
    for (size_t i = 0; i < nfig; i++) {
        const sweep_figure *f = &fig[i];
        int k = f->when - s->first_fy;
        int in = k >= 0 && k < p->ny;
        double x = NAN;
        switch (f->kind) {
        case FIG_AT_OVERRIDE_END: x = hl.at_override_end; break;
        case FIG_AT_HORIZON: x = hl.at_horizon; break;
        case FIG_PEAK_DEFICIT: x = hl.peak_deficit; break;
        case FIG_INTEREST_TO_OVERRIDE_END: x = hl.interest_to_override_end; break;
        case FIG_INTEREST_TO_HORIZON: x = hl.interest_to_horizon; break;
        case FIG_CUMULATIVE: x = in ? p->cumulative[k] : NAN; break;
        case FIG_IN_YEAR: x = in ? p->in_year[k] : NAN; break;
        case FIG_SPEND: x = in ? p->spend_total[k] : NAN; break;
        case FIG_FUNDING: x = in ? p->fund_total[k] : NAN; break;
        case FIG_EHCPS: {
            int j = f->when - 1 - s->first_fy; /* the January census falls in the year before */
            x = 0.0;
            if (f->when == s->census0) {
                size_t cells = (size_t)s->nages * (size_t)s->nneeds * (size_t)s->nplace;
                for (size_t c = 0; c < cells; c++) x += p->stock0[c];
            } else if (j >= 0 && j < p->ny) {
                for (int q = 0; q < s->nplace; q++) x += p->ehcps[(size_t)j * (size_t)s->nplace + (size_t)q];
            } else {
                x = NAN;
            }
            break;
        }
        }
        out[i] = x;
    }
}

int sweep_eval_run(sweep_eval *e, double *out)
{
    int rc = project_run(e->s, e->val, e->ivs, &e->w, &e->p);
    if (rc) {
        for (size_t i = 0; i < e->nfig; i++) out[i] = NAN;
        return rc;
    }
    sweep_figures(e->s, &e->p, e->fig, e->nfig, out);
    return HNB_OK;
}

static void long_date(char *buf, size_t n, int y, int m, int d)
{
    static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
                                         "July",    "August",   "September", "October", "November", "December"};
    snprintf(buf, n, "%d %s %d", d, months[(m - 1) % 12], y);
}

int sweep_figure_resolve(const scenario *s, sweep_figure *f, char *why, size_t n)
{
    char fy[8], when[40];
    hnb_date d = {0, 0, 0};
    int ok = 1;
    switch (f->kind) {
    case FIG_AT_OVERRIDE_END:
    case FIG_INTEREST_TO_OVERRIDE_END:
        if (headline_override_index(s) < 0 || date_parse(s->override_text, &d) != 0) {
            snprintf(why, n, "%s: the statutory override ends outside the scenario's years", f->id);
            return -1;
        }
        long_date(when, sizeof when, d.y, d.m, d.d);
        if (f->kind == FIG_AT_OVERRIDE_END)
            snprintf(f->label, sizeof f->label, "cumulative DSG position at %s (£)", when);
        else
            snprintf(f->label, sizeof f->label, "interest on the deficit to %s (£)", when);
        return 0;
    case FIG_AT_HORIZON:
        long_date(when, sizeof when, s->last_fy + 1, 3, 31);
        snprintf(f->label, sizeof f->label, "cumulative DSG position at %s (£)", when);
        return 0;
    case FIG_PEAK_DEFICIT: snprintf(f->label, sizeof f->label, "peak cumulative deficit (£)"); return 0;
    case FIG_INTEREST_TO_HORIZON:
        long_date(when, sizeof when, s->last_fy + 1, 3, 31);
        snprintf(f->label, sizeof f->label, "interest on the deficit to %s (£)", when);
        return 0;
    case FIG_EHCPS:
        ok = f->when >= s->census0 && f->when <= s->last_fy + 1;
        if (ok) snprintf(f->label, sizeof f->label, "EHCPs at the January %d census", f->when);
        if (!ok) {
            fy_format(s->last_fy, fy);
            snprintf(why, n, "%s: January %d is outside the scenario's censuses (expected January %d to January %d)",
                     f->id, f->when, s->census0, s->last_fy + 1);
        }
        return ok ? 0 : -1;
    default: break;
    }
    fy_format(f->when, fy);
    if (f->when < s->first_fy || f->when > s->last_fy) {
        char a[8], b[8];
        fy_format(s->first_fy, a);
        fy_format(s->last_fy, b);
        snprintf(why, n, "%s: %s is outside the scenario's years (expected %s to %s)", f->id, fy, a, b);
        return -1;
    }
    switch (f->kind) {
    case FIG_CUMULATIVE:
        long_date(when, sizeof when, f->when + 1, 3, 31);
        snprintf(f->label, sizeof f->label, "cumulative DSG position at %s (£)", when);
        break;
    case FIG_IN_YEAR: snprintf(f->label, sizeof f->label, "in-year DSG position %s (£)", fy); break;
    case FIG_SPEND: snprintf(f->label, sizeof f->label, "High Needs spend %s (£)", fy); break;
    default: snprintf(f->label, sizeof f->label, "High Needs funding %s (£)", fy); break;
    }
    return 0;
}

/* ---- labels ------------------------------------------------------------ */

static void words(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src);
    for (char *p = dst; *p; p++)
        if (*p == '_') *p = ' ';
}

static const char *line_label(const line *l, size_t nl, const char *id)
{
    for (size_t i = 0; i < nl; i++)
        if (strcmp(l[i].id, id) == 0) return l[i].label && l[i].label[0] ? l[i].label : l[i].id;
    return NULL;
}

void sweep_label(const scenario *s, size_t par, char *buf, size_t n)
{
    const param *q = &s->par[par];
    char what[240] = "", tail[64] = "";
    /* an action's own assumptions */
    for (size_t i = 0; i < s->niv && !what[0]; i++) {
        const intervention *iv = &s->iv[i];
        const char *k = par == iv->size       ? "size of the effect"
                        : par == iv->delay    ? "start delay"
                        : par == iv->delivery ? "probability it delivers"
                        : par == iv->cost     ? "running cost"
                                              : NULL;
        if (k) snprintf(what, sizeof what, "%s: %s", iv->name, k);
    }
    const char *path = q->path;
    if (strncmp(path, "scenarios.", 10) == 0 && strchr(path + 10, '.')) path = strchr(path + 10, '.') + 1;
    char p[300];
    snprintf(p, sizeof p, "%s", path);
    char *part[8] = {0};
    int np = 0;
    for (char *save = NULL, *t = strtok_r(p, ".", &save); t && np < 8; t = strtok_r(NULL, ".", &save)) part[np++] = t;
    for (int i = 0; i + 1 < np; i++) /* "...by_year.2026-27" */
        if (strcmp(part[i], "by_year") == 0 || strcmp(part[i], "by_fy") == 0) {
            snprintf(tail, sizeof tail, " in %s", part[i + 1]);
            np = i;
        }
    if (!what[0] && np >= 3 && strcmp(part[0], "placements") == 0) {
        int pi = scenario_placement(s, part[1]);
        const char *pl = pi >= 0 && s->place[pi].label[0] ? s->place[pi].label : part[1];
        if (strcmp(part[2], "unit_cost") == 0)
            snprintf(what, sizeof what, "Unit cost of %s", pl);
        else if (strcmp(part[2], "inflation") == 0)
            snprintf(what, sizeof what, "Fee inflation for %s", pl);
        else {
            char w[80];
            words(w, sizeof w, part[2]);
            snprintf(what, sizeof what, "%s: %s", pl, w);
        }
    }
    if (!what[0] && np >= 3 && (strcmp(part[0], "funding") == 0 || strcmp(part[0], "spend") == 0)) {
        const char *ll = strcmp(part[0], "funding") == 0 ? line_label(s->fund, s->nfund, part[1])
                                                         : line_label(s->other, s->nother, part[1]);
        if (!ll) ll = part[1];
        if (strcmp(part[2], "amount") == 0)
            snprintf(what, sizeof what, "%s", ll);
        else if (strcmp(part[2], "growth") == 0)
            snprintf(what, sizeof what, "Growth of %s", ll);
        else {
            char w[80];
            words(w, sizeof w, part[2]);
            snprintf(what, sizeof what, "%s: %s", ll, w);
        }
    }
    if (!what[0] && np >= 2 && strcmp(part[0], "joiners") == 0) {
        static const char *const names[][2] = {{"growth", "Growth in EHCPs"},
                                               {"count", "New plans in the first year"},
                                               {"conversion", "Share of requests that become plans"},
                                               {"per_10k", "EHCPs per 10,000 people aged 0-25"}};
        for (size_t i = 0; i < sizeof names / sizeof names[0] && !what[0]; i++)
            if (strcmp(part[1], names[i][0]) == 0) snprintf(what, sizeof what, "%s", names[i][1]);
    }
    if (!what[0] && np == 1) {
        static const char *const names[][2] = {{"opening_balance", "Opening DSG balance"},
                                               {"interest_rate", "Interest rate on the deficit"},
                                               {"cost_scale", "Scale of every unit cost"}};
        for (size_t i = 0; i < sizeof names / sizeof names[0] && !what[0]; i++)
            if (strcmp(part[0], names[i][0]) == 0) snprintf(what, sizeof what, "%s", names[i][1]);
    }
    if (!what[0]) { /* the words of the path, without the dots */
        size_t len = 0;
        for (int i = 0; i < np && len < sizeof what; i++) {
            char w[80];
            words(w, sizeof w, part[i]);
            len += (size_t)snprintf(what + len, sizeof what - len, "%s%s", i ? ", " : "", w);
        }
        if (what[0] >= 'a' && what[0] <= 'z') what[0] = (char)(what[0] - 'a' + 'A');
    }
    if (q->unit && q->unit[0])
        snprintf(buf, n, "%s%s (%s)", what, tail, q->unit);
    else
        snprintf(buf, n, "%s%s", what, tail);
}

/* ---- cases --------------------------------------------------------------- */

typedef struct cases {
    sweep_eval e;
    size_t nas;
    const size_t *par;
    const double *x;
} cases;

static int case_fn(void *ctx, size_t i, double *out)
{
    cases *c = ctx;
    const scenario *s = c->e.s;
    for (size_t j = 0; j < c->nas; j++) {
        double v = c->x[i * c->nas + j];
        if (!isnan(v)) c->e.val[s->par[c->par[j]].off] = v;
    }
    int rc = sweep_eval_run(&c->e, out);
    for (size_t j = 0; j < c->nas; j++) {
        size_t off = s->par[c->par[j]].off;
        c->e.val[off] = s->val[off];
    }
    return rc;
}

int sweep_run_cases(sweep_ctx *c, size_t nas, const size_t *par, const double *x, size_t ncase, const char *what,
                    double *out)
{
    cases cs = {{0}, nas, par, x};
    int rc = sweep_eval_open(&cs.e, c->s, c->fig, c->nfig);
    if (rc) return rc;
    rc = c->map(c->map_ctx, ncase, c->nfig, case_fn, &cs, out, what);
    if (rc == HNB_E_NUMERIC)
        snprintf(c->why, sizeof c->why,
                 "%s: a case gave a figure that is not finite (expected settings that keep the "
                 "projection finite)",
                 what);
    sweep_eval_close(&cs.e);
    return rc;
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void sweep_progress(const char *what, size_t done, size_t total, double seconds)
{
    double rate = seconds > 0 ? (double)done / seconds : 0.0;
    double left = rate > 0 ? (double)(total - done) / rate : 0.0;
    fprintf(stderr, "\rsweep %s: %zu/%zu cases, %.1f a second, %.0f s left   %s", what, done, total, rate, left,
            done == total ? "\n" : "");
    fflush(stderr);
}

int sweep_map_serial(void *map_ctx, size_t ncases, size_t nout, hnb_case_fn fn, void *ctx, double *out,
                     const char *what)
{
    int progress = map_ctx ? *(const int *)map_ctx : 0;
    double t0 = progress ? now_seconds() : 0.0, last = t0;
    for (size_t i = 0; i < ncases; i++) {
        int rc = fn(ctx, i, out + i * nout);
        if (rc) return rc;
        if (progress) {
            double t = now_seconds();
            if (t - last >= 0.25 || i + 1 == ncases) {
                sweep_progress(what, i + 1, ncases, t - t0);
                last = t;
            }
        }
    }
    return HNB_OK;
}

cJSON *sweep_figs_json(const sweep_ctx *c, const double *v)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t k = 0; o && k < c->nfig; k++) {
        if (isnan(v[k]))
            cJSON_AddNullToObject(o, c->fig[k].id);
        else
            cJSON_AddNumberToObject(o, c->fig[k].id, v[k]);
    }
    return o;
}

/* ---- the contour of a grid --------------------------------------------- */

size_t sweep_contour(const double *x, size_t nx, const double *y, size_t ny, const double *z, double level,
                     double **seg)
{
    *seg = NULL;
    if (nx < 2 || ny < 2) return 0;
    size_t cap = 2 * (nx - 1) * (ny - 1), n = 0;
    double *s = malloc(cap * 4 * sizeof *s + 1);
    if (!s) return 0;
    for (size_t j = 0; j + 1 < ny; j++)
        for (size_t i = 0; i + 1 < nx; i++) {
            /* corners anticlockwise from (i, j); a point on each edge the level crosses */
            double cx[4] = {x[i], x[i + 1], x[i + 1], x[i]}, cy[4] = {y[j], y[j], y[j + 1], y[j + 1]};
            double cz[4] = {z[j * nx + i], z[j * nx + i + 1], z[(j + 1) * nx + i + 1], z[(j + 1) * nx + i]};
            double px[4], py[4];
            int m = 0, bad = 0;
            for (int k = 0; k < 4; k++) bad |= isnan(cz[k]);
            if (bad) continue;
            for (int k = 0; k < 4; k++) {
                double a = cz[k] - level, b = cz[(k + 1) % 4] - level;
                if ((a < 0) == (b < 0)) continue;
                double t = a / (a - b);
                px[m] = cx[k] + t * (cx[(k + 1) % 4] - cx[k]);
                py[m] = cy[k] + t * (cy[(k + 1) % 4] - cy[k]);
                m++;
            }
            /* two crossings: one segment; four (a saddle): pair them by the centre's side */
            if (m == 2 || m == 4) {
                int pairs = m / 2;
                double centre = 0.25 * (cz[0] + cz[1] + cz[2] + cz[3]) - level;
                int first_below = cz[0] < level;
                for (int q = 0; q < pairs; q++) {
                    int a = q * 2, b = q * 2 + 1;
                    if (m == 4 && ((centre < 0) == first_below)) { /* join edges 0-3 and 1-2 */
                        a = q ? 1 : 0;
                        b = q ? 2 : 3;
                    }
                    s[4 * n] = px[a];
                    s[4 * n + 1] = py[a];
                    s[4 * n + 2] = px[b];
                    s[4 * n + 3] = py[b];
                    n++;
                }
            }
        }
    *seg = s;
    return n;
}
