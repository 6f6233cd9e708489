/* fileout.h: outputs are written to a temporary name beside the target and
 * renamed into place only when complete, so an interrupted or failed run
 * never leaves a half-written file under the real name. */
#ifndef HNB_FILEOUT_H
#define HNB_FILEOUT_H

#include <stdio.h>

#include "hnbsim.h"

/* A file being written: `tmp` is where the bytes go until fileout_commit. */
typedef struct fileout {
    FILE *fp;
    char *path; /* final name */
    char *tmp;  /* temporary name in the same folder */
} fileout;

/* Open path.tmp.<pid> for writing (binary). */
int fileout_open(hnb_model *h, fileout *f, const char *path);
/* Only reserve the temporary name (for libraries that open files themselves). */
int fileout_reserve(hnb_model *h, fileout *f, const char *path);
/* Close, check for write errors, rename into place. Frees f's names. */
int fileout_commit(hnb_model *h, fileout *f);
/* Close and remove the temporary file. Frees f's names. Safe on a zeroed f. */
void fileout_abort(fileout *f);
/* Write a whole string to path atomically. */
int fileout_write_string(hnb_model *h, const char *path, const char *text);
/* mkdir -p for one folder level or several. */
int fileout_mkdirs(hnb_model *h, const char *dir);
/* Join dir and name into a new string (caller frees). */
char *fileout_join(const char *dir, const char *name);

/* Read a whole file into a new NUL-terminated buffer (caller frees); errors
 * name the file. */
int file_read_text(hnb_model *h, const char *path, char **text, size_t *len);

#endif
