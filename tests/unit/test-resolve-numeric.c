/* sock_resolve on numeric names, and its argument checks. */
#include "helpers.h"

#include <string.h>

static uint32_t put_name(th_arena_t *a, const char *name) {
  size_t n = strlen(name);
  memcpy(th_at(a, TH_NAME), name, n);
  /* Not NUL-terminated: whatever follows must not matter. */
  memcpy(th_at(a, TH_NAME + (uint32_t)n), "zz9", 3);
  return (uint32_t)n;
}

static void test_resolve_numeric_ipv4(void **state) {
  static const uint8_t want[WASISOCK_ADDR_SIZE] = {
      WASISOCK_AF_INET, 0x1f, 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0};
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t n;

  n = put_name(a, "127.0.0.1");
  assert_int_equal(
      wasisock_sock_resolve(h, &a->mem, TH_NAME, n, 8080, TH_DATA, 4, TH_OUT),
      WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 1);
  assert_memory_equal(th_at(a, TH_DATA), want, WASISOCK_ADDR_SIZE);
  /* The unused record slots are untouched. */
  assert_int_equal(th_at(a, TH_DATA + WASISOCK_ADDR_SIZE)[0], TH_FILL_BYTE);
}

static void test_resolve_numeric_ipv6(void **state) {
  uint8_t want[WASISOCK_ADDR_SIZE] = {WASISOCK_AF_INET6, 0xff, 0xff};
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t n;

  want[3 + 15] = 1;
  n = put_name(a, "::1");
  assert_int_equal(
      wasisock_sock_resolve(h, &a->mem, TH_NAME, n, 65535, TH_DATA, 4, TH_OUT),
      WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 1);
  assert_memory_equal(th_at(a, TH_DATA), want, WASISOCK_ADDR_SIZE);

  n = put_name(a, "2001:db8::42");
  assert_int_equal(
      wasisock_sock_resolve(h, &a->mem, TH_NAME, n, 0, TH_DATA, 4, TH_OUT),
      WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 1);
  assert_int_equal(th_at(a, TH_DATA)[3], 0x20);
  assert_int_equal(th_at(a, TH_DATA)[4], 0x01);
  assert_int_equal(th_at(a, TH_DATA)[18], 0x42);
}

/* max_addrs 0: a valid question, the answer is the count 0. */
static void test_resolve_numeric_zero_max(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t n;

  n = put_name(a, "10.1.2.3");
  wasisock_u32_write(th_at(a, TH_OUT), 99);
  /* addrs may even point at the very end of memory: 0 bytes there. */
  assert_int_equal(wasisock_sock_resolve(h, &a->mem, TH_NAME, n, 1, 65536, 0,
                                         TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 0);
}

static void test_resolve_numeric_bad_args(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t n;

  n = put_name(a, "127.0.0.1");
  /* name_len 0 */
  assert_int_equal(
      wasisock_sock_resolve(h, &a->mem, TH_NAME, 0, 80, TH_DATA, 4, TH_OUT),
      WASISOCK_EINVAL);
  /* longer than WASISOCK_NAME_MAX (but inside memory) */
  memset(th_at(a, TH_NAME), 'a', 300);
  assert_int_equal(wasisock_sock_resolve(h, &a->mem, TH_NAME,
                                         WASISOCK_NAME_MAX + 1, 80, TH_DATA, 4,
                                         TH_OUT),
                   WASISOCK_EINVAL);
  /* a NUL inside the name */
  n = put_name(a, "127.0.0.1");
  th_at(a, TH_NAME + 3)[0] = '\0';
  assert_int_equal(
      wasisock_sock_resolve(h, &a->mem, TH_NAME, n, 80, TH_DATA, 4, TH_OUT),
      WASISOCK_EINVAL);
  /* port past 65535 */
  n = put_name(a, "127.0.0.1");
  assert_int_equal(
      wasisock_sock_resolve(h, &a->mem, TH_NAME, n, 65536, TH_DATA, 4, TH_OUT),
      WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_resolve(h, &a->mem, TH_NAME, n, UINT32_MAX,
                                         TH_DATA, 4, TH_OUT),
                   WASISOCK_EINVAL);
  /* Nothing written by any of them. */
  assert_int_equal(th_at(a, TH_OUT)[0], TH_FILL_BYTE);
  assert_int_equal(th_at(a, TH_DATA)[0], TH_FILL_BYTE);
  /* A name of exactly WASISOCK_NAME_MAX bytes is accepted as an argument;
   * under .invalid it is then answered ENOENT without any lookup. */
  memset(th_at(a, TH_NAME), 'a', WASISOCK_NAME_MAX);
  memcpy(th_at(a, TH_NAME + WASISOCK_NAME_MAX - 8), ".invalid", 8);
  assert_int_equal(wasisock_sock_resolve(h, &a->mem, TH_NAME, WASISOCK_NAME_MAX,
                                         80, TH_DATA, 4, TH_OUT),
                   WASISOCK_ENOENT);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_resolve_numeric_ipv4, 65536),
      th_unit_test(test_resolve_numeric_ipv6, 65536),
      th_unit_test(test_resolve_numeric_zero_max, 65536),
      th_unit_test(test_resolve_numeric_bad_args, 65536),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
