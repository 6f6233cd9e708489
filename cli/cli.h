/* cli.h: what the subcommands of the command-line tool share (options.c),
 * and the subcommands themselves, one file per family (cmd_*.c). The tool
 * uses only the library's public headers. */
#ifndef HNB_CLI_H
#define HNB_CLI_H

#include <stdint.h>

#include "hnbsim.h"

enum { EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

typedef struct opts {
    const char *out;
    const char **files;
    int nfiles;
    hnb_run_options run;
    unsigned formats;
    int charts, spreadsheets, quiet;
    int out_given;        /* 1: --out was on the command line */
    int force;            /* --force: write into a folder another command owns */
    int excel_csv;        /* --excel-csv: also DIR/csv-excel/ (UTF-8 with BOM) */
    unsigned load_flags;  /* --allow-outside: HNB_LOAD_ALLOW_OUTSIDE */
    int report, no_pdf;   /* --report: DIR/report.html and .pdf; --no-pdf: not the PDF */
    int grid_csv;         /* --grid-csv: also DIR/grid.csv, age x need x placement (run) */
    const char *scenario; /* --scenario NAME, or NULL */
    int json;             /* --json: the headline figures as JSON on stdout */
} opts;

int exit_code_for(int rc);
/* Print the library's error detail and return the exit code for rc. */
int fail(hnb_model *h, int rc);
int usage_error(const char *cmd, const char *fmt, const char *arg);
int parse_u64(const char *s, uint64_t *out);
int parse_formats(const char *s, unsigned *out);
/* Parse argv into o: files and the options in `allowed` (a space-separated
 * list such as "--out --paths"); returns 0 or an exit code. */
int parse_opts(const char *cmd, int argc, char **argv, const char *allowed, opts *o);
int load_all(hnb_model *h, const opts *o);
char *join(const char *dir, const char *name);

/* outset.c: a command's folder of outputs, whole or untouched. Files go to
 * outset_path(o, name) (a staging folder) and move into the folder only at
 * outset_commit; outset_abort (or SIGINT, SIGTERM) leaves it as it was. A
 * folder another command owns is refused unless force. Return 0 or an exit
 * code, the message printed. */
typedef struct outset {
    char dir[2048], staging[2100], command[32];
    int created;
} outset;
int outset_begin(outset *o, const char *dir, const char *command, int force);
char *outset_path(const outset *o, const char *name); /* caller frees */
int outset_commit(outset *o);
void outset_abort(outset *o);

int cmd_run(hnb_model *h, int argc, char **argv);
int cmd_validate(hnb_model *h, int argc, char **argv);
int cmd_compare(hnb_model *h, int argc, char **argv);
int cmd_plot(hnb_model *h, int argc, char **argv);
int cmd_export(hnb_model *h, int argc, char **argv);
int cmd_report(hnb_model *h, int argc, char **argv);
/* cmd_results.c: the paper's PDF beside html (report.pdf); Chromium not found
 * is a note printed here, not an error. HNB_OK or the library's code. */
int report_pdf(hnb_model *h, const char *html, const char *pdf, int quiet);
int cmd_backtest(hnb_model *h, int argc, char **argv);
int cmd_calibrate(hnb_model *h, int argc, char **argv);
int cmd_import(hnb_model *h, int argc, char **argv);
int cmd_national(hnb_model *h, int argc, char **argv);
int cmd_backtest_national(hnb_model *h, int argc, char **argv);
int cmd_sweep(hnb_model *h, int argc, char **argv);
int cmd_estimate(hnb_model *h, int argc, char **argv);

#endif
