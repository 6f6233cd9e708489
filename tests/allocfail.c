/* allocfail.c: the n-th allocation fails, for every n along load -> run ->
 * write (issue 20), as SQLite tests out-of-memory.
 *
 * The seam is the linker's: this program is linked with --wrap for malloc,
 * calloc, realloc, aligned_alloc, free, strdup, strndup, realpath and GSL's
 * gsl_rng_alloc, so every such call in libhnbsim and in the command-line
 * code (cli/, linked in without main.c) comes here first; cJSON's own
 * allocations come here too, through the hooks the library installs
 * (model/core/alloc.c: they call malloc). The library's source
 * needs no wrapper of its own and no allocation can escape by calling the
 * libc name. Outside the seam: what libxlsxwriter, zlib and libc (stdio,
 * opendir) allocate inside their shared libraries, and GSL's allocations
 * other than gsl_rng_alloc (docs/testing.md).
 *
 * Each job is a real subcommand called in-process, exactly as main() does
 * (hnb_model_alloc, the command, hnb_model_free): `run` of a small scenario
 * with 3 Monte Carlo paths (results JSON, workbook, CSV and the Excel CSV,
 * no charts), `run` of a layered file (extends, deterministic), `export`
 * and `compare` of its results file. Each job is first run once whole to
 * count its allocations N and to leave its output folder; then for n = 1..N
 * the n-th allocation fails and the job must
 *   - return exit code 3 with "out of memory" in a message on stderr (or
 *     succeed, if the failed allocation had a fallback),
 *   - leave the output folder byte-identical (every file, hidden ones too:
 *     no staging folder or temporary file left),
 *   - free everything it allocated (the live allocations the seam tracks
 *     are back to what they were; LSan checks the rest in the ASan build).
 * Exit 0 if every n of every job holds, 1 with the first failures printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_rng.h>

#include "cli.h"

/* ---- the seam --------------------------------------------------------- */

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void *__real_aligned_alloc(size_t a, size_t n);
void __real_free(void *p);
char *__real_realpath(const char *path, char *resolved);
gsl_rng *__real_gsl_rng_alloc(const gsl_rng_type *t);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_aligned_alloc(size_t a, size_t n);
void __wrap_free(void *p);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
char *__wrap_realpath(const char *path, char *resolved);
gsl_rng *__wrap_gsl_rng_alloc(const gsl_rng_type *t);

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long count;   /* allocations since the job started */
static long fail_at; /* 0: none fails */

/* The live allocations made through the seam: an open-addressing set of
 * pointers (linear probing, deletion by backward shift). */
#define LIVE_BITS 21
#define LIVE_CAP  (1u << LIVE_BITS)
static uintptr_t *live;
static long nlive;

static size_t slot_of(uintptr_t p) { return (size_t)((p >> 4) * 0x9E3779B97F4A7C15u >> (64 - LIVE_BITS)); }

static void live_add(void *p)
{
    if (!p) return;
    if (!live) live = __real_calloc(LIVE_CAP, sizeof *live);
    if (!live || nlive >= (long)(LIVE_CAP / 2)) abort();
    size_t i = slot_of((uintptr_t)p);
    while (live[i]) i = (i + 1) & (LIVE_CAP - 1);
    live[i] = (uintptr_t)p;
    nlive++;
}

static void live_remove(void *p)
{
    if (!p || !live) return;
    size_t i = slot_of((uintptr_t)p);
    while (live[i] && live[i] != (uintptr_t)p) i = (i + 1) & (LIVE_CAP - 1);
    if (!live[i]) return; /* allocated outside the seam (libc, a shared library) */
    live[i] = 0;
    nlive--;
    for (size_t j = (i + 1) & (LIVE_CAP - 1); live[j]; j = (j + 1) & (LIVE_CAP - 1)) {
        size_t home = slot_of(live[j]);
        /* move live[j] into the hole at i unless its home lies in (i, j] */
        if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
            live[i] = live[j];
            live[j] = 0;
            i = j;
        }
    }
}

