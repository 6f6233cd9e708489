/* council114.c: a generated council the size of a need-by-setting model, for
 * the benchmark only (bench_all.c): 19 needs x 6 settings = 114 placements,
 * 26 ages (0-25), 5 financial years from the January 2025 census.
 *
 * Its numbers are plausible, not anyone's: stocks from a fixed formula by
 * need, setting and age (about 4,600 plans); a cease rate by age; three move
 * matrices (school ages 5-15, the Year 6 to 7 transfer at 11, the post-16
 * transfer at 16), each row sparse: a child stays, or moves to at most five
 * other placements (the next two settings of the same need, the same setting
 * of the next need, post-16 and AP), so every row has at most 6
 * destinations; new plans by the new_plans driver. Four assumptions are
 * uncertain, as in the numpy peer: the new plans (normal), their growth
 * (PERT), the central spend line (normal) and the allocation's growth
 * (uniform). Written as a scenario file so the benchmark measures the same
 * load and run as a user's file. */
#include <stdio.h>

#include "council114.h"

#define NEEDS    19
#define SETTINGS 6
#define AGES     26

static const char *const setting[SETTINGS] = {"mainstream", "resourced", "special", "independent", "post16", "ap"};
static const double setting_cost[SETTINGS] = {9000, 21000, 27000, 62000, 14000, 25000};
/* the ages each setting holds */
static const int age_lo[SETTINGS] = {3, 4, 4, 5, 16, 5}, age_hi[SETTINGS] = {16, 16, 19, 19, 24, 16};

static void place_id(char *b, int n, int s) { snprintf(b, 32, "n%02d_%s", n + 1, setting[s]); }

/* a row of a move matrix: stay, or move to up to five others (shares sum to 1 exactly as printed) */
static void move_row(FILE *f, int n, int s, double rate, int post16, int first)
{
    char id[32], to[32];
    int dn[5], ds[5], k = 0;
    dn[k] = n, ds[k++] = (s + 1) % SETTINGS;
    dn[k] = n, ds[k++] = (s + 2) % SETTINGS;
    dn[k] = (n + 1) % NEEDS, ds[k++] = s;
    dn[k] = n, ds[k++] = 4; /* post16 */
    dn[k] = n, ds[k++] = 5; /* ap */
    double share[5], total = 0.0;
    for (int i = 0; i < k; i++) {
        int dup = (dn[i] == n && ds[i] == s);
        for (int j = 0; j < i; j++) dup |= dn[j] == dn[i] && ds[j] == ds[i];
        share[i] = dup ? 0.0 : rate * (i == 3 ? (post16 ? 6.0 : 0.1) : 1.0) / (5.0 + (post16 ? 5.0 : 0.0));
        total += share[i];
    }
    place_id(id, n, s);
    fprintf(f, "%s\"%s\": {\"%s\": %.17g", first ? "" : ",\n          ", id, id, 1.0 - total);
    for (int i = 0; i < k; i++) {
        if (share[i] == 0.0) continue;
        place_id(to, dn[i], ds[i]);
        fprintf(f, ", \"%s\": %.17g", to, share[i]);
    }
    fputs("}", f);
}

static void matrix(FILE *f, const char *name, int lo, int hi, double rate, int post16, int last)
{
    fprintf(f, "      {\"name\": \"%s\", \"ages\": [%d, %d], \"source\": \"generated\", \"matrix\": {\n          ",
            name, lo, hi);
    int first = 1;
    for (int n = 0; n < NEEDS; n++)
        for (int s = 0; s < SETTINGS; s++, first = 0) move_row(f, n, s, rate, post16, first);
    fprintf(f, "}}%s\n", last ? "" : ",");
}

