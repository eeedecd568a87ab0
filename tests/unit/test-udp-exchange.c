/* UDP on 127.0.0.1: connect sets the peer, one datagram per send/recv,
 * truncation to buf_len, EMSGSIZE. */
#include "helpers.h"

#include <string.h>
#include <unistd.h>

static void test_udp_exchange_echo(void **state) {
  int count = 3;
  wasisock_t *h = th_host(state);
  th_server_t srv;
  th_arena_t *a = th_arena(state);
  uint32_t k;

  th_server_start(&srv, AF_INET, SOCK_DGRAM, th_serve_echo, &count);
  k = th_open(h, a, AF_INET, SOCK_DGRAM);
  th_connect(h, a, k, AF_INET, srv.port);

  /* 1: a datagram comes back whole. */
  memcpy(th_at(a, TH_DATA), "ping", 4);
  th_send_all(h, a, k, TH_DATA, 4);
  assert_int_equal(th_recv(h, a, k, TH_DATA + 100, 1000), 4);
  assert_memory_equal(th_at(a, TH_DATA + 100), "ping", 4);

  /* 2, 3: datagram boundaries are kept; a short buffer truncates one
   * datagram and the rest of it is gone. */
  memset(th_at(a, TH_DATA), 'x', 100);
  th_send_all(h, a, k, TH_DATA, 100);
  assert_int_equal(th_recv(h, a, k, TH_DATA + 1000, 10), 10);
  memcpy(th_at(a, TH_DATA), "next", 4);
  th_send_all(h, a, k, TH_DATA, 4);
  assert_int_equal(th_recv(h, a, k, TH_DATA + 2000, 1000), 4);
  assert_memory_equal(th_at(a, TH_DATA + 2000), "next", 4);

  th_server_join(&srv);
  th_close(h, a, k);
}

static void test_udp_exchange_emsgsize(void **state) {
  wasisock_t *h = th_host(state);
  th_server_t srv;
  th_arena_t *a = th_arena(state);
  int count = 0;
  uint32_t k;

  th_server_start(&srv, AF_INET, SOCK_DGRAM, th_serve_echo, &count);
  k = th_open(h, a, AF_INET, SOCK_DGRAM);
  th_connect(h, a, k, AF_INET, srv.port);
  /* Larger than any IPv4 UDP payload (65507). */
  assert_int_equal(wasisock_sock_send(h, &a->mem, k, TH_DATA, 70000, TH_OUT),
                   WASISOCK_EMSGSIZE);
  th_server_join(&srv);
  th_close(h, a, k);
}

/* connect() on UDP can be redone: the peer changes. */
static void test_udp_exchange_reconnect(void **state) {
  int one = 1;
  wasisock_t *h = th_host(state);
  th_server_t s1, s2;
  th_arena_t *a = th_arena(state);
  uint32_t k;

  th_server_start(&s1, AF_INET, SOCK_DGRAM, th_serve_echo, &one);
  th_server_start(&s2, AF_INET, SOCK_DGRAM, th_serve_echo, &one);
  k = th_open(h, a, AF_INET, SOCK_DGRAM);
  th_connect(h, a, k, AF_INET, s1.port);
  memcpy(th_at(a, TH_DATA), "a", 1);
  th_send_all(h, a, k, TH_DATA, 1);
  assert_int_equal(th_recv(h, a, k, TH_DATA + 10, 10), 1);
  th_connect(h, a, k, AF_INET, s2.port);
  memcpy(th_at(a, TH_DATA), "b", 1);
  th_send_all(h, a, k, TH_DATA, 1);
  assert_int_equal(th_recv(h, a, k, TH_DATA + 10, 10), 1);
  assert_int_equal(th_at(a, TH_DATA + 10)[0], 'b');
  th_server_join(&s1);
  th_server_join(&s2);
  th_close(h, a, k);
}

/* A datagram to a port with no socket: the ICMP error comes back as
 * ECONNREFUSED on the next recv (the poll wakes on the error condition and
 * the retried recv reports it).  The port was bound a moment ago and closed;
 * no other process can be expected to take it in between. */
static void test_udp_exchange_refused(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint16_t port;
  uint32_t k;

  close(th_native_bound(AF_INET, SOCK_DGRAM, &port));
  k = th_open(h, a, AF_INET, SOCK_DGRAM);
  th_connect(h, a, k, AF_INET, port);
  th_send_all(h, a, k, TH_DATA, 5);
  assert_int_equal(wasisock_sock_recv(h, &a->mem, k, TH_DATA, 5, TH_OUT),
                   WASISOCK_ECONNREFUSED);
  th_close(h, a, k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_udp_exchange_echo, 1 << 17),
      th_unit_test(test_udp_exchange_emsgsize, 1 << 17),
      th_unit_test(test_udp_exchange_reconnect, 1 << 17),
      th_unit_test(test_udp_exchange_refused, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
