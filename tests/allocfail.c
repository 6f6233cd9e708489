/* allocfail.c: the n-th allocation fails, for every n along load -> run ->
 * write (issue 20), as SQLite tests out-of-memory.
 *
 * The seam is the linker's: this program is linked with --wrap for malloc,
 * calloc, realloc, aligned_alloc, free, strdup, strndup, realpath and GSL's
 * gsl_rng_alloc, so every such call in libhnbsim and in the command-line
 * code (cli/, linked in without main.c) comes here first; cJSON's own
 * allocations come here too, through the hooks the library installs
 * (model/core/alloc.c: they call malloc). The library's source needs no
 * wrapper of its own and no allocation can escape by calling the libc
 * name. Outside the seam: what libxlsxwriter, zlib and libc (stdio,
 * opendir) allocate inside their shared libraries, and GSL's allocations
 * other than gsl_rng_alloc (docs/testing.md).
 *
 * Each job is a real subcommand called in-process, exactly as main() does
 * (hnb_model_alloc, the command, hnb_model_free): `run` of a small scenario
 * with 9 Monte Carlo paths (results JSON, workbook, CSV and the Excel CSV,
 * no charts), `run` of a layered file (extends, deterministic), `export`
 * and `compare` of a results file. Each job is first run once whole to count
 * its allocations N and to leave its output folder; then for n = 1..N the
 * n-th allocation fails (that one only) and the job must
 *   - return exit code 3 with "out of memory" in an error line on stderr (or
 *     succeed, if the failed allocation had a fallback),
 *   - leave the output folder byte-identical (every file, hidden ones too:
 *     no staging folder or temporary file left),
 *   - free everything it allocated (the live allocations the seam tracks
 *     are back to what they were; LSan checks the whole runs in the ASan
 *     build).
 * Exit 0 if every n of every job holds, 1 with the first failures printed.
 *
 * Speed: every n is tried, so the run is a fork server rather than N runs
 * from the start. One driver process runs the job once whole; at its n-th
 * allocation it forks a trial in which that allocation fails, waits for it,
 * and goes on. Each trial runs only the rest of the job (mostly a short
 * error path), in a private copy of the job's folder: the job runs in
 * WORK/jobI with relative output paths, and the trial copies that folder as
 * it is at that moment (a staging folder half written, say) to WORK/trial,
 * moves into it, and reopens every file the job has open there (or any
 * other regular file or folder, at the same offset; an unlinked temporary
 * file as a private copy), so nothing it writes or removes touches the
 * driver's. fork copies one thread only: an n met while the job has other
 * threads (Monte Carlo's workers; pthread_create and pthread_join are
 * wrapped to know) is tried the slow way after the sweep, by a process that
 * runs the job from the start with that n failing. ALLOCFAIL_SLOW=1 tries
 * every n that way, to check the fork server against it. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
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
int __real_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int __real_pthread_join(pthread_t t, void **ret);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_aligned_alloc(size_t a, size_t n);
void __wrap_free(void *p);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
char *__wrap_realpath(const char *path, char *resolved);
gsl_rng *__wrap_gsl_rng_alloc(const gsl_rng_type *t);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int __wrap_pthread_join(pthread_t t, void **ret);

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long count;                /* allocations since the job started */
static long fail_at;              /* the slow way: this one fails (0: none) */
static long sweep_from, sweep_to; /* the driver: a trial at each of these */
static int sweeping, in_trial;
static atomic_int threads_live; /* created and not yet joined */

/* The live allocations made through the seam: an open-addressing set of
 * pointers (linear probing, deletion by backward shift), grown by doubling
 * when half full. It starts small because each trial is a forked process:
 * every page of the set it writes is a copy-on-write fault. */
static uintptr_t *live;
static size_t live_cap; /* a power of two */
static long nlive;

static size_t slot_of(uintptr_t p) { return (size_t)(((p >> 4) * 0x9E3779B97F4A7C15u) >> 32) & (live_cap - 1); }

