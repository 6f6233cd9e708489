/* test_fromstep.c: a projection resumed at a later census
 * (project_run_plan_from, project.h) is the whole projection, byte for
 * byte, and the effect steps the subsets' walk starts from (subsets.h) are
 * steps before which an action changes nothing.
 *
 * For every scenario of every golden case (the embedded Sutton file and
 * the files of tests/data but the results fixture), with the full projection
 * (lean, as the analyses run it, and with every figure and the grid):
 *  - run from step 0 it is project_run_plan's, every array and the record;
 *  - resumed at each census k from the state it recorded there, into a copy
 *    of itself, every array is the same bytes;
 *  - for each own action a with an effect step e > 0, in two contexts (the
 *    other own actions all on, and all off): the projection with a on,
 *    resumed at e from the state recorded by the one with a off, is the
 *    whole projection with a on (its earlier years copied in first), every
 *    array;
 *  - the money run again from its record (position_rerun) is its money;
 *  - the risk-weighted line is the same bytes on 1, 2 and 3 threads. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/expected.h"
#include "analysis/subsets.h"
#include "check.h"
#include "core/model.h"
#include "engine/money.h"
#include "engine/project.h"

/* Every array of two projections (and their records) the same bytes. */
static int same(const scenario *s, const projection *a, const projection *b, const double *ra, const double *rb)
{
    const size_t ny = (size_t)a->ny, P = (size_t)a->nplace, cells = (size_t)s->nages * s->nneeds * s->nplace;
    struct {
        const double *x, *y;
        size_t n;
    } f[] = {
        {a->ehcps, b->ehcps, ny * P},
        {a->bands, b->bands, ny * NBANDS},
        {a->place_bands, b->place_bands, ny * P * NBANDS},
        {a->joiners, b->joiners, ny},
        {a->leavers, b->leavers, ny},
        {a->overflow, b->overflow, ny},
        {a->unit_cost, b->unit_cost, ny * P},
        {a->spend, b->spend, ny * (size_t)a->nspend},
        {a->fund, b->fund, ny * (size_t)a->nfund},
        {a->spend_total, b->spend_total, ny},
        {a->fund_total, b->fund_total, ny},
        {a->in_year, b->in_year, ny},
        {a->cumulative, b->cumulative, ny},
        {a->interest, b->interest, ny},
        {a->writeoff, b->writeoff, ny},
        {a->regime, b->regime, ny},
        {a->alignment, b->alignment, ny},
        {a->cumulative_gross, b->cumulative_gross, ny},
        {a->isps, b->isps, ny},
        {a->stock0, b->stock0, cells},
        {a->stock_end, b->stock_end, cells},
        {a->grid, b->grid, ny * cells},
        {ra, rb, (ny + 1) * P + ny},
    };
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        if (memcmp(f[i].x, f[i].y, f[i].n * sizeof(double)) != 0) {
            fprintf(stderr, "  %s: array %zu differs\n", s->name, i);
            return 0;
        }
    return 1;
}

static void copy(const scenario *s, const projection *from, projection *to)
{
    const size_t ny = (size_t)from->ny, P = (size_t)from->nplace, cells = (size_t)s->nages * s->nneeds * s->nplace;
    double *const src[] = {from->ehcps,       from->bands,      from->place_bands,
                           from->joiners,     from->leavers,    from->overflow,
                           from->unit_cost,   from->spend,      from->fund,
                           from->spend_total, from->fund_total, from->in_year,
                           from->cumulative,  from->interest,   from->writeoff,
                           from->regime,      from->alignment,  from->cumulative_gross,
                           from->isps,        from->stock0,     from->stock_end,
                           from->grid};
    double *const dst[] = {
        to->ehcps,      to->bands,    to->place_bands, to->joiners,     to->leavers,    to->overflow,
        to->unit_cost,  to->spend,    to->fund,        to->spend_total, to->fund_total, to->in_year,
        to->cumulative, to->interest, to->writeoff,    to->regime,      to->alignment,  to->cumulative_gross,
        to->isps,       to->stock0,   to->stock_end,   to->grid};
    const size_t n[] = {ny * P,
                        ny * NBANDS,
                        ny * P * NBANDS,
                        ny,
                        ny,
                        ny,
                        ny * P,
                        ny * (size_t)from->nspend,
                        ny * (size_t)from->nfund,
                        ny,
                        ny,
                        ny,
                        ny,
                        ny,
                        ny,
                        ny,
                        ny,
                        ny,
                        ny,
                        cells,
                        cells,
                        ny * cells};
    for (size_t i = 0; i < sizeof n / sizeof *n; i++) memcpy(dst[i], src[i], n[i] * sizeof(double));
}

