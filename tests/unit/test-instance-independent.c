/* Two instances share nothing: own tables, own loops. */
#include "helpers.h"

#include <string.h>

static void test_instance_independent_handles(void **state) {
  wasisock_t *h1 = th_new(0), *h2 = th_new(0);
  th_server_t s1, s2;
  th_arena_t a;
  uint32_t k1, k2, n;
  (void)state;

  th_arena_init(&a, 65536);
  th_server_start(&s1, AF_INET, SOCK_STREAM, th_serve_echo, NULL);
  th_server_start(&s2, AF_INET, SOCK_STREAM, th_serve_echo, NULL);

  /* A handle of one is EBADF in the other. */
  k1 = th_open(h1, &a, AF_INET, SOCK_STREAM);
  assert_int_equal(k1, WASISOCK_FIRST_HANDLE);
  assert_int_equal(wasisock_sock_close(h2, &a.mem, k1), WASISOCK_EBADF);
  assert_int_equal(wasisock_sock_send(h2, &a.mem, k1, TH_DATA, 1, TH_OUT),
                   WASISOCK_EBADF);

  /* Both get 1024, for different sockets. */
  k2 = th_open(h2, &a, AF_INET, SOCK_STREAM);
  assert_int_equal(k2, WASISOCK_FIRST_HANDLE);
  th_connect(h1, &a, k1, AF_INET, s1.port);
  th_connect(h2, &a, k2, AF_INET, s2.port);
  memcpy(th_at(&a, TH_DATA), "one", 3);
  memcpy(th_at(&a, TH_DATA + 16), "two", 3);
  th_send_all(h1, &a, k1, TH_DATA, 3);
  th_send_all(h2, &a, k2, TH_DATA + 16, 3);
  n = th_recv(h2, &a, k2, TH_DATA + 100, 16);
  assert_int_equal(n, 3);
  assert_memory_equal(th_at(&a, TH_DATA + 100), "two", 3);
  n = th_recv(h1, &a, k1, TH_DATA + 200, 16);
  assert_int_equal(n, 3);
  assert_memory_equal(th_at(&a, TH_DATA + 200), "one", 3);

  /* Freeing one leaves the other working. */
  wasisock_free(h2);
  th_server_join(&s2);
  th_send_all(h1, &a, k1, TH_DATA, 3);
  assert_int_equal(th_recv(h1, &a, k1, TH_DATA + 300, 16), 3);
  th_close(h1, &a, k1);
  th_server_join(&s1);
  wasisock_free(h1);
  th_arena_free(&a);
}

/* Two instances driven from two threads at once. */
typedef struct {
  th_server_t *srv;
  int ok;
} worker_t;

static void *worker(void *p) {
  worker_t *w = p;
  wasisock_t *h = th_new(0);
  th_arena_t a;
  uint32_t k, i, got;

  th_arena_init(&a, 65536);
  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  th_connect(h, &a, k, AF_INET, w->srv->port);
  for (i = 0; i < 200; i++) {
    memset(th_at(&a, TH_DATA), (int)i, 1000);
    th_send_all(h, &a, k, TH_DATA, 1000);
    for (got = 0; got < 1000;)
      got += th_recv(h, &a, k, TH_DATA + 2000 + got, 1000 - got);
    assert_memory_equal(th_at(&a, TH_DATA), th_at(&a, TH_DATA + 2000), 1000);
  }
  th_close(h, &a, k);
  wasisock_free(h);
  th_arena_free(&a);
  w->ok = 1;
  return NULL;
}

static void test_instance_independent_threads(void **state) {
  th_server_t s1, s2;
  worker_t w1 = {&s1, 0}, w2 = {&s2, 0};
  pthread_t t1, t2;
  (void)state;

  th_server_start(&s1, AF_INET, SOCK_STREAM, th_serve_echo, NULL);
  th_server_start(&s2, AF_INET, SOCK_STREAM, th_serve_echo, NULL);
  assert_int_equal(pthread_create(&t1, NULL, worker, &w1), 0);
  assert_int_equal(pthread_create(&t2, NULL, worker, &w2), 0);
  assert_int_equal(pthread_join(t1, NULL), 0);
  assert_int_equal(pthread_join(t2, NULL), 0);
  th_server_join(&s1);
  th_server_join(&s2);
  assert_true(w1.ok && w2.ok);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_instance_independent_handles),
      cmocka_unit_test(test_instance_independent_threads),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
