/* sock_resolve under a network policy, against a fake resolver that counts
 * its calls: a refused name is never looked up, answers are filtered by the
 * connect rules (EACCES when nothing is left), and the host remembers which
 * name each returned address came from, so a later connect to it matches
 * host name rules (the name cache is bounded).
 *
 * getaddrinfo is interposed (fake-resolver.h): names ending in ".fake" get
 * canned answers, others go to libc.
 *   multi.fake     127.0.0.1, ::1, 127.0.0.2, 10.0.0.1
 *   A-B-C-D.fake   the IPv4 address A.B.C.D
 *   X_A-B-C-D.fake the same, under another name */
#include "helpers.h"
#include "policy-helpers.h"

#include <stdio.h>
#include <string.h>

#include "fake-resolver.h"

static int calls; /* getaddrinfo calls for .fake names */

static int is_fake(const char *node) {
  size_t n = node ? strlen(node) : 0;
  return n > 5 && strcmp(node + n - 5, ".fake") == 0;
}

int getaddrinfo(const char *node, const char *service,
                const struct addrinfo *hints, struct addrinfo **res) {
  const char *from;
  fake_answer_t *l;
  char text[64];
  size_t i, len;

  if (!is_fake(node))
    return fake_real_getaddrinfo(node, service, hints, res);
  calls++;
  if (strcmp(node, "multi.fake") == 0) {
    if ((l = fake_answer_new()) == NULL)
      return EAI_MEMORY;
    fake_answer_add(l, AF_INET, "127.0.0.1");
    fake_answer_add(l, AF_INET6, "::1");
    fake_answer_add(l, AF_INET, "127.0.0.2");
    fake_answer_add(l, AF_INET, "10.0.0.1");
    return fake_answer_give(l, res);
  }
  /* [X_]A-B-C-D.fake: A.B.C.D */
  from = strchr(node, '_') ? strchr(node, '_') + 1 : node;
  len = strlen(from) - 5;
  if (len >= sizeof(text))
    return EAI_NONAME;
  for (i = 0; i < len; i++)
    text[i] = from[i] == '-' ? '.' : from[i];
  text[len] = '\0';
  if ((l = fake_answer_new()) == NULL)
    return EAI_MEMORY;
  fake_answer_add(l, AF_INET, text);
  return fake_answer_give(l, res);
}

static void expect_record(th_arena_t *a, uint32_t i, const char *text) {
  wasisock_addr_t r, want = tp_addr(text, 8080);
  assert_int_equal(
      wasisock_addr_read(th_at(a, TH_DATA + i * WASISOCK_ADDR_SIZE), &r),
      WASISOCK_OK);
  assert_int_equal(r.family, want.family);
  assert_int_equal(r.port, 8080);
  assert_memory_equal(r.bytes, want.bytes, 16);
}

/* A refused name is never looked up, and nothing is written. */
static void test_resolve_denied_no_lookup(void **state) {
  tp_recorder_t rec = {0};
  const char *lines[] = {"deny resolve *.fake", NULL};
  wasisock_policy_t *p = tp_policy(lines);
  wasisock_t *h = tp_new(p, &rec, 0);
  th_arena_t a;
  int before = calls;
  (void)state;

  th_arena_init(&a, 65536);
  assert_int_equal(th_resolve(h, &a, "multi.fake", 4), WASISOCK_EACCES);
  assert_int_equal(calls, before);
  assert_int_equal(th_at(&a, TH_OUT)[0], TH_FILL_BYTE);
  assert_int_equal(th_at(&a, TH_DATA)[0], TH_FILL_BYTE);
  assert_int_equal(rec.count, 1);
  assert_int_equal(rec.d[0].op, WASISOCK_POLICY_RESOLVE);
  assert_true(rec.d[0].has_name);
  assert_string_equal(rec.d[0].name, "multi.fake");
  assert_false(rec.d[0].has_addr);
  assert_int_equal(rec.d[0].port, 8080);
  assert_int_equal(rec.d[0].rule_index, 0);
  assert_string_equal(rec.d[0].rule_text, "deny resolve *.fake");
  assert_string_equal(rec.d[0].formatted,
                      "denied resolve \"multi.fake\" by \"deny resolve *.fake\"");

  /* Default deny: no lookup either; a name allowed by an allow-connect
   * rule is looked up. */
  wasisock_free(h);
  wasisock_policy_free(p);
  {
    const char *deny_all[] = {"default deny", "allow connect 1-2-3-4.fake:80",
                              NULL};
    p = tp_policy(deny_all);
  }
  h = tp_new(p, &rec, 0);
  assert_int_equal(th_resolve(h, &a, "multi.fake", 4), WASISOCK_EACCES);
  assert_int_equal(calls, before);
  assert_int_equal(th_resolve(h, &a, "1-2-3-4.fake", 4), WASISOCK_OK);
  assert_int_equal(calls, before + 1);
  assert_int_equal(th_u32(&a, TH_OUT), 1);
  expect_record(&a, 0, "1.2.3.4");
  /* A refused name under .invalid is refused, not ENOENT. */
  assert_int_equal(th_resolve(h, &a, "x.invalid", 4), WASISOCK_EACCES);
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
}

