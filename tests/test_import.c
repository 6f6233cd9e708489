/* test_import.c: hnbsim import-sen2, the national run and the national
 * back-test, on the vendored SEN2 tables (data/sen2).
 *
 * Known answers from the published data: Sutton's January 2025 total (2,582)
 * and its placement totals under the mapping of docs/sen2-mapping.md;
 * England's 638,745 as the sum of the 153 authorities. Reorganised and
 * unusual authorities, each as documented: Cumbria (split April 2023),
 * North and West Northamptonshire (from 2021), BCP and Dorset (from 2019),
 * returns without placements (Cambridgeshire 2025) or without ages (Hackney
 * 2024); bad names and censuses with the exact message. Few Monte Carlo
 * paths, to keep the suite quick. */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "hnbsim.h"
#include "hnbsim_report.h"
#include "import/estimate.h"
#include "import/import.h"

static cJSON *import(hnb_model *h, const char *la, int census, int *rc)
{
    hnb_import_options o = {la, census, NULL};
    char *json = NULL;
    *rc = hnb_import_sen2(h, &o, &json);
    cJSON *d = json ? cJSON_Parse(json) : NULL;
    free(json);
    return d;
}

static double stock_total(const cJSON *d, const char *placement)
{
    const cJSON *by = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "scenarios"), "baseline"), "stocks"), "by_age");
    double t = 0;
    for (const cJSON *p = by ? by->child : NULL; p; p = p->next) {
        if (placement && strcmp(p->string, placement) != 0) continue;
        for (const cJSON *x = p->child; x; x = x->next) {
            t += x->valuedouble;
            CHECK(x->valuedouble >= 0 && x->valuedouble == (double)(long)x->valuedouble);
        }
    }
    return t;
}

static void sutton(void)
{
    hnb_model *h = hnb_model_alloc();
    int rc;
    cJSON *d = import(h, "Sutton", 2025, &rc);
    CHECK(rc == 0 && d);
    CHECK_NEAR(stock_total(d, NULL), 2582, 0);
    /* the placement totals of the mapping (scripts/sen2-extract --la Sutton) */
    static const char *pl[] = {"mainstream", "base", "special", "nmi", "post16", "ap", "early_years", "other"};
    static const double want[] = {925, 359, 572, 209, 303, 12, 21, 181};
    for (int p = 0; p < 8; p++) CHECK_NEAR(stock_total(d, pl[p]), want[p], 0);
    /* the file validates and runs */
    char *text = cJSON_Print(d);
    char path[64];
    snprintf(path, sizeof path, "/tmp/hnb_import_%d.json", (int)getpid());
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    free(text);
    hnb_model *m = hnb_model_alloc();
    CHECK(hnb_load_file(m, path) == 0);
    hnb_run_options ro = {0, 1, 1, 0, 0, NULL};
    CHECK(hnb_run(m, &ro) == 0);
    char *notes = NULL;
    CHECK(hnb_replace_notes(m, path, &notes) == 0);
    CHECK_STR_CONTAINS(notes, "scenarios.baseline.placements.nmi.unit_cost = 64000");
    CHECK_STR_CONTAINS(notes, "scenarios.baseline.funding.hnb_allocation.amount");
    CHECK_STR_CONTAINS(notes, "scenarios.baseline.opening_balance = 0");
    free(notes);
    hnb_model_free(m);
    remove(path);
    cJSON_Delete(d);
    /* by ONS code and old code; the same file */
    cJSON *a = import(h, "E09000029", 2025, &rc), *b = import(h, "319", 0, &rc);
    CHECK(a && b && cJSON_Compare(a, b, 1));
    cJSON_Delete(a);
    cJSON_Delete(b);
    /* no look-ahead: January 2023 has no ages; its stocks still sum to the total */
    d = import(h, "Sutton", 2023, &rc);
    CHECK(rc == 0);
    CHECK_NEAR(stock_total(d, NULL), 2164, 0);
    cJSON_Delete(d);
    hnb_model_free(h);
}

