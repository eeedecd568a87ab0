/* max_sockets → EMFILE; the lowest free handle is reused. */
#include "helpers.h"

#include <stdio.h>
#include <sys/resource.h>

static void test_handle_emfile_at_limit(void **state) {
  wasisock_t *h = th_new(3);
  th_arena_t a;
  int before;
  (void)state;

  th_arena_init(&a, 4096);
  assert_int_equal(th_open(h, &a, AF_INET, SOCK_STREAM), WASISOCK_FIRST_HANDLE);
  assert_int_equal(th_open(h, &a, AF_INET, SOCK_DGRAM),
                   WASISOCK_FIRST_HANDLE + 1);
  assert_int_equal(th_open(h, &a, AF_INET6, SOCK_STREAM), 1026);
  wasisock_u32_write(th_at(&a, TH_OUT), 0xDEADBEEF);
  before = th_count_fds();
  assert_int_equal(
      wasisock_sock_open(h, &a.mem, WASISOCK_AF_INET, WASISOCK_SOCK_STREAM, TH_OUT),
      WASISOCK_EMFILE);
  assert_int_equal(th_u32(&a, TH_OUT), 0xDEADBEEF); /* not written */
  assert_int_equal(th_count_fds(), before);         /* no socket made */

  /* Lowest free first. */
  th_close(h, &a, WASISOCK_FIRST_HANDLE + 1);
  th_close(h, &a, WASISOCK_FIRST_HANDLE);
  assert_int_equal(th_open(h, &a, AF_INET, SOCK_STREAM), WASISOCK_FIRST_HANDLE);
  assert_int_equal(th_open(h, &a, AF_INET, SOCK_STREAM),
                   WASISOCK_FIRST_HANDLE + 1);
  assert_int_equal(
      wasisock_sock_open(h, &a.mem, WASISOCK_AF_INET, WASISOCK_SOCK_DGRAM, TH_OUT),
      WASISOCK_EMFILE);
  th_arena_free(&a);
  wasisock_free(h);
}

/* The default limit is 1024, and the table grows past its first slots. */
static void test_handle_emfile_default(void **state) {
  wasisock_t *h = th_new(0);
  th_arena_t a;
  uint32_t i;
  (void)state;

  /* 1024 sockets need RLIMIT_NOFILE above 1024 (often the soft limit). */
  struct rlimit rl;
  assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
  if (rl.rlim_cur < 1200 && rl.rlim_max >= 1200) {
    rl.rlim_cur = 1200;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
  }
  if (rl.rlim_cur < 1200) {
    printf("skipped: RLIMIT_NOFILE hard limit %lu < 1200\n",
           (unsigned long)rl.rlim_max);
    wasisock_free(h);
    skip();
  }
  th_arena_init(&a, 4096);
  for (i = 0; i < 1024; i++) {
    int32_t r = wasisock_sock_open(h, &a.mem, WASISOCK_AF_INET,
                                   WASISOCK_SOCK_DGRAM, TH_OUT);
    assert_int_equal(r, WASISOCK_OK);
    assert_int_equal(th_u32(&a, TH_OUT), WASISOCK_FIRST_HANDLE + i);
  }
  assert_int_equal(wasisock_sock_open(h, &a.mem, WASISOCK_AF_INET,
                                      WASISOCK_SOCK_DGRAM, TH_OUT),
                   WASISOCK_EMFILE);
  th_close(h, &a, 1500);
  assert_int_equal(th_open(h, &a, AF_INET, SOCK_DGRAM), 1500);
  th_arena_free(&a);
  wasisock_free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_handle_emfile_at_limit),
      cmocka_unit_test(test_handle_emfile_default),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
