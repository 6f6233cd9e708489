/* montecarlo_map.c: a Monte Carlo run whose paths go through a map of cases
 * (hnb_map_fn), such as the MPI map of `mpirun hnbsim run --paths N`.
 *
 * A case is a block of consecutive paths; its output is the block's values
 * of the pass's batch of figures, figure by figure, and its three counts
 * (paths in balance, above the threshold, growing every year), as doubles
 * (exact: whole numbers far below 2^53). The map may run the cases anywhere;
 * back here each figure's column is put together in path order and given to
 * montecarlo_column_stats, the very function montecarlo_run uses on the very
 * same column, and the counts are summed (integers: any order gives the
 * same). So the summary is the same bytes as montecarlo_run's, whatever the
 * number of processes, threads or blocks; the paths themselves are the same
 * because their draws depend on (seed, path) alone (montecarlo.c).
 *
 * Memory: the passes and their batches of figures are montecarlo_run's
 * (montecarlo_batch: within the same budget); a pass holds its batch for
 * every path once, block by block, plus one column per thread while it
 * summarises. A process that only serves another's map (an MPI rank other
 * than 0) passes no output and keeps nothing.
 *
 * Threads: inside a case, the block is split between `threads` threads, each
 * with its own block runner (montecarlo_block_open), writing its own paths'
 * slots of the case's output. */
#define _POSIX_C_SOURCE 200809L
#include "analysis/montecarlo_map.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"

typedef struct mapjob {
    const scenario *s;
    uint64_t paths, seed, block; /* paths per case */
    size_t f0, f1;
    int count, threads;
    mc_block **run; /* [threads], opened when first needed */
} mapjob;

typedef struct part {
    mapjob *j;
    int t;
    uint64_t first, last;
    double *out;
    size_t stride;
    uint64_t count[3];
    int rc;
} part;

static void *run_part(void *arg)
{
    part *p = arg;
    mapjob *j = p->j;
    if (!j->run[p->t]) p->rc = montecarlo_block_open(j->s, j->seed, j->f0, j->f1, j->count, &j->run[p->t]);
    if (!p->rc) p->rc = montecarlo_block_run(j->run[p->t], p->first, p->last, p->out, p->stride, p->count);
    return NULL;
}

/* Case i: paths [i * block, (i + 1) * block) of the pass. */
static int run_case(void *ctx, size_t i, double *out)
{
    mapjob *j = ctx;
    uint64_t first = (uint64_t)i * j->block, last = first + j->block < j->paths ? first + j->block : j->paths;
    size_t n = (size_t)(last - first), nb = j->f1 - j->f0;
    int threads = j->threads;
    if ((uint64_t)threads > (last - first) / 64) threads = (int)((last - first) / 64);
    if (threads < 1) threads = 1;
    part parts[64];
    pthread_t tid[64];
    int started[64] = {0};
    for (int t = 0; t < threads; t++) {
        uint64_t a = first + (last - first) * (uint64_t)t / (uint64_t)threads;
        uint64_t b = first + (last - first) * (uint64_t)(t + 1) / (uint64_t)threads;
        parts[t] = (part){j, t, a, b, out + (a - first), n, {0, 0, 0}, 0};
    }
    for (int t = 1; t < threads; t++) started[t] = pthread_create(&tid[t], NULL, run_part, &parts[t]) == 0;
    run_part(&parts[0]);
    int rc = 0;
    uint64_t count[3] = {0, 0, 0};
    for (int t = 0; t < threads; t++) {
        if (t > 0 && started[t])
            pthread_join(tid[t], NULL);
        else if (t > 0)
            run_part(&parts[t]);
        if (parts[t].rc && !rc) rc = parts[t].rc;
        for (int k = 0; k < 3; k++) count[k] += parts[t].count[k];
    }
    for (int k = 0; k < 3; k++) out[nb * j->block + (size_t)k] = (double)count[k];
    return rc;
}

/* The summaries of a pass: figure f's column gathered from the blocks in
 * path order, figures shared round-robin between threads. */
typedef struct gather {
    const mapjob *j;
    const double *out;
    size_t nout;
    mc_summary *m;
    double *col;
    int t, nthreads;
} gather;

static void *summarise(void *arg)
{
    gather *g = arg;
    const mapjob *j = g->j;
    size_t nblock = (size_t)((j->paths + j->block - 1) / j->block);
    for (size_t f = j->f0 + (size_t)g->t; f < j->f1; f += (size_t)g->nthreads) {
        for (size_t i = 0; i < nblock; i++) {
            uint64_t first = (uint64_t)i * j->block;
            size_t n = (size_t)(first + j->block < j->paths ? j->block : j->paths - first);
            memcpy(g->col + first, g->out + i * g->nout + (f - j->f0) * n, n * sizeof *g->col);
        }
        montecarlo_summary_column(g->m, f, g->col);
    }
    return NULL;
}

