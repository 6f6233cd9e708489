/* chartpipe.c: charts drawn by real gnuplot processes, as many at a time
 * as there are cores, each chart's files kept only if its gnuplot succeeded.
 *
 * Design. A chart's whole script (inline datablocks, then for each format
 * `set terminal`, `set output` to the temporary name from fileout_reserve,
 * the chart body, `unset output`) is written to an anonymous tmpfile(), and
 * `gnuplot -d` is started by posix_spawnp with that file as its standard
 * input and another anonymous tmpfile as its standard error (-d: no
 * ~/.gnuplot, so every machine draws the same). The caller goes on building
 * the next chart while gnuplot draws; a pool of slots (one per online core,
 * sysconf(_SC_NPROCESSORS_ONLN)) bounds how many run at once, and a chart
 * waits for a free slot. gnuplot fed a script carries on after an error but
 * exits 1 at the end, so a chart is committed (renamed into place) only when
 * its status is 0 and every temporary file is there and non-empty; otherwise
 * every temporary file is removed. One process draws all formats of a chart,
 * so the formats cannot disagree. The line of gnuplot's error output that
 * matters ("line 12: undefined variable: foo") is copied into the error
 * detail in the handle, instead of being lost on a terminal.
 *
 * Errors. Charts finish in any order, but the error reported is that of the
 * first chart, in the order they were added, that failed: the same message
 * for the same failure however the processes were scheduled. Once a failure
 * is known no further chart is started; charts already running are waited
 * for, and those that succeed keep their files (complete, as every file is).
 *
 * Trade-offs. A script in a file, not a pipe: nothing blocks on a slow
 * gnuplot, the caller never sees SIGPIPE from one that died, and no thread is
 * needed. Only this pool's own children are waited for (waitpid on each pid,
 * polled every 2 ms), never "any child", which could reap a child of the
 * program that uses the library. A missing gnuplot is found by searching PATH
 * before anything is drawn (charts.c); posix_spawnp's ENOENT and EACCES are
 * still reported, for a gnuplot that vanishes or cannot be run. Every file
 * the pool opens is close-on-exec, so one gnuplot does not hold another's
 * files. */
#define _POSIX_C_SOURCE 200809L
#include "chartpipe.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fileout.h"

extern char **environ;

int charts_gnuplot_on_path(void)
{
    const char *path = getenv("PATH");
    if (!path) path = "/usr/bin:/bin"; /* what sh uses when PATH is unset */
    for (const char *p = path;;) {
        const char *e = strchr(p, ':');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char file[4096];
        int len = n ? snprintf(file, sizeof file, "%.*s/gnuplot", (int)n, p) : snprintf(file, sizeof file, "./gnuplot");
        struct stat st;
        if (len > 0 && (size_t)len < sizeof file && stat(file, &st) == 0 && S_ISREG(st.st_mode) &&
            access(file, X_OK) == 0)
            return 1;
        if (!e) return 0;
        p = e + 1;
    }
}

/* The useful part of what gnuplot wrote on stderr: the error message with
 * the command it refers to, else the first line that is not a caret. */
static void charts_said(char *buf, size_t n, const char *log)
{
    buf[0] = '\0';
    const char *cmd = NULL, *first = NULL;
    size_t cmdlen = 0, firstlen = 0;
    for (const char *l = log; l && *l;) {
        const char *e = strchr(l, '\n');
        size_t len = e ? (size_t)(e - l) : strlen(l);
        const char *s = l;
        while (s < l + len && (*s == ' ' || *s == '\t')) s++;
        size_t slen = len - (size_t)(s - l);
        const char *loc = strstr(s, "line ");
        if (strncmp(s, "gnuplot> ", 9) == 0) {
            cmd = s + 9;
            cmdlen = slen - 9;
        } else if (loc == s && slen > 5 && strchr(s, ':') && strchr(s, ':') < s + slen) {
            const char *msg = strchr(s, ':') + 1;
            while (*msg == ' ') msg++;
            size_t mlen = slen - (size_t)(msg - s);
            if (cmd)
                snprintf(buf, n, "gnuplot said \"%.*s\" at: %.*s%s", (int)(mlen > 160 ? 160 : mlen), msg,
                         (int)(cmdlen > 100 ? 100 : cmdlen), cmd, cmdlen > 100 ? " ..." : "");
            else
                snprintf(buf, n, "gnuplot said \"%.*s\"", (int)(mlen > 160 ? 160 : mlen), msg);
            return;
        } else if (!first && slen && *s != '^' && strncmp(s, "Warning", 7) != 0) {
            first = s;
            firstlen = slen;
        }
        l = e ? e + 1 : NULL;
    }
    if (first)
        snprintf(buf, n, "gnuplot said \"%.*s\"", (int)(firstlen > 200 ? 200 : firstlen), first);
    else
        snprintf(buf, n, "gnuplot printed no message");
}