/* 1 if this allocation is the one that fails. */
static int this_one_fails(void) { return ++count == fail_at; }

void *__wrap_malloc(size_t n)
{
    pthread_mutex_lock(&lock);
    void *p = this_one_fails() ? NULL : __real_malloc(n);
    live_add(p);
    pthread_mutex_unlock(&lock);
    if (!p) errno = ENOMEM;
    return p;
}

void *__wrap_calloc(size_t k, size_t n)
{
    pthread_mutex_lock(&lock);
    void *p = this_one_fails() ? NULL : __real_calloc(k, n);
    live_add(p);
    pthread_mutex_unlock(&lock);
    if (!p) errno = ENOMEM;
    return p;
}

void *__wrap_aligned_alloc(size_t a, size_t n)
{
    pthread_mutex_lock(&lock);
    void *p = this_one_fails() ? NULL : __real_aligned_alloc(a, n);
    live_add(p);
    pthread_mutex_unlock(&lock);
    if (!p) errno = ENOMEM;
    return p;
}

void *__wrap_realloc(void *old, size_t n)
{
    pthread_mutex_lock(&lock);
    void *p = NULL;
    if (!this_one_fails()) {
        p = __real_realloc(old, n);
        if (p || n == 0) live_remove(old); /* a failed realloc keeps the old block */
        live_add(p);
    }
    pthread_mutex_unlock(&lock);
    if (!p) errno = ENOMEM;
    return p;
}

void __wrap_free(void *p)
{
    pthread_mutex_lock(&lock);
    live_remove(p);
    __real_free(p);
    pthread_mutex_unlock(&lock);
}

char *__wrap_strdup(const char *s) { return __wrap_strndup(s, strlen(s)); }

char *__wrap_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = __wrap_malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *__wrap_realpath(const char *path, char *resolved)
{
    if (resolved) return __real_realpath(path, resolved);
    pthread_mutex_lock(&lock);
    int fails = this_one_fails();
    pthread_mutex_unlock(&lock);
    if (fails) {
        errno = ENOMEM;
        return NULL;
    }
    char buf[PATH_MAX];
    char *r = __real_realpath(path, buf);
    return r ? __wrap_strdup(buf) : NULL;
}

gsl_rng *__wrap_gsl_rng_alloc(const gsl_rng_type *t)
{
    pthread_mutex_lock(&lock);
    int fails = this_one_fails();
    pthread_mutex_unlock(&lock);
    return fails ? NULL : __real_gsl_rng_alloc(t);
}

/* ---- a folder, byte for byte ----------------------------------------- */

static char snap_buf[1 << 20];
static size_t snap_len;
static size_t snap_root;

static uint64_t fnv(const char *path)
{
    uint64_t x = 1469598103934665603u;
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    for (int c; (c = getc(f)) != EOF;) x = (x ^ (unsigned char)c) * 1099511628211u;
    fclose(f);
    return x;
}

static int snap_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)ftw;
    int n = snprintf(snap_buf + snap_len, sizeof snap_buf - snap_len, "%s %c %lld %016llx\n", path + snap_root,
                     flag == FTW_D ? 'd' : 'f', (long long)st->st_size,
                     flag == FTW_F ? (unsigned long long)fnv(path) : 0ull);
    if (n > 0 && (size_t)n < sizeof snap_buf - snap_len) snap_len += (size_t)n;
    return 0;
}

static int by_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every name under dir with its size and a hash of its bytes, in walk order
 * (readdir order is stable for an unchanged folder); the caller frees. */
static char *snapshot(const char *dir)
{
    snap_len = 0;
    snap_root = strlen(dir);
    snap_buf[0] = '\0';
    nftw(dir, snap_one, 16, FTW_PHYS);
    /* sorted, so that a folder restored by cp compares equal */
    char *lines[4096];
    size_t n = 0;
    for (char *p = snap_buf; *p && n < 4096;) {
        lines[n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl) break;
        *nl = '\0';
        p = nl + 1;
    }
    qsort(lines, n, sizeof *lines, by_text);
    char *out = malloc(snap_len + 1), *q = out;
    for (size_t i = 0; out && i < n; i++) q += sprintf(q, "%s\n", lines[i]);
    if (out) *q = '\0';
    return out;
}

