/*
 * bind.c — bind() and listen().
 */
#include "internal.h"

int bind(int fd, const struct sockaddr *addr, socklen_t len) {
  uint8_t rec[WASISOCK_ADDR_SIZE];
  wasisock_addr_t a;
  int32_t r;

  if (!wasisock__is_socket_fd(fd))
    return wasisock__wasi_fd_fail(fd);
  if (wasisock__sockaddr_read(addr, len, &a) < 0)
    return -1;
  wasisock_addr_write(rec, &a);
  r = __wasisock_sock_bind(wasisock__fd_handle(fd), rec);
  return r == WASISOCK_OK ? 0 : wasisock__fail(r);
}

int listen(int fd, int backlog) {
  int32_t r;

  if (!wasisock__is_socket_fd(fd))
    return wasisock__wasi_fd_fail(fd);
  /* The host clamps the backlog to [1, its SOMAXCONN]; a negative one is
   * its minimum, as on Linux. */
  r = __wasisock_sock_listen(wasisock__fd_handle(fd), (uint32_t)backlog);
  return r == WASISOCK_OK ? 0 : wasisock__fail(r);
}
