/* plan_moves.c: the plan's move matrices (plan.h), split from plan.c.
 *
 * The scenario's own matrices (every by_year variant) are stored first in
 * an arena of sparse rows, rebuilt only when their values change; then each
 * compile stores the matrices the actions edit (reduce_moves on the sparse
 * rows, modify_transitions on the matrix written out dense), and move_of maps
 * every (step, age, need group) to its matrix or to -1 (nobody moves). With
 * few placements (dense_moves) each stored matrix is also kept dense, with
 * and without its stay shares, for the expected moves (cohort.c): a row's
 * children spread by a vectorised multiply-add over every destination, the
 * zeros adding exactly nothing. The moves memo keeps move_of and the arena
 * while what plan_moves reads is bitwise what it read last time. Every
 * number is the one the step used to compute in place (plan.h's invariant). */
#include <stdlib.h>
#include <string.h>

#include "engine/project.h"

/* A set of moves kept aside: the acting ages and keep rows it was built
 * for, its move_of and the matrices the actions edited (the arena past the
 * scenario's own). The plan keeps the moves it has and one set aside, so
 * that paths alternating between two deliveries of the reduce_moves actions
 * (Sutton's: 80% that one delivers) swap rather than rebuild. */
struct plan_moves_slot {
    int valid;
    unsigned char *acts; /* [nages] */
    double *keep;        /* [ny][nages][nplace], the acting ages' rows */
    int *move_of;        /* [ny][nages][nneeds] */
    plan_row *rows;      /* [(nmat - nmat_base) x nplace] */
    int *dest;           /* [nent - nent_base] */
    double *share;
    size_t nmat, nent, rows_cap, ent_cap;
    unsigned id; /* the plan's moves_id of these moves */
};

/* Room for one more matrix's rows; 0, or -2 if the arena could not grow. */
static int room_for_matrix(plan *pl)
{
    if (pl->nmat < pl->mat_cap) return 0;
    size_t cap = pl->mat_cap * 2 + 1;
    plan_row *r = realloc(pl->rows, cap * (size_t)pl->nplace * sizeof *r + 1);
    if (!r) return -2;
    pl->rows = r;
    pl->mat_cap = cap;
    return 0;
}

/* Room in the arena of off-diagonal entries for `need` more: 0, or -2 (no
 * memory; the arena is as it was). It grows by doubling, so it stops
 * growing once it holds the largest set of matrices any path needed. */
