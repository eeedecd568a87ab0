/* wasisock_import_table / wasisock_import_find and the trampolines. */
#include "helpers.h"

#include <string.h>

/* The rows the contract lists, generated from the same X-macro. */
static const struct {
  const char *name;
  uint32_t nparams, revision;
} expected[] = {
#define ROW(name, n, rev, params) {#name, n, rev},
    WASISOCK_IMPORT_LIST(ROW)
#undef ROW
};
#define NEXPECTED (sizeof(expected) / sizeof(expected[0]))

static void test_import_table_matches_list(void **state) {
  const wasisock_import_t *t;
  size_t n = 0, i;
  (void)state;

  t = wasisock_import_table(&n);
  assert_non_null(t);
  assert_int_equal(n, NEXPECTED);
  /* 7 of revision 1, 13 of revision 2, 2 of revision 3 */
  assert_int_equal(n, 22);
  for (i = 0; i < n; i++) {
    assert_int_equal(t[i].revision, i < 7 ? 1 : i < 20 ? 2 : 3);
    assert_string_equal(t[i].name, expected[i].name);
    assert_int_equal(t[i].nparams, expected[i].nparams);
    assert_int_equal(t[i].revision, expected[i].revision);
    assert_true(t[i].revision >= 1 && t[i].revision <= WASISOCK_ABI_REVISION);
    assert_non_null(t[i].call);
    assert_ptr_equal(wasisock_import_find(t[i].name), &t[i]);
  }
  assert_ptr_equal(wasisock_import_table(NULL), t);
}

static void test_import_table_signatures(void **state) {
  const wasisock_import_t *t;
  size_t n, i, commas;
  const char *p;
  (void)state;

  t = wasisock_import_table(&n);
  for (i = 0; i < n; i++) {
    /* "(i32, ..., i32) -> i32" with nparams i32 parameters. */
    assert_int_equal(t[i].signature[0], '(');
    assert_non_null(strstr(t[i].signature, ") -> i32"));
    for (commas = 0, p = t[i].signature; *p; p++)
      commas += *p == ',';
    assert_int_equal(commas + 1, t[i].nparams);
  }
  assert_string_equal(wasisock_import_find("sock_open")->signature,
                      "(i32, i32, i32) -> i32");
  assert_string_equal(wasisock_import_find("sock_resolve")->signature,
                      "(i32, i32, i32, i32, i32, i32) -> i32");
  assert_string_equal(wasisock_import_find("sock_close")->signature,
                      "(i32) -> i32");
  assert_string_equal(wasisock_import_find("sock_send_to")->signature,
                      "(i32, i32, i32, i32, i32, i32) -> i32");
  assert_string_equal(wasisock_import_find("sock_poll")->signature,
                      "(i32, i32, i32, i32) -> i32");
  assert_int_equal(wasisock_import_find("sock_poll")->revision, 2);
}

/* The parameter descriptions: names and kinds as the list gives them. */
static void test_import_table_params(void **state) {
  const wasisock_import_t *r;
  (void)state;

  r = wasisock_import_find("sock_send_to");
  assert_string_equal(r->params[0].name, "handle");
  assert_int_equal(r->params[0].kind, WASISOCK_PARAM_HANDLE);
  assert_int_equal(r->params[0].size, 0);
  assert_string_equal(r->params[1].name, "buf");
  assert_int_equal(r->params[1].kind, WASISOCK_PARAM_BYTES_IN);
  assert_int_equal(r->params[1].size, 1);
  assert_int_equal(r->params[1].counted, 1);
  assert_int_equal(r->params[1].access, 1);
  assert_int_equal(r->params[2].kind, WASISOCK_PARAM_LEN);
  assert_int_equal(r->params[3].kind, WASISOCK_PARAM_VALUE);
  assert_int_equal(r->params[4].kind, WASISOCK_PARAM_ADDR_IN);
  assert_int_equal(r->params[4].size, WASISOCK_ADDR_SIZE);
  assert_int_equal(r->params[4].counted, 0);
  assert_int_equal(r->params[5].kind, WASISOCK_PARAM_U32_OUT);
  assert_int_equal(r->params[5].size, 4);
  assert_int_equal(r->params[5].access, 2);

  r = wasisock_import_find("sock_resolve");
  assert_int_equal(r->params[3].kind, WASISOCK_PARAM_ADDRS_OUT);
  assert_int_equal(r->params[3].counted, 1);
  assert_string_equal(r->params[4].name, "max_addrs");
  r = wasisock_import_find("sock_poll");
  assert_int_equal(r->params[0].kind, WASISOCK_PARAM_POLL_SUBS);
  assert_int_equal(r->params[0].size, WASISOCK_POLL_SUB_SIZE);
  assert_int_equal(r->params[0].access, 3);

  assert_string_equal(wasisock_param_kind_name(WASISOCK_PARAM_ADDR_OUT),
                      "ADDR_OUT");
  assert_string_equal(wasisock_param_kind_name(WASISOCK_PARAM_HANDLE),
                      "HANDLE");
  assert_string_equal(wasisock_param_kind_name(WASISOCK_PARAM_KIND_COUNT), "?");
  assert_string_equal(wasisock_param_kind_name((wasisock_param_kind_t)-1), "?");
}

static void test_import_find_unknown(void **state) {
  (void)state;
  assert_null(wasisock_import_find("sock_frobnicate"));
  assert_null(wasisock_import_find("sock_accept2"));
  assert_null(wasisock_import_find(""));
  assert_null(wasisock_import_find("SOCK_OPEN"));
  assert_null(wasisock_import_find(NULL));
}

/* The trampolines unpack args[] in order into the typed functions. */
static void test_import_table_calls_through(void **state) {
  const wasisock_import_t *open_row, *close_row, *ver_row;
  wasisock_t *h = th_host(state);
  uint32_t args[3];
  th_arena_t *a = th_arena(state);

  ver_row = wasisock_import_find("sock_abi_version");
  args[0] = 200;
  assert_int_equal(ver_row->call(h, &a->mem, args), WASISOCK_OK);
  assert_int_equal(th_u32(a, 200), WASISOCK_ABI_REVISION);

  open_row = wasisock_import_find("sock_open");
  args[0] = WASISOCK_AF_INET;
  args[1] = WASISOCK_SOCK_STREAM;
  args[2] = 300;
  assert_int_equal(open_row->call(h, &a->mem, args), WASISOCK_OK);
  assert_int_equal(th_u32(a, 300), WASISOCK_FIRST_HANDLE);
  args[1] = 99; /* socktype is args[1] */
  assert_int_equal(open_row->call(h, &a->mem, args), WASISOCK_EPROTOTYPE);
  args[0] = 99; args[1] = WASISOCK_SOCK_STREAM; /* af is args[0] */
  assert_int_equal(open_row->call(h, &a->mem, args), WASISOCK_EAFNOSUPPORT);

  close_row = wasisock_import_find("sock_close");
  args[0] = WASISOCK_FIRST_HANDLE;
  assert_int_equal(close_row->call(h, &a->mem, args), WASISOCK_OK);
  assert_int_equal(close_row->call(h, &a->mem, args), WASISOCK_EBADF);
  /* No args array for a call that has parameters: EINVAL, not a crash. */
  assert_int_equal(close_row->call(h, &a->mem, NULL), WASISOCK_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_import_table_matches_list),
      cmocka_unit_test(test_import_table_signatures),
      cmocka_unit_test(test_import_table_params),
      cmocka_unit_test(test_import_find_unknown),
      th_unit_test(test_import_table_calls_through, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
