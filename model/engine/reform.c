/* reform.c: the SEND reform actions of the Schools White Paper (February
 * 2026; legislation from 2029), each with a start, a ramp and a delivery
 * confidence like every other action (docs/methodology.md, "SEND reform").
 *
 *  - isp_diversion: a share f of the new plans of a step is met by an
 *    Individual Support Plan instead of an EHCP. The plans kept are
 *    J x prod(1 - f_i x ramp mean over the calendar year); the diverted join
 *    a stock of ISPs, I_t+1 = I_t (1 - exit) + diverted, costed on a spend
 *    line of their own (position.c). ISPs are not EHCPs: they are counted
 *    apart and never enter a placement.
 *  - reassessment: at the primary-to-secondary transfer (the ages listed,
 *    age at the census after the September transfer; 11 for Year 6 -> 7),
 *    a share e of the plans in the placements acted on end and a share d
 *    step down to a named placement (e.g. mainstream with SEN support), each
 *    times the ramp's value on 1 September. Children who step down arrive in
 *    their new placement (capacity admits them like any arrival).
 *  - protect_places: children in the listed placements at the last census
 *    before the protection date keep their place: they are not reassessed.
 *    Their number is followed as a second stock through the same leavers
 *    and moves as everyone (expected values); a protected child who moves
 *    to another placement loses the protection.
 * Several reassessments act one after another, in the order listed. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

#include "core/dates.h"
#include "engine/lanes.h"
#include "engine/project.h"

static double size_of(const scenario *s, const double *val, size_t par)
{
    return par == NOPAR ? 0.0 : par_val(s, val, par)[0];
}

double reform_isp_keep(const scenario *s, const double *val, const ivstate *ivs, int census)
{
    double keep = 1.0;
    for (size_t i = 0; i < s->niv; i++) {
        const intervention *iv = &s->iv[i];
        if (!ivs[i].on || iv->type != IV_ISP_DIVERSION) continue;
        keep *= 1.0 - size_of(s, val, iv->size) * ramp_mean(ivs[i].start, iv->ramp, 12.0 * census, 12.0 * (census + 1));
    }
    return keep;
}

int reform_isp_action(const scenario *s, const ivstate *ivs)
{
    for (size_t i = 0; i < s->niv; i++)
        if (ivs[i].on && s->iv[i].type == IV_ISP_DIVERSION) return (int)i; /* one per scenario (the loader checks) */
    return -1;
}

double reform_isp_next(const scenario *s, const double *val, int iv, double isps, double diverted)
{
    return iv >= 0 ? isps * (1.0 - size_of(s, val, s->iv[iv].isp_exit)) + diverted : isps + diverted;
}

double reform_isp_step(const scenario *s, const double *val, const ivstate *ivs, double isps, double diverted)
{
    return reform_isp_next(s, val, reform_isp_action(s, ivs), isps, diverted);
}

/* Whole children with expectation x (see cohort.c). */
static double whole(gsl_rng *r, double x)
{
    double n = floor(x);
    return n + (gsl_rng_uniform(r) < x - n ? 1.0 : 0.0);
}

/* The plans one reassessment ends and steps down in one cell: expected
 * values, or with count noise whole children drawn binomially. */
static void reassess_cell(gsl_rng *rng, double open, double e, double d, double *end, double *down)
{
    if (!rng) {
        *end = open * e;
        *down = open * d;
        return;
    }
    open = whole(rng, open);
    *end = open > 0.0 ? (double)gsl_ran_binomial(rng, e, (unsigned int)open) : 0.0;
    *down = (open > *end && e < 1.0)
                ? (double)gsl_ran_binomial(rng, fmin(1.0, d / (1.0 - e)), (unsigned int)(open - *end))
                : 0.0;
}

