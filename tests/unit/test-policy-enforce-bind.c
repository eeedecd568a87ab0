/* The network policy in the revision-2 calls: sock_bind checks the local
 * address, sock_listen on an unbound socket checks the implicit bind (the
 * any-address, port 0), sock_send_to checks every destination as a connect.
 * A refused call does nothing: no bind, no datagram. */
#include "helpers.h"
#include "policy-helpers.h"

static const char *const rules[] = {
    "allow bind 127.0.0.1:0",
    "allow connect 127.0.0.1",
    "default deny",
    NULL,
};

static void test_policy_bind_and_listen(void **state) {
  wasisock_policy_t *p = tp_policy(rules);
  tp_recorder_t rec = {0};
  wasisock_t *h = tp_new(p, &rec, 0);
  wasisock_addr_t addr;
  th_arena_t a;
  uint32_t k, u;
  (void)state;

  th_arena_init(&a, 4096);
  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  /* 0.0.0.0 and another port: EACCES, reported, nothing bound. */
  addr = tp_addr("0.0.0.0", 0);
  wasisock_addr_write(th_at(&a, TH_ADDR), &addr);
  assert_int_equal(wasisock_sock_bind(h, &a.mem, k, TH_ADDR), WASISOCK_EACCES);
  assert_int_equal(rec.count, 1);
  assert_int_equal(rec.d[0].op, WASISOCK_POLICY_BIND);
  addr = tp_addr("127.0.0.1", 8080);
  wasisock_addr_write(th_at(&a, TH_ADDR), &addr);
  assert_int_equal(wasisock_sock_bind(h, &a.mem, k, TH_ADDR), WASISOCK_EACCES);
  assert_int_equal(rec.count, 2);
  th_local_addr(h, &a, k, &addr);
  assert_int_equal(addr.port, 0);
  /* listen on it, unbound: the implicit bind of 0.0.0.0:0 is refused. */
  assert_int_equal(wasisock_sock_listen(h, &a.mem, k, 8), WASISOCK_EACCES);
  assert_int_equal(rec.count, 3);
  assert_int_equal(rec.d[2].op, WASISOCK_POLICY_BIND);
  th_local_addr(h, &a, k, &addr);
  assert_int_equal(addr.port, 0);
  /* The allowed bind, then listen needs no further check. */
  th_bind_loopback(h, &a, k, AF_INET);
  assert_int_equal(wasisock_sock_listen(h, &a.mem, k, 8), WASISOCK_OK);
  assert_int_equal(rec.count, 3);

  /* send_to: 127.0.0.1 allowed; 10.0.0.1 refused before the kernel sees
   * it (the socket is not even bound by it). */
  u = th_open(h, &a, AF_INET, SOCK_DGRAM);
  addr = tp_addr("10.0.0.1", 53);
  wasisock_addr_write(th_at(&a, TH_ADDR), &addr);
  assert_int_equal(
      wasisock_sock_send_to(h, &a.mem, u, TH_DATA, 4, 0, TH_ADDR, TH_OUT),
      WASISOCK_EACCES);
  assert_int_equal(rec.count, 4);
  assert_int_equal(rec.d[3].op, WASISOCK_POLICY_CONNECT);
  assert_int_equal(rec.d[3].port, 53);
  th_local_addr(h, &a, u, &addr);
  assert_int_equal(addr.port, 0);
  addr = tp_addr("127.0.0.1", 9);
  wasisock_addr_write(th_at(&a, TH_ADDR), &addr);
  assert_int_equal(
      wasisock_sock_send_to(h, &a.mem, u, TH_DATA, 4, 0, TH_ADDR, TH_OUT),
      WASISOCK_OK);
  assert_int_equal(th_u32(&a, TH_OUT), 4);
  assert_int_equal(rec.count, 4);

  th_close(h, &a, u);
  th_close(h, &a, k);
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_policy_bind_and_listen),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
