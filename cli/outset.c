/* outset.c: a command's folder of outputs, whole or untouched (cli.h).
 *
 * Every command that writes a set of files (run, backtest, calibrate, export,
 * plot) writes it into a staging folder beside nothing else, DIR/.staging-PID,
 * and only when every file of the set is written are they moved into DIR,
 * each by rename(2) (the same file system, so each move is atomic and the
 * whole move takes milliseconds). A failed or interrupted command removes its
 * staging folder (SIGINT and SIGTERM too) and leaves DIR exactly as it was.
 *
 * DIR/.hnbsim-manifest says which command owns the folder and lists what it
 * wrote. A command refuses a folder another command owns, or one with files
 * and no manifest (it may be the officer's own), unless --force is given, so
 * `hnbsim backtest` never overwrites `hnbsim run`'s workbook; and after a
 * rerun the files of the earlier set that the new one did not write (the
 * tornado chart of another scenario file) are removed, so no stale file
 * survives beside new ones. Folders of other commands inside DIR (plot's
 * DIR/charts, backtest's DIR/backtest) are theirs and never touched. */
#define _DEFAULT_SOURCE /* syscall(2) */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE   700
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"

#define MANIFEST ".hnbsim-manifest"

static char staging_now[4096]; /* for the signal handler */
static char created_now[4096]; /* the folder the command created, or "" */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void rm_tree(const char *path) { nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS); }

/* The staging folder removed from inside a signal handler: only system
 * calls (openat, getdents64, unlinkat, close), no malloc and no stdio, which
 * nftw would use and which the signal may have interrupted half-way (a
 * SIGTERM landing inside malloc then deadlocked or aborted the process).
 * The folder holds files and folders of files a few levels deep. */
struct linux_dirent64 {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static void rm_tree_in_signal(int at, const char *name, int depth)
{
    if (unlinkat(at, name, 0) == 0 || depth > 8) return;
    int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return;
    char buf[4096] __attribute__((aligned(8)));
    for (;;) {
        long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (n <= 0) break;
        for (long k = 0; k < n;) {
            struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + k);
            k += d->d_reclen;
            if (d->d_name[0] == '.' && (!d->d_name[1] || (d->d_name[1] == '.' && !d->d_name[2]))) continue;
            rm_tree_in_signal(fd, d->d_name, depth + 1);
        }
    }
    close(fd);
    unlinkat(at, name, AT_REMOVEDIR);
}

static void on_signal(int sig)
{
    if (staging_now[0]) rm_tree_in_signal(AT_FDCWD, staging_now, 0);
    if (created_now[0]) rmdir(created_now); /* only if empty, as when a command fails */
    hnb_remove_temporaries(); /* --paths-out FILE.tmp.PID, outside the staging folder */
    signal(sig, SIG_DFL);
    raise(sig);
}

static int mkdirs(const char *dir)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf) return -1;
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0777) && errno != EEXIST) return -1;
            *p = '/';
        }
    return mkdir(buf, 0777) && errno != EEXIST ? -1 : 0;
}

/* The owner recorded in DIR's manifest ("" if none), and whether DIR holds
 * anything at all besides it. */
static void inspect(const char *dir, char *owner, size_t n, int *has_files)
{
    owner[0] = '\0';
    *has_files = 0;
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, MANIFEST);
    FILE *f = fopen(path, "r");
    if (f) {
        if (fgets(owner, (int)n, f)) owner[strcspn(owner, "\n")] = '\0';
        fclose(f);
    }
    DIR *d = opendir(dir);
    if (!d) return;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, MANIFEST) ||
            !strncmp(e->d_name, ".staging-", 9))
            continue;
        /* another command's folder inside this one is its own */
        char sub[4200];
        struct stat st;
        snprintf(sub, sizeof sub, "%s/%s/%s", dir, e->d_name, MANIFEST);
        if (stat(sub, &st) == 0) continue;
        *has_files = 1;
    }
    closedir(d);
}

