/*
 * options.c — guest library: shutdown, socket options, timeouts
 * (revision 2).
 */
#include <stdint.h>

#include "internal.h"

int wasisock_shutdown(int h, int how) {
  int32_t r;
  if (h <= 0) return wasisock__fail(WASISOCK_EBADF);
  if (how < 0) return wasisock__fail(WASISOCK_EINVAL);
  r = __wasisock_sock_shutdown((uint32_t)h, (uint32_t)how);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  return 0;
}

int wasisock_setsockopt(int h, int level, int name, int value) {
  int32_t r;
  if (h <= 0) return wasisock__fail(WASISOCK_EBADF);
  r = __wasisock_sock_setsockopt((uint32_t)h, (uint32_t)level, (uint32_t)name,
                                 (uint32_t)value);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  return 0;
}

int wasisock_getsockopt(int h, int level, int name, int *value) {
  uint32_t v = 0;
  int32_t r;
  if (value == NULL) return wasisock__fail(WASISOCK_EFAULT);
  if (h <= 0) return wasisock__fail(WASISOCK_EBADF);
  r = __wasisock_sock_getsockopt((uint32_t)h, (uint32_t)level, (uint32_t)name,
                                 &v);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  *value = (int)v;
  return 0;
}

int wasisock_set_timeout(int h, uint32_t timeout_ms) {
  int32_t r;
  if (h <= 0) return wasisock__fail(WASISOCK_EBADF);
  r = __wasisock_sock_set_timeout((uint32_t)h, timeout_ms);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  return 0;
}

int wasisock_get_timeout(int h, uint32_t *timeout_ms) {
  int32_t r;
  if (timeout_ms == NULL) return wasisock__fail(WASISOCK_EFAULT);
  if (h <= 0) return wasisock__fail(WASISOCK_EBADF);
  r = __wasisock_sock_get_timeout((uint32_t)h, timeout_ms);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  return 0;
}
