/* placegroups.c: the setting and need a placement spells out, for grouping
 * results and charts (docs/scenario-format.md, placements: `setting`,
 * `need`).
 *
 * A model of need x setting spelt out as placements (114 of them for 19
 * settings x 6 needs, or what `hnbsim estimate` writes) reads best by
 * setting and by need, not placement by placement. A placement may name
 * the `setting` and the `need` it stands for; the results then sum EHCPs by
 * each (results/needs.c) and the EHCP chart stacks by setting when there
 * are too many placements for a key. The labels are text the model never
 * computes with. Invariant: each is given for every placement or for none
 * (a total by setting that left placements out would not add up), checked
 * here with the path of the first placement without it. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "input/sections.h"

static void read_one(loader *ld, scenario *s, const jv *ps, const char *key, int which)
{
    int given = 0, missing = -1;
    for (int p = 0; p < s->nplace; p++) {
        jv v;
        const char *t = NULL;
        if (!jv_get(ps, s->place[p].id, &v) || !jv_str(ld, &v, key, 0, &t) || !t || !*t) {
            if (missing < 0) missing = p;
            continue;
        }
        given++;
        char **dst = which ? &s->place[p].need : &s->place[p].setting;
        free(*dst);
        *dst = ld_strdup(t);
    }
    if (given && missing >= 0) {
        jv v;
        jv_get(ps, s->place[missing].id, &v);
        ld_err(ld, HNB_E_MISSING, &v, key, "a placement's setting and need named on every placement or on none",
               "missing, though other placements name theirs");
    }
}

void ld_read_placement_groups(loader *ld, scenario *s, const jv *v)
{
    jv ps;
    if (!jv_get(v, "placements", &ps) || !cJSON_IsObject(jv_top(&ps))) return;
    read_one(ld, s, &ps, "setting", 0);
    read_one(ld, s, &ps, "need", 1);
}
