/* plan_memo.c: what each parameter and action reaches in the plan, and
 * which of them changed since the last compile (plan_memo.h).
 *
 * Built once by plan_alloc: for every parameter the targets its values
 * reach (a target is a table, or one column of one: a placement's uplift,
 * a line's amounts), for every action the group it folds into. The marks
 * below list every parameter each target's builder reads; a builder that
 * comes to read another must mark it here (test_plan_deps compiles every
 * parameter and action change of every test scenario incrementally, and a
 * random walk of them, against a fresh plan, bit for bit).
 *
 * Per compile: the values are compared parameter by parameter (one word for
 * the many scalars, memcmp for the few long ones: about 1 instruction a
 * value), the action states one by one (on, start, and the values its
 * builders read). An action off both times is unchanged whatever its
 * values. A changed group's accumulator slice is reset and every action of
 * the group that is on folds into it again, in list order, so each cell
 * sees the operations of a full fold in the same order. */
#include "engine/plan_memo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/project.h"

typedef struct pairs {
    size_t *par;
    int *tgt;
    size_t n, cap;
    int failed;
} pairs;

static void add(pairs *x, const scenario *s, size_t par, int tgt)
{
    if (par == NOPAR || par >= s->npar || x->failed) return;
    if (x->n == x->cap) {
        size_t cap = x->cap * 2 + 64;
        size_t *p = realloc(x->par, cap * sizeof *p);
        if (!p) {
            x->failed = 1;
            return;
        }
        x->par = p;
        int *t = realloc(x->tgt, cap * sizeof *t);
        if (!t) {
            x->failed = 1;
            return;
        }
        x->tgt = t;
        x->cap = cap;
    }
    x->par[x->n] = par;
    x->tgt[x->n++] = tgt;
}

static void add_series(pairs *x, const scenario *s, const series *r, int tgt)
{
    add(x, s, r->def, tgt);
    for (size_t i = 0; i < r->n; i++) add(x, s, r->par[i], tgt);
}

static void add_line(pairs *x, const scenario *s, const line *l, int tgt)
{
    add(x, s, l->amount, tgt);
    for (size_t i = 0; i < l->nby; i++) add(x, s, l->by_par[i], tgt);
    add_series(x, s, &l->growth, tgt);
}

/* Every (parameter, target) the builders read. */
static void marks(const scenario *s, const plan_memo *m, pairs *x)
{
    const int P = s->nplace;
    for (int p = 0; p < P; p++) {
        const placement *q = &s->place[p];
        for (size_t b = 0; b < q->ncost_bands; b++) add(x, s, q->cost_bands[b].par, m->t_misc);
        add_series(x, s, &q->inflation, m->t_infl + p);
        add(x, s, q->unit_cost, m->t_uc + p);
        add(x, s, s->cost_scale, m->t_uc + p);
        for (size_t i = 0; i < q->ncap; i++) add(x, s, q->cap[i].places, m->t_cap + p);
    }
    for (int g = 0; g < s->nneeds; g++) add(x, s, s->needs[g].cost_mult, m->t_misc);
    add(x, s, s->balance, m->t_misc);
    add(x, s, s->interest, m->t_misc);
    for (size_t o = 0; o < s->nother; o++) add_line(x, s, &s->other[o], m->t_other + (int)o);
    for (size_t l = 0; l < s->nfund; l++) add_line(x, s, &s->fund[l], m->t_fund + (int)l);
    const joiners *j = &s->join;
    add_series(x, s, &j->growth, m->t_jbase);
    add(x, s, j->count, m->t_jbase);
    add_series(x, s, &j->conversion, m->t_jbase);
    add_series(x, s, &j->per10k, m->t_jbase);
    for (size_t i = 0; i < j->npop; i++) add(x, s, j->pop_par[i], m->t_jbase);
    for (size_t i = 0; i < j->npopa; i++) add(x, s, j->popa_par[i], m->t_jbase);
    add_series(x, s, &j->rate_age, m->t_jbase);
    for (size_t b = 0; b < j->nfirst; b++) {
        add(x, s, j->first[b].shares, m->t_jfirst);
        for (size_t i = 0; i < j->first[b].nby; i++) add(x, s, j->first[b].by_shares[i], m->t_jfirst);
    }
    /* the builders of the actions (intervention.c) and reform_isp_keep */
    for (size_t i = 0; i < s->niv; i++) {
        add(x, s, s->iv[i].size, m->t_iv + (int)i);
        add(x, s, s->iv[i].cost, m->t_iv + (int)i);
    }
}

