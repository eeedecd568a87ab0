/*
 * sock_open.c — the sock_open import.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

/* A non-blocking, close-on-exec socket.  Non-blocking because every wait
 * happens on the instance loop (wait.c); close-on-exec so a host that
 * spawns processes does not leak guest sockets into them. */
static int32_t wasisock__socket(int family, int type, int *fd) {
  int s;

#if defined(SOCK_NONBLOCK) && defined(SOCK_CLOEXEC)
  s = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (s == -1)
    return wasisock__errno_from_native(errno);
#else
  int flags;

  s = socket(family, type, 0);
  if (s == -1)
    return wasisock__errno_from_native(errno);
  if ((flags = fcntl(s, F_GETFL)) == -1 ||
      fcntl(s, F_SETFL, flags | O_NONBLOCK) == -1 ||
      fcntl(s, F_SETFD, FD_CLOEXEC) == -1) {
    int err = errno;
    close(s);
    return wasisock__errno_from_native(err);
  }
#endif
  *fd = s;
  return WASISOCK_OK;
}

/* The policy's max-buffer (docs/POLICY.md): the socket's kernel send and
 * receive buffers are requested at that size, which also turns Linux's
 * autotuning off, so the kernel holds at most about that much per direction
 * for the guest (Linux reserves twice the value for its bookkeeping and
 * rounds up to its minimum, a few KiB; net.core.[rw]mem_max cap it too). */
int32_t wasisock__cap_buffers(const wasisock_t *host, int fd) {
  int v;

  if (host->max_buffer == WASISOCK_POLICY_NO_BUFFER_LIMIT)
    return WASISOCK_OK;
  v = host->max_buffer > INT_MAX / 2 ? INT_MAX / 2 : (int)host->max_buffer;
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)) == -1 ||
      setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) == -1)
    return wasisock__errno_from_native(errno);
  return WASISOCK_OK;
}

int32_t wasisock_sock_open(wasisock_t *host, const wasisock_mem_t *mem,
                           uint32_t af, uint32_t socktype,
                           uint32_t handle_ptr) {
  wasisock__sock_t *s;
  uint8_t *handle_out;
  uint32_t handle;
  int family, type;
  int32_t err;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  /* 1. pointers */
  handle_out = wasisock__mem_range(mem, handle_ptr, WASISOCK_U32_SIZE);
  if (handle_out == NULL)
    return WASISOCK_EFAULT;
  /* 2. argument values */
  if ((family = wasisock__af_to_native(af)) == -1)
    return WASISOCK_EAFNOSUPPORT;
  if ((type = wasisock__socktype_to_native(socktype)) == -1)
    return WASISOCK_EPROTOTYPE;
  /* 3. instance state: the limit (the lower of the config's and the
   * policy's) before any syscall */
  if (!wasisock__handle_room(host))
    return WASISOCK_EMFILE;

  s = calloc(1, sizeof(*s));
  if (s == NULL)
    return WASISOCK_ENOMEM;
  s->family = family;
  s->type = type;
  if ((err = wasisock__socket(family, type, &s->fd)) != WASISOCK_OK) {
    free(s);
    return err;
  }
  if ((err = wasisock__cap_buffers(host, s->fd)) != WASISOCK_OK) {
    wasisock__sock_destroy(s);
    return err;
  }
  if ((err = wasisock__handle_add(host, s, &handle)) != WASISOCK_OK) {
    wasisock__sock_destroy(s);
    return err;
  }
  wasisock_u32_write(handle_out, handle);
  return WASISOCK_OK;
}
