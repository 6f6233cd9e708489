/* actions.c: the actions of a management plan (`interventions`).
 *
 * A child's actions are added after its parent's (the mitigated plan is the
 * baseline plus its actions), so they are read from each layer of the chain
 * separately, the root-most first, rather than through the merged view. Each
 * type takes the common keys and its own; a key of another type is refused.
 * A running cost is charged to a placement or spend line from the start. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/error.h"
#include "input/keys.h"
#include "input/sections.h"

static const char *const iv_names[IV_NTYPES] = {
    "reduce_joiners", "add_capacity",     "shift_first_placement", "unit_cost",    "uplift_freeze",
    "block_transfer", "dfe_contribution", "earlier_ceasing",       "reduce_moves", "spend_saving"};

/* A key another type of action takes, given to this one, would be ignored:
 * report it rather than let the file say something the model does not do. */
static void check_iv_keys(loader *ld, const jv *e, enum iv_type type)
{
    const char *const *common = ld_keys(KEYS_ACTION_COMMON);
    const char *const *own = ld_keys(KEYS_ACTION_TYPE + type);
    for (const cJSON *c = jv_top(e)->child; c; c = c->next) {
        int ok = ld_key_in(common, c->string) || ld_key_in(own, c->string);
        int known = 0; /* a key some type takes */
        for (int t = 0; t < IV_NTYPES && !known; t++) known = ld_key_in(ld_keys(KEYS_ACTION_TYPE + t), c->string);
        if (ok || !known) continue; /* unknown keys are reported by jv_check_keys */
        char exp[200];
        size_t n = (size_t)snprintf(exp, sizeof exp, "for %s: name type start ramp_months delivery delay_months",
                                    iv_names[type]);
        for (const char *const *k = own; *k; k++) n += (size_t)snprintf(exp + n, sizeof exp - n, " %s", *k);
        ld_err(ld, HNB_E_KEY, e, c->string, exp, "not used by a %s action", iv_names[type]);
    }
}

