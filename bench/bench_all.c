/* bench_all.c: every speed figure of docs/performance.md, in one command.
 *
 *   build/bench/bench_all [--seconds S] [--million N] [--peer FILE] [--quick]
 *   build/bench/bench_all --profile N [--noise]   (for perf record: N paths
 *       of the Sutton plan on 1 thread and nothing else)
 *   build/bench/bench_all --profile-det 0|1   (one deterministic Sutton run,
 *       without or with attribution, for callgrind)
 *
 * One line per figure, in this order:
 *   - the deterministic Sutton run, end to end without charts: load the
 *     embedded scenarios, run them (with and without savings attribution),
 *     write the results JSON; the best of several runs, in ms; on 1 thread,
 *     then with attribution on one thread per core as `hnbsim run` does;
 *   - Monte Carlo of the Sutton mitigated scenario (dsg-management-plan):
 *     parameter draws only, then with count noise, each on 1 and 2 threads,
 *     as paths/s per thread (paths / wall / threads) and paths per CPU
 *     second (paths / process CPU time, which a busy machine disturbs less);
 *   - the generated 114-placement council (council114.c) with count noise,
 *     on 1 and 2 threads;
 *   - 1,000,000 paths (--million) of every Sutton scenario on 2 threads, the
 *     whole job as `hnbsim run --no-charts --no-spreadsheets` does it, in a
 *     child process: wall time and that process's peak resident memory;
 *   - the numpy peer (numpy_peer.py, one thread) at Sutton's size and at the
 *     council's, run here in the same command, and the ratios: hnbsim paths/s
 *     per thread over the peer's paths/s. Machines here are shared, so only
 *     ratios measured side by side are stable; on a machine busier than its
 *     cores, the ratio of paths per CPU second (the peer's from two runs of
 *     n and 2n paths, which leaves out Python's start) is the steadier one,
 *     and "2 threads / 1 thread by CPU time" is the speed-up two free cores
 *     would give (it leaves out any serial part of the run).
 * Each Monte Carlo figure runs about S seconds (--seconds, default 1) of
 * paths, sized from a short trial run. The peer is looked for at --peer,
 * $HNB_NUMPY_PEER, then ../shared/bench/numpy_peer.py beside the source tree
 * (and one level further up); without it the ratios are skipped with a note.
 * It is run from its own folder with a Python that has numpy (python3, else
 * /usr/bin/python3). A measurement, not a test: nothing is asserted, and
 * ctest never runs it. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analysis/montecarlo.h"
#include "core/model.h"
#include "core/scenario.h"
#include "council114.h"
#include "hnbsim.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec * 1e-6;
}

static void die(hnb_model *h, const char *what)
{
    fprintf(stderr, "bench_all: %s: %s\n", what, h ? hnb_errmsg(h) : "out of memory");
    exit(1);
}

/* ---- the deterministic run --------------------------------------------- */

static double deterministic_ms(int attribution, int threads, const char *out, int reps)
{
    double best = 1e30;
    for (int rep = 0; rep < reps; rep++) {
        double t0 = now();
        hnb_model *h = hnb_model_alloc();
        if (!h || hnb_load_embedded(h)) die(h, "load");
        hnb_run_options o = {0, 1, threads, 0, attribution, NULL};
        if (hnb_run(h, &o)) die(h, "run");
        if (hnb_write_results(h, out)) die(h, "results");
        hnb_model_free(h);
        double t = now() - t0;
        if (t < best) best = t;
    }
    return best * 1e3;
}

/* ---- Monte Carlo of one scenario --------------------------------------- */

typedef struct rate {
    unsigned long long paths;
    double wall, per_thread, per_cpu;
} rate;

