/* test_capacity.c: in-borough places, the fallback chain and backfill
 * (model/capacity.c), each figure derived by hand in the comment above it.
 *
 * Rules (docs/methodology.md): children already in a placement keep their
 * place, even over capacity; arrivals (new plans and moves in) are admitted
 * while places remain and the rest, in proportion across ages and needs, go
 * to the placement's overflow_to; placements deeper in a chain are settled
 * first. Then a placement with backfill fills its spare places from another
 * placement's children at the ages named. Capacity moves children between
 * placements; it never creates, removes or re-ages one.
 *
 * tests/data/cap-chain.json: ages 0-3, needs a and b, base (5 places) ->
 * special (9 places; 7 from 1 September 2027) -> NMI; special backfills from
 * NMI at age 1. tests/data/cap-hand.json: the hand case of test_model.c with
 * 10 special places, overflow to NMI and backfill from NMI at every age. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/model.h"
#include "input/params.h"
#include "engine/project.h"
#include "core/scenario.h"

enum { BASE = 0, SPECIAL = 1, NMI = 2, NA = 0, NB = 1 };

static const scenario *find(hnb_model *h, const char *name)
{
    for (size_t i = 0; i < h->nscen; i++)
        if (strcmp(h->scen[i]->name, name) == 0) return h->scen[i];
    fprintf(stderr, "no scenario %s\n", name);
    return NULL;
}

static double placed(const scenario *s, const double *x, int p)
{
    double t = 0.0;
    for (int a = 0; a < s->nages; a++)
        for (int n = 0; n < s->nneeds; n++) t += x[cell(s, a, n, p)];
    return t;
}

/* A two-level overflow, worked by hand. Census step 2025 -> January 2026. */
static void test_chain(const scenario *s, size_t cells)
{
    double *next = calloc(cells, sizeof(double)), *arr = calloc(cells, sizeof(double));
    ivstate none = {0, 0.0};
    plan pl;
    CHECK(plan_alloc(s, &pl) == 0 && plan_compile(s, s->val, &none, &pl) == 0);
    CHECK(next && arr && s->place[BASE].overflow_to == SPECIAL && s->place[SPECIAL].overflow_to == NMI);
    if (!next || !arr) return;
    /* base: age 0 a 3 and b 1 arriving; age 1 a 2 and b 1 staying (7 for 5 places) */
    next[cell(s, 0, NA, BASE)] = arr[cell(s, 0, NA, BASE)] = 3;
    next[cell(s, 0, NB, BASE)] = arr[cell(s, 0, NB, BASE)] = 1;
    next[cell(s, 1, NA, BASE)] = 2;
    next[cell(s, 1, NB, BASE)] = 1;
    /* special: age 0 a 2 arriving; age 1 a 4 and b 3 staying */
    next[cell(s, 0, NA, SPECIAL)] = arr[cell(s, 0, NA, SPECIAL)] = 2;
    next[cell(s, 1, NA, SPECIAL)] = 4;
    next[cell(s, 1, NB, SPECIAL)] = 3;
    /* NMI: age 1 a 6 and b 2 */
    next[cell(s, 1, NA, NMI)] = 6;
    next[cell(s, 1, NB, NMI)] = 2;

    /* Base first (deepest in the chain): 3 stayers leave 2 places for 4 arrivals:
     * half of each arriving cell goes on to special: base age 0 a 1.5, b 0.5.
     * Special then has 7 stayers and 4 arrivals (2 + 1.5 of a, 0.5 of b) for
     * 9 places: 2 admitted, half of each arriving cell to NMI: special age 0
     * a 1.75, b 0.25; NMI age 0 a 1.75, b 0.25. Overflow 2 + 2 = 4. Special is
     * then full, so backfill takes nobody. 24 children before and after:
     * base 5, special 9, NMI 10. */
    double over = capacity_apply(&pl, 2025 - s->census0, next, arr);
    CHECK_NEAR(over, 4.0, 1e-12);
    CHECK_NEAR(next[cell(s, 0, NA, BASE)], 1.5, 1e-12);
    CHECK_NEAR(next[cell(s, 0, NB, BASE)], 0.5, 1e-12);
    CHECK_NEAR(next[cell(s, 1, NA, BASE)], 2.0, 0);
    CHECK_NEAR(next[cell(s, 0, NA, SPECIAL)], 1.75, 1e-12);
    CHECK_NEAR(next[cell(s, 0, NB, SPECIAL)], 0.25, 1e-12);
    CHECK_NEAR(next[cell(s, 1, NA, SPECIAL)], 4.0, 0);
    CHECK_NEAR(next[cell(s, 0, NA, NMI)], 1.75, 1e-12);
    CHECK_NEAR(next[cell(s, 0, NB, NMI)], 0.25, 1e-12);
    CHECK_NEAR(next[cell(s, 1, NA, NMI)], 6.0, 0);
    CHECK_NEAR(placed(s, next, BASE), 5.0, 1e-12);
    CHECK_NEAR(placed(s, next, SPECIAL), 9.0, 1e-12);
    CHECK_NEAR(placed(s, next, NMI), 10.0, 1e-12);
    for (size_t c = 0; c < cells; c++) CHECK(next[c] >= 0.0);

    /* Stayers over capacity keep their places; every arrival overflows.
     * Special: age 1 a 8 and b 4 staying (12 for 9 places), age 0 a 2 arriving:
     * the 2 go to NMI, the 12 stay; no spare place, so no backfill. */
    memset(next, 0, cells * sizeof(double));
    memset(arr, 0, cells * sizeof(double));
    next[cell(s, 1, NA, SPECIAL)] = 8;
    next[cell(s, 1, NB, SPECIAL)] = 4;
    next[cell(s, 0, NA, SPECIAL)] = arr[cell(s, 0, NA, SPECIAL)] = 2;
    next[cell(s, 1, NA, NMI)] = 5;
    over = capacity_apply(&pl, 2025 - s->census0, next, arr);
    CHECK_NEAR(over, 2.0, 1e-12);
    CHECK_NEAR(placed(s, next, SPECIAL), 12.0, 1e-12);
    CHECK_NEAR(next[cell(s, 0, NA, NMI)], 2.0, 1e-12);
    CHECK_NEAR(next[cell(s, 1, NA, NMI)], 5.0, 0);

    /* Backfill: special age 1 a 4 and b 3 (7 for 9 places: 2 spare); NMI age 0
     * a 5 (not a backfill age), age 1 a 6 and b 2 (8 eligible). A quarter of each
     * eligible cell moves: NMI age 1 a 4.5, b 1.5; special age 1 a 5.5, b 3.5;
     * NMI age 0 stays 5. Nobody overflows. */
    memset(next, 0, cells * sizeof(double));
    memset(arr, 0, cells * sizeof(double));
    next[cell(s, 1, NA, SPECIAL)] = 4;
    next[cell(s, 1, NB, SPECIAL)] = 3;
    next[cell(s, 0, NA, NMI)] = 5;
    next[cell(s, 1, NA, NMI)] = 6;
    next[cell(s, 1, NB, NMI)] = 2;
    over = capacity_apply(&pl, 2025 - s->census0, next, arr);
    CHECK_NEAR(over, 0.0, 0);
    CHECK_NEAR(next[cell(s, 1, NA, NMI)], 4.5, 1e-12);
    CHECK_NEAR(next[cell(s, 1, NB, NMI)], 1.5, 1e-12);
    CHECK_NEAR(next[cell(s, 1, NA, SPECIAL)], 5.5, 1e-12);
    CHECK_NEAR(next[cell(s, 1, NB, SPECIAL)], 3.5, 1e-12);
    CHECK_NEAR(next[cell(s, 0, NA, NMI)], 5.0, 0);
    CHECK_NEAR(placed(s, next, SPECIAL), 9.0, 1e-12);

    /* When the pool is smaller than the spare places, all of it moves: from
     * 1 September 2027 special has 7 places; with special empty and NMI age 1
     * holding 3, the 3 move (census step 2027 -> January 2028). */
    memset(next, 0, cells * sizeof(double));
    memset(arr, 0, cells * sizeof(double));
    next[cell(s, 1, NA, NMI)] = 3;
    over = capacity_apply(&pl, 2027 - s->census0, next, arr);
    CHECK_NEAR(over, 0.0, 0);
    CHECK_NEAR(next[cell(s, 1, NA, SPECIAL)], 3.0, 1e-12);
    CHECK_NEAR(next[cell(s, 1, NA, NMI)], 0.0, 1e-12);
    plan_free(&pl);
    free(next);
    free(arr);
}

