/*
 * etc_dir.c — the guest's /etc as a host directory of regular files.
 *
 * Read-only the way a WASI guest can tell: files 0444 in directories 0555,
 * and WASI preview 1 has no chmod.  A guest running as root can still
 * write (permissions do not bind root), so a cached directory is checked
 * on every launch — every file's mode and bytes, nothing more and nothing
 * less — and rebuilt if anything differs: in a new directory beside it,
 * renamed into place, so a launcher starting at the same moment sees the
 * old tree or the new one, never half of one.
 */
#define _DEFAULT_SOURCE /* mkdtemp, O_CLOEXEC, DT_* */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "etc_dir.h"

#define WASISOCK__MAX_FILE (16u << 20)
#define WASISOCK__FILE_MODE 0444
#define WASISOCK__DIR_MODE 0555

int wasisock__fail(char *err, size_t errlen, int code, const char *fmt, ...) {
  va_list ap;

  if (err != NULL && errlen > 0) {
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return code;
}

int wasisock__read_file(const char *path, unsigned char **bytes, size_t *len) {
  unsigned char *buf = NULL;
  struct stat st;
  size_t got = 0;
  ssize_t r;
  int fd, e = 0;

  *bytes = NULL;
  *len = 0;
  if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
    return errno;
  if (fstat(fd, &st) == -1) {
    e = errno;
  } else if (S_ISDIR(st.st_mode)) {
    e = EISDIR;
  } else if (!S_ISREG(st.st_mode)) {
    e = EINVAL;
  } else if ((uint64_t)st.st_size > WASISOCK__MAX_FILE) {
    e = EFBIG;
  } else if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
    e = ENOMEM;
  }
  /* Read to the size stat gave; a file that grows meanwhile is cut there. */
  while (e == 0 && got < (size_t)st.st_size) {
    r = read(fd, buf + got, (size_t)st.st_size - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      e = errno;
    if (r <= 0)
      break;
    got += (size_t)r;
  }
  close(fd);
  if (e != 0) {
    free(buf);
    return e;
  }
  *bytes = buf;
  *len = got;
  return 0;
}

/* ---- Walking a tree ------------------------------------------------------ */

/* fn(ctx, path, rel, st, post) for everything under dir (not dir itself):
 * directories twice, before (post 0) and after (post 1) their contents.
 * Symlinks are not followed.  Stops at fn's first non-zero result. */
typedef int (*wasisock__visit_fn)(void *ctx, const char *path, const char *rel,
                                  const struct stat *st, int post);

static int wasisock__walk(const char *dir, const char *rel,
                          wasisock__visit_fn fn, void *ctx) {
  char path[4096], sub[4096];
  struct dirent *d;
  struct stat st;
  DIR *dp;
  int r = 0;

  if ((dp = opendir(dir)) == NULL)
    return errno;
  while (r == 0 && (d = readdir(dp)) != NULL) {
    if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
      continue;
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, d->d_name) >=
            sizeof(path) ||
        (size_t)snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
                         d->d_name) >= sizeof(sub)) {
      r = ENAMETOOLONG;
      break;
    }
    if (lstat(path, &st) == -1) {
      r = errno;
      break;
    }
    if ((r = fn(ctx, path, sub, &st, 0)) != 0)
      break;
    if (S_ISDIR(st.st_mode) && ((r = wasisock__walk(path, sub, fn, ctx)) != 0 ||
                                (r = fn(ctx, path, sub, &st, 1)) != 0))
      break;
  }
  closedir(dp);
  return r;
}

static int wasisock__remove_visit(void *ctx, const char *path, const char *rel,
                                  const struct stat *st, int post) {
  (void)ctx;
  (void)rel;
  if (S_ISDIR(st->st_mode)) {
    /* Writable before its entries go, gone after. */
    if (!post)
      return chmod(path, 0755) == -1 ? errno : 0;
    return rmdir(path) == -1 ? errno : 0;
  }
  return unlink(path) == -1 && errno != ENOENT ? errno : 0;
}

int wasisock__etc_remove(const char *dir) {
  int r;

  if (chmod(dir, 0755) == -1)
    return errno == ENOENT ? 0 : errno;
  if ((r = wasisock__walk(dir, "", wasisock__remove_visit, NULL)) != 0)
    return r;
  return rmdir(dir) == -1 ? errno : 0;
}

