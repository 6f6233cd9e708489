/* test_interventions.c: every kind of management-plan action on the hand case
 * (tests/data/iv-hand.json), each figure derived by hand in the comment above
 * its check. docs/methodology.md states the rules used here.
 *
 * The parent, "base", is tests/data/hand.json (test_model.c derives it):
 * ages 0-1, special and NMI, census January 2025, 2025-26 to 2027-28.
 *   Census 2025: age 0: special 10, NMI 4; age 1: special 20, NMI 6 (40).
 *   Cease 0.1 at age 0; every plan at age 1 (the last age) ceases.
 *   At age 1, 20% of special pupils move to NMI.
 *   10 new plans a year at age 0: 70% special, 30% NMI.
 *   Unit costs £20,000 / £60,000 in 2025-26, +5% a year
 *     (special 20,000, 21,000, 22,050; NMI 60,000, 63,000, 66,150).
 *   Outreach £100,000 a year; HNB £1,000,000 in 2025-26, +2% a year.
 * Its figures:
 *   Census 2026: age 0: S 7, N 3; age 1: S 7.2, N 5.4  => S 14.2, N 8.4
 *   Census 2027: age 0: S 7, N 3; age 1: S 5.04, N 3.96 => S 12.04, N 6.96
 *   Census 2028: as 2027.
 *   Spend 2025-26: S 415,666.67, N 544,000 (= 9.0667 x 60,000), total 1,059,666.67
 *         2026-27: S 271,740, N 476,280 (= 7.56 x 63,000), total 848,020
 *         2027-28: S 265,482, N 460,404 (= 6.96 x 66,150), total 825,886
 *   In-year -59,666.67, 171,980, 214,514.
 *
 * Dates are months: 1 October is 9/12 of the way through its calendar year,
 * so "from 1 October" is half of a financial year (April-March) and a quarter
 * of a calendar year. Effects on a census step (new plans, ceasing, first
 * placements) take the action's mean over the calendar year of the step;
 * effects on money its mean over the financial year; places count at the
 * census date (1 January) and moves at the transfer (1 September). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/dates.h"
#include "core/model.h"
#include "engine/project.h"
#include "core/scenario.h"

static const cJSON *results;

static const cJSON *scen(const char *name)
{
    const cJSON *sc;
    cJSON_ArrayForEach(sc, cJSON_GetObjectItem(results, "scenarios"))
    {
        const cJSON *n = cJSON_GetObjectItem(sc, "name");
        if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0) return sc;
    }
    fprintf(stderr, "no scenario %s in the results\n", name);
    return NULL;
}

/* A figure of years[k] by a dotted path ("spend.by_line.nmi"); a huge
 * negative number when missing, so that a check fails rather than crashes. */
static double fig(const char *name, int k, const char *path)
{
    const cJSON *x = cJSON_GetArrayItem(cJSON_GetObjectItem(scen(name), "years"), k);
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *tok = strtok(buf, "."); tok && x; tok = strtok(NULL, ".")) x = cJSON_GetObjectItemCaseSensitive(x, tok);
    return cJSON_IsNumber(x) ? x->valuedouble : -1e300;
}

/* savings.total.by_year[fy] */
static double saving(const char *name, const char *fy)
{
    const cJSON *t = cJSON_GetObjectItem(cJSON_GetObjectItem(scen(name), "savings"), "total");
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(t, "by_year"), fy);
    return cJSON_IsNumber(x) ? x->valuedouble : -1e300;
}

static const char *const FY[3] = {"2025-26", "2026-27", "2027-28"};

/* The change in in-year position against the parent, per year, is the
 * reported total saving: check both, so that the model and the results agree. */
static void check_saving(const char *name, const char *parent, int k, double want)
{
    CHECK_NEAR(saving(name, FY[k]), want, 1e-6);
    CHECK_NEAR(fig(name, k, "in_year") - fig(parent, k, "in_year"), want, 1e-6);
}

/* reduce_joiners: new plans scaled by 1 - share x (the ramp's mean over the
 * calendar year of the step). */