typedef struct rig {
    workspace w;
    projection whole, part;
    double *rec_whole, *rec_part, *states, *states2;
    size_t ss, nrec;
} rig;

static void rig_open(const scenario *s, rig *r)
{
    memset(r, 0, sizeof *r);
    const size_t ny = (size_t)(s->last_fy - s->first_fy + 1), cells = (size_t)s->nages * s->nneeds * s->nplace;
    if (workspace_alloc(s, &r->w) || projection_alloc(s, &r->whole) || projection_alloc(s, &r->part)) abort();
    r->whole.grid = calloc(ny * cells + 1, sizeof(double));
    r->part.grid = calloc(ny * cells + 1, sizeof(double));
    r->nrec = (ny + 1) * (size_t)s->nplace + ny;
    r->rec_whole = calloc(r->nrec + 1, sizeof(double));
    r->rec_part = calloc(r->nrec + 1, sizeof(double));
    r->ss = project_state_size(&r->w);
    r->states = calloc(ny * r->ss + 1, sizeof(double));
    r->states2 = calloc(ny * r->ss + 1, sizeof(double));
    if (!r->whole.grid || !r->part.grid || !r->rec_whole || !r->rec_part || !r->states || !r->states2) abort();
}

static void rig_close(rig *r)
{
    workspace_free(&r->w);
    projection_free(&r->whole);
    projection_free(&r->part);
    free(r->rec_whole);
    free(r->rec_part);
    free(r->states);
    free(r->states2);
}

/* The whole projection of (s, ivs) into r->whole, its record and states. */
static int run_whole(const scenario *s, const ivstate *ivs, rig *r, double *states)
{
    if (plan_compile(s, s->val, ivs, &r->w.plan)) return 0;
    r->w.record = r->rec_whole;
    int rc = project_run_plan_from(&r->w, &r->whole, 0, NULL, states);
    r->w.record = NULL;
    return rc == HNB_OK;
}

static int resumed(const scenario *s, const ivstate *ivs, rig *r, int k, const double *from)
{
    copy(s, &r->whole, &r->part);
    memcpy(r->rec_part, r->rec_whole, r->nrec * sizeof(double));
    if (plan_compile(s, s->val, ivs, &r->w.plan)) return 0;
    r->w.record = r->rec_part;
    int rc = project_run_plan_from(&r->w, &r->part, k, from, NULL);
    r->w.record = NULL;
    return rc == HNB_OK && same(s, &r->whole, &r->part, r->rec_whole, r->rec_part);
}

static int nresumed, nactions, nreruns;

/* The money run again from the whole projection's record (position_rerun,
 * money.h) is the projection's money, byte for byte. */
static int rerun_same(const scenario *s, rig *r)
{
    const size_t ny = (size_t)r->whole.ny;
    double *mix = calloc(ny * (size_t)s->nplace + 1, sizeof(double));
    if (!mix) abort();
    copy(s, &r->whole, &r->part);
    double *const money[] = {r->part.spend_total, r->part.fund_total, r->part.regime,
                             r->part.alignment,   r->part.in_year,    r->part.cumulative_gross,
                             r->part.writeoff,    r->part.cumulative, r->part.interest};
    for (size_t i = 0; i < sizeof money / sizeof *money; i++)
        for (size_t k = 0; k < ny; k++) money[i][k] = -1.0; /* all written again */
    money_mix(&r->w.plan, r->rec_whole, mix);
    int ok = position_rerun(&r->w.plan, NULL, r->rec_whole, mix, &r->part) == HNB_OK &&
             same(s, &r->whole, &r->part, r->rec_whole, r->rec_whole);
    free(mix);
    nreruns++;
    return ok;
}

