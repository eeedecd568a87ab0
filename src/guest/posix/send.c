/*
 * send.c — send() (wrapped), sendto() and sendmsg().
 *
 * A blocking send on a stream socket returns when everything is queued (or
 * an error ends it), as on Linux, while the host's sock_send queues what the
 * kernel takes at once: the layer calls it until done.  With O_NONBLOCK,
 * MSG_DONTWAIT or SO_SNDTIMEO one host call is made and a partial count is
 * the answer.  A UDP send is always one call (one datagram).
 */
#include <string.h>

#include "internal.h"

#define WASISOCK__SEND_FLAGS (MSG_DONTWAIT | MSG_NOSIGNAL)

ssize_t wasisock__send(int fd, const void *buf, size_t len, int flags,
                       const wasisock_addr_t *to) {
  uint8_t rec[WASISOCK_ADDR_SIZE];
  const uint8_t *p = buf;
  uint32_t handle = wasisock__fd_handle(fd), sent;
  size_t done = 0;
  int64_t t;
  int32_t r;

  if (flags & ~WASISOCK__SEND_FLAGS)
    return wasisock__fail(EOPNOTSUPP);
  if (len > 0 && buf == NULL)
    return wasisock__fail(EFAULT);
  if (len > WASISOCK__MAX_IO)
    len = WASISOCK__MAX_IO;
  if ((t = wasisock__timeout_for(handle, WASISOCK__SEND,
                                 (flags & MSG_DONTWAIT) != 0)) < 0)
    return -1;
  if (to != NULL)
    wasisock_addr_write(rec, to);
  do {
    sent = 0;
    if (to != NULL)
      r = __wasisock_sock_send_to(handle, p + done, (uint32_t)(len - done), 0,
                                  rec, &sent);
    else
      r = __wasisock_sock_send(handle, p + done, (uint32_t)(len - done),
                               &sent);
    if (r != WASISOCK_OK) {
      /* What went out before the error is the answer; the error comes
       * again at the next call. */
      if (done > 0)
        break;
      return wasisock__fail(wasisock__timeout_errno(r, t));
    }
    if (sent == 0 || sent > len - done)
      break; /* no progress (or a host bug): never spin */
    done += sent;
  } while (done < len && t == WASISOCK_TIMEOUT_NONE);
  return (ssize_t)done;
}

ssize_t __wrap_send(int fd, const void *buf, size_t len, int flags) {
  if (!wasisock__is_socket_fd(fd))
    return wasisock__wasi_result(fd, __real_send(fd, buf, len, flags));
  return wasisock__send(fd, buf, len, flags, NULL);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
               const struct sockaddr *addr, socklen_t addrlen) {
  wasisock_addr_t to;

  if (!wasisock__is_socket_fd(fd))
    return addr == NULL
               ? wasisock__wasi_result(fd, __real_send(fd, buf, len, flags))
               : wasisock__wasi_fd_fail(fd);
  if (addr == NULL)
    return wasisock__send(fd, buf, len, flags, NULL);
  if (wasisock__sockaddr_read(addr, addrlen, &to) < 0)
    return -1;
  return wasisock__send(fd, buf, len, flags, &to);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags) {
  struct msghdr m;
  wasisock_addr_t to;

  if (!wasisock__is_socket_fd(fd))
    return wasisock__wasi_fd_fail(fd);
  if (!wasisock__mem_ok(msg, sizeof(*msg)))
    return wasisock__fail(EFAULT);
  memcpy(&m, msg, sizeof(m));
  /* No ancillary data reaches the host (docs/POSIX.md). */
  if (m.msg_control != NULL && m.msg_controllen > 0)
    return wasisock__fail(EOPNOTSUPP);
  if (m.msg_name == NULL)
    return wasisock__sendv(fd, m.msg_iov, m.msg_iovlen, flags, NULL);
  if (wasisock__sockaddr_read(m.msg_name, m.msg_namelen, &to) < 0)
    return -1;
  return wasisock__sendv(fd, m.msg_iov, m.msg_iovlen, flags, &to);
}