static void unusual(void)
{
    hnb_model *h = hnb_model_alloc();
    int rc;
    cJSON *d = import(h, "Sutonn", 2025, &rc);
    CHECK(rc == HNB_E_REF && !d);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "no local authority \"Sutonn\"");
    CHECK_STR_CONTAINS(hnb_errmsg(h), "did you mean");
    CHECK_STR_CONTAINS(hnb_errmsg(h), "\"Sutton\"");
    /* Cumbria: a January 2023 census, then its successors */
    d = import(h, "Cumbria", 2023, &rc);
    CHECK(rc == 0);
    CHECK_NEAR(stock_total(d, NULL), 4489, 0);
    cJSON_Delete(d);
    d = import(h, "Cumbria", 2025, &rc);
    CHECK(rc == HNB_E_REF);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "replaced by Cumberland and Westmorland and Furness");
    d = import(h, "Cumberland", 2023, &rc);
    CHECK(rc == HNB_E_RANGE);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "--la Cumbria for earlier censuses");
    d = import(h, "Sutton", 2021, &rc);
    CHECK(rc == HNB_E_RANGE);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "too early");
    /* returns without placements or ages: the total is kept whole */
    static const struct {
        const char *la;
        int census;
        double total;
    } odd[] = {{"Cambridgeshire", 2025, 8007}, {"North East Lincolnshire", 2025, 1983},
               {"Hackney", 2024, 3525},        {"Peterborough", 2024, 0},
               {"Wakefield", 2023, 0},         {"North Northamptonshire", 2023, 3529}};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        d = import(h, odd[i].la, odd[i].census, &rc);
        CHECK(rc == 0 && d);
        if (odd[i].total) CHECK_NEAR(stock_total(d, NULL), odd[i].total, 0);
        CHECK(stock_total(d, "mainstream") > 0);
        cJSON_Delete(d);
    }
    /* the series across reorganisations */
    sen2db db;
    CHECK(sen2_load(h, NULL, &db) == 0);
    int brk = 0;
    const s2_la *bcp = sen2_by_name(&db, "Bournemouth, Christchurch and Poole");
    CHECK_NEAR(est_series(&db, bcp, 2019, &brk), 1045 + 846, 0); /* Bournemouth + Poole */
    CHECK(brk == 0);
    est_series(&db, bcp, 2020, &brk);
    CHECK(brk == 1); /* the first census on the new boundaries: a break, not fitted */
    const s2_la *dor = sen2_by_name(&db, "Dorset");
    CHECK_NEAR(est_series(&db, dor, 2019, &brk), 2392, 0); /* the old county, with Christchurch */
    const s2_la *nn = sen2_by_name(&db, "North Northamptonshire");
    CHECK_NEAR(est_series(&db, nn, 2021, &brk), 4847.0 * 2842 / (2842 + 2847), 1e-9);
    const s2_la *cu = sen2_by_name(&db, "Cumbria");
    CHECK_NEAR(sen2_total_or_successors(&db, cu, 2025), 2893 + 2377, 0);
    growth_est g;
    est_growth(&db, bcp, 2022, &g); /* 2020 is in the window: flagged, England's growth used */
    CHECK(g.nbreak == 1 && g.breaks[0] == 2020);
    sen2_free(&db);
    hnb_model_free(h);
}

/* The growth fit on a made-up table with a known answer: England grows 10%
 * a year with 0.25 requests per plan; authority i has r_i = 0.15 + 0.01 i
 * requests per plan every year and grows by England's growth + 0.5 (r_i -
 * 0.25). Least squares on requests alone gives 0.5 exactly; a year that
 * halves is left out of the fit (one authority-year fewer) and flagged in the
 * authority's own growth; requests above the plans in force are a bad return
 * (England's rate used); the share aged 16-25 comes from the bands; the
 * Monte Carlo sd pools three steps' errors. */
