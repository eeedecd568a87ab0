/*
 * sock_shutdown.c — the sock_shutdown import.
 */
#include <errno.h>

#include "internal.h"

/* WASISOCK_SHUT_* (wasi-libc's bits: RD 1, WR 2, both 3) → native SHUT_*. */
static int wasisock__how_to_native(uint32_t how) {
  switch (how) {
  case WASISOCK_SHUT_RD: return SHUT_RD;
  case WASISOCK_SHUT_WR: return SHUT_WR;
  case WASISOCK_SHUT_RDWR: return SHUT_RDWR;
  default: return -1;
  }
}

int32_t wasisock_sock_shutdown(wasisock_t *host, const wasisock_mem_t *mem,
                               uint32_t handle, uint32_t how) {
  wasisock__sock_t *s;
  int32_t err;
  int native;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  /* 2. argument values */
  if ((native = wasisock__how_to_native(how)) == -1)
    return WASISOCK_EINVAL;
  /* 3. the handle */
  if ((err = wasisock__handle_get(host, handle, &s)) != WASISOCK_OK)
    return err;
  /* ENOTCONN for a socket that is not connected, from the kernel. */
  if (shutdown(s->fd, native) == -1)
    return wasisock__errno_from_native(errno);
  return WASISOCK_OK;
}
