/* sensitivity.c: which assumption moves the deficit at the end of the
 * override most (the tornado chart).
 *
 * One source of uncertainty at a time, from the central assumptions. An
 * assumption with a distribution and no shared factor is set to its 10th and
 * then its 90th percentile (sample.c, so truncation applies). Assumptions that
 * load on a shared factor move together, as the factor says they do: at the
 * factor's 10th and 90th percentiles z = -/+1.2816, each at u = Phi(rho z),
 * so two assumptions the calibration ties together are never swung apart.
 * Each action with a delivery probability below 1 is switched off and on. The figure is the
 * cumulative DSG position at the end of the override. Bars are ordered by
 * swing; a source that moves the figure by less than £0.05m gets no bar.
 * One-at-a-time ignores interactions and correlation; the Monte Carlo
 * range is the joint answer, this is the ranking. Written to the results as
 * "sweep" (docs/results-format.md). */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "engine/headline.h"
#include "analysis/sample.h"
#include "analysis/sensitivity.h"

typedef struct bar {
    char name[200], low_label[48], high_label[48];
    double low, high;
} bar;

static int by_swing(const void *a, const void *b)
{
    const bar *x = a, *y = b;
    double sx = fabs(x->high - x->low), sy = fabs(y->high - y->low);
    return (sx < sy) - (sx > sy);
}

static double at_override_end(const scenario *s, const double *val, const ivstate *ivs, workspace *w, projection *p,
                              int oi, int *rc)
{
    if (!*rc) *rc = project_run(s, val, ivs, w, p);
    return *rc ? NAN : p->cumulative[oi];
}

/* An action's assumption by the action's name ("Angel Hill ...: delay_months"). */
static int action_name(const scenario *s, size_t par, char *buf, size_t n)
{
    for (size_t i = 0; i < s->niv; i++) {
        const intervention *iv = &s->iv[i];
        const char *what = par == iv->size ? "size" : par == iv->delay ? "start delay (months)" : NULL;
        if (!what) continue;
        snprintf(buf, n, "%s: %s", iv->name, what);
        return 1;
    }
    return 0;
}

/* The assumption's name without "scenarios.<name>." */
static const char *short_path(const char *path)
{
    if (strncmp(path, "scenarios.", 10) != 0) return path;
    const char *dot = strchr(path + 10, '.');
    return dot ? dot + 1 : path;
}

static void label(char *buf, size_t n, const param *p, double x)
{
    if (strstr(p->unit, "£"))
        snprintf(buf, n, "£%.3gm", x / 1e6);
    else if (fabs(x) < 1.0 && (strstr(p->unit, "rate") || strstr(p->unit, "growth") || strstr(p->unit, "uplift") ||
                               strstr(p->unit, "share")))
        snprintf(buf, n, "%.1f%%", 100.0 * x);
    else
        snprintf(buf, n, "%.3g", x);
}

size_t sensitivity_sources(const scenario *s)
{
    size_t nb = 0;
    for (size_t i = 0; i < s->npar; i++) nb += s->par[i].dist != DIST_FIXED && s->par[i].n == 1;
    for (size_t i = 0; i < s->niv; i++) nb += s->iv[i].delivery != NOPAR && s->val[s->par[s->iv[i].delivery].off] < 1.0;
    return nb;
}

