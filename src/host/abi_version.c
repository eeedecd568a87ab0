/*
 * abi_version.c — the sock_abi_version import.
 */
#include "internal.h"

int32_t wasisock_sock_abi_version(wasisock_t *host, const wasisock_mem_t *mem,
                                  uint32_t revision_ptr) {
  uint8_t *revision;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  revision = wasisock__mem_range(mem, revision_ptr, WASISOCK_U32_SIZE);
  if (revision == NULL)
    return WASISOCK_EFAULT;
  wasisock_u32_write(revision, WASISOCK_ABI_REVISION);
  return WASISOCK_OK;
}
