/* sweepfile.h: reading a sweep file (docs/sweeps.md) into a sweep_file
 * (core/sweepspec.h). Every problem is reported with file and JSON path;
 * names of assumptions are kept as written, for the job to resolve. */
#ifndef HNB_SWEEPFILE_H
#define HNB_SWEEPFILE_H

#include "core/sweepspec.h"
#include "hnbsim.h"

int sweepfile_read(hnb_model *h, const char *path, sweep_file *out);
void sweepfile_free(sweep_file *f);

#endif
