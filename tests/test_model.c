/* test_model.c: the cohort model and its money on a case small enough to do
 * on paper (tests/data/hand.json: ages 0-1, special and NMI, 2025-26 to
 * 2027-28). Every expected figure below is derived in the comment above it.
 *
 * Census January 2025: age 0: special 10, NMI 4; age 1: special 20, NMI 6 (40).
 * Cease rates 0.1 at age 0; age 1 is the last age, so all its plans cease.
 * At age 1, 20% of special pupils move to NMI. 10 new plans a year, all age 0,
 * 70% special, 30% NMI. Unit costs £20,000 / £60,000 in 2025-26, +5% a year.
 * Outreach £100,000 a year. HNB £1,000,000 in 2025-26, +2% a year. Opening
 * balance -£100,000; interest 5% on the average deficit. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/model.h"
#include "engine/project.h"
#include "core/scenario.h"

static const cJSON *year(const cJSON *sc, int k) { return cJSON_GetArrayItem(cJSON_GetObjectItem(sc, "years"), k); }
static double num(const cJSON *o, const char *a, const char *b, const char *c)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
    if (b) x = cJSON_GetObjectItemCaseSensitive(x, b);
    if (c) x = cJSON_GetObjectItemCaseSensitive(x, c);
    return cJSON_IsNumber(x) ? x->valuedouble : -1e300;
}

static void test_parts(hnb_model *h)
{
    const scenario *s = h->scen[0];
    workspace w;
    CHECK(workspace_alloc(s, &w) == 0);
    ivstate *ivs = calloc(1, sizeof *ivs);
    double *now = calloc(w.cells, sizeof(double)), *next = calloc(w.cells, sizeof(double));
    /* cells [age][need][placement]: special = 0, nmi = 1 */
    now[cell(s, 0, 0, 0)] = 10;
    now[cell(s, 0, 0, 1)] = 4;
    now[cell(s, 1, 0, 0)] = 20;
    now[cell(s, 1, 0, 1)] = 6;

    /* Leavers alone: 0.1 x 14 at age 0 + all 26 at age 1 = 27.4; survivors at
     * age 1: special 9, NMI 3.6; nobody at age 0. */
    CHECK(plan_compile(s, s->val, ivs, &w.plan) == 0);
    const int k = 2025 - s->census0;
    double surv = 0.0, left = cohort_leave_and_age(&w.plan, k, now, next, &surv, &w);
    CHECK_NEAR(surv, 12.6, 1e-12);
    CHECK_NEAR(left, 27.4, 1e-12);
    CHECK_NEAR(next[cell(s, 1, 0, 0)], 9.0, 1e-12);
    CHECK_NEAR(next[cell(s, 1, 0, 1)], 3.6, 1e-12);
    CHECK_NEAR(next[cell(s, 0, 0, 0)] + next[cell(s, 0, 0, 1)], 0.0, 0);

    /* Moves alone: 20% of 9 = 1.8 move to NMI: special 7.2, NMI 5.4, arrivals 1.8 in NMI. */
    cohort_move(&w.plan, k, next, w.arrive, &w);
    CHECK_NEAR(next[cell(s, 1, 0, 0)], 7.2, 1e-12);
    CHECK_NEAR(next[cell(s, 1, 0, 1)], 5.4, 1e-12);
    CHECK_NEAR(w.arrive[cell(s, 1, 0, 1)], 1.8, 1e-12);
    CHECK_NEAR(w.arrive[cell(s, 1, 0, 0)], 0.0, 0);

    /* Joiners alone: 10 at age 0, 7 special and 3 NMI. */
    double j = joiners_add(&w.plan, k, now, 12.6, next, w.arrive, &w);
    CHECK_NEAR(j, 10.0, 1e-12);
    CHECK_NEAR(next[cell(s, 0, 0, 0)], 7.0, 1e-12);
    CHECK_NEAR(next[cell(s, 0, 0, 1)], 3.0, 1e-12);

    /* No capacity set: nothing overflows. */
    CHECK_NEAR(capacity_apply(&w.plan, k, next, w.arrive), 0.0, 0);
    free(now);
    free(next);
    free(ivs);
    workspace_free(&w);
}

