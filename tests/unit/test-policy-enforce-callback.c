/* How an instance gets its policy and reports denials: the fields of a
 * denial, the policy's own callback and the config's (in that order), the
 * snapshot taken at wasisock_new, independent instances, and the
 * struct_size rule for the new config fields. */
#include "helpers.h"
#include "policy-helpers.h"

#include <stddef.h>
#include <stdio.h>

/* A denial has the address dialled, its port, and the deciding rule with
 * its line in the text it came from. */
static void test_callback_fields(void **state) {
  static const char text[] = "# sandbox\n"
                             "default deny\n"
                             "\n"
                             "deny connect 127.0.0.1:7-9   # the small ones\n"
                             "allow connect 127.0.0.1\n";
  tp_recorder_t rec = {0};
  wasisock_policy_t *p = NULL;
  wasisock_addr_t to = tp_addr("127.0.0.1", 9), back;
  wasisock_t *h;
  th_arena_t a;
  char err[128];
  uint32_t k;
  (void)state;

  assert_int_equal(wasisock_policy_new(&p), WASISOCK_OK);
  assert_int_equal(wasisock_policy_load_text(p, text, sizeof(text) - 1,
                                             "sandbox.policy", err, sizeof err),
                   WASISOCK_OK);
  h = tp_new(p, &rec, 0);
  th_arena_init(&a, 4096);
  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  assert_int_equal(tp_connect(h, &a, k, &to), WASISOCK_EACCES);
  assert_int_equal(rec.count, 1);
  assert_int_equal(rec.d[0].who, 'c');
  assert_int_equal(rec.d[0].op, WASISOCK_POLICY_CONNECT);
  assert_false(rec.d[0].has_name);
  assert_true(rec.d[0].has_addr);
  /* The record the guest passed, as decoded. */
  assert_int_equal(wasisock_addr_read(th_at(&a, TH_ADDR), &back), WASISOCK_OK);
  assert_int_equal(rec.d[0].addr.family, back.family);
  assert_int_equal(rec.d[0].addr.port, back.port);
  assert_memory_equal(rec.d[0].addr.bytes, back.bytes, sizeof(back.bytes));
  assert_int_equal(rec.d[0].port, 9);
  assert_int_equal(rec.d[0].rule_index, 0);
  assert_int_equal(rec.d[0].line, 4);
  assert_string_equal(rec.d[0].rule_text, "deny connect 127.0.0.1:7-9");
  assert_string_equal(rec.d[0].formatted,
                      "denied connect 127.0.0.1:9 by \"deny connect "
                      "127.0.0.1:7-9\" (line 4)");
  th_close(h, &a, k);
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
}

/* Both callbacks, the policy's first; either alone works too. */
static char order[16];
static size_t norder;

static void log_cb(void *data, const wasisock_policy_denial_t *d) {
  (void)d;
  if (norder + 1 < sizeof(order))
    order[norder++] = *(const char *)data;
}

static void test_callback_both(void **state) {
  const char *lines[] = {"default deny", NULL};
  wasisock_policy_t *p = tp_policy(lines);
  wasisock_addr_t to = tp_addr("127.0.0.1", 9);
  wasisock_config_t cfg;
  wasisock_t *h;
  th_arena_t a;
  uint32_t k;
  (void)state;

  th_arena_init(&a, 4096);
  assert_int_equal(wasisock_policy_set_denial_callback(p, log_cb, "p"),
                   WASISOCK_OK);
  wasisock_config_init(&cfg);
  cfg.policy = p;
  cfg.on_denial = log_cb;
  cfg.on_denial_data = "c";
  assert_int_equal(wasisock_new(&cfg, &h), WASISOCK_OK);
  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  norder = 0;
  assert_int_equal(tp_connect(h, &a, k, &to), WASISOCK_EACCES);
  order[norder] = '\0';
  assert_string_equal(order, "pc");
  wasisock_free(h);

  /* The policy's callback alone. */
  cfg.on_denial = NULL;
  assert_int_equal(wasisock_new(&cfg, &h), WASISOCK_OK);
  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  norder = 0;
  assert_int_equal(tp_connect(h, &a, k, &to), WASISOCK_EACCES);
  order[norder] = '\0';
  assert_string_equal(order, "p");
  wasisock_free(h);

  /* Neither: still refused, silently. */
  assert_int_equal(wasisock_policy_set_denial_callback(p, NULL, NULL),
                   WASISOCK_OK);
  assert_int_equal(wasisock_new(&cfg, &h), WASISOCK_OK);
  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  norder = 0;
  assert_int_equal(tp_connect(h, &a, k, &to), WASISOCK_EACCES);
  assert_int_equal(norder, 0);
  wasisock_free(h);
  th_arena_free(&a);
  wasisock_policy_free(p);
}

/* wasisock_new copies the policy: freeing or changing the original later
 * changes nothing for the instance. */
