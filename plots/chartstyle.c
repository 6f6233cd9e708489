/* chartstyle.c: the look every chart shares (see chartstyle.h).
 *
 * Design. The charts go into Schools Forum papers, which are printed and
 * photocopied in black and white, so no series is told apart by hue alone:
 * scenario lines differ in colour, dash pattern and point shape; in a stack,
 * solid layers of well separated lightness take turns with hatched ones, so
 * neighbours differ in texture whatever the printer does with colour. Every
 * chart carries its source and run date in a footnote, so a page torn out of
 * a paper still says where its numbers came from. Anything that has to fit
 * (title, key, names, margins) is laid out here from DejaVu Sans widths on
 * the 20 cm x 12.5 cm page, not left to gnuplot's per-terminal estimates.
 *
 * Trade-offs. Tick labels are written by hand ("−£40m", "3,000") rather than
 * by gnuplot's format strings: gnuplot's thousands separator needs a locale
 * that may not be installed, and a hand-made list keeps £ and the true minus
 * sign. Vertical positions of the title and footnote are in screen fractions,
 * which holds because every format has the same aspect ratio and the fonts of
 * PNG and SVG are scaled to match the PDF page. Text is sent with gnuplot's
 * enhanced mode off, so labels from a results file (an underscore, a brace)
 * print as written. */
#define _POSIX_C_SOURCE 200809L
#include "chartstyle.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"

/* ---- formats and prelude --------------------------------------------- */

/* The PDF page is the reference: 20 cm x 12.5 cm, 9 pt text (pdfcairo draws
 * fonts at 4/3 of their size with fontscale 1, hence 0.75), which stays
 * readable scaled to the text width of an A4 page. PNG (1280 x 800) and SVG
 * (the page in points) scale fonts, lines and, through the variable PS,
 * points so that they look the same: measured against the PDF at 1600 x
 * 1000 (fontscale 2.1, linewidth 1.41, PS 2.2), not derived, as the three
 * terminals count points and pixels differently, and scaled by 0.8 with the
 * PNG. 1280 x 800 is 162 pixels an inch on the page (203 on a 16 cm text
 * width) and about the width of a chart on a projected slide; it costs
 * 0.64 of the pixels, and so of the PNG encoding that is most of the time
 * gnuplot spends on a chart (zlib and libpng's filter choice, which gnuplot
 * offers no option to make cheaper). gnuplot keeps
 * user variables across `reset`, so each terminal also sets FB (a bold face:
 * SVG has none). Keys are drawn by charts_frame at screen positions, not by
 * gnuplot, whose estimate of text widths differs between terminals. */
const charts_format charts_formats[3] = {
    {HNB_FMT_PNG, "png",
     "set terminal pngcairo size 1280,800 noenhanced font \"Sans,9\" fontscale 1.68 "
     "linewidth 1.128 rounded background \"white\"\nPS = 1.76\nFB = \"Sans:Bold\""},
    {HNB_FMT_PDF, "pdf",
     "set terminal pdfcairo size 20cm,12.5cm noenhanced font \"Sans,9\" fontscale 0.75 "
     "linewidth 1 rounded background \"white\"\nPS = 1.0\nFB = \"Sans:Bold\""},
    {HNB_FMT_SVG, "svg",
     "set terminal svg size 567,354 fixed noenhanced font \"sans-serif,9\" fontscale 1 "
     "linewidth 0.42 rounded background \"white\"\nPS = 0.77\nFB = \"sans-serif\""},
};

/* Scenario styles: colour (Okabe-Ito-like, readable on white), a dash
 * pattern and a point shape that differ even with the colour gone. */
static const struct charts_series {
    const char *colour;
    const char *dash;
    int point;
    const char *fill; /* for bars: solid dark, hatched, light, ... */
} charts_series[CHARTS_NSTYLES] = {
    {"#1b3a6b", "1", 7, "solid 1.0"},        {"#c8500a", "(8,6)", 5, "pattern 4"},
    {"#1b7f5f", "(2,4)", 9, "solid 0.35"},   {"#6a3d9a", "(9,3,2,3)", 13, "pattern 5"},
    {"#8c6d1f", "(16,5)", 11, "solid 0.65"}, {"#3f8fc4", "(2,2,7,2)", 15, "pattern 1"},
};

