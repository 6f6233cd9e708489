/* test_figures.c: the public figure accessors (hnb_result_number, _string,
 * _count, _key; model/api/figures.c) on the hand-computed case of
 * tests/test_model.c, whose figures are derived by hand there: each path
 * form (key, index, name, fy), the NaN of a null figure, and the exact
 * message of each error. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "hnbsim.h"

int main(void)
{
    hnb_model *h = hnb_model_alloc();
    double v = 0;
    const char *s = NULL;
    size_t n = 0;

    /* before any run */
    CHECK(hnb_result_number(h, "scenarios.0.years.0.cumulative", &v) == HNB_E_NOTRUN);
    CHECK(isnan(v));
    CHECK_STR_CONTAINS(hnb_errmsg(h), "results: scenarios.0.years.0.cumulative: no results (expected hnb_run");

    CHECK(hnb_load_file(h, "data/hand.json") == HNB_OK);
    CHECK(hnb_run(h, NULL) == HNB_OK);

    /* the hand-computed figures (tests/test_model.c), by every path form */
    CHECK(hnb_result_number(h, "scenarios.base.years.2025-26.cumulative", &v) == HNB_OK);
    CHECK_NEAR(v, -159666.0 - 2.0 / 3.0, 1e-6);
    CHECK(hnb_result_number(h, "scenarios.0.years.1.in_year", &v) == HNB_OK);
    CHECK_NEAR(v, 171980.0, 1e-6);
    CHECK(hnb_result_number(h, "scenarios.base.years.2025-26.ehcps.by_placement.nmi", &v) == HNB_OK);
    CHECK_NEAR(v, 8.4, 1e-9);
    CHECK(hnb_result_number(h, "scenarios.base.headline.cumulative_at_override_end", &v) == HNB_OK);
    CHECK_NEAR(v, 12313.0 + 1.0 / 3.0, 1e-6);
    CHECK(hnb_result_number(h, "scenarios.base.placements.nmi", &v) == HNB_E_TYPE); /* an object by its id */
    CHECK_STR_CONTAINS(hnb_errmsg(h), "results: scenarios.base.placements.nmi: not a number");

    CHECK(hnb_result_string(h, "scenarios.0.years.2.fy", &s) == HNB_OK);
    CHECK(s && strcmp(s, "2027-28") == 0);
    CHECK(hnb_result_string(h, "scenarios.base.placements.nmi.label", &s) == HNB_OK);
    CHECK(s && strcmp(s, "NMI") == 0);
    /* a null: no parent */
    CHECK(hnb_result_string(h, "scenarios.base.extends", &s) == HNB_OK);
    CHECK(s == NULL);
    CHECK(hnb_result_string(h, "scenarios.base.years.0.cumulative", &s) == HNB_E_TYPE);

    CHECK(hnb_result_count(h, "scenarios", &n) == HNB_OK);
    CHECK(n == 1);
    CHECK(hnb_result_count(h, "scenarios.base.years", &n) == HNB_OK);
    CHECK(n == 3);
    CHECK(hnb_result_count(h, "scenarios.base.years.0.ehcps.by_placement", &n) == HNB_OK);
    CHECK(n == 2);
    CHECK(hnb_result_count(h, "format", &n) == HNB_E_TYPE);
    CHECK(hnb_result_key(h, "scenarios.base.years.0.ehcps.by_placement", 0) != NULL);
    CHECK(strcmp(hnb_result_key(h, "scenarios.base.years.0.ehcps.by_placement", 0), "special") == 0);
    CHECK(strcmp(hnb_result_key(h, "scenarios.base.years.0.ehcps.by_placement", 1), "nmi") == 0);
    CHECK(hnb_result_key(h, "scenarios.base.years.0.ehcps.by_placement", 2) == NULL);
    CHECK(hnb_result_key(h, "scenarios", 0) == NULL); /* an array has no keys */

    /* errors, with the step that named nothing */
    CHECK(hnb_result_number(h, "scenarios.base.years.2040-41.cumulative", &v) == HNB_E_REF);
    CHECK(isnan(v));
    CHECK_STR_CONTAINS(hnb_errmsg(h), "results: scenarios.base.years.2040-41: no such element (expected an index "
                                      "or the name, fy, id or scenario of an element)");
    CHECK(hnb_result_number(h, "scenarios.base.headline.nope", &v) == HNB_E_REF);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "results: scenarios.base.headline.nope: no such key");
    CHECK(hnb_result_number(h, "scenarios.3.years", &v) == HNB_E_REF);
    CHECK(hnb_result_number(h, "format.x", &v) == HNB_E_REF);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "results: format.x: no such step (expected nothing after a number or a string)");
    CHECK(hnb_result_number(h, "scenarios..years", &v) == HNB_E_USAGE);
    CHECK(hnb_result_number(h, "scenarios.", &v) == HNB_E_USAGE);
    CHECK_STR_CONTAINS(hnb_errmsg(h), "results: scenarios.: path ends with '.'");
    CHECK(hnb_result_number(h, NULL, &v) == HNB_E_USAGE);
    CHECK(hnb_result_number(h, "scenarios.-1.name", &v) == HNB_E_REF);

    /* the same paths on the same results read back from a file */
    char tmp[] = "/tmp/hnb-figures-XXXXXX";
    int fd = mkstemp(tmp);
    CHECK(fd >= 0);
    if (fd >= 0) close(fd);
    double direct = 0, loaded = 0;
    CHECK(hnb_result_number(h, "scenarios.base.years.2027-28.interest", &direct) == HNB_OK);
    CHECK(hnb_write_results(h, tmp) == HNB_OK);
    hnb_model *r = hnb_model_alloc();
    CHECK(hnb_load_results(r, tmp) == HNB_OK);
    CHECK(hnb_result_number(r, "scenarios.base.years.2027-28.interest", &loaded) == HNB_OK);
    CHECK(loaded == direct); /* results.json prints numbers that read back exactly */
    hnb_model_free(r);
    remove(tmp);

    hnb_model_free(h);
    return check_done();
}
