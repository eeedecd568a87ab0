/* A server accepting 100 clients on one instance: every accept gets a new
 * handle and the right peer, and each connection carries its own bytes.
 * Clients are native blocking sockets made before the accepts (the kernel
 * completes their handshakes into the listen queue). */
#include "helpers.h"

#include <string.h>
#include <unistd.h>

#define NCLIENTS 100

static void test_accept_many_clients(void **state) {
  wasisock_t *h = th_host(state);
  wasisock_addr_t local[NCLIENTS], peer;
  uint32_t l, k[NCLIENTS], msg;
  int fd[NCLIENTS], seen[NCLIENTS] = {0};
  uint16_t port;
  th_arena_t *a = th_arena(state);
  uint8_t buf[4];
  int i, j;

  l = th_listen(h, a, AF_INET, &port); /* backlog 128 */
  for (i = 0; i < NCLIENTS; i++) {
    fd[i] = th_native_connect(AF_INET, port, &local[i]);
    wasisock_u32_write(buf, (uint32_t)i);
    th_fd_write_all(fd[i], buf, 4);
  }
  for (i = 0; i < NCLIENTS; i++) {
    assert_int_equal(wasisock_sock_accept(h, &a->mem, l, TH_OUT, TH_ADDR),
                     WASISOCK_OK);
    k[i] = th_u32(a, TH_OUT);
    assert_int_equal(wasisock_addr_read(th_at(a, TH_ADDR), &peer),
                     WASISOCK_OK);
    /* The client whose local port is the peer's port sent its index. */
    assert_int_equal(th_recv(h, a, k[i], TH_DATA, 4), 4);
    msg = th_u32(a, TH_DATA);
    assert_true(msg < NCLIENTS);
    assert_int_equal(peer.port, local[msg].port);
    assert_memory_equal(peer.bytes, local[msg].bytes, 4);
    assert_int_equal(seen[msg], 0);
    seen[msg] = 1;
    /* Answer it: index + 1000. */
    wasisock_u32_write(th_at(a, TH_DATA), msg + 1000);
    th_send_all(h, a, k[i], TH_DATA, 4);
    for (j = 0; j < i; j++)
      assert_int_not_equal(k[j], k[i]);
  }
  for (i = 0; i < NCLIENTS; i++) {
    assert_int_equal(recv(fd[i], buf, 4, MSG_WAITALL), 4);
    assert_int_equal(wasisock_u32_read(buf), (uint32_t)i + 1000);
    close(fd[i]);
  }
  /* Every server side now reads end of stream. */
  for (i = 0; i < NCLIENTS; i++) {
    assert_int_equal(th_recv(h, a, k[i], TH_DATA, 4), 0);
    th_close(h, a, k[i]);
  }
  th_close(h, a, l);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_accept_many_clients, 65536),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
