/* plan.c: compile a scenario's values and action states into a plan (plan.h).
 *
 * plan_compile runs in three parts: reset the accumulators, let every action
 * that is on fold its effect into them (iv_fold, intervention.c), then build
 * each table from the assumptions and the accumulators: stocks, leavers,
 * moves, joiners, capacity, money. Each table builder computes what the step
 * used to compute in its innermost loop, with the same operations in the same
 * order (plan.h's invariant); the comments name the formula of the part that
 * reads the table (cohort.c, joiners.c, capacity.c, money.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "engine/project.h"

/* The move matrix that covers children aged `age` at the new census: the
 * narrowest whose age range holds it, or -1. */
static int matrix_for(const scenario *s, int age)
{
    int best = -1;
    for (size_t i = 0; i < s->nmoves; i++) {
        const movematrix *m = &s->moves[i];
        if (age < m->lo || age > m->hi) continue;
        if (best < 0 || m->hi - m->lo < s->moves[best].hi - s->moves[best].lo) best = (int)i;
    }
    return best;
}

static int depth(const scenario *s, int p)
{
    int d = 0;
    for (int q = s->place[p].overflow_to; q >= 0 && d <= s->nplace; q = s->place[q].overflow_to) d++;
    return d;
}

/* Shape-only data kept in the plan: what matrix covers each age. */
typedef struct plan_shape {
    int *matrix_of_age;
} plan_shape;

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

    /* matrices: one per move matrix, and one per (year, age) an action may edit */
    size_t edit_ages = 0;
    for (int a = 0; a < s->nages; a++) {
        int any = 0;
        for (size_t i = 0; i < s->niv && !any; i++)
            any = s->iv[i].type == IV_REDUCE_MOVES && s->iv[i].ages && s->iv[i].ages[a];
        edit_ages += any && matrix_for(s, a) >= 0;
    }
    pl->mat_cap = s->nmoves + ny * edit_ages;
    pl->ent_cap = 16;

    int fz_lo = s->first_fy, fz_hi = s->last_fy;
    for (int p = 0; p < s->nplace; p++) {
        if (s->place[p].price_base < fz_lo) fz_lo = s->place[p].price_base;
        if (s->place[p].price_base > fz_hi) fz_hi = s->place[p].price_base;
    }
    pl->fz_lo = fz_lo;
    pl->fz_n = fz_hi - fz_lo + 1;

    pl->stock0 = calloc(cells + 1, sizeof(double));
    pl->cease0 = calloc(cells + 1, sizeof(double));
    pl->cease_keep = calloc(ny * A + 1, sizeof(double));
    pl->move_of = calloc(ny * A + 1, sizeof(int));
    pl->matrix_of_age = calloc(A + 1, sizeof(int));
    pl->base_matrix = calloc(s->nmoves + 1, sizeof(int));
    pl->rows = calloc(pl->mat_cap * P + 1, sizeof(plan_row));
    pl->dest = calloc(pl->ent_cap, sizeof(int));
    pl->share = calloc(pl->ent_cap, sizeof(double));
    pl->join_base = calloc(ny + 1, sizeof(double));
    pl->join_factor = calloc(ny + 1, sizeof(double));
    pl->join_isp_keep = calloc(ny + 1, sizeof(double));
    pl->nfirst = (int)s->join.nfirst;
    pl->join_agen = calloc(A * (size_t)s->nneeds + 1, sizeof(double));
    pl->band_of_age = calloc(A + 1, sizeof(int));
    pl->join_first = calloc(ny * s->join.nfirst * P + 1, sizeof(double));
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
    if (!pl->stock0 || !pl->cease0 || !pl->cease_keep || !pl->join_agen || !pl->band_of_age || !pl->join_first ||
        !pl->amount_other || !pl->amount_fund || !pl->last_val || !pl->move_of || !pl->matrix_of_age ||
        !pl->base_matrix || !pl->rows || !pl->dest || !pl->share || !pl->join_base || !pl->join_factor ||
        !pl->join_isp_keep || !pl->places || !pl->overflow || !pl->backfill_from || !pl->backfill_age ||
        !pl->unit_cost || !pl->cost_age || !pl->cost_need || !pl->spend_other || !pl->fund || !pl->cease_stay ||
        !pl->move_keep || !pl->move_acts || !pl->extra_places || !pl->limited || !pl->cost_factor || !pl->frozen ||
        !pl->fund_adj || !pl->spend_adj) {
        plan_free(pl);
        return HNB_E_NOMEM;
    }

    for (int a = 0; a < s->nages; a++) {
        pl->matrix_of_age[a] = matrix_for(s, a);
        pl->band_of_age[a] = -1; /* the last band holding the age wins, as bands are written in order */
        for (size_t b = 0; b < s->join.nfirst; b++)
            if (a >= s->join.first[b].lo && a <= s->join.first[b].hi) pl->band_of_age[a] = (int)b;
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
    void *all[] = {pl->stock0,
                   pl->cease0,
                   pl->cease_keep,
                   pl->move_of,
                   pl->matrix_of_age,
                   pl->base_matrix,
                   pl->rows,
                   pl->dest,
                   pl->share,
                   pl->join_base,
                   pl->join_factor,
                   pl->join_isp_keep,
                   pl->join_agen,
                   pl->band_of_age,
                   pl->join_first,
                   pl->places,
                   pl->overflow,
                   pl->backfill_from,
                   (void *)pl->backfill_age,
                   pl->unit_cost,
                   pl->cost_age,
                   pl->cost_need,
                   pl->spend_other,
                   pl->fund,
                   pl->cease_stay,
                   pl->move_keep,
                   pl->move_acts,
                   pl->extra_places,
                   pl->limited,
                   pl->cost_factor,
                   pl->frozen,
                   pl->fund_adj,
                   pl->spend_adj,
                   pl->amount_other,
                   pl->amount_fund,
                   pl->last_val};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) free(all[i]);
    memset(pl, 0, sizeof *pl);
}

