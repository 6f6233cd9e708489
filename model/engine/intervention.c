/* intervention.c: what management-plan actions do, folded into the plan.
 *
 * One builder per action type folds an action that is on into the plan's
 * accumulators (plan.h) for every year of the projection; plan.c turns them
 * into the tables the step reads. The kernel never sees the action list.
 *
 * Each action has a start date and a ramp (months to full effect). Effects on
 * children in a census step (fewer new plans, earlier ceasing, a shifted first
 * placement) take the ramp's mean over the calendar year of the step, since
 * those events happen through the year; an effect at a moment (places at the
 * census date, moves at the September key-stage transfer) takes the ramp's
 * value then. Effects on money take the mean over the financial year, which
 * is how a part-year saving is pro-rated ("from 1 October: 6/12"). Several
 * actions of one kind combine multiplicatively, so that two 10% reductions
 * give 19%, never more than 100%; shifts of first placement act together on
 * the stated shares, so the order actions are listed in never matters.
 * Builders run in list order and each folds its term into a table that starts
 * at 1 (products) or 0 (sums), so every cell sees the same operations in the
 * same order as when the effect was computed cell by cell.
 * See docs/methodology.md. */
#include <math.h>
#include <string.h>

#include "core/dates.h"
#include "engine/project.h"

static double size_of(const scenario *s, const double *val, const intervention *iv)
{
    return iv->size == NOPAR ? 0.0 : par_val(s, val, iv->size)[0];
}

/* Mean effect over the calendar year `calyear`. */
static double over_calyear(const intervention *iv, const ivstate *st, int calyear)
{
    return ramp_mean(st->start, iv->ramp, 12.0 * calyear, 12.0 * (calyear + 1));
}

static double over_fy(const intervention *iv, const ivstate *st, int fy)
{
    return ramp_mean(st->start, iv->ramp, fy_start_months(fy), fy_start_months(fy + 1));
}

typedef void builder(const scenario *s, const double *val, const intervention *iv, const ivstate *st, plan *pl);

static void reduce_joiners(const scenario *s, const double *val, const intervention *iv, const ivstate *st, plan *pl)
{
    double x = size_of(s, val, iv);
    for (int k = 0; k < pl->ny; k++) pl->join_factor[k] *= 1.0 - x * over_calyear(iv, st, pl->census0 + k);
}

/* Places at the census date closing step k (January census0 + k + 1). */
static void add_capacity(const scenario *s, const double *val, const intervention *iv, const ivstate *st, plan *pl)
{
    if (iv->placement < 0 || iv->placement >= pl->nplace) return;
    double x = size_of(s, val, iv);
    for (int k = 0; k < pl->ny; k++)
        pl->extra_places[(size_t)k * (size_t)pl->nplace + (size_t)iv->placement] +=
            x * ramp_at(st->start, iv->ramp, census_months(pl->census0 + k + 1));
}

/* Shifts act together (iv_shift_first, called by plan.c): nothing to fold. */
static void shift_first(const scenario *s, const double *val, const intervention *iv, const ivstate *st, plan *pl)
{
    (void)s, (void)val, (void)iv, (void)st, (void)pl;
}

static void unit_cost(const scenario *s, const double *val, const intervention *iv, const ivstate *st, plan *pl)
{
    if (iv->placement < 0 || iv->placement >= pl->nplace) return;
    double x = size_of(s, val, iv);
    for (int k = 0; k < pl->ny; k++)
        pl->cost_factor[(size_t)k * (size_t)pl->nplace + (size_t)iv->placement] *=
            1.0 + x * over_fy(iv, st, pl->first_fy + k);
}

static void uplift_freeze(const scenario *s, const double *val, const intervention *iv, const ivstate *st, plan *pl)
{
    (void)s, (void)val, (void)st;
    if (iv->fy < pl->fz_lo || iv->fy >= pl->fz_lo + pl->fz_n) return; /* a year no unit cost reaches */
    unsigned char *f = pl->frozen + (size_t)(iv->fy - pl->fz_lo) * (size_t)pl->nplace;
    for (int p = 0; p < pl->nplace; p++)
        if (iv->placement < 0 || iv->placement == p) f[p] = 1;
}

/* The financial year an action's start falls in. */
static int start_fy(double start) { return (int)floor((start - 3.0) / 12.0); }

