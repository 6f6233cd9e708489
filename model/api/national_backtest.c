/* national_backtest.c (api): hnb_backtest_national, the honest accuracy
 * figure: every authority forecast from January F (and F+1) with nothing
 * published after it, against the published totals of the next censuses.
 *
 * Beside the model (the import-sen2 scenario run by the engine: England's
 * 3-year growth plus a least-squares relative term in the authority's own
 * growth, requests, age 16-25 share and new plans, growth.c), the same
 * command computes from the same series a row per ingredient (the model's
 * base alone, pooling by grid and by least squares, pooling plus requests,
 * the model without each ingredient, damped, without break flags), the
 * authority's own growth unpooled, and three baselines on the raw series:
 * naive (last year's growth repeated), the 3-year mean growth, and England's
 * last-year growth. Errors are 100 (forecast - actual) / actual over every
 * authority that reports at the origin; a predecessor is compared with the
 * sum of its successors. Interval coverage counts authorities whose actual
 * lies in the Monte Carlo 10th-90th (80%) and 5th-95th (90%) percentiles. An
 * actual that halves or jumps by more than 60% a year is listed as flagged
 * and still counted. The same rows from the origins before F (point
 * forecasts, all known at F) follow: what a choice of method can be judged
 * on without the years the back-test scores. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/errorstats.h"
#include "api/national.h"
#include "core/error.h"
#include "core/fileout.h"
#include "core/model.h"

/* The rows of the table: the model (run by the engine), each ingredient's
 * variant (the same least-squares fit with fewer or other ingredients,
 * computed from the same formula), and the three baselines. */
enum {
    M_MODEL,
    M_NAT3,
    M_POOL_GRID,
    M_POOL_LS,
    M_REQ,
    M_NO_AGE,
    M_NO_NEW,
    M_NO_REQ,
    M_CLIFF,
    M_REQ2,
    M_REQ0,
    M_BASELAST,
    M_DAMPED,
    M_NOFLAG,
    M_OWN,
    M_NAIVE,
    M_MEAN3,
    M_NATIONAL,
    NMETH
};
static const char *const meth_name[NMETH] = {
    ("model: England's 3-year growth + own growth, requests, ages 16-25, new plans (least squares on the 2 years "
     "before), breaks flagged"),
    "England's 3-year mean growth for every authority (the model's base)",
    "+ pooling: own growth pooled with England's, weight chosen by median error on the 2 years before",
    "+ pooling, weight by least squares on the 2 years before (shrinkage estimated from earlier origins)",
    "+ pooling and requests (no age structure, no new plans)",
    "model without the age structure",
    "model without new plans",
    "model without requests",
    "model with the cliff ages 15, 18-19 and 24-25 instead of ages 16-25",
    "model with requests over two years (C-2 and C-1 over plans at C-2 and C-1)",
    "model with requests per plan at the origin (C-1 over plans at C)",
    "model on England's last-year growth instead of its 3-year mean",
    "model damped: its relative term halved in the second year",
    "model without break flags (raw growth and flows, break years fitted)",
    "own 3-year growth, breaks flagged, no pooling",
    "naive: last year's growth repeated",
    "3-year mean growth",
    "national: England's last-year growth"};
static const char *const meth_key[NMETH] = {
    "model",  "national_3yr", "pooled_grid",     "pooled_ls",    "pooled_requests", "no_age",
    "no_new", "no_requests",  "cliff_ages",      "requests_2yr", "requests_now",    "national_last",
    "damped", "no_flags",     "own_3yr_flagged", "naive",        "mean_3yr",        "national"};
/* the ingredients of each fitted variant (0: not a fitted variant) */
#define EG_AGE_REQ_VARIANT(x) (EG_OWN | EG_NEW | (x))
static const unsigned meth_which[NMETH] = {0,
                                           0,
                                           0,
                                           EG_OWN,
                                           EG_OWN | EG_REQ,
                                           EG_MODEL & ~(unsigned)EG_AGE,
                                           EG_MODEL & ~(unsigned)EG_NEW,
                                           EG_MODEL & ~(unsigned)EG_REQ,
                                           EG_AGE_REQ_VARIANT(EG_REQ | EG_AGECLIFF),
                                           EG_AGE_REQ_VARIANT(EG_REQ2 | EG_AGE),
                                           EG_AGE_REQ_VARIANT(EG_REQ0 | EG_AGE),
                                           EG_MODEL | EG_BASELAST,
                                           EG_MODEL,
                                           EG_MODEL | EG_NOFLAG,
                                           0,
                                           0,
                                           0,
                                           0};

