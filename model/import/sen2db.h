/* sen2db.h: DfE's SEN2 figures for England and every authority, as the
 * importer reads them (data/sen2/hnbsim_tables.csv.gz, written by
 * `scripts/sen2-extract tables` with the placement mapping of
 * docs/sen2-mapping.md).
 *
 * Years are indexed from S2_Y0: census y is the January y census; flows of
 * calendar year t (new and ceased plans, requests) are the flows between the
 * January t and January t+1 censuses. A figure the release does not give is
 * NAN (totals) or flagged absent (the has_* arrays). An authority is keyed by
 * its name, so a change of code (Buckinghamshire, Dorset) keeps one series;
 * predecessor authorities (Cumbria, Northamptonshire, Bournemouth, Poole) are
 * authorities of their own, and sen2_successors says who took them over. */
#ifndef HNB_SEN2DB_H
#define HNB_SEN2DB_H

#include "hnbsim.h"

#define S2_Y0    2010
#define S2_NY    16 /* 2010 .. 2025 */
#define S2_NAGES 26
#define S2_NPL   8
#define S2_NBAND 5 /* the 2022 release's bands: 0-4, 5-10, 11-15, 16-19, 20-25 */

extern const char *const s2_placements[S2_NPL];

typedef struct s2_la {
    char name[80], code[16], old_code[8], region[40];
    double census[S2_NY];      /* published total at the January census, NAN if none */
    double cpl[S2_NY][S2_NPL]; /* by placement (mapped); valid where census is */
    double cunalloc[S2_NY];    /* published total minus the placement columns */
    unsigned char has_cage[S2_NY];
    double cage[S2_NY][S2_NPL][S2_NAGES]; /* single years of age by placement */
    double cage_all[S2_NY][S2_NAGES];     /* single years of age, every placement */
    double newp[S2_NY];                   /* new plans in calendar year t, NAN if none */
    double newpl[S2_NY][S2_NPL];
    unsigned char has_new_age[S2_NY];
    double new_age[S2_NY][S2_NAGES]; /* age when the plan started; 20 = 20 and over */
    double ceased[S2_NY];            /* NAN if none */
    unsigned char has_ceased_age[S2_NY];
    double ceased_age[S2_NY][S2_NAGES]; /* age on ceasing; 20 = 20 and over */
    double ceased_unknown[S2_NY];
    unsigned char has_band[S2_NY];
    double band[S2_NY][S2_NBAND + 1]; /* last: the total of the 2022 release */
    double requests[S2_NY];           /* NAN if none */
} s2_la;

typedef struct sen2db {
    s2_la *la; /* la[0] is England */
    size_t n;
    char *path;
} sen2db;

/* The folder of the vendored tables: dir if not NULL, else $HNB_SEN2_DATA,
 * else the source tree's data/sen2 (compiled in). */
const char *sen2_dir(const char *dir);
int sen2_load(hnb_model *h, const char *dir, sen2db *db);
void sen2_free(sen2db *db);
/* The authority named by name, ONS code or old code (any case), or NULL
 * with a "did you mean" error. */
const s2_la *sen2_find(hnb_model *h, const sen2db *db, const char *key);
const s2_la *sen2_by_name(const sen2db *db, const char *name);
static inline int s2_has_census(const s2_la *a, int y)
{
    return y >= S2_Y0 && y < S2_Y0 + S2_NY && a->census[y - S2_Y0] == a->census[y - S2_Y0];
}
static inline double s2_total(const s2_la *a, int y) { return a->census[y - S2_Y0]; }
/* Authorities reporting at census y (England excluded), in name order. */
size_t sen2_authorities_at(const sen2db *db, int y, const s2_la **out);
/* The successors of a predecessor authority (NULL-terminated names), or NULL. */
const char *const *sen2_successors(const char *name);
/* The total of an authority at census y, adding up its successors when it no
 * longer reports (Cumbria in 2024 = Cumberland + Westmorland and Furness);
 * NAN if neither is published. */
double sen2_total_or_successors(const sen2db *db, const s2_la *a, int y);

#endif
