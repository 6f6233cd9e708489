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
 * The total series (est_series) reads a reorganised authority on its new
 * boundaries (successors take their share of the predecessor) and reaches
 * back before January 2019 through the 2022 release's totals; growth.c
 * builds the growth of the total on it. */
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

/* The published total at census y: the 2025 release's, else (January 2010-2018)
 * the 2022 release's age-band total, which equals it where both exist. */
static double total_at(const s2_la *a, int y)
{
    if (s2_has_census(a, y)) return s2_total(a, y);
    return a->has_band[idx(y)] && a->band[idx(y)][S2_NBAND] > 0 ? a->band[idx(y)][S2_NBAND] : NAN;
}

double est_series(const sen2db *db, const s2_la *a, int y, int *brk)
{
    if (brk) *brk = 0;
    if (!in_range(y)) return NAN;
    const succession *s = NULL;
    for (size_t i = 0; i < sizeof successions / sizeof successions[0]; i++)
        if (strcmp(successions[i].name, a->name) == 0) s = &successions[i];
    if (s && brk && y == s->first) *brk = 1;
    double own = total_at(a, y);
    if (own == own) return own;
    if (!s || y >= s->first || !s->from[0]) return NAN;
    double t = 0;
    for (int k = 0; k < 2 && s->from[k]; k++) {
        const s2_la *b = sen2_by_name(db, s->from[k]);
        double x = b ? total_at(b, y) : NAN;
        if (x != x) return NAN;
        t += x;
    }
    if (s->share_with) {
        const s2_la *o = sen2_by_name(db, s->share_with);
        if (!o || !s2_has_census(o, s->first) || !s2_has_census(a, s->first)) return NAN;
        t *= s2_total(a, s->first) / (s2_total(a, s->first) + s2_total(o, s->first));
    }
    return t;
}

double est_residual(const s2_la *a, int y)
{
    if (!in_range(y + 1) || !s2_has_census(a, y) || !s2_has_census(a, y + 1)) return NAN;
    double np = a->newp[idx(y)], ce = a->ceased[idx(y)];
    if (np != np || ce != ce) return NAN;
    return s2_total(a, y + 1) - s2_total(a, y) - np + ce;
}
