/*
 * poll.c — poll() over socket descriptors and WASI descriptors in one call
 * (wrapped: a call with no socket goes to wasi-libc unchanged).
 *
 * The host's sock_poll waits on sockets, WASI's poll_oneoff on WASI
 * descriptors, and neither can wait on the other's.  So:
 *
 *   - sockets only: one sock_poll with the caller's timeout;
 *   - WASI descriptors only, all open, none a regular file or directory:
 *     wasi-libc's poll, unchanged — unless the engine refuses one it
 *     cannot poll (EPERM), then as below;
 *   - with a regular file, a directory or a closed descriptor among them:
 *     as below, so that a file or directory is ready at once with exactly
 *     POLLIN/POLLOUT in every engine, and a descriptor that is not open is
 *     POLLNVAL (wasisock__wasi_kinds says why);
 *   - both: regular files (and directories) are ready at once, as POSIX
 *     says, without asking the engine (Node's poll_oneoff refuses them with
 *     EPERM).  If one is ready, or the other WASI descriptors are, the
 *     sockets are looked at without waiting.  Otherwise the call waits in
 *     sock_poll for a slice of the timeout, then looks at the WASI
 *     descriptors again.  Slices grow from 1 ms to WASISOCK__SLICE_MAX_MS:
 *     a socket is seen the moment it is ready, a pipe or terminal within a
 *     slice, at no more than 1000 / WASISOCK__SLICE_MAX_MS wake-ups a
 *     second while nothing happens.  The WASI look waits up to 1 ms itself
 *     (never past the caller's timeout): Node's poll_oneoff only sees a
 *     pipe's data when it waits at all.  A descriptor the engine cannot
 *     poll (EPERM: /dev/null under Node) is always ready, like a file.
 *
 * docs/POSIX.md has the table.  revents are POSIX's: POLLIN, POLLOUT,
 * POLLERR, POLLHUP, and POLLNVAL for a descriptor that is not open.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wasi/api.h>

#include "internal.h"

#define WASISOCK__SLICE_MAX_MS 20
/* While sockets are ready, how often the engine is asked about the WASI
 * descriptors of a mixed call. */
#define WASISOCK__ENGINE_EVERY_MS 5
/* wasisock__poll_wasi: do not ask the engine this time. */
#define WASISOCK__NO_ENGINE (-2)
/* revents of an entry handed to the engine's poll, until it answers: no
 * POLL* bit has this value. */
#define WASISOCK__ASKED ((short)0x8000)
#define WASISOCK__POLL_STACK 16

static int64_t wasisock__now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One sock_poll over the socket entries of fds (recs has room for them).
 * Sets their revents; returns how many have some, or -1 with errno. */
static int wasisock__poll_sockets(struct pollfd *fds, nfds_t n, uint8_t *recs,
                                  int timeout) {
  wasisock_poll_sub_t sub;
  uint32_t k = 0, nready = 0;
  nfds_t i;
  int32_t r;

  for (i = 0; i < n; i++) {
    if (!wasisock__is_socket_fd(fds[i].fd))
      continue;
    sub.handle = wasisock__fd_handle(fds[i].fd);
    /* The host takes POLLIN and POLLOUT; the error conditions are always
     * reported, as POSIX says. */
    sub.events = (uint16_t)(fds[i].events & (POLLIN | POLLOUT));
    sub.revents = 0;
    wasisock_poll_sub_write(recs + (size_t)k++ * WASISOCK_POLL_SUB_SIZE, &sub);
  }
  r = __wasisock_sock_poll(recs, k, (uint32_t)timeout, &nready);
  if (r != WASISOCK_OK)
    return wasisock__fail(r);
  for (i = 0, k = 0; i < n; i++) {
    if (!wasisock__is_socket_fd(fds[i].fd))
      continue;
    wasisock_poll_sub_read(recs + (size_t)k++ * WASISOCK_POLL_SUB_SIZE, &sub);
    fds[i].revents = (short)sub.revents;
  }
  return (int)nready;
}

/* 1 for a WASI descriptor of fds that the engine's poll is asked about. */
static int wasisock__is_wasi_fd(int fd) {
  return fd >= 0 && !wasisock__is_socket_fd(fd);
}

/* What POSIX says of a descriptor that is always ready. */
static short wasisock__always_ready(short events) {
  return (short)(events & (POLLIN | POLLOUT));
}

/* The engine's poll over the entries of wasi[0..k), with timeout; one at a
 * time if it refuses the set (EPERM, ENOTSUP: a descriptor it cannot
 * poll), each refused one then always ready.  Returns how many are ready. */
