/* paper_svg.c: the Forum paper's charts (paper.h). They are drawn by plots/
 * through its public calls (hnb_plot_file / hnb_plot_results, SVG only) into
 * a private folder made with mkdtemp, read back, checked, and inlined.
 *
 * Inlining: the XML prolog and gnuplot's own <title> and <desc> are dropped,
 * the paper's title and description (the chart's text alternative) go in
 * their place, the <svg> is marked role="img" and labelled by them, and every
 * id (and every #reference to one) is prefixed with the figure's number, so
 * that two charts' point symbols cannot collide in one document.
 *
 * Checked: a chart file that holds anything that could run or fetch
 * (<script, an on... handler, foreignObject, <image, an external href,
 * javascript:, a DOCTYPE or ENTITY) is not inlined; the paper says so. gnuplot
 * escapes the labels it prints (&lt;), which the hostile-label test checks. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hnbsim_plots.h"
#include "core/error.h"
#include "paper.h"

int paper_charts_draw(hnb_model *h, const char *results_path, paper_charts *c)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    snprintf(c->dir, sizeof c->dir, "%s/hnbsim-paper-XXXXXX", tmp);
    if (!mkdtemp(c->dir)) {
        char dir[sizeof c->dir];
        snprintf(dir, sizeof dir, "%s", c->dir);
        c->dir[0] = '\0';
        return err_set(h, HNB_E_WRITE, "%s: cannot make a folder for the paper's charts (expected a writable TMPDIR)",
                       dir);
    }
    int rc =
        results_path ? hnb_plot_file(h, results_path, c->dir, HNB_FMT_SVG) : hnb_plot_results(h, c->dir, HNB_FMT_SVG);
    if (rc) paper_charts_free(c);
    return rc;
}

int paper_chart_exists(const paper_charts *c, const char *name)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s.svg", c->dir, name);
    return c->dir[0] && access(path, R_OK) == 0;
}

void paper_charts_free(paper_charts *c)
{
    if (!c->dir[0]) return;
    DIR *d = opendir(c->dir);
    if (d) {
        struct dirent *e;
        char p[1100];
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            snprintf(p, sizeof p, "%s/%s", c->dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(c->dir);
    c->dir[0] = '\0';
}

/* Whole file, or NULL. */
static char *svg_read(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *s = NULL;
    size_t cap = 0;
    *n = 0;
    for (;;) {
        if (*n + 65536 + 1 > cap) {
            cap = cap ? cap * 2 : 262144;
            char *t = realloc(s, cap);
            if (!t) {
                free(s);
                fclose(f);
                return NULL;
            }
            s = t;
        }
        size_t k = fread(s + *n, 1, 65536, f);
        *n += k;
        if (k < 65536) break;
    }
    fclose(f);
    s[*n] = '\0';
    return s;
}

/* Anything that could run code or fetch a resource (case-insensitive). */
static int svg_unsafe(const char *s)
{
    static const char *const bad[] = {"<script", "foreignobject", "<image", "javascript:", "<!doctype", "<!entity",
                                      "<iframe", "<object",       "<embed", "http-equiv",  NULL};
    for (const char *p = s; *p; p++) {
        for (const char *const *b = bad; *b; b++) {
            size_t k = strlen(*b), i = 0;
            while (i < k && p[i] && tolower((unsigned char)p[i]) == (*b)[i]) i++;
            if (i == k) return 1;
        }
        /* an event handler: whitespace, "on", letters, "=" */
        if (isspace((unsigned char)p[0]) && tolower((unsigned char)p[1]) == 'o' &&
            tolower((unsigned char)p[2]) == 'n') {
            const char *q = p + 3;
            while (isalpha((unsigned char)*q)) q++;
            if (q > p + 3 && *q == '=') return 1;
        }
        /* an href to anything but a fragment of the file itself */
        if (!strncmp(p, "href=", 5) && p[5] && p[6] != '#') return 1;
    }
    return 0;
}

/* ---- hatching without <pattern> ------------------------------------------
 * gnuplot fills the hatched bars (the greyscale-safe fills of plots/) with
 * SVG patterns, which Chromium's PDF printer turns into a full-size bitmap
 * per bar (25 MB for Sutton's paper). Here each pattern-filled polygon
 * becomes the pattern's own lines, tiled over the polygon's bounding box and
 * clipped to it: the same picture, in vectors, a few kB. A pattern whose
 * path is not plain M/L pairs is left as it was. */

typedef struct svg_pat {
    char id[64], stroke[64];
    double w, h;
    double xy[32][2];
    char cmd[32];
    int n;
} svg_pat;