static rate mc_once(hnb_model *h, scenario *s, unsigned long long paths, int threads)
{
    mc_summary *m = NULL;
    double t0 = now(), c0 = cpu_seconds();
    if (montecarlo_run(h, s, paths, 1, threads, 0, NULL, &m)) die(h, "Monte Carlo");
    rate r = {paths, now() - t0, 0, 0};
    double cpu = cpu_seconds() - c0;
    montecarlo_free(m);
    r.per_thread = (double)paths / r.wall / threads;
    r.per_cpu = (double)paths / (cpu > 0 ? cpu : r.wall);
    return r;
}

/* About `seconds` of paths, sized from a trial; the better of two runs. */
static rate mc_rate(hnb_model *h, scenario *s, int threads, double seconds)
{
    rate trial = mc_once(h, s, 50, threads);
    trial = mc_once(h, s, trial.per_thread * threads * seconds < 2000 ? 100 : 1000, threads);
    double n = trial.per_thread * threads * seconds;
    unsigned long long paths = n < 100 ? 100 : (unsigned long long)(n / 100) * 100;
    rate a = mc_once(h, s, paths, threads), b = mc_once(h, s, paths, threads);
    return a.per_thread > b.per_thread ? a : b;
}

static void mc_line(const char *what, const rate *r1, const rate *r2)
{
    printf("%-58s 1 thread: %9.0f paths/s (%9.0f per CPU s, %llu paths, %.2f s)\n", what, r1->per_thread, r1->per_cpu,
           r1->paths, r1->wall);
    printf("%-58s 2 threads: %8.0f paths/s per thread (%9.0f per CPU s); 2 threads / 1 thread: %.2fx wall, %.2fx "
           "by CPU time\n",
           what, r2->per_thread, r2->per_cpu, 2.0 * r2->per_thread / r1->per_thread, 2.0 * r2->per_cpu / r1->per_cpu);
    fflush(stdout);
}

static scenario *find(hnb_model *h, const char *name)
{
    for (size_t i = 0; i < h->nscen; i++)
        if (strcmp(h->scen[i]->name, name) == 0) return h->scen[i];
    die(h, name);
    return NULL;
}

/* ---- a million paths, in a child so its peak memory is its own ---------- */

static void million(unsigned long long paths, const char *out)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        double t0 = now();
        hnb_model *h = hnb_model_alloc();
        if (!h || hnb_load_embedded(h)) die(h, "load");
        hnb_run_options o = {paths, 1, 2, 0, 1, NULL};
        if (hnb_run(h, &o) || hnb_write_results(h, out)) die(h, "run");
        double wall = now() - t0;
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
                     (double)ru.ru_stime.tv_usec * 1e-6;
        printf("%llu paths of the %zu Sutton scenarios, 2 threads (whole run, results JSON): %.1f s wall, %.1f CPU s "
               "(%.1f s on two free cores), peak RSS %.0f MiB\n",
               paths, h->nscen, wall, cpu, cpu / 2.0, (double)ru.ru_maxrss / 1024.0);
        hnb_model_free(h);
        fflush(stdout);
        _exit(0);
    }
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        printf("million paths: the run failed\n");
}

/* ---- the numpy peer ---------------------------------------------------- */

static const char *peer_path(const char *given)
{
    static char buf[4096];
    const char *env = getenv("HNB_NUMPY_PEER");
    const char *cand[] = {given, env, HNB_SOURCE_DIR "/../shared/bench/numpy_peer.py",
                          HNB_SOURCE_DIR "/../../shared/bench/numpy_peer.py"};
    for (size_t i = 0; i < sizeof cand / sizeof *cand; i++)
        if (cand[i] && access(cand[i], R_OK) == 0) {
            snprintf(buf, sizeof buf, "%s", cand[i]);
            return buf;
        }
    return NULL;
}

static double children_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec * 1e-6;
}

/* One run of the peer: its paths/s as it prints them (wall), and the CPU
 * seconds the run took (Python's start and the warm-up included). */