/* One chart being drawn: its gnuplot, its files and its error log. */
typedef struct charts_job {
    pid_t pid; /* 0: the slot is free */
    int seq;   /* the order it was added in */
    FILE *log;
    fileout fo[3];
    const char *label; /* the first file, for messages */
    char what[160];
} charts_job;

struct charts_pool {
    hnb_model *h;
    const char *outdir;
    unsigned formats;
    int slots, running, seq;
    charts_job *jobs;
    int err_seq, err_rc; /* the first failure in the order added */
    char *err_msg;
};

charts_pool *charts_pool_new(hnb_model *h, const char *outdir, unsigned formats, int jobs)
{
    if (jobs <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n < 1 ? 1 : n > 64 ? 64 : (int)n;
    }
    charts_pool *p = calloc(1, sizeof *p);
    if (p) p->jobs = calloc((size_t)jobs, sizeof *p->jobs);
    if (!p || !p->jobs) {
        free(p);
        return NULL;
    }
    p->h = h;
    p->outdir = outdir;
    p->formats = formats;
    p->slots = jobs;
    p->err_seq = -1;
    return p;
}

/* Keep the detail in h as the pool's error if this chart came before any
 * other that failed. */
static void charts_pool_failed(charts_pool *p, int seq, int rc)
{
    if (p->err_seq >= 0 && p->err_seq < seq) return;
    char *m = strdup(hnb_errmsg(p->h));
    free(p->err_msg);
    p->err_msg = m;
    p->err_seq = seq;
    p->err_rc = rc;
}

static void charts_job_clear(charts_job *j)
{
    for (int k = 0; k < 3; k++) fileout_abort(&j->fo[k]); /* no-op on committed ones */
    if (j->log) fclose(j->log);
    memset(j, 0, sizeof *j);
}

static void charts_cloexec(FILE *f)
{
    int fd = fileno(f), fl = fcntl(fd, F_GETFD);
    if (fl != -1) fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
}

/* gnuplot has exited with status st: check, commit or remove its files. */
static int charts_job_done(charts_pool *p, charts_job *j, int st)
{
    hnb_model *h = p->h;
    const char *label = j->label, *what = j->what;
    char said[400] = "";
    if (j->log && (!WIFEXITED(st) || WEXITSTATUS(st) != 0)) {
        char text[4096];
        rewind(j->log);
        size_t got = fread(text, 1, sizeof text - 1, j->log);
        text[got] = '\0';
        charts_said(said, sizeof said, text);
    }
    int rc = HNB_OK;
    if (WIFSIGNALED(st))
        rc = err_set(h, HNB_E_GNUPLOT, "%s: gnuplot was killed by signal %d while drawing %s (expected it to exit 0)",
                     label, WTERMSIG(st), what);
    else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        rc = err_set(h, HNB_E_GNUPLOT,
                     "%s: gnuplot failed drawing %s (exit status %d): %s (expected gnuplot to exit 0 having drawn "
                     "the chart)",
                     label, what, WIFEXITED(st) ? WEXITSTATUS(st) : -1, said);
    for (int k = 0; k < 3 && !rc; k++) {
        struct stat sb;
        if (j->fo[k].tmp && (stat(j->fo[k].tmp, &sb) != 0 || sb.st_size == 0))
            rc = err_set(h, HNB_E_GNUPLOT, "%s: gnuplot exited 0 but wrote nothing for %s (expected a non-empty %s)",
                         j->fo[k].path, what, j->fo[k].tmp);
    }
    for (int k = 0; k < 3 && !rc; k++)
        if (j->fo[k].tmp) rc = fileout_commit(h, &j->fo[k]);
    if (rc) charts_pool_failed(p, j->seq, rc);
    charts_job_clear(j);
    return rc;
}

/* Wait until at most `most` charts are running. */
static void charts_pool_wait(charts_pool *p, int most)
{
    const struct timespec tick = {0, 2000000};
    while (p->running > most) {
        int reaped = 0;
        for (int i = 0; i < p->slots; i++) {
            charts_job *j = &p->jobs[i];
            if (!j->pid) continue;
            int st = 0;
            pid_t r = waitpid(j->pid, &st, WNOHANG);
            if (r == 0 || (r < 0 && errno == EINTR)) continue;
            if (r < 0) { /* someone else reaped it: its files cannot be trusted */
                int rc = err_set(p->h, HNB_E_GNUPLOT,
                                 "%s: lost track of gnuplot drawing %s: %s (expected gnuplot to exit 0)", j->label,
                                 j->what, strerror(errno));
                charts_pool_failed(p, j->seq, rc);
                charts_job_clear(j);
            } else {
                charts_job_done(p, j, st);
            }
            p->running--;
            reaped = 1;
        }
        if (!reaped) nanosleep(&tick, NULL);
    }
}

