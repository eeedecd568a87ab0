/* A send larger than the socket buffers to a peer that does not read:
 * sock_send reports what the kernel took, 0 < *sent < len, instead of
 * blocking until everything went. */
#include "helpers.h"

#include <semaphore.h>

#define BIG (32u << 20)

/* Holds the connection without reading until the test posts. */
static void serve_hold(int fd, void *arg) {
  (void)fd;
  while (sem_wait((sem_t *)arg) != 0)
    ;
}

static void test_tcp_partial_send(void **state) {
  wasisock_t *h = th_host(state);
  th_server_t srv;
  th_arena_t *a = th_arena(state);
  sem_t release;
  uint32_t k, sent;

  assert_int_equal(sem_init(&release, 0, 0), 0);
  th_server_start_rcvbuf(&srv, AF_INET, SOCK_STREAM, 4096, serve_hold, &release);
  k = th_open(h, a, AF_INET, SOCK_STREAM);
  th_connect(h, a, k, AF_INET, srv.port);
  assert_int_equal(wasisock_sock_send(h, &a->mem, k, TH_DATA, BIG, TH_OUT),
                   WASISOCK_OK);
  sent = th_u32(a, TH_OUT);
  assert_true(sent > 0);
  assert_true(sent < BIG);
  assert_int_equal(sem_post(&release), 0);
  th_server_join(&srv);
  th_close(h, a, k);
  sem_destroy(&release);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_tcp_partial_send, TH_DATA + BIG),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
