/*
 * connect.c — connect().
 */
#include "internal.h"

int connect(int fd, const struct sockaddr *addr, socklen_t len) {
  uint8_t rec[WASISOCK_ADDR_SIZE];
  wasisock_addr_t a;
  uint32_t handle;
  int64_t t;
  int32_t r;

  if (!wasisock__is_socket_fd(fd))
    return wasisock__wasi_fd_fail(fd);
  if (wasisock__sockaddr_read(addr, len, &a) < 0)
    return -1;
  handle = wasisock__fd_handle(fd);
  /* Linux bounds a blocking connect by SO_SNDTIMEO. */
  if ((t = wasisock__timeout_for(handle, WASISOCK__SEND, 0)) < 0)
    return -1;
  wasisock_addr_write(rec, &a);
  r = __wasisock_sock_connect(handle, rec);
  if (r == WASISOCK_OK)
    return 0;
  /* An expired SO_SNDTIMEO leaves the attempt going on, as on Linux. */
  if (r == WASISOCK_ETIMEDOUT && t != 0 && t != WASISOCK_TIMEOUT_NONE)
    r = EINPROGRESS;
  return wasisock__fail(r);
}
