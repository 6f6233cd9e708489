/* growth.c: the growth of an authority's total EHCPs at a census, with
 * nothing published after it (estimate.h, "growth of the total").
 *
 * The base is England's mean yearly growth over the three years to C. On top
 * of it, a relative term: least-squares coefficients times the authority's
 * features at C, each taken relative to England's so that the base carries
 * the national level and the features only move an authority against it:
 *   own    its own 3-year mean growth minus England's (pooling: the
 *          coefficient is the weight on the authority's own growth);
 *   req    requests for an EHC needs assessment in calendar year C-1 per plan
 *          in force at January C-1 (a leading indicator: requests become new
 *          plans within the year);
 *   age    the share of plans aged 16-25 at C, from the single-year ages
 *          where January C publishes them, else the latest 2022-release age
 *          bands up to C (the ages est_stock starts from): an older caseload
 *          loses more plans at the age 16, 19 and 25 exits;
 *   new    new plans in calendar year C-1 per plan at January C-1.
 * A year of growth whose ratio is below 0.6 or above 1.6 (a halving or a
 * jump: more likely a bad return than a real change) or that crosses a
 * reorganisation counts as England's growth that year and is flagged; break
 * years are left out of the fit. The fit uses the two 1-year steps into C
 * (origins C-2 and C-1, each with its own origin's features), so it is known
 * at C and never sees the years a back-test scores. The Monte Carlo spread
 * comes from the errors the same method made over the three 1-year steps
 * before C (C-3 -> C-2, C-2 -> C-1, C-1 -> C, each fitted at its start),
 * pooled: one year of errors proved too few to set a 90% range.
 *
 * Trade-off: two origins and ~300 authority-years give noisy coefficients;
 * pooling them over more origins would reach back into years (2019-2020)
 * whose requests are missing or disturbed by the pandemic. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "import/estimate.h"

static int idx(int y) { return y - S2_Y0; }
static int in_range(int y) { return y >= S2_Y0 && y < S2_Y0 + S2_NY; }

static double nat_growth(const sen2db *db, int y)
{
    double t1 = est_series(db, &db->la[0], y, NULL), t0 = est_series(db, &db->la[0], y - 1, NULL);
    return t1 == t1 && t0 == t0 && t0 > 0 ? t1 / t0 - 1.0 : NAN;
}

static int is_break(double r, int reorg) { return r != r || reorg || r < EST_BREAK_LO || r > EST_BREAK_HI; }

/* own3, nat3, last, natlast and the breaks at census C. */
static void growth_parts(const sen2db *db, const s2_la *a, int C, unsigned which, growth_est *g)
{
    memset(g, 0, sizeof *g);
    double own = 0, nat = 0;
    int n = 0;
    for (int y = C - 2; y <= C; y++) {
        double gn = nat_growth(db, y);
        if (gn != gn) continue;
        int b1 = 0, b0 = 0;
        double t1 = est_series(db, a, y, &b1), t0 = est_series(db, a, y - 1, &b0);
        double r = t1 == t1 && t0 == t0 && t0 > 0 ? t1 / t0 : NAN;
        double go = r - 1.0;
        if (r != r || ((which & EG_NOFLAG) == 0 && is_break(r, b1))) {
            if (g->nbreak < 4) g->breaks[g->nbreak] = y;
            g->nbreak++;
            go = gn;
            if (y == C) g->lastbreak = 1;
        }
        own += go;
        nat += gn;
        n++;
        if (y == C) {
            g->last = go;
            g->natlast = gn;
        }
    }
    g->own3 = n ? own / n : 0;
    g->nat3 = n ? nat / n : 0;
}

/* flow[y] per plan at January y, or NAN; NAN too, with *bad set, for a flow
 * that is not positive or larger than the plans in force (a bad return:
 * flagged, England's rate used). */
