/* plan.c: compile a scenario's values and action states into a plan (plan.h).
 *
 * plan_compile runs in three parts: reset the accumulators, let every action
 * that is on fold its effect into them (intervention.c), then build each
 * table from the assumptions and the accumulators: stocks, leavers, moves,
 * joiners, capacity, money (plan_money.c). Each part does only what changed
 * inputs reach (plan_memo.c): the values are compared with the last
 * compile's and each changed parameter marks the tables and columns it
 * reaches; the action states likewise mark the accumulator groups, which are
 * reset and folded again; a table is rebuilt when a value or group it reads
 * is marked. The first compile marks everything, so a plan compiled again
 * holds what a fresh one would (test_plan_deps, bit for bit). Each table
 * builder computes what the step used to compute in its innermost loop, with
 * the same operations in the same order (plan.h's invariant); the comments
 * name the formula of the part that reads the table (cohort.c, joiners.c,
 * capacity.c, money.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "engine/plan_memo.h"
#include "engine/project.h"

/* The move matrix that covers children of need group `need` aged `age` at
 * the new census: the narrowest of those that name the group whose age range
 * holds it, or else the narrowest of those for every group, or -1. */
static int matrix_for(const scenario *s, int age, int need)
{
    for (int own = 1; own >= 0; own--) {
        int best = -1;
        for (size_t i = 0; i < s->nmoves; i++) {
            const movematrix *m = &s->moves[i];
            if (age < m->lo || age > m->hi || (own ? !m->needs || !m->needs[need] : m->needs != NULL)) continue;
            if (best < 0 || m->hi - m->lo < s->moves[best].hi - s->moves[best].lo) best = (int)i;
        }
        if (best >= 0) return best;
    }
    return -1;
}

/* A yearly rate or share that is a series of lists: any by_year at all. */
static int has_years(const series *r) { return r->def != NOPAR && r->n > 0; }

static int depth(const scenario *s, int p)
{
    int d = 0;
    for (int q = s->place[p].overflow_to; q >= 0 && d <= s->nplace; q = s->place[q].overflow_to) d++;
    return d;
}

/* ---- what each parameter reaches -------------------------------------------
 *
 * The tables built from values alone (stocks, base cease shares, joiners'
 * age x need shares, the scenario's own move matrices) are rebuilt only when
 * a parameter they read has changed since the last compile: each Monte Carlo
 * path changes a few parameters (growth, inflation, cost scale) that reach
 * none of them. The marks below list, for each of those builders, every
 * parameter it reads; a builder that comes to read another must mark it here
 * (test_plan_deps compiles incrementally against a fresh plan for every
 * parameter of every test scenario). The money's line amounts and the tables
 * the actions change are rebuilt at every compile. */
enum { DEP_STOCK = 1, DEP_CEASE = 2, DEP_AGEN = 4, DEP_MOVES = 8 };

static void mark(const scenario *s, plan *pl, size_t par, unsigned char bit)
{
    if (par != NOPAR && par < s->npar) pl->dep[par] |= bit;
}

static void mark_series(const scenario *s, plan *pl, const series *r, unsigned char bit)
{
    mark(s, pl, r->def, bit);
    for (size_t i = 0; i < r->n; i++) mark(s, pl, r->par[i], bit);
}

static void mark_band(const scenario *s, plan *pl, const firstband *f, unsigned char bit)
{
    mark(s, pl, f->shares, bit);
    for (size_t i = 0; i < f->nby; i++) mark(s, pl, f->by_shares[i], bit);
}

static void plan_deps(const scenario *s, plan *pl)
{
    const size_t P = (size_t)s->nplace, G = (size_t)s->nneeds;
    /* plan_stock */
    for (size_t p = 0; p < P; p++) mark(s, pl, s->stock[p], DEP_STOCK);
    for (size_t g = 0; g < G; g++) mark(s, pl, s->needs[g].share, DEP_STOCK);
    /* plan_cease_year (through plan_cease0) */
    mark_series(s, pl, &s->cease, DEP_CEASE);
    for (size_t p = 0; p < P; p++) mark_series(s, pl, &s->cease_place[p], DEP_CEASE);
    for (size_t n = 0; n < G; n++) {
        mark_series(s, pl, &s->cease_need[n], DEP_CEASE);
        mark(s, pl, s->needs[n].cease_mult, DEP_CEASE);
        for (size_t p = 0; p < P; p++) mark_series(s, pl, &s->cease_need_place[n * P + p], DEP_CEASE);
    }
    /* plan_join_agen (plan_join.c): age shares, incidence's populations and
     * rates, need shares by age band or each group's share */
    const joiners *j = &s->join;
    mark(s, pl, j->age_dist, DEP_AGEN);
    for (size_t i = 0; i < j->npopa; i++) mark(s, pl, j->popa_par[i], DEP_AGEN);
    mark_series(s, pl, &j->rate_age, DEP_AGEN);
    for (size_t b = 0; b < j->nneed_band; b++) mark_band(s, pl, &j->need_band[b], DEP_AGEN);
    for (size_t g = 0; g < G; g++) mark(s, pl, s->needs[g].share, DEP_AGEN);
    /* plan_base_moves */
    for (size_t i = 0; i < s->nmoves; i++) {
        mark(s, pl, s->moves[i].m, DEP_MOVES);
        for (size_t v = 0; v < s->moves[i].nby; v++) mark(s, pl, s->moves[i].by_m[v], DEP_MOVES);
    }
}