typedef struct leg {
    int origin, h; /* forecast of census origin + h */
    size_t n;
    double *err[NMETH]; /* % errors, per authority */
    const s2_la **la;
    double *actual, *fc, *lo80, *hi80, *lo90, *hi90, *base[NMETH];
    int *flag;
    error_stats st[NMETH];
    double cover80, cover90;
    size_t ncover;
} leg;

static double raw_growth(const sen2db *db, const s2_la *a, int y)
{
    int b;
    double t1 = est_series(db, a, y, &b), t0 = est_series(db, a, y - 1, &b);
    return t1 == t1 && t0 == t0 && t0 > 0 ? t1 / t0 - 1.0 : NAN;
}

static void leg_free(leg *l)
{
    for (int m = 0; m < NMETH; m++) {
        free(l->err[m]);
        free(l->base[m]);
    }
    free(l->la);
    free(l->actual);
    free(l->fc);
    free(l->lo80);
    free(l->hi80);
    free(l->lo90);
    free(l->hi90);
    free(l->flag);
}

static int leg_alloc(leg *l, size_t n)
{
    memset(l, 0, sizeof *l);
    int bad = 0;
    for (int m = 0; m < NMETH; m++) {
        bad |= !(l->err[m] = calloc(n + 1, sizeof(double)));
        bad |= !(l->base[m] = calloc(n + 1, sizeof(double)));
    }
    bad |= !(l->la = calloc(n + 1, sizeof *l->la));
    double **v[] = {&l->actual, &l->fc, &l->lo80, &l->hi80, &l->lo90, &l->hi90};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) bad |= !(*v[i] = calloc(n + 1, sizeof(double)));
    bad |= !(l->flag = calloc(n + 1, sizeof(int)));
    return bad;
}

/* The point forecast of a fitted variant: now x prod (1 + nat3 + d^(k-1) rel). */
static double variant(const sen2db *db, const la_run *r, int m, const double b[EG_NFEAT], int h)
{
    growth_est g;
    est_features(db, r->a, r->census, meth_which[m], &g);
    double relg = est_predict(&g, b) - g.nat3, base = est_base(&g, meth_which[m]), f = r->now;
    for (int k = 0; k < h; k++) f *= 1 + base + (m == M_DAMPED ? pow(0.5, k) : 1.0) * relg;
    return f;
}

static void fill(leg *l, const sen2db *db, const la_run *r, double fit[NMETH][EG_NFEAT])
{
    size_t i = l->n++;
    const s2_la *a = r->a;
    int h = l->h;
    l->la[i] = a;
    double act = sen2_total_or_successors(db, a, l->origin + h);
    l->actual[i] = act;
    double now = r->now;
    double gl = raw_growth(db, a, l->origin), gn = r->g.natlast;
    double g3 = 0;
    int k = 0;
    for (int y = l->origin - 2; y <= l->origin; y++) {
        double g = raw_growth(db, a, y);
        if (g == g) g3 += g, k++;
    }
    g3 = k ? g3 / k : gn;
    if (gl != gl) gl = gn;
    l->base[M_MODEL][i] = r->det[h - 1];
    l->base[M_NAT3][i] = now * pow(1 + r->g.nat3, h);
    l->base[M_POOL_GRID][i] = now * pow(1 + r->g.pooled, h);
    for (int m = 0; m < NMETH; m++)
        if (meth_which[m]) l->base[m][i] = variant(db, r, m, fit[m], h);
    l->base[M_OWN][i] = now * pow(1 + r->g.own3, h);
    l->base[M_NAIVE][i] = now * pow(1 + gl, h);
    l->base[M_MEAN3][i] = now * pow(1 + g3, h);
    l->base[M_NATIONAL][i] = now * pow(1 + gn, h);
    for (int m = 0; m < NMETH; m++) l->err[m][i] = act == act && act > 0 ? 100 * (l->base[m][i] - act) / act : NAN;
    l->fc[i] = r->det[h - 1];
    l->lo80[i] = r->p10[h - 1];
    l->hi80[i] = r->p90[h - 1];
    l->lo90[i] = r->p5[h - 1];
    l->hi90[i] = r->p95[h - 1];
    int jump = 0;
    for (int y = l->origin + 1; y <= l->origin + h; y++) {
        double t1 = sen2_total_or_successors(db, a, y), t0 = sen2_total_or_successors(db, a, y - 1);
        if (t1 == t1 && t0 == t0 && t0 > 0 && (t1 / t0 < EST_BREAK_LO || t1 / t0 > EST_BREAK_HI)) jump = 1;
    }
    l->flag[i] = (r->g.nbreak ? 1 : 0) | (jump ? 2 : 0);
}

