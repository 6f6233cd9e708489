/* estimate.c: stocks, rates and growth from the SEN2 series (estimate.h).
 *
 * Stocks. A census whose single-year ages are published and reconcile is
 * taken as it is. Otherwise (January 2019-2023 have totals by placement
 * only; Hackney and Peterborough 2024 and Cambridgeshire and North East
 * Lincolnshire 2025 lack one breakdown) the table is rebuilt from its two
 * margins by iterative proportional fitting: the placements of that census
 * (plans not placed spread like the latest earlier census that placed every
 * plan), and the ages of that census if published, else the latest earlier
 * census's ages, else the 2022 release's age bands of the latest January up
 * to it spread evenly within each band. The seed table is the latest census
 * up to C with ages by placement, else the ages each placement can take
 * (early years 0-5, mainstream, resourced and AP 2-19, special 2-25, post-16
 * 15-25, other every age). Rows are then rounded by largest remainder, so
 * the counts are whole and sum to the published total exactly.
 *
 * Growth. Yearly growth of the total over the three years to C, a year whose
 * ratio is below 0.6 or above 1.6 (a halving or a jump: more likely a bad
 * return than a real change) or that crosses a reorganisation counts as
 * England's growth that year and is flagged; pooled with England's mean
 * growth over the same years, with the weight whose 1-year forecasts into
 * the two censuses before C did best across authorities. Its Monte Carlo
 * spread comes from the errors the same method made in its 1-year forecasts
 * from C-1 to C, drawn once per path (a persistent error in growth). Both are known at C, so neither is fitted to the
 * years a back-test then scores. */
#include "import/estimate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int idx(int y) { return y - S2_Y0; }
static int in_range(int y) { return y >= S2_Y0 && y < S2_Y0 + S2_NY; }

/* Whole numbers in proportion to w that sum to total (total whole). */
static void largest_remainder(double total, const double *w, double *out, int n)
{
    double sw = 0.0, got = 0.0;
    for (int i = 0; i < n; i++) sw += w[i] > 0 ? w[i] : 0;
    if (total <= 0 || sw <= 0) {
        for (int i = 0; i < n; i++) out[i] = 0;
        if (total > 0 && n > 0) out[n - 1] = total;
        return;
    }
    double rem[64];
    for (int i = 0; i < n; i++) {
        double x = total * (w[i] > 0 ? w[i] : 0) / sw;
        out[i] = floor(x + 1e-9);
        rem[i] = x - out[i];
        got += out[i];
    }
    for (long k = lround(total - got); k > 0; k--) {
        int b = -1;
        for (int i = 0; i < n; i++)
            if (w[i] > 0 && (b < 0 || rem[i] > rem[b] + 1e-12)) b = i;
        if (b < 0) break;
        out[b] += 1;
        rem[b] = -1;
    }
}

static int support(int p, int a)
{
    switch (p) {
    case 6: return a <= 5; /* early_years */
    case 0:
    case 1:
    case 5: return a >= 2 && a <= 19; /* mainstream, base, ap */
    case 2:
    case 3: return a >= 2;  /* special, nmi */
    case 4: return a >= 15; /* post16 */
    default: return 1;      /* other */
    }
}

static double sum(const double *x, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++) s += x[i];
    return s;
}

static double cage_sum(const s2_la *a, int y)
{
    double s = 0;
    for (int p = 0; p < S2_NPL; p++) s += sum(a->cage[idx(y)][p], S2_NAGES);
    return s;
}

