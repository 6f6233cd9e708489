/* test_extends.c: a scenario that extends another overrides only what differs.
 *
 * tests/data/extends.json has a parent ("base", the hand case of
 * test_model.c with by_year values and one action) and children that each
 * change one thing; tests/data/extends-other.json extends it from another
 * file ("extends.json#base"). Through the public API (hnb_load_file, hnb_run)
 * and the results tree (docs/results-format.md), the tests check that:
 *   - a child that overrides one number (the NMI unit cost) gives exactly the
 *     parent's results except where that number acts: the results trees,
 *     with the NMI unit cost, NMI spend and what follows from them taken out,
 *     are identical; what is left differs by exactly 10%;
 *   - a child that adds one by_year value keeps the parent's other years (a
 *     growth series and a money line's own by_year);
 *   - interventions are appended to the parent's (grandparent's first) and
 *     only the child's own are attributed savings;
 *   - a distribution belongs with its value: a child that replaces the value
 *     alone has a fixed figure, a child that gives only a dist keeps the value;
 *   - extends from another file resolves, gives the same results as the same
 *     child in the parent's file, and names the other file in messages. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/model.h"
#include "core/scenario.h"

static const cJSON *scenario_results(const hnb_model *h, const char *name)
{
    const cJSON *sc;
    cJSON_ArrayForEach(sc, cJSON_GetObjectItemCaseSensitive(h->results, "scenarios"))
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(sc, "name");
        if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0) return sc;
    }
    fprintf(stderr, "no scenario %s in the results\n", name);
    return NULL;
}

static const scenario *loaded(const hnb_model *h, const char *name)
{
    for (size_t i = 0; i < h->nscen; i++)
        if (strcmp(h->scen[i]->name, name) == 0) return h->scen[i];
    fprintf(stderr, "no scenario %s loaded\n", name);
    return NULL;
}

/* years[k].a.b.c as a number (NAN if absent). */
static double at(const cJSON *sc, int k, const char *a, const char *b, const char *c)
{
    const cJSON *x = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(sc, "years"), k);
    x = cJSON_GetObjectItemCaseSensitive(x, a);
    if (b) x = cJSON_GetObjectItemCaseSensitive(x, b);
    if (c) x = cJSON_GetObjectItemCaseSensitive(x, c);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static int nyears(const cJSON *sc) { return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sc, "years")); }

static hnb_model *load_and_run(const char *path)
{
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_load_file(h, path);
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    CHECK(rc == HNB_OK);
    if (!rc) {
        rc = hnb_run(h, NULL);
        if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
        CHECK(rc == HNB_OK);
    }
    if (rc) {
        hnb_model_free(h);
        return NULL;
    }
    return h;
}

/* Remove years[k].a.b from a copy of a scenario's years. */
static void drop(cJSON *years, const char *a, const char *b)
{
    cJSON *y;
    cJSON_ArrayForEach(y, years)
    {
        if (b)
            cJSON_DeleteItemFromObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(y, a), b);
        else
            cJSON_DeleteItemFromObjectCaseSensitive(y, a);
    }
}

/* The NMI unit cost 10% higher: only NMI costs, and the totals and balances
 * they feed, change; every count and every other line is the parent's. */
