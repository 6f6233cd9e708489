/* api.c: the handle's life cycle and the public calls that only route work
 * to the module that does it (scenario loading, the run, results, charts,
 * spreadsheets). The model itself is in the files named after it. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/fileout.h"
#include "core/model.h"
#include "results/results.h"
#include "core/scenario.h"

const char *hnb_version(void) { return HNB_VERSION; }

hnb_model *hnb_model_alloc(void)
{
    alloc_init(); /* cJSON counts what it fails to allocate (core/alloc.h) */
    hnb_model *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->docs = cJSON_CreateArray();
    if (!h->docs) {
        free(h);
        return NULL;
    }
    return h;
}

void hnb_model_free(hnb_model *h)
{
    if (!h) return;
    for (size_t i = 0; i < h->nscen; i++) scenario_free(h->scen[i]);
    free(h->scen);
    for (size_t i = 0; i < h->ninputs; i++) free(h->inputs[i]);
    free(h->inputs);
    free(h->only);
    cJSON_Delete(h->docs);
    cJSON_Delete(h->results);
    free(h->err.text);
    free(h);
}

size_t hnb_scenario_count(const hnb_model *h) { return h->nscen; }

const char *hnb_scenario_name(const hnb_model *h, size_t i) { return i < h->nscen ? scenario_name(h->scen[i]) : NULL; }

int hnb_load_results(hnb_model *h, const char *path)
{
    cJSON *doc = NULL;
    int rc = results_read_checked(h, path, &doc);
    if (rc) return rc;
    cJSON_Delete(h->results);
    h->results = doc;
    return HNB_OK;
}

int hnb_write_results(hnb_model *h, const char *path)
{
    unsigned long mark = alloc_failures();
    char *s = NULL;
    int rc = hnb_results_string(h, &s);
    if (!rc) rc = alloc_check(h, mark, rc, "printing the results");
    if (!rc) rc = fileout_write_string(h, path, s);
    free(s);
    return alloc_check(h, mark, rc, "writing the results");
}

int hnb_results_string(hnb_model *h, char **out)
{
    *out = NULL;
    if (!h->results) return err_set(h, HNB_E_NOTRUN, "no results (expected hnb_run first)");
    *out = results_print(h->results);
    return *out ? HNB_OK : err_set(h, HNB_E_NOMEM, "out of memory printing results");
}
