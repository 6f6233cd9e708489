/* test_lanes.c: paths side by side give each path's own figures, bit for bit
 * (engine/lanes.c).
 *
 * lanes_run projects LANES compiled plans at once, reading the tables they
 * share from the first plan and the rest (joiners' numbers, places, money)
 * from each. Two things could go wrong: a lane's arithmetic differing from
 * project_run_plan's, or lanes_fit letting plans through whose shared tables
 * differ (a lane then projected with another's tables). So, for every
 * scenario of the embedded Sutton file and of the test data, LANES plans
 * are compiled from the scenario's values with one lane changed (each
 * parameter in turn scaled by 1.001 in lane 1, 0.999 in lane 3; each action
 * in turn switched off in lane 2), and wherever lanes_fit lets them run,
 * every figure of every lane must be bitwise what project_run_plan gives for
 * that lane's plan on its own. A parameter that reaches a shared table must
 * therefore be refused; one that reaches only per-lane tables must run. The
 * test also checks that some of each kind occur. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "each_scenario.h"
#include "core/model.h"
#include "core/scenario.h"
#include "engine/lanes.h"

static int same(const double *a, const double *b, size_t n) { return memcmp(a, b, n * sizeof(double)) == 0; }

/* Every field a lean (Monte Carlo) projection writes, bitwise the same. */
static int same_figures(const projection *a, const projection *b)
{
    const size_t ny = (size_t)a->ny, P = (size_t)a->nplace;
    return same(a->ehcps, b->ehcps, ny * P) && same(a->joiners, b->joiners, ny) && same(a->leavers, b->leavers, ny) &&
           same(a->overflow, b->overflow, ny) && same(a->unit_cost, b->unit_cost, ny * P) &&
           same(a->spend, b->spend, ny * (size_t)a->nspend) && same(a->fund, b->fund, ny * (size_t)a->nfund) &&
           same(a->spend_total, b->spend_total, ny) && same(a->fund_total, b->fund_total, ny) &&
           same(a->in_year, b->in_year, ny) && same(a->cumulative, b->cumulative, ny) &&
           same(a->interest, b->interest, ny) && same(a->writeoff, b->writeoff, ny) && same(a->regime, b->regime, ny) &&
           same(a->alignment, b->alignment, ny) && same(a->cumulative_gross, b->cumulative_gross, ny) &&
           same(a->isps, b->isps, ny);
}

typedef struct bench {
    const scenario *s;
    lanes ln;
    workspace w[LANES], one;
    projection p[LANES], q;
    double *val[LANES];
    ivstate *ivs[LANES];
    int ran, refused, differed;
} bench;

/* Compile the lanes from val[] and ivs[]; where they fit, run them side by
 * side and each alone, and compare. */
static void compare(bench *b, const char *what)
{
    workspace *w[LANES];
    projection *out[LANES];
    int rc[LANES];
    for (int l = 0; l < LANES; l++) {
        w[l] = &b->w[l], out[l] = &b->p[l];
        CHECK(plan_compile(b->s, b->val[l], b->ivs[l], &w[l]->plan) == HNB_OK);
    }
    if (!lanes_fit(&b->ln, w)) {
        b->refused++;
        return;
    }
    b->ran++;
    lanes_run(&b->ln, w, out, rc);
    for (int l = 0; l < LANES; l++) {
        int r1 = project_run(b->s, b->val[l], b->ivs[l], &b->one, &b->q);
        CHECK(r1 == rc[l]);
        if (r1 == HNB_OK && rc[l] == HNB_OK && !same_figures(&b->p[l], &b->q)) {
            b->differed++;
            fprintf(stderr, "test_lanes: %s: scenario %s: %s: lane %d differs from its projection alone\n",
                    b->s->file ? b->s->file : "(embedded)", b->s->name, what, l);
        }
    }
}

static void reset(bench *b)
{
    for (int l = 0; l < LANES; l++) {
        memcpy(b->val[l], b->s->val, b->s->nval * sizeof(double));
        ivstate_default(b->s, b->ivs[l]);
    }
}

static void scenario_lanes(const scenario *s, int *ran, int *refused)
{
    bench b = {.s = s};
    int ok =
        lanes_alloc(s, &b.ln) == HNB_OK && workspace_alloc(s, &b.one) == HNB_OK && projection_alloc(s, &b.q) == HNB_OK;
    for (int l = 0; l < LANES; l++) {
        b.val[l] = malloc(s->nval * sizeof(double) + 1);
        b.ivs[l] = calloc(s->niv + 1, sizeof(ivstate));
        ok = ok && b.val[l] && b.ivs[l] && workspace_alloc(s, &b.w[l]) == HNB_OK &&
             projection_alloc(s, &b.p[l]) == HNB_OK;
        b.w[l].figures_only = 1;
    }
    b.one.figures_only = 1;
    CHECK(ok);
    if (ok) {
        reset(&b);
        compare(&b, "the scenario's values");
        for (size_t i = 0; i < s->npar; i++) {
            const param *q = &s->par[i];
            for (size_t j = 0; j < q->n; j++) {
                b.val[1][q->off + j] *= 1.001;
                b.val[3][q->off + j] *= 0.999;
            }
            compare(&b, q->path ? q->path : "a parameter");
            reset(&b);
        }
        for (size_t i = 0; i < s->niv; i++) {
            b.ivs[2][i].on = 0;
            compare(&b, s->iv[i].name ? s->iv[i].name : "an action off");
            b.ivs[2][i].start += 200.0; /* months (dates.h) */
            b.ivs[2][i].on = 1;
            compare(&b, s->iv[i].name ? s->iv[i].name : "an action later");
            reset(&b);
        }
    }
    CHECK(b.differed == 0);
    *ran += b.ran;
    *refused += b.refused;
    lanes_free(&b.ln);
    workspace_free(&b.one);
    projection_free(&b.q);
    for (int l = 0; l < LANES; l++) {
        workspace_free(&b.w[l]);
        projection_free(&b.p[l]);
        free(b.val[l]);
        free(b.ivs[l]);
    }
}

static void each(const scenario *s, void *ctx)
{
    int *count = ctx;
    scenario_lanes(s, &count[0], &count[1]);
}

int main(void)
{
    int count[2] = {0, 0}; /* sets run side by side, sets refused */
    CHECK(each_scenario(each, count) >= 10);
    printf("test_lanes: %d sets of %d plans run side by side and compared, %d refused\n", count[0], LANES, count[1]);
    CHECK(count[0] >= 100 && count[1] >= 100); /* both kinds, many times */
    return check_done();
}
