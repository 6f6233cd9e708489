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
 * those are counted in w->isp_diverted and never become EHCPs.
 * The plan holds everything but the stocks: the driver's number before the
 * stocks enter it (join_base), what actions leave (join_factor), the age x
 * need shares (join_agen) and each band's first placements (join_first). */
#include <gsl/gsl_randist.h>

#include "engine/project.h"

/* The next uniform of the count-noise stream, read inline as cohort.c's
 * samplers do: word / 2^32, the number gsl_rng_uniform gives for it. */
static inline double join_uniform(gsl_rng *r)
{
    noise_words *nw = r->state;
    if (nw->left == 0) nw->refill(nw);
    return (double)nw->buf[--nw->left] * 0x1p-32;
}

/* nx[p] and ar[p] gain J x (g x row[p]): restrict parameters, so the loop
 * needs no overlap checks. */
static inline void join_cells(int P, double J, double g, const double *restrict row, double *restrict nx,
                              double *restrict ar)
{
    for (int p = 0; p < P; p++) {
        double x = J * (g * row[p]);
        nx[p] += x;
        ar[p] += x;
    }
}

/* J expected new plans spread over the cells: J x (age x need share x first
 * placement share) added to the census and to the arrivals. */
HNB_VECTORISE static void join_expected(const plan *pl, double J, const double *first, const double *agen, double *next,
                                        double *arrive)
{
    const int A = pl->nages, G = pl->nneeds, P = pl->nplace;
    const int *first_of = pl->first_of;
    if (G == 1) {
        for (int a = 0; a < A; a++) {
            const int fo = first_of[a];
            if (fo >= 0)
                join_cells(P, J, agen[a], first + (size_t)fo * (size_t)P, next + (size_t)a * (size_t)P,
                           arrive + (size_t)a * (size_t)P);
        }
        return;
    }
    for (int a = 0; a < A; a++)
        for (int n = 0; n < G; n++) {
            const int fo = first_of[(size_t)a * (size_t)G + (size_t)n];
            if (fo >= 0)
                join_cells(P, J, agen[(size_t)a * (size_t)G + (size_t)n], first + (size_t)fo * (size_t)P,
                           next + plan_cell(pl, a, n, 0), arrive + plan_cell(pl, a, n, 0));
        }
}

double joiners_add(const plan *pl, int k, const double *now, double survivors, double *next, double *arrive,
                   workspace *w)
{
    double J = 0.0, b = pl->join_base[k];
    switch ((enum joiner_driver)pl->driver) {
    case JOIN_TOTAL_GROWTH: {
        double total_now = 0.0;
        if (w->have_total) /* counted by the leavers' pass, in the same order */
            total_now = w->total_now;
        else
            for (size_t c = 0; c < pl->cells; c++) total_now += now[c];
        J = total_now * b - survivors;
        break;
    }
    case JOIN_NEW_PLANS:
    case JOIN_REQUESTS: J = b; break;
    case JOIN_PREVALENCE: J = b - survivors; break;
    case JOIN_INCIDENCE: J = b; break;
    case JOIN_NDRIVERS: break;
    }
    if (J < 0.0) J = 0.0;
    J *= pl->join_factor[k];
    double keep = pl->join_isp_keep[k]; /* the rest get an ISP, not an EHCP (reform.c) */
    w->isp_diverted = J * (1.0 - keep);
    J *= keep;

    const int A = pl->nages, G = pl->nneeds, P = pl->nplace;
    const double *first = pl->join_first + (size_t)k * (size_t)pl->nfirst * (size_t)P;
    const double *agen = pl->join_agen + (size_t)k * pl->agen_stride;
    if (w->noise) {
        /* a Poisson number of whole children spread over the cells
         * multinomially: the cells' shares added up in cell order, then each
         * child placed by one uniform and a binary search when there are
         * fewer children than cells with a share, or else conditional
         * binomials cell by cell (GSL's method, stopping once every child is
         * placed). Both draw from the same multinomial. */
        unsigned int left = cohort_poisson(w->noise, J);
        J = (double)left;
        double *cum = w->cum, norm = 0.0;
        size_t npos = 0;
        for (int a = 0; a < A; a++) {
            for (int n = 0; n < G; n++) {
                int fo = pl->first_of[(size_t)a * (size_t)G + (size_t)n];
                double *cu = cum + plan_cell(pl, a, n, 0);
                if (fo < 0) { /* no joiners here: the sum stays */
                    for (int p = 0; p < P; p++) cu[p] = norm;
                    continue;
                }
                const double *row = first + (size_t)fo * (size_t)P;
                double g = agen[(size_t)a * (size_t)G + (size_t)n];
                for (int p = 0; p < P; p++) {
                    double x = g * row[p];
                    if (x > 0.0) norm += x; /* shares are >= 0: a zero adds nothing */
                    npos += x > 0.0;
                    cu[p] = norm;
                }
            }
        }
        if (left == 0 || norm <= 0.0) return J;
        if ((size_t)left < npos) {
            for (unsigned int i = 0; i < left; i++) {
                double u = join_uniform(w->noise) * norm;
                size_t lo = 0, hi = pl->cells - 1; /* the first cell whose cumulative share exceeds u */
                while (lo < hi) {
                    size_t mid = lo + (hi - lo) / 2;
                    if (cum[mid] > u)
                        hi = mid;
                    else
                        lo = mid + 1;
                }
                while (lo > 0 && cum[lo] == cum[lo - 1]) lo--; /* never a cell without a share */
                next[lo] += 1.0;
                arrive[lo] += 1.0;
            }
            return J;
        }
        double sum_p = 0.0;
        for (size_t c = 0; c < pl->cells && left > 0; c++) {
            double x = cum[c] - (c ? cum[c - 1] : 0.0);
            if (x <= 0.0) continue;
            unsigned int got = cohort_binomial(w->noise, x / (norm - sum_p), left);
            left -= got;
            next[c] += (double)got;
            arrive[c] += (double)got;
            sum_p += x;
        }
        return J;
    }
    join_expected(pl, J, first, agen, next, arrive);
    return J;
}