/* Block transfers and DfE contributions: the amount in every year paid. */
static void funding(const scenario *s, const double *val, const intervention *iv, const ivstate *st, plan *pl)
{
    if (iv->line < 0 || iv->line >= pl->nfund) return;
    int first = start_fy(st->start), last = iv->last_fy >= 0 ? iv->last_fy : first;
    for (int k = 0; k < pl->ny; k++) {
        int fy = pl->first_fy + k;
        if (fy >= first && fy <= last)
            pl->fund_adj[(size_t)k * (size_t)pl->nfund + (size_t)iv->line] += size_of(s, val, iv);
    }
}

static void earlier_ceasing(const scenario *s, const double *val, const intervention *iv, const ivstate *st, plan *pl)
{
    double x = size_of(s, val, iv);
    for (int k = 0; k < pl->ny; k++) {
        double f = 1.0 - x * over_calyear(iv, st, pl->census0 + k);
        for (int a = iv->min_age > 0 ? iv->min_age : 0; a < pl->nages; a++)
            pl->cease_stay[(size_t)k * (size_t)pl->nages + (size_t)a] *= f;
    }
}

/* Moves into to_placement at the ages named, at the September transfer. */
static void reduce_moves(const scenario *s, const double *val, const intervention *iv, const ivstate *st, plan *pl)
{
    if (!iv->ages || iv->to_placement < 0 || iv->to_placement >= pl->nplace) return;
    double x = size_of(s, val, iv);
    for (int a = 0; a < pl->nages; a++) {
        if (!iv->ages[a]) continue;
        pl->move_acts[a] = 1;
        for (int k = 0; k < pl->ny; k++) {
            double transfer = 12.0 * (pl->census0 + k) + 8.0; /* 1 September: the key-stage transfer */
            pl->move_keep[((size_t)k * (size_t)pl->nages + (size_t)a) * (size_t)pl->nplace +
                          (size_t)iv->to_placement] *= 1.0 - x * ramp_at(st->start, iv->ramp, transfer);
        }
    }
}

static void spend_saving(const scenario *s, const double *val, const intervention *iv, const ivstate *st, plan *pl)
{
    if (iv->line < 0 || iv->line >= pl->nspend) return;
    for (int k = 0; k < pl->ny; k++)
        pl->spend_adj[(size_t)k * (size_t)pl->nspend + (size_t)iv->line] +=
            size_of(s, val, iv) * over_fy(iv, st, pl->first_fy + k);
}

/* A running cost is paid in full from the start: no ramp. Any action may
 * have one; it is charged to its spend line as a negative saving. */
static void running_cost(const scenario *s, const double *val, const intervention *iv, const ivstate *st, plan *pl)
{
    if (iv->cost == NOPAR || iv->cost_line < 0 || iv->cost_line >= pl->nspend) return;
    for (int k = 0; k < pl->ny; k++) {
        int fy = pl->first_fy + k;
        pl->spend_adj[(size_t)k * (size_t)pl->nspend + (size_t)iv->cost_line] -=
            par_val(s, val, iv->cost)[0] * ramp_mean(st->start, 0.0, fy_start_months(fy), fy_start_months(fy + 1));
    }
}

/* The slot of a modify_transitions action among the plan's (plan.h). */
static int mod_slot(const plan *pl, const intervention *iv)
{
    for (int m = 0; m < pl->nmod; m++)
        if (pl->mod_iv[m] == iv) return m;
    return -1;
}

/* The filter of a modify_transitions action: ages, need groups, placements. */
static int takes(const intervention *iv, int a, int n, int p)
{
    return (!iv->ages || iv->ages[a]) && (!iv->needs || iv->needs[n]) && (p < 0 || !iv->places || iv->places[p]);
}

/* modify_transitions: its strength in each step (moves: the ramp at the
 * September transfer; new plans: the ramp's mean over the calendar year),
 * read by plan_moves and plan_joiners through iv_modify_*; leave_rate folds
 * 1 + r (factor - 1) into the cells its filter takes. */
static void modify_transitions(const scenario *s, const double *val, const intervention *iv, const ivstate *st,
                               plan *pl)
{
    int m = mod_slot(pl, iv);
    if (m < 0) return;
    double x = size_of(s, val, iv);
    for (int k = 0; k < pl->ny; k++) {
        double transfer = 12.0 * (pl->census0 + k) + 8.0, year = over_calyear(iv, st, pl->census0 + k);
        pl->mod_move[(size_t)m * (size_t)pl->ny + (size_t)k] = ramp_at(st->start, iv->ramp, transfer);
        pl->mod_year[(size_t)m * (size_t)pl->ny + (size_t)k] = year;
        if (iv->modify != MODIFY_LEAVE_RATE || !pl->leave_factor || year == 0.0) continue;
        double f = 1.0 + year * (x - 1.0);
        double *lf = pl->leave_factor + (size_t)k * pl->cells;
        for (int a = 0; a < pl->nages; a++) /* [age][placement][need], as cease0 */
            for (int p = 0; p < pl->nplace; p++)
                for (int n = 0; n < pl->nneeds; n++)
                    if (takes(iv, a, n, p))
                        lf[((size_t)a * (size_t)pl->nplace + (size_t)p) * (size_t)pl->nneeds + (size_t)n] *= f;
    }
}

