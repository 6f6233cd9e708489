/* jtext.c: NUL bytes and invalid UTF-8 in JSON files are input errors
 * (jtext.h).
 *
 * The NUL scan walks the raw text once, keeping track of whether it is inside
 * a string (a quote not escaped by a backslash opens or closes one), so that
 * a \u0000 escape is told from the same six characters outside a string.
 * The UTF-8 check follows RFC 3629: the shortest form only, no surrogates
 * (U+D800 to U+DFFF), nothing past U+10FFFF. Reports are capped so that a
 * binary file gives a few lines, not thousands. */
#include "core/jtext.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

#define JTEXT_MAX_REPORTS 5

int jtext_check_nul(hnb_model *h, int code, const char *name, const char *text, size_t len)
{
    int n = 0, line = 1, col = 1, in_str = 0;
    for (size_t i = 0; i < len && n < JTEXT_MAX_REPORTS; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\0') {
            err_add(h, code, "%s:%d:%d: a NUL byte %s (expected text: a NUL would cut the value short)", name, line,
                    col, in_str ? "inside a string" : "in the file");
            n++;
        } else if (in_str && c == '\\' && i + 1 < len) {
            if (len - i >= 6 && memcmp(text + i + 1, "u0000", 5) == 0) {
                err_add(h, code,
                        "%s:%d:%d: \\u0000 inside a string (expected text without NUL characters: it would cut the "
                        "value short)",
                        name, line, col);
                n++;
            }
            i++; /* the escaped character cannot close the string */
            col++;
        } else if (c == '"') {
            in_str = !in_str;
        }
        if (c == '\n') {
            line++;
            col = 1;
        } else if ((c & 0xC0) != 0x80) {
            col++; /* columns count characters, not continuation bytes */
        }
    }
    return n;
}

size_t jtext_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (p[i]) {
        unsigned c = p[i];
        size_t n;
        unsigned cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return i;
        }
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xC0) != 0x80) return i; /* also stops at the NUL */
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
        i += n + 1;
    }
    return i;
}

static int bad_utf8(hnb_model *h, int code, const char *name, const char *path, const char *what, const char *s, int *n)
{
    size_t ok = jtext_utf8_valid(s);
    if (s[ok] == '\0') return 0;
    if (*n < JTEXT_MAX_REPORTS)
        err_add(h, code, "%s: %s: invalid UTF-8 in the %s at byte %zu (expected text in UTF-8: save the file as UTF-8)",
                name, path[0] ? path : "(top)", what, ok + 1);
    (*n)++;
    return 1;
}

static void walk(hnb_model *h, int code, const char *name, const cJSON *node, const char *path, int *n, int depth)
{
    if (depth > 200) return; /* cJSON refuses deeper nesting already */
    if (cJSON_IsString(node) && node->valuestring) bad_utf8(h, code, name, path, "string", node->valuestring, n);
    int i = 0;
    for (const cJSON *c = node->child; c; c = c->next, i++) {
        char sub[400];
        if (cJSON_IsObject(node) && c->string) {
            /* a key that is not UTF-8 is reported at its object, never quoted */
            if (bad_utf8(h, code, name, path, "key", c->string, n)) continue;
            snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", c->string);
        } else {
            snprintf(sub, sizeof sub, "%s[%d]", path, i);
        }
        walk(h, code, name, c, sub, n, depth + 1);
    }
}

int jtext_check_utf8(hnb_model *h, int code, const char *name, const cJSON *node, const char *path)
{
    int n = 0;
    if (node) walk(h, code, name, node, path ? path : "", &n, 0);
    return n;
}
