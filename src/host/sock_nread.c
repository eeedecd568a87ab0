/*
 * sock_nread.c — the sock_nread import (revision 3): ioctl(FIONREAD).
 *
 * What one receive would return now without waiting: the bytes queued on a
 * stream, the size of the next datagram on a datagram socket (Linux), 0
 * when nothing is there.  A guest's ioctl(FIONREAD) and CPython's
 * socket-level "how much is pending" questions need this; a peek cannot say
 * it for a stream longer than the peek's buffer.
 */
#include <errno.h>
#include <sys/ioctl.h>

#include "internal.h"

int32_t wasisock_sock_nread(wasisock_t *host, const wasisock_mem_t *mem,
                            uint32_t handle, uint32_t bytes_ptr) {
  wasisock__sock_t *s;
  uint8_t *out;
  int32_t err;
  int n = 0;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  /* 1. pointers */
  out = wasisock__mem_range(mem, bytes_ptr, WASISOCK_U32_SIZE);
  if (out == NULL)
    return WASISOCK_EFAULT;
  /* 3. the handle */
  if ((err = wasisock__handle_get(host, handle, &s)) != WASISOCK_OK)
    return err;
  /* EINVAL for a listening socket, from the kernel. */
  if (ioctl(s->fd, FIONREAD, &n) == -1)
    return wasisock__errno_from_native(errno);
  wasisock_u32_write(out, n < 0 ? 0u : (uint32_t)n);
  return WASISOCK_OK;
}
