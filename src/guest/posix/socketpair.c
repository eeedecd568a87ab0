/*
 * socketpair.c — socketpair(AF_UNIX, SOCK_STREAM or SOCK_DGRAM, 0).
 *
 * Interim: a connected pair of TCP sockets over 127.0.0.1 (a listener on an
 * ephemeral port, connect, accept, listener closed), which needs the
 * network policy to allow loopback.  TEAM.md decision 4 replaces this with a
 * host-side socketpair(2) import (revision 3) that needs no network
 * permission; the sockets then are real Unix-domain ones.  Either way the
 * pair reports AF_UNIX (getsockname, SO_DOMAIN).
 */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

int socketpair(int domain, int type, int protocol, int fds[2]) {
  int flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
  int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  struct sockaddr_in sin;
  socklen_t len = sizeof(sin);
  int lfd = -1, a = -1, b = -1, one = 1, err, i;
  wasisock__fdstate_t *st;

  if (!wasisock__mem_ok(fds, 2 * sizeof(int)))
    return wasisock__fail(EFAULT);
  /* Linux's answers: the Internet families have no pairs. */
  if (domain == AF_INET || domain == AF_INET6)
    return wasisock__fail(EOPNOTSUPP);
  if (domain != AF_UNIX)
    return wasisock__fail(EAFNOSUPPORT);
  if (base != SOCK_STREAM)
    return wasisock__fail(base == SOCK_DGRAM ? EOPNOTSUPP : EPROTOTYPE);
  if (protocol != 0)
    return wasisock__fail(EPROTONOSUPPORT);

  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
      bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
      listen(lfd, 1) < 0 ||
      getsockname(lfd, (struct sockaddr *)&sin, &len) < 0 ||
      (a = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
      connect(a, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
      (b = accept(lfd, NULL, NULL)) < 0)
    goto fail;
  close(lfd);
  fds[0] = a;
  fds[1] = b;
  for (i = 0; i < 2; i++) {
    /* Small writes go at once, as on a Unix-domain socket. */
    setsockopt(fds[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    st = wasisock__state_mut(wasisock__fd_handle(fds[i]));
    if (st != NULL)
      st->domain = AF_UNIX;
    if (flags & SOCK_NONBLOCK)
      wasisock__set_nonblock(wasisock__fd_handle(fds[i]), 1);
    if (st != NULL)
      st->cloexec = (flags & SOCK_CLOEXEC) != 0;
  }
  return 0;

fail:
  err = errno;
  if (lfd >= 0)
    close(lfd);
  if (a >= 0)
    close(a);
  if (b >= 0)
    close(b);
  return wasisock__fail(err);
}