/* reform_reassess on cells `L` apart (1, or one lane of lanes.c's). */
static inline double reassess(const scenario *s, const double *val, const ivstate *ivs, int census, double *next,
                              double *arrive, const double *prot, gsl_rng *rng, size_t L)
{
    const int A = s->nages, G = s->nneeds, P = s->nplace;
    double transfer = 12.0 * census + 8.0, ended = 0.0; /* 1 September of the step */
    for (size_t i = 0; i < s->niv; i++) {
        const intervention *iv = &s->iv[i];
        if (!ivs[i].on || iv->type != IV_REASSESSMENT) continue;
        double r = ramp_at(ivs[i].start, iv->ramp, transfer);
        double e = size_of(s, val, iv->size) * r, d = iv->to_placement >= 0 ? size_of(s, val, iv->step) * r : 0.0;
        if (e <= 0.0 && d <= 0.0) continue;
        for (int a = 0; a < A; a++) {
            if (!iv->ages || !iv->ages[a]) continue;
            for (int p = 0; p < P; p++) {
                if (p == iv->to_placement || (iv->places && !iv->places[p])) continue;
                for (int n = 0; n < G; n++) {
                    size_t c = cell(s, a, n, p) * L;
                    double x = next[c], open = x - (prot ? fmin(prot[c], x) : 0.0), end, down;
                    if (open <= 0.0) continue;
                    reassess_cell(rng, open, e, d, &end, &down);
                    next[c] = fmax(0.0, x - end - down);
                    ended += end;
                    if (down > 0.0) {
                        size_t q = cell(s, a, n, iv->to_placement) * L;
                        next[q] += down;
                        arrive[q] += down;
                    }
                }
            }
        }
    }
    return ended;
}

double reform_reassess(const scenario *s, const double *val, const ivstate *ivs, int census, double *next,
                       double *arrive, const double *prot, gsl_rng *rng)
{
    return reassess(s, val, ivs, census, next, arrive, prot, rng, 1);
}

double reform_reassess_lane(const scenario *s, const double *val, const ivstate *ivs, int census, double *next,
                            double *arrive, const double *prot)
{
    return reassess(s, val, ivs, census, next, arrive, prot, NULL, LANES);
}

/* The children of `now` (cells L apart) in the placements a protection
 * covers become protected at the last census before its date (w->prot's
 * first part of reform_protect_step). */
static inline void protect_capture(const scenario *s, const ivstate *ivs, int census, size_t cells, const double *now,
                                   double *prot, size_t L)
{
    const int P = s->nplace;
    for (size_t i = 0; i < s->niv; i++) {
        const intervention *iv = &s->iv[i];
        if (!ivs[i].on || iv->type != IV_PROTECT_PLACES || !iv->places) continue;
        double d = ivs[i].start;
        int first = census == s->census0;
        if (!((d >= 12.0 * census || first) && d < 12.0 * (census + 1))) continue;
        for (size_t c = 0; c < cells; c++)
            if (iv->places[c % (size_t)P]) prot[c * L] = now[c * L];
    }
}

void reform_protect_lane(const plan *pl, int k, const double *now, double *prot)
{
    protect_capture(pl->s, pl->ivs, pl->census0 + k, pl->cells, now, prot, LANES);
}

int reform_protecting(const scenario *s, const ivstate *ivs)
{
    for (size_t i = 0; i < s->niv; i++)
        if (ivs[i].on && s->iv[i].type == IV_PROTECT_PLACES) return 1;
    return 0;
}

/* From w->prot (the protected children at census t) to w->prot_next at t+1:
 * the children of `now` in protected placements become protected at the
 * last census before a protection's date; then the protected stock takes the
 * step everyone takes (leavers, ageing, moves; expected values), and those
 * who changed placement are no longer protected. */
void reform_protect_step(const plan *pl, int k, const double *now, workspace *w)
{
    const size_t cells = w->cells;
    protect_capture(pl->s, pl->ivs, pl->census0 + k, cells, now, w->prot, 1);
    gsl_rng *noise = w->noise;
    w->noise = NULL;
    double survivors;
    cohort_leave_and_age(pl, k, w->prot, w->prot_next, &survivors, w);
    cohort_move(pl, k, w->prot_next, w->prot_arrive, w);
    w->noise = noise;
    for (size_t c = 0; c < cells; c++) w->prot_next[c] = fmax(0.0, w->prot_next[c] - w->prot_arrive[c]);
}