int est_stock(const sen2db *db, const s2_la *a, int C, double st[S2_NPL][S2_NAGES], char *method)
{
    if (!in_range(C) || !s2_has_census(a, C)) return -1;
    double T = s2_total(a, C);
    int c = idx(C);
    if (a->has_cage[c] && fabs(cage_sum(a, C) - T) < 0.5) {
        int ok = 1;
        for (int p = 0; p < S2_NPL; p++)
            if (fabs(sum(a->cage[c][p], S2_NAGES) - a->cpl[c][p]) > 0.5) ok = 0;
        if (ok) {
            memcpy(st, a->cage[c], sizeof(double) * S2_NPL * S2_NAGES);
            snprintf(method, EST_METHOD,
                     "published: caseload.csv January %d, \"Child or young persons age\" by placement (\"under 3\" "
                     "at age 2)",
                     C);
            return 0;
        }
    }
    char how[3][300];
    /* the placement margin */
    double P[S2_NPL];
    memcpy(P, a->cpl[c], sizeof P);
    double gap = T - sum(P, S2_NPL);
    snprintf(how[0], sizeof how[0], "placements as published");
    if (fabs(gap) > 0.5) {
        int yb = 0;
        for (int y = C - 1; y >= S2_Y0 && !yb; y--)
            if (s2_has_census(a, y) && fabs(a->cunalloc[idx(y)]) < 0.5 && sum(a->cpl[idx(y)], S2_NPL) > 0) yb = y;
        double w[S2_NPL], add[S2_NPL];
        if (yb) {
            memcpy(w, a->cpl[idx(yb)], sizeof w);
        } else {
            memset(w, 0, sizeof w);
            w[7] = 1;
        }
        if (gap > 0) {
            largest_remainder(gap, w, add, S2_NPL);
            for (int p = 0; p < S2_NPL; p++) P[p] += add[p];
        } else {
            double keep[S2_NPL];
            largest_remainder(T, P, keep, S2_NPL);
            memcpy(P, keep, sizeof P);
        }
        if (yb)
            snprintf(how[0], sizeof how[0], "%.0f plans not placed in the published columns spread as January %d", gap,
                     yb);
        else
            snprintf(how[0], sizeof how[0], "%.0f plans not placed in the published columns put in \"other\"", gap);
    }
    /* the age margin */
    double A[S2_NAGES] = {0};
    int ya = 0;
    for (int y = C; y >= S2_Y0 && !ya; y--)
        if (a->has_cage[idx(y)] && sum(a->cage_all[idx(y)], S2_NAGES) > 0.5 * s2_total(a, y)) ya = y;
    if (ya) {
        memcpy(A, a->cage_all[idx(ya)], sizeof A);
        snprintf(how[1], sizeof how[1], "ages of January %d%s", ya, ya == C ? " (published)" : " (shape)");
    } else {
        const s2_la *b = a;
        int yb = 0;
        for (int y = C; y >= S2_Y0 && !yb; y--)
            if (a->has_band[idx(y)] && a->band[idx(y)][S2_NBAND] > 0) yb = y;
        if (!yb) {
            b = &db->la[0];
            for (int y = C; y >= S2_Y0 && !yb; y--)
                if (b->has_band[idx(y)]) yb = y;
        }
        static const int lo[S2_NBAND] = {2, 5, 11, 16, 20}, hi[S2_NBAND] = {4, 10, 15, 19, 25};
        for (int k = 0; yb && k < S2_NBAND; k++)
            for (int g = lo[k]; g <= hi[k]; g++) A[g] = b->band[idx(yb)][k] / (hi[k] - lo[k] + 1);
        snprintf(how[1], sizeof how[1],
                 "ages: %s's January %d age bands (2022 release) spread evenly within each band (under 5 at 2-4)",
                 b->name, yb);
    }
    /* the seed */
    double M[S2_NPL][S2_NAGES];
    int ys = 0;
    for (int y = C; y >= S2_Y0 && !ys; y--)
        if (a->has_cage[idx(y)] && cage_sum(a, y) > 0.5 * s2_total(a, y)) ys = y;
    for (int p = 0; p < S2_NPL; p++)
        for (int g = 0; g < S2_NAGES; g++) M[p][g] = support(p, g) ? (ys ? a->cage[idx(ys)][p][g] + 0.01 : 1.0) : 0.0;
    if (ys)
        snprintf(how[2], sizeof how[2], "seed: January %d ages by placement", ys);
    else
        snprintf(how[2], sizeof how[2],
                 "seed: the ages each placement takes (early years 0-5; mainstream, resourced, AP 2-19; special and "
                 "NMI 2-25; post-16 15-25; other 0-25)");
    double sa = sum(A, S2_NAGES);
    for (int g = 0; g < S2_NAGES; g++) A[g] = sa > 0 ? A[g] * T / sa : T / S2_NAGES;
    for (int it = 0; it < 200; it++) {
        for (int p = 0; p < S2_NPL; p++) {
            double r = sum(M[p], S2_NAGES);
            for (int g = 0; g < S2_NAGES; g++) M[p][g] = r > 0 ? M[p][g] * P[p] / r : 0;
        }
        if (it == 199) break;
        for (int g = 0; g < S2_NAGES; g++) {
            double col = 0;
            for (int p = 0; p < S2_NPL; p++) col += M[p][g];
            for (int p = 0; p < S2_NPL; p++) M[p][g] = col > 0 ? M[p][g] * A[g] / col : 0;
        }
    }
    for (int p = 0; p < S2_NPL; p++) {
        double w[S2_NAGES];
        int any = 0;
        for (int g = 0; g < S2_NAGES; g++) any |= (w[g] = M[p][g]) > 0;
        if (!any)
            for (int g = 0; g < S2_NAGES; g++) w[g] = support(p, g);
        largest_remainder(P[p], w, st[p], S2_NAGES);
    }
    snprintf(method, EST_METHOD,
             "estimated, not published: January %d ages by placement rebuilt from its two margins by iterative "
             "proportional fitting (200 rounds), then rounded by largest remainder to whole counts that sum to the "
             "published %.0f; %s; %s; %s; nothing published after January %d is used",
             C, T, how[0], how[1], how[2], C);
    return 0;
}

