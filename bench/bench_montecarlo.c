/* bench_montecarlo.c: how fast the embedded Sutton scenarios run by Monte Carlo.
 *
 * Usage: bench_montecarlo [PATHS ...] (default 10000 100000), each on 1 and on
 * 2 threads. Prints, per run: paths, threads, wall seconds, paths per second,
 * paths per second per thread, and the process's peak resident memory. The
 * three Sutton scenarios are all run, so "paths" counts paths per scenario.
 * A measurement, not a test: nothing here is asserted (docs/performance.md). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "hnbsim.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    unsigned long long defaults[] = {10000, 100000};
    int n = argc > 1 ? argc - 1 : 2;
    printf("%10s %8s %10s %12s %18s %14s\n", "paths", "threads", "wall s", "paths/s", "paths/s/thread", "peak RSS MiB");
    for (int i = 0; i < n; i++) {
        unsigned long long paths = argc > 1 ? strtoull(argv[i + 1], NULL, 10) : defaults[i];
        for (int threads = 1; threads <= 2; threads++) {
            hnb_model *h = hnb_model_alloc();
            if (!h || hnb_load_embedded(h)) return 1;
            size_t nscen = hnb_scenario_count(h);
            hnb_run_options o = {paths, 1, threads, 0, 0, NULL};
            double t0 = now();
            int rc = hnb_run(h, &o);
            double wall = now() - t0;
            if (rc) {
                fprintf(stderr, "%s\n", hnb_errmsg(h));
                return 1;
            }
            struct rusage ru;
            getrusage(RUSAGE_SELF, &ru);
            double rate = (double)paths * (double)nscen / wall;
            printf("%10llu %8d %10.2f %12.0f %18.0f %14.1f\n", paths, threads, wall, rate, rate / threads,
                   (double)ru.ru_maxrss / 1024.0);
            fflush(stdout);
            hnb_model_free(h);
        }
    }
    return 0;
}
