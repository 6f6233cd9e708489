/* build.c: the estimated scenario file and the report of the data behind it
 * (estimate.h).
 *
 * The file is today's format, need x setting spelt out as placements
 * ("SETTING-NEED"): stocks at the January after the last history year;
 * leavers by placement and age (the pooled rate of every placement as the
 * default list); one move matrix per age at the new census, rows by name with
 * only the shares the data show; joiners from the new_plans driver (with a
 * population, the first step's count is rate x population and each later
 * year's growth the population's, weighted by the joiner rates; without, the
 * mean of the years, flat); first placements by pooled age bands; unit costs
 * from the cost file. Money the history cannot give (the HNB allocation, the
 * opening balance) is 0 with a source that says so. The counts every rate
 * rests on go in the file's "estimation" block, in the same bands.
 *
 * Shares are counts over totals; the largest share of each set is 1 minus
 * the others, so every set sums to 1 exactly and the loader's 1e-9 test holds. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "estimate/estimate.h"

static cJSON *num_array(const double *x, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++) cJSON_AddItemToArray(a, cJSON_CreateNumber(x[i]));
    return a;
}

static cJSON *ages(int lo, int hi)
{
    cJSON *a = cJSON_CreateArray();
    cJSON_AddItemToArray(a, cJSON_CreateNumber(lo));
    cJSON_AddItemToArray(a, cJSON_CreateNumber(hi));
    return a;
}

/* Shares w[q] / total as an object of the nonzero ones, the largest taking
 * the rounding. */
static cJSON *shares(const hist_data *d, const double *w, double total)
{
    int P = d->nplace, big = -1;
    double rest = 0;
    for (int q = 0; q < P; q++)
        if (w[q] > 0 && (big < 0 || w[q] > w[big])) big = q;
    for (int q = 0; q < P; q++)
        if (w[q] > 0 && q != big) rest += w[q] / total;
    cJSON *o = cJSON_CreateObject();
    for (int q = 0; q < P; q++)
        if (w[q] > 0) cJSON_AddNumberToObject(o, d->pl_id[q], q == big ? 1.0 - rest : w[q] / total);
    return o;
}

static cJSON *counts_of(const hist_data *d, const double *w)
{
    cJSON *o = cJSON_CreateObject();
    for (int q = 0; q < d->nplace; q++)
        if (w[q] > 0) cJSON_AddNumberToObject(o, d->pl_id[q], w[q]);
    return o;
}

static void add_valued(cJSON *o, const char *key, double v, const char *source)
{
    cJSON *x = cJSON_AddObjectToObject(o, key);
    cJSON_AddNumberToObject(x, "value", v);
    cJSON_AddStringToObject(x, "source", source);
}

static void stated(char *buf, size_t n, const hist_data *d, const hist_fit *f)
{
    snprintf(buf, n, "hnbsim estimate: %s, calendar years %d to %d (January %d to January %d)", d->history, f->y0,
             f->ylast, f->y0, f->ylast + 1);
}

static void add_placements(cJSON *sc, const hist_data *d, const hist_fit *f)
{
    char fy[16], buf[512];
    fy_format(f->census, fy);
    cJSON *ps = cJSON_AddObjectToObject(sc, "placements");
    for (int p = 0; p < d->nplace; p++) {
        cJSON *pl = cJSON_AddObjectToObject(ps, d->pl_id[p]);
        snprintf(buf, sizeof buf, "%s, %s", d->setting[d->pl_setting[p]], d->need[d->pl_need[p]]);
        cJSON_AddStringToObject(pl, "label", buf);
        cJSON_AddStringToObject(pl, "setting", d->setting[d->pl_setting[p]]);
        cJSON_AddStringToObject(pl, "need", d->need[d->pl_need[p]]);
        cJSON *uc = cJSON_AddObjectToObject(pl, "unit_cost");
        int has = d->cost && !isnan(d->cost[p]);
        cJSON_AddNumberToObject(uc, "value", has ? d->cost[p] : 0.0);
        cJSON_AddStringToObject(uc, "price_base", fy);
        if (has)
            snprintf(buf, sizeof buf, "%s: need %s, setting %s", d->costs, d->need[d->pl_need[p]],
                     d->setting[d->pl_setting[p]]);
        else
            snprintf(buf, sizeof buf, "not estimated: no cost for need %s, setting %s%s%s", d->need[d->pl_need[p]],
                     d->setting[d->pl_setting[p]], d->costs ? " in " : " (no --costs file)", d->costs ? d->costs : "");
        cJSON_AddStringToObject(uc, "source", buf);
    }
}