void est_cease(const sen2db *db, const s2_la *a, int C, double rate[S2_NAGES], char *method)
{
    double ceased[S2_NAGES] = {0}, stock[S2_NAGES] = {0};
    char years[64] = "";
    int n = 0;
    for (int t = C - 1; t >= C - 3 && t >= S2_Y0; t--) {
        double st[S2_NPL][S2_NAGES];
        char m[EST_METHOD];
        if (!a->has_ceased_age[idx(t)] || est_stock(db, a, t, st, m)) continue;
        for (int g = 0; g < S2_NAGES; g++) {
            ceased[g] += a->ceased_age[idx(t)][g];
            for (int p = 0; p < S2_NPL; p++) stock[g] += st[p][g];
        }
        size_t l = strlen(years);
        snprintf(years + l, sizeof years - l, "%s%d", n++ ? ", " : "", t);
    }
    if (n) {
        for (int g = 0; g < 20; g++) rate[g] = stock[g] > 0 ? fmin(1.0, ceased[g] / stock[g]) : 0.0;
        double s20 = 0;
        for (int g = 20; g < 25; g++) s20 += stock[g];
        double r = s20 > 0 ? (ceased[20] - stock[25]) / s20 : 0.0;
        r = r < 0 ? 0 : r > 1 ? 1 : r;
        for (int g = 20; g < 25; g++) rate[g] = r;
        rate[25] = 1.0;
        for (int g = 0; g < S2_NAGES; g++) rate[g] = round(rate[g] * 1e6) / 1e6;
        snprintf(method, EST_METHOD,
                 "ceased_plans.csv \"Age plan ceased\", calendar year(s) %s, over the plans by age at the January "
                 "census of the same year (estimated where not published): rate[a] = ceased at a / plans at a, capped "
                 "at 1; ages 20-24 share one rate r with r x plans(20-24) + plans(25) = ceased(20 and over); age 25 "
                 "is 1; ceased plans of unknown age are left out; the age on ceasing is taken on the ceasing date, "
                 "so the rates run about half a year of age late",
                 years);
        return;
    }
    /* no ceased plans by age before C (the release has them from 2023): one rate at every age */
    int t = C - 1;
    double r = 0.0;
    if (in_range(t) && a->ceased[idx(t)] == a->ceased[idx(t)] && s2_has_census(a, t) && s2_total(a, t) > 0)
        r = fmin(1.0, a->ceased[idx(t)] / s2_total(a, t));
    r = round(r * 1e6) / 1e6;
    for (int g = 0; g < S2_NAGES; g++) rate[g] = r;
    rate[25] = 1.0;
    (void)db;
    snprintf(method, EST_METHOD,
             "ceased_plans.csv \"All ceased EHC plans\", calendar year %d, over the January %d total: %.6f at every "
             "age, 1 at age 25; the release has ceased plans by age from calendar year 2023 only, after this census, "
             "so the age pattern is not used (with the total_growth driver the total does not depend on it)",
             t, t, r);
}

