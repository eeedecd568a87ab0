/* TCP and UDP over ::1 (skipped, with a message, on a machine without it). */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

static void require_ipv6(void) {
  if (!th_loopback_available(AF_INET6)) {
    printf("skipped: this machine has no ::1\n");
    skip();
  }
}

static void test_tcp_ipv6_echo(void **state) {
  wasisock_t *h = th_host(state);
  th_server_t srv;
  th_arena_t *a = th_arena(state);
  uint32_t k, got;

  require_ipv6();
  th_server_start(&srv, AF_INET6, SOCK_STREAM, th_serve_echo, NULL);
  k = th_open(h, a, AF_INET6, SOCK_STREAM);
  th_connect(h, a, k, AF_INET6, srv.port);
  memcpy(th_at(a, TH_DATA), "over ipv6", 9);
  th_send_all(h, a, k, TH_DATA, 9);
  for (got = 0; got < 9;)
    got += th_recv(h, a, k, TH_DATA + 100 + got, 9 - got);
  assert_memory_equal(th_at(a, TH_DATA + 100), "over ipv6", 9);
  th_close(h, a, k);
  th_server_join(&srv);
}

static void test_udp_ipv6_exchange(void **state) {
  int count = 1;
  wasisock_t *h = th_host(state);
  th_server_t srv;
  th_arena_t *a = th_arena(state);
  uint32_t k;

  require_ipv6();
  th_server_start(&srv, AF_INET6, SOCK_DGRAM, th_serve_echo, &count);
  k = th_open(h, a, AF_INET6, SOCK_DGRAM);
  th_connect(h, a, k, AF_INET6, srv.port);
  memcpy(th_at(a, TH_DATA), "dgram6", 6);
  th_send_all(h, a, k, TH_DATA, 6);
  assert_int_equal(th_recv(h, a, k, TH_DATA + 100, 100), 6);
  assert_memory_equal(th_at(a, TH_DATA + 100), "dgram6", 6);
  th_server_join(&srv);
  th_close(h, a, k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_tcp_ipv6_echo, 65536),
      th_unit_test(test_udp_ipv6_exchange, 65536),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
