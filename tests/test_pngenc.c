/* test_pngenc.c: the PNG encoder's settings module (plots/preload/pngenc.c,
 * preloaded into gnuplot by plots/chartenv.c) changes how the PNGs are
 * compressed and never what they show.
 *
 * The fixture's charts are drawn as PNG twice with the real gnuplot: with
 * the module (found in the build tree, as `hnbsim` finds it) and without it
 * (HNB_PNGENC=none: libpng's defaults). Each pair is decoded here (zlib,
 * then the five PNG row filters undone) and must have the same size, colour
 * type and every pixel byte; the files with the module must use no row
 * filter (so the module was loaded and did its work), those without it the
 * adaptive filters (so the comparison compares two encodings). A small
 * hand-made PNG with every filter type checks the decoder itself against
 * its known pixels. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "hnbsim.h"
#include "hnbsim_plots.h"

#define FIXTURE "data/results-fixture.json"

/* A decoded 8-bit PNG: its pixels, row after row, and which filters its
 * rows used (bit f set: some row used filter f). */
typedef struct image {
    uint32_t w, h;
    int colour, channels;
    unsigned char *px;
    unsigned filters;
} image;

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Decode the PNG in buf[0..n) into im; 0 on success. Only what charts use:
 * 8 bits a channel, grey, RGB, grey+alpha or RGBA, not interlaced. */
static int png_decode(const unsigned char *buf, size_t n, image *im)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    memset(im, 0, sizeof *im);
    if (n < 8 || memcmp(buf, sig, 8) != 0) return -1;
    unsigned char *z = NULL;
    size_t zn = 0;
    int depth = 0, interlace = 0;
    for (size_t at = 8; at + 12 <= n;) {
        uint32_t len = be32(buf + at);
        const unsigned char *type = buf + at + 4, *data = buf + at + 8;
        if (at + 12 + (size_t)len > n) break;
        if (!memcmp(type, "IHDR", 4) && len >= 13) {
            im->w = be32(data);
            im->h = be32(data + 4);
            depth = data[8];
            im->colour = data[9];
            interlace = data[12];
        } else if (!memcmp(type, "IDAT", 4)) {
            unsigned char *g = realloc(z, zn + len);
            if (!g) break;
            z = g;
            memcpy(z + zn, data, len);
            zn += len;
        }
        at += 12 + (size_t)len;
    }
    im->channels = im->colour == 0 ? 1 : im->colour == 2 ? 3 : im->colour == 4 ? 2 : im->colour == 6 ? 4 : 0;
    if (depth != 8 || interlace || !im->channels || !im->w || !im->h || !z) {
        free(z);
        return -1;
    }
    size_t stride = (size_t)im->w * (size_t)im->channels, raw_n = (stride + 1) * im->h;
    unsigned char *raw = malloc(raw_n);
    im->px = malloc(stride * im->h);
    uLongf got = (uLongf)raw_n;
    int zrc = raw && im->px ? uncompress(raw, &got, z, (uLong)zn) : Z_MEM_ERROR;
    free(z);
    if (zrc != Z_OK || got != raw_n) {
        free(raw);
        free(im->px);
        im->px = NULL;
        return -1;
    }
    int bpp = im->channels;
    for (uint32_t y = 0; y < im->h; y++) {
        const unsigned char *in = raw + y * (stride + 1) + 1;
        unsigned char *out = im->px + y * stride, *up = y ? out - stride : NULL;
        int f = raw[y * (stride + 1)];
        if (f > 4) {
            free(raw);
            return -1;
        }
        im->filters |= 1u << f;
        for (size_t i = 0; i < stride; i++) {
            int a = i >= (size_t)bpp ? out[i - bpp] : 0, b = up ? up[i] : 0,
                c = up && i >= (size_t)bpp ? up[i - bpp] : 0;
            int pred = f == 0 ? 0 : f == 1 ? a : f == 2 ? b : f == 3 ? (a + b) / 2 : paeth(a, b, c);
            out[i] = (unsigned char)(in[i] + pred);
        }
    }
    free(raw);
    return 0;
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *s = len > 0 ? malloc((size_t)len) : NULL;
    if (s && fread(s, 1, (size_t)len, f) != (size_t)len) {
        free(s);
        s = NULL;
    }
    fclose(f);
    *n = s ? (size_t)len : 0;
    return s;
}

static int decode_file(const char *path, image *im)
{
    size_t n = 0;
    unsigned char *buf = slurp(path, &n);
    int rc = buf ? png_decode(buf, n, im) : -1;
    free(buf);
    return rc;
}

/* The decoder against a PNG made here: 3 x 5 RGB pixels, one row per
 * filter type, compressed by zlib. */
