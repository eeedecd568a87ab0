/* sock_connect under a network policy, on real loopback listeners: allowed
 * destinations are reached, denied ones get EACCES and never see a SYN (the
 * listener's accept queue stays empty); IPv4-mapped IPv6 and the
 * unspecified address are judged as the IPv4/loopback address they reach. */
#include "helpers.h"
#include "policy-helpers.h"

#include <stdio.h>

static void rule_port(char *buf, size_t len, const char *fmt, uint16_t port) {
  snprintf(buf, len, fmt, (unsigned)port);
}

/* Default deny, one port allowed: that port is reached, the other is not. */
static void test_connect_one_port_allowed(void **state) {
  tp_recorder_t rec = {0};
  wasisock_policy_t *p;
  wasisock_addr_t good, bad;
  uint16_t port_a, port_b;
  int la = tp_listener(AF_INET, &port_a), lb = tp_listener(AF_INET, &port_b);
  char allow[64];
  const char *lines[] = {"default deny", allow, NULL};
  wasisock_t *h;
  th_arena_t a;
  uint32_t k;
  (void)state;

  rule_port(allow, sizeof(allow), "allow connect 127.0.0.1:%u", port_a);
  p = tp_policy(lines);
  h = tp_new(p, &rec, 0);
  th_arena_init(&a, 4096);
  good = tp_addr("127.0.0.1", port_a);
  bad = tp_addr("127.0.0.1", port_b);

  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  assert_int_equal(tp_connect(h, &a, k, &bad), WASISOCK_EACCES);
  assert_int_equal(tp_accept_all(lb, 200), 0); /* no SYN reached B */
  assert_int_equal(rec.count, 1);
  assert_int_equal(rec.d[0].op, WASISOCK_POLICY_CONNECT);
  assert_int_equal(rec.d[0].port, port_b);
  assert_int_equal(rec.d[0].rule_index, -1);
  assert_string_equal(rec.d[0].rule_text, "default deny");

  /* The refused socket is untouched: it still connects where allowed. */
  assert_int_equal(tp_connect(h, &a, k, &good), WASISOCK_OK);
  assert_int_equal(tp_accept_all(la, 5000), 1);
  assert_int_equal(rec.count, 1);
  th_close(h, &a, k);

  /* UDP is checked the same way (no datagram can leave without a peer). */
  k = th_open(h, &a, AF_INET, SOCK_DGRAM);
  assert_int_equal(tp_connect(h, &a, k, &bad), WASISOCK_EACCES);
  assert_int_equal(tp_connect(h, &a, k, &good), WASISOCK_OK);
  th_close(h, &a, k);
  assert_int_equal(rec.count, 2);

  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
  close(la);
  close(lb);
}

/* A deny rule before an allow-all: first match wins. */
static void test_connect_deny_rule_first(void **state) {
  tp_recorder_t rec = {0};
  wasisock_policy_t *p;
  wasisock_addr_t to_a, to_b;
  uint16_t port_a, port_b;
  int la = tp_listener(AF_INET, &port_a), lb = tp_listener(AF_INET, &port_b);
  char deny[64];
  const char *lines[] = {deny, "allow connect *", "default deny", NULL};
  wasisock_t *h;
  th_arena_t a;
  uint32_t k;
  (void)state;

  rule_port(deny, sizeof(deny), "deny connect 127.0.0.0/8:%u", port_b);
  p = tp_policy(lines);
  h = tp_new(p, &rec, 0);
  th_arena_init(&a, 4096);
  to_a = tp_addr("127.0.0.1", port_a);
  to_b = tp_addr("127.0.0.1", port_b);
  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  assert_int_equal(tp_connect(h, &a, k, &to_b), WASISOCK_EACCES);
  assert_int_equal(rec.count, 1);
  assert_int_equal(rec.d[0].rule_index, 0);
  rule_port(deny, sizeof(deny), "deny connect 127.0.0.0/8:%u", port_b);
  assert_string_equal(rec.d[0].rule_text, deny);
  assert_int_equal(tp_connect(h, &a, k, &to_a), WASISOCK_OK);
  assert_int_equal(tp_accept_all(la, 5000), 1);
  assert_int_equal(tp_accept_all(lb, 200), 0);
  th_close(h, &a, k);
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
  close(la);
  close(lb);
}

/* An IPv6 socket dialling ::ffff:127.0.0.1 reaches the IPv4 listener; the
 * policy judges it as 127.0.0.1, both ways. */
