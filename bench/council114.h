/* council114.h: the generated 114-placement council (council114.c). */
#ifndef HNB_BENCH_COUNCIL114_H
#define HNB_BENCH_COUNCIL114_H

#include <stdio.h>

/* Write the scenario file to f; 0, or -1 on a write error. */
int council114_write(FILE *f);

#endif
