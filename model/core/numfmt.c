/* numfmt.c: numbers in messages as people write them (numfmt.h).
 *
 * Every message a finance officer reads names figures the way a committee
 * paper would: thousands grouped with commas, money in £ with m and bn, rates
 * in %. %g is never shown: its 1e+07 reads as a typing error. Numbers too
 * large or too small for any figure of the model (beyond 1e15, or not
 * finite) still print, through %g, so that nothing is hidden.
 *
 * num_json is the other kind: a number in a results file, printed exactly
 * (the shortest of %.15g, %.16g and %.17g that reads back as the same
 * double, %.0f for whole numbers below 1e15). printf's exact decimal
 * expansion is most of the cost of writing results.json, so between 1e-5
 * and 1e15 the digits are found here with integer arithmetic: |x| = m 2^e
 * (m below 2^53), m x 5^s fits in 128 bits for the s this range needs, so
 * floor(|x| 10^s) and the remainder are exact, and the rounding is to
 * nearest with ties to even, as glibc's printf rounds. Whether P digits
 * read back is decided exactly too: a decimal D x 10^q with D <= 2^53 and
 * |q| <= 22 is one correctly rounded division or product of two exact
 * doubles, the double strtod gives (Clinger's fast path); otherwise strtod
 * itself is asked. Outside that range, printf and strtod as before. The
 * bytes are those of the printf path (tests/test_numfmt.c compares them
 * on 500,000 numbers and more). */
#include "core/numfmt.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---- numbers in results files ------------------------------------------- */

__extension__ typedef unsigned __int128 numfmt_u128;

static const uint64_t pow10_u[18] = {1ull,
                                     10ull,
                                     100ull,
                                     1000ull,
                                     10000ull,
                                     100000ull,
                                     1000000ull,
                                     10000000ull,
                                     100000000ull,
                                     1000000000ull,
                                     10000000000ull,
                                     100000000000ull,
                                     1000000000000ull,
                                     10000000000000ull,
                                     100000000000000ull,
                                     1000000000000000ull,
                                     10000000000000000ull,
                                     100000000000000000ull};

static const uint64_t pow5_u[24] = {1ull,
                                    5ull,
                                    25ull,
                                    125ull,
                                    625ull,
                                    3125ull,
                                    15625ull,
                                    78125ull,
                                    390625ull,
                                    1953125ull,
                                    9765625ull,
                                    48828125ull,
                                    244140625ull,
                                    1220703125ull,
                                    6103515625ull,
                                    30517578125ull,
                                    152587890625ull,
                                    762939453125ull,
                                    3814697265625ull,
                                    19073486328125ull,
                                    95367431640625ull,
                                    476837158203125ull,
                                    2384185791015625ull,
                                    11920928955078125ull};