typedef struct sbuf {
    char *s;
    size_t n, cap;
    int bad;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->bad) return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->n + n + 1) cap *= 2;
        char *t = realloc(b->s, cap);
        if (!t) {
            b->bad = 1;
            return;
        }
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void sb_printf(sbuf *b, const char *fmt, ...) HNB_PRINTF(2, 3);

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (k > 0) sb_put(b, buf, (size_t)k < sizeof buf ? (size_t)k : sizeof buf - 1);
}

/* The quoted value of attribute `name` inside [s, end), into out. */
static int svg_attr(const char *s, const char *end, const char *name, char *out, size_t n)
{
    size_t k = strlen(name);
    for (const char *p = s; p + k < end; p++) {
        if (strncmp(p, name, k) || (p > s && isalnum((unsigned char)p[-1]))) continue;
        const char *q = p + k;
        while (q < end && *q == ' ') q++;
        if (q >= end || *q != '=') continue;
        q++;
        while (q < end && *q == ' ') q++;
        if (q >= end || (*q != '\'' && *q != '"')) continue;
        char quote = *q++;
        const char *e = memchr(q, quote, (size_t)(end - q));
        if (!e || (size_t)(e - q) >= n) return 0;
        memcpy(out, q, (size_t)(e - q));
        out[e - q] = '\0';
        return 1;
    }
    return 0;
}

static int svg_pat_read(const char *s, const char *end, svg_pat *pt)
{
    char w[32], h[32], d[512], style[128];
    if (!svg_attr(s, end, "id", pt->id, sizeof pt->id) || !svg_attr(s, end, "width", w, sizeof w) ||
        !svg_attr(s, end, "height", h, sizeof h))
        return 0;
    const char *path = strstr(s, "<path");
    if (!path || path > end || !svg_attr(path, end, "d", d, sizeof d) ||
        !svg_attr(path, end, "style", style, sizeof style))
        return 0;
    const char *st = strstr(style, "stroke:");
    if (!st) return 0;
    snprintf(pt->stroke, sizeof pt->stroke, "%.*s", (int)strcspn(st + 7, ";'\""), st + 7);
    pt->w = atof(w);
    pt->h = atof(h);
    pt->n = 0;
    for (const char *p = d; *p;) {
        while (*p == ' ') p++;
        if (!*p) break;
        if ((*p != 'M' && *p != 'L') || pt->n >= 32) return 0;
        char c = *p++;
        char *e;
        double x = strtod(p, &e);
        if (e == p || *e != ',') return 0;
        p = e + 1;
        double y = strtod(p, &e);
        if (e == p) return 0;
        p = e;
        pt->cmd[pt->n] = c;
        pt->xy[pt->n][0] = x;
        pt->xy[pt->n][1] = y;
        pt->n++;
    }
    return pt->n > 0 && pt->w > 0 && pt->h > 0;
}

/* svg with its pattern fills drawn as clipped lines; NULL if there were none
 * (or memory ran out: the original is used). */
