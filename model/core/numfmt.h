/* numfmt.h: numbers in messages as people write them (numfmt.c): 10,000,000
 * not 1e+07, £62,000 and £19.5m not 62000 and 1.95e+07, 9% not 0.09. */
#ifndef HNB_NUMFMT_H
#define HNB_NUMFMT_H

#include <stddef.h>

/* Room for any number these write. */
#define NUM_BUF 48

/* A plain number: whole numbers grouped in thousands (10,000,000), others to
 * six significant figures (0.045, 1.337), grouped when 1,000 or more. */
void num_plain(double x, char *buf, size_t n);
/* Money: £62,000 below £1m, £19.5m, £1.2bn above; a sign before the £. */
void num_money(double x, char *buf, size_t n);
/* A fraction as a percentage: 0.09 is 9%, 0.035 is 3.5%. */
void num_percent(double x, char *buf, size_t n);
/* As the unit says: money when the unit starts with "£", a percentage when
 * it starts with "rate", "share", "probability" or "fraction", otherwise plain. */
void num_unit(double x, const char *unit, char *buf, size_t n);

/* Room for any number num_json writes. */
#define NUM_JSON_BUF 40

/* A number in a results file, exactly: "null" if not finite; a whole number
 * below 1e15 in full ("%.0f"); otherwise the shortest of "%.15g", "%.16g"
 * and "%.17g" that strtod reads back as x; "-0" is "0". Writes buf
 * (NUM_JSON_BUF bytes) and returns the length. */
size_t num_json(double x, char *buf);
/* The same by snprintf and strtod alone (the reference the tests compare
 * num_json with). */
size_t num_json_printf(double x, char *buf);

#endif
