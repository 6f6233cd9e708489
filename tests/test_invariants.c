/* test_invariants.c: the invariants checked after every deterministic
 * projection (model/engine/invariants.h). A real projection of the example's
 * management plan (actions, a block transfer, spend and funding lines) must
 * pass every one; then each invariant is broken deliberately in a copy of one
 * figure and the checker must name that invariant and the year. hnb_run turns
 * a broken invariant into HNB_E_INTERNAL (the command line's exit code 3) and
 * writes no results. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/model.h"
#include "core/scenario.h"
#include "engine/invariants.h"
#include "engine/project.h"

static const scenario *find(hnb_model *h, const char *name)
{
    for (size_t i = 0; i < h->nscen; i++)
        if (strcmp(h->scen[i]->name, name) == 0) return h->scen[i];
    return NULL;
}

/* Break one figure, check the message, put it back. */
static void broken(const scenario *s, projection *p, double *x, double by, const char *name, const char *year)
{
    char what[300] = "";
    double keep = *x;
    *x += by;
    CHECK(invariants_check(s, s->val, p, what, sizeof what) == 1);
    CHECK_STR_CONTAINS(what, name);
    CHECK_STR_CONTAINS(what, year);
    *x = keep;
    CHECK(invariants_check(s, s->val, p, what, sizeof what) == 0);
}

int main(void)
{
    hnb_model *h = hnb_model_alloc();
    CHECK(h && hnb_load_file(h, "data/example.json") == HNB_OK);
    const scenario *s = h ? find(h, "plan") : NULL;
    CHECK(s != NULL);
    if (!s) return check_done();
    workspace w = {0};
    projection p = {0};
    ivstate *ivs = calloc(s->niv + 1, sizeof *ivs);
    CHECK(ivs && !workspace_alloc(s, &w) && !projection_alloc(s, &p));
    ivstate_default(s, ivs);
    CHECK(project_run(s, s->val, ivs, &w, &p) == HNB_OK);
    char what[300] = "";
    CHECK(invariants_check(s, s->val, &p, what, sizeof what) == 0);
    CHECK(p.ny >= 3 && p.nspend >= 2 && p.nfund >= 2);

    const int P = p.nplace;
    /* one more child at the second census than joiners and leavers explain */
    broken(s, &p, &p.ehcps[1 * P + 0], 1.0, "conservation of children", "2026-27");
    /* a leaver lost in the first step */
    broken(s, &p, &p.leavers[0], -0.5, "conservation of children", "2025-26");
    /* a negative count (the total kept, so only the sign is wrong) */
    {
        double keep0 = p.ehcps[2 * P + 0], keep1 = p.ehcps[2 * P + 1];
        p.ehcps[2 * P + 1] += keep0 + 5.0;
        p.ehcps[2 * P + 0] = -5.0;
        CHECK(invariants_check(s, s->val, &p, what, sizeof what) == 1);
        CHECK_STR_CONTAINS(what, "no negative counts: EHCPs of a placement in 2027-28");
        p.ehcps[2 * P + 0] = keep0;
        p.ehcps[2 * P + 1] = keep1;
    }
    broken(s, &p, &p.joiners[1], -1e9, "no negative counts: joiners", "2026-27");
    broken(s, &p, &p.bands[0 * NBANDS + 2], 3.0, "age bands sum to the EHCP total", "2025-26");
    /* a spend line changed without its total (£1,000 on a total of millions) */
    broken(s, &p, &p.spend[1 * (size_t)p.nspend + 1], 1000.0, "spend total = sum of its lines", "2026-27");
    broken(s, &p, &p.fund_total[2], -2500.0, "funding total = sum of its lines", "2027-28");
    /* the cumulative position drifting from the in-year positions and write-offs */
    broken(s, &p, &p.cumulative[p.ny - 1], 1e4, "cumulative = opening + sum of in-year + write-offs", "-");
    broken(s, &p, &p.in_year[0], 1e4, "cumulative", "2025-26");
    broken(s, &p, &p.writeoff[1], 1e4, "cumulative = opening + sum of in-year + write-offs", "2026-27");
    /* within the tolerance (1e-6 relative) is not broken */
    p.cumulative[0] += 1e-9 * (1.0 + p.cumulative[0]);
    CHECK(invariants_check(s, s->val, &p, what, sizeof what) == 0);
    /* the code a broken invariant is given in hnb_run: internal, exit code 3 */
    CHECK(HNB_E_INTERNAL == 103);
    CHECK_STR_CONTAINS(hnb_strerror(HNB_E_INTERNAL), "internal error");

    workspace_free(&w);
    projection_free(&p);
    free(ivs);
    hnb_model_free(h);
    return check_done();
}
