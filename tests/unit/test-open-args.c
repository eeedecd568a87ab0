/* sock_open argument values: EAFNOSUPPORT, EPROTOTYPE, and the order of
 * checks (pointers, then values, then instance state). */
#include "helpers.h"

static void test_open_bad_family(void **state) {
  static const uint32_t bad[] = {WASISOCK_AF_UNSPEC, 3, 10, UINT32_MAX};
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  size_t i;

  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    assert_int_equal(
        wasisock_sock_open(h, &a->mem, bad[i], WASISOCK_SOCK_STREAM, TH_OUT),
        WASISOCK_EAFNOSUPPORT);
  assert_int_equal(th_at(a, TH_OUT)[0], TH_FILL_BYTE);
}

static void test_open_bad_socktype(void **state) {
  static const uint32_t bad[] = {0, 1, 2, 3, 4, 7, UINT32_MAX};
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  size_t i;

  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    assert_int_equal(
        wasisock_sock_open(h, &a->mem, WASISOCK_AF_INET6, bad[i], TH_OUT),
        WASISOCK_EPROTOTYPE);
  assert_int_equal(th_at(a, TH_OUT)[0], TH_FILL_BYTE);
}

static void test_open_check_order(void **state) {
  wasisock_t *h = th_new(1);
  th_arena_t a;
  (void)state;

  th_arena_init(&a, 4096);
  /* Bad pointer beats bad values. */
  assert_int_equal(wasisock_sock_open(h, &a.mem, 99, 99, 4093), WASISOCK_EFAULT);
  /* Family before socktype. */
  assert_int_equal(wasisock_sock_open(h, &a.mem, 99, 99, TH_OUT),
                   WASISOCK_EAFNOSUPPORT);
  /* Values before the limit. */
  th_open(h, &a, AF_INET, SOCK_STREAM);
  assert_int_equal(wasisock_sock_open(h, &a.mem, WASISOCK_AF_INET, 99, TH_OUT),
                   WASISOCK_EPROTOTYPE);
  assert_int_equal(wasisock_sock_open(h, &a.mem, WASISOCK_AF_INET,
                                      WASISOCK_SOCK_STREAM, 4093),
                   WASISOCK_EFAULT);
  assert_int_equal(wasisock_sock_open(h, &a.mem, WASISOCK_AF_INET,
                                      WASISOCK_SOCK_STREAM, TH_OUT),
                   WASISOCK_EMFILE);
  th_arena_free(&a);
  wasisock_free(h);
}

static void test_open_all_combinations(void **state) {
  static const uint32_t afs[] = {WASISOCK_AF_INET, WASISOCK_AF_INET6};
  static const uint32_t types[] = {WASISOCK_SOCK_STREAM, WASISOCK_SOCK_DGRAM};
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  size_t i, j;
  uint32_t want = WASISOCK_FIRST_HANDLE;

  for (i = 0; i < 2; i++)
    for (j = 0; j < 2; j++) {
      int32_t r = wasisock_sock_open(h, &a->mem, afs[i], types[j], 333);
      if (r == WASISOCK_EAFNOSUPPORT && afs[i] == WASISOCK_AF_INET6)
        continue; /* a host without IPv6 at all */
      assert_int_equal(r, WASISOCK_OK);
      assert_int_equal(th_u32(a, 333), want++);
    }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_open_bad_family, 4096),
      th_unit_test(test_open_bad_socktype, 4096),
      cmocka_unit_test(test_open_check_order),
      th_unit_test(test_open_all_combinations, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
