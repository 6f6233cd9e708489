/* jsyntax.c: JSON syntax errors with the line, the caret and the probable
 * mistake (jsyntax.h).
 *
 * cJSON says only where it stopped, which is often a character or a line
 * after the mistake (a trailing comma is found at the '}' after it). When a
 * file fails to parse, this small scanner reads it again, strictly, and stops
 * at the first character that cannot be JSON, knowing what it expected
 * there: a key, a value, a comma or a closing bracket. What it found then
 * names the mistake: a ',' followed by three digits inside a number is a
 * thousands separator; '}' after ',' a trailing comma; a '"' where a comma
 * belongs a missing comma; '\'' single quotes; a letter where a key belongs
 * an unquoted key; '/' a comment; True, NaN or 5% a word or sign JSON does
 * not have. Numbers are read as cJSON reads them (the characters of a
 * number, then strtod), so the scanner never stops before cJSON would on a
 * number cJSON takes. It runs only on failure, so it is written for clarity,
 * not speed, and its depth is bounded as cJSON's is. */
#include "core/jsyntax.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define JS_MAX_DEPTH 1000

typedef struct scan {
    const char *t;
    size_t n, i;
    long err;       /* offset of the mistake, -1 while none */
    char hint[200]; /* what was wrong */
    char want[200]; /* what was expected */
    int depth;
} scan;

static int at_end(const scan *s) { return s->i >= s->n || s->t[s->i] == '\0'; }
static char cur(const scan *s) { return at_end(s) ? '\0' : s->t[s->i]; }

static int fail_at(scan *s, size_t at, const char *hint, const char *want)
{
    if (s->err < 0) {
        s->err = (long)at;
        snprintf(s->hint, sizeof s->hint, "%s", hint);
        snprintf(s->want, sizeof s->want, "%s", want);
    }
    return 0;
}

/* Whitespace, and a comment where whitespace may be. */
static int ws(scan *s)
{
    while (!at_end(s) && (cur(s) == ' ' || cur(s) == '\t' || cur(s) == '\n' || cur(s) == '\r')) s->i++;
    if (cur(s) == '/' && s->i + 1 < s->n && (s->t[s->i + 1] == '/' || s->t[s->i + 1] == '*'))
        return fail_at(s, s->i, "a comment: JSON has no comments",
                       "no comments: remove it, or put the note in a \"source\" string");
    if (cur(s) == '#') return fail_at(s, s->i, "a '#' comment: JSON has no comments", "no comments: remove it");
    return 1;
}

static int string(scan *s)
{
    size_t open = s->i++;
    while (!at_end(s) && cur(s) != '"') {
        if (cur(s) == '\n')
            return fail_at(s, open, "a string that runs past the end of its line", "a closing '\"' on the same line");
        if ((unsigned char)cur(s) < 0x20)
            return fail_at(s, s->i, "a control character inside a string", "text, or an escape such as \\n or \\t");
        if (cur(s) == '\\') {
            s->i++;
            if (at_end(s) || !strchr("\"\\/bfnrtu", cur(s)))
                return fail_at(s, s->i - 1, "an unknown escape in a string",
                               "\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX (a Windows path takes \\\\ or /)");
        }
        s->i++;
    }
    if (at_end(s)) return fail_at(s, open, "a string that is never closed", "a closing '\"'");
    s->i++;
    return 1;
}

static int number(scan *s)
{
    size_t start = s->i;
    char buf[64];
    size_t k = 0;
    while (!at_end(s) && strchr("0123456789+-eE.", cur(s)) && k + 1 < sizeof buf) buf[k++] = s->t[s->i++];
    buf[k] = '\0';
    char *end;
    strtod(buf, &end);
    if (end == buf) return fail_at(s, start, "a '-' that starts no number", "a number such as -0.5");
    s->i = start + (size_t)(end - buf);
    if (cur(s) == '%')
        return fail_at(s, s->i, "a '%' after a number", "a fraction for a rate: 0.09 for 9% (no % sign)");
    return 1;
}

static int value(scan *s);

/* A word where a value belongs: which one, and what JSON writes instead. */
static int bad_word(scan *s)
{
    size_t start = s->i, k = 0;
    char w[16];
    while (!at_end(s) && (isalnum((unsigned char)cur(s)) || cur(s) == '_') && k + 1 < sizeof w) w[k++] = s->t[s->i++];
    w[k] = '\0';
    if (!strcmp(w, "True") || !strcmp(w, "TRUE") || !strcmp(w, "False") || !strcmp(w, "FALSE") || !strcmp(w, "Null") ||
        !strcmp(w, "NULL") || !strcmp(w, "None"))
        return fail_at(s, start, "a word JSON does not know", "true, false or null, in lower case");
    if (!strcmp(w, "NaN") || !strcmp(w, "Infinity") || !strcmp(w, "inf"))
        return fail_at(s, start, "a number JSON cannot write", "a finite number: JSON has no NaN or Infinity");
    return fail_at(s, start, "a word without quotes",
                   "a value: a number, \"text\" in double quotes, true, false or null");
}

