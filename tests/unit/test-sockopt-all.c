/* sock_getsockopt / sock_setsockopt: every option the ABI knows, its value
 * translated where the numbering differs (SO_TYPE, SO_ERROR), read-only and
 * unknown options, and the order of the errors. */
#include "helpers.h"

#include <string.h>
#include <unistd.h>

static void set_ok(wasisock_t *h, th_arena_t *a, uint32_t k, uint32_t level,
                   uint32_t name, uint32_t value) {
  assert_int_equal(wasisock_sock_setsockopt(h, &a->mem, k, level, name, value),
                   WASISOCK_OK);
}

/* A boolean option: 0 → 1 → 0 (starting from whatever the default is). */
static void flip(wasisock_t *h, th_arena_t *a, uint32_t k, uint32_t level,
                 uint32_t name) {
  set_ok(h, a, k, level, name, 1);
  assert_int_equal(th_getsockopt(h, a, k, level, name), 1);
  set_ok(h, a, k, level, name, 0);
  assert_int_equal(th_getsockopt(h, a, k, level, name), 0);
}

static void test_sockopt_booleans(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t t, u;

  t = th_open(h, a, AF_INET, SOCK_STREAM);
  u = th_open(h, a, AF_INET, SOCK_DGRAM);
  flip(h, a, t, WASISOCK_SOL_SOCKET, WASISOCK_SO_REUSEADDR);
  flip(h, a, t, WASISOCK_SOL_SOCKET, WASISOCK_SO_KEEPALIVE);
  flip(h, a, t, WASISOCK_IPPROTO_TCP, WASISOCK_TCP_NODELAY);
  flip(h, a, u, WASISOCK_SOL_SOCKET, WASISOCK_SO_BROADCAST);
  /* Any non-zero value turns a boolean on; the kernel answers 1. */
  set_ok(h, a, t, WASISOCK_IPPROTO_TCP, WASISOCK_TCP_NODELAY, 7);
  assert_int_equal(
      th_getsockopt(h, a, t, WASISOCK_IPPROTO_TCP, WASISOCK_TCP_NODELAY), 1);
  /* TCP_NODELAY on UDP: the kernel's answer, passed through. */
  assert_int_not_equal(wasisock_sock_setsockopt(h, &a->mem, u,
                                                WASISOCK_IPPROTO_TCP,
                                                WASISOCK_TCP_NODELAY, 1),
                       WASISOCK_OK);
  th_close(h, a, t);
  th_close(h, a, u);
}

static void test_sockopt_ipv6_v6only(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k4, k6;

  k4 = th_open(h, a, AF_INET, SOCK_STREAM);
  /* IPv6 sockets may be unavailable (no IPv6 in the kernel): then skip. */
  if (wasisock_sock_open(h, &a->mem, WASISOCK_AF_INET6, WASISOCK_SOCK_STREAM,
                         TH_OUT) != WASISOCK_OK) {
    skip();
  }
  k6 = th_u32(a, TH_OUT);
  flip(h, a, k6, WASISOCK_IPPROTO_IPV6, WASISOCK_IPV6_V6ONLY);
  /* On an IPv4 socket: the kernel says EOPNOTSUPP, i.e. ENOTSUP. */
  assert_int_equal(wasisock_sock_getsockopt(h, &a->mem, k4,
                                            WASISOCK_IPPROTO_IPV6,
                                            WASISOCK_IPV6_V6ONLY, TH_OUT),
                   WASISOCK_ENOTSUP);
  th_close(h, a, k6);
  th_close(h, a, k4);
}

static void test_sockopt_buffers(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k, v;

  k = th_open(h, a, AF_INET, SOCK_STREAM);
  assert_true(th_getsockopt(h, a, k, WASISOCK_SOL_SOCKET,
                            WASISOCK_SO_RCVBUF) > 0);
  set_ok(h, a, k, WASISOCK_SOL_SOCKET, WASISOCK_SO_RCVBUF, 32768);
  v = th_getsockopt(h, a, k, WASISOCK_SOL_SOCKET, WASISOCK_SO_RCVBUF);
  assert_int_equal(v, 65536); /* Linux reports twice the size set */
  set_ok(h, a, k, WASISOCK_SOL_SOCKET, WASISOCK_SO_SNDBUF, 32768);
  v = th_getsockopt(h, a, k, WASISOCK_SOL_SOCKET, WASISOCK_SO_SNDBUF);
  assert_int_equal(v, 65536);
  th_close(h, a, k);
}

static void test_sockopt_type_acceptconn(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t t, u, l;
  uint16_t port;

  t = th_open(h, a, AF_INET, SOCK_STREAM);
  u = th_open(h, a, AF_INET, SOCK_DGRAM);
  /* WASI numbering: 6 and 5, not Linux's 1 and 2. */
  assert_int_equal(th_getsockopt(h, a, t, WASISOCK_SOL_SOCKET,
                                 WASISOCK_SO_TYPE), WASISOCK_SOCK_STREAM);
  assert_int_equal(th_getsockopt(h, a, u, WASISOCK_SOL_SOCKET,
                                 WASISOCK_SO_TYPE), WASISOCK_SOCK_DGRAM);
  assert_int_equal(th_getsockopt(h, a, t, WASISOCK_SOL_SOCKET,
                                 WASISOCK_SO_ACCEPTCONN), 0);
  l = th_listen(h, a, AF_INET, &port);
  assert_int_equal(th_getsockopt(h, a, l, WASISOCK_SOL_SOCKET,
                                 WASISOCK_SO_ACCEPTCONN), 1);
  assert_int_equal(th_getsockopt(h, a, t, WASISOCK_SOL_SOCKET,
                                 WASISOCK_SO_ERROR), 0);
  th_close(h, a, l);
  th_close(h, a, t);
  th_close(h, a, u);
}