static int wasisock__poll_engine(struct pollfd *wasi, nfds_t k, int timeout) {
  nfds_t i;
  int r, n = 0;

  if (k == 0)
    return 0;
  if ((r = __real_poll(wasi, k, timeout)) >= 0 ||
      (errno != EPERM && errno != ENOTSUP))
    return r;
  for (i = 0; i < k; i++) {
    r = __real_poll(&wasi[i], 1, timeout);
    if (r < 0 && errno != EPERM && errno != ENOTSUP)
      return -1;
    if (r < 0)
      wasi[i].revents = wasisock__always_ready(wasi[i].events);
    n += wasi[i].revents != 0;
  }
  return n;
}

/* What the layer knows of a WASI descriptor of a call, asked once per
 * call (fd_fdstat_get): a call waiting in slices looks at its WASI
 * descriptors again after each slice, and their kinds cannot change
 * meanwhile (the guest has one thread). */
enum {
  WASISOCK__WASI_ASK,   /* a pipe, terminal, ...: the engine is asked */
  WASISOCK__WASI_READY, /* a regular file or directory: always ready */
  WASISOCK__WASI_NVAL   /* not open: POLLNVAL */
};

/* Sets kinds[k] for the k-th WASI entry of fds; returns 1 when the layer
 * must answer for one of them itself (a file, a directory, or a descriptor
 * that is not open), else 0.  POSIX: files and directories are always
 * ready for reading and writing and never hang up; the engines disagree
 * (Node's poll_oneoff refuses files with EPERM; wasmtime's answers them
 * with POLLHUP at the end of a file, and at times reports only some of
 * several ready at once).  A descriptor that is not open is POLLNVAL
 * (select: EBADF); the engines fail the whole call (wasmtime: EBADF) or
 * report nothing (Node).  So wasisock__poll_wasi answers for those and asks
 * the engine about the others only. */
static int wasisock__wasi_kinds(const struct pollfd *fds, nfds_t n,
                                uint8_t *kinds) {
  __wasi_fdstat_t st;
  nfds_t i, k = 0;
  int answers = 0;

  for (i = 0; i < n; i++) {
    if (!wasisock__is_wasi_fd(fds[i].fd))
      continue;
    if (__wasi_fd_fdstat_get(fds[i].fd, &st) != 0)
      kinds[k] = WASISOCK__WASI_NVAL;
    else if (st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE ||
             st.fs_filetype == __WASI_FILETYPE_DIRECTORY)
      kinds[k] = WASISOCK__WASI_READY;
    else
      kinds[k] = WASISOCK__WASI_ASK;
    answers |= kinds[k++] != WASISOCK__WASI_ASK;
  }
  return answers;
}

/* Looks at the WASI entries of fds, of the kinds wasisock__wasi_kinds
 * found: files and directories are ready, descriptors that are not open
 * POLLNVAL, the others asked of the engine waiting at most timeout (0 or
 * 1 ms; WASISOCK__NO_ENGINE: not asked, no revents) — wasi has room for
 * them.  Sets their revents; returns how many have some, or -1 with errno. */
static int wasisock__poll_wasi(struct pollfd *fds, nfds_t n,
                               const uint8_t *kinds, struct pollfd *wasi,
                               int timeout) {
  nfds_t i, j = 0, k = 0;
  int r, ready = 0;

  for (i = 0; i < n; i++) {
    if (!wasisock__is_wasi_fd(fds[i].fd))
      continue;
    switch (kinds[j++]) {
    case WASISOCK__WASI_NVAL:
      fds[i].revents = POLLNVAL;
      break;
    case WASISOCK__WASI_READY:
      fds[i].revents = wasisock__always_ready(fds[i].events);
      break;
    default:
      wasi[k] = fds[i];
      wasi[k++].revents = 0;
      fds[i].revents = WASISOCK__ASKED; /* filled in below */
      continue;
    }
    ready += fds[i].revents != 0;
  }
  /* Something is ready already: the engine is asked without waiting. */
  if (timeout == WASISOCK__NO_ENGINE) {
    for (i = 0; i < k; i++)
      wasi[i].revents = 0;
    r = 0;
  } else if ((r = wasisock__poll_engine(wasi, k, ready > 0 ? 0 : timeout)) <
             0) {
    return -1;
  }
  for (i = 0, k = 0; i < n; i++)
    if (wasisock__is_wasi_fd(fds[i].fd) && fds[i].revents == WASISOCK__ASKED)
      fds[i].revents = wasi[k++].revents;
  return ready + r;
}

/* When the engine last looked at WASI descriptors (wasisock__now_ms). */
static int64_t wasisock__engine_looked = INT64_MIN / 2;