static int room_for_entries(plan *pl, size_t need)
{
    if (pl->nent + need <= pl->ent_cap) return 0;
    size_t cap = pl->ent_cap;
    while (cap < pl->nent + need) cap *= 2;
    int *d = realloc(pl->dest, cap * sizeof *d);
    if (!d) return -2;
    pl->dest = d;
    double *sh = realloc(pl->share, cap * sizeof *sh);
    if (!sh) return -2;
    pl->share = sh;
    pl->ent_cap = cap;
    return 0;
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
    if (room_for_matrix(pl)) return -2;
    if (room_for_entries(pl, need)) return -2;
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
int plan_base_moves(const scenario *s, const double *val, plan *pl, int changed)
{
    if (!changed) return HNB_OK;
    pl->moves_memo = 0;
    if (pl->spare) pl->spare->valid = 0; /* built on the matrices about to be replaced */
    pl->nmat = pl->nent = 0;
    for (size_t i = 0; i < s->nmoves; i++)
        for (size_t v = 0; v <= s->moves[i].nby; v++) {
            int m = store_matrix(pl, par_val(s, val, v ? s->moves[i].by_m[v - 1] : s->moves[i].m));
            if (m == -2) return HNB_E_NOMEM; /* have_last stays 0: everything is rebuilt next time */
            pl->base_matrix[(size_t)pl->variant0[i] + v] = m;
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
    if (room_for_matrix(pl)) return -2;
    const plan_row *from = pl->rows + (size_t)base * (size_t)P;
    size_t need = 0;
    for (int p = 0; p < P; p++) need += (size_t)from[p].n;
    if (room_for_entries(pl, need)) return -2; /* the rows stay where they are */
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

/* The stored matrix of move matrix mm in financial year fy (its by_year, or
 * its own), or -1. */
static int variant_at(const scenario *s, const plan *pl, int mm, int fy)
{
    if (mm < 0) return -1;
    const movematrix *m = &s->moves[mm];
    size_t v = 0;
    for (size_t i = 0; i < m->nby && !v; i++)
        if (m->by_fy[i] == fy) v = i + 1;
    return pl->base_matrix[(size_t)pl->variant0[mm] + v];
}

/* A stored matrix (or the identity, -1) written out dense into pl->dense. */
static void densify(plan *pl, int m)
{
    const int P = pl->nplace;
    double *d = pl->dense;
    for (size_t i = 0; i < (size_t)P * (size_t)P; i++) d[i] = 0.0;
    for (int p = 0; p < P; p++) {
        if (m < 0) {
            d[(size_t)p * (size_t)P + (size_t)p] = 1.0;
            continue;
        }
        const plan_row *w = &pl->rows[(size_t)m * (size_t)P + (size_t)p];
        d[(size_t)p * (size_t)P + (size_t)p] = w->stay;
        for (int e = 0; e < w->n; e++)
            d[(size_t)p * (size_t)P + (size_t)pl->dest[w->first + e]] = pl->share[w->first + e];
    }
}

/* cohort_move: the matrix of the age and need group (its by_year variant
 * for the year), with any action that keeps children out of a placement (a
 * share (1 - f) of the flow p -> q stays in p instead, on the sparse rows),
 * then any modify_transitions (on the matrix written out dense, then stored
 * again). Need groups that come to the same matrix share it. */
static int plan_moves(const scenario *s, plan *pl)
{
    const int A = s->nages, G = s->nneeds, P = s->nplace;
    pl->nmat = pl->nmat_base;
    pl->nent = pl->nent_base;
    for (int k = 0; k < pl->ny; k++)
        for (int a = 0; a < A; a++) {
            int *to = &pl->move_of[((size_t)k * (size_t)A + (size_t)a) * (size_t)G];
            int base[G > 0 ? G : 1];
            for (int n = 0; n < G; n++) {
                int mm = pl->matrix_of[(size_t)a * (size_t)G + (size_t)n];
                base[n] = variant_at(s, pl, mm, pl->census0 + k);
                int same = -1; /* an earlier group with the same matrix and the same edits */
                for (int n2 = 0; n2 < n && same < 0; n2++)
                    if (base[n2] == base[n] && iv_modify_same_need(pl, k, a, n, n2)) same = n2;
                if (same >= 0) {
                    to[n] = to[same];
                    continue;
                }
                to[n] = base[n];
                if (mm >= 0 && pl->move_acts[a]) {
                    const double *keep = pl->move_keep + ((size_t)k * (size_t)A + (size_t)a) * (size_t)P;
                    int edits = 0;
                    for (int q = 0; q < P && !edits; q++) edits = keep[q] != 1.0;
                    if (edits) {
                        int m = edit_matrix(pl, to[n], keep);
                        if (m == -2) return HNB_E_NOMEM;
                        to[n] = m;
                    }
                }
                if (to[n] >= 0 && pl->nmod && iv_modify_moves_at(pl, k, a, n)) {
                    densify(pl, to[n]);
                    iv_modify_matrix(pl, k, a, n, pl->dense);
                    int m = store_matrix(pl, pl->dense);
                    if (m == -2) return HNB_E_NOMEM;
                    to[n] = m;
                }
            }
        }
    return HNB_OK;
}

static void slot_free(struct plan_moves_slot *x)
{
    if (!x) return;
    free(x->acts);
    free(x->keep);
    free(x->move_of);
    free(x->rows);
    free(x->dest);
    free(x->share);
    free(x);
}

void plan_moves_free(plan *pl)
{
    slot_free(pl->spare);
    slot_free(pl->swap);
    pl->spare = pl->swap = NULL;
}

static struct plan_moves_slot *slot_alloc(const plan *pl)
{
    const size_t ny = (size_t)pl->ny, A = (size_t)pl->nages, P = (size_t)pl->nplace, G = (size_t)pl->nneeds;
    struct plan_moves_slot *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    x->acts = calloc(A + 1, 1);
    x->keep = calloc(ny * A * P + 1, sizeof(double));
    x->move_of = calloc(ny * A * G + 1, sizeof(int));
    if (!x->acts || !x->keep || !x->move_of) {
        slot_free(x);
        return NULL;
    }
    return x;
}

/* Whether the actions' keep rows are those slot (acts, keep) was built for. */
static int keys_match(const plan *pl, const unsigned char *acts, const double *keep)
{
    const size_t ny = (size_t)pl->ny, A = (size_t)pl->nages, P = (size_t)pl->nplace;
    if (memcmp(pl->move_acts, acts, A) != 0) return 0;
    for (size_t a = 0; a < A; a++)
        if (pl->move_acts[a])
            for (size_t k = 0; k < ny; k++)
                if (memcmp(pl->move_keep + (k * A + a) * P, keep + (k * A + a) * P, P * sizeof(double)) != 0) return 0;
    return 1;
}

static void copy_keys(const plan *pl, unsigned char *acts_to, double *keep_to, const unsigned char *acts,
                      const double *keep)
{
    const size_t ny = (size_t)pl->ny, A = (size_t)pl->nages, P = (size_t)pl->nplace;
    memcpy(acts_to, acts, A);
    for (size_t a = 0; a < A; a++)
        if (acts[a])
            for (size_t k = 0; k < ny; k++)
                memcpy(keep_to + (k * A + a) * P, keep + (k * A + a) * P, P * sizeof(double));
}

/* The plan's current moves (moves_memo) into slot x; x->valid 0 if it could
 * not grow. */
static void slot_save(const plan *pl, struct plan_moves_slot *x)
{
    const size_t ny = (size_t)pl->ny, A = (size_t)pl->nages, P = (size_t)pl->nplace, G = (size_t)pl->nneeds;
    const size_t nm = pl->nmat - pl->nmat_base, ne = pl->nent - pl->nent_base;
    x->valid = 0;
    if (nm * P > x->rows_cap) {
        plan_row *r = realloc(x->rows, nm * P * sizeof *r);
        if (!r) return;
        x->rows = r;
        x->rows_cap = nm * P;
    }
    if (ne > x->ent_cap) {
        int *d = realloc(x->dest, ne * sizeof *d);
        if (d) x->dest = d;
        double *sh = d ? realloc(x->share, ne * sizeof *sh) : NULL;
        if (sh) x->share = sh;
        if (!d || !sh) return;
        x->ent_cap = ne;
    }
    copy_keys(pl, x->acts, x->keep, pl->move_acts_last, pl->move_keep_last);
    memcpy(x->move_of, pl->move_of, ny * A * G * sizeof(int));
    if (nm) memcpy(x->rows, pl->rows + pl->nmat_base * P, nm * P * sizeof *x->rows);
    if (ne) {
        memcpy(x->dest, pl->dest + pl->nent_base, ne * sizeof *x->dest);
        memcpy(x->share, pl->share + pl->nent_base, ne * sizeof *x->share);
    }
    x->nmat = pl->nmat, x->nent = pl->nent;
    x->id = pl->moves_id;
    x->valid = 1;
}

/* Slot x's moves back into the plan (the arena held them once, so it has
 * room), and its keys as the current ones. */
static void slot_restore(plan *pl, const struct plan_moves_slot *x)
{
    const size_t ny = (size_t)pl->ny, A = (size_t)pl->nages, P = (size_t)pl->nplace, G = (size_t)pl->nneeds;
    const size_t nm = x->nmat - pl->nmat_base, ne = x->nent - pl->nent_base;
    memcpy(pl->move_of, x->move_of, ny * A * G * sizeof(int));
    if (nm) memcpy(pl->rows + pl->nmat_base * P, x->rows, nm * P * sizeof *x->rows);
    if (ne) {
        memcpy(pl->dest + pl->nent_base, x->dest, ne * sizeof *x->dest);
        memcpy(pl->share + pl->nent_base, x->share, ne * sizeof *x->share);
    }
    pl->nmat = x->nmat, pl->nent = x->nent;
    pl->moves_id = x->id;
    copy_keys(pl, pl->move_acts_last, pl->move_keep_last, x->acts, x->keep);
    pl->moves_memo = 1;
}

/* plan_moves, unless what it reads is what it read last time, or what the
 * set kept aside was built from: the same stored matrices (moves_memo, and
 * the spare slot is dropped whenever they are rebuilt), no
 * modify_transitions, the same ages acting and the same keep rows at those
 * ages (bitwise). */
int plan_moves_memo(const scenario *s, plan *pl)
{
    if (pl->nmod) {
        pl->moves_id = ++pl->moves_ids;
        return plan_moves(s, pl);
    }
    if (pl->moves_memo && keys_match(pl, pl->move_acts_last, pl->move_keep_last)) return HNB_OK;
    if (!pl->spare) pl->spare = slot_alloc(pl);
    if (!pl->swap) pl->swap = slot_alloc(pl);
    if (pl->spare && pl->swap && pl->spare->valid && keys_match(pl, pl->spare->acts, pl->spare->keep)) {
        struct plan_moves_slot *x = pl->spare;
        if (pl->moves_memo)
            slot_save(pl, pl->swap);
        else
            pl->swap->valid = 0;
        slot_restore(pl, x);
        pl->spare = pl->swap; /* the moves just replaced, kept aside in turn */
        pl->swap = x;
        return HNB_OK;
    }
    if (pl->spare && pl->moves_memo) slot_save(pl, pl->spare);
    pl->moves_memo = 0;
    pl->moves_id = ++pl->moves_ids;
    int rc = plan_moves(s, pl);
    if (rc) return rc;
    copy_keys(pl, pl->move_acts_last, pl->move_keep_last, pl->move_acts, pl->move_keep);
    pl->moves_memo = 1;
    return HNB_OK;
}
