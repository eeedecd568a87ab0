/* sock_getsockopt / sock_setsockopt, the options of revision 3: SO_LINGER
 * (one i32: -1 off, else seconds), SO_REUSEPORT, TCP_MAXSEG, the keepalive
 * timers, IP_TOS/IP_TTL, IPV6_UNICAST_HOPS/IPV6_TCLASS: each set, read back,
 * and what the kernel holds natively. */
#include "helpers.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

/* Sets level/name to value and reads it back through the ABI. */
static void roundtrip(wasisock_t *h, th_arena_t *a, uint32_t k, uint32_t level,
                      uint32_t name, int32_t value) {
  assert_int_equal(wasisock_sock_setsockopt(h, &a->mem, k, level, name,
                                            (uint32_t)value),
                   WASISOCK_OK);
  assert_int_equal((int32_t)th_getsockopt(h, a, k, level, name), value);
}

static void test_sockopt_linger(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k;

  k = th_open(h, a, AF_INET, SOCK_STREAM);
  assert_int_equal((int32_t)th_getsockopt(h, a, k, WASISOCK_SOL_SOCKET,
                                          WASISOCK_SO_LINGER),
                   WASISOCK_SO_LINGER_OFF);
  roundtrip(h, a, k, WASISOCK_SOL_SOCKET, WASISOCK_SO_LINGER, 5);
  roundtrip(h, a, k, WASISOCK_SOL_SOCKET, WASISOCK_SO_LINGER, 0);
  roundtrip(h, a, k, WASISOCK_SOL_SOCKET, WASISOCK_SO_LINGER,
            WASISOCK_SO_LINGER_OFF);
  /* Below -1 means nothing: EINVAL, a value error, before the handle. */
  assert_int_equal(wasisock_sock_setsockopt(h, &a->mem, k, WASISOCK_SOL_SOCKET,
                                            WASISOCK_SO_LINGER, (uint32_t)-2),
                   WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_setsockopt(h, &a->mem, 4000,
                                            WASISOCK_SOL_SOCKET,
                                            WASISOCK_SO_LINGER, (uint32_t)-2),
                   WASISOCK_EINVAL);
  th_close(h, a, k);
}

static void test_sockopt_tcp_and_ip(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k, u;

  k = th_open(h, a, AF_INET, SOCK_STREAM);
  roundtrip(h, a, k, WASISOCK_SOL_SOCKET, WASISOCK_SO_REUSEPORT, 1);
  roundtrip(h, a, k, WASISOCK_SOL_SOCKET, WASISOCK_SO_REUSEPORT, 0);
  roundtrip(h, a, k, WASISOCK_IPPROTO_TCP, WASISOCK_TCP_KEEPIDLE, 30);
  roundtrip(h, a, k, WASISOCK_IPPROTO_TCP, WASISOCK_TCP_KEEPINTVL, 7);
  roundtrip(h, a, k, WASISOCK_IPPROTO_TCP, WASISOCK_TCP_KEEPCNT, 3);
  roundtrip(h, a, k, WASISOCK_IPPROTO_TCP, WASISOCK_TCP_MAXSEG, 1000);
  roundtrip(h, a, k, WASISOCK_IPPROTO_IP, WASISOCK_IP_TOS, 0x10);
  roundtrip(h, a, k, WASISOCK_IPPROTO_IP, WASISOCK_IP_TTL, 33);
  /* The kernel's own errors pass through: a keepalive time of 0. */
  assert_int_equal(wasisock_sock_setsockopt(h, &a->mem, k, WASISOCK_IPPROTO_TCP,
                                            WASISOCK_TCP_KEEPIDLE, 0),
                   WASISOCK_EINVAL);
  u = th_open(h, a, AF_INET, SOCK_DGRAM);
  roundtrip(h, a, u, WASISOCK_IPPROTO_IP, WASISOCK_IP_TTL, 2);
  th_close(h, a, u);
  th_close(h, a, k);
}

static void test_sockopt_ipv6_hops(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k;

  if (!th_loopback_available(AF_INET6))
    skip();
  k = th_open(h, a, AF_INET6, SOCK_STREAM);
  roundtrip(h, a, k, WASISOCK_IPPROTO_IPV6, WASISOCK_IPV6_UNICAST_HOPS, 42);
  roundtrip(h, a, k, WASISOCK_IPPROTO_IPV6, WASISOCK_IPV6_TCLASS, 0x20);
  th_close(h, a, k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_sockopt_linger, 4096),
      th_unit_test(test_sockopt_tcp_and_ip, 4096),
      th_unit_test(test_sockopt_ipv6_hops, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
