/* run.c: hnb_run, the whole job for every loaded scenario.
 *
 * Each scenario is projected once deterministically; a scenario that extends
 * another and adds actions then has its saving attributed to them (against
 * its parent's projection when the parent was loaded too); Monte Carlo runs
 * when paths were asked for. Every deterministic projection is checked
 * against the invariants (engine/invariants.h) before anything is built
 * from it: a broken one is HNB_E_INTERNAL and no results. The results tree
 * replaces any earlier one only when everything succeeded. hnb_run_map is the
 * same job with the Monte Carlo paths through a map of cases (the MPI map of
 * `mpirun hnbsim run`, analysis/montecarlo_map.c), the same bytes. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/attribution.h"
#include "analysis/expected.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/fileout.h"
#include "core/model.h"
#include "analysis/montecarlo.h"
#include "analysis/montecarlo_map.h"
#include "engine/invariants.h"
#include "engine/project.h"
#include "results/results.h"
#include "analysis/sensitivity.h"

/* The council's forecast of its anchor year less the model's own (£). */
static double anchor_gap(const scenario *s, const projection *p)
{
    int k = s->anchor_fy - s->first_fy;
    return par_val(s, s->val, s->anchor_in_year)[0] - (p->in_year[k] - p->alignment[k]);
}

/* The alignment an inherited anchor shares: that of the nearest ancestor
 * that states it, projected here with its own inputs; NAN if this scenario
 * states the anchor itself (or the owner is not loaded). */
static double anchor_shared(hnb_model *h, const scenario *s)
{
    const scenario *o = s;
    while (!o->anchor_owned && o->parent >= 0) o = h->scen[o->parent];
    if (o == s || !o->anchor_owned || o->anchor_fy != s->anchor_fy) return NAN;
    workspace w = {0};
    projection p = {0};
    ivstate *ivs = calloc(o->niv + 1, sizeof *ivs);
    double gap = NAN;
    if (ivs && !workspace_alloc(o, &w) && !projection_alloc(o, &p)) {
        ivstate_default(o, ivs);
        scenario *own = (scenario *)o;
        double keep = own->anchor_adjust;
        own->anchor_adjust = 0.0;
        if (project_run(o, o->val, ivs, &w, &p) == HNB_OK) gap = anchor_gap(o, &p);
        own->anchor_adjust = keep;
    }
    workspace_free(&w);
    projection_free(&p);
    free(ivs);
    return gap;
}

/* The sampled inputs' file of a scenario beside --paths-out FILE:
 * FILE less any ".csv", then "-inputs-NAME.csv" (caller frees). */
static char *inputs_name(const char *paths_out, const char *scen)
{
    size_t n = strlen(paths_out);
    if (n >= 4 && strcmp(paths_out + n - 4, ".csv") == 0) n -= 4;
    size_t m = n + strlen(scen) + 16;
    char *t = malloc(m);
    if (t) snprintf(t, m, "%.*s-inputs-%s.csv", (int)n, paths_out, scen);
    return t;
}

int hnb_run(hnb_model *h, const hnb_run_options *opt) { return hnb_run_map(h, opt, NULL); }

