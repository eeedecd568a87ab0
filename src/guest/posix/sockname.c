/*
 * sockname.c — getsockname() and getpeername().
 */
#include "internal.h"

/* A socketpair() socket is an unnamed Unix-domain socket: its name is
 * just the family, as on Linux. */
static int wasisock__unix_name(struct sockaddr *addr, socklen_t *len) {
  sa_family_t family = AF_UNIX;
  return wasisock__copy_out(addr, len, &family, sizeof(family), 1);
}

static int wasisock__name(int fd, struct sockaddr *addr, socklen_t *len,
                          int32_t (*query)(uint32_t, uint8_t *)) {
  uint8_t rec[WASISOCK_ADDR_SIZE];
  wasisock_addr_t a;
  uint32_t handle;
  int32_t r;

  if (!wasisock__is_socket_fd(fd))
    return wasisock__wasi_fd_fail(fd);
  if (addr == NULL) /* there is no "not wanted" here */
    return wasisock__fail(EFAULT);
  handle = wasisock__fd_handle(fd);
  r = query(handle, rec);
  if (r != WASISOCK_OK)
    return wasisock__fail(r);
  /* "No address": a socketpair's Unix-domain socket (ABI revision 3). */
  if (wasisock_addr_read(rec, &a) != WASISOCK_OK)
    return wasisock__unix_name(addr, len);
  return wasisock__sockaddr_write(&a, addr, len);
}

int getsockname(int fd, struct sockaddr *__restrict addr,
                socklen_t *__restrict len) {
  return wasisock__name(fd, addr, len, __wasisock_sock_local_addr);
}

int getpeername(int fd, struct sockaddr *__restrict addr,
                socklen_t *__restrict len) {
  return wasisock__name(fd, addr, len, __wasisock_sock_peer_addr);
}
