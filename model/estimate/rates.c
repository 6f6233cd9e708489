/* rates.c: from the rows of a history to counts and rates (estimate.h).
 *
 * A row is one child's passage from census t to census t+1. For each
 * placement p and age a (at census t) the children at risk are the rows that
 * start in p at a; they either leave (NONSEND on the right) or are somewhere
 * at t+1, the same placement included. The leave rate is left / at risk and
 * the share moving to q is (in q at t+1) / (at risk - left): the maximum
 * likelihood estimates of a Markov chain's transition probabilities.
 *
 * Thin data pool: within a placement, adjacent ages (from the first to the
 * last age the placement has anyone at) are joined into bands, from the
 * youngest, until each band has at least min_count children at risk; a last
 * band short of it joins the one before. Every age of a band takes the
 * band's rates. Ages outside a placement's range take the leave rate of
 * every placement pooled at that age and nobody moves; an age no placement
 * has anyone at takes 0 below the youngest age seen and 1 above the oldest.
 * Joiners are counted by year and by age at t+1; their first placements are
 * pooled over ages into bands of at least min_count joiners the same way. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/model.h"
#include "estimate/estimate.h"

/* Bands over ages [lo, hi] of weights w (at risk, or joiners): from the
 * youngest, each closed when it reaches min_count; a short last band joins
 * the one before. Returns the number of bands; bands[i].lo/hi set. */
static int make_bands(const double *w, int lo, int hi, int min_count, hist_band *bands)
{
    int n = 0;
    double acc = 0;
    int start = lo;
    for (int a = lo; a <= hi; a++) {
        acc += w[a];
        if (acc >= min_count || a == hi) {
            if (acc < min_count && n > 0) {
                bands[n - 1].hi = a; /* a short last band joins the one before */
            } else {
                bands[n].lo = start;
                bands[n].hi = a;
                n++;
            }
            start = a + 1;
            acc = 0;
        }
    }
    return n;
}

