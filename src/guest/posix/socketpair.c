/*
 * socketpair.c — socketpair(AF_UNIX, SOCK_STREAM or SOCK_DGRAM, 0).
 *
 * The host makes a real Unix-domain pair (sock_socketpair, revision 3):
 * no network, so no network permission is needed, and data never leaves
 * the host.  The two sockets are ordinary socket descriptors; their names
 * are unnamed AF_UNIX ones (getsockname, SO_DOMAIN).
 */
#include "internal.h"

int socketpair(int domain, int type, int protocol, int fds[2]) {
  int flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
  int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  uint32_t h[2] = {0, 0};
  wasisock__fdstate_t *st;
  int fd[2], i;
  int32_t r;

  wasisock__require_wrap();
  if (!wasisock__mem_ok(fds, 2 * sizeof(int)))
    return wasisock__fail(EFAULT);
  /* Linux's answers: the Internet families have no pairs. */
  if (domain == AF_INET || domain == AF_INET6)
    return wasisock__fail(EOPNOTSUPP);
  if (domain != AF_UNIX)
    return wasisock__fail(EAFNOSUPPORT);
  if (base != SOCK_STREAM && base != SOCK_DGRAM)
    return wasisock__fail(EINVAL);
  if (protocol != 0)
    return wasisock__fail(EPROTONOSUPPORT);

  r = __wasisock_sock_socketpair((uint32_t)base, &h[0], &h[1]);
  if (r != WASISOCK_OK)
    return wasisock__fail(r);
  for (i = 0; i < 2; i++) {
    if ((fd[i] = wasisock__fd_from_handle(h[i])) < 0 ||
        (st = wasisock__state_new(h[i], AF_UNIX)) == NULL) {
      int err = errno;
      /* wasisock__fd_from_handle may have closed one already: EBADF. */
      __wasisock_sock_close(h[0]);
      __wasisock_sock_close(h[1]);
      return wasisock__fail(err);
    }
    st->nonblock = (flags & SOCK_NONBLOCK) != 0;
    st->cloexec = (flags & SOCK_CLOEXEC) != 0;
  }
  fds[0] = fd[0];
  fds[1] = fd[1];
  return 0;
}