void charts_begin(charts_chart *c, const char *name, const char *suffix, const char *what)
{
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s%s%s", name, suffix ? "-" : "", suffix ? suffix : "");
    for (char *p = c->name; *p; p++) {
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
                 *p == '-' || (*p == '.' && p != c->name);
        if (!ok) *p = '-';
    }
    snprintf(c->what, sizeof c->what, "%s", what);
    c->box_l = 0.09;
    c->box_r = 0.97;
    c->box_b = 0.2;
    c->box_t = 0.83;
    c->axis_cm = 1.45;

    charts_text *b = &c->body;
    charts_puts(b, "reset\n"
                   "set encoding utf8\n"
                   "set border 3 lw 0.8 lc rgb \"#333333\"\n"
                   "set tics nomirror out scale 0.6 textcolor rgb \"#222222\"\n"
                   "set grid noxtics ytics back lw 0.5 lc rgb \"#cccccc\" dt 1\n"
                   "set key opaque box lc rgb \"#aaaaaa\" lw 0.6 samplen 3.5 spacing 1.2 width 1 Left reverse\n"
                   "set style fill solid 1.0 border lc rgb \"#222222\"\n"
                   "set datafile separator whitespace\n"
                   "set xzeroaxis lt 1 lc rgb \"#222222\" lw 1\n");
    for (int i = 0; i < CHARTS_NSTYLES; i++)
        charts_printf(b, "set style line %d lc rgb \"%s\" lw 3 dt %s pt %d ps 0.85*PS\n", i + 1,
                      charts_series[i].colour, charts_series[i].dash, charts_series[i].point);
    /* 20: published outturn (filled), 21: published forecast (open),
     * 22: a total drawn over bars, 23: thin reference line, 24: the white
     * disc drawn under a published point, so it shows over anything. */
    charts_puts(b, "set style line 20 lc rgb \"#000000\" lw 1.5 pt 7 ps 1.3*PS\n"
                   "set style line 21 lc rgb \"#000000\" lw 1.5 pt 6 ps 1.3*PS\n"
                   "set style line 22 lc rgb \"#000000\" lw 3 dt 1 pt 7 ps 0.9*PS\n"
                   "set style line 23 lc rgb \"#444444\" lw 1.0 dt (4,3)\n"
                   "set style line 24 lc rgb \"#ffffff\" lw 1.5 pt 7 ps 1.75*PS\n");
}

void charts_chart_free(charts_chart *c)
{
    charts_text_free(&c->data);
    charts_text_free(&c->body);
}

void charts_scratch_free(charts_chart *c, charts_text *t)
{
    if (t->oom) c->body.oom = 1;
    charts_text_free(t);
}

void charts_scenario_fill(char *buf, size_t n, int i)
{
    const struct charts_series *s = &charts_series[i % CHARTS_NSTYLES];
    snprintf(buf, n, "lc rgb \"%s\" fs %s border lc rgb \"#222222\"", s->colour, s->fill);
}

/* Stacked layers: solid blues at well separated lightness alternate with
 * hatchings in other hues, so neighbours always differ in texture and any
 * two solid layers in lightness (greyscale keeps both), and colour adds a
 * third cue. Patterns are gnuplot's: 4 and 5 diagonal, 1 and 2
 * cross-hatched, 6 and 7 dense diagonal, lines on white. */
static const struct charts_layer {
    const char *colour;
    int pattern; /* 0: solid */
} charts_layers[CHARTS_NLAYERS] = {
    {"#0b2e59", 0}, {"#c8500a", 5}, {"#5b82b5", 0}, {"#1b7f5f", 4}, {"#b7cbe4", 0}, {"#6a3d9a", 1},
    {"#28507f", 0}, {"#8c6d1f", 6}, {"#8ea9cf", 0}, {"#b8336a", 7}, {"#e4ecf6", 0}, {"#3a3a3a", 2},
};

