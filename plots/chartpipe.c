/* chartpipe.c: send one chart to a real gnuplot process and keep its files
 * only if it succeeded.
 *
 * Design. The whole script (inline datablocks, then for each format `set
 * terminal`, `set output` to the temporary name from fileout_reserve, the
 * chart body, `unset output`) is built in memory and written to
 * popen("gnuplot -d") in one go (-d: no ~/.gnuplot, so every machine draws
 * the same); pclose() gives gnuplot's exit status. gnuplot fed on a pipe
 * carries on after an error but exits 1 at the end, so a chart is committed
 * (renamed into place) only when the status is 0 and every temporary file is
 * there and non-empty; otherwise every temporary file is removed. One process
 * draws all formats of a chart, so the formats cannot disagree.
 *
 * gnuplot's error output goes to an anonymous tmpfile() (through
 * /dev/fd/N, so no name is ever visible in the output folder) and the line
 * that matters ("line 12: undefined variable: foo") is copied into the error
 * detail in the handle, instead of being lost on a terminal.
 *
 * Trade-offs. A missing gnuplot is found by searching PATH before popen,
 * because popen of a missing program succeeds and only pclose reports it (the
 * shell's status 127); that case is still handled, for a gnuplot that
 * vanishes or is not executable. Writing to a gnuplot that has died raises
 * SIGPIPE, which would kill the caller: it is blocked in this thread while
 * writing and a pending one is consumed afterwards, so the library never
 * changes the process's signal dispositions. */
#define _POSIX_C_SOURCE 200809L
#include "chartpipe.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fileout.h"

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

/* Run gnuplot on script; returns HNB_OK if it exited 0. label names the
 * chart file for messages. */
static int charts_pipe(hnb_model *h, const char *label, const char *what, const char *script, size_t len)
{
    sigset_t pipeset, old, pend;
    sigemptyset(&pipeset);
    sigaddset(&pipeset, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeset, &old);
    sigpending(&pend);
    int was_pending = sigismember(&pend, SIGPIPE);

    FILE *log = tmpfile();
    /* -d: ignore the user's ~/.gnuplot, so every machine draws the same. */
    char cmd[64] = "gnuplot -d";
    if (log) {
        int fd = fileno(log);
        int fl = fcntl(fd, F_GETFD);
        if (fl != -1) fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
        snprintf(cmd, sizeof cmd, "gnuplot -d 2>/dev/fd/%d", fd);
    }

    int rc = HNB_OK;
    FILE *p = popen(cmd, "w");
    if (!p) {
        rc = err_set(h, HNB_E_GNUPLOT, "%s: cannot start gnuplot for %s: %s (expected gnuplot on PATH)", label, what,
                     strerror(errno));
    } else {
        int werr = fwrite(script, 1, len, p) != len;
        werr |= fflush(p) != 0;
        int st = pclose(p);
        char said[400] = "";
        if (log && (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)) {
            char text[4096];
            rewind(log);
            size_t got = fread(text, 1, sizeof text - 1, log);
            text[got] = '\0';
            charts_said(said, sizeof said, text);
        }
        if (st == -1)
            rc = err_set(h, HNB_E_GNUPLOT, "%s: lost track of gnuplot drawing %s: %s (expected gnuplot to exit 0)",
                         label, what, strerror(errno));
        else if (WIFSIGNALED(st))
            rc = err_set(h, HNB_E_GNUPLOT,
                         "%s: gnuplot was killed by signal %d while drawing %s (expected it to exit 0)", label,
                         WTERMSIG(st), what);
        else if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
            rc = err_set(h, HNB_E_GNUPLOT,
                         "%s: gnuplot could not be run for %s: not found (expected the gnuplot program on PATH; "
                         "install gnuplot-nox)",
                         label, what);
        else if (WIFEXITED(st) && WEXITSTATUS(st) == 126)
            rc = err_set(h, HNB_E_GNUPLOT,
                         "%s: gnuplot could not be run for %s: not executable (expected an executable gnuplot on PATH)",
                         label, what);
        else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            rc = err_set(h, HNB_E_GNUPLOT,
                         "%s: gnuplot failed drawing %s (exit status %d): %s (expected gnuplot to exit 0 having drawn "
                         "the chart)",
                         label, what, WIFEXITED(st) ? WEXITSTATUS(st) : -1, said);
        else if (werr)
            rc = err_set(h, HNB_E_GNUPLOT,
                         "%s: could not send the whole script for %s to gnuplot (expected gnuplot to read it all)",
                         label, what);
    }
    if (log) fclose(log);

    if (!was_pending) {
        sigpending(&pend);
        if (sigismember(&pend, SIGPIPE)) {
            int sig;
            sigwait(&pipeset, &sig);
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

int charts_run(hnb_model *h, const charts_chart *c, const char *outdir, unsigned formats)
{
    fileout fo[3];
    memset(fo, 0, sizeof fo);
    charts_text script = {0};
    const char *label = NULL;
    int rc = HNB_OK;

    charts_puts(&script, c->data.s ? c->data.s : "");
    for (int k = 0; k < 3 && !rc; k++) {
        const charts_format *f = &charts_formats[k];
        if (!(formats & f->flag)) continue;
        char leaf[128];
        snprintf(leaf, sizeof leaf, "%s.%s", c->name, f->ext);
        char *path = fileout_join(outdir, leaf);
        if (!path) {
            rc = err_set(h, HNB_E_NOMEM, "%s: out of memory preparing %s", outdir, leaf);
            break;
        }
        rc = fileout_reserve(h, &fo[k], path);
        free(path);
        if (rc) break;
        if (!label) label = fo[k].path;
        charts_printf(&script, "%s\nset output ", f->terminal);
        charts_quote(&script, fo[k].tmp);
        charts_puts(&script, "\n");
        charts_puts(&script, c->body.s ? c->body.s : "");
        charts_puts(&script, "\nunset output\n");
    }
    if (!rc && !label)
        rc = err_set(h, HNB_E_USAGE, "%s: no chart format chosen for %s (expected PNG, PDF or SVG)", outdir, c->what);
    if (!rc && (script.oom || c->data.oom || c->body.oom))
        rc = err_set(h, HNB_E_NOMEM, "%s: out of memory building %s", label, c->what);
    if (!rc) rc = charts_pipe(h, label, c->what, script.s, script.len);

    for (int k = 0; k < 3 && !rc; k++) {
        struct stat st;
        if (fo[k].tmp && (stat(fo[k].tmp, &st) != 0 || st.st_size == 0))
            rc = err_set(h, HNB_E_GNUPLOT, "%s: gnuplot exited 0 but wrote nothing for %s (expected a non-empty %s)",
                         fo[k].path, c->what, fo[k].tmp);
    }
    for (int k = 0; k < 3 && !rc; k++)
        if (fo[k].tmp) rc = fileout_commit(h, &fo[k]);
    for (int k = 0; k < 3; k++) fileout_abort(&fo[k]); /* no-op on committed ones */
    charts_text_free(&script);
    return rc;
}