/* Conservation over a whole run with overflow at both levels every year,
 * backfill, and a capacity cut below the pupils already in place: the step
 * done part by part, checked after capacity for every (age, need): the same
 * number of children as before it, none negative. */
static void test_conservation(const scenario *s)
{
    workspace w;
    CHECK(workspace_alloc(s, &w) == 0);
    ivstate *ivs = calloc(s->niv + 1, sizeof *ivs);
    ivstate_default(s, ivs);
    double *by_an = calloc((size_t)(s->nages * s->nneeds), sizeof(double));
    double total = 0.0, overflow_all = 0.0;
    for (int a = 0; a < s->nages; a++)
        for (int n = 0; n < s->nneeds; n++)
            for (int p = 0; p < s->nplace; p++) {
                w.now[cell(s, a, n, p)] = par_val(s, s->val, s->stock[p])[a] * par_val(s, s->val, s->needs[n].share)[0];
                total += w.now[cell(s, a, n, p)];
            }
    CHECK_NEAR(total, 34.0, 1e-12); /* January 2025: base 10, special 16, NMI 8 */
    CHECK(plan_compile(s, s->val, ivs, &w.plan) == 0);
    for (int k = 0; k < s->last_fy - s->first_fy + 1; k++) {
        int census = s->census0 + k;
        double kept = -1.0, left = cohort_leave_and_age(&w.plan, k, w.now, w.next, &kept, &w);
        double surv = 0.0;
        for (size_t c = 0; c < w.cells; c++) surv += w.next[c];
        CHECK_NEAR(kept, surv, 1e-12); /* the step's own count of survivors */
        cohort_move(&w.plan, k, w.next, w.arrive, &w);
        double j = joiners_add(&w.plan, k, w.now, surv, w.next, w.arrive, &w);
        for (int a = 0; a < s->nages; a++)
            for (int n = 0; n < s->nneeds; n++) {
                by_an[a * s->nneeds + n] = 0.0;
                for (int p = 0; p < s->nplace; p++) by_an[a * s->nneeds + n] += w.next[cell(s, a, n, p)];
            }
        double over = capacity_apply(&w.plan, k, w.next, w.arrive);
        overflow_all += over;
        CHECK(over >= 0.0);
        double after = 0.0;
        for (int a = 0; a < s->nages; a++)
            for (int n = 0; n < s->nneeds; n++) {
                double x = 0.0;
                for (int p = 0; p < s->nplace; p++) {
                    double v = w.next[cell(s, a, n, p)];
                    CHECK(v >= 0.0);
                    x += v;
                }
                CHECK_NEAR(x, by_an[a * s->nneeds + n], 1e-12);
                after += x;
            }
        CHECK_NEAR(after, total - left + j, 1e-9);
        /* In the first step the stayers alone fill more than the places (base 5.7
         * of 5, special 11.5 of 9) and keep them; after it, arrivals fill up to the
         * places and no further: base 5, special 9, then 7 from January 2028. */
        if (k > 0) {
            CHECK_NEAR(placed(s, w.next, BASE), 5.0, 1e-9);
            CHECK_NEAR(placed(s, w.next, SPECIAL), census + 1 >= 2028 ? 7.0 : 9.0, 1e-9);
        }
        total = after;
        double *t = w.now;
        w.now = w.next;
        w.next = t;
    }
    CHECK(overflow_all > 10.0); /* the case does exercise overflow */
    free(by_an);
    free(ivs);
    workspace_free(&w);
}