void charts_layer_fill(char *buf, size_t n, int k)
{
    const struct charts_layer *l = &charts_layers[(k < 0 ? 0 : k) % CHARTS_NLAYERS];
    if (l->pattern)
        snprintf(buf, n, "lc rgb \"%s\" fs pattern %d border lc rgb \"#222222\"", l->colour, l->pattern);
    else
        snprintf(buf, n, "lc rgb \"%s\" fs solid 1.0 border lc rgb \"#222222\"", l->colour);
}

void charts_rest_fill(char *buf, size_t n)
{
    snprintf(buf, n, "lc rgb \"#6b6b6b\" fs pattern 2 border lc rgb \"#222222\"");
}

void charts_key_add(charts_chart *c, int kind, const char *style, const char *label)
{
    if (c->nkey >= CHARTS_MAXKEY) return;
    charts_key_entry *e = &c->key[c->nkey++];
    e->kind = kind;
    snprintf(e->style, sizeof e->style, "%s", style ? style : "");
    snprintf(e->label, sizeof e->label, "%s", label ? label : "");
}

/* ---- frame: title, subtitle, key, footnote ---------------------------- */

/* s in one line at pt (bold), set smaller down to minpt if it is wider than
 * max_cm, then cut with an ellipsis: the label command with its font. */
static void charts_fit_label(charts_chart *c, int tag, const char *s, double y, double pt, double minpt, int bold,
                             const char *colour)
{
    double w = charts_text_cm(s, pt, bold), max_cm = CHARTS_PAGE_W - 0.5;
    if (w > max_cm) pt = fmax(minpt, pt * max_cm / w);
    char cut[600];
    snprintf(cut, sizeof cut, "%s", s);
    if (charts_text_cm(cut, pt, bold) > max_cm) {
        size_t len = strlen(cut);
        while (len > 0 && charts_text_cm(cut, pt, bold) > max_cm - charts_text_cm("\xe2\x80\xa6", pt, bold)) {
            do len--;
            while (len > 0 && ((unsigned char)cut[len] & 0xc0) == 0x80);
            cut[len] = '\0';
        }
        while (len > 0 && cut[len - 1] == ' ') cut[--len] = '\0';
        snprintf(cut + len, sizeof cut - len, "\xe2\x80\xa6");
    }
    charts_printf(&c->body, "set label %d ", tag);
    charts_quote(&c->body, cut);
    charts_printf(&c->body, " at screen 0.012, screen %.3f left font %s\",%.1f\" textcolor rgb \"%s\"\n", y,
                  bold ? "FB." : "", pt, colour);
}

/* A key laid out: entries' wrapped labels, lines per entry, and columns. */
typedef struct charts_key_layout {
    char lab[CHARTS_MAXKEY][300];
    int lines[CHARTS_MAXKEY];
    int ncol, rows;
    double pt, height_cm, width_cm;
} charts_key_layout;

#define CHARTS_SAMPLE_CM  0.95 /* a key's sample: box or line */
#define CHARTS_SAMPLE_GAP 0.25
#define CHARTS_COL_GAP    0.6

/* Entries column by column (ncol columns, rows per column), each label
 * wrapped to room_cm; the height of each row is its tallest entry. */
static void charts_key_measure(const charts_chart *c, charts_key_layout *k, int ncol, double room_cm, double pt)
{
    k->ncol = ncol;
    k->pt = pt;
    k->rows = (c->nkey + ncol - 1) / ncol;
    for (int i = 0; i < c->nkey; i++)
        k->lines[i] = charts_wrap_cm(k->lab[i], sizeof k->lab[i], c->key[i].label, room_cm, pt, 0);
    double lh = charts_line_cm(pt), h = 0.0, w = 0.0;
    for (int r = 0; r < k->rows; r++) {
        int most = 1;
        for (int col = 0; col < ncol; col++) {
            int i = col * k->rows + r;
            if (i < c->nkey && k->lines[i] > most) most = k->lines[i];
        }
        h += most * lh + 0.12;
    }
    for (int col = 0; col < ncol; col++) {
        double cw = 0.0;
        for (int r = 0; r < k->rows; r++) {
            int i = col * k->rows + r;
            if (i < c->nkey) cw = fmax(cw, charts_text_cm(k->lab[i], pt, 0));
        }
        w += CHARTS_SAMPLE_CM + CHARTS_SAMPLE_GAP + cw + (col ? CHARTS_COL_GAP : 0.0);
    }
    k->height_cm = h;
    k->width_cm = w;
}