/* Both kinds: sockets looked at, WASI descriptors looked at, then a wait
 * in sock_poll for a slice, and again.  While sockets are ready the engine
 * (under Node, a quarter of a millisecond a look even without waiting) is
 * asked at most every WASISOCK__ENGINE_EVERY_MS: a busy socket costs no
 * engine calls, and a pipe ready meanwhile is reported within that time. */
static int wasisock__poll_mixed(struct pollfd *fds, nfds_t n, uint8_t *recs,
                                const uint8_t *kinds, struct pollfd *wasi,
                                int timeout) {
  int64_t deadline = timeout < 0 ? -1 : wasisock__now_ms() + timeout;
  int64_t left = timeout < 0 ? -1 : timeout, now;
  int slice = 1, nw, ns, look;

  for (;;) {
    if ((ns = wasisock__poll_sockets(fds, n, recs, 0)) < 0)
      return -1;
    now = wasisock__now_ms();
    if (ns == 0 || now - wasisock__engine_looked >= WASISOCK__ENGINE_EVERY_MS) {
      look = ns > 0 || left == 0 ? 0 : 1;
      wasisock__engine_looked = now;
    } else {
      look = WASISOCK__NO_ENGINE;
    }
    if ((nw = wasisock__poll_wasi(fds, n, kinds, wasi, look)) < 0)
      return -1;
    if (ns + nw > 0)
      return ns + nw;
    if (deadline >= 0 && (left = deadline - wasisock__now_ms()) < 0)
      left = 0;
    if (left == 0)
      return 0;
    /* A socket ready during the wait is reported at the top of the loop. */
    if ((ns = wasisock__poll_sockets(fds, n, recs,
                                     left < 0 || left > slice ? slice
                                                              : (int)left)) < 0)
      return -1;
    if (slice < WASISOCK__SLICE_MAX_MS)
      slice = slice * 2 > WASISOCK__SLICE_MAX_MS ? WASISOCK__SLICE_MAX_MS
                                                  : slice * 2;
  }
}

int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout) {
  uint8_t stack_recs[WASISOCK__POLL_STACK * WASISOCK_POLL_SUB_SIZE];
  struct pollfd stack_wasi[WASISOCK__POLL_STACK];
  uint8_t stack_kinds[WASISOCK__POLL_STACK];
  uint8_t *recs = stack_recs, *kinds = stack_kinds;
  struct pollfd *wasi = stack_wasi;
  size_t nsock = 0, nwasi = 0;
  nfds_t i;
  int r, answers;

  if (n > 0 && (n > SIZE_MAX / sizeof(*fds) ||
                !wasisock__mem_ok(fds, n * sizeof(*fds))))
    return wasisock__fail(EFAULT);
  for (i = 0; i < n; i++) {
    if (wasisock__is_socket_fd(fds[i].fd))
      nsock++;
    else if (fds[i].fd >= 0)
      nwasi++;
  }
  if (nsock > WASISOCK_POLL_MAX)
    return wasisock__fail(EINVAL); /* more than the host takes at once */
  if (nwasi > WASISOCK__POLL_STACK) {
    /* One allocation: the pollfds, then their kinds. */
    if ((wasi = malloc(nwasi * (sizeof(*wasi) + 1))) == NULL) {
      r = wasisock__fail(ENOMEM);
      goto out;
    }
    kinds = (uint8_t *)(wasi + nwasi);
  }
  answers = wasisock__wasi_kinds(fds, n, kinds);
  if (nsock == 0 && !answers) {
    /* wasi-libc's poll, unless the engine refuses a descriptor it cannot
     * poll (Node: EPERM for /dev/null): then as with sockets, so that such
     * a descriptor is ready, as POSIX says. */
    if ((r = __real_poll(fds, n, timeout)) >= 0 ||
        (errno != EPERM && errno != ENOTSUP))
      goto out;
  }
  for (i = 0; i < n; i++)
    fds[i].revents = 0; /* negative descriptors are ignored, revents 0 */
  if (nsock > WASISOCK__POLL_STACK &&
      (recs = malloc(nsock * WASISOCK_POLL_SUB_SIZE)) == NULL) {
    r = wasisock__fail(ENOMEM);
    goto out;
  }
  if (nwasi == 0)
    r = wasisock__poll_sockets(fds, n, recs, timeout);
  else
    r = wasisock__poll_mixed(fds, n, recs, kinds, wasi, timeout);
out:
  /* (free(NULL) after a failed malloc is nothing.) */
  if (recs != stack_recs)
    free(recs);
  if (wasi != stack_wasi)
    free(wasi); /* and kinds with it */
  return r;
}
