/* plan_join.c: the joiners' tables of a plan (plan.h), split from plan.c.
 *
 * The driver's number of new plans in each step before the stocks enter it
 * (join_base), the age x need shares (join_agen: the age distribution, or
 * with incidence the population x rate of each age over their total; the
 * need shares by age, or each group's share), and the first-placement
 * shares of each band, or of each (age, need) cell where a close action
 * acts (join_first), each for the financial year of the step (by_year). The
 * same operations in the same order as the joiners step used to do in
 * place (plan.h's invariant): without incidence, need shares or by_year the
 * tables are those of plan.c before the split, value for value. */
#include <math.h>
#include <stdlib.h>

#include "engine/plan_memo.h"
#include "engine/project.h"

/* The first-placement band of children of need `need` aged `age`: the
 * group's own (joiners.by_need) or the shared one; the last listed wins, as
 * bands are written in order. -1: no band (no joiners). */
int plan_band_for(const scenario *s, int age, int need)
{
    for (int own = 1; own >= 0; own--) {
        int best = -1;
        for (size_t b = 0; b < s->join.nfirst; b++) {
            const firstband *f = &s->join.first[b];
            if ((own ? f->need == need : f->need < 0) && age >= f->lo && age <= f->hi) best = (int)b;
        }
        if (best >= 0) return best;
    }
    return -1;
}

