/* subsets.h: the count projections of every subset of some actions, each
 * run from the census where it first differs from a projection already
 * run (subsets.c), for savings attribution and the risk-weighted line.
 *
 * An action changes nothing before the first step it acts in (its effect
 * step, subsets_effect_step), so the projection of a subset C equals, up to
 * census e, that of C less its action of latest effect step e: the walk
 * visits the subsets as a tree in which each is run from that census, from
 * the state its parent recorded (project_run_plan_from, project.h). */
#ifndef HNB_SUBSETS_H
#define HNB_SUBSETS_H

#include <stddef.h>
#include <stdint.h>

#include "engine/project.h"

/* The first step (index k: census census0 + k to census0 + k + 1) in which
 * action `iv`, in state `st`, can change a count, by its type and start; 0
 * for any type not known to be neutral (x 1, + 0) in every table and step
 * before its start, so 0 is always safe. At most ny - 1. */
int subsets_effect_step(const scenario *s, const intervention *iv, const ivstate *st);

/* Called for each subset `bits` (bit i: action i of the walk's list): run
 * its count projection from step k0 (0: whole) with the state `from` (NULL
 * when k0 is 0) and record the state at every census into `states`
 * (project_run_plan_from), then use it. Nonzero stops the walk (returned). */
typedef int subsets_visit(void *ctx, uint64_t bits, int k0, const double *from, double *states);

/* Visit every subset of `n` actions (n <= 63) whose effect steps are
 * estep[n], each once, a parent before its children, the children of each
 * in falling order of their effect step, so that a projection whose earlier
 * years are left as they were holds its parent's there (project.h). The
 * tree's roots (subsets of the actions of effect step 0, or more when there
 * are fewer than 2 x `step` of them, each run whole) are shared out: this
 * call visits roots first, first + step, ...; each subtree is visited by the
 * one call that has its root, so what a subset's value is never depends on
 * `step`. `state_size` doubles a census, ny censuses a level. Returns 0, a
 * visit's nonzero return, or HNB_E_NOMEM. */
int subsets_walk(int n, const int *estep, int ny, size_t state_size, size_t first, size_t step, subsets_visit *fn,
                 void *ctx);

#endif