static void add_flows(cJSON *sc, const hist_data *d, const hist_fit *f)
{
    int P = d->nplace, A = f->nages;
    char buf[600], base[400];
    stated(base, sizeof base, d, f);
    /* stocks */
    cJSON *st = cJSON_AddObjectToObject(sc, "stocks");
    cJSON_AddNumberToObject(st, "census", f->census);
    snprintf(buf, sizeof buf, "%s: the state at January %d of the rows of calendar-year %d", d->history, f->census,
             f->ylast);
    cJSON_AddStringToObject(st, "source", buf);
    cJSON *by = cJSON_AddObjectToObject(st, "by_age");
    for (int p = 0; p < P; p++) cJSON_AddItemToObject(by, d->pl_id[p], num_array(&f->stock[p * A], A));
    /* leavers */
    cJSON *lv = cJSON_AddObjectToObject(sc, "leavers");
    snprintf(buf, sizeof buf,
             "%s; leavers / children at risk, by placement and age, ages pooled to at least %d at risk (the "
             "estimation block has the counts); cease_rates: every placement pooled",
             base, f->min_count);
    cJSON_AddStringToObject(lv, "source", buf);
    cJSON_AddItemToObject(lv, "cease_rates", num_array(f->overall_leave, A));
    cJSON *bp = cJSON_AddObjectToObject(lv, "by_placement");
    double *r = malloc(sizeof(double) * (size_t)A);
    for (int p = 0; r && p < P; p++) {
        if (!f->nband[p]) continue;
        for (int a = 0; a < A; a++) {
            const hist_band *b = hist_band_at(f, p, a);
            r[a] = b ? b->left / b->at_risk : f->overall_leave[a];
        }
        cJSON_AddItemToObject(bp, d->pl_id[p], num_array(r, A));
    }
    free(r);
    /* moves: one matrix per age at the new census */
    cJSON *mv = cJSON_AddArrayToObject(sc, "moves");
    for (int a = 0; a + 1 < A; a++) {
        cJSON *mx = NULL;
        for (int p = 0; p < P; p++) {
            const hist_band *b = hist_band_at(f, p, a);
            double stay = b ? b->at_risk - b->left : 0;
            if (!b || stay <= 0 || b->to[p] == stay) continue;
            if (!mx) {
                cJSON *m = cJSON_CreateObject();
                snprintf(buf, sizeof buf, "age %d (from %d at the census before)", a + 1, a);
                cJSON_AddStringToObject(m, "name", buf);
                cJSON_AddItemToObject(m, "ages", ages(a + 1, a + 1));
                snprintf(buf, sizeof buf, "%s; children in each placement at t+1 / children who stayed in SEND", base);
                cJSON_AddStringToObject(m, "source", buf);
                mx = cJSON_AddObjectToObject(m, "matrix");
                cJSON_AddItemToArray(mv, m);
            }
            cJSON_AddItemToObject(mx, d->pl_id[p], shares(d, b->to, stay));
        }
    }
}