int hist_fit_rows(hnb_model *h, const hist_data *d, int ylast, int min_count, hist_fit *f)
{
    memset(f, 0, sizeof *f);
    int P = d->nplace, A = d->nages;
    f->nplace = P;
    f->nages = A;
    f->y0 = d->y0;
    f->ylast = ylast;
    f->census = ylast + 1;
    f->min_count = min_count;
    f->nyears = ylast - d->y0 + 1;
    double *risk = calloc((size_t)(P * A), sizeof *risk);
    double *left = calloc((size_t)(P * A), sizeof *left);
    double *to = calloc((size_t)(P * A * P), sizeof *to);
    f->band = calloc((size_t)P, sizeof *f->band);
    f->nband = calloc((size_t)P, sizeof *f->nband);
    f->overall_leave = calloc((size_t)A, sizeof(double));
    f->at_risk_age = calloc((size_t)A, sizeof(double));
    f->stock = calloc((size_t)(P * A), sizeof(double));
    f->join_year_age = calloc((size_t)(f->nyears * A), sizeof(double));
    f->join_age_to = calloc((size_t)(A * P), sizeof(double));
    f->fp_band = calloc((size_t)A, sizeof(hist_band));
    double *jw = calloc((size_t)A, sizeof *jw);
    int rc = HNB_OK;
    if (!risk || !left || !to || !f->band || !f->nband || !f->overall_leave || !f->at_risk_age || !f->stock ||
        !f->join_year_age || !f->join_age_to || !f->fp_band || !jw)
        rc = err_set(h, HNB_E_NOMEM, "out of memory estimating rates");
    double *left_age = rc ? NULL : calloc((size_t)A, sizeof(double));
    if (!rc && !left_age) rc = err_set(h, HNB_E_NOMEM, "out of memory estimating rates");
    for (size_t i = 0; !rc && i < d->nrow; i++) {
        const hist_row *r = &d->row[i];
        if (r->year > ylast) continue;
        if (r->year == ylast && r->to >= 0 && r->age2 < A) f->stock[r->to * A + r->age2] += 1;
        if (r->from < 0) { /* a joiner */
            if (r->age2 < A) {
                f->join_year_age[(r->year - d->y0) * A + r->age2] += 1;
                f->join_age_to[r->age2 * P + r->to] += 1;
                jw[r->age2] += 1;
            }
            continue;
        }
        int c = r->from * A + r->age1;
        risk[c] += 1;
        f->at_risk_age[r->age1] += 1;
        if (r->to < 0) {
            left[c] += 1;
            left_age[r->age1] += 1;
        } else {
            to[(size_t)c * (size_t)P + (size_t)r->to] += 1;
        }
    }
    /* the fallback by age: every placement pooled */
    int amin = A, amax = -1;
    for (int a = 0; !rc && a < A; a++)
        if (f->at_risk_age[a] > 0) {
            if (a < amin) amin = a;
            amax = a;
        }
    for (int a = 0; !rc && a < A; a++)
        f->overall_leave[a] = f->at_risk_age[a] > 0 ? left_age[a] / f->at_risk_age[a] : (a > amax ? 1.0 : 0.0);
    /* bands per placement */
    for (int p = 0; !rc && p < P; p++) {
        int lo = -1, hi = -1;
        for (int a = 0; a < A; a++)
            if (risk[p * A + a] > 0) {
                if (lo < 0) lo = a;
                hi = a;
            }
        if (lo < 0) continue;
        hist_band *b = calloc((size_t)(hi - lo + 1), sizeof *b);
        if (!b) {
            rc = err_set(h, HNB_E_NOMEM, "out of memory");
            break;
        }
        f->band[p] = b;
        f->nband[p] = make_bands(&risk[p * A], lo, hi, min_count, b);
        for (int k = 0; k < f->nband[p]; k++) {
            b[k].to = calloc((size_t)P, sizeof(double));
            if (!b[k].to) {
                rc = err_set(h, HNB_E_NOMEM, "out of memory");
                break;
            }
            for (int a = b[k].lo; a <= b[k].hi; a++) {
                b[k].at_risk += risk[p * A + a];
                b[k].left += left[p * A + a];
                for (int q = 0; q < P; q++) b[k].to[q] += to[(size_t)(p * A + a) * (size_t)P + (size_t)q];
            }
        }
    }
    /* first placements: bands over every age, by joiners */
    if (!rc) {
        f->nfp = make_bands(jw, 0, A - 1, min_count, f->fp_band);
        for (int k = 0; k < f->nfp && !rc; k++) {
            hist_band *b = &f->fp_band[k];
            b->to = calloc((size_t)P, sizeof(double));
            if (!b->to) {
                rc = err_set(h, HNB_E_NOMEM, "out of memory");
                break;
            }
            for (int a = b->lo; a <= b->hi; a++) {
                b->at_risk += jw[a];
                for (int q = 0; q < P; q++) b->to[q] += f->join_age_to[a * P + q];
            }
        }
    }
    /* joiner rates per head of population */
    if (!rc && d->pop) {
        f->join_rate = calloc((size_t)A, sizeof(double));
        f->join_pop = calloc((size_t)A, sizeof(double));
        if (!f->join_rate || !f->join_pop) rc = err_set(h, HNB_E_NOMEM, "out of memory");
        for (int y = d->y0; !rc && y <= ylast; y++)
            for (int a = 0; a < A; a++) {
                double pop = (y >= d->py0 && y <= d->py1) ? d->pop[(y - d->py0) * A + a] : NAN;
                double j = f->join_year_age[(y - d->y0) * A + a];
                if (isnan(pop)) {
                    if (j > 0)
                        rc = err_add(h, HNB_E_MISSING,
                                     "%s: no population for calendar-year %d, academic-year %d, which has %g joiners "
                                     "(expected a row for every year and academic year with joiners)",
                                     d->population, y, a - 4, j);
                    continue;
                }
                if (pop <= 0 && j > 0) {
                    rc = err_add(h, HNB_E_RANGE,
                                 "%s: population 0 for calendar-year %d, academic-year %d, which has %g joiners "
                                 "(expected a population above 0)",
                                 d->population, y, a - 4, j);
                    continue;
                }
                f->join_pop[a] += pop;
            }
        for (int a = 0; !rc && a < A; a++) {
            double j = 0;
            for (int y = 0; y < f->nyears; y++) j += f->join_year_age[y * A + a];
            f->join_rate[a] = f->join_pop[a] > 0 ? j / f->join_pop[a] : 0.0;
        }
    }
    free(risk);
    free(left);
    free(to);
    free(jw);
    free(left_age);
    return rc;
}

