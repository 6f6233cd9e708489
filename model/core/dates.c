/* dates.c: see dates.h. Days within a month count as a fraction of that month
 * (1 October = month 9.0 of the year, 16 October = 9 + 15/31), which is how councils
 * pro-rate a part-year effect ("from October: 6/12 of the saving"). */
#define _POSIX_C_SOURCE 200809L
#include "core/dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return dm[m - 1] + (m == 2 && leap);
}

int date_parse(const char *s, hnb_date *out)
{
    int y, m, d, n = 0;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10) return -1;
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return -1;
    out->y = y;
    out->m = m;
    out->d = d;
    return 0;
}

int fy_parse(const char *s, int *fy)
{
    int y, yy, n = 0;
    if (!s || strlen(s) != 7 || sscanf(s, "%4d-%2d%n", &y, &yy, &n) != 2 || n != 7) return -1;
    if (y < 1900 || y > 2200 || (y + 1) % 100 != yy) return -1;
    *fy = y;
    return 0;
}

void fy_format(int fy, char *buf)
{
    unsigned y = (unsigned)fy % 10000u, next = ((unsigned)fy + 1u) % 100u;
    snprintf(buf, 8, "%04u-%02u", y, next);
}

double date_months(hnb_date d) { return 12.0 * d.y + (d.m - 1) + (double)(d.d - 1) / days_in_month(d.y, d.m); }

double fy_start_months(int fy) { return 12.0 * fy + 3.0; }
double census_months(int census) { return 12.0 * census; }

double ramp_at(double s, double ramp, double t)
{
    if (t < s) return 0.0;
    if (ramp <= 0.0 || t >= s + ramp) return 1.0;
    return (t - s) / ramp;
}

/* Integral of the ramp from -inf to t. */
static double ramp_integral(double s, double ramp, double t)
{
    if (t <= s) return 0.0;
    if (ramp <= 0.0) return t - s;
    if (t <= s + ramp) return (t - s) * (t - s) / (2.0 * ramp);
    return ramp / 2.0 + (t - s - ramp);
}

double ramp_mean(double s, double ramp, double t0, double t1)
{
    if (t1 <= t0) return 0.0;
    return (ramp_integral(s, ramp, t1) - ramp_integral(s, ramp, t0)) / (t1 - t0);
}

void run_date_today(char out[11])
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    time_t t = e && *e ? (time_t)strtoll(e, NULL, 10) : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}
