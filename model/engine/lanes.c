/* lanes.c: LANES projections side by side (lanes.h).
 *
 * The year loop of project_run_plan for Monte Carlo's lean projection and
 * one need group, with every cell holding LANES counts ([cell][lane]):
 * leavers, moves, joiners and the column sums before capacity are
 * element-wise across the lanes (a loop over the lanes the compiler turns
 * into one AVX2 operation, HNB_VECTORISE), reading the shared tables of
 * lane 0's plan; capacity, the joiners' numbers and the money run lane by
 * lane on that lane's own plan (capacity.c reads the lane's cells LANES
 * apart). Each lane takes the operations of cohort.c, joiners.c,
 * capacity.c and project.c in their order, so the bits are theirs:
 *  - the leavers' three sums (children at the census, leavers, survivors)
 *    are one accumulator each per lane, added in cell order;
 *  - moves add a row's children to its destinations in row order; rows
 *    with no children are not skipped as project_run_plan skips them: adding
 *    0 x share = +0 to a sum of non-negative counts changes no bit (and
 *    testing four lanes for zero cost more than it saved);
 *  - joiners add J x (age share x first placement share), the product in
 *    brackets shared.
 * A table that differs between the plans is read from each lane's plan or
 * the plans are not run here (lanes_fit): joiners' numbers (join_base,
 * join_factor, join_isp_keep), places and every money table are per lane;
 * the rest must be bitwise equal. */
#include "engine/lanes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define L LANES

int lanes_alloc(const scenario *s, lanes *ln)
{
    memset(ln, 0, sizeof *ln);
    const size_t P = (size_t)s->nplace;
    ln->cells = (size_t)s->nages * (size_t)s->nneeds * P;
    const size_t V = L * sizeof(double); /* the kernels' vectors: aligned to their size */
    ln->now = aligned_alloc(V, (ln->cells + 1) * V);
    ln->next = aligned_alloc(V, (ln->cells + 1) * V);
    ln->arrive = aligned_alloc(V, (ln->cells + 1) * V);
    ln->row = aligned_alloc(V, (2 * P + 1) * V);
    ln->tn = aligned_alloc(V, (3 * P + 1) * V);
    ln->prot = aligned_alloc(V, (ln->cells + 1) * V);
    ln->prot_next = aligned_alloc(V, (ln->cells + 1) * V);
    ln->prot_arrive = aligned_alloc(V, (ln->cells + 1) * V);
    ln->col = aligned_alloc(V, (2 * P + 1) * V);
    ln->ok = calloc(3 * P * L + 1, 1);
    ln->w = calloc(2 * P * L + 1, sizeof(double));
    if (!ln->now || !ln->next || !ln->arrive || !ln->row || !ln->tn || !ln->col || !ln->ok || !ln->w || !ln->prot ||
        !ln->prot_next || !ln->prot_arrive) {
        lanes_free(ln);
        return HNB_E_NOMEM;
    }
    const size_t ny = (size_t)(s->last_fy - s->first_fy + 1), A = (size_t)s->nages, G = (size_t)s->nneeds;
    ln->fcease = malloc((ny * A * P + 1) * sizeof(double));
    ln->gjoin = malloc((ny * A * P + 1) * sizeof(double));
    ln->nfcease_in = ny * ln->cells + ny * A; /* cease0 at its largest, cease_keep */
    ln->ngjoin_in = ny * A * G + ny * (A * G + (size_t)s->join.nfirst) * P + A * G; /* agen, first rows, first_of */
    ln->fcease_in = calloc(ln->nfcease_in + 1, sizeof(double));
    ln->gjoin_in = calloc(ln->ngjoin_in + 1, sizeof(double));
    if (!ln->fcease || !ln->gjoin || !ln->fcease_in || !ln->gjoin_in) {
        lanes_free(ln);
        return HNB_E_NOMEM;
    }
    ln->ta = ln->tn + P * L;
    ln->ws = ln->ta + P * L;
    return HNB_OK;
}

void lanes_free(lanes *ln)
{
    free(ln->now);
    free(ln->next);
    free(ln->arrive);
    free(ln->row);
    free(ln->tn);
    free(ln->col);
    free(ln->ok);
    free(ln->w);
    free(ln->prot);
    free(ln->prot_next);
    free(ln->prot_arrive);
    free(ln->fcease);
    free(ln->fcease_in);
    free(ln->gjoin);
    free(ln->gjoin_in);
    memset(ln, 0, sizeof *ln);
}

