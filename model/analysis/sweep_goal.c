/* sweep_goal.c: goal seek, the value of one assumption that makes the
 * sweep's main figure equal a target (an in-year balance of £0 in 2027-28,
 * a cumulative position at a date).
 *
 * First the allowed range is scanned at GOAL_SCAN evenly spaced values (as
 * cases, so a map may spread them), which checks the bracket: if the figure
 * minus the target never changes sign over the scan, no value in the range
 * reaches the target (or it is reached only between two scan points and
 * left again, which the scan cannot tell from never). Then GSL's Brent
 * solver refines the first bracketing interval, in this process: its steps
 * depend on each other, and every process that runs it takes the same
 * steps, so the answer is the same bits whatever the number of processes.
 * The answer is the first crossing from the range's low end. */
#define _POSIX_C_SOURCE 200809L
#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sweep.h"
#include "core/error.h"

#define GOAL_SCAN    11
#define GOAL_MAXITER 200

typedef struct goalfn {
    sweep_eval e;
    size_t off;
    int m;
    double target;
    double *figs;
    int rc;
} goalfn;

static double goal_f(double v, void *p)
{
    goalfn *g = p;
    g->e.val[g->off] = v;
    int rc = sweep_eval_run(&g->e, g->figs);
    if (rc && !g->rc) g->rc = rc;
    return rc ? NAN : g->figs[g->m] - g->target;
}

static void money(char *buf, size_t n, double x, int is_money)
{
    if (is_money)
        snprintf(buf, n, "%s£%.6gm", x < 0 ? "-" : "", fabs(x) / 1e6);
    else
        snprintf(buf, n, "%.6g", x);
}

cJSON *sweep_goal(sweep_ctx *c, const sweep_spec *sp, int *rc)
{
    const sweep_assumption *a = &sp->as[0];
    const sweep_figure *fig = &c->fig[sp->figure];
    size_t nf = c->nfig, par = a->par;
    double xs[GOAL_SCAN], out[GOAL_SCAN * 64];
    double *scan = nf <= 64 ? out : malloc(GOAL_SCAN * nf * sizeof *scan);
    if (!scan) {
        *rc = HNB_E_NOMEM;
        return NULL;
    }
    for (int i = 0; i < GOAL_SCAN; i++) xs[i] = a->min + (a->max - a->min) * i / (GOAL_SCAN - 1);
    xs[GOAL_SCAN - 1] = a->max;
    *rc = sweep_run_cases(c, 1, &par, xs, GOAL_SCAN, sp->name, scan);
    int m = sp->figure, lo = -1;
    for (int i = 0; !*rc && i < GOAL_SCAN && lo < 0; i++) {
        double d = scan[(size_t)i * nf + (size_t)m] - sp->target;
        if (d == 0.0)
            lo = i;
        else if (i + 1 < GOAL_SCAN) {
            double e = scan[(size_t)(i + 1) * nf + (size_t)m] - sp->target;
            if ((d < 0) != (e < 0)) lo = i;
        }
    }
    if (!*rc && lo < 0) {
        int best = 0;
        for (int i = 1; i < GOAL_SCAN; i++)
            if (fabs(scan[(size_t)i * nf + (size_t)m] - sp->target) <
                fabs(scan[(size_t)best * nf + (size_t)m] - sp->target))
                best = i;
        char t[48], f0[48], f1[48], fb[48];
        money(t, sizeof t, sp->target, fig->money);
        money(f0, sizeof f0, scan[m], fig->money);
        money(f1, sizeof f1, scan[(size_t)(GOAL_SCAN - 1) * nf + (size_t)m], fig->money);
        money(fb, sizeof fb, scan[(size_t)best * nf + (size_t)m], fig->money);
        snprintf(c->why, sizeof c->why,
                 "%s: no value of %s from %.10g to %.10g makes the %s reach %s: it is %s at %.10g and %s at %.10g, "
                 "closest %s at %.10g (expected a range of the assumption in which the figure crosses the target)",
                 sp->name, a->label, a->min, a->max, fig->label, t, f0, a->min, f1, a->max, fb, xs[best]);
        *rc = HNB_E_RANGE;
    }
    cJSON *o = NULL;
    goalfn g = {{0}, c->s->par[par].off, m, sp->target, NULL, 0};
    double root = lo >= 0 ? xs[lo] : NAN;
    int iter = 0;
    if (!*rc) *rc = sweep_eval_open(&g.e, c->s, c->fig, nf);
    double *figs = !*rc ? malloc(nf * sizeof *figs + 1) : NULL;
    if (!*rc && !figs) *rc = HNB_E_NOMEM;
    g.figs = figs;
    if (!*rc && scan[(size_t)lo * nf + (size_t)m] != sp->target) {
        gsl_error_handler_t *old = gsl_set_error_handler_off();
        gsl_root_fsolver *sv = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
        gsl_function fn = {goal_f, &g};
        if (!sv || gsl_root_fsolver_set(sv, &fn, xs[lo], xs[lo + 1]) != GSL_SUCCESS) {
            *rc = g.rc ? g.rc : HNB_E_NUMERIC;
        } else {
            int status = GSL_CONTINUE;
            while (status == GSL_CONTINUE && iter < GOAL_MAXITER) {
                iter++;
                if (gsl_root_fsolver_iterate(sv) != GSL_SUCCESS) {
                    status = GSL_FAILURE;
                    break;
                }
                root = gsl_root_fsolver_root(sv);
                status = gsl_root_test_interval(gsl_root_fsolver_x_lower(sv), gsl_root_fsolver_x_upper(sv), sp->xtol,
                                                4 * DBL_EPSILON);
                if (status == GSL_CONTINUE && goal_f(root, &g) == 0.0) status = GSL_SUCCESS;
            }
            if (status != GSL_SUCCESS || g.rc) {
                snprintf(c->why, sizeof c->why, "%s: Brent's method did not converge in %d iterations", sp->name, iter);
                *rc = g.rc ? g.rc : HNB_E_NUMERIC;
            }
        }
        gsl_root_fsolver_free(sv);
        gsl_set_error_handler(old);
    }
    if (!*rc) {
        goal_f(root, &g);
        *rc = g.rc;
    }
    if (!*rc) {
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", sp->name);
        cJSON_AddStringToObject(o, "type", "goal_seek");
        cJSON_AddStringToObject(o, "figure", fig->id);
        cJSON_AddNumberToObject(o, "target", sp->target);
        cJSON_AddStringToObject(o, "assumption", a->label);
        cJSON_AddStringToObject(o, "assumption_name", a->name);
        cJSON_AddNumberToObject(o, "central", c->s->val[c->s->par[par].off]);
        cJSON_AddNumberToObject(o, "min", a->min);
        cJSON_AddNumberToObject(o, "max", a->max);
        cJSON_AddNumberToObject(o, "value", root);
        cJSON_AddNumberToObject(o, "tolerance", sp->xtol);
        cJSON_AddNumberToObject(o, "iterations", iter);
        cJSON_AddItemToObject(o, "figures", sweep_figs_json(c, figs));
        cJSON *sc = cJSON_AddArrayToObject(o, "scan");
        for (int i = 0; i < GOAL_SCAN; i++) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddNumberToObject(e, "value", xs[i]);
            cJSON_AddItemToObject(e, "figures", sweep_figs_json(c, scan + (size_t)i * nf));
            cJSON_AddItemToArray(sc, e);
        }
    }
    sweep_eval_close(&g.e);
    free(figs);
    if (scan != out) free(scan);
    return o;
}
