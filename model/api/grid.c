/* grid.c (api): hnb_write_grid, the full grid of age x need x placement
 * behind `hnbsim run --grid-csv`.
 *
 * The results keep EHCPs by placement, age band and need group, not every
 * cell: a 114-placement model has 2,964 cells a census. The grid is
 * projected again here, after hnb_run, with the same values and every action
 * on at its stated start (what hnb_run's deterministic projection is; the
 * anchor adjustment hnb_run found is kept in the scenario), so the CSV is the
 * run's own projection and costs one projection per scenario, not memory in
 * every run. results_write_grid (results/needs.c) writes it. */
#include <stdlib.h>

#include "core/error.h"
#include "core/model.h"
#include "core/scenario.h"
#include "engine/project.h"
#include "results/results.h"

int hnb_write_grid(hnb_model *h, const char *path)
{
    if (!h->results) return err_set(h, HNB_E_NOTRUN, "no results to write the grid of (expected hnb_run first)");
    projection *proj = calloc(h->nscen + 1, sizeof *proj);
    int rc = proj ? HNB_OK : err_set(h, HNB_E_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < h->nscen; i++) {
        const scenario *s = h->scen[i];
        workspace w = {0};
        ivstate *ivs = calloc(s->niv + 1, sizeof *ivs);
        rc = ivs ? workspace_alloc(s, &w) : HNB_E_NOMEM;
        if (!rc) rc = projection_alloc(s, &proj[i]);
        size_t cells = (size_t)s->nages * (size_t)s->nneeds * (size_t)s->nplace;
        if (!rc) proj[i].grid = malloc(((size_t)proj[i].ny * cells + 1) * sizeof(double));
        if (!rc && !proj[i].grid) rc = HNB_E_NOMEM;
        if (!rc) {
            ivstate_default(s, ivs);
            rc = project_run(s, s->val, ivs, &w, &proj[i]);
        }
        if (rc) err_set(h, rc, "%s: scenarios.%s: projecting the grid failed", s->file, s->name);
        workspace_free(&w);
        free(ivs);
    }
    if (!rc) rc = results_write_grid(h, path, h->scen, proj, h->nscen);
    for (size_t i = 0; proj && i < h->nscen; i++) projection_free(&proj[i]);
    free(proj);
    return rc;
}
