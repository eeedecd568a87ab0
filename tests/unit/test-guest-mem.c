/* guest_mem.c (internal): overflow-proof range checks. */
#include "helpers.h"

#include "internal.h"

static void test_guest_mem_ranges(void **state) {
  uint8_t buf[100];
  wasisock_mem_t m = {buf, sizeof(buf)};
  (void)state;

  assert_ptr_equal(wasisock__mem_range(&m, 0, 100), buf);
  assert_ptr_equal(wasisock__mem_range(&m, 100, 0), buf + 100);
  assert_ptr_equal(wasisock__mem_range(&m, 96, 4), buf + 96);
  assert_null(wasisock__mem_range(&m, 97, 4));  /* len - n + 1 */
  assert_null(wasisock__mem_range(&m, 101, 0)); /* past the end, empty */
  assert_null(wasisock__mem_range(&m, 0, 101));
  assert_null(wasisock__mem_range(&m, UINT32_MAX, 1));
  assert_null(wasisock__mem_range(&m, UINT32_MAX, 0));
  assert_null(wasisock__mem_range(&m, 0xFFFFFFF0u, 0x20)); /* wraps in u32 */
  assert_null(wasisock__mem_range(&m, 1, UINT64_MAX));
  assert_null(wasisock__mem_range(NULL, 0, 0));
}

static void test_guest_mem_arrays(void **state) {
  uint8_t buf[100];
  wasisock_mem_t m = {buf, sizeof(buf)};
  (void)state;

  assert_ptr_equal(wasisock__mem_array(&m, 5, 5, 19), buf + 5);
  assert_null(wasisock__mem_array(&m, 6, 5, 19));
  assert_ptr_equal(wasisock__mem_array(&m, 100, 0, 19), buf + 100);
  /* 226050911 * 19 = 2^32 + 13: wraps to 13 in 32-bit arithmetic. */
  assert_null(wasisock__mem_array(&m, 0, 226050911u, 19));
  assert_null(wasisock__mem_array(&m, 0, UINT32_MAX, UINT32_MAX));
}

static void test_guest_mem_views(void **state) {
  uint8_t buf[4];
  wasisock_mem_t ok = {buf, 4}, empty = {NULL, 0}, bad = {NULL, 4};
  (void)state;

  assert_true(wasisock__mem_valid(&ok));
  assert_true(wasisock__mem_valid(&empty));
  assert_false(wasisock__mem_valid(&bad));
  assert_false(wasisock__mem_valid(NULL));
  assert_null(wasisock__mem_range(&empty, 0, 0));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_guest_mem_ranges),
      cmocka_unit_test(test_guest_mem_arrays),
      cmocka_unit_test(test_guest_mem_views),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
