/* params.c: the parameter table (params.h).
 *
 * Values are appended to one growing array; the table records where each
 * assumption's values start. Distributions are parsed and checked here so
 * that a bad one (PERT with min > mode, a negative sd, a probability outside
 * 0-1) is reported at load time with the file and path, like any other error. */
#define _POSIX_C_SOURCE 200809L
#include "input/params.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/numfmt.h"
#include "input/keys.h"

static int grow(scenario *s, int n)
{
    double *v = realloc(s->val, (s->nval + (size_t)n + 1) * sizeof *v);
    param *p = realloc(s->par, (s->npar + 1) * sizeof *p);
    if (v) s->val = v;
    if (p) s->par = p;
    if (!v || !p) alloc_note_failure(); /* the load is then out of memory (core/alloc.h) */
    return v && p ? 0 : -1;
}

/* A value in a range message as the file writes it: money in £, anything
 * else plain (a rate of 1.2 reads "1.2", as typed, not "120%"). */
static void as_written(double x, const char *unit, char *buf, size_t n)
{
    if (unit && strncmp(unit, "£", strlen("£")) == 0)
        num_money(x, buf, n);
    else
        num_plain(x, buf, n);
}

size_t par_const(scenario *s, const char *path, const char *unit, int n, const double *x)
{
    if (grow(s, n)) return NOPAR;
    param *p = &s->par[s->npar];
    memset(p, 0, sizeof *p);
    p->path = strdup(path);
    p->unit = strdup(unit ? unit : "");
    p->source = strdup("hnbsim default");
    p->off = s->nval;
    p->n = (size_t)n;
    p->lo = -INFINITY;
    p->hi = INFINITY;
    for (int i = 0; i < n; i++) s->val[s->nval + (size_t)i] = x ? x[i] : 0.0;
    s->nval += (size_t)n;
    return s->npar++;
}

void par_check_keys(loader *ld, const jv *v, int priced)
{
    jv_check_keys(ld, v, priced ? ld_keys(KEYS_PRICED) : ld_keys(KEYS_ASSUMPTION));
}

static void read_dist(loader *ld, param *p, const jv *d, double value)
{
    static const char *const names[] = {"fixed", "normal", "lognormal", "triangular", "uniform", "pert", NULL};
    jv_check_keys(ld, d, ld_keys(KEYS_DIST));
    const char *type = "fixed";
    if (!jv_str(ld, d, "type", 1, &type)) return;
    int k = 0;
    while (names[k] && strcmp(names[k], type) != 0) k++;
    if (!names[k]) {
        ld_err(ld, HNB_E_RANGE, d, "type", "fixed, normal, lognormal, triangular, uniform or pert",
               "unknown distribution \"%s\"", type);
        return;
    }
    p->dist = (enum dist_kind)k;
    double a = 0, b = 0, c = 0;
    switch (p->dist) {
    case DIST_FIXED: break;
    case DIST_NORMAL:
    case DIST_LOGNORMAL:
        if (jv_num(ld, d, "mean", 0, -INFINITY, INFINITY, &a) == 0) a = value;
        if (!jv_num(ld, d, "sd", 1, 0, INFINITY, &b)) return;
        if (p->dist == DIST_LOGNORMAL && !(a > 0)) {
            ld_err(ld, HNB_E_RANGE, d, "mean", "a positive mean for a lognormal", "found %g", a);
            return;
        }
        break;
    case DIST_UNIFORM:
        if (!jv_num(ld, d, "min", 1, -INFINITY, INFINITY, &a) || !jv_num(ld, d, "max", 1, -INFINITY, INFINITY, &c))
            return;
        if (!(a < c)) {
            ld_err(ld, HNB_E_RANGE, d, NULL, "min < max", "min %g is not below max %g", a, c);
            return;
        }
        b = c;
        break;
    case DIST_TRIANGULAR:
    case DIST_PERT:
        if (!jv_num(ld, d, "min", 1, -INFINITY, INFINITY, &a) || !jv_num(ld, d, "max", 1, -INFINITY, INFINITY, &c))
            return;
        if (jv_num(ld, d, "mode", 0, -INFINITY, INFINITY, &b) == 0) b = value;
        if (!(a <= b && b <= c && a < c)) {
            ld_err(ld, HNB_E_RANGE, d, NULL, "min <= mode <= max, min < max", "min %g, mode %g, max %g", a, b, c);
            return;
        }
        break;
    }
    p->d[0] = a;
    p->d[1] = b;
    p->d[2] = c;
    const char *factor = NULL;
    if (jv_str(ld, d, "factor", 0, &factor)) {
        p->factor = strdup(factor);
        p->loading = 0.0;
        jv_num(ld, d, "loading", 1, -1.0, 1.0, &p->loading);
    }
}