/* The key under the plot: the fewest lines of text in 1 to 3 columns (k[1]
 * is scratch). */
static void charts_key_below(const charts_chart *c, charts_key_layout *k)
{
    int best = 0;
    for (int ncol = 1; ncol <= 3 && ncol <= (c->nkey > 1 ? c->nkey : 1); ncol++) {
        double room = (CHARTS_PAGE_W - 0.6 - (ncol - 1) * CHARTS_COL_GAP) / ncol - CHARTS_SAMPLE_CM - CHARTS_SAMPLE_GAP;
        charts_key_measure(c, &k[1], ncol, room, 9.0);
        /* a wrapped label reads worse than a row more */
        double extra[2] = {0.0, 0.0};
        for (int j = best ? 0 : 1; j < 2; j++)
            for (int i = 0; i < c->nkey; i++) extra[j] += 0.5 * (k[j].lines[i] - 1);
        if (!best || k[1].height_cm + extra[1] < k[0].height_cm + extra[0] - 1e-9) {
            k[0] = k[1];
            best = ncol;
        }
    }
}

/* Draw the key with its top left corner at screen (x, y). */
static void charts_key_draw(charts_chart *c, const charts_key_layout *k, double x, double y)
{
    charts_text *b = &c->body;
    double lh = charts_line_cm(k->pt) / CHARTS_PAGE_H;
    double colx = x;
    for (int col = 0; col < k->ncol; col++) {
        double yy = y, cw = 0.0;
        for (int r = 0; r < k->rows; r++) {
            int i = col * k->rows + r, most = 1;
            for (int cc = 0; cc < k->ncol; cc++) {
                int j = cc * k->rows + r;
                if (j < c->nkey && k->lines[j] > most) most = k->lines[j];
            }
            if (i < c->nkey) {
                const charts_key_entry *e = &c->key[i];
                double mid = yy - lh * k->lines[i] / 2.0; /* the sample faces the label's middle */
                double sx0 = colx, sx1 = colx + CHARTS_SAMPLE_CM / CHARTS_PAGE_W, sh = 0.3 / CHARTS_PAGE_H;
                if (e->kind == CHARTS_KEY_BOX) {
                    /* a fill for plotting says lc; an object's colour is fc */
                    const char *st = e->style;
                    charts_printf(
                        b, "set object rect from screen %.4f, screen %.4f to screen %.4f, screen %.4f %s%s front\n",
                        sx0, mid - sh / 2, sx1, mid + sh / 2, strncmp(st, "lc ", 3) == 0 ? "fc " : "",
                        strncmp(st, "lc ", 3) == 0 ? st + 3 : st);
                } else {
                    if (e->kind != CHARTS_KEY_POINT)
                        charts_printf(
                            b, "set arrow from screen %.4f, screen %.4f to screen %.4f, screen %.4f nohead %s front\n",
                            sx0, mid, sx1, mid, e->style);
                    if (e->kind != CHARTS_KEY_LINE)
                        charts_printf(b, "set label \"\" at screen %.4f, screen %.4f point %s front\n", (sx0 + sx1) / 2,
                                      mid, e->style);
                }
                int line = 0;
                for (const char *l = k->lab[i]; l; line++) {
                    const char *nl = strchr(l, '\n');
                    char one[300];
                    snprintf(one, sizeof one, "%.*s", (int)(nl ? (size_t)(nl - l) : strlen(l)), l);
                    charts_puts(b, "set label ");
                    charts_quote(b, one);
                    charts_printf(b,
                                  " at screen %.4f, screen %.4f left font \",%.1f\" textcolor rgb \"#111111\" front\n",
                                  sx1 + CHARTS_SAMPLE_GAP / CHARTS_PAGE_W, yy - lh * (line + 0.5), k->pt);
                    l = nl ? nl + 1 : NULL;
                }
                cw = fmax(cw, charts_text_cm(k->lab[i], k->pt, 0));
            }
            yy -= lh * most + 0.12 / CHARTS_PAGE_H;
        }
        colx += (CHARTS_SAMPLE_CM + CHARTS_SAMPLE_GAP + cw + CHARTS_COL_GAP) / CHARTS_PAGE_W;
    }
}

