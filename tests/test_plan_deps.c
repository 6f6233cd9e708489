/* test_plan_deps.c: compiling only what changed gives the plan a fresh
 * compile gives (engine/plan.c's dependency map and moves memo).
 *
 * plan_compile rebuilds a table built from values alone only when a
 * parameter it reads has changed since the plan's last compile (plan.dep),
 * and keeps the moves while the actions that edit them act alike. A mark
 * missing from the map would leave a stale table: a projection run from an
 * incrementally compiled plan would differ from one run from a fresh plan.
 * So, for every scenario of the embedded Sutton file and of the test data:
 * each parameter in turn is changed (every value scaled by 1.001), the
 * plan last compiled from the scenario's values is compiled again, and the
 * projection it gives must be bit for bit the one a newly allocated plan
 * gives; then the same going back to the scenario's values, and with each
 * action in turn switched off and on (the moves memo), and started a month
 * later and back. Last, a random walk of the kind a Monte Carlo worker
 * makes (plan_memo.c: values and action states change a few at a time, a
 * plan's previous compile is another path's): at each step a few parameters
 * take new values or their own again and a few actions switch or move
 * their start; now and then only money-only actions change and the plan is
 * compiled through plan_compile_money, as attribution does. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "each_scenario.h"
#include "core/model.h"
#include "core/scenario.h"
#include "engine/project.h"

static int same(const double *a, const double *b, size_t n) { return memcmp(a, b, n * sizeof(double)) == 0; }

/* Every figure of two projections bitwise the same. */
static int same_projection(const projection *a, const projection *b, size_t cells)
{
    const size_t ny = (size_t)a->ny, P = (size_t)a->nplace;
    return same(a->ehcps, b->ehcps, ny * P) && same(a->bands, b->bands, ny * NBANDS) &&
           same(a->place_bands, b->place_bands, ny * P * NBANDS) && same(a->joiners, b->joiners, ny) &&
           same(a->leavers, b->leavers, ny) && same(a->overflow, b->overflow, ny) &&
           same(a->unit_cost, b->unit_cost, ny * P) && same(a->spend, b->spend, ny * (size_t)a->nspend) &&
           same(a->fund, b->fund, ny * (size_t)a->nfund) && same(a->cumulative, b->cumulative, ny) &&
           same(a->in_year, b->in_year, ny) && same(a->isps, b->isps, ny) && same(a->stock0, b->stock0, cells) &&
           same(a->stock_end, b->stock_end, cells);
}

typedef struct bench {
    const scenario *s;
    workspace inc; /* compiled again and again */
    projection pi, pf;
    ivstate *ivs;
    int compared, differed;
} bench;

/* Compile `inc` from (val, ivs) on top of whatever it was compiled from,
 * and a fresh plan from the same; both projections must agree. */
static void compare(bench *b, const double *val, const char *what)
{
    workspace fresh;
    int ok = workspace_alloc(b->s, &fresh) == HNB_OK;
    CHECK(ok);
    if (!ok) return;
    int ri = project_run(b->s, val, b->ivs, &b->inc, &b->pi);
    int rf = project_run(b->s, val, b->ivs, &fresh, &b->pf);
    CHECK(ri == rf);
    b->compared++;
    if (ri == HNB_OK && rf == HNB_OK && !same_projection(&b->pi, &b->pf, fresh.cells)) {
        b->differed++;
        fprintf(stderr, "test_plan_deps: %s: scenario %s: %s: the plan compiled again differs from a fresh one\n",
                b->s->file, b->s->name, what);
    }
    workspace_free(&fresh);
}

/* As compare, with the money-only recompile on the incremental plan. */
static void compare_money(bench *b, const double *val, const char *what)
{
    workspace fresh;
    int ok = workspace_alloc(b->s, &fresh) == HNB_OK;
    CHECK(ok);
    if (!ok) return;
    int ri = plan_compile_money(b->s, val, b->ivs, &b->inc.plan);
    if (ri == HNB_OK) ri = project_run_plan(&b->inc, &b->pi);
    int rf = project_run(b->s, val, b->ivs, &fresh, &b->pf);
    CHECK(ri == rf);
    b->compared++;
    if (ri == HNB_OK && rf == HNB_OK && !same_projection(&b->pi, &b->pf, fresh.cells)) {
        b->differed++;
        fprintf(stderr, "test_plan_deps: %s: scenario %s: %s: the money recompiled differs from a fresh plan\n",
                b->s->file, b->s->name, what);
    }
    workspace_free(&fresh);
}

