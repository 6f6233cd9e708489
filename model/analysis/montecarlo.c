/* montecarlo.c: many paths through uncertain assumptions, and their spread.
 *
 * A path copies the scenario's values, draws every assumption that has a
 * distribution (sample.c; a shared factor correlates those that name one),
 * decides which actions deliver and how late they start, optionally draws
 * the counts themselves, and runs the one deterministic model (project.c).
 * Every draw comes from a stream keyed by (seed, path, factor) (rng.c), and
 * each path writes its figures into its own slot, so the results do not
 * depend on the number of threads, nor on which thread ran which path.
 *
 * Percentiles are exact (order statistics with linear interpolation between
 * neighbours, which returns the common value exactly when all paths agree).
 * That needs every path's value of a figure at once: 8 bytes x paths per
 * figure. When all figures would need more than MC_BUDGET bytes, the figures
 * are taken in batches and the paths recomputed for each batch; the paths
 * are the same each time because their draws depend on (seed, path) alone.
 * One million paths of Sutton's 80 figures (640 MB) take one pass within the
 * 768 MiB budget, which keeps the whole run under 1 GiB. (A test lowers the
 * budget through HNB_MC_BUDGET_BYTES to run the batches on a small case.)
 * Means are summed in path order as x0 + sum(x - x0) / N, so a figure that
 * never varies has a mean equal to it exactly.
 *
 * Probabilities are counted in the first pass: an in-year balance in any
 * year up to montecarlo.balance_by; a cumulative deficit at the end of the
 * override deeper than montecarlo.deficit_threshold; a cumulative position
 * that falls every year. */
#define _POSIX_C_SOURCE 200809L
#include "analysis/montecarlo.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/dates.h"
#include "core/error.h"
#include "core/model.h"
#include "engine/headline.h"
#include "engine/lanes.h"
#include "analysis/mcse.h"
#include "analysis/mcsummary.h"
#include "analysis/ratedraw.h"
#include "analysis/rng.h"
#include "analysis/sample.h"

#define MC_BUDGET ((size_t)768 << 20)
#define MC_CHUNK  256
#define MC_OPEN   16 /* groups a path may join (run_chunk) */
/* ---- one path ------------------------------------------------------------ */

typedef struct uncertain {
    size_t par;
    uint32_t factor; /* the assumption's own stream */
    int shared;      /* index of its shared factor in mcjob.shared, or -1 */
    double loading;
    sampler draw;
} uncertain;

typedef struct mcjob {
    const scenario *s;
    uint64_t paths, seed;
    int oi;
    uncertain *unc;
    size_t nunc;
    uint32_t *shared; /* [nshared] streams of the distinct shared factors */
    size_t nshared;
    uint32_t *deliver; /* [niv] stream of each action's delivery draw */
    uint32_t noise;    /* the count-noise stream */
    size_t nfig;
    size_t f0, f1; /* the batch of figures stored in this pass */
    double *store; /* [(f - f0) * paths + path] */
    int first_pass;
    double se[3 * 3]; /* the headline figures' standard errors, as in mc_summary */
    /* the only shared writes, once a chunk, on a line of their own */
    _Alignas(64) atomic_ullong next;
    atomic_ullong done;
    atomic_int failed; /* 0, or the code of a path that failed (HNB_E_NOMEM, HNB_E_NUMERIC) */
    char pad[64 - 2 * sizeof(atomic_ullong) - sizeof(atomic_int)];
} mcjob;

/* Everything a thread writes while it runs paths is here: its own copy of
 * the values, its workspace, the figures of the chunk in hand and its
 * counts, on cache lines no other thread writes. Only a finished chunk is
 * copied out, into that chunk's own slots of the store. */
typedef struct worker {
    _Alignas(64) mcjob *job; /* each worker on cache lines of its own */
    double *val;
    double *zf; /* [nshared] the path's shared-factor normals */
    ivstate *ivs;
    workspace w;
    projection p;
    rng_stream noise;
    double *fig;   /* [nfig] one path's figures */
    double *chunk; /* [(f - f0) * MC_CHUNK + path - first] */
    uint64_t n_balance, n_above, n_grows;
    /* paths side by side (lanes.h), where the scenario allows: a chunk's
     * draws first (each path's values and action states), then groups of
     * LANES paths whose actions that change counts are in the same states,
     * one plan each; the rest run one by one in w */
    int use_lanes;
    double *cval;   /* [MC_CHUNK][nval] */
    ivstate *civs;  /* [MC_CHUNK][niv] */
    workspace *lw;  /* [LANES] */
    projection *lp; /* [LANES] */
    lanes ln;
} worker;

