/* sock_set_timeout with N ms: recv, recv_from, accept, send and connect give
 * ETIMEDOUT after about N ms (never before), and a call that completes in
 * time is unaffected.  Bounds are loose on the slow side (valgrind). */
#include "helpers.h"

#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#define LOW(ms) ((ms) - 10.0)
#define HIGH(ms) ((ms) + 400.0)

static void set_timeout(wasisock_t *h, th_arena_t *a, uint32_t k, uint32_t ms) {
  assert_int_equal(wasisock_sock_set_timeout(h, &a->mem, k, ms), WASISOCK_OK);
  assert_int_equal(wasisock_sock_get_timeout(h, &a->mem, k, TH_OUT2),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT2), ms);
}

static void test_timeout_recv(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  double t0, dt;
  uint32_t k;
  int fd;

  th_tcp_pair(h, a, AF_INET, &k, &fd);
  assert_int_equal(wasisock_sock_get_timeout(h, &a->mem, k, TH_OUT2),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT2), WASISOCK_TIMEOUT_NONE);
  set_timeout(h, a, k, 200);
  memset(th_at(a, TH_OUT), TH_FILL_BYTE, 4);
  t0 = th_now_ms();
  assert_int_equal(wasisock_sock_recv(h, &a->mem, k, TH_DATA, 16, TH_OUT),
                   WASISOCK_ETIMEDOUT);
  dt = th_now_ms() - t0;
  assert_true(dt >= LOW(200));
  assert_true(dt < HIGH(200));
  assert_int_equal(th_at(a, TH_OUT)[0], TH_FILL_BYTE);
  /* Data in time: a normal recv; the socket still works after a timeout. */
  th_fd_write_all(fd, (const uint8_t *)"ok", 2);
  assert_int_equal(th_recv(h, a, k, TH_DATA, 16), 2);
  /* Back to blocking. */
  set_timeout(h, a, k, WASISOCK_TIMEOUT_NONE);
  th_fd_write_all(fd, (const uint8_t *)"ok", 2);
  assert_int_equal(th_recv(h, a, k, TH_DATA, 16), 2);
  close(fd);
  th_close(h, a, k);
}

static void test_timeout_recv_from_and_accept(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  double t0, dt;
  uint32_t u, l;
  uint16_t port;

  u = th_open(h, a, AF_INET, SOCK_DGRAM);
  th_bind_loopback(h, a, u, AF_INET);
  set_timeout(h, a, u, 100);
  t0 = th_now_ms();
  assert_int_equal(wasisock_sock_recv_from(h, &a->mem, u, TH_DATA, 16, 0,
                                           TH_ADDR, TH_OUT),
                   WASISOCK_ETIMEDOUT);
  dt = th_now_ms() - t0;
  assert_true(dt >= LOW(100) && dt < HIGH(100));

  l = th_listen(h, a, AF_INET, &port);
  set_timeout(h, a, l, 100);
  t0 = th_now_ms();
  assert_int_equal(wasisock_sock_accept(h, &a->mem, l, TH_OUT, TH_ADDR),
                   WASISOCK_ETIMEDOUT);
  dt = th_now_ms() - t0;
  assert_true(dt >= LOW(100) && dt < HIGH(100));
  /* The handle reserved for the connection that never came is free again. */
  assert_int_equal(th_open(h, a, AF_INET, SOCK_DGRAM), l + 1);
  th_close(h, a, l + 1);
  th_close(h, a, l);
  th_close(h, a, u);
}

/* A send that cannot proceed (the peer does not read, small buffers). */
static void test_timeout_send(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  double t0, dt;
  uint32_t k;
  int32_t r;
  int fd, small = 4096, i;

  th_tcp_pair(h, a, AF_INET, &k, &fd);
  assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)),
                   0);
  assert_int_equal(wasisock_sock_setsockopt(h, &a->mem, k, WASISOCK_SOL_SOCKET,
                                            WASISOCK_SO_SNDBUF, 4096),
                   WASISOCK_OK);
  set_timeout(h, a, k, 150);
  t0 = th_now_ms();
  for (i = 0; i < 10000; i++) {
    r = wasisock_sock_send(h, &a->mem, k, TH_DATA, 1 << 15, TH_OUT);
    if (r != WASISOCK_OK)
      break;
    t0 = th_now_ms(); /* the timed-out call starts after the last success */
  }
  assert_int_equal(r, WASISOCK_ETIMEDOUT);
  dt = th_now_ms() - t0;
  assert_true(dt >= LOW(150) && dt < HIGH(150));
  close(fd);
  th_close(h, a, k);
}

/* connect to a listener whose accept queue is full: Linux drops the SYN, so
 * the handshake cannot finish before the timeout. */
static void test_timeout_connect(void **state) {
  struct sockaddr_in sin;
  socklen_t len = sizeof(sin);
  wasisock_t *h = th_host(state);
  wasisock_addr_t addr;
  struct pollfd p;
  int lfd, c[16], n = 0, full = 0;
  th_arena_t *a = th_arena(state);
  double t0, dt;
  uint32_t k;

  memset(&sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  lfd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(lfd >= 0);
  assert_int_equal(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
  assert_int_equal(getsockname(lfd, (struct sockaddr *)&sin, &len), 0);
  assert_int_equal(listen(lfd, 1), 0);
  /* Fill the queue until a connect no longer completes within 100 ms. */
  while (n < 16 && !full) {
    c[n] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    assert_true(c[n] >= 0);
    connect(c[n], (struct sockaddr *)&sin, sizeof(sin));
    p.fd = c[n++];
    p.events = POLLOUT;
    full = poll(&p, 1, 100) == 0;
  }
  if (full) {
    k = th_open(h, a, AF_INET, SOCK_STREAM);
    set_timeout(h, a, k, 200);
    th_loopback_addr(AF_INET, ntohs(sin.sin_port), &addr);
    wasisock_addr_write(th_at(a, TH_ADDR), &addr);
    t0 = th_now_ms();
    assert_int_equal(wasisock_sock_connect(h, &a->mem, k, TH_ADDR),
                     WASISOCK_ETIMEDOUT);
    dt = th_now_ms() - t0;
    assert_true(dt >= LOW(200) && dt < HIGH(200));
    th_close(h, a, k);
  }
  while (n > 0)
    close(c[--n]);
  close(lfd);
  if (!full)
    skip(); /* this kernel never dropped a SYN */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_timeout_recv, 4096),
      th_unit_test(test_timeout_recv_from_and_accept, 4096),
      th_unit_test(test_timeout_send, 1 << 16),
      th_unit_test(test_timeout_connect, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