static void test_callback_snapshot(void **state) {
  tp_recorder_t rec = {0};
  const char *lines[] = {"default deny", NULL};
  wasisock_policy_t *p = tp_policy(lines);
  wasisock_addr_t to;
  uint16_t port;
  int l = tp_listener(AF_INET, &port);
  wasisock_t *h = tp_new(p, &rec, 0), *later;
  th_arena_t a;
  uint32_t k;
  (void)state;

  th_arena_init(&a, 4096);
  to = tp_addr("127.0.0.1", port);
  assert_int_equal(wasisock_policy_set_default(p, WASISOCK_POLICY_ALLOW),
                   WASISOCK_OK);
  later = tp_new(p, NULL, 0); /* sees default allow */
  wasisock_policy_free(p);

  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  assert_int_equal(tp_connect(h, &a, k, &to), WASISOCK_EACCES);
  assert_int_equal(rec.count, 1);
  assert_string_equal(rec.d[0].rule_text, "default deny");
  th_close(h, &a, k);
  k = th_open(later, &a, AF_INET, SOCK_STREAM);
  assert_int_equal(tp_connect(later, &a, k, &to), WASISOCK_OK);
  assert_int_equal(tp_accept_all(l, 5000), 1);
  th_close(later, &a, k);
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_free(later);
  close(l);
}

/* Two instances, two policies, two recorders: no crosstalk. */
static void test_callback_independent_instances(void **state) {
  tp_recorder_t r1 = {0}, r2 = {0};
  wasisock_policy_t *p1, *p2;
  wasisock_addr_t to_a, to_b;
  uint16_t port_a, port_b;
  int la = tp_listener(AF_INET, &port_a), lb = tp_listener(AF_INET, &port_b);
  char only_a[64], only_b[64];
  const char *l1[] = {"default deny", only_a, NULL};
  const char *l2[] = {"default deny", only_b, NULL};
  wasisock_t *h1, *h2;
  th_arena_t a;
  uint32_t k1, k2;
  (void)state;

  snprintf(only_a, sizeof only_a, "allow connect 127.0.0.1:%u",
           (unsigned)port_a);
  snprintf(only_b, sizeof only_b, "allow connect 127.0.0.1:%u",
           (unsigned)port_b);
  p1 = tp_policy(l1);
  p2 = tp_policy(l2);
  h1 = tp_new(p1, &r1, 0);
  h2 = tp_new(p2, &r2, 0);
  th_arena_init(&a, 4096);
  to_a = tp_addr("127.0.0.1", port_a);
  to_b = tp_addr("127.0.0.1", port_b);

  k1 = th_open(h1, &a, AF_INET, SOCK_STREAM);
  k2 = th_open(h2, &a, AF_INET, SOCK_STREAM);
  assert_int_equal(tp_connect(h1, &a, k1, &to_b), WASISOCK_EACCES);
  assert_int_equal(tp_connect(h2, &a, k2, &to_a), WASISOCK_EACCES);
  assert_int_equal(r1.count, 1);
  assert_int_equal(r1.d[0].port, port_b);
  assert_int_equal(r2.count, 1);
  assert_int_equal(r2.d[0].port, port_a);
  assert_int_equal(tp_connect(h1, &a, k1, &to_a), WASISOCK_OK);
  assert_int_equal(tp_connect(h2, &a, k2, &to_b), WASISOCK_OK);
  assert_int_equal(tp_accept_all(la, 5000), 1);
  assert_int_equal(tp_accept_all(lb, 5000), 1);
  assert_int_equal(r1.count, 1);
  assert_int_equal(r2.count, 1);
  th_arena_free(&a);
  wasisock_free(h1);
  wasisock_free(h2);
  wasisock_policy_free(p1);
  wasisock_policy_free(p2);
  close(la);
  close(lb);
}

/* A caller built against the old header (struct_size ends at max_sockets)
 * gets no policy, whatever lies beyond; zero-initialised new fields are the
 * defaults. */
static void test_callback_struct_size(void **state) {
  const char *lines[] = {"default deny", NULL};
  wasisock_policy_t *p = tp_policy(lines);
  wasisock_addr_t to;
  uint16_t port;
  int l = tp_listener(AF_INET, &port);
  wasisock_config_t cfg;
  wasisock_t *h;
  th_arena_t a;
  uint32_t k;
  (void)state;

  th_arena_init(&a, 4096);
  to = tp_addr("127.0.0.1", port);
  wasisock_config_init(&cfg);
  assert_null(cfg.policy);
  assert_null(cfg.on_denial);
  assert_null(cfg.on_denial_data);
  cfg.struct_size = offsetof(wasisock_config_t, max_sockets) + sizeof(uint32_t);
  cfg.policy = p;
  assert_int_equal(wasisock_new(&cfg, &h), WASISOCK_OK);
  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  assert_int_equal(tp_connect(h, &a, k, &to), WASISOCK_OK);
  assert_int_equal(tp_accept_all(l, 5000), 1);
  wasisock_free(h);
  th_arena_free(&a);
  wasisock_policy_free(p);
  close(l);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_callback_fields),
      cmocka_unit_test(test_callback_both),
      cmocka_unit_test(test_callback_snapshot),
      cmocka_unit_test(test_callback_independent_instances),
      cmocka_unit_test(test_callback_struct_size),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