static void test_reduce_joiners(void)
{
    /* 20% from 1 July 2025, no ramp: half of calendar 2025, so 10 x (1 - 0.2 x 0.5) = 9
     * in the step to January 2026, then 10 x 0.8 = 8. */
    CHECK_NEAR(fig("joiners_mid", 0, "joiners"), 9.0, 1e-12);
    CHECK_NEAR(fig("joiners_mid", 1, "joiners"), 8.0, 1e-12);
    CHECK_NEAR(fig("joiners_mid", 2, "joiners"), 8.0, 1e-12);
    /* Census 2026: age 0 S 6.3, N 2.7 (70/30 of 9) with age 1 unchanged (S 7.2, N 5.4):
     * S 13.5, N 8.1. Census 2027: age 1 = 0.9 x (6.3, 2.7) = (5.67, 2.43), of whom
     * 20% of 5.67 = 1.134 move to NMI: S 4.536, N 3.564; age 0 S 5.6, N 2.4:
     * S 10.136, N 5.964. */
    CHECK_NEAR(fig("joiners_mid", 0, "ehcps.by_placement.special"), 13.5, 1e-9);
    CHECK_NEAR(fig("joiners_mid", 0, "ehcps.by_placement.nmi"), 8.1, 1e-9);
    CHECK_NEAR(fig("joiners_mid", 1, "ehcps.by_placement.special"), 10.136, 1e-9);
    CHECK_NEAR(fig("joiners_mid", 1, "ehcps.by_placement.nmi"), 5.964, 1e-9);
    /* 2025-26: one plan fewer at census 2026 (0.7 special, 0.3 NMI), weighted 7/12:
     * 7/12 x (0.7 x 20,000 + 0.3 x 60,000) = 7/12 x 32,000 = 18,666.67;
     * in-year -59,666.67 + 18,666.67 = -41,000. */
    check_saving("joiners_mid", "base", 0, 7.0 / 12.0 * 32000.0);
    CHECK_NEAR(fig("joiners_mid", 0, "in_year"), -41000.0, 1e-6);

    /* From 1 January 2025 over 24 months: the ramp t/24 has mean 6/24 = 0.25 over
     * 2025 and 18/24 = 0.75 over 2026, full from 2027: 10 x (1 - 0.2 x 0.25) = 9.5,
     * 10 x (1 - 0.2 x 0.75) = 8.5, then 8. */
    CHECK_NEAR(fig("joiners_ramp", 0, "joiners"), 9.5, 1e-12);
    CHECK_NEAR(fig("joiners_ramp", 1, "joiners"), 8.5, 1e-12);
    CHECK_NEAR(fig("joiners_ramp", 2, "joiners"), 8.0, 1e-12);
    /* 2025-26: half a plan fewer, 7/12 x 0.5 x 32,000 = 9,333.33. */
    check_saving("joiners_ramp", "base", 0, 7.0 / 12.0 * 0.5 * 32000.0);

    /* Two 10% reductions combine multiplicatively: 10 x 0.9 x 0.9 = 8.1, not 8. */
    for (int k = 0; k < 3; k++) CHECK_NEAR(fig("joiners_two", k, "joiners"), 8.1, 1e-12);
}

/* add_capacity: places added at the census date, ramped; here on a parent
 * ("capped") that has 12 special places and overflows to NMI. */
