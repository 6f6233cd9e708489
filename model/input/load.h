/* load.h: reading scenario files into the handle's scenarios (load.c). */
#ifndef HNB_LOAD_H
#define HNB_LOAD_H

#include "core/scenario.h"

/* Parse every scenario in a file (text) and add them to h. `name` is used in
 * messages; `dir` resolves extends to other files ("" for embedded). */
int scenario_load_text(hnb_model *h, const char *name, const char *text, size_t len, int embedded, unsigned flags);
#endif
