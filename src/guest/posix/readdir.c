/*
 * readdir.c — a directory listing in one fd_readdir (wrapped: wasi-libc's
 * opendir, readdir, scandir and fdopendir all read directories through
 * __wasi_fd_readdir).
 *
 * wasi-libc reads a directory 4 KiB at a time, each read starting at the
 * cookie where the last one ended.  The engines answer each read by
 * listing the whole directory again and skipping to the cookie — wasmtime
 * 50 with one stat per entry (for d_ino), each a hop to a thread of its own
 * — so a directory of N entries cost N × (its size / 4 KiB) stats: 2 ×
 * 189 for CPython's /lib/python3.13 at every start, 34,000 stats and 0.8 s
 * for os.listdir() of 2,000 files (Node: 14 ms).
 *
 * Here a read at cookie 0 (a new opendir, or rewinddir) asks the host for
 * the whole directory at once, into a buffer grown until it holds it, and
 * keeps it; the reads that continue it (a cookie the kept listing gave out,
 * on the same directory: checked by device and inode, one cheap call) are
 * answered from it.  So each listing is one pass over the directory in
 * every engine, and one consistent picture of it (reads spread over time
 * could see entries shift).  Anything else goes to the host as before.
 */
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#include "internal.h"

__wasi_errno_t __real___wasi_fd_readdir(__wasi_fd_t, uint8_t *, __wasi_size_t,
                                        __wasi_dircookie_t, __wasi_size_t *);

/* The first buffer, and the largest listing kept: beyond it, the reads go
 * to the host in pieces of this size (still ~300 × fewer passes). */
#define LISTING_FIRST (64u << 10)
#define LISTING_MAX (16u << 20)

/* One kept listing: the directory's bytes from cookie `start` on. */
static struct {
  int valid;
  __wasi_fd_t fd;
  __wasi_device_t dev;
  __wasi_inode_t ino;
  __wasi_dircookie_t start;
  uint8_t *buf;
  size_t cap, used;
  int whole; /* used < cap: the listing reaches the directory's end */
} listing;

static __wasi_errno_t identity(__wasi_fd_t fd, __wasi_device_t *dev,
                               __wasi_inode_t *ino) {
  __wasi_filestat_t st;
  __wasi_errno_t e = __wasi_fd_filestat_get(fd, &st);
  if (e == 0) {
    *dev = st.dev;
    *ino = st.ino;
  }
  return e;
}

/* Reads the directory from cookie into the kept listing, growing its
 * buffer until the listing fits or reaches LISTING_MAX.  0, or the host's
 * error (then nothing is kept). */
static __wasi_errno_t fetch(__wasi_fd_t fd, __wasi_dircookie_t cookie) {
  __wasi_size_t got;
  __wasi_errno_t e;
  size_t cap = listing.cap ? listing.cap : LISTING_FIRST;
  uint8_t *buf;

  listing.valid = 0;
  if ((e = identity(fd, &listing.dev, &listing.ino)) != 0)
    return e;
  for (;;) {
    if (cap != listing.cap) {
      buf = realloc(listing.buf, cap);
      if (buf == NULL)
        return __WASI_ERRNO_NOMEM;
      listing.buf = buf;
      listing.cap = cap;
    }
    e = __real___wasi_fd_readdir(fd, listing.buf, (__wasi_size_t)cap, cookie,
                                 &got);
    if (e != 0)
      return e;
    if (got < cap || cap >= LISTING_MAX)
      break;
    cap *= 4;
  }
  listing.valid = 1;
  listing.fd = fd;
  listing.start = cookie;
  listing.used = got;
  listing.whole = got < cap;
  return 0;
}

/* Where the entry read at cookie begins in the kept listing, or -1: cookie
 * is the listing's start or the d_next of one of its whole entries. */
static long offset_of(__wasi_dircookie_t cookie) {
  size_t pos = 0, end;
  __wasi_dirent_t d;

  if (cookie == listing.start)
    return 0;
  while (pos + sizeof d <= listing.used) {
    memcpy(&d, listing.buf + pos, sizeof d);
    end = pos + sizeof d + d.d_namlen;
    if (end > listing.used)
      break;
    if (d.d_next == cookie)
      return (long)end;
    pos = end;
  }
  return -1;
}

/* Answers the read from the kept listing, as the host would have: as many
 * bytes as fit, the last entry cut short if need be.  0 when it cannot
 * (another directory, a cookie it did not give out, or bytes it lacks).
 * check: whether to make sure fd is still the directory listed (not for a
 * listing just read). */
static int answer(__wasi_fd_t fd, uint8_t *buf, __wasi_size_t len,
                  __wasi_dircookie_t cookie, __wasi_size_t *out, int check) {
  __wasi_device_t dev;
  __wasi_inode_t ino;
  long at;
  size_t n;

  if (!listing.valid || listing.fd != fd || (at = offset_of(cookie)) < 0)
    return 0;
  n = listing.used - (size_t)at;
  if (n < len && !listing.whole)
    return 0; /* the host has more than the listing kept */
  if (check && (identity(fd, &dev, &ino) != 0 || dev != listing.dev ||
                ino != listing.ino))
    return 0; /* the descriptor was closed and reused */
  if (n > len)
    n = len;
  memcpy(buf, listing.buf + at, n);
  *out = (__wasi_size_t)n;
  return 1;
}

__wasi_errno_t __wrap___wasi_fd_readdir(__wasi_fd_t fd, uint8_t *buf,
                                        __wasi_size_t len,
                                        __wasi_dircookie_t cookie,
                                        __wasi_size_t *out) {
  __wasi_errno_t e;

  if (cookie != 0 && answer(fd, buf, len, cookie, out, 1))
    return 0;
  e = fetch(fd, cookie);
  if (e == 0 && answer(fd, buf, len, cookie, out, 0))
    return 0;
  /* Not kept (no memory, no identity, an error): the host answers the
   * read itself, errors included, as without the layer. */
  return __real___wasi_fd_readdir(fd, buf, len, cookie, out);
}