/* ---- which plans may share the pass --------------------------------------- */

static int same(const void *a, const void *b, size_t n) { return n == 0 || memcmp(a, b, n) == 0; }

/* Two plans' moves, entry by entry (the rows field by field: their padding
 * is not theirs to compare). */
static int moves_equal(const plan *a, const plan *b)
{
    const size_t P = (size_t)a->nplace;
    if (a->nmat != b->nmat || a->nent != b->nent ||
        !same(a->move_of, b->move_of, (size_t)a->ny * (size_t)a->nages * (size_t)a->nneeds * sizeof(int)))
        return 0;
    for (size_t r = 0; r < a->nmat * P; r++) {
        const plan_row *x = &a->rows[r], *y = &b->rows[r];
        if (x->stay != y->stay || x->norm != y->norm || x->first != y->first || x->n != y->n || x->below != y->below)
            return 0;
    }
    return same(a->dest, b->dest, a->nent * sizeof(int)) && same(a->share, b->share, a->nent * sizeof(double));
}

/* moves_equal, remembered by the plans' moves ids (one id, one content). */
static int moves_same(lanes *ln, const plan *a, const plan *b)
{
    if (a == b) return 1;
    for (int i = 0; i < ln->nseen && i < 8; i++) {
        const struct lanes_seen *x = &ln->seen[i];
        if (x->a == a && x->b == b && x->ida == a->moves_id && x->idb == b->moves_id) return x->same;
    }
    int eq = moves_equal(a, b);
    ln->seen[ln->nseen++ % 8] = (struct lanes_seen){a, b, a->moves_id, b->moves_id, eq};
    return eq;
}

int lanes_fit(lanes *ln, workspace *const w[L])
{
    const plan *p0 = &w[0]->plan;
    const size_t A = (size_t)p0->nages, P = (size_t)p0->nplace, ny = (size_t)p0->ny, D = sizeof(double);
    for (int l = 0; l < L; l++) {
        const workspace *wl = w[l];
        const plan *p = &wl->plan;
        if (p->nneeds != 1 || p->protecting != p0->protecting || p->reassessing != p0->reassessing || p->nmod ||
            wl->noise || wl->record || !wl->figures_only || p->s != p0->s)
            return 0;
        if (l == 0) continue;
        if (p->cease_stride != p0->cease_stride || p->agen_stride != p0->agen_stride || p->nfirst != p0->nfirst)
            return 0;
        const size_t cease = p->cease_stride ? ny * p->cease_stride : p->cells;
        const size_t agen = p->agen_stride ? ny * p->agen_stride : A;
        if (!same(p->stock0, p0->stock0, p->cells * D) || !same(p->cease0, p0->cease0, cease * D) ||
            !same(p->cease_keep, p0->cease_keep, ny * A * D) || !same(p->join_agen, p0->join_agen, agen * D) ||
            !same(p->first_of, p0->first_of, A * sizeof(int)) ||
            !same(p->join_first, p0->join_first, ny * (size_t)p->nfirst * P * D) ||
            !same(p->cost_age, p0->cost_age, A * P * D) || !same(p->cost_need, p0->cost_need, D) ||
            !moves_same(ln, p, p0))
            return 0;
    }
    return 1;
}

/* ---- the step, every lane at once ------------------------------------------ */

/* LANES doubles, element-wise (GCC's and Clang's vector extension: each
 * operation is the IEEE one in every lane; AVX2 in the AVX2 copy of each
 * kernel, two SSE2 halves otherwise). The scratch is allocated aligned to
 * it. The kernels ask GCC not to turn their short zeroing loops into memset
 * calls. */
typedef double v4 __attribute__((vector_size(L * sizeof(double))));
typedef long long v4i __attribute__((vector_size(L * sizeof(long long)))); /* a mask: -1 or 0 a lane */
/* yes where the mask m is set, no elsewhere, bit for bit */
#define blend(m, yes, no) ((v4)(((v4i)(yes) & (m)) | ((v4i)(no) & ~(m))))

/* (No helper takes or returns a vector by value: GCC warns that such a
 * call's ABI differs with and without AVX. They take pointers.) */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define LANES_KERNEL \
    __attribute__((target_clones("avx2", "default"), optimize("no-tree-loop-distribute-patterns", "unroll-loops")))
#else
#define LANES_KERNEL
#endif

/* ---- the tables every group of a run reads ------------------------------- */

/* Copy n doubles' worth of bytes of `from` to `*at`, and whether they were
 * there already. */
