/* chartpipe.c: charts drawn by real gnuplot processes, a batch of charts
 * per process and as many processes at a time as there are cores, each
 * chart's files kept only if gnuplot drew it without an error.
 *
 * Design. Charts are grouped into batches in the order they are added
 * (charts_pool_expect sizes them: two batches per core, the first of each
 * core about two thirds of its share, so that a core that finishes early
 * takes the next and the batches that finish last are short); a batch is
 * one script in an anonymous
 * tmpfile() and one `gnuplot -d /dev/stdin` started by posix_spawnp with
 * that file as its standard input and another anonymous tmpfile as its
 * standard error (-d: no ~/.gnuplot, so every machine draws the same).
 * gnuplot reads the script named /dev/stdin as a file, through a buffer;
 * a standard input that is not a terminal it reads a byte per read(2),
 * which was 84,000 system calls and a fifth of gnuplot's system time for
 * a batch of five charts (where /dev/fd cannot be opened, without /proc,
 * the script is read as standard input, as before). One process draws
 * every format of every chart of its batch: gnuplot, its libraries and its
 * fonts are loaded once per batch, not once per chart (that was a ninth of
 * the instructions of drawing Sutton's charts; docs/charts.md). Each
 * chart's script starts with `reset session` (no datablock, variable,
 * setting or error number left from the chart before it), then its inline
 * datablocks, then for each format `set terminal`, `set output` to the
 * temporary name from fileout_reserve, the chart body, `unset output`, and
 * ends by printing a marker line with the sum of gnuplot's error numbers
 * over the chart ("@hnbsim-chart 3 0"; summed in HNB_ERRNO before and after
 * each body, as the body's `reset` clears GPVAL_ERRNO). gnuplot stops a
 * script read as a file at its first error (one read as standard input it
 * carries on), and exits 1, so a chart is committed (renamed into place)
 * when gnuplot exited 0, or its marker says it drew the chart with no
 * error, and every temporary file is there and non-empty; otherwise its
 * files are removed: the chart that failed and the charts after it in its
 * batch, which were not drawn. The line of gnuplot's error output that
 * matters ("line 12: undefined variable: foo", or '"/dev/stdin" line 12:
 * ...'), from the chart's own part of the log, is copied into the error
 * detail in the handle, instead of being lost on a terminal. The caller
 * goes on building the next batch while gnuplot draws; a pool of slots
 * (one per online core, sysconf(_SC_NPROCESSORS_ONLN)) bounds how many run
 * at once, and a full batch with no free slot is queued: adding a chart
 * never waits, so the caller can build every chart and go on with other
 * work (hnb_plot_results_start) while gnuplot draws; charts_pool_end
 * starts the queued batches as slots free and waits for the last.
 *
 * Errors. Charts finish in any order, but the error reported is that of the
 * first chart, in the order they were added, that failed: the same message
 * for the same failure however the processes were scheduled. Once a failure
 * is known no further batch is started; batches already running are waited
 * for, and their charts that succeed keep their files (complete, as every
 * file is). A marker cannot be forged by a label: every string from the
 * results reaches gnuplot quoted, with its control characters made spaces,
 * so nothing gnuplot echoes from it starts a line.
 *
 * Trade-offs. A script in a file, not a pipe: nothing blocks on a slow
 * gnuplot, the caller never sees SIGPIPE from one that died, and no thread is
 * needed; the price is that a batch starts only once its last chart is
 * built (charts are built in milliseconds, drawn in a tenth of a second).
 * Only this pool's own children are waited for (waitpid on each pid,
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

#define CHARTS_MARK      "@hnbsim-chart " /* the line gnuplot prints after each chart */
#define CHARTS_PER_BATCH 4                /* charts per gnuplot when no count is expected */

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
        const char *loc = s;
        if (*s == '"') { /* a script read as a file: "/dev/stdin" line 12: ... */
            const char *q = memchr(s + 1, '"', slen - 1);
            loc = q && q + 2 < s + slen && q[1] == ' ' ? q + 2 : NULL;
        }
        const char *colon = loc ? memchr(loc, ':', slen - (size_t)(loc - s)) : NULL;
        if (strncmp(s, "gnuplot> ", 9) == 0) {
            cmd = s + 9;
            cmdlen = slen - 9;
        } else if (loc && strncmp(loc, "line ", 5) == 0 && colon) {
            const char *msg = colon + 1;
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

/* One chart of a batch: its order, its files and its name for messages. */
typedef struct charts_item {
    int seq; /* the order it was added in */
    fileout fo[3];
    const char *label; /* the first file, for messages */
    char what[160];
} charts_item;

/* One gnuplot drawing a batch of charts in turn: its script, its error log
 * and the charts it draws, in the order added. */
typedef struct charts_job {
    pid_t pid;    /* 0: not running */
    FILE *script; /* the batch's script (also while it is being filled) */
    FILE *log;
    charts_item *items;
    int n, cap;
} charts_job;

struct charts_pool {
    hnb_model *h;
    const char *outdir;
    unsigned formats;
    int slots, running, seq, expected, batches;
    charts_job *jobs;  /* the running batches, one per slot */
    charts_job open;   /* the batch being filled */
    charts_job *ready; /* full batches waiting for a slot, oldest first */
    int nready, capready, head;
    int err_seq, err_rc; /* the first failure in the order added */
    char *err_msg;
    char **env; /* gnuplot's environment (charts_spawn_env), NULL: environ */
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
    p->env = charts_spawn_env();
    return p;
}

void charts_pool_expect(charts_pool *p, int charts) { p->expected = charts; }

/* How many charts the next batch takes. Of the charts expected, each
 * slot's first batch takes about two thirds of its share and its second
 * the rest (20 charts on 2 cores: 7, 7, 3, 3), so that the batches that
 * finish last are short and the cores finish close together; one batch
 * on one core. Without a count, four a batch. */
static int charts_pool_per(const charts_pool *p)
{
    int n = p->expected, s = p->slots;
    if (n <= 0) return CHARTS_PER_BATCH;
    if (s == 1) return n;
    int rest = n / 3, first = (n - rest + s - 1) / s, second = (rest + s - 1) / s;
    return p->batches < s ? first : second > 0 ? second : 1;
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

/* Remove every file of the batch not committed and free it. */
static void charts_job_clear(charts_job *j)
{
    for (int i = 0; i < j->n; i++)
        for (int k = 0; k < 3; k++) fileout_abort(&j->items[i].fo[k]); /* no-op on committed ones */
    free(j->items);
    if (j->script) fclose(j->script);
    if (j->log) fclose(j->log);
    memset(j, 0, sizeof *j);
}

static void charts_cloexec(FILE *f)
{
    int fd = fileno(f), fl = fcntl(fd, F_GETFD);
    if (fl != -1) fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
}

/* The whole of what gnuplot wrote on stderr, NUL-terminated ("" if none
 * could be read). */
static char *charts_read_log(FILE *log)
{
    long n = log && fseek(log, 0, SEEK_END) == 0 ? ftell(log) : 0;
    char *text = malloc(n > 0 ? (size_t)n + 1 : 1);
    if (!text) return NULL;
    size_t got = n > 0 && fseek(log, 0, SEEK_SET) == 0 ? fread(text, 1, (size_t)n, log) : 0;
    text[got] = '\0';
    return text;
}

/* The line gnuplot prints after chart seq ("@hnbsim-chart 3 0": its
 * GPVAL_ERRNO), searched for from *at on; on success *at moves past it,
 * *seg_end is where the chart's own messages end, and its error number is
 * returned. -1 (and *seg_end the end of the log) if it is not there: gnuplot
 * stopped or died before the end of the chart. */
static int charts_marker(const char **at, const char **seg_end, int seq)
{
    for (const char *l = *at; *l;) {
        const char *e = strchr(l, '\n');
        int s = -1, errn = -1;
        if (strncmp(l, CHARTS_MARK, sizeof CHARTS_MARK - 1) == 0 &&
            sscanf(l + sizeof CHARTS_MARK - 1, "%d %d", &s, &errn) == 2 && s == seq) {
            *seg_end = l;
            *at = e ? e + 1 : l + strlen(l);
            return errn;
        }
        if (!e) break;
        l = e + 1;
    }
    *seg_end = *at + strlen(*at);
    return -1;
}

/* Chart it of a batch whose gnuplot has exited with status st; its messages
 * on stderr are seg[0..seglen). Check, commit or remove its files. */
static int charts_item_done(charts_pool *p, charts_item *it, int st, int errn, const char *seg, size_t seglen)
{
    hnb_model *h = p->h;
    const char *label = it->label, *what = it->what;
    int drawn = (WIFEXITED(st) && WEXITSTATUS(st) == 0) || errn == 0; /* gnuplot saw no error in it */
    char said[400] = "";
    if (!drawn) {
        char text[4096];
        size_t n = seglen < sizeof text - 1 ? seglen : sizeof text - 1;
        memcpy(text, seg, n);
        text[n] = '\0';
        charts_said(said, sizeof said, text);
    }
    int rc = HNB_OK;
    if (!drawn && WIFSIGNALED(st))
        rc = err_set(h, HNB_E_GNUPLOT, "%s: gnuplot was killed by signal %d while drawing %s (expected it to exit 0)",
                     label, WTERMSIG(st), what);
    else if (!drawn)
        rc = err_set(h, HNB_E_GNUPLOT,
                     "%s: gnuplot failed drawing %s (exit status %d): %s (expected gnuplot to exit 0 having drawn "
                     "the chart)",
                     label, what, WIFEXITED(st) ? WEXITSTATUS(st) : -1, said);
    for (int k = 0; k < 3 && !rc; k++) {
        struct stat sb;
        if (it->fo[k].tmp && (stat(it->fo[k].tmp, &sb) != 0 || sb.st_size == 0))
            rc = err_set(h, HNB_E_GNUPLOT, "%s: gnuplot exited 0 but wrote nothing for %s (expected a non-empty %s)",
                         it->fo[k].path, what, it->fo[k].tmp);
    }
    for (int k = 0; k < 3 && !rc; k++)
        if (it->fo[k].tmp) rc = fileout_commit(h, &it->fo[k]);
    if (rc) charts_pool_failed(p, it->seq, rc);
    return rc;
}

/* A batch's gnuplot has exited with status st: each chart is kept if
 * gnuplot drew it without an error (its marker says so, or gnuplot exited 0)
 * and wrote every file; otherwise its files are removed. */
static void charts_job_done(charts_pool *p, charts_job *j, int st)
{
    char *log = charts_read_log(j->log);
    const char *at = log ? log : "";
    for (int i = 0; i < j->n; i++) {
        const char *from = at, *seg_end = at;
        int errn = charts_marker(&at, &seg_end, j->items[i].seq);
        charts_item_done(p, &j->items[i], st, errn, from, (size_t)(seg_end - from));
    }
    free(log);
    charts_job_clear(j);
}

/* Check, commit or remove the charts of every batch whose gnuplot has
 * exited, without waiting; the number of batches done. */
static int charts_pool_reap(charts_pool *p)
{
    int reaped = 0;
    {
        for (int i = 0; i < p->slots; i++) {
            charts_job *j = &p->jobs[i];
            if (!j->pid) continue;
            int st = 0;
            pid_t r = waitpid(j->pid, &st, WNOHANG);
            if (r == 0 || (r < 0 && errno == EINTR)) continue;
            if (r < 0) { /* someone else reaped it: its files cannot be trusted */
                int e = errno;
                for (int k = 0; k < j->n; k++) {
                    int rc = err_set(p->h, HNB_E_GNUPLOT,
                                     "%s: lost track of gnuplot drawing %s: %s (expected gnuplot to exit 0)",
                                     j->items[k].label, j->items[k].what, strerror(e));
                    charts_pool_failed(p, j->items[k].seq, rc);
                }
                charts_job_clear(j);
            } else {
                charts_job_done(p, j, st);
            }
            p->running--;
            reaped++;
        }
    }
    return reaped;
}

/* Chart c's script: a fresh gnuplot session (no datablock, variable or
 * error left from the chart before it in the batch), its datablocks, then
 * for each format the terminal, the output reserved in it, the body and
 * `unset output`, and last the marker line with gnuplot's error number. */
static int charts_item_script(charts_pool *p, charts_item *it, const charts_chart *c, charts_text *s)
{
    hnb_model *h = p->h;
    int rc = HNB_OK;
    charts_puts(s, "reset session\n");
    charts_puts(s, c->data.s ? c->data.s : "");
    charts_puts(s, "HNB_ERRNO = GPVAL_ERRNO\n");
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
        rc = fileout_reserve(h, &it->fo[k], path);
        free(path);
        if (rc) break;
        if (!it->label) it->label = it->fo[k].path;
        charts_printf(s, "%s\nset output ", f->terminal);
        charts_quote(s, it->fo[k].tmp);
        charts_puts(s, "\nHNB_ERRNO = HNB_ERRNO + GPVAL_ERRNO\n"); /* the body's `reset` clears GPVAL_ERRNO */
        charts_puts(s, c->body.s ? c->body.s : "");
        charts_puts(s, "\nunset output\nHNB_ERRNO = HNB_ERRNO + GPVAL_ERRNO\n");
    }
    charts_printf(s, "print sprintf(\"%s%%d %%d\", %d, HNB_ERRNO)\n", CHARTS_MARK, it->seq);
    if (!rc && !it->label)
        rc =
            err_set(h, HNB_E_USAGE, "%s: no chart format chosen for %s (expected PNG, PDF or SVG)", p->outdir, c->what);
    if (!rc && (s->oom || c->data.oom || c->body.oom))
        rc = err_set(h, HNB_E_NOMEM, "%s: out of memory building %s", it->label, c->what);
    return rc;
}

/* 1 if the file can be opened again by its descriptor's name (/dev/fd/N,
 * as /dev/stdin is in the child): not so where /proc is not mounted. */
static int charts_reopenable(FILE *f)
{
    char name[32];
    snprintf(name, sizeof name, "/dev/fd/%d", fileno(f));
    FILE *again = fopen(name, "r");
    if (again) fclose(again);
    return again != NULL;
}

/* Start gnuplot for the batch put in slot j. */
static void charts_job_start(charts_pool *p, charts_job *j)
{
    hnb_model *h = p->h;
    const charts_item *first = &j->items[0];
    int rc = HNB_OK;
    if (fflush(j->script) != 0 || fseek(j->script, 0, SEEK_SET) != 0)
        rc = err_set(h, HNB_E_WRITE,
                     "%s: cannot write the script of %s to a temporary file: %s (expected room in the "
                     "temporary folder)",
                     first->label, first->what, strerror(errno));
    if (!rc) {
        j->log = tmpfile();
        if (j->log) charts_cloexec(j->log);
    }
    posix_spawn_file_actions_t fa;
    int fa_ok = !rc && posix_spawn_file_actions_init(&fa) == 0;
    if (!rc && !fa_ok)
        rc = err_set(h, HNB_E_NOMEM, "%s: out of memory starting gnuplot for %s", first->label, first->what);
    if (!rc) {
        int e = posix_spawn_file_actions_adddup2(&fa, fileno(j->script), 0);
        if (!e && j->log) e = posix_spawn_file_actions_adddup2(&fa, fileno(j->log), 2);
        /* -d: ignore the user's ~/.gnuplot; /dev/stdin: read the script as a
         * file (buffered), where gnuplot reads a standard input that is not
         * a terminal a byte per read(2) */
        char *argv[] = {"gnuplot", "-d", charts_reopenable(j->script) ? "/dev/stdin" : NULL, NULL};
        pid_t pid = 0;
        if (!e) e = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, p->env ? p->env : environ);
        if (e == ENOENT)
            rc = err_set(h, HNB_E_GNUPLOT,
                         "%s: gnuplot could not be run for %s: not found (expected the gnuplot program on PATH; "
                         "install gnuplot-nox)",
                         first->label, first->what);
        else if (e == EACCES)
            rc = err_set(h, HNB_E_GNUPLOT,
                         "%s: gnuplot could not be run for %s: not executable (expected an executable gnuplot on PATH)",
                         first->label, first->what);
        else if (e)
            rc = err_set(h, HNB_E_GNUPLOT, "%s: cannot start gnuplot for %s: %s (expected gnuplot on PATH)",
                         first->label, first->what, strerror(e));
        else {
            j->pid = pid;
            p->running++;
        }
    }
    if (fa_ok) posix_spawn_file_actions_destroy(&fa);
    if (rc) {
        charts_pool_failed(p, first->seq, rc);
        charts_job_clear(j);
    } else {
        fclose(j->script); /* gnuplot has its own descriptor */
        j->script = NULL;
    }
}