int council114_write(FILE *f)
{
    char id[32];
    fputs(
        "{\n  \"format\": \"hnbsim-scenarios\",\n  \"title\": \"Generated council: 19 needs x 6 settings\",\n"
        "  \"authority\": \"Benchmark\",\n  \"source\": \"bench/council114.c (generated, not a council's figures)\",\n"
        "  \"scenarios\": {\n    \"council114\": {\n      \"label\": \"114 placements\",\n"
        "      \"horizon\": \"2029-30\",\n      \"override_end\": \"2028-03-31\",\n"
        "      \"opening_balance\": {\"value\": -5000000, \"source\": \"generated\"},\n"
        "      \"placements\": {\n",
        f);
    for (int n = 0; n < NEEDS; n++)
        for (int s = 0; s < SETTINGS; s++) {
            place_id(id, n, s);
            double cost = setting_cost[s] * (0.8 + 0.4 * n / (NEEDS - 1.0));
            fprintf(f,
                    "        \"%s\": {\"unit_cost\": {\"value\": %.0f, \"price_base\": \"2025-26\", \"source\": "
                    "\"generated\"},\n          \"inflation\": {\"value\": 0.03, \"source\": \"generated\"}}%s\n",
                    id, cost, n == NEEDS - 1 && s == SETTINGS - 1 ? "" : ",");
        }
    fputs("      },\n      \"stocks\": {\"census\": 2025, \"source\": \"generated\", \"by_age\": {\n", f);
    for (int n = 0; n < NEEDS; n++)
        for (int s = 0; s < SETTINGS; s++) {
            place_id(id, n, s);
            fprintf(f, "        \"%s\": [", id);
            for (int a = 0; a < AGES; a++) {
                int x = a >= age_lo[s] && a <= age_hi[s]
                            ? (int)((3 + (n * 7 + s * 3 + a * 5) % 5) * (s == 0 ? 1.0 : 0.6))
                            : 0;
                fprintf(f, "%s%d", a ? ", " : "", x);
            }
            fprintf(f, "]%s\n", n == NEEDS - 1 && s == SETTINGS - 1 ? "" : ",");
        }
    fputs("      }},\n      \"leavers\": {\"source\": \"generated\", \"cease_rates\": [", f);
    for (int a = 0; a < AGES; a++)
        fprintf(f, "%s%.2f", a ? ", " : "", a < 16 ? 0.04 : a == 16 ? 0.2 : a == 19 ? 0.3 : a < 25 ? 0.15 : 1.0);
    fputs("]},\n      \"moves\": [\n", f);
    matrix(f, "school ages", 5, 15, 0.03, 0, 0);
    matrix(f, "Year 6 to 7", 11, 11, 0.12, 0, 0);
    matrix(f, "Year 11 to 12", 16, 16, 0.25, 1, 1);
    fputs("      ],\n      \"joiners\": {\"driver\": \"new_plans\", \"source\": \"generated\", \"count\": {\"value\": "
          "700, \"dist\": {\"type\": \"normal\", \"sd\": 50}},\n"
          "        \"growth\": {\"value\": 0.05, \"dist\": {\"type\": \"pert\", \"min\": 0.0, \"mode\": 0.05, \"max\": "
          "0.12}},\n        \"age_distribution\": [",
          f);
    for (int a = 0; a < AGES; a++) fprintf(f, "%s%s", a ? ", " : "", a >= 3 && a <= 12 ? "0.1" : "0");
    fputs("],\n        \"first_placement\": {", f);
    for (int n = 0; n < NEEDS; n++)
        for (int s = 0; s < SETTINGS; s++) {
            place_id(id, n, s);
            /* mainstream 0.6, resourced 0.15, special 0.15, independent 0.04, post16 0, ap 0.06, even over needs */
            static const double share[SETTINGS] = {0.6, 0.15, 0.15, 0.04, 0.0, 0.06};
            fprintf(f, "%s\"%s\": %.17g", n || s ? ", " : "", id, share[s] / NEEDS);
        }
    fputs("}},\n      \"spend\": {\"central\": {\"amount\": {\"value\": 3000000, \"dist\": {\"type\": \"normal\", "
          "\"sd\": 300000}}, \"fy\": \"2025-26\", \"growth\": 0.02, \"source\": "
          "\"generated\"}},\n      \"funding\": {\"hnb_allocation\": {\"amount\": 120000000, \"fy\": \"2025-26\", "
          "\"growth\": {\"value\": 0.03, \"dist\": {\"type\": \"uniform\", \"min\": 0.0, \"max\": 0.06}}, \"source\": "
          "\"generated\"}},\n      \"montecarlo\": {\"count_noise\": true, \"source\": \"generated\"}\n    }\n  }\n}\n",
          f);
    return ferror(f) ? -1 : 0;
}
