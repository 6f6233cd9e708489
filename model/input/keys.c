/* keys.c: the table of every key the scenario loader accepts (keys.h).
 *
 * Each kind of object has one list; the readers pass it to jv_check_keys
 * (unknown keys, with "did you mean") or test against it (a key of another
 * driver or action type, refused because the model would ignore it). Adding a
 * key to the format means adding it here and to docs/scenario-format.md: the
 * test test_keys fails until both agree. The order of a list is the order its
 * "expected one of ..." message prints. `source` and `note` are listed where
 * an object takes them (almost everywhere; a dist takes only `note`). */
#include "input/keys.h"

#include <string.h>

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})

static const struct {
    const char *name;
    const char *const *keys;
} table[KEYS_N] = {
    [KEYS_FILE] = {"file", L("format", "title", "authority", "source", "description", "note", "scenarios",
                             "calibration", "estimation")},
    [KEYS_SCENARIO] = {"scenario",
                       L("label", "description", "extends", "source", "note", "horizon", "override_end",
                         "opening_balance", "interest_rate", "max_age", "stocks", "leavers", "moves", "joiners",
                         "placements", "needs", "spend", "funding", "interventions", "actuals", "montecarlo",
                         "cost_scale", "backtest", "after_override", "anchor", "rate_counts")},
    [KEYS_BACKTEST_REFUSED] = {"backtest.refused", L("extends", "backtest", "interventions")},
    [KEYS_ASSUMPTION] = {"assumption", L("value", "unit", "source", "note", "dist", "plausible", "replace")},
    [KEYS_PRICED] = {"assumption.unit_cost",
                     L("value", "unit", "source", "note", "dist", "price_base", "plausible", "replace")},
    [KEYS_SERIES] = {"series", L("value", "unit", "source", "note", "dist", "by_year", "plausible", "replace")},
    [KEYS_DIST] = {"dist", L("type", "mean", "sd", "min", "mode", "max", "factor", "loading", "note")},
    [KEYS_PLACEMENT] = {"placement", L("label", "s251", "unit_cost", "price_base", "inflation", "cost_by_age",
                                       "capacity", "overflow_to", "backfill", "source", "note", "setting", "need")},
    [KEYS_COST_BAND] = {"placement.cost_by_age", L("ages", "multiplier", "source", "note")},
    [KEYS_CAPACITY] = {"placement.capacity", L("from", "places", "source", "note")},
    [KEYS_BACKFILL] = {"placement.backfill", L("from", "ages", "source", "note")},
    [KEYS_NEED] = {"need", L("label", "share", "cease_multiplier", "cost_multiplier", "source", "note")},
    [KEYS_STOCKS] = {"stocks", L("census", "by_age", "source", "note")},
    [KEYS_LEAVERS] = {"leavers", L("cease_rates", "by_placement", "by_need", "source", "note")},
    [KEYS_MOVES] = {"moves", L("name", "ages", "needs", "matrix", "by_year", "source", "note")},
    [KEYS_JOINERS] = {"joiners", L("driver", "growth", "count", "requests", "conversion", "population", "per_10000",
                                   "population_by_age", "rate_by_age", "age_distribution", "need_shares",
                                   "first_placement", "by_need", "source", "note")},
    [KEYS_FIRST_BAND] = {"joiners.first_placement", L("ages", "shares", "source", "note")},
    [KEYS_DRIVER + JOIN_TOTAL_GROWTH] = {"joiners.total_growth", L("growth")},
    [KEYS_DRIVER + JOIN_NEW_PLANS] = {"joiners.new_plans", L("growth", "count")},
    [KEYS_DRIVER + JOIN_REQUESTS] = {"joiners.requests", L("growth", "requests", "conversion")},
    [KEYS_DRIVER + JOIN_PREVALENCE] = {"joiners.prevalence", L("per_10000", "population")},
    [KEYS_DRIVER + JOIN_INCIDENCE] = {"joiners.incidence", L("population_by_age", "rate_by_age")},
    [KEYS_LINE] = {"line",
                   L("label", "s251", "block", "amount", "fy", "growth", "inflation", "by_year", "source", "note")},
    [KEYS_ACTION] = {"action",
                     L("name", "type", "start", "ramp_months", "share", "places", "change", "amount", "placement", "to",
                       "fy", "until", "from_age", "ages", "line", "delivery", "delay_months", "source", "note",
                       "running_cost", "cost_line", "deficit_at", "accrued_from", "basis", "deficit", "unit_cost",
                       "exit_rate", "step_down", "placements", "modify", "factor", "needs")},
    [KEYS_ACTION_COMMON] = {"action.common", L("name", "type", "start", "ramp_months", "delivery", "delay_months",
                                               "source", "note", "running_cost", "cost_line")},
    [KEYS_ACTION_TYPE + IV_REDUCE_JOINERS] = {"action.reduce_joiners", L("share")},
    [KEYS_ACTION_TYPE + IV_ADD_CAPACITY] = {"action.add_capacity", L("placement", "places")},
    [KEYS_ACTION_TYPE + IV_SHIFT_FIRST_PLACEMENT] = {"action.shift_first_placement", L("placement", "to", "share")},
    [KEYS_ACTION_TYPE + IV_UNIT_COST] = {"action.unit_cost", L("placement", "change")},
    [KEYS_ACTION_TYPE + IV_UPLIFT_FREEZE] = {"action.uplift_freeze", L("placement", "fy")},
    [KEYS_ACTION_TYPE + IV_BLOCK_TRANSFER] = {"action.block_transfer", L("amount", "until", "line")},
    [KEYS_ACTION_TYPE + IV_DFE_CONTRIBUTION] = {"action.dfe_contribution", L("amount", "until", "line")},
    [KEYS_ACTION_TYPE + IV_EARLIER_CEASING] = {"action.earlier_ceasing", L("share", "from_age")},
    [KEYS_ACTION_TYPE + IV_REDUCE_MOVES] = {"action.reduce_moves", L("share", "to", "ages")},
    [KEYS_ACTION_TYPE + IV_SPEND_SAVING] = {"action.spend_saving", L("amount", "line")},
    [KEYS_ACTION_TYPE + IV_DEFICIT_WRITEOFF] = {"action.deficit_writeoff",
                                                L("share", "deficit_at", "accrued_from", "basis", "deficit")},
    [KEYS_ACTION_TYPE + IV_ISP_DIVERSION] = {"action.isp_diversion", L("share", "unit_cost", "exit_rate", "line")},
    [KEYS_ACTION_TYPE + IV_REASSESSMENT] = {"action.reassessment", L("share", "step_down", "to", "ages", "placements")},
    [KEYS_ACTION_TYPE + IV_PROTECT_PLACES] = {"action.protect_places", L("placements")},
    [KEYS_ACTION_TYPE +
        IV_MODIFY_TRANSITIONS] = {"action.modify_transitions",
                                  L("modify", "factor", "share", "placement", "to", "ages", "needs", "placements")},
    [KEYS_ACTUALS] = {"actuals", L("census", "finance", "source", "note")},
    [KEYS_ACTUAL_CENSUS] = {"actuals.census", L("census", "ehcps", "source", "note")},
    [KEYS_ACTUAL_FINANCE] = {"actuals.finance", L("fy", "in_year", "cumulative", "status", "source", "note")},
    [KEYS_MONTECARLO] = {"montecarlo",
                         L("count_noise", "balance_by", "deficit_threshold", "rate_uncertainty", "source", "note")},
    [KEYS_CALIBRATION] = {"calibration", L("scenario", "fit", "holdout", "source", "note")},
    [KEYS_AFTER_OVERRIDE] = {"after_override", L("regime", "from", "share", "source", "note")},
    [KEYS_ANCHOR] = {"anchor", L("fy", "in_year", "align", "source", "note")},
    [KEYS_HOLDOUT] = {"calibration.holdout", L("census", "fy", "set", "source", "note")},
    [KEYS_LEAVERS_NEED] = {"leavers.by_need", L("cease_rates", "by_placement", "source", "note")},
    [KEYS_POPULATION] = {"joiners.population_by_age", L("file", "table", "source", "note")},
    [KEYS_NEED_BAND] = {"joiners.need_shares", L("ages", "shares", "source", "note")},
    [KEYS_JOIN_NEED] = {"joiners.by_need", L("first_placement", "source", "note")},
    /* rate uncertainty: the counts rates were estimated from (input/ratecounts.c) */
    [KEYS_RATE_COUNTS] = {"rate_counts", L("prior", "placements", "first_placement", "source", "note")},
    [KEYS_RATE_BAND] = {"rate_counts.placements", L("ages", "at_risk", "left", "to", "source", "note")},
    [KEYS_RATE_FIRST] = {"rate_counts.first_placement", L("ages", "joiners", "to", "source", "note")},
};

const char *const *ld_keys(enum ld_keyset k) { return table[k].keys; }
const char *ld_keyset_name(enum ld_keyset k) { return table[k].name; }

int ld_key_in(const char *const *keys, const char *key)
{
    for (; *keys; keys++)
        if (strcmp(*keys, key) == 0) return 1;
    return 0;
}
