/* sections.h: the loader's internal interface between its section readers.
 *
 * load.c reads files, resolves the `extends` chain and calls one reader per
 * section of the scenario format (docs/scenario-format.md), in an order where
 * each finds what it refers to already read: placements first (every other
 * section names them), then needs and stocks (the census fixes the first
 * year), the placements' details and links, leavers, moves, joiners, spend and
 * funding lines, actions (which add funding lines and refer to spend lines),
 * actuals and the Monte Carlo settings. Each reader records every problem in
 * the loader (jview.h) and fills the scenario with defaults in its place, so a
 * file is refused as a whole at the end with every problem listed.
 *
 * The readers live in common.c (pieces every section uses), placements.c,
 * flows.c, funding.c, actions.c and actuals.c; the keys each object accepts
 * are in one table, keys.c. Nothing here is exported from the library. */
#ifndef HNB_SECTIONS_H
#define HNB_SECTIONS_H

#include <string.h>

#include "core/alloc.h"
#include "core/scenario.h"
#include "input/jview.h"
#include "input/params.h"

#define EPS_SHARE 1e-9 /* shares that must sum to 1 do so within this */

/* Bounded cost (docs/scenario-format.md, "Limits"): what a run can do in
 * reasonable time and memory. The savings split projects every action many
 * times, the workbook has a column per placement and age, and every series
 * has a value per year; ages are bounded by max_age (at most 30). */
#define LD_MAX_YEARS      30  /* financial years projected, from the first to the horizon */
#define LD_MAX_PLACEMENTS 400 /* placements of one scenario, with those inherited */
#define LD_MAX_ACTIONS    200 /* actions of one scenario, with those inherited */

/* A parsed file kept alive in the handle for the views that point into it. */
typedef struct srcfile {
    const cJSON *doc;
    const char *name; /* as given, for messages */
    int embedded;
} srcfile;

/* One scenario of an `extends` chain: chain[0] is the scenario read, then its
 * parent, grandparent ... */
typedef struct chainlink {
    srcfile file;
    const cJSON *scen;
    const char *name; /* the scenario's name in its file */
    char path[JV_PATH];
} chainlink;

/* strdup that takes NULL as "". The caller frees. */
static inline char *ld_strdup(const char *s) { return alloc_strdup(s); }

/* ---- common.c: pieces every section uses -------------------------------- */

extern const parspec LD_RATE;  /* a yearly rate, -1 to 10, default 0 */
extern const parspec LD_SHARE; /* a required share, 0 to 1 */

/* The "scenarios" object of a file. */
const cJSON *ld_file_scenarios(const cJSON *doc);
/* The financial year of a by_year key; reported (the one message of every
 * by_year) and 0 if it is not one. */
int ld_by_year_fy(loader *ld, const jv *by, const char *key, int *fy);
/* The years of a "by_year" object, merged over the layers: fy[i] and par[i]. */
void ld_read_by_year(loader *ld, scenario *s, const jv *by, const parspec *sp, int **fy, size_t **par, size_t *n);
/* A yearly series: a number or {"value": x, "by_year": {"2026-27": y}}. */
void ld_read_series(loader *ld, scenario *s, const jv *v, const char *key, const parspec *sp, series *r);
/* An age range [lo, hi]; returns 1 if read. */
int ld_read_ages(loader *ld, const jv *v, const char *key, int nages, int *lo, int *hi);
/* A list of ages [11, 16] into a flag per age (malloc'd, nages flags). */
unsigned char *ld_read_age_list(loader *ld, const jv *v, const char *key, int nages);
/* 1 for the "source" and "note" of an object keyed by placement or year. */
int ld_note_key(loader *ld, const jv *obj, const char *key);
/* "one of the placements: mainstream base special nmi", for messages. */
const char *ld_placement_list(const scenario *s, char *buf, size_t size);
/* Index of a need group by id, or -1. */
int ld_need_index(const scenario *s, const char *id);
/* "one of the need groups: ASD SEMH SLCN", for messages. */
const char *ld_need_list(const scenario *s, char *buf, size_t size);
/* A list of need-group ids at v's child `key` as flags [nneeds] (malloc'd),
 * or NULL if the key is absent; unknown ids are reported. */
unsigned char *ld_read_need_list(loader *ld, const scenario *s, const jv *v, const char *key);
/* Whether path (an existing file) is in the folder tree of the file loaded
 * (load.c): 0 inside (or allowed anywhere), 1 outside, -1 if it does not exist,
 * -2 out of memory (counted, core/alloc.h). */
int ld_inside_tree(const loader *ld, const char *path);
/* The placement named at v's child `key`, or -1 (reported). */
int ld_placement_ref(loader *ld, const scenario *s, const jv *v, const char *key, int required);

/* ---- placements.c ------------------------------------------------------- */

void ld_read_placements(loader *ld, scenario *s, const jv *v); /* the ids, in order */
void ld_read_placement_detail(loader *ld, scenario *s, const jv *ps, int p);
void ld_read_placement_links(loader *ld, scenario *s, const jv *ps, int p); /* overflow, backfill */
void ld_check_overflow_cycles(loader *ld, scenario *s, const jv *ps);
void ld_read_needs(loader *ld, scenario *s, const jv *v);
void ld_read_stocks(loader *ld, scenario *s, const jv *v);
void ld_read_leavers(loader *ld, scenario *s, const jv *v);

/* ---- flows.c ------------------------------------------------------------ */

void ld_read_moves(loader *ld, scenario *s, const jv *v);
void ld_read_joiners(loader *ld, scenario *s, const jv *v);

/* ---- population.c ------------------------------------------------------- */

/* joiners.population_by_age (the incidence driver): a table or a CSV file. */
void ld_read_population(loader *ld, scenario *s, const jv *jn);

/* ---- funding.c ---------------------------------------------------------- */

/* after_override and anchor (funding.c). */
void ld_read_regime(loader *ld, scenario *s, const jv *v);
void ld_read_lines(loader *ld, scenario *s, const jv *v, const char *key, line **out, size_t *nout, int funding);
int ld_find_line(const line *l, size_t n, const char *id);
/* A funding line an action pays into, added with no money of its own. */
int ld_funding_line_for(scenario *s, const char *id, const char *label);

/* ---- actions.c ---------------------------------------------------------- */

/* Every action of the chain, the root-most ancestor's first. */
void ld_read_interventions(loader *ld, scenario *s, const chainlink *chain, int nchain);

/* ---- actuals.c ---------------------------------------------------------- */

void ld_read_actuals(loader *ld, scenario *s, const jv *v);
void ld_read_montecarlo(loader *ld, scenario *s, const jv *v);
/* The shape of the file's calibration block (top: the file's view). */
void ld_check_calibration(loader *ld, const jv *top);

/* ---- ratecounts.c ------------------------------------------------------- */

/* rate_counts, resolved to the values each band governs (after montecarlo). */
void ld_read_rate_counts(loader *ld, scenario *s, const jv *v);

/* ---- placegroups.c ------------------------------------------------------ */

/* placements.<id>.setting and .need, on every placement or none. */
void ld_read_placement_groups(loader *ld, scenario *s, const jv *v);

#endif