/* What a parameter's value must be, for its error messages: written into
 * buf the first time a message needs it (formatting it for every parameter
 * read was a tenth of the loader's time on files without errors). */
#define PAR_EXPECTED 200
static const char *par_expected(const parspec *sp, int n, char buf[PAR_EXPECTED])
{
    size_t size = PAR_EXPECTED;
    if (buf[0]) return buf;
    char lo_s[NUM_BUF], hi_s[NUM_BUF];
    as_written(sp->lo, sp->unit, lo_s, sizeof lo_s);
    as_written(sp->hi, sp->unit, hi_s, sizeof hi_s);
    if (n == 1)
        snprintf(buf, size, "a number from %s to %s (%s)", lo_s, hi_s, sp->unit);
    else
        snprintf(buf, size, "an array of %d numbers from %s to %s (%s)", n, lo_s, hi_s, sp->unit);
    return buf;
}

size_t par_read(loader *ld, scenario *s, const jv *v, const char *key, const parspec *sp)
{
    jv c;
    int present = key ? jv_get(v, key, &c) : (c = *v, v->n > 0);
    int n = sp->n > 0 ? sp->n : 1;
    char path[2 * JV_PATH];
    snprintf(path, sizeof path, "%s%s%s", v->path[0], key && v->path[0][0] ? "." : "", key ? key : "");
    size_t idx = par_const(s, present ? c.path[0] : path, sp->unit, n, NULL);
    if (idx == NOPAR) {
        ld_err(ld, HNB_E_NOMEM, v, key, NULL, "out of memory");
        return NOPAR;
    }
    param *p = &s->par[idx];
    double *x = s->val + p->off;
    p->lo = sp->lo;
    p->hi = sp->hi;
    p->plaus = (int)sp->plaus;
    for (int i = 0; i < n; i++) x[i] = sp->def;
    char eb[PAR_EXPECTED] = "", got[NUM_BUF];
    if (!present) {
        if (sp->required) ld_err(ld, HNB_E_MISSING, v, key, par_expected(sp, n, eb), "missing required key");
        return idx;
    }
    p->from_file = 1;
    free(p->source);
    p->source = strdup(c.source ? c.source : "");

    jv body = c;
    if (cJSON_IsObject(jv_top(&c))) {
        par_check_keys(ld, &c, 0);
        const char *unit = NULL;
        if (jv_str(ld, &c, "unit", 0, &unit)) {
            free(p->unit);
            p->unit = strdup(unit);
        }
        if (!jv_get(&c, "value", &body)) {
            ld_err(ld, HNB_E_MISSING, &c, "value", par_expected(sp, n, eb), "missing required key");
            return idx;
        }
    }
    const cJSON *b = jv_top(&body);
    if (n == 1 && !cJSON_IsNumber(b)) {
        jv_want(ld, &body, cJSON_Number, par_expected(sp, n, eb));
        return idx;
    }
    if (n > 1 && (!cJSON_IsArray(b) || cJSON_GetArraySize(b) != n)) {
        if (cJSON_IsArray(b))
            ld_err(ld, HNB_E_RANGE, &body, NULL, par_expected(sp, n, eb), "wrong size: %d values",
                   cJSON_GetArraySize(b));
        else
            jv_want(ld, &body, cJSON_Array, par_expected(sp, n, eb));
        return idx;
    }
    /* every bad element is reported, then the default stands for them all */
    double sum = 0;
    int bad = 0;
    for (int i = 0; i < n; i++) {
        const cJSON *e = n == 1 ? b : cJSON_GetArrayItem(b, i);
        if (!cJSON_IsNumber(e)) {
            ld_err(ld, HNB_E_TYPE, &body, NULL, par_expected(sp, n, eb), "element %d is not a number", i);
            bad = 1;
            continue;
        }
        double y = e->valuedouble;
        if (!(y >= sp->lo && y <= sp->hi)) {
            as_written(y, sp->unit, got, sizeof got);
            if (n == 1)
                ld_err(ld, HNB_E_RANGE, &body, NULL, par_expected(sp, n, eb), "out of range: found %s", got);
            else
                ld_err(ld, HNB_E_RANGE, &body, NULL, par_expected(sp, n, eb), "element %d out of range: found %s", i,
                       got);
            bad = 1;
            continue;
        }
        sum += y;
    }
    if (bad) return idx;
    for (int i = 0; i < n; i++) x[i] = n == 1 ? b->valuedouble : cJSON_GetArrayItem(b, i)->valuedouble;
    /* plausible ranges, unless the file accepts the value deliberately */
    jv pl;
    int accepted = cJSON_IsObject(jv_top(&c)) && jv_get(&c, "plausible", &pl) && cJSON_IsFalse(jv_top(&pl));
    if (cJSON_IsObject(jv_top(&c)) && jv_get(&c, "plausible", &pl) && !cJSON_IsBool(jv_top(&pl)))
        ld_err(ld, HNB_E_TYPE, &pl, NULL, "false, to accept a value outside the plausible range", "not a boolean");
    for (int i = 0; !accepted && i < n; i++)
        if (plaus_check(ld, &body, sp->plaus, x[i], sp->unit)) break;
    if (sp->sum_to_one && fabs(sum - 1.0) > 1e-9)
        ld_err(ld, HNB_E_RANGE, &body, NULL, "shares that sum to 1 within 1e-9", "shares sum to %.12g", sum);
    /* A distribution describes the uncertainty around its own value: one
     * inherited from a parent whose value a child has replaced does not
     * apply (the child's figure is fixed unless the child gives a dist). */
    int value_layer = 0, dist_layer = -1;
    for (int i = c.n - 1; i >= 0; i--) {
        if (!cJSON_IsObject(c.node[i])) continue;
        if (cJSON_GetObjectItemCaseSensitive(c.node[i], "value")) value_layer = i;
        if (cJSON_GetObjectItemCaseSensitive(c.node[i], "dist")) dist_layer = i;
    }
    jv d;
    if (dist_layer >= 0 && dist_layer <= value_layer && jv_get(&c, "dist", &d) && cJSON_IsObject(jv_top(&c))) {
        if (n != 1)
            ld_err(ld, HNB_E_TYPE, &d, NULL, "a distribution on a single number", "a distribution on an array");
        else if (jv_want(ld, &d, cJSON_Object,
                         "an object such as {\"type\": \"pert\", \"min\": 1, \"mode\": 2, \"max\": 3}")) {
            size_t before = ld->nerr;
            read_dist(ld, p, &d, x[0]);
            if (!accepted && ld->nerr == before) plaus_dist(ld, &d, p, x[0]);
            if (p->dist != DIST_FIXED && (p->d[0] < sp->lo || p->d[2] > sp->hi) &&
                (p->dist == DIST_UNIFORM || p->dist == DIST_TRIANGULAR || p->dist == DIST_PERT))
                ld_err(ld, HNB_E_RANGE, &d, NULL, par_expected(sp, n, eb),
                       "distribution reaches outside the valid range");
        }
    }
    return idx;
}