int outset_begin(outset *o, const char *dir, const char *command, int force)
{
    memset(o, 0, sizeof *o);
    snprintf(o->dir, sizeof o->dir, "%s", dir);
    snprintf(o->command, sizeof o->command, "%s", command);
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            fprintf(stderr, "hnbsim: error: %s: not a folder (expected a folder for the outputs)\n", dir);
            return EXIT_IO;
        }
        char owner[64];
        int has;
        inspect(dir, owner, sizeof owner, &has);
        if (!force && owner[0] && strncmp(owner, "hnbsim ", 7) == 0 && strcmp(owner + 7, command) != 0) {
            fprintf(stderr,
                    "hnbsim: error: %s: holds the outputs of 'hnbsim %s' (expected a folder of its own for "
                    "'hnbsim %s': choose another with --out, or --force to replace them)\n",
                    dir, owner + 7, command);
            return EXIT_USAGE;
        }
        if (!force && !owner[0] && has) {
            fprintf(stderr,
                    "hnbsim: error: %s: holds files hnbsim did not write (expected an empty or new folder: "
                    "choose another with --out, or --force to write into it)\n",
                    dir);
            return EXIT_USAGE;
        }
    } else if (mkdirs(dir)) {
        fprintf(stderr, "hnbsim: error: %s: cannot create the folder: %s\n", dir, strerror(errno));
        return EXIT_IO;
    } else {
        o->created = 1; /* removed again if the command fails */
    }
    snprintf(o->staging, sizeof o->staging, "%s/.staging-%ld", dir, (long)getpid());
    rm_tree(o->staging);
    if (mkdir(o->staging, 0777)) {
        fprintf(stderr, "hnbsim: error: %s: cannot write in the folder: %s (expected a writable folder)\n", dir,
                strerror(errno));
        return EXIT_IO;
    }
    snprintf(staging_now, sizeof staging_now, "%s", o->staging);
    snprintf(created_now, sizeof created_now, "%s", o->created ? dir : "");
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    return 0;
}

/* Move everything under staging/rel into dir/rel; record the files moved. */
static int move_in(outset *o, const char *rel, FILE *manifest)
{
    char from[4200], to[4200];
    snprintf(from, sizeof from, "%s%s%s", o->staging, *rel ? "/" : "", rel);
    DIR *d = opendir(from);
    if (!d) return -1;
    int rc = 0;
    for (struct dirent *e; !rc && (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char sub[1024], src[4200];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        snprintf(src, sizeof src, "%s/%s", o->staging, sub);
        snprintf(to, sizeof to, "%s/%s", o->dir, sub);
        struct stat st;
        if (stat(src, &st)) {
            rc = -1;
            break;
        }
        if (S_ISDIR(st.st_mode)) {
            if (mkdir(to, 0777) && errno != EEXIST) rc = -1;
            if (!rc) rc = move_in(o, sub, manifest);
        } else {
            rc = rename(src, to);
            if (!rc) fprintf(manifest, "%s\n", sub);
        }
    }
    closedir(d);
    return rc;
}

/* Files the earlier manifest lists that the new one does not: stale. */
static void remove_stale(outset *o, const char *old, const char *now)
{
    FILE *f = fopen(old, "r");
    if (!f) return;
    char line[1024];
    if (!fgets(line, sizeof line, f)) { /* the owner line */
        fclose(f);
        return;
    }
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || strstr(line, "..")) continue;
        int kept = 0;
        FILE *g = fopen(now, "r");
        char l2[1024];
        while (g && !kept && fgets(l2, sizeof l2, g)) {
            l2[strcspn(l2, "\n")] = '\0';
            kept = strcmp(l2, line) == 0;
        }
        if (g) fclose(g);
        if (!kept) {
            char p[4200];
            snprintf(p, sizeof p, "%s/%s", o->dir, line);
            remove(p);
        }
    }
    fclose(f);
}

int outset_commit(outset *o)
{
    char man[4200], old[4200];
    snprintf(man, sizeof man, "%s/%s.new", o->dir, MANIFEST);
    snprintf(old, sizeof old, "%s/%s", o->dir, MANIFEST);
    FILE *m = fopen(man, "w");
    if (!m) {
        fprintf(stderr, "hnbsim: error: %s: cannot write the manifest: %s\n", o->dir, strerror(errno));
        outset_abort(o);
        return EXIT_IO;
    }
    fprintf(m, "hnbsim %s\n", o->command);
    int rc = move_in(o, "", m);
    if (fclose(m) || rc) {
        fprintf(stderr, "hnbsim: error: %s: cannot move the outputs into place: %s\n", o->dir, strerror(errno));
        outset_abort(o);
        remove(man);
        return EXIT_IO;
    }
    remove_stale(o, old, man);
    rename(man, old);
    rm_tree(o->staging);
    staging_now[0] = created_now[0] = '\0';
    return 0;
}

void outset_abort(outset *o)
{
    if (o->staging[0]) rm_tree(o->staging);
    if (o->created) rmdir(o->dir); /* only if empty: nothing else was there */
    staging_now[0] = created_now[0] = '\0';
}

char *outset_path(const outset *o, const char *name) { return join(o->staging, name); }
