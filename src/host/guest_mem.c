/*
 * guest_mem.c — bounds checks on guest linear memory.
 *
 * Every guest pointer and length goes through here before anything is read
 * or written, and before any other check (see the error order in
 * wasisock.h): a call whose pointers do not fit has no effect at all.
 */
#include "internal.h"

int wasisock__mem_valid(const wasisock_mem_t *mem) {
  if (mem == NULL)
    return 0;
  /* A memory of size 0 may have no base; anything else needs one. */
  return mem->base != NULL || mem->len == 0;
}

uint8_t *wasisock__mem_range(const wasisock_mem_t *mem, uint32_t ptr,
                             uint64_t len) {
  uint64_t end;

  if (mem == NULL || mem->base == NULL)
    return NULL;
  end = (uint64_t)mem->len;
  /* Never ptr + len: in 32 bits 0xFFFFFFF0 + 0x20 wraps to 0x10 and would
   * pass.  ptr <= end first, so end - ptr cannot underflow. */
  if ((uint64_t)ptr > end || len > end - ptr)
    return NULL;
  return mem->base + ptr;
}

uint8_t *wasisock__mem_array(const wasisock_mem_t *mem, uint32_t ptr,
                             uint32_t count, uint32_t size) {
  /* u32 * u32 fits in u64 exactly, so the product cannot wrap. */
  return wasisock__mem_range(mem, ptr, (uint64_t)count * (uint64_t)size);
}
