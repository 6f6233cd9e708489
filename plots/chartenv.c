/* chartenv.c: the environment the gnuplot processes are started with
 * (chartpipe.h): the caller's, with hnbsim-pngenc.so (plots/preload/pngenc.c)
 * added to LD_PRELOAD, so that gnuplot writes its PNGs unfiltered at
 * zlib level 3 instead of libpng's adaptive filters at level 6: the same
 * pixels for about half the instructions of a chart (docs/charts.md).
 *
 * Where the module is, first found: $HNB_PNGENC (a file; empty or "none":
 * no module, libpng's defaults), beside the installed shared library
 * (LIBDIR/hnbsim/, for a program that loads libhnbsim.so), beside the
 * installed program (PREFIX/bin/hnbsim -> LIBDIR/hnbsim/), and, for a
 * program or library that is itself in the build tree it was built in
 * (HNB_BUILD_DIR), that tree's module (HNB_PNGENC_BUILD, set by CMake): an
 * installed copy never looks in a build folder that may since have gone
 * and be anyone's to fill. A module is taken only if it is a regular file
 * owned by root or by this user and writable by no one else. Found
 * nowhere, or with a space or colon in its path (LD_PRELOAD splits there),
 * gnuplot runs in the caller's environment unchanged: the charts are the
 * same, only slower to write. (One case it does not cover: a gnuplot with
 * two copies of libpng loaded, where the wrapper could find the other's
 * png_write_info; Debian's gnuplot links one.)
 *
 * The module goes after what LD_PRELOAD already held: a sanitizer's runtime
 * preloaded into the caller (the Python module's tests under ASan) must stay
 * first, and any preloaded module comes before libpng, which is all the
 * wrapper needs.
 *
 * Trade-off: LD_PRELOAD reaches every program gnuplot might start too;
 * the charts' scripts start none, and the module changes nothing but the
 * settings of a PNG being written. */
#define _GNU_SOURCE /* dladdr: where the library itself was loaded from */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chartpipe.h"

#ifndef HNB_PNGENC_BUILD /* the module in the build tree (plots/CMakeLists.txt) */
#define HNB_PNGENC_BUILD ""
#endif
#ifndef HNB_BUILD_DIR
#define HNB_BUILD_DIR ""
#endif
#ifndef HNB_LIB_TO_PNGENC /* from the installed library's folder (cmake/install.cmake) */
#define HNB_LIB_TO_PNGENC "hnbsim/hnbsim-pngenc.so"
#endif
#ifndef HNB_BIN_TO_PNGENC /* from the installed program's folder */
#define HNB_BIN_TO_PNGENC "../lib/hnbsim/hnbsim-pngenc.so"
#endif

/* path, made absolute into out, if it is a readable file LD_PRELOAD can
 * name; else NULL. */
static const char *charts_pngenc_probe(const char *path, char *out)
{
    struct stat st;
    if (!path || !*path || access(path, R_OK) != 0 || !realpath(path, out) || stat(out, &st) != 0) return NULL;
    if (!S_ISREG(st.st_mode) || (st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & (S_IWGRP | S_IWOTH)))
        return NULL; /* not a file only root or this user can change */
    return strpbrk(out, " :\t\n") ? NULL : out;
}

/* Whether file (an absolute path) lies inside the build tree. */
static int charts_in_build(const char *file)
{
    size_t n = strlen(HNB_BUILD_DIR);
    return n > 0 && strncmp(file, HNB_BUILD_DIR, n) == 0 && file[n] == '/';
}

/* The folder of file (a path), into dir; 0 if it has none. */
static int charts_dir_of(const char *file, char *dir, size_t n)
{
    const char *slash = strrchr(file, '/');
    if (!slash || (size_t)(slash - file) >= n) return 0;
    memcpy(dir, file, (size_t)(slash - file));
    dir[slash - file] = '\0';
    return 1;
}

/* The module's absolute path into out (PATH_MAX), or NULL for none. */
static const char *charts_pngenc_path(char *out)
{
    const char *e = getenv("HNB_PNGENC");
    if (e) return strcmp(e, "none") == 0 ? NULL : charts_pngenc_probe(e, out);
    char exe[PATH_MAX], lib[PATH_MAX], dir[PATH_MAX], cand[2 * PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    Dl_info info;
    int have_lib = dladdr((void *)(size_t)charts_pngenc_path, &info) && info.dli_fname && realpath(info.dli_fname, lib);
    if (have_lib && strcmp(lib, exe) != 0 && charts_dir_of(lib, dir, sizeof dir)) {
        snprintf(cand, sizeof cand, "%s/%s", dir, HNB_LIB_TO_PNGENC);
        if (charts_pngenc_probe(cand, out)) return out;
    }
    if (n > 0 && charts_dir_of(exe, dir, sizeof dir)) {
        snprintf(cand, sizeof cand, "%s/%s", dir, HNB_BIN_TO_PNGENC);
        if (charts_pngenc_probe(cand, out)) return out;
    }
    int in_build = (n > 0 && charts_in_build(exe)) || (have_lib && charts_in_build(lib));
    return in_build ? charts_pngenc_probe(HNB_PNGENC_BUILD, out) : NULL;
}

char **charts_spawn_env(void)
{
    char module[PATH_MAX];
    const char *path = charts_pngenc_path(module);
    if (!path) return NULL;
    extern char **environ;
    size_t n = 0;
    while (environ[n]) n++;
    char **env = calloc(n + 2, sizeof *env);
    const char *old = getenv("LD_PRELOAD");
    size_t len = strlen("LD_PRELOAD=") + strlen(path) + (old && *old ? 1 + strlen(old) : 0) + 1;
    char *preload = malloc(len);
    if (!env || !preload) {
        free(env);
        free(preload);
        return NULL;
    }
    snprintf(preload, len, "LD_PRELOAD=%s%s%s", old && *old ? old : "", old && *old ? ":" : "", path);
    size_t k = 0;
    env[k++] = preload; /* first, so that charts_spawn_env_free finds it */
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "LD_PRELOAD=", 11) != 0) env[k++] = environ[i];
    env[k] = NULL;
    return env;
}

void charts_spawn_env_free(char **env)
{
    if (!env) return;
    free(env[0]);
    free(env);
}