double charts_frame(charts_chart *c, const charts_meta *m, const charts_frame_opts *o)
{
    charts_text *b = &c->body;
    char when[64];
    charts_long_date(when, sizeof when, m->run_date);

    /* Title: what the chart shows; subtitle: which scenario, of what. */
    charts_fit_label(c, 9001, o->title ? o->title : "", 0.955, 13.0, 10.0, 1, "#000000");
    charts_text sub = {0};
    if (o->scenario && *o->scenario)
        charts_printf(&sub, "%s%s%s", o->scenario, (m->title && *m->title) ? " \xe2\x80\x94 " : "",
                      m->title ? m->title : "");
    else if (m->title)
        charts_puts(&sub, m->title);
    if (sub.len) charts_fit_label(c, 9002, sub.s, 0.905, 10.0, 8.0, 0, "#333333");
    charts_scratch_free(c, &sub);

    /* The footnote: the note wrapped to the width, then the source, one
     * label a line at fixed heights (line spacing differs between terminals). */
    char wrapped[2400] = "";
    int lines = 0;
    if (o->note && *o->note) lines = charts_wrap_cm(wrapped, sizeof wrapped, o->note, CHARTS_PAGE_W - 0.6, 7.0, 0);
    charts_text foot = {0};
    charts_printf(&foot, "%s%sSource: %s. Produced %s.", wrapped, wrapped[0] ? "\n" : "",
                  (m->source && *m->source) ? m->source : "hnbsim", when[0] ? when : "(no run date)");
    int k = 0;
    for (char *line = foot.oom ? NULL : foot.s; line; k++) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        charts_printf(b, "set label %d ", 9003 + k);
        charts_quote(b, line);
        charts_printf(b, " at screen 0.012, screen %.3f left font \",7\" textcolor rgb \"#333333\"\n",
                      0.025 + 0.027 * (lines - k));
        line = nl ? nl + 1 : NULL;
    }
    charts_scratch_free(c, &foot);
    double foot_top = 0.045 + 0.027 * lines;
    c->axis_cm = o->axis_cm > 0.0 ? o->axis_cm : 1.45;
    double axis = c->axis_cm / CHARTS_PAGE_H;

    /* The key: under the plot if it takes at most a fifth of the page, else
     * in a column on the right. */
    charts_key_layout *key = c->nkey ? malloc(2 * sizeof *key) : NULL; /* ~20 kB: not on the stack */
    if (c->nkey && !key) b->oom = 1;
    int where = key ? o->key : -1;
    if (where == CHARTS_KEY_AUTO || where == CHARTS_KEY_BELOW) {
        charts_key_below(c, key);
        if (where == CHARTS_KEY_AUTO && key->height_cm > 0.2 * CHARTS_PAGE_H)
            where = CHARTS_KEY_RIGHT;
        else
            where = CHARTS_KEY_BELOW;
    }
    double bottom = foot_top + axis, right = 1.0 - (o->right_cm > 0.0 ? o->right_cm : 0.5) / CHARTS_PAGE_W;
    if (where == CHARTS_KEY_BELOW) {
        double key_top = foot_top + (key->height_cm + 0.1) / CHARTS_PAGE_H;
        bottom = key_top + axis + 0.015;
        double x = 0.5 - key->width_cm / CHARTS_PAGE_W / 2;
        charts_key_draw(c, key, x < 0.012 ? 0.012 : x, key_top);
    } else if (where == CHARTS_KEY_RIGHT) {
        /* one column, 8 pt, as wide as the longest label needs (at most 6.4
         * cm); smaller if that would run below the plot */
        double room = 6.4 - CHARTS_SAMPLE_CM - CHARTS_SAMPLE_GAP, tall = (0.83 - foot_top - axis) * CHARTS_PAGE_H;
        for (double pt = 8.0; pt >= 6.0; pt -= 0.5) {
            charts_key_measure(c, key, 1, room, pt);
            if (key->height_cm <= tall) break;
        }
        double x = 1.0 - (key->width_cm + 0.3) / CHARTS_PAGE_W;
        double r = x - (0.4 + (o->right_cm > 0.0 ? o->right_cm : 0.0)) / CHARTS_PAGE_W;
        right = fmin(right, r);
        charts_key_draw(c, key, x, 0.83);
        bottom = foot_top + axis;
    }
    free(key);
    c->box_t = 0.83;
    c->box_b = bottom;
    c->box_r = right;
    charts_printf(b, "set tmargin at screen 0.83\nset bmargin at screen %.3f\nset rmargin at screen %.3f\nunset key\n",
                  bottom, right);
    return bottom;
}

