/* test_numfmt.c: numbers in results files (model/core/numfmt.c, num_json).
 *
 * num_json finds the digits with integer arithmetic instead of printf; its
 * bytes must be those of the printf path (num_json_printf: the shortest of
 * %.15g, %.16g and %.17g that strtod reads back, %.0f for whole numbers
 * below 1e15), which results files have always been written with. Compared
 * here on hand-picked numbers with known answers, on numbers at and beside
 * every power of ten, on dyadic fractions (where a decimal tie can fall at
 * the 16th or 17th digit, rounded to even), and on 500,000 numbers drawn
 * over every magnitude from 1e-30 to 1e20, with either sign; and every
 * number written must read back as itself. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/numfmt.h"

static int mismatches;

static void same(double x)
{
    char a[NUM_JSON_BUF], b[NUM_JSON_BUF];
    size_t na = num_json(x, a), nb = num_json_printf(x, b);
    int ok = na == nb && strcmp(a, b) == 0 && na == strlen(a);
    if (ok && isfinite(x)) ok = strtod(a, NULL) == x || (x == 0.0 && strtod(a, NULL) == 0.0);
    if (!ok && mismatches++ < 20) fprintf(stderr, "num_json(%a): \"%s\", printf path \"%s\"\n", x, a, b);
}

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint64_t next(void) /* xorshift64* */
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545f4914f6cdd1dull;
}

int main(void)
{
    static const struct {
        double x;
        const char *want;
    } known[] = {
        {0.0, "0"},
        {-0.0, "0"},
        {1.0, "1"},
        {-42.0, "-42"},
        {123456789012345.0, "123456789012345"},
        {1e15, "1e+15"},
        {0.1, "0.1"},
        {0.3, "0.3"},
        {1.0 / 3.0, "0.3333333333333333"},
        {2.0 / 3.0, "0.6666666666666666"},
        {1130.5970537982087, "1130.5970537982087"},
        {-2838.8326565527777, "-2838.8326565527777"},
        {0.00012345, "0.00012345"},
        {1.5e-5, "1.5e-05"},
        {9.5367431640625e-07, "9.5367431640625e-07"},
        {0.1 + 0.2, "0.30000000000000004"},
        {NAN, "null"},
        {INFINITY, "null"},
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        char t[NUM_JSON_BUF];
        num_json(known[i].x, t);
        if (strcmp(t, known[i].want) != 0) fprintf(stderr, "num_json: \"%s\", expected \"%s\"\n", t, known[i].want);
        CHECK(strcmp(t, known[i].want) == 0);
        same(known[i].x);
    }
    for (int k = -30; k <= 20; k++) { /* powers of ten and their neighbours */
        double p = pow(10.0, k), x = p;
        for (int i = 0; i < 4; i++) x = nextafter(x, 0.0);
        for (int i = 0; i < 9; i++, x = nextafter(x, INFINITY)) {
            same(x);
            same(-x);
            same(x * 0.5);
            same(x * 9.999);
        }
    }
    for (int j = 1; j <= 62; j++) /* dyadic fractions k / 2^j */
        for (int i = 0; i < 200; i++) {
            double x = ldexp((double)(next() >> (11 + (next() % 40))) + 0.5, -j);
            same(x);
            same(ldexp((double)(2 * (next() % 100000) + 1), -j));
        }
    for (int i = 0; i < 20000; i++) { /* few digits: i / 100, i / 1000, ... */
        same(i / 100.0);
        same(i / 1000.0 - 7.0);
        same((double)i * 0.05);
    }
    for (int i = 0; i < 1000000; i++) {                            /* every magnitude */
        double mant = (double)(next() >> 11) / 9007199254740992.0; /* [0, 1) */
        double x = (1.0 + 9.0 * mant) * pow(10.0, (double)((int)(next() % 51) - 30));
        same(next() & 1 ? -x : x);
    }
    CHECK(mismatches == 0);
    if (mismatches) fprintf(stderr, "%d numbers written differently\n", mismatches);
    return check_done();
}
