/* fileout.c: atomic output files (see fileout.h). The folder a file goes in
 * is created when missing.
 *
 * The temporary name is "<path>.tmp.<pid>" in the target's folder so that the
 * final rename(2) never crosses a file system and is atomic on POSIX. */
#define _POSIX_C_SOURCE 200809L
#include "core/fileout.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

/* The temporary files open now, for hnb_remove_temporaries (a signal
 * handler): fixed slots, written before the file is created and cleared
 * after it is renamed or removed, so the handler needs no lock or malloc. */
#define TEMP_SLOTS 16
static char temporaries[TEMP_SLOTS][4096];

static void temp_note(const char *tmp)
{
    for (int i = 0; i < TEMP_SLOTS; i++)
        if (!temporaries[i][0] && strlen(tmp) < sizeof temporaries[i]) {
            memcpy(temporaries[i], tmp, strlen(tmp) + 1);
            return;
        }
}

static void temp_forget(const char *tmp)
{
    for (int i = 0; i < TEMP_SLOTS; i++)
        if (temporaries[i][0] && strcmp(temporaries[i], tmp) == 0) temporaries[i][0] = '\0';
}

void hnb_remove_temporaries(void)
{
    for (int i = 0; i < TEMP_SLOTS; i++)
        if (temporaries[i][0]) unlink(temporaries[i]);
}

char *fileout_join(const char *dir, const char *name)
{
    size_t nd = strlen(dir), nn = strlen(name);
    char *s = malloc(nd + nn + 2);
    if (!s) return NULL;
    memcpy(s, dir, nd);
    size_t k = nd;
    if (nd && dir[nd - 1] != '/') s[k++] = '/';
    memcpy(s + k, name, nn + 1);
    return s;
}

int fileout_reserve(hnb_model *h, fileout *f, const char *path)
{
    memset(f, 0, sizeof *f);
    const char *slash = strrchr(path, '/');
    if (slash && slash != path) { /* the folder it goes in, created if needed */
        char *dir = strndup(path, (size_t)(slash - path));
        int rc = dir ? fileout_mkdirs(h, dir) : err_set(h, HNB_E_NOMEM, "out of memory");
        free(dir);
        if (rc) return rc;
    }
    size_t n = strlen(path) + 40;
    f->path = strdup(path);
    f->tmp = malloc(n);
    if (!f->path || !f->tmp) {
        fileout_abort(f);
        return err_set(h, HNB_E_NOMEM, "out of memory preparing %s", path);
    }
    snprintf(f->tmp, n, "%s.tmp.%ld", path, (long)getpid());
    return HNB_OK;
}

int fileout_open(hnb_model *h, fileout *f, const char *path)
{
    int rc = fileout_reserve(h, f, path);
    if (rc) return rc;
    temp_note(f->tmp);
    f->fp = fopen(f->tmp, "wb");
    if (!f->fp) {
        rc = err_set(h, HNB_E_WRITE, "%s: cannot create file: %s (expected a writable folder)", path, strerror(errno));
        fileout_abort(f);
    }
    return rc;
}

int fileout_commit(hnb_model *h, fileout *f)
{
    int rc = HNB_OK;
    if (f->fp) {
        int bad = ferror(f->fp);
        if (fclose(f->fp) != 0 || bad) rc = err_set(h, HNB_E_WRITE, "%s: write failed: %s", f->path, strerror(errno));
        f->fp = NULL;
    }
    if (!rc && rename(f->tmp, f->path) != 0)
        rc = err_set(h, HNB_E_WRITE, "%s: cannot rename %s into place: %s", f->path, f->tmp, strerror(errno));
    if (rc) {
        fileout_abort(f);
        return rc;
    }
    temp_forget(f->tmp);
    free(f->path);
    free(f->tmp);
    f->path = f->tmp = NULL;
    return HNB_OK;
}

void fileout_abort(fileout *f)
{
    if (f->fp) fclose(f->fp);
    if (f->tmp) {
        remove(f->tmp);
        temp_forget(f->tmp);
    }
    free(f->path);
    free(f->tmp);
    memset(f, 0, sizeof *f);
}

int fileout_write_string(hnb_model *h, const char *path, const char *text)
{
    fileout f;
    int rc = fileout_open(h, &f, path);
    if (rc) return rc;
    fputs(text, f.fp);
    return fileout_commit(h, &f);
}

int fileout_mkdirs(hnb_model *h, const char *dir)
{
    char *p = strdup(dir);
    if (!p) return err_set(h, HNB_E_NOMEM, "out of memory");
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) break;
        *s = '/';
    }
    int ok = mkdir(p, 0777) == 0 || errno == EEXIST;
    struct stat st;
    ok = ok && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
    int rc =
        ok ? HNB_OK
           : err_set(h, HNB_E_WRITE, "%s: cannot create folder: %s (expected a writable path)", dir, strerror(errno));
    free(p);
    return rc;
}

int file_read_text(hnb_model *h, const char *path, char **text, size_t *len)
{
    *text = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return err_set(h, HNB_E_OPEN, "%s: cannot open: %s (expected a readable file)", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) break;
        char *t = realloc(buf, 2 * cap + 1);
        if (!t) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = t;
        cap *= 2;
    }
    int bad = ferror(f), err = errno;
    fclose(f);
    if (!buf) return err_set(h, HNB_E_NOMEM, "%s: out of memory reading the file", path);
    if (bad) {
        free(buf);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return err_set(h, HNB_E_OPEN, "%s: is a folder (expected a file)", path);
        return err_set(h, HNB_E_OPEN, "%s: read error: %s", path, strerror(err));
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return HNB_OK;
}
