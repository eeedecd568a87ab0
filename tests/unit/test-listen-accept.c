/* sock_listen + sock_accept: the new handle, the peer's address, a new
 * socket that blocks whatever the listener's timeout, data both ways;
 * listen on an unbound socket, on UDP, backlog clamping. */
#include "helpers.h"

#include <string.h>
#include <unistd.h>

static void listen_accept(void **state, int family) {
  wasisock_t *h = th_host(state);
  wasisock_addr_t client, peer, local;
  uint32_t l, k;
  uint16_t port;
  th_arena_t *a = th_arena(state);
  uint8_t buf[8];
  int fd;

  l = th_listen(h, a, family, &port);
  assert_int_equal(th_getsockopt(h, a, l, WASISOCK_SOL_SOCKET,
                                 WASISOCK_SO_ACCEPTCONN), 1);
  /* A listener timeout is not inherited by the accepted socket. */
  assert_int_equal(wasisock_sock_set_timeout(h, &a->mem, l, 5000), WASISOCK_OK);
  /* The native connect completes in the kernel's queue, before accept. */
  fd = th_native_connect(family, port, &client);

  assert_int_equal(wasisock_sock_accept(h, &a->mem, l, TH_OUT, TH_ADDR + 100),
                   WASISOCK_OK);
  k = th_u32(a, TH_OUT);
  assert_int_not_equal(k, l);
  assert_int_equal(wasisock_addr_read(th_at(a, TH_ADDR + 100), &peer),
                   WASISOCK_OK);
  assert_int_equal(peer.family, client.family);
  assert_int_equal(peer.port, client.port);
  assert_memory_equal(peer.bytes, client.bytes, 16);
  /* The same through sock_peer_addr; the local end is the listener's. */
  th_peer_addr(h, a, k, &local);
  assert_int_equal(local.port, client.port);
  th_local_addr(h, a, k, &local);
  assert_int_equal(local.port, port);
  assert_int_equal(wasisock_sock_get_timeout(h, &a->mem, k, TH_OUT2),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT2), WASISOCK_TIMEOUT_NONE);
  assert_int_equal(th_getsockopt(h, a, k, WASISOCK_SOL_SOCKET,
                                 WASISOCK_SO_ACCEPTCONN), 0);

  /* Both ways. */
  memcpy(th_at(a, TH_DATA), "to-native", 9);
  th_send_all(h, a, k, TH_DATA, 9);
  assert_int_equal(recv(fd, buf, 8, MSG_WAITALL), 8);
  assert_memory_equal(buf, "to-nativ", 8);
  assert_int_equal(recv(fd, buf, 1, 0), 1);
  th_fd_write_all(fd, (const uint8_t *)"back", 4);
  assert_int_equal(th_recv(h, a, k, TH_DATA, 4), 4);
  assert_memory_equal(th_at(a, TH_DATA), "back", 4);

  close(fd);
  th_close(h, a, k);
  th_close(h, a, l);
}

static void test_listen_accept_ipv4(void **state) {
  listen_accept(state, AF_INET);
}

static void test_listen_accept_ipv6(void **state) {
  if (!th_loopback_available(AF_INET6))
    skip();
  listen_accept(state, AF_INET6);
}

/* listen() on a socket nobody bound: an ephemeral port of the any-address,
 * as BSD; backlogs out of range are clamped, not refused. */
static void test_listen_unbound(void **state) {
  wasisock_t *h = th_host(state);
  wasisock_addr_t local;
  th_arena_t *a = th_arena(state);
  uint32_t k, c;
  int fd;

  k = th_open(h, a, AF_INET, SOCK_STREAM);
  assert_int_equal(wasisock_sock_listen(h, &a->mem, k, 0), WASISOCK_OK);
  th_local_addr(h, a, k, &local);
  assert_int_equal(local.family, WASISOCK_AF_INET);
  assert_int_not_equal(local.port, 0);
  assert_int_equal(local.bytes[0], 0); /* 0.0.0.0 */
  /* Listening twice, with a huge (negative as i32) backlog: still fine. */
  assert_int_equal(wasisock_sock_listen(h, &a->mem, k, 0xFFFFFFFFu),
                   WASISOCK_OK);
  assert_int_equal(wasisock_sock_listen(h, &a->mem, k, 0x7FFFFFFFu),
                   WASISOCK_OK);
  fd = th_native_connect(AF_INET, local.port, NULL);
  assert_int_equal(wasisock_sock_accept(h, &a->mem, k, TH_OUT, TH_ADDR),
                   WASISOCK_OK);
  c = th_u32(a, TH_OUT);
  close(fd);
  th_close(h, a, c);
  th_close(h, a, k);
}

static void test_listen_accept_errors(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t u, t;

  u = th_open(h, a, AF_INET, SOCK_DGRAM);
  assert_int_equal(wasisock_sock_listen(h, &a->mem, u, 8), WASISOCK_ENOTSUP);
  assert_int_equal(wasisock_sock_accept(h, &a->mem, u, TH_OUT, TH_ADDR),
                   WASISOCK_ENOTSUP);
  /* Accept on a stream socket that does not listen: EINVAL, at once. */
  t = th_open(h, a, AF_INET, SOCK_STREAM);
  assert_int_equal(wasisock_sock_accept(h, &a->mem, t, TH_OUT, TH_ADDR),
                   WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_listen(h, &a->mem, 4000, 8), WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_accept(h, &a->mem, 4000, TH_OUT, TH_ADDR),
                   WASISOCK_EBADF);
  /* EFAULT before EBADF; out-params untouched on every error. */
  memset(th_at(a, TH_OUT), TH_FILL_BYTE, 4);
  memset(th_at(a, TH_ADDR), TH_FILL_BYTE, WASISOCK_ADDR_SIZE);
  assert_int_equal(wasisock_sock_accept(h, &a->mem, 4000, 4093, TH_ADDR),
                   WASISOCK_EFAULT);
  assert_int_equal(wasisock_sock_accept(h, &a->mem, 4000, TH_OUT, 4096 - 18),
                   WASISOCK_EFAULT);
  assert_int_equal(wasisock_sock_accept(h, &a->mem, u, TH_OUT, TH_ADDR),
                   WASISOCK_ENOTSUP);
  assert_int_equal(wasisock_sock_accept(h, &a->mem, t, TH_OUT, TH_ADDR),
                   WASISOCK_EINVAL);
  assert_int_equal(th_at(a, TH_OUT)[0], TH_FILL_BYTE);
  assert_int_equal(th_at(a, TH_ADDR)[0], TH_FILL_BYTE);
  th_close(h, a, t);
  th_close(h, a, u);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_listen_accept_ipv4, 65536),
      th_unit_test(test_listen_accept_ipv6, 65536),
      th_unit_test(test_listen_unbound, 4096),
      th_unit_test(test_listen_accept_errors, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