/* A small deterministic generator for the walk (the test's own). */
static double walk_u(unsigned long long *x)
{
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*x >> 11) / 9007199254740992.0;
}

static void random_walk(bench *b, double *val)
{
    const scenario *s = b->s;
    unsigned long long x = 12345;
    for (int step = 0; step < 60; step++) {
        int money = s->niv > 0 && walk_u(&x) < 0.15;
        if (money) { /* only actions that act on money alone */
            for (size_t i = 0; i < s->niv; i++)
                if (iv_money_only(s->iv[i].type) && walk_u(&x) < 0.5) b->ivs[i].on = !b->ivs[i].on;
            compare_money(b, val, "a step of the walk (money only)");
            continue;
        }
        for (int c = 0; c < 3 && s->npar; c++) {
            const param *q = &s->par[(size_t)(walk_u(&x) * (double)s->npar) % s->npar];
            double f = walk_u(&x) < 0.3 ? 0.0 : 0.98 + 0.04 * walk_u(&x); /* 0: its own values again */
            for (size_t j = 0; j < q->n; j++) val[q->off + j] = f == 0.0 ? s->val[q->off + j] : s->val[q->off + j] * f;
        }
        for (size_t i = 0; i < s->niv; i++) {
            double u = walk_u(&x);
            if (u < 0.15)
                b->ivs[i].on = !b->ivs[i].on;
            else if (u < 0.3)
                b->ivs[i].start = s->iv[i].start + (double)(int)(walk_u(&x) * 13.0);
        }
        compare(b, val, "a step of the walk");
    }
}

static void scenario_deps(const scenario *s)
{
    bench b = {.s = s};
    double *val = malloc(s->nval * sizeof *val + 1);
    b.ivs = calloc(s->niv + 1, sizeof *b.ivs);
    int ok = val && b.ivs && !workspace_alloc(s, &b.inc) && !projection_alloc(s, &b.pi) && !projection_alloc(s, &b.pf);
    CHECK(ok);
    if (ok) {
        ivstate_default(s, b.ivs);
        memcpy(val, s->val, s->nval * sizeof *val);
        compare(&b, val, "the scenario's values");
        for (size_t i = 0; i < s->npar; i++) {
            const param *q = &s->par[i];
            for (size_t j = 0; j < q->n; j++) val[q->off + j] *= 1.001;
            compare(&b, val, q->path ? q->path : "a parameter");
            memcpy(val + q->off, s->val + q->off, q->n * sizeof *val);
            compare(&b, val, q->path ? q->path : "a parameter, back");
        }
        for (size_t i = 0; i < s->niv; i++) {
            b.ivs[i].on = 0;
            compare(&b, val, s->iv[i].name ? s->iv[i].name : "an action off");
            b.ivs[i].on = 1;
            compare(&b, val, s->iv[i].name ? s->iv[i].name : "an action on again");
            b.ivs[i].start += 1.0;
            compare(&b, val, s->iv[i].name ? s->iv[i].name : "an action a month later");
            b.ivs[i].start -= 1.0;
            compare(&b, val, s->iv[i].name ? s->iv[i].name : "an action back at its start");
        }
        random_walk(&b, val);
    }
    CHECK(b.compared > 0 && b.differed == 0);
    workspace_free(&b.inc);
    projection_free(&b.pi);
    projection_free(&b.pf);
    free(b.ivs);
    free(val);
}

static void each(const scenario *s, void *ctx)
{
    (void)ctx;
    scenario_deps(s);
}

int main(void)
{
    CHECK(each_scenario(each, NULL) >= 10); /* Sutton and every test case the golden results cover */
    return check_done();
}