static void test_add_capacity(void)
{
    /* The parent. Step to 2026: special has 7.2 stayers (age 1) and 7 arrivals
     * (joiners); 12 places admit 4.8, 2.2 go to NMI: S 12, N 10.6, overflow 2.2.
     * Step to 2027: age 1 = 0.9 x (4.8, 5.2) = (4.32, 4.68), 0.864 move: S 3.456;
     * with 7 joiners special holds 10.456 <= 12: no overflow; N 8.544.
     * Step to 2028: age 1 = 0.9 x (7, 3) -> S 5.04 after moves, + 7 arrivals = 12.04:
     * 6.96 admitted, 0.04 overflow: S 12, N 7. */
    CHECK_NEAR(fig("capped", 0, "overflow"), 2.2, 1e-9);
    CHECK_NEAR(fig("capped", 0, "ehcps.by_placement.special"), 12.0, 1e-9);
    CHECK_NEAR(fig("capped", 0, "ehcps.by_placement.nmi"), 10.6, 1e-9);
    CHECK_NEAR(fig("capped", 1, "ehcps.by_placement.special"), 10.456, 1e-9);
    CHECK_NEAR(fig("capped", 1, "overflow"), 0.0, 1e-12);
    CHECK_NEAR(fig("capped", 2, "overflow"), 0.04, 1e-9);
    CHECK_NEAR(fig("capped", 2, "ehcps.by_placement.nmi"), 7.0, 1e-9);

    /* +4 places from 1 July 2025 over 12 months: at the census of 1 January 2026
     * the ramp is at 6/12, so 2 places (14 in all); 4 from 2027 (16).
     * Step to 2026: 14 - 7.2 = 6.8 admitted, 0.2 overflow: S 14, N 8.6.
     * Step to 2027: age 1 = 0.9 x (6.8, 3.2) = (6.12, 2.88), 1.224 move: S 4.896,
     * N 4.104; + joiners S 7, N 3: S 11.896, N 7.104, no overflow.
     * Step to 2028: as the uncapped base (12.04 <= 16): S 12.04, N 6.96. */
    CHECK_NEAR(fig("capped_plus", 0, "overflow"), 0.2, 1e-9);
    CHECK_NEAR(fig("capped_plus", 0, "ehcps.by_placement.special"), 14.0, 1e-9);
    CHECK_NEAR(fig("capped_plus", 1, "ehcps.by_placement.special"), 11.896, 1e-9);
    CHECK_NEAR(fig("capped_plus", 2, "ehcps.by_placement.special"), 12.04, 1e-9);
    /* Each child kept out of NMI saves the difference in unit costs
     * (40,000, 42,000, 44,100); extra special pupils at the censuses: +2, +1.44, +0.04.
     * 2025-26: 7/12 x 2 x 40,000 = 46,666.67
     * 2026-27: (5/12 x 2 + 7/12 x 1.44) x 42,000 = 35,000 + 35,280 = 70,280
     * 2027-28: (5/12 x 1.44 + 7/12 x 0.04) x 44,100 = 26,460 + 1,029 = 27,489 */
    check_saving("capped_plus", "capped", 0, 7.0 / 12.0 * 2.0 * 40000.0);
    check_saving("capped_plus", "capped", 1, 70280.0);
    check_saving("capped_plus", "capped", 2, 27489.0);
}

/* shift_first_placement: a share of new plans' first placements moves. */
static void test_shift_first(void)
{
    /* Half of NMI first placements to special from 1 October 2025: a quarter of
     * calendar 2025, so 0.3 x 0.5 x 0.25 = 0.0375 moves: S 0.7375, N 0.2625 of 10.
     * Census 2026: S 7.375 + 7.2 = 14.575, N 2.625 + 5.4 = 8.025.
     * 2026 in full: S 0.85, N 0.15. Census 2027: age 1 = 0.9 x (7.375, 2.625)
     * = (6.6375, 2.3625), 1.3275 move: S 5.31, N 3.69; age 0 S 8.5, N 1.5:
     * S 13.81, N 5.19. */
    CHECK_NEAR(fig("shift", 0, "ehcps.by_placement.special"), 14.575, 1e-9);
    CHECK_NEAR(fig("shift", 0, "ehcps.by_placement.nmi"), 8.025, 1e-9);
    CHECK_NEAR(fig("shift", 1, "ehcps.by_placement.special"), 13.81, 1e-9);
    CHECK_NEAR(fig("shift", 1, "ehcps.by_placement.nmi"), 5.19, 1e-9);
    /* 2025-26: 0.375 children in special instead of NMI at census 2026:
     * 7/12 x 0.375 x 40,000 = 8,750. */
    check_saving("shift", "base", 0, 8750.0);
}

