/*
 * fcntl.c — fcntl() and ioctl() on socket descriptors (wrapped: other
 * descriptors go to wasi-libc, a negative one is EBADF as POSIX says —
 * engines differ there, Node says EINVAL).
 */
#include <fcntl.h>
#include <stdarg.h>
#include <sys/ioctl.h>

#include "internal.h"

int __wrap_fcntl(int fd, int cmd, ...) {
  uint32_t handle;
  wasisock__fdstate_t *st;
  va_list ap;
  int arg = 0;

  /* Only the set commands pass an int; reading one the caller did not pass
   * would read garbage (never a trap in wasm, but pointless). */
  if (cmd == F_SETFL || cmd == F_SETFD) {
    va_start(ap, cmd);
    arg = va_arg(ap, int);
    va_end(ap);
  }
  if (!wasisock__is_socket_fd(fd))
    return fd < 0 ? wasisock__fail(EBADF) : __real_fcntl(fd, cmd, arg);
  handle = wasisock__fd_handle(fd);
  switch (cmd) {
  case F_GETFL:
    if (wasisock__socket_type(handle, NULL) < 0)
      return -1;
    return O_RDWR | (wasisock__state(handle)->nonblock ? O_NONBLOCK : 0);
  case F_SETFL:
    /* Only O_NONBLOCK can change on a socket; others are ignored (Linux). */
    return wasisock__set_nonblock(handle, (arg & O_NONBLOCK) != 0);
  case F_GETFD:
    if (wasisock__socket_type(handle, NULL) < 0)
      return -1;
    return wasisock__state(handle)->cloexec ? FD_CLOEXEC : 0;
  case F_SETFD:
    if (wasisock__socket_type(handle, NULL) < 0)
      return -1;
    if ((st = wasisock__state_mut(handle)) == NULL)
      return -1;
    st->cloexec = (arg & FD_CLOEXEC) != 0; /* no exec in WASI: kept only */
    return 0;
  default:
    return wasisock__fail(EINVAL);
  }
}

int __wrap_ioctl(int fd, int request, ...) {
  uint32_t handle;
  va_list ap;
  int *argp;

  va_start(ap, request);
  argp = va_arg(ap, int *);
  va_end(ap);
  if (!wasisock__is_socket_fd(fd))
    return fd < 0 ? wasisock__fail(EBADF) : __real_ioctl(fd, request, argp);
  handle = wasisock__fd_handle(fd);
  switch (request) {
  case FIONBIO:
    if (!wasisock__mem_ok(argp, sizeof(*argp)))
      return wasisock__fail(EFAULT);
    return wasisock__set_nonblock(handle, *argp != 0);
  case FIONREAD: {
    /* What one recv would return now (a datagram: the next one's size). */
    uint32_t n = 0;
    int32_t r;
    if (!wasisock__mem_ok(argp, sizeof(*argp)))
      return wasisock__fail(EFAULT);
    if ((r = __wasisock_sock_nread(handle, &n)) != WASISOCK_OK)
      return wasisock__fail(r);
    *argp = n > INT32_MAX ? INT32_MAX : (int)n;
    return 0;
  }
  default:
    if (wasisock__socket_type(handle, NULL) < 0)
      return -1;
    return wasisock__fail(ENOTTY);
  }
}
