/* pngenc.c: hnbsim-pngenc.so, the PNG encoder's settings for the gnuplot
 * processes that draw hnbsim's charts (loaded into them by LD_PRELOAD;
 * chartpipe.c). It is not part of libhnbsim and links nothing of it.
 *
 * What it owns. gnuplot's pngcairo terminal writes each PNG through cairo,
 * which calls libpng with libpng's defaults: the adaptive choice among the
 * five row filters for every row and zlib at level 6. For a 1280 x 800
 * chart that was about 470 M of the 740 M instructions gnuplot spends on it
 * (callgrind; docs/charts.md), and gnuplot offers no option to change it.
 * This module wraps png_write_info, the call every PNG writer makes once
 * after its header and before its first row, and there sets no row filter
 * and zlib level 3, then hands on to libpng's own png_write_info.
 *
 * Invariants. PNG is lossless: the pixels are exactly cairo's, whatever the
 * filter or the level, and only the bytes of the compressed stream differ
 * (tests/test_pngenc.c decodes both and compares every pixel). The file is
 * still byte-identical from run to run. Charts are flat colour, white
 * background and thin lines: unfiltered rows compress better than the
 * adaptive filters' (Sutton's 20 PNGs are a few per cent smaller) and level
 * 3 finds almost every match level 6 does.
 *
 * Trade-offs. A wrapper loaded into another program is the only way to
 * reach libpng's settings inside gnuplot; it names only libpng's stable
 * C API (png_set_filter, png_set_compression_level, png_write_info, the
 * same since libpng 1.0) and declares the types as opaque, so it builds
 * without libpng's headers. If libpng is not in the process (a gnuplot
 * without cairo) nothing calls it; if a libpng function cannot be found it
 * is skipped, so the worst case is libpng's defaults. It is built without
 * the sanitizers (a sanitized module cannot be preloaded into an
 * uninstrumented gnuplot) and exports only png_write_info. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <string.h>

typedef struct png_struct_def png_struct;
typedef struct png_info_def png_info;

#define PNGENC_FILTER_NONE 0x08 /* PNG_FILTER_NONE in png.h */
#define PNGENC_LEVEL       3    /* zlib: 1-3 the fast matcher, 6 the default */

typedef void (*write_info_fn)(png_struct *, png_info *);
typedef void (*set_filter_fn)(png_struct *, int, int);
typedef void (*set_level_fn)(png_struct *, int);

/* The next definition of name after this module's (libpng's), or NULL. */
static void *pngenc_next(const char *name) { return dlsym(RTLD_NEXT, name); }

__attribute__((visibility("default"))) void png_write_info(png_struct *png, png_info *info)
{
    /* dlsym gives a void *: copied, not cast, into a function pointer
     * (ISO C has no conversion between the two) */
    void *w = pngenc_next("png_write_info"), *f = pngenc_next("png_set_filter"),
         *l = pngenc_next("png_set_compression_level");
    write_info_fn write_info = NULL;
    set_filter_fn set_filter = NULL;
    set_level_fn set_level = NULL;
    if (w) memcpy(&write_info, &w, sizeof w);
    if (f) memcpy(&set_filter, &f, sizeof f);
    if (l) memcpy(&set_level, &l, sizeof l);
    if (!write_info) return; /* no libpng after this module: nothing to write with */
    if (png && set_filter) set_filter(png, 0, PNGENC_FILTER_NONE);
    if (png && set_level) set_level(png, PNGENC_LEVEL);
    write_info(png, info);
}
