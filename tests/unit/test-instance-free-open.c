/* wasisock_free with sockets still open: all closed, nothing leaked. */
#include "helpers.h"

#include <errno.h>

/* Reads until EOF; records that EOF came. */
static void serve_until_eof(int fd, void *arg) {
  uint8_t buf[4096];
  ssize_t n;
  do
    n = recv(fd, buf, sizeof(buf), 0);
  while (n > 0 || (n == -1 && errno == EINTR));
  *(int *)arg = n == 0;
}

static void test_instance_free_open_sockets(void **state) {
  int before, got_eof = 0;
  th_server_t srv;
  wasisock_t *h;
  th_arena_t a;
  uint32_t k, i;
  (void)state;

  /* libuv opens a process-wide pipe at its first loop and keeps it; make
   * that happen before counting. */
  wasisock_free(th_new(0));
  before = th_count_fds();
  th_arena_init(&a, 65536);
  th_server_start(&srv, AF_INET, SOCK_STREAM, serve_until_eof, &got_eof);
  h = th_new(0);
  /* A connected socket that has waited (so it has a poll handle), a few
   * unconnected ones of both types. */
  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  th_connect(h, &a, k, AF_INET, srv.port);
  th_send_all(h, &a, k, TH_DATA, 1000);
  for (i = 0; i < 5; i++) {
    th_open(h, &a, AF_INET, SOCK_STREAM);
    th_open(h, &a, AF_INET, SOCK_DGRAM);
  }
  wasisock_free(h);
  th_server_join(&srv);
  assert_true(got_eof); /* the connection was really closed */
  assert_int_equal(th_count_fds(), before);
  th_arena_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_instance_free_open_sockets),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
