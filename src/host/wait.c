/*
 * wait.c — blocking on readiness, on the instance's own loop.
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
 * Room for the next revisions: a timeout is a uv_timer_t on the same loop
 * that sets wait_done with ETIMEDOUT; a non-blocking mode skips the wait
 * and returns EAGAIN; a poll over many handles starts several polls and
 * turns the loop until one fires.
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

static void wasisock__wait_free_cb(uv_handle_t *handle) { free(handle); }

int32_t wasisock__wait(wasisock_t *host, wasisock__sock_t *s, int events) {
  int r;

  if (s->poll == NULL) {
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
  }

  s->wait_done = 0;
  if ((r = uv_poll_start(s->poll, events, wasisock__wait_cb)) != 0)
    return wasisock__errno_from_uv(r);
  while (!s->wait_done) {
    /* The started poll keeps the loop alive, so UV_RUN_ONCE blocks in
     * epoll until an event; 0 without the callback cannot happen unless the
     * loop lost the handle, which we report rather than spin on. */
    if (uv_run(host->loop, UV_RUN_ONCE) == 0 && !s->wait_done) {
      uv_poll_stop(s->poll);
      return WASISOCK_EIO;
    }
  }
  return WASISOCK_OK;
}

void wasisock__wait_close(wasisock__sock_t *s) {
  if (s->poll == NULL)
    return;
  /* uv_close stops the watcher at once (removing the fd from epoll, so the
   * fd may be closed right after); the memory goes in the close callback. */
  uv_close((uv_handle_t *)s->poll, wasisock__wait_free_cb);
  s->poll = NULL;
}