static void add_joiners(cJSON *sc, const hist_data *d, const hist_fit *f, int last_fy)
{
    int A = f->nages;
    char buf[700], base[400];
    stated(base, sizeof base, d, f);
    double *j0 = calloc((size_t)A, sizeof *j0), *jy = calloc((size_t)A, sizeof *jy);
    if (!j0 || !jy) {
        free(j0);
        free(jy);
        return;
    }
    double J0 = hist_joiners(d, f, f->census, j0);
    cJSON *jn = cJSON_AddObjectToObject(sc, "joiners");
    if (f->join_rate) { /* incidence: the rate by age times each year's population by age */
        cJSON_AddStringToObject(jn, "driver", "incidence");
        snprintf(buf, sizeof buf, "%s; joiners by age / population (%s) of the same calendar year", base,
                 d->population);
        cJSON_AddStringToObject(jn, "source", buf);
        cJSON *pa = cJSON_AddObjectToObject(jn, "population_by_age");
        snprintf(buf, sizeof buf,
                 "%s: the children of each calendar year's academic years (age = year + 4), as the population of "
                 "the census a year later, where the joiners of the step from that year are counted",
                 d->population);
        cJSON_AddStringToObject(pa, "source", buf);
        cJSON *tb = cJSON_AddObjectToObject(pa, "table");
        double *row = jy;
        for (int y = d->py0; y <= d->py1; y++) {
            char key[16];
            for (int a = 0; a < A; a++) {
                double v = d->pop[(y - d->py0) * A + a];
                row[a] = isnan(v) ? 0.0 : v;
            }
            snprintf(key, sizeof key, "%d", y + 1);
            cJSON_AddItemToObject(tb, key, num_array(row, A));
        }
        cJSON *ra = cJSON_AddObjectToObject(jn, "rate_by_age");
        cJSON_AddItemToObject(ra, "value", num_array(f->join_rate, A));
        snprintf(buf, sizeof buf,
                 "%s: joiners at each age (at the census they join at) / the population of that age, "
                 "calendar years %d to %d",
                 d->history, f->y0, f->ylast);
        cJSON_AddStringToObject(ra, "source", buf);
    }
    if (!f->join_rate) { /* without a population: the mean number of joiners a year, held flat */
        cJSON_AddStringToObject(jn, "driver", "new_plans");
        snprintf(buf, sizeof buf, "%s; the mean number of joiners a year (no --population file: held flat)", base);
        cJSON_AddStringToObject(jn, "source", buf);
        add_valued(jn, "count", J0, buf);
        cJSON *g = cJSON_AddObjectToObject(jn, "growth");
        cJSON_AddNumberToObject(g, "value", 0.0);
        cJSON_AddStringToObject(g, "source", "not estimated: held flat (no --population file)");
        /* the age mix of the years; the largest age takes the rounding */
        int big = 0;
        double rest = 0;
        for (int a = 0; a < A; a++)
            if (j0[a] > j0[big]) big = a;
        for (int a = 0; a < A; a++) {
            jy[a] = J0 > 0 ? j0[a] / J0 : (a == big);
            if (a != big) rest += jy[a];
        }
        jy[big] = 1.0 - rest;
        cJSON_AddItemToObject(jn, "age_distribution", num_array(jy, A));
    }
    (void)last_fy;
    cJSON *fp = cJSON_AddArrayToObject(jn, "first_placement");
    for (int k = 0; k < f->nfp; k++) {
        const hist_band *b = &f->fp_band[k];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddItemToObject(e, "ages", ages(b->lo, b->hi));
        if (b->at_risk > 0) {
            cJSON_AddItemToObject(e, "shares", shares(d, b->to, b->at_risk));
            snprintf(buf, sizeof buf, "%s: %g joiners at ages %d to %d", d->history, b->at_risk, b->lo, b->hi);
        } else {
            cJSON *s = cJSON_AddObjectToObject(e, "shares");
            cJSON_AddNumberToObject(s, d->pl_id[0], 1.0);
            snprintf(buf, sizeof buf, "not estimated: no joiners at ages %d to %d", b->lo, b->hi);
        }
        cJSON_AddStringToObject(e, "source", buf);
        cJSON_AddItemToArray(fp, e);
    }
    free(j0);
    free(jy);
}

/* The scenario's rate_counts: the counts beside the rates they give, in the
 * same bands, for montecarlo.rate_uncertainty (input/ratecounts.c reads
 * them). First-placement bands with no joiners have no counts. */
