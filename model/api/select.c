/* select.c: one scenario of a file: hnb_select_scenario (what hnb_run
 * reports) and hnb_scenario_print (validate --scenario NAME: its resolved
 * assumptions, as the model will use them).
 *
 * Selecting never unloads: the other scenarios stay loaded, and the one
 * selected is reported, drawn and written with the scenarios it extends
 * (its savings by action, and their charts, are against its parent). The selection is by name and holds
 * until it is changed; NULL selects every scenario again. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/error.h"
#include "core/model.h"
#include "core/numfmt.h"
#include "core/scenario.h"

/* The loaded scenario called name, or -1 (with the error naming those there are). */
static int find(hnb_model *h, const char *name)
{
    for (size_t i = 0; i < h->nscen; i++)
        if (strcmp(h->scen[i]->name, name) == 0) return (int)i;
    char list[1024] = "";
    size_t k = 0;
    for (size_t i = 0; i < h->nscen && k + 4 < sizeof list; i++)
        k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", h->scen[i]->name);
    if (k >= sizeof list) k = sizeof list - 1;
    err_set(h, HNB_E_REF, "--scenario %s: no such scenario (expected one of: %s)", name,
            h->nscen ? list : "none loaded");
    return -1;
}

int hnb_select_scenario(hnb_model *h, const char *name)
{
    free(h->only);
    h->only = NULL;
    if (!name) return HNB_OK;
    if (find(h, name) < 0) return HNB_E_REF;
    h->only = strdup(name);
    return h->only ? HNB_OK : err_set(h, HNB_E_NOMEM, "out of memory");
}

int hnb_scenario_print(hnb_model *h, const char *name, void *file)
{
    FILE *f = file;
    int i = find(h, name);
    if (i < 0) return HNB_E_REF;
    const scenario *s = h->scen[i];
    char a[8], b[8];
    fy_format(s->first_fy, a);
    fy_format(s->last_fy, b);
    fprintf(f, "%s: %s\n", s->name, s->label);
    fprintf(f, "  file %s%s%s; %s to %s; the statutory override ends %s\n", s->file, s->extends ? ", extends " : "",
            s->extends ? s->extends : "", a, b, s->override_text);
    size_t n = 0;
    for (size_t k = 0; k < s->npar; k++) n += s->par[k].from_file;
    fprintf(f, "Assumptions the file states, as the model uses them (%zu; the rest are the documented defaults):\n", n);
    for (size_t k = 0; k < s->npar; k++) {
        const param *p = &s->par[k];
        if (!p->from_file) continue;
        char v[NUM_BUF * 4] = "";
        if (p->n == 1) {
            num_unit(s->val[p->off], p->unit, v, sizeof v);
        } else {
            size_t len = 0;
            for (size_t j = 0; j < p->n && len + NUM_BUF + 8 < sizeof v; j++) {
                char x[NUM_BUF];
                num_unit(s->val[p->off + j], p->unit, x, sizeof x);
                len += (size_t)snprintf(v + len, sizeof v - len, "%s%s", j ? ", " : "[", x);
                if (j + 1 == p->n) snprintf(v + len, sizeof v - len, "]");
            }
        }
        fprintf(f, "  %s = %s (%s)%s%s\n", p->path, v, p->unit, p->dist != DIST_FIXED ? ", uncertain" : "",
                p->source && *p->source ? "" : ", no source");
        if (p->source && *p->source) fprintf(f, "      source: %s\n", p->source);
    }
    if (s->niv) fprintf(f, "Actions (%zu):\n", s->niv);
    for (size_t k = 0; k < s->niv; k++) {
        const intervention *iv = &s->iv[k];
        double q = iv->delivery == NOPAR ? 1.0 : s->val[s->par[iv->delivery].off];
        char p[NUM_BUF];
        num_percent(q, p, sizeof p);
        fprintf(f, "  %s (delivery confidence %s)\n", iv->name, p);
    }
    return HNB_OK;
}