int plan_alloc(const scenario *s, plan *pl)
{
    memset(pl, 0, sizeof *pl);
    pl->ny = s->last_fy - s->first_fy + 1;
    pl->nages = s->nages;
    pl->nneeds = s->nneeds;
    pl->nplace = s->nplace;
    pl->nother = (int)s->nother;
    pl->nspend = s->nplace + (int)s->nother;
    pl->nfund = (int)s->nfund;
    pl->census0 = s->census0;
    pl->first_fy = s->first_fy;
    pl->cells = (size_t)s->nages * (size_t)s->nneeds * (size_t)s->nplace;
    const size_t ny = (size_t)pl->ny, A = (size_t)s->nages, P = (size_t)s->nplace, cells = pl->cells;

    const size_t G = (size_t)s->nneeds;
    /* matrices: every variant of every move matrix, then those the actions
     * edit (the arena grows when a compile needs more) */
    pl->nvariant = 0;
    for (size_t i = 0; i < s->nmoves; i++) pl->nvariant += 1 + s->moves[i].nby;
    pl->mat_cap = pl->nvariant + 16;
    pl->ent_cap = 16;
    /* leavers per year: by_year on a rate, or an action that may scale them */
    int leave_acts = 0;
    for (size_t i = 0; i < s->niv; i++) {
        if (s->iv[i].type != IV_MODIFY_TRANSITIONS) continue;
        pl->nmod++;
        leave_acts |= s->iv[i].modify == MODIFY_LEAVE_RATE;
        pl->first_cells |= s->iv[i].modify == MODIFY_CLOSE;
    }
    pl->cease_dynamic = leave_acts || has_years(&s->cease);
    for (int p = 0; p < s->nplace; p++) pl->cease_dynamic |= has_years(&s->cease_place[p]);
    for (size_t n = 0; n < G; n++) {
        pl->cease_dynamic |= has_years(&s->cease_need[n]);
        for (int p = 0; p < s->nplace; p++) pl->cease_dynamic |= has_years(&s->cease_need_place[n * P + (size_t)p]);
    }
    /* joiners by age and need per year: incidence, or need shares by age */
    int agen_years = s->join.driver == JOIN_INCIDENCE || s->join.nneed_band > 0;
    pl->agen_stride = agen_years ? A * G : 0;
    pl->nfirst = pl->first_cells ? (int)(A * G) : (int)s->join.nfirst;

    int fz_lo = s->first_fy, fz_hi = s->last_fy;
    for (int p = 0; p < s->nplace; p++) {
        if (s->place[p].price_base < fz_lo) fz_lo = s->place[p].price_base;
        if (s->place[p].price_base > fz_hi) fz_hi = s->place[p].price_base;
    }
    pl->fz_lo = fz_lo;
    pl->fz_n = fz_hi - fz_lo + 1;

    pl->stock0 = calloc(cells + 1, sizeof(double));
    pl->cease0 = calloc((pl->cease_dynamic ? ny : 1) * cells + 1, sizeof(double));
    if (leave_acts) pl->leave_factor = calloc(ny * cells + 1, sizeof(double));
    pl->mod_iv = calloc((size_t)pl->nmod + 1, sizeof *pl->mod_iv);
    pl->mod_move = calloc((size_t)pl->nmod * ny + 1, sizeof(double));
    pl->mod_year = calloc((size_t)pl->nmod * ny + 1, sizeof(double));
    if (pl->nmod) pl->dense = calloc(P * P + 1, sizeof(double));
    pl->cease_keep = calloc(ny * A + 1, sizeof(double));
    pl->move_of = calloc(ny * A * G + 1, sizeof(int));
    pl->matrix_of = calloc(A * G + 1, sizeof(int));
    pl->variant0 = calloc(s->nmoves + 1, sizeof(int));
    pl->base_matrix = calloc(pl->nvariant + 1, sizeof(int));
    pl->rows = calloc(pl->mat_cap * P + 1, sizeof(plan_row));
    pl->dest = calloc(pl->ent_cap, sizeof(int));
    pl->share = calloc(pl->ent_cap, sizeof(double));
    pl->join_base = calloc(ny + 1, sizeof(double));
    pl->join_factor = calloc(ny + 1, sizeof(double));
    pl->join_isp_keep = calloc(ny + 1, sizeof(double));
    pl->join_agen = calloc((agen_years ? ny : 1) * A * G + 1, sizeof(double));
    pl->first_of = calloc(A * G + 1, sizeof(int));
    pl->join_first = calloc(ny * (size_t)pl->nfirst * P + 1, sizeof(double));
    pl->places = calloc(ny * P + 1, sizeof(double));
    pl->overflow = calloc(P + 1, sizeof(plan_overflow));
    pl->backfill_from = calloc(P + 1, sizeof(int));
    pl->backfill_age = calloc(P + 1, sizeof(*pl->backfill_age));
    pl->unit_cost = calloc(ny * P + 1, sizeof(double));
    pl->cost_age = calloc(P * A + 1, sizeof(double));
    pl->cost_need = calloc((size_t)s->nneeds + 1, sizeof(double));
    pl->spend_other = calloc(ny * (size_t)pl->nother + 1, sizeof(double));
    pl->fund = calloc(ny * (size_t)pl->nfund + 1, sizeof(double));
    pl->cease_stay = calloc(ny * A + 1, sizeof(double));
    pl->move_keep = calloc(ny * A * P + 1, sizeof(double));
    pl->move_acts = calloc(A + 1, 1);
    pl->extra_places = calloc(ny * P + 1, sizeof(double));
    pl->limited = calloc(P + 1, 1);
    pl->cost_factor = calloc(ny * P + 1, sizeof(double));
    pl->frozen = calloc((size_t)pl->fz_n * P + 1, 1);
    pl->fund_adj = calloc(ny * (size_t)pl->nfund + 1, sizeof(double));
    pl->spend_adj = calloc(ny * (size_t)pl->nspend + 1, sizeof(double));
    pl->amount_other = calloc(ny * (size_t)pl->nother + 1, sizeof(double));
    pl->amount_fund = calloc(ny * (size_t)pl->nfund + 1, sizeof(double));
    pl->nval = s->nval;
    pl->last_val = calloc(s->nval + 1, sizeof(double));
    pl->dep = calloc(s->npar + 1, 1);
    pl->move_keep_last = calloc(ny * A * P + 1, sizeof(double));
    pl->move_acts_last = calloc(A + 1, 1);
    if (!pl->stock0 || !pl->cease0 || !pl->cease_keep || !pl->join_agen || !pl->first_of || !pl->join_first ||
        (leave_acts && !pl->leave_factor) || !pl->mod_iv || !pl->mod_move || !pl->mod_year ||
        (pl->nmod && !pl->dense) || !pl->variant0 || !pl->amount_other || !pl->amount_fund || !pl->last_val ||
        !pl->dep || !pl->move_keep_last || !pl->move_acts_last || !pl->move_of || !pl->matrix_of || !pl->base_matrix ||
        !pl->rows || !pl->dest || !pl->share || !pl->join_base || !pl->join_factor || !pl->join_isp_keep ||
        !pl->places || !pl->overflow || !pl->backfill_from || !pl->backfill_age || !pl->unit_cost || !pl->cost_age ||
        !pl->cost_need || !pl->spend_other || !pl->fund || !pl->cease_stay || !pl->move_keep || !pl->move_acts ||
        !pl->extra_places || !pl->limited || !pl->cost_factor || !pl->frozen || !pl->fund_adj || !pl->spend_adj) {
        plan_free(pl);
        return HNB_E_NOMEM;
    }
    if (plan_money_alloc(pl) || plan_memo_alloc(s, pl)) {
        plan_free(pl);
        return HNB_E_NOMEM;
    }

    plan_deps(s, pl);
    for (size_t i = 0, v = 0; i < s->nmoves; v += 1 + s->moves[i].nby, i++) pl->variant0[i] = (int)v;
    for (size_t i = 0, m = 0; i < s->niv; i++)
        if (s->iv[i].type == IV_MODIFY_TRANSITIONS) pl->mod_iv[m++] = &s->iv[i];
    for (int a = 0; a < s->nages; a++)
        for (int n = 0; n < s->nneeds; n++) {
            size_t an = (size_t)a * G + (size_t)n;
            pl->matrix_of[an] = matrix_for(s, a, n);
            int b = plan_band_for(s, a, n);
            pl->first_of[an] = b < 0 ? -1 : pl->first_cells ? (int)an : b;
        }
    /* overflow: deepest in the chain first, so a placement sees every child
     * that overflows into it */
    int maxd = 0;
    for (int p = 0; p < s->nplace; p++) {
        int d = depth(s, p);
        if (d > maxd) maxd = d;
    }
    for (int d = maxd; d >= 1; d--)
        for (int p = 0; p < s->nplace; p++)
            if (s->place[p].overflow_to >= 0 && depth(s, p) == d)
                pl->overflow[pl->noverflow++] = (plan_overflow){p, s->place[p].overflow_to};
    for (int p = 0; p < s->nplace; p++) {
        const placement *q = &s->place[p];
        pl->backfill_from[p] = q->backfill_from;
        pl->backfill_age[p] = q->backfill_age;
        /* limited: capacity steps, or an add_capacity action (on or off) */
        pl->limited[p] = q->ncap > 0;
        for (size_t i = 0; !pl->limited[p] && i < s->niv; i++)
            pl->limited[p] = s->iv[i].type == IV_ADD_CAPACITY && s->iv[i].placement == p;
    }
    return HNB_OK;
}