/* The same through hnb_run: the results' identities every year. */
static void test_results_identities(hnb_model *h)
{
    const cJSON *sc = cJSON_GetArrayItem(cJSON_GetObjectItem(h->results, "scenarios"), 0);
    double prev = 34.0; /* base 10 + special 16 + NMI 8 at January 2025 */
    for (const cJSON *y = cJSON_GetObjectItem(sc, "years")->child; y; y = y->next) {
        const cJSON *e = cJSON_GetObjectItem(y, "ehcps");
        double total = cJSON_GetObjectItem(e, "total")->valuedouble, sum = 0.0;
        for (const cJSON *p = cJSON_GetObjectItem(e, "by_placement")->child; p; p = p->next) {
            CHECK(p->valuedouble >= 0.0);
            sum += p->valuedouble;
        }
        CHECK_NEAR(sum, total, 1e-9);
        CHECK_NEAR(total,
                   prev - cJSON_GetObjectItem(y, "leavers")->valuedouble +
                       cJSON_GetObjectItem(y, "joiners")->valuedouble,
                   1e-9);
        CHECK(cJSON_GetObjectItem(y, "overflow")->valuedouble > 0.0);
        prev = total;
    }
}

static double fig(const cJSON *res, const char *name, int k, const char *a, const char *b, const char *c)
{
    const cJSON *sc;
    cJSON_ArrayForEach(sc, cJSON_GetObjectItem(res, "scenarios"))
    {
        if (strcmp(cJSON_GetObjectItem(sc, "name")->valuestring, name) != 0) continue;
        const cJSON *x = cJSON_GetArrayItem(cJSON_GetObjectItem(sc, "years"), k);
        x = cJSON_GetObjectItemCaseSensitive(x, a);
        if (b) x = cJSON_GetObjectItemCaseSensitive(x, b);
        if (c) x = cJSON_GetObjectItemCaseSensitive(x, c);
        return cJSON_IsNumber(x) ? x->valuedouble : -1e300;
    }
    return -1e300;
}