static double per_plan(const sen2db *db, const s2_la *a, const double *flow, int y, int *bad, unsigned which)
{
    if (!in_range(y) || flow[idx(y)] != flow[idx(y)]) return NAN;
    double t = est_series(db, a, y, NULL);
    if (t != t || t <= 0) return NAN;
    double r = flow[idx(y)] / t;
    if ((which & EG_NOFLAG) == 0 && (r <= 0 || r > EST_FLOW_MAX)) {
        if (bad) *bad = 1;
        return NAN;
    }
    return r;
}

/* The share of plans at the ages weighted by wt at C: single ages of C if
 * published, else the latest 2022-release bands up to C, each band spread
 * evenly over its ages (under 5 over 2-4, as est_stock does); NAN if neither. */
static double age_share(const s2_la *a, int C, const double wt[S2_NAGES])
{
    if (!in_range(C)) return NAN;
    const double *ag = a->cage_all[idx(C)];
    double all = 0, part = 0;
    for (int k = 0; k < S2_NAGES; k++) all += ag[k], part += wt[k] * ag[k];
    if (a->has_cage[idx(C)] && s2_has_census(a, C) && all > 0.5 * s2_total(a, C)) return part / all;
    static const int lo[S2_NBAND] = {2, 5, 11, 16, 20}, hi[S2_NBAND] = {4, 10, 15, 19, 25};
    for (int y = C; y >= S2_Y0; y--) {
        const double *b = a->band[idx(y)];
        if (!a->has_band[idx(y)] || b[S2_NBAND] <= 0) continue;
        part = 0;
        for (int k = 0; k < S2_NBAND; k++)
            for (int g = lo[k]; g <= hi[k]; g++) part += wt[g] * b[k] / (hi[k] - lo[k] + 1);
        return part / b[S2_NBAND];
    }
    return NAN;
}

static double older_share(const s2_la *a, int C)
{
    double wt[S2_NAGES] = {0};
    for (int k = 16; k < S2_NAGES; k++) wt[k] = 1;
    return age_share(a, C, wt);
}

static double cliff_share(const s2_la *a, int C)
{
    double wt[S2_NAGES] = {0};
    wt[15] = wt[18] = wt[19] = wt[24] = wt[25] = 1;
    return age_share(a, C, wt);
}

/* Requests of C-2 and C-1 over the plans at January C-2 and C-1 (EG_REQ2), or
 * requests of C-1 over the plans at January C (EG_REQ0); NAN if not given. */
static double req_variant(const sen2db *db, const s2_la *a, int C, int two)
{
    if (!in_range(C - 2)) return NAN;
    double r1 = a->requests[idx(C - 1)], r2 = a->requests[idx(C - 2)];
    if (two) {
        double t1 = est_series(db, a, C - 1, NULL), t2 = est_series(db, a, C - 2, NULL);
        double r = (r1 + r2) / (t1 + t2);
        return r == r && r > 0 && r <= EST_FLOW_MAX ? r : NAN;
    }
    double r = r1 / est_series(db, a, C, NULL);
    return r == r && r > 0 && r <= EST_FLOW_MAX ? r : NAN;
}

static double rel(double x, double e) { return x == x && e == e ? x - e : 0.0; }

void est_features(const sen2db *db, const s2_la *a, int C, unsigned which, growth_est *g)
{
    const s2_la *e = &db->la[0];
    growth_parts(db, a, C, which, g);
    if (which & EG_OWN) g->x[0] = g->own3 - g->nat3;
    int br = 0, bn = 0;
    if (which & EG_REQ)
        g->x[1] =
            rel(per_plan(db, a, a->requests, C - 1, &br, which), per_plan(db, e, e->requests, C - 1, NULL, which));
    if (which & EG_AGE) g->x[2] = rel(older_share(a, C), older_share(e, C));
    if (which & EG_NEW)
        g->x[3] = rel(per_plan(db, a, a->newp, C - 1, &bn, which), per_plan(db, e, e->newp, C - 1, NULL, which));
    if (which & EG_AGECLIFF) g->x[4] = rel(cliff_share(a, C), cliff_share(e, C));
    if (which & EG_REQ2) g->x[5] = rel(req_variant(db, a, C, 1), req_variant(db, e, C, 1));
    if (which & EG_REQ0) g->x[6] = rel(req_variant(db, a, C, 0), req_variant(db, e, C, 0));
    g->flowbreak = (br ? EG_REQ : 0) | (bn ? EG_NEW : 0);
}

