/* mpi_map.h: spreading a job's cases over MPI ranks (mpi_map.c, compiled
 * only when CMake finds MPI; the commands call it under HNB_HAVE_MPI): the
 * map itself, and the start and go/stop every rank shares. */
#ifndef HNB_MPI_MAP_H
#define HNB_MPI_MAP_H

#include "hnbsim.h"

/* 1 when the process was started by mpirun, srun or another MPI launcher. */
int mpi_launched(void);
/* MPI_Init; this process's rank and the number of ranks. */
int mpi_start(int *rank, int *size);
void mpi_end(void);
/* This process's rank and the number of ranks, after mpi_start. */
void mpi_ranks(int *rank, int *size);
/* Every rank calls it once before the job: rank 0 with 0 (stop: it failed)
 * or a go value; the others with anything. Returns rank 0's value. */
int mpi_go(int go);
/* A worker that cannot run the cases (its own files failed to load) takes
 * the place of its part of the first map rank 0 runs: rank 0 stops with
 * code. */
void mpi_refuse(int code);

/* 1 when the job was started from a terminal. A rank's stderr is a pipe
 * to mpirun, which passes it on, so isatty() cannot tell; the controlling
 * terminal the launch inherited can (none under sbatch, or with mpirun's
 * stdin and terminal detached). Used for the progress line in place of
 * isatty(stderr). */
int mpi_terminal(void);

/* A rank other than 0 keeps quiet while it parses and loads what rank 0
 * does (rank 0 meets the same problems and tells them): stderr to
 * /dev/null until mpi_quiet_end(the value returned). */
int mpi_quiet_begin(void);
void mpi_quiet_end(int saved);

/* Gather mode (a Monte Carlo run), where rank 0 may stop between maps the
 * workers still follow (an error of its own): a worker calls mpi_leave once
 * it is done with the job, or instead of it when it cannot run cases (the
 * others do its share); rank 0 calls mpi_drain(rc) once the job is over,
 * which stops with rc any worker still waiting in a map and returns when
 * every worker has left. */
void mpi_leave(void);
void mpi_drain(int rc);

/* What mpi_map needs besides the cases. */
typedef struct mpi_map_ctx {
    int progress;       /* 1: a progress line on rank 0's stderr */
    int gather;         /* 1: the output stays on rank 0 (Monte Carlo); 0: every rank gets it */
    const char *prefix; /* of the progress line, before `what` ("sweep ") */
    const char *unit;   /* what the cases are ("cases", "authorities", "blocks") */
    hnb_model *h;       /* a worker: the handle whose message a failed case left */
    char err[2048];     /* rank 0: the message of the first case that failed on a worker, or "" */
} mpi_map_ctx;
/* fail() on rank 0, with the message of the case that failed on a worker
 * in place of rank 0's own (which only knows that one did). */
int mpi_fail(hnb_model *h, int rc, const mpi_map_ctx *c);

/* An hnb_map_fn: rank 0 hands out cases, the other ranks run them; with
 * gather 0 every rank returns with every case's figures, with gather 1 rank
 * 0 alone (the others may pass out = NULL). map_ctx is an mpi_map_ctx. */
int mpi_map(void *map_ctx, size_t ncases, size_t nout, hnb_case_fn fn, void *ctx, double *out, const char *what);

/* run_mpi.c: `hnbsim run` under mpirun. cmd_run calls run_mpi (when
 * mpi_launched() and not already inside it), and run_mpi_job in place of
 * hnb_run; ranks other than 0 only run Monte Carlo blocks. */
int run_mpi_wanted(void);
int run_mpi(hnb_model *h, int argc, char **argv);
int run_mpi_job(hnb_model *h, const hnb_run_options *opt);

#endif