static double saving(const cJSON *res, const char *name, const char *fy)
{
    const cJSON *sc;
    cJSON_ArrayForEach(sc, cJSON_GetObjectItem(res, "scenarios"))
    {
        if (strcmp(cJSON_GetObjectItem(sc, "name")->valuestring, name) != 0) continue;
        const cJSON *t = cJSON_GetObjectItem(cJSON_GetObjectItem(sc, "savings"), "total");
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(t, "by_year"), fy);
        return cJSON_IsNumber(x) ? x->valuedouble : -1e300;
    }
    return -1e300;
}

/* A new special school takes children out of NMI (tests/data/cap-hand.json).
 *
 * The parent: 10 special places. Step to 2026: 7.2 stayers and 7 arriving:
 * 2.8 admitted, 4.2 overflow to NMI: special 10, NMI 12.6. Every later census
 * special is full again: whatever places the new plans and stayers leave,
 * backfill fills from NMI (which always holds more than enough).
 *
 * With more places, special is full at every census too (checked below), and
 * overflow and backfill never change a child's age, so the numbers by age
 * (and so leavers and joiners) are the same in both: each extra place is one
 * child in special instead of NMI. The saving is then
 *   places(census t) x 5/12 + places(census t+1) x 7/12, times
 *   (NMI - special unit cost) = 40,000, 42,000, 44,100 in the three years. */
