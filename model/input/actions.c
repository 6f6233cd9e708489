/* actions.c: the actions of a management plan (`interventions`).
 *
 * A child's actions are added after its parent's (the mitigated plan is the
 * baseline plus its actions), so they are read from each layer of the chain
 * separately, the root-most first, rather than through the merged view. Each
 * type takes the common keys and its own; a key of another type is refused.
 * A running cost is charged to a placement or spend line from the start.
 * The funding and reform actions of 2026 (a deficit write-off, Individual
 * Support Plans, reassessment at transfer, protected places) are read by
 * read_writeoff and read_reform. */
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
    "reduce_joiners",   "add_capacity",     "shift_first_placement", "unit_cost",      "uplift_freeze",
    "block_transfer",   "dfe_contribution", "earlier_ceasing",       "reduce_moves",   "spend_saving",
    "deficit_writeoff", "isp_diversion",    "reassessment",          "protect_places", "modify_transitions"};

/* A list of placement ids as flags [nplace], or NULL if the key is absent. */
static unsigned char *read_placement_list(loader *ld, const scenario *s, const jv *e, const char *key)
{
    jv arr;
    if (!jv_get(e, key, &arr)) return NULL;
    unsigned char *on = calloc((size_t)s->nplace + 1, 1);
    if (!on || !jv_want(ld, &arr, cJSON_Array, "a list of placement ids, [\"special\", \"nmi\"]")) return on;
    for (int i = 0; i < jv_size(&arr); i++) {
        jv x;
        jv_at(&arr, i, &x);
        const cJSON *c = jv_top(&x);
        int p = cJSON_IsString(c) ? scenario_placement(s, c->valuestring) : -1;
        if (p >= 0)
            on[p] = 1;
        else
            ld_err(ld, HNB_E_REF, &x, NULL, "the id of a placement of this scenario", "no placement %s",
                   cJSON_IsString(c) ? c->valuestring : "(not a string)");
    }
    return on;
}

/* modify_transitions: what it changes, its size, its placements and its
 * filter. A key of another variant is refused, as the model would ignore it. */
static void read_modify(loader *ld, scenario *s, const jv *e, intervention *iv)
{
    static const char *const kinds[] = {"move_rate", "leave_rate", "redirect", "close", NULL};
    static const parspec factor = {"multiplier of the rate", 0.0, 100.0, 1.0, 1, 1, 0, PLAUS_NONE};
    static const parspec close_share = {"share (0-1)", 0.0, 1.0, 1.0, 0, 1, 0, PLAUS_NONE};
    const char *m = "";
    if (!jv_str(ld, e, "modify", 1, &m)) return;
    int k = 0;
    while (kinds[k] && strcmp(kinds[k], m) != 0) k++;
    if (!kinds[k]) {
        ld_err(ld, HNB_E_RANGE, e, "modify", "one of move_rate leave_rate redirect close", "unknown change \"%s\"", m);
        return;
    }
    iv->modify = k;
    int scale = k == MODIFY_MOVE_RATE || k == MODIFY_LEAVE_RATE;
    /* the keys of the other variants */
    static const char *const only_scale[] = {"factor", NULL}, *const only_move[] = {"share", "placement", "to", NULL};
    for (const char *const *x = scale ? only_move : only_scale; *x; x++)
        if (cJSON_GetObjectItemCaseSensitive(jv_top(e), *x))
            ld_err(ld, HNB_E_KEY, e, *x,
                   scale ? "for move_rate and leave_rate: factor and the filter (ages, needs, placements)"
                         : "for redirect and close: placement, to, share and the filter (ages, needs, placements)",
                   "not used by modify \"%s\"", m);
    if (scale) {
        iv->size = par_read(ld, s, e, "factor", &factor);
    } else {
        iv->size = par_read(ld, s, e, "share", k == MODIFY_REDIRECT ? &LD_SHARE : &close_share);
        iv->placement = ld_placement_ref(ld, s, e, "placement", 1);
        iv->to_placement = ld_placement_ref(ld, s, e, "to", k == MODIFY_REDIRECT);
        if (iv->placement >= 0 && iv->placement == iv->to_placement)
            ld_err(ld, HNB_E_RANGE, e, "to", "a placement other than `placement`",
                   k == MODIFY_REDIRECT ? "a redirect to itself" : "a closed placement cannot take its own entrants");
    }
    iv->ages = ld_read_age_list(ld, e, "ages", s->nages);
    if (iv->ages && !cJSON_GetObjectItemCaseSensitive(jv_top(e), "ages")) memset(iv->ages, 1, (size_t)s->nages);
    iv->needs = ld_read_need_list(ld, s, e, "needs");
    iv->places = read_placement_list(ld, s, e, "placements");
}

