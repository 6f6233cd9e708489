/* numfmt.c: numbers in messages as people write them (numfmt.h).
 *
 * Every message a finance officer reads names figures the way a committee
 * paper would: thousands grouped with commas, money in £ with m and bn, rates
 * in %. %g is never shown: its 1e+07 reads as a typing error. Numbers too
 * large or too small for any figure of the model (beyond 1e15, or not
 * finite) still print, through %g, so that nothing is hidden. */
#include "core/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* digits (no sign) with a comma between each group of three before any '.' */
static void group(const char *digits, char *out, size_t n)
{
    const char *dot = strchr(digits, '.');
    size_t whole = dot ? (size_t)(dot - digits) : strlen(digits), k = 0;
    for (size_t i = 0; digits[i] && k + 2 < n; i++) {
        out[k++] = digits[i];
        if (i + 1 < whole && (whole - 1 - i) % 3 == 0) out[k++] = ',';
    }
    out[k] = '\0';
}

/* |x| with `dec` decimals, trailing zeros (and a bare '.') removed */
static void fixed(double a, int dec, char *out, size_t n)
{
    snprintf(out, n, "%.*f", dec, a);
    if (strchr(out, '.')) {
        size_t len = strlen(out);
        while (len && out[len - 1] == '0') out[--len] = '\0';
        if (len && out[len - 1] == '.') out[--len] = '\0';
    }
}

void num_plain(double x, char *buf, size_t n)
{
    double a = fabs(x);
    if (!isfinite(x) || a >= 1e15 || (a != 0.0 && a < 1e-6)) {
        snprintf(buf, n, "%g", x);
        return;
    }
    char digits[NUM_BUF], grouped[NUM_BUF];
    if (a >= 1000.0)
        fixed(a, a == floor(a) ? 0 : 2, digits, sizeof digits);
    else
        snprintf(digits, sizeof digits, "%.6g", a);
    group(digits, grouped, sizeof grouped);
    snprintf(buf, n, "%s%s", x < 0 ? "-" : "", grouped);
}

void num_money(double x, char *buf, size_t n)
{
    const char *sign = x < 0 ? "-" : "";
    double a = fabs(x);
    char digits[NUM_BUF], grouped[NUM_BUF];
    if (!isfinite(x) || a >= 1e15) {
        snprintf(buf, n, "£%g", x);
    } else if (a >= 1e12) {
        fixed(round(a / 1e9), 0, digits, sizeof digits);
        group(digits, grouped, sizeof grouped);
        snprintf(buf, n, "%s£%sbn", sign, grouped);
    } else if (a >= 1e9) {
        snprintf(buf, n, "%s£%.3gbn", sign, a / 1e9);
    } else if (a >= 1e6) {
        snprintf(buf, n, "%s£%.3gm", sign, a / 1e6);
    } else if (a < 100.0 && a != floor(a)) {
        snprintf(buf, n, "%s£%.2f", sign, a);
    } else {
        fixed(round(a), 0, digits, sizeof digits);
        group(digits, grouped, sizeof grouped);
        snprintf(buf, n, "%s£%s", sign, grouped);
    }
}

void num_percent(double x, char *buf, size_t n)
{
    if (!isfinite(x))
        snprintf(buf, n, "%g", x);
    else
        snprintf(buf, n, "%.3g%%", 100.0 * x);
}

void num_unit(double x, const char *unit, char *buf, size_t n)
{
    if (unit && strncmp(unit, "£", strlen("£")) == 0)
        num_money(x, buf, n);
    else if (unit && (strncmp(unit, "rate", 4) == 0 || strncmp(unit, "share", 5) == 0 ||
                      strncmp(unit, "probability", 11) == 0 || strncmp(unit, "fraction", 8) == 0))
        num_percent(x, buf, n);
    else
        num_plain(x, buf, n);
}
