/* At the instance's socket limit sock_accept is EMFILE without accepting:
 * the connection stays queued, and the next accept after a close gets it. */
#include "helpers.h"

#include <string.h>
#include <unistd.h>

static void test_accept_emfile_keeps_connection(void **state) {
  wasisock_t *h = th_new(2);
  wasisock_addr_t c1, c2, peer;
  uint32_t l, k1, k2;
  uint16_t port;
  th_arena_t a;
  int fd1, fd2;
  uint8_t b;
  (void)state;

  th_arena_init(&a, 4096);
  l = th_listen(h, &a, AF_INET, &port);
  fd1 = th_native_connect(AF_INET, port, &c1);
  fd2 = th_native_connect(AF_INET, port, &c2);

  assert_int_equal(wasisock_sock_accept(h, &a.mem, l, TH_OUT, TH_ADDR),
                   WASISOCK_OK);
  k1 = th_u32(&a, TH_OUT);
  assert_int_equal(wasisock_addr_read(th_at(&a, TH_ADDR), &peer), WASISOCK_OK);
  assert_int_equal(peer.port, c1.port);

  /* Two of two open: EMFILE at once (no wait, even though a connection is
   * pending), nothing written. */
  memset(th_at(&a, TH_OUT), TH_FILL_BYTE, 4);
  memset(th_at(&a, TH_ADDR), TH_FILL_BYTE, WASISOCK_ADDR_SIZE);
  assert_int_equal(wasisock_sock_accept(h, &a.mem, l, TH_OUT, TH_ADDR),
                   WASISOCK_EMFILE);
  assert_int_equal(th_at(&a, TH_OUT)[0], TH_FILL_BYTE);
  assert_int_equal(th_at(&a, TH_ADDR)[0], TH_FILL_BYTE);
  /* The second client is still connected and waiting: its peer has not
   * closed it (a recv would block, so look without waiting). */
  assert_int_equal(recv(fd2, &b, 1, MSG_DONTWAIT), -1);

  th_close(h, &a, k1);
  assert_int_equal(wasisock_sock_accept(h, &a.mem, l, TH_OUT, TH_ADDR),
                   WASISOCK_OK);
  k2 = th_u32(&a, TH_OUT);
  assert_int_equal(k2, k1); /* the lowest free number again */
  assert_int_equal(wasisock_addr_read(th_at(&a, TH_ADDR), &peer), WASISOCK_OK);
  assert_int_equal(peer.port, c2.port);
  /* And it is the live connection of client 2. */
  th_fd_write_all(fd2, (const uint8_t *)"x", 1);
  assert_int_equal(th_recv(h, &a, k2, TH_DATA, 1), 1);
  assert_int_equal(th_at(&a, TH_DATA)[0], 'x');

  close(fd1);
  close(fd2);
  th_close(h, &a, k2);
  th_close(h, &a, l);
  th_arena_free(&a);
  wasisock_free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_accept_emfile_keeps_connection),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
