/* sweep_print.c (api): hnb_sweep_print, what each sweep found, for the
 * terminal: read back from the sweep results, so it prints what was written.
 * Money in £m to two decimals; EHCPs whole. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/error.h"
#include "core/model.h"

static const cJSON *get(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }
static const char *str(const cJSON *o, const char *k)
{
    const cJSON *s = get(o, k);
    return cJSON_IsString(s) ? s->valuestring : "";
}
static double num(const cJSON *o, const char *k)
{
    const cJSON *n = get(o, k);
    return cJSON_IsNumber(n) ? n->valuedouble : NAN;
}

static void fig(char *buf, size_t n, double x, int money)
{
    if (isnan(x))
        snprintf(buf, n, "n/a");
    else if (money)
        snprintf(buf, n, "%s£%.2fm", x < 0 ? "-" : "", fabs(x) / 1e6);
    else
        snprintf(buf, n, "%.0f", x);
}

int hnb_sweep_print(hnb_model *h, void *file)
{
    FILE *f = file;
    const cJSON *r = h->results;
    if (!r || strcmp(str(r, "format"), "hnbsim-sweep") != 0)
        return err_set(h, HNB_E_NOTRUN, "no sweep results to print (expected hnb_sweep first)");
    fprintf(f, "Sweeps of %s, scenario %s (%s)\n", str(r, "scenario_file"), str(r, "scenario_label"),
            str(r, "scenario"));
    const cJSON *sw;
    cJSON_ArrayForEach(sw, get(r, "sweeps"))
    {
        const char *fid = str(sw, "figure"), *type = str(sw, "type"), *flabel = fid;
        int money = 1;
        const cJSON *e;
        cJSON_ArrayForEach(e, get(r, "figures")) if (strcmp(str(e, "id"), fid) == 0)
        {
            flabel = str(e, "label");
            money = strcmp(str(e, "unit"), "£") == 0;
        }
        char a[48], b[48], c[48];
        fprintf(f, "\n%s \"%s\": %s\n", type, str(sw, "name"), flabel);
        if (strcmp(type, "tornado") == 0) {
            fig(a, sizeof a, num(get(sw, "base"), fid), money);
            fprintf(f, "  central %s\n", a);
            cJSON_ArrayForEach(e, get(sw, "bars"))
            {
                fig(a, sizeof a, num(get(e, "low"), fid), money);
                fig(b, sizeof b, num(get(e, "high"), fid), money);
                fig(c, sizeof c, num(e, "swing"), money);
                fprintf(f, "  %-60.60s low %12s  high %12s  swing %s\n", str(e, "assumption"), a, b, c);
            }
        } else if (strcmp(type, "spider") == 0) {
            cJSON_ArrayForEach(e, get(sw, "lines"))
            {
                fprintf(f, "  %s:", str(e, "assumption"));
                const cJSON *v, *ch = get(sw, "changes")->child;
                cJSON_ArrayForEach(v, get(e, "figures"))
                {
                    fig(a, sizeof a, num(v, fid), money);
                    fprintf(f, " %+.0f%% %s", 100.0 * (ch ? ch->valuedouble : 0), a);
                    ch = ch ? ch->next : NULL;
                }
                fprintf(f, "\n");
            }
        } else if (strcmp(type, "grid") == 0) {
            fprintf(f, "  %d combinations", cJSON_GetArraySize(get(sw, "cells")));
            if (get(sw, "threshold")) {
                int segs = 0;
                cJSON_ArrayForEach(e, get(sw, "contours")) segs += cJSON_GetArraySize(get(e, "segments"));
                fig(a, sizeof a, num(sw, "threshold"), money);
                fprintf(f, "; the figure crosses %s along %d contour segment%s", a, segs, segs == 1 ? "" : "s");
            }
            fprintf(f, "\n");
        } else if (strcmp(type, "batch") == 0) {
            cJSON_ArrayForEach(e, get(sw, "rows"))
            {
                fig(a, sizeof a, num(get(e, "figures"), fid), money);
                fprintf(f, "  %-40.40s %-30.30s %12s\n", str(e, "file"), str(e, "label"), a);
            }
        } else if (strcmp(type, "goal_seek") == 0) {
            fig(a, sizeof a, num(sw, "target"), money);
            fprintf(f, "  %s = %.10g makes it %s (%d Brent iterations)\n", str(sw, "assumption"), num(sw, "value"), a,
                    (int)num(sw, "iterations"));
        } else if (strcmp(type, "sobol") == 0) {
            const cJSON *ix = get(get(sw, "indices"), fid);
            fprintf(f, "  %d samples, %.0f%% bootstrap intervals\n", (int)num(sw, "samples"),
                    100 * num(sw, "confidence"));
            int i = 0;
            cJSON_ArrayForEach(e, get(sw, "inputs"))
            {
                const cJSON *s1 = cJSON_GetArrayItem(get(ix, "first_order"), i),
                            *st = cJSON_GetArrayItem(get(ix, "total"), i);
                const cJSON *l1 = cJSON_GetArrayItem(get(ix, "first_order_low"), i),
                            *h1 = cJSON_GetArrayItem(get(ix, "first_order_high"), i);
                const cJSON *lt = cJSON_GetArrayItem(get(ix, "total_low"), i),
                            *ht = cJSON_GetArrayItem(get(ix, "total_high"), i);
#define V(x) (cJSON_IsNumber(x) ? (x)->valuedouble : NAN)
                fprintf(f, "  %-60.60s first %.3f [%.3f, %.3f]  total %.3f [%.3f, %.3f]\n", str(e, "assumption"), V(s1),
                        V(l1), V(h1), V(st), V(lt), V(ht));
#undef V
                i++;
            }
        }
    }
    return HNB_OK;
}
