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
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/project.h"

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

/* ---- count noise -----------------------------------------------------------
 *
 * A Poisson number of whole children spread over the cells multinomially:
 * the cells' shares added up in cell order (cum), then each child placed by
 * one uniform u (the first cell whose cumulative share exceeds u x the
 * sum) when there are fewer children than cells with a share, or else
 * conditional binomials cell by cell (GSL's method, stopping once every
 * child is placed). Both draw from the same multinomial.
 *
 * The cumulative shares of a year depend only on the year's first-placement
 * rows, its age x need shares and first_of, which most paths share: each
 * year's are kept (join_year, in the workspace) with a copy of what they
 * were made from, and made again only when that differs (memcmp). With
 * them a guide table: guide[j] is the first cell whose cumulative share
 * exceeds (j / 2^gbits) x the sum, so a child whose word has top bits j
 * starts its search there (two or three steps on average, not a binary
 * search over every cell). The uniform is the word / 2^32, and j / 2^gbits
 * <= u exactly, so by the monotone rounding of the product the guide never
 * passes the cell the search wants: the same cell as a search from the
 * first, the same draws. */

typedef struct join_year {
    int ok;
    size_t nin;
    void *in; /* the first rows, the age x need shares and first_of they were made from */
    double *cum, norm;
    size_t npos;
    int gbits;
    unsigned *guide;
} join_year;

struct join_cache {
    int ny;
    join_year *y;
};

void joiners_noise_free(workspace *w)
{
    struct join_cache *c = w->join_cache;
    if (!c) return;
    for (int k = 0; k < c->ny; k++) {
        free(c->y[k].in);
        free(c->y[k].cum);
        free(c->y[k].guide);
    }
    free(c->y);
    free(c);
    w->join_cache = NULL;
}

/* The cumulative shares of step k into cum (norm: their sum, npos: the cells
 * with a share). */
static void join_cum(const plan *pl, const double *first, const double *agen, double *cum, double *norm_out,
                     size_t *npos_out)
{
    const int A = pl->nages, G = pl->nneeds, P = pl->nplace;
    double norm = 0.0;
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
    *norm_out = norm;
    *npos_out = npos;
}

/* Step k's cumulative shares and guide, made again if their inputs
 * changed; NULL when memory runs out (the caller makes them itself). */
static const join_year *join_tables(const plan *pl, int k, const double *first, const double *agen, workspace *w)
{
    struct join_cache *c = w->join_cache;
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c) return NULL;
        w->join_cache = c;
    }
    if (k >= c->ny) {
        int ny = k + 1 > pl->ny ? k + 1 : pl->ny;
        join_year *y = realloc(c->y, (size_t)ny * sizeof *y);
        if (!y) return NULL;
        memset(y + c->ny, 0, (size_t)(ny - c->ny) * sizeof *y);
        c->y = y;
        c->ny = ny;
    }
    join_year *y = &c->y[k];
    const size_t AG = (size_t)pl->nages * (size_t)pl->nneeds, nf = (size_t)pl->nfirst * (size_t)pl->nplace;
    const size_t nin = (nf + AG) * sizeof(double) + AG * sizeof(int);
    if (y->ok && y->nin == nin) {
        const char *in = y->in;
        if (!memcmp(in, first, nf * sizeof(double)) && !memcmp(in + nf * sizeof(double), agen, AG * sizeof(double)) &&
            !memcmp(in + (nf + AG) * sizeof(double), pl->first_of, AG * sizeof(int)))
            return y;
    }
    y->ok = 0;
    if (y->nin != nin) {
        free(y->in);
        free(y->cum);
        free(y->guide);
        y->in = malloc(nin);
        y->cum = malloc((pl->cells ? pl->cells : 1) * sizeof(double));
        y->guide = NULL;
        y->gbits = -1;
        y->nin = y->in && y->cum ? nin : 0;
        if (!y->nin) return NULL;
    }
    char *in = y->in;
    memcpy(in, first, nf * sizeof(double));
    memcpy(in + nf * sizeof(double), agen, AG * sizeof(double));
    memcpy(in + (nf + AG) * sizeof(double), pl->first_of, AG * sizeof(int));
    join_cum(pl, first, agen, y->cum, &y->norm, &y->npos);
    /* a guide of 2^gbits entries, about one a cell with a share */
    int gbits = 0;
    while (gbits < 16 && ((size_t)1 << gbits) < y->npos) gbits++;
    if (gbits != y->gbits) {
        free(y->guide);
        y->guide = malloc(((size_t)1 << gbits) * sizeof(unsigned));
        if (!y->guide) return NULL;
        y->gbits = gbits;
    }
    const size_t m = (size_t)1 << gbits, last = pl->cells - 1;
    size_t i = 0;
    for (size_t j = 0; j < m; j++) {
        const double t = ldexp((double)j, -gbits) * y->norm;
        while (i < last && y->cum[i] <= t) i++;
        y->guide[j] = (unsigned)i;
    }
    y->ok = 1;
    return y;
}