static int value(scan *s)
{
    if (!ws(s)) return 0;
    char c = cur(s);
    if (++s->depth > JS_MAX_DEPTH) return fail_at(s, s->i, "nesting too deep", "at most 1,000 levels of brackets");
    int ok;
    if (at_end(s))
        ok = fail_at(s, s->i, "the file ends where a value belongs", "a value, then the closing brackets");
    else if (c == '"')
        ok = string(s);
    else if (c == '-' || (c >= '0' && c <= '9'))
        ok = number(s);
    else if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        int obj = c == '{';
        s->i++;
        if (!ws(s)) return 0;
        if (cur(s) == close) {
            s->i++;
            s->depth--;
            return 1;
        }
        for (;;) {
            if (!ws(s)) return 0;
            if (obj) {
                if (cur(s) == '}')
                    return fail_at(s, s->i, "a trailing comma before '}'", "no comma after an object's last member");
                if (cur(s) == '\'')
                    return fail_at(s, s->i, "a key in single quotes", "keys in double quotes: \"name\"");
                if (isalpha((unsigned char)cur(s)) || cur(s) == '_')
                    return fail_at(s, s->i, "a key without quotes", "keys in double quotes: \"name\": value");
                if (at_end(s)) return fail_at(s, s->i, "the file ends inside an object", "a closing '}'");
                if (cur(s) != '"') return fail_at(s, s->i, "something other than a key", "a key in double quotes");
                if (!string(s) || !ws(s)) return 0;
                if (cur(s) == '=') return fail_at(s, s->i, "'=' after a key", "':' between a key and its value");
                if (cur(s) != ':') return fail_at(s, s->i, "a key without its ':'", "':' and the value after the key");
                s->i++;
            } else if (cur(s) == ']') {
                return fail_at(s, s->i, "a trailing comma before ']'", "no comma after a list's last value");
            }
            if (!value(s)) return 0;
            size_t prev = s->i;
            if (!ws(s)) return 0;
            if (cur(s) == ',') {
                s->i++;
                continue;
            }
            if (cur(s) == close) break;
            if (at_end(s))
                return fail_at(s, s->i, obj ? "the file ends inside an object" : "the file ends inside a list",
                               obj ? "a closing '}'" : "a closing ']'");
            if (cur(s) == (obj ? ']' : '}'))
                return fail_at(s, s->i, obj ? "a ']' that closes an object" : "a '}' that closes a list",
                               obj ? "'}' to close the object opened with '{'"
                                   : "']' to close the list opened with '['");
            if (cur(s) == ';') return fail_at(s, s->i, "a ';' between values", "a ',' between values");
            if (strchr("\"{[-0123456789tfn'", cur(s))) {
                int line = 1, col = 1;
                for (size_t i = 0; i < prev; i++) {
                    line += s->t[i] == '\n';
                    col = s->t[i] == '\n' ? 1 : col + (((unsigned char)s->t[i] & 0xC0) != 0x80);
                }
                char h[120];
                snprintf(h, sizeof h,
                         "a missing comma: nothing between the value that ends at line %d, column %d, "
                         "and this",
                         line, col);
                return fail_at(s, s->i, h, "a ',' between one value and the next");
            }
            return fail_at(s, s->i, "something JSON does not allow after a value", obj ? "',' or '}'" : "',' or ']'");
        }
        s->i++;
        ok = 1;
    } else if (c == '\'')
        ok = fail_at(s, s->i, "text in single quotes", "text in double quotes: \"like this\"");
    else if (!strncmp(s->t + s->i, "true", 4) || !strncmp(s->t + s->i, "null", 4)) {
        s->i += 4;
        ok = 1;
    } else if (!strncmp(s->t + s->i, "false", 5)) {
        s->i += 5;
        ok = 1;
    } else if (c == '.' || c == '+')
        ok = fail_at(s, s->i, c == '.' ? "a number that starts with '.'" : "a number that starts with '+'",
                     c == '.' ? "a digit first: 0.5, not .5" : "no '+' sign: 5, not +5");
    else if (!strncmp(s->t + s->i, "£", strlen("£")))
        ok = fail_at(s, s->i, "a '£' sign", "the number alone, in £: 62000, not £62,000");
    else if (isalpha((unsigned char)c))
        ok = bad_word(s);
    else
        ok = fail_at(s, s->i, "a character that starts no value", "a number, \"text\", {, [, true, false or null");
    s->depth--;
    return ok;
}

