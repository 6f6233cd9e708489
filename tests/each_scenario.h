/* each_scenario.h: every scenario the engine tests run over, header-only.
 *
 * each_scenario(fn, ctx) calls fn(s, ctx) for every scenario of the
 * embedded Sutton file and of every test case in tests/data/ (the files
 * the golden results cover; results-fixture.json is a results file, not a
 * scenario file), and returns how many files of tests/data/ it read. A
 * file that does not load is the golden test's business, so it is passed
 * over here. Tests run from tests/ (ctest's working directory). */
#ifndef HNB_EACH_SCENARIO_H
#define HNB_EACH_SCENARIO_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "core/model.h"
#include "core/scenario.h"

static void each_scenario_in(const char *path, void (*fn)(const scenario *, void *), void *ctx)
{
    hnb_model *h = hnb_model_alloc();
    int rc = h ? (path ? hnb_load_file(h, path) : hnb_load_embedded(h)) : HNB_E_NOMEM;
    CHECK(h != NULL);
    if (rc == HNB_OK)
        for (size_t i = 0; i < h->nscen; i++) fn(h->scen[i], ctx);
    hnb_model_free(h);
}

static int each_scenario(void (*fn)(const scenario *, void *), void *ctx)
{
    each_scenario_in(NULL, fn, ctx); /* the embedded Sutton scenarios */
    DIR *d = opendir("data");
    CHECK(d != NULL);
    struct dirent *e;
    int files = 0;
    while (d && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0 || strcmp(e->d_name, "results-fixture.json") == 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "data/%s", e->d_name);
        each_scenario_in(path, fn, ctx);
        files++;
    }
    if (d) closedir(d);
    return files;
}

#endif