static void add_rate_counts(cJSON *sc, const hist_data *d, const hist_fit *f)
{
    char buf[500];
    stated(buf, sizeof buf, d, f);
    cJSON *rc = cJSON_AddObjectToObject(sc, "rate_counts");
    cJSON_AddStringToObject(rc, "source", buf);
    cJSON_AddStringToObject(rc, "note",
                            "the counts each leave rate, move row and first-placement band was estimated from; "
                            "\"montecarlo\": {\"rate_uncertainty\": true} draws the rates from them");
    cJSON_AddNumberToObject(rc, "prior", 0.5);
    cJSON *pl = cJSON_AddObjectToObject(rc, "placements");
    for (int p = 0; p < d->nplace; p++) {
        if (!f->nband[p]) continue;
        cJSON *bands = cJSON_AddArrayToObject(pl, d->pl_id[p]);
        for (int k = 0; k < f->nband[p]; k++) {
            const hist_band *b = &f->band[p][k];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddItemToObject(o, "ages", ages(b->lo, b->hi));
            cJSON_AddNumberToObject(o, "at_risk", b->at_risk);
            cJSON_AddNumberToObject(o, "left", b->left);
            cJSON_AddItemToObject(o, "to", counts_of(d, b->to));
            cJSON_AddItemToArray(bands, o);
        }
    }
    cJSON *fp = cJSON_AddArrayToObject(rc, "first_placement");
    for (int k = 0; k < f->nfp; k++) {
        const hist_band *b = &f->fp_band[k];
        if (b->at_risk <= 0) continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "ages", ages(b->lo, b->hi));
        cJSON_AddNumberToObject(o, "joiners", b->at_risk);
        cJSON_AddItemToObject(o, "to", counts_of(d, b->to));
        cJSON_AddItemToArray(fp, o);
    }
}

/* The counts every rate rests on, in the bands the rates use. */
static cJSON *counts_block(const hist_data *d, const hist_fit *f)
{
    int P = d->nplace, A = f->nages;
    char buf[400];
    cJSON *e = cJSON_CreateObject();
    stated(buf, sizeof buf, d, f);
    cJSON_AddStringToObject(e, "source", buf);
    cJSON_AddStringToObject(e, "history", d->history);
    if (d->population) cJSON_AddStringToObject(e, "population", d->population);
    if (d->costs) cJSON_AddStringToObject(e, "costs", d->costs);
    cJSON_AddItemToObject(e, "years", ages(f->y0, f->ylast));
    cJSON_AddNumberToObject(e, "min_count", f->min_count);
    cJSON_AddStringToObject(e, "estimator",
                            "maximum likelihood: leave rate = left / at_risk; move shares = to / (at_risk - left); "
                            "first placement shares = to / joiners; ages pooled within a placement until a band has "
                            "at least min_count at risk (joiners for first placements)");
    cJSON *lv = cJSON_AddObjectToObject(e, "placements");
    for (int p = 0; p < P; p++) {
        cJSON *pl = cJSON_AddObjectToObject(lv, d->pl_id[p]);
        cJSON_AddStringToObject(pl, "setting", d->setting[d->pl_setting[p]]);
        cJSON_AddStringToObject(pl, "need", d->need[d->pl_need[p]]);
        cJSON *bands = cJSON_AddArrayToObject(pl, "bands");
        for (int k = 0; k < f->nband[p]; k++) {
            const hist_band *b = &f->band[p][k];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddItemToObject(o, "ages", ages(b->lo, b->hi));
            cJSON_AddNumberToObject(o, "at_risk", b->at_risk);
            cJSON_AddNumberToObject(o, "left", b->left);
            cJSON_AddItemToObject(o, "to", counts_of(d, b->to));
            cJSON_AddItemToArray(bands, o);
        }
    }
    cJSON *jn = cJSON_AddObjectToObject(e, "joiners");
    cJSON *byy = cJSON_AddObjectToObject(jn, "by_year");
    double *by_age = calloc((size_t)A, sizeof *by_age);
    for (int y = 0; y < f->nyears; y++) {
        double t = 0;
        for (int a = 0; a < A; a++) {
            t += f->join_year_age[y * A + a];
            if (by_age) by_age[a] += f->join_year_age[y * A + a];
        }
        snprintf(buf, sizeof buf, "%d", f->y0 + y);
        cJSON_AddNumberToObject(byy, buf, t);
    }
    if (by_age) cJSON_AddItemToObject(jn, "by_age", num_array(by_age, A));
    free(by_age);
    if (f->join_pop) cJSON_AddItemToObject(jn, "population_by_age", num_array(f->join_pop, A));
    cJSON *fp = cJSON_AddArrayToObject(jn, "first_placement");
    for (int k = 0; k < f->nfp; k++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "ages", ages(f->fp_band[k].lo, f->fp_band[k].hi));
        cJSON_AddNumberToObject(o, "joiners", f->fp_band[k].at_risk);
        cJSON_AddItemToObject(o, "to", counts_of(d, f->fp_band[k].to));
        cJSON_AddItemToArray(fp, o);
    }
    /* the one-step forecast the rates give, with its stated error */
    cJSON *fc = cJSON_AddObjectToObject(e, "forecast");
    cJSON_AddNumberToObject(fc, "census", f->census + 1);
    cJSON_AddStringToObject(fc, "source",
                            "the estimated chain one step from the starting stocks: expected EHCPs; sd_rates: the "
                            "sampling error of the rates (delta method); sd: with the children's own noise too");
    unsigned char *g = calloc((size_t)P, 1);
    static const char *const kinds[] = {"placements", "settings", "needs"};
    for (int kind = 0; g && kind < 3; kind++) {
        cJSON *o = cJSON_AddObjectToObject(fc, kinds[kind]);
        int n = kind == 0 ? P : kind == 1 ? d->nsetting : d->nneed;
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < P; p++)
                g[p] = kind == 0 ? p == i : kind == 1 ? d->pl_setting[p] == i : d->pl_need[p] == i;
            double m, vr, vn;
            hist_step_group(d, f, f->stock, g, &m, &vr, &vn);
            cJSON *r = cJSON_AddObjectToObject(o, kind == 0 ? d->pl_id[i] : kind == 1 ? d->setting[i] : d->need[i]);
            cJSON_AddNumberToObject(r, "expected", m);
            cJSON_AddNumberToObject(r, "sd_rates", sqrt(vr));
            cJSON_AddNumberToObject(r, "sd", sqrt(vr + vn));
        }
    }
    free(g);
    return e;
}

