/*
 * sock_socketpair.c — the sock_socketpair import (revision 3).
 *
 * Two connected Unix-domain sockets made by the host's socketpair(2): what
 * a guest's socketpair() gives (asyncio's self-pipe, test suites).  No
 * address is involved, so the network policy is not asked — nothing can
 * leave the host through them — but both count against the instance's
 * socket limit.  They are like every other socket to the rest of the ABI
 * (send, recv, poll, options, shutdown, timeouts); having no Internet
 * address, sock_local_addr and sock_peer_addr report "no address".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

/* Two fresh socket records of a pair of native sockets of type. */
static int32_t wasisock__pair(int type, wasisock__sock_t *s[2]) {
  int fds[2], i;

#if defined(SOCK_NONBLOCK) && defined(SOCK_CLOEXEC)
  if (socketpair(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == -1)
    return wasisock__errno_from_native(errno);
#else
  if (socketpair(AF_UNIX, type, 0, fds) == -1)
    return wasisock__errno_from_native(errno);
  for (i = 0; i < 2; i++)
    if (fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK) == -1 ||
        fcntl(fds[i], F_SETFD, FD_CLOEXEC) == -1) {
      int err = errno;
      close(fds[0]);
      close(fds[1]);
      return wasisock__errno_from_native(err);
    }
#endif
  s[0] = calloc(1, sizeof(*s[0]));
  s[1] = calloc(1, sizeof(*s[1]));
  if (s[0] == NULL || s[1] == NULL) {
    free(s[0]);
    free(s[1]);
    close(fds[0]);
    close(fds[1]);
    return WASISOCK_ENOMEM;
  }
  for (i = 0; i < 2; i++) {
    s[i]->fd = fds[i];
    s[i]->family = AF_UNIX;
    s[i]->type = type;
  }
  return WASISOCK_OK;
}

int32_t wasisock_sock_socketpair(wasisock_t *host, const wasisock_mem_t *mem,
                                 uint32_t socktype, uint32_t handle0_ptr,
                                 uint32_t handle1_ptr) {
  wasisock__sock_t *s[2] = {NULL, NULL};
  uint8_t *out0, *out1;
  uint32_t h[2];
  int32_t err;
  int type, i;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  /* 1. pointers */
  out0 = wasisock__mem_range(mem, handle0_ptr, WASISOCK_U32_SIZE);
  out1 = wasisock__mem_range(mem, handle1_ptr, WASISOCK_U32_SIZE);
  if (out0 == NULL || out1 == NULL)
    return WASISOCK_EFAULT;
  /* 2. argument values */
  if ((type = wasisock__socktype_to_native(socktype)) == -1)
    return WASISOCK_EPROTOTYPE;
  /* 3. instance state: room for both, before any syscall */
  if (host->max_sockets - host->nopen < 2)
    return WASISOCK_EMFILE;

  if ((err = wasisock__pair(type, s)) != WASISOCK_OK)
    return err;
  for (i = 0; i < 2; i++)
    if ((err = wasisock__cap_buffers(host, s[i]->fd)) != WASISOCK_OK)
      goto fail;
  if ((err = wasisock__handle_add(host, s[0], &h[0])) != WASISOCK_OK)
    goto fail;
  if ((err = wasisock__handle_add(host, s[1], &h[1])) != WASISOCK_OK) {
    wasisock__handle_remove(host, h[0]);
    goto fail;
  }
  wasisock_u32_write(out0, h[0]);
  wasisock_u32_write(out1, h[1]);
  return WASISOCK_OK;

fail:
  wasisock__sock_destroy(s[0]);
  wasisock__sock_destroy(s[1]);
  return err;
}
