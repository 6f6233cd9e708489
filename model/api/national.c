/* national.c (api): hnb_national and hnb_backtest_national, the jobs over
 * every English authority.
 *
 * Each authority's scenario is made by the importer (model/import/), loaded
 * by the one loader into a handle of its own and run by the one engine and
 * Monte Carlo, exactly as `hnbsim import-sen2 | hnbsim run` would; nothing
 * here forecasts by itself. The back-test starts every authority from an
 * earlier census with nothing published after it (the importer's rule) and
 * sets the forecasts beside the published totals, with three baselines
 * computed from the same series: naive (last year's growth repeated), the
 * authority's 3-year mean growth, and England's last-year growth applied to
 * every authority. An authority that has since been split (Cumbria) is
 * compared with the sum of its successors. Files are written atomically and
 * only when every authority ran. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/errorstats.h"
#include "analysis/montecarlo.h"
#include "core/dates.h"
#include "core/error.h"
#include "core/fileout.h"
#include "core/model.h"
#include "engine/project.h"
#include "import/import.h"
#include "input/load.h"
#include "api/national.h"

static double stat_of(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

int nat_run_one(hnb_model *h, const sen2db *db, const s2_la *a, int C, const hnb_national_options *opt, uint64_t seed,
                la_run *r)
{
    memset(r, 0, sizeof *r);
    r->a = a;
    r->census = C;
    r->now = s2_total(a, C);
    est_growth(db, a, C, &r->g);
    cJSON *doc = NULL;
    int rc = import_scenario(h, db, a, C, &doc);
    if (rc) return rc;
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    hnb_model *m = hnb_model_alloc();
    if (!text || !m) {
        free(text);
        hnb_model_free(m);
        return err_set(h, HNB_E_NOMEM, "out of memory");
    }
    char name[128];
    snprintf(name, sizeof name, "(import-sen2 %s %d)", a->name, C);
    rc = scenario_load_text(m, name, text, strlen(text), 0, 0);
    free(text);
    if (rc) {
        err_set(h, HNB_E_INTERNAL, "%s", hnb_errmsg(m));
        hnb_model_free(m);
        return HNB_E_INTERNAL;
    }
    const scenario *s = m->scen[0];
    projection p;
    workspace w;
    ivstate ivs[1];
    rc = projection_alloc(s, &p);
    if (!rc && (rc = workspace_alloc(s, &w)) != 0) projection_free(&p);
    if (!rc) {
        ivstate_default(s, ivs);
        rc = project_run(s, s->val, ivs, &w, &p);
        r->ny = p.ny < MAXH ? p.ny : MAXH;
        for (int k = 0; k < r->ny; k++) {
            double t = 0;
            for (int q = 0; q < p.nplace; q++) t += p.ehcps[k * p.nplace + q];
            r->det[k] = r->p5[k] = r->p10[k] = r->p50[k] = r->p90[k] = r->p95[k] = t;
        }
        r->spend0 = p.spend_total[0];
        r->spend_last = p.spend_total[p.ny - 1];
        r->cum_last = p.cumulative[p.ny - 1];
        projection_free(&p);
        workspace_free(&w);
    }
    if (!rc && opt->paths > 0) {
        mc_summary *mc = NULL;
        rc = montecarlo_run(m, s, opt->paths, seed, opt->threads, 0, NULL, &mc);
        cJSON *tmp = cJSON_CreateObject();
        if (!rc && tmp) {
            montecarlo_add_results(tmp, s, mc);
            const cJSON *ys =
                cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(tmp, "montecarlo"), "years");
            int k = 0;
            for (const cJSON *y = ys ? ys->child : NULL; y && k < r->ny; y = y->next, k++) {
                const cJSON *e = cJSON_GetObjectItemCaseSensitive(y, "ehcps");
                r->p5[k] = stat_of(e, "p5");
                r->p10[k] = stat_of(e, "p10");
                r->p50[k] = stat_of(e, "p50");
                r->p90[k] = stat_of(e, "p90");
                r->p95[k] = stat_of(e, "p95");
            }
        }
        if (rc) err_set(h, rc, "%s", hnb_errmsg(m));
        cJSON_Delete(tmp);
        montecarlo_free(mc);
    }
    hnb_model_free(m);
    if (rc) err_set(h, rc, "%s: January %d: the projection failed: %s", a->name, C, hnb_errmsg(h));
    return rc;
}

void nat_progress(const hnb_national_options *opt, const char *what, size_t i, size_t n, const char *name)
{
    if (!opt->progress) return;
    fprintf(stderr, "\r%s: %zu/%zu authorities %-40.40s", what, i, n, name);
    if (i == n) fprintf(stderr, "\n");
    fflush(stderr);
}

int nat_csv_name(FILE *f, const char *s) { return fprintf(f, strchr(s, ',') || strchr(s, '"') ? "\"%s\"" : "%s", s); }

/* ---- hnb_national ------------------------------------------------------- */

