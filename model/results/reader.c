/* reader.c: the one reader of results files (results.h), used by
 * hnb_load_results and by the chart and spreadsheet writers' entry points. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fileout.h"
#include "results/results.h"

int results_read(hnb_model *h, const char *path, cJSON **out)
{
    char *text = NULL;
    size_t len = 0;
    int rc = file_read_text(h, path, &text, &len);
    if (rc) return rc;
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (!doc) {
        rc = err_set(h, HNB_E_RESULTS, "%s: malformed JSON at byte %ld (expected a results.json written by hnbsim)",
                     path, end ? (long)(end - text) : 0L);
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