static double join_noise(const plan *pl, int k, double J, const double *first, const double *agen, double *next,
                         double *arrive, workspace *w)
{
    unsigned int left = cohort_poisson(w->noise, J);
    J = (double)left;
    if (left == 0 || pl->cells == 0) return J;
    const join_year *y = join_tables(pl, k, first, agen, w);
    const double *cum;
    double norm;
    size_t npos;
    if (y) {
        cum = y->cum, norm = y->norm, npos = y->npos;
    } else { /* out of memory for the tables: the same numbers, made here */
        join_cum(pl, first, agen, w->cum, &norm, &npos);
        cum = w->cum;
    }
    if (norm <= 0.0) return J;
    const size_t last = pl->cells - 1;
    if ((size_t)left < npos) {
        noise_words *nw = w->noise->state;
        for (unsigned int i = 0; i < left; i++) {
            if (nw->left == 0) nw->refill(nw);
            const uint32_t word = nw->buf[--nw->left];
            const double u = (double)word * 0x1p-32 * norm; /* what gsl_rng_uniform gives, x the sum */
            size_t lo;
            if (y) { /* the first cell whose cumulative share exceeds u, from the guide */
                lo = y->guide[y->gbits ? word >> (32 - y->gbits) : 0];
                while (lo < last && cum[lo] <= u) lo++;
            } else {
                size_t hi = last;
                lo = 0;
                while (lo < hi) {
                    size_t mid = lo + (hi - lo) / 2;
                    if (cum[mid] > u)
                        hi = mid;
                    else
                        lo = mid + 1;
                }
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

double joiners_count(const plan *pl, int k, double total_now, double survivors, double *isp)
{
    double J = 0.0, b = pl->join_base[k];
    switch ((enum joiner_driver)pl->driver) {
    case JOIN_TOTAL_GROWTH: J = total_now * b - survivors; break;
    case JOIN_NEW_PLANS:
    case JOIN_REQUESTS: J = b; break;
    case JOIN_PREVALENCE: J = b - survivors; break;
    case JOIN_INCIDENCE: J = b; break;
    case JOIN_NDRIVERS: break;
    }
    if (J < 0.0) J = 0.0;
    J *= pl->join_factor[k];
    double keep = pl->join_isp_keep[k]; /* the rest get an ISP, not an EHCP (reform.c) */
    *isp = J * (1.0 - keep);
    return J * keep;
}

double joiners_add(const plan *pl, int k, const double *now, double survivors, double *next, double *arrive,
                   workspace *w)
{
    double total_now = 0.0;
    if (pl->driver == JOIN_TOTAL_GROWTH) {
        if (w->have_total) /* counted by the leavers' pass, in the same order */
            total_now = w->total_now;
        else
            for (size_t c = 0; c < pl->cells; c++) total_now += now[c];
    }
    double J = joiners_count(pl, k, total_now, survivors, &w->isp_diverted);

    const int P = pl->nplace;
    const double *first = pl->join_first + (size_t)k * (size_t)pl->nfirst * (size_t)P;
    const double *agen = pl->join_agen + (size_t)k * pl->agen_stride;
    if (w->noise) return join_noise(pl, k, J, first, agen, next, arrive, w);
    join_expected(pl, J, first, agen, next, arrive);
    return J;
}