static int keep_copy(double **at, const void *from, size_t bytes)
{
    int same = memcmp(*at, from, bytes) == 0;
    if (!same) memcpy(*at, from, bytes);
    *at += (bytes + sizeof(double) - 1) / sizeof(double);
    return same;
}

/* fcease and gjoin for lane 0's plan, made again only when what they are
 * made from has changed (a comparison of a few kilobytes a group). */
static void lanes_tables(lanes *ln, const plan *pl)
{
    const size_t ny = (size_t)pl->ny, A = (size_t)pl->nages, P = (size_t)pl->nplace, D = sizeof(double);
    const size_t cease = pl->cease_stride ? ny * pl->cease_stride : pl->cells;
    double *at = ln->fcease_in;
    int same = keep_copy(&at, pl->cease0, cease * D);
    same &= keep_copy(&at, pl->cease_keep, ny * A * D);
    if (!same || !ln->fcease_ok) {
        for (size_t k = 0; k < ny; k++) {
            const double *c0 = pl->cease0 + k * pl->cease_stride, *keep = pl->cease_keep + k * A;
            double *f = ln->fcease + k * A * P;
            for (size_t a = 0; a < A; a++)
                for (size_t p = 0; p < P; p++) f[a * P + p] = 1.0 - (1.0 - c0[a * P + p]) * keep[a];
        }
        ln->fcease_ok = 1;
    }
    const size_t agen = pl->agen_stride ? ny * pl->agen_stride : A;
    at = ln->gjoin_in;
    same = keep_copy(&at, pl->join_agen, agen * D);
    same &= keep_copy(&at, pl->join_first, ny * (size_t)pl->nfirst * P * D);
    same &= keep_copy(&at, pl->first_of, A * sizeof(int));
    if (!same || !ln->gjoin_ok) {
        for (size_t k = 0; k < ny; k++) {
            const double *first = pl->join_first + k * (size_t)pl->nfirst * P,
                         *ag = pl->join_agen + k * pl->agen_stride;
            double *g = ln->gjoin + k * A * P;
            for (size_t a = 0; a < A; a++) {
                const int fo = pl->first_of[a];
                for (size_t p = 0; p < P; p++) g[a * P + p] = fo < 0 ? 0.0 : ag[a] * first[(size_t)fo * P + p];
            }
        }
        ln->gjoin_ok = 1;
    }
}

/* Leavers, ageing and moves in one pass (cohort.c's leave_one_group, then
 * cohort_move without noise): each age's survivors into `surv`, the
 * matrix of the age they reach (if any) applied from there into next and
 * arrive. Each lane's three sums (children at the census, leavers,
 * survivors) into sums[0..2], in cell order. row: [nplace] scratch; surv
 * and row are the moved age's, so nothing is read after it is written. */
LANES_KERNEL static void lanes_leave_move(const plan *pl, int k, const double *fcease, const v4 *restrict now,
                                          v4 *restrict next, v4 *restrict arrive, v4 *restrict surv, v4 *restrict row,
                                          v4 *sums)
{
    const int A = pl->nages, P = pl->nplace;
    const double *f0 = fcease + (size_t)k * (size_t)A * (size_t)P;
    const int *move_of = pl->move_of + (size_t)k * (size_t)A;
    v4 tot = {0}, lv = {0}, sv = {0};
    for (int a = 0; a < A; a++) { /* a: the age at census t + 1 */
        v4 *nx = next + (size_t)a * (size_t)P, *arr = arrive + (size_t)a * (size_t)P;
        const int m = move_of[a];
        v4 *to = m < 0 ? nx : surv; /* an age nobody moves at: the survivors are the census */
        if (a == 0) {
            for (int p = 0; p < P; p++) to[p] = (v4){0}; /* nobody survives into age 0 */
        } else {
            const v4 *x0 = now + (size_t)(a - 1) * (size_t)P;
            const double *f = f0 + (size_t)(a - 1) * (size_t)P;
            for (int p = 0; p < P; p++) {
                const v4 x = x0[p], o = x * f[p], t = x - o;
                to[p] = t;
                tot += x;
                lv += o;
                sv += t;
            }
        }
        if (m < 0) {
            for (int p = 0; p < P; p++) arr[p] = (v4){0};
            continue;
        }
        const plan_row *rows = pl->rows + (size_t)m * (size_t)P;
        for (int q = 0; q < P; q++) row[q] = arr[q] = (v4){0};
        for (int p = 0; p < P; p++) {
            const v4 xp = surv[p];
            const plan_row *rw = &rows[p];
            row[p] += xp * rw->stay;
            const int *d = pl->dest + rw->first;
            const double *sh = pl->share + rw->first;
            for (int e = 0; e < rw->n; e++) {
                const v4 f = xp * sh[e];
                row[d[e]] += f;
                arr[d[e]] += f;
            }
        }
        for (int q = 0; q < P; q++) nx[q] = row[q];
    }
    const v4 *x0 = now + (size_t)(A - 1) * (size_t)P; /* every plan ceases after the last age */
    for (int p = 0; p < P; p++) {
        tot += x0[p];
        lv += x0[p];
    }
    sums[0] = tot, sums[1] = lv, sums[2] = sv;
}

