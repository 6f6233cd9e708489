/* sweep_mpi.c: the cases of a sweep over MPI ranks, with dynamic scheduling.
 *
 * Every rank reads the same files and builds the same list of cases; only
 * who runs which case differs. Rank 0 deals out chunks of cases as the
 * others ask for work (first come, first served, so a slow machine takes
 * fewer), and receives each chunk's figures into their place in the output;
 * then it broadcasts the whole output, so every rank carries on with the
 * same numbers (a goal seek's Brent steps, say) and rank 0 alone writes the
 * files. A case's figures depend on its index alone and travel as raw
 * doubles, so the results are the same bits as one process gives, whatever
 * the number of ranks. With one rank, rank 0 runs every case itself.
 *
 * Messages: a worker sends TAG_READY (an int: 0, or its error code) then
 * TAG_DATA (a chunk's figures) after each chunk; rank 0 replies TAG_WORK
 * with {first, count}, count 0 meaning stop. */
#define _POSIX_C_SOURCE 200809L
#include "sweep_mpi.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { TAG_READY = 1, TAG_DATA = 2, TAG_WORK = 3 };

int sweep_mpi_launched(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE", NULL};
    for (int i = 0; vars[i]; i++)
        if (getenv(vars[i])) return 1;
    return 0;
}

int sweep_mpi_start(int *rank, int *size)
{
    if (MPI_Init(NULL, NULL) != MPI_SUCCESS) return -1;
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    return 0;
}

void sweep_mpi_end(void) { MPI_Finalize(); }

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void progress_line(const char *what, size_t done, size_t total, double seconds)
{
    double rate = seconds > 0 ? (double)done / seconds : 0.0;
    double left = rate > 0 ? (double)(total - done) / rate : 0.0;
    fprintf(stderr, "\rsweep %s: %zu/%zu cases, %.1f a second, %.0f s left   %s", what, done, total, rate, left,
            done == total ? "\n" : "");
    fflush(stderr);
}

int sweep_mpi_map(void *map_ctx, size_t ncases, size_t nout, hnb_case_fn fn, void *ctx, double *out, const char *what)
{
    int rank = 0, size = 1, progress = map_ctx ? *(const int *)map_ctx : 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int rc = 0;
    if (size == 1) {
        for (size_t i = 0; i < ncases && !rc; i++) rc = fn(ctx, i, out + i * nout);
        return rc;
    }
    /* chunks small enough to balance, large enough to keep messages few */
    size_t chunk = ncases / ((size_t)(size - 1) * 16);
    if (chunk < 1) chunk = 1;
    if (chunk > 256) chunk = 256;
    if (rank == 0) {
        size_t next = 0, done = 0;
        int stopped = 0;
        unsigned long long *given = calloc((size_t)size, sizeof *given); /* first case of each worker's chunk */
        unsigned long long *count = calloc((size_t)size, sizeof *count);
        double t0 = now_seconds(), last = t0;
        while (stopped < size - 1) {
            int code = 0;
            MPI_Status st;
            MPI_Recv(&code, 1, MPI_INT, MPI_ANY_SOURCE, TAG_READY, MPI_COMM_WORLD, &st);
            int w = st.MPI_SOURCE;
            if (count[w] > 0) { /* the figures of the chunk it had */
                MPI_Recv(out + given[w] * nout, (int)(count[w] * nout), MPI_DOUBLE, w, TAG_DATA, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE);
                done += count[w];
            }
            if (code && !rc) rc = code;
            unsigned long long work[2] = {next, 0};
            if (!rc && next < ncases) {
                work[1] = ncases - next < chunk ? ncases - next : chunk;
                next += work[1];
            }
            given[w] = work[0];
            count[w] = work[1];
            MPI_Send(work, 2, MPI_UNSIGNED_LONG_LONG, w, TAG_WORK, MPI_COMM_WORLD);
            if (!work[1]) stopped++;
            double t = now_seconds();
            if (progress && (t - last >= 0.25 || done == ncases) && done) {
                progress_line(what, done, ncases, t - t0);
                last = t;
            }
        }
        free(given);
        free(count);
    } else {
        int code = 0;
        unsigned long long work[2] = {0, 0};
        for (;;) {
            MPI_Send(&code, 1, MPI_INT, 0, TAG_READY, MPI_COMM_WORLD);
            if (work[1] > 0)
                MPI_Send(out + work[0] * nout, (int)(work[1] * nout), MPI_DOUBLE, 0, TAG_DATA, MPI_COMM_WORLD);
            MPI_Recv(work, 2, MPI_UNSIGNED_LONG_LONG, 0, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            if (!work[1]) break;
            for (size_t i = work[0]; i < work[0] + work[1]; i++) {
                int c = fn(ctx, i, out + i * nout);
                if (c && !code) code = c;
            }
        }
    }
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (!rc) {
        /* broadcast in pieces that fit an int count */
        size_t total = ncases * nout, step = (size_t)1 << 28;
        for (size_t off = 0; off < total; off += step)
            MPI_Bcast(out + off, (int)(total - off < step ? total - off : step), MPI_DOUBLE, 0, MPI_COMM_WORLD);
    }
    return rc;
}
