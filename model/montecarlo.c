/* montecarlo.c: placeholder until Monte Carlo lands (issue 7). */
#include "montecarlo.h"

#include "error.h"

int montecarlo_run(hnb_model *h, const scenario *s, uint64_t paths, uint64_t seed, int threads, int progress,
                   mc_summary **out)
{
    (void)s; (void)paths; (void)seed; (void)threads; (void)progress;
    *out = NULL;
    return err_set(h, HNB_E_USAGE, "--paths: Monte Carlo is not built yet (expected --paths 0)");
}
void montecarlo_free(mc_summary *m) { (void)m; }
void montecarlo_add_results(cJSON *sc, const scenario *s, const mc_summary *m) { (void)sc; (void)s; (void)m; }