/* Joiners' cells (joiners.c's join_expected, one need group: lane l's
 * J[l] new plans), then the column sums before capacity (capacity.c's
 * col_sums_one_group) in the same pass. */
LANES_KERNEL static void lanes_join_sum(const plan *pl, int k, const double *gjoin, const v4 *Jp, v4 *restrict next,
                                        v4 *restrict arrive, v4 *restrict tn, v4 *restrict ta, v4 *restrict ws)
{
    const int A = pl->nages, P = pl->nplace;
    const v4 J = *Jp;
    const double *g0 = gjoin + (size_t)k * (size_t)A * (size_t)P, cm = pl->cost_need[0];
    for (int p = 0; p < P; p++) tn[p] = ta[p] = ws[p] = (v4){0};
    for (int a = 0; a < A; a++) {
        const int fo = pl->first_of[a];
        const double *m = pl->cost_age + (size_t)a * (size_t)P;
        v4 *nx = next + (size_t)a * (size_t)P, *ar = arrive + (size_t)a * (size_t)P;
        if (fo >= 0) {
            const double *g = g0 + (size_t)a * (size_t)P;
            for (int p = 0; p < P; p++) {
                const v4 x = J * g[p];
                nx[p] += x;
                ar[p] += x;
            }
        }
        for (int p = 0; p < P; p++) {
            tn[p] += nx[p];
            ta[p] += ar[p];
            ws[p] += nx[p] * m[p] * cm;
        }
    }
}

/* The protected children's step (reform.c's reform_protect_step after the
 * capture): the same leavers and moves, less those who moved. */
LANES_KERNEL static void lanes_protect(const plan *pl, int k, const double *fcease, const v4 *prot, v4 *prot_next,
                                       v4 *arrive, v4 *surv, v4 *row)
{
    v4 sums[3];
    lanes_leave_move(pl, k, fcease, prot, prot_next, arrive, surv, row, sums);
    /* fmax(0, y) as reform.c takes it: y where y > 0, +0 where y < 0, is
     * NaN or is +0 (fmax's operands are then +0 both); only -0 is left to
     * fmax itself, which may return either zero */
    for (size_t c = 0; c < pl->cells; c++) {
        const v4 y = prot_next[c] - arrive[c];
        prot_next[c] = blend(y > 0.0, y, (v4){0});
        for (int l = 0; l < L; l++)
            if (y[l] == 0.0 && signbit(y[l])) prot_next[c][l] = fmax(0.0, y[l]);
    }
}

/* ---- capacity, every lane at once (capacity.c's capacity_tally) -----------
 *
 * A lane takes a branch of capacity.c's where its own numbers say so: the
 * condition is a mask, the children are moved in the lanes it holds and the
 * others keep their bits (a blend, not a multiply by 0). A column any lane
 * changed is summed again for every lane: a lane whose column did not
 * change gets the bits it had, the sum being taken in the same order. */

static inline int any(const v4i *m)
{
    long long a = 0;
    for (int l = 0; l < L; l++) a |= (*m)[l];
    return a != 0;
}

/* sum_in: a column's children over every age (ages NULL) or the ages set. */
static inline void lanes_sum_in(const plan *pl, const v4 *x, int p, const unsigned char *ages, v4 *sum)
{
    const size_t P = (size_t)pl->nplace;
    v4 t = {0};
    for (int a = 0; a < pl->nages; a++)
        if (!ages || ages[a]) t += x[(size_t)a * P + (size_t)p];
    *sum = t;
}

/* A column's sum of next or arrive: the one taken before capacity while no
 * lane has changed the column (dirty), else summed again. */
static inline void column(const plan *pl, const v4 *x, const v4 *sum, const unsigned char *dirty, int p, v4 *c)
{
    if (dirty[p])
        lanes_sum_in(pl, x, p, NULL, c);
    else
        *c = sum[p];
}

