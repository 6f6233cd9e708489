/* sweep.h: batch sensitivity sweeps over one scenario (sweep*.c).
 *
 * A sweep is a list of cases, each one projection with some assumptions set
 * to other values, and each case gives the sweep file's figures. Cases are
 * run through a map (hnb_map_fn, hnbsim.h): in this process one after the
 * other (sweep_map_serial), or spread over MPI ranks by the command-line
 * tool. A case depends on its index alone, so the figures are the same bits
 * whoever runs it. Each sweep returns its part of the sweep results
 * (docs/sweeps.md) as a cJSON object. */
#ifndef HNB_SWEEP_H
#define HNB_SWEEP_H

#include <cjson/cJSON.h>

#include "core/sweepspec.h"
#include "engine/project.h"

/* What every sweep needs: the scenario, the figures, how to run cases, and
 * where to say why a sweep failed (a message for err_set). */
typedef struct sweep_ctx {
    const scenario *s;
    const sweep_figure *fig;
    size_t nfig;
    hnb_map_fn map;
    void *map_ctx;
    char why[600];
} sweep_ctx;

/* One projection at a time: a copy of the scenario's values to change, the
 * actions' states, a workspace and a projection. */
typedef struct sweep_eval {
    const scenario *s;
    double *val;
    ivstate *ivs;
    workspace w;
    projection p;
    const sweep_figure *fig;
    size_t nfig;
} sweep_eval;

int sweep_eval_open(sweep_eval *e, const scenario *s, const sweep_figure *fig, size_t nfig);
void sweep_eval_close(sweep_eval *e);
/* Project e->val with e->ivs; the figures into out[nfig]. */
int sweep_eval_run(sweep_eval *e, double *out);
/* The figures of a projection (NAN where a figure does not exist). */
void sweep_figures(const scenario *s, const projection *p, const sweep_figure *fig, size_t nfig, double *out);
/* Check that f exists in s's horizon and write its label; 0, or -1 with why. */
int sweep_figure_resolve(const scenario *s, sweep_figure *f, char *why, size_t n);
/* An assumption's human label with its unit, from the scenario's names for
 * placements, lines and actions: "Unit cost of NMI (£ per EHCP per year)". */
void sweep_label(const scenario *s, size_t par, char *buf, size_t n);

/* Run ncase cases, case i setting assumption j (parameter par[j], a scalar)
 * to x[i*nas + j] (NAN: its central value); figures into out[i*nfig + k]. */
int sweep_run_cases(sweep_ctx *c, size_t nas, const size_t *par, const double *x, size_t ncase, const char *what,
                    double *out);
/* The map that runs every case here, in order; map_ctx points to an int:
 * 1 to show a progress line on stderr. */
int sweep_map_serial(void *map_ctx, size_t ncases, size_t nout, hnb_case_fn fn, void *ctx, double *out,
                     const char *what);
/* The progress line: "sweep tornado: 120/400 cases, 35.2 a second, 8 s left". */
void sweep_progress(const char *what, size_t done, size_t total, double seconds);

/* A figure object {id: value} (null for NAN). */
cJSON *sweep_figs_json(const sweep_ctx *c, const double *v);

/* The sweeps (sweep_oat.c, sweep_goal.c, sweep_sobol.c). Each returns its
 * object, or NULL with *rc set (and c->why for a message). */
cJSON *sweep_tornado(sweep_ctx *c, const sweep_spec *sp, int *rc);
cJSON *sweep_spider(sweep_ctx *c, const sweep_spec *sp, int *rc);
cJSON *sweep_grid(sweep_ctx *c, const sweep_spec *sp, int *rc);
cJSON *sweep_goal(sweep_ctx *c, const sweep_spec *sp, int *rc);
cJSON *sweep_sobol(sweep_ctx *c, const sweep_spec *sp, int *rc);

/* The contour of a grid of values z[iy*nx + ix] over x[nx], y[ny] at level:
 * segments by marching squares with linear interpolation on the cell edges,
 * four numbers each (x0, y0, x1, y1). Returns the count (malloc'd *seg). */
size_t sweep_contour(const double *x, size_t nx, const double *y, size_t ny, const double *z, double level,
                     double **seg);

#endif