static void test_connect_ipv4_mapped(void **state) {
  tp_recorder_t rec = {0};
  wasisock_policy_t *allow_p, *deny_p;
  wasisock_addr_t mapped_a, mapped_b;
  uint16_t port_a, port_b;
  int la, lb;
  char allow[64];
  const char *allow_lines[] = {"default deny", allow, NULL};
  const char *deny_lines[] = {"deny connect 127.0.0.0/8", NULL};
  wasisock_t *h;
  th_arena_t a;
  uint32_t k;
  (void)state;

  if (!th_loopback_available(AF_INET6)) {
    printf("skipped: no IPv6 loopback\n");
    skip();
  }
  la = tp_listener(AF_INET, &port_a);
  lb = tp_listener(AF_INET, &port_b);
  rule_port(allow, sizeof(allow), "allow connect 127.0.0.1:%u", port_a);
  allow_p = tp_policy(allow_lines);
  deny_p = tp_policy(deny_lines);
  th_arena_init(&a, 4096);
  mapped_a = tp_addr("::ffff:127.0.0.1", port_a);
  mapped_b = tp_addr("::ffff:127.0.0.1", port_b);

  /* An IPv4 allow rule allows the mapped form; other ports stay denied. */
  h = tp_new(allow_p, &rec, 0);
  k = th_open(h, &a, AF_INET6, SOCK_STREAM);
  assert_int_equal(tp_connect(h, &a, k, &mapped_b), WASISOCK_EACCES);
  assert_int_equal(tp_accept_all(lb, 200), 0);
  assert_int_equal(tp_connect(h, &a, k, &mapped_a), WASISOCK_OK);
  assert_int_equal(tp_accept_all(la, 5000), 1);
  th_close(h, &a, k);
  wasisock_free(h);
  assert_int_equal(rec.count, 1);
  assert_true(rec.d[0].has_addr);
  assert_int_equal(rec.d[0].addr.family, WASISOCK_AF_INET6); /* as dialled */

  /* An IPv4 deny range denies the mapped form, under a default allow. */
  memset(&rec, 0, sizeof(rec));
  h = tp_new(deny_p, &rec, 0);
  k = th_open(h, &a, AF_INET6, SOCK_STREAM);
  assert_int_equal(tp_connect(h, &a, k, &mapped_a), WASISOCK_EACCES);
  assert_int_equal(tp_accept_all(la, 200), 0);
  assert_int_equal(rec.count, 1);
  assert_string_equal(rec.d[0].rule_text, "deny connect 127.0.0.0/8");
  th_close(h, &a, k);
  wasisock_free(h);

  th_arena_free(&a);
  wasisock_policy_free(allow_p);
  wasisock_policy_free(deny_p);
  close(la);
  close(lb);
}

/* 0.0.0.0 goes to the local host: a loopback deny covers it. */
static void test_connect_unspecified_is_loopback(void **state) {
  tp_recorder_t rec = {0};
  const char *lines[] = {"deny connect 127.0.0.1", NULL};
  wasisock_policy_t *p = tp_policy(lines);
  wasisock_t *h = tp_new(p, &rec, 0);
  wasisock_addr_t any;
  uint16_t port;
  int l = tp_listener(AF_INET, &port);
  th_arena_t a;
  uint32_t k;
  (void)state;

  th_arena_init(&a, 4096);
  any = tp_addr("0.0.0.0", port);
  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  assert_int_equal(tp_connect(h, &a, k, &any), WASISOCK_EACCES);
  assert_int_equal(tp_accept_all(l, 200), 0);
  assert_int_equal(rec.count, 1);
  th_close(h, &a, k);
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
  close(l);
}

/* The contract's error order: EFAULT, the record, the handle and its
 * family come before the policy, which then reports nothing. */
static void test_connect_error_order(void **state) {
  tp_recorder_t rec = {0};
  const char *lines[] = {"default deny", NULL};
  wasisock_policy_t *p = tp_policy(lines);
  wasisock_t *h = tp_new(p, &rec, 0);
  wasisock_addr_t v4 = tp_addr("127.0.0.1", 9), v6 = tp_addr("::1", 9);
  th_arena_t a;
  uint32_t k;
  (void)state;

  th_arena_init(&a, 4096);
  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  assert_int_equal(wasisock_sock_connect(h, &a.mem, k, 4096 - 18),
                   WASISOCK_EFAULT);
  wasisock_addr_write(th_at(&a, TH_ADDR), &v4);
  th_at(&a, TH_ADDR)[0] = 77; /* unknown family */
  assert_int_equal(wasisock_sock_connect(h, &a.mem, k, TH_ADDR),
                   WASISOCK_EAFNOSUPPORT);
  assert_int_equal(tp_connect(h, &a, 4242, &v4), WASISOCK_EBADF);
  assert_int_equal(tp_connect(h, &a, k, &v6), WASISOCK_EAFNOSUPPORT);
  assert_int_equal(rec.count, 0);
  assert_int_equal(tp_connect(h, &a, k, &v4), WASISOCK_EACCES);
  assert_int_equal(rec.count, 1);
  th_close(h, &a, k);
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
}

/* No policy: everything is allowed and nothing is reported. */
static void test_connect_null_policy_allows(void **state) {
  tp_recorder_t rec = {0};
  wasisock_t *h = tp_new(NULL, &rec, 0);
  wasisock_addr_t to;
  uint16_t port;
  int l = tp_listener(AF_INET, &port);
  th_arena_t a;
  uint32_t k;
  (void)state;

  th_arena_init(&a, 4096);
  to = tp_addr("127.0.0.1", port);
  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  assert_int_equal(tp_connect(h, &a, k, &to), WASISOCK_OK);
  assert_int_equal(tp_accept_all(l, 5000), 1);
  assert_int_equal(rec.count, 0);
  th_close(h, &a, k);
  th_arena_free(&a);
  wasisock_free(h);
  close(l);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_connect_one_port_allowed),
      cmocka_unit_test(test_connect_deny_rule_first),
      cmocka_unit_test(test_connect_ipv4_mapped),
      cmocka_unit_test(test_connect_unspecified_is_loopback),
      cmocka_unit_test(test_connect_error_order),
      cmocka_unit_test(test_connect_null_policy_allows),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