void hist_fit_free(hist_fit *f)
{
    for (int p = 0; f->band && p < f->nplace; p++) {
        for (int k = 0; k < f->nband[p]; k++) free(f->band[p][k].to);
        free(f->band[p]);
    }
    for (int k = 0; f->fp_band && k < f->nfp; k++) free(f->fp_band[k].to);
    free(f->band);
    free(f->nband);
    free(f->overall_leave);
    free(f->at_risk_age);
    free(f->stock);
    free(f->join_year_age);
    free(f->join_age_to);
    free(f->join_rate);
    free(f->join_pop);
    free(f->fp_band);
    memset(f, 0, sizeof *f);
}

const hist_band *hist_band_at(const hist_fit *f, int p, int a)
{
    for (int k = 0; k < f->nband[p]; k++)
        if (a >= f->band[p][k].lo && a <= f->band[p][k].hi) return &f->band[p][k];
    return NULL;
}

/* The population at calendar year y by age: the latest year given at or
 * before y (the first if none is that early). */
static const double *pop_year(const hist_data *d, int y)
{
    if (y > d->py1) y = d->py1;
    if (y < d->py0) y = d->py0;
    return &d->pop[(y - d->py0) * d->nages];
}

double hist_joiners(const hist_data *d, const hist_fit *f, int c, double *out)
{
    int A = f->nages;
    double tot = 0;
    if (f->join_rate) {
        const double *pop = pop_year(d, c);
        for (int a = 0; a < A; a++) {
            out[a] = isnan(pop[a]) ? 0.0 : f->join_rate[a] * pop[a];
            tot += out[a];
        }
        return tot;
    }
    for (int a = 0; a < A; a++) {
        out[a] = 0;
        for (int y = 0; y < f->nyears; y++) out[a] += f->join_year_age[y * A + a];
        out[a] /= f->nyears;
        tot += out[a];
    }
    return tot;
}

void hist_step_group(const hist_data *d, const hist_fit *f, const double *stock, const unsigned char *in_group,
                     double *mean, double *var_rates, double *var_noise)
{
    int P = f->nplace, A = f->nages;
    double m = 0, v = 0, vn = 0;
    for (int p = 0; p < P; p++) {
        for (int k = 0; k < f->nband[p]; k++) { /* children the band's estimates act on */
            const hist_band *b = &f->band[p][k];
            double sb = 0, pg = 0;
            for (int a = b->lo; a <= b->hi && a < A - 1; a++) sb += stock[p * A + a];
            for (int q = 0; q < P; q++)
                if (in_group[q]) pg += b->to[q];
            pg /= b->at_risk;
            m += sb * pg;
            v += sb * sb * pg * (1 - pg) / b->at_risk;
            for (int a = b->lo; a <= b->hi && a < A - 1; a++) vn += stock[p * A + a] * pg * (1 - pg);
        }
        for (int a = 0; a < A - 1; a++) { /* ages with no data: the fallback rate, no moves */
            if (hist_band_at(f, p, a) || !in_group[p]) continue;
            double s = stock[p * A + a], pg = 1 - f->overall_leave[a];
            m += s * pg;
            vn += s * pg * (1 - pg);
        }
    }
    /* joiners: the count in the group, its sampling error from the joiners
     * counted (a Poisson count), and its own Poisson noise */
    double *by_age = calloc((size_t)A, sizeof *by_age);
    if (by_age) {
        hist_joiners(d, f, f->census, by_age);
        double jg = 0, kg = 0;
        for (int k = 0; k < f->nfp; k++) {
            const hist_band *b = &f->fp_band[k];
            if (b->at_risk <= 0) continue;
            double share = 0;
            for (int q = 0; q < P; q++)
                if (in_group[q]) share += b->to[q];
            kg += share;
            share /= b->at_risk;
            for (int a = b->lo; a <= b->hi; a++) jg += by_age[a] * share;
        }
        m += jg;
        vn += jg;
        v += kg > 0 ? jg * jg / kg : 0;
        free(by_age);
    }
    *mean = m;
    *var_rates = v;
    *var_noise = vn;
}