double est_base(const growth_est *g, unsigned which) { return which & EG_BASELAST ? g->natlast : g->nat3; }

double est_predict(const growth_est *g, const double b[EG_NFEAT])
{
    double x = g->nat3;
    for (int k = 0; k < EG_NFEAT; k++) x += b[k] * g->x[k];
    return x;
}

/* Solve A b = y (n <= EG_NFEAT) by Gaussian elimination with pivoting; a
 * singular direction gets 0. */
static void solve(double A[EG_NFEAT][EG_NFEAT], double *y, int n, double *b)
{
    for (int c = 0; c < n; c++) {
        int p = c;
        for (int r = c + 1; r < n; r++)
            if (fabs(A[r][c]) > fabs(A[p][c])) p = r;
        for (int j = 0; j < n; j++) {
            double t = A[c][j];
            A[c][j] = A[p][j];
            A[p][j] = t;
        }
        double t = y[c];
        y[c] = y[p];
        y[p] = t;
        if (fabs(A[c][c]) < 1e-12) continue;
        for (int r = 0; r < n; r++) {
            if (r == c) continue;
            double f = A[r][c] / A[c][c];
            for (int j = 0; j < n; j++) A[r][j] -= f * A[c][j];
            y[r] -= f * y[c];
        }
    }
    for (int i = 0; i < n; i++) b[i] = fabs(A[i][i]) < 1e-12 ? 0.0 : y[i] / A[i][i];
}

size_t est_fit(const sen2db *db, int C, unsigned which, double b[EG_NFEAT])
{
    int on[EG_NFEAT], n = 0;
    for (int k = 0; k < EG_NFEAT; k++)
        if (which & (1u << k)) on[n++] = k;
    memset(b, 0, sizeof(double) * EG_NFEAT);
    double A[EG_NFEAT][EG_NFEAT] = {{0}}, y[EG_NFEAT] = {0};
    size_t m = 0;
    for (int o = C - 2; o <= C - 1; o++) {
        double gn = nat_growth(db, o + 1);
        if (gn != gn) continue;
        for (size_t i = 1; i < db->n; i++) {
            const s2_la *a = &db->la[i];
            int b0 = 0, b1 = 0;
            double t0 = est_series(db, a, o, &b0), t1 = est_series(db, a, o + 1, &b1);
            if (t0 != t0 || t1 != t1 || t0 <= 0 || t1 <= 0) continue;
            if ((which & EG_NOFLAG) == 0 && is_break(t1 / t0, b1)) continue;
            growth_est g;
            est_features(db, a, o, which, &g);
            double target = t1 / t0 - 1.0 - gn;
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) A[r][c] += g.x[on[r]] * g.x[on[c]];
                y[r] += g.x[on[r]] * target;
            }
            m++;
        }
    }
    double s[EG_NFEAT];
    if (n) solve(A, y, n, s);
    for (int r = 0; r < n; r++) b[on[r]] = s[r];
    return m;
}