static void summarise(leg *l)
{
    for (int m = 0; m < NMETH; m++) error_stats_of(l->err[m], l->n, &l->st[m]);
    size_t c80 = 0, c90 = 0, n = 0;
    for (size_t i = 0; i < l->n; i++) {
        double a = l->actual[i];
        if (a != a) continue;
        n++;
        c80 += a >= l->lo80[i] && a <= l->hi80[i];
        c90 += a >= l->lo90[i] && a <= l->hi90[i];
    }
    l->ncover = n;
    l->cover80 = n ? 100.0 * (double)c80 / (double)n : NAN;
    l->cover90 = n ? 100.0 * (double)c90 / (double)n : NAN;
}

static void print_errors(FILE *f, const leg *legs, int nleg)
{
    fprintf(
        f,
        "| forecast | method | authorities | median abs %% error | 90th pct abs %% error | mean signed %% error |\n");
    fprintf(f, "|---|---|---:|---:|---:|---:|\n");
    for (int j = 0; j < nleg; j++) {
        const leg *l = &legs[j];
        for (int m = 0; m < NMETH; m++)
            fprintf(f, "| January %d -> %d (%d year%s) | %s | %zu | %.2f | %.2f | %+.2f |\n", l->origin,
                    l->origin + l->h, l->h, l->h > 1 ? "s" : "", meth_name[m], l->st[m].n, l->st[m].median_abs,
                    l->st[m].p90_abs, l->st[m].mean_signed);
    }
}

static void print_table(FILE *f, leg *legs, int nleg, uint64_t paths)
{
    print_errors(f, legs, nleg);
    fprintf(f, "\n| forecast | authorities | inside the 80%% range (10th-90th) | inside the 90%% range (5th-95th) |\n");
    fprintf(f, "|---|---:|---:|---:|\n");
    for (int j = 0; j < nleg; j++)
        fprintf(f, "| January %d -> %d | %zu | %.1f%% | %.1f%% |\n", legs[j].origin, legs[j].origin + legs[j].h,
                legs[j].ncover, legs[j].cover80, legs[j].cover90);
    fprintf(f, "\n(Monte Carlo: %llu paths per authority.)\n", (unsigned long long)paths);
}

/* The same rows from the origins before F (January F-3 -> F-2, F-2 -> F-1,
 * F-1 -> F and F-2 -> F), everything known at F: what the choice of the
 * model can be judged on without the years the back-test scores. Point
 * forecasts from the formulas (the engine gives the model the same totals:
 * now x (1 + growth)^h), no Monte Carlo. */