static double growth_to(const plan *pl, const scenario *s, const double *val, const series *g, int census)
{
    double f = 1.0;
    for (int y = s->census0 + 1; y <= census; y++) f *= 1.0 + memo_series(&pl->memo->join_growth, s, val, g, y);
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

/* The shares of a band in financial year fy: its by_year set, or its own. */
static const double *band_shares(const scenario *s, const double *val, const firstband *f, int fy)
{
    for (size_t i = 0; i < f->nby; i++)
        if (f->by_fy[i] == fy) return par_val(s, val, f->by_shares[i]);
    return par_val(s, val, f->shares);
}

/* The need share of new plans at age a in financial year fy: need_shares'
 * band for the age, or the group's share of the stock. */
static double need_share(const scenario *s, const double *val, int a, int n, int fy)
{
    const joiners *j = &s->join;
    for (size_t b = j->nneed_band; b-- > 0;)
        if (a >= j->need_band[b].lo && a <= j->need_band[b].hi) return band_shares(s, val, &j->need_band[b], fy)[n];
    return par_val(s, val, s->needs[n].share)[0];
}

/* The population by age at a census: the latest year given at or before it,
 * or the earliest given. */
static const double *population_by_age(const scenario *s, const double *val, int census)
{
    const joiners *j = &s->join;
    int best = -1, first = -1;
    for (size_t i = 0; i < j->npopa; i++) {
        if (j->popa_census[i] <= census && (best < 0 || j->popa_census[i] > j->popa_census[best])) best = (int)i;
        if (first < 0 || j->popa_census[i] < j->popa_census[first]) first = (int)i;
    }
    if (best < 0) best = first;
    return best < 0 ? NULL : par_val(s, val, j->popa_par[best]);
}

/* incidence: the new plans of step k at each age, population at census t+1
 * x the rate of financial year t; their total into join_base. */
static double incidence_ages(const scenario *s, const double *val, int k, double *w)
{
    const int census = s->census0 + k;
    const double *pop = population_by_age(s, val, census + 1);
    const double *rate = par_val(s, val, series_par(&s->join.rate_age, census));
    double total = 0.0;
    for (int a = 0; a < s->nages; a++) {
        w[a] = pop ? pop[a] * rate[a] : 0.0;
        total += w[a];
    }
    return total;
}

/* joiners_add: the driver's number before the stocks enter it, what the
 * actions leave of it, and each cell's share: (age share x need share) x
 * first placement (after any shift) of the age's band. With incidence the
 * age share of step k is the population x rate of the age over their total. */
void plan_join_agen(const scenario *s, const double *val, plan *pl)
{
    const int A = s->nages, G = s->nneeds;
    if (!pl->agen_stride) {
        const double *age = par_val(s, val, s->join.age_dist);
        for (int a = 0; a < A; a++)
            for (int n = 0; n < G; n++)
                pl->join_agen[(size_t)a * (size_t)G + (size_t)n] = age[a] * par_val(s, val, s->needs[n].share)[0];
        return;
    }
    double w[A > 0 ? A : 1];
    for (int k = 0; k < pl->ny; k++) {
        int fy = s->census0 + k;
        double *g = pl->join_agen + (size_t)k * pl->agen_stride;
        const double *age = NULL;
        double total = 0.0;
        if (s->join.driver == JOIN_INCIDENCE)
            total = incidence_ages(s, val, k, w);
        else
            age = par_val(s, val, s->join.age_dist);
        for (int a = 0; a < A; a++) {
            double x = age ? age[a] : total > 0.0 ? w[a] / total : 0.0;
            for (int n = 0; n < G; n++) g[(size_t)a * (size_t)G + (size_t)n] = x * need_share(s, val, a, n, fy);
        }
    }
}

/* joiners_add's driver: the number of new plans of step k before the
 * stocks enter it (w: scratch of nages for incidence). */
static double driver_count(const plan *pl, const scenario *s, const double *val, int k, double *w)
{
    const joiners *j = &s->join;
    const int census = s->census0 + k;
    switch (j->driver) {
    case JOIN_TOTAL_GROWTH: return 1.0 + memo_series(&pl->memo->join_growth, s, val, &j->growth, census);
    case JOIN_NEW_PLANS: return par_val(s, val, j->count)[0] * growth_to(pl, s, val, &j->growth, census);
    case JOIN_REQUESTS:
        return par_val(s, val, j->count)[0] * growth_to(pl, s, val, &j->growth, census) *
               series_at(s, val, &j->conversion, census);
    case JOIN_PREVALENCE: return series_at(s, val, &j->per10k, census) / 10000.0 * population(s, val, census + 1);
    case JOIN_INCIDENCE: return incidence_ages(s, val, k, w);
    case JOIN_NDRIVERS: break;
    }
    return 0.0;
}

/* The tables of each year, each rebuilt only when what it reads changed
 * (plan_memo.h): join_base from the driver's values, join_isp_keep from the
 * ISP diversions, join_first from the bands' shares, the shifts and the
 * close actions. */
void plan_joiners(const scenario *s, const double *val, const ivstate *ivs, plan *pl)
{
    const plan_memo *m = pl->memo;
    const joiners *j = &s->join;
    const int P = s->nplace, A = s->nages, G = s->nneeds;
    pl->driver = (int)j->driver;
    const int base = memo_t(pl, m->t_jbase), isp = memo_g(pl, m->g_isp);
    const int first = memo_t(pl, m->t_jfirst) || memo_g(pl, m->g_shift) || (pl->first_cells && memo_g(pl, m->g_mod));
    if (!base && !isp && !first) return;
    double w[A > 0 ? A : 1];
    for (int k = 0; k < pl->ny; k++) {
        int census = s->census0 + k;
        if (isp) pl->join_isp_keep[k] = reform_isp_keep(s, val, ivs, census);
        if (base) pl->join_base[k] = driver_count(pl, s, val, k, w);
        if (!first) continue;
        double *rows = pl->join_first + (size_t)k * (size_t)pl->nfirst * (size_t)P;
        if (!pl->first_cells) {
            for (size_t bd = 0; bd < j->nfirst; bd++) {
                double *row = rows + bd * (size_t)P;
                const double *sh = band_shares(s, val, &j->first[bd], census);
                for (int p = 0; p < P; p++) row[p] = sh[p];
                iv_shift_first(s, val, ivs, census, row);
            }
            continue;
        }
        /* a close action: one row per (age, need), each its band's shares
         * after the shifts, then closed */
        for (int a = 0; a < A; a++)
            for (int n = 0; n < G; n++) {
                int bd = plan_band_for(s, a, n);
                if (bd < 0) continue;
                double *row = rows + ((size_t)a * (size_t)G + (size_t)n) * (size_t)P;
                const double *sh = band_shares(s, val, &j->first[bd], census);
                for (int p = 0; p < P; p++) row[p] = sh[p];
                iv_shift_first(s, val, ivs, census, row);
                iv_modify_first(pl, k, a, n, row);
            }
    }
}
