/* joiners.c: new plans in the step from census t to t+1 (calendar year t).
 *
 * The number comes from one of four drivers the scenario chooses:
 *   total_growth  the caseload grows by g_t: J = max(0, N_t (1 + g_t) - survivors)
 *   new_plans     J = J_0 x prod (1 + g) over the years since the first step
 *   requests      J = R_0 x prod (1 + g) x conversion_t
 *   prevalence    J = max(0, rate_t / 10,000 x population_{t+1} - survivors)
 * where g_t and rate_t are the values for financial year t (the one starting
 * in April of calendar year t). Actions that reduce new plans then scale J.
 * J is spread over ages (the age distribution, age at census t+1), over first
 * placements (by age band, after any shift an action makes) and over need
 * groups (their shares). Joiners arrive, so capacity may send them elsewhere.
 * A share of them may be met by an Individual Support Plan instead (reform.c):
 * those are counted in w->isp_diverted and never become EHCPs. */
#include <gsl/gsl_randist.h>

#include "engine/project.h"

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

double joiners_add(const scenario *s, const double *val, const ivstate *ivs, int census, const double *now,
                   double survivors, double *next, double *arrive, workspace *w)
{
    double *row = w->row;
    const joiners *j = &s->join;
    const int A = s->nages, G = s->nneeds, P = s->nplace;
    double total_now = 0.0;
    for (size_t c = 0; c < (size_t)A * (size_t)G * (size_t)P; c++) total_now += now[c];
    double J = 0.0;
    switch (j->driver) {
    case JOIN_TOTAL_GROWTH: J = total_now * (1.0 + series_at(s, val, &j->growth, census)) - survivors; break;
    case JOIN_NEW_PLANS: J = par_val(s, val, j->count)[0] * growth_to(s, val, &j->growth, census); break;
    case JOIN_REQUESTS:
        J = par_val(s, val, j->count)[0] * growth_to(s, val, &j->growth, census) *
            series_at(s, val, &j->conversion, census);
        break;
    case JOIN_PREVALENCE:
        J = series_at(s, val, &j->per10k, census) / 10000.0 * population(s, val, census + 1) - survivors;
        break;
    }
    if (J < 0.0) J = 0.0;
    J *= iv_joiner_factor(s, val, ivs, census);
    double keep = reform_isp_keep(s, val, ivs, census); /* the rest get an ISP, not an EHCP */
    w->isp_diverted = J * (1.0 - keep);
    J *= keep;

    const double *age = par_val(s, val, j->age_dist);
    /* the expected joiners in every cell, then (with count noise) a Poisson
     * number of whole children spread over the cells multinomially */
    double *share = w->tmp;
    for (size_t c = 0; c < w->cells; c++) share[c] = 0.0;
    for (size_t b = 0; b < j->nfirst; b++) {
        const firstband *fb = &j->first[b];
        const double *sh = par_val(s, val, fb->shares);
        for (int p = 0; p < P; p++) row[p] = sh[p];
        iv_shift_first(s, val, ivs, census, row);
        for (int a = fb->lo; a <= fb->hi; a++)
            for (int n = 0; n < G; n++)
                for (int p = 0; p < P; p++)
                    share[cell(s, a, n, p)] = age[a] * par_val(s, val, s->needs[n].share)[0] * row[p];
    }
    if (w->noise) {
        unsigned int k = gsl_ran_poisson(w->noise, J);
        gsl_ran_multinomial(w->noise, w->cells, k, share, w->draw);
        J = (double)k;
    }
    for (size_t c = 0; c < w->cells; c++) {
        double x = w->noise ? (double)w->draw[c] : J * share[c];
        next[c] += x;
        arrive[c] += x;
    }
    return J;
}