static void test_one_number(const hnb_model *h)
{
    const cJSON *p = scenario_results(h, "base"), *c = scenario_results(h, "dearer-nmi");
    if (!p || !c) return;
    CHECK(nyears(p) == 3 && nyears(c) == 3);
    /* the whole years tree, with what the unit cost acts on taken out, is identical */
    cJSON *py = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(p, "years"), 1);
    cJSON *cy = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(c, "years"), 1);
    cJSON *both[2] = {py, cy};
    for (int i = 0; i < 2; i++) {
        drop(both[i], "unit_costs", "nmi");
        drop(both[i], "spend", "total");
        drop(both[i], "in_year", NULL);
        drop(both[i], "cumulative", NULL);
        drop(both[i], "interest", NULL);
        cJSON *y;
        cJSON_ArrayForEach(y, both[i]) cJSON_DeleteItemFromObjectCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(y, "spend"), "by_line"), "nmi");
    }
    CHECK(cJSON_Compare(py, cy, 1));
    cJSON_Delete(py);
    cJSON_Delete(cy);
    for (int k = 0; k < 3; k++) {
        /* the counts, exactly */
        CHECK(at(p, k, "ehcps", "total", NULL) == at(c, k, "ehcps", "total", NULL));
        CHECK(at(p, k, "ehcps", "by_placement", "nmi") == at(c, k, "ehcps", "by_placement", "nmi"));
        CHECK(at(p, k, "ehcps", "by_placement", "special") == at(c, k, "ehcps", "by_placement", "special"));
        /* the other lines, exactly */
        CHECK(at(p, k, "spend", "by_line", "special") == at(c, k, "spend", "by_line", "special"));
        CHECK(at(p, k, "spend", "by_line", "outreach") == at(c, k, "spend", "by_line", "outreach"));
        CHECK(at(p, k, "funding", "total", NULL) == at(c, k, "funding", "total", NULL));
        /* NMI: 66,000 / 60,000 */
        CHECK_NEAR(at(c, k, "unit_costs", "nmi", NULL) / at(p, k, "unit_costs", "nmi", NULL), 1.1, 1e-12);
        CHECK_NEAR(at(c, k, "spend", "by_line", "nmi") / at(p, k, "spend", "by_line", "nmi"), 1.1, 1e-12);
        double extra = at(c, k, "spend", "by_line", "nmi") - at(p, k, "spend", "by_line", "nmi");
        CHECK(extra > 0);
        CHECK_NEAR(at(c, k, "spend", "total", NULL) - at(p, k, "spend", "total", NULL), extra, 1e-6);
        CHECK_NEAR(at(c, k, "in_year", NULL, NULL) - at(p, k, "in_year", NULL, NULL), -extra, 1e-6);
    }
    /* the price base came from the parent: 66,000 in the first year (2025-26) */
    CHECK(at(c, 0, "unit_costs", "nmi", NULL) == 66000.0);
    CHECK(at(p, 0, "unit_costs", "nmi", NULL) == 60000.0);
    /* the child's figure is recorded at the child's JSON path, with its source */
    const scenario *s = loaded(h, "dearer-nmi");
    int found = 0;
    for (size_t i = 0; s && i < s->npar; i++)
        if (strcmp(s->par[i].path, "scenarios.dearer-nmi.placements.nmi.unit_cost") == 0) {
            found = 1;
            CHECK(s->val[s->par[i].off] == 66000.0);
            CHECK_STR_CONTAINS(s->par[i].source, "the one number that differs");
        }
    CHECK(found);
}

/* One more by_year value in the child: the parent's other years stand. */
static void test_by_year(const hnb_model *h)
{
    const cJSON *p = scenario_results(h, "base"), *c = scenario_results(h, "later-years");
    if (!p || !c) return;
    /* HNB allocation: £1,000,000 in 2025-26; +5% in 2026-27 (the parent's by_year,
     * kept); 2027-28: parent +2% (its default), child 0% (the child's by_year) */
    CHECK_NEAR(at(p, 0, "funding", "by_line", "hnb_allocation"), 1000000.0, 1e-6);
    CHECK_NEAR(at(c, 0, "funding", "by_line", "hnb_allocation"), 1000000.0, 1e-6);
    CHECK_NEAR(at(p, 1, "funding", "by_line", "hnb_allocation"), 1050000.0, 1e-6);
    CHECK_NEAR(at(c, 1, "funding", "by_line", "hnb_allocation"), 1050000.0, 1e-6);
    CHECK_NEAR(at(p, 2, "funding", "by_line", "hnb_allocation"), 1071000.0, 1e-6);
    CHECK_NEAR(at(c, 2, "funding", "by_line", "hnb_allocation"), 1050000.0, 1e-6);
    /* outreach: the parent's own £120,000 and £130,000 kept; 2027-28 the amount
     * (£100,000, no growth) in the parent, the child's £150,000 */
    CHECK_NEAR(at(c, 0, "spend", "by_line", "outreach"), 120000.0, 1e-6);
    CHECK_NEAR(at(c, 1, "spend", "by_line", "outreach"), 130000.0, 1e-6);
    CHECK_NEAR(at(p, 2, "spend", "by_line", "outreach"), 100000.0, 1e-6);
    CHECK_NEAR(at(c, 2, "spend", "by_line", "outreach"), 150000.0, 1e-6);
    for (int k = 0; k < 3; k++) {
        CHECK(at(p, k, "ehcps", "total", NULL) == at(c, k, "ehcps", "total", NULL));
        CHECK(at(p, k, "spend", "by_line", "nmi") == at(c, k, "spend", "by_line", "nmi"));
    }
}

/* The distribution of placement p's unit cost in scenario s. */
static const param *unit_cost_par(const scenario *s, const char *p)
{
    int k = s ? scenario_placement(s, p) : -1;
    return k >= 0 ? &s->par[s->place[k].unit_cost] : NULL;
}

/* A dist belongs with its value: a child that replaces the value and gives
 * no dist has a fixed figure; a child that gives only a dist keeps the
 * parent's value with the child's dist; a child that touches neither keeps both. */