int hnb_run_map(hnb_model *h, const hnb_run_options *opt, const hnb_map_options *map)
{
    int worker = map && map->worker; /* serves another's map: Monte Carlo blocks only */
    hnb_run_options def = {0, 1, 0, 0, 1, NULL};
    if (!opt) opt = &def;
    if (!h->nscen)
        return err_set(h, HNB_E_USAGE, "no scenarios loaded (expected hnb_load_file or hnb_load_embedded first)");
    err_clear(h);
    /* a name once in a run: two scenarios of one name (the same file given
     * twice) would overwrite each other's charts and rows */
    for (size_t i = 0; i < h->nscen; i++)
        for (size_t k = 0; k < i; k++)
            if (strcmp(h->scen[i]->name, h->scen[k]->name) == 0)
                return err_set(h, HNB_E_KEY,
                               "%s: scenarios.%s: a scenario of this name is already loaded from %s (expected each "
                               "scenario name once in a run: is the same file given twice?)",
                               h->scen[i]->file, h->scen[i]->name, h->scen[k]->file);
    unsigned long mark = alloc_failures();
    projection *proj = calloc(h->nscen, sizeof *proj);
    cJSON *root = results_new(h);
    int rc = (proj && root) ? HNB_OK : err_set(h, HNB_E_NOMEM, "out of memory");
    fileout paths = {0};
    /* beside the paths' figures, each scenario's sampled inputs */
    fileout *inputs = calloc(h->nscen + 1, sizeof *inputs);
    if (!inputs && !rc) rc = err_set(h, HNB_E_NOMEM, "out of memory");
    if (!rc && opt->paths > 0 && opt->paths_out && !worker) {
        rc = fileout_open(h, &paths, opt->paths_out);
        if (!rc) montecarlo_paths_header(h->scen[0], paths.fp);
    }
    /* every scenario's projection first, so a child listed before its parent
     * is still compared with the parent */
    for (size_t i = 0; !rc && i < h->nscen; i++) {
        scenario *s = h->scen[i];
        workspace w = {0};
        ivstate *ivs = calloc(s->niv + 1, sizeof *ivs);
        rc = ivs ? workspace_alloc(s, &w) : HNB_E_NOMEM;
        if (!rc) rc = projection_alloc(s, &proj[i]);
        if (!rc) { /* the grid for results by need and the grid CSV (results/needs.c) */
            size_t cells = (size_t)s->nages * (size_t)s->nneeds * (size_t)s->nplace;
            proj[i].grid = malloc(((size_t)proj[i].ny * cells + 1) * sizeof(double));
            if (!proj[i].grid) rc = HNB_E_NOMEM;
        }
        if (!rc) {
            ivstate_default(s, ivs);
            rc = project_run(s, s->val, ivs, &w, &proj[i]);
            /* aligned to the council's forecast of one year: the gap found
             * here is a constant of the scenario from now on (every Monte
             * Carlo path and savings subset carries the same adjustment) */
            if (!rc && s->anchor_fy >= 0 && s->anchor_align) {
                s->anchor_adjust = anchor_shared(h, s);
                if (isnan(s->anchor_adjust)) s->anchor_adjust = anchor_gap(s, &proj[i]);
                rc = project_run(s, s->val, ivs, &w, &proj[i]);
            }
            char what[300];
            if (rc)
                err_set(
                    h, rc,
                    "%s: scenarios.%s: the projection is not finite (expected assumptions that keep figures finite)",
                    s->file, s->name);
            else if (invariants_check(s, s->val, &proj[i], what, sizeof what))
                rc = err_set(h, HNB_E_INTERNAL,
                             "%s: scenarios.%s: invariant broken: %s (a defect of the model, not of the file: please "
                             "report it; no results written)",
                             s->file, s->name, what);
        } else {
            err_set(h, HNB_E_NOMEM, "out of memory projecting %s", s->name);
        }
        workspace_free(&w);
        free(ivs);
    }
    /* hnb_select_scenario: the one scenario reported, with the scenarios it
     * extends (its savings by action are against them) */
    unsigned char *report = calloc(h->nscen + 1, 1);
    if (!report && !rc) rc = err_set(h, HNB_E_NOMEM, "out of memory");
    int only = -1;
    for (size_t i = 0; report && i < h->nscen; i++) {
        report[i] = !h->only;
        if (h->only && strcmp(h->scen[i]->name, h->only) == 0) only = (int)i;
    }
    for (int i = only; i >= 0 && report; i = h->scen[i]->parent) report[i] = 1;
    if (!rc && h->only && only < 0) rc = err_set(h, HNB_E_REF, "--scenario %s: no such scenario loaded", h->only);
    for (size_t i = 0; !rc && i < h->nscen; i++) {
        const scenario *s = h->scen[i];
        if (!report[i]) continue;
        savings sv = {0};
        int has_sv = 0;
        if (opt->attribution && !worker && s->extends && s->niv > s->nparent_iv) {
            const projection *parent = s->parent >= 0 ? &proj[s->parent] : NULL;
            rc = attribution_run(s, parent, opt->threads > 0 ? opt->threads : (int)sysconf(_SC_NPROCESSORS_ONLN), &sv);
            if (rc == HNB_E_INTERNAL)
                err_set(h, rc,
                        "%s: scenarios.%s: savings by action do not add up to the total (a defect: please report it)",
                        s->file, s->name);
            else if (rc)
                err_set(h, rc, "%s: scenarios.%s: attributing savings failed", s->file, s->name);
            has_sv = !rc;
        }
        expected_line ex = {0};
        int has_ex = 0;
        if (!rc && !worker) {
            rc = expected_run_threads(s, opt->threads > 0 ? opt->threads : (int)sysconf(_SC_NPROCESSORS_ONLN), &ex);
            if (rc) err_set(h, rc, "%s: scenarios.%s: the risk-weighted line is not finite", s->file, s->name);
            has_ex = !rc;
        }
        mc_summary *mc = NULL;
        if (!rc && opt->paths > 0 && map)
            rc = montecarlo_run_map(h, s, opt->paths, opt->seed, opt->threads, paths.fp, map, &mc);
        else if (!rc && opt->paths > 0)
            rc = montecarlo_run(h, s, opt->paths, opt->seed, opt->threads, opt->progress, paths.fp, &mc);
        if (!rc && opt->paths > 0 && opt->paths_out && !worker) {
            char *name = inputs_name(opt->paths_out, s->name);
            rc = name ? fileout_open(h, &inputs[i], name) : err_set(h, HNB_E_NOMEM, "out of memory");
            if (!rc && montecarlo_write_inputs(s, opt->paths, opt->seed, inputs[i].fp))
                rc = err_set(h, HNB_E_NOMEM, "out of memory writing %s", name);
            free(name);
        }
        if (!rc && !worker) rc = results_add_scenario(root, s, &proj[i], has_sv ? &sv : NULL, has_ex ? &ex : NULL, mc);
        /* a tree that lacks a member is not read back (the comparison) */
        if (!rc && alloc_failures() != mark) rc = HNB_E_NOMEM;
        if (has_sv) savings_free(&sv);
        if (has_ex) expected_free(&ex);
        montecarlo_free(mc);
    }
    if (!rc && !worker) results_add_comparison(root);
    /* with Monte Carlo, the ranking of what moves the 2028 position, for the
     * scenario with the most sources of uncertainty (a plan's delivery risks
     * included); the first such on a tie */
    if (!rc && opt->paths > 0 && h->nscen && !worker) {
        size_t best = 0, most = 0;
        for (size_t i = 0; i < h->nscen; i++) {
            if (!report[i]) continue;
            size_t n = sensitivity_sources(h->scen[i]);
            if (n > most) {
                most = n;
                best = i;
            }
        }
        if (most && (rc = sensitivity_add(root, h->scen[best])) != 0)
            err_set(h, rc, "sensitivity of %s failed", h->scen[best]->name);
    }
    if (!rc && opt->paths > 0) {
        cJSON *m = cJSON_AddObjectToObject(root, "montecarlo");
        cJSON_AddNumberToObject(m, "paths", (double)opt->paths);
        cJSON_AddNumberToObject(m, "seed", (double)opt->seed);
    }
    if (paths.fp) {
        if (rc)
            fileout_abort(&paths);
        else
            rc = fileout_commit(h, &paths);
    }
    for (size_t i = 0; inputs && i < h->nscen; i++) {
        if (!inputs[i].fp) continue;
        if (rc)
            fileout_abort(&inputs[i]);
        else
            rc = fileout_commit(h, &inputs[i]);
    }
    free(inputs);
    free(report);
    for (size_t i = 0; proj && i < h->nscen; i++) projection_free(&proj[i]);
    free(proj);
    rc = alloc_check(h, mark, rc, "running the scenarios and building the results");
    if (rc) {
        cJSON_Delete(root);
        return rc;
    }
    cJSON_Delete(h->results);
    h->results = root;
    return HNB_OK;
}