static void fit_known(void)
{
    enum { NLA = 21 };
    sen2db db = {calloc(NLA, sizeof(s2_la)), NLA, NULL};
    CHECK(db.la != NULL);
    if (!db.la) return;
    for (int i = 0; i < NLA; i++) {
        s2_la *a = &db.la[i];
        snprintf(a->name, sizeof a->name, i ? "Authority %d" : "England", i);
        for (int y = 0; y < S2_NY; y++) a->census[y] = a->newp[y] = a->ceased[y] = a->requests[y] = NAN;
        double r = i ? 0.15 + 0.01 * i : 0.25, t = 1000.0 + 10 * i;
        for (int y = 2018; y <= 2023; y++) {
            a->census[y - S2_Y0] = t;
            a->requests[y - S2_Y0] = r * t;
            t *= 1.1 + (i ? 0.5 * (r - 0.25) : 0);
        }
        double *b = a->band[2022 - S2_Y0]; /* 0-4, 5-10, 11-15, 16-19, 20-25, total */
        b[0] = 100, b[1] = 300, b[2] = 300, b[3] = i == 1 ? 250 : 200, b[4] = 100,
        b[5] = b[0] + b[1] + b[2] + b[3] + b[4];
        a->has_band[2022 - S2_Y0] = 1;
    }
    double b[EG_NFEAT];
    CHECK_NEAR((double)est_fit(&db, 2023, EG_REQ, b), 2 * (NLA - 1), 0);
    CHECK_NEAR(b[1], 0.5, 1e-9);
    CHECK_NEAR(b[0] + b[2] + b[3], 0, 0); /* ingredients not asked for */
    /* the Monte Carlo sd pools the errors of the three 1-year steps before
     * the origin, each fitted at its start. Without requests of 2018 the fit at
     * 2020 has nothing but zeros (b = 0), so the step 2020 -> 2021 forecasts
     * England's 10% and errs by e_i = ln((1.1 + 0.5 (r_i - 0.25)) / 1.1); the
     * fits at 2021 and 2022 are exact (40 zeros). Median 0; of the 60 |e|,
     * q80 = 0.0180846 and q90 = 0.0314238, so sd = (q80 / 1.2816 + q90 /
     * 1.6449) / 2 = 0.0166074 (by hand, python3). The one-step rule (the
     * errors of 2022 -> 2023 alone) would have given 0. */
    for (int i = 0; i < NLA; i++) db.la[i].requests[2018 - S2_Y0] = NAN;
    CHECK_NEAR(est_growth_sd(&db, 2023, EG_REQ), 0.0166073662, 1e-9);
    growth_est g;
    est_features(&db, &db.la[5], 2023, EG_MODEL, &g);
    CHECK_NEAR(g.x[1], 0.20 - 0.25, 1e-12);
    CHECK_NEAR(est_predict(&g, b), 0.1 + 0.5 * (0.20 - 0.25), 1e-12);
    CHECK_NEAR(g.x[2], 0, 1e-12); /* the same bands as England */
    est_features(&db, &db.la[1], 2023, EG_AGE, &g);
    CHECK_NEAR(g.x[2], 350.0 / 1050 - 300.0 / 1000, 1e-12);
    /* a halving in January 2023: out of the fit, England's growth in own3 */
    db.la[3].census[2023 - S2_Y0] = 0.5 * db.la[3].census[2022 - S2_Y0];
    CHECK_NEAR((double)est_fit(&db, 2023, EG_REQ, b), 2 * (NLA - 1) - 1, 0);
    CHECK_NEAR(b[1], 0.5, 1e-9);
    est_features(&db, &db.la[3], 2023, EG_OWN, &g);
    CHECK(g.nbreak == 1 && g.breaks[0] == 2023 && g.lastbreak);
    est_features(&db, &db.la[3], 2023, EG_OWN | EG_NOFLAG, &g);
    CHECK(g.nbreak == 0);
    /* requests above the plans in force: a bad return, England's rate */
    db.la[4].requests[2022 - S2_Y0] = 2.0 * db.la[4].census[2022 - S2_Y0];
    est_features(&db, &db.la[4], 2023, EG_REQ, &g);
    CHECK(g.flowbreak == EG_REQ);
    CHECK_NEAR(g.x[1], 0, 0);
    /* requests not given (a missing or suppressed figure): England's rate, no flag */
    db.la[6].requests[2022 - S2_Y0] = NAN;
    est_features(&db, &db.la[6], 2023, EG_REQ, &g);
    CHECK(g.flowbreak == 0);
    CHECK_NEAR(g.x[1], 0, 0);
    sen2_free(&db);
}

