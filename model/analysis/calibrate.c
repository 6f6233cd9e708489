/* calibrate.c: fitting named assumptions to the published figures.
 *
 * The residuals are the back-test's comparisons (backtest.c), each divided by
 * its scale (1% of a census count; £0.5m for an in-year and £1m for a
 * cumulative position), so the fit is weighted least squares. GSL's
 * trust-region Levenberg-Marquardt solver (gsl_multifit_nlinear) works on the
 * assumptions divided by their stated values, so that £53m and a 6% growth
 * rate are of one size to it; the Jacobian is by finite differences (each
 * evaluation is one projection). Standard errors come from (J'J)^-1 with the
 * weights taken as known, not rescaled by the residual variance: with as
 * many assumptions as figures the residuals are near zero and say nothing.
 *
 * A fit to the figures it is then judged on proves nothing, so the same fit
 * is repeated on the figures up to a hold-out point (by default the January
 * 2024 census and 2024-25), and the rest are predicted. An assumption the
 * hold-out figures cannot move (zero sensitivity) keeps its stated value. */
#define _POSIX_C_SOURCE 200809L
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/calibrate.h"
#include "core/dates.h"
#include "core/error.h"
#include "core/model.h"

int calibrate_evaluate(fitctx *f, const double *x)
{
    for (size_t j = 0; j < f->np; j++) f->val[f->s->par[f->par[j]].off] = x[j] * f->x0[j];
    ivstate_default(f->s, f->ivs);
    int rc = project_run(f->s, f->val, f->ivs, &f->w, &f->p);
    if (!rc) f->nrows = backtest_compare(f->s, &f->p, f->c, f->maxrows);
    return rc;
}

static int resid(const gsl_vector *x, void *data, gsl_vector *r)
{
    fitctx *f = data;
    if (calibrate_evaluate(f, x->data)) return GSL_EDOM;
    size_t k = 0;
    for (size_t i = 0; i < f->nrows; i++)
        if (f->use[i]) gsl_vector_set(r, k++, (f->c[i].model - f->c[i].actual) / f->c[i].sd);
    return GSL_SUCCESS;
}

/* Fit the parameters with `use` rows; results in out (values in real units). */
int calibrate_fit(fitctx *f, fitout *out)
{
    size_t n = f->nuse, np = f->np;
    double *x = malloc(np * sizeof *x);
    if (!x) return HNB_E_NOMEM;
    for (size_t j = 0; j < np; j++) x[j] = 1.0;
    /* which parameters the rows in use can move at all */
    size_t *free_idx = calloc(np + 1, sizeof *free_idx), nfree = 0;
    double *base = calloc(f->maxrows + 1, sizeof *base);
    if (!free_idx || !base || calibrate_evaluate(f, x)) {
        free(x);
        free(free_idx);
        free(base);
        return HNB_E_NUMERIC;
    }
    for (size_t i = 0; i < f->nrows; i++) base[i] = f->c[i].model;
    for (size_t j = 0; j < np; j++) {
        x[j] = 1.01;
        calibrate_evaluate(f, x);
        int moves = 0;
        if (f->fixed[j]) {
            for (size_t i = 0; i < f->nrows; i++) f->c[i].model = base[i];
            x[j] = 1.0;
            out->fitted[j] = 0;
            out->value[j] = f->x0[j];
            out->se[j] = NAN;
            continue;
        }
        for (size_t i = 0; i < f->nrows; i++)
            moves |= f->use[i] && fabs(f->c[i].model - base[i]) > 1e-9 * (1.0 + fabs(base[i]));
        x[j] = 1.0;
        out->fitted[j] = (unsigned char)moves;
        if (moves) free_idx[nfree++] = j;
        out->value[j] = f->x0[j];
        out->se[j] = NAN;
    }
    free(base);
    int rc = HNB_OK;
    if (nfree == 0 || n < nfree) {
        out->status = -1;
        goto done;
    }
    {
        /* the solver sees only the free parameters */
        fitctx g = *f;
        size_t *par = malloc(nfree * sizeof *par);
        double *x0 = malloc(nfree * sizeof *x0);
        if (!par || !x0) {
            free(par);
            free(x0);
            rc = HNB_E_NOMEM;
            goto done;
        }
        for (size_t k = 0; k < nfree; k++) {
            par[k] = f->par[free_idx[k]];
            x0[k] = f->x0[free_idx[k]];
        }
        g.par = par;
        g.x0 = x0;
        g.np = nfree;
        gsl_multifit_nlinear_fdf fdf = {resid, NULL, NULL, n, nfree, &g, 0, 0, 0};
        gsl_multifit_nlinear_parameters prm = gsl_multifit_nlinear_default_parameters();
        gsl_multifit_nlinear_workspace *w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &prm, n, nfree);
        gsl_vector *xv = gsl_vector_alloc(nfree);
        gsl_matrix *cov = gsl_matrix_alloc(nfree, nfree);
        if (!w || !xv || !cov) {
            rc = HNB_E_NOMEM;
        } else {
            gsl_vector_set_all(xv, 1.0);
            int info = 0;
            gsl_multifit_nlinear_init(xv, &fdf, w);
            out->status = gsl_multifit_nlinear_driver(200, 1e-10, 1e-10, 0.0, NULL, NULL, &info, w);
            out->iterations = (int)gsl_multifit_nlinear_niter(w);
            gsl_vector *rr = gsl_multifit_nlinear_residual(w);
            gsl_blas_ddot(rr, rr, &out->chisq);
            gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(w), 0.0, cov);
            const gsl_vector *best = gsl_multifit_nlinear_position(w);
            for (size_t k = 0; k < nfree; k++) {
                size_t j = free_idx[k];
                out->value[j] = gsl_vector_get(best, k) * x0[k];
                out->se[j] = sqrt(gsl_matrix_get(cov, k, k)) * fabs(x0[k]);
                x[j] = gsl_vector_get(best, k);
                for (size_t m = 0; m < nfree; m++) {
                    double d = sqrt(gsl_matrix_get(cov, k, k) * gsl_matrix_get(cov, m, m));
                    out->corr[j * f->np + free_idx[m]] = d > 0 ? gsl_matrix_get(cov, k, m) / d : NAN;
                }
            }
        }
        if (w) gsl_multifit_nlinear_free(w);
        gsl_vector_free(xv);
        gsl_matrix_free(cov);
        free(par);
        free(x0);
    }
done:
    if (!rc) rc = calibrate_evaluate(f, x) ? HNB_E_NUMERIC : HNB_OK; /* leave the rows at the fit */
    free(x);
    free(free_idx);
    return rc;
}

/* The scalar parameter whose path ends with "." name (or is name). */
size_t calibrate_find_param(const scenario *s, const char *name, int *ambiguous)
{
    size_t found = NOPAR, nl = strlen(name);
    *ambiguous = 0;
    for (size_t i = 0; i < s->npar; i++) {
        const char *p = s->par[i].path;
        size_t pl = strlen(p);
        if (s->par[i].n != 1 || !s->par[i].from_file || pl < nl || strcmp(p + pl - nl, name) != 0) continue;
        if (pl > nl && p[pl - nl - 1] != '.') continue;
        if (found != NOPAR) *ambiguous = 1;
        found = i;
    }
    return found;
}