/* Every figure of a path, in fig_count order. */
static void figures(const projection *p, int oi, double *fig)
{
    size_t f = 0;
    double peak = 0.0;
    for (int k = 0; k < p->ny; k++)
        if (p->cumulative[k] < peak) peak = p->cumulative[k];
    fig[f++] = oi >= 0 ? p->cumulative[oi] : NAN;
    fig[f++] = peak;
    for (int k = 0; k < p->ny; k++) {
        fig[f++] = p->cumulative[k];
        fig[f++] = p->in_year[k];
    }
    for (int k = 0; k < p->ny; k++) {
        const double *e = p->ehcps + k * (size_t)p->nplace;
        double t = 0.0;
        for (int q = 0; q < p->nplace; q++) t += e[q];
        fig[f++] = p->spend_total[k];
        fig[f++] = p->fund_total[k];
        fig[f++] = t;
        for (int q = 0; q < p->nplace; q++) fig[f++] = e[q];
    }
    fig[f++] = oi >= 0 ? p->cumulative_gross[oi] : NAN;
}

/* A path's draws: every uncertain value into val, and each action's
 * delivery and start into ivs (zf: the shared-factor normals, scratch). The
 * one place a path's inputs are drawn: run_path and the sampled inputs of
 * --paths-out (montecarlo_write_inputs) both call it. */
static void draw_inputs(const mcjob *j, uint64_t path, double *zf, double *val, ivstate *ivs)
{
    const scenario *s = j->s;
    /* sample_normal_quantile, sample_normal_cdf: GSL's, bit for bit, faster */
    for (size_t k = 0; k < j->nshared; k++) zf[k] = sample_normal_quantile(rng_uniform_at(j->seed, path, j->shared[k]));
    for (size_t k = 0; k < j->nunc; k++) {
        const uncertain *u = &j->unc[k];
        double x = rng_uniform_at(j->seed, path, u->factor);
        if (u->shared >= 0) {
            double z = u->loading * zf[u->shared] + sqrt(1.0 - u->loading * u->loading) * sample_normal_quantile(x);
            x = sample_normal_cdf(z); /* gsl_cdf_ugaussian_P bit for bit */
        }
        val[s->par[u->par].off] = sampler_draw(&u->draw, x);
    }
    for (size_t k = 0; k < s->niv; k++) {
        const intervention *iv = &s->iv[k];
        double pdel = iv->delivery == NOPAR ? 1.0 : val[s->par[iv->delivery].off];
        ivs[k].on = pdel >= 1.0 || rng_uniform_at(j->seed, path, j->deliver[k]) < pdel;
        ivs[k].start = iv->start + (iv->delay == NOPAR ? 0.0 : val[s->par[iv->delay].off]);
    }
}

/* A path's figures into slot `i` of the chunk, and its counts. */
static void path_done(worker *wk, const projection *p, const double *val, size_t i)
{
    mcjob *j = wk->job;
    const scenario *s = j->s;
    figures(p, j->oi, wk->fig);
    for (size_t f = j->f0; f < j->f1; f++) wk->chunk[(f - j->f0) * MC_CHUNK + i] = wk->fig[f];
    if (j->first_pass) {
        int bal = 0, grows = 1;
        double prev = val[s->par[s->balance].off];
        for (int k = 0; k < p->ny; k++) {
            if (s->first_fy + k <= s->balance_by_fy && p->in_year[k] >= 0.0) bal = 1;
            if (!(p->cumulative[k] < prev)) grows = 0;
            prev = p->cumulative[k];
        }
        wk->n_balance += (uint64_t)bal;
        wk->n_grows += (uint64_t)grows;
        wk->n_above += (uint64_t)(j->oi >= 0 && p->cumulative[j->oi] < -s->deficit_threshold);
    }
}