/* The group action iv's builder folds into, or -1 (no builder, or one that
 * writes nothing: a placement or line out of range). */
static int group_of(const plan *pl, const plan_memo *m, const intervention *iv)
{
    switch (iv->type) {
    case IV_REDUCE_JOINERS: return m->g_join;
    case IV_ADD_CAPACITY: return iv->placement >= 0 && iv->placement < pl->nplace ? m->g_places + iv->placement : -1;
    case IV_SHIFT_FIRST_PLACEMENT: return m->g_shift;
    case IV_UNIT_COST: return iv->placement >= 0 && iv->placement < pl->nplace ? m->g_costf + iv->placement : -1;
    case IV_UPLIFT_FREEZE: return m->g_frozen;
    case IV_BLOCK_TRANSFER:
    case IV_DFE_CONTRIBUTION: return iv->line >= 0 && iv->line < pl->nfund ? m->g_fundadj + iv->line : -1;
    case IV_EARLIER_CEASING: return m->g_cease;
    case IV_REDUCE_MOVES: return m->g_movek;
    case IV_SPEND_SAVING: return iv->line >= 0 && iv->line < pl->nspend ? m->g_spendadj + iv->line : -1;
    case IV_ISP_DIVERSION: return m->g_isp;
    case IV_MODIFY_TRANSITIONS: return m->g_mod;
    case IV_DEFICIT_WRITEOFF: /* read from the action states by position.c */
    case IV_REASSESSMENT:     /* the flags below, and reform.c in the year loop */
    case IV_PROTECT_PLACES:
    case IV_NTYPES: return -1;
    }
    return -1;
}

/* Offsets of series r over the years lo .. hi; 0 or -1 (no memory). */
static int years_of(const scenario *s, const series *r, int lo, int hi, plan_years *t)
{
    t->lo = lo;
    t->n = hi >= lo ? hi - lo + 1 : 0;
    t->off = malloc((size_t)t->n * sizeof *t->off + 1);
    if (!t->off) return -1;
    for (int y = lo; y <= hi; y++) {
        size_t par = series_par(r, y);
        t->off[y - lo] = par < s->npar ? s->par[par].off : SIZE_MAX;
    }
    return 0;
}

static const line *line_of(const scenario *s, size_t i)
{
    return i < s->nother ? &s->other[i] : &s->fund[i - s->nother];
}

