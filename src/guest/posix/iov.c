/*
 * iov.c — the iovec arrays of readv/writev/sendmsg/recvmsg: checked once
 * here, then gathered into (or scattered from) one buffer, because a
 * datagram is one host call and a stream loses nothing by being one too.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

ssize_t wasisock__iov_total(const struct iovec *iov, int n) {
  size_t total = 0;
  int i;

  if (n < 0 || n > IOV_MAX)
    return wasisock__fail(n < 0 ? EINVAL : EMSGSIZE);
  if (n > 0 && !wasisock__mem_ok(iov, (size_t)n * sizeof(*iov)))
    return wasisock__fail(EFAULT);
  for (i = 0; i < n; i++) {
    if (iov[i].iov_len == 0)
      continue;
    if (!wasisock__mem_ok(iov[i].iov_base, iov[i].iov_len))
      return wasisock__fail(EFAULT);
    if (iov[i].iov_len > WASISOCK__MAX_IO - total)
      return wasisock__fail(EINVAL);
    total += iov[i].iov_len;
  }
  return (ssize_t)total;
}

ssize_t wasisock__sendv(int fd, const struct iovec *iov, int n, int flags,
                        const wasisock_addr_t *to) {
  ssize_t total = wasisock__iov_total(iov, n), r;
  uint8_t *buf;
  size_t off = 0;
  int i;

  if (total < 0)
    return -1;
  if (n == 1)
    return wasisock__send(fd, iov[0].iov_base, iov[0].iov_len, flags, to);
  if ((buf = malloc(total > 0 ? (size_t)total : 1)) == NULL)
    return wasisock__fail(ENOMEM);
  for (i = 0; i < n; i++) {
    if (iov[i].iov_len == 0)
      continue;
    memcpy(buf + off, iov[i].iov_base, iov[i].iov_len);
    off += iov[i].iov_len;
  }
  r = wasisock__send(fd, buf, (size_t)total, flags, to);
  free(buf);
  return r;
}

ssize_t wasisock__recvv(int fd, const struct iovec *iov, int n, int flags,
                        wasisock_addr_t *from) {
  ssize_t total = wasisock__iov_total(iov, n), got;
  uint8_t *buf;
  size_t off = 0, part;
  int i;

  if (total < 0)
    return -1;
  if (n == 1)
    return wasisock__recv(fd, iov[0].iov_base, iov[0].iov_len, flags, from);
  if ((buf = malloc(total > 0 ? (size_t)total : 1)) == NULL)
    return wasisock__fail(ENOMEM);
  got = wasisock__recv(fd, buf, (size_t)total, flags, from);
  for (i = 0; got > 0 && i < n && off < (size_t)got; i++) {
    part = (size_t)got - off;
    if (part > iov[i].iov_len)
      part = iov[i].iov_len;
    if (part > 0)
      memcpy(iov[i].iov_base, buf + off, part);
    off += part;
  }
  free(buf);
  return got;
}
