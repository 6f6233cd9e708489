/* build.c: the scenario file the importer writes (import.h).
 *
 * One scenario, "baseline", with everything the loader requires: stocks by
 * placement and single year of age at the chosen census (estimate.c), cease
 * rates, joiners by age and first placement, growth of the total (the
 * total_growth driver: joiners = growth + leavers, so the joiners include
 * the net transfers-in residual that new plans alone do not explain; the
 * residual of each recent year is written in the joiners' note), every
 * published census as an actual, and the money SEN2 cannot give as national
 * defaults, each with a `source` and "replace": true, which `hnbsim
 * validate` lists as the figures the officer still has to supply. The eight
 * placements are those of docs/sen2-mapping.md, so the mapped stocks sum to
 * the published total. */
#include "import/import.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"

#define SEN2_SOURCE "DfE SEN2 \"Education, health and care plans\" 2025 (data/sen2, Open Government Licence v3.0)"

typedef struct national_cost {
    const char *label, *s251;
    double cost;
    const char *source;
} national_cost;

/* National defaults (docs/sources.md); every one is marked "replace". */
static const national_cost costs[S2_NPL] = {
    {"Mainstream schools (EHCP top-up)", "1.2.2", 8700,
     "national default: Lincolnshire FOI mean top-up £8,662 (2022-23), docs/sources.md; replace with the council's "
     "top-up spend / EHCPs in mainstream"},
    {"Resourced provision and SEN units", "1.2.2", 16000,
     "national default: DfE place funding £6,000-£10,000 per place (docs/sources.md) plus a £6,000-£10,000 top-up; "
     "replace with the council's own"},
    {"Special schools (maintained and academy)", "1.2.2", 24000,
     "national default: NAO 2019 £20,500 (2017-18, national), uplifted to 2024-25; replace with the council's place "
     "and top-up funding / pupils"},
    {"Independent and non-maintained special schools", "1.2.3", 64000,
     "national default: DfE answer to a written PQ, 7 Jan 2026: national average £64k (2024-25), docs/sources.md"},
    {"Further education and specialist post-16", "1.2.2", 15000,
     "national default: general FE top-ups of about £11k and specialist post-16 £36k (Natspec 2025), mostly general "
     "FE; replace with the council's own"},
    {"Alternative provision and PRU", "1.2.7", 25000,
     "national default: assumption £10,000 AP place plus £15,000 top-up; replace with the council's own"},
    {"Non-maintained early years", "1.2.3", 8000,
     "national default: assumption, early years inclusion funding per child with an EHCP"},
    {"Educated elsewhere, EOTAS, NEET, not recorded", "1.2.3", 10000,
     "national default: assumption, a mix of EOTAS packages and NEET or home education"},
};

/* England's high needs funding by the financial year that starts after the census (docs/sources.md). */
static double national_hnb(int census, const char **src)
{
    *src = census <= 2023   ? "£10.1bn (2023-24, DfE answer to a parliamentary question, Feb 2023)"
           : census == 2024 ? "£10.5bn (2024-25, f40 evidence to Parliament; NAO Oct 2024)"
                            : "£11.9bn (2025-26, Written Ministerial Statement, 28 Nov 2024)";
    return census <= 2023 ? 10.1e9 : census == 2024 ? 10.5e9 : 11.9e9;
}

static cJSON *numbers(const double *x, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < n; i++) cJSON_AddItemToArray(a, cJSON_CreateNumber(x[i]));
    return a;
}

static cJSON *assumption(double v, const char *unit, const char *source, int replace)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "value", v);
    if (unit) cJSON_AddStringToObject(o, "unit", unit);
    cJSON_AddStringToObject(o, "source", source);
    if (replace) cJSON_AddTrueToObject(o, "replace");
    return o;
}

int import_latest_census(const s2_la *a)
{
    for (int y = S2_Y0 + S2_NY - 1; y >= S2_Y0; y--)
        if (s2_has_census(a, y)) return y;
    return 0;
}

static void fy_text(int fy, char *b) { snprintf(b, 8, "%d-%02d", fy, (fy + 1) % 100); }