static void live_put(uintptr_t p)
{
    size_t i = slot_of(p);
    while (live[i]) i = (i + 1) & (live_cap - 1);
    live[i] = p;
}

static void live_add(void *p)
{
    if (!p) return;
    if (!live || (size_t)nlive + 1 > live_cap / 2) {
        uintptr_t *old = live;
        size_t ocap = live_cap;
        live_cap = live_cap ? 2 * live_cap : 4096;
        live = __real_calloc(live_cap, sizeof *live);
        if (!live) abort();
        for (size_t i = 0; i < ocap; i++)
            if (old[i]) live_put(old[i]);
        __real_free(old);
    }
    live_put((uintptr_t)p);
    nlive++;
}

static void live_remove(void *p)
{
    if (!p || !live) return;
    size_t i = slot_of((uintptr_t)p);
    while (live[i] && live[i] != (uintptr_t)p) i = (i + 1) & (live_cap - 1);
    if (!live[i]) return; /* allocated outside the seam (libc, a shared library) */
    live[i] = 0;
    nlive--;
    for (size_t j = (i + 1) & (live_cap - 1); live[j]; j = (j + 1) & (live_cap - 1)) {
        size_t home = slot_of(live[j]);
        /* move live[j] into the hole at i unless its home lies in (i, j] */
        if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
            live[i] = live[j];
            live[j] = 0;
            i = j;
        }
    }
}

static char work[PATH_MAX], jobdir[PATH_MAX + 16], trialdir[PATH_MAX + 16];
static char errpath[PATH_MAX + 32], terrpath[PATH_MAX + 32], verdict[PATH_MAX + 32], tracepath[PATH_MAX + 32];
static char deferpath[PATH_MAX + 32], reportpath[PATH_MAX + 32];
static int save_out = -1, save_err = -1; /* the harness's stdout and stderr while a job runs */

/* ALLOCFAIL_TRACE=1: the stack of the allocation that fails, in
 * WORK/trace.txt, as module(+offset) for addr2line -f -i -e
 * build/tests/allocfail (printed with the problem it caused). */
static void trace_failure(long n)
{
    if (!getenv("ALLOCFAIL_TRACE")) return;
    void *frames[32];
    int k = backtrace(frames, 32);
    int fd = open(tracepath, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) return;
    dprintf(fd, "allocfail: allocation %ld fails here:\n", n);
    backtrace_symbols_fd(frames, k, fd);
    close(fd);
}

static int trial_fork(long n);

/* 1 if this allocation is the one that fails: the slow way's n, or, in the
 * driver, in the trial forked for it (0 in the driver itself). */
static int fails_now(void)
{
    pthread_mutex_lock(&lock);
    long n = ++count;
    int slow = n == fail_at, sweep = sweeping && !in_trial && n >= sweep_from && n <= sweep_to;
    pthread_mutex_unlock(&lock);
    if (slow) {
        trace_failure(n);
        return 1;
    }
    if (!sweep) return 0;
    if (atomic_load(&threads_live) > 0) { /* not forkable: tried the slow way later */
        int fd = open(deferpath, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dprintf(fd, "%ld\n", n);
            close(fd);
        }
        return 0;
    }
    return trial_fork(n);
}

static void *tracked(void *p)
{
    pthread_mutex_lock(&lock);
    live_add(p);
    pthread_mutex_unlock(&lock);
    if (!p) errno = ENOMEM;
    return p;
}

void *__wrap_malloc(size_t n) { return tracked(fails_now() ? NULL : __real_malloc(n)); }
void *__wrap_calloc(size_t k, size_t n) { return tracked(fails_now() ? NULL : __real_calloc(k, n)); }
void *__wrap_aligned_alloc(size_t a, size_t n) { return tracked(fails_now() ? NULL : __real_aligned_alloc(a, n)); }

