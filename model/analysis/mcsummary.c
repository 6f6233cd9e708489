/* mcsummary.c: a Monte Carlo run's summary, its parts and its JSON
 * (split from montecarlo.c, which fills it).
 *
 * The summary holds each figure's mean and percentiles (mcsummary.h's
 * order), the headline figures' Monte Carlo standard errors and the counts
 * behind the probabilities; montecarlo_add_results writes them into a
 * scenario's results as the "montecarlo" object. A run spread over
 * processes (montecarlo_map.c) builds one from gathered columns with
 * montecarlo_summary_new, _column and _counts: the same numbers as
 * montecarlo_run's. */
#include <math.h>
#include <stdlib.h>

#include "analysis/mcsummary.h"
#include "analysis/montecarlo.h"
#include "analysis/mcse.h"
#include "core/dates.h"
#include "engine/headline.h"

const double mc_se_pct[3] = {0.05, 0.50, 0.95};
static const char *const stat_names[NSTAT] = {"mean", "p5", "p10", "p25", "p50", "p75", "p90", "p95"};

void montecarlo_free(mc_summary *m)
{
    if (!m) return;
    free(m->stat);
    free(m);
}

static cJSON *stats_json(const double *st)
{
    cJSON *o = cJSON_CreateObject();
    for (int k = 0; k < NSTAT; k++) {
        if (isnan(st[k]))
            cJSON_AddNullToObject(o, stat_names[k]);
        else
            cJSON_AddNumberToObject(o, stat_names[k], st[k]);
    }
    return o;
}

void montecarlo_add_results(cJSON *sc, const scenario *s, const mc_summary *m)
{
    cJSON *o = cJSON_AddObjectToObject(sc, "montecarlo");
    cJSON_AddNumberToObject(o, "paths", (double)m->paths);
    cJSON_AddNumberToObject(o, "seed", (double)m->seed);
    cJSON *ys = cJSON_AddArrayToObject(o, "years");
    size_t per = 3 + (size_t)m->nplace, base = 2 + 2 * (size_t)m->ny;
    for (int k = 0; k < m->ny; k++) {
        cJSON *y = cJSON_CreateObject();
        char b[8];
        fy_format(s->first_fy + k, b);
        cJSON_AddStringToObject(y, "fy", b);
        cJSON_AddItemToObject(y, "cumulative", stats_json(m->stat + (2 + 2 * (size_t)k) * NSTAT));
        cJSON_AddItemToObject(y, "in_year", stats_json(m->stat + (3 + 2 * (size_t)k) * NSTAT));
        size_t f = base + (size_t)k * per;
        cJSON_AddItemToObject(y, "spend", stats_json(m->stat + f * NSTAT));
        cJSON_AddItemToObject(y, "funding", stats_json(m->stat + (f + 1) * NSTAT));
        cJSON_AddItemToObject(y, "ehcps", stats_json(m->stat + (f + 2) * NSTAT));
        cJSON *bp = cJSON_AddObjectToObject(y, "ehcps_by_placement");
        for (int q = 0; q < m->nplace; q++)
            cJSON_AddItemToObject(bp, s->place[q].id, stats_json(m->stat + (f + 3 + (size_t)q) * NSTAT));
        cJSON_AddItemToArray(ys, y);
    }
    cJSON *hl = cJSON_AddObjectToObject(o, "headline");
    cJSON_AddItemToObject(hl, "cumulative_at_override_end", stats_json(m->stat + FIG_OVERRIDE * NSTAT));
    if (scenario_has_action(s, IV_DEFICIT_WRITEOFF))
        cJSON_AddItemToObject(hl, "cumulative_at_override_end_gross",
                              stats_json(m->stat + fig_gross(m->ny, m->nplace) * NSTAT));
    cJSON_AddItemToObject(hl, "peak_deficit", stats_json(m->stat + FIG_PEAK * NSTAT));
    cJSON *se = cJSON_AddObjectToObject(o, "standard_errors");
    cJSON_AddStringToObject(se, "method", MCSE_METHOD);
    static const char *const se_fig[3] = {"cumulative_at_override_end", "peak_deficit",
                                          "cumulative_at_override_end_gross"};
    for (int f = 0; f < 3; f++) {
        if (f == 2 && !scenario_has_action(s, IV_DEFICIT_WRITEOFF)) continue;
        cJSON *e = cJSON_AddObjectToObject(se, se_fig[f]);
        for (int k = 0; k < 3; k++) {
            const char *name = k == 0 ? "se_p5" : k == 1 ? "se_p50" : "se_p95";
            if (isnan(m->se[3 * f + k]))
                cJSON_AddNullToObject(e, name);
            else
                cJSON_AddNumberToObject(e, name, m->se[3 * f + k]);
        }
    }
    cJSON *pr = cJSON_AddObjectToObject(o, "probabilities");
    double n = (double)m->paths;
    char b[8];
    fy_format(s->balance_by_fy, b);
    cJSON *bal = cJSON_AddObjectToObject(pr, "in_year_balance_by");
    cJSON_AddStringToObject(bal, "fy", b);
    cJSON_AddNumberToObject(bal, "p", (double)m->n_balance / n);
    cJSON *ab = cJSON_AddObjectToObject(pr, "deficit_at_override_end_above");
    cJSON_AddNumberToObject(ab, "threshold", s->deficit_threshold);
    if (headline_override_index(s) >= 0)
        cJSON_AddNumberToObject(ab, "p", (double)m->n_above / n);
    else
        cJSON_AddNullToObject(ab, "p");
    cJSON_AddNumberToObject(pr, "deficit_grows_every_year", (double)m->n_grows / n);
}

mc_summary *montecarlo_summary_new(const scenario *s, uint64_t paths, uint64_t seed)
{
    mc_summary *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->paths = paths;
    m->seed = seed;
    m->ny = s->last_fy - s->first_fy + 1;
    m->nplace = s->nplace;
    m->nfig = montecarlo_figures(s);
    m->stat = calloc(m->nfig * NSTAT, sizeof *m->stat);
    if (!m->stat) {
        free(m);
        return NULL;
    }
    return m;
}

double *montecarlo_summary_stat(mc_summary *m, size_t f) { return m->stat + f * NSTAT; }

void montecarlo_summary_column(mc_summary *m, size_t f, double *col)
{
    montecarlo_column_stats(col, m->paths, m->stat + f * NSTAT);
    /* the headline figures' standard errors, as summarise_some gives them */
    int hf = f == FIG_OVERRIDE ? 0 : f == FIG_PEAK ? 1 : f == m->nfig - 1 ? 2 : -1;
    if (hf >= 0) mcse_percentiles(col, m->paths, mc_se_pct, 3, m->se + 3 * hf);
}

void montecarlo_summary_counts(mc_summary *m, uint64_t n_balance, uint64_t n_above, uint64_t n_grows)
{
    m->n_balance = n_balance;
    m->n_above = n_above;
    m->n_grows = n_grows;
}