static void round_shares(double *x, int n)
{
    double s = sum(x, n);
    if (s <= 0) return;
    int big = 0;
    for (int i = 0; i < n; i++) {
        x[i] = round(x[i] / s * 1e6) / 1e6;
        if (x[i] > x[big]) big = i;
    }
    x[big] = round((x[big] + 1.0 - sum(x, n)) * 1e6) / 1e6;
}

int est_joiners(const s2_la *a, int C, double age[S2_NAGES], double first[S2_NPL], char *method)
{
    memset(age, 0, sizeof(double) * S2_NAGES);
    memset(first, 0, sizeof(double) * S2_NPL);
    char ya[64] = "", yp[64] = "";
    int na = 0, np = 0;
    for (int t = C - 3; t <= C - 1; t++) {
        if (!in_range(t)) continue;
        if (a->has_new_age[idx(t)]) {
            for (int g = 0; g < S2_NAGES; g++) {
                double x = a->new_age[idx(t)][g];
                age[g] += 0.5 * x;
                age[g + 1 < S2_NAGES ? g + 1 : g] += 0.5 * x;
            }
            size_t l = strlen(ya);
            snprintf(ya + l, sizeof ya - l, "%s%d", na++ ? ", " : "", t);
        }
        if (a->newp[idx(t)] == a->newp[idx(t)] && sum(a->newpl[idx(t)], S2_NPL) > 0) {
            for (int p = 0; p < S2_NPL; p++) first[p] += a->newpl[idx(t)][p];
            size_t l = strlen(yp);
            snprintf(yp + l, sizeof yp - l, "%s%d", np++ ? ", " : "", t);
        }
    }
    if (!na || sum(age, S2_NAGES) <= 0) return -1;
    if (!np) {
        for (int p = 0; p < S2_NPL; p++) first[p] = a->cpl[idx(C)][p];
        snprintf(yp, sizeof yp, "none: the January %d placements", C);
    }
    round_shares(age, S2_NAGES);
    round_shares(first, S2_NPL);
    snprintf(method, EST_METHOD,
             "newplans.csv: ages from \"Age when plan started\", calendar years %s, pooled, each year of age at start "
             "split half at that age and half a year older (the age at the census after the plan starts; \"20 and "
             "over\" at 20); first placements from the \"New EHC plans\" placement columns, calendar years %s, "
             "pooled (placement_mapping); shares rounded to 6 places, the remainder on the largest",
             ya, yp);
    return 0;
}

/* ---- the total series and growth ----------------------------------------- */

typedef struct succession {
    const char *name;
    const char *from[2];    /* predecessors added up */
    const char *share_with; /* the other successor, when the predecessor split */
    int first;              /* first census on the new boundaries */
} succession;

static const succession successions[] = {
    {"North Northamptonshire", {"Northamptonshire", NULL}, "West Northamptonshire", 2022},
    {"West Northamptonshire", {"Northamptonshire", NULL}, "North Northamptonshire", 2022},
    {"Cumberland", {"Cumbria", NULL}, "Westmorland and Furness", 2024},
    {"Westmorland and Furness", {"Cumbria", NULL}, "Cumberland", 2024},
    {"Bournemouth, Christchurch and Poole", {"Bournemouth", "Poole"}, NULL, 2020},
    {"Dorset", {NULL, NULL}, NULL, 2020},
};

