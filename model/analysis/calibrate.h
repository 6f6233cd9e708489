/* calibrate.h: weighted least-squares fit of named assumptions to the
 * published figures (calibrate.c). The job that reads the calibration block,
 * prints the report and writes the fitted file is api/calibrate.c. */
#ifndef HNB_CALIBRATE_H
#define HNB_CALIBRATE_H

#include "analysis/backtest.h"
#include "engine/project.h"

typedef struct fitctx {
    const scenario *s;
    double *val;       /* the scenario's values with the trial assumptions */
    const size_t *par; /* the parameters being fitted */
    const double *x0;  /* their stated values (the scale) */
    size_t np;
    unsigned char *use;   /* [rows]: in the fit */
    unsigned char *fixed; /* [np]: held at its value, not fitted */
    size_t nrows, nuse;
    ivstate *ivs;
    workspace w;
    projection p;
    comparison *c; /* [maxrows] */
    size_t maxrows;
} fitctx;

typedef struct fitout {
    double *value, *se;
    double *corr;          /* [np][np]: correlation of the fitted values (NAN where not fitted) */
    unsigned char *fitted; /* 0: not identified by the figures, kept */
    int iterations, status;
    double chisq;
} fitout;

/* One projection with the fitted parameters at x (as multiples of their
 * stated values), and the comparisons with the published figures in f->c. */
int calibrate_evaluate(fitctx *f, const double *x);
/* Fit the parameters with `use` rows; results in out (values in real units). */
int calibrate_fit(fitctx *f, fitout *out);
/* The scalar parameter from the file whose path ends with "." name (or is
 * name); NOPAR if none. *ambiguous is set when several match. */
size_t calibrate_find_param(const scenario *s, const char *name, int *ambiguous);

#endif