/* Shifts act together on the stated shares, so the order they are listed in
 * does not matter (tests/data/iv-attr.json, "plan": mainstream 0.5,
 * special 0.35, NMI 0.15; "Special first" moves half of NMI to special,
 * "Inclusion first" 20% of special to mainstream, both from 1 April 2025). */
static void test_shift_order(void)
{
    const char *files[2] = {"data/iv-attr.json", "data/iv-attr-swapped.json"};
    for (int f = 0; f < 2; f++) {
        hnb_model *h = hnb_model_alloc();
        CHECK(hnb_load_file(h, files[f]) == HNB_OK);
        const scenario *s = NULL;
        for (size_t i = 0; i < h->nscen; i++)
            if (strcmp(h->scen[i]->name, "plan") == 0) s = h->scen[i];
        CHECK(s != NULL);
        if (!s) {
            hnb_model_free(h);
            continue;
        }
        ivstate *ivs = calloc(s->niv, sizeof *ivs);
        ivstate_default(s, ivs);
        double sh[3];
        /* 2026 in full: NMI loses 0.15 x 0.5 = 0.075, special 0.35 x 0.2 = 0.07:
         * mainstream 0.57, special 0.35 - 0.07 + 0.075 = 0.355, NMI 0.075.
         * (One after the other they would give special 0.34 or 0.355.) */
        sh[0] = 0.5, sh[1] = 0.35, sh[2] = 0.15;
        iv_shift_first(s, s->val, ivs, 2026, sh);
        CHECK_NEAR(sh[0], 0.57, 1e-12);
        CHECK_NEAR(sh[1], 0.355, 1e-12);
        CHECK_NEAR(sh[2], 0.075, 1e-12);
        /* 2025: from 1 April, 9 months of 12, mean 0.75: sizes 0.375 and 0.15;
         * NMI loses 0.05625, special 0.0525: mainstream 0.5525, special 0.35375, NMI 0.09375. */
        sh[0] = 0.5, sh[1] = 0.35, sh[2] = 0.15;
        iv_shift_first(s, s->val, ivs, 2025, sh);
        CHECK_NEAR(sh[0], 0.5525, 1e-12);
        CHECK_NEAR(sh[1], 0.35375, 1e-12);
        CHECK_NEAR(sh[2], 0.09375, 1e-12);
        free(ivs);
        hnb_model_free(h);
    }
}

/* unit_cost: the unit cost times 1 + change x (the ramp's mean over the
 * financial year); the price change carries on into later years. */
static void test_unit_cost(void)
{
    /* NMI -10% from 1 October 2025: half of 2025-26, factor 1 - 0.1 x 0.5 = 0.95:
     * 57,000; then 0.9 x 63,000 = 56,700 and 0.9 x 66,150 = 59,535. */
    CHECK_NEAR(fig("fees", 0, "unit_costs.nmi"), 57000.0, 1e-9);
    CHECK_NEAR(fig("fees", 1, "unit_costs.nmi"), 56700.0, 1e-9);
    CHECK_NEAR(fig("fees", 2, "unit_costs.nmi"), 59535.0, 1e-9);
    CHECK_NEAR(fig("fees", 0, "unit_costs.special"), 20000.0, 1e-9);
    /* Spend: 9.0667 x 57,000 = 516,800 (saving 27,200, half of 10% of 544,000);
     * 7.56 x 56,700 = 428,652 (saving 47,628); 6.96 x 59,535 = 414,363.60 (46,040.40). */
    CHECK_NEAR(fig("fees", 0, "spend.by_line.nmi"), 516800.0, 1e-6);
    CHECK_NEAR(fig("fees", 1, "spend.by_line.nmi"), 428652.0, 1e-6);
    check_saving("fees", "base", 0, 27200.0);
    check_saving("fees", "base", 1, 47628.0);
    check_saving("fees", "base", 2, 46040.4);

    /* From 1 April 2025 over 24 months: mean 0.25 over 2025-26 (factor 0.975:
     * 58,500), 0.75 over 2026-27 (0.925 x 63,000 = 58,275), then 0.9 x 66,150 = 59,535. */
    CHECK_NEAR(fig("fees_ramp", 0, "unit_costs.nmi"), 58500.0, 1e-9);
    CHECK_NEAR(fig("fees_ramp", 1, "unit_costs.nmi"), 58275.0, 1e-9);
    CHECK_NEAR(fig("fees_ramp", 2, "unit_costs.nmi"), 59535.0, 1e-9);
}

