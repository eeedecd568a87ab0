/* The peer closes: recv gives the data, then 0; sending on goes on to
 * EPIPE/ECONNRESET without SIGPIPE killing the process. */
#include "helpers.h"

#include <errno.h>
#include <string.h>

/* Sends "bye" and closes. */
static void serve_bye(int fd, void *arg) {
  (void)arg;
  th_fd_write_all(fd, (const uint8_t *)"bye", 3);
}

static void test_tcp_peer_close_recv_zero(void **state) {
  wasisock_t *h = th_host(state);
  th_server_t srv;
  th_arena_t *a = th_arena(state);
  uint32_t k, got = 0, n;

  th_server_start(&srv, AF_INET, SOCK_STREAM, serve_bye, NULL);
  k = th_open(h, a, AF_INET, SOCK_STREAM);
  th_connect(h, a, k, AF_INET, srv.port);
  th_server_join(&srv); /* the server has closed its end */
  while ((n = th_recv(h, a, k, TH_DATA + got, 100)) != 0)
    got += n;
  assert_int_equal(got, 3);
  assert_memory_equal(th_at(a, TH_DATA), "bye", 3);
  /* EOF again: still 0, no error. */
  assert_int_equal(th_recv(h, a, k, TH_DATA, 100), 0);

  /* Writing to the closed peer: the first sends may be accepted, then the
   * peer's RST turns them into EPIPE or ECONNRESET.  With SIGPIPE's
   * default action, a send without MSG_NOSIGNAL would end this process. */
  for (;;) {
    int32_t r = wasisock_sock_send(h, &a->mem, k, TH_DATA, 4096, TH_OUT);
    if (r == WASISOCK_OK)
      continue;
    assert_true(r == WASISOCK_EPIPE || r == WASISOCK_ECONNRESET);
    break;
  }
  th_close(h, a, k);
}

/* The peer resets (SO_LINGER 0): recv reports ECONNRESET. */
static void serve_reset(int fd, void *arg) {
  struct linger lg = {1, 0};
  uint8_t b;
  (void)arg;
  /* Wait for the client's byte so the connection is fully up. */
  TH_CHECK(recv(fd, &b, 1, 0) == 1);
  TH_CHECK(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) == 0);
}

static void test_tcp_peer_reset(void **state) {
  wasisock_t *h = th_host(state);
  th_server_t srv;
  th_arena_t *a = th_arena(state);
  uint32_t k;
  int32_t r;

  th_server_start(&srv, AF_INET, SOCK_STREAM, serve_reset, NULL);
  k = th_open(h, a, AF_INET, SOCK_STREAM);
  th_connect(h, a, k, AF_INET, srv.port);
  th_send_all(h, a, k, TH_DATA, 1);
  th_server_join(&srv);
  r = wasisock_sock_recv(h, &a->mem, k, TH_DATA, 100, TH_OUT);
  assert_int_equal(r, WASISOCK_ECONNRESET);
  th_close(h, a, k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_tcp_peer_close_recv_zero, 65536),
      th_unit_test(test_tcp_peer_reset, 65536),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
