/* jtext.h: the text of a JSON file is text: checks every reader of JSON files
 * (the scenario loader, the results reader) makes before trusting a string.
 *
 * cJSON accepts bytes that are not UTF-8 and copies them into every output
 * (results JSON, the workbook's XML, CSV), and a NUL byte inside a string
 * (raw, or written \u0000) silently cuts the string short. Both are input
 * errors: a NUL is found in the raw text (with line and column, since the
 * parser never sees past it), invalid UTF-8 in the parsed tree (with the JSON
 * path of the key or string that holds it). */
#ifndef HNB_JTEXT_H
#define HNB_JTEXT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "hnbsim.h"

/* Record (err_add, with code: HNB_E_SYNTAX or HNB_E_RESULTS) each NUL byte in text[0..len) and each
 * \u0000 escape inside a string: "<name>:<line>:<col>: ...". Returns the
 * number of problems (at most a few are reported). */
int jtext_check_nul(hnb_model *h, int code, const char *name, const char *text, size_t len);

/* Record (err_add, with code) every key and string under node that is not
 * valid UTF-8 (overlong forms, surrogates and code points past U+10FFFF are
 * refused): "<name>: <path>: ...". path is node's ("" for the root). Returns
 * the number of problems. */
int jtext_check_utf8(hnb_model *h, int code, const char *name, const cJSON *node, const char *path);

/* Length of the valid UTF-8 prefix of s (strlen(s) when all of it is valid). */
size_t jtext_utf8_valid(const char *s);

#endif