static double mod_r(const plan *pl, const double *r, int m, int k) { return r[(size_t)m * (size_t)pl->ny + (size_t)k]; }

int iv_modify_moves_at(const plan *pl, int k, int a, int n)
{
    for (int m = 0; m < pl->nmod; m++) {
        const intervention *iv = pl->mod_iv[m];
        if (iv->modify != MODIFY_LEAVE_RATE && mod_r(pl, pl->mod_move, m, k) > 0.0 && takes(iv, a, n, -1)) return 1;
    }
    return 0;
}

int iv_modify_same_need(const plan *pl, int k, int a, int n, int n2)
{
    for (int m = 0; m < pl->nmod; m++) {
        const intervention *iv = pl->mod_iv[m];
        if (iv->modify == MODIFY_LEAVE_RATE || mod_r(pl, pl->mod_move, m, k) <= 0.0) continue;
        if (takes(iv, a, n, -1) != takes(iv, a, n2, -1)) return 0;
    }
    return 1;
}

/* Move `moved` of row r's flow to c elsewhere: to `to`, or spread over the
 * row's other entries (staying put included) in proportion to their shares;
 * left where it is when the row has no other entry. */
static void turn_away(double *r, int P, int c, int to, double moved)
{
    if (moved <= 0.0) return;
    if (to >= 0) {
        r[c] -= moved;
        r[to] += moved;
        return;
    }
    double others = 0.0;
    for (int q = 0; q < P; q++)
        if (q != c) others += r[q];
    if (others <= 0.0) return;
    double f = moved / others;
    r[c] -= moved;
    for (int q = 0; q < P; q++)
        if (q != c) r[q] += r[q] * f;
}

void iv_modify_matrix(const plan *pl, int k, int a, int n, double *mx)
{
    const scenario *s = pl->s;
    const int P = pl->nplace;
    for (int m = 0; m < pl->nmod; m++) {
        const intervention *iv = pl->mod_iv[m];
        double r = mod_r(pl, pl->mod_move, m, k);
        if (iv->modify == MODIFY_LEAVE_RATE || r <= 0.0 || !takes(iv, a, n, -1)) continue;
        double x = size_of(s, pl->val, iv);
        for (int p = 0; p < P; p++) {
            if (!takes(iv, a, n, p)) continue;
            double *row = mx + (size_t)p * (size_t)P;
            switch (iv->modify) {
            case MODIFY_MOVE_RATE: {
                double off = 0.0, f = 1.0 + r * (x - 1.0);
                for (int q = 0; q < P; q++)
                    if (q != p) off += row[q];
                if (off <= 0.0) break;
                if (off * f > 1.0) f = 1.0 / off; /* everyone moves */
                double moved = 0.0;
                for (int q = 0; q < P; q++)
                    if (q != p) moved += row[q] *= f;
                row[p] = 1.0 - moved;
                break;
            }
            case MODIFY_REDIRECT:
                if (p != iv->placement) {
                    double moved = row[iv->placement] * x * r;
                    row[iv->placement] -= moved;
                    row[iv->to_placement] += moved;
                }
                break;
            case MODIFY_CLOSE:
                if (p != iv->placement) turn_away(row, P, iv->placement, iv->to_placement, row[iv->placement] * x * r);
                break;
            case MODIFY_LEAVE_RATE: break;
            }
        }
    }
}

void iv_modify_first(const plan *pl, int k, int a, int n, double *shares)
{
    for (int m = 0; m < pl->nmod; m++) {
        const intervention *iv = pl->mod_iv[m];
        double r = mod_r(pl, pl->mod_year, m, k);
        if (iv->modify != MODIFY_CLOSE || r <= 0.0 || !takes(iv, a, n, -1)) continue;
        turn_away(shares, pl->nplace, iv->placement, iv->to_placement,
                  shares[iv->placement] * size_of(pl->s, pl->val, iv) * r);
    }
}

