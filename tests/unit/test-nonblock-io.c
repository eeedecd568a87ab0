/* sock_set_timeout(0): calls that would wait answer at once — recv,
 * recv_from, accept, send EAGAIN; connect EINPROGRESS, then sock_poll's
 * POLLOUT and SO_ERROR 0 say it is done. */
#include "helpers.h"

#include <string.h>
#include <unistd.h>

static void test_nonblock_recv_accept(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  double t0;
  uint32_t k, u, l, c;
  uint16_t port;
  int fd, cfd;

  th_tcp_pair(h, a, AF_INET, &k, &fd);
  u = th_open(h, a, AF_INET, SOCK_DGRAM);
  th_bind_loopback(h, a, u, AF_INET);
  l = th_listen(h, a, AF_INET, &port);
  assert_int_equal(wasisock_sock_set_timeout(h, &a->mem, k, 0), WASISOCK_OK);
  assert_int_equal(wasisock_sock_set_timeout(h, &a->mem, u, 0), WASISOCK_OK);
  assert_int_equal(wasisock_sock_set_timeout(h, &a->mem, l, 0), WASISOCK_OK);

  t0 = th_now_ms();
  assert_int_equal(wasisock_sock_recv(h, &a->mem, k, TH_DATA, 16, TH_OUT),
                   WASISOCK_EAGAIN);
  assert_int_equal(wasisock_sock_recv_from(h, &a->mem, k, TH_DATA, 16,
                                           WASISOCK_MSG_WAITALL, TH_ADDR,
                                           TH_OUT),
                   WASISOCK_EAGAIN);
  assert_int_equal(wasisock_sock_recv_from(h, &a->mem, u, TH_DATA, 16, 0,
                                           TH_ADDR, TH_OUT),
                   WASISOCK_EAGAIN);
  assert_int_equal(wasisock_sock_accept(h, &a->mem, l, TH_OUT, TH_ADDR),
                   WASISOCK_EAGAIN);
  assert_true(th_now_ms() - t0 < 100);

  /* Data there: returned at once; WAITALL gives what is there. */
  th_fd_write_all(fd, (const uint8_t *)"abc", 3);
  assert_int_equal(wasisock_sock_recv_from(h, &a->mem, k, TH_DATA, 16,
                                           WASISOCK_MSG_WAITALL, TH_ADDR,
                                           TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 3);
  /* A pending connection: accepted at once; the new socket blocks. */
  cfd = th_native_connect(AF_INET, port, NULL);
  assert_int_equal(wasisock_sock_accept(h, &a->mem, l, TH_OUT, TH_ADDR),
                   WASISOCK_OK);
  c = th_u32(a, TH_OUT);
  assert_int_equal(wasisock_sock_get_timeout(h, &a->mem, c, TH_OUT2),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT2), WASISOCK_TIMEOUT_NONE);

  close(cfd);
  close(fd);
  th_close(h, a, c);
  th_close(h, a, l);
  th_close(h, a, u);
  th_close(h, a, k);
}

static void test_nonblock_send_fills(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k, total = 0;
  int32_t r = WASISOCK_OK;
  int fd, i;

  th_tcp_pair(h, a, AF_INET, &k, &fd);
  assert_int_equal(wasisock_sock_set_timeout(h, &a->mem, k, 0), WASISOCK_OK);
  for (i = 0; i < 100000 && r == WASISOCK_OK; i++) {
    r = wasisock_sock_send(h, &a->mem, k, TH_DATA, 1 << 15, TH_OUT);
    if (r == WASISOCK_OK)
      total += th_u32(a, TH_OUT);
  }
  assert_int_equal(r, WASISOCK_EAGAIN);
  assert_true(total > 0);
  close(fd);
  th_close(h, a, k);
}

static void test_nonblock_connect_poll(void **state) {
  wasisock_t *h = th_host(state);
  wasisock_poll_sub_t sub;
  wasisock_addr_t addr;
  th_arena_t *a = th_arena(state);
  uint32_t l, k, c;
  uint16_t port;

  l = th_listen(h, a, AF_INET, &port);
  k = th_open(h, a, AF_INET, SOCK_STREAM);
  assert_int_equal(wasisock_sock_set_timeout(h, &a->mem, k, 0), WASISOCK_OK);
  th_loopback_addr(AF_INET, port, &addr);
  wasisock_addr_write(th_at(a, TH_ADDR), &addr);
  assert_int_equal(wasisock_sock_connect(h, &a->mem, k, TH_ADDR),
                   WASISOCK_EINPROGRESS);
  sub.handle = k;
  sub.events = WASISOCK_POLLOUT;
  sub.revents = 0xFFFF; /* input value ignored */
  wasisock_poll_sub_write(th_at(a, TH_DATA), &sub);
  assert_int_equal(wasisock_sock_poll(h, &a->mem, TH_DATA, 1, 2000, TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 1);
  wasisock_poll_sub_read(th_at(a, TH_DATA), &sub);
  assert_int_equal(sub.handle, k);
  assert_int_equal(sub.events, WASISOCK_POLLOUT);
  assert_int_equal(sub.revents, WASISOCK_POLLOUT);
  assert_int_equal(th_getsockopt(h, a, k, WASISOCK_SOL_SOCKET,
                                 WASISOCK_SO_ERROR), 0);
  th_peer_addr(h, a, k, &addr);
  assert_int_equal(addr.port, port);
  /* The listener has it. */
  assert_int_equal(wasisock_sock_accept(h, &a->mem, l, TH_OUT, TH_ADDR),
                   WASISOCK_OK);
  c = th_u32(a, TH_OUT);
  th_close(h, a, c);
  th_close(h, a, k);
  th_close(h, a, l);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_nonblock_recv_accept, 4096),
      th_unit_test(test_nonblock_send_fills, 1 << 16),
      th_unit_test(test_nonblock_connect_poll, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