static void test_dist_follows_value(const hnb_model *h)
{
    const param *b = unit_cost_par(loaded(h, "base"), "nmi");
    const param *d = unit_cost_par(loaded(h, "dearer-nmi"), "nmi");
    const param *l = unit_cost_par(loaded(h, "later-years"), "nmi");
    const param *p = unit_cost_par(loaded(h, "plan"), "nmi");
    if (!b || !d || !l || !p) {
        CHECK(0);
        return;
    }
    CHECK(b->dist == DIST_PERT && b->d[0] == 55000.0 && b->d[1] == 60000.0 && b->d[2] == 70000.0);
    CHECK(d->dist == DIST_FIXED);
    CHECK(l->dist == DIST_UNIFORM && l->d[0] == 50000.0 && l->d[2] == 70000.0);
    CHECK(p->dist == DIST_PERT && p->d[1] == 60000.0);
    const scenario *ls = loaded(h, "later-years");
    CHECK(ls->val[l->off] == 60000.0);
}

static const char *iv_name(const scenario *s, size_t i) { return s && i < s->niv ? s->iv[i].name : ""; }

/* A child's actions come after its parent's, which stay on. */
static void test_interventions_appended(const hnb_model *h)
{
    const scenario *b = loaded(h, "base"), *p = loaded(h, "plan"), *m = loaded(h, "plan-more");
    if (!b || !p || !m) return;
    CHECK(b->niv == 1 && b->nparent_iv == 0);
    CHECK(p->niv == 2 && p->nparent_iv == 1);
    CHECK(m->niv == 3 && m->nparent_iv == 2);
    CHECK(strcmp(iv_name(p, 0), "Parent action") == 0);
    CHECK(strcmp(iv_name(p, 1), "Child action") == 0);
    CHECK(strcmp(iv_name(m, 0), "Parent action") == 0);
    CHECK(strcmp(iv_name(m, 1), "Child action") == 0);
    CHECK(strcmp(iv_name(m, 2), "Grandchild action") == 0);
    /* a child that only changes a number inherits the parent's action and adds none */
    const scenario *d = loaded(h, "dearer-nmi");
    CHECK(d && d->niv == 1 && d->nparent_iv == 1);

    const cJSON *bs = scenario_results(h, "base"), *ps = scenario_results(h, "plan"),
                *ms = scenario_results(h, "plan-more");
    if (!bs || !ps || !ms) return;
    /* the child's action halves new plans from 1 April 2025: 9/12 of calendar
     * 2025 at half, then all of 2026: 10 x (1 - 0.5 x 0.75) = 6.25, then 5 */
    CHECK_NEAR(at(bs, 0, "joiners", NULL, NULL), 10.0, 1e-12);
    CHECK_NEAR(at(ps, 0, "joiners", NULL, NULL), 6.25, 1e-12);
    CHECK_NEAR(at(ps, 1, "joiners", NULL, NULL), 5.0, 1e-12);
    /* the parent's action (special 10% cheaper) still acts in the child */
    CHECK(at(ps, 0, "unit_costs", "special", NULL) == at(bs, 0, "unit_costs", "special", NULL));
    CHECK_NEAR(at(ps, 0, "unit_costs", "special", NULL), 18000.0, 1e-9);
    /* the grandchild's transfer: £50,000 in 2025-26 and 2026-27 (until), none after */
    CHECK_NEAR(at(ms, 0, "funding", "by_line", "block_transfer"), 50000.0, 1e-9);
    CHECK_NEAR(at(ms, 1, "funding", "by_line", "block_transfer"), 50000.0, 1e-9);
    CHECK_NEAR(at(ms, 2, "funding", "by_line", "block_transfer"), 0.0, 1e-9);
    CHECK(at(ps, 0, "funding", "by_line", "block_transfer") !=
          at(ps, 0, "funding", "by_line", "block_transfer")); /* NAN: no line */
    /* savings are attributed to each child's own actions, against its parent */
    const cJSON *sv = cJSON_GetObjectItemCaseSensitive(ps, "savings");
    CHECK(cJSON_IsObject(sv));
    CHECK(strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(sv, "against")), "base") == 0);
    const cJSON *acts = cJSON_GetObjectItemCaseSensitive(sv, "actions");
    CHECK(cJSON_GetArraySize(acts) == 1);
    CHECK_STR_CONTAINS(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(acts, 0), "name")),
                       "Child action");
    sv = cJSON_GetObjectItemCaseSensitive(ms, "savings");
    acts = cJSON_GetObjectItemCaseSensitive(sv, "actions");
    CHECK(strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(sv, "against")), "plan") == 0);
    CHECK(cJSON_GetArraySize(acts) == 1);
    CHECK_STR_CONTAINS(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(acts, 0), "name")),
                       "Grandchild action");
    /* the transfer is all the grandchild changes: its saving is £50,000 a year */
    CHECK_NEAR(
        cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(sv, "total"), "by_year"), "2025-26")),
        50000.0, 1e-6);
    /* a child with no actions of its own has no savings block */
    CHECK(cJSON_GetObjectItemCaseSensitive(scenario_results(h, "dearer-nmi"), "savings") == NULL);
}