int plan_memo_alloc(const scenario *s, plan *pl)
{
    plan_memo *m = calloc(1, sizeof *m);
    if (!m) return HNB_E_NOMEM;
    pl->memo = m;
    const int P = pl->nplace;
    int t = 0;
    m->t_misc = t++;
    m->t_jbase = t++;
    m->t_jfirst = t++;
    m->t_infl = t, t += P;
    m->t_uc = t, t += P;
    m->t_cap = t, t += P;
    m->t_other = t, t += pl->nother;
    m->t_fund = t, t += pl->nfund;
    m->t_iv = t, t += (int)s->niv;
    m->ntarget = t;
    int g = 0;
    m->g_join = g++;
    m->g_cease = g++;
    m->g_movek = g++;
    m->g_mod = g++;
    m->g_frozen = g++;
    m->g_isp = g++;
    m->g_shift = g++;
    m->g_places = g, g += P;
    m->g_costf = g, g += P;
    m->g_fundadj = g, g += pl->nfund;
    m->g_spendadj = g, g += pl->nspend;
    m->ngroup = g;

    pairs x = {0};
    marks(s, m, &x);
    m->reach_off = calloc(s->npar + 1, sizeof *m->reach_off);
    m->reach = calloc(x.n + 1, sizeof *m->reach);
    m->dirty_t = calloc((size_t)m->ntarget + 1, 1);
    m->scalar_off = calloc(s->npar + 1, sizeof *m->scalar_off);
    m->scalar_par = calloc(s->npar + 1, sizeof *m->scalar_par);
    m->big_par = calloc(s->npar + 1, sizeof *m->big_par);
    m->iv_group = calloc(s->niv + 1, sizeof *m->iv_group);
    m->iv_cost_group = calloc(s->niv + 1, sizeof *m->iv_cost_group);
    m->dirty_g = calloc((size_t)m->ngroup + 1, 1);
    m->flag_iv = calloc(s->niv + 1, sizeof *m->flag_iv);
    m->last_ivs = calloc(s->niv + 1, sizeof *m->last_ivs);
    m->infl_off = calloc((size_t)pl->fz_n * (size_t)P + 1, sizeof *m->infl_off);
    m->plain_stale = calloc((size_t)P + 1, 1);
    m->frozen_any = calloc((size_t)P + 1, 1);
    m->dirty_list = calloc((size_t)m->ngroup + 1, sizeof *m->dirty_list);
    m->mem_off = calloc((size_t)m->ngroup + 2, sizeof *m->mem_off);
    m->mem = calloc(2 * s->niv + 1, sizeof *m->mem);
    m->act_changed = calloc(s->niv + 1, 1);
    m->snap_at = calloc((size_t)m->ngroup + 1, sizeof *m->snap_at);
    m->snap = calloc((size_t)m->ngroup * (size_t)pl->ny + 1, sizeof *m->snap);
    m->movek_iv = calloc(s->niv + 1, sizeof *m->movek_iv);
    m->word_par = malloc((pl->nval + 1) * sizeof *m->word_par);
    m->diff = malloc(MEMO_DIFFS * sizeof *m->diff);
    if (x.failed || !m->reach_off || !m->reach || !m->dirty_t || !m->scalar_off || !m->scalar_par || !m->big_par ||
        !m->iv_group || !m->iv_cost_group || !m->dirty_g || !m->flag_iv || !m->last_ivs || !m->infl_off ||
        !m->plain_stale || !m->frozen_any || !m->dirty_list || !m->mem_off || !m->mem || !m->act_changed ||
        !m->snap_at || !m->snap || !m->movek_iv || !m->word_par || !m->diff) {
        free(x.par);
        free(x.tgt);
        return HNB_E_NOMEM; /* plan_free frees the rest */
    }
    /* the pairs by parameter (a counting sort, stable) */
    for (size_t i = 0; i < x.n; i++) m->reach_off[x.par[i] + 1]++;
    for (size_t i = 0; i < s->npar; i++) m->reach_off[i + 1] += m->reach_off[i];
    size_t *fill = m->scalar_off; /* scratch until the scalars are listed */
    for (size_t i = 0; i < s->npar; i++) fill[i] = m->reach_off[i];
    for (size_t i = 0; i < x.n; i++) m->reach[fill[x.par[i]]++] = x.tgt[i];
    free(x.par);
    free(x.tgt);
    for (size_t i = 0; i < s->npar; i++) {
        if (s->par[i].n == 1) {
            m->scalar_off[m->nscalar] = s->par[i].off;
            m->scalar_par[m->nscalar++] = i;
        } else if (s->par[i].n > 1)
            m->big_par[m->nbig++] = i;
    }
    for (size_t w = 0; w < pl->nval; w++) m->word_par[w] = NOPAR;
    for (size_t i = 0; i < s->npar; i++)
        for (size_t j = 0; j < s->par[i].n && s->par[i].off + j < pl->nval; j++) m->word_par[s->par[i].off + j] = i;
    for (size_t i = 0; i < s->niv; i++) {
        const intervention *iv = &s->iv[i];
        m->iv_group[i] = group_of(pl, m, iv);
        m->iv_cost_group[i] =
            iv->cost != NOPAR && iv->cost_line >= 0 && iv->cost_line < pl->nspend ? m->g_spendadj + iv->cost_line : -1;
        if (iv->type == IV_PROTECT_PLACES || iv->type == IV_REASSESSMENT) m->flag_iv[m->nflag++] = i;
        if (iv->type == IV_REDUCE_MOVES) m->movek_iv[m->nmovek++] = i;
    }
    /* each group's members in list order, an action's builder before its
     * running cost: (action << 1) | 1 for the cost */
    for (size_t i = 0; i < s->niv; i++) {
        if (m->iv_group[i] >= 0) m->mem_off[m->iv_group[i] + 1]++;
        if (m->iv_cost_group[i] >= 0) m->mem_off[m->iv_cost_group[i] + 1]++;
    }
    for (int g = 0; g < m->ngroup; g++) m->mem_off[g + 1] += m->mem_off[g];
    {
        size_t *fill = calloc((size_t)m->ngroup + 1, sizeof *fill);
        if (!fill) return HNB_E_NOMEM;
        for (int g = 0; g < m->ngroup; g++) fill[g] = m->mem_off[g];
        for (size_t i = 0; i < s->niv; i++) {
            if (m->iv_group[i] >= 0) m->mem[fill[m->iv_group[i]]++] = i << 1;
            if (m->iv_cost_group[i] >= 0) m->mem[fill[m->iv_cost_group[i]]++] = i << 1 | 1;
        }
        free(fill);
    }
    /* where each line's growth and the joiners' growth of each year are:
     * the years line_amounts and driver_count read */
    m->line_growth = calloc(s->nother + s->nfund + 1, sizeof *m->line_growth);
    if (!m->line_growth) return HNB_E_NOMEM;
    m->nlines = s->nother + s->nfund;
    for (size_t i = 0; i < s->nother + s->nfund; i++) {
        const line *l = line_of(s, i);
        int lo = (l->base_fy < s->first_fy ? l->base_fy : s->first_fy) + 1;
        int hi = l->base_fy > s->last_fy ? l->base_fy : s->last_fy;
        if (years_of(s, &l->growth, lo, hi, &m->line_growth[i])) return HNB_E_NOMEM;
    }
    if (years_of(s, &s->join.growth, s->census0, s->census0 + pl->ny, &m->join_growth)) return HNB_E_NOMEM;
    /* where each placement's inflation of each year is (series_par, once) */
    for (int y = 0; y < pl->fz_n; y++)
        for (int p = 0; p < P; p++) {
            size_t par = series_par(&s->place[p].inflation, pl->fz_lo + y);
            m->infl_off[(size_t)y * (size_t)P + (size_t)p] = par < s->npar ? s->par[par].off : SIZE_MAX;
        }
    return HNB_OK;
}