/* ---- Checking a tree ----------------------------------------------------- */

typedef struct wasisock__check {
  const wasisock__etc_entry_t *entries;
  size_t n, found;
} wasisock__check_t;

/* Whether path holds len bytes equal to bytes. */
static int wasisock__same_bytes(const char *path, const unsigned char *bytes,
                                size_t len) {
  unsigned char *have;
  size_t n;
  int same;

  if (wasisock__read_file(path, &have, &n) != 0)
    return 0;
  same = n == len && (len == 0 || memcmp(have, bytes, len) == 0);
  free(have);
  return same;
}

static int wasisock__check_visit(void *ctx, const char *path, const char *rel,
                                 const struct stat *st, int post) {
  wasisock__check_t *c = ctx;
  size_t i;

  if (S_ISDIR(st->st_mode))
    return (st->st_mode & 07777) == WASISOCK__DIR_MODE || post ? 0 : -1;
  if (!S_ISREG(st->st_mode) || (st->st_mode & 07777) != WASISOCK__FILE_MODE)
    return -1;
  for (i = 0; i < c->n; i++) {
    if (strcmp(c->entries[i].path, rel) != 0)
      continue;
    if ((size_t)st->st_size != c->entries[i].len ||
        !wasisock__same_bytes(path, c->entries[i].bytes, c->entries[i].len))
      return -1;
    c->found++;
    return 0;
  }
  return -1; /* a file nobody asked for */
}

/* 1 when dir holds exactly the entries, read-only. */
static int wasisock__etc_holds(const char *dir,
                               const wasisock__etc_entry_t *entries, size_t n) {
  wasisock__check_t c = {entries, n, 0};
  struct stat st;

  if (lstat(dir, &st) == -1 || !S_ISDIR(st.st_mode) ||
      (st.st_mode & 07777) != WASISOCK__DIR_MODE)
    return 0;
  return wasisock__walk(dir, "", wasisock__check_visit, &c) == 0 &&
         c.found == n;
}

/* ---- Making a tree ------------------------------------------------------- */

/* mkdir -p of the directories of rel under root (0755 while building). */
static int wasisock__make_parents(const char *root, const char *rel) {
  char path[4096];
  const char *slash;
  size_t base = strlen(root);

  for (slash = strchr(rel, '/'); slash != NULL;
       slash = strchr(slash + 1, '/')) {
    if (base + 1 + (size_t)(slash - rel) >= sizeof(path))
      return ENAMETOOLONG;
    snprintf(path, sizeof(path), "%s/%.*s", root, (int)(slash - rel), rel);
    if (mkdir(path, 0755) == -1 && errno != EEXIST)
      return errno;
  }
  return 0;
}

static int wasisock__write_file(const char *path, const unsigned char *bytes,
                                size_t len) {
  size_t off = 0;
  ssize_t w;
  int fd, e = 0;

  fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd == -1)
    return errno;
  while (off < len) {
    w = write(fd, bytes + off, len - off);
    if (w < 0 && errno == EINTR)
      continue;
    if (w < 0) {
      e = errno;
      break;
    }
    off += (size_t)w;
  }
  if (e == 0 && fchmod(fd, WASISOCK__FILE_MODE) == -1)
    e = errno;
  if (close(fd) == -1 && e == 0)
    e = errno;
  return e;
}

static int wasisock__seal_visit(void *ctx, const char *path, const char *rel,
                                const struct stat *st, int post) {
  (void)ctx;
  (void)rel;
  if (S_ISDIR(st->st_mode) && post)
    return chmod(path, WASISOCK__DIR_MODE) == -1 ? errno : 0;
  return 0;
}

/* Fills the empty directory root with the entries, then makes it
 * read-only.  errno, with *what naming the file that failed. */