/* One authority's run as doubles, for a map that spreads the authorities
 * over processes: every field but the authority itself (the same on every
 * process, set again from its index), each an exact double, so the figures
 * come back the same bits. */
#define NAT_PACKED (3 + 6 * MAXH + 3 + 8 + 7)

static void nat_pack(const la_run *r, double *o)
{
    size_t k = 0;
    o[k++] = r->census;
    o[k++] = r->ny;
    o[k++] = r->now;
    const double *arr[6] = {r->det, r->p5, r->p10, r->p50, r->p90, r->p95};
    for (int a = 0; a < 6; a++)
        for (int y = 0; y < MAXH; y++) o[k++] = arr[a][y];
    o[k++] = r->spend0;
    o[k++] = r->spend_last;
    o[k++] = r->cum_last;
    const growth_est *g = &r->g;
    const double gd[8] = {g->own3, g->last, g->nat3, g->natlast, g->w, g->pooled, g->growth, g->sd};
    for (int a = 0; a < 8; a++) o[k++] = gd[a];
    o[k++] = g->nbreak;
    for (int a = 0; a < 4; a++) o[k++] = g->breaks[a];
    o[k++] = g->lastbreak;
    o[k++] = g->flowbreak;
}

static void nat_unpack(const double *o, const s2_la *a, la_run *r)
{
    size_t k = 0;
    memset(r, 0, sizeof *r);
    r->a = a;
    r->census = (int)o[k++];
    r->ny = (int)o[k++];
    r->now = o[k++];
    double *arr[6] = {r->det, r->p5, r->p10, r->p50, r->p90, r->p95};
    for (int b = 0; b < 6; b++)
        for (int y = 0; y < MAXH; y++) arr[b][y] = o[k++];
    r->spend0 = o[k++];
    r->spend_last = o[k++];
    r->cum_last = o[k++];
    growth_est *g = &r->g;
    double *gd[8] = {&g->own3, &g->last, &g->nat3, &g->natlast, &g->w, &g->pooled, &g->growth, &g->sd};
    for (int b = 0; b < 8; b++) *gd[b] = o[k++];
    g->nbreak = (int)o[k++];
    for (int b = 0; b < 4; b++) g->breaks[b] = (int)o[k++];
    g->lastbreak = (int)o[k++];
    g->flowbreak = (unsigned)o[k++];
}

typedef struct natmap {
    hnb_model *h;
    const sen2db *db;
    const s2_la **las;
    int C;
    const hnb_national_options *opt;
} natmap;

static int nat_case(void *ctx, size_t i, double *out)
{
    natmap *nm = ctx;
    la_run r;
    int rc = nat_run_one(nm->h, nm->db, nm->las[i], nm->C, nm->opt, nm->opt->seed + i, &r);
    if (!rc) nat_pack(&r, out);
    return rc;
}

/* The national run's progress line: authorities done and the total, the
 * rate and the time left, and the authority in hand. */