void plan_memo_free(plan *pl)
{
    plan_memo *m = pl->memo;
    if (!m) return;
    void *all[] = {m->reach_off,   m->reach,         m->dirty_t,    m->scalar_off, m->scalar_par, m->big_par,
                   m->iv_group,    m->iv_cost_group, m->dirty_g,    m->flag_iv,    m->last_ivs,   m->infl_off,
                   m->plain_stale, m->frozen_any,    m->dirty_list, m->mem_off,    m->mem,        m->act_changed,
                   m->snap_at,     m->snap,          m->movek_iv,   m->word_par,   m->diff};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) free(all[i]);
    if (m->line_growth)
        for (size_t i = 0; i < m->nlines; i++) free(m->line_growth[i].off);
    free(m->line_growth);
    free(m->join_growth.off);
    free(m);
    pl->memo = NULL;
}

static void reach_from(plan_memo *m, size_t par)
{
    for (size_t i = m->reach_off[par]; i < m->reach_off[par + 1]; i++) m->dirty_t[m->reach[i]] = 1;
}

/* The words of a that differ bitwise from b, ascending, into out (up to
 * cap of them); returns how many differ. */
static size_t diff_words_plain(const double *a, const double *b, size_t n, size_t *out, size_t cap)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t x, y;
        memcpy(&x, a + i, sizeof x);
        memcpy(&y, b + i, sizeof y);
        if (x != y) {
            if (c < cap) out[c] = i;
            c++;
        }
    }
    return c;
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define MEMO_AVX2 1
/* The same, 16 words a step: the exclusive or of each 4, their or tested
 * at once; a block that differs is looked at 4 words at a time. */