static double peer_once(const char *peer, int paths, int placements, int years, double *cpu)
{
    char dir[4096], cmd[8192], line[512];
    snprintf(dir, sizeof dir, "%s", peer);
    char *slash = strrchr(dir, '/');
    const char *file = peer;
    if (slash) {
        *slash = '\0';
        file = slash + 1;
    } else {
        snprintf(dir, sizeof dir, ".");
    }
    const char *py = system("python3 -c 'import numpy' >/dev/null 2>&1") == 0 ? "python3" : "/usr/bin/python3";
    snprintf(cmd, sizeof cmd,
             "cd '%s' && OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 %s '%s' %d %d %d 2>&1", dir, py,
             file, paths, placements, years);
    fflush(stdout);
    double c0 = children_cpu();
    FILE *p = popen(cmd, "r");
    double r = 0.0;
    while (p && fgets(line, sizeof line, p)) {
        fputs(line, stdout);
        char *at = strstr(line, " s, ");
        if (at) {
            /* "..., 1.234 s, 12,345 paths/s (1 thread)": drop the thousands commas */
            char num[64];
            size_t k = 0;
            for (const char *c = at + 4; *c && *c != ' ' && k + 1 < sizeof num; c++)
                if (*c != ',') num[k++] = *c;
            num[k] = '\0';
            r = strtod(num, NULL);
        }
    }
    if (p) pclose(p);
    *cpu = children_cpu() - c0;
    return r;
}

typedef struct peer_rate {
    double wall, per_cpu; /* paths/s as printed; paths per CPU second */
} peer_rate;

/* The peer at (placements, years): paths/s as it prints them, and paths per
 * CPU second from two runs of n and 2n paths (the difference leaves out
 * Python's start and the warm-up), or zeros when it cannot run. */
static peer_rate peer_measure(const char *peer, int paths, int placements, int years)
{
    double c1, c2;
    double w1 = peer_once(peer, paths, placements, years, &c1);
    double w2 = peer_once(peer, 2 * paths, placements, years, &c2);
    peer_rate r = {w1 > w2 ? w1 : w2, c2 > c1 ? (double)paths / (c2 - c1) : 0.0};
    if (w1 <= 0.0 || w2 <= 0.0) r.wall = r.per_cpu = 0.0;
    printf("numpy peer, %d placements x %d years: %.0f paths/s (wall, the better run), %.0f paths per CPU s\n",
           placements, years, r.wall, r.per_cpu);
    return r;
}

static void ratio_line(const char *what, const rate *r1, const rate *r2, peer_rate peer)
{
    if (peer.wall <= 0.0) {
        printf("%-58s ratio skipped (the peer did not run)\n", what);
        return;
    }
    printf("%-58s hnbsim / peer per thread: %.1fx (1 thread), %.1fx (2 threads); per CPU s: %.1fx\n", what,
           r1->per_thread / peer.wall, r2->per_thread / peer.wall, peer.per_cpu > 0 ? r1->per_cpu / peer.per_cpu : 0.0);
}

