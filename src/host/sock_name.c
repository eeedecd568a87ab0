/*
 * sock_name.c — the sock_local_addr and sock_peer_addr imports
 * (getsockname and getpeername).
 *
 * An unbound socket's local address is its family's any-address with port
 * 0, as the kernel reports it; a socket with no peer is ENOTCONN.  A
 * socketpair's Unix-domain sockets have no address the record can carry:
 * "no address" (family WASISOCK_AF_UNSPEC), both ways.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

typedef int (*wasisock__name_fn)(int fd, struct sockaddr *sa, socklen_t *len);

static int32_t wasisock__sock_name(wasisock_t *host, const wasisock_mem_t *mem,
                                   uint32_t handle, uint32_t addr_ptr,
                                   wasisock__name_fn fn) {
  struct sockaddr_storage ss;
  wasisock__sock_t *s;
  wasisock_addr_t addr;
  socklen_t len;
  uint8_t *out;
  int32_t err;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  /* 1. pointers */
  out = wasisock__mem_range(mem, addr_ptr, WASISOCK_ADDR_SIZE);
  if (out == NULL)
    return WASISOCK_EFAULT;
  /* 3. the handle */
  if ((err = wasisock__handle_get(host, handle, &s)) != WASISOCK_OK)
    return err;

  len = sizeof(ss);
  if (fn(s->fd, (struct sockaddr *)&ss, &len) == -1)
    return wasisock__errno_from_native(errno);
  if (s->family == AF_UNIX)
    memset(&addr, 0, sizeof(addr));
  /* The others are AF_INET or AF_INET6, so the kernel's answer is too. */
  else if ((err = wasisock__addr_from_sockaddr((struct sockaddr *)&ss,
                                               &addr)) != WASISOCK_OK)
    return WASISOCK_EIO;
  wasisock_addr_write(out, &addr);
  return WASISOCK_OK;
}

int32_t wasisock_sock_local_addr(wasisock_t *host, const wasisock_mem_t *mem,
                                 uint32_t handle, uint32_t addr_ptr) {
  return wasisock__sock_name(host, mem, handle, addr_ptr, getsockname);
}

int32_t wasisock_sock_peer_addr(wasisock_t *host, const wasisock_mem_t *mem,
                                uint32_t handle, uint32_t addr_ptr) {
  return wasisock__sock_name(host, mem, handle, addr_ptr, getpeername);
}