static builder *const builders[IV_NTYPES] = {
    [IV_REDUCE_JOINERS] = reduce_joiners,
    [IV_ADD_CAPACITY] = add_capacity,
    [IV_SHIFT_FIRST_PLACEMENT] = shift_first,
    [IV_UNIT_COST] = unit_cost,
    [IV_UPLIFT_FREEZE] = uplift_freeze,
    [IV_BLOCK_TRANSFER] = funding,
    [IV_DFE_CONTRIBUTION] = funding,
    [IV_EARLIER_CEASING] = earlier_ceasing,
    [IV_REDUCE_MOVES] = reduce_moves,
    [IV_SPEND_SAVING] = spend_saving,
    /* not folded yet: the write-off reads the projected balance and the
     * reassessment and protection the stocks (position.c, reform.c, called
     * from the year loop); the ISP diversion is read into join_isp_keep */
    [IV_DEFICIT_WRITEOFF] = NULL,
    [IV_ISP_DIVERSION] = NULL,
    [IV_REASSESSMENT] = NULL,
    [IV_PROTECT_PLACES] = NULL,
    [IV_MODIFY_TRANSITIONS] = modify_transitions,
};

void iv_fold(const scenario *s, const double *val, const ivstate *ivs, plan *pl)
{
    for (size_t i = 0; i < s->niv; i++) {
        if (!ivs[i].on) continue;
        if (builders[s->iv[i].type]) builders[s->iv[i].type](s, val, &s->iv[i], &ivs[i], pl);
        running_cost(s, val, &s->iv[i], &ivs[i], pl);
    }
}

void iv_fold_one(const scenario *s, const double *val, const ivstate *ivs, plan *pl, size_t i, int cost)
{
    if (cost)
        running_cost(s, val, &s->iv[i], &ivs[i], pl);
    else if (builders[s->iv[i].type])
        builders[s->iv[i].type](s, val, &s->iv[i], &ivs[i], pl);
}

int iv_money_only(int type)
{
    switch (type) {
    case IV_UNIT_COST:        /* cost_factor */
    case IV_UPLIFT_FREEZE:    /* frozen */
    case IV_BLOCK_TRANSFER:   /* fund_adj */
    case IV_DFE_CONTRIBUTION: /* fund_adj */
    case IV_SPEND_SAVING:     /* spend_adj */
    case IV_DEFICIT_WRITEOFF: /* position.c, from the balance */ return 1;
    default: return 0;
    }
}

void iv_fold_money(const scenario *s, const double *val, const ivstate *ivs, plan *pl)
{
    for (size_t i = 0; i < s->niv; i++) {
        if (!ivs[i].on) continue;
        if (iv_money_only(s->iv[i].type) && builders[s->iv[i].type])
            builders[s->iv[i].type](s, val, &s->iv[i], &ivs[i], pl);
        running_cost(s, val, &s->iv[i], &ivs[i], pl);
    }
}

static int is_shift_from(const intervention *iv, const ivstate *st, int p)
{
    return st->on && iv->type == IV_SHIFT_FIRST_PLACEMENT && iv->placement == p;
}

/* Shifts act together on the shares as stated, never on one another's
 * result, so that the order actions are listed in does not matter: from a
 * placement p with shifts of (ramped) sizes f_1..f_k, a share
 * 1 - (1 - f_1)...(1 - f_k) of p's stated share leaves, split between the
 * destinations in proportion to f_i. (Applied one after another, "NMI to
 * special" then "special to mainstream" would also move some of the children
 * the first had just sent to special, and listing them the other way round
 * would not.) Called when the plan is compiled, once per year and band. */
void iv_shift_first(const scenario *s, const double *val, const ivstate *ivs, int calyear, double *shares)
{
    const int P = s->nplace;
    int any = 0;
    for (size_t i = 0; i < s->niv && !any; i++) any = is_shift_from(&s->iv[i], &ivs[i], s->iv[i].placement);
    if (!any || P <= 0) return;
    double stated[P]; /* a few placements: no allocation */
    memcpy(stated, shares, sizeof stated);
    for (int p = 0; p < P; p++) {
        double keep = 1.0, sumf = 0.0;
        for (size_t i = 0; i < s->niv; i++)
            if (is_shift_from(&s->iv[i], &ivs[i], p)) {
                double f = size_of(s, val, &s->iv[i]) * over_calyear(&s->iv[i], &ivs[i], calyear);
                keep *= 1.0 - f;
                sumf += f;
            }
        if (sumf <= 0.0) continue;
        double out = stated[p] * (1.0 - keep);
        shares[p] -= out;
        for (size_t i = 0; i < s->niv; i++)
            if (is_shift_from(&s->iv[i], &ivs[i], p))
                shares[s->iv[i].to_placement] +=
                    out * size_of(s, val, &s->iv[i]) * over_calyear(&s->iv[i], &ivs[i], calyear) / sumf;
    }
}
