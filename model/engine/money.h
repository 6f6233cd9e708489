/* money.h: the money of a projection run again from its recorded counts
 * (money.c, position.c), for analyses that change only actions acting on
 * money (attribution.c, expected.c).
 *
 * A count projection run with w->record set (project.h) keeps what the
 * money reads of the counts: the cost-weighted counts at every census and
 * the ISPs at each. For a plan whose count tables are those the record was
 * made with and whose money tables are compiled for other money actions
 * (plan_compile_money), position_rerun gives the totals and the DSG position
 * of every year by the same operations in the same order as money_year and
 * position_year: spend_total, fund_total, regime, alignment, in_year,
 * cumulative_gross, writeoff, cumulative and interest, byte for byte. It
 * does not write the spend and funding lines or the unit costs (they keep
 * what the count projection left), which is most of the cost it saves. */
#ifndef HNB_MONEY_H
#define HNB_MONEY_H

#include "engine/project.h"

/* What the money of each year reads of the counts in a record: the
 * cost-weighted count of each placement over financial year k, 5/12 of the
 * census before and 7/12 of the one after, into mix[ny][nplace]: the number
 * money_year multiplies by the unit cost. Once per count projection. */
void money_mix(const plan *pl, const double *record, double *mix);
/* The totals and the position of every year from `record` ((ny + 1) x nplace
 * + ny doubles, project.h) and its mix, with the plan's money tables, or
 * with `tables` if not NULL: a copy plan_money_save made of them for the
 * plan's action states (plan.h). Returns 0 or HNB_E_NUMERIC if a figure is
 * not finite. */
int position_rerun(const plan *pl, const double *tables, const double *record, const double *mix, projection *out);

#endif
