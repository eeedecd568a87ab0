/*
 * sock_accept.c — the sock_accept import.
 *
 * Non-blocking accept(); on EAGAIN wait until the listener is readable (up
 * to the listener's timeout; a non-blocking listener answers EAGAIN).  The
 * new socket gets a handle of its own, starts in blocking mode (no timeout,
 * as BSD's accept) and is non-blocking and close-on-exec natively, like
 * every socket of the instance.  Its kernel buffers are inherited from the
 * listener, so the policy's max-buffer (applied at sock_open) holds.
 *
 * No connection is ever lost to the instance's limits: the slot for the new
 * handle is taken before accept() is called, so at the socket limit the
 * call is EMFILE and the connection stays queued in the kernel for a later
 * accept.
 */
#if defined(__linux__)
#define _GNU_SOURCE /* accept4 */
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* One accept() that leaves the new fd non-blocking and close-on-exec. */
static int wasisock__accept_fd(int fd, struct sockaddr_storage *ss,
                               socklen_t *len) {
#if defined(__linux__)
  return accept4(fd, (struct sockaddr *)ss, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
#else
  int c, flags, err;

  c = accept(fd, (struct sockaddr *)ss, len);
  if (c == -1)
    return -1;
  if ((flags = fcntl(c, F_GETFL)) == -1 ||
      fcntl(c, F_SETFL, flags | O_NONBLOCK) == -1 ||
      fcntl(c, F_SETFD, FD_CLOEXEC) == -1) {
    err = errno;
    close(c);
    errno = err;
    return -1;
  }
  return c;
#endif
}

static int32_t wasisock__accept(wasisock_t *host, wasisock__sock_t *s,
                                struct sockaddr_storage *ss, int *fd) {
  uint64_t deadline;
  socklen_t len;
  int32_t err;
  int c;

  deadline = wasisock__deadline(host, s);
  for (;;) {
    do {
      len = sizeof(*ss);
      c = wasisock__accept_fd(s->fd, ss, &len);
    } while (c == -1 && errno == EINTR);
    if (c != -1) {
      *fd = c;
      return WASISOCK_OK;
    }
    /* Other errors (ECONNABORTED, a pending network error Linux passes on
     * from the new connection, EMFILE of the process) go to the guest, as
     * BSD's accept gives them. */
    if (errno != EAGAIN && errno != EWOULDBLOCK)
      return wasisock__errno_from_native(errno);
    if ((err = wasisock__wait(host, s, UV_READABLE, deadline)) != WASISOCK_OK)
      return err;
  }
}

int32_t wasisock_sock_accept(wasisock_t *host, const wasisock_mem_t *mem,
                             uint32_t handle, uint32_t new_handle_ptr,
                             uint32_t peer_addr_ptr) {
  struct sockaddr_storage ss;
  wasisock__sock_t *s, *c;
  wasisock_addr_t peer;
  uint8_t *handle_out, *peer_out;
  uint32_t new_handle;
  int32_t err;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  /* 1. pointers */
  handle_out = wasisock__mem_range(mem, new_handle_ptr, WASISOCK_U32_SIZE);
  peer_out = wasisock__mem_range(mem, peer_addr_ptr, WASISOCK_ADDR_SIZE);
  if (handle_out == NULL || peer_out == NULL)
    return WASISOCK_EFAULT;
  /* 3. the handle, then the instance limit: before accept(), so that the
   * connection stays queued */
  if ((err = wasisock__handle_get(host, handle, &s)) != WASISOCK_OK)
    return err;
  if (!wasisock__handle_room(host))
    return WASISOCK_EMFILE;

  /* The slot first (it can fail with ENOMEM), the connection last. */
  c = calloc(1, sizeof(*c));
  if (c == NULL)
    return WASISOCK_ENOMEM;
  c->fd = -1;
  c->family = s->family;
  c->type = s->type;
  if ((err = wasisock__handle_add(host, c, &new_handle)) != WASISOCK_OK) {
    free(c);
    return err;
  }
  if ((err = wasisock__accept(host, s, &ss, &c->fd)) != WASISOCK_OK) {
    wasisock__handle_remove(host, new_handle);
    free(c);
    return err;
  }
  if (wasisock__addr_from_sockaddr((const struct sockaddr *)&ss, &peer) !=
      WASISOCK_OK)
    memset(&peer, 0, sizeof(peer)); /* cannot happen for inet listeners */
  wasisock_u32_write(handle_out, new_handle);
  wasisock_addr_write(peer_out, &peer);
  return WASISOCK_OK;
}