/* Literals are no lookup: the connect rules decide, at once. */
static void test_resolve_literal_by_connect_rules(void **state) {
  tp_recorder_t rec = {0};
  const char *lines[] = {"default deny", "allow connect 127.0.0.1:80", NULL};
  wasisock_policy_t *p = tp_policy(lines);
  wasisock_t *h = tp_new(p, &rec, 0);
  th_arena_t a;
  (void)state;

  th_arena_init(&a, 65536);
  assert_int_equal(th_resolve(h, &a, "127.0.0.1", 4), WASISOCK_OK);
  assert_int_equal(th_u32(&a, TH_OUT), 1);
  expect_record(&a, 0, "127.0.0.1");
  assert_int_equal(th_resolve(h, &a, "10.1.2.3", 4), WASISOCK_EACCES);
  assert_int_equal(rec.count, 1);
  assert_string_equal(rec.d[0].rule_text, "default deny");
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
}

/* Addresses the guest could not connect to are hidden, each reported; the
 * rest keep their order. */
static void test_resolve_filtered(void **state) {
  tp_recorder_t rec = {0};
  const char *lines[] = {"deny connect 10.0.0.0/8", NULL};
  wasisock_policy_t *p = tp_policy(lines);
  wasisock_t *h = tp_new(p, &rec, 0);
  th_arena_t a;
  (void)state;

  th_arena_init(&a, 65536);
  assert_int_equal(th_resolve(h, &a, "multi.fake", 10), WASISOCK_OK);
  assert_int_equal(th_u32(&a, TH_OUT), 3);
  expect_record(&a, 0, "127.0.0.1");
  expect_record(&a, 1, "::1");
  expect_record(&a, 2, "127.0.0.2");
  assert_int_equal(th_at(&a, TH_DATA + 3 * WASISOCK_ADDR_SIZE)[0],
                   TH_FILL_BYTE);
  assert_int_equal(rec.count, 1);
  assert_int_equal(rec.d[0].op, WASISOCK_POLICY_RESOLVE);
  assert_true(rec.d[0].has_addr);
  assert_string_equal(rec.d[0].name, "multi.fake");
  assert_string_equal(rec.d[0].formatted,
                      "hid 10.0.0.1:8080 from the lookup of \"multi.fake\" by "
                      "\"deny connect 10.0.0.0/8\"");

  /* max_addrs counts what is left after filtering. */
  assert_int_equal(th_resolve(h, &a, "multi.fake", 2), WASISOCK_OK);
  assert_int_equal(th_u32(&a, TH_OUT), 2);
  expect_record(&a, 1, "::1");
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
}

/* Everything hidden: EACCES, not an empty answer, and nothing written. */
static void test_resolve_all_filtered(void **state) {
  tp_recorder_t rec = {0};
  const char *lines[] = {"deny connect 127.0.0.0/8", "deny connect ::1",
                         "deny connect 10.0.0.0/8", NULL};
  wasisock_policy_t *p = tp_policy(lines);
  wasisock_t *h = tp_new(p, &rec, 0);
  th_arena_t a;
  (void)state;

  th_arena_init(&a, 65536);
  assert_int_equal(th_resolve(h, &a, "multi.fake", 10), WASISOCK_EACCES);
  assert_int_equal(th_at(&a, TH_OUT)[0], TH_FILL_BYTE);
  assert_int_equal(th_at(&a, TH_DATA)[0], TH_FILL_BYTE);
  assert_int_equal(rec.count, 4);
  /* A name that does not exist is still ENOENT. */
  assert_int_equal(th_resolve(h, &a, "name.invalid", 10), WASISOCK_ENOENT);
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
}

/* "allow connect NAME": the guest may resolve NAME and connect to what it
 * got, and only on that name's word: the same address without the lookup
 * is refused. */