/* deficit_writeoff: a share of the deficit at a 31 March, from the model or a
 * stated figure, paid on the action's start date (after that 31 March). */
static void read_writeoff(loader *ld, scenario *s, const jv *e, intervention *iv)
{
    static const parspec deficit = {"£ (negative = a deficit)", -1e12, 1e12, 0.0, 1, 1, 0, PLAUS_BALANCE};
    iv->size = par_read(ld, s, e, "share", &LD_SHARE);
    char text[11];
    iv->accrued_from = -1.0;
    if (jv_date(ld, e, "deficit_at", 1, &iv->deficit_at, text)) {
        double m = iv->deficit_at - floor(iv->deficit_at / 12.0) * 12.0; /* 31 March = month 2 + 30/31 */
        int year = (int)floor(iv->deficit_at / 12.0);
        if (fabs(m - (2.0 + 30.0 / 31.0)) > 1e-9 || year - 1 < s->first_fy - 1 || year - 1 > s->last_fy)
            ld_err(ld, HNB_E_RANGE, e, "deficit_at",
                   "a 31 March from the end of the year before the first financial year to the end of the horizon",
                   "%s is not a year-end inside the projection", text);
        else if (iv->start <= iv->deficit_at)
            ld_err(ld, HNB_E_RANGE, e, "start", "a payment date after deficit_at",
                   "the write-off is paid (%s) before the deficit it writes off is known (%s)", iv->start_text, text);
    }
    char from[11];
    if (jv_date(ld, e, "accrued_from", 0, &iv->accrued_from, from)) {
        double m = iv->accrued_from - floor(iv->accrued_from / 12.0) * 12.0;
        if (fabs(m - 3.0) > 1e-9 || iv->accrued_from >= iv->deficit_at ||
            iv->accrued_from < fy_start_months(s->first_fy))
            ld_err(ld, HNB_E_RANGE, e, "accrued_from",
                   "a 1 April inside the projection, before deficit_at (the deficit accrued from then)",
                   "%s cannot start the period of the deficit", from);
    }
    const char *basis = "model";
    jv_str(ld, e, "basis", 0, &basis);
    if (strcmp(basis, "model") == 0) {
        iv->basis = WRITEOFF_MODEL;
        jv d;
        if (jv_get(e, "deficit", &d))
            ld_err(ld, HNB_E_KEY, e, "deficit", "\"basis\": \"stated\" with a stated deficit",
                   "a stated deficit is not used with the model's own (basis \"model\")");
    } else if (strcmp(basis, "stated") == 0) {
        iv->basis = WRITEOFF_STATED;
        iv->stated = par_read(ld, s, e, "deficit", &deficit);
        if (iv->accrued_from >= 0.0)
            ld_err(ld, HNB_E_KEY, e, "accrued_from", "basis \"model\" (a stated deficit is the figure itself)",
                   "accrued_from is not used with a stated deficit");
    } else {
        ld_err(ld, HNB_E_RANGE, e, "basis", "\"model\" (the projected deficit) or \"stated\" (a published figure)",
               "unknown basis \"%s\"", basis);
    }
}

