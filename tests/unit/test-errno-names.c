/* wasisock_errno_name / wasisock_errno_message (wasisock_abi.h). */
#include "helpers.h"

#include <string.h>

static void test_errno_names_known(void **state) {
  (void)state;
  assert_string_equal(wasisock_errno_name(WASISOCK_ECONNREFUSED), "ECONNREFUSED");
  assert_string_equal(wasisock_errno_name(14), "ECONNREFUSED");
  assert_string_equal(wasisock_errno_name(WASISOCK_EFAULT), "EFAULT");
  assert_string_equal(wasisock_errno_name(WASISOCK_E2BIG), "E2BIG");
  assert_string_equal(wasisock_errno_name(0), "ESUCCESS");
  assert_string_equal(wasisock_errno_message(WASISOCK_ECONNREFUSED),
                      "Connection refused");
  assert_string_equal(wasisock_errno_message(WASISOCK_EBADF),
                      "Bad file descriptor");
  assert_int_equal(WASISOCK_OK, 0);
  assert_int_equal(WASISOCK_ENOTCAPABLE, 76);
}

static void test_errno_names_unknown(void **state) {
  static const int32_t bad[] = {-1, 77, 1000, INT32_MAX, INT32_MIN};
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    assert_string_equal(wasisock_errno_name(bad[i]), "EUNKNOWN");
    assert_string_equal(wasisock_errno_message(bad[i]), "Unknown error");
  }
}

/* Every value 0..76 has a distinct name and a non-empty message. */
static void test_errno_names_every_row(void **state) {
  int32_t i, j;
  (void)state;
  for (i = 0; i <= 76; i++) {
    const char *n = wasisock_errno_name(i);
    assert_string_not_equal(n, "EUNKNOWN");
    assert_int_equal(n[0], 'E');
    assert_true(strlen(wasisock_errno_message(i)) > 0);
    assert_string_not_equal(wasisock_errno_message(i), "Unknown error");
    for (j = 0; j < i; j++)
      assert_string_not_equal(wasisock_errno_name(j), n);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_errno_names_known),
      cmocka_unit_test(test_errno_names_unknown),
      cmocka_unit_test(test_errno_names_every_row),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
