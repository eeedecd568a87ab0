/* The tracer: wasisock_config_t.on_call sees every call made through the
 * import table, and wasisock_call_format writes each as one strace-style
 * line — constants by name, addresses as text, data, out-params once the
 * call succeeded, the errno by name, the time, and the policy's denial. */
#include "helpers.h"
#include "policy-helpers.h"

#define MAX_LINES 64

typedef struct recorder {
  int n;
  char line[MAX_LINES][512];
  uint64_t ns[MAX_LINES];
  size_t need[MAX_LINES];
} recorder_t;

/* The expected lines spell the first two handles, 1024 and 1025. */
_Static_assert(WASISOCK_FIRST_HANDLE == 1024, "the expected lines' handles");

static void record(void *data, const wasisock_call_t *call) {
  recorder_t *r = data;

  assert_non_null(call->import);
  if (r->n >= MAX_LINES)
    return;
  r->need[r->n] = wasisock_call_format(call, r->line[r->n], sizeof(r->line[0]));
  r->ns[r->n] = call->duration_ns;
  r->n++;
}

static wasisock_t *traced(recorder_t *r, const wasisock_policy_t *p) {
  wasisock_config_t cfg;
  wasisock_t *h = NULL;

  memset(r, 0, sizeof(*r));
  wasisock_config_init(&cfg);
  cfg.policy = p;
  cfg.on_call = record;
  cfg.on_call_data = r;
  assert_int_equal(wasisock_new(&cfg, &h), WASISOCK_OK);
  return h;
}

/* An import called the way adapters call it: through its table row. */
static int32_t call(wasisock_t *h, th_arena_t *a, const char *name, ...) {
  const wasisock_import_t *row = wasisock_import_find(name);
  uint32_t args[8] = {0};
  va_list ap;
  uint32_t i;

  assert_non_null(row);
  va_start(ap, name);
  for (i = 0; i < row->nparams; i++)
    args[i] = va_arg(ap, uint32_t);
  va_end(ap);
  return row->call(h, &a->mem, args);
}

/* Line i without its time, which is checked for its shape: " <S.UUUUUU>". */
static void expect_line(recorder_t *r, int i, const char *expected) {
  char *t;
  size_t k;

  assert_true(i < r->n);
  t = strstr(r->line[i], " <");
  assert_non_null(t);
  for (k = 2; t[k] != '.'; k++)
    assert_true(t[k] >= '0' && t[k] <= '9');
  for (k++; t[k] != '>'; k++)
    assert_true(t[k] >= '0' && t[k] <= '9');
  assert_int_equal(strlen(r->line[i]), r->need[i]);
  /* What follows the time (a denial) is compared too. */
  {
    char without[512];
    snprintf(without, sizeof(without), "%.*s%s", (int)(t - r->line[i]),
             r->line[i], t + k + 1);
    if (strcmp(without, expected) != 0)
      fail_msg("line %d:\n  expected %s\n  got      %s", i, expected, without);
  }
}