int main(int argc, char **argv)
{
    double seconds = 1.0;
    unsigned long long mpaths = 1000000;
    const char *given = NULL;
    unsigned long long profile = 0;
    int noise = 0, det = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
            seconds = strtod(argv[++i], NULL);
        else if (!strcmp(argv[i], "--million") && i + 1 < argc)
            mpaths = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--peer") && i + 1 < argc)
            given = argv[++i];
        else if (!strcmp(argv[i], "--profile") && i + 1 < argc)
            profile = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--profile-det") && i + 1 < argc)
            det = atoi(argv[++i]) + 1;
        else if (!strcmp(argv[i], "--noise"))
            noise = 1;
        else if (!strcmp(argv[i], "--quick"))
            seconds = 0.3, mpaths = 100000;
        else {
            fprintf(stderr, "usage: bench_all [--seconds S] [--million N] [--peer FILE] [--quick] | --profile N "
                            "[--noise] | --profile-det 0|1\n");
            return 2;
        }
    }
    if (det) { /* one deterministic run, with (1) or without (0) attribution */
        printf("deterministic Sutton run: %.2f ms\n", deterministic_ms(det - 1, 1, "/dev/null", 1));
        return 0;
    }
    if (profile) {
        hnb_model *h = hnb_model_alloc();
        if (!h || hnb_load_embedded(h)) die(h, "load");
        scenario *plan = find(h, "dsg-management-plan");
        plan->count_noise = noise;
        rate r = mc_once(h, plan, profile, 1);
        printf("%llu paths, 1 thread: %.0f paths/s (%.0f per CPU s)\n", r.paths, r.per_thread, r.per_cpu);
        hnb_model_free(h);
        return 0;
    }
    char tmp[] = "/tmp/hnbsim-bench-XXXXXX";
    if (!mkdtemp(tmp)) return 1;
    char out[4200], c114[4200];
    snprintf(out, sizeof out, "%s/results.json", tmp);
    snprintf(c114, sizeof c114, "%s/council114.json", tmp);

    printf("deterministic Sutton run (load, run, results JSON; no charts), with attribution: %8.2f ms (best of 7)\n",
           deterministic_ms(1, 1, out, 7));
    printf("deterministic Sutton run (load, run, results JSON; no charts), no attribution:   %8.2f ms (best of 7)\n",
           deterministic_ms(0, 1, out, 7));
    /* hnbsim run's default: attribution's subsets on one thread per core */
    printf("deterministic Sutton run as hnbsim run does it (attribution on %2d threads):      %8.2f ms (best of 7)\n",
           (int)sysconf(_SC_NPROCESSORS_ONLN), deterministic_ms(1, 0, out, 7));
    fflush(stdout);

    hnb_model *h = hnb_model_alloc();
    if (!h || hnb_load_embedded(h)) die(h, "load");
    scenario *plan = find(h, "dsg-management-plan");
    int ny = plan->last_fy - plan->first_fy + 1;
    plan->count_noise = 0;
    rate p1 = mc_rate(h, plan, 1, seconds), p2 = mc_rate(h, plan, 2, seconds);
    mc_line("Sutton dsg-management-plan, parameters only:", &p1, &p2);
    plan->count_noise = 1;
    rate n1 = mc_rate(h, plan, 1, seconds), n2 = mc_rate(h, plan, 2, seconds);
    mc_line("Sutton dsg-management-plan, with count noise:", &n1, &n2);
    plan->count_noise = 0;

    FILE *f = fopen(c114, "w");
    if (!f || council114_write(f) || fclose(f)) {
        fprintf(stderr, "bench_all: cannot write %s\n", c114);
        return 1;
    }
    hnb_model *hc = hnb_model_alloc();
    if (!hc || hnb_load_file(hc, c114)) die(hc, c114);
    scenario *council = find(hc, "council114");
    rate c1 = mc_rate(hc, council, 1, seconds), c2 = mc_rate(hc, council, 2, seconds);
    mc_line("114 placements x 26 ages x 5 years, with count noise:", &c1, &c2);
    printf("%-58s 2 threads: %.0f paths/s\n",
           "114 placements x 26 ages x 5 years, with count noise:", 2.0 * c2.per_thread);

    if (mpaths) million(mpaths, out);

    const char *peer = peer_path(given);
    if (!peer) {
        printf("numpy peer: not found (--peer, $HNB_NUMPY_PEER, ../shared/bench/numpy_peer.py); ratios skipped\n");
    } else {
        peer_rate ps = peer_measure(peer, 20000, plan->nplace, ny);
        ratio_line("Sutton size, parameters only (peer: no count noise):", &p1, &p2, ps);
        ratio_line("Sutton size, with count noise (peer: no count noise):", &n1, &n2, ps);
        peer_rate pc = peer_measure(peer, 1000, council->nplace, council->last_fy - council->first_fy + 1);
        ratio_line("114 placements, with count noise (peer: no count noise):", &c1, &c2, pc);
    }
    hnb_model_free(h);
    hnb_model_free(hc);
    remove(out);
    remove(c114);
    rmdir(tmp);
    return 0;
}