/* uplift_freeze: no inflation in the year named; the lower level carries on. */
static void test_uplift_freeze(void)
{
    /* NMI frozen in 2026-27: 60,000, 60,000, then 60,000 x 1.05 = 63,000; special as before. */
    CHECK_NEAR(fig("freeze", 0, "unit_costs.nmi"), 60000.0, 1e-9);
    CHECK_NEAR(fig("freeze", 1, "unit_costs.nmi"), 60000.0, 1e-9);
    CHECK_NEAR(fig("freeze", 2, "unit_costs.nmi"), 63000.0, 1e-9);
    CHECK_NEAR(fig("freeze", 1, "unit_costs.special"), 21000.0, 1e-9);
    /* NMI spend 7.56 x 60,000 = 453,600 (saving 22,680) and 6.96 x 63,000 = 438,480 (21,924). */
    CHECK_NEAR(fig("freeze", 1, "spend.by_line.nmi"), 453600.0, 1e-6);
    check_saving("freeze", "base", 0, 0.0);
    check_saving("freeze", "base", 1, 22680.0);
    check_saving("freeze", "base", 2, 21924.0);
    /* Without a placement, every placement: special 20,000, 20,000, 21,000. */
    CHECK_NEAR(fig("freeze_all", 1, "unit_costs.special"), 20000.0, 1e-9);
    CHECK_NEAR(fig("freeze_all", 2, "unit_costs.special"), 21000.0, 1e-9);
    CHECK_NEAR(fig("freeze_all", 2, "unit_costs.nmi"), 63000.0, 1e-9);
}

/* block_transfer and dfe_contribution: £ a year into a funding line, in full
 * for each financial year from the one the start falls in to "until". */
static void test_funding(void)
{
    /* £500,000 from 1 October 2025 (inside 2025-26) until 2026-27: 500,000 in
     * 2025-26 and 2026-27 (a transfer is agreed per year, not pro-rated), none after. */
    CHECK_NEAR(fig("transfer", 0, "funding.by_line.block_transfer"), 500000.0, 1e-9);
    CHECK_NEAR(fig("transfer", 1, "funding.by_line.block_transfer"), 500000.0, 1e-9);
    CHECK_NEAR(fig("transfer", 2, "funding.by_line.block_transfer"), 0.0, 1e-9);
    CHECK_NEAR(fig("transfer", 0, "funding.total"), 1500000.0, 1e-9);
    /* In-year -59,666.67 + 500,000 = 440,333.33. */
    CHECK_NEAR(fig("transfer", 0, "in_year"), 440333.0 + 1.0 / 3.0, 1e-6);
    check_saving("transfer", "base", 2, 0.0);
    /* £1m from 1 June 2026 with no "until": 2026-27 only. */
    CHECK_NEAR(fig("safety_valve", 0, "funding.by_line.dfe_contribution"), 0.0, 1e-9);
    CHECK_NEAR(fig("safety_valve", 1, "funding.by_line.dfe_contribution"), 1000000.0, 1e-9);
    CHECK_NEAR(fig("safety_valve", 2, "funding.by_line.dfe_contribution"), 0.0, 1e-9);
    check_saving("safety_valve", "base", 1, 1000000.0);
}

/* earlier_ceasing: of the plans at or above from_age that would continue, a
 * share x (mean over the calendar year) ceases too. */
