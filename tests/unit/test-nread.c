/* sock_nread (revision 3): bytes a receive would return now — a stream's
 * queue (more than any peek buffer), a datagram's size, 0 — and errors. */
#include "helpers.h"

#include <string.h>
#include <unistd.h>

static uint32_t nread(wasisock_t *h, th_arena_t *a, uint32_t k) {
  assert_int_equal(wasisock_sock_nread(h, &a->mem, k, TH_OUT), WASISOCK_OK);
  return th_u32(a, TH_OUT);
}

static void test_nread_stream(void **state) {
  /* More than the guest's 64 KiB peek could count, less than Linux's
   * default receive queue (128000 bytes of tcp_rmem's 131072). */
  static uint8_t big[100000];
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k;
  double t0;
  int fd;

  th_tcp_pair(h, a, AF_INET, &k, &fd);
  assert_int_equal(nread(h, a, k), 0);
  memset(big, 'x', sizeof(big));
  th_fd_write_all(fd, big, sizeof(big));
  /* Loopback delivers as the writer goes; wait until all is queued. */
  t0 = th_now_ms();
  while (nread(h, a, k) < sizeof(big) && th_now_ms() - t0 < 10000)
    th_sleep_ms(5);
  assert_int_equal(nread(h, a, k), sizeof(big));
  assert_int_equal(th_recv(h, a, k, TH_DATA, 1000), 1000);
  assert_int_equal(nread(h, a, k), sizeof(big) - 1000);
  close(fd);
  th_close(h, a, k);
}

static void test_nread_dgram_and_errors(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k0, k1, l;
  uint16_t port;

  assert_int_equal(wasisock_sock_socketpair(h, &a->mem, WASISOCK_SOCK_DGRAM,
                                            TH_OUT, TH_OUT2),
                   WASISOCK_OK);
  k0 = th_u32(a, TH_OUT);
  k1 = th_u32(a, TH_OUT2);
  memset(th_at(a, TH_DATA), 'd', 300);
  th_send_all(h, a, k0, TH_DATA, 300);
  th_send_all(h, a, k0, TH_DATA, 7);
  /* The next datagram's size, not the total. */
  assert_int_equal(nread(h, a, k1), 300);
  assert_int_equal(th_recv(h, a, k1, TH_DATA, 1000), 300);
  assert_int_equal(nread(h, a, k1), 7);

  /* A listener: EINVAL; not open: EBADF; pointer: EFAULT (before all). */
  l = th_listen(h, a, AF_INET, &port);
  assert_int_equal(wasisock_sock_nread(h, &a->mem, l, TH_OUT), WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_nread(h, &a->mem, 4000, TH_OUT),
                   WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_nread(h, &a->mem, 4000,
                                       (uint32_t)a->mem.len - 3),
                   WASISOCK_EFAULT);
  th_close(h, a, l);
  th_close(h, a, k0);
  th_close(h, a, k1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_nread_stream, 4096),
      th_unit_test(test_nread_dgram_and_errors, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
