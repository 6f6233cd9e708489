/* import.h: a complete scenario file for one authority from its SEN2
 * figures (build.c). The importer writes JSON text; it never runs the model. */
#ifndef HNB_IMPORT_H
#define HNB_IMPORT_H

#include <cjson/cJSON.h>

#include "import/estimate.h"
#include "import/sen2db.h"

/* The scenario file (a cJSON tree the caller frees) for authority a started
 * from its January `census` (0: the latest it reports). */
int import_scenario(hnb_model *h, const sen2db *db, const s2_la *a, int census, cJSON **out);
/* The latest census the table has for a, or 0. */
int import_latest_census(const s2_la *a);

#endif