static void test_trace_tcp_session(void **state) {
  recorder_t r;
  wasisock_t *h = traced(&r, NULL);
  wasisock_addr_t any = tp_addr("127.0.0.1", 0), local;
  char line[256];
  th_arena_t a;
  uint32_t l, k;
  int c;
  uint8_t buf[8];
  (void)state;

  th_arena_init(&a, 65536);
  assert_int_equal(call(h, &a, "sock_abi_version", TH_OUT), WASISOCK_OK);
  assert_int_equal(
      call(h, &a, "sock_open", WASISOCK_AF_INET, WASISOCK_SOCK_STREAM, TH_OUT),
      WASISOCK_OK);
  l = th_u32(&a, TH_OUT);
  assert_int_equal(call(h, &a, "sock_setsockopt", l, WASISOCK_SOL_SOCKET,
                        WASISOCK_SO_REUSEADDR, 1),
                   WASISOCK_OK);
  wasisock_addr_write(th_at(&a, TH_ADDR), &any);
  assert_int_equal(call(h, &a, "sock_bind", l, TH_ADDR), WASISOCK_OK);
  assert_int_equal(call(h, &a, "sock_listen", l, 16), WASISOCK_OK);
  assert_int_equal(call(h, &a, "sock_local_addr", l, TH_ADDR), WASISOCK_OK);
  assert_int_equal(wasisock_addr_read(th_at(&a, TH_ADDR), &local), 0);
  c = th_native_connect(AF_INET, local.port, NULL);
  assert_int_equal(call(h, &a, "sock_accept", l, TH_OUT, TH_ADDR + 32),
                   WASISOCK_OK);
  k = th_u32(&a, TH_OUT);
  memcpy(th_at(&a, TH_DATA), "GET / HTTP/1.0\r\n\r\n", 18);
  assert_int_equal(call(h, &a, "sock_send", k, TH_DATA, 18, TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(recv(c, buf, 4, MSG_WAITALL), 4);
  th_fd_write_all(c, (const uint8_t *)"ok\x01", 3);
  assert_int_equal(call(h, &a, "sock_recv", k, TH_DATA, 4096, TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(call(h, &a, "sock_set_timeout", k, 5000), WASISOCK_OK);
  assert_int_equal(call(h, &a, "sock_get_timeout", l, TH_OUT), WASISOCK_OK);
  assert_int_equal(call(h, &a, "sock_getsockopt", k, WASISOCK_IPPROTO_TCP,
                        WASISOCK_TCP_NODELAY, TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(call(h, &a, "sock_shutdown", k, WASISOCK_SHUT_WR),
                   WASISOCK_OK);
  /* A poll record: handle k, POLLIN | POLLOUT. */
  wasisock_u32_write(th_at(&a, TH_DATA), k);
  wasisock_u16_write(th_at(&a, TH_DATA + 4),
                     WASISOCK_POLLIN | WASISOCK_POLLOUT);
  wasisock_u16_write(th_at(&a, TH_DATA + 6), 0);
  assert_int_equal(call(h, &a, "sock_poll", TH_DATA, 1, 0, TH_OUT2),
                   WASISOCK_OK);
  assert_int_equal(call(h, &a, "sock_close", k), WASISOCK_OK);
  assert_int_equal(call(h, &a, "sock_close", k), WASISOCK_EBADF);
  assert_int_equal(call(h, &a, "sock_connect", l, 0xffffff00u),
                   WASISOCK_EFAULT);

  snprintf(line, sizeof(line), "sock_abi_version([%d]) = 0",
           WASISOCK_ABI_REVISION);
  expect_line(&r, 0, line);
  expect_line(&r, 1, "sock_open(AF_INET, SOCK_STREAM, [1024]) = 0");
  expect_line(&r, 2, "sock_setsockopt(1024, SOL_SOCKET, SO_REUSEADDR, 1) = 0");
  expect_line(&r, 3, "sock_bind(1024, 127.0.0.1:0) = 0");
  expect_line(&r, 4, "sock_listen(1024, 16) = 0");
  snprintf(line, sizeof(line), "sock_local_addr(1024, 127.0.0.1:%u) = 0",
           (unsigned)local.port);
  expect_line(&r, 5, line);
  assert_non_null(strstr(r.line[6], "sock_accept(1024, [1025], 127.0.0.1:"));
  expect_line(&r, 7,
              "sock_send(1025, \"GET / HTTP/1.0\\r\\n\\r\\n\", 18, [18]) = 0");
  expect_line(&r, 8, "sock_recv(1025, \"ok\\x01\", 4096, [3]) = 0");
  expect_line(&r, 9, "sock_set_timeout(1025, 5000) = 0");
  expect_line(&r, 10, "sock_get_timeout(1024, [NONE]) = 0");
  expect_line(&r, 11,
              "sock_getsockopt(1025, IPPROTO_TCP, TCP_NODELAY, [0]) = 0");
  expect_line(&r, 12, "sock_shutdown(1025, SHUT_WR) = 0");
  expect_line(&r, 13,
              "sock_poll([{1025, POLLIN|POLLOUT, revents=POLLOUT}], "
              "1, 0, [1]) = 0");
  expect_line(&r, 14, "sock_close(1025) = 0");
  expect_line(&r, 15, "sock_close(1025) = EBADF (Bad file descriptor)");
  expect_line(&r, 16, "sock_connect(1024, 0xffffff00) = EFAULT (Bad address)");
  assert_int_equal(r.n, 17);

  /* The typed functions are the embedder's own calls: not traced. */
  assert_int_equal(wasisock_sock_close(h, &a.mem, l), WASISOCK_OK);
  assert_int_equal(r.n, 17);
  close(c);
  th_arena_free(&a);
  wasisock_free(h);
}

/* Names, address lists, datagrams with their peers, flags. */
static void test_trace_resolve_and_udp(void **state) {
  recorder_t r;
  wasisock_t *h = traced(&r, NULL);
  wasisock_addr_t to;
  th_arena_t a;
  uint32_t u;
  char line[256];
  uint16_t port;
  (void)state;

  th_arena_init(&a, 65536);
  memcpy(th_at(&a, TH_NAME), "127.0.0.1", 9);
  assert_int_equal(
      call(h, &a, "sock_resolve", TH_NAME, 9, 53, TH_DATA, 4, TH_OUT),
      WASISOCK_OK);
  expect_line(&r, 0,
              "sock_resolve(\"127.0.0.1\", 9, 53, [127.0.0.1:53], 4, "
              "[1]) = 0");
  u = th_open(h, &a, AF_INET, SOCK_DGRAM);
  port = th_bind_loopback(h, &a, u, AF_INET);
  to = tp_addr("127.0.0.1", port);
  wasisock_addr_write(th_at(&a, TH_ADDR), &to);
  memcpy(th_at(&a, TH_DATA), "\0\1ping", 6);
  assert_int_equal(
      call(h, &a, "sock_send_to", u, TH_DATA, 6, 0, TH_ADDR, TH_OUT),
      WASISOCK_OK);
  assert_int_equal(call(h, &a, "sock_recv_from", u, TH_DATA + 100, 64,
                        WASISOCK_MSG_PEEK, TH_ADDR + 32, TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(call(h, &a, "sock_recv_from", u, TH_DATA + 100, 64,
                        WASISOCK_MSG_PEEK | WASISOCK_MSG_WAITALL | 0x40,
                        TH_ADDR + 32, TH_OUT),
                   WASISOCK_EINVAL);
  snprintf(line, sizeof(line),
           "sock_send_to(%u, \"\\x00\\x01ping\", 6, 0, 127.0.0.1:%u, [6]) = 0",
           (unsigned)u, (unsigned)port);
  expect_line(&r, 1, line);
  snprintf(line, sizeof(line),
           "sock_recv_from(%u, \"\\x00\\x01ping\", 64, MSG_PEEK, "
           "127.0.0.1:%u, [6]) = 0",
           (unsigned)u, (unsigned)port);
  expect_line(&r, 2, line);
  snprintf(line, sizeof(line),
           "sock_recv_from(%u, 0x%x, 64, MSG_PEEK|MSG_WAITALL|0x40, 0x%x, "
           "0x%x) = EINVAL (Invalid argument)",
           (unsigned)u, TH_DATA + 100, TH_ADDR + 32, TH_OUT);
  expect_line(&r, 3, line);
  th_arena_free(&a);
  wasisock_free(h);
}

/* Long data is cut at 32 bytes; a small buffer gets a terminated prefix and
 * the length the whole line needs. */
static void test_trace_cut(void **state) {
  recorder_t r;
  wasisock_t *h = traced(&r, NULL);
  th_arena_t a;
  uint32_t k;
  int fd;
  char small[8];
  wasisock_call_t c;
  uint32_t args[4];
  (void)state;

  th_arena_init(&a, 65536);
  th_tcp_pair(h, &a, AF_INET, &k, &fd);
  memset(th_at(&a, TH_DATA), 'x', 100);
  assert_int_equal(call(h, &a, "sock_send", k, TH_DATA, 100, TH_OUT),
                   WASISOCK_OK);
  assert_non_null(strstr(r.line[0], "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"..., "
                                    "100, [100]) = 0"));
  memset(&c, 0, sizeof(c));
  args[0] = k;
  args[1] = TH_DATA;
  args[2] = 100;
  args[3] = TH_OUT;
  c.import = wasisock_import_find("sock_send");
  c.args = args;
  c.mem = &a.mem;
  memset(small, '#', sizeof(small));
  assert_int_equal(wasisock_call_format(&c, small, sizeof(small)), r.need[0]);
  assert_string_equal(small, "sock_se");
  assert_int_equal(wasisock_call_format(&c, NULL, 0), r.need[0]);
  assert_int_equal(wasisock_call_format(NULL, small, sizeof(small)), 0);
  assert_string_equal(small, "");
  /* Several denials in one call (a lookup with hidden addresses): the first
   * and how many more. */
  c.result = WASISOCK_EACCES;
  c.duration_ns = 1234567891;
  c.denials = 3;
  c.denial = "hid 10.0.0.1:80 from the lookup of \"x\" by default deny";
  (void)wasisock_call_format(&c, r.line[1], sizeof(r.line[1]));
  assert_non_null(strstr(r.line[1],
                         ") = EACCES (Permission denied) "
                         "<1.234567> (hid 10.0.0.1:80 from the "
                         "lookup of \"x\" by default deny; 2 more)"));
  close(fd);
  th_arena_free(&a);
  wasisock_free(h);
}

/* A refused call ends with the policy's denial; a lookup with hidden
 * addresses says how many more. */
static void test_trace_denials(void **state) {
  static const char *const rules[] = {"default deny", NULL};
  wasisock_policy_t *p = tp_policy(rules);
  recorder_t r;
  wasisock_t *h = traced(&r, p);
  wasisock_addr_t to = tp_addr("10.0.0.1", 80);
  th_arena_t a;
  (void)state;

  th_arena_init(&a, 4096);
  assert_int_equal(
      call(h, &a, "sock_open", WASISOCK_AF_INET, WASISOCK_SOCK_STREAM, TH_OUT),
      WASISOCK_OK);
  wasisock_addr_write(th_at(&a, TH_ADDR), &to);
  assert_int_equal(call(h, &a, "sock_connect", WASISOCK_FIRST_HANDLE, TH_ADDR),
                   WASISOCK_EACCES);
  expect_line(&r, 1,
              "sock_connect(1024, 10.0.0.1:80) = EACCES (Permission "
              "denied) (denied connect 10.0.0.1:80 by default deny)");
  memcpy(th_at(&a, TH_NAME), "localhost", 9);
  assert_int_equal(
      call(h, &a, "sock_resolve", TH_NAME, 9, 80, TH_DATA, 4, TH_OUT),
      WASISOCK_EACCES);
  expect_line(&r, 2,
              "sock_resolve(\"localhost\", 9, 80, 0x400, 4, 0x0) = "
              "EACCES (Permission denied) (denied resolve "
              "\"localhost\" by default deny)");
  /* The next call starts with no denial. */
  assert_int_equal(call(h, &a, "sock_close", WASISOCK_FIRST_HANDLE),
                   WASISOCK_OK);
  expect_line(&r, 3, "sock_close(1024) = 0");
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
}

/* An address hidden from a lookup is a denial of the call too. */
static void test_trace_hidden_addresses(void **state) {
  static const char *const rules[] = {"allow resolve localhost", "default deny",
                                      NULL};
  wasisock_policy_t *p = tp_policy(rules);
  recorder_t r;
  wasisock_t *h = traced(&r, p);
  th_arena_t a;
  int32_t res;
  (void)state;

  th_arena_init(&a, 4096);
  memcpy(th_at(&a, TH_NAME), "localhost", 9);
  res = call(h, &a, "sock_resolve", TH_NAME, 9, 80, TH_DATA, 4, TH_OUT);
  assert_int_equal(res, WASISOCK_EACCES); /* every address hidden */
  assert_non_null(strstr(r.line[0], "(hid 127.0.0.1:80 from the lookup of "
                                    "\"localhost\" by default deny"));
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
}

/* Every row of the table has its argument kinds (no "?"), whatever the
 * arguments point at; the duration is measured. */
static void test_trace_every_import(void **state) {
  recorder_t r;
  wasisock_t *h = traced(&r, NULL);
  const wasisock_import_t *t;
  uint32_t args[8];
  th_arena_t a;
  size_t n, i, j;
  (void)state;

  th_arena_init(&a, 4096);
  t = wasisock_import_table(&n);
  for (i = 0; i < n; i++) {
    for (j = 0; j < 8; j++)
      args[j] = j % 2 ? 0xfffffff0u : 7;
    r.n = 0;
    if (strcmp(t[i].name, "sock_poll") == 0)
      args[2] = 0; /* no wait */
    (void)t[i].call(h, &a.mem, args);
    assert_int_equal(r.n, 1);
    if (strncmp(r.line[0], t[i].name, strlen(t[i].name)) != 0 ||
        strchr(r.line[0], '?') != NULL)
      fail_msg("%s: %s", t[i].name, r.line[0]);
  }
  /* A poll of 50 ms takes at least that. */
  r.n = 0;
  assert_int_equal(call(h, &a, "sock_poll", 0, 0, 50, TH_OUT), WASISOCK_OK);
  assert_true(r.ns[0] >= 50u * 1000000u);
  th_arena_free(&a);
  wasisock_free(h);
}

/* Option values read as the option means them: SO_TYPE by name, SO_ERROR
 * as the pending error's name (a non-blocking connect refused). */
static void test_trace_option_values(void **state) {
  recorder_t r;
  wasisock_t *h = traced(&r, NULL);
  wasisock_addr_t to;
  th_arena_t a;
  uint16_t port;
  uint32_t k;
  int fd = th_native_bound(AF_INET, SOCK_STREAM, &port);
  (void)state;

  th_arena_init(&a, 4096);
  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  th_loopback_addr(AF_INET, port, &to);
  wasisock_addr_write(th_at(&a, TH_ADDR), &to);
  assert_int_equal(call(h, &a, "sock_getsockopt", k, WASISOCK_SOL_SOCKET,
                        WASISOCK_SO_TYPE, TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(call(h, &a, "sock_set_timeout", k, 0), WASISOCK_OK);
  (void)call(h, &a, "sock_connect", k, TH_ADDR); /* EINPROGRESS or refused */
  wasisock_u32_write(th_at(&a, TH_DATA), k);
  wasisock_u16_write(th_at(&a, TH_DATA + 4), WASISOCK_POLLOUT);
  wasisock_u16_write(th_at(&a, TH_DATA + 6), 0);
  assert_int_equal(call(h, &a, "sock_poll", TH_DATA, 1, 5000, TH_OUT2),
                   WASISOCK_OK);
  assert_int_equal(call(h, &a, "sock_getsockopt", k, WASISOCK_SOL_SOCKET,
                        WASISOCK_SO_ERROR, TH_OUT),
                   WASISOCK_OK);
  expect_line(&r, 0, "sock_getsockopt(1024, SOL_SOCKET, SO_TYPE, "
                     "[SOCK_STREAM]) = 0");
  if (strstr(r.line[2], "EINPROGRESS") != NULL)
    expect_line(&r, 4, "sock_getsockopt(1024, SOL_SOCKET, SO_ERROR, "
                       "[ECONNREFUSED]) = 0");
  else /* refused at once (loopback): nothing pending afterwards */
    expect_line(&r, 4, "sock_getsockopt(1024, SOL_SOCKET, SO_ERROR, [0]) = 0");
  close(fd);
  th_arena_free(&a);
  wasisock_free(h);
}

/* The ready-made writer: one line per call, newline-terminated, to an fd. */
static void test_trace_write_fd(void **state) {
  wasisock_config_t cfg;
  wasisock_t *h = NULL;
  th_arena_t a;
  char buf[512], want[64];
  int fds[2];
  ssize_t n;
  (void)state;

  th_arena_init(&a, 4096);
  assert_int_equal(pipe(fds), 0);
  wasisock_config_init(&cfg);
  cfg.on_call = wasisock_call_write;
  cfg.on_call_data = &fds[1];
  assert_int_equal(wasisock_new(&cfg, &h), WASISOCK_OK);
  assert_int_equal(call(h, &a, "sock_close", 5000), WASISOCK_EBADF);
  assert_int_equal(call(h, &a, "sock_abi_version", TH_OUT), WASISOCK_OK);
  n = read(fds[0], buf, sizeof(buf) - 1);
  assert_true(n > 0);
  buf[n] = '\0';
  assert_non_null(
      strstr(buf, "sock_close(5000) = EBADF (Bad file descriptor) <"));
  snprintf(want, sizeof(want), ">\nsock_abi_version([%d]) = 0 <",
           WASISOCK_ABI_REVISION);
  assert_non_null(strstr(buf, want));
  assert_int_equal(buf[n - 1], '\n');
  wasisock_call_write(NULL, NULL); /* nothing to do, no crash */
  close(fds[0]);
  close(fds[1]);
  th_arena_free(&a);
  wasisock_free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_trace_tcp_session),
      cmocka_unit_test(test_trace_resolve_and_udp),
      cmocka_unit_test(test_trace_cut),
      cmocka_unit_test(test_trace_denials),
      cmocka_unit_test(test_trace_hidden_addresses),
      cmocka_unit_test(test_trace_every_import),
      cmocka_unit_test(test_trace_option_values),
      cmocka_unit_test(test_trace_write_fd),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