void plan_free(plan *pl)
{
    void *all[] = {pl->stock0,      pl->cease0,      pl->cease_keep,    pl->move_of,        pl->matrix_of,
                   pl->variant0,    pl->base_matrix, pl->leave_factor,  (void *)pl->mod_iv, pl->mod_move,
                   pl->mod_year,    pl->dense,       pl->rows,          pl->dest,           pl->share,
                   pl->join_base,   pl->join_factor, pl->join_isp_keep, pl->join_agen,      pl->first_of,
                   pl->join_first,  pl->places,      pl->overflow,      pl->backfill_from,  (void *)pl->backfill_age,
                   pl->unit_cost,   pl->cost_age,    pl->cost_need,     pl->spend_other,    pl->fund,
                   pl->cease_stay,  pl->move_keep,   pl->move_acts,     pl->extra_places,   pl->limited,
                   pl->cost_factor, pl->frozen,      pl->fund_adj,      pl->spend_adj,      pl->amount_other,
                   pl->amount_fund, pl->last_val,    pl->dep,           pl->move_keep_last, pl->move_acts_last};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) free(all[i]);
    plan_money_free(pl);
    plan_moves_free(pl);
    plan_memo_free(pl);
    memset(pl, 0, sizeof *pl);
}

/* Stocks at the starting census, split over need groups by their shares. */
static void plan_stock(const scenario *s, const double *val, plan *pl)
{
    pl->stock_gen++;
    for (int a = 0; a < s->nages; a++)
        for (int g = 0; g < s->nneeds; g++) {
            double share = par_val(s, val, s->needs[g].share)[0];
            for (int p = 0; p < s->nplace; p++)
                pl->stock0[cell(s, a, g, p)] = s->stock[p] == NOPAR ? 0.0 : par_val(s, val, s->stock[p])[a] * share;
        }
}