static void test_resolve_name_rule_then_connect(void **state) {
  tp_recorder_t rec = {0};
  wasisock_policy_t *p;
  wasisock_addr_t to;
  uint16_t port;
  int l = tp_listener(AF_INET, &port);
  char allow[64];
  const char *lines[] = {"default deny", allow, NULL};
  wasisock_t *h, *fresh;
  th_arena_t a;
  uint32_t k;
  (void)state;

  snprintf(allow, sizeof(allow), "allow connect 127-0-0-1.fake:%u",
           (unsigned)port);
  p = tp_policy(lines);
  h = tp_new(p, &rec, 0);
  fresh = tp_new(p, &rec, 0);
  th_arena_init(&a, 65536);
  to = tp_addr("127.0.0.1", port);

  /* Not resolved yet: no name, refused. */
  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  assert_int_equal(tp_connect(h, &a, k, &to), WASISOCK_EACCES);
  assert_int_equal(rec.count, 1);
  assert_false(rec.d[0].has_name);

  assert_int_equal(th_resolve(h, &a, "127-0-0-1.fake", 4), WASISOCK_OK);
  assert_int_equal(th_u32(&a, TH_OUT), 1);
  assert_int_equal(tp_connect(h, &a, k, &to), WASISOCK_OK);
  assert_int_equal(tp_accept_all(l, 5000), 1);
  th_close(h, &a, k);

  /* The name is the instance's own knowledge: another instance that did
   * not resolve it is refused. */
  k = th_open(fresh, &a, AF_INET, SOCK_STREAM);
  assert_int_equal(tp_connect(fresh, &a, k, &to), WASISOCK_EACCES);
  assert_int_equal(tp_accept_all(l, 200), 0);
  th_close(fresh, &a, k);

  /* A refused connect by name reports the name. */
  to.port = (uint16_t)(port == 65535 ? 1 : port + 1);
  k = th_open(h, &a, AF_INET, SOCK_STREAM);
  assert_int_equal(tp_connect(h, &a, k, &to), WASISOCK_EACCES);
  assert_int_equal(rec.count, 3);
  assert_true(rec.d[2].has_name);
  assert_string_equal(rec.d[2].name, "127-0-0-1.fake");
  th_close(h, &a, k);

  th_arena_free(&a);
  wasisock_free(h);
  wasisock_free(fresh);
  wasisock_policy_free(p);
  close(l);
}

/* The name cache keeps the most recent WASISOCK__NAME_CACHE_SIZE (256)
 * addresses; the most recent name of an address wins.  Observed through
 * connects refused on port 2 (nothing is dialled), whose report names the
 * address's name. */
static void test_resolve_name_cache_bounded(void **state) {
  tp_recorder_t rec = {0};
  const char *lines[] = {"deny connect *:2", NULL};
  wasisock_policy_t *p = tp_policy(lines);
  wasisock_t *h = tp_new(p, &rec, 0);
  wasisock_addr_t to;
  th_arena_t a;
  char name[64], text[32];
  uint32_t k;
  int i;
  (void)state;

  th_arena_init(&a, 65536);
  for (i = 0; i < 300; i++) {
    snprintf(name, sizeof(name), "10-0-%d-%d.fake", i / 256, i % 256);
    assert_int_equal(th_resolve(h, &a, name, 1), WASISOCK_OK);
  }
  /* Same address, newer name: replaces the entry, evicts nothing. */
  assert_int_equal(th_resolve(h, &a, "alias_10-0-1-43.fake", 1), WASISOCK_OK);
  k = th_open(h, &a, AF_INET, SOCK_STREAM);

  /* The first 300 - 256 = 44 addresses (10.0.0.0 - 10.0.0.43) are gone. */
  for (i = 0; i < 300; i++) {
    snprintf(text, sizeof(text), "10.0.%d.%d", i / 256, i % 256);
    to = tp_addr(text, 2);
    rec.count = 0;
    assert_int_equal(tp_connect(h, &a, k, &to), WASISOCK_EACCES);
    assert_int_equal(rec.count, 1);
    if (i < 44) {
      assert_false(rec.d[0].has_name);
    } else if (i == 299) {
      assert_string_equal(rec.d[0].name, "alias_10-0-1-43.fake");
    } else {
      snprintf(name, sizeof(name), "10-0-%d-%d.fake", i / 256, i % 256);
      assert_true(rec.d[0].has_name);
      assert_string_equal(rec.d[0].name, name);
    }
  }
  th_close(h, &a, k);
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_resolve_denied_no_lookup),
      cmocka_unit_test(test_resolve_literal_by_connect_rules),
      cmocka_unit_test(test_resolve_filtered),
      cmocka_unit_test(test_resolve_all_filtered),
      cmocka_unit_test(test_resolve_name_rule_then_connect),
      cmocka_unit_test(test_resolve_name_cache_bounded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