/* A non-blocking connect to a closed port: EINPROGRESS, then POLLOUT (with
 * POLLERR), then SO_ERROR = WASISOCK_ECONNREFUSED once, 0 after. */
static void test_sockopt_so_error_refused(void **state) {
  wasisock_t *h = th_host(state);
  wasisock_addr_t addr;
  wasisock_poll_sub_t sub;
  th_arena_t *a = th_arena(state);
  uint32_t k, l;
  uint16_t port;

  /* A port that was just ours and is closed now. */
  l = th_open(h, a, AF_INET, SOCK_STREAM);
  port = th_bind_loopback(h, a, l, AF_INET);
  th_close(h, a, l);

  k = th_open(h, a, AF_INET, SOCK_STREAM);
  assert_int_equal(wasisock_sock_set_timeout(h, &a->mem, k, 0), WASISOCK_OK);
  th_loopback_addr(AF_INET, port, &addr);
  wasisock_addr_write(th_at(a, TH_ADDR), &addr);
  assert_int_equal(wasisock_sock_connect(h, &a->mem, k, TH_ADDR),
                   WASISOCK_EINPROGRESS);
  sub.handle = k;
  sub.events = WASISOCK_POLLOUT;
  sub.revents = 0;
  wasisock_poll_sub_write(th_at(a, TH_DATA), &sub);
  assert_int_equal(wasisock_sock_poll(h, &a->mem, TH_DATA, 1, 2000, TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 1);
  wasisock_poll_sub_read(th_at(a, TH_DATA), &sub);
  assert_true(sub.revents & (WASISOCK_POLLOUT | WASISOCK_POLLERR));
  assert_int_equal(th_getsockopt(h, a, k, WASISOCK_SOL_SOCKET,
                                 WASISOCK_SO_ERROR), WASISOCK_ECONNREFUSED);
  /* Reading cleared it. */
  assert_int_equal(th_getsockopt(h, a, k, WASISOCK_SOL_SOCKET,
                                 WASISOCK_SO_ERROR), 0);
  th_close(h, a, k);
}

static void test_sockopt_errors(void **state) {
  static const uint32_t read_only[] = {WASISOCK_SO_TYPE, WASISOCK_SO_ERROR,
                                       WASISOCK_SO_ACCEPTCONN};
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k;
  size_t i;

  k = th_open(h, a, AF_INET, SOCK_STREAM);
  memset(th_at(a, TH_OUT), TH_FILL_BYTE, 4);
  /* Unknown name, unknown level, Linux's SOL_SOCKET (1): ENOPROTOOPT. */
  assert_int_equal(wasisock_sock_getsockopt(h, &a->mem, k, WASISOCK_SOL_SOCKET,
                                            99, TH_OUT),
                   WASISOCK_ENOPROTOOPT);
  assert_int_equal(wasisock_sock_getsockopt(h, &a->mem, k, 12345,
                                            WASISOCK_SO_TYPE, TH_OUT),
                   WASISOCK_ENOPROTOOPT);
  assert_int_equal(wasisock_sock_getsockopt(h, &a->mem, k, 1, WASISOCK_SO_TYPE,
                                            TH_OUT),
                   WASISOCK_ENOPROTOOPT);
  assert_int_equal(wasisock_sock_setsockopt(h, &a->mem, k, WASISOCK_SOL_SOCKET,
                                            99, 1),
                   WASISOCK_ENOPROTOOPT);
  for (i = 0; i < sizeof(read_only) / sizeof(read_only[0]); i++)
    assert_int_equal(wasisock_sock_setsockopt(h, &a->mem, k,
                                              WASISOCK_SOL_SOCKET,
                                              read_only[i], 1),
                     WASISOCK_ENOPROTOOPT);
  /* Order: EFAULT, then ENOPROTOOPT, then EBADF. */
  assert_int_equal(wasisock_sock_getsockopt(h, &a->mem, 4000, 1, 99, 4093),
                   WASISOCK_EFAULT);
  assert_int_equal(wasisock_sock_getsockopt(h, &a->mem, 4000, 1, 99, TH_OUT),
                   WASISOCK_ENOPROTOOPT);
  assert_int_equal(wasisock_sock_getsockopt(h, &a->mem, 4000,
                                            WASISOCK_SOL_SOCKET,
                                            WASISOCK_SO_TYPE, TH_OUT),
                   WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_setsockopt(h, &a->mem, 4000,
                                            WASISOCK_SOL_SOCKET,
                                            WASISOCK_SO_REUSEADDR, 1),
                   WASISOCK_EBADF);
  assert_int_equal(th_at(a, TH_OUT)[0], TH_FILL_BYTE);
  th_close(h, a, k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_sockopt_booleans, 4096),
      th_unit_test(test_sockopt_ipv6_v6only, 4096),
      th_unit_test(test_sockopt_buffers, 4096),
      th_unit_test(test_sockopt_type_acceptconn, 4096),
      th_unit_test(test_sockopt_so_error_refused, 4096),
      th_unit_test(test_sockopt_errors, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