/* cohort_leave_and_age: c = min(1, rate(a, p) x need multiplier), then
 * 1 - (1 - c) x cease_keep with the actions' earlier ceasing (the step does
 * that part); every plan ceases at the last age. */
static void plan_cease_year(const scenario *s, const double *val, int fy, double *c)
{
    const int A = s->nages, G = s->nneeds, P = s->nplace;
    const double *base = par_val(s, val, series_par(&s->cease, fy));
    for (int a = 0; a < A; a++)
        for (int p = 0; p < P; p++) {
            const series *shared = &s->cease_place[p];
            const double *rate = shared->def != NOPAR ? par_val(s, val, series_par(shared, fy)) : base;
            for (int n = 0; n < G; n++) {
                /* the group's own rates as given; the shared ones times its multiplier */
                const series *own = &s->cease_need_place[(size_t)n * (size_t)P + (size_t)p];
                if (own->def == NOPAR) own = &s->cease_need[n];
                if (own->def != NOPAR) {
                    *c++ = par_val(s, val, series_par(own, fy))[a];
                    continue;
                }
                double x = rate[a] * par_val(s, val, s->needs[n].cease_mult)[0];
                *c++ = x > 1.0 ? 1.0 : x;
            }
        }
}

static void plan_cease0(const scenario *s, const double *val, plan *pl)
{
    pl->cease_stride = 0;
    if (!pl->cease_dynamic) plan_cease_year(s, val, s->census0, pl->cease0);
}