static int print_earlier(hnb_model *h, const sen2db *db, int F, FILE *f)
{
    static const int spec[][2] = {{-3, 1}, {-2, 1}, {-1, 1}, {-2, 2}};
    enum { NSPEC = sizeof spec / sizeof spec[0] };
    leg legs[NSPEC];
    int nleg = 0, rc = 0;
    const s2_la **las = malloc(db->n * sizeof *las);
    la_run *runs = calloc(db->n, sizeof *runs);
    if (!las || !runs) rc = err_set(h, HNB_E_NOMEM, "out of memory");
    for (int k = 0; !rc && k < NSPEC; k++) {
        int O = F + spec[k][0], hh = spec[k][1];
        size_t n = sen2_authorities_at(db, O, las);
        growth_fit gf;
        est_growth_fit(db, O, &gf);
        for (size_t i = 0; i < n; i++) {
            la_run *r = &runs[i];
            memset(r, 0, sizeof *r);
            r->a = las[i];
            r->census = O;
            r->now = s2_total(las[i], O);
            est_growth_at(db, las[i], O, &gf, &r->g);
            r->ny = hh;
            for (int y = 0; y < hh; y++) {
                r->det[y] = r->now * pow(1 + r->g.growth, y + 1);
                r->p5[y] = r->p10[y] = r->p50[y] = r->p90[y] = r->p95[y] = NAN;
            }
        }
        double fit[NMETH][EG_NFEAT] = {{0}};
        for (int m = 0; m < NMETH; m++)
            if (meth_which[m]) est_fit(db, O, meth_which[m], fit[m]);
        leg *l = &legs[nleg];
        if (leg_alloc(l, n)) {
            leg_free(l);
            rc = err_set(h, HNB_E_NOMEM, "out of memory");
            break;
        }
        nleg++;
        l->origin = O;
        l->h = hh;
        for (size_t i = 0; i < n; i++) fill(l, db, &runs[i], fit);
        summarise(l);
    }
    if (!rc) {
        fprintf(f,
                "\nThe same methods from the origins before January %d (everything known at January %d; point "
                "forecasts, no Monte Carlo):\n\n",
                F, F);
        print_errors(f, legs, nleg);
    }
    for (int j = 0; j < nleg; j++) leg_free(&legs[j]);
    free(las);
    free(runs);
    return rc;
}

static void print_worst(FILE *f, const leg *l)
{
    size_t *ix = malloc((l->n + 1) * sizeof *ix), k = 0;
    if (!ix) return;
    for (size_t i = 0; i < l->n; i++)
        if (l->err[M_MODEL][i] == l->err[M_MODEL][i]) ix[k++] = i;
    for (size_t a = 0; a < k; a++) /* selection of the ten largest absolute errors */
        for (size_t b = a + 1; b < k; b++)
            if (fabs(l->err[M_MODEL][ix[b]]) > fabs(l->err[M_MODEL][ix[a]])) {
                size_t t = ix[a];
                ix[a] = ix[b];
                ix[b] = t;
            }
    fprintf(f,
            "\nWorst ten, model, January %d -> %d:\n\n| authority | January %d | forecast | actual | error | 80%% "
            "range | flags |\n|---|---:|---:|---:|---:|---|---|\n",
            l->origin, l->origin + l->h, l->origin);
    for (size_t a = 0; a < k && a < 10; a++) {
        size_t i = ix[a];
        const char *fl = l->flag[i] == 3   ? "input break; actual jumps"
                         : l->flag[i] == 2 ? "actual jumps (a likely bad return)"
                         : l->flag[i] == 1 ? "input break flagged"
                                           : "";
        fprintf(f, "| %s | %.0f | %.0f | %.0f | %+.1f%% | %.0f-%.0f | %s |\n", l->la[i]->name,
                s2_total(l->la[i], l->origin), l->fc[i], l->actual[i], l->err[M_MODEL][i], l->lo80[i], l->hi80[i], fl);
    }
    free(ix);
}

static cJSON *leg_json(const leg *l)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "origin_census", l->origin);
    cJSON_AddNumberToObject(o, "target_census", l->origin + l->h);
    cJSON *ms = cJSON_AddObjectToObject(o, "methods");
    for (int m = 0; m < NMETH; m++) {
        cJSON *x = cJSON_AddObjectToObject(ms, meth_key[m]);
        cJSON_AddStringToObject(x, "label", meth_name[m]);
        cJSON_AddNumberToObject(x, "authorities", (double)l->st[m].n);
        cJSON_AddNumberToObject(x, "median_abs_pct_error", l->st[m].median_abs);
        cJSON_AddNumberToObject(x, "p90_abs_pct_error", l->st[m].p90_abs);
        cJSON_AddNumberToObject(x, "mean_signed_pct_error", l->st[m].mean_signed);
    }
    cJSON *c = cJSON_AddObjectToObject(o, "coverage");
    cJSON_AddNumberToObject(c, "authorities", (double)l->ncover);
    cJSON_AddNumberToObject(c, "pct_inside_80", l->cover80);
    cJSON_AddNumberToObject(c, "pct_inside_90", l->cover90);
    return o;
}

