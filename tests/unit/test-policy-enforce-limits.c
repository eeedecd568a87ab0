/* The policy's limits: max-sockets (EMFILE at the lower of the policy's and
 * the config's limit, before any socket is made) and max-buffer (the kernel
 * send and receive buffers of every socket the guest opens).  Internal: it
 * reads the native fd behind a handle to ask the kernel. */
#include "helpers.h"
#include "policy-helpers.h"

#include "internal.h"

#include <stdio.h>

static int32_t open_sock(wasisock_t *h, th_arena_t *a, uint32_t af,
                         uint32_t type) {
  return wasisock_sock_open(h, &a->mem, af, type, TH_OUT);
}

static void test_limits_policy_max_sockets(void **state) {
  tp_recorder_t rec = {0};
  const char *lines[] = {"max-sockets 2", NULL};
  wasisock_policy_t *p = tp_policy(lines);
  wasisock_t *h = tp_new(p, &rec, 0); /* config: the default 1024 */
  th_arena_t a;
  int before;
  (void)state;

  th_arena_init(&a, 4096);
  assert_int_equal(th_open(h, &a, AF_INET, SOCK_STREAM), WASISOCK_FIRST_HANDLE);
  assert_int_equal(th_open(h, &a, AF_INET, SOCK_DGRAM),
                   WASISOCK_FIRST_HANDLE + 1);
  wasisock_u32_write(th_at(&a, TH_OUT), 0xDEADBEEF);
  before = th_count_fds();
  assert_int_equal(open_sock(h, &a, WASISOCK_AF_INET, WASISOCK_SOCK_STREAM),
                   WASISOCK_EMFILE);
  assert_int_equal(th_u32(&a, TH_OUT), 0xDEADBEEF); /* not written */
  assert_int_equal(th_count_fds(), before);         /* no socket made */
  assert_int_equal(rec.count, 0); /* a limit, not a denial: not reported */
  /* Closing one makes room again. */
  th_close(h, &a, WASISOCK_FIRST_HANDLE);
  assert_int_equal(th_open(h, &a, AF_INET6, SOCK_STREAM),
                   WASISOCK_FIRST_HANDLE);
  assert_int_equal(open_sock(h, &a, WASISOCK_AF_INET, WASISOCK_SOCK_DGRAM),
                   WASISOCK_EMFILE);
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
}

/* The lower of the two limits wins, whichever sets it. */
static void test_limits_lower_wins(void **state) {
  const char *five[] = {"max-sockets 5", NULL};
  const char *zero[] = {"max-sockets 0", NULL};
  wasisock_policy_t *p5 = tp_policy(five), *p0 = tp_policy(zero);
  wasisock_t *h;
  th_arena_t a;
  (void)state;

  th_arena_init(&a, 4096);
  h = tp_new(p5, NULL, 1);
  assert_int_equal(th_open(h, &a, AF_INET, SOCK_STREAM), WASISOCK_FIRST_HANDLE);
  assert_int_equal(open_sock(h, &a, WASISOCK_AF_INET, WASISOCK_SOCK_STREAM),
                   WASISOCK_EMFILE);
  wasisock_free(h);

  /* max-sockets 0: no socket at all (a config of 0 would be EINVAL). */
  h = tp_new(p0, NULL, 0);
  assert_int_equal(open_sock(h, &a, WASISOCK_AF_INET, WASISOCK_SOCK_STREAM),
                   WASISOCK_EMFILE);
  /* Argument errors still come first. */
  assert_int_equal(open_sock(h, &a, 77, WASISOCK_SOCK_STREAM),
                   WASISOCK_EAFNOSUPPORT);
  wasisock_free(h);
  th_arena_free(&a);
  wasisock_policy_free(p5);
  wasisock_policy_free(p0);
}

static int sockopt(wasisock_t *h, uint32_t handle, int name) {
  wasisock__sock_t *s = NULL;
  socklen_t len = sizeof(int);
  int v = -1;

  assert_int_equal(wasisock__handle_get(h, handle, &s), WASISOCK_OK);
  assert_int_equal(getsockopt(s->fd, SOL_SOCKET, name, &v, &len), 0);
  return v;
}

/* max-buffer fixes each socket's kernel buffers; Linux reports (and
 * reserves) twice what was asked. */
static void test_limits_max_buffer(void **state) {
  const char *lines[] = {"max-buffer 16k", NULL};
  wasisock_policy_t *p = tp_policy(lines);
  wasisock_t *h = tp_new(p, NULL, 0), *plain = tp_new(NULL, NULL, 0);
  th_arena_t a;
  uint32_t k;
  int type;
  (void)state;

  th_arena_init(&a, 4096);
  for (type = 0; type < 2; type++) {
    int st = type == 0 ? SOCK_STREAM : SOCK_DGRAM;
    k = th_open(h, &a, AF_INET, st);
    assert_int_equal(sockopt(h, k, SO_RCVBUF), 2 * 16384);
    assert_int_equal(sockopt(h, k, SO_SNDBUF), 2 * 16384);
    th_close(h, &a, k);
  }
  /* Without a policy the kernel's defaults stay (larger than that here). */
  k = th_open(plain, &a, AF_INET, SOCK_STREAM);
  assert_true(sockopt(plain, k, SO_RCVBUF) != 2 * 16384);
  th_close(plain, &a, k);
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_free(plain);
  wasisock_policy_free(p);
}

/* Small buffers slow a transfer down, nothing more: 1 MiB echoed intact. */
static void test_limits_small_buffer_transfer(void **state) {
  const uint32_t len = 1 << 20, in = TH_DATA, out = TH_DATA + (1 << 20);
  const char *lines[] = {"max-buffer 4k", NULL};
  wasisock_policy_t *p = tp_policy(lines);
  wasisock_t *h = tp_new(p, NULL, 0);
  th_server_t srv;
  th_arena_t a;
  th_prng_t g;
  uint32_t k, sent = 0, got = 0;
  (void)state;

  th_arena_init(&a, TH_DATA + 2 * len);
  th_prng_init(&g, 7);
  th_prng_fill(&g, th_at(&a, in), len);
  th_server_start(&srv, AF_INET, SOCK_STREAM, th_serve_echo, NULL);
  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  th_connect(h, &a, k, AF_INET, srv.port);
  /* In lock step, so that no side's buffers fill up. */
  while (sent < len) {
    uint32_t chunk = len - sent < 16384 ? len - sent : 16384;
    th_send_all(h, &a, k, in + sent, chunk);
    sent += chunk;
    while (got < sent)
      got += th_recv(h, &a, k, out + got, sent - got);
  }
  assert_memory_equal(th_at(&a, in), th_at(&a, out), len);
  th_close(h, &a, k);
  th_server_join(&srv);
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_limits_policy_max_sockets),
      cmocka_unit_test(test_limits_lower_wins),
      cmocka_unit_test(test_limits_max_buffer),
      cmocka_unit_test(test_limits_small_buffer_transfer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
