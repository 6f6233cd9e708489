/* jsyntax.h: a JSON syntax error told as a person would tell it (jsyntax.c):
 * the line and column of the first mistake, the line's text with a caret
 * under it, and what was probably meant (a comma inside a number, a trailing
 * comma, a missing comma, single quotes, an unquoted key, a comment, ...). */
#ifndef HNB_JSYNTAX_H
#define HNB_JSYNTAX_H

#include <stddef.h>

#include "hnbsim.h"

/* text[0..len) failed to parse; cjson_end is where cJSON stopped (or NULL).
 * Records one error (err_add, with code) naming `name`, `what` the kind of
 * file ("a scenario file"). The line's text is quoted only when quote != 0
 * (a file the user named; one reached through "extends" is not echoed).
 * Returns code. */
int jsyntax_error(hnb_model *h, int code, const char *name, const char *what, const char *text, size_t len,
                  const char *cjson_end, int quote);

/* The first syntax mistake in text[0..len): its byte offset and a hint
 * ("a trailing comma before '}'"), or -1 if the scanner finds none (the
 * text is JSON as far as it can tell). For tests and jsyntax_error. */
long jsyntax_find(const char *text, size_t len, char *hint, size_t nhint, char *expect, size_t nexpect);

#endif