/* ---- one job, and every n --------------------------------------------- */

typedef struct job {
    const char *name;
    int (*cmd)(hnb_model *, int, char **);
    const char *args[16];
    const char *outdir;
} job;

static char errpath[4200], verdict[4200];

/* Run the job once with the n-th allocation failing (0: none); its stderr
 * goes to errpath, its stdout to /dev/null. Returns the exit code. */
static int run_job(const job *j, long n, long *allocs)
{
    char *argv[16];
    int argc = 0;
    for (; j->args[argc]; argc++) argv[argc] = (char *)j->args[argc];
    argv[argc] = NULL;
    fflush(stdout);
    fflush(stderr);
    int save1 = dup(1), save2 = dup(2);
    int efd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644), nfd = open("/dev/null", O_WRONLY);
    dup2(efd, 2);
    dup2(nfd, 1);
    close(efd);
    close(nfd);
    pthread_mutex_lock(&lock);
    count = 0;
    fail_at = n;
    pthread_mutex_unlock(&lock);

    int rc;
    hnb_model *h = hnb_model_alloc(); /* as main() does */
    if (!h) {
        fprintf(stderr, "hnbsim: error: out of memory\n");
        rc = EXIT_IO;
    } else {
        rc = j->cmd(h, argc, argv);
        hnb_model_free(h);
    }

    pthread_mutex_lock(&lock);
    fail_at = 0;
    *allocs = count;
    pthread_mutex_unlock(&lock);
    fflush(stdout);
    fflush(stderr);
    dup2(save1, 1);
    dup2(save2, 2);
    close(save1);
    close(save2);
    return rc;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return strdup("");
    char *buf = calloc(1, 65536);
    size_t n = buf ? fread(buf, 1, 65535, f) : 0;
    (void)n;
    fclose(f);
    return buf;
}

