/* reader.c: the one reader of results files (results.h), used by
 * hnb_load_results, compare and the chart and spreadsheet writers' entry
 * points.
 *
 * It checks what every reader of the tree relies on, with the same care as
 * the scenario loader: the format, and in each scenario a name and label, a
 * non-empty list of years with its financial year, census, EHCP total, spend
 * and funding totals, in-year and cumulative positions as numbers, and a
 * headline object; every problem is reported with the file and its JSON
 * path, and a damaged file is refused whole (no reader sees half of it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/fileout.h"
#include "core/jsyntax.h"
#include "core/jtext.h"
#include "results/results.h"

static const cJSON *member(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }

/* Report what is wrong with one member: 1 if it is missing or of the wrong type. */
static int want(hnb_model *h, const char *path, const char *where, const cJSON *o, const char *key, int type,
                const char *expected)
{
    const cJSON *x = member(o, key);
    int ok = x && ((type == cJSON_Number && cJSON_IsNumber(x)) || (type == cJSON_String && cJSON_IsString(x)) ||
                   (type == cJSON_Array && cJSON_IsArray(x)) || (type == cJSON_Object && cJSON_IsObject(x)));
    if (!ok)
        err_add(h, HNB_E_RESULTS, "%s: %s.%s: %s (expected %s)", path, where, key, x ? "wrong type" : "missing",
                expected);
    return !ok;
}

static int check_tree(hnb_model *h, const char *path, const cJSON *doc)
{
    int bad = 0, i = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, member(doc, "scenarios"))
    {
        char where[64], yw[96];
        snprintf(where, sizeof where, "scenarios[%d]", i++);
        if (!cJSON_IsObject(s)) {
            err_add(h, HNB_E_RESULTS, "%s: %s: not an object (expected a scenario's results)", path, where);
            bad = 1;
            continue;
        }
        bad |= want(h, path, where, s, "name", cJSON_String, "the scenario's name");
        bad |= want(h, path, where, s, "label", cJSON_String, "the scenario's label");
        bad |= want(h, path, where, s, "headline", cJSON_Object, "the headline figures");
        if (want(h, path, where, s, "years", cJSON_Array, "a list of financial years")) {
            bad = 1;
            continue;
        }
        if (cJSON_GetArraySize(member(s, "years")) < 1) {
            err_add(h, HNB_E_RESULTS, "%s: %s.years: empty (expected at least one financial year)", path, where);
            bad = 1;
        }
        int k = 0;
        const cJSON *y;
        cJSON_ArrayForEach(y, member(s, "years"))
        {
            snprintf(yw, sizeof yw, "%s.years[%d]", where, k++);
            if (!cJSON_IsObject(y)) {
                err_add(h, HNB_E_RESULTS, "%s: %s: not an object (expected a year's figures)", path, yw);
                bad = 1;
                continue;
            }
            bad |= want(h, path, yw, y, "fy", cJSON_String, "a financial year such as \"2026-27\"");
            bad |= want(h, path, yw, y, "census", cJSON_Number, "the January census inside the year");
            bad |= want(h, path, yw, y, "in_year", cJSON_Number, "£");
            bad |= want(h, path, yw, y, "cumulative", cJSON_Number, "£");
            static const char *const parts[] = {"ehcps", "spend", "funding"};
            for (int p = 0; p < 3; p++) {
                char pw[112];
                snprintf(pw, sizeof pw, "%s.%s", yw, parts[p]);
                if (want(h, path, yw, y, parts[p], cJSON_Object, "an object with its total"))
                    bad = 1;
                else
                    bad |= want(h, path, pw, member(y, parts[p]), "total", cJSON_Number, "a number");
            }
            if (bad) break; /* one damaged year says enough */
        }
    }
    return bad;
}

int results_read_checked(hnb_model *h, const char *path, cJSON **out)
{
    int rc = results_read(h, path, out);
    if (!rc && check_tree(h, path, *out)) {
        cJSON_Delete(*out);
        *out = NULL;
        rc = HNB_E_RESULTS;
    }
    return rc;
}

int results_read(hnb_model *h, const char *path, cJSON **out)
{
    char *text = NULL;
    size_t len = 0;
    int rc = file_read_text(h, path, &text, &len);
    if (rc) return rc;
    const char *end = NULL;
    cJSON *doc = NULL;
    err_clear(h);
    if (jtext_check_nul(h, HNB_E_RESULTS, path, text, len)) {
        free(text);
        *out = NULL;
        return HNB_E_RESULTS;
    }
    doc = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (doc && jtext_check_utf8(h, HNB_E_RESULTS, path, doc, "")) {
        cJSON_Delete(doc);
        free(text);
        *out = NULL;
        return HNB_E_RESULTS;
    }
    if (!doc && alloc_json_valid(text, len)) {
        alloc_note_failure();
        rc = err_set(h, HNB_E_NOMEM, "%s: out of memory (parsing the results file)", path);
    } else if (!doc) {
        /* line, column, the line and the probable mistake (core/jsyntax.h) */
        rc = jsyntax_error(h, HNB_E_RESULTS, path, "a results.json written by hnbsim", text, len, end, 1);
    } else {
        const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(doc, "format");
        if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "hnbsim-results") != 0 ||
            !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "scenarios"))) {
            rc = err_set(h, HNB_E_RESULTS,
                         "%s: format: not an hnbsim results file (expected \"format\": \"hnbsim-results\" and a "
                         "\"scenarios\" array)",
                         path);
            cJSON_Delete(doc);
            doc = NULL;
        }
    }
    free(text);
    *out = doc;
    return rc;
}
