/* TCP echo on 127.0.0.1: open, connect, send, recv, close. */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

static void test_tcp_echo_messages(void **state) {
  wasisock_t *h = th_host(state);
  th_server_t srv;
  th_arena_t *a = th_arena(state);
  uint32_t k, i, got;
  char msg[64];

  th_server_start(&srv, AF_INET, SOCK_STREAM, th_serve_echo, NULL);
  k = th_open(h, a, AF_INET, SOCK_STREAM);
  assert_int_equal(k, WASISOCK_FIRST_HANDLE);
  th_connect(h, a, k, AF_INET, srv.port);
  for (i = 0; i < 100; i++) {
    size_t len = (size_t)snprintf(msg, sizeof(msg), "hello %u", i);
    memcpy(th_at(a, TH_DATA), msg, len);
    th_send_all(h, a, k, TH_DATA, (uint32_t)len);
    memset(th_at(a, TH_DATA + 4096), 0, 64);
    for (got = 0; got < len;)
      got += th_recv(h, a, k, TH_DATA + 4096 + got, (uint32_t)(len - got));
    assert_memory_equal(th_at(a, TH_DATA + 4096), msg, len);
  }
  /* buf_len 0: 0 at once, nothing consumed. */
  wasisock_u32_write(th_at(a, TH_OUT2), 77);
  assert_int_equal(wasisock_sock_recv(h, &a->mem, k, TH_DATA, 0, TH_OUT2),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT2), 0);
  assert_int_equal(wasisock_sock_send(h, &a->mem, k, TH_DATA, 0, TH_OUT2),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT2), 0);
  th_close(h, a, k);
  th_server_join(&srv);
}

/* A buffer bigger than one read: echo of 1 MiB - 8 KiB in one send loop. */
#define BULK_LEN ((1 << 20) - 8192)

static void test_tcp_echo_bulk(void **state) {
  const uint32_t len = BULK_LEN, in = TH_DATA, out = TH_DATA + len;
  wasisock_t *h = th_host(state);
  th_server_t srv;
  th_arena_t *a = th_arena(state);
  th_prng_t p;
  uint32_t k, sent = 0, got = 0;

  th_prng_init(&p, 42);
  th_prng_fill(&p, th_at(a, in), len);
  th_server_start(&srv, AF_INET, SOCK_STREAM, th_serve_echo, NULL);
  k = th_open(h, a, AF_INET, SOCK_STREAM);
  th_connect(h, a, k, AF_INET, srv.port);
  /* Interleave so neither side's buffers fill up. */
  while (got < len) {
    if (sent < len) {
      uint32_t chunk = len - sent < 65536 ? len - sent : 65536;
      th_send_all(h, a, k, in + sent, chunk);
      sent += chunk;
    }
    got += th_recv(h, a, k, out + got, len - got);
  }
  assert_memory_equal(th_at(a, in), th_at(a, out), len);
  th_close(h, a, k);
  th_server_join(&srv);
}

/* Many short connections on one instance: each socket waits (so it gets a
 * poll handle) and is closed; the next one reuses the handle number and
 * usually the fd number, which must not trip over the old poll. */
static void test_tcp_echo_reconnect_many(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  int i;

  for (i = 0; i < 20; i++) {
    th_server_t srv;
    uint32_t k, got;
    th_server_start(&srv, AF_INET, SOCK_STREAM, th_serve_echo, NULL);
    k = th_open(h, a, AF_INET, SOCK_STREAM);
    assert_int_equal(k, WASISOCK_FIRST_HANDLE);
    th_connect(h, a, k, AF_INET, srv.port);
    memcpy(th_at(a, TH_DATA), "again", 5);
    th_send_all(h, a, k, TH_DATA, 5);
    for (got = 0; got < 5;)
      got += th_recv(h, a, k, TH_DATA + 100 + got, 5 - got);
    assert_memory_equal(th_at(a, TH_DATA + 100), "again", 5);
    th_close(h, a, k);
    th_server_join(&srv);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_tcp_echo_messages, 1 << 20),
      th_unit_test(test_tcp_echo_bulk, TH_DATA + 2 * BULK_LEN),
      th_unit_test(test_tcp_echo_reconnect_many, 65536),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
