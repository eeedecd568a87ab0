/* Connecting to a port nobody listens on: ECONNREFUSED.  The port is held
 * by a bound, non-listening socket so no other process can take it. */
#include "helpers.h"

#include <stdio.h>
#include <unistd.h>

static void refused(void **state, int family) {
  wasisock_t *h = th_host(state);
  wasisock_addr_t addr;
  th_arena_t *a = th_arena(state);
  uint16_t port;
  uint32_t k;
  int fd = th_native_bound(family, SOCK_STREAM, &port);

  th_loopback_addr(family, port, &addr);
  wasisock_addr_write(th_at(a, TH_ADDR), &addr);
  k = th_open(h, a, family, SOCK_STREAM);
  assert_int_equal(wasisock_sock_connect(h, &a->mem, k, TH_ADDR),
                   WASISOCK_ECONNREFUSED);
  th_close(h, a, k);
  close(fd);
}

static void test_tcp_refused_ipv4(void **state) {
  refused(state, AF_INET);
}

static void test_tcp_refused_ipv6(void **state) {
  if (!th_loopback_available(AF_INET6)) {
    printf("skipped: this machine has no ::1\n");
    skip();
  }
  refused(state, AF_INET6);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_tcp_refused_ipv4, 4096),
      th_unit_test(test_tcp_refused_ipv6, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
