/* sweepspec.h: a sweep file as read (input/sweepfile.c) and as the sweeps
 * run it (analysis/sweep*.c, api/sweep.c).
 *
 * The reader fills what the file says: names of assumptions as written, the
 * numbers, the figures. The job (api/sweep.c) then resolves each name against
 * the base scenario (`par`, `label`); the analyses read only resolved specs.
 * Kept in core because two rooms that may not see each other (input and
 * analysis) share it, as they share scenario.h. */
#ifndef HNB_SWEEPSPEC_H
#define HNB_SWEEPSPEC_H

#include <stddef.h>
#include <stdint.h>

enum sweep_kind { SWEEP_TORNADO, SWEEP_SPIDER, SWEEP_GRID, SWEEP_BATCH, SWEEP_GOAL, SWEEP_SOBOL };

/* A figure of one projection: a headline figure, or a figure in one year. */
enum figure_kind {
    FIG_AT_OVERRIDE_END, /* cumulative position when the override ends */
    FIG_AT_HORIZON,      /* cumulative position at the end of the last year */
    FIG_PEAK_DEFICIT,
    FIG_INTEREST_TO_OVERRIDE_END,
    FIG_INTEREST_TO_HORIZON,
    FIG_CUMULATIVE, /* at 31 March ending financial year `when` */
    FIG_IN_YEAR,    /* in financial year `when` */
    FIG_SPEND,
    FIG_FUNDING,
    FIG_EHCPS /* at the January census of year `when` */
};

typedef struct sweep_figure {
    enum figure_kind kind;
    int when;        /* financial year (its start year) or census year; unused for headlines */
    char id[48];     /* "in_year_2027_28": the key in results and the CSV column */
    char label[160]; /* "in-year DSG position 2027-28 (£)" */
    int money;       /* 1: £, 0: a count of EHCPs */
} sweep_figure;

typedef struct sweep_assumption {
    char *name;  /* as in the sweep file: the end of a JSON path, or "<action>.delivers" */
    char *label; /* human label with unit; from the file or made by the job */
    size_t par;  /* parameter index in the base scenario (resolved by the job) */
    int has_low, has_high;
    double low, high; /* tornado: given settings (else P10 / P90 of the distribution) */
    double *values;   /* grid: the values to take */
    size_t nvalues;
    int has_range;
    double min, max; /* goal seek: the range searched */
    char where[208]; /* "sweeps[0].assumptions[1]", for errors */
} sweep_assumption;

typedef struct sweep_spec {
    char *name;
    enum sweep_kind kind;
    int figure; /* index into the file's figures of the sweep's main figure */
    sweep_assumption *as;
    size_t nas;
    double *changes; /* spider: relative changes, -0.2 = 20% lower */
    size_t nchanges;
    int has_threshold;
    double threshold; /* grid: the contour level of the main figure */
    char **files;     /* batch: scenario files, resolved against the sweep file's folder */
    size_t nfiles;
    double target; /* goal seek: the main figure's value to reach */
    double xtol;   /* goal seek: absolute tolerance on the assumption */
    size_t samples, bootstrap;
    uint64_t seed;
    double confidence; /* sobol: level of the bootstrap intervals, e.g. 0.95 */
} sweep_spec;

typedef struct sweep_file {
    char *path, *title;
    char *scenario_file; /* resolved against the sweep file's folder; NULL: the embedded scenarios */
    char *scenario;      /* NULL: the file's first scenario */
    sweep_figure *fig;
    size_t nfig;
    sweep_spec *sw;
    size_t nsw;
} sweep_file;

#endif