/* The x-axis title at a fixed depth under the plot, in the room charts_frame
 * left (gnuplot's own placement differs between terminals). */
static void charts_x_label(charts_chart *c, const char *label, double above_cm)
{
    if (!label || !*label) return;
    charts_puts(&c->body, "unset xlabel\nset label 9051 ");
    charts_quote(&c->body, label);
    charts_printf(&c->body, " at graph 0.5, screen %.4f center textcolor rgb \"#222222\"\n",
                  c->box_b - (c->axis_cm - above_cm) / CHARTS_PAGE_H);
}

void charts_left_axis(charts_chart *c, double tick_cm, const char *label)
{
    double lh = charts_line_cm(9.0), x = 0.25;
    if (label && *label) {
        /* no longer than the plot is tall (a key under it makes it short):
         * set smaller, down to 6.5 pt, rather than run into the title */
        double room = (c->box_t - c->box_b) * CHARTS_PAGE_H + 0.3, w = charts_text_cm(label, 9.0, 0);
        double pt = w > room ? fmax(6.5, 9.0 * room / w) : 9.0;
        charts_puts(&c->body, "unset ylabel\nset label 9050 ");
        charts_quote(&c->body, label);
        charts_printf(&c->body,
                      " at screen %.4f, graph 0.5 center rotate by 90 font \",%.1f\" textcolor rgb \"#222222\"\n",
                      (x + lh / 2) / CHARTS_PAGE_W, pt);
        x += lh + 0.2;
    }
    x += tick_cm + 0.35; /* tick labels, the tick and the gap between */
    c->box_l = x / CHARTS_PAGE_W;
    charts_printf(&c->body, "set lmargin at screen %.4f\n", c->box_l);
}

/* ---- axes ------------------------------------------------------------ */

static double charts_nice_step(double range, int target)
{
    double raw = range / target, mag = pow(10.0, floor(log10(raw))), f = raw / mag;
    double s = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 2.5 ? 2.5 : f <= 5.0 ? 5.0 : 10.0;
    return s * mag;
}