/* The open batch, full or the last, joins the batches waiting for a slot;
 * once a failure is known its files are removed instead: no chart is
 * started after a failure. */
static void charts_pool_close(charts_pool *p)
{
    charts_job *o = &p->open;
    if (!o->n) return;
    if (p->err_seq < 0 && p->nready == p->capready) {
        int cap = p->capready ? 2 * p->capready : 8;
        charts_job *r = realloc(p->ready, (size_t)cap * sizeof *r);
        if (r) {
            p->ready = r;
            p->capready = cap;
        } else {
            int rc = err_set(p->h, HNB_E_NOMEM, "%s: out of memory starting %s", o->items[0].label, o->items[0].what);
            charts_pool_failed(p, o->items[0].seq, rc);
        }
    }
    if (p->err_seq >= 0) {
        charts_job_clear(o);
        return;
    }
    p->ready[p->nready++] = *o;
    memset(o, 0, sizeof *o);
    p->batches++;
}

/* Without waiting: take in the batches that are done and start waiting
 * batches in the free slots (after a failure, remove them instead). */
static void charts_pool_pump(charts_pool *p)
{
    charts_pool_reap(p);
    while (p->head < p->nready && (p->err_seq >= 0 || p->running < p->slots)) {
        charts_job *w = &p->ready[p->head++];
        if (p->err_seq >= 0) {
            charts_job_clear(w);
            continue;
        }
        charts_job *j = NULL;
        for (int i = 0; i < p->slots && !j; i++)
            if (!p->jobs[i].pid) j = &p->jobs[i];
        *j = *w;
        memset(w, 0, sizeof *w);
        charts_job_start(p, j);
    }
}

