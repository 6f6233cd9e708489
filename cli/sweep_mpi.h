/* sweep_mpi.h: spreading a sweep's cases over MPI ranks (sweep_mpi.c,
 * compiled only when CMake finds MPI; cmd_sweep.c calls it under
 * HNB_HAVE_MPI). */
#ifndef HNB_SWEEP_MPI_H
#define HNB_SWEEP_MPI_H

#include "hnbsim.h"

/* 1 when the process was started by mpirun, srun or another MPI launcher. */
int sweep_mpi_launched(void);
/* MPI_Init; this process's rank and the number of ranks. */
int sweep_mpi_start(int *rank, int *size);
void sweep_mpi_end(void);
/* An hnb_map_fn: rank 0 hands out cases, the other ranks run them; every
 * rank returns with every case's figures. map_ctx points to an int: 1 for a
 * progress line on rank 0's stderr. */
int sweep_mpi_map(void *map_ctx, size_t ncases, size_t nout, hnb_case_fn fn, void *ctx, double *out, const char *what);

#endif
