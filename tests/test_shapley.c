/* test_shapley.c: savings by action (analysis/attribution.c) against the
 * Shapley value computed here by brute force, independently of the library's
 * bookkeeping.
 *
 * tests/data/shapley.json: the attribution test's base (ages 0-1, three
 * placements, special capped) and two plans that extend it: plan7 with seven
 * interacting actions (capacity, moves, joiners, fees, first placements, a
 * block transfer) and plan16 with sixteen (nine more, one of which, three
 * more special places from September 2026, does nothing on this base: a null
 * player, whose value must be 0).
 *
 * What must hold:
 *  - plan7: each action's saving in each year equals its marginal saving
 *    averaged over all 7! = 5,040 orders (within 1e-9 relative);
 *  - plan16: it equals sum over S of |S|!(K-|S|-1)!/K! [v(S+i) - v(S)] over
 *    all 2^16 subsets, weights from factorials in long double (1e-9 relative);
 *  - the split is the same bytes on 1 and 3 threads;
 *  - sampled (forced on plan16 by allowing exact only up to 4 actions): the
 *    sum is still the total, and each action's estimate at the horizon lies
 *    within 5 standard errors (as reported) of the exact value. */
#include <stdlib.h>
#include <string.h>

#include "analysis/attribution.h"
#include "check.h"
#include "core/model.h"

static const scenario *find(hnb_model *h, const char *name)
{
    for (size_t i = 0; i < h->nscen; i++)
        if (strcmp(h->scen[i]->name, name) == 0) return h->scen[i];
    return NULL;
}

/* v[mask][ny]: the in-year position with the own actions in mask on. */
static double *all_subsets(const scenario *s, size_t K, int ny)
{
    size_t nsub = (size_t)1 << K;
    double *v = malloc(sizeof(double) * nsub * (size_t)ny);
    ivstate *ivs = calloc(s->niv + 1, sizeof *ivs);
    workspace w;
    projection p;
    if (!v || !ivs || workspace_alloc(s, &w) || projection_alloc(s, &p)) abort();
    for (size_t m = 0; m < nsub; m++) {
        ivstate_default(s, ivs);
        for (size_t i = 0; i < K; i++) ivs[s->nparent_iv + i].on = (unsigned char)((m >> i) & 1u);
        CHECK(project_run(s, s->val, ivs, &w, &p) == HNB_OK);
        memcpy(v + m * (size_t)ny, p.in_year, sizeof(double) * (size_t)ny);
    }
    workspace_free(&w);
    projection_free(&p);
    free(ivs);
    return v;
}

static long double fact(size_t n)
{
    long double f = 1.0L;
    for (size_t i = 2; i <= n; i++) f *= (long double)i;
    return f;
}

static void check_close(double got, long double want, const char *what, size_t i, int t)
{
    long double tol = 1e-9L * (fabsl(want) > 1.0L ? fabsl(want) : 1.0L);
    if (fabsl((long double)got - want) <= tol) {
        check_passed++;
    } else {
        check_failed++;
        fprintf(stderr, "%s: action %zu year %d: %.12g, brute force %.12Lg\n", what, i, t, got, want);
    }
}

/* The split byte for byte: attribution_run shares count projections among
 * the subsets of the money actions and keeps their money tables
 * (attribution.c); its values must be the bytes that projecting every
 * subset whole and taking the same sums in the same order give (the
 * Shapley weights, the subsets in ascending order, then the last fraction
 * of a penny on the largest action). plan16 has 6 money actions among 16. */