static void test_whole_run(hnb_model *h)
{
    CHECK(hnb_run(h, NULL) == HNB_OK);
    const cJSON *sc = cJSON_GetArrayItem(cJSON_GetObjectItem(h->results, "scenarios"), 0);
    /* Census 2026: age 0: 7 + 3; age 1: 7.2 + 5.4 => special 14.2, NMI 8.4, 22.6 = 40 - 27.4 + 10. */
    CHECK_NEAR(num(year(sc, 0), "ehcps", "by_placement", "special"), 14.2, 1e-9);
    CHECK_NEAR(num(year(sc, 0), "ehcps", "by_placement", "nmi"), 8.4, 1e-9);
    CHECK_NEAR(num(year(sc, 0), "ehcps", "total", NULL), 22.6, 1e-9);
    CHECK_NEAR(num(year(sc, 0), "leavers", NULL, NULL), 27.4, 1e-9);
    CHECK_NEAR(num(year(sc, 0), "joiners", NULL, NULL), 10.0, 1e-9);
    /* Census 2027: leavers 0.1 x 10 + 12.6 = 13.6; age 1 survivors 6.3 special
     * (of which 1.26 move) and 2.7 NMI: special 7 + 5.04 = 12.04, NMI 3 + 3.96 = 6.96. */
    CHECK_NEAR(num(year(sc, 1), "ehcps", "by_placement", "special"), 12.04, 1e-9);
    CHECK_NEAR(num(year(sc, 1), "ehcps", "by_placement", "nmi"), 6.96, 1e-9);
    CHECK_NEAR(num(year(sc, 1), "leavers", NULL, NULL), 13.6, 1e-9);
    /* Census 2028 repeats 2027 (a steady state): 19.0. */
    CHECK_NEAR(num(year(sc, 2), "ehcps", "total", NULL), 19.0, 1e-9);

    /* 2025-26 spend: special (5/12 x 30 + 7/12 x 14.2) x 20,000 = 415,666.67;
     * NMI (5/12 x 10 + 7/12 x 8.4) x 60,000 = 544,000; outreach 100,000.
     * Total 1,059,666.67 against funding 1,000,000: in-year -59,666.67,
     * cumulative -159,666.67, interest 5% x (100,000 + 159,666.67) / 2 = 6,491.67. */
    CHECK_NEAR(num(year(sc, 0), "spend", "by_line", "special"), 415666.0 + 2.0 / 3.0, 1e-6);
    CHECK_NEAR(num(year(sc, 0), "spend", "by_line", "nmi"), 544000.0, 1e-6);
    CHECK_NEAR(num(year(sc, 0), "spend", "total", NULL), 1059666.0 + 2.0 / 3.0, 1e-6);
    CHECK_NEAR(num(year(sc, 0), "in_year", NULL, NULL), -59666.0 - 2.0 / 3.0, 1e-6);
    CHECK_NEAR(num(year(sc, 0), "cumulative", NULL, NULL), -159666.0 - 2.0 / 3.0, 1e-6);
    CHECK_NEAR(num(year(sc, 0), "interest", NULL, NULL), 0.05 * (100000.0 + 159666.0 + 2.0 / 3.0) / 2.0, 1e-6);
    /* 2026-27: unit costs 21,000 and 63,000. Special (5/12 x 14.2 + 7/12 x 12.04) x 21,000
     * = 12.94 x 21,000 = 271,740; NMI (5/12 x 8.4 + 7/12 x 6.96) x 63,000 = 7.56 x 63,000
     * = 476,280; spend 848,020; funding 1,020,000; in-year +171,980;
     * cumulative -159,666.67 + 171,980 = +12,313.33. */
    CHECK_NEAR(num(year(sc, 1), "unit_costs", "special", NULL), 21000.0, 1e-9);
    CHECK_NEAR(num(year(sc, 1), "spend", "by_line", "special"), 271740.0, 1e-6);
    CHECK_NEAR(num(year(sc, 1), "spend", "by_line", "nmi"), 476280.0, 1e-6);
    CHECK_NEAR(num(year(sc, 1), "funding", "total", NULL), 1020000.0, 1e-6);
    CHECK_NEAR(num(year(sc, 1), "in_year", NULL, NULL), 171980.0, 1e-6);
    CHECK_NEAR(num(year(sc, 1), "cumulative", NULL, NULL), 12313.0 + 1.0 / 3.0, 1e-6);

    /* Headline: override ends 31 March 2027 (end of 2026-27): +12,313.33;
     * first in-year balance 2026-27; peak deficit -159,666.67 in 2025-26. */
    const cJSON *hl = cJSON_GetObjectItem(sc, "headline");
    CHECK_NEAR(num(hl, "cumulative_at_override_end", NULL, NULL), 12313.0 + 1.0 / 3.0, 1e-6);
    CHECK(strcmp(cJSON_GetObjectItem(hl, "first_balanced_fy")->valuestring, "2026-27") == 0);
    CHECK(strcmp(cJSON_GetObjectItem(hl, "peak_deficit_fy")->valuestring, "2025-26") == 0);
    CHECK_NEAR(num(hl, "peak_deficit", NULL, NULL), -159666.0 - 2.0 / 3.0, 1e-6);
}

/* Invariants every year: conservation, the balance identities, no negatives. */
static void test_invariants(hnb_model *h)
{
    const cJSON *sc = cJSON_GetArrayItem(cJSON_GetObjectItem(h->results, "scenarios"), 0);
    double prev_total = 40.0, prev_cum = -100000.0;
    for (const cJSON *y = cJSON_GetObjectItem(sc, "years")->child; y; y = y->next) {
        double total = num(y, "ehcps", "total", NULL);
        CHECK_NEAR(total, prev_total - num(y, "leavers", NULL, NULL) + num(y, "joiners", NULL, NULL), 1e-9);
        double sum = 0;
        for (const cJSON *p = cJSON_GetObjectItem(cJSON_GetObjectItem(y, "ehcps"), "by_placement")->child; p;
             p = p->next) {
            CHECK(p->valuedouble >= 0.0);
            sum += p->valuedouble;
        }
        CHECK_NEAR(sum, total, 1e-9);
        CHECK_NEAR(num(y, "in_year", NULL, NULL), num(y, "funding", "total", NULL) - num(y, "spend", "total", NULL),
                   1e-6);
        CHECK_NEAR(num(y, "cumulative", NULL, NULL), prev_cum + num(y, "in_year", NULL, NULL), 1e-6);
        prev_total = total;
        prev_cum = num(y, "cumulative", NULL, NULL);
    }
}

int main(void)
{
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_load_file(h, "data/hand.json");
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    CHECK(rc == HNB_OK);
    if (!rc) {
        test_parts(h);
        test_whole_run(h);
        test_invariants(h);
    }
    hnb_model_free(h);
    return check_done();
}
