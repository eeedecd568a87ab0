/*
 * accept.c — accept() and accept4(), wrapped: wasi-libc's serve WASI's
 * preopened listening sockets, these serve socket descriptors.
 */
#include <string.h>

#include "internal.h"

/* Checks the caller's out-parameters before a connection is taken: one
 * accepted and then not reported would be lost. */
static int wasisock__accept_args_ok(struct sockaddr *addr, socklen_t *len) {
  socklen_t have;

  if (addr == NULL)
    return 0;
  if (!wasisock__mem_ok(len, sizeof(*len)))
    return wasisock__fail(EFAULT);
  memcpy(&have, len, sizeof(have));
  if ((int)have < 0)
    return wasisock__fail(EINVAL);
  if (have > sizeof(struct sockaddr_storage))
    have = sizeof(struct sockaddr_storage);
  if (have > 0 && !wasisock__mem_ok(addr, have))
    return wasisock__fail(EFAULT);
  return 0;
}

static int wasisock__accept(int fd, struct sockaddr *addr, socklen_t *len,
                            int flags) {
  uint8_t rec[WASISOCK_ADDR_SIZE];
  wasisock__fdstate_t *st;
  wasisock_addr_t peer;
  uint32_t handle, conn = 0;
  int newfd;
  int64_t t;
  int32_t r;

  if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
    return wasisock__fail(EINVAL);
  if (wasisock__accept_args_ok(addr, len) < 0)
    return -1;
  handle = wasisock__fd_handle(fd);
  if ((t = wasisock__timeout_for(handle, WASISOCK__RECV, 0)) < 0)
    return -1;
  r = __wasisock_sock_accept(handle, &conn, rec);
  if (r != WASISOCK_OK)
    return wasisock__fail(wasisock__timeout_errno(r, t));
  if ((newfd = wasisock__fd_from_handle(conn)) < 0)
    return -1;
  if (wasisock_addr_read(rec, &peer) != WASISOCK_OK)
    memset(&peer, 0, sizeof(peer)); /* reported as "no address" */
  /* The host's new socket blocks, whatever the listener's mode (BSD). */
  st = wasisock__state_new(conn, peer.family == WASISOCK_AF_INET6 ? AF_INET6
                                                                   : AF_INET);
  if (st == NULL) {
    __wasisock_sock_close(conn);
    return -1;
  }
  st->nonblock = (flags & SOCK_NONBLOCK) != 0;
  st->cloexec = (flags & SOCK_CLOEXEC) != 0;
  /* Checked above, so this cannot fail now. */
  wasisock__sockaddr_write(&peer, addr, len);
  return newfd;
}

int __wrap_accept(int fd, struct sockaddr *__restrict addr,
                  socklen_t *__restrict len) {
  if (!wasisock__is_socket_fd(fd))
    return (int)wasisock__wasi_result(fd, __real_accept(fd, addr, len));
  return wasisock__accept(fd, addr, len, 0);
}

int __wrap_accept4(int fd, struct sockaddr *__restrict addr,
                   socklen_t *__restrict len, int flags) {
  if (!wasisock__is_socket_fd(fd))
    return (int)wasisock__wasi_result(fd, __real_accept4(fd, addr, len, flags));
  return wasisock__accept(fd, addr, len, flags);
}