static int summarise_pass(const mapjob *j, const double *out, size_t nout, mc_summary *m, int threads)
{
    gather g[64];
    pthread_t tid[64];
    int started[64] = {0}, n = 0;
    for (; n < threads; n++) {
        g[n] = (gather){j, out, nout, m, malloc((size_t)j->paths * sizeof(double)), n, threads};
        if (!g[n].col) break;
    }
    if (n == 0) return HNB_E_NOMEM;
    for (int t = 0; t < n; t++) g[t].nthreads = n;
    for (int t = 1; t < n; t++) started[t] = pthread_create(&tid[t], NULL, summarise, &g[t]) == 0;
    summarise(&g[0]);
    for (int t = 1; t < n; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            summarise(&g[t]);
    }
    for (int t = 0; t < n; t++) free(g[t].col);
    return HNB_OK;
}

uint64_t montecarlo_map_block(uint64_t paths)
{
    uint64_t b = (paths / 64 + 63) / 64 * 64; /* about 64 cases, whole chunks of 64 paths */
    return b < 64 ? 64 : b > 4096 ? 4096 : b;
}

int montecarlo_run_map(hnb_model *h, const scenario *s, uint64_t paths, uint64_t seed, int threads, void *paths_out,
                       const hnb_map_options *map, mc_summary **out)
{
    *out = NULL;
    if (threads <= 0) threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1) threads = 1;
    if (threads > 64) threads = 64;
    size_t nfig = montecarlo_figures(s), batch = montecarlo_batch(s, paths);
    int npass = (int)((nfig + batch - 1) / batch);
    mapjob j = {s, paths, seed, montecarlo_map_block(paths), 0, 0, 0, threads, NULL};
    size_t ncase = (size_t)((paths + j.block - 1) / j.block);
    j.run = calloc((size_t)threads, sizeof *j.run);
    mc_summary *m = map->worker ? NULL : montecarlo_summary_new(s, paths, seed);
    double *buf = NULL;
    int rc = j.run && (m || map->worker) ? HNB_OK : HNB_E_NOMEM;
    uint64_t count[3] = {0, 0, 0};
    for (int pass = 0; !rc && pass < npass; pass++) {
        j.f0 = (size_t)pass * batch;
        j.f1 = j.f0 + batch < nfig ? j.f0 + batch : nfig;
        j.count = pass == 0;
        for (int t = 0; t < threads; t++) { /* a runner is for one batch */
            montecarlo_block_close(j.run[t]);
            j.run[t] = NULL;
        }
        size_t nout = (size_t)j.block * (j.f1 - j.f0) + 3;
        if (!map->worker && !buf && !(buf = malloc(ncase * nout * sizeof *buf))) {
            rc = HNB_E_NOMEM;
            break;
        }
        char what[300];
        snprintf(what, sizeof what, "Monte Carlo %s, pass %d/%d, blocks of %llu paths", s->name, pass + 1, npass,
                 (unsigned long long)j.block);
        rc = map->map(map->map_ctx, ncase, nout, run_case, &j, map->worker ? NULL : buf, what);
        if (rc || map->worker) continue;
        if (pass == 0) {
            for (size_t i = 0; i < ncase; i++)
                for (int k = 0; k < 3; k++) count[k] += (uint64_t)buf[i * nout + nout - 3 + (size_t)k];
            for (size_t i = 0; paths_out && i < ncase; i++) {
                uint64_t first = (uint64_t)i * j.block;
                size_t n = (size_t)(first + j.block < paths ? j.block : paths - first);
                for (size_t p = 0; p < n; p++) montecarlo_paths_row(paths_out, s, first + p, buf + i * nout + p, n);
            }
        }
        rc = summarise_pass(&j, buf, nout, m, threads);
    }
    for (int t = 0; j.run && t < threads; t++) montecarlo_block_close(j.run[t]);
    free(j.run);
    free(buf);
    if (rc) {
        montecarlo_free(m);
        return err_set(
            h, rc, "%s: scenarios.%s: Monte Carlo failed: %s (expected assumptions whose draws keep the model finite)",
            s->file, s->name, hnb_strerror(rc));
    }
    if (m) montecarlo_summary_counts(m, count[0], count[1], count[2]);
    *out = m;
    return HNB_OK;
}
