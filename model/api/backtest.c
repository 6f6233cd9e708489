/* backtest.c (api): hnb_backtest and hnb_add_backtest, the jobs. Each
 * scenario read through its "backtest" block is run from its earlier census
 * and set beside the published figures (analysis/backtest.c); the table is
 * printed and added to the results. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/backtest.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/model.h"

int hnb_backtest(hnb_model *h, void *file)
{
    hnb_run_options opt = {0, 1, 0, 0, 0, NULL};
    int rc = hnb_run(h, &opt);
    if (rc) return rc;
    cJSON *all = cJSON_AddArrayToObject(h->results, "backtest");
    for (size_t i = 0; i < h->nscen; i++) {
        const scenario *s = h->scen[i];
        projection p;
        workspace w;
        ivstate *ivs = calloc(s->niv + 1, sizeof *ivs);
        rc = ivs ? projection_alloc(s, &p) : HNB_E_NOMEM;
        if (!rc && (rc = workspace_alloc(s, &w)) != 0) projection_free(&p);
        if (rc) {
            free(ivs);
            return err_set(h, rc, "out of memory");
        }
        ivstate_default(s, ivs);
        rc = project_run(s, s->val, ivs, &w, &p);
        size_t max = backtest_rows(s);
        comparison *c = malloc((max + 1) * sizeof *c);
        if (!c) rc = HNB_E_NOMEM;
        size_t n = rc ? 0 : backtest_compare(s, &p, c, max);
        if (!rc) {
            cJSON_AddItemToArray(all, backtest_json(s, c, n));
            if (file) backtest_print(s, c, n, file);
        }
        free(c);
        projection_free(&p);
        workspace_free(&w);
        free(ivs);
        if (rc) return err_set(h, rc, "%s: scenarios.%s: back-test projection failed", s->file, s->name);
    }
    return HNB_OK;
}

int hnb_add_backtest(hnb_model *h)
{
    if (!h->results) return err_set(h, HNB_E_NOTRUN, "no results to add a back-test to (expected hnb_run first)");
    unsigned long mark = alloc_failures();
    hnb_model *b = hnb_model_alloc();
    if (!b) return err_set(h, HNB_E_NOMEM, "out of memory");
    int rc = HNB_OK;
    for (size_t i = 0; !rc && i < h->ninputs; i++) {
        const char *in = h->inputs[i];
        rc = strncmp(in, "(embedded) ", 11) == 0
                 ? hnb_load_embedded_ex(b, HNB_LOAD_BACKTEST)
                 : hnb_load_file_ex(b, in, HNB_LOAD_BACKTEST | (h->load_flags & HNB_LOAD_ALLOW_OUTSIDE));
    }
    if (!rc && b->nscen) rc = hnb_backtest(b, NULL);
    if (rc) {
        err_set(h, rc, "%s", hnb_errmsg(b));
    } else if (b->nscen) {
        cJSON *bt = cJSON_DetachItemFromObjectCaseSensitive(b->results, "backtest");
        cJSON_AddItemToObject(h->results, "backtest", bt); /* bt deleted by alloc_check if not added */
    }
    hnb_model_free(b);
    return alloc_check(h, mark, rc, "adding the back-test");
}