static void test_earlier_ceasing(void)
{
    /* Half from age 0, from 1 July 2025: 0.5 x 0.5 = 0.25 in 2025, so the age-0
     * rate 0.1 becomes 1 - 0.9 x 0.75 = 0.325. Leavers 14 x 0.325 + 26 = 30.55.
     * Age 1 at 2026: 0.675 x (10, 4) = (6.75, 2.7), 1.35 move: S 5.4, N 4.05;
     * + joiners: S 12.4, N 7.05. */
    CHECK_NEAR(fig("ceasing", 0, "leavers"), 30.55, 1e-9);
    CHECK_NEAR(fig("ceasing", 0, "ehcps.by_placement.special"), 12.4, 1e-9);
    CHECK_NEAR(fig("ceasing", 0, "ehcps.by_placement.nmi"), 7.05, 1e-9);
    /* 2026 in full: rate 1 - 0.9 x 0.5 = 0.55. Leavers 10 x 0.55 + 9.45 (all of age 1)
     * = 14.95; age 1 at 2027: 0.45 x (7, 3) = (3.15, 1.35), 0.63 move: S 2.52, N 1.98;
     * + joiners: S 9.52, N 4.98. */
    CHECK_NEAR(fig("ceasing", 1, "leavers"), 14.95, 1e-9);
    CHECK_NEAR(fig("ceasing", 1, "ehcps.by_placement.special"), 9.52, 1e-9);
    CHECK_NEAR(fig("ceasing", 1, "ehcps.by_placement.nmi"), 4.98, 1e-9);
}

/* reduce_moves: moves into a placement at the ages named are cut by share x
 * (the ramp's value at 1 September, the transfer); those kept stay put. */
static void test_reduce_moves(void)
{
    /* Half of the moves into NMI at age 1, from 1 March 2025 over 12 months: at
     * 1 September 2025 the ramp is at 6/12, so the move rate 0.2 becomes
     * 0.2 x (1 - 0.5 x 0.5) = 0.15: of 9, 1.35 move: age 1 S 7.65, N 4.95;
     * census 2026: S 14.65, N 7.95. At 1 September 2026 in full: 0.1 of 6.3 = 0.63:
     * S 5.67 + 7 = 12.67, N 3.33 + 3 = 6.33. */
    CHECK_NEAR(fig("moves_ramp", 0, "ehcps.by_placement.special"), 14.65, 1e-9);
    CHECK_NEAR(fig("moves_ramp", 0, "ehcps.by_placement.nmi"), 7.95, 1e-9);
    CHECK_NEAR(fig("moves_ramp", 1, "ehcps.by_placement.special"), 12.67, 1e-9);
    CHECK_NEAR(fig("moves_ramp", 1, "ehcps.by_placement.nmi"), 6.33, 1e-9);
    /* 2025-26: 0.45 children out of NMI at census 2026: 7/12 x 0.45 x 40,000 = 10,500. */
    check_saving("moves_ramp", "base", 0, 10500.0);
    /* From 2 September 2025: misses the 2025 transfer entirely (census 2026 as the
     * base), in full at the 2026 one (census 2027 as above). */
    CHECK_NEAR(fig("moves_late", 0, "ehcps.by_placement.nmi"), 8.4, 1e-9);
    CHECK_NEAR(fig("moves_late", 1, "ehcps.by_placement.nmi"), 6.33, 1e-9);
    check_saving("moves_late", "base", 0, 0.0);
}

/* spend_saving: £ a year off a spend line, times the ramp's mean over the
 * financial year. */