/* Per year, when a rate has by_year or an action may scale it: rebuilt at
 * every compile, after the actions have folded leave_factor. */
static void plan_cease_dynamic(const scenario *s, const double *val, plan *pl)
{
    if (!pl->cease_dynamic) return;
    pl->cease_stride = pl->cells;
    for (int k = 0; k < pl->ny; k++) {
        double *c = pl->cease0 + (size_t)k * pl->cells;
        plan_cease_year(s, val, pl->census0 + k, c);
        if (!pl->leave_factor) continue;
        const double *f = pl->leave_factor + (size_t)k * pl->cells;
        for (size_t i = 0; i < pl->cells; i++)
            if (f[i] != 1.0) {
                double x = c[i] * f[i];
                c[i] = x > 1.0 ? 1.0 : x;
            }
    }
}

static void plan_cease_keep(plan *pl)
{
    for (size_t i = 0; i < (size_t)pl->ny * (size_t)pl->nages; i++) pl->cease_keep[i] = 1.0 - (1.0 - pl->cease_stay[i]);
}

/* capacity_apply: places at the census closing the step (places open on or
 * before 1 January count) plus those actions add; INFINITY if no limit. A
 * placement's column is rebuilt when its capacity steps' values or the
 * actions adding to it have changed (plan_memo.h). */
static void plan_capacity(const scenario *s, const double *val, plan *pl)
{
    const plan_memo *m = pl->memo;
    for (int p = 0; p < s->nplace; p++) {
        if (!memo_t(pl, m->t_cap + p) && !memo_g(pl, m->g_places + p)) continue;
        const placement *q = &s->place[p];
        for (int k = 0; k < pl->ny; k++) {
            double *x = &pl->places[(size_t)k * (size_t)s->nplace + (size_t)p];
            if (!pl->limited[p]) {
                *x = INFINITY;
                continue;
            }
            double when = census_months(s->census0 + k + 1), c = 0.0;
            for (size_t i = 0; i < q->ncap; i++)
                if (q->cap[i].from <= when) c = par_val(s, val, q->cap[i].places)[0];
            *x = c + pl->extra_places[(size_t)k * (size_t)s->nplace + (size_t)p];
        }
    }
}

int plan_compile(const scenario *s, const double *val, const ivstate *ivs, plan *pl)
{
    plan_memo *m = pl->memo;
    /* what depends on values alone, where they have changed: the values
     * are compared parameter by parameter, and each changed one marks the
     * tables (and columns) it reaches (plan_memo.c) */
    unsigned reach = plan_memo_values(s, val, pl);
    pl->have_last = 0; /* until everything below is rebuilt */
    int rc = plan_base_moves(s, val, pl, (reach & DEP_MOVES) != 0);
    if (rc) {
        plan_memo_invalidate(pl);
        return rc;
    }
    if (reach & DEP_STOCK) plan_stock(s, val, pl);
    if (reach & DEP_CEASE) plan_cease0(s, val, pl);
    if (reach & DEP_AGEN) plan_join_agen(s, val, pl);
    plan_money_values(s, val, pl);
    pl->have_last = 1;
    /* what the actions change, where an action state or a value its
     * builders read has changed (every group when the memo is spent) */
    pl->s = s;
    pl->val = val;
    pl->ivs = ivs;
    plan_memo_actions(s, val, ivs, pl);
    m->valid = 0; /* until every table below is rebuilt */
    if (memo_g(pl, m->g_cease)) plan_cease_keep(pl);
    if (memo_g(pl, m->g_mod) || (reach & DEP_CEASE)) plan_cease_dynamic(s, val, pl);
    if ((reach & DEP_MOVES) || memo_g(pl, m->g_movek) || memo_g(pl, m->g_mod) || (!pl->nmod && !pl->moves_memo)) {
        rc = plan_moves_memo(s, pl);
        if (rc) return rc;
    }
    plan_joiners(s, val, ivs, pl);
    plan_capacity(s, val, pl);
    plan_money_changed(s, val, pl);
    plan_memo_done(pl);
    return HNB_OK;
}
