/* test_attribution.c: savings by action (model/attribution.c), read from the
 * results as a user sees them: savings.total.by_year and
 * savings.actions[].by_year (docs/results-format.md).
 *
 * tests/data/iv-attr.json and iv-attr-swapped.json differ only in the order
 * of each scenario's interventions. Their parent, "base": ages 0-1,
 * mainstream / special / NMI at £10,000 / £20,000 / £60,000 in 2025-26
 * (+5% a year), 12 special places overflowing to NMI; census January 2025:
 * age 0: mainstream 10, special 10, NMI 4; age 1: 10, 20, 6. Cease 0.1 at
 * age 0, all at age 1. At age 1, 10% of mainstream pupils move to special
 * and 20% of special pupils to NMI. 10 new plans a year at age 0: 50%
 * mainstream, 35% special, 15% NMI.
 *
 * What must hold (docs/methodology.md, "Savings by action"):
 *  - a saving is the child's in-year position less the parent's;
 *  - the actions' Shapley values add up to it, every year;
 *  - they do not depend on the order the actions are listed in;
 *  - one action alone earns the whole difference;
 *  - an assumption changed outside the actions shows as other_changes;
 *  - beyond 20 actions the split is sampled, the sum still exact.
 * The split against brute force (every subset, every order) is test_shapley.c. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/model.h"

static const char *const FY[3] = {"2025-26", "2026-27", "2027-28"};

static const cJSON *scen(const cJSON *res, const char *name)
{
    const cJSON *sc;
    cJSON_ArrayForEach(sc, cJSON_GetObjectItem(res, "scenarios"))
    {
        const cJSON *n = cJSON_GetObjectItem(sc, "name");
        if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0) return sc;
    }
    fprintf(stderr, "no scenario %s in the results\n", name);
    return NULL;
}

static double in_year(const cJSON *res, const char *name, int k)
{
    const cJSON *y = cJSON_GetArrayItem(cJSON_GetObjectItem(scen(res, name), "years"), k);
    const cJSON *x = cJSON_GetObjectItem(y, "in_year");
    return cJSON_IsNumber(x) ? x->valuedouble : -1e300;
}

static const cJSON *savings(const cJSON *res, const char *name)
{
    return cJSON_GetObjectItem(scen(res, name), "savings");
}

static double by_year(const cJSON *entry, int k)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(entry, "by_year"), FY[k]);
    return cJSON_IsNumber(x) ? x->valuedouble : -1e300;
}

static double total(const cJSON *res, const char *name, int k)
{
    return by_year(cJSON_GetObjectItem(savings(res, name), "total"), k);
}

/* The action called `action` in a scenario's savings, or NULL. */
static const cJSON *action(const cJSON *res, const char *name, const char *action)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItem(savings(res, name), "actions"))
    {
        const cJSON *n = cJSON_GetObjectItem(a, "name");
        if (cJSON_IsString(n) && strcmp(n->valuestring, action) == 0) return a;
    }
    fprintf(stderr, "no action %s in %s\n", action, name);
    return NULL;
}

static cJSON *run_file(const char *path)
{
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_load_file(h, path);
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    if (!rc) rc = hnb_run(h, NULL);
    CHECK(rc == HNB_OK);
    cJSON *res = NULL;
    if (!rc) {
        res = h->results; /* keep the tree; free the rest */
        h->results = NULL;
    }
    hnb_model_free(h);
    return res;
}

/* The total is the difference against the parent; the actions add up to it
 * (within £1) when nothing but actions changed. */
static void check_sums(const cJSON *res, const char *name, int expect_other)
{
    const cJSON *sv = savings(res, name);
    CHECK(sv != NULL);
    if (!sv) return;
    CHECK(strcmp(cJSON_GetObjectItem(sv, "against")->valuestring, "base") == 0);
    const cJSON *other = cJSON_GetObjectItem(sv, "other_changes");
    CHECK((other != NULL) == expect_other);
    for (int k = 0; k < 3; k++) {
        double sum = 0.0;
        const cJSON *a;
        cJSON_ArrayForEach(a, cJSON_GetObjectItem(sv, "actions")) sum += by_year(a, k);
        if (other) sum += by_year(other, k);
        CHECK_NEAR(total(res, name, k), in_year(res, name, k) - in_year(res, "base", k), 1e-6);
        CHECK_NEAR(sum, total(res, name, k), 1.0);
    }
}