void charts_value_axis(charts_chart *c, char axis, double lo, double hi, int kind, double pad, const char *label)
{
    charts_text *b = &c->body;
    int zero = kind & CHARTS_ZERO, tight = kind & CHARTS_TIGHT;
    kind &= ~(CHARTS_ZERO | CHARTS_TIGHT);
    if (!isfinite(lo) || !isfinite(hi)) lo = hi = 0.0;
    if (zero && lo > 0.0) lo = 0.0;
    if (zero && hi < 0.0) hi = 0.0;
    if (hi - lo < 1e-9) hi = lo + 1.0;
    double span = hi - lo;
    if (!zero || lo < 0.0) lo -= pad * span;
    if (!zero || hi > 0.0) hi += pad * span;
    double step = charts_nice_step(hi - lo, 6);
    double a = floor(lo / step + 1e-9) * step, z = ceil(hi / step - 1e-9) * step;
    int decimals = 0;
    while (decimals < 3 && fabs(step * pow(10.0, decimals) - round(step * pow(10.0, decimals))) > 1e-6) decimals++;

    double rlo = tight ? lo : a, rhi = tight ? hi : z;
    if (tight) { /* ticks inside the range only */
        a = ceil(lo / step - 1e-9) * step;
        z = floor(hi / step + 1e-9) * step;
    }
    charts_printf(b, "set %crange [%.6g:%.6g]\nset %ctics (", axis, rlo, rhi, axis);
    c->ax_lo = rlo;
    c->ax_hi = rhi;
    int k = 0;
    double widest = 0.0;
    for (double v = a; v <= z + step * 1e-6 && k < 200; v = a + step * ++k) {
        char lab[64];
        double vv = fabs(v) < step * 1e-6 ? 0.0 : v;
        if (vv == 0.0)
            snprintf(lab, sizeof lab, "0");
        else if (kind == CHARTS_MONEY_M)
            charts_money(lab, sizeof lab, vv * 1e6, decimals, 0);
        else
            charts_count(lab, sizeof lab, vv);
        if (k) charts_puts(b, ", ");
        charts_quote(b, lab);
        charts_printf(b, " %.6g", vv);
        widest = fmax(widest, charts_text_cm(lab, 9.0, 0));
    }
    charts_printf(b, ")\nunset m%ctics\n", axis);
    if (axis == 'y')
        charts_left_axis(c, widest, label);
    else
        charts_x_label(c, label, 0.38);
}

/* Year y's label: "2026-27" (fy), "Jan 2027" (form 1) or "2027" (form 2). */
static void charts_year_text(char *s, size_t n, int y, int form)
{
    if (form == 1)
        snprintf(s, n, "Jan %d", y);
    else if (form == 2)
        snprintf(s, n, "%d", y);
    else
        fy_format(y, s);
}

/* One tick a year from y0 to y1. Up to ten years every year is labelled:
 * in one row at the largest size from 9 pt down to 7 pt that fits (census
 * years as "Jan 2027" if that fits at 9 pt, else "2027"), else in two
 * staggered rows (8 pt down to 6.5 pt), else, on a plot too narrow for even
 * that, every second (third, ...) year counting back from the last. Past ten
 * years the labels slant and are thinned the same way. The year `mark` (the
 * override year) is labelled whatever the thinning, its neighbours giving
 * way. The labels are drawn as labels at the tick (graph-independent screen
 * heights), not as tick labels, so that they can be staggered. */
