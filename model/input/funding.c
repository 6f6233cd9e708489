/* funding.c: the spend and funding lines (`spend`, `funding`).
 *
 * Both are objects of lines keyed by id, merged over the layers (a child may
 * change one line and keep the others); a line has an amount in a base year,
 * a yearly growth (also spelled "inflation": the most specific layer that
 * states either decides) and amounts by year that replace the grown amount.
 * Actions pay into funding lines of their own, added here with no money. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/error.h"
#include "input/keys.h"
#include "input/sections.h"

static void read_line(loader *ld, scenario *s, const jv *v, const char *id, line *l, int funding)
{
    memset(l, 0, sizeof *l);
    l->id = ld_strdup(id);
    jv_check_keys(ld, v, ld_keys(KEYS_LINE));
    const char *label = id, *code = "";
    jv_str(ld, v, "label", 0, &label);
    jv_str(ld, v, "s251", 0, &code);
    l->label = ld_strdup(label);
    l->s251 = ld_strdup(code);
    /* the DSG block a funding line belongs to: only how it is reported (the
     * workbook's Financial summary shows the other blocks as their own lines) */
    const char *block = "";
    jv_str(ld, v, "block", 0, &block);
    static const char *const blocks[] = {"high_needs", "schools", "central_school_services", "early_years"};
    int ok = !*block;
    for (int k = 0; k < 4 && !ok; k++) ok = !strcmp(block, blocks[k]);
    if (!funding && *block) {
        ld_err(ld, HNB_E_KEY, v, "block", "block only on a funding line", "a spend line has a block");
    } else if (!ok) {
        ld_err(ld, HNB_E_RANGE, v, "block", "high_needs, schools, central_school_services or early_years",
               "is \"%.40s\"", block);
    }
    l->block = ld_strdup(ok && strcmp(block, "high_needs") ? block : "");
    parspec money = {
        "£ per year", funding ? -1e12 : 0.0, 1e12, 0.0, 1, 1, 0, funding ? PLAUS_ALLOCATION : PLAUS_SPEND_LINE};
    l->amount = par_read(ld, s, v, "amount", &money);
    l->base_fy = s->first_fy;
    jv_fy(ld, v, "fy", 0, &l->base_fy);
    /* "growth" and "inflation" are one setting under two names: the most
     * specific layer that states either decides which is read */
    const char *rate_key = "growth";
    for (int i = 0; i < v->n; i++) {
        int g = cJSON_GetObjectItemCaseSensitive(v->node[i], "growth") != NULL;
        int f = cJSON_GetObjectItemCaseSensitive(v->node[i], "inflation") != NULL;
        if (g && f) {
            jv one;
            jv_root(&one, v->node[i], v->file[i], v->path[i]);
            ld_err(ld, HNB_E_KEY, &one, "inflation", "either growth or inflation, not both",
                   "both growth and inflation given");
        }
        if (g || f) {
            rate_key = f && !g ? "inflation" : "growth";
            break;
        }
    }
    ld_read_series(ld, s, v, rate_key, &LD_RATE, &l->growth);
    jv by;
    if (jv_get(v, "by_year", &by) &&
        jv_want(ld, &by, cJSON_Object, "an object of financial years, {\"2026-27\": 1000000}")) {
        ld_read_by_year(ld, s, &by, &money, &l->by_fy, &l->by_par, &l->nby);
    }
}

void ld_read_lines(loader *ld, scenario *s, const jv *v, const char *key, line **out, size_t *nout, int funding)
{
    jv ls;
    if (!jv_get(v, key, &ls)) return;
    if (!jv_want(ld, &ls, cJSON_Object, "an object of lines keyed by id")) return;
    int cap = 0;
    for (int i = 0; i < ls.n; i++) cap += cJSON_GetArraySize(ls.node[i]);
    *out = calloc((size_t)cap + 3, sizeof **out); /* room for lines that actions add */
    if (!*out) return;
    for (int i = ls.n - 1; i >= 0; i--)
        for (const cJSON *e = ls.node[i]->child; e; e = e->next) {
            int seen = 0;
            for (size_t k = 0; k < *nout; k++) seen |= strcmp((*out)[k].id, e->string) == 0;
            if (seen) continue;
            jv one;
            jv_get(&ls, e->string, &one);
            if (!jv_want(ld, &one, cJSON_Object, "{\"label\": ..., \"amount\": ..., \"growth\": ...}")) continue;
            read_line(ld, s, &one, e->string, &(*out)[(*nout)++], funding);
            if (ld_nomem(ld)) return; /* a line without its id: the load fails */
        }
}

int ld_find_line(const line *l, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(l[i].id, id) == 0) return (int)i;
    return -1;
}

