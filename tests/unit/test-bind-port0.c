/* sock_bind: port 0 takes a real port, visible through sock_local_addr;
 * an unbound socket's local address is the any-address, port 0; the errors
 * (EINVAL bound twice, EADDRINUSE, EADDRNOTAVAIL, EAFNOSUPPORT), in the
 * contract's order. */
#include "helpers.h"

#include <string.h>

static const uint8_t zero16[16];

static void bind_port0(void **state, int family, int type) {
  wasisock_t *h = th_host(state);
  wasisock_addr_t addr, lo;
  th_arena_t *a = th_arena(state);
  uint32_t k, k2;
  uint16_t port;

  k = th_open(h, a, family, type);
  /* Unbound: the family's any-address, port 0. */
  th_local_addr(h, a, k, &addr);
  assert_int_equal(addr.family, th_wasi_af(family));
  assert_int_equal(addr.port, 0);
  assert_memory_equal(addr.bytes, zero16, 16);

  port = th_bind_loopback(h, a, k, family);
  th_local_addr(h, a, k, &addr);
  th_loopback_addr(family, port, &lo);
  assert_int_equal(addr.family, lo.family);
  assert_int_equal(addr.port, port);
  assert_memory_equal(addr.bytes, lo.bytes, 16);

  /* Bound already: EINVAL, as BSD. */
  wasisock_addr_write(th_at(a, TH_ADDR), &lo);
  assert_int_equal(wasisock_sock_bind(h, &a->mem, k, TH_ADDR), WASISOCK_EINVAL);
  /* The same port for another socket: EADDRINUSE. */
  k2 = th_open(h, a, family, type);
  assert_int_equal(wasisock_sock_bind(h, &a->mem, k2, TH_ADDR),
                   WASISOCK_EADDRINUSE);
  th_close(h, a, k2);
  th_close(h, a, k);
}

static void test_bind_port0_tcp4(void **state) {
  bind_port0(state, AF_INET, SOCK_STREAM);
}

static void test_bind_port0_udp4(void **state) {
  bind_port0(state, AF_INET, SOCK_DGRAM);
}

static void test_bind_port0_tcp6(void **state) {
  if (!th_loopback_available(AF_INET6))
    skip();
  bind_port0(state, AF_INET6, SOCK_STREAM);
}

static void test_bind_port0_udp6(void **state) {
  if (!th_loopback_available(AF_INET6))
    skip();
  bind_port0(state, AF_INET6, SOCK_DGRAM);
}

static void test_bind_errors(void **state) {
  wasisock_t *h = th_host(state);
  wasisock_addr_t addr;
  th_arena_t *a = th_arena(state);
  uint32_t k;

  k = th_open(h, a, AF_INET, SOCK_STREAM);
  /* 192.0.2.1 (TEST-NET-1) is no address of this host. */
  memset(&addr, 0, sizeof(addr));
  addr.family = WASISOCK_AF_INET;
  addr.bytes[0] = 192;
  addr.bytes[1] = 0;
  addr.bytes[2] = 2;
  addr.bytes[3] = 1;
  wasisock_addr_write(th_at(a, TH_ADDR), &addr);
  assert_int_equal(wasisock_sock_bind(h, &a->mem, k, TH_ADDR),
                   WASISOCK_EADDRNOTAVAIL);
  /* An IPv6 record for an IPv4 socket. */
  th_loopback_addr(AF_INET6, 0, &addr);
  wasisock_addr_write(th_at(a, TH_ADDR), &addr);
  assert_int_equal(wasisock_sock_bind(h, &a->mem, k, TH_ADDR),
                   WASISOCK_EAFNOSUPPORT);
  /* A family byte the ABI does not know: EAFNOSUPPORT before EBADF. */
  th_at(a, TH_ADDR)[0] = 7;
  assert_int_equal(wasisock_sock_bind(h, &a->mem, 4000, TH_ADDR),
                   WASISOCK_EAFNOSUPPORT);
  /* A good record, a bad handle: EBADF.  A bad pointer first: EFAULT. */
  th_loopback_addr(AF_INET, 0, &addr);
  wasisock_addr_write(th_at(a, TH_ADDR), &addr);
  assert_int_equal(wasisock_sock_bind(h, &a->mem, 4000, TH_ADDR),
                   WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_bind(h, &a->mem, 4000, 4096 - 18),
                   WASISOCK_EFAULT);
  /* Nothing above bound the socket. */
  th_local_addr(h, a, k, &addr);
  assert_int_equal(addr.port, 0);
  th_close(h, a, k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_bind_port0_tcp4, 4096),
      th_unit_test(test_bind_port0_udp4, 4096),
      th_unit_test(test_bind_port0_tcp6, 4096),
      th_unit_test(test_bind_port0_udp6, 4096),
      th_unit_test(test_bind_errors, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
