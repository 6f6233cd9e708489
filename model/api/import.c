/* import.c (api): hnb_import_sen2, a scenario file from DfE's SEN2 figures,
 * and hnb_replace_notes, the figures a file marks "replace": true.
 *
 * The file is written only when it is complete and loads cleanly: the text
 * is checked by the loader itself before it is returned, so an importer
 * slip is an internal error here and never a half-valid file on disk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fileout.h"
#include "core/model.h"
#include "import/import.h"
#include "input/load.h"

int hnb_import_sen2(hnb_model *h, const hnb_import_options *opt, char **json)
{
    *json = NULL;
    err_clear(h);
    if (!opt || !opt->la || !*opt->la)
        return err_set(h, HNB_E_USAGE, "--la: no authority given (expected a name, ONS code or old code)");
    sen2db db;
    int rc = sen2_load(h, opt->data_dir, &db);
    if (rc) return rc;
    const s2_la *a = sen2_find(h, &db, opt->la);
    cJSON *doc = NULL;
    if (!a) rc = HNB_E_REF;
    if (!rc) rc = import_scenario(h, &db, a, opt->census, &doc);
    if (!rc) {
        *json = cJSON_Print(doc);
        if (!*json) rc = err_set(h, HNB_E_NOMEM, "out of memory");
    }
    cJSON_Delete(doc);
    sen2_free(&db);
    if (!rc) {
        /* the importer's own check: the text must load */
        hnb_model *chk = hnb_model_alloc();
        int lrc = chk ? scenario_load_text(chk, "(import)", *json, strlen(*json), 0, 0) : HNB_E_NOMEM;
        if (lrc)
            rc = err_set(h, HNB_E_INTERNAL, "import-sen2 wrote a scenario the loader refuses: %s",
                         chk ? hnb_errmsg(chk) : "out of memory");
        hnb_model_free(chk);
        if (rc) {
            free(*json);
            *json = NULL;
        }
    }
    return rc;
}

static void walk(const cJSON *v, char *path, size_t len, size_t cap, char **out, size_t *olen, size_t *ocap)
{
    if (cJSON_IsObject(v)) {
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(v, "replace");
        if (cJSON_IsTrue(r)) {
            const cJSON *s = cJSON_GetObjectItemCaseSensitive(v, "source");
            const cJSON *val = cJSON_GetObjectItemCaseSensitive(v, "value");
            char line[1536];
            int n = snprintf(line, sizeof line, "%s = %.15g: %s\n", path, cJSON_IsNumber(val) ? val->valuedouble : 0.0,
                             cJSON_IsString(s) ? s->valuestring : "(no source)");
            if (n > 0) {
                size_t k = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
                if (*olen + k + 1 > *ocap) {
                    size_t nc = (*ocap + k + 1) * 2;
                    char *t = realloc(*out, nc);
                    if (!t) return;
                    *out = t;
                    *ocap = nc;
                }
                memcpy(*out + *olen, line, k);
                *olen += k;
                (*out)[*olen] = '\0';
            }
        }
    }
    if (!cJSON_IsObject(v) && !cJSON_IsArray(v)) return;
    int i = 0;
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        int n = cJSON_IsObject(v) ? snprintf(path + len, cap - len, "%s%s", len ? "." : "", c->string)
                                  : snprintf(path + len, cap - len, "[%d]", i);
        if (n > 0 && len + (size_t)n < cap) walk(c, path, len + (size_t)n, cap, out, olen, ocap);
        path[len] = '\0';
    }
}

int hnb_replace_notes(hnb_model *h, const char *path, char **out)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = file_read_text(h, path, &text, &len);
    if (rc) return rc;
    cJSON *doc = cJSON_ParseWithLength(text, len);
    free(text);
    if (!doc) return err_set(h, HNB_E_SYNTAX, "%s: malformed JSON (expected a scenario file)", path);
    char p[1024] = "";
    size_t olen = 0, ocap = 0;
    walk(doc, p, 0, sizeof p, out, &olen, &ocap);
    cJSON_Delete(doc);
    return HNB_OK;
}

int hnb_write_text(hnb_model *h, const char *path, const char *text) { return fileout_write_string(h, path, text); }