static void read_reform(loader *ld, scenario *s, const jv *e, intervention *iv)
{
    static const parspec money = {"£ per Individual Support Plan per year", 0.0, 1e6, 0.0, 1, 1, 0, PLAUS_ISP_COST};
    static const parspec step = {"share (0-1)", 0.0, 1.0, 0.0, 0, 1, 0, PLAUS_NONE};
    switch (iv->type) {
    case IV_ISP_DIVERSION: {
        iv->size = par_read(ld, s, e, "share", &LD_SHARE);
        iv->isp_cost = par_read(ld, s, e, "unit_cost", &money);
        iv->isp_exit = par_read(ld, s, e, "exit_rate", &LD_SHARE);
        const char *id = NULL;
        if (jv_str(ld, e, "line", 1, &id)) {
            int o = ld_find_line(s->other, s->nother, id);
            if (o >= 0)
                iv->line = s->nplace + o;
            else
                ld_err(ld, HNB_E_REF, e, "line", "the id of a spend line (spend) for Individual Support Plans",
                       "no spend line \"%s\"", id);
        }
        for (size_t i = 0; i + 1 < s->niv + 1 && &s->iv[i] != iv; i++)
            if (s->iv[i].type == IV_ISP_DIVERSION)
                ld_err(ld, HNB_E_RANGE, e, "type", "one isp_diversion action per scenario (one stock of ISPs)",
                       "a second isp_diversion");
        break;
    }
    case IV_REASSESSMENT: {
        iv->size = par_read(ld, s, e, "share", &LD_SHARE);
        iv->step = par_read(ld, s, e, "step_down", &step);
        iv->to_placement = ld_placement_ref(ld, s, e, "to", 0);
        jv d;
        if (iv->to_placement < 0 && jv_get(e, "step_down", &d))
            ld_err(ld, HNB_E_MISSING, e, "to", "the placement plans step down to", "step_down without to");
        if (iv->size != NOPAR && iv->step != NOPAR &&
            par_val(s, s->val, iv->size)[0] + par_val(s, s->val, iv->step)[0] > 1.0 + 1e-12)
            ld_err(ld, HNB_E_RANGE, e, "step_down", "share + step_down at most 1",
                   "more plans end or step down than there are");
        iv->ages = ld_read_age_list(ld, e, "ages", s->nages);
        if (iv->ages && !cJSON_GetObjectItemCaseSensitive(jv_top(e), "ages") && s->nages > 11)
            iv->ages[11] = 1; /* Year 6 -> 7 */
        iv->places = read_placement_list(ld, s, e, "placements");
        break;
    }
    case IV_PROTECT_PLACES:
        iv->places = read_placement_list(ld, s, e, "placements");
        if (!iv->places)
            ld_err(ld, HNB_E_MISSING, e, "placements", "the placements whose children keep their place",
                   "protect_places without placements");
        break;
    default: break;
    }
}

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
    iv->cost = iv->stated = iv->isp_exit = iv->isp_cost = iv->step = NOPAR;
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
            (iv->type == IV_UPLIFT_FREEZE || iv->type == IV_BLOCK_TRANSFER || iv->type == IV_DFE_CONTRIBUTION ||
             iv->type == IV_DEFICIT_WRITEOFF || iv->type == IV_PROTECT_PLACES))
            ld_err(ld, HNB_E_KEY, e, "ramp_months", "no ramp for this type: it acts for whole financial years",
                   "a ramp has no effect on %s", iv_names[iv->type]);
    }
    static const parspec prob = {"probability (0-1)", 0.0, 1.0, 1.0, 0, 1, 0, PLAUS_NONE};
    static const parspec delay = {"months", 0.0, 120.0, 0.0, 0, 1, 0, PLAUS_NONE};
    iv->delivery = par_read(ld, s, e, "delivery", &prob);
    iv->delay = par_read(ld, s, e, "delay_months", &delay);
    /* what the action itself costs to run, charged to a spend line from its
     * start, so that its saving is reported net */
    jv rc;
    if (jv_get(e, "running_cost", &rc)) {
        static const parspec cost = {"£ per year", 0.0, 1e12, 0.0, 1, 1, 0, PLAUS_NONE};
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
    static const parspec places = {"places", 0.0, 1e6, 0.0, 1, 1, 0, PLAUS_NONE};
    static const parspec change = {
        "change in the unit cost (-0.05 = 5% cheaper)", -1.0, 10.0, 0.0, 1, 1, 0, PLAUS_NONE};
    static const parspec money = {"£ per year", 0.0, 1e12, 0.0, 1, 1, 0, PLAUS_NONE};
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
            /* Year 6 -> 7 and Year 11 -> 12, when max_age reaches them (a
             * fuzzed file with max_age 1 wrote past the list: kept as
             * tests/data/fuzz/fuzz_scenario/reduce-moves-default-ages.json) */
            if (s->nages > 11) iv->ages[11] = 1;
            if (s->nages > 16) iv->ages[16] = 1;
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
    case IV_DEFICIT_WRITEOFF: read_writeoff(ld, s, e, iv); break;
    case IV_ISP_DIVERSION:
    case IV_REASSESSMENT:
    case IV_PROTECT_PLACES: read_reform(ld, s, e, iv); break;
    case IV_MODIFY_TRANSITIONS: read_modify(ld, s, e, iv); break;
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
    if (total > LD_MAX_ACTIONS) {
        jv self;
        char exp[96];
        jv_root(&self, chain[0].scen, chain[0].file.name, chain[0].path);
        snprintf(exp, sizeof exp, "at most %d actions with those inherited, the documented limit", LD_MAX_ACTIONS);
        ld_err(ld, HNB_E_RANGE, &self, "interventions", exp, "%d actions: too many to run in reasonable time", total);
        return;
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
            if (ld_nomem(ld)) return; /* out of memory: the load fails */
        }
        if (k > 0) s->nparent_iv = s->niv;
    }
}