/* Seven actions, five of them acting on the same children (places, moves into
 * NMI, fewer new plans, NMI fees, two first-placement shifts), one on money
 * only. Listed in another order, each keeps its value (within £1). */
static void test_order(const cJSON *a, const cJSON *b)
{
    check_sums(a, "plan", 0);
    check_sums(b, "plan", 0);
    static const char *const names[] = {"New special places",    "NMI review at transfer", "Early help",
                                        "NMI fee negotiation",   "Special first",          "Inclusion first",
                                        "Schools Block transfer"};
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(savings(a, "plan"), "actions")) == 7);
    CHECK(strcmp(cJSON_GetObjectItem(savings(a, "plan"), "method")->valuestring, "shapley-exact") == 0);
    double sum_abs = 0.0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const cJSON *x = action(a, "plan", names[i]), *y = action(b, "plan", names[i]);
        CHECK(x && y);
        if (!x || !y) continue;
        for (int k = 0; k < 3; k++) {
            CHECK_NEAR(by_year(x, k), by_year(y, k), 1.0);
            sum_abs += by_year(x, k) > 0 ? by_year(x, k) : -by_year(x, k);
        }
    }
    for (int k = 0; k < 3; k++) CHECK_NEAR(total(a, "plan", k), total(b, "plan", k), 1e-6);
    CHECK(sum_abs > 1e5); /* the actions do save something */
    /* The transfer interacts with nothing: its value is its amount, £300,000
     * in 2025-26 and 2026-27, none in 2027-28. */
    const cJSON *t = action(a, "plan", "Schools Block transfer");
    CHECK_NEAR(by_year(t, 0), 300000.0, 1e-6);
    CHECK_NEAR(by_year(t, 1), 300000.0, 1e-6);
    CHECK_NEAR(by_year(t, 2), 0.0, 1e-6);
}

/* One action: its Shapley value is the plain difference. NMI fees -10% from
 * 1 October 2025 (half of 2025-26). NMI in the parent: census 2025: 10;
 * census 2026: age-1 survivors 0.9 x (10, 10, 4) = (9, 9, 3.6), of whom 0.9
 * move mainstream -> special and 1.8 special -> NMI: NMI 3.6 + 1.8 = 5.4;
 * new plans 1.5 NMI; special 8.1 + 3.5 = 11.6 <= 12 places, so nobody
 * overflows: NMI 6.9. NMI spend 2025-26 (5/12 x 10 + 7/12 x 6.9) x 60,000
 * = 8.191667 x 60,000 = 491,500; the action saves 0.1 x 0.5 of it = 24,575. */
static void test_single(const cJSON *a)
{
    check_sums(a, "plan_one", 0);
    const cJSON *x = action(a, "plan_one", "NMI fee negotiation");
    for (int k = 0; k < 3; k++) {
        CHECK_NEAR(by_year(x, k), in_year(a, "plan_one", k) - in_year(a, "base", k), 1e-6);
        CHECK_NEAR(by_year(x, k), total(a, "plan_one", k), 1e-6);
    }
    CHECK_NEAR(by_year(x, 0), 24575.0, 1e-6);
}

/* Two fee cuts on NMI from 1 April 2025, -10% (A) and -20% (B): together
 * 1 - 0.9 x 0.8 = 28% off NMI spend C, so they interact. With v the saving:
 * v(A) = 0.1C, v(B) = 0.2C, v(AB) = 0.28C.
 *   phi_A = 1/2 [v(A) - 0] + 1/2 [v(AB) - v(B)] = 1/2 (0.1 + 0.08) C = 0.09 C
 *   phi_B = 1/2 [v(B) - 0] + 1/2 [v(AB) - v(A)] = 1/2 (0.2 + 0.18) C = 0.19 C
 * In 2025-26 C = 491,500 (above): A 44,235, B 93,385, total 137,620. */
