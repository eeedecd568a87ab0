/*
 * recv.c — recv() (wrapped), recvfrom() and recvmsg().
 */
#include <string.h>

#include "internal.h"

#define WASISOCK__RECV_FLAGS (MSG_PEEK | MSG_WAITALL | MSG_DONTWAIT)

ssize_t wasisock__recv(int fd, void *buf, size_t len, int flags,
                       wasisock_addr_t *from) {
  uint8_t rec[WASISOCK_ADDR_SIZE];
  uint32_t handle = wasisock__fd_handle(fd), got = 0, hflags;
  int64_t t;
  int32_t r;

  if (flags & ~WASISOCK__RECV_FLAGS)
    return wasisock__fail(EOPNOTSUPP);
  if (len > 0 && buf == NULL)
    return wasisock__fail(EFAULT);
  if (len > WASISOCK__MAX_IO)
    len = WASISOCK__MAX_IO;
  if ((t = wasisock__timeout_for(handle, WASISOCK__RECV,
                                 (flags & MSG_DONTWAIT) != 0)) < 0)
    return -1;
  /* A peek returns what is there: the host takes PEEK or WAITALL, not
   * both. */
  hflags = (uint32_t)flags & (flags & MSG_PEEK ? MSG_PEEK : MSG_WAITALL);
  if (from == NULL && hflags == 0 && len > 0) {
    /* The common case, and the cheapest call. */
    r = __wasisock_sock_recv(handle, buf, (uint32_t)len, &got);
  } else {
    /* len 0 too: a datagram socket consumes a datagram then (POSIX), and
     * only sock_recv_from does. */
    r = __wasisock_sock_recv_from(handle, buf, (uint32_t)len, hflags, rec,
                                  &got);
    if (r == WASISOCK_OK && from != NULL &&
        wasisock_addr_read(rec, from) != WASISOCK_OK)
      memset(from, 0, sizeof(*from)); /* a stream: "no address" */
  }
  if (r != WASISOCK_OK)
    return wasisock__fail(wasisock__timeout_errno(r, t));
  if (got > len)
    return wasisock__fail(EIO); /* a host bug */
  return (ssize_t)got;
}

ssize_t __wrap_recv(int fd, void *buf, size_t len, int flags) {
  if (!wasisock__is_socket_fd(fd))
    return wasisock__wasi_result(fd, __real_recv(fd, buf, len, flags));
  return wasisock__recv(fd, buf, len, flags, NULL);
}

ssize_t recvfrom(int fd, void *__restrict buf, size_t len, int flags,
                 struct sockaddr *__restrict addr,
                 socklen_t *__restrict addrlen) {
  wasisock_addr_t from;
  ssize_t n;

  if (!wasisock__is_socket_fd(fd))
    return addr == NULL
               ? wasisock__wasi_result(fd, __real_recv(fd, buf, len, flags))
               : wasisock__wasi_fd_fail(fd);
  if (addr == NULL)
    return wasisock__recv(fd, buf, len, flags, NULL);
  if (!wasisock__mem_ok(addrlen, sizeof(*addrlen)))
    return wasisock__fail(EFAULT); /* before a datagram is consumed */
  n = wasisock__recv(fd, buf, len, flags, &from);
  if (n >= 0 && wasisock__sockaddr_write(&from, addr, addrlen) < 0)
    return -1;
  return n;
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags) {
  wasisock_addr_t from;
  struct msghdr m;
  ssize_t n;

  if (!wasisock__is_socket_fd(fd))
    return wasisock__wasi_fd_fail(fd);
  if (!wasisock__mem_ok(msg, sizeof(*msg)))
    return wasisock__fail(EFAULT);
  memcpy(&m, msg, sizeof(m));
  n = wasisock__recvv(fd, m.msg_iov, m.msg_iovlen, flags,
                      m.msg_name != NULL ? &from : NULL);
  if (n < 0)
    return -1;
  if (m.msg_name != NULL &&
      wasisock__sockaddr_write(&from, m.msg_name, &msg->msg_namelen) < 0)
    return -1;
  /* No ancillary data, and no truncation report: the host does not say
   * whether a datagram was longer than the buffer (docs/POSIX.md). */
  msg->msg_controllen = 0;
  msg->msg_flags = 0;
  return n;
}