static int check_job(const job *j)
{
    long n_allocs = 0;
    int rc = run_job(j, 0, &n_allocs);
    if (rc != 0) {
        char *e = slurp(errpath);
        fprintf(stderr, "%s: the job fails with no allocation failing (exit %d): %s", j->name, rc, e);
        free(e);
        return 1;
    }
    char cp[8400];
    snprintf(cp, sizeof cp, "rm -rf '%s.pristine' && cp -a '%s' '%s.pristine'", j->outdir, j->outdir, j->outdir);
    if (system(cp) != 0) return 1;
    char *before = snapshot(j->outdir);
    long live_before = nlive;
    int bad = 0, failed = 0, fallback = 0;
    int verbose = getenv("ALLOCFAIL_VERBOSE") != NULL;
    long from = getenv("ALLOCFAIL_FROM") ? atol(getenv("ALLOCFAIL_FROM")) : 1;
    long to = getenv("ALLOCFAIL_TO") ? atol(getenv("ALLOCFAIL_TO")) : n_allocs;
    for (long n = from > 0 ? from : 1; n <= n_allocs && n <= to; n++) {
        /* each n in a child process, so that a crash is reported, not fatal */
        remove(verdict);
        fflush(stdout);
        fflush(stderr);
        pid_t pid = fork();
        if (pid == 0) {
            long got = 0;
            int crc = run_job(j, n, &got);
            FILE *v = fopen(verdict, "w");
            if (v) {
                fprintf(v, "%d %ld\n", crc, nlive - live_before);
                fclose(v);
            }
            _exit(0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        long leaked = 0;
        rc = -1;
        FILE *v = fopen(verdict, "r");
        if (v) {
            if (fscanf(v, "%d %ld", &rc, &leaked) != 2) rc = -1;
            fclose(v);
        }
        char *err = slurp(errpath), *after = snapshot(j->outdir);
        const char *why = NULL;
        if (WIFSIGNALED(status) || rc < 0) {
            why = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT ? "aborted" : "crashed";
            /* what the crashed child left is not held against the next n */
            char rm[8400];
            snprintf(rm, sizeof rm, "rm -rf '%s'/.staging-* && find '%s' -name '*.tmp.*' -delete", j->outdir,
                     j->outdir);
            if (system(rm) != 0) fprintf(stderr, "%s: could not clean up after the crash\n", j->name);
        } else if (rc != 0 && rc != EXIT_IO)
            why = "exit code is not 3";
        else if (rc != 0 && !strstr(err, "out of memory"))
            why = "the message does not say out of memory";
        else if (rc != 0 && strncmp(err, "hnbsim: error: ", 15) != 0)
            why = "the message is not an error line";
        else if (strcmp(before, after) != 0)
            why = "the output folder changed";
        else if (leaked != 0)
            why = "allocations leaked";
        if (strcmp(before, after) != 0) { /* judge the next n against the folder as it was */
            char cp[8400];
            snprintf(cp, sizeof cp, "rm -rf '%s' && cp -a '%s.pristine' '%s'", j->outdir, j->outdir, j->outdir);
            if (system(cp) != 0) fprintf(stderr, "%s: could not restore the folder\n", j->name);
        }
        if (why && (bad < 10 || verbose)) {
            fprintf(stderr, "%s: allocation %ld of %ld fails: %s (exit %d, %ld live allocations more)\n%s", j->name, n,
                    n_allocs, why, rc, leaked, err);
            if (strcmp(before, after) != 0 && !verbose) fprintf(stderr, "before:\n%safter:\n%s", before, after);
        }
        if (why) bad++;
        if (rc)
            failed++;
        else
            fallback++;
        free(err);
        free(after);
    }
    free(before);
    printf("%s: %ld allocations; each failing in turn: %d clean errors, %d runs that fell back and "
           "succeeded with the same outputs, %d problems\n",
           j->name, n_allocs, failed, fallback, bad);
    return bad != 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: allocfail SOURCE_DIR WORK_DIR\n");
        return 2;
    }
    const char *src = argv[1], *work = argv[2];
    setenv("SOURCE_DATE_EPOCH", "1795392000", 1);
    char cmd[8400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", work, work);
    if (system(cmd) != 0) return 2;

    char hand[4200], ext[4200], run1[4200], run2[4200], res[4200], expdir[4200], cmp[4200];
    snprintf(hand, sizeof hand, "%s/tests/data/hand.json", src);
    snprintf(ext, sizeof ext, "%s/tests/data/extends.json", src);
    snprintf(run1, sizeof run1, "%s/run", work);
    snprintf(run2, sizeof run2, "%s/run-extends", work);
    snprintf(res, sizeof res, "%s/run/results.json", work);
    snprintf(expdir, sizeof expdir, "%s/export", work);
    snprintf(cmp, sizeof cmp, "%s/compare", work);
    snprintf(errpath, sizeof errpath, "%s/stderr.txt", work);
    snprintf(verdict, sizeof verdict, "%s/verdict.txt", work);

    const job jobs[] = {
        {"run (3 Monte Carlo paths, JSON, workbook, CSV)",
         cmd_run,
         {hand, "--paths", "3", "--seed", "1", "--threads", "1", "--no-charts", "--excel-csv", "--quiet", "--out", run1,
          NULL},
         run1},
        {"run (extends, deterministic)", cmd_run, {ext, "--no-charts", "--quiet", "--out", run2, NULL}, run2},
        {"export (workbook, CSV from results.json)", cmd_export, {res, "--excel-csv", "--out", expdir, NULL}, expdir},
        {"compare (two results files)", cmd_compare, {res, res, "--quiet", "--out", cmp, NULL}, cmp},
    };
    int bad = 0;
    const char *only = getenv("ALLOCFAIL_JOB"); /* for debugging: one job, by its index */
    for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++)
        if (!only || (size_t)atoi(only) == i) bad |= check_job(&jobs[i]);
    return bad;
}
