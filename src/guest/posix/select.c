/*
 * select.c — select() and pselect() over poll() (poll.c), so they take
 * socket and WASI descriptors together (wrapped: wasi-libc's also end in
 * poll, but refuse exceptfds and do not report POLLNVAL as EBADF).
 *
 * wasi-libc's fd_set is a list of descriptors, not a bitmap, so a socket
 * descriptor (>= WASISOCK_FD_BASE) fits; nfds must exceed it, as POSIX
 * says.  exceptfds is accepted and comes back empty: there is no
 * out-of-band data.
 */
#include <limits.h>
#include <stdlib.h>
#include <sys/select.h>
#include <time.h>

#include "internal.h"

/* A set is readable memory with a sane count; NULL is the empty set. */
static int wasisock__set_ok(const fd_set *set) {
  if (set == NULL)
    return 1;
  if (!wasisock__mem_ok(set, sizeof(set->__nfds)))
    return 0;
  return set->__nfds <= FD_SETSIZE &&
         wasisock__mem_ok(set, sizeof(set->__nfds) +
                                   set->__nfds * sizeof(set->__fds[0]));
}

/* Appends set's descriptors below nfds to pfds with events. */
static size_t wasisock__set_add(const fd_set *set, int nfds,
                                struct pollfd *pfds, size_t k, short events) {
  size_t i;
  if (set == NULL)
    return k;
  for (i = 0; i < set->__nfds; i++)
    if (set->__fds[i] >= 0 && set->__fds[i] < nfds) {
      pfds[k].fd = set->__fds[i];
      pfds[k].events = events;
      pfds[k].revents = 0;
      k++;
    }
  return k;
}

/* Rewrites set as its ready members, from the entries pfds[*k...] that
 * wasisock__set_add made for it (in the same order). */
static void wasisock__set_result(fd_set *set, int nfds,
                                 const struct pollfd *pfds, size_t *k,
                                 short ready) {
  size_t i, out = 0;
  if (set == NULL)
    return;
  for (i = 0; i < set->__nfds; i++)
    if (set->__fds[i] >= 0 && set->__fds[i] < nfds) {
      if (pfds[*k].revents & ready)
        set->__fds[out++] = pfds[*k].fd;
      (*k)++;
    }
  set->__nfds = out;
}

static int wasisock__select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex,
                            int timeout) {
  struct pollfd *pfds;
  size_t n = 0, k = 0, i;
  int r;

  if (nfds < 0)
    return wasisock__fail(EINVAL);
  if (!wasisock__set_ok(rd) || !wasisock__set_ok(wr) || !wasisock__set_ok(ex))
    return wasisock__fail(EFAULT);
  n = (rd ? rd->__nfds : 0) + (wr ? wr->__nfds : 0) + (ex ? ex->__nfds : 0);
  if ((pfds = malloc((n > 0 ? n : 1) * sizeof(*pfds))) == NULL)
    return wasisock__fail(ENOMEM);
  n = wasisock__set_add(rd, nfds, pfds, 0, POLLIN);
  n = wasisock__set_add(wr, nfds, pfds, n, POLLOUT);
  n = wasisock__set_add(ex, nfds, pfds, n, 0);
  r = poll(pfds, n, timeout); /* __wrap_poll, through --wrap=poll */
  for (i = 0; r >= 0 && i < n; i++)
    if (pfds[i].revents & POLLNVAL) {
      errno = EBADF; /* select's answer for a descriptor that is not open */
      r = -1;
    }
  if (r >= 0) {
    /* Linux's mapping: hang-up and error make a descriptor readable, an
     * error makes it writable. */
    wasisock__set_result(rd, nfds, pfds, &k, POLLIN | POLLHUP | POLLERR);
    wasisock__set_result(wr, nfds, pfds, &k, POLLOUT | POLLERR);
    wasisock__set_result(ex, nfds, pfds, &k, 0);
    r = (int)((rd ? rd->__nfds : 0) + (wr ? wr->__nfds : 0));
  }
  free(pfds);
  return r;
}

/* A timeout in ms for poll: -1 for none, rounded up, capped at INT_MAX. */
static int wasisock__ms(int64_t sec, int64_t sub, int64_t per_ms) {
  int64_t ms = sec * 1000 + (sub + per_ms - 1) / per_ms;
  return sec > INT_MAX / 1000 || ms > INT_MAX ? INT_MAX : (int)ms;
}

int __wrap_select(int nfds, fd_set *__restrict rd, fd_set *__restrict wr,
                  fd_set *__restrict ex, struct timeval *__restrict tv) {
  if (tv == NULL)
    return wasisock__select(nfds, rd, wr, ex, -1);
  if (!wasisock__mem_ok(tv, sizeof(*tv)))
    return wasisock__fail(EFAULT);
  if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
    return wasisock__fail(EINVAL);
  return wasisock__select(nfds, rd, wr, ex,
                          wasisock__ms(tv->tv_sec, tv->tv_usec, 1000));
}

int __wrap_pselect(int nfds, fd_set *__restrict rd, fd_set *__restrict wr,
                   fd_set *__restrict ex, const struct timespec *__restrict ts,
                   const sigset_t *__restrict mask) {
  (void)mask; /* no signals in WASI preview 1 */
  if (ts == NULL)
    return wasisock__select(nfds, rd, wr, ex, -1);
  if (!wasisock__mem_ok(ts, sizeof(*ts)))
    return wasisock__fail(EFAULT);
  if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)
    return wasisock__fail(EINVAL);
  return wasisock__select(nfds, rd, wr, ex,
                          wasisock__ms(ts->tv_sec, ts->tv_nsec, 1000000));
}
