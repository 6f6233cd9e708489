/* paper_pdf.c: the Forum paper printed to PDF by headless Chromium
 * (hnb_paper_pdf in hnbsim_report.h), as a finance officer would print it
 * from a browser, so the PDF is the HTML's own print layout (A4, @page).
 *
 * Chromium is found as $HNB_CHROMIUM, else chromium, chromium-browser or
 * google-chrome on PATH. It runs as a child process in its own process group
 * with a private, temporary profile (--user-data-dir, removed afterwards),
 * no network beyond the file (--disable-background-networking), no sandbox
 * (which needs privileges a build machine may lack) and a time limit
 * ($HNB_CHROMIUM_TIMEOUT seconds, default 120), after which the whole group
 * is killed. Its output goes to a log in the profile; the last line of it is
 * in the error when printing fails. The PDF is written to a temporary name
 * and renamed into place only if it is a PDF (starts with "%PDF-"), so a
 * failed or killed print leaves no file.
 *
 * Not found is its own error, HNB_E_PRINT with "not found", which the
 * command-line tool reports as a note (the HTML is still written). */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE   700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/fileout.h"
#include "paper.h"

/* The browser to run: an executable on PATH (or $HNB_CHROMIUM), into buf. */
static int pdf_find(char *buf, size_t n)
{
    const char *env = getenv("HNB_CHROMIUM");
    if (env && *env) {
        snprintf(buf, n, "%s", env);
        return access(buf, X_OK) == 0;
    }
    static const char *const names[] = {"chromium", "chromium-browser", "google-chrome", NULL};
    const char *path = getenv("PATH");
    for (const char *const *nm = names; *nm; nm++)
        for (const char *p = path ? path : ""; *p;) {
            const char *e = strchr(p, ':');
            size_t k = e ? (size_t)(e - p) : strlen(p);
            snprintf(buf, n, "%.*s/%s", (int)k, p, *nm);
            if (k && access(buf, X_OK) == 0) return 1;
            p += k + (e ? 1 : 0);
        }
    return 0;
}

static int pdf_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* The last non-empty line of the log, for the message. */
static void pdf_last_line(const char *log, char *buf, size_t n)
{
    buf[0] = '\0';
    FILE *f = fopen(log, "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (*line) snprintf(buf, n, "%s", line);
    }
    fclose(f);
}

static int pdf_is_pdf(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    char head[5] = {0};
    size_t k = fread(head, 1, 5, f);
    fclose(f);
    return k == 5 && !memcmp(head, "%PDF-", 5);
}

int paper_pdf(hnb_model *h, const char *html_path, const char *pdf_path)
{
    char exe[PATH_MAX], html[PATH_MAX], prof[PATH_MAX], log[PATH_MAX + 16], url[PATH_MAX + 16];
    char a_prof[PATH_MAX + 32], a_pdf[PATH_MAX + 64];
    if (!pdf_find(exe, sizeof exe))
        return err_set(h, HNB_E_PRINT,
                       "chromium: not found (expected Debian's chromium on PATH, or HNB_CHROMIUM, to print %s to PDF: "
                       "install it with scripts/setup)",
                       pdf_path);
    if (!realpath(html_path, html)) return err_set(h, HNB_E_OPEN, "%s: %s", html_path, strerror(errno));
    const char *tmp = getenv("TMPDIR");
    snprintf(prof, sizeof prof, "%s/hnbsim-chromium-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(prof))
        return err_set(h, HNB_E_WRITE, "%s: cannot make a private browser profile: %s", prof, strerror(errno));
    fileout out;
    int rc = fileout_reserve(h, &out, pdf_path);
    if (rc) {
        nftw(prof, pdf_rm, 16, FTW_DEPTH | FTW_PHYS);
        return rc;
    }
    snprintf(log, sizeof log, "%s/print.log", prof);
    snprintf(url, sizeof url, "file://%s", html);
    snprintf(a_prof, sizeof a_prof, "--user-data-dir=%s", prof);
    snprintf(a_pdf, sizeof a_pdf, "--print-to-pdf=%s", out.tmp);
    char *argv[] = {exe,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-extensions",
                    "--disable-sync",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--disable-dev-shm-usage",
                    "--no-pdf-header-footer",
                    a_prof,
                    a_pdf,
                    url,
                    NULL};
    const char *lim = getenv("HNB_CHROMIUM_TIMEOUT");
    double limit = lim && atof(lim) > 0 ? atof(lim) : 120.0;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        rc = err_set(h, HNB_E_PRINT, "%s: cannot start chromium: %s", pdf_path, strerror(errno));
    } else if (pid == 0) {
        setpgid(0, 0);
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0) dup2(nul, 0);
        if (fd >= 0) dup2(fd, 1), dup2(fd, 2);
        execv(exe, argv);
        _exit(127);
    } else {
        setpgid(pid, pid);
        int status = 0;
        struct timespec t0, now, nap = {0, 50 * 1000 * 1000};
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (;;) {
            pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid) break;
            if (w < 0 && errno != EINTR) break;
            clock_gettime(CLOCK_MONOTONIC, &now);
            if ((double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9 > limit) {
                kill(-pid, SIGKILL);
                waitpid(pid, &status, 0);
                rc = err_set(h, HNB_E_PRINT,
                             "%s: chromium did not finish printing within %.0f s (expected a PDF; "
                             "set HNB_CHROMIUM_TIMEOUT for more)",
                             pdf_path, limit);
                break;
            }
            nanosleep(&nap, NULL);
        }
        kill(-pid, SIGKILL); /* any helper process chromium left behind */
        if (!rc && !pdf_is_pdf(out.tmp)) {
            char last[512];
            pdf_last_line(log, last, sizeof last);
            rc = err_set(h, HNB_E_PRINT, "%s: chromium exited (status %d) without printing a PDF%s%s", pdf_path,
                         WIFEXITED(status) ? WEXITSTATUS(status) : -1, *last ? ": " : "", last);
        }
    }
    if (!rc)
        rc = fileout_commit(h, &out);
    else
        fileout_abort(&out);
    nftw(prof, pdf_rm, 16, FTW_DEPTH | FTW_PHYS);
    return rc;
}