static void test_decoder(void)
{
    unsigned char px[5][9], raw[5][10];
    for (int y = 0; y < 5; y++)
        for (int i = 0; i < 9; i++) px[y][i] = (unsigned char)(y * 37 + i * i * 11 + (i % 3) * 50);
    for (int y = 0; y < 5; y++) {
        raw[y][0] = (unsigned char)y;
        for (int i = 0; i < 9; i++) {
            int a = i >= 3 ? px[y][i - 3] : 0, b = y ? px[y - 1][i] : 0, c = y && i >= 3 ? px[y - 1][i - 3] : 0;
            int pred = y == 0 ? 0 : y == 1 ? a : y == 2 ? b : y == 3 ? (a + b) / 2 : paeth(a, b, c);
            raw[y][1 + i] = (unsigned char)(px[y][i] - pred);
        }
    }
    unsigned char z[256], png[512];
    uLongf zn = sizeof z;
    CHECK(compress(z, &zn, &raw[0][0], sizeof raw) == Z_OK);
    size_t n = 0;
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    memcpy(png, sig, 8);
    n = 8;
    const unsigned char ihdr[13] = {0, 0, 0, 3, 0, 0, 0, 5, 8, 2, 0, 0, 0};
    const struct {
        const char *type;
        const unsigned char *data;
        uint32_t len;
    } chunks[3] = {{"IHDR", ihdr, 13}, {"IDAT", z, (uint32_t)zn}, {"IEND", NULL, 0}};
    for (int k = 0; k < 3; k++) {
        uint32_t len = chunks[k].len;
        unsigned char head[8] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16), (unsigned char)(len >> 8),
                                 (unsigned char)len};
        memcpy(head + 4, chunks[k].type, 4);
        memcpy(png + n, head, 8);
        if (len) memcpy(png + n + 8, chunks[k].data, len);
        uLong crc = crc32(crc32(0, head + 4, 4), chunks[k].data, len);
        unsigned char tail[4] = {(unsigned char)(crc >> 24), (unsigned char)(crc >> 16), (unsigned char)(crc >> 8),
                                 (unsigned char)crc};
        memcpy(png + n + 8 + len, tail, 4);
        n += 12 + len;
    }
    image im;
    CHECK(png_decode(png, n, &im) == 0);
    CHECK(im.w == 3 && im.h == 5 && im.channels == 3);
    CHECK(im.filters == 0x1f);
    CHECK(im.px && memcmp(im.px, px, sizeof px) == 0);
    free(im.px);
}

static char *make_tmpdir(void)
{
    char tmpl[] = "/tmp/hnb-pngenc-XXXXXX";
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char p[4096];
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        remove(p);
    }
    closedir(d);
    rmdir(dir);
}

/* The fixture's PNGs with the module and without: the same pixels. */
static void test_same_pixels(void)
{
    char *with = make_tmpdir(), *without = make_tmpdir();
    if (!with || !without) return;
    hnb_model *h = hnb_model_alloc();
    unsetenv("HNB_PNGENC");
    CHECK(hnb_plot_file(h, FIXTURE, with, HNB_FMT_PNG) == HNB_OK);
    setenv("HNB_PNGENC", "none", 1);
    CHECK(hnb_plot_file(h, FIXTURE, without, HNB_FMT_PNG) == HNB_OK);
    unsetenv("HNB_PNGENC");
    DIR *d = opendir(without);
    int compared = 0;
    long bytes_with = 0, bytes_without = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".png") != 0) continue;
        char a[4096], b[4096];
        snprintf(a, sizeof a, "%s/%s", with, e->d_name);
        snprintf(b, sizeof b, "%s/%s", without, e->d_name);
        image ia, ib;
        int ra = decode_file(a, &ia), rb = decode_file(b, &ib);
        CHECK(ra == 0 && rb == 0);
        if (ra == 0 && rb == 0) {
            CHECK(ia.w == ib.w && ia.h == ib.h && ia.colour == ib.colour);
            CHECK(ia.w == ib.w && ia.h == ib.h && memcmp(ia.px, ib.px, (size_t)ia.w * ia.h * ia.channels) == 0);
            CHECK(ia.filters == 1u); /* the module: no row filter */
            CHECK(ib.filters != 1u); /* libpng's defaults: adaptive filters */
            if (ia.filters != 1u) fprintf(stderr, "%s: filters 0x%x with the module\n", e->d_name, ia.filters);
            struct stat sa, sb;
            if (stat(a, &sa) == 0 && stat(b, &sb) == 0) {
                bytes_with += (long)sa.st_size;
                bytes_without += (long)sb.st_size;
            }
            compared++;
        }
        free(ia.px);
        free(ib.px);
    }
    if (d) closedir(d);
    CHECK(compared >= 5);
    printf("%d PNGs compared: %ld bytes with the module, %ld without\n", compared, bytes_with, bytes_without);
    hnb_model_free(h);
    remove_tree(with);
    remove_tree(without);
    free(with);
    free(without);
}

int main(void)
{
    test_decoder();
    test_same_pixels();
    return check_done();
}
