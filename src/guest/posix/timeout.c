/*
 * timeout.c — O_NONBLOCK, MSG_DONTWAIT, SO_RCVTIMEO and SO_SNDTIMEO on the
 * host's one timeout per socket (sock_set_timeout).
 *
 * POSIX has a mode (blocking or not) and a timeout per direction; the host
 * has one timeout that every call obeys (0: never wait).  Before a call
 * that may wait, the layer sets the host's timeout to what this call needs
 * — but only when it differs from the one set last, which the state
 * remembers: a program that stays non-blocking (CPython with a socket
 * timeout, asyncio) or blocking pays no extra import per call.
 */
#include "internal.h"

int64_t wasisock__timeout_for(uint32_t handle, enum wasisock__dir dir,
                              int dontwait) {
  const wasisock__fdstate_t *st = wasisock__state(handle);
  wasisock__fdstate_t *mut;
  uint32_t want, was = st->host_timeout;
  int32_t r;

  if (dontwait || st->nonblock)
    want = 0;
  else
    want = dir == WASISOCK__RECV ? st->rcvtimeo_ms : st->sndtimeo_ms;
  if (want == was)
    return want;
  /* The host first: it also says EBADF for a handle that is not open,
   * before any state is made for it. */
  r = __wasisock_sock_set_timeout(handle, want);
  if (r != WASISOCK_OK)
    return wasisock__fail(r);
  if ((mut = wasisock__state_mut(handle)) == NULL) {
    __wasisock_sock_set_timeout(handle, was); /* as the state says */
    return -1;
  }
  mut->host_timeout = want;
  return want;
}

int wasisock__timeout_errno(int32_t r, int64_t t) {
  if (r == WASISOCK_ETIMEDOUT && t != 0 && t != WASISOCK_TIMEOUT_NONE)
    return EAGAIN;
  return r;
}

int wasisock__set_nonblock(uint32_t handle, int on) {
  const wasisock__fdstate_t *st = wasisock__state(handle);
  uint32_t want = on ? 0 : st->rcvtimeo_ms, was = st->host_timeout;
  wasisock__fdstate_t *mut;
  int32_t r;

  /* Set at once rather than at the next call: the host checks the handle
   * (EBADF), and the mode is in force for calls made without the layer. */
  r = __wasisock_sock_set_timeout(handle, want);
  if (r != WASISOCK_OK)
    return wasisock__fail(r);
  if ((mut = wasisock__state_mut(handle)) == NULL) {
    __wasisock_sock_set_timeout(handle, was);
    return -1;
  }
  mut->nonblock = on != 0;
  mut->host_timeout = want;
  return 0;
}
