/*
 * sock_io.c — the sock_send and sock_recv imports.
 *
 * One syscall's worth of data per call, as BSD send()/recv() on a blocking
 * socket: try, wait for readiness on EAGAIN, try again.  A TCP send returns
 * what the kernel took (maybe less than asked: the guest loops); a recv
 * returns what is there (0 = orderly close); UDP moves one datagram.
 */
#include <errno.h>

#include "internal.h"

static int32_t wasisock__send(wasisock_t *host, wasisock__sock_t *s,
                              const uint8_t *buf, size_t len, size_t *sent) {
  ssize_t n;
  int32_t err;

  for (;;) {
    /* MSG_NOSIGNAL: a send on a connection the peer reset gives EPIPE
     * instead of killing the host process with SIGPIPE. */
    do
      n = send(s->fd, buf, len, MSG_NOSIGNAL);
    while (n == -1 && errno == EINTR);
    if (n >= 0) {
      *sent = (size_t)n;
      return WASISOCK_OK;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK)
      return wasisock__errno_from_native(errno);
    if ((err = wasisock__wait(host, s, UV_WRITABLE)) != WASISOCK_OK)
      return err;
  }
}

static int32_t wasisock__recv(wasisock_t *host, wasisock__sock_t *s,
                              uint8_t *buf, size_t len, size_t *received) {
  ssize_t n;
  int32_t err;

  for (;;) {
    do
      n = recv(s->fd, buf, len, 0);
    while (n == -1 && errno == EINTR);
    if (n >= 0) {
      *received = (size_t)n;
      return WASISOCK_OK;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK)
      return wasisock__errno_from_native(errno);
    if ((err = wasisock__wait(host, s, UV_READABLE)) != WASISOCK_OK)
      return err;
  }
}

int32_t wasisock_sock_send(wasisock_t *host, const wasisock_mem_t *mem,
                           uint32_t handle, uint32_t buf_ptr, uint32_t buf_len,
                           uint32_t sent_ptr) {
  wasisock__sock_t *s;
  const uint8_t *buf;
  uint8_t *sent_out;
  size_t sent = 0;
  int32_t err;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  buf = wasisock__mem_range(mem, buf_ptr, buf_len);
  sent_out = wasisock__mem_range(mem, sent_ptr, WASISOCK_U32_SIZE);
  if (buf == NULL || sent_out == NULL)
    return WASISOCK_EFAULT;
  if ((err = wasisock__handle_get(host, handle, &s)) != WASISOCK_OK)
    return err;

  if ((err = wasisock__send(host, s, buf, buf_len, &sent)) != WASISOCK_OK)
    return err;
  wasisock_u32_write(sent_out, (uint32_t)sent); /* sent <= buf_len */
  return WASISOCK_OK;
}

int32_t wasisock_sock_recv(wasisock_t *host, const wasisock_mem_t *mem,
                           uint32_t handle, uint32_t buf_ptr, uint32_t buf_len,
                           uint32_t received_ptr) {
  wasisock__sock_t *s;
  uint8_t *buf;
  uint8_t *received_out;
  size_t received;
  int32_t err;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  buf = wasisock__mem_range(mem, buf_ptr, buf_len);
  received_out = wasisock__mem_range(mem, received_ptr, WASISOCK_U32_SIZE);
  if (buf == NULL || received_out == NULL)
    return WASISOCK_EFAULT;
  if ((err = wasisock__handle_get(host, handle, &s)) != WASISOCK_OK)
    return err;

  /* buf_len 0 answers 0 at once: waiting for data that cannot be returned
   * would block for nothing, and on UDP it would discard a datagram. */
  received = 0;
  if (buf_len != 0 &&
      (err = wasisock__recv(host, s, buf, buf_len, &received)) != WASISOCK_OK)
    return err;
  wasisock_u32_write(received_out, (uint32_t)received); /* <= buf_len */
  return WASISOCK_OK;
}
