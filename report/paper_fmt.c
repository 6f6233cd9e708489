/* paper_fmt.c: figures as the Forum paper prints them (paper.h): £m to one
 * decimal place with thousands separators, shares as per cent to one decimal
 * place, whole counts, dates in words.
 *
 * Rounding is printf's (round half to even on the binary value), the same
 * rule the test applies to the results JSON, so every printed figure is the
 * JSON figure rounded. A figure that rounds to zero prints without a sign
 * ("0.0", never "-0.0"). The numeric locale is the caller's C locale
 * (hnb_paper_* switch the thread to it), so the point is always '.'. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "paper.h"

/* digits ("1234.5") with commas in the whole part ("1,234.5"), sign kept */
static void pf_group(char *buf, const char *digits)
{
    const char *s = digits;
    char *o = buf;
    if (*s == '-') *o++ = *s++;
    size_t whole = strcspn(s, ".");
    for (size_t i = 0; i < whole; i++) {
        *o++ = s[i];
        size_t left = whole - i - 1;
        if (left && left % 3 == 0) *o++ = ',';
    }
    strcpy(o, s + whole);
}

/* x to `dec` decimals, grouped, "-0.0" made "0.0" */
static void pf_fixed(char *buf, double x, int dec)
{
    char t[PF_LEN];
    if (!isfinite(x)) {
        buf[0] = '\0';
        return;
    }
    snprintf(t, sizeof t, "%.*f", dec, x);
    if (t[0] == '-' && strspn(t + 1, "0.") == strlen(t + 1)) memmove(t, t + 1, strlen(t));
    pf_group(buf, t);
}

void pf_m1(char *buf, double pounds) { pf_fixed(buf, pounds / 1e6, 1); }

void pf_money(char *buf, double pounds)
{
    char t[PF_LEN];
    pf_fixed(t, fabs(pounds) / 1e6, 1);
    if (!*t)
        buf[0] = '\0';
    else
        snprintf(buf, PF_LEN, "£%.50sm", t);
}

void pf_pct(char *buf, double x)
{
    char t[PF_LEN];
    pf_fixed(t, x * 100.0, 1);
    snprintf(buf, PF_LEN, "%.60s%s", t, *t ? "%" : "");
}

void pf_pct100(char *buf, double x)
{
    char t[PF_LEN];
    pf_fixed(t, x, 1);
    snprintf(buf, PF_LEN, "%.60s%s", t, *t ? "%" : "");
}

void pf_count(char *buf, double x) { pf_fixed(buf, x, 0); }

static const char *const pf_months[12] = {"January", "February", "March",     "April",   "May",      "June",
                                          "July",    "August",   "September", "October", "November", "December"};

void pf_date(char *buf, const char *iso)
{
    int y, m, d;
    char tail;
    if (sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
        snprintf(buf, PF_LEN, "%d %s %d", d, pf_months[m - 1], y);
    else
        snprintf(buf, PF_LEN, "%.*s", PF_LEN - 1, iso);
}

void pf_census(char *buf, double census)
{
    if (!isfinite(census))
        buf[0] = '\0';
    else
        snprintf(buf, PF_LEN, "January %.0f", census);
}
