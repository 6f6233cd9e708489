/* invariants.c: the checks of invariants.h over one projection.
 *
 * Each check compares two ways of reaching one figure within INV_REL_TOL of
 * the larger side (and at least of 1 child or £1, so that figures near zero
 * are not held to a tolerance below rounding). Counts may be a rounding
 * below zero (-1e-9 of the year's total) before they are called negative.
 * The checker reads the projection only: it costs a pass over its arrays,
 * negligible beside the projection itself, and runs after every
 * deterministic projection of hnb_run. */
#include "engine/invariants.h"

#include <math.h>
#include <stdio.h>

static int differ(double a, double b)
{
    double scale = fmax(1.0, fmax(fabs(a), fabs(b)));
    return !isfinite(a) || !isfinite(b) || fabs(a - b) > INV_REL_TOL * scale;
}

static int fail(char *what, size_t n, const scenario *s, int k, const char *name, double a, double b)
{
    char fy[16];
    int y = s->first_fy + k;
    snprintf(fy, sizeof fy, "%04d-%02d", y % 10000, (y + 1) % 100);
    snprintf(what, n, "%s in %s: %.9g against %.9g", name, fy, a, b);
    return 1;
}

int invariants_check(const scenario *s, const double *val, const projection *p, char *what, size_t n)
{
    const int P = p->nplace;
    size_t cells = (size_t)p->nages * (size_t)p->nneeds * (size_t)P;
    double prev = 0.0;
    for (size_t c = 0; c < cells; c++) prev += p->stock0[c];
    double cum = par_val(s, val, s->balance)[0];
    for (int k = 0; k < p->ny; k++) {
        double total = 0.0, bands = 0.0;
        for (int q = 0; q < P; q++) {
            double x = p->ehcps[(size_t)k * (size_t)P + (size_t)q];
            if (!isfinite(x) || x < -1e-9 * fmax(1.0, prev))
                return fail(what, n, s, k, "no negative counts: EHCPs of a placement", x, 0.0);
            total += x;
        }
        for (int b = 0; b < NBANDS; b++) bands += p->bands[(size_t)k * NBANDS + (size_t)b];
        const double *counts[] = {p->joiners, p->leavers, p->overflow, p->isps};
        static const char *const names[] = {"no negative counts: joiners", "no negative counts: leavers",
                                            "no negative counts: children overflowed",
                                            "no negative counts: Individual Support Plans"};
        for (int i = 0; i < 4; i++)
            if (!isfinite(counts[i][k]) || counts[i][k] < -1e-9 * fmax(1.0, prev))
                return fail(what, n, s, k, names[i], counts[i][k], 0.0);
        double expect = prev + p->joiners[k] - p->leavers[k];
        if (differ(expect, total))
            return fail(what, n, s, k, "conservation of children (stock + joiners - leavers = next stock)", expect,
                        total);
        if (differ(bands, total)) return fail(what, n, s, k, "age bands sum to the EHCP total", bands, total);
        double st = 0.0, ft = 0.0;
        for (int i = 0; i < p->nspend; i++) st += p->spend[(size_t)k * (size_t)p->nspend + (size_t)i];
        for (int i = 0; i < p->nfund; i++) ft += p->fund[(size_t)k * (size_t)p->nfund + (size_t)i];
        if (differ(st, p->spend_total[k]))
            return fail(what, n, s, k, "spend total = sum of its lines", st, p->spend_total[k]);
        if (differ(ft, p->fund_total[k]))
            return fail(what, n, s, k, "funding total = sum of its lines", ft, p->fund_total[k]);
        cum += p->in_year[k] + p->writeoff[k];
        if (differ(cum, p->cumulative[k]))
            return fail(what, n, s, k, "cumulative = opening + sum of in-year + write-offs", cum, p->cumulative[k]);
        prev = total;
    }
    return 0;
}
