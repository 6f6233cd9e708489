/* mpi_map.c: the cases of a job over MPI ranks, with dynamic scheduling:
 * a sweep's cases (cmd_sweep.c), a Monte Carlo run's blocks of paths
 * (run_mpi.c) and the national run's authorities (cmd_national.c).
 * Compiled only when CMake finds MPI.
 *
 * Every rank reads the same files and builds the same list of cases; only
 * who runs which case differs. Rank 0 deals out chunks of cases as the
 * others ask for work (first come, first served, so a slow machine takes
 * fewer), and receives each chunk's figures into their place in the output.
 * Then, for a sweep or the national run, it broadcasts the whole output, so
 * every rank carries on with the same numbers (a goal seek's Brent steps,
 * say); for Monte Carlo (gather), the figures stay on rank 0, the only rank
 * that summarises, so that no other rank holds a pass's batch of every path
 * (the memory bound of montecarlo.c holds per machine, not per rank); a
 * worker there passes no output and keeps only the chunk in hand. Rank 0
 * alone writes the files. A case's figures depend on its index alone and
 * travel as raw doubles, so the results are the same bits as one process
 * gives, whatever the number of ranks. With one rank, rank 0 runs every case
 * itself. With more, rank 0 only deals: ask for one rank more than cores.
 *
 * Messages: a worker sends READY (an int: 0, or its error code; its tag
 * names the map, counted alike on every rank) then TAG_DATA (a chunk's
 * figures) after each chunk; rank 0 replies TAG_WORK with {first, count},
 * count 0 meaning stop, with first then the map's result code. Before a job
 * starts, rank 0 broadcasts go or stop (mpi_go), so that a failure on rank 0
 * alone (its output folder refused, say) stops every rank instead of leaving
 * them waiting for work. In gather mode a worker that is done with the job,
 * or cannot run it, sends TAG_LEFT (mpi_leave), and rank 0 ends the job by
 * draining them (mpi_drain): a map rank 0 gave up on ends in error on every
 * worker still in it, and no rank waits for one that will never come. */
#define _POSIX_C_SOURCE 200809L
#include "mpi_map.h"
#include "cli.h"

#include <fcntl.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { TAG_DATA = 2, TAG_WORK = 3, TAG_LEFT = 4, TAG_MSG = 5, TAG_READY0 = 8 };

/* The maps every rank runs, counted alike on every rank: a worker's READY
 * carries the map's number in its tag, so that rank 0, still in one map,
 * never takes the READY of a worker that has gone on to the next (in gather
 * mode nothing holds a worker back at the end of a map). */
static unsigned epoch;
static int tag_ready(unsigned e) { return TAG_READY0 + (int)(e % 16384u); }

int mpi_launched(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE", NULL};
    for (int i = 0; vars[i]; i++)
        if (getenv(vars[i])) return 1;
    return 0;
}

int mpi_start(int *rank, int *size)
{
    if (MPI_Init(NULL, NULL) != MPI_SUCCESS) return -1;
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    return 0;
}

void mpi_end(void) { MPI_Finalize(); }

void mpi_ranks(int *rank, int *size)
{
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
}

int mpi_go(int go)
{
    MPI_Bcast(&go, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return go;
}

int mpi_terminal(void)
{
    if (isatty(STDERR_FILENO)) return 1;
    int fd = open("/dev/tty", O_WRONLY | O_NOCTTY);
    if (fd < 0) return 0;
    close(fd);
    return 1;
}

int mpi_fail(hnb_model *h, int rc, const mpi_map_ctx *c)
{
    if (!c || !c->err[0]) return fail(h, rc);
    for (const char *p = c->err; *p;) {
        size_t n = strcspn(p, "\n");
        fprintf(stderr, "hnbsim: error: %.*s\n", (int)n, p);
        p += n + (p[n] ? 1 : 0);
    }
    return exit_code_for(rc);
}

int mpi_quiet_begin(void)
{
    fflush(stderr);
    int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
        dup2(null, STDERR_FILENO);
        close(null);
    }
    return saved;
}

void mpi_quiet_end(int saved)
{
    fflush(stderr);
    if (saved < 0) return;
    dup2(saved, STDERR_FILENO);
    close(saved);
}