static int wasisock__etc_fill(const char *root,
                              const wasisock__etc_entry_t *entries, size_t n,
                              const char **what) {
  char path[4096], first[4096];
  size_t i;
  int r;

  for (i = 0; i < n; i++) {
    const wasisock__etc_entry_t *e = &entries[i];
    *what = e->path;
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", root, e->path) >=
        sizeof(path))
      return ENAMETOOLONG;
    if ((r = wasisock__make_parents(root, e->path)) != 0)
      return r;
    if (e->link_to >= 0 && (size_t)e->link_to < i) {
      snprintf(first, sizeof(first), "%s/%s", root, entries[e->link_to].path);
      if (link(first, path) == 0)
        continue;
      /* No hard links here (some file systems): a copy does as well. */
    }
    if ((r = wasisock__write_file(path, e->bytes, e->len)) != 0)
      return r;
  }
  *what = root;
  if ((r = wasisock__walk(root, "", wasisock__seal_visit, NULL)) != 0)
    return r;
  return chmod(root, WASISOCK__DIR_MODE) == -1 ? errno : 0;
}

static int wasisock__mkdir_p(const char *dir) {
  char path[4096];
  size_t i, len = strlen(dir);

  if (len >= sizeof(path))
    return ENAMETOOLONG;
  memcpy(path, dir, len + 1);
  for (i = 1; i <= len; i++) {
    if (path[i] != '/' && path[i] != '\0')
      continue;
    path[i] = '\0';
    if (mkdir(path, 0755) == -1 && errno != EEXIST)
      return errno;
    path[i] = dir[i];
  }
  return 0;
}

int wasisock__etc_dir(const wasisock__etc_entry_t *entries, size_t n,
                      const char *cache_dir, uint64_t id, char **dir,
                      int *temporary, char *err, size_t errlen) {
  /* Sized so each name fits in the next: <cache>/etc, /<id>, .<pid>.XXXXXX,
   * .old. */
  char parent[3968], final[4000], tmp[4096], old[4104];
  const char *what = "";
  int r;

  *dir = NULL;
  *temporary = 0;
  if (cache_dir == NULL) {
    const char *t = getenv("TMPDIR");
    snprintf(tmp, sizeof(tmp), "%s/wasisock-etc-XXXXXX", t && *t ? t : "/tmp");
    if (mkdtemp(tmp) == NULL)
      return wasisock__fail(err, errlen, errno, "%s: %s", tmp, strerror(errno));
    if ((r = wasisock__etc_fill(tmp, entries, n, &what)) != 0) {
      (void)wasisock__etc_remove(tmp);
      return wasisock__fail(err, errlen, r, "%s: %s", what, strerror(r));
    }
    *temporary = 1;
    return (*dir = strdup(tmp)) == NULL ? ENOMEM : 0;
  }

  if ((size_t)snprintf(parent, sizeof(parent), "%s/etc", cache_dir) >=
      sizeof(parent))
    return wasisock__fail(err, errlen, ENAMETOOLONG, "%s: %s", cache_dir,
                          strerror(ENAMETOOLONG));
  snprintf(final, sizeof(final), "%s/%016llx", parent, (unsigned long long)id);
  if (!wasisock__etc_holds(final, entries, n)) {
    if ((r = wasisock__mkdir_p(parent)) != 0)
      return wasisock__fail(err, errlen, r, "%s: %s", parent, strerror(r));
    snprintf(tmp, sizeof(tmp), "%s.%ld.XXXXXX", final, (long)getpid());
    if (mkdtemp(tmp) == NULL)
      return wasisock__fail(err, errlen, errno, "%s: %s", tmp, strerror(errno));
    if ((r = wasisock__etc_fill(tmp, entries, n, &what)) != 0) {
      (void)wasisock__etc_remove(tmp);
      return wasisock__fail(err, errlen, r, "%s: %s", what, strerror(r));
    }
    snprintf(old, sizeof(old), "%s.old", tmp);
    (void)rename(final, old); /* none yet: ENOENT */
    if (rename(tmp, final) == -1) {
      /* Another launcher put its copy in place first: as good as ours. */
      r = errno;
      (void)wasisock__etc_remove(tmp);
      if (!wasisock__etc_holds(final, entries, n))
        return wasisock__fail(err, errlen, r, "%s: %s", final, strerror(r));
    }
    (void)wasisock__etc_remove(old);
  }
  return (*dir = strdup(final)) == NULL ? ENOMEM : 0;
}
