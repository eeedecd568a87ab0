/* sock_connect: record family checks, family mismatch, check order,
 * EISCONN. */
#include "helpers.h"

#include <string.h>

static void test_connect_unknown_family(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k;

  k = th_open(h, a, AF_INET, SOCK_STREAM);
  memset(th_at(a, TH_ADDR), 0, WASISOCK_ADDR_SIZE);
  th_at(a, TH_ADDR)[0] = 0;
  assert_int_equal(wasisock_sock_connect(h, &a->mem, k, TH_ADDR),
                   WASISOCK_EAFNOSUPPORT);
  th_at(a, TH_ADDR)[0] = 3;
  assert_int_equal(wasisock_sock_connect(h, &a->mem, k, TH_ADDR),
                   WASISOCK_EAFNOSUPPORT);
  /* Values before the handle: a bad record on a bad handle. */
  assert_int_equal(wasisock_sock_connect(h, &a->mem, 7, TH_ADDR),
                   WASISOCK_EAFNOSUPPORT);
  /* Pointers before everything. */
  assert_int_equal(wasisock_sock_connect(h, &a->mem, 7, 4096 - 18),
                   WASISOCK_EFAULT);
}

static void test_connect_family_mismatch(void **state) {
  wasisock_t *h = th_host(state);
  wasisock_addr_t addr;
  th_arena_t *a = th_arena(state);
  uint32_t k4, k6;

  k4 = th_open(h, a, AF_INET, SOCK_STREAM);
  th_loopback_addr(AF_INET6, 9, &addr);
  wasisock_addr_write(th_at(a, TH_ADDR), &addr);
  assert_int_equal(wasisock_sock_connect(h, &a->mem, k4, TH_ADDR),
                   WASISOCK_EAFNOSUPPORT);
  if (wasisock_sock_open(h, &a->mem, WASISOCK_AF_INET6, WASISOCK_SOCK_DGRAM,
                         TH_OUT) == WASISOCK_OK) {
    k6 = th_u32(a, TH_OUT);
    th_loopback_addr(AF_INET, 9, &addr);
    wasisock_addr_write(th_at(a, TH_ADDR), &addr);
    assert_int_equal(wasisock_sock_connect(h, &a->mem, k6, TH_ADDR),
                     WASISOCK_EAFNOSUPPORT);
  }
}

static void test_connect_twice_eisconn(void **state) {
  wasisock_t *h = th_host(state);
  th_server_t srv;
  th_arena_t *a = th_arena(state);
  uint32_t k;

  th_server_start(&srv, AF_INET, SOCK_STREAM, th_serve_echo, NULL);
  k = th_open(h, a, AF_INET, SOCK_STREAM);
  th_connect(h, a, k, AF_INET, srv.port);
  assert_int_equal(wasisock_sock_connect(h, &a->mem, k, TH_ADDR),
                   WASISOCK_EISCONN);
  th_close(h, a, k);
  th_server_join(&srv);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_connect_unknown_family, 4096),
      th_unit_test(test_connect_family_mismatch, 4096),
      th_unit_test(test_connect_twice_eisconn, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
