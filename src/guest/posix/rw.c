/*
 * rw.c — read(), write(), readv() and writev() on socket descriptors
 * (wrapped: every other descriptor goes to wasi-libc).  They are recv and
 * send with no flags, as POSIX defines them for sockets.  A negative
 * descriptor is EBADF here: WASI engines differ on it (Node says EINVAL).
 */
#include "internal.h"

ssize_t __wrap_read(int fd, void *buf, size_t len) {
  if (!wasisock__is_socket_fd(fd))
    return fd < 0 ? wasisock__fail(EBADF) : __real_read(fd, buf, len);
  return wasisock__recv(fd, buf, len, 0, NULL);
}

ssize_t __wrap_write(int fd, const void *buf, size_t len) {
  if (!wasisock__is_socket_fd(fd))
    return fd < 0 ? wasisock__fail(EBADF) : __real_write(fd, buf, len);
  return wasisock__send(fd, buf, len, 0, NULL);
}

ssize_t __wrap_readv(int fd, const struct iovec *iov, int n) {
  if (!wasisock__is_socket_fd(fd))
    return fd < 0 ? wasisock__fail(EBADF) : __real_readv(fd, iov, n);
  return wasisock__recvv(fd, iov, n, 0, NULL);
}

ssize_t __wrap_writev(int fd, const struct iovec *iov, int n) {
  if (!wasisock__is_socket_fd(fd))
    return fd < 0 ? wasisock__fail(EBADF) : __real_writev(fd, iov, n);
  return wasisock__sendv(fd, iov, n, 0, NULL);
}
