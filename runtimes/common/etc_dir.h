/*
 * etc_dir.h — the directory that becomes a guest's /etc: regular files,
 * read-only, kept in the launcher's cache and checked on every launch
 * (etc_dir.c).  Internal to guest_env.c.
 */
#ifndef WASISOCK_ETC_DIR_H
#define WASISOCK_ETC_DIR_H

#include <stddef.h>
#include <stdint.h>

/* One file of the directory. */
typedef struct wasisock__etc_entry {
  char *path;           /* relative: "resolv.conf", "ssl/certs/x.crt" */
  unsigned char *bytes; /* its content */
  size_t len;
  int link_to; /* index of an earlier entry it is a hard link of
                  (the same bytes), or -1 */
} wasisock__etc_entry_t;

/* Makes sure a directory holding exactly entries[0..n) exists and returns
 * it in *dir (malloc'd): <cache_dir>/etc/<id>, checked and rebuilt if
 * needed, or, with cache_dir NULL, a new temporary directory (*temporary
 * set: remove it with wasisock__etc_remove).  0 or an errno value with a
 * message in err. */
int wasisock__etc_dir(const wasisock__etc_entry_t *entries, size_t n,
                      const char *cache_dir, uint64_t id, char **dir,
                      int *temporary, char *err, size_t errlen);

/* Removes a directory made above, read-only parts included.  0 or errno. */
int wasisock__etc_remove(const char *dir);

/* Writes the message into err (cut to errlen, terminated) and returns
 * code. */
int wasisock__fail(char *err, size_t errlen, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Reads a whole regular file (at most 16 MiB) into a malloc'd buffer.
 * 0 or errno (EISDIR, EFBIG, ENOENT, EACCES, ENOMEM, ...). */
int wasisock__read_file(const char *path, unsigned char **bytes, size_t *len);

#endif /* WASISOCK_ETC_DIR_H */
