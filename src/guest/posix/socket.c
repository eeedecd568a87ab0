/*
 * socket.c — socket() and close() of a socket descriptor.
 */
#include <netinet/in.h>

#include "internal.h"

/* The ABI's family for a POSIX domain, or -1. */
static int wasisock__family(int domain) {
  return domain == AF_INET    ? WASISOCK_AF_INET
         : domain == AF_INET6 ? WASISOCK_AF_INET6
                              : -1;
}

int socket(int domain, int type, int protocol) {
  int flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
  int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  wasisock__fdstate_t *st;
  uint32_t handle = 0;
  int family, fd;
  int32_t r;

  wasisock__require_wrap();
  /* AF_UNIX exists only as socketpair() (socketpair.c). */
  if ((family = wasisock__family(domain)) < 0)
    return wasisock__fail(EAFNOSUPPORT);
  /* Linux's answer for a type it does not know. */
  if (base != SOCK_STREAM && base != SOCK_DGRAM)
    return wasisock__fail(EINVAL);
  if (protocol != 0 &&
      protocol != (base == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP))
    return wasisock__fail(EPROTONOSUPPORT);

  r = __wasisock_sock_open((uint32_t)family, (uint32_t)base, &handle);
  if (r != WASISOCK_OK)
    return wasisock__fail(r);
  if ((fd = wasisock__fd_from_handle(handle)) < 0)
    return -1;
  if ((st = wasisock__state_new(handle, domain)) == NULL) {
    __wasisock_sock_close(handle);
    return -1;
  }
  /* The host's timeout follows O_NONBLOCK at the first call that waits. */
  st->nonblock = (flags & SOCK_NONBLOCK) != 0;
  st->cloexec = (flags & SOCK_CLOEXEC) != 0;
  return fd;
}

int __wrap_close(int fd) {
  uint32_t handle;
  int32_t r;

  if (!wasisock__is_socket_fd(fd))
    return fd < 0 ? wasisock__fail(EBADF) : __real_close(fd);
  handle = wasisock__fd_handle(fd);
  r = __wasisock_sock_close(handle);
  if (r != WASISOCK_OK)
    return wasisock__fail(r);
  wasisock__state_drop(handle);
  return 0;
}