static void test_spend_saving(void)
{
    /* £40,000 off outreach from 1 October 2025: 20,000 in 2025-26 (6/12), then 40,000. */
    CHECK_NEAR(fig("outreach_saving", 0, "spend.by_line.outreach"), 80000.0, 1e-9);
    CHECK_NEAR(fig("outreach_saving", 1, "spend.by_line.outreach"), 60000.0, 1e-9);
    check_saving("outreach_saving", "base", 0, 20000.0);
    check_saving("outreach_saving", "base", 2, 40000.0);
    /* £12,000 off NMI from 1 April 2025 over 24 months: means 0.25, 0.75, 1:
     * 3,000, 9,000, 12,000 off 544,000, 476,280, 460,404. */
    CHECK_NEAR(fig("nmi_saving", 0, "spend.by_line.nmi"), 541000.0, 1e-6);
    CHECK_NEAR(fig("nmi_saving", 1, "spend.by_line.nmi"), 467280.0, 1e-6);
    CHECK_NEAR(fig("nmi_saving", 2, "spend.by_line.nmi"), 448404.0, 1e-6);
}

/* The compiled plan's unit cost of placement p in financial year fy, and
 * the fee actions' factor behind it. */
static double plan_unit_cost(const scenario *s, const ivstate *st, int p, int fy, double *factor)
{
    plan pl;
    double x = -1.0;
    if (plan_alloc(s, &pl)) return x;
    if (plan_compile(s, s->val, st, &pl) == 0 && fy >= s->first_fy && fy <= s->last_fy) {
        size_t i = (size_t)(fy - s->first_fy) * (size_t)s->nplace + (size_t)p;
        x = pl.unit_cost[i];
        if (factor) *factor = pl.cost_factor[i];
    }
    plan_free(&pl);
    return x;
}

/* The parts directly: an action that is off does nothing, and a delayed start
 * (Monte Carlo's delay_months) moves the ramp. */
static void test_ivstate(hnb_model *h)
{
    const scenario *s = NULL;
    for (size_t i = 0; i < h->nscen; i++)
        if (strcmp(h->scen[i]->name, "fees") == 0) s = h->scen[i];
    CHECK(s != NULL && s->niv == 1);
    if (!s || s->niv != 1) return;
    int nmi = scenario_placement(s, "nmi");
    ivstate st;
    ivstate_default(s, &st);
    CHECK_NEAR(plan_unit_cost(s, &st, nmi, 2025, NULL), 57000.0, 1e-9);
    /* Three months late (1 January 2026): a quarter of 2025-26: 60,000 x (1 - 0.1 x 0.25) = 58,500. */
    st.start += 3.0;
    CHECK_NEAR(plan_unit_cost(s, &st, nmi, 2025, NULL), 58500.0, 1e-9);
    st.on = 0;
    CHECK_NEAR(plan_unit_cost(s, &st, nmi, 2025, NULL), 60000.0, 1e-9);
    double f = -1.0;
    plan_unit_cost(s, &st, nmi, 2026, &f);
    CHECK_NEAR(f, 1.0, 0);
    /* The date arithmetic behind all of the above. */
    hnb_date d = {2025, 10, 1};
    CHECK_NEAR(ramp_mean(date_months(d), 0, fy_start_months(2025), fy_start_months(2026)), 0.5, 1e-12);
    CHECK_NEAR(ramp_mean(date_months(d), 0, census_months(2025), census_months(2026)), 0.25, 1e-12);
    CHECK_NEAR(ramp_at(date_months(d), 12, census_months(2026)), 0.25, 1e-12);
}

int main(void)
{
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_load_file(h, "data/iv-hand.json");
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    CHECK(rc == HNB_OK);
    if (!rc) rc = hnb_run(h, NULL);
    CHECK(rc == HNB_OK);
    if (!rc) {
        results = h->results;
        /* the parent is the hand case */
        CHECK_NEAR(fig("base", 0, "in_year"), -59666.0 - 2.0 / 3.0, 1e-6);
        CHECK_NEAR(fig("base", 2, "spend.by_line.nmi"), 460404.0, 1e-6);
        test_reduce_joiners();
        test_add_capacity();
        test_shift_first();
        test_unit_cost();
        test_uplift_freeze();
        test_funding();
        test_earlier_ceasing();
        test_reduce_moves();
        test_spend_saving();
        test_ivstate(h);
    }
    test_shift_order();
    hnb_model_free(h);
    return check_done();
}
