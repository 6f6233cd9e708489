/* keys.h: every key the scenario loader accepts, by kind of object.
 *
 * One table (keys.c) holds the keys of every object of the scenario format:
 * the file, a scenario, an assumption, a placement and its parts, each
 * section, each joiners driver, each action type ... The loader's unknown-key
 * checks read their lists from it and from nowhere else, so the table is what
 * the loader accepts; the test test_keys compares it with
 * docs/scenario-format.md, both ways. Each list is NULL-terminated and in the
 * order the messages print ("expected one of label s251 ..."). */
#ifndef HNB_KEYS_H
#define HNB_KEYS_H

#include "core/scenario.h"

enum ld_keyset {
    KEYS_FILE,             /* the top of a file */
    KEYS_SCENARIO,         /* a scenario (and a backtest block) */
    KEYS_BACKTEST_REFUSED, /* keys of a scenario a backtest block may not have */
    KEYS_ASSUMPTION,       /* the object form of an assumption */
    KEYS_PRICED,           /* ... of a unit cost, which may name its price base */
    KEYS_SERIES,           /* a yearly figure with by_year */
    KEYS_DIST,             /* an assumption's dist */
    KEYS_PLACEMENT,
    KEYS_COST_BAND, /* an element of a placement's cost_by_age */
    KEYS_CAPACITY,  /* a step of a placement's capacity */
    KEYS_BACKFILL,  /* a placement's backfill */
    KEYS_NEED,      /* a need group */
    KEYS_STOCKS,
    KEYS_LEAVERS,
    KEYS_MOVES,                              /* one move matrix */
    KEYS_JOINERS,                            /* every key of joiners, each driver's included */
    KEYS_FIRST_BAND,                         /* an age band of first_placement */
    KEYS_DRIVER,                             /* the keys of each driver, in joiner_driver order */
    KEYS_LINE = KEYS_DRIVER + JOIN_NDRIVERS, /* a spend or funding line */
    KEYS_ACTION,                             /* every key of any action (the unknown-key check) */
    KEYS_ACTION_COMMON,                      /* the keys every action takes */
    KEYS_ACTION_TYPE,                        /* each type's own keys, in iv_type order */
    KEYS_ACTUALS = KEYS_ACTION_TYPE + IV_NTYPES,
    KEYS_ACTUAL_CENSUS,  /* an element of actuals.census */
    KEYS_ACTUAL_FINANCE, /* an element of actuals.finance */
    KEYS_MONTECARLO,
    KEYS_CALIBRATION,
    KEYS_HOLDOUT,        /* calibration.holdout */
    KEYS_AFTER_OVERRIDE, /* the funding regime after the override */
    KEYS_ANCHOR,         /* the council's own forecast of one year */
    KEYS_LEAVERS_NEED,   /* one need group of leavers.by_need */
    KEYS_POPULATION,     /* joiners.population_by_age: a file or a table */
    KEYS_NEED_BAND,      /* an age band of joiners.need_shares */
    KEYS_JOIN_NEED,      /* one need group of joiners.by_need */
    /* rate uncertainty (input/ratecounts.c) */
    KEYS_RATE_COUNTS, /* a scenario's rate_counts */
    KEYS_RATE_BAND,   /* a band of rate_counts.placements */
    KEYS_RATE_FIRST,  /* a band of rate_counts.first_placement */
    KEYS_N
};

/* The keys of one kind of object, NULL-terminated. */
const char *const *ld_keys(enum ld_keyset k);
/* The kind's name, "placement.capacity", "action.add_capacity" ...: for tests
 * that list the table (every k from 0 to KEYS_N - 1). */
const char *ld_keyset_name(enum ld_keyset k);
/* 1 if key is in the NULL-terminated list. */
int ld_key_in(const char *const *keys, const char *key);

#endif