/* A path's draws into val and ivs (rate uncertainty too: off unless asked). */
static void path_draw(worker *wk, uint64_t path, double *val, ivstate *ivs)
{
    mcjob *j = wk->job;
    draw_inputs(j, path, wk->zf, val, ivs);
    ratedraw_path(j->s, j->seed, path, val, &wk->noise);
}

/* One path: its draws, its projection, its figures into slot `i` of the
 * chunk, and its counts. */
static int run_path(worker *wk, uint64_t path, size_t i)
{
    mcjob *j = wk->job;
    const scenario *s = j->s;
    path_draw(wk, path, wk->val, wk->ivs);
    wk->w.noise = NULL;
    if (s->count_noise) {
        rng_start(&wk->noise, j->seed, path, j->noise);
        wk->w.noise = wk->noise.r;
    }
    int rc = project_run(s, wk->val, wk->ivs, &wk->w, &wk->p); /* HNB_E_NUMERIC, or out of memory */
    if (rc) return rc;
    path_done(wk, &wk->p, wk->val, i);
    return HNB_OK;
}

/* Whether two paths' actions are in the same states where a difference
 * would reach a table the lanes share: not those that act on money alone,
 * nor those whose effects the lanes read from each path's own plan (places,
 * the joiners' numbers). A grouping only: lanes_fit decides. */
static int same_counts(const scenario *s, const ivstate *a, const ivstate *b)
{
    for (size_t k = 0; k < s->niv; k++) {
        int t = s->iv[k].type;
        if (iv_money_only(t) || t == IV_ADD_CAPACITY || t == IV_REDUCE_JOINERS || t == IV_ISP_DIVERSION) continue;
        if (a[k].on != b[k].on || (a[k].on && a[k].start != b[k].start)) return 0;
    }
    return 1;
}

/* LANES paths of the chunk (slots idx[]) side by side, or one by one in
 * their plans where they do not fit. */
static int run_group(worker *wk, const size_t *idx)
{
    const scenario *s = wk->job->s;
    workspace *w[LANES];
    projection *out[LANES];
    int rc[LANES];
    for (int l = 0; l < LANES; l++) {
        w[l] = &wk->lw[l], out[l] = &wk->lp[l];
        int rc1 = plan_compile(s, wk->cval + idx[l] * s->nval, wk->civs + idx[l] * s->niv, &w[l]->plan);
        if (rc1) return rc1;
    }
    if (lanes_fit(&wk->ln, w))
        lanes_run(&wk->ln, w, out, rc);
    else
        for (int l = 0; l < LANES; l++) rc[l] = project_run_plan(w[l], out[l]);
    for (int l = 0; l < LANES; l++) {
        if (rc[l]) return rc[l];
        path_done(wk, out[l], wk->cval + idx[l] * s->nval, idx[l]);
    }
    return HNB_OK;
}

/* Paths [first, last) into the chunk: every path's draws, then the groups
 * of LANES paths with the same count states in lanes (in the order they
 * fill), the rest one by one. Each path's figures go to its own slot, so
 * the order changes nothing. */
static int run_chunk(worker *wk, uint64_t first, uint64_t last)
{
    const scenario *s = wk->job->s;
    const size_t n = (size_t)(last - first), nv = s->nval, ni = s->niv;
    if (!wk->use_lanes) {
        for (size_t i = 0; i < n; i++) {
            int rc = run_path(wk, first + i, i);
            if (rc) return rc;
        }
        return HNB_OK;
    }
    size_t group[MC_CHUNK][LANES], fill[MC_CHUNK], ngroup = 0;
    for (size_t i = 0; i < n; i++) {
        path_draw(wk, first + i, wk->cval + i * nv, wk->civs + i * ni);
        /* among the last MC_OPEN groups opened only: paths whose states are all
         * different (an uncertain delay) cost a few comparisons each, not a
         * search of every group of the chunk */
        size_t g = ngroup > MC_OPEN ? ngroup - MC_OPEN : 0;
        while (g < ngroup && !(fill[g] < LANES && same_counts(s, wk->civs + group[g][0] * ni, wk->civs + i * ni))) g++;
        if (g == ngroup) fill[ngroup++] = 0;
        group[g][fill[g]++] = i;
        int rc = fill[g] == LANES ? run_group(wk, group[g]) : HNB_OK;
        if (rc) return rc;
    }
    for (size_t g = 0; g < ngroup; g++)
        for (size_t m = 0; fill[g] < LANES && m < fill[g]; m++) {
            size_t i = group[g][m];
            int rc = project_run(s, wk->cval + i * nv, wk->civs + i * ni, &wk->w, &wk->p);
            if (rc) return rc;
            path_done(wk, &wk->p, wk->cval + i * nv, i);
        }
    return HNB_OK;
}

