/* national.h (api): what the national run and the national back-test share
 * (national.c, national_backtest.c). */
#ifndef HNB_API_NATIONAL_H
#define HNB_API_NATIONAL_H

#include <stdio.h>

#include "import/import.h"

#define MAXH 6

typedef struct la_run {
    const s2_la *a;
    int census, ny;
    double now;
    double det[MAXH]; /* EHCPs at census+1 .. census+ny */
    double p5[MAXH], p10[MAXH], p50[MAXH], p90[MAXH], p95[MAXH];
    double spend0, spend_last, cum_last; /* £, first and last financial year, with the money defaults */
    growth_est g;
} la_run;

/* Import authority a at census C, load it, run it (and Monte Carlo when
 * opt->paths > 0, with this seed), and fill r. */
int nat_run_one(hnb_model *h, const sen2db *db, const s2_la *a, int C, const hnb_national_options *opt, uint64_t seed,
                la_run *r);
void nat_progress(const hnb_national_options *opt, const char *what, size_t i, size_t n, const char *name);
int nat_csv_name(FILE *f, const char *s);

#endif
