/* sock_resolve against a fake resolver: answers a loopback machine cannot
 * give (many addresses, duplicates, non-IP families, each EAI_* error).
 *
 * getaddrinfo is interposed (fake-resolver.h): names starting with
 * "fake-" get canned answers, others go to libc's. */
#define _GNU_SOURCE /* EAI_NODATA */
#include "helpers.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "fake-resolver.h"

static int calls;            /* getaddrinfo calls that reached us */
static struct addrinfo last; /* the hints of the last call */

int getaddrinfo(const char *node, const char *service,
                const struct addrinfo *hints, struct addrinfo **res) {
  fake_answer_t *l;

  if (node == NULL || strncmp(node, "fake-", 5) != 0)
    return fake_real_getaddrinfo(node, service, hints, res);
  calls++;
  memset(&last, 0, sizeof(last));
  if (hints != NULL)
    last = *hints;
  if (service != NULL)
    return EAI_SERVICE; /* the host passes no service */
  if (strcmp(node, "fake-noname") == 0) return EAI_NONAME;
  if (strcmp(node, "fake-nodata") == 0) return EAI_NODATA;
  if (strcmp(node, "fake-again") == 0) return EAI_AGAIN;
  if (strcmp(node, "fake-memory") == 0) return EAI_MEMORY;
  if (strcmp(node, "fake-fail") == 0) return EAI_FAIL;
  if (strcmp(node, "fake-system") == 0) {
    errno = EIO;
    return EAI_SYSTEM;
  }
  if ((l = fake_answer_new()) == NULL)
    return EAI_MEMORY;
  if (strncmp(node, "fake-multi", 10) == 0) {
    fake_answer_add(l, AF_INET, "127.0.0.1");
    fake_answer_add(l, AF_INET6, "::1");
    fake_answer_add(l, AF_UNIX, NULL);
    fake_answer_add(l, AF_INET, "127.0.0.2");
    fake_answer_add(l, AF_INET, "127.0.0.1"); /* duplicate */
    fake_answer_add(l, AF_INET6, "::1");      /* duplicate */
    fake_answer_add(l, AF_INET, "10.0.0.1");
  } else { /* fake-unix-only */
    fake_answer_add(l, AF_UNIX, NULL);
  }
  return fake_answer_give(l, res);
}

static void expect_record(th_arena_t *a, uint32_t i, int family,
                          const char *text) {
  wasisock_addr_t r;
  uint8_t want[16] = {0};

  assert_int_equal(
      wasisock_addr_read(th_at(a, TH_DATA + i * WASISOCK_ADDR_SIZE), &r),
      WASISOCK_OK);
  assert_int_equal(r.family, family == AF_INET ? WASISOCK_AF_INET
                                               : WASISOCK_AF_INET6);
  assert_int_equal(r.port, 8080);
  assert_int_equal(inet_pton(family, text, want), 1);
  assert_memory_equal(r.bytes, want, 16);
}

static void test_resolve_fake_order_and_dedup(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);

  assert_int_equal(th_resolve(h, a, "fake-multi", 10), WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 4);
  expect_record(a, 0, AF_INET, "127.0.0.1");
  expect_record(a, 1, AF_INET6, "::1");
  expect_record(a, 2, AF_INET, "127.0.0.2");
  expect_record(a, 3, AF_INET, "10.0.0.1");
  assert_int_equal(th_at(a, TH_DATA + 4 * WASISOCK_ADDR_SIZE)[0], TH_FILL_BYTE);
  /* The hints the contract asks for. */
  assert_int_equal(last.ai_family, AF_UNSPEC);
  assert_int_equal(last.ai_socktype, SOCK_STREAM);
  assert_false(fake_answer_outstanding()); /* the answer was freed */
}

static void test_resolve_fake_max_addrs_smaller(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);

  assert_int_equal(th_resolve(h, a, "fake-multi", 2), WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 2);
  expect_record(a, 0, AF_INET, "127.0.0.1");
  expect_record(a, 1, AF_INET6, "::1");
  /* Exactly two records written. */
  assert_int_equal(th_at(a, TH_DATA + 2 * WASISOCK_ADDR_SIZE)[0], TH_FILL_BYTE);

  assert_int_equal(th_resolve(h, a, "fake-multi", 1), WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 1);
  assert_int_equal(th_resolve(h, a, "fake-multi", 0), WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 0);
  assert_false(fake_answer_outstanding());
}

static void test_resolve_fake_errors(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);

  assert_int_equal(th_resolve(h, a, "fake-noname", 4), WASISOCK_ENOENT);
  assert_int_equal(th_resolve(h, a, "fake-nodata", 4), WASISOCK_ENOENT);
  assert_int_equal(th_resolve(h, a, "fake-again", 4), WASISOCK_EAGAIN);
  assert_int_equal(th_resolve(h, a, "fake-memory", 4), WASISOCK_ENOMEM);
  assert_int_equal(th_resolve(h, a, "fake-fail", 4), WASISOCK_EIO);
  assert_int_equal(th_resolve(h, a, "fake-system", 4), WASISOCK_EIO);
  /* Only non-IP answers: the name has no address. */
  assert_int_equal(th_resolve(h, a, "fake-unix-only", 4), WASISOCK_ENOENT);
  assert_false(fake_answer_outstanding());
  assert_int_equal(th_at(a, TH_OUT)[0], TH_FILL_BYTE);
  assert_int_equal(th_at(a, TH_DATA)[0], TH_FILL_BYTE);
}

/* .invalid never reaches the resolver. */
static void test_resolve_fake_invalid_not_asked(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  int before = calls;

  assert_int_equal(th_resolve(h, a, "fake-multi.invalid", 4), WASISOCK_ENOENT);
  assert_int_equal(calls, before);
  assert_int_equal(th_resolve(h, a, "fake-multi.invalidx", 4), WASISOCK_OK);
  assert_int_equal(calls, before + 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_resolve_fake_order_and_dedup, 65536),
      th_unit_test(test_resolve_fake_max_addrs_smaller, 65536),
      th_unit_test(test_resolve_fake_errors, 65536),
      th_unit_test(test_resolve_fake_invalid_not_asked, 65536),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