static void test_two_fees(const cJSON *a, const cJSON *b)
{
    check_sums(a, "two_fees", 0);
    CHECK_NEAR(by_year(action(a, "two_fees", "Fees -10%"), 0), 44235.0, 1e-6);
    CHECK_NEAR(by_year(action(a, "two_fees", "Fees -20%"), 0), 93385.0, 1e-6);
    CHECK_NEAR(total(a, "two_fees", 0), 137620.0, 1e-6);
    /* listed the other way round */
    CHECK_NEAR(by_year(action(b, "two_fees", "Fees -10%"), 0), 44235.0, 1e-6);
    CHECK_NEAR(by_year(action(b, "two_fees", "Fees -20%"), 0), 93385.0, 1e-6);
    /* and in every year the split is 9:19 of the total, the ratio of 0.09C to 0.19C */
    for (int k = 0; k < 3; k++)
        CHECK_NEAR(by_year(action(a, "two_fees", "Fees -10%"), k), total(a, "two_fees", k) * 9.0 / 28.0, 1e-6);
}

/* The child also raises the HNB allocation's growth from 2% to 3%: funding
 * 1,500,000 in 2025-26 either way, then 1,545,000 against 1,530,000 (+15,000)
 * and 1,591,350 against 1,560,600 (+30,750). That is not an action: it is
 * reported as other_changes, and the actions plus it make the total. */
static void test_other_changes(const cJSON *a)
{
    check_sums(a, "plan_other", 1);
    const cJSON *o = cJSON_GetObjectItem(savings(a, "plan_other"), "other_changes");
    CHECK_NEAR(by_year(o, 0), 0.0, 1e-6);
    CHECK_NEAR(by_year(o, 1), 15000.0, 1e-6);
    CHECK_NEAR(by_year(o, 2), 30750.0, 1e-6);
    /* the fee action alone in 2025-26, as in plan_one, is not what it earns here:
     * it shares with "Early help" the children both act on */
    double fee = by_year(action(a, "plan_other", "NMI fee negotiation"), 0);
    CHECK(fee > 0.0 && fee < 24575.0);
}

/* Twenty-one savings on one line (more than the 20 the exact method takes):
 * sampled orders, yet each action's value is exact since none interacts
 * (£1,000 x its number, every year) and the sum is the total, 1+...+21 =
 * 231 thousand. */
static void test_sampled(const cJSON *a, const cJSON *b)
{
    check_sums(a, "many", 0);
    CHECK(strcmp(cJSON_GetObjectItem(savings(a, "many"), "method")->valuestring, "shapley-sampled") == 0);
    for (int i = 1; i <= 21; i++) {
        char name[32];
        snprintf(name, sizeof name, "Saving %d", i);
        for (int k = 0; k < 3; k++) {
            CHECK_NEAR(by_year(action(a, "many", name), k), 1000.0 * i, 1e-6);
            CHECK_NEAR(by_year(action(b, "many", name), k), 1000.0 * i, 1e-6);
        }
    }
    for (int k = 0; k < 3; k++) CHECK_NEAR(total(a, "many", k), 231000.0, 1e-6);
}

/* Twenty-one fee cuts on NMI, -0.5% to -10.5%, which interact (each cuts a price
 * the others have already cut): the split is sampled, over orders drawn from
 * the actions sorted by name, so listing them in another order gives the same
 * figures; the sum is exact. */
static void test_sampled_interacting(const cJSON *a, const cJSON *b)
{
    check_sums(a, "many_fees", 0);
    check_sums(b, "many_fees", 0);
    CHECK(strcmp(cJSON_GetObjectItem(savings(a, "many_fees"), "method")->valuestring, "shapley-sampled") == 0);
    for (int i = 1; i <= 21; i++) {
        char name[32];
        snprintf(name, sizeof name, "Fee cut %02d", i);
        const cJSON *x = action(a, "many_fees", name), *y = action(b, "many_fees", name);
        for (int k = 0; k < 3; k++) {
            CHECK_NEAR(by_year(x, k), by_year(y, k), 1.0);
            CHECK(by_year(x, k) > 0.0);
        }
    }
    for (int k = 0; k < 3; k++) CHECK_NEAR(total(a, "many_fees", k), total(b, "many_fees", k), 1e-6);
}

int main(void)
{
    cJSON *a = run_file("data/iv-attr.json"), *b = run_file("data/iv-attr-swapped.json");
    if (a && b) {
        /* the parent has nothing to attribute */
        CHECK(savings(a, "base") == NULL);
        test_order(a, b);
        test_single(a);
        test_two_fees(a, b);
        test_other_changes(a);
        test_sampled(a, b);
        test_sampled_interacting(a, b);
    }
    cJSON_Delete(a);
    cJSON_Delete(b);
    return check_done();
}
