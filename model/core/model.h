/* model.h: the inside of the hnb_model handle, shared by the library's files.
 *
 * The handle owns everything: loaded scenario files, the scenarios resolved
 * from them, the results of the last run (a cJSON tree, which is also what
 * the charts and the workbook read), and the error detail. Nothing here is
 * exported. */
#ifndef HNB_MODEL_H
#define HNB_MODEL_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "hnbsim.h"

struct scenario;

struct hnb_errbuf {
    char *text;
    size_t len, cap;
    size_t count;
    int first;
};

struct hnb_model {
    struct hnb_errbuf err;
    struct scenario **scen; /* resolved scenarios, in file order */
    size_t nscen;
    char **inputs; /* names of the files loaded, for the results */
    size_t ninputs;
    cJSON *docs;         /* array of parsed scenario files (owned) */
    cJSON *results;      /* results of the last run, or NULL */
    unsigned load_flags; /* HNB_LOAD_ALLOW_OUTSIDE if a load used it (the back-test reloads alike) */
    char *only;          /* hnb_select_scenario: the one scenario hnb_run reports, or NULL for all */
};

#endif
