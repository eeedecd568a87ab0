/* sock_abi_version: writes the revision, little-endian, exactly 4 bytes. */
#include "helpers.h"

#include <string.h>

static void test_abi_version_writes_revision(void **state) {
  th_arena_t *a = th_arena(state);
  wasisock_t *h = th_host(state);
  const uint32_t off = 101; /* unaligned on purpose */

  assert_int_equal(wasisock_sock_abi_version(h, &a->mem, off), WASISOCK_OK);
  assert_int_equal(th_u32(a, off), WASISOCK_ABI_REVISION);
  assert_int_equal(th_at(a, off)[0], WASISOCK_ABI_REVISION & 0xff);
  /* Nothing around the 4 bytes changed. */
  assert_int_equal(th_at(a, off - 1)[0], TH_FILL_BYTE);
  assert_int_equal(th_at(a, off + 4)[0], TH_FILL_BYTE);
}

static void test_abi_version_last_bytes_of_memory(void **state) {
  th_arena_t *a = th_arena(state);
  wasisock_t *h = th_host(state);

  assert_int_equal(wasisock_sock_abi_version(h, &a->mem, 60), WASISOCK_OK);
  assert_int_equal(th_u32(a, 60), WASISOCK_ABI_REVISION);
  assert_int_equal(wasisock_sock_abi_version(h, &a->mem, 61), WASISOCK_EFAULT);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_abi_version_writes_revision, 4096),
      th_unit_test(test_abi_version_last_bytes_of_memory, 64),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