int import_scenario(hnb_model *h, const sen2db *db, const s2_la *a, int C, cJSON **out)
{
    *out = NULL;
    int latest = import_latest_census(a);
    if (!C) C = latest;
    if (!s2_has_census(a, C)) {
        const char *const *succ = sen2_successors(a->name);
        if (succ)
            return err_set(h, HNB_E_REF,
                           "--census: %s has no January %d census: it was replaced by %s and %s (expected one of "
                           "them, or a census up to %d)",
                           a->name, C, succ[0], succ[1], latest);
        int first = 0;
        for (int y = 2023; y <= latest && !first; y++)
            if (s2_has_census(a, y)) first = y;
        const char *pred = strcmp(a->name, "Cumberland") == 0 || strcmp(a->name, "Westmorland and Furness") == 0
                               ? " (it replaced Cumbria in April 2023: --la Cumbria for earlier censuses)"
                               : "";
        return err_set(h, HNB_E_RANGE, "--census: %s has no January %d census%s (expected a census from %d to %d)",
                       a->name, C, pred, first ? first : 2023, latest);
    }
    double st[S2_NPL][S2_NAGES], cease[S2_NAGES], age[S2_NAGES], first[S2_NPL];
    char m_stock[EST_METHOD], m_cease[EST_METHOD], m_join[EST_METHOD];
    if (est_joiners(a, C, age, first, m_join))
        return err_set(h, HNB_E_RANGE,
                       "--census: January %d is too early: the release has new plans by age from calendar year "
                       "2022 (expected a census from 2023 to %d)",
                       C, latest);
    est_stock(db, a, C, st, m_stock);
    est_cease(db, a, C, cease, m_cease);
    growth_est g;
    est_growth(db, a, C, &g);
    char b[3072], fy[8];

    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "format", "hnbsim-scenarios");
    snprintf(b, sizeof b, "%s: High Needs Block forecast from SEN2 (January %d)", a->name, C);
    cJSON_AddStringToObject(root, "title", b);
    cJSON_AddStringToObject(root, "authority", a->name);
    snprintf(b, sizeof b, "DfE SEN2 2025, January %d census; money: national defaults", C);
    cJSON_AddStringToObject(root, "source", b);
    snprintf(b, sizeof b,
             "Written by hnbsim import-sen2 --la \"%s\" --census %d from %s: %s (ONS %s, old code %s, %s). EHCP "
             "figures are the authority's own; every money figure is a national default marked \"replace\": true "
             "(hnbsim validate lists them) until the council supplies its own. docs/sen2-mapping.md and "
             "docs/calibration.md explain the methods.",
             a->name, C, SEN2_SOURCE, a->name, a->code, a->old_code, a->region);
    cJSON_AddStringToObject(root, "description", b);
    cJSON *sc = cJSON_AddObjectToObject(cJSON_AddObjectToObject(root, "scenarios"), "baseline");
    cJSON_AddStringToObject(sc, "label", "Unmitigated: SEN2 trends, national money defaults");
    snprintf(b, sizeof b,
             "no DSG balance is published in SEN2: replace with the council's balance brought forward "
             "at 1 April (negative = deficit)");
    cJSON_AddItemToObject(sc, "opening_balance", assumption(0, NULL, b, 1));

    /* placements and stocks */
    cJSON *pls = cJSON_AddObjectToObject(sc, "placements");
    cJSON *stocks = cJSON_AddObjectToObject(sc, "stocks");
    cJSON_AddNumberToObject(stocks, "census", C);
    snprintf(b, sizeof b, "%s, caseload.csv, January %d census: %s", SEN2_SOURCE, C, m_stock);
    cJSON_AddStringToObject(stocks, "source", b);
    cJSON *by_age = cJSON_AddObjectToObject(stocks, "by_age");
    double mapped = 0;
    for (int p = 0; p < S2_NPL; p++) {
        cJSON *pl = cJSON_AddObjectToObject(pls, s2_placements[p]);
        cJSON_AddStringToObject(pl, "label", costs[p].label);
        cJSON_AddStringToObject(pl, "s251", costs[p].s251);
        cJSON *uc = assumption(costs[p].cost, "£ per EHCP per year", costs[p].source, 1);
        cJSON_AddStringToObject(uc, "price_base", "2024-25");
        cJSON_AddItemToObject(pl, "unit_cost", uc);
        cJSON_AddItemToObject(pl, "inflation",
                              assumption(0.03, "uplift per year",
                                         "national default: 3% a year, in line with school pay awards less the share "
                                         "of top-ups not uplifted (docs/sources.md)",
                                         0));
        cJSON_AddItemToObject(by_age, s2_placements[p], numbers(st[p], S2_NAGES));
        for (int g = 0; g < S2_NAGES; g++) mapped += st[p][g];
    }
    snprintf(b, sizeof b, "%.0f plans mapped = %.0f published (January %d)", mapped, s2_total(a, C), C);
    cJSON_AddStringToObject(stocks, "note", b);

    cJSON *lv = cJSON_AddObjectToObject(sc, "leavers");
    snprintf(b, sizeof b, "%s: %s", SEN2_SOURCE, m_cease);
    cJSON_AddStringToObject(lv, "source", b);
    cJSON_AddItemToObject(lv, "cease_rates", numbers(cease, S2_NAGES));

    /* joiners */
    cJSON *jn = cJSON_AddObjectToObject(sc, "joiners");
    cJSON_AddStringToObject(jn, "driver", "total_growth");
    char resid[512] = "";
    for (int t = C - 3; t <= C - 1; t++) {
        double r = est_residual(a, t);
        if (r != r) continue;
        size_t l = strlen(resid);
        snprintf(resid + l, sizeof resid - l, "%s%d: %.0f new, %.0f ceased, residual %+.0f", l ? "; " : "", t,
                 a->newp[t - S2_Y0], a->ceased[t - S2_Y0], r);
    }
    snprintf(b, sizeof b,
             "joiners = what it takes for the total to grow by `growth` after the leavers: new plans plus the net "
             "transfers-in residual, census(t+1) - census(t) - new(t) + ceased(t), which SEN2's new plans do not "
             "count (calendar %s)",
             *resid ? resid : "no year with both flows");
    cJSON_AddStringToObject(jn, "note", b);
    char brk[96] = "";
    for (int k = 0; k < g.nbreak && k < 4; k++) {
        size_t l = strlen(brk);
        snprintf(brk + l, sizeof brk - l, "%s%d", k ? ", " : "", g.breaks[k]);
    }
    snprintf(b, sizeof b,
             "SEN2 to January %d, nothing later (docs/calibration.md, national back-test): England's mean yearly "
             "growth over the three years to January %d (%+.2f%%) plus %+.3f x the authority's own 3-year growth "
             "against England's (%+.2f%% against %+.2f%%%s%s%s), %+.3f x its requests for assessment in %d per plan "
             "against England's (%+.4f), %+.3f x its share of plans aged 16-25 against England's (%+.4f), %+.3f x "
             "its new plans in %d per plan against England's (%+.4f) = %+.2f%% a year; coefficients by least squares "
             "on %zu authority-years of 1-year growth against England's into January %d and %d, data breaks left out. "
             "Range: normal with sd "
             "%.4f, from the spread across authorities of the same method's 1-year forecast errors over the three "
             "steps from January %d to %d, each fitted at its start, pooled",
             C, C, 100 * g.nat3, g.b[0], 100 * g.own3, 100 * g.nat3,
             g.nbreak ? "; data breaks or reorganisations flagged, not fitted, England's growth "
                        "used instead in the years to January "
                      : "",
             brk, "", g.b[1], C - 1, g.x[1], g.b[2], g.x[2], g.b[3], C - 1, g.x[3], 100 * g.growth, g.nfit, C - 1, C,
             g.sd, C - 3, C);
    cJSON *gr = assumption(round(g.growth * 1e6) / 1e6, "growth of the total EHCPs per year", b, 0);
    cJSON *d = cJSON_AddObjectToObject(gr, "dist");
    cJSON_AddStringToObject(d, "type", "normal");
    cJSON_AddNumberToObject(d, "sd", round(g.sd * 1e6) / 1e6);
    cJSON_AddItemToObject(jn, "growth", gr);
    snprintf(b, sizeof b, "%s: %s", SEN2_SOURCE, m_join);
    cJSON *ad = cJSON_AddObjectToObject(jn, "age_distribution");
    cJSON_AddItemToObject(ad, "value", numbers(age, S2_NAGES));
    cJSON_AddStringToObject(ad, "source", b);
    cJSON *fp = cJSON_AddObjectToObject(jn, "first_placement");
    for (int p = 0; p < S2_NPL; p++) cJSON_AddNumberToObject(fp, s2_placements[p], first[p]);
    cJSON_AddStringToObject(fp, "source", b);

    /* money */
    const char *hsrc;
    double share = s2_total(a, C) / s2_total(&db->la[0], C);
    double alloc = round(national_hnb(C, &hsrc) * share / 1000.0) * 1000.0;
    cJSON *fund = cJSON_AddObjectToObject(cJSON_AddObjectToObject(sc, "funding"), "hnb_allocation");
    cJSON_AddStringToObject(fund, "label", "High Needs Block allocation (after recoupment)");
    snprintf(b, sizeof b,
             "national default: England's high needs funding %s times the authority's share of England's EHCPs in "
             "January %d (%.0f of %.0f); replace with the council's allocation after recoupment",
             hsrc, C, s2_total(a, C), s2_total(&db->la[0], C));
    fy_text(C, fy);
    cJSON_AddItemToObject(fund, "amount", assumption(alloc, "£ per year", b, 1));
    cJSON_AddStringToObject(fund, "fy", fy);
    cJSON_AddItemToObject(fund, "growth",
                          assumption(0.03, "growth per year",
                                     "national default: assumption, 3% a year (national high needs "
                                     "funding +4% in 2024-25, +7% in 2025-26, flat in 2026-27)",
                                     1));

    /* actuals: every published census */
    cJSON *cen = cJSON_AddArrayToObject(cJSON_AddObjectToObject(sc, "actuals"), "census");
    for (int y = S2_Y0; y < S2_Y0 + S2_NY; y++) {
        if (!s2_has_census(a, y) || y < 2019) continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "census", y);
        cJSON_AddNumberToObject(o, "ehcps", s2_total(a, y));
        snprintf(b, sizeof b, "%s, caseload.csv, January %d%s", SEN2_SOURCE, y,
                 y > C ? " (after the starting census: for comparison only, no assumption uses it)" : "");
        cJSON_AddStringToObject(o, "source", b);
        cJSON_AddItemToArray(cen, o);
    }
    cJSON *mc = cJSON_AddObjectToObject(sc, "montecarlo");
    cJSON_AddTrueToObject(mc, "count_noise");
    cJSON_AddStringToObject(mc, "source",
                            "small-number noise on: binomial leavers and Poisson joiners matter for small authorities");
    if (!root) return err_set(h, HNB_E_NOMEM, "out of memory");
    *out = root;
    return HNB_OK;
}