void *__wrap_realloc(void *old, size_t n)
{
    if (fails_now()) {
        errno = ENOMEM;
        return NULL; /* a failed realloc keeps the old block */
    }
    pthread_mutex_lock(&lock);
    void *p = __real_realloc(old, n);
    if (p || n == 0) live_remove(old);
    live_add(p);
    pthread_mutex_unlock(&lock);
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
    if (fails_now()) {
        errno = ENOMEM;
        return NULL;
    }
    char buf[PATH_MAX];
    char *r = __real_realpath(path, buf);
    if (!r) return NULL;
    size_t len = strlen(buf);
    char *p = tracked(__real_malloc(len + 1)); /* counted once, above */
    if (p) memcpy(p, buf, len + 1);
    return p;
}

gsl_rng *__wrap_gsl_rng_alloc(const gsl_rng_type *t) { return fails_now() ? NULL : __real_gsl_rng_alloc(t); }

/* Counted before the thread starts: a thread may allocate before its
 * creator's next line runs, and must not find the count at 0 (a fork there
 * would copy it alone). */
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
    atomic_fetch_add(&threads_live, 1);
    int rc = __real_pthread_create(t, a, fn, arg);
    if (rc != 0) atomic_fetch_sub(&threads_live, 1);
    return rc;
}

int __wrap_pthread_join(pthread_t t, void **ret)
{
    int rc = __real_pthread_join(t, ret);
    if (rc == 0) atomic_fetch_sub(&threads_live, 1);
    return rc;
}

/* ---- folders: copied, removed, compared byte for byte ------------------- */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void rm_tree(const char *dir) { nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS); }

static size_t copy_root;
static const char *copy_to;
static int copy_links; /* files as hard links: a trial's copy of the job's folder */

static void copy_bytes(int from, int to)
{
    char buf[65536];
    off_t at = 0;
    for (ssize_t n; (n = pread(from, buf, sizeof buf, at)) > 0; at += n)
        if (write(to, buf, (size_t)n) != n) break;
}

static int copy_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)ftw;
    char dst[PATH_MAX + 64];
    snprintf(dst, sizeof dst, "%s%s", copy_to, path + copy_root);
    if (flag == FTW_D) return mkdir(dst, st->st_mode & 07777) != 0 && errno != EEXIST;
    if (flag != FTW_F) return 0;
    if (copy_links && link(path, dst) == 0) return 0;
    int in = open(path, O_RDONLY), out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, st->st_mode & 07777);
    if (in >= 0 && out >= 0) copy_bytes(in, out);
    if (in >= 0) close(in);
    if (out >= 0) close(out);
    return in < 0 || out < 0;
}

/* Copy the tree from into to; links != 0: files as hard links (cheap; the
 * job writes a file by a new name and rename, never in place, and a file it
 * has open for writing is given its own copy, privatise_fds). */
static int copy_tree(const char *from, const char *to, int links)
{
    copy_root = strlen(from);
    copy_to = to;
    copy_links = links;
    return nftw(from, copy_one, 16, FTW_PHYS);
}

static char snap_buf[1 << 20];
static size_t snap_len;
static size_t snap_root;

static uint64_t fnv(const char *path)
{
    uint64_t x = 1469598103934665603u;
    int fd = open(path, O_RDONLY);
    if (fd < 0) return 0;
    unsigned char buf[65536];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;)
        for (ssize_t i = 0; i < n; i++) x = (x ^ buf[i]) * 1099511628211u;
    close(fd);
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

/* Every name under dir with its size and a hash of its bytes, sorted (a
 * folder copied or restored compares equal); the caller frees. */
static char *snapshot(const char *dir)
{
    snap_len = 0;
    snap_root = strlen(dir);
    snap_buf[0] = '\0';
    nftw(dir, snap_one, 16, FTW_PHYS);
    static char *lines[4096];
    size_t n = 0;
    for (char *p = snap_buf; *p && n < 4096;) {
        lines[n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl) break;
        *nl = '\0';
        p = nl + 1;
    }
    qsort(lines, n, sizeof *lines, by_text);
    char *out = __real_malloc(snap_len + 1), *q = out;
    for (size_t i = 0; out && i < n; i++) q += sprintf(q, "%s\n", lines[i]);
    if (out) *q = '\0';
    return out;
}

