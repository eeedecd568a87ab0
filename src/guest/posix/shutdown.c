/*
 * shutdown.c — shutdown(), wrapped (wasi-libc's serves WASI's sockets).
 * SHUT_RD, SHUT_WR and SHUT_RDWR are the ABI's numbers already.
 */
#include "internal.h"

int __wrap_shutdown(int fd, int how) {
  int32_t r;

  if (!wasisock__is_socket_fd(fd))
    return (int)wasisock__wasi_result(fd, __real_shutdown(fd, how));
  r = __wasisock_sock_shutdown(wasisock__fd_handle(fd), (uint32_t)how);
  return r == WASISOCK_OK ? 0 : wasisock__fail(r);
}