/* "extends.json#base" from another file: the same child, the same results. */
static void test_other_file(const hnb_model *same)
{
    hnb_model *h = load_and_run("data/extends-other.json");
    if (!h) return;
    CHECK(hnb_scenario_count(h) == 2); /* only the file's own scenarios are loaded */
    const cJSON *kid = scenario_results(h, "kid"), *twin = scenario_results(same, "dearer-nmi");
    if (kid && twin)
        CHECK(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(kid, "years"),
                            cJSON_GetObjectItemCaseSensitive(twin, "years"), 1));
    const scenario *k = loaded(h, "kid");
    CHECK(k && k->parent == -1);
    CHECK(k && strcmp(k->extends, "extends.json#base") == 0);
    /* a chain in the other file (base <- plan <- plan-more), then this file's action */
    const scenario *kp = loaded(h, "kid-plan");
    if (kp) {
        CHECK(kp->niv == 4 && kp->nparent_iv == 3);
        CHECK(strcmp(iv_name(kp, 0), "Parent action") == 0);
        CHECK(strcmp(iv_name(kp, 2), "Grandchild action") == 0);
        CHECK(strcmp(iv_name(kp, 3), "Own action") == 0);
    }
    const cJSON *r = scenario_results(h, "kid-plan"), *pm = scenario_results(same, "plan-more");
    if (r && pm) {
        /* the own action saves £10,000 of outreach from 2026-27 */
        CHECK(at(r, 0, "spend", "by_line", "outreach") == at(pm, 0, "spend", "by_line", "outreach"));
        CHECK_NEAR(at(pm, 1, "spend", "by_line", "outreach") - at(r, 1, "spend", "by_line", "outreach"), 10000.0, 1e-6);
        CHECK(at(r, 2, "ehcps", "total", NULL) == at(pm, 2, "ehcps", "total", NULL));
    }
    hnb_model_free(h);
}

/* A problem in a parent in another file is reported with that file's name,
 * and fails the child's file. */
static void test_other_file_errors(void)
{
    char dir[] = "/tmp/hnb-extends-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    char parent[128], child[128];
    snprintf(parent, sizeof parent, "%s/parent.json", dir);
    snprintf(child, sizeof child, "%s/child.json", dir);
    FILE *f = fopen(parent, "w");
    FILE *in = fopen("data/extends.json", "r");
    if (f && in) {
        char line[1024];
        while (fgets(line, sizeof line, in)) {
            char *at_ = strstr(line, "\"cease_rates\": [0.1, 0.5]");
            if (at_) memcpy(at_, "\"cease_rates\": [0.1, 1.5]", 25);
            fputs(line, f);
        }
    }
    if (f) fclose(f);
    if (in) fclose(in);
    f = fopen(child, "w");
    if (f) {
        fputs("{\"format\": \"hnbsim-scenarios\", \"scenarios\": {\"kid\": {\"extends\": \"parent.json#base\", "
              "\"label\": \"Kid\"},\n"
              " \"lost\": {\"extends\": \"parent.json#nobody\"}}}\n",
              f);
        fclose(f);
    }
    hnb_model *h = hnb_model_alloc();
    CHECK(hnb_load_file(h, child) != HNB_OK);
    CHECK(hnb_scenario_count(h) == 0);
    char want[256];
    snprintf(want, sizeof want, "%s: scenarios.base.leavers.cease_rates: element 1 out of range: found 1.5", parent);
    CHECK_STR_CONTAINS(hnb_errmsg(h), want);
    snprintf(want, sizeof want, "%s: scenarios.lost.extends: parent scenario \"parent.json#nobody\" not found", child);
    CHECK_STR_CONTAINS(hnb_errmsg(h), want);
    hnb_model_free(h);
    remove(parent);
    remove(child);
    rmdir(dir);
}

int main(void)
{
    hnb_model *h = load_and_run("data/extends.json");
    if (h) {
        test_one_number(h);
        test_by_year(h);
        test_interventions_appended(h);
        test_dist_follows_value(h);
        test_other_file(h);
        hnb_model_free(h);
    }
    test_other_file_errors();
    return check_done();
}
