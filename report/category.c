/* category.c: which of the DSG management plan template's placement
 * categories a scenario's placement counts under (rview.h), and the
 * template's age groups.
 *
 * A placement's `category` key in the results (one of report_category_key)
 * wins. Otherwise the default mapping reads the id, then the label, as words
 * (lower case, split at anything not a letter or digit; "post-16" is also
 * read as "post16"), and takes the first rule that matches, in this order:
 *   early years                               -> other (PVI nurseries)
 *   hospital, ap, pru, alternative            -> hospital schools or AP
 *   nmi, nmss, independent, non-maintained    -> non-maintained special or independent
 *   base, srp, arp, resourced, unit(s)        -> resourced provision or SEN units
 *   fe, post16, further, college              -> post-16 and FE
 *   special                                   -> maintained special schools or academies
 *   mainstream                                -> mainstream schools or academies
 *   anything else                             -> other placements or direct payments
 * (post-16 before special, so that "specialist post-16" is post-16;
 * independent before special, so that "independent special" is not
 * maintained.) docs/spreadsheets.md lists the same table. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "rview.h"

const char *const report_category_key[REPORT_NCAT] = {"mainstream",  "resourced", "special", "nmi",
                                                      "hospital_ap", "post16",    "other"};
const char *const report_category_label[REPORT_NCAT] = {"Mainstream schools or academies",
                                                        "Resourced provision or SEN units",
                                                        "Maintained special schools or special academies",
                                                        "Non-maintained special or independent",
                                                        "Hospital schools or alternative provision",
                                                        "Post-16 and further education",
                                                        "Other placements or direct payments"};
const char *const report_age_key[REPORT_NAGE] = {"0-4", "5-10", "11-15", "16-19", "20-25"};
const char *const report_age_label[REPORT_NAGE] = {"Under 5", "Aged 5 to 10", "Aged 11 to 15", "Aged 16 to 19",
                                                   "Aged 20 to 25"};

enum { CAT_MAINSTREAM, CAT_RESOURCED, CAT_SPECIAL, CAT_NMI, CAT_AP, CAT_POST16, CAT_OTHER };

static const struct {
    const char *word;
    int cat;
} category_rules[] = {
    {"early", CAT_OTHER},
    {"hospital", CAT_AP},
    {"ap", CAT_AP},
    {"pru", CAT_AP},
    {"alternative", CAT_AP},
    {"nmi", CAT_NMI},
    {"nmss", CAT_NMI},
    {"independent", CAT_NMI},
    {"nonmaintained", CAT_NMI},
    {"base", CAT_RESOURCED},
    {"bases", CAT_RESOURCED},
    {"srp", CAT_RESOURCED},
    {"arp", CAT_RESOURCED},
    {"resourced", CAT_RESOURCED},
    {"unit", CAT_RESOURCED},
    {"units", CAT_RESOURCED},
    {"fe", CAT_POST16},
    {"post16", CAT_POST16},
    {"further", CAT_POST16},
    {"college", CAT_POST16},
    {"special", CAT_SPECIAL},
    {"mainstream", CAT_MAINSTREAM},
};

/* Does `text` hold `word` as a word? "non-maintained" and "post-16" are
 * also read joined ("nonmaintained", "post16"). */
static int category_has(const char *text, const char *word)
{
    char buf[256], joined[256];
    size_t n = 0, j = 0;
    for (const char *p = text; *p && n + 1 < sizeof buf; p++) {
        unsigned char ch = (unsigned char)*p;
        buf[n++] = isalnum(ch) ? (char)tolower(ch) : ' ';
        if (isalnum(ch) || ch == ' ' || ch == '_') joined[j++] = isalnum(ch) ? (char)tolower(ch) : ' ';
    }
    buf[n] = joined[j] = '\0';
    const char *texts[2] = {buf, joined};
    size_t wl = strlen(word);
    for (int t = 0; t < 2; t++)
        for (const char *p = texts[t]; (p = strstr(p, word)) != NULL; p++) {
            int start = p == texts[t] || p[-1] == ' ', end = p[wl] == '\0' || p[wl] == ' ';
            if (start && end) return 1;
        }
    return 0;
}

static int category_default(const char *text)
{
    for (size_t i = 0; i < sizeof category_rules / sizeof category_rules[0]; i++)
        if (category_has(text, category_rules[i].word)) return category_rules[i].cat;
    return -1;
}

int report_category(const cJSON *placement)
{
    const char *key = report_str(placement, "category");
    for (int k = 0; k < REPORT_NCAT; k++)
        if (!strcmp(key, report_category_key[k])) return k;
    int c = category_default(report_str(placement, "id"));
    if (c < 0) c = category_default(report_str(placement, "label"));
    return c < 0 ? CAT_OTHER : c;
}

/* ---- the 13 primary needs ------------------------------------------------
 * The primary types of need of the SEN2 return and the school census, in the
 * order DfE publishes them, with the codes a scenario's need groups may use
 * (matched case-insensitively). */
#define REPORT_NNEED 13
static const char *const need_code[REPORT_NNEED] = {"ASD",  "HI",   "MLD", "MSI",  "OTH", "PD", "PMLD",
                                                    "SEMH", "SLCN", "SLD", "SPLD", "VI",  "NSA"};
static const char *const need_label[REPORT_NNEED] = {"Autistic spectrum disorder",
                                                     "Hearing impairment",
                                                     "Moderate learning difficulty",
                                                     "Multi-sensory impairment",
                                                     "Other difficulty or disability",
                                                     "Physical disability",
                                                     "Profound and multiple learning difficulty",
                                                     "Social, emotional and mental health",
                                                     "Speech, language and communication needs",
                                                     "Severe learning difficulty",
                                                     "Specific learning difficulty",
                                                     "Vision impairment",
                                                     "No specialist assessment of type of need"};

static int need_index(const char *id)
{
    for (int k = 0; k < REPORT_NNEED; k++) {
        size_t i = 0;
        while (id[i] && need_code[k][i] && toupper((unsigned char)id[i]) == need_code[k][i]) i++;
        if (!id[i] && !need_code[k][i]) return k;
    }
    return -1;
}

size_t report_need_order(const cJSON *groups, const cJSON **out, const char **labels, size_t max)
{
    size_t n = 0;
    const cJSON *g;
    for (int k = 0; k < REPORT_NNEED; k++)
        cJSON_ArrayForEach(g, groups) if (n < max && need_index(report_str(g, "id")) == k)
        {
            out[n] = g;
            labels[n++] = need_label[k];
        }
    cJSON_ArrayForEach(g, groups) if (n < max && need_index(report_str(g, "id")) < 0)
    {
        out[n] = g;
        labels[n++] = *report_str(g, "label") ? report_str(g, "label") : report_str(g, "id");
    }
    return n;
}