cJSON *hist_build_scenario(const hist_data *d, const hist_fit *f, int horizon_fy)
{
    char buf[600], fy[16];
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "format", "hnbsim-scenarios");
    snprintf(buf, sizeof buf, "Estimated from %s", d->history);
    cJSON_AddStringToObject(doc, "title", buf);
    stated(buf, sizeof buf, d, f);
    cJSON_AddStringToObject(doc, "source", buf);
    cJSON *scs = cJSON_AddObjectToObject(doc, "scenarios");
    cJSON *sc = cJSON_AddObjectToObject(scs, "estimated");
    snprintf(buf, sizeof buf, "Estimated from the history, January %d to January %d", f->y0, f->ylast + 1);
    cJSON_AddStringToObject(sc, "label", buf);
    cJSON_AddStringToObject(sc, "description",
                            "A Markov model of EHCPs by age, need and setting (need x setting as placements), "
                            "estimated by hnbsim estimate. The money (funding, balance) is not in the history: "
                            "fill it in before reading the financial figures.");
    int last_fy = horizon_fy ? horizon_fy : f->census + 5;
    if (horizon_fy) {
        fy_format(horizon_fy, fy);
        cJSON_AddStringToObject(sc, "horizon", fy);
    }
    if (f->nages != 26) cJSON_AddNumberToObject(sc, "max_age", f->nages - 1);
    snprintf(buf, sizeof buf, "not estimated: the DSG balance at 1 April %d", f->census);
    add_valued(sc, "opening_balance", 0.0, buf);
    add_placements(sc, d, f);
    add_flows(sc, d, f);
    add_joiners(sc, d, f, last_fy);
    add_rate_counts(sc, d, f);
    cJSON *fu = cJSON_AddObjectToObject(sc, "funding");
    cJSON *hnb = cJSON_AddObjectToObject(fu, "hnb_allocation");
    snprintf(buf, sizeof buf, "not estimated: the council's High Needs Block allocation for %d-%02d", f->census,
             (f->census + 1) % 100);
    add_valued(hnb, "amount", 0.0, buf);
    cJSON_AddItemToObject(doc, "estimation", counts_block(d, f));
    return doc;
}

/* ---- the report ------------------------------------------------------------- */