static const double pow10_d[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* floor(a 10^s) for a = m 2^e (m < 2^53, 0 <= s <= 23, e < 0), with the
 * remainder compared to one half: -1 below, 0 equal, 1 above. */
static numfmt_u128 scaled(uint64_t m, int e, int s, int *half)
{
    numfmt_u128 n = (numfmt_u128)m * pow5_u[s];
    int shift = -(s + e);
    if (shift <= 0) { /* a whole number (only while floor(log10 a) is being found) */
        *half = -1;
        return n << -shift;
    }
    numfmt_u128 q = n >> shift, rem = n - (q << shift), h = (numfmt_u128)1 << (shift - 1);
    *half = rem < h ? -1 : rem > h ? 1 : 0;
    return q;
}

/* a (1e-5 <= a < 1e15, not whole) to P significant digits: D (P digits)
 * and its decimal exponent X (D x 10^(X - P + 1)), rounded to nearest, ties
 * to even; x0 is floor(log10 a). */
static uint64_t digits_of(uint64_t m, int e, int x0, int P, int *X)
{
    int half;
    uint64_t d = (uint64_t)scaled(m, e, P - 1 - x0, &half);
    if (half > 0 || (half == 0 && (d & 1u))) d++;
    *X = x0;
    if (d == pow10_u[P]) {
        d = pow10_u[P - 1];
        *X = x0 + 1;
    }
    return d;
}

/* D (P digits, exponent X) as printf's %.Pg writes it. */
static size_t format_g(int neg, uint64_t d, int P, int X, char *out)
{
    char dig[20];
    for (int i = P - 1; i >= 0; i--, d /= 10) dig[i] = (char)('0' + d % 10);
    int n = P;
    size_t k = 0;
    if (neg) out[k++] = '-';
    if (X < -4 || X >= P) {
        while (n > 1 && dig[n - 1] == '0') n--;
        out[k++] = dig[0];
        if (n > 1) {
            out[k++] = '.';
            for (int i = 1; i < n; i++) out[k++] = dig[i];
        }
        out[k++] = 'e';
        out[k++] = X < 0 ? '-' : '+';
        int ax = X < 0 ? -X : X;
        if (ax >= 100) out[k++] = (char)('0' + ax / 100);
        out[k++] = (char)('0' + ax / 10 % 10);
        out[k++] = (char)('0' + ax % 10);
    } else if (X >= 0) {
        int whole = X + 1;
        while (n > whole && dig[n - 1] == '0') n--;
        for (int i = 0; i < whole; i++) out[k++] = dig[i];
        if (n > whole) {
            out[k++] = '.';
            for (int i = whole; i < n; i++) out[k++] = dig[i];
        }
    } else {
        while (dig[n - 1] == '0') n--; /* dig[0] is not 0 */
        out[k++] = '0';
        out[k++] = '.';
        for (int i = 0; i < -X - 1; i++) out[k++] = '0';
        for (int i = 0; i < n; i++) out[k++] = dig[i];
    }
    out[k] = '\0';
    return k;
}

/* 1 if D x 10^(X - P + 1) (written out in t) reads back as a. */
static int reads_back(uint64_t d, int P, int X, double a, const char *t)
{
    int q = X - P + 1;
    if (d <= ((uint64_t)1 << 53) && q >= -22 && q <= 22)
        return (q < 0 ? (double)d / pow10_d[-q] : (double)d * pow10_d[q]) == a;
    double y = strtod(t, NULL);
    return (y < 0 ? -y : y) == a;
}

/* The printf path: what num_json writes, by snprintf and strtod. */
static size_t json_printf(double x, char *buf)
{
    if (!isfinite(x)) {
        strcpy(buf, "null");
        return 4;
    }
    if (x == floor(x) && fabs(x) < 1e15) {
        snprintf(buf, NUM_JSON_BUF, "%.0f", x);
    } else {
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(buf, NUM_JSON_BUF, "%.*g", prec, x);
            if (strtod(buf, NULL) == x) break;
        }
    }
    if (strcmp(buf, "-0") == 0) strcpy(buf, "0");
    return strlen(buf);
}

size_t num_json_printf(double x, char *buf) { return json_printf(x, buf); }

size_t num_json(double x, char *buf)
{
    if (!isfinite(x)) return json_printf(x, buf);
    double a = fabs(x);
    if (x == floor(x) && a < 1e15) { /* whole: its digits */
        uint64_t u = (uint64_t)a;
        char t[24];
        int n = 0;
        do {
            t[n++] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        size_t k = 0;
        if (x < 0) buf[k++] = '-';
        while (n) buf[k++] = t[--n];
        buf[k] = '\0';
        return k;
    }
    if (!(a >= 1e-5 && a < 1e15)) return json_printf(x, buf);
    int e2;
    double fr = frexp(a, &e2);
    uint64_t m = (uint64_t)ldexp(fr, 53);
    int e = e2 - 53;
    int x0 = (int)floor(log10(a)), half;
    /* floor(log10 a) exactly: a 10^(16 - x0) has 17 digits before the point */
    for (;;) {
        numfmt_u128 d = scaled(m, e, 16 - x0, &half);
        if (d >= pow10_u[17])
            x0++;
        else if (d < pow10_u[16])
            x0--;
        else
            break;
    }
    for (int P = 15;; P++) {
        int X;
        uint64_t d = digits_of(m, e, x0, P, &X);
        size_t k = format_g(x < 0, d, P, X, buf);
        if (P == 17 || reads_back(d, P, X, a, buf)) return k;
    }
}
