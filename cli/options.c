/* options.c: what every subcommand shares: option parsing, loading the
 * scenario files named, and turning a library error into a message and an
 * exit code (cli.h). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hnbsim_plots.h"

int exit_code_for(int rc)
{
    if (rc == HNB_OK) return 0;
    if (rc >= 200 && rc < 300) return EXIT_INPUT;
    if (rc >= 400) return EXIT_USAGE;
    return EXIT_IO;
}

int fail(hnb_model *h, int rc)
{
    const char *msg = hnb_errmsg(h);
    if (!*msg) msg = hnb_strerror(rc);
    const char *p = msg;
    while (*p) {
        const char *nl = strchr(p, '\n');
        int n = nl ? (int)(nl - p) : (int)strlen(p);
        /* a line that starts with a space continues the error above it (the
         * text of a JSON syntax error's line and its caret) */
        fprintf(stderr, "%s%.*s\n", *p == ' ' ? "" : "hnbsim: error: ", n, p);
        p += n + (nl ? 1 : 0);
    }
    return exit_code_for(rc);
}

int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "hnbsim: error: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'hnbsim %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
    return EXIT_USAGE;
}

/* ---- options shared by the subcommands --------------------------------- */

/* A whole number as people write it: 10000, 10,000 (commas between groups
 * of three) or 1e6 (a whole number in scientific notation). */
int parse_u64(const char *s, uint64_t *out)
{
    if (!s || *s == '-' || *s == '+' || !*s) return -1;
    char digits[64];
    size_t n = 0, group = 0;
    int commas = strchr(s, ',') != NULL;
    for (const char *c = s; *c && *c != 'e' && *c != 'E'; c++) {
        if (*c == ',') {
            if (n == 0 || (group != 3 && n != group)) return -1; /* 1,00 or ,100 */
            if (n == group && group > 3) return -1;
            group = 0;
            continue;
        }
        if (*c < '0' || *c > '9' || n + 1 >= sizeof digits) return -1;
        digits[n++] = *c;
        group++;
    }
    if (n == 0 || (commas && group != 3)) return -1;
    digits[n] = '\0';
    const char *e = strpbrk(s, "eE");
    errno = 0;
    unsigned long long v = strtoull(digits, NULL, 10);
    if (errno) return -1;
    if (e) {
        char *end;
        long x = strtol(e + 1, &end, 10);
        if (*end || end == e + 1 || x < 0 || x > 19 || commas) return -1;
        for (long k = 0; k < x; k++) {
            if (v > UINT64_MAX / 10) return -1;
            v *= 10;
        }
    }
    *out = (uint64_t)v;
    return 0;
}

int parse_formats(const char *s, unsigned *out)
{
    *out = 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (strcmp(t, "png") == 0)
            *out |= HNB_FMT_PNG;
        else if (strcmp(t, "pdf") == 0)
            *out |= HNB_FMT_PDF;
        else if (strcmp(t, "svg") == 0)
            *out |= HNB_FMT_SVG;
        else
            return -1;
    }
    return *out ? 0 : -1;
}

