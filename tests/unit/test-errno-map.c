/* errno_map.c (internal): native errno, libuv and getaddrinfo errors → WASI. */
#include "helpers.h"

#include <errno.h>

#include "internal.h"

/* Every WASI name that Linux also has maps to itself: generated from the
 * ABI's own list so a new row is checked automatically.  ESUCCESS is 0 and
 * ENOTCAPABLE has no native counterpart. */
#define ESUCCESS 0
#define ENOTCAPABLE (-12345)
static void test_errno_map_every_name(void **state) {
  (void)state;
#define CHECK(value, name, msg)                                                \
  if (E##name != ENOTCAPABLE)                                                  \
    assert_int_equal(wasisock__errno_from_native(E##name), value);
  WASISOCK_ERRNO_MAP(CHECK)
#undef CHECK
}

static void test_errno_map_aliases_and_default(void **state) {
  (void)state;
  assert_int_equal(wasisock__errno_from_native(EWOULDBLOCK), WASISOCK_EAGAIN);
  assert_int_equal(wasisock__errno_from_native(EOPNOTSUPP), WASISOCK_ENOTSUP);
  assert_int_equal(wasisock__errno_from_native(ESHUTDOWN), WASISOCK_EPIPE);
  assert_int_equal(wasisock__errno_from_native(EHOSTDOWN), WASISOCK_EHOSTUNREACH);
  /* Linux errnos the ABI has no name for: a safe, known default. */
  assert_int_equal(wasisock__errno_from_native(ENOMEDIUM), WASISOCK_EIO);
  assert_int_equal(wasisock__errno_from_native(EREMOTEIO), WASISOCK_EIO);
  assert_int_equal(wasisock__errno_from_native(-1), WASISOCK_EIO);
  assert_int_equal(wasisock__errno_from_native(100000), WASISOCK_EIO);
}

static void test_errno_map_uv(void **state) {
  (void)state;
  assert_int_equal(wasisock__errno_from_uv(0), WASISOCK_OK);
  assert_int_equal(wasisock__errno_from_uv(UV_ECONNREFUSED),
                   WASISOCK_ECONNREFUSED);
  assert_int_equal(wasisock__errno_from_uv(UV_EBADF), WASISOCK_EBADF);
  assert_int_equal(wasisock__errno_from_uv(UV_ENOMEM), WASISOCK_ENOMEM);
  assert_int_equal(wasisock__errno_from_uv(UV_EAI_NONAME), WASISOCK_EIO);
}

static void test_errno_map_eai(void **state) {
  (void)state;
  assert_int_equal(wasisock__errno_from_eai(0), WASISOCK_OK);
  assert_int_equal(wasisock__errno_from_eai(UV_EAI_NONAME), WASISOCK_ENOENT);
  assert_int_equal(wasisock__errno_from_eai(UV_EAI_NODATA), WASISOCK_ENOENT);
  assert_int_equal(wasisock__errno_from_eai(UV_EAI_AGAIN), WASISOCK_EAGAIN);
  assert_int_equal(wasisock__errno_from_eai(UV_EAI_MEMORY), WASISOCK_ENOMEM);
  assert_int_equal(wasisock__errno_from_eai(UV_EAI_FAIL), WASISOCK_EIO);
  assert_int_equal(wasisock__errno_from_eai(UV_EAI_SERVICE), WASISOCK_EIO);
  assert_int_equal(wasisock__errno_from_eai(UV_EINVAL), WASISOCK_EIO);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_errno_map_every_name),
      cmocka_unit_test(test_errno_map_aliases_and_default),
      cmocka_unit_test(test_errno_map_uv),
      cmocka_unit_test(test_errno_map_eai),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