static void reset_accumulators(plan *pl)
{
    const size_t ny = (size_t)pl->ny, A = (size_t)pl->nages, P = (size_t)pl->nplace;
    for (size_t i = 0; i < ny * A; i++) pl->cease_stay[i] = 1.0;
    for (size_t i = 0; i < ny * A * P; i++) pl->move_keep[i] = 1.0;
    memset(pl->move_acts, 0, A);
    for (size_t i = 0; i < ny; i++) pl->join_factor[i] = 1.0;
    for (size_t i = 0; i < ny * P; i++) pl->extra_places[i] = 0.0;
    for (size_t i = 0; i < ny * P; i++) pl->cost_factor[i] = 1.0;
    memset(pl->frozen, 0, (size_t)pl->fz_n * P);
    for (size_t i = 0; i < ny * (size_t)pl->nfund; i++) pl->fund_adj[i] = 0.0;
    for (size_t i = 0; i < ny * (size_t)pl->nspend; i++) pl->spend_adj[i] = 0.0;
}

/* Stocks at the starting census, split over need groups by their shares. */
static void plan_stock(const scenario *s, const double *val, plan *pl)
{
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
static void plan_cease0(const scenario *s, const double *val, plan *pl)
{
    const int A = s->nages, G = s->nneeds, P = s->nplace;
    const double *base = par_val(s, val, s->cease);
    double *c = pl->cease0;
    pl->cease_stride = 0;
    for (int a = 0; a < A; a++)
        for (int p = 0; p < P; p++) {
            const double *rate = s->cease_place[p] != NOPAR ? par_val(s, val, s->cease_place[p]) : base;
            for (int n = 0; n < G; n++) {
                double x = rate[a] * par_val(s, val, s->needs[n].cease_mult)[0];
                *c++ = x > 1.0 ? 1.0 : x;
            }
        }
}

static void plan_cease_keep(plan *pl)
{
    for (size_t i = 0; i < (size_t)pl->ny * (size_t)pl->nages; i++) pl->cease_keep[i] = 1.0 - (1.0 - pl->cease_stay[i]);
}

/* Store a dense nplace x nplace matrix sparse; returns its index, or -1 for
 * the identity (nobody moves), or -2 if the arena could not grow. */
static int store_matrix(plan *pl, const double *m)
{
    const int P = pl->nplace;
    size_t need = 0;
    int identity = 1;
    for (int p = 0; p < P; p++)
        for (int q = 0; q < P; q++) {
            double x = m[(size_t)p * (size_t)P + (size_t)q];
            if (q == p) {
                identity = identity && x == 1.0;
            } else if (x != 0.0) {
                need++;
                identity = 0;
            }
        }
    if (identity) return -1;
    if (pl->nmat >= pl->mat_cap) return -2;
    if (pl->nent + need > pl->ent_cap) {
        size_t cap = pl->ent_cap;
        while (cap < pl->nent + need) cap *= 2;
        int *d = realloc(pl->dest, cap * sizeof *d);
        if (!d) return -2;
        pl->dest = d;
        double *sh = realloc(pl->share, cap * sizeof *sh);
        if (!sh) return -2;
        pl->share = sh;
        pl->ent_cap = cap;
    }
    plan_row *rows = pl->rows + pl->nmat * (size_t)P;
    for (int p = 0; p < P; p++) {
        const double *r = m + (size_t)p * (size_t)P;
        plan_row *w = &rows[p];
        w->stay = r[p];
        w->first = (int)pl->nent;
        w->n = w->below = 0;
        /* the norm of the row as gsl_ran_multinomial sums it (zeros add nothing) */
        w->norm = 0.0;
        for (int q = 0; q < P; q++) {
            if (r[q] != 0.0) w->norm += r[q];
            if (q == p || r[q] == 0.0) continue;
            pl->dest[pl->nent] = q;
            pl->share[pl->nent] = r[q];
            pl->nent++;
            w->n++;
            if (q < p) w->below++;
        }
    }
    return (int)pl->nmat++;
}

/* The scenario's own matrices, stored first in the arena; rebuilt only when
 * their values differ from the last compile's. */
static int plan_base_moves(const scenario *s, const double *val, plan *pl, int changed)
{
    if (!changed) return HNB_OK;
    pl->nmat = pl->nent = 0;
    for (size_t i = 0; i < s->nmoves; i++) {
        int m = store_matrix(pl, par_val(s, val, s->moves[i].m));
        if (m == -2) return HNB_E_NOMEM; /* have_last stays 0: everything is rebuilt next time */
        pl->base_matrix[i] = m;
    }
    pl->nmat_base = pl->nmat;
    pl->nent_base = pl->nent;
    return HNB_OK;
}

/* A stored matrix `base` (or the identity, -1) with the flows into each
 * placement q kept back by keep[q]: a share (1 - keep[q]) of the flow p -> q
 * stays in p. Done on the sparse rows, in the order the dense edit took them
 * (column by column, so each row's stay gains its kept shares in ascending
 * destination order). Returns the new matrix, -1 (identity) or -2 (no room). */
static int edit_matrix(plan *pl, int base, const double *keep)
{
    const int P = pl->nplace;
    if (base < 0) return -1; /* the identity has no flows to keep back */
    if (pl->nmat >= pl->mat_cap) return -2;
    const plan_row *from = pl->rows + (size_t)base * (size_t)P;
    size_t need = 0;
    for (int p = 0; p < P; p++) need += (size_t)from[p].n;
    if (pl->nent + need > pl->ent_cap) {
        size_t cap = pl->ent_cap;
        while (cap < pl->nent + need) cap *= 2;
        int *d = realloc(pl->dest, cap * sizeof *d);
        if (!d) return -2;
        pl->dest = d;
        double *sh = realloc(pl->share, cap * sizeof *sh);
        if (!sh) return -2;
        pl->share = sh;
        pl->ent_cap = cap;
        from = pl->rows + (size_t)base * (size_t)P;
    }
    plan_row *rows = pl->rows + pl->nmat * (size_t)P;
    int identity = 1;
    for (int p = 0; p < P; p++) {
        const plan_row *f = &from[p];
        plan_row *w = &rows[p];
        w->stay = f->stay;
        w->first = (int)pl->nent;
        w->n = w->below = 0;
        for (int e = 0; e < f->n; e++) {
            int q = pl->dest[f->first + e];
            double x = pl->share[f->first + e];
            if (keep[q] != 1.0) {
                double kept = x * (1.0 - keep[q]);
                x -= kept;
                w->stay += kept;
            }
            if (x == 0.0) continue;
            pl->dest[pl->nent] = q;
            pl->share[pl->nent] = x;
            pl->nent++;
            w->n++;
            if (q < p) w->below++;
        }
        identity = identity && w->n == 0 && w->stay == 1.0;
    }
    /* the norm of each row as gsl_ran_multinomial sums it, in column order */
    for (int p = 0; p < P; p++) {
        plan_row *w = &rows[p];
        w->norm = 0.0;
        for (int e = 0; e < w->below; e++) w->norm += pl->share[w->first + e];
        if (w->stay != 0.0) w->norm += w->stay;
        for (int e = w->below; e < w->n; e++) w->norm += pl->share[w->first + e];
    }
    if (identity) {
        pl->nent = (size_t)rows[0].first;
        return -1;
    }
    return (int)pl->nmat++;
}

/* cohort_move: the age's matrix, with any action that keeps children out of a
 * placement: a share (1 - f) of the flow p -> q stays in p instead. */
static int plan_moves(const scenario *s, plan *pl)
{
    const int A = s->nages, P = s->nplace;
    pl->nmat = pl->nmat_base;
    pl->nent = pl->nent_base;
    for (int k = 0; k < pl->ny; k++)
        for (int a = 0; a < A; a++) {
            int mm = pl->matrix_of_age[a], *to = &pl->move_of[(size_t)k * (size_t)A + (size_t)a];
            *to = mm < 0 ? -1 : pl->base_matrix[mm];
            if (mm < 0 || !pl->move_acts[a]) continue;
            const double *keep = pl->move_keep + ((size_t)k * (size_t)A + (size_t)a) * (size_t)P;
            int edits = 0;
            for (int q = 0; q < P && !edits; q++) edits = keep[q] != 1.0;
            if (!edits) continue;
            int m = edit_matrix(pl, *to, keep);
            if (m == -2) return HNB_E_NOMEM;
            *to = m;
        }
    return HNB_OK;
}

static double growth_to(const scenario *s, const double *val, const series *g, int census)
{
    double f = 1.0;
    for (int y = s->census0 + 1; y <= census; y++) f *= 1.0 + series_at(s, val, g, y);
    return f;
}

static double population(const scenario *s, const double *val, int census)
{
    const joiners *j = &s->join;
    double x = 0.0;
    int best = -1;
    for (size_t i = 0; i < j->npop; i++) /* the latest year given, at or before census */
        if (j->pop_census[i] <= census && j->pop_census[i] > best) {
            best = j->pop_census[i];
            x = par_val(s, val, j->pop_par[i])[0];
        }
    if (best < 0 && j->npop) x = par_val(s, val, j->pop_par[0])[0];
    return x;
}

/* joiners_add: the driver's number before the stocks enter it, what the
 * actions leave of it, and each cell's share: (age share x need share) x
 * first placement (after any shift) of the age's band. */
static void plan_join_agen(const scenario *s, const double *val, plan *pl)
{
    const double *age = par_val(s, val, s->join.age_dist);
    for (int a = 0; a < s->nages; a++)
        for (int n = 0; n < s->nneeds; n++)
            pl->join_agen[(size_t)a * (size_t)s->nneeds + (size_t)n] = age[a] * par_val(s, val, s->needs[n].share)[0];
}

static void plan_joiners(const scenario *s, const double *val, const ivstate *ivs, plan *pl)
{
    const joiners *j = &s->join;
    const int P = s->nplace;
    pl->driver = (int)j->driver;
    for (int k = 0; k < pl->ny; k++) {
        int census = s->census0 + k;
        double b = 0.0;
        switch (j->driver) {
        case JOIN_TOTAL_GROWTH: b = 1.0 + series_at(s, val, &j->growth, census); break;
        case JOIN_NEW_PLANS: b = par_val(s, val, j->count)[0] * growth_to(s, val, &j->growth, census); break;
        case JOIN_REQUESTS:
            b = par_val(s, val, j->count)[0] * growth_to(s, val, &j->growth, census) *
                series_at(s, val, &j->conversion, census);
            break;
        case JOIN_PREVALENCE:
            b = series_at(s, val, &j->per10k, census) / 10000.0 * population(s, val, census + 1);
            break;
        case JOIN_INCIDENCE:
        case JOIN_NDRIVERS: break;
        }
        pl->join_base[k] = b;
        pl->join_isp_keep[k] = reform_isp_keep(s, val, ivs, census);
        for (size_t bd = 0; bd < j->nfirst; bd++) {
            double *row = pl->join_first + ((size_t)k * j->nfirst + bd) * (size_t)P;
            const double *sh = par_val(s, val, j->first[bd].shares);
            for (int p = 0; p < P; p++) row[p] = sh[p];
            iv_shift_first(s, val, ivs, census, row);
        }
    }
}

/* capacity_apply: places at the census closing the step (places open on or
 * before 1 January count) plus those actions add; INFINITY if no limit. */
static void plan_capacity(const scenario *s, const double *val, plan *pl)
{
    for (int k = 0; k < pl->ny; k++) {
        double when = census_months(s->census0 + k + 1);
        for (int p = 0; p < s->nplace; p++) {
            const placement *q = &s->place[p];
            double *x = &pl->places[(size_t)k * (size_t)s->nplace + (size_t)p];
            if (!pl->limited[p]) {
                *x = INFINITY;
                continue;
            }
            double c = 0.0;
            for (size_t i = 0; i < q->ncap; i++)
                if (q->cap[i].from <= when) c = par_val(s, val, q->cap[i].places)[0];
            *x = c + pl->extra_places[(size_t)k * (size_t)s->nplace + (size_t)p];
        }
    }
}

static int frozen(const plan *pl, int p, int fy)
{
    return pl->frozen[(size_t)(fy - pl->fz_lo) * (size_t)pl->nplace + (size_t)p];
}

/* money_year: unit costs uplifted from their price base (not in a year an
 * action freezes), scaled and changed by fee actions; age and need
 * multipliers; other spend and funding lines after the actions. */
static void plan_money(const scenario *s, const double *val, plan *pl)
{
    const int P = s->nplace;
    for (int k = 0; k < pl->ny; k++) {
        int fy = s->first_fy + k;
        for (int p = 0; p < P; p++) {
            const placement *q = &s->place[p];
            double c = par_val(s, val, q->unit_cost)[0];
            for (int y = q->price_base + 1; y <= fy; y++)
                if (!frozen(pl, p, y)) c *= 1.0 + series_at(s, val, &q->inflation, y);
            for (int y = fy + 1; y <= q->price_base; y++) /* a year before the price base */
                if (!frozen(pl, p, y)) c /= 1.0 + series_at(s, val, &q->inflation, y);
            pl->unit_cost[(size_t)k * (size_t)P + (size_t)p] =
                c * par_val(s, val, s->cost_scale)[0] * pl->cost_factor[(size_t)k * (size_t)P + (size_t)p];
        }
        for (int o = 0; o < pl->nother; o++)
            pl->spend_other[(size_t)k * (size_t)pl->nother + (size_t)o] =
                pl->amount_other[(size_t)k * (size_t)pl->nother + (size_t)o] -
                pl->spend_adj[(size_t)k * (size_t)pl->nspend + (size_t)(P + o)];
        for (int l = 0; l < pl->nfund; l++)
            pl->fund[(size_t)k * (size_t)pl->nfund + (size_t)l] =
                pl->amount_fund[(size_t)k * (size_t)pl->nfund + (size_t)l] +
                pl->fund_adj[(size_t)k * (size_t)pl->nfund + (size_t)l];
    }
}

/* Money that depends on values alone: line amounts before actions, the age
 * and need multipliers, the opening balance and the interest rate. */
static void plan_money_values(const scenario *s, const double *val, plan *pl)
{
    const int P = s->nplace;
    for (int k = 0; k < pl->ny; k++) {
        int fy = s->first_fy + k;
        for (int o = 0; o < pl->nother; o++)
            pl->amount_other[(size_t)k * (size_t)pl->nother + (size_t)o] = line_amount(s, val, &s->other[o], fy);
        for (int l = 0; l < pl->nfund; l++)
            pl->amount_fund[(size_t)k * (size_t)pl->nfund + (size_t)l] = line_amount(s, val, &s->fund[l], fy);
    }
    for (int p = 0; p < P; p++) {
        const placement *q = &s->place[p];
        for (int a = 0; a < s->nages; a++) {
            double m = 1.0;
            for (size_t b = 0; b < q->ncost_bands; b++)
                if (a >= q->cost_bands[b].lo && a <= q->cost_bands[b].hi) m = par_val(s, val, q->cost_bands[b].par)[0];
            pl->cost_age[(size_t)a * (size_t)P + (size_t)p] = m;
        }
    }
    for (int g = 0; g < s->nneeds; g++) pl->cost_need[g] = par_val(s, val, s->needs[g].cost_mult)[0];
    pl->balance = par_val(s, val, s->balance)[0];
    pl->interest = par_val(s, val, s->interest)[0];
}

int plan_compile(const scenario *s, const double *val, const ivstate *ivs, plan *pl)
{
    /* what depends on values alone, when they have changed */
    if (!pl->have_last || memcmp(val, pl->last_val, pl->nval * sizeof(double)) != 0) {
        /* copy only what changed, noting whether a move matrix did (the
         * matrices are most of the values of a large case) */
        int moves_changed = !pl->have_last;
        for (size_t i = 0; i < s->npar; i++) {
            const param *q = &s->par[i];
            if (pl->have_last && memcmp(val + q->off, pl->last_val + q->off, q->n * sizeof(double)) == 0) continue;
            memcpy(pl->last_val + q->off, val + q->off, q->n * sizeof(double));
            for (size_t m = 0; m < s->nmoves && !moves_changed; m++) moves_changed = s->moves[m].m == i;
        }
        pl->have_last = 0; /* until everything below is rebuilt */
        int rc = plan_base_moves(s, val, pl, moves_changed);
        if (rc) return rc;
        plan_stock(s, val, pl);
        plan_cease0(s, val, pl);
        plan_join_agen(s, val, pl);
        plan_money_values(s, val, pl);
        pl->have_last = 1;
    }
    /* what the actions change */
    pl->s = s;
    pl->val = val;
    pl->ivs = ivs;
    pl->protecting = reform_protecting(s, ivs);
    pl->reassessing = 0;
    for (size_t i = 0; i < s->niv && !pl->reassessing; i++)
        pl->reassessing = ivs[i].on && s->iv[i].type == IV_REASSESSMENT;
    reset_accumulators(pl);
    iv_fold(s, val, ivs, pl);
    plan_cease_keep(pl);
    int rc = plan_moves(s, pl);
    if (rc) return rc;
    plan_joiners(s, val, ivs, pl);
    plan_capacity(s, val, pl);
    plan_money(s, val, pl);
    return HNB_OK;
}