double est_series(const sen2db *db, const s2_la *a, int y, int *brk)
{
    if (brk) *brk = 0;
    if (!in_range(y)) return NAN;
    const succession *s = NULL;
    for (size_t i = 0; i < sizeof successions / sizeof successions[0]; i++)
        if (strcmp(successions[i].name, a->name) == 0) s = &successions[i];
    if (s && brk && y == s->first) *brk = 1;
    if (s2_has_census(a, y)) return s2_total(a, y);
    if (!s || y >= s->first || !s->from[0]) return NAN;
    double t = 0;
    for (int k = 0; k < 2 && s->from[k]; k++) {
        const s2_la *b = sen2_by_name(db, s->from[k]);
        if (!b || !s2_has_census(b, y)) return NAN;
        t += s2_total(b, y);
    }
    if (s->share_with) {
        const s2_la *o = sen2_by_name(db, s->share_with);
        if (!o || !s2_has_census(o, s->first) || !s2_has_census(a, s->first)) return NAN;
        t *= s2_total(a, s->first) / (s2_total(a, s->first) + s2_total(o, s->first));
    }
    return t;
}

static double nat_growth(const sen2db *db, int y)
{
    const s2_la *e = &db->la[0];
    if (!s2_has_census(e, y) || !s2_has_census(e, y - 1)) return NAN;
    return s2_total(e, y) / s2_total(e, y - 1) - 1.0;
}

/* own3, nat3, last, natlast and the breaks at census C (the pooled growth is not set). */
static void growth_parts(const sen2db *db, const s2_la *a, int C, growth_est *g)
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
        if (r != r || b1 || r < EST_BREAK_LO || r > EST_BREAK_HI) {
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
                growth_parts(db, a, o, &g);
                double gp = w * g.own3 + (1 - w) * g.nat3;
                e[n++] = fabs(t0 * (1 + gp) - t1) / t1;
            }
        double m = median_of(e, n);
        if (m < best - 1e-12) best = m, bw = w;
    }
    free(e);
    return bw;
}

void est_growth(const sen2db *db, const s2_la *a, int C, growth_est *g)
{
    growth_parts(db, a, C, g);
    g->w = est_pool_weight(db, C);
    g->pooled = g->w * g->own3 + (1.0 - g->w) * g->nat3;
    g->sd = est_growth_sd(db, C, g->w);
}

double est_growth_sd(const sen2db *db, int C, double w)
{
    if (!in_range(C)) return 0.02;
    double *e = malloc(db->n * sizeof *e + 1);
    size_t n = 0;
    for (size_t i = 1; e && i < db->n; i++) {
        const s2_la *a = &db->la[i];
        int b = 0;
        double t0 = est_series(db, a, C - 1, &b), t1 = est_series(db, a, C, &b);
        if (t0 != t0 || t1 != t1 || t0 <= 0 || t1 <= 0) continue;
        growth_est g;
        growth_parts(db, a, C - 1, &g);
        double gp = w * g.own3 + (1 - w) * g.nat3;
        e[n++] = log(t1 / (t0 * (1 + gp)));
    }
    double sd = 0.02;
    if (n >= 10) {
        double med = median_of(e, n);
        for (size_t i = 0; i < n; i++) e[i] = fabs(e[i] - med);
        sd = 0.5 * (q_of(e, n, 0.8) / 1.2816 + q_of(e, n, 0.9) / 1.6449);
    }
    free(e);
    return sd;
}

double est_residual(const s2_la *a, int y)
{
    if (!in_range(y + 1) || !s2_has_census(a, y) || !s2_has_census(a, y + 1)) return NAN;
    double np = a->newp[idx(y)], ce = a->ceased[idx(y)];
    if (np != np || ce != ce) return NAN;
    return s2_total(a, y + 1) - s2_total(a, y) - np + ce;
}