int charts_pool_add(charts_pool *p, const charts_chart *c)
{
    if (p->err_seq >= 0) return p->err_rc;
    hnb_model *h = p->h;
    charts_job *o = &p->open;
    int rc = HNB_OK;
    if (o->n == o->cap) {
        int cap = o->cap ? 2 * o->cap : 8;
        charts_item *items = realloc(o->items, (size_t)cap * sizeof *items);
        if (!items)
            rc = err_set(h, HNB_E_NOMEM, "%s: out of memory starting %s", p->outdir, c->what);
        else {
            o->items = items;
            o->cap = cap;
        }
    }
    if (!rc && !o->script) {
        o->script = tmpfile();
        if (o->script)
            charts_cloexec(o->script);
        else
            rc = err_set(h, HNB_E_WRITE,
                         "%s: cannot make a temporary file for the script of %s: %s (expected a writable "
                         "temporary folder)",
                         p->outdir, c->what, strerror(errno));
    }
    if (rc) {
        charts_pool_failed(p, p->seq++, rc);
        charts_job_clear(o);
        return p->err_rc;
    }
    charts_item *it = &o->items[o->n++];
    memset(it, 0, sizeof *it);
    it->seq = p->seq++;
    snprintf(it->what, sizeof it->what, "%s", c->what);
    charts_text s = {0};
    rc = charts_item_script(p, it, c, &s);
    if (!rc && fwrite(s.s, 1, s.len, o->script) != s.len)
        rc = err_set(h, HNB_E_WRITE,
                     "%s: cannot write the script of %s to a temporary file: %s (expected room in the "
                     "temporary folder)",
                     it->label, c->what, strerror(errno));
    charts_text_free(&s);
    if (rc) {
        charts_pool_failed(p, it->seq, rc);
        charts_job_clear(o); /* no chart is started after a failure */
        return p->err_rc;
    }
    if (o->n >= charts_pool_per(p)) charts_pool_close(p);
    charts_pool_pump(p);
    return p->err_seq >= 0 ? p->err_rc : HNB_OK;
}

int charts_pool_end(charts_pool *p)
{
    const struct timespec tick = {0, 2000000};
    charts_pool_close(p);
    for (;;) {
        charts_pool_pump(p);
        if (!p->running && p->head == p->nready) break;
        nanosleep(&tick, NULL);
    }
    free(p->ready);
    int rc = p->err_seq >= 0 ? p->err_rc : HNB_OK;
    if (rc) err_set(p->h, rc, "%s", p->err_msg ? p->err_msg : hnb_strerror(rc));
    free(p->err_msg);
    charts_spawn_env_free(p->env);
    free(p->jobs);
    free(p);
    return rc;
}