void mpi_refuse(int code)
{
    unsigned long long work[2];
    int rc = 0;
    MPI_Send(&code, 1, MPI_INT, 0, tag_ready(epoch++), MPI_COMM_WORLD);
    MPI_Send("", 1, MPI_CHAR, 0, TAG_MSG, MPI_COMM_WORLD);
    MPI_Recv(work, 2, MPI_UNSIGNED_LONG_LONG, 0, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
}

/* Rank 0 waits for the next message: a worker's READY of map e (e < 0: of
 * any map) or a LEFT, without spinning: it only deals, so on a machine
 * whose cores run the workers it sleeps a little between looks (a
 * millisecond at most, against cases that take far longer) instead of
 * taking a core from them, as a blocking receive that polls would. On a
 * LEFT, *code is CODE_LEFT. */
enum { CODE_LEFT = -1 };
static void wait_ready(long e, int *code, MPI_Status *st)
{
    long nap = 20000; /* ns, doubling to 1 ms */
    for (;;) {
        int flag = 0;
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_LEFT, MPI_COMM_WORLD, &flag, st);
        if (flag) {
            MPI_Recv(code, 1, MPI_INT, st->MPI_SOURCE, TAG_LEFT, MPI_COMM_WORLD, st);
            *code = CODE_LEFT;
            return;
        }
        MPI_Iprobe(MPI_ANY_SOURCE, e >= 0 ? tag_ready((unsigned)e) : MPI_ANY_TAG, MPI_COMM_WORLD, &flag, st);
        if (flag) {
            MPI_Recv(code, 1, MPI_INT, st->MPI_SOURCE, st->MPI_TAG, MPI_COMM_WORLD, st);
            return;
        }
        struct timespec d = {0, nap};
        nanosleep(&d, NULL);
        if (nap < 1000000) nap *= 2;
    }
}

/* Gather mode: the workers that have left the job (mpi_leave), on rank 0. */
static unsigned char *gone;
static int ngone;

static int mark_gone(int w, int size)
{
    if (!gone && !(gone = calloc((size_t)size, 1))) return -1;
    if (w >= 0 && !gone[w]) {
        gone[w] = 1;
        ngone++;
    }
    return 0;
}

void mpi_leave(void)
{
    int code = CODE_LEFT;
    MPI_Send(&code, 1, MPI_INT, 0, TAG_LEFT, MPI_COMM_WORLD);
}

