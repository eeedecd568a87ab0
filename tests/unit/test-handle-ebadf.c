/* Unknown and closed handles: EBADF from every call that takes one. */
#include "helpers.h"

static void expect_ebadf(wasisock_t *h, th_arena_t *a, uint32_t k) {
  th_at(a, TH_OUT)[0] = TH_FILL_BYTE;
  assert_int_equal(wasisock_sock_connect(h, &a->mem, k, TH_ADDR),
                   WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_send(h, &a->mem, k, TH_DATA, 10, TH_OUT),
                   WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_recv(h, &a->mem, k, TH_DATA, 10, TH_OUT),
                   WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_recv(h, &a->mem, k, TH_DATA, 0, TH_OUT),
                   WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_close(h, &a->mem, k), WASISOCK_EBADF);
  /* Revision 2. */
  assert_int_equal(wasisock_sock_bind(h, &a->mem, k, TH_ADDR), WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_listen(h, &a->mem, k, 1), WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_accept(h, &a->mem, k, TH_OUT, TH_DATA),
                   WASISOCK_EBADF);
  assert_int_equal(
      wasisock_sock_send_to(h, &a->mem, k, TH_DATA, 10, 0, TH_ADDR, TH_OUT),
      WASISOCK_EBADF);
  assert_int_equal(
      wasisock_sock_recv_from(h, &a->mem, k, TH_DATA, 10, 0, TH_DATA, TH_OUT),
      WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_shutdown(h, &a->mem, k, WASISOCK_SHUT_RD),
                   WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_getsockopt(h, &a->mem, k, WASISOCK_SOL_SOCKET,
                                            WASISOCK_SO_TYPE, TH_OUT),
                   WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_setsockopt(h, &a->mem, k, WASISOCK_SOL_SOCKET,
                                            WASISOCK_SO_REUSEADDR, 1),
                   WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_local_addr(h, &a->mem, k, TH_DATA),
                   WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_peer_addr(h, &a->mem, k, TH_DATA),
                   WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_set_timeout(h, &a->mem, k, 0), WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_get_timeout(h, &a->mem, k, TH_OUT),
                   WASISOCK_EBADF);
  /* Out-params untouched. */
  assert_int_equal(th_at(a, TH_OUT)[0], TH_FILL_BYTE);
  assert_int_equal(th_at(a, TH_DATA)[0], TH_FILL_BYTE);
}

static void test_handle_unknown(void **state) {
  static const uint32_t bad[] = {0, 1, 2, 3,
                                 WASISOCK_FIRST_HANDLE - 1,
                                 WASISOCK_FIRST_HANDLE,
                                 WASISOCK_FIRST_HANDLE + 1,
                                 2 * WASISOCK_FIRST_HANDLE,
                                 0x7FFFFFFF, 0x80000000u, UINT32_MAX};
  wasisock_t *h = th_host(state);
  wasisock_addr_t addr;
  th_arena_t *a = th_arena(state);
  size_t i;

  th_loopback_addr(AF_INET, 9, &addr);
  wasisock_addr_write(th_at(a, TH_ADDR), &addr);
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    expect_ebadf(h, a, bad[i]);
  /* With a socket open, its neighbours are still unknown. */
  assert_int_equal(th_open(h, a, AF_INET, SOCK_STREAM), WASISOCK_FIRST_HANDLE);
  expect_ebadf(h, a, WASISOCK_FIRST_HANDLE - 1);
  expect_ebadf(h, a, WASISOCK_FIRST_HANDLE + 1);
}

static void test_handle_closed(void **state) {
  wasisock_t *h = th_host(state);
  wasisock_addr_t addr;
  th_arena_t *a = th_arena(state);
  uint32_t k;

  th_loopback_addr(AF_INET, 9, &addr);
  wasisock_addr_write(th_at(a, TH_ADDR), &addr);
  k = th_open(h, a, AF_INET, SOCK_DGRAM);
  th_close(h, a, k);
  expect_ebadf(h, a, k); /* includes a second close */
  /* The number is reused by the next open, for a new socket. */
  assert_int_equal(th_open(h, a, AF_INET, SOCK_STREAM), k);
  th_close(h, a, k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_handle_unknown, 65536),
      th_unit_test(test_handle_closed, 65536),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