static void *work(void *arg)
{
    worker *wk = arg;
    mcjob *j = wk->job;
    for (;;) {
        uint64_t first = atomic_fetch_add(&j->next, MC_CHUNK);
        if (first >= j->paths || atomic_load(&j->failed)) break;
        uint64_t last = first + MC_CHUNK < j->paths ? first + MC_CHUNK : j->paths;
        int rc = run_chunk(wk, first, last);
        if (rc) { /* the code the run reports: out of memory if any thread ran out, else the first failure's */
            int was = 0;
            if (!atomic_compare_exchange_strong(&j->failed, &was, rc) && rc == HNB_E_NOMEM)
                atomic_store(&j->failed, rc);
            return NULL;
        }
        for (size_t f = j->f0; f < j->f1; f++)
            memcpy(j->store + (f - j->f0) * j->paths + first, wk->chunk + (f - j->f0) * MC_CHUNK,
                   (size_t)(last - first) * sizeof *j->store);
        atomic_fetch_add(&j->done, last - first);
    }
    return NULL;
}

static int worker_alloc(worker *wk, mcjob *j, size_t batch)
{
    const scenario *s = j->s;
    memset(wk, 0, sizeof *wk);
    wk->job = j;
    wk->val = malloc(s->nval * sizeof *wk->val + 1);
    wk->zf = calloc(j->nshared + 1, sizeof *wk->zf);
    wk->ivs = calloc(s->niv + 1, sizeof *wk->ivs);
    wk->fig = calloc(j->nfig + 1, sizeof *wk->fig);
    wk->chunk = calloc(batch * MC_CHUNK + 1, sizeof *wk->chunk);
    if (!wk->val || !wk->zf || !wk->ivs || !wk->fig || !wk->chunk || workspace_alloc(s, &wk->w) ||
        projection_alloc(s, &wk->p) || rng_alloc(&wk->noise))
        return HNB_E_NOMEM;
    wk->w.figures_only = 1; /* figures() reads no age band, placement x band or stock copy */
    /* a path rewrites every drawn value, so the rest are copied once */
    memcpy(wk->val, s->val, s->nval * sizeof *wk->val);
    if (s->count_noise || s->nneeds != 1) return HNB_OK; /* lanes_fit would say no to every group */
    wk->cval = malloc(MC_CHUNK * s->nval * sizeof *wk->cval + 1);
    wk->civs = calloc(MC_CHUNK * s->niv + 1, sizeof *wk->civs);
    wk->lw = calloc(LANES, sizeof *wk->lw);
    wk->lp = calloc(LANES, sizeof *wk->lp);
    if (!wk->cval || !wk->civs || !wk->lw || !wk->lp || lanes_alloc(s, &wk->ln)) return HNB_E_NOMEM;
    for (size_t i = 0; i < MC_CHUNK; i++) memcpy(wk->cval + i * s->nval, s->val, s->nval * sizeof *wk->cval);
    for (int l = 0; l < LANES; l++) {
        if (workspace_alloc(s, &wk->lw[l]) || projection_alloc(s, &wk->lp[l])) return HNB_E_NOMEM;
        wk->lw[l].figures_only = 1;
    }
    wk->use_lanes = 1;
    return HNB_OK;
}