int sensitivity_add(cJSON *root, const scenario *s)
{
    int oi = headline_override_index(s);
    if (oi < 0) return HNB_OK;
    size_t nb = sensitivity_sources(s); /* at most one bar each */
    if (nb == 0) return HNB_OK;
    bar *bars = calloc(nb, sizeof *bars);
    double *val = malloc(s->nval * sizeof *val + 1);
    ivstate *ivs = calloc(s->niv + 1, sizeof *ivs);
    workspace w;
    projection p;
    int rc = (bars && val && ivs) ? HNB_OK : HNB_E_NOMEM;
    if (!rc) rc = workspace_alloc(s, &w);
    if (!rc && (rc = projection_alloc(s, &p)) != 0) workspace_free(&w);
    if (rc) {
        free(bars);
        free(val);
        free(ivs);
        return rc;
    }
    memcpy(val, s->val, s->nval * sizeof *val);
    ivstate_default(s, ivs);
    double base = at_override_end(s, val, ivs, &w, &p, oi, &rc);
    size_t k = 0;
    /* assumptions of their own */
    for (size_t i = 0; !rc && i < s->npar; i++) {
        const param *q = &s->par[i];
        if (q->dist == DIST_FIXED || q->n != 1 || q->factor) continue;
        bar *b = &bars[k++];
        if (!action_name(s, i, b->name, sizeof b->name)) snprintf(b->name, sizeof b->name, "%s", short_path(q->path));
        double lo = sample_quantile(q, 0.10), hi = sample_quantile(q, 0.90), central = val[q->off];
        label(b->low_label, sizeof b->low_label, q, lo);
        label(b->high_label, sizeof b->high_label, q, hi);
        val[q->off] = lo;
        b->low = at_override_end(s, val, ivs, &w, &p, oi, &rc);
        val[q->off] = hi;
        b->high = at_override_end(s, val, ivs, &w, &p, oi, &rc);
        val[q->off] = central;
    }
    /* shared factors: every assumption that loads on one moves with it */
    for (size_t i = 0; !rc && i < s->npar; i++) {
        const param *q = &s->par[i];
        if (q->dist == DIST_FIXED || q->n != 1 || !q->factor) continue;
        int first = 1;
        for (size_t j = 0; j < i; j++)
            if (s->par[j].dist != DIST_FIXED && s->par[j].factor && strcmp(s->par[j].factor, q->factor) == 0) first = 0;
        if (!first) continue;
        bar *b = &bars[k++];
        size_t members = 0;
        for (size_t j = i; j < s->npar; j++)
            members += s->par[j].dist != DIST_FIXED && s->par[j].factor && strcmp(s->par[j].factor, q->factor) == 0;
        if (members > 2) { /* a long list reads worse than a count */
            snprintf(b->name, sizeof b->name, "%s (%zu assumptions that move together)", q->factor, members);
        } else {
            size_t len = (size_t)snprintf(b->name, sizeof b->name, "%s (", q->factor);
            for (size_t j = i; j < s->npar && len < sizeof b->name; j++)
                if (s->par[j].dist != DIST_FIXED && s->par[j].factor && strcmp(s->par[j].factor, q->factor) == 0)
                    len += (size_t)snprintf(b->name + len, sizeof b->name - len, "%s%s", j == i ? "" : ", ",
                                            short_path(s->par[j].path));
            if (len < sizeof b->name - 1) strcat(b->name, ")");
        }
        strcpy(b->low_label, "P10");
        strcpy(b->high_label, "P90");
        for (int side = 0; side < 2; side++) {
            double z = side ? 1.2815515655446004 : -1.2815515655446004;
            for (size_t j = i; j < s->npar; j++) {
                const param *r = &s->par[j];
                if (r->dist != DIST_FIXED && r->factor && strcmp(r->factor, q->factor) == 0)
                    val[r->off] = sample_quantile(r, gsl_cdf_ugaussian_P(r->loading * z));
            }
            double x = at_override_end(s, val, ivs, &w, &p, oi, &rc);
            if (side)
                b->high = x;
            else
                b->low = x;
        }
        for (size_t j = i; j < s->npar; j++) val[s->par[j].off] = s->val[s->par[j].off];
    }
    for (size_t i = 0; !rc && i < s->niv; i++) {
        if (s->iv[i].delivery == NOPAR || s->val[s->par[s->iv[i].delivery].off] >= 1.0) continue;
        bar *b = &bars[k++];
        snprintf(b->name, sizeof b->name, "%s delivers", s->iv[i].name);
        strcpy(b->low_label, "no");
        strcpy(b->high_label, "yes");
        ivs[i].on = 0;
        b->low = at_override_end(s, val, ivs, &w, &p, oi, &rc);
        ivs[i].on = 1;
        b->high = at_override_end(s, val, ivs, &w, &p, oi, &rc);
    }
    if (!rc) {
        qsort(bars, k, sizeof *bars, by_swing);
        while (k > 0 && fabs(bars[k - 1].high - bars[k - 1].low) < 5e4) k--; /* under £0.05m: no bar */
        cJSON *sw = cJSON_AddObjectToObject(root, "sweep");
        cJSON_AddStringToObject(sw, "figure", "cumulative_at_override_end");
        cJSON_AddStringToObject(sw, "scenario", s->name);
        cJSON_AddStringToObject(sw, "method",
                                "one source at a time: each uncertain assumption at its P10 and P90 "
                                "(assumptions on a shared factor together), each action with a "
                                "delivery risk off and on");
        cJSON_AddNumberToObject(sw, "base", base);
        cJSON *arr = cJSON_AddArrayToObject(sw, "bars");
        for (size_t i = 0; i < k; i++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "assumption", bars[i].name);
            cJSON_AddStringToObject(o, "low_label", bars[i].low_label);
            cJSON_AddStringToObject(o, "high_label", bars[i].high_label);
            cJSON_AddNumberToObject(o, "low", bars[i].low);
            cJSON_AddNumberToObject(o, "high", bars[i].high);
            cJSON_AddItemToArray(arr, o);
        }
    }
    workspace_free(&w);
    projection_free(&p);
    free(bars);
    free(val);
    free(ivs);
    return rc;
}
