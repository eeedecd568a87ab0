/* sock_shutdown: SHUT_WR makes the peer read end of stream while data still
 * flows the other way; SHUT_RD; the errors. */
#include "helpers.h"

#include <string.h>
#include <unistd.h>

static void test_shutdown_wr_peer_reads_eof(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint8_t buf[16];
  uint32_t k;
  int fd;

  th_tcp_pair(h, a, AF_INET, &k, &fd);
  memcpy(th_at(a, TH_DATA), "last", 4);
  th_send_all(h, a, k, TH_DATA, 4);
  assert_int_equal(wasisock_sock_shutdown(h, &a->mem, k, WASISOCK_SHUT_WR),
                   WASISOCK_OK);
  assert_int_equal(recv(fd, buf, sizeof(buf), MSG_WAITALL), 4);
  assert_int_equal(recv(fd, buf, sizeof(buf), 0), 0); /* end of stream */
  /* The other direction still works. */
  th_fd_write_all(fd, (const uint8_t *)"reply", 5);
  assert_int_equal(th_recv(h, a, k, TH_DATA, 16), 5);
  assert_memory_equal(th_at(a, TH_DATA), "reply", 5);
  /* Sending after SHUT_WR: EPIPE (Linux's ESHUTDOWN would be unknown). */
  assert_int_equal(wasisock_sock_send(h, &a->mem, k, TH_DATA, 1, TH_OUT),
                   WASISOCK_EPIPE);
  close(fd);
  th_close(h, a, k);
}

static void test_shutdown_rd_and_rdwr(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint8_t buf[4];
  uint32_t k;
  int fd;

  th_tcp_pair(h, a, AF_INET, &k, &fd);
  assert_int_equal(wasisock_sock_shutdown(h, &a->mem, k, WASISOCK_SHUT_RD),
                   WASISOCK_OK);
  /* Nothing more is read: at once, 0. */
  assert_int_equal(th_recv(h, a, k, TH_DATA, 16), 0);
  assert_int_equal(wasisock_sock_shutdown(h, &a->mem, k, WASISOCK_SHUT_RDWR),
                   WASISOCK_OK);
  assert_int_equal(recv(fd, buf, sizeof(buf), 0), 0);
  close(fd);
  th_close(h, a, k);
}

static void test_shutdown_errors(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k;

  k = th_open(h, a, AF_INET, SOCK_STREAM);
  assert_int_equal(wasisock_sock_shutdown(h, &a->mem, k, WASISOCK_SHUT_WR),
                   WASISOCK_ENOTCONN);
  /* how: 1, 2, 3 only (wasi-libc's SHUT_* bits); checked before the handle */
  assert_int_equal(wasisock_sock_shutdown(h, &a->mem, k, 0), WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_shutdown(h, &a->mem, k, 4), WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_shutdown(h, &a->mem, 4000, 4),
                   WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_shutdown(h, &a->mem, 4000, WASISOCK_SHUT_RD),
                   WASISOCK_EBADF);
  th_close(h, a, k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_shutdown_wr_peer_reads_eof, 4096),
      th_unit_test(test_shutdown_rd_and_rdwr, 4096),
      th_unit_test(test_shutdown_errors, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