/* A thousands separator inside a number near `at`: a digit, ',' and three
 * digits that are not followed by another digit. Returns the comma's offset
 * or -1. */
static long comma_in_number(const char *t, size_t n, size_t at)
{
    size_t lo = at > 24 ? at - 24 : 0;
    for (size_t i = at + 1; i-- > lo;) {
        if (i >= n || t[i] != ',') continue;
        if (i == 0 || !isdigit((unsigned char)t[i - 1])) continue;
        if (i + 3 >= n + 0 || !isdigit((unsigned char)t[i + 1]) || !isdigit((unsigned char)t[i + 2]) ||
            !isdigit((unsigned char)t[i + 3]))
            continue;
        if (i + 4 < n && isdigit((unsigned char)t[i + 4])) continue;
        /* the digits before the comma are a number's, not a key's */
        size_t b = i - 1;
        while (b > 0 && (isdigit((unsigned char)t[b - 1]) || t[b - 1] == ',' || t[b - 1] == '.')) b--;
        if (b > 0 && t[b - 1] == '"') continue;
        return (long)i;
    }
    return -1;
}

long jsyntax_find(const char *text, size_t len, char *hint, size_t nhint, char *expect, size_t nexpect)
{
    scan s = {text, len, 0, -1, "", "", 0};
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) s.i = 3; /* a byte-order mark, as cJSON skips none: say so */
    if (s.i == 3) fail_at(&s, 0, "a byte-order mark (BOM) before the JSON", "UTF-8 without a BOM");
    if (s.err < 0 && value(&s) && ws(&s) && !at_end(&s))
        fail_at(&s, s.i, "text after the end of the JSON", "one JSON value: the file ends at its last '}'");
    if (s.err >= 0) {
        long c = comma_in_number(text, len, (size_t)s.err);
        if (c >= 0 && strncmp(s.hint, "a comment", 9) != 0) {
            s.err = c;
            snprintf(s.hint, sizeof s.hint, "%s", "a comma inside a number");
            snprintf(s.want, sizeof s.want, "%s", "a number without thousands separators: 1000000, not 1,000,000");
        }
    }
    if (hint) snprintf(hint, nhint, "%s", s.hint);
    if (expect) snprintf(expect, nexpect, "%s", s.want);
    return s.err;
}

int jsyntax_error(hnb_model *h, int code, const char *name, const char *what, const char *text, size_t len,
                  const char *cjson_end, int quote)
{
    char hint[200], want[200];
    long at = jsyntax_find(text, len, hint, sizeof hint, want, sizeof want);
    if (at < 0) {
        at = cjson_end && cjson_end >= text && cjson_end <= text + len ? (long)(cjson_end - text) : 0;
        snprintf(hint, sizeof hint, "%s", "malformed JSON");
        snprintf(want, sizeof want, "%s: check commas, quotes and brackets", what);
    }
    int line = 1, col = 1;
    size_t bol = 0;
    for (size_t i = 0; i < (size_t)at && i < len; i++) {
        if (text[i] == '\n') {
            line++;
            col = 1;
            bol = i + 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            col++;
        }
    }
    if (!quote) return err_add(h, code, "%s:%d:%d: malformed JSON: %s (expected %s)", name, line, col, hint, want);
    /* the line, at most 76 characters of it around the column, and a caret */
    size_t eol = bol;
    while (eol < len && text[eol] != '\n' && text[eol] != '\r') eol++;
    size_t from = bol;
    int shown_col = col;
    if (col > 60) {
        int skip = col - 40;
        for (int k = 0; k < skip && from < eol; from++)
            if (((unsigned char)text[from + 1] & 0xC0) != 0x80) k++;
        shown_col = col - skip + 3;
    }
    char echo[400], caret[100];
    size_t k = 0;
    int chars = 0;
    if (from > bol) {
        memcpy(echo, "...", 3);
        k = 3;
    }
    for (size_t i = from; i < eol && k + 5 < sizeof echo && chars < 76; i++) {
        unsigned char c = (unsigned char)text[i];
        echo[k++] = c == '\t' ? ' ' : (c < 0x20 || c == 0x7f) ? '?' : (char)c;
        if ((c & 0xC0) != 0x80) chars++;
    }
    echo[k] = '\0';
    int pad = shown_col - 1 < (int)sizeof caret - 2 ? shown_col - 1 : (int)sizeof caret - 2;
    memset(caret, ' ', (size_t)pad);
    caret[pad] = '^';
    caret[pad + 1] = '\0';
    return err_add(h, code, "%s:%d:%d: malformed JSON: %s (expected %s)\n  %5d | %s\n        | %s", name, line, col,
                   hint, want, line, echo, caret);
}