/* Build chart c's script into a new anonymous file, reserving its outputs. */
static int charts_job_script(charts_pool *p, charts_job *j, const charts_chart *c, FILE **script)
{
    hnb_model *h = p->h;
    charts_text s = {0};
    int rc = HNB_OK;
    charts_puts(&s, c->data.s ? c->data.s : "");
    for (int k = 0; k < 3 && !rc; k++) {
        const charts_format *f = &charts_formats[k];
        if (!(p->formats & f->flag)) continue;
        char leaf[128];
        snprintf(leaf, sizeof leaf, "%s.%s", c->name, f->ext);
        char *path = fileout_join(p->outdir, leaf);
        if (!path) {
            rc = err_set(h, HNB_E_NOMEM, "%s: out of memory preparing %s", p->outdir, leaf);
            break;
        }
        rc = fileout_reserve(h, &j->fo[k], path);
        free(path);
        if (rc) break;
        if (!j->label) j->label = j->fo[k].path;
        charts_printf(&s, "%s\nset output ", f->terminal);
        charts_quote(&s, j->fo[k].tmp);
        charts_puts(&s, "\n");
        charts_puts(&s, c->body.s ? c->body.s : "");
        charts_puts(&s, "\nunset output\n");
    }
    if (!rc && !j->label)
        rc =
            err_set(h, HNB_E_USAGE, "%s: no chart format chosen for %s (expected PNG, PDF or SVG)", p->outdir, c->what);
    if (!rc && (s.oom || c->data.oom || c->body.oom))
        rc = err_set(h, HNB_E_NOMEM, "%s: out of memory building %s", j->label, c->what);
    FILE *f = rc ? NULL : tmpfile();
    if (!rc && !f)
        rc = err_set(h, HNB_E_WRITE,
                     "%s: cannot make a temporary file for the script of %s: %s (expected a writable "
                     "temporary folder)",
                     j->label, c->what, strerror(errno));
    if (!rc && (fwrite(s.s, 1, s.len, f) != s.len || fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0))
        rc = err_set(h, HNB_E_WRITE,
                     "%s: cannot write the script of %s to a temporary file: %s (expected room in the "
                     "temporary folder)",
                     j->label, c->what, strerror(errno));
    charts_text_free(&s);
    if (rc && f) fclose(f);
    if (!rc) {
        charts_cloexec(f);
        *script = f;
    }
    return rc;
}

int charts_pool_add(charts_pool *p, const charts_chart *c)
{
    if (p->err_seq >= 0) return p->err_rc;
    charts_pool_wait(p, p->slots - 1);
    if (p->err_seq >= 0) return p->err_rc;
    charts_job *j = NULL;
    for (int i = 0; i < p->slots && !j; i++)
        if (!p->jobs[i].pid) j = &p->jobs[i];
    memset(j, 0, sizeof *j);
    j->seq = p->seq++;
    snprintf(j->what, sizeof j->what, "%s", c->what);
    hnb_model *h = p->h;
    FILE *script = NULL;
    int rc = charts_job_script(p, j, c, &script);
    if (!rc) {
        j->log = tmpfile();
        if (j->log) charts_cloexec(j->log);
    }
    posix_spawn_file_actions_t fa;
    int fa_ok = !rc && posix_spawn_file_actions_init(&fa) == 0;
    if (!rc && !fa_ok) rc = err_set(h, HNB_E_NOMEM, "%s: out of memory starting gnuplot for %s", j->label, j->what);
    if (!rc) {
        int e = posix_spawn_file_actions_adddup2(&fa, fileno(script), 0);
        if (!e && j->log) e = posix_spawn_file_actions_adddup2(&fa, fileno(j->log), 2);
        char *argv[] = {"gnuplot", "-d", NULL}; /* -d: ignore the user's ~/.gnuplot */
        pid_t pid = 0;
        if (!e) e = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
        if (e == ENOENT)
            rc = err_set(h, HNB_E_GNUPLOT,
                         "%s: gnuplot could not be run for %s: not found (expected the gnuplot program on PATH; "
                         "install gnuplot-nox)",
                         j->label, j->what);
        else if (e == EACCES)
            rc = err_set(h, HNB_E_GNUPLOT,
                         "%s: gnuplot could not be run for %s: not executable (expected an executable gnuplot on PATH)",
                         j->label, j->what);
        else if (e)
            rc = err_set(h, HNB_E_GNUPLOT, "%s: cannot start gnuplot for %s: %s (expected gnuplot on PATH)", j->label,
                         j->what, strerror(e));
        else {
            j->pid = pid;
            p->running++;
        }
    }
    if (fa_ok) posix_spawn_file_actions_destroy(&fa);
    if (script) fclose(script); /* gnuplot has its own descriptor */
    if (rc) {
        charts_pool_failed(p, j->seq, rc);
        charts_job_clear(j);
    }
    return p->err_seq >= 0 ? p->err_rc : HNB_OK;
}

int charts_pool_end(charts_pool *p)
{
    charts_pool_wait(p, 0);
    int rc = p->err_seq >= 0 ? p->err_rc : HNB_OK;
    if (rc) err_set(p->h, rc, "%s", p->err_msg ? p->err_msg : hnb_strerror(rc));
    free(p->err_msg);
    free(p->jobs);
    free(p);
    return rc;
}