static void read_intervention(loader *ld, scenario *s, const jv *e, intervention *iv)
{
    const char *const *keys = ld_keys(KEYS_ACTION);
    iv->placement = iv->to_placement = iv->line = iv->cost_line = -1;
    iv->cost = NOPAR;
    iv->fy = iv->last_fy = -1;
    iv->size = iv->delivery = iv->delay = NOPAR;
    if (!jv_want(ld, e, cJSON_Object, "{\"name\": ..., \"type\": ..., \"start\": \"2025-09-01\", ...}")) return;
    jv_check_keys(ld, e, keys);
    const char *name = "action", *type = "";
    jv_str(ld, e, "name", 1, &name);
    iv->name = ld_strdup(name);
    if (!jv_str(ld, e, "type", 1, &type)) return; /* without a type, nothing else can be checked */
    int k = 0;
    while (k < IV_NTYPES && strcmp(iv_names[k], type) != 0) k++;
    if (k == IV_NTYPES) {
        char exp[300];
        size_t n = (size_t)snprintf(exp, sizeof exp, "one of");
        for (int t = 0; t < IV_NTYPES; t++) n += (size_t)snprintf(exp + n, sizeof exp - n, " %s", iv_names[t]);
        ld_err(ld, HNB_E_RANGE, e, "type", exp, "unknown action type \"%s\"", type);
        return;
    }
    iv->type = (enum iv_type)k;
    check_iv_keys(ld, e, iv->type);
    if (jv_date(ld, e, "start", 1, &iv->start, iv->start_text)) {
        double lo = census_months(s->census0), hi = fy_start_months(s->last_fy + 1);
        if (iv->start < lo || (iv->start >= hi && !s->backtest)) {
            char exp[96], a[8], b[8];
            fy_format(s->census0 - 1, a);
            fy_format(s->last_fy, b);
            snprintf(exp, sizeof exp, "a date from %d-01-01 (the starting census) to 31 March %d (end of %s)",
                     s->census0, s->last_fy + 1, b);
            jv st;
            jv_get(e, "start", &st);
            ld_err(ld, HNB_E_RANGE, &st, NULL, exp, "start date %s is outside the horizon", iv->start_text);
        }
    }
    double ramp = 0;
    if (jv_num(ld, e, "ramp_months", 0, 0, 240, &ramp)) {
        iv->ramp = ramp;
        /* a freeze is one year's uplift and a transfer a year's sum: no ramp */
        if (ramp > 0 &&
            (iv->type == IV_UPLIFT_FREEZE || iv->type == IV_BLOCK_TRANSFER || iv->type == IV_DFE_CONTRIBUTION))
            ld_err(ld, HNB_E_KEY, e, "ramp_months", "no ramp for this type: it acts for whole financial years",
                   "a ramp has no effect on %s", iv_names[iv->type]);
    }
    static const parspec prob = {"probability (0-1)", 0.0, 1.0, 1.0, 0, 1, 0};
    static const parspec delay = {"months", 0.0, 120.0, 0.0, 0, 1, 0};
    iv->delivery = par_read(ld, s, e, "delivery", &prob);
    iv->delay = par_read(ld, s, e, "delay_months", &delay);
    /* what the action itself costs to run, charged to a spend line from its
     * start, so that its saving is reported net */
    jv rc;
    if (jv_get(e, "running_cost", &rc)) {
        static const parspec cost = {"£ per year", 0.0, 1e12, 0.0, 1, 1, 0};
        iv->cost = par_read(ld, s, e, "running_cost", &cost);
        const char *id = NULL;
        if (jv_str(ld, e, "cost_line", 1, &id)) {
            int p = scenario_placement(s, id), o = ld_find_line(s->other, s->nother, id);
            if (p >= 0)
                iv->cost_line = p;
            else if (o >= 0)
                iv->cost_line = s->nplace + o;
            else
                ld_err(ld, HNB_E_REF, e, "cost_line", "the id of a placement or of a spend line",
                       "no spend line \"%s\"", id);
        }
    } else if (jv_get(e, "cost_line", &rc)) {
        ld_err(ld, HNB_E_MISSING, e, "running_cost", "a running cost in £ per year for the cost_line",
               "cost_line without running_cost");
    }
    static const parspec places = {"places", 0.0, 1e6, 0.0, 1, 1, 0};
    static const parspec change = {"change in the unit cost (-0.05 = 5% cheaper)", -1.0, 10.0, 0.0, 1, 1, 0};
    static const parspec money = {"£ per year", 0.0, 1e12, 0.0, 1, 1, 0};
    int need_placement = 0;
    switch (iv->type) {
    case IV_REDUCE_JOINERS: iv->size = par_read(ld, s, e, "share", &LD_SHARE); break;
    case IV_ADD_CAPACITY:
        iv->size = par_read(ld, s, e, "places", &places);
        need_placement = 1;
        break;
    case IV_SHIFT_FIRST_PLACEMENT:
        iv->size = par_read(ld, s, e, "share", &LD_SHARE);
        need_placement = 1;
        iv->to_placement = ld_placement_ref(ld, s, e, "to", 1);
        break;
    case IV_UNIT_COST:
        iv->size = par_read(ld, s, e, "change", &change);
        need_placement = 1;
        break;
    case IV_UPLIFT_FREEZE:
        iv->placement = ld_placement_ref(ld, s, e, "placement", 0); /* absent: every placement */
        if (!jv_fy(ld, e, "fy", 1, &iv->fy)) iv->fy = -1;
        break;
    case IV_BLOCK_TRANSFER:
    case IV_DFE_CONTRIBUTION: {
        iv->size = par_read(ld, s, e, "amount", &money);
        const char *id = iv->type == IV_BLOCK_TRANSFER ? "block_transfer" : "dfe_contribution";
        jv_str(ld, e, "line", 0, &id);
        iv->line = ld_funding_line_for(
            s, id, iv->type == IV_BLOCK_TRANSFER ? "Block transfer into the HNB" : "DfE contribution");
        jv_fy(ld, e, "until", 0, &iv->last_fy);
        break;
    }
    case IV_EARLIER_CEASING:
        iv->size = par_read(ld, s, e, "share", &LD_SHARE);
        iv->min_age = 19;
        jv_int(ld, e, "from_age", 0, 0, s->nages - 1, &iv->min_age);
        break;
    case IV_REDUCE_MOVES:
        iv->size = par_read(ld, s, e, "share", &LD_SHARE);
        iv->to_placement = ld_placement_ref(ld, s, e, "to", 1);
        iv->ages = ld_read_age_list(ld, e, "ages", s->nages);
        if (iv->ages && !cJSON_GetObjectItemCaseSensitive(jv_top(e), "ages")) {
            iv->ages[11] = iv->ages[16] = 1; /* Year 6 -> 7 and Year 11 -> 12 */
        }
        break;
    case IV_SPEND_SAVING: {
        iv->size = par_read(ld, s, e, "amount", &money);
        const char *id = NULL;
        if (jv_str(ld, e, "line", 1, &id)) {
            int p = scenario_placement(s, id);
            int o = ld_find_line(s->other, s->nother, id);
            if (p >= 0)
                iv->line = p;
            else if (o >= 0)
                iv->line = s->nplace + o;
            else
                ld_err(ld, HNB_E_REF, e, "line", "the id of a placement or of a spend line", "no spend line \"%s\"",
                       id);
        }
        break;
    }
    case IV_NTYPES: break;
    }
    if (need_placement) iv->placement = ld_placement_ref(ld, s, e, "placement", 1);
}

void ld_read_interventions(loader *ld, scenario *s, const chainlink *chain, int nchain)
{
    int total = 0;
    for (int k = 0; k < nchain; k++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(chain[k].scen, "interventions");
        total += cJSON_IsArray(a) ? cJSON_GetArraySize(a) : 0;
    }
    s->iv = calloc((size_t)total + 1, sizeof *s->iv);
    if (!s->iv) return;
    /* the root-most ancestor's actions first */
    for (int k = nchain - 1; k >= 0; k--) {
        jv self, arr;
        jv_root(&self, chain[k].scen, chain[k].file.name, chain[k].path);
        if (!jv_get(&self, "interventions", &arr)) continue;
        if (!jv_want(ld, &arr, cJSON_Array, "a list of actions")) continue;
        for (int i = 0; i < jv_size(&arr); i++) {
            jv e;
            jv_at(&arr, i, &e);
            read_intervention(ld, s, &e, &s->iv[s->niv++]);
        }
        if (k > 0) s->nparent_iv = s->niv;
    }
}
