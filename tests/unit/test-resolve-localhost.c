/* "localhost" resolves locally to loopback addresses, port filled in. */
#include "helpers.h"

#include <string.h>

static void test_resolve_localhost(void **state) {
  static const uint8_t v4[16] = {127, 0, 0, 1};
  static const uint8_t v6[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                 0, 0, 0, 0, 0, 0, 0, 1};
  wasisock_t *h = th_host(state);
  wasisock_addr_t r;
  th_arena_t *a = th_arena(state);
  uint32_t count, i, j, loopback = 0;

  memcpy(th_at(a, TH_NAME), "localhost", 9);
  assert_int_equal(
      wasisock_sock_resolve(h, &a->mem, TH_NAME, 9, 443, TH_DATA, 16, TH_OUT),
      WASISOCK_OK);
  count = th_u32(a, TH_OUT);
  assert_true(count >= 1 && count <= 16);
  for (i = 0; i < count; i++) {
    assert_int_equal(
        wasisock_addr_read(th_at(a, TH_DATA + i * WASISOCK_ADDR_SIZE), &r),
        WASISOCK_OK);
    assert_int_equal(r.port, 443);
    if ((r.family == WASISOCK_AF_INET && memcmp(r.bytes, v4, 16) == 0) ||
        (r.family == WASISOCK_AF_INET6 && memcmp(r.bytes, v6, 16) == 0))
      loopback++;
    /* No duplicates. */
    for (j = 0; j < i; j++)
      assert_memory_not_equal(th_at(a, TH_DATA + j * WASISOCK_ADDR_SIZE),
                              th_at(a, TH_DATA + i * WASISOCK_ADDR_SIZE),
                              WASISOCK_ADDR_SIZE);
  }
  assert_true(loopback >= 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_resolve_localhost, 65536),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
