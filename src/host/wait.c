/*
 * wait.c — blocking on readiness, on the instance's own loop, with deadlines.
 *
 * Sockets are non-blocking.  A blocking import first tries its syscall; on
 * EAGAIN/EINPROGRESS it calls wasisock__wait, which starts the socket's
 * uv_poll_t and turns the loop (UV_RUN_ONCE) until the poll callback has
 * fired, then the import retries.  Why not uv_tcp_t/uv_udp_t: libuv's
 * streams read ahead into their own buffers and report writes only when
 * complete, which would hide BSD semantics the guest relies on (partial
 * sends, SO_ERROR after connect, one datagram per recv, nothing consumed on
 * a failed call).  Polling the fd keeps the kernel as the only buffer.
 *
 * Timeouts (sock_set_timeout): a call computes its deadline once, at its
 * start, so "N ms" bounds the whole call however many waits it takes.  Each
 * wait runs the instance's one uv_timer_t next to the socket's poll; the
 * timer is made at the first timed wait and reused, so the hot path does not
 * allocate.  A socket with timeout 0 never waits: EAGAIN.  sock_poll
 * (sock_poll.c) uses the same timer over many polls.
 */
#include <stdlib.h>

#include "internal.h"

static void wasisock__wait_cb(uv_poll_t *poll, int status, int events) {
  wasisock__sock_t *s = poll->data;

  /* status < 0 (libuv reports POLLERR as UV_EBADF) still means "go and look":
   * the retried syscall, or SO_ERROR for a connect, says what happened. */
  (void)status;
  (void)events;
  s->wait_done = 1;
  uv_poll_stop(poll);
}

static void wasisock__timer_cb(uv_timer_t *timer) {
  wasisock_t *host = timer->data;

  host->timer_fired = 1;
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
  int32_t err;
  int r;

  if (wasisock__nonblocking(s))
    return WASISOCK_EAGAIN;
  if ((err = wasisock__poll_handle(host, s)) != WASISOCK_OK)
    return err;
  if ((err = wasisock__timer_arm(host, deadline)) != WASISOCK_OK)
    return err;

  s->wait_done = 0;
  if ((r = uv_poll_start(s->poll, events, wasisock__wait_cb)) != 0) {
    wasisock__timer_disarm(host);
    return wasisock__errno_from_uv(r);
  }
  while (!s->wait_done && !host->timer_fired) {
    /* The started poll keeps the loop alive, so UV_RUN_ONCE blocks in
     * epoll until an event; 0 without a callback cannot happen unless the
     * loop lost the handle, which we report rather than spin on. */
    if (uv_run(host->loop, UV_RUN_ONCE) == 0 && !s->wait_done &&
        !host->timer_fired) {
      err = WASISOCK_EIO;
      break;
    }
  }
  uv_poll_stop(s->poll);
  wasisock__timer_disarm(host);
  if (err != WASISOCK_OK)
    return err;
  /* Ready and out of time in the same turn: ready wins. */
  return s->wait_done ? WASISOCK_OK : WASISOCK_ETIMEDOUT;
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
