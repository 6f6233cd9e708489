/* sensitivity.h: one-at-a-time sensitivity of the end-of-override position
 * (sensitivity.c), the data of the tornado chart. */
#ifndef HNB_SENSITIVITY_H
#define HNB_SENSITIVITY_H

#include <cjson/cJSON.h>

#include "engine/project.h"

/* Add "sweep" to the results for scenario s; nothing if it has no uncertain
 * assumption or its override ends outside the horizon. */
int sensitivity_add(cJSON *root, const scenario *s);
/* How many uncertain assumptions and risky actions s has. */
size_t sensitivity_sources(const scenario *s);

#endif