static void rate_progress(const hnb_national_options *opt, size_t i, size_t n, const struct timespec *t0,
                          const char *name)
{
    if (!opt->progress) return;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double s = (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
    double rate = s > 0 && i ? (double)i / s : 0.0;
    fprintf(stderr, "\rnational: %zu/%zu authorities, %.1f a second, ", i, n, rate);
    if (rate > 0)
        fprintf(stderr, "%.0f s left %-32.32s", (double)(n - i) / rate, name);
    else
        fprintf(stderr, "%-40.40s", name);
    if (i == n) fprintf(stderr, "\n");
    fflush(stderr);
}

int hnb_national(hnb_model *h, const hnb_national_options *opt, void *file)
{
    return hnb_national_map(h, opt, file, NULL);
}

int hnb_national_map(hnb_model *h, const hnb_national_options *opt, void *file, const hnb_map_options *map)
{
    err_clear(h);
    sen2db db;
    int rc = sen2_load(h, opt->data_dir, &db);
    if (rc) return rc;
    int C = opt->census ? opt->census : import_latest_census(&db.la[0]);
    const s2_la **las = malloc(db.n * sizeof *las);
    la_run *runs = calloc(db.n, sizeof *runs);
    size_t n = las ? sen2_authorities_at(&db, C, las) : 0;
    if (!las || !runs) rc = err_set(h, HNB_E_NOMEM, "out of memory");
    if (!rc && !n)
        rc = err_set(h, HNB_E_RANGE, "--census: no authority reports a January %d census (expected 2023 to 2025)", C);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!rc && map) {
        natmap nm = {h, &db, las, C, opt};
        double *buf = malloc(n * NAT_PACKED * sizeof *buf);
        rc = buf ? map->map(map->map_ctx, n, NAT_PACKED, nat_case, &nm, buf, "national") : HNB_E_NOMEM;
        if (rc == HNB_E_NOMEM && !buf) err_set(h, rc, "out of memory");
        if (rc && !*hnb_errmsg(h))
            err_set(h, rc,
                    "an authority's run failed on another MPI rank (expected every authority to run: run "
                    "without mpirun to see its message)");
        for (size_t i = 0; !rc && i < n; i++) nat_unpack(buf + i * NAT_PACKED, las[i], &runs[i]);
        free(buf);
    }
    for (size_t i = 0; !rc && !map && i < n; i++) {
        rate_progress(opt, i, n, &t0, las[i]->name);
        rc = nat_run_one(h, &db, las[i], C, opt, opt->seed + i, &runs[i]);
    }
    if (!rc && !map) rate_progress(opt, n, n, &t0, "");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    double sum_now = 0, sum_h = 0, sum_p10 = 0, sum_p90 = 0, sum_s0 = 0;
    int H = n ? runs[0].ny : 0;
    for (size_t i = 0; !rc && i < n; i++) {
        sum_now += runs[i].now;
        sum_h += runs[i].det[H - 1];
        sum_p10 += runs[i].p10[H - 1];
        sum_p90 += runs[i].p90[H - 1];
        sum_s0 += runs[i].spend0;
    }
    const s2_la *eng = &db.la[0];
    cJSON *root = rc ? NULL : cJSON_CreateObject();
    if (root) {
        cJSON_AddStringToObject(root, "format", "hnbsim-national");
        cJSON_AddNumberToObject(root, "census", C);
        cJSON_AddNumberToObject(root, "horizon_census", C + H);
        cJSON_AddNumberToObject(root, "paths", (double)opt->paths);
        char date[11];
        run_date_today(date); /* SOURCE_DATE_EPOCH when set; no wall time here: the same run, the same bytes */
        cJSON_AddStringToObject(root, "run_date", date);
        cJSON_AddStringToObject(root, "source",
                                "DfE SEN2 2025 (data/sen2); each authority's scenario from hnbsim import-sen2, money "
                                "from national defaults (\"replace\": true)");
        cJSON *arr = cJSON_AddArrayToObject(root, "authorities");
        for (size_t i = 0; i < n; i++) {
            const la_run *r = &runs[i];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "name", r->a->name);
            cJSON_AddStringToObject(o, "code", r->a->code);
            cJSON_AddStringToObject(o, "region", r->a->region);
            cJSON_AddNumberToObject(o, "ehcps_now", r->now);
            cJSON_AddNumberToObject(o, "growth", r->g.growth);
            cJSON_AddNumberToObject(o, "ehcps_horizon", r->det[H - 1]);
            cJSON_AddNumberToObject(o, "ehcps_horizon_p10", r->p10[H - 1]);
            cJSON_AddNumberToObject(o, "ehcps_horizon_p90", r->p90[H - 1]);
            cJSON_AddNumberToObject(o, "spend_first_fy", r->spend0);
            cJSON_AddNumberToObject(o, "spend_last_fy", r->spend_last);
            cJSON_AddNumberToObject(o, "cumulative_last_fy", r->cum_last);
            cJSON_AddNumberToObject(o, "data_breaks", r->g.nbreak);
            cJSON_AddItemToArray(arr, o);
        }
        cJSON *e = cJSON_AddObjectToObject(root, "england");
        cJSON_AddNumberToObject(e, "authorities", (double)n);
        cJSON_AddNumberToObject(e, "ehcps_now", sum_now);
        cJSON_AddNumberToObject(e, "ehcps_now_published", s2_has_census(eng, C) ? s2_total(eng, C) : NAN);
        cJSON_AddNumberToObject(e, "ehcps_horizon", sum_h);
        cJSON_AddNumberToObject(e, "ehcps_horizon_p10_sum", sum_p10);
        cJSON_AddNumberToObject(e, "ehcps_horizon_p90_sum", sum_p90);
        cJSON_AddNumberToObject(e, "spend_first_fy", sum_s0);
    }
    if (!rc && opt->json_out) {
        char *t = cJSON_Print(root);
        rc = t ? fileout_write_string(h, opt->json_out, t) : err_set(h, HNB_E_NOMEM, "out of memory");
        free(t);
    }
    if (!rc && opt->csv_out) {
        fileout f;
        rc = fileout_open(h, &f, opt->csv_out);
        if (!rc) {
            fprintf(f.fp,
                    "authority,code,region,ehcps_january_%d,growth_per_year,ehcps_january_%d,p10,p90,"
                    "spend_first_fy_gbp,spend_last_fy_gbp,cumulative_last_fy_gbp,data_breaks\n",
                    C, C + H);
            for (size_t i = 0; i < n; i++) {
                const la_run *r = &runs[i];
                nat_csv_name(f.fp, r->a->name);
                fprintf(f.fp, ",%s,%s,%.0f,%.6f,%.1f,%.1f,%.1f,%.0f,%.0f,%.0f,%d\n", r->a->code, r->a->region, r->now,
                        r->g.growth, r->det[H - 1], r->p10[H - 1], r->p90[H - 1], r->spend0, r->spend_last, r->cum_last,
                        r->g.nbreak);
            }
            fprintf(f.fp, "England,E92000001,,%.0f,,%.1f,%.1f,%.1f,%.0f,,,\n", sum_now, sum_h, sum_p10, sum_p90,
                    sum_s0);
            rc = fileout_commit(h, &f);
        }
    }
    if (!rc && file) {
        FILE *fp = file;
        fprintf(fp, "National run from the January %d census: %zu authorities, %llu Monte Carlo paths each\n", C, n,
                (unsigned long long)opt->paths);
        fprintf(fp, "  England EHCPs, January %d: %.0f (sum of authorities); published %.0f\n", C, sum_now,
                s2_has_census(eng, C) ? s2_total(eng, C) : NAN);
        fprintf(fp, "  England EHCPs, January %d: %.0f (sum of authorities' central forecasts)", C + H, sum_h);
        if (opt->paths) fprintf(fp, "; sum of 10th-90th percentiles %.0f to %.0f", sum_p10, sum_p90);
        fprintf(fp, "\n  High Needs spend %d-%02d at national default unit costs: £%.1fbn\n", C, (C + 1) % 100,
                sum_s0 / 1e9);
        fprintf(fp, "  wall time %.1f s\n", wall);
    }
    cJSON_Delete(root);
    free(las);
    free(runs);
    sen2_free(&db);
    return rc;
}