/* The text of a file (at most 64 KB), "" if none; the caller frees. */
static char *slurp(const char *path)
{
    char *buf = __real_calloc(1, 65536);
    int fd = open(path, O_RDONLY);
    if (buf && fd >= 0 && read(fd, buf, 65535) < 0) buf[0] = '\0';
    if (fd >= 0) close(fd);
    return buf;
}

/* ---- a trial: the rest of the job in a private copy of its folder ------- */

/* In the trial: give it a private copy of each file or folder the job has
 * open, at the same offset, in place of the one it shares with the driver. */
static void privatise_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d) _exit(97);
    size_t nj = strlen(jobdir);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        int fd = atoi(e->d_name);
        struct stat st;
        if (fd < 3 || fd == dirfd(d) || fstat(fd, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) continue;
        char link[64], path[PATH_MAX], mine[PATH_MAX + 64];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, path, sizeof path - 1);
        if (n < 0) _exit(97);
        path[n] = '\0';
        int fl = fcntl(fd, F_GETFL), acc = fl & (O_ACCMODE | O_APPEND);
        off_t at = lseek(fd, 0, SEEK_CUR);
        int nfd;
        size_t np = strlen(path);
        if (strncmp(path, jobdir, nj) == 0 && (path[nj] == '/' || path[nj] == '\0')) {
            snprintf(mine, sizeof mine, "%s%s", trialdir, path + nj);
            if (S_ISREG(st.st_mode) && (fl & O_ACCMODE) != O_RDONLY) { /* break the hard link */
                unlink(mine);
                int c = open(mine, O_WRONLY | O_CREAT | O_EXCL, st.st_mode & 07777);
                if (c < 0) _exit(97);
                copy_bytes(fd, c);
                close(c);
            }
            nfd = open(mine, acc | (S_ISDIR(st.st_mode) ? O_DIRECTORY : 0));
        } else if (S_ISREG(st.st_mode) && (np > 10 && strcmp(path + np - 10, " (deleted)") == 0)) {
            nfd = open(work, O_TMPFILE | O_RDWR, 0600); /* an unlinked temporary file */
            if (nfd >= 0) copy_bytes(fd, nfd);
        } else if (S_ISREG(st.st_mode) && (fl & O_ACCMODE) == O_RDONLY) {
            nfd = open(path, O_RDONLY); /* an input, read at its own offset */
        } else if (S_ISDIR(st.st_mode)) {
            nfd = open(path, O_RDONLY | O_DIRECTORY);
        } else {
            nfd = open(work, O_TMPFILE | O_RDWR, 0600); /* written elsewhere: a private copy */
            if (nfd >= 0) copy_bytes(fd, nfd);
        }
        if (nfd < 0 || lseek(nfd, at, SEEK_SET) != at || dup2(nfd, fd) < 0) _exit(97);
        close(nfd);
    }
    closedir(d);
}

typedef struct job {
    const char *name;
    int (*cmd)(hnb_model *, int, char **);
    const char *args[16];
} job;

static char *before;     /* the job's folder before it ran */
static long live_before; /* the seam's live allocations before it ran */
static int nbad, nfailed, nfallback;
static const job *current;

/* The problem of a finished trial, or NULL: rc its exit code, err its stderr,
 * after its folder. */
static const char *judge(int rc, const char *err, const char *after, long leaked)
{
    if (rc != 0 && rc != EXIT_IO) return "exit code is not 3";
    if (rc != 0 && !strstr(err, "out of memory")) return "the message does not say out of memory";
    if (rc != 0 && strncmp(err, "hnbsim: error: ", 15) != 0) return "the message is not an error line";
    if (strcmp(before, after) != 0) return "the output folder changed";
    if (leaked != 0) return "allocations leaked";
    return NULL;
}

/* Record a trial's outcome; problems go to WORK/report.txt, with the
 * trial's stderr (in errfile) and the failing allocation's stack. */