__attribute__((target("avx2"))) static size_t diff_words_avx2(const double *a, const double *b, size_t n, size_t *out,
                                                              size_t cap)
{
    size_t c = 0, i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256i x0 =
            _mm256_xor_si256(_mm256_loadu_si256((const void *)(a + i)), _mm256_loadu_si256((const void *)(b + i)));
        __m256i x1 = _mm256_xor_si256(_mm256_loadu_si256((const void *)(a + i + 4)),
                                      _mm256_loadu_si256((const void *)(b + i + 4)));
        __m256i x2 = _mm256_xor_si256(_mm256_loadu_si256((const void *)(a + i + 8)),
                                      _mm256_loadu_si256((const void *)(b + i + 8)));
        __m256i x3 = _mm256_xor_si256(_mm256_loadu_si256((const void *)(a + i + 12)),
                                      _mm256_loadu_si256((const void *)(b + i + 12)));
        __m256i o = _mm256_or_si256(_mm256_or_si256(x0, x1), _mm256_or_si256(x2, x3));
        if (_mm256_testz_si256(o, o)) continue;
        const __m256i zero = _mm256_setzero_si256();
        const __m256i x[4] = {x0, x1, x2, x3};
        for (int q = 0; q < 4; q++) {
            unsigned mask = (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpeq_epi64(x[q], zero))) ^ 15u;
            for (; mask; mask &= mask - 1) {
                if (c < cap) out[c] = i + 4 * (size_t)q + (size_t)__builtin_ctz(mask);
                c++;
            }
        }
    }
    size_t rest = diff_words_plain(a + i, b + i, n - i, c < cap ? out + c : out, c < cap ? cap - c : 0);
    for (size_t k = c; k < c + rest && k < cap; k++) out[k] += i;
    return c + rest;
}
#endif

static size_t diff_words(const double *a, const double *b, size_t n, size_t *out, size_t cap)
{
#ifdef MEMO_AVX2
    if (__builtin_cpu_supports("avx2")) return diff_words_avx2(a, b, n, out, cap);
#endif
    return diff_words_plain(a, b, n, out, cap);
}

/* Parameter par changed: its values into last_val, its marks. */
static unsigned changed(const scenario *s, const double *val, plan *pl, size_t par)
{
    const param *q = &s->par[par];
    if (q->n == 1)
        pl->last_val[q->off] = val[q->off];
    else
        memcpy(pl->last_val + q->off, val + q->off, q->n * sizeof(double));
    reach_from(pl->memo, par);
    return pl->dep[par];
}

unsigned plan_memo_values(const scenario *s, const double *val, plan *pl)
{
    plan_memo *m = pl->memo;
    if (!pl->have_last) {
        memcpy(pl->last_val, val, pl->nval * sizeof(double));
        memset(m->dirty_t, 1, (size_t)m->ntarget);
        return 0xffu;
    }
    memset(m->dirty_t, 0, (size_t)m->ntarget);
    unsigned reach = 0;
    double *last = pl->last_val;
    /* the words that differ, mapped to their parameters (a word of no
     * parameter is not compared, as before); many of them: parameter by
     * parameter */
    size_t nd = diff_words(val, last, pl->nval, m->diff, MEMO_DIFFS);
    if (nd <= MEMO_DIFFS) {
        size_t prev = NOPAR;
        for (size_t k = 0; k < nd; k++) {
            size_t par = m->word_par[m->diff[k]];
            if (par == NOPAR || par == prev) continue;
            prev = par;
            reach |= changed(s, val, pl, par);
        }
        return reach;
    }
    for (size_t k = 0; k < m->nscalar; k++) {
        size_t off = m->scalar_off[k];
        uint64_t a, b;
        memcpy(&a, val + off, sizeof a);
        memcpy(&b, last + off, sizeof b);
        if (a != b) reach |= changed(s, val, pl, m->scalar_par[k]);
    }
    for (size_t k = 0; k < m->nbig; k++) {
        const param *q = &s->par[m->big_par[k]];
        if (memcmp(val + q->off, last + q->off, q->n * sizeof(double)) != 0)
            reach |= changed(s, val, pl, m->big_par[k]);
    }
    return reach;
}

static int same_start(double a, double b)
{
    uint64_t x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    return x == y;
}