static int cmp(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static double median_of(double *x, size_t n)
{
    if (!n) return NAN;
    qsort(x, n, sizeof *x, cmp);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

static double q_of(double *x, size_t n, double q)
{
    if (!n) return NAN;
    qsort(x, n, sizeof *x, cmp);
    double pos = q * (double)(n - 1);
    size_t i = (size_t)pos;
    return i + 1 < n ? x[i] + (pos - (double)i) * (x[i + 1] - x[i]) : x[n - 1];
}

double est_pool_weight(const sen2db *db, int C)
{
    double *e = malloc(2 * db->n * sizeof *e + 1);
    if (!e) return 0.5;
    double best = INFINITY, bw = 0.5;
    for (int k = 0; k <= 10; k++) {
        double w = 0.1 * k;
        size_t n = 0;
        for (int o = C - 2; o <= C - 1; o++)
            for (size_t i = 1; i < db->n; i++) {
                const s2_la *a = &db->la[i];
                int b0 = 0, b1 = 0;
                double t0 = est_series(db, a, o, &b0), t1 = est_series(db, a, o + 1, &b1);
                if (t0 != t0 || t1 != t1 || t0 <= 0 || t1 <= 0 || b1) continue;
                growth_est g;
                growth_parts(db, a, o, 0, &g);
                double gp = w * g.own3 + (1 - w) * g.nat3;
                e[n++] = fabs(t0 * (1 + gp) - t1) / t1;
            }
        double m = median_of(e, n);
        if (m < best - 1e-12) best = m, bw = w;
    }
    free(e);
    return bw;
}

void est_growth_fit(const sen2db *db, int C, growth_fit *f)
{
    f->w = est_pool_weight(db, C);
    f->nfit = est_fit(db, C, EG_MODEL, f->b);
    f->sd = est_growth_sd(db, C, EG_MODEL);
}

void est_growth_at(const sen2db *db, const s2_la *a, int C, const growth_fit *f, growth_est *g)
{
    est_features(db, a, C, EG_MODEL, g);
    g->w = f->w;
    g->pooled = g->w * g->own3 + (1.0 - g->w) * g->nat3;
    memcpy(g->b, f->b, sizeof g->b);
    g->nfit = f->nfit;
    g->growth = est_predict(g, g->b);
    g->sd = f->sd;
}

void est_growth(const sen2db *db, const s2_la *a, int C, growth_est *g)
{
    growth_fit f;
    est_growth_fit(db, C, &f);
    est_growth_at(db, a, C, &f, g);
}

/* The three 1-year steps before C (C-3 -> C-2, C-2 -> C-1, C-1 -> C), each
 * forecast by the model fitted at the step's start; a step counts if its fit
 * has authority-years and at least EST_SD_MINLA authorities have errors. */
#define EST_SD_STEPS 3
#define EST_SD_MINLA 10

double est_growth_sd(const sen2db *db, int C, unsigned which)
{
    if (!in_range(C)) return 0.02;
    double *e = malloc(EST_SD_STEPS * db->n * sizeof *e + 1), b[EG_NFEAT];
    size_t n = 0;
    for (int s = C - EST_SD_STEPS; e && s <= C - 1; s++) {
        if (!in_range(s) || est_fit(db, s, which, b) == 0) continue;
        size_t n0 = n;
        for (size_t i = 1; i < db->n; i++) {
            const s2_la *a = &db->la[i];
            int k = 0;
            double t0 = est_series(db, a, s, &k), t1 = est_series(db, a, s + 1, &k);
            if (t0 != t0 || t1 != t1 || t0 <= 0 || t1 <= 0) continue;
            growth_est g;
            est_features(db, a, s, which, &g);
            double x = log(t1 / (t0 * (1 + est_predict(&g, b))));
            if (x == x) e[n++] = x;
        }
        if (n - n0 < EST_SD_MINLA) n = n0;
    }
    double sd = 0.02;
    if (n >= EST_SD_MINLA) {
        double med = median_of(e, n);
        for (size_t i = 0; i < n; i++) e[i] = fabs(e[i] - med);
        sd = 0.5 * (q_of(e, n, 0.8) / 1.2816 + q_of(e, n, 0.9) / 1.6449);
    }
    free(e);
    return sd;
}