/* A funding line an action pays into, added with no money of its own. */
int ld_funding_line_for(scenario *s, const char *id, const char *label)
{
    int k = ld_find_line(s->fund, s->nfund, id);
    if (k >= 0) return k;
    line *t = realloc(s->fund, (s->nfund + 1) * sizeof *t);
    if (!t) return -1;
    s->fund = t;
    line *l = &s->fund[s->nfund];
    memset(l, 0, sizeof *l);
    l->id = ld_strdup(id);
    l->label = ld_strdup(label);
    l->s251 = ld_strdup("");
    if (!l->id || !l->label || !l->s251) { /* out of memory: the load fails (ld_nomem) */
        free(l->id);
        free(l->label);
        free(l->s251);
        return -1;
    }
    double zero = 0.0;
    char path[128];
    snprintf(path, sizeof path, "funding.%s.amount", id);
    l->amount = par_const(s, path, "£ per year", 1, &zero);
    snprintf(path, sizeof path, "funding.%s.growth", id);
    l->growth.def = par_const(s, path, "rate per year", 1, &zero);
    l->base_fy = s->first_fy;
    return (int)s->nfund++;
}

/* after_override: how high needs deficits are met once the statutory override
 * ends; anchor: the council's own forecast of one year. */
void ld_read_regime(loader *ld, scenario *s, const jv *v)
{
    static const char *const names[] = {"council_accrues", "central_funds_in_full", "funding_follows_spend"};
    static const parspec phi = {"share of the growth in spend funded (0-1)", 0.0, 1.0, 0.0, 1, 1, 0, PLAUS_NONE};
    static const parspec money = {"£ in the year (negative = a deficit)", -1e12, 1e12, 0.0, 1, 1, 0, PLAUS_BALANCE};
    s->regime = REGIME_ACCRUE;
    s->regime_share = NOPAR;
    s->anchor_fy = -1;
    s->anchor_in_year = NOPAR;
    jv r;
    if (jv_get(v, "after_override", &r) &&
        jv_want(ld, &r, cJSON_Object, "{\"regime\": \"council_accrues\", \"source\": \"...\"}")) {
        jv_check_keys(ld, &r, ld_keys(KEYS_AFTER_OVERRIDE));
        const char *name = "council_accrues", *src = "";
        jv_str(ld, &r, "regime", 1, &name);
        jv_str(ld, &r, "source", 0, &src);
        s->regime_source = ld_strdup(src);
        int k = 0;
        while (k < 3 && strcmp(names[k], name) != 0) k++;
        if (k == 3)
            ld_err(ld, HNB_E_RANGE, &r, "regime", "council_accrues, central_funds_in_full or funding_follows_spend",
                   "unknown regime \"%s\"", name);
        else
            s->regime = k;
        /* from the day after the override ends, unless stated */
        s->regime_from = fy_start_months((int)floor(s->override_end / 12.0));
        snprintf(s->regime_text, sizeof s->regime_text, "%d-04-01", (int)floor(s->override_end / 12.0));
        if (jv_date(ld, &r, "from", 0, &s->regime_from, s->regime_text) && !s->backtest &&
            (s->regime_from <= fy_start_months(s->first_fy + 1) || s->regime_from >= fy_start_months(s->last_fy + 1)))
            ld_err(ld, HNB_E_RANGE, &r, "from", "a date after the first financial year and inside the horizon",
                   "the regime cannot start on %s", s->regime_text);
        jv sh;
        if (s->regime == REGIME_FOLLOWS_SPEND)
            s->regime_share = par_read(ld, s, &r, "share", &phi);
        else if (jv_get(&r, "share", &sh))
            ld_err(ld, HNB_E_KEY, &r, "share", "a share only with funding_follows_spend", "a share is not used by %s",
                   name);
        if (s->backtest) s->regime = REGIME_ACCRUE; /* a back-test ends before any regime starts */
    }
    jv a;
    if (jv_get(v, "anchor", &a) &&
        jv_want(ld, &a, cJSON_Object, "{\"fy\": \"2025-26\", \"in_year\": -12600000, \"align\": true}")) {
        jv_check_keys(ld, &a, ld_keys(KEYS_ANCHOR));
        const char *src = "";
        jv_str(ld, &a, "source", 0, &src);
        s->anchor_source = ld_strdup(src);
        int fy = -1;
        if (jv_fy(ld, &a, "fy", 1, &fy)) {
            if (fy < s->first_fy || fy > s->last_fy) {
                char exp[64], b[8], c[8];
                fy_format(s->first_fy, b);
                fy_format(s->last_fy, c);
                snprintf(exp, sizeof exp, "a financial year from %s to %s", b, c);
                ld_err(ld, HNB_E_RANGE, &a, "fy", exp, "the anchor year is outside the projection");
            } else {
                s->anchor_fy = fy;
            }
        }
        s->anchor_in_year = par_read(ld, s, &a, "in_year", &money);
        jv al;
        if (jv_get(&a, "align", &al)) {
            const cJSON *b = jv_top(&al);
            if (cJSON_IsBool(b))
                s->anchor_align = cJSON_IsTrue(b);
            else
                ld_err(ld, HNB_E_TYPE, &al, NULL, "true or false", "align is not a boolean");
        }
        if (s->backtest) s->anchor_align = 0; /* a back-test never sees a later forecast */
    }
}