static void national(void)
{
    hnb_model *h = hnb_model_alloc();
    char json[64];
    snprintf(json, sizeof json, "/tmp/hnb_national_%d.json", (int)getpid());
    hnb_national_options o = {2025, 0, 1, 1, 0, NULL, json, NULL};
    CHECK(hnb_national(h, &o, NULL) == 0);
    char xlsx[64];
    snprintf(xlsx, sizeof xlsx, "/tmp/hnb_national_%d.xlsx", (int)getpid());
    CHECK(hnb_export_national(h, json, xlsx) == 0);
    CHECK(access(xlsx, F_OK) == 0);
    remove(xlsx);
    FILE *f = fopen(json, "r");
    static char buf[1 << 20];
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = '\0';
    if (f) fclose(f);
    remove(json);
    cJSON *d = cJSON_Parse(buf);
    const cJSON *e = cJSON_GetObjectItem(d, "england");
    CHECK_NEAR(cJSON_GetObjectItem(e, "ehcps_now")->valuedouble, 638745, 0);
    CHECK_NEAR(cJSON_GetObjectItem(e, "authorities")->valuedouble, 153, 0);
    cJSON_Delete(d);
    /* the back-test table: the model, the baselines and the coverage, from one call */
    char *txt = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&txt, &len);
    hnb_national_options b = {2023, 8, 1, 1, 0, NULL, NULL, NULL};
    CHECK(hnb_backtest_national(h, &b, mem) == 0);
    fclose(mem);
    CHECK_STR_CONTAINS(txt, "| January 2023 -> 2025 (2 years) | model:");
    /* the figures docs/calibration.md reports (point forecasts: no Monte Carlo in
     * them): the model's 2-year median error 4.58% against naive's 7.10%
     * (35% below), its 90th percentile 12.36% against 19.95% (38% below); each
     * ingredient's row */
    CHECK_STR_CONTAINS(txt,
                       "| January 2023 -> 2025 (2 years) | model: England's 3-year growth + own growth, requests, "
                       "ages 16-25, new plans (least squares on the 2 years before), breaks flagged | 152 | 4.58 | "
                       "12.36 | -0.96 |");
    CHECK_STR_CONTAINS(txt, "| January 2023 -> 2025 (2 years) | England's 3-year mean growth for every authority (the "
                            "model's base) | 152 | 5.88 | 13.33 | -1.21 |");
    CHECK_STR_CONTAINS(txt,
                       "| January 2023 -> 2025 (2 years) | + pooling and requests (no age structure, no new plans) "
                       "| 152 | 4.62 | 12.73 | -1.12 |");
    CHECK_STR_CONTAINS(txt, "| January 2023 -> 2025 (2 years) | model without requests | 152 | 5.27 | 13.93 | -0.91 |");
    CHECK_STR_CONTAINS(txt, "| January 2023 -> 2025 (2 years) | own 3-year growth, breaks flagged, no pooling | 152 | "
                            "7.44 | 15.92 | -1.32 |");
    CHECK_STR_CONTAINS(txt,
                       "| January 2023 -> 2025 (2 years) | naive: last year's growth repeated | 152 | 7.10 | 19.95 |");
    CHECK_STR_CONTAINS(txt,
                       "| January 2024 -> 2025 (1 year) | model: England's 3-year growth + own growth, requests, "
                       "ages 16-25, new plans (least squares on the 2 years before), breaks flagged | 153 | 2.28 | "
                       "7.06 | +0.74 |");
    CHECK_STR_CONTAINS(txt, "| January 2023 -> 2025 (2 years) | model with the cliff ages 15, 18-19 and 24-25 instead "
                            "of ages 16-25 | 152 | 4.87 | 12.58 | -1.01 |");
    /* the earlier origins, known at January 2023 */
    CHECK_STR_CONTAINS(txt,
                       "| January 2021 -> 2023 (2 years) | model: England's 3-year growth + own growth, requests, "
                       "ages 16-25, new plans (least squares on the 2 years before), breaks flagged | 151 | 4.40 | "
                       "10.89 | +2.39 |");
    CHECK_STR_CONTAINS(txt,
                       "| January 2021 -> 2023 (2 years) | naive: last year's growth repeated | 151 | 5.88 | 15.71 |");
    CHECK_STR_CONTAINS(txt, "3-year mean growth");
    CHECK_STR_CONTAINS(txt, "national: England's last-year growth");
    CHECK_STR_CONTAINS(txt, "inside the 80% range");
    CHECK_STR_CONTAINS(txt, "| Newham | 2618 |");
    free(txt);
    hnb_model_free(h);
}

/* the command line: import, validate (the replace list is a note, exit 0), a bad name (exit 1) */
static void cli(void)
{
    const char *bin = getenv("HNB_BIN");
    if (!bin) return;
    char cmd[1024], path[64];
    snprintf(path, sizeof path, "/tmp/hnb_import_cli_%d.json", (int)getpid());
    snprintf(cmd, sizeof cmd, "\"%s\" import-sen2 --la Sutton --census 2025 --out %s --quiet", bin, path);
    CHECK(system(cmd) == 0);
    snprintf(cmd, sizeof cmd, "\"%s\" validate %s > %s.out 2>&1", bin, path, path);
    CHECK(system(cmd) == 0);
    char out[8192] = "", op[80];
    snprintf(op, sizeof op, "%s.out", path);
    FILE *f = fopen(op, "r");
    if (f) {
        out[fread(out, 1, sizeof out - 1, f)] = '\0';
        fclose(f);
    }
    CHECK_STR_CONTAINS(out, ": ok");
    CHECK_STR_CONTAINS(out, "note: figures marked \"replace\": true");
    CHECK(strstr(out, "error") == NULL);
    remove(op);
    remove(path);
    snprintf(cmd, sizeof cmd, "\"%s\" import-sen2 --la Nowhere --out %s 2>/dev/null", bin, path);
    int st = system(cmd);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
    CHECK(access(path, F_OK) != 0); /* nothing written */
}

int main(void)
{
    cli();
    sutton();
    unusual();
    fit_known();
    national();
    return check_done();
}
