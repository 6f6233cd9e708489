/* mcse.c: how far a Monte Carlo percentile may be from the one infinitely
 * many paths would give (mcse.h).
 *
 * The number of paths below the true p-th percentile is binomial (n, p), so
 * the order statistics at ranks n p -/+ 1.96 sqrt(n p (1 - p)) bracket the
 * true percentile with about 95% confidence, whatever the distribution of
 * the figure (no normality, no density estimate). Half that interval's width
 * over 1.96 is reported as the percentile's standard error: for a normal
 * figure it tends to the textbook sqrt(p (1 - p) / n) / density. It is
 * computed for the headline figures only, after their percentiles, so it
 * never changes them; the order statistics come from mcstats.c's selection
 * (the values a full sort puts at those ranks, bit for bit). */
#include "analysis/mcse.h"

#include <math.h>
#include <stdlib.h>

void mcse_percentiles(double *v, uint64_t n, const double *pcts, int np, double *se)
{
    int bad = n < 2;
    for (uint64_t i = 0; !bad && i < n; i++) bad = isnan(v[i]);
    if (bad) {
        for (int k = 0; k < np; k++) se[k] = NAN;
        return;
    }
    size_t lo[8] = {0}, hi[8] = {0}, want[16] = {0}, nw = 0;
    double ord[16];
    for (int k = 0; k < np; k++) {
        double p = pcts[k], c = p * (double)(n - 1), h = 1.96 * sqrt((double)n * p * (1.0 - p));
        double l = floor(c - h), u = ceil(c + h);
        if (l < 0) l = 0;
        if (u > (double)(n - 1)) u = (double)(n - 1);
        lo[k] = (size_t)l, hi[k] = (size_t)u;
    }
    /* the ranks wanted, ascending and distinct (an insertion into a few) */
    for (int k = 0; k < 2 * np; k++) {
        size_t r = k < np ? lo[k] : hi[k - np], i = nw;
        int seen = 0;
        for (size_t j = 0; j < nw; j++) seen |= want[j] == r;
        if (seen) continue;
        while (i > 0 && want[i - 1] > r) {
            want[i] = want[i - 1];
            i--;
        }
        want[i] = r;
        nw++;
    }
    mcstats_order(v, (size_t)n, want, nw, ord);
    for (int k = 0; k < np; k++) {
        double a = 0.0, b = 0.0;
        for (size_t j = 0; j < nw; j++) {
            if (want[j] == lo[k]) a = ord[j];
            if (want[j] == hi[k]) b = ord[j];
        }
        se[k] = (b - a) / (2.0 * 1.96);
    }
}
