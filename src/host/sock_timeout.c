/*
 * sock_timeout.c — the sock_set_timeout and sock_get_timeout imports.
 *
 * Python's settimeout in one number: WASISOCK_TIMEOUT_NONE blocks until
 * done (the default), 0 never waits (EAGAIN, or EINPROGRESS for a connect),
 * N waits at most N ms in total per call (ETIMEDOUT).  Only the handle's
 * record changes: the native socket is non-blocking whatever the mode, and
 * the waits (wait.c) read the timeout at the start of each call.
 */
#include "internal.h"

int32_t wasisock_sock_set_timeout(wasisock_t *host, const wasisock_mem_t *mem,
                                  uint32_t handle, uint32_t timeout_ms) {
  wasisock__sock_t *s;
  int32_t err;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  /* 2. argument values: every u32 is meaningful */
  /* 3. the handle */
  if ((err = wasisock__handle_get(host, handle, &s)) != WASISOCK_OK)
    return err;
  s->timed = timeout_ms != WASISOCK_TIMEOUT_NONE;
  s->timeout_ms = s->timed ? timeout_ms : 0;
  return WASISOCK_OK;
}

int32_t wasisock_sock_get_timeout(wasisock_t *host, const wasisock_mem_t *mem,
                                  uint32_t handle, uint32_t timeout_ptr) {
  wasisock__sock_t *s;
  uint8_t *out;
  int32_t err;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  /* 1. pointers */
  out = wasisock__mem_range(mem, timeout_ptr, WASISOCK_U32_SIZE);
  if (out == NULL)
    return WASISOCK_EFAULT;
  /* 3. the handle */
  if ((err = wasisock__handle_get(host, handle, &s)) != WASISOCK_OK)
    return err;
  wasisock_u32_write(out, s->timed ? s->timeout_ms : WASISOCK_TIMEOUT_NONE);
  return WASISOCK_OK;
}
