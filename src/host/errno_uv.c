/*
 * errno_uv.c — libuv's error codes → WASI errno values, through the one
 * native switch (errno_map.c).
 */
#include "internal.h"

int32_t wasisock__errno_from_uv(int uverr) {
  /* On Unix a libuv error is the negated native errno (UV__ERR). */
  if (uverr >= 0)
    return WASISOCK_OK;
  return wasisock__errno_from_native(-uverr);
}

int32_t wasisock__errno_from_eai(int uverr) {
  switch (uverr) {
  case 0: return WASISOCK_OK;
  case UV_EAI_NONAME:
  case UV_EAI_NODATA: return WASISOCK_ENOENT;
  case UV_EAI_AGAIN: return WASISOCK_EAGAIN;
  case UV_EAI_MEMORY:
  case UV_ENOMEM: return WASISOCK_ENOMEM;
  default: return WASISOCK_EIO;
  }
}