static void worker_free(worker *wk)
{
    free(wk->val);
    free(wk->zf);
    free(wk->ivs);
    free(wk->fig);
    free(wk->chunk);
    workspace_free(&wk->w);
    projection_free(&wk->p);
    if (wk->noise.r) rng_free(&wk->noise);
    for (int l = 0; wk->lw && l < LANES; l++) workspace_free(&wk->lw[l]);
    for (int l = 0; wk->lp && l < LANES; l++) projection_free(&wk->lp[l]);
    free(wk->lw);
    free(wk->lp);
    free(wk->cval);
    free(wk->civs);
    lanes_free(&wk->ln);
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Run the paths of one pass on `threads` threads, with a progress line on
 * stderr after the first second when asked (HNB_PROGRESS_AFTER=SECONDS
 * changes the wait: the tests set 0, so that a fast machine shows it too). */
static int run_pass(mcjob *j, worker *wk, int threads, int progress, const char *what, double t0, int pass, int npass)
{
    atomic_store(&j->next, 0);
    atomic_store(&j->done, 0);
    pthread_t *tid = calloc((size_t)threads, sizeof *tid);
    if (!tid) return HNB_E_NOMEM;
    int started = 0;
    for (int t = 0; t < threads; t++, started++)
        if (pthread_create(&tid[t], NULL, work, &wk[t]) != 0) break;
    if (started == 0) work(&wk[0]);
    int shown = 0;
    const char *wait = progress ? getenv("HNB_PROGRESS_AFTER") : NULL;
    double after = wait ? atof(wait) : 1.0;
    while (progress && atomic_load(&j->done) < j->paths && !atomic_load(&j->failed)) {
        struct timespec d = {0, after < 1.0 ? 50000000 : 200000000};
        nanosleep(&d, NULL);
        if (now_seconds() - t0 < after) continue;
        unsigned long long done = atomic_load(&j->done);
        /* time left from the rate so far over every pass (each runs every path) */
        double all = (double)j->paths * npass, sofar = (double)j->paths * pass + (double)done;
        double el = now_seconds() - t0, left = sofar > 0 ? el * (all - sofar) / sofar : 0.0;
        char eta[32];
        if (sofar < MC_CHUNK)
            snprintf(eta, sizeof eta, "estimating time left");
        else if (left >= 3600)
            snprintf(eta, sizeof eta, "about %dh %02dm left", (int)(left / 3600), (int)fmod(left / 60, 60));
        else if (left >= 60)
            snprintf(eta, sizeof eta, "about %dm %02ds left", (int)(left / 60), (int)fmod(left, 60));
        else
            snprintf(eta, sizeof eta, "about %.0fs left", ceil(left));
        fprintf(stderr, "\rMonte Carlo %s: pass %d/%d, %llu of %llu paths (%.0f%%), %s   ", what, pass + 1, npass, done,
                (unsigned long long)j->paths, 100.0 * (double)done / (double)j->paths, eta);
        shown = 1;
    }
    for (int t = 0; t < started; t++) pthread_join(tid[t], NULL);
    free(tid);
    if (shown) fprintf(stderr, "\r%*s\r", 110, "");
    return atomic_load(&j->failed); /* 0, or the first failure's code */
}

/* Summaries of a batch, figures shared round-robin between threads: each
 * figure's column is independent, so the result does not depend on them. */
typedef struct sumtask {
    mcjob *job;
    double *stat;
    int t, nthreads;
} sumtask;

static void *summarise_some(void *arg)
{
    sumtask *st = arg;
    mcjob *j = st->job;
    for (size_t f = j->f0 + (size_t)st->t; f < j->f1; f += (size_t)st->nthreads) {
        double *col = j->store + (f - j->f0) * j->paths;
        montecarlo_column_stats(col, j->paths, st->stat + f * NSTAT);
        /* the headline figures' standard errors, after their percentiles (each
         * figure is one thread's, so its slot of se is too) */
        int hf = f == FIG_OVERRIDE ? 0 : f == FIG_PEAK ? 1 : f == j->nfig - 1 ? 2 : -1;
        if (hf >= 0) mcse_percentiles(col, j->paths, mc_se_pct, 3, j->se + 3 * hf);
    }
    return NULL;
}

static void summarise_batch(mcjob *j, double *stat, int threads)
{
    sumtask *tasks = calloc((size_t)threads, sizeof *tasks);
    pthread_t *tid = calloc((size_t)threads, sizeof *tid);
    unsigned char *started = calloc((size_t)threads, 1);
    if (!tasks || !tid || !started) threads = 1; /* no memory for threads: do it here */
    sumtask one = {j, stat, 0, threads};
    for (int t = 1; t < threads; t++) {
        tasks[t] = (sumtask){j, stat, t, threads};
        started[t] = pthread_create(&tid[t], NULL, summarise_some, &tasks[t]) == 0;
    }
    summarise_some(&one);
    for (int t = 1; t < threads; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            summarise_some(&tasks[t]);
    }
    free(tasks);
    free(tid);
    free(started);
}

static void write_paths(FILE *f, const scenario *s, const mcjob *j)
{
    size_t cols = 2 + 2 * (size_t)(s->last_fy - s->first_fy + 1);
    for (uint64_t path = 0; path < j->paths; path++) {
        fprintf(f, "%s,%llu", s->name, (unsigned long long)path);
        for (size_t c = 0; c < cols; c++) {
            double x = j->store[c * j->paths + path];
            if (isnan(x))
                fputs(",", f);
            else
                fprintf(f, ",%.17g", x);
        }
        fputs("\n", f);
    }
}

int montecarlo_paths_header(const scenario *s, FILE *f)
{
    fputs("scenario,path,cumulative_at_override_end,peak_deficit", f);
    for (int fy = s->first_fy; fy <= s->last_fy; fy++) {
        char b[8];
        fy_format(fy, b);
        fprintf(f, ",cumulative_%s,in_year_%s", b, b);
    }
    fputs("\n", f);
    return 0;
}

/* The draws that do not change from path to path: one sampler per uncertain
 * assumption, the streams of the shared factors (each drawn once a path, in
 * the order first named) and of the actions' delivery. */
static int job_prepare(mcjob *j, const scenario *s)
{
    j->unc = calloc(s->npar + 1, sizeof *j->unc);
    j->shared = calloc(s->npar + 1, sizeof *j->shared);
    j->deliver = calloc(s->niv + 1, sizeof *j->deliver);
    if (!j->unc || !j->shared || !j->deliver) return HNB_E_NOMEM;
    for (size_t i = 0; i < s->npar; i++) {
        const param *p = &s->par[i];
        if (p->dist == DIST_FIXED || p->n != 1) continue;
        uncertain *u = &j->unc[j->nunc];
        u->par = i;
        u->factor = rng_factor(p->path);
        u->shared = -1;
        if (p->factor) {
            char name[256];
            snprintf(name, sizeof name, "shared factor %s", p->factor);
            uint32_t id = rng_factor(name);
            size_t k = 0;
            while (k < j->nshared && j->shared[k] != id) k++;
            if (k == j->nshared) j->shared[j->nshared++] = id;
            u->shared = (int)k;
            u->loading = p->loading;
        }
        if (sampler_init(&u->draw, p)) return HNB_E_NOMEM;
        j->nunc++;
    }
    for (size_t i = 0; i < s->niv; i++) {
        char name[300];
        snprintf(name, sizeof name, "delivery %s", s->iv[i].name);
        j->deliver[i] = rng_factor(name);
    }
    j->noise = rng_factor("count noise");
    return HNB_OK;
}

static void job_free(mcjob *j)
{
    for (size_t i = 0; j->unc && i < j->nunc; i++) sampler_free(&j->unc[i].draw);
    free(j->unc);
    free(j->shared);
    free(j->deliver);
    free(j->store);
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void csv_field(FILE *f, const char *t)
{
    if (!strpbrk(t, ",\"\r\n")) {
        fprintf(f, ",%s", t);
        return;
    }
    fputs(",\"", f);
    for (; *t; t++) {
        if (*t == '"') fputc('"', f);
        fputc(*t, f);
    }
    fputc('"', f);
}

/* An action whose delivery is in doubt: a confidence below 1, or drawn. */
static int delivery_at_risk(const scenario *s, size_t k)
{
    size_t d = s->iv[k].delivery;
    return d != NOPAR && (s->val[s->par[d].off] < 1.0 || s->par[d].dist != DIST_FIXED);
}

int montecarlo_write_inputs(const scenario *s, uint64_t paths, uint64_t seed, FILE *f)
{
    mcjob j;
    memset(&j, 0, sizeof j);
    j.s = s;
    j.seed = seed;
    double *val = malloc(s->nval * sizeof *val + 1);
    ivstate *ivs = calloc(s->niv + 1, sizeof *ivs);
    int rc = val && ivs ? job_prepare(&j, s) : HNB_E_NOMEM;
    double *zf = rc ? NULL : calloc(j.nshared + 1, sizeof *zf);
    if (!rc && !zf) rc = HNB_E_NOMEM;
    if (!rc) {
        memcpy(val, s->val, s->nval * sizeof *val);
        fputs("scenario,path", f);
        for (size_t k = 0; k < j.nunc; k++) csv_field(f, s->par[j.unc[k].par].path);
        for (size_t k = 0; k < s->niv; k++)
            if (delivery_at_risk(s, k)) {
                char t[320];
                snprintf(t, sizeof t, "delivered: %s", s->iv[k].name);
                csv_field(f, t);
            }
        fputs("\n", f);
        for (uint64_t path = 0; path < paths; path++) {
            draw_inputs(&j, path, zf, val, ivs);
            fputs(s->name, f);
            fprintf(f, ",%llu", (unsigned long long)path);
            for (size_t k = 0; k < j.nunc; k++) fprintf(f, ",%.17g", val[s->par[j.unc[k].par].off]);
            for (size_t k = 0; k < s->niv; k++)
                if (delivery_at_risk(s, k)) fprintf(f, ",%d", ivs[k].on ? 1 : 0);
            fputs("\n", f);
        }
    }
    free(val);
    free(ivs);
    free(zf);
    job_free(&j);
    return rc;
}

int montecarlo_run(hnb_model *h, const scenario *s, uint64_t paths, uint64_t seed, int threads, int progress,
                   void *paths_out, mc_summary **out)
{
    *out = NULL;
    if (threads <= 0) threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1) threads = 1;
    if ((uint64_t)threads > paths) threads = (int)paths;
    mc_summary *m = calloc(1, sizeof *m);
    mcjob j;
    memset(&j, 0, sizeof j);
    j.s = s;
    j.paths = paths;
    j.seed = seed;
    j.oi = headline_override_index(s);
    j.nfig = fig_count(s->last_fy - s->first_fy + 1, s->nplace);
    worker *wk = aligned_alloc(64, (size_t)threads * sizeof *wk);
    if (wk) memset(wk, 0, (size_t)threads * sizeof *wk);
    int rc = (m && wk) ? job_prepare(&j, s) : HNB_E_NOMEM;
    size_t nfig = j.nfig;
    /* HNB_MC_BUDGET_BYTES (tests only) lowers the budget so that a small run
     * takes the memory-bounded path: many passes, the same bytes */
    size_t budget = MC_BUDGET;
    const char *b = getenv("HNB_MC_BUDGET_BYTES");
    if (b && *b && strtoull(b, NULL, 10) > 0) budget = (size_t)strtoull(b, NULL, 10);
    size_t batch = budget / (sizeof(double) * (size_t)paths);
    size_t must = 2 + 2 * (size_t)(s->last_fy - s->first_fy + 1); /* --paths-out needs these together */
    if (batch < must) batch = must;
    if (batch > nfig) batch = nfig;
    int npass = (int)((nfig + batch - 1) / batch);
    for (int t = 0; !rc && t < threads; t++) rc = worker_alloc(&wk[t], &j, batch);
    if (!rc) {
        m->paths = paths;
        m->seed = seed;
        m->ny = s->last_fy - s->first_fy + 1;
        m->nplace = s->nplace;
        m->nfig = nfig;
        m->stat = calloc(nfig * NSTAT, sizeof *m->stat);
        j.store = malloc(batch * (size_t)paths * sizeof *j.store);
        if (!m->stat || !j.store) rc = HNB_E_NOMEM;
    }
    double t0 = now_seconds();
    for (int pass = 0; !rc && pass < npass; pass++) {
        j.f0 = (size_t)pass * batch;
        j.f1 = j.f0 + batch < nfig ? j.f0 + batch : nfig;
        j.first_pass = pass == 0;
        rc = run_pass(&j, wk, threads, progress, s->name, t0, pass, npass);
        if (!rc && pass == 0 && paths_out) write_paths(paths_out, s, &j);
        if (!rc) summarise_batch(&j, m->stat, threads);
    }
    if (!rc) memcpy(m->se, j.se, sizeof m->se);
    /* the counts, merged in thread order (integers: any order gives the same) */
    for (int t = 0; !rc && t < threads; t++) {
        m->n_balance += wk[t].n_balance;
        m->n_above += wk[t].n_above;
        m->n_grows += wk[t].n_grows;
    }
    for (int t = 0; wk && t < threads; t++) worker_free(&wk[t]);
    free(wk);
    job_free(&j);
    if (rc) {
        montecarlo_free(m);
        if (rc == HNB_E_NOMEM) /* not the assumptions' fault (issue 20) */
            return err_set(h, rc, "%s: scenarios.%s: out of memory running Monte Carlo (%llu paths)", s->file, s->name,
                           (unsigned long long)paths);
        return err_set(
            h, rc, "%s: scenarios.%s: Monte Carlo failed: %s (expected assumptions whose draws keep the model finite)",
            s->file, s->name, hnb_strerror(rc));
    }
    *out = m;
    return HNB_OK;
}

/* ---- the seam of a run spread over processes (montecarlo_map.c) ----------
 *
 * The same paths in blocks: a block runs paths [first, last) of one batch of
 * figures [f0, f1) into a buffer its caller owns, and a summary is finished
 * from the gathered values. run_path and the order statistics are the ones
 * above, so a run assembled from blocks is the same bytes as montecarlo_run. */

struct mc_block {
    mcjob job;
    worker wk;
};

size_t montecarlo_figures(const scenario *s) { return fig_count(s->last_fy - s->first_fy + 1, s->nplace); }

size_t montecarlo_batch(const scenario *s, uint64_t paths)
{
    size_t nfig = montecarlo_figures(s), budget = MC_BUDGET;
    const char *b = getenv("HNB_MC_BUDGET_BYTES");
    if (b && *b && strtoull(b, NULL, 10) > 0) budget = (size_t)strtoull(b, NULL, 10);
    size_t batch = budget / (sizeof(double) * (size_t)(paths ? paths : 1));
    size_t must = 2 + 2 * (size_t)(s->last_fy - s->first_fy + 1);
    if (batch < must) batch = must;
    return batch > nfig ? nfig : batch;
}

int montecarlo_block_open(const scenario *s, uint64_t seed, size_t f0, size_t f1, int count, mc_block **out)
{
    mc_block *b = aligned_alloc(64, sizeof *b);
    *out = NULL;
    if (!b) return HNB_E_NOMEM;
    memset(b, 0, sizeof *b);
    b->job.s = s;
    b->job.seed = seed;
    b->job.oi = headline_override_index(s);
    b->job.nfig = montecarlo_figures(s);
    b->job.f0 = f0;
    b->job.f1 = f1;
    b->job.first_pass = count;
    int rc = job_prepare(&b->job, s);
    if (!rc) rc = worker_alloc(&b->wk, &b->job, f1 - f0);
    if (rc) {
        montecarlo_block_close(b);
        return rc;
    }
    *out = b;
    return HNB_OK;
}

int montecarlo_block_run(mc_block *b, uint64_t first, uint64_t last, double *out, size_t stride, uint64_t count[3])
{
    mcjob *j = &b->job;
    worker *wk = &b->wk;
    wk->n_balance = wk->n_above = wk->n_grows = 0;
    for (uint64_t c = first; c < last; c += MC_CHUNK) {
        uint64_t end = c + MC_CHUNK < last ? c + MC_CHUNK : last;
        int rc = run_chunk(wk, c, end);
        if (rc) return rc;
        for (size_t f = j->f0; f < j->f1; f++)
            memcpy(out + (f - j->f0) * stride + (c - first), wk->chunk + (f - j->f0) * MC_CHUNK,
                   (size_t)(end - c) * sizeof *out);
    }
    count[0] = wk->n_balance;
    count[1] = wk->n_above;
    count[2] = wk->n_grows;
    return HNB_OK;
}

void montecarlo_block_close(mc_block *b)
{
    if (!b) return;
    worker_free(&b->wk);
    job_free(&b->job);
    free(b);
}

void montecarlo_paths_row(FILE *f, const scenario *s, uint64_t path, const double *x, size_t stride)
{
    size_t cols = 2 + 2 * (size_t)(s->last_fy - s->first_fy + 1);
    fprintf(f, "%s,%llu", s->name, (unsigned long long)path);
    for (size_t c = 0; c < cols; c++) {
        if (isnan(x[c * stride]))
            fputs(",", f);
        else
            fprintf(f, ",%.17g", x[c * stride]);
    }
    fputs("\n", f);
}