static void test_new_school(void)
{
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_load_file(h, "data/cap-hand.json");
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    CHECK(rc == HNB_OK);
    if (!rc) rc = hnb_run(h, NULL);
    CHECK(rc == HNB_OK);
    if (rc) {
        hnb_model_free(h);
        return;
    }
    const cJSON *r = h->results;
    const char *fy[3] = {"2025-26", "2026-27", "2027-28"};
    CHECK_NEAR(fig(r, "base", 0, "overflow", NULL, NULL), 4.2, 1e-9);
    CHECK_NEAR(fig(r, "base", 0, "ehcps", "by_placement", "nmi"), 12.6, 1e-9);
    /* Census 2026 total 22.6, 2027 and 2028 19 (as the hand case: same ages). */
    CHECK_NEAR(fig(r, "base", 0, "ehcps", "total", NULL), 22.6, 1e-9);
    CHECK_NEAR(fig(r, "opening", 1, "ehcps", "total", NULL), 19.0, 1e-9);
    for (int k = 0; k < 3; k++) {
        CHECK_NEAR(fig(r, "base", k, "ehcps", "by_placement", "special"), 10.0, 1e-9);
        /* opening: 4 places from 1 September 2025, all there at January 2026 */
        CHECK_NEAR(fig(r, "opening", k, "ehcps", "by_placement", "special"), 14.0, 1e-9);
        CHECK_NEAR(fig(r, "opening", k, "ehcps", "total", NULL), fig(r, "base", k, "ehcps", "total", NULL), 1e-9);
    }
    /* Step to 2026 with 14 places: 6.8 of the 7 arriving admitted, 0.2 overflow:
     * NMI 8.6 = 12.6 - 4. */
    CHECK_NEAR(fig(r, "opening", 0, "overflow", NULL, NULL), 0.2, 1e-9);
    CHECK_NEAR(fig(r, "opening", 0, "ehcps", "by_placement", "nmi"), 8.6, 1e-9);
    /* Saving: 2025-26: 7/12 x 4 x 40,000 = 93,333.33; 2026-27: 4 x 42,000 = 168,000;
     * 2027-28: 4 x 44,100 = 176,400. */
    double want[3] = {7.0 / 12.0 * 4.0 * 40000.0, 168000.0, 176400.0};
    for (int k = 0; k < 3; k++) {
        CHECK_NEAR(saving(r, "opening", fy[k]), want[k], 1e-6);
        CHECK_NEAR(fig(r, "opening", k, "in_year", NULL, NULL) - fig(r, "base", k, "in_year", NULL, NULL), want[k],
                   1e-6);
        /* and it is all in the placement lines: NMI down, special up */
        CHECK_NEAR(fig(r, "base", k, "spend", "total", NULL) - fig(r, "opening", k, "spend", "total", NULL), want[k],
                   1e-6);
    }

    /* Filling over 24 months from 1 September 2025: at January 2026 the ramp is
     * at 4/24 (2/3 of a place), January 2027 16/24 (8/3), January 2028 full (4).
     * 2025-26: 7/12 x 2/3 x 40,000 = 15,555.56
     * 2026-27: (5/12 x 2/3 + 7/12 x 8/3) x 42,000 = 66/36 x 42,000 = 77,000
     * 2027-28: (5/12 x 8/3 + 7/12 x 4) x 44,100 = 124/36 x 44,100 = 151,900 */
    CHECK_NEAR(fig(r, "opening_ramp", 0, "ehcps", "by_placement", "special"), 10.0 + 2.0 / 3.0, 1e-9);
    CHECK_NEAR(fig(r, "opening_ramp", 1, "ehcps", "by_placement", "special"), 10.0 + 8.0 / 3.0, 1e-9);
    CHECK_NEAR(fig(r, "opening_ramp", 2, "ehcps", "by_placement", "special"), 14.0, 1e-9);
    CHECK_NEAR(saving(r, "opening_ramp", fy[0]), 7.0 / 12.0 * 2.0 / 3.0 * 40000.0, 1e-6);
    CHECK_NEAR(saving(r, "opening_ramp", fy[1]), 77000.0, 1e-6);
    CHECK_NEAR(saving(r, "opening_ramp", fy[2]), 151900.0, 1e-6);

    /* The same 4 places as a capacity step from 1 September 2026 (no action, so
     * no savings block: compare in-year positions). Census 2026 as the parent;
     * special 14 from January 2027, filled by backfill from NMI.
     * 2025-26: 0; 2026-27: 7/12 x 4 x 42,000 = 98,000; 2027-28: 4 x 44,100 = 176,400. */
    CHECK_NEAR(fig(r, "step", 0, "ehcps", "by_placement", "special"), 10.0, 1e-9);
    CHECK_NEAR(fig(r, "step", 1, "ehcps", "by_placement", "special"), 14.0, 1e-9);
    CHECK_NEAR(fig(r, "step", 1, "ehcps", "by_placement", "nmi"), 5.0, 1e-9);
    CHECK_NEAR(fig(r, "step", 0, "in_year", NULL, NULL) - fig(r, "base", 0, "in_year", NULL, NULL), 0.0, 1e-6);
    CHECK_NEAR(fig(r, "step", 1, "in_year", NULL, NULL) - fig(r, "base", 1, "in_year", NULL, NULL), 98000.0, 1e-6);
    CHECK_NEAR(fig(r, "step", 2, "in_year", NULL, NULL) - fig(r, "base", 2, "in_year", NULL, NULL), 176400.0, 1e-6);
    hnb_model_free(h);
}

int main(void)
{
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_load_file(h, "data/cap-chain.json");
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    CHECK(rc == HNB_OK);
    if (!rc) {
        const scenario *s = find(h, "chain");
        workspace w;
        CHECK(s && workspace_alloc(s, &w) == 0);
        if (s) {
            test_chain(s, w.cells);
            workspace_free(&w);
            test_conservation(s);
            CHECK(hnb_run(h, NULL) == HNB_OK);
            test_results_identities(h);
        }
    }
    hnb_model_free(h);
    test_new_school();
    return check_done();
}
