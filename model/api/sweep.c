/* sweep.c (api): hnb_sweep, the job behind `hnbsim sweep SWEEP.json`.
 *
 * It reads the sweep file (input/sweepfile.c), loads the base scenario file
 * into the handle, resolves every figure and assumption named against the
 * base scenario (an unknown name is an input error naming the sweep file and
 * its JSON path), runs each sweep (analysis/sweep*.c; batch runs here, since
 * it loads other files), and makes the sweep results the handle's results
 * (docs/sweeps.md). The results replace earlier ones only when every sweep
 * succeeded, so a failed sweep leaves nothing half-written. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/calibrate.h"
#include "analysis/sweep.h"
#include "core/dates.h"
#include "core/error.h"
#include "core/model.h"
#include "input/sweepfile.h"

static const char *const kind_names[] = {"tornado", "spider", "grid", "batch", "goal_seek", "sobol"};

/* ---- batch: one row per file and scenario ---------------------------- */

typedef struct batchctx {
    const scenario **scen;
    const sweep_figure *fig;
    size_t nfig;
} batchctx;

static int batch_case(void *ctx, size_t i, double *out)
{
    batchctx *b = ctx;
    sweep_eval e;
    int rc = sweep_eval_open(&e, b->scen[i], b->fig, b->nfig);
    if (!rc) rc = sweep_eval_run(&e, out);
    sweep_eval_close(&e);
    return rc;
}

static cJSON *run_batch(hnb_model *h, sweep_ctx *c, const sweep_spec *sp, int *rc)
{
    hnb_model **hs = calloc(sp->nfiles + 1, sizeof *hs);
    size_t ncase = 0, k = 0;
    *rc = hs ? HNB_OK : HNB_E_NOMEM;
    for (size_t f = 0; !*rc && f < sp->nfiles; f++) {
        hs[f] = hnb_model_alloc();
        if (!hs[f]) {
            *rc = HNB_E_NOMEM;
            break;
        }
        *rc = hnb_load_file(hs[f], sp->files[f]);
        if (*rc) {
            err_set(h, *rc, "%s", hnb_errmsg(hs[f]));
            snprintf(c->why, sizeof c->why, "%s", hnb_errmsg(hs[f]));
        } else {
            ncase += hs[f]->nscen;
        }
    }
    const scenario **scen = calloc(ncase + 1, sizeof *scen);
    size_t *file_of = calloc(ncase + 1, sizeof *file_of);
    double *out = malloc((ncase + 1) * c->nfig * sizeof *out);
    if (!*rc && (!scen || !file_of || !out)) *rc = HNB_E_NOMEM;
    for (size_t f = 0; !*rc && f < sp->nfiles; f++)
        for (size_t i = 0; i < hs[f]->nscen; i++) {
            file_of[k] = f;
            scen[k++] = hs[f]->scen[i];
        }
    batchctx b = {scen, c->fig, c->nfig};
    if (!*rc) {
        *rc = c->map(c->map_ctx, ncase, c->nfig, batch_case, &b, out, sp->name);
        if (*rc == HNB_E_NUMERIC)
            snprintf(c->why, sizeof c->why, "%s: a scenario's projection is not finite", sp->name);
    }
    cJSON *o = NULL;
    if (!*rc) {
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", sp->name);
        cJSON_AddStringToObject(o, "type", "batch");
        cJSON_AddStringToObject(o, "figure", c->fig[sp->figure].id);
        cJSON *rows = cJSON_AddArrayToObject(o, "rows");
        for (size_t i = 0; i < ncase; i++) {
            cJSON *r = cJSON_CreateObject();
            cJSON_AddStringToObject(r, "file", sp->files[file_of[i]]);
            cJSON_AddStringToObject(r, "scenario", scen[i]->name);
            cJSON_AddStringToObject(r, "label", scen[i]->label ? scen[i]->label : scen[i]->name);
            cJSON_AddItemToObject(r, "figures", sweep_figs_json(c, out + i * c->nfig));
            cJSON_AddItemToArray(rows, r);
        }
    }
    for (size_t f = 0; hs && f < sp->nfiles; f++) hnb_model_free(hs[f]);
    free(hs);
    free(scen);
    free(file_of);
    free(out);
    return o;
}

/* ---- resolving names ------------------------------------------------- */

static int resolve(hnb_model *h, const sweep_file *sf, sweep_spec *sp, const scenario *s)
{
    for (size_t j = 0; j < sp->nas; j++) {
        sweep_assumption *a = &sp->as[j];
        int amb = 0;
        a->par = a->name ? calibrate_find_param(s, a->name, &amb) : NOPAR;
        if (a->par == NOPAR || amb)
            return err_set(h, HNB_E_REF,
                           "%s: %s: \"%s\": %s in scenario \"%s\" of %s (expected the end of the JSON path of one "
                           "numeric assumption that the scenario file states, e.g. \"funding.hnb_allocation.amount\")",
                           sf->path, a->where, a->name ? a->name : "",
                           amb ? "names more than one assumption" : "no such assumption", s->name, s->file);
        const param *q = &s->par[a->par];
        for (size_t v = 0; v < a->nvalues; v++)
            if (!(a->values[v] >= q->lo && a->values[v] <= q->hi))
                return err_set(h, HNB_E_RANGE,
                               "%s: %s.values[%zu]: %g is outside the assumption's range (expected %g to %g)", sf->path,
                               a->where, v, a->values[v], q->lo, q->hi);
        if (a->has_range && (a->min < q->lo || a->max > q->hi))
            return err_set(h, HNB_E_RANGE,
                           "%s: %s: min %g, max %g reach outside the assumption's range (expected %g to %g)", sf->path,
                           a->where, a->min, a->max, q->lo, q->hi);
        if (!a->label) {
            char buf[400];
            sweep_label(s, a->par, buf, sizeof buf);
            a->label = strdup(buf);
            if (!a->label) return err_set(h, HNB_E_NOMEM, "out of memory");
        }
    }
    return HNB_OK;
}