void hist_print_data_report(FILE *out, const hist_data *d, const hist_fit *f)
{
    int P = d->nplace, A = f->nages;
    double stock = 0;
    for (int i = 0; i < P * A; i++) stock += f->stock[i];
    fprintf(out, "Estimated from %s: %zu rows, calendar years %d to %d (transitions to January %d)\n", d->history,
            d->nrow, f->y0, f->ylast, f->ylast + 1);
    fprintf(out, "%d settings x %d needs: %d placements seen; starting stocks January %d: %.0f EHCPs\n", d->nsetting,
            d->nneed, P, f->census, stock);
    if (d->nskipped)
        fprintf(out,
                "%zu rows step by other than one academic year (held back or skipped): aged by one year, as the "
                "model ages every child\n",
                d->nskipped);
    int nb = 0, npool = 0;
    double least = -1;
    for (int p = 0; p < P; p++)
        for (int k = 0; k < f->nband[p]; k++) {
            nb++;
            npool += f->band[p][k].lo < f->band[p][k].hi;
            if (least < 0 || f->band[p][k].at_risk < least) least = f->band[p][k].at_risk;
        }
    fprintf(out,
            "Pooling: ages are pooled within a placement until a band has at least %d children at risk: %d bands, "
            "%d of them pooled over several ages; the thinnest rests on %.0f\n\n",
            f->min_count, nb, npool, least < 0 ? 0 : least);
    fprintf(out, "%-28s %7s %8s %6s %16s %6s %16s\n", "placement", "ages", "at risk", "left", "leave rate (se)",
            "moved", "move rate (se)");
    for (int p = 0; p < P; p++) {
        if (!f->nband[p])
            fprintf(out, "%-28.28s %7s %8s  no child at risk: the pooled rate by age, no moves\n", d->pl_id[p], "-",
                    "0");
        for (int k = 0; k < f->nband[p]; k++) {
            const hist_band *b = &f->band[p][k];
            double n = b->at_risk, l = b->left, m = n - l - b->to[p];
            double pl = l / n, pm = m / n;
            char ag[16];
            snprintf(ag, sizeof ag, b->lo == b->hi ? "%d" : "%d-%d", b->lo, b->hi);
            fprintf(out, "%-28.28s %7s %8.0f %6.0f %8.4f (%.4f) %6.0f %8.4f (%.4f)%s\n", k ? "" : d->pl_id[p], ag, n, l,
                    pl, sqrt(pl * (1 - pl) / n), m, pm, sqrt(pm * (1 - pm) / n),
                    b->lo < b->hi ? "  pooled" : (n < f->min_count ? "  thin" : ""));
        }
    }
    /* each January is counted twice: on the right of one year's rows, on the left of the next's */
    for (int y = f->y0 + 1; y <= f->ylast; y++) {
        double right = 0, left = 0;
        for (size_t i = 0; i < d->nrow; i++) {
            right += d->row[i].year == y - 1 && d->row[i].to >= 0;
            left += d->row[i].year == y && d->row[i].from >= 0;
        }
        if (right != left)
            fprintf(out,
                    "note: January %d has %.0f EHCPs on the right of calendar-year %d's rows and %.0f on the left of "
                    "%d's (the history's children do not all carry over)\n",
                    y, right, y - 1, left, y);
    }
    fprintf(out, "\nJoiners by calendar year:");
    for (int y = 0; y < f->nyears; y++) {
        double t = 0;
        for (int a = 0; a < A; a++) t += f->join_year_age[y * A + a];
        fprintf(out, " %d: %.0f", f->y0 + y, t);
    }
    fprintf(out, "\nFirst placements, pooled to at least %d joiners a band:", f->min_count);
    for (int k = 0; k < f->nfp; k++) {
        const hist_band *b = &f->fp_band[k];
        if (b->lo == b->hi)
            fprintf(out, "%s age %d: %.0f", k ? ";" : "", b->lo, b->at_risk);
        else
            fprintf(out, "%s ages %d-%d: %.0f", k ? ";" : "", b->lo, b->hi, b->at_risk);
    }
    fprintf(out, "\n");
    if (f->join_rate) {
        fprintf(out, "Joiner rates per 1,000 of the population (joiners / population, years %d to %d):\n", f->y0,
                f->ylast);
        for (int a = 0; a < A; a++)
            if (f->join_pop[a] > 0 && f->join_rate[a] > 0) {
                double j = f->join_rate[a] * f->join_pop[a];
                fprintf(out, "  age %2d: %8.3f (se %.3f) from %.0f joiners\n", a, 1000 * f->join_rate[a],
                        1000 * sqrt(j) / f->join_pop[a], j);
            }
    }
}