/* The accumulator slice of group g as reset_accumulators leaves it. */
static void reset_group(plan *pl, int g)
{
    const plan_memo *m = pl->memo;
    const size_t ny = (size_t)pl->ny, A = (size_t)pl->nages, P = (size_t)pl->nplace;
    if (g == m->g_join) {
        for (size_t k = 0; k < ny; k++) pl->join_factor[k] = 1.0;
    } else if (g == m->g_cease) {
        for (size_t i = 0; i < ny * A; i++) pl->cease_stay[i] = 1.0;
    } else if (g == m->g_movek) {
        /* move_keep is written only at the ages an action marks in move_acts,
         * and there only in the column of the placement it reduces moves to:
         * with the memo standing, the actions on at the last fold (the
         * states of the last compile, as none of them changed since) say
         * which cells to set back */
        if (pl->move_keep_clean && m->valid) {
            for (size_t j = 0; j < m->nmovek; j++) {
                const intervention *iv = &pl->s->iv[m->movek_iv[j]];
                if (!m->last_ivs[m->movek_iv[j]].on || !iv->ages || iv->to_placement < 0 ||
                    iv->to_placement >= pl->nplace)
                    continue;
                for (size_t a = 0; a < A; a++)
                    if (iv->ages[a])
                        for (size_t k = 0; k < ny; k++) pl->move_keep[(k * A + a) * P + (size_t)iv->to_placement] = 1.0;
            }
        } else if (!pl->move_keep_clean) {
            for (size_t i = 0; i < ny * A * P; i++) pl->move_keep[i] = 1.0;
            pl->move_keep_clean = 1;
        } else {
            for (size_t a = 0; a < A; a++)
                if (pl->move_acts[a])
                    for (size_t k = 0; k < ny; k++)
                        for (size_t p = 0; p < P; p++) pl->move_keep[(k * A + a) * P + p] = 1.0;
        }
        memset(pl->move_acts, 0, A);
    } else if (g == m->g_mod) {
        if (pl->leave_factor)
            for (size_t i = 0; i < ny * pl->cells; i++) pl->leave_factor[i] = 1.0;
        for (size_t i = 0; i < (size_t)pl->nmod * ny; i++) pl->mod_move[i] = pl->mod_year[i] = 0.0;
    } else if (g == m->g_frozen) {
        memset(pl->frozen, 0, (size_t)pl->fz_n * P);
    } else if (g >= m->g_places && g < m->g_places + pl->nplace) {
        for (size_t k = 0; k < ny; k++) pl->extra_places[k * P + (size_t)(g - m->g_places)] = 0.0;
    } else if (g >= m->g_costf && g < m->g_costf + pl->nplace) {
        for (size_t k = 0; k < ny; k++) pl->cost_factor[k * P + (size_t)(g - m->g_costf)] = 1.0;
    } else if (g >= m->g_fundadj && g < m->g_fundadj + pl->nfund) {
        const size_t F = (size_t)pl->nfund;
        for (size_t k = 0; k < ny; k++) pl->fund_adj[k * F + (size_t)(g - m->g_fundadj)] = 0.0;
    } else if (g >= m->g_spendadj && g < m->g_spendadj + pl->nspend) {
        const size_t S = (size_t)pl->nspend;
        for (size_t k = 0; k < ny; k++) pl->spend_adj[k * S + (size_t)(g - m->g_spendadj)] = 0.0;
    } /* g_isp, g_shift: no accumulator (plan_join.c reads the action states) */
}

/* The cells of group g that have a snapshot (a column, or join_factor):
 * the first, and the step between years; NULL for the others. */
static double *group_cells(plan *pl, int g, size_t *step)
{
    const plan_memo *m = pl->memo;
    const size_t P = (size_t)pl->nplace;
    *step = P;
    if (g == m->g_join) {
        *step = 1;
        return pl->join_factor;
    }
    if (g >= m->g_places && g < m->g_places + pl->nplace) return pl->extra_places + (g - m->g_places);
    if (g >= m->g_costf && g < m->g_costf + pl->nplace) return pl->cost_factor + (g - m->g_costf);
    if (g >= m->g_fundadj && g < m->g_fundadj + pl->nfund) {
        *step = (size_t)pl->nfund;
        return pl->fund_adj + (g - m->g_fundadj);
    }
    if (g >= m->g_spendadj && g < m->g_spendadj + pl->nspend) {
        *step = (size_t)pl->nspend;
        return pl->spend_adj + (g - m->g_spendadj);
    }
    return NULL;
}

