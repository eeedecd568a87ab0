/* NULL host, NULL memory view, or a view with no base: EINVAL from every
 * call, never a crash.  Every row of the import table is fed both. */
#include "helpers.h"

static void test_null_every_import(void **state) {
  const wasisock_import_t *t;
  uint32_t args[16] = {0};
  wasisock_mem_t nobase = {NULL, 4096};
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  size_t n, i;

  t = wasisock_import_table(&n);
  for (i = 0; i < n; i++) {
    assert_true(t[i].nparams <= 16);
    assert_int_equal(t[i].call(NULL, &a->mem, args), WASISOCK_EINVAL);
    assert_int_equal(t[i].call(h, NULL, args), WASISOCK_EINVAL);
    assert_int_equal(t[i].call(h, &nobase, args), WASISOCK_EINVAL);
    assert_int_equal(t[i].call(NULL, NULL, args), WASISOCK_EINVAL);
  }
}

static void test_null_typed_functions(void **state) {
  th_arena_t *a = th_arena(state);
  wasisock_t *h = th_host(state);

  assert_int_equal(wasisock_sock_abi_version(NULL, &a->mem, 0),
                   WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_abi_version(h, NULL, 0), WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_open(NULL, &a->mem, 1, 6, 0), WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_open(h, NULL, 1, 6, 0), WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_resolve(NULL, &a->mem, 0, 1, 0, 0, 0, 0),
                   WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_resolve(h, NULL, 0, 1, 0, 0, 0, 0),
                   WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_connect(NULL, &a->mem, 1024, 0),
                   WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_connect(h, NULL, 1024, 0), WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_send(NULL, &a->mem, 1024, 0, 0, 0),
                   WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_send(h, NULL, 1024, 0, 0, 0), WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_recv(NULL, &a->mem, 1024, 0, 0, 0),
                   WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_recv(h, NULL, 1024, 0, 0, 0), WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_close(NULL, &a->mem, 1024), WASISOCK_EINVAL);
  assert_int_equal(wasisock_sock_close(h, NULL, 1024), WASISOCK_EINVAL);
  /* Nothing was written. */
  assert_int_equal(th_at(a, 0)[0], TH_FILL_BYTE);
}

/* A memory of size 0 is a valid view: every pointer in it is EFAULT. */
static void test_null_empty_memory(void **state) {
  wasisock_mem_t empty = {NULL, 0};
  wasisock_t *h = th_new(0);
  (void)state;
  assert_int_equal(wasisock_sock_abi_version(h, &empty, 0), WASISOCK_EFAULT);
  assert_int_equal(wasisock_sock_open(h, &empty, 1, 6, 0), WASISOCK_EFAULT);
  assert_int_equal(wasisock_sock_close(h, &empty, 1024), WASISOCK_EBADF);
  wasisock_free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_null_every_import, 4096),
      th_unit_test(test_null_typed_functions, 4096),
      cmocka_unit_test(test_null_empty_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