/* Places of placement p at census k + 1 in every lane (their own plans). */
static inline void places_of(workspace *const w[L], int k, int p, v4 *c)
{
    for (int l = 0; l < L; l++) (*c)[l] = w[l]->plan.places[(size_t)k * (size_t)w[l]->plan.nplace + (size_t)p];
}

/* The lanes whose places are limited (not INFINITY: capacity.c's isinf). */
static inline void limited(const v4 *x, v4i *m)
{
    for (int l = 0; l < L; l++) (*m)[l] = isinf((*x)[l]) ? 0 : -1;
}

LANES_KERNEL static void lanes_capacity(workspace *const w[L], int k, v4 *restrict next, v4 *restrict arrive,
                                        const v4 *tn, const v4 *ta, const v4 *ws, v4 *e, v4 *wsum, v4 *overflow,
                                        unsigned char *dirty)
{
    const plan *pl = &w[0]->plan;
    const int A = pl->nages, P = pl->nplace;
    v4 over = {0};
    memset(dirty, 0, (size_t)P);
    for (int i = 0; i < pl->noverflow; i++) {
        const int p = pl->overflow[i].p, q = pl->overflow[i].q;
        v4 cap, total, arr;
        v4i on;
        places_of(w, k, p, &cap);
        limited(&cap, &on);
        if (!any(&on)) continue;
        column(pl, next, tn, dirty, p, &total);
        column(pl, arrive, ta, dirty, p, &arr);
        on &= ~(total <= cap) & ~(arr <= 0.0);
        const v4 stay = total - arr, room = cap - stay;
        const v4 admit = blend(cap > stay, room, (v4){0});
        const v4 excess = arr - admit;
        on &= ~(excess <= 0.0);
        if (!any(&on)) continue;
        const v4 f = excess / arr;
        for (int a = 0; a < A; a++) {
            v4 *nx = next + (size_t)a * (size_t)P, *ar = arrive + (size_t)a * (size_t)P;
            const v4 x = ar[p] * f;
            nx[p] = blend(on, nx[p] - x, nx[p]);
            ar[p] = blend(on, ar[p] - x, ar[p]);
            nx[q] = blend(on, nx[q] + x, nx[q]);
            ar[q] = blend(on, ar[q] + x, ar[q]);
        }
        dirty[p] = dirty[q] = 1;
        over = blend(on, over + excess, over);
    }
    for (int p = 0; p < P; p++) {
        const int from = pl->backfill_from[p];
        if (from < 0) continue;
        const unsigned char *ages = pl->backfill_age[p];
        v4 cap, total, pool;
        v4i on;
        places_of(w, k, p, &cap);
        limited(&cap, &on);
        if (!any(&on)) continue;
        column(pl, next, tn, dirty, p, &total);
        if (ages)
            lanes_sum_in(pl, next, from, ages, &pool);
        else
            column(pl, next, tn, dirty, from, &pool);
        const v4 spare = cap - total;
        on &= ~(spare <= 0.0) & ~(pool <= 0.0);
        if (!any(&on)) continue;
        dirty[p] = dirty[from] = 1;
        const v4 take = blend(spare < pool, spare, pool), f = take / pool;
        for (int a = 0; a < A; a++) {
            if (ages && !ages[a]) continue;
            v4 *nx = next + (size_t)a * (size_t)P, *ar = arrive + (size_t)a * (size_t)P;
            const v4 x = nx[from] * f;
            nx[from] = blend(on, nx[from] - x, nx[from]);
            nx[p] = blend(on, nx[p] + x, nx[p]);
            ar[p] = blend(on, ar[p] + x, ar[p]);
        }
    }
    const double cm = pl->cost_need[0];
    for (int p = 0; p < P; p++) {
        if (!dirty[p]) {
            e[p] = tn[p], wsum[p] = ws[p];
            continue;
        }
        lanes_sum_in(pl, next, p, NULL, &e[p]);
        v4 w0 = {0};
        for (int a = 0; a < A; a++)
            w0 += next[(size_t)a * (size_t)P + (size_t)p] * pl->cost_age[(size_t)a * (size_t)P + (size_t)p] * cm;
        wsum[p] = w0;
    }
    *overflow = over;
}