/* Fold group g again: from its snapshot, if the snapshot was taken before
 * the first of its members that changed (the members before it are as they
 * were, so the cells were then what they would be now), else from the
 * reset, taking a snapshot just before that member for the next compile. */
static void refold_group(const scenario *s, const double *val, const ivstate *ivs, plan *pl, int g)
{
    plan_memo *m = pl->memo;
    const size_t lo = m->mem_off[g], hi = m->mem_off[g + 1];
    size_t first = hi - lo; /* the first member that changed */
    for (size_t k = lo; k < hi; k++)
        if (m->act_changed[m->mem[k] >> 1]) {
            first = k - lo;
            break;
        }
    size_t step, ny = (size_t)pl->ny;
    double *cells = group_cells(pl, g, &step), *snap = m->snap + (size_t)g * ny;
    size_t from = 0;
    if (cells && m->snap_at[g] >= 0 && (size_t)m->snap_at[g] <= first) {
        from = (size_t)m->snap_at[g];
        for (size_t y = 0; y < ny; y++) cells[y * step] = snap[y];
    } else {
        reset_group(pl, g);
        m->snap_at[g] = -1; /* taken before a member that changed now: spent */
    }
    for (size_t k = lo + from;; k++) {
        /* just before the first member that changed (or past them all): the
         * snapshot for the next compile */
        if (cells && k - lo == first && first > from) {
            for (size_t y = 0; y < ny; y++) snap[y] = cells[y * step];
            m->snap_at[g] = (long)first;
        }
        if (k >= hi) break;
        size_t i = m->mem[k] >> 1;
        if (ivs[i].on) iv_fold_one(s, val, ivs, pl, i, (int)(m->mem[k] & 1));
    }
}

void plan_memo_actions(const scenario *s, const double *val, const ivstate *ivs, plan *pl)
{
    plan_memo *m = pl->memo;
    m->ndirty = 0;
    if (!m->valid) {
        memset(m->dirty_g, 1, (size_t)m->ngroup);
        memset(m->act_changed, 1, s->niv);
        for (int g = 0; g < m->ngroup; g++) {
            m->dirty_list[m->ndirty++] = g;
            m->snap_at[g] = -1;
        }
    } else {
        memset(m->dirty_g, 0, (size_t)m->ngroup);
        for (size_t i = 0; i < s->niv; i++) {
            const ivstate *a = &ivs[i], *b = &m->last_ivs[i];
            m->act_changed[i] =
                !(a->on == b->on && (!a->on || (same_start(a->start, b->start) && !m->dirty_t[m->t_iv + (int)i])));
            if (!m->act_changed[i]) continue;
            const int gs[2] = {m->iv_group[i], m->iv_cost_group[i]};
            for (int t = 0; t < 2; t++)
                if (gs[t] >= 0 && !m->dirty_g[gs[t]]) {
                    m->dirty_g[gs[t]] = 1;
                    m->dirty_list[m->ndirty++] = gs[t];
                }
        }
    }
    pl->protecting = pl->reassessing = 0;
    for (size_t k = 0; k < m->nflag; k++) {
        size_t i = m->flag_iv[k];
        if (!ivs[i].on) continue;
        pl->protecting |= s->iv[i].type == IV_PROTECT_PLACES;
        pl->reassessing |= s->iv[i].type == IV_REASSESSMENT;
    }
    /* each group's cells are its own, so the groups fold one after another,
     * each in list order; a spent memo: every group reset and the actions
     * folded in one pass, as iv_fold does (no group to look up) */
    if (!m->valid) {
        for (int g = 0; g < m->ngroup; g++) reset_group(pl, g);
        iv_fold(s, val, ivs, pl);
    } else
        for (size_t k = 0; k < m->ndirty; k++) refold_group(s, val, ivs, pl, m->dirty_list[k]);
    if (s->niv) memcpy(m->last_ivs, ivs, s->niv * sizeof *ivs);
}
