/* sock_send_to / sock_recv_from on UDP: a round trip between two handles
 * with the senders' addresses checked, an unbound sender bound on the way,
 * MSG_PEEK, truncation, buf_len 0, and the argument errors. */
#include "helpers.h"

#include <string.h>

static void put_addr(th_arena_t *a, uint32_t off, const wasisock_addr_t *addr) {
  wasisock_addr_write(th_at(a, off), addr);
}

static void get_addr(th_arena_t *a, uint32_t off, wasisock_addr_t *addr) {
  assert_int_equal(wasisock_addr_read(th_at(a, off), addr), WASISOCK_OK);
}

static void round_trip(void **state, int family) {
  wasisock_t *h = th_host(state);
  wasisock_addr_t to, from, blocal;
  uint32_t sa, sb;
  uint16_t pa;
  th_arena_t *a = th_arena(state);

  sa = th_open(h, a, family, SOCK_DGRAM);
  sb = th_open(h, a, family, SOCK_DGRAM);
  pa = th_bind_loopback(h, a, sa, family);

  /* b is unbound: send_to binds it to an ephemeral port. */
  th_loopback_addr(family, pa, &to);
  put_addr(a, 200, &to);
  memcpy(th_at(a, TH_DATA), "hello-a", 7);
  assert_int_equal(
      wasisock_sock_send_to(h, &a->mem, sb, TH_DATA, 7, 0, 200, TH_OUT),
      WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 7);
  th_local_addr(h, a, sb, &blocal);
  assert_int_not_equal(blocal.port, 0);

  /* a sees b's address (loopback, b's port). */
  assert_int_equal(wasisock_sock_recv_from(h, &a->mem, sa, TH_DATA + 100, 100,
                                           0, 300, TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 7);
  assert_memory_equal(th_at(a, TH_DATA + 100), "hello-a", 7);
  get_addr(a, 300, &from);
  th_loopback_addr(family, blocal.port, &to);
  assert_int_equal(from.family, to.family);
  assert_int_equal(from.port, blocal.port);
  assert_memory_equal(from.bytes, to.bytes, 16);

  /* Reply to exactly that record. */
  memcpy(th_at(a, TH_DATA), "hi-b", 4);
  assert_int_equal(
      wasisock_sock_send_to(h, &a->mem, sa, TH_DATA, 4, 0, 300, TH_OUT),
      WASISOCK_OK);
  assert_int_equal(wasisock_sock_recv_from(h, &a->mem, sb, TH_DATA + 100, 100,
                                           0, 400, TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 4);
  assert_memory_equal(th_at(a, TH_DATA + 100), "hi-b", 4);
  get_addr(a, 400, &from);
  assert_int_equal(from.port, pa);

  th_close(h, a, sa);
  th_close(h, a, sb);
}

static void test_udp_sendto_round_trip_ipv4(void **state) {
  round_trip(state, AF_INET);
}

static void test_udp_sendto_round_trip_ipv6(void **state) {
  if (!th_loopback_available(AF_INET6))
    skip();
  round_trip(state, AF_INET6);
}

/* MSG_PEEK leaves the datagram queued; a short buffer truncates (the rest
 * is gone); buf_len 0 still consumes a datagram and reports its sender. */
static void test_udp_sendto_peek_truncate(void **state) {
  wasisock_t *h = th_host(state);
  wasisock_addr_t to, from;
  uint32_t sa, sb;
  uint16_t pa, pb;
  th_arena_t *a = th_arena(state);
  int i;

  sa = th_open(h, a, AF_INET, SOCK_DGRAM);
  sb = th_open(h, a, AF_INET, SOCK_DGRAM);
  pa = th_bind_loopback(h, a, sa, AF_INET);
  pb = th_bind_loopback(h, a, sb, AF_INET);
  th_loopback_addr(AF_INET, pa, &to);
  put_addr(a, 200, &to);
  for (i = 0; i < 3; i++) {
    memset(th_at(a, TH_DATA), 'a' + i, 50);
    assert_int_equal(
        wasisock_sock_send_to(h, &a->mem, sb, TH_DATA, 50, 0, 200, TH_OUT),
        WASISOCK_OK);
  }
  /* Peek twice: the same datagram, the same sender. */
  for (i = 0; i < 2; i++) {
    memset(th_at(a, 300), 0, WASISOCK_ADDR_SIZE);
    assert_int_equal(wasisock_sock_recv_from(h, &a->mem, sa, TH_DATA + 100, 100,
                                             WASISOCK_MSG_PEEK, 300, TH_OUT),
                     WASISOCK_OK);
    assert_int_equal(th_u32(a, TH_OUT), 50);
    assert_int_equal(th_at(a, TH_DATA + 100)[0], 'a');
    get_addr(a, 300, &from);
    assert_int_equal(from.port, pb);
  }
  /* Truncated to 10: the other 40 bytes of 'a' are dropped. */
  assert_int_equal(wasisock_sock_recv_from(h, &a->mem, sa, TH_DATA + 100, 10, 0,
                                           300, TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 10);
  /* buf_len 0: 'b' is consumed, its sender reported. */
  memset(th_at(a, 300), 0, WASISOCK_ADDR_SIZE);
  assert_int_equal(
      wasisock_sock_recv_from(h, &a->mem, sa, TH_DATA + 100, 0, 0, 300, TH_OUT),
      WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 0);
  get_addr(a, 300, &from);
  assert_int_equal(from.port, pb);
  assert_int_equal(wasisock_sock_recv_from(h, &a->mem, sa, TH_DATA + 100, 100,
                                           0, 300, TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 50);
  assert_int_equal(th_at(a, TH_DATA + 100)[0], 'c');

  th_close(h, a, sa);
  th_close(h, a, sb);
}

static void test_udp_sendto_errors(void **state) {
  wasisock_t *h = th_host(state);
  wasisock_addr_t to;
  th_arena_t *a = th_arena(state);
  uint32_t s;

  s = th_open(h, a, AF_INET, SOCK_DGRAM);
  th_loopback_addr(AF_INET, 9, &to);
  put_addr(a, TH_ADDR, &to);
  memset(th_at(a, TH_OUT), TH_FILL_BYTE, 4);
  /* flags are reserved: EINVAL, before the handle. */
  assert_int_equal(
      wasisock_sock_send_to(h, &a->mem, 4000, TH_DATA, 4, 1, TH_ADDR, TH_OUT),
      WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_send_to(h, &a->mem, s, TH_DATA, 4, 0x80000000u,
                                         TH_ADDR, TH_OUT),
                   WASISOCK_EINVAL);
  /* recv_from: unknown bits, or PEEK with WAITALL. */
  assert_int_equal(wasisock_sock_recv_from(h, &a->mem, 4000, TH_DATA, 4, 4,
                                           TH_ADDR, TH_OUT),
                   WASISOCK_EINVAL);
  assert_int_equal(
      wasisock_sock_recv_from(h, &a->mem, s, TH_DATA, 4,
                              WASISOCK_MSG_PEEK | WASISOCK_MSG_WAITALL,
                              TH_ADDR, TH_OUT),
      WASISOCK_EINVAL);
  /* Family byte unknown (before EBADF), or the other family. */
  th_at(a, TH_ADDR)[0] = 0;
  assert_int_equal(
      wasisock_sock_send_to(h, &a->mem, 4000, TH_DATA, 4, 0, TH_ADDR, TH_OUT),
      WASISOCK_EAFNOSUPPORT);
  th_loopback_addr(AF_INET6, 9, &to);
  put_addr(a, TH_ADDR, &to);
  assert_int_equal(
      wasisock_sock_send_to(h, &a->mem, s, TH_DATA, 4, 0, TH_ADDR, TH_OUT),
      WASISOCK_EAFNOSUPPORT);
  /* A known family is checked against the socket only after the handle. */
  assert_int_equal(
      wasisock_sock_send_to(h, &a->mem, 4000, TH_DATA, 4, 0, TH_ADDR, TH_OUT),
      WASISOCK_EBADF);
  th_loopback_addr(AF_INET, 9, &to);
  put_addr(a, TH_ADDR, &to);
  assert_int_equal(
      wasisock_sock_send_to(h, &a->mem, 4000, TH_DATA, 4, 0, TH_ADDR, TH_OUT),
      WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_recv_from(h, &a->mem, 4000, TH_DATA, 4, 0,
                                           TH_ADDR, TH_OUT),
                   WASISOCK_EBADF);
  assert_int_equal(th_at(a, TH_OUT)[0], TH_FILL_BYTE);
  th_close(h, a, s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_udp_sendto_round_trip_ipv4, 65536),
      th_unit_test(test_udp_sendto_round_trip_ipv6, 65536),
      th_unit_test(test_udp_sendto_peek_truncate, 65536),
      th_unit_test(test_udp_sendto_errors, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