int hnb_backtest_national(hnb_model *h, const hnb_national_options *opt, void *file)
{
    err_clear(h);
    sen2db db;
    int rc = sen2_load(h, opt->data_dir, &db);
    if (rc) return rc;
    int F = opt->census ? opt->census : 2023, last = import_latest_census(&db.la[0]);
    if (F < 2023 || F >= last) {
        sen2_free(&db);
        return err_set(h, HNB_E_RANGE, "--from: %d (expected a census from 2023 to %d)", F, last - 1);
    }
    leg legs[8];
    int nleg = 0;
    const s2_la **las = malloc(db.n * sizeof *las);
    la_run *runs = calloc(db.n, sizeof *runs);
    if (!las || !runs) rc = err_set(h, HNB_E_NOMEM, "out of memory");
    for (int O = F; !rc && O < last; O++) {
        size_t n = sen2_authorities_at(&db, O, las);
        char what[40];
        snprintf(what, sizeof what, "backtest from January %d", O);
        for (size_t i = 0; !rc && i < n; i++) {
            nat_progress(opt, what, i, n, las[i]->name);
            rc = nat_run_one(h, &db, las[i], O, opt, opt->seed + i, &runs[i]);
        }
        if (!rc) nat_progress(opt, what, n, n, "");
        double fit[NMETH][EG_NFEAT] = {{0}};
        for (int m = 0; m < NMETH; m++)
            if (meth_which[m]) est_fit(&db, O, meth_which[m], fit[m]);
        for (int hh = 1; !rc && O + hh <= last && nleg < 8; hh++) {
            leg *l = &legs[nleg];
            if (leg_alloc(l, n)) {
                leg_free(l);
                rc = err_set(h, HNB_E_NOMEM, "out of memory");
                break;
            }
            nleg++;
            l->origin = O;
            l->h = hh;
            for (size_t i = 0; i < n; i++) fill(l, &db, &runs[i], fit);
            summarise(l);
        }
    }
    if (!rc && file) {
        FILE *f = file;
        fprintf(f,
                "National back-test of EHCP totals: every authority forecast from January %d (and later origins) "
                "with nothing published after the origin\n\n",
                F);
        print_table(f, legs, nleg, opt->paths);
        for (int j = 0; j < nleg; j++)
            if (legs[j].h == 2) print_worst(f, &legs[j]);
        rc = print_earlier(h, &db, F, f);
    }
    cJSON *root = rc ? NULL : cJSON_CreateObject();
    if (root) {
        cJSON_AddStringToObject(root, "format", "hnbsim-backtest-national");
        cJSON_AddNumberToObject(root, "from", F);
        cJSON_AddNumberToObject(root, "paths", (double)opt->paths);
        cJSON *arr = cJSON_AddArrayToObject(root, "forecasts");
        for (int j = 0; j < nleg; j++) cJSON_AddItemToArray(arr, leg_json(&legs[j]));
    }
    if (!rc && opt->json_out) {
        char *t = cJSON_Print(root);
        rc = t ? fileout_write_string(h, opt->json_out, t) : err_set(h, HNB_E_NOMEM, "out of memory");
        free(t);
    }
    if (!rc && opt->csv_out) {
        fileout fo;
        rc = fileout_open(h, &fo, opt->csv_out);
        if (!rc) {
            fprintf(fo.fp, "authority,origin_census,target_census,ehcps_origin,actual,model,p5,p10,p90,p95");
            for (int m = 1; m < NMETH; m++) fprintf(fo.fp, ",%s", meth_key[m]);
            fprintf(fo.fp, ",flags\n");
            for (int j = 0; j < nleg; j++)
                for (size_t i = 0; i < legs[j].n; i++) {
                    const leg *l = &legs[j];
                    nat_csv_name(fo.fp, l->la[i]->name);
                    fprintf(fo.fp, ",%d,%d,%.0f,%.0f,%.1f,%.1f,%.1f,%.1f,%.1f", l->origin, l->origin + l->h,
                            s2_total(l->la[i], l->origin), l->actual[i], l->fc[i], l->lo90[i], l->lo80[i], l->hi80[i],
                            l->hi90[i]);
                    for (int m = 1; m < NMETH; m++) fprintf(fo.fp, ",%.1f", l->base[m][i]);
                    fprintf(fo.fp, ",%d\n", l->flag[i]);
                }
            rc = fileout_commit(h, &fo);
        }
    }
    cJSON_Delete(root);
    for (int j = 0; j < nleg; j++) leg_free(&legs[j]);
    free(las);
    free(runs);
    sen2_free(&db);
    return rc;
}