void lanes_run(lanes *ln, workspace *const w[L], projection *const out[L], int rc[L])
{
    const plan *p0 = &w[0]->plan;
    const size_t cells = ln->cells, P = (size_t)p0->nplace;
    const int ny = out[0]->ny;
    v4 *now = (v4 *)ln->now, *next = (v4 *)ln->next, *arrive = (v4 *)ln->arrive;
    v4 *tn = (v4 *)ln->tn, *ta = (v4 *)ln->ta, *ws = (v4 *)ln->ws, sums[3], J;
    double *w0 = ln->w, *w1 = ln->w + L * P, isps[L] = {0}, isp[L];
    const scenario *s = p0->s;
    size_t pa_isp[L][s->niv + 1], pa_wo[L][s->niv + 1];
    int pa_wo_fy[L][s->niv + 1], isp_iv[L];
    position_acts acts[L]; /* each lane's actions the money reads, once for the run */
    for (int l = 0; l < L; l++) {
        acts[l] = (position_acts){0, 0, pa_isp[l], pa_wo[l], pa_wo_fy[l]};
        position_gather(s, w[l]->plan.ivs, &acts[l]);
        isp_iv[l] = reform_isp_action(s, w[l]->plan.ivs);
    }
    for (size_t c = 0; c < cells; c++)
        for (int l = 0; l < L; l++) now[c][l] = p0->stock0[c];
    lanes_tables(ln, p0);
    census_tally(p0, p0->stock0, NULL, NULL, w0);
    for (int l = 1; l < L; l++) memcpy(w0 + (size_t)l * P, w0, P * sizeof(double));
    v4 *prot = (v4 *)ln->prot, *prot_next = (v4 *)ln->prot_next, *row = (v4 *)ln->row, *surv = row + P;
    if (p0->protecting)
        for (size_t c = 0; c < cells; c++) prot[c] = (v4){0};
    for (int k = 0; k < ny; k++) {
        lanes_leave_move(p0, k, ln->fcease, now, next, arrive, surv, row, sums);
        if (p0->protecting) { /* reform.c's reform_protect_step, every lane */
            for (int l = 0; l < L; l++)
                reform_protect_lane(&w[l]->plan, k, (const double *)now + l, (double *)prot + l);
            lanes_protect(p0, k, ln->fcease, prot, prot_next, (v4 *)ln->prot_arrive, surv, row);
        }
        for (int l = 0; l < L; l++) {
            const plan *pl = &w[l]->plan;
            if (p0->reassessing)
                sums[1][l] +=
                    reform_reassess_lane(pl->s, pl->val, pl->ivs, pl->census0 + k, (double *)next + l,
                                         (double *)arrive + l, p0->protecting ? (const double *)prot_next + l : NULL);
            out[l]->leavers[k] = sums[1][l];
            J[l] = joiners_count(&w[l]->plan, k, sums[0][l], sums[2][l], &isp[l]);
            out[l]->joiners[k] = J[l];
        }
        lanes_join_sum(p0, k, ln->gjoin, &J, next, arrive, tn, ta, ws);
        v4 over, *e = (v4 *)ln->col, *wsum = e + P;
        lanes_capacity(w, k, next, arrive, tn, ta, ws, e, wsum, &over, ln->ok);
        for (int l = 0; l < L; l++) {
            const plan *pl = &w[l]->plan;
            projection *o = out[l];
            double *eh = o->ehcps + (size_t)k * P, *wl1 = w1 + (size_t)l * P;
            for (size_t p = 0; p < P; p++) {
                eh[p] = e[p][l];
                wl1[p] = wsum[p][l];
            }
            double isps1 = reform_isp_next(s, pl->val, isp_iv[l], isps[l], isp[l]);
            o->isps[k] = isps1;
            o->overflow[k] = over[l];
            money_year(pl, k, w0 + (size_t)l * P, wl1, o);
            position_step(s, pl->val, &acts[l], k, isps[l], isps1, o);
            isps[l] = isps1;
        }
        v4 *t = now;
        now = next;
        next = t;
        double *u = w0;
        w0 = w1;
        w1 = u;
        if (p0->protecting) {
            t = prot;
            prot = prot_next;
            prot_next = t;
        }
    }
    ln->now = (double *)now, ln->next = (double *)next;
    ln->prot = (double *)prot, ln->prot_next = (double *)prot_next;
    for (int l = 0; l < L; l++) {
        const projection *o = out[l];
        rc[l] = HNB_OK;
        for (int k = 0; k < ny; k++)
            if (!isfinite(o->cumulative[k]) || !isfinite(o->spend_total[k]) || !isfinite(o->ehcps[k * (int)P]))
                rc[l] = HNB_E_NUMERIC;
    }
}
