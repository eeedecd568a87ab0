/*
 * wait.c — blocking on readiness, with deadlines.
 *
 * Sockets are non-blocking.  A blocking import first tries its syscall; on
 * EAGAIN/EINPROGRESS it calls wasisock__wait, which sleeps in poll(2) on
 * that one fd until it is ready (or has an error or a hang-up), then the
 * import retries.  Why not uv_tcp_t/uv_udp_t: libuv's streams read ahead
 * into their own buffers and report writes only when complete, which would
 * hide BSD semantics the guest relies on (partial sends, SO_ERROR after
 * connect, one datagram per recv, nothing consumed on a failed call).
 * Polling the fd keeps the kernel as the only buffer.
 *
 * Why poll(2) and not a uv_poll_t on the instance loop: a wait on one fd is
 * one syscall this way.  The loop costs, per wait, an epoll_ctl to add the
 * fd, epoll_wait, the loop's own bookkeeping, and per socket a malloc,
 * uv_poll_init's probe of the fd (two epoll_ctl and an ioctl) and an
 * epoll_ctl and a loop turn at close: a loopback connect + close took 14
 * syscalls, 6 without them (docs/PERFORMANCE.md).  Nothing else runs on the
 * instance loop while a call waits, so turning it bought nothing.
 *
 * Timeouts (sock_set_timeout): a call computes its deadline once, at its
 * start, so "N ms" bounds the whole call however many waits it takes; each
 * wait passes what is left of it to poll(2).  A socket with timeout 0 never
 * waits: EAGAIN.  sock_poll (sock_poll.c), which may watch more fds than one
 * poll(2) should take, still waits on the instance loop with the sockets'
 * uv_poll_t and the instance's uv_timer_t, made here on first use and kept.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "internal.h"

static void wasisock__timer_cb(uv_timer_t *timer) {
  wasisock_t *host = timer->data;

  host->timer_fired = 1;
  /* uv_run(UV_RUN_ONCE) runs due timers before it polls for I/O, and then
   * polls with the next timer's timeout: none is left, so without this it
   * would block until a socket is ready, however long that takes.  That is
   * what happens when the deadline has passed before the loop runs (a
   * short timeout, a descheduled thread).  uv_stop makes this turn's poll
   * return at once (and uv_run clears it when it returns). */
  uv_stop(timer->loop);
}

static void wasisock__handle_free_cb(uv_handle_t *handle) { free(handle); }

uint64_t wasisock__deadline_in(wasisock_t *host, int64_t ms) {
  if (ms < 0)
    return WASISOCK__FOREVER;
  /* uv_now is cached at the start of each loop turn; a call's clock starts
   * when the call does. */
  uv_update_time(host->loop);
  return uv_now(host->loop) + (uint64_t)ms;
}

uint64_t wasisock__deadline(wasisock_t *host, const wasisock__sock_t *s) {
  if (!s->timed)
    return WASISOCK__FOREVER;
  return wasisock__deadline_in(host, s->timeout_ms);
}

int wasisock__nonblocking(const wasisock__sock_t *s) {
  return s->timed && s->timeout_ms == 0;
}

int32_t wasisock__poll_handle(wasisock_t *host, wasisock__sock_t *s) {
  int r;

  if (s->poll != NULL)
    return WASISOCK_OK;
  /* Sized at run time: see internal.h. */
  s->poll = malloc(uv_handle_size(UV_POLL));
  if (s->poll == NULL)
    return WASISOCK_ENOMEM;
  if ((r = uv_poll_init_socket(host->loop, s->poll, s->fd)) != 0) {
    free(s->poll);
    s->poll = NULL;
    return wasisock__errno_from_uv(r);
  }
  s->poll->data = s;
  return WASISOCK_OK;
}

int32_t wasisock__timer_arm(wasisock_t *host, uint64_t deadline) {
  uint64_t now;
  int r;

  host->timer_fired = 0;
  if (deadline == WASISOCK__FOREVER)
    return WASISOCK_OK;
  if (host->timer == NULL) {
    host->timer = malloc(uv_handle_size(UV_TIMER));
    if (host->timer == NULL)
      return WASISOCK_ENOMEM;
    if ((r = uv_timer_init(host->loop, host->timer)) != 0) {
      free(host->timer);
      host->timer = NULL;
      return wasisock__errno_from_uv(r);
    }
    host->timer->data = host;
  }
  uv_update_time(host->loop);
  now = uv_now(host->loop);
  if (now >= deadline)
    return WASISOCK_ETIMEDOUT;
  if ((r = uv_timer_start(host->timer, wasisock__timer_cb, deadline - now, 0)) != 0)
    return wasisock__errno_from_uv(r);
  return WASISOCK_OK;
}

void wasisock__timer_disarm(wasisock_t *host) {
  if (host->timer != NULL)
    uv_timer_stop(host->timer);
}

int32_t wasisock__wait(wasisock_t *host, wasisock__sock_t *s, int events,
                       uint64_t deadline) {
  struct pollfd p;
  uint64_t now;
  int timeout, r;

  if (wasisock__nonblocking(s))
    return WASISOCK_EAGAIN;
  p.fd = s->fd;
  p.events = (short)((events & UV_READABLE ? POLLIN : 0) |
                     (events & UV_WRITABLE ? POLLOUT : 0));
  for (;;) {
    timeout = -1;
    if (deadline != WASISOCK__FOREVER) {
      uv_update_time(host->loop);
      now = uv_now(host->loop);
      if (now >= deadline)
        return WASISOCK_ETIMEDOUT;
      timeout = deadline - now > INT_MAX ? INT_MAX : (int)(deadline - now);
    }
    p.revents = 0;
    r = poll(&p, 1, timeout);
    /* Ready, or POLLERR/POLLHUP: the retried syscall (or SO_ERROR for a
     * connect) says what happened.  Ready at the deadline: ready wins. */
    if (r > 0)
      return WASISOCK_OK;
    /* 0: poll(2)'s timeout ran out; the loop checks the deadline on the
     * instance clock (a millisecond early by rounding: one more short
     * poll).  EINTR: a signal; wait for the rest of the time. */
    if (r == -1 && errno != EINTR && errno != EAGAIN)
      return wasisock__errno_from_native(errno);
  }
}

void wasisock__wait_close(wasisock__sock_t *s) {
  if (s->poll == NULL)
    return;
  /* uv_close stops the watcher at once (removing the fd from epoll, so the
   * fd may be closed right after); the memory goes in the close callback. */
  uv_close((uv_handle_t *)s->poll, wasisock__handle_free_cb);
  s->poll = NULL;
}

void wasisock__wait_fini(wasisock_t *host) {
  if (host->timer != NULL) {
    uv_close((uv_handle_t *)host->timer, wasisock__handle_free_cb);
    host->timer = NULL;
  }
  free(host->poll_fds);
  free(host->poll_socks);
  host->poll_fds = NULL;
  host->poll_socks = NULL;
  host->poll_cap = 0;
}