static void record(long n, long nall, const char *why, int rc, long leaked, const char *after, const char *errfile)
{
    if (why) {
        int fd = open(reportpath, O_WRONLY | O_CREAT | O_APPEND, 0644);
        char *err = slurp(errfile), *trace = slurp(tracepath);
        if (fd >= 0) {
            dprintf(fd, "%s: allocation %ld of %ld fails: %s (exit %d, %ld live allocations more)\n%s%s", current->name,
                    n, nall, why, rc, leaked, err ? err : "", trace ? trace : "");
            if (after && strcmp(before, after) != 0 && !getenv("ALLOCFAIL_VERBOSE"))
                dprintf(fd, "before:\n%safter:\n%s", before, after);
            close(fd);
        }
        __real_free(err);
        __real_free(trace);
        nbad++;
    }
    if (rc)
        nfailed++;
    else
        nfallback++;
}

static long job_allocs;

/* In the driver, at allocation n: fork the trial in which it fails, wait
 * for it, judge it. Returns 1 in the trial, 0 in the driver. */
static int trial_fork(long n)
{
    remove(verdict);
    remove(tracepath);
    pid_t pid = fork();
    if (pid == 0) {
        in_trial = 1;
        close(save_out); /* the harness's: not the trial's to write to */
        close(save_err);
        save_out = save_err = -1;
        if (copy_tree(jobdir, trialdir, 1) != 0 || chdir(trialdir) != 0) _exit(97);
        int efd = open(terrpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (efd < 0 || dup2(efd, 2) < 0) _exit(97);
        close(efd);
        privatise_fds();
        trace_failure(n);
        return 1;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    int rc = -1;
    long leaked = 0;
    char why[200] = "";
    FILE *v = fopen(verdict, "r");
    if (v) {
        if (fscanf(v, "%d %ld %199[^\n]", &rc, &leaked, why) < 2) rc = -1;
        fclose(v);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 97)
        record(n, job_allocs, "the trial could not copy the job's folder", -1, 0, NULL, terrpath);
    else if (WIFSIGNALED(status) || rc < 0)
        record(n, job_allocs, WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT ? "aborted" : "crashed", rc, 0, NULL,
               terrpath);
    else
        record(n, job_allocs, strcmp(why, "ok") ? why : NULL, rc, leaked, NULL, terrpath);
    rm_tree(trialdir);
    return 0;
}

/* ---- one job, and every n --------------------------------------------- */

/* Run the job once in the current folder with the n-th allocation failing
 * (0: none, or the trials of a sweep); its stderr goes to errpath, its
 * stdout to /dev/null. Returns the exit code. */
static int run_job(const job *j, long n, long *allocs)
{
    char *argv[16];
    int argc = 0;
    for (; j->args[argc]; argc++) argv[argc] = (char *)j->args[argc];
    argv[argc] = NULL;
    fflush(stdout);
    fflush(stderr);
    save_out = dup(1);
    save_err = dup(2);
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
    if (!in_trial) {
        dup2(save_out, 1);
        dup2(save_err, 2);
    }
    close(save_out);
    close(save_err);
    return rc;
}

/* In a trial, when the job has returned: the verdict, for the driver. */
static void trial_verdict(int rc)
{
    char *err = slurp(terrpath), *after = snapshot("out");
    const char *why = judge(rc, err ? err : "", after ? after : "", nlive - live_before);
    FILE *v = fopen(verdict, "w");
    if (v) {
        fprintf(v, "%d %ld %s\n", rc, nlive - live_before, why ? why : "ok");
        fclose(v);
    }
    _exit(0);
}

/* The slow way: a process that runs the job from the start with n failing. */
static void slow_trial(const job *j, long n)
{
    remove(verdict);
    remove(tracepath);
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
    int rc = -1;
    FILE *v = fopen(verdict, "r");
    if (v) {
        if (fscanf(v, "%d %ld", &rc, &leaked) != 2) rc = -1;
        fclose(v);
    }
    char *err = slurp(errpath), *after = snapshot("out");
    if (WIFSIGNALED(status) || rc < 0) {
        record(n, job_allocs, WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT ? "aborted" : "crashed", rc, 0, after,
               errpath);
    } else {
        record(n, job_allocs, judge(rc, err ? err : "", after ? after : "", leaked), rc, leaked, after, errpath);
    }
    if (after && strcmp(before, after) != 0) { /* judge the next n against the folder as it was */
        rm_tree("out");
        char pristine[PATH_MAX + 64];
        snprintf(pristine, sizeof pristine, "%s.pristine", jobdir);
        copy_tree(pristine, "out", 0);
    }
    __real_free(err);
    __real_free(after);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int check_job(const job *j, int index)
{
    double t0 = now();
    current = j;
    nbad = nfailed = nfallback = 0;
    snprintf(jobdir, sizeof jobdir, "%s/job%d", work, index);
    snprintf(trialdir, sizeof trialdir, "%s/trial", work);
    mkdir(jobdir, 0755);
    if (chdir(jobdir) != 0) return 1;
    remove(reportpath);
    remove(deferpath);
    int rc = run_job(j, 0, &job_allocs);
    if (rc != 0) {
        char *e = slurp(errpath);
        fprintf(stderr, "%s: the job fails with no allocation failing (exit %d): %s", j->name, rc, e);
        return 1;
    }
    char pristine[PATH_MAX + 64];
    snprintf(pristine, sizeof pristine, "%s.pristine", jobdir);
    rm_tree(pristine);
    mkdir(pristine, 0755);
    copy_tree("out", pristine, 0);
    before = snapshot("out");
    live_before = nlive;
    long from = getenv("ALLOCFAIL_FROM") ? atol(getenv("ALLOCFAIL_FROM")) : 1;
    long to = getenv("ALLOCFAIL_TO") ? atol(getenv("ALLOCFAIL_TO")) : job_allocs;
    if (from < 1) from = 1;
    if (to > job_allocs) to = job_allocs;
    long nslow = 0;
    if (getenv("ALLOCFAIL_SLOW")) {
        for (long n = from; n <= to; n++, nslow++) slow_trial(j, n);
    } else {
        /* the driver: the job once whole, a trial forked at each n */
        fflush(stdout);
        fflush(stderr);
        pid_t pid = fork();
        if (pid == 0) {
            sweep_from = from;
            sweep_to = to;
            sweeping = 1;
            long got = 0;
            int crc = run_job(j, 0, &got);
            if (in_trial) trial_verdict(crc);
            FILE *s = fopen(verdict, "w");
            if (s) {
                fprintf(s, "%d %d %d %d\n", crc, nbad, nfailed, nfallback);
                fclose(s);
            }
            _exit(0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        FILE *s = fopen(verdict, "r");
        int drc = -1;
        if (!s || fscanf(s, "%d %d %d %d", &drc, &nbad, &nfailed, &nfallback) != 4 || drc != 0) {
            fprintf(stderr, "%s: the driver failed (status %d, exit %d)\n", j->name, status, drc);
            nbad++;
        }
        if (s) fclose(s);
        /* the n met while other threads ran, the slow way */
        FILE *d = fopen(deferpath, "r");
        for (long n; d && fscanf(d, "%ld", &n) == 1; nslow++) slow_trial(j, n);
        if (d) fclose(d);
    }
    /* the first ten problems (every one with ALLOCFAIL_VERBOSE=1; all in WORK/report.txt) */
    static char none[1];
    char *report = slurp(reportpath), *p = report ? report : none;
    for (int shown = 0; *p && (shown < 10 || getenv("ALLOCFAIL_VERBOSE")); shown++) {
        char *next = strstr(p + 1, "\n");
        while (next && strncmp(next + 1, j->name, strlen(j->name)) != 0) next = strstr(next + 1, "\n");
        fwrite(p, 1, next ? (size_t)(next + 1 - p) : strlen(p), stderr);
        p = next ? next + 1 : p + strlen(p);
    }
    if (*p) fprintf(stderr, "%s: more problems in %s\n", j->name, reportpath);
    __real_free(report);
    __real_free(before);
    printf("%s: %ld allocations; each failing in turn: %d clean errors, %d runs that fell back and "
           "succeeded with the same outputs, %d problems (%.1f s; %ld n tried from the start)\n",
           j->name, job_allocs, nfailed, nfallback, nbad, now() - t0, nslow);
    fflush(stdout);
    return nbad != 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: allocfail SOURCE_DIR WORK_DIR\n"
                        "  ALLOCFAIL_JOB=i (one job), ALLOCFAIL_FROM, ALLOCFAIL_TO (a range of n),\n"
                        "  ALLOCFAIL_SLOW=1 (every n from the start), ALLOCFAIL_VERBOSE=1, ALLOCFAIL_TRACE=1\n");
        return 2;
    }
    char src[PATH_MAX];
    if (!realpath(argv[1], src)) {
        fprintf(stderr, "allocfail: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    setenv("SOURCE_DATE_EPOCH", "1795392000", 1);
    void *warm[1];
    (void)backtrace(warm, 1); /* loads what backtrace needs, before any allocation can fail */
    char cmd[2 * PATH_MAX];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", argv[2], argv[2]);
    if (system(cmd) != 0 || !realpath(argv[2], work)) return 2;
    snprintf(errpath, sizeof errpath, "%s/stderr.txt", work);
    snprintf(terrpath, sizeof terrpath, "%s/trial-stderr.txt", work);
    snprintf(verdict, sizeof verdict, "%s/verdict.txt", work);
    snprintf(tracepath, sizeof tracepath, "%s/trace.txt", work);
    snprintf(deferpath, sizeof deferpath, "%s/deferred.txt", work);
    snprintf(reportpath, sizeof reportpath, "%s/report.txt", work);

    char hand[PATH_MAX + 32], ext[PATH_MAX + 32], res[PATH_MAX + 32];
    snprintf(hand, sizeof hand, "%s/tests/data/hand.json", src);
    snprintf(ext, sizeof ext, "%s/tests/data/extends-other.json", src);
    snprintf(res, sizeof res, "%s/results.json", work);
    const job jobs[] = {
        {"run (9 Monte Carlo paths, JSON, workbook, CSV)", /* two groups of 4 side by side (lanes.c), one path alone */
         cmd_run,
         {hand, "--paths", "9", "--seed", "1", "--threads", "1", "--no-charts", "--excel-csv", "--quiet", "--out",
          "out", NULL}},
        /* one thread: with attribution's workers the n-th allocation would
         * depend on their timing, and a trial forked while they run would
         * lack them (a trial crashed once so in the sanitizer build) */
        {"run (extends across files, deterministic)",
         cmd_run,
         {ext, "--threads", "1", "--no-charts", "--quiet", "--out", "out", NULL}},
        {"export (workbook, CSV from results.json)", cmd_export, {res, "--excel-csv", "--out", "out", NULL}},
        {"compare (two results files)", cmd_compare, {res, res, "--quiet", "--out", "out", NULL}},
    };
    /* the results file that export and compare read: the first job's */
    char setup[PATH_MAX + 32];
    snprintf(setup, sizeof setup, "%s/setup", work);
    mkdir(setup, 0755);
    long n0 = 0;
    if (chdir(setup) != 0 || run_job(&jobs[0], 0, &n0) != 0) {
        fprintf(stderr, "allocfail: the first job fails with no allocation failing\n");
        return 1;
    }
    int in = open("out/results.json", O_RDONLY), out = open(res, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0) return 1;
    copy_bytes(in, out);
    close(in);
    close(out);

    int bad = 0;
    const char *only = getenv("ALLOCFAIL_JOB"); /* for debugging: one job, by its index */
    for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++)
        if (!only || (size_t)atoi(only) == i) bad |= check_job(&jobs[i], (int)i);
    if (chdir("/") != 0) return 1;
    if (!bad) rm_tree(work); /* the work folder is kept only to look into a failure */
    return bad;
}
