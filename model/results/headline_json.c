/* headline_json.c: hnb_headline_json, the headline figures as a small JSON
 * document for scripts (`hnbsim run --json`; docs/results-format.md,
 * "--json").
 *
 * It is built from the results tree, never from the projections, so the
 * figures are byte for byte those of results.json (printed by the same
 * results_print), and a script that reads it reads the same numbers a
 * person sees in the workbook. A figure the results do not have (no Monte
 * Carlo, no write-off, an older results file without the risk-weighted
 * line) is null, so that the shape never changes. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/model.h"
#include "results/results.h"

static const cJSON *get(const cJSON *o, const char *k) { return o ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL; }

/* o[key] = a copy of from (null when absent) */
static void copy(cJSON *o, const char *key, const cJSON *from)
{
    cJSON_AddItemToObject(o, key, from ? cJSON_Duplicate(from, 1) : cJSON_CreateNull());
}

int hnb_headline_json(hnb_model *h, char **out)
{
    *out = NULL;
    if (!h->results) return err_set(h, HNB_E_NOTRUN, "no results (expected hnb_run or hnb_load_results first)");
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "format", "hnbsim-headline");
    cJSON_AddNumberToObject(doc, "format_version", 1);
    copy(doc, "title", get(h->results, "title"));
    copy(doc, "run_date", get(h->results, "run_date"));
    cJSON *list = cJSON_AddArrayToObject(doc, "scenarios");
    const cJSON *s;
    cJSON_ArrayForEach(s, get(h->results, "scenarios"))
    {
        cJSON *e = cJSON_CreateObject();
        copy(e, "name", get(s, "name"));
        copy(e, "label", get(s, "label"));
        copy(e, "override_end", get(s, "override_end"));
        const cJSON *hl = get(s, "headline");
        cJSON *c = cJSON_AddObjectToObject(e, "central");
        static const char *const keys[] = {"cumulative_at_override_end",
                                           "cumulative_at_override_end_gross",
                                           "deficit_to_meet_at_override_end",
                                           "peak_deficit",
                                           "peak_deficit_fy",
                                           "first_balanced_fy",
                                           "cumulative_at_horizon"};
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) copy(c, keys[k], get(hl, keys[k]));
        const cJSON *rw = get(s, "risk_weighted");
        if (rw) {
            cJSON *r = cJSON_AddObjectToObject(e, "risk_weighted");
            copy(r, "cumulative_at_override_end", get(rw, "cumulative_at_override_end"));
        } else {
            cJSON_AddNullToObject(e, "risk_weighted");
        }
        const cJSON *mc = get(s, "montecarlo");
        if (mc) {
            cJSON *m = cJSON_AddObjectToObject(e, "montecarlo");
            copy(m, "paths", get(mc, "paths"));
            copy(m, "seed", get(mc, "seed"));
            const cJSON *net = get(get(mc, "headline"), "cumulative_at_override_end");
            const cJSON *gross = get(get(mc, "headline"), "cumulative_at_override_end_gross");
            const cJSON *se = get(get(mc, "standard_errors"), "cumulative_at_override_end");
            static const char *const pk[] = {"p5", "p50", "p95"};
            for (int k = 0; k < 3; k++) copy(m, pk[k], get(net, pk[k]));
            static const char *const sk[] = {"se_p5", "se_p50", "se_p95"};
            for (int k = 0; k < 3; k++) copy(m, sk[k], get(se, sk[k]));
            copy(m, "gross_p5", get(gross, "p5"));
            copy(m, "gross_p95", get(gross, "p95"));
            const cJSON *pr = get(mc, "probabilities");
            copy(m, "chance_deficit_above", get(pr, "deficit_at_override_end_above"));
            copy(m, "chance_in_year_balance_by", get(pr, "in_year_balance_by"));
        } else {
            cJSON_AddNullToObject(e, "montecarlo");
        }
        cJSON_AddItemToArray(list, e);
    }
    char *text = results_print(doc);
    cJSON_Delete(doc);
    if (!text) return err_set(h, HNB_E_NOMEM, "out of memory");
    *out = text;
    return HNB_OK;
}