void mpi_drain(int rc)
{
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (mark_gone(-1, size)) MPI_Abort(MPI_COMM_WORLD, 3);
    while (ngone < size - 1) {
        int code = 0;
        MPI_Status st;
        wait_ready(-1, &code, &st);
        if (code == CODE_LEFT) {
            mark_gone(st.MPI_SOURCE, size);
        } else { /* a worker in a map rank 0 no longer runs: stop it with the error */
            if (code) {
                char msg[2048];
                MPI_Recv(msg, (int)sizeof msg, MPI_CHAR, st.MPI_SOURCE, TAG_MSG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            }
            unsigned long long work[2] = {(unsigned long long)(rc ? rc : HNB_E_INTERNAL), 0};
            MPI_Send(work, 2, MPI_UNSIGNED_LONG_LONG, st.MPI_SOURCE, TAG_WORK, MPI_COMM_WORLD);
        }
    }
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void progress_line(const mpi_map_ctx *c, const char *what, size_t done, size_t total, double seconds)
{
    double rate = seconds > 0 ? (double)done / seconds : 0.0;
    double left = rate > 0 ? (double)(total - done) / rate : 0.0;
    fprintf(stderr, "\r%s%s: %zu/%zu %s, %.1f a second, %.0f s left   %s", c->prefix ? c->prefix : "", what, done,
            total, c->unit ? c->unit : "cases", rate, left, done == total ? "\n" : "");
    fflush(stderr);
}

int mpi_map(void *map_ctx, size_t ncases, size_t nout, hnb_case_fn fn, void *ctx, double *out, const char *what)
{
    mpi_map_ctx quiet = {0, 0, NULL, NULL, NULL, ""};
    mpi_map_ctx *c = map_ctx ? map_ctx : &quiet;
    int rank = 0, size = 1, progress = c->progress;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int rc = 0;
    unsigned e = epoch++;
    if (size == 1) {
        double t0 = now_seconds(), last = t0;
        for (size_t i = 0; i < ncases && !rc; i++) {
            rc = fn(ctx, i, out + i * nout);
            double t = now_seconds();
            if (progress && (t - last >= 0.25 || i + 1 == ncases)) {
                progress_line(c, what, i + 1, ncases, t - t0);
                last = t;
            }
        }
        return rc;
    }
    /* chunks small enough to balance, large enough to keep messages few,
     * and within an int's count of doubles */
    size_t chunk = ncases / ((size_t)(size - 1) * 16);
    if (chunk < 1) chunk = 1;
    if (chunk > 256) chunk = 256;
    while (chunk > 1 && chunk * nout > ((size_t)1 << 30)) chunk /= 2;
    if (rank == 0) {
        size_t next = 0, done = 0;
        int stopped = 0;
        unsigned long long *given = calloc((size_t)size, sizeof *given); /* first case of each worker's chunk */
        unsigned long long *count = calloc((size_t)size, sizeof *count);
        unsigned char *halted = calloc((size_t)size, 1); /* stopped in this map */
        if (!given || !count || !halted || mark_gone(-1, size)) MPI_Abort(MPI_COMM_WORLD, 3);
        double t0 = now_seconds(), last = t0;
        while (stopped + ngone < size - 1) {
            int code = 0;
            MPI_Status st;
            wait_ready((long)e, &code, &st);
            int w = st.MPI_SOURCE;
            if (code == CODE_LEFT) {
                /* a worker done with the job, stopped already in this map,
                 * or one that cannot run cases: the others do its share */
                if (halted[w]) stopped--;
                mark_gone(w, size);
                continue;
            }
            if (count[w] > 0) { /* the figures of the chunk it had */
                MPI_Recv(out + given[w] * nout, (int)(count[w] * nout), MPI_DOUBLE, w, TAG_DATA, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE);
                done += count[w];
            }
            if (code) { /* a failed case: its message follows */
                char msg[2048];
                MPI_Status ms;
                int len = 0;
                MPI_Recv(msg, (int)sizeof msg, MPI_CHAR, w, TAG_MSG, MPI_COMM_WORLD, &ms);
                MPI_Get_count(&ms, MPI_CHAR, &len);
                msg[len > 0 && len <= (int)sizeof msg ? len - 1 : 0] = '\0';
                if (!rc && !c->err[0]) snprintf(c->err, sizeof c->err, "%s", msg);
            }
            if (code && !rc) rc = code;
            unsigned long long work[2] = {next, 0};
            if (!rc && next < ncases) {
                work[1] = ncases - next < chunk ? ncases - next : chunk;
                next += work[1];
            } else {
                work[0] = (unsigned long long)rc; /* stop, and how it ended */
            }
            given[w] = work[0];
            count[w] = work[1];
            MPI_Send(work, 2, MPI_UNSIGNED_LONG_LONG, w, TAG_WORK, MPI_COMM_WORLD);
            if (!work[1]) {
                stopped++;
                halted[w] = 1;
            }
            double t = now_seconds();
            if (progress && (t - last >= 0.25 || done == ncases) && done) {
                progress_line(c, what, done, ncases, t - t0);
                last = t;
            }
        }
        free(given);
        free(count);
        free(halted);
        /* every worker gone: rank 0 runs what is left itself */
        for (size_t i = next; !rc && i < ncases; i++) rc = fn(ctx, i, out + i * nout);
    } else {
        int code = 0;
        unsigned long long work[2] = {0, 0};
        /* a worker that keeps nothing runs its chunk into a buffer of its own */
        double *mine = out ? NULL : malloc(chunk * nout * sizeof *mine + 1);
        if (!out && !mine) code = HNB_E_NOMEM;
        for (;;) {
            MPI_Send(&code, 1, MPI_INT, 0, tag_ready(e), MPI_COMM_WORLD);
            if (work[1] > 0)
                MPI_Send(out ? out + work[0] * nout : mine, (int)(work[1] * nout), MPI_DOUBLE, 0, TAG_DATA,
                         MPI_COMM_WORLD);
            if (code) { /* what went wrong, for rank 0 to tell */
                const char *m = c->h ? hnb_errmsg(c->h) : "";
                int len = (int)strnlen(m, 2047);
                char msg[2048];
                memcpy(msg, m, (size_t)len);
                msg[len] = '\0';
                MPI_Send(msg, len + 1, MPI_CHAR, 0, TAG_MSG, MPI_COMM_WORLD);
            }
            MPI_Recv(work, 2, MPI_UNSIGNED_LONG_LONG, 0, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            if (!work[1]) {
                rc = (int)work[0];
                break;
            }
            for (size_t i = work[0]; i < work[0] + work[1]; i++) {
                int e = fn(ctx, i, out ? out + i * nout : mine + (i - work[0]) * nout);
                if (e && !code) code = e;
            }
        }
        free(mine);
        if (!rc) rc = code;
    }
    if (c->gather) return rc; /* every rank knows how it ended from its stop message */
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (!rc) {
        /* broadcast in pieces that fit an int count */
        size_t total = ncases * nout, step = (size_t)1 << 28;
        for (size_t off = 0; off < total; off += step)
            MPI_Bcast(out + off, (int)(total - off < step ? total - off : step), MPI_DOUBLE, 0, MPI_COMM_WORLD);
    }
    return rc;
}
