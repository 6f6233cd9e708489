/* invariants.h: what every deterministic projection must satisfy, checked
 * after it is computed and before its results may be written (api/run.c).
 * A broken invariant is a defect of the model, never of the input. */
#ifndef HNB_INVARIANTS_H
#define HNB_INVARIANTS_H

#include <stddef.h>

#include "engine/project.h"

#define INV_REL_TOL 1e-6 /* relative tolerance of every sum below */

/* 0 if p satisfies every invariant; otherwise 1, with the first broken one
 * named in what (its name, the year, the two sides):
 *   children:    total at census k-1 + joiners - leavers = total at census k
 *                (the starting stocks for k = 0);
 *   no negative: EHCPs by placement, joiners, leavers, ISPs, overflow >= 0;
 *   bands:       EHCPs by age band sum to the EHCP total;
 *   cumulative:  opening balance + every in-year so far + write-offs so far;
 *   spend:       the spend total is the sum of its lines;
 *   funding:     the funding total is the sum of its lines;
 *   finite:      every figure checked is a finite number. */
int invariants_check(const scenario *s, const double *val, const projection *p, char *what, size_t n);

#endif
