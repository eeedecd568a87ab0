/* wasisock_config_init, wasisock_new, wasisock_free, wasisock_version_string. */
#include "helpers.h"

#include <string.h>

static void test_instance_config_defaults(void **state) {
  wasisock_config_t c;
  (void)state;
  memset(&c, 0xFF, sizeof(c));
  wasisock_config_init(&c);
  assert_int_equal(c.struct_size, sizeof(c));
  assert_int_equal(c.max_sockets, 1024);
  wasisock_config_init(NULL); /* no crash */
}

static void test_instance_new_free(void **state) {
  wasisock_config_t c;
  wasisock_t *h = NULL;
  (void)state;

  assert_int_equal(wasisock_new(NULL, &h), WASISOCK_OK);
  assert_non_null(h);
  wasisock_free(h);
  wasisock_config_init(&c);
  c.max_sockets = 1;
  h = NULL;
  assert_int_equal(wasisock_new(&c, &h), WASISOCK_OK);
  assert_non_null(h);
  wasisock_free(h);
  wasisock_free(NULL);
  assert_int_equal(wasisock_new(NULL, NULL), WASISOCK_EINVAL);
}

static void test_instance_bad_config(void **state) {
  struct {
    wasisock_config_t c;
    uint64_t future; /* a field from a newer header */
  } big;
  wasisock_config_t c;
  wasisock_t *h = (wasisock_t *)&c; /* must be reset to NULL on failure */
  (void)state;

  wasisock_config_init(&c);
  c.max_sockets = 0;
  assert_int_equal(wasisock_new(&c, &h), WASISOCK_EINVAL);
  assert_null(h);
  wasisock_config_init(&c);
  c.max_sockets = UINT32_MAX; /* handles would overflow u32 */
  assert_int_equal(wasisock_new(&c, &h), WASISOCK_EINVAL);
  /* Handles stay below WASISOCK_FD_BASE (the guest's socket descriptors
   * are WASISOCK_FD_BASE + handle): the first limit that would reach it is
   * refused, the last that does not is taken. */
  wasisock_config_init(&c);
  c.max_sockets = WASISOCK_MAX_SOCKETS_LIMIT + 1u;
  assert_int_equal(wasisock_new(&c, &h), WASISOCK_EINVAL);
  wasisock_config_init(&c);
  c.max_sockets = WASISOCK_MAX_SOCKETS_LIMIT;
  assert_int_equal(wasisock_new(&c, &h), WASISOCK_OK);
  wasisock_free(h);
  h = NULL;
  wasisock_config_init(&c);
  c.struct_size = 0;
  assert_int_equal(wasisock_new(&c, &h), WASISOCK_EINVAL);

  /* A newer, larger struct: fine while the unknown fields are zero. */
  memset(&big, 0, sizeof(big));
  wasisock_config_init(&big.c);
  big.c.struct_size = sizeof(big);
  assert_int_equal(wasisock_new(&big.c, &h), WASISOCK_OK);
  wasisock_free(h);
  big.future = 1;
  assert_int_equal(wasisock_new(&big.c, &h), WASISOCK_EINVAL);

  /* An older, smaller struct (only struct_size): defaults for the rest. */
  wasisock_config_init(&c);
  c.struct_size = sizeof(c.struct_size);
  c.max_sockets = 0; /* not read: past struct_size */
  assert_int_equal(wasisock_new(&c, &h), WASISOCK_OK);
  wasisock_free(h);
}

static void test_instance_version_string(void **state) {
  (void)state;
  assert_non_null(wasisock_version_string());
  assert_string_equal(wasisock_version_string(), WASISOCK_TEST_VERSION);
}

/* new/free many times: every loop fd is given back. */
static void test_instance_no_fd_leak(void **state) {
  int before, i;
  (void)state;
  before = th_count_fds();
  for (i = 0; i < 50; i++)
    wasisock_free(th_new(0));
  assert_int_equal(th_count_fds(), before);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_instance_config_defaults),
      cmocka_unit_test(test_instance_new_free),
      cmocka_unit_test(test_instance_bad_config),
      cmocka_unit_test(test_instance_version_string),
      cmocka_unit_test(test_instance_no_fd_leak),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
