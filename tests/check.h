/* check.h: the few assertions hnbsim's tests need, header-only.
 *
 * CHECK(cond) and CHECK_NEAR(got, want, tol) record a failure with file and
 * line and carry on; check_done() prints "N passed, N failed" and returns the
 * exit status for main(). */
#ifndef HNB_CHECK_H
#define HNB_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (cond) {                                                                  \
            check_passed++;                                                          \
        } else {                                                                     \
            check_failed++;                                                          \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

#define CHECK_NEAR(got, want, tol)                                                                            \
    do {                                                                                                      \
        double g_ = (double)(got), w_ = (double)(want);                                                       \
        if (fabs(g_ - w_) <= (double)(tol)) {                                                                 \
            check_passed++;                                                                                   \
        } else {                                                                                              \
            check_failed++;                                                                                   \
            fprintf(stderr, "%s:%d: %s = %.10g, expected %.10g (tol %g)\n", __FILE__, __LINE__, #got, g_, w_, \
                    (double)(tol));                                                                           \
        }                                                                                                     \
    } while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                                                             \
    do {                                                                                                            \
        const char *h_ = (hay), *n_ = (needle);                                                                     \
        if (h_ && strstr(h_, n_)) {                                                                                 \
            check_passed++;                                                                                         \
        } else {                                                                                                    \
            check_failed++;                                                                                         \
            fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__, h_ ? h_ : "(null)", n_); \
        }                                                                                                           \
    } while (0)

static inline int check_done(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