static cJSON *results_head(hnb_model *h, const sweep_file *sf, const scenario *s)
{
    cJSON *r = cJSON_CreateObject();
    char date[11], src[600];
    run_date_today(date);
    cJSON_AddStringToObject(r, "format", "hnbsim-sweep");
    cJSON_AddNumberToObject(r, "format_version", 1);
    cJSON_AddStringToObject(r, "hnbsim_version", hnb_version());
    cJSON_AddStringToObject(r, "run_date", date);
    cJSON_AddStringToObject(r, "sweep_file", sf->path);
    cJSON_AddStringToObject(r, "title", sf->title[0] ? sf->title : s->title);
    cJSON_AddStringToObject(r, "authority", s->authority);
    snprintf(src, sizeof src, "hnbsim %s%s%s", hnb_version(), s->source_note[0] ? "; " : "", s->source_note);
    cJSON_AddStringToObject(r, "source", src);
    cJSON_AddStringToObject(r, "scenario_file", sf->scenario_file ? sf->scenario_file : "(embedded Sutton scenarios)");
    cJSON_AddStringToObject(r, "scenario", s->name);
    cJSON_AddStringToObject(r, "scenario_label", s->label ? s->label : s->name);
    (void)h;
    return r;
}

int hnb_sweep(hnb_model *h, const char *sweep_path, const hnb_sweep_options *opt)
{
    hnb_sweep_options def = {0, NULL, NULL, NULL};
    if (!opt) opt = &def;
    sweep_file sf;
    int rc = sweepfile_read(h, sweep_path, &sf);
    if (rc) return rc;
    err_clear(h);
    rc = sf.scenario_file ? hnb_load_file(h, sf.scenario_file) : hnb_load_embedded(h);
    const scenario *s = NULL;
    for (size_t i = 0; !rc && i < h->nscen && !s; i++)
        if (!sf.scenario || strcmp(h->scen[i]->name, sf.scenario) == 0) s = h->scen[i];
    if (!rc && !s)
        rc = err_set(h, HNB_E_REF, "%s: scenario: \"%s\": no such scenario in %s (expected one of its scenarios)",
                     sweep_path, sf.scenario, sf.scenario_file ? sf.scenario_file : "the embedded scenarios");
    char why[600] = "";
    for (size_t i = 0; !rc && i < sf.nfig; i++)
        if (sweep_figure_resolve(s, &sf.fig[i], why, sizeof why))
            rc = err_set(h, HNB_E_RANGE, "%s: figures: %s", sweep_path, why);
    int progress = opt->progress, ran = 0;
    sweep_ctx c = {s, sf.fig, sf.nfig, opt->map ? opt->map : sweep_map_serial, opt->map ? opt->map_ctx : &progress, ""};
    cJSON *root = NULL, *sws = NULL;
    if (!rc) {
        root = results_head(h, &sf, s);
        cJSON *figs = cJSON_AddArrayToObject(root, "figures");
        for (size_t i = 0; i < sf.nfig; i++) {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddStringToObject(f, "id", sf.fig[i].id);
            cJSON_AddStringToObject(f, "label", sf.fig[i].label);
            cJSON_AddStringToObject(f, "unit", sf.fig[i].money ? "£" : "EHCPs");
            cJSON_AddItemToArray(figs, f);
        }
        sws = cJSON_AddArrayToObject(root, "sweeps");
    }
    for (size_t i = 0; !rc && i < sf.nsw; i++) {
        sweep_spec *sp = &sf.sw[i];
        if (opt->only && strcmp(opt->only, sp->name) != 0) continue;
        ran++;
        rc = resolve(h, &sf, sp, s);
        if (rc) break;
        c.why[0] = '\0';
        cJSON *o = NULL;
        switch (sp->kind) {
        case SWEEP_TORNADO: o = sweep_tornado(&c, sp, &rc); break;
        case SWEEP_SPIDER: o = sweep_spider(&c, sp, &rc); break;
        case SWEEP_GRID: o = sweep_grid(&c, sp, &rc); break;
        case SWEEP_BATCH: o = run_batch(h, &c, sp, &rc); break;
        case SWEEP_GOAL: o = sweep_goal(&c, sp, &rc); break;
        case SWEEP_SOBOL: o = sweep_sobol(&c, sp, &rc); break;
        }
        if (rc) {
            /* the analyses start their message with the sweep's name, which this names already */
            size_t nl = strlen(sp->name);
            const char *why =
                strncmp(c.why, sp->name, nl) == 0 && strncmp(c.why + nl, ": ", 2) == 0 ? c.why + nl + 2 : c.why;
            if (c.why[0])
                err_set(h, rc, "%s: sweeps[%zu] (%s %s): %s", sweep_path, i, kind_names[sp->kind], sp->name, why);
            else if (!*hnb_errmsg(h))
                err_set(h, rc, "%s: sweeps[%zu] (%s %s): %s", sweep_path, i, kind_names[sp->kind], sp->name,
                        hnb_strerror(rc));
            break;
        }
        cJSON_AddItemToArray(sws, o);
    }
    if (!rc && opt->only && !ran)
        rc = err_set(h, HNB_E_USAGE, "%s: no sweep is named \"%s\" (expected the name of one of the file's sweeps)",
                     sweep_path, opt->only);
    sweepfile_free(&sf);
    if (rc) {
        cJSON_Delete(root);
        return rc;
    }
    cJSON_Delete(h->results);
    h->results = root;
    return HNB_OK;
}
