/* dates.h: dates, financial years and census years as councils write them.
 *
 * A financial year is named by the calendar year it starts in: fy 2026 is
 * "2026-27", 1 April 2026 to 31 March 2027. The January census of year c
 * falls in fy c-1. Time inside the model is counted in months since year 0
 * (a double), so that "from 1 October" is exactly half of a financial year. */
#ifndef HNB_DATES_H
#define HNB_DATES_H

typedef struct hnb_date {
    int y, m, d;
} hnb_date;

/* Parse "2027-09-01"; returns 0 on success, -1 if malformed or impossible. */
int date_parse(const char *s, hnb_date *out);
/* Parse "2026-27" into 2026; returns 0 or -1 (also when the second part does
 * not follow the first). */
int fy_parse(const char *s, int *fy);
/* Write "2026-27" into buf (at least 8 bytes). */
void fy_format(int fy, char *buf);
/* Months since year 0 at the start of the day. */
double date_months(hnb_date d);
/* Months since year 0 at 1 April of fy / at 1 January of a census year. */
double fy_start_months(int fy);
double census_months(int census);
/* The mean over [t0, t1) of a ramp that is 0 before s, rises linearly to 1 over
 * ramp months, and stays at 1 (a step when ramp <= 0). Exact, not sampled. */
double ramp_mean(double s, double ramp, double t0, double t1);
/* The ramp's value at one moment. */
double ramp_at(double s, double ramp, double t);

/* Today's date as "2026-11-23", from SOURCE_DATE_EPOCH when it is set (as
 * reproducible builds do), so that a results file can be reproduced byte for byte. */
void run_date_today(char out[11]);

#endif
