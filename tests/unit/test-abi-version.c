/* sock_abi_version: writes the revision, little-endian, exactly 4 bytes. */
#include "helpers.h"

#include <string.h>

static void test_abi_version_writes_revision(void **state) {
  th_arena_t a;
  wasisock_t *h = th_new(0);
  const uint32_t off = 101; /* unaligned on purpose */
  (void)state;

  th_arena_init(&a, 4096);
  assert_int_equal(wasisock_sock_abi_version(h, &a.mem, off), WASISOCK_OK);
  assert_int_equal(th_u32(&a, off), WASISOCK_ABI_REVISION);
  assert_int_equal(th_at(&a, off)[0], WASISOCK_ABI_REVISION & 0xff);
  /* Nothing around the 4 bytes changed. */
  assert_int_equal(th_at(&a, off - 1)[0], TH_FILL_BYTE);
  assert_int_equal(th_at(&a, off + 4)[0], TH_FILL_BYTE);
  th_arena_free(&a);
  wasisock_free(h);
}

static void test_abi_version_last_bytes_of_memory(void **state) {
  th_arena_t a;
  wasisock_t *h = th_new(0);
  (void)state;

  th_arena_init(&a, 64);
  assert_int_equal(wasisock_sock_abi_version(h, &a.mem, 60), WASISOCK_OK);
  assert_int_equal(th_u32(&a, 60), WASISOCK_ABI_REVISION);
  assert_int_equal(wasisock_sock_abi_version(h, &a.mem, 61), WASISOCK_EFAULT);
  th_arena_free(&a);
  wasisock_free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_abi_version_writes_revision),
      cmocka_unit_test(test_abi_version_last_bytes_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