static void check_scenario(const scenario *s, int lean)
{
    const int ny = s->last_fy - s->first_fy + 1;
    ivstate *ivs = calloc(s->niv + 1, sizeof *ivs);
    rig r;
    if (!ivs) abort();
    rig_open(s, &r);
    r.w.figures_only = lean;
    ivstate_default(s, ivs);
    /* from step 0: project_run_plan's bytes */
    if (plan_compile(s, s->val, ivs, &r.w.plan)) abort();
    r.w.record = r.rec_part;
    int rc = project_run_plan(&r.w, &r.part);
    r.w.record = NULL;
    CHECK(rc == HNB_OK || rc == HNB_E_NUMERIC);
    if (rc == HNB_OK) {
        CHECK(run_whole(s, ivs, &r, r.states));
        CHECK(same(s, &r.part, &r.whole, r.rec_part, r.rec_whole));
        CHECK(rerun_same(s, &r));
        CHECK(run_whole(s, ivs, &r, r.states));
        /* resumed at every census from its own state */
        for (int k = 1; k < ny; k++, nresumed++) CHECK(resumed(s, ivs, &r, k, r.states + (size_t)k * r.ss));
    }
    /* each own action's effect step, in two contexts */
    for (size_t i = s->nparent_iv; i < s->niv; i++) {
        int e = subsets_effect_step(s, &s->iv[i], &ivs[i]);
        if (e <= 0) continue;
        for (int ctx = 0; ctx < 2; ctx++) {
            ivstate_default(s, ivs);
            for (size_t j = s->nparent_iv; ctx == 1 && j < s->niv; j++) ivs[j].on = 0;
            ivs[i].on = 0;
            if (!run_whole(s, ivs, &r, r.states2)) continue; /* not finite without it: nothing to resume */
            ivs[i].on = 1;
            if (!run_whole(s, ivs, &r, r.states)) continue;
            CHECK(resumed(s, ivs, &r, e, r.states2 + (size_t)e * r.ss));
            nactions++;
        }
        ivstate_default(s, ivs);
    }
    rig_close(&r);
    free(ivs);
}

static int nexpected;

/* The risk-weighted line (its count projections the subsets' walk) the same
 * bytes on 1, 2 and 3 threads. */
static void check_expected(const scenario *s)
{
    expected_line one, more;
    if (expected_run_threads(s, 1, &one) != HNB_OK) return; /* not finite: test_risk_weighted's concern */
    for (int threads = 2; threads <= 3; threads++) {
        CHECK(expected_run_threads(s, threads, &more) == HNB_OK);
        CHECK(more.combos == one.combos);
        CHECK(memcmp(one.in_year, more.in_year, 6 * (size_t)one.ny * sizeof(double)) == 0);
        CHECK(memcmp(&one.at_override_end, &more.at_override_end, sizeof(double)) == 0);
        expected_free(&more);
    }
    expected_free(&one);
    nexpected++;
}

static void check_model(hnb_model *h, const char *what)
{
    for (size_t i = 0; i < h->nscen; i++) {
        check_scenario(h->scen[i], 0);
        check_scenario(h->scen[i], 1);
        check_expected(h->scen[i]);
    }
    fprintf(stderr, "%s: %zu scenarios\n", what, h->nscen);
}

int main(void)
{
    hnb_model *h = hnb_model_alloc();
    CHECK(h && hnb_load_embedded(h) == HNB_OK);
    if (h) check_model(h, "sutton");
    hnb_model_free(h);
    DIR *d = opendir("data");
    CHECK(d != NULL);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0 || strcmp(e->d_name, "results-fixture.json") == 0)
            continue;
        char path[600];
        snprintf(path, sizeof path, "data/%s", e->d_name);
        h = hnb_model_alloc();
        int rc = h ? hnb_load_file(h, path) : HNB_E_NOMEM;
        CHECK(rc == HNB_OK);
        if (!rc) check_model(h, path);
        hnb_model_free(h);
    }
    if (d) closedir(d);
    fprintf(stderr, "%d resumed runs, %d actions' effect steps, %d money runs, %d risk-weighted lines checked\n",
            nresumed, nactions, nreruns, nexpected);
    CHECK(nexpected >= 5);
    CHECK(nactions >= 4); /* Sutton's management plan alone has three late actions */
    return check_done();
}