static void test_split_bytes(const scenario *s, size_t K, int ny, const savings *sv)
{
    size_t nsub = (size_t)1 << K;
    double *v = malloc(sizeof(double) * nsub * (size_t)ny), *phi = calloc(K * (size_t)ny, sizeof(double));
    ivstate *ivs = calloc(s->niv + 1, sizeof *ivs);
    workspace w;
    projection p;
    if (!v || !phi || !ivs || workspace_alloc(s, &w) || projection_alloc(s, &p)) abort();
    for (size_t m = 0; m < nsub; m++) {
        ivstate_default(s, ivs);
        for (size_t i = 0; i < K; i++) ivs[s->nparent_iv + i].on = (unsigned char)((m >> i) & 1u);
        CHECK(project_run(s, s->val, ivs, &w, &p) == HNB_OK);
        for (int t = 0; t < ny; t++) v[m * (size_t)ny + (size_t)t] = p.in_year[t] + p.writeoff[t];
    }
    double wt[32], c = 1.0;
    for (size_t k = 0; k < K; k++) {
        wt[k] = 1.0 / ((double)K * c);
        c = c * (double)(K - 1 - k) / (double)(k + 1);
    }
    for (size_t i = 0; i < K; i++)
        for (size_t m = 0; m < nsub; m++) {
            if (m & ((size_t)1 << i)) continue;
            double x = wt[__builtin_popcountll((unsigned long long)m)];
            for (int t = 0; t < ny; t++)
                phi[i * (size_t)ny + (size_t)t] +=
                    x * (v[(m | ((size_t)1 << i)) * (size_t)ny + (size_t)t] - v[m * (size_t)ny + (size_t)t]);
        }
    for (int t = 0; t < ny; t++) {
        double sum = 0.0;
        size_t big = 0;
        for (size_t i = 0; i < K; i++) {
            sum += phi[i * (size_t)ny + (size_t)t];
            if (fabs(phi[i * (size_t)ny + (size_t)t]) > fabs(phi[big * (size_t)ny + (size_t)t])) big = i;
        }
        phi[big * (size_t)ny + (size_t)t] += (v[(nsub - 1) * (size_t)ny + (size_t)t] - v[(size_t)t]) - sum;
    }
    CHECK(memcmp(phi, sv->by_action, sizeof(double) * K * (size_t)ny) == 0);
    workspace_free(&w);
    projection_free(&p);
    free(ivs);
    free(v);
    free(phi);
}

/* Every subset, by the formula. */
static void test_subsets(hnb_model *h)
{
    const scenario *s = find(h, "plan16");
    CHECK(s != NULL);
    if (!s) return;
    size_t K = s->niv - s->nparent_iv;
    int ny = s->last_fy - s->first_fy + 1;
    CHECK(K == 16);
    double *v = all_subsets(s, K, ny);
    savings sv;
    CHECK(attribution_run(s, NULL, 2, &sv) == HNB_OK);
    CHECK(sv.exact == 1);
    for (size_t i = 0; i < K; i++)
        for (int t = 0; t < ny; t++) {
            long double phi = 0.0L;
            for (size_t m = 0; m < ((size_t)1 << K); m++) {
                if (m & ((size_t)1 << i)) continue;
                size_t k = (size_t)__builtin_popcountll((unsigned long long)m);
                long double wt = fact(k) * fact(K - k - 1) / fact(K);
                phi += wt * ((long double)v[(m | ((size_t)1 << i)) * (size_t)ny + (size_t)t] -
                             (long double)v[m * (size_t)ny + (size_t)t]);
            }
            check_close(sv.by_action[i * (size_t)ny + (size_t)t], phi, "plan16 subsets", i, t);
        }
    /* the null player: three more special places from September 2026 */
    for (int t = 0; t < ny; t++) CHECK_NEAR(sv.by_action[7 * (size_t)ny + (size_t)t], 0.0, 1e-6);

    test_split_bytes(s, K, ny, &sv);

    /* the same bytes on 1 and 3 threads */
    savings one;
    CHECK(attribution_run(s, NULL, 1, &one) == HNB_OK);
    CHECK(memcmp(one.by_action, sv.by_action, sizeof(double) * K * (size_t)ny) == 0);
    savings_free(&one);

    /* sampled: within 5 reported standard errors of the exact value */
    savings sm;
    CHECK(attribution_run_ex(s, NULL, 2, 4, &sm) == HNB_OK);
    CHECK(sm.exact == 0 && sm.samples >= 20 && sm.se_to_horizon);
    int sampled_spread = 0;
    for (size_t i = 0; sm.se_to_horizon && i < K; i++) {
        double exact = 0.0, est = 0.0;
        for (int t = 0; t < ny; t++) {
            exact += sv.by_action[i * (size_t)ny + (size_t)t];
            est += sm.by_action[i * (size_t)ny + (size_t)t];
        }
        double se = sm.se_to_horizon[i];
        if (se > 0.0) sampled_spread = 1;
        if (fabs(est - exact) <= 5.0 * se + 1e-6) {
            check_passed++;
        } else {
            check_failed++;
            fprintf(stderr, "sampled action %zu: %.2f, exact %.2f, se %.2f\n", i, est, exact, se);
        }
    }
    CHECK(sampled_spread); /* interacting actions: the orders disagree */
    for (int t = 0; t < ny; t++) {
        double sum = 0.0, exact = 0.0;
        for (size_t i = 0; i < K; i++) {
            sum += sm.by_action[i * (size_t)ny + (size_t)t];
            exact += sv.by_action[i * (size_t)ny + (size_t)t];
        }
        CHECK_NEAR(sum, exact, 1e-6 * (fabs(exact) + 1.0));
    }
    CHECK(sm.rounding < 1e-3 && sv.rounding < 1e-3);
    savings_free(&sm);
    savings_free(&sv);
    free(v);
}