static void charts_year_axis(charts_chart *c, int y0, int y1, int census, int mark, const char *label)
{
    static const struct {
        int form, rows;
        double pt;
    } tries[] = {{1, 1, 9.0}, {0, 1, 9.0}, {0, 1, 8.5}, {0, 1, 8.0}, {0, 1, 7.5},
                 {0, 1, 7.0}, {0, 2, 8.0}, {0, 2, 7.5}, {0, 2, 7.0}, {0, 2, 6.5}};
    charts_text *b = &c->body;
    int n = y1 - y0 + 1, slant = n > 10, form = census ? 2 : 0, rows = 1, step = 1;
    double pt = 9.0, each = (c->box_r - c->box_l) * CHARTS_PAGE_W / (n + 0.2); /* cm per year */
    char s[32];
    int fits = 0;
    for (size_t k = 0; k < sizeof tries / sizeof tries[0] && !slant && !fits; k++) {
        int f = tries[k].form == 1 ? (census ? 1 : -1) : census ? 2 : 0;
        if (f < 0) continue;
        double widest = 0.0;
        for (int y = y0; y <= y1; y++) {
            charts_year_text(s, sizeof s, y, f);
            widest = fmax(widest, charts_text_cm(s, tries[k].pt, 0));
        }
        if (widest + 0.25 <= each * tries[k].rows) {
            fits = 1;
            form = f;
            rows = tries[k].rows;
            pt = tries[k].pt;
        }
    }
    if (!fits) { /* thin out: every step-th year from the last */
        charts_year_text(s, sizeof s, y1, form);
        pt = slant ? 9.0 : 7.0;
        while (!slant && step < 50 && charts_text_cm(s, pt, 0) + 0.25 > each * step) step++;
        if (slant) step = (n + 9) / 10;
    }
    charts_printf(b, "set xrange [%.2f:%.2f]\nset xtics (", y0 - 0.6, y1 + 0.6);
    for (int y = y0; y <= y1; y++) {
        int shown = (y1 - y) % step == 0;
        if (mark >= y0 && mark <= y1 && step > 1) shown = y == mark || (shown && abs(y - mark) >= step);
        charts_year_text(s, sizeof s, y, form);
        charts_printf(b, "%s", y > y0 ? ", " : "");
        if (slant && shown)
            charts_quote_tic(b, s);
        else
            charts_puts(b, "''");
        charts_printf(b, " %d", y);
    }
    charts_puts(b, ")\nunset mxtics\n");
    if (slant) charts_puts(b, "set xtics rotate by 45 right\n");
    for (int y = y0; y <= y1 && !slant; y++) {
        int shown = (y1 - y) % step == 0;
        if (mark >= y0 && mark <= y1 && step > 1) shown = y == mark || (shown && abs(y - mark) >= step);
        if (!shown) continue;
        charts_year_text(s, sizeof s, y, form);
        int row = rows == 2 ? (y1 - y) % 2 : 0;
        charts_puts(b, "set label ");
        charts_quote(b, s);
        charts_printf(b, " at first %d, screen %.4f center font \",%.1f\" textcolor rgb \"#222222\"\n", y,
                      c->box_b - (0.36 + 0.3 * row) / CHARTS_PAGE_H, pt);
    }
    charts_x_label(c, label, rows == 2 ? 0.3 : 0.38);
}

void charts_fy_axis(charts_chart *c, int fy0, int fy1, int mark, const char *label)
{
    charts_year_axis(c, fy0, fy1, 0, mark, label);
}
void charts_census_axis(charts_chart *c, int c0, int c1, int mark, const char *label)
{
    charts_year_axis(c, c0, c1, 1, mark, label);
}

double charts_fy_axis_cm(int fy0, int fy1)
{
    /* "2026-27" slanted at 45 degrees past ten years needs about 1.3 cm */
    return fy1 - fy0 > 9 ? 2.1 : 1.45;
}

void charts_override_line(charts_chart *c, const char *date, int at_year_end, int tag)
{
    hnb_date d, next;
    if (date_parse(date, &d) != 0) return;
    /* The end of that day is the start of the next. */
    char s[32];
    snprintf(s, sizeof s, "%04d-%02d-%02d", d.y, d.m, d.d + 1);
    if (date_parse(s, &next) != 0) {
        snprintf(s, sizeof s, "%04d-%02d-01", d.m == 12 ? d.y + 1 : d.y, d.m == 12 ? 1 : d.m + 1);
        if (date_parse(s, &next) != 0) return;
    }
    /* x = fy is 1 April of fy+1 on a balance chart: months 12*(fy+1) + 3. */
    double x = (date_months(next) - 3.0) / 12.0 - 1.0 + (at_year_end ? 0.0 : 0.5);
    char when[48];
    charts_long_date(when, sizeof when, date);
    /* The label sits above the plot, where no data can be. */
    charts_printf(&c->body, "set arrow %d from %.4f, graph 0 to %.4f, graph 1.035 nohead ls 23 front\n", 9100 + tag, x,
                  x);
    char text[80];
    snprintf(text, sizeof text, "Statutory override ends %s", when);
    charts_printf(&c->body, "set label %d ", 9100 + tag);
    charts_quote(&c->body, text);
    charts_printf(&c->body, " at %.4f, graph 1.035 center offset 0,0.55 font \",8\" textcolor rgb \"#333333\" front\n",
                  x);
}