static char *svg_unpattern(const char *svg)
{
    if (!strstr(svg, "<pattern")) return NULL;
    svg_pat *pats = NULL;
    size_t np = 0, cap = 0;
    for (const char *p = strstr(svg, "<pattern"); p; p = strstr(p + 1, "<pattern")) {
        const char *e = strstr(p, "</pattern>");
        if (!e) break;
        if (np == cap) {
            cap = cap ? cap * 2 : 32;
            svg_pat *t = realloc(pats, cap * sizeof *pats);
            if (!t) break;
            pats = t;
        }
        if (svg_pat_read(p, e, &pats[np])) np++;
    }
    sbuf b = {0};
    int clip = 0;
    const char *run = svg;
    for (const char *p = strstr(svg, "<polygon"); p; p = strstr(p + 1, "<polygon")) {
        const char *e = strstr(p, "/>");
        char fill[96], pts[8192];
        if (!e || !svg_attr(p, e, "fill", fill, sizeof fill) || strncmp(fill, "url(#", 5) ||
            !svg_attr(p, e, "points", pts, sizeof pts))
            continue;
        fill[strcspn(fill, ")")] = '\0';
        const svg_pat *pt = NULL;
        for (size_t i = 0; i < np && !pt; i++)
            if (!strcmp(pats[i].id, fill + 5)) pt = &pats[i];
        if (!pt) continue;
        double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
        for (const char *q = pts; *q;) {
            char *z;
            double x = strtod(q, &z);
            if (z == q || *z != ',') break;
            double y = strtod(z + 1, &z);
            x0 = fmin(x0, x), x1 = fmax(x1, x), y0 = fmin(y0, y), y1 = fmax(y1, y);
            q = z;
            while (*q == ' ') q++;
        }
        if (!(x1 > x0 && y1 > y0) || (x1 - x0) * (y1 - y0) / (pt->w * pt->h) > 20000) continue;
        sb_put(&b, run, (size_t)(p - run));
        clip++;
        sb_printf(&b, "<clipPath id='hatch%d'><polygon points='", clip);
        sb_put(&b, pts, strlen(pts));
        sb_printf(&b, "'/></clipPath><path clip-path='url(#hatch%d)' style='fill:none; stroke:", clip);
        sb_put(&b, pt->stroke, strlen(pt->stroke));
        sb_put(&b, "' d='", 5);
        for (double ty = floor(y0 / pt->h) * pt->h; ty < y1; ty += pt->h)
            for (double tx = floor(x0 / pt->w) * pt->w; tx < x1; tx += pt->w)
                for (int k = 0; k < pt->n; k++)
                    sb_printf(&b, "%c%.2f,%.2f ", pt->cmd[k], tx + pt->xy[k][0], ty + pt->xy[k][1]);
        sb_put(&b, "'/>", 3);
        run = e + 2;
    }
    sb_put(&b, run, strlen(run));
    free(pats);
    if (b.bad || !clip) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* Skip the element <tag ...>...</tag> starting at s (s points at '<'). */
static const char *svg_skip(const char *s, const char *close)
{
    const char *e = strstr(s, close);
    return e ? e + strlen(close) : s;
}

int paper_chart(pbuf *b, const paper_charts *c, const char *name, int figno, const char *caption, const char *desc)
{
    char path[1200], pre[16];
    size_t n = 0;
    snprintf(path, sizeof path, "%s/%s.svg", c->dir, name);
    snprintf(pre, sizeof pre, "f%d-", figno);
    char *svg = c->dir[0] ? svg_read(path, &n) : NULL;
    char *flat = svg ? svg_unpattern(svg) : NULL;
    if (flat) {
        free(svg);
        svg = flat;
    }
    const char *start = svg ? strstr(svg, "<svg") : NULL;
    PB_TAG(b, "<figure class=\"chart\" aria-labelledby=\"");
    pb_escf(b, "f%d-c", figno);
    PB_TAG(b, "\">\n");
    if (!start || svg_unsafe(start)) {
        PB_TAG(b, "<p class=\"note\">");
        pb_escf(b, "The chart %s.svg could not be drawn or read; its figures are in the table.", name);
        PB_TAG(b, "</p>\n");
    } else {
        /* the <svg ...> tag, marked as an image labelled by our title and description */
        const char *gt = strchr(start, '>');
        if (!gt) gt = start + strlen(start) - 1;
        PB_TAG(b, "<svg role=\"img\" aria-labelledby=\"");
        pb_escf(b, "f%d-t f%d-d", figno, figno);
        PB_TAG(b, "\"");
        pb_trusted_(b, start + 4, (size_t)(gt - (start + 4)));
        PB_TAG(b, ">\n<title id=\"");
        pb_escf(b, "f%d-t", figno);
        PB_TAG(b, "\">");
        pb_escf(b, "Figure %d: %s", figno, caption);
        PB_TAG(b, "</title>\n<desc id=\"");
        pb_escf(b, "f%d-d", figno);
        PB_TAG(b, "\">");
        pb_esc(b, desc);
        PB_TAG(b, "</desc>\n");
        /* the body, ids prefixed, gnuplot's title and desc dropped */
        const char *s = gt + 1, *run = s;
        while (*s) {
            const char *skip = NULL, *ins = NULL;
            size_t keep = 0;
            if (!strncmp(s, "<title>", 7))
                skip = svg_skip(s, "</title>");
            else if (!strncmp(s, "<desc>", 6))
                skip = svg_skip(s, "</desc>");
            else if (!strncmp(s, "id='", 4) || !strncmp(s, "id=\"", 4))
                keep = 4, ins = pre;
            else if (!strncmp(s, "href='#", 7) || !strncmp(s, "href=\"#", 7))
                keep = 7, ins = pre;
            else if (!strncmp(s, "url(#", 5))
                keep = 5, ins = pre;
            if (skip && skip != s) {
                pb_trusted_(b, run, (size_t)(s - run));
                s = run = skip;
            } else if (ins) {
                pb_trusted_(b, run, (size_t)(s + keep - run));
                pb_trusted_(b, ins, strlen(ins));
                s = run = s + keep;
            } else {
                s++;
            }
        }
        pb_trusted_(b, run, (size_t)(s - run));
    }
    PB_TAG(b, "<figcaption id=\"");
    pb_escf(b, "f%d-c", figno);
    PB_TAG(b, "\">");
    pb_escf(b, "Figure %d: %s", figno, caption);
    PB_TAG(b, "</figcaption>\n</figure>\n");
    free(svg);
    return start != NULL;
}