/* Every order, by averaging marginal savings. */
static void test_orders(hnb_model *h)
{
    const scenario *s = find(h, "plan7");
    CHECK(s != NULL);
    if (!s) return;
    size_t K = s->niv - s->nparent_iv;
    int ny = s->last_fy - s->first_fy + 1;
    CHECK(K == 7);
    double *v = all_subsets(s, K, ny);
    long double acc[7][16] = {{0}};
    size_t perm[7] = {0, 1, 2, 3, 4, 5, 6}, norders = 0;
    for (;;) {
        size_t m = 0;
        for (size_t k = 0; k < K; k++) {
            size_t with = m | ((size_t)1 << perm[k]);
            for (int t = 0; t < ny; t++)
                acc[perm[k]][t] +=
                    (long double)v[with * (size_t)ny + (size_t)t] - (long double)v[m * (size_t)ny + (size_t)t];
            m = with;
        }
        norders++;
        /* next permutation in lexicographic order */
        int i = (int)K - 2;
        while (i >= 0 && perm[i] > perm[i + 1]) i--;
        if (i < 0) break;
        int j = (int)K - 1;
        while (perm[j] < perm[i]) j--;
        size_t x = perm[i];
        perm[i] = perm[j];
        perm[j] = x;
        for (int a = i + 1, b = (int)K - 1; a < b; a++, b--) {
            x = perm[a];
            perm[a] = perm[b];
            perm[b] = x;
        }
    }
    CHECK(norders == 5040);
    savings sv;
    CHECK(attribution_run(s, NULL, 3, &sv) == HNB_OK);
    for (size_t i = 0; i < K; i++)
        for (int t = 0; t < ny; t++)
            check_close(sv.by_action[i * (size_t)ny + (size_t)t], acc[i][t] / (long double)norders, "plan7 orders", i,
                        t);
    savings_free(&sv);
    free(v);
}

int main(void)
{
    hnb_model *h = hnb_model_alloc();
    int rc = hnb_load_file(h, "data/shapley.json");
    if (rc) fprintf(stderr, "%s\n", hnb_errmsg(h));
    CHECK(rc == HNB_OK);
    if (!rc) {
        test_orders(h);
        test_subsets(h);
    }
    hnb_model_free(h);
    return check_done();
}