/* Parse argv into o; `allowed` lists the options this command takes. */
static int parse_opts_into(const char *cmd, int argc, char **argv, const char *allowed, opts *o)
{
    memset(o, 0, sizeof *o);
    o->out = "out";
    o->run.seed = 1;
    o->run.attribution = 1;
    o->formats = HNB_FMT_PNG | HNB_FMT_PDF;
    o->charts = o->spreadsheets = 1;
    o->files = calloc((size_t)argc + 1, sizeof *o->files);
    if (!o->files) {
        fprintf(stderr, "hnbsim: error: out of memory\n");
        return EXIT_IO;
    }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            o->files[o->nfiles++] = a;
            continue;
        }
        if (!strstr(allowed, a) || (strstr(allowed, a)[strlen(a)] != ' ' && strstr(allowed, a)[strlen(a)] != '\0'))
            return usage_error(cmd, "unknown option '%s'", a);
        int takes = strcmp(a, "--out") == 0 || strcmp(a, "--fit") == 0 || strcmp(a, "--scenario") == 0 ||
                    strcmp(a, "--paths") == 0 || strcmp(a, "--seed") == 0 || strcmp(a, "--threads") == 0 ||
                    strcmp(a, "--format") == 0 || strcmp(a, "--paths-out") == 0;
        const char *v = takes ? (i + 1 < argc ? argv[++i] : NULL) : NULL;
        if (takes && !v) return usage_error(cmd, "option '%s' needs a value", a);
        uint64_t n;
        if (strcmp(a, "--out") == 0) {
            o->out = v;
            o->out_given = 1;
        } else if (strcmp(a, "--paths-out") == 0)
            o->run.paths_out = v;
        else if (strcmp(a, "--scenario") == 0)
            o->scenario = v; /* calibrate reads its own too */
        else if (strcmp(a, "--fit") == 0)
            continue; /* read by the command */
        else if (strcmp(a, "--paths") == 0) {
            if (parse_u64(v, &o->run.paths))
                return usage_error(cmd, "--paths: '%s' is not a whole number of paths (10000, 10,000 or 1e4)", v);
        } else if (strcmp(a, "--seed") == 0) {
            if (parse_u64(v, &o->run.seed)) return usage_error(cmd, "--seed: '%s' is not a whole number", v);
        } else if (strcmp(a, "--threads") == 0) {
            if (parse_u64(v, &n) || n > 1024)
                return usage_error(cmd, "--threads: '%s' is not a number of threads (0-1024)", v);
            o->run.threads = (int)n;
        } else if (strcmp(a, "--format") == 0) {
            if (parse_formats(v, &o->formats))
                return usage_error(cmd, "--format: '%s' is not a list of png, pdf, svg", v);
        } else if (strcmp(a, "--no-charts") == 0)
            o->charts = 0;
        else if (strcmp(a, "--own-scales") == 0)
            o->formats |= HNB_PLOT_OWN_SCALES;
        else if (strcmp(a, "--no-spreadsheets") == 0)
            o->spreadsheets = 0;
        else if (strcmp(a, "--quiet") == 0)
            o->quiet = 1;
        else if (strcmp(a, "--json") == 0)
            o->json = 1;
        else if (strcmp(a, "--excel-csv") == 0)
            o->excel_csv = 1;
        else if (strcmp(a, "--grid-csv") == 0)
            o->grid_csv = 1;
        else if (strcmp(a, "--allow-outside") == 0)
            o->load_flags |= HNB_LOAD_ALLOW_OUTSIDE;
        else if (strcmp(a, "--force") == 0)
            o->force = 1;
        else if (strcmp(a, "--report") == 0)
            o->report = 1;
        else if (strcmp(a, "--no-pdf") == 0)
            o->no_pdf = 1;
    }
    if (o->run.paths_out && o->run.paths == 0)
        return usage_error(cmd, "%s", "--paths-out needs --paths N: there are no paths to write without Monte Carlo");
    o->run.progress = isatty(STDERR_FILENO) && !o->quiet;
    return 0;
}

/* Parse argv into o; on a usage error o holds nothing to free. */
int parse_opts(const char *cmd, int argc, char **argv, const char *allowed, opts *o)
{
    int rc = parse_opts_into(cmd, argc, argv, allowed, o);
    if (rc) {
        free(o->files);
        o->files = NULL;
    }
    return rc;
}

int load_all(hnb_model *h, const opts *o)
{
    if (o->nfiles == 0) return hnb_load_embedded(h);
    for (int i = 0; i < o->nfiles; i++) {
        int rc = hnb_load_file_ex(h, o->files[i], o->load_flags);
        if (rc) return rc;
    }
    return HNB_OK;
}

char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s/%s", dir, name);
    return s;
}
