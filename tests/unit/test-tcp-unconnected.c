/* send/recv on a TCP socket that never connected: an error, not a hang. */
#include "helpers.h"

static void test_tcp_unconnected_send_recv(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k;
  int32_t r;

  k = th_open(h, a, AF_INET, SOCK_STREAM);
  wasisock_u32_write(th_at(a, TH_OUT), 0x5A5A5A5A);
  r = wasisock_sock_send(h, &a->mem, k, TH_DATA, 10, TH_OUT);
  /* Linux says EPIPE for a send on a never-connected stream; BSDs ENOTCONN. */
  assert_true(r == WASISOCK_EPIPE || r == WASISOCK_ENOTCONN);
  assert_int_equal(wasisock_sock_recv(h, &a->mem, k, TH_DATA, 10, TH_OUT),
                   WASISOCK_ENOTCONN);
  assert_int_equal(th_at(a, TH_OUT)[0], TH_FILL_BYTE);
  th_close(h, a, k);
}

/* An unconnected UDP socket has nowhere to send. */
static void test_udp_unconnected_send(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k;

  k = th_open(h, a, AF_INET, SOCK_DGRAM);
  assert_int_equal(wasisock_sock_send(h, &a->mem, k, TH_DATA, 10, TH_OUT),
                   WASISOCK_EDESTADDRREQ);
  th_close(h, a, k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_tcp_unconnected_send_recv, 4096),
      th_unit_test(test_udp_unconnected_send, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
