/* sock_resolve against a fake resolver: answers a loopback machine cannot
 * give (many addresses, duplicates, non-IP families, each EAI_* error).
 *
 * getaddrinfo/freeaddrinfo are interposed: this executable defines them
 * and exports them (ENABLE_EXPORTS), so libuv's calls bind here first.
 * Names starting with "fake-" get canned answers; others go to libc's
 * real functions (dlsym RTLD_NEXT). */
#define _GNU_SOURCE
#include "helpers.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#define MAXFAKE 16
typedef struct fake_list {
  struct addrinfo ai[MAXFAKE];
  struct sockaddr_storage sa[MAXFAKE];
} fake_list_t;

static fake_list_t *live;    /* the one fake answer handed out, if any */
static int calls;            /* getaddrinfo calls that reached us */
static struct addrinfo last; /* the hints of the last call */

typedef int (*gai_fn)(const char *, const char *, const struct addrinfo *,
                      struct addrinfo **);
typedef void (*fai_fn)(struct addrinfo *);

static void add(fake_list_t *l, int *n, int family, const char *text) {
  struct addrinfo *ai = &l->ai[*n];
  ai->ai_family = family;
  ai->ai_socktype = SOCK_STREAM;
  ai->ai_addr = (struct sockaddr *)&l->sa[*n];
  if (family == AF_INET) {
    struct sockaddr_in *sin = (struct sockaddr_in *)&l->sa[*n];
    sin->sin_family = AF_INET;
    inet_pton(AF_INET, text, &sin->sin_addr);
    ai->ai_addrlen = sizeof(*sin);
  } else if (family == AF_INET6) {
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&l->sa[*n];
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(9999); /* must be replaced by the asked port */
    inet_pton(AF_INET6, text, &sin6->sin6_addr);
    ai->ai_addrlen = sizeof(*sin6);
  } else {
    struct sockaddr_un *sun = (struct sockaddr_un *)&l->sa[*n];
    sun->sun_family = AF_UNIX;
    ai->ai_addrlen = sizeof(*sun);
  }
  if (*n > 0)
    l->ai[*n - 1].ai_next = ai;
  (*n)++;
}

int getaddrinfo(const char *node, const char *service,
                const struct addrinfo *hints, struct addrinfo **res) {
  fake_list_t *l;
  int n = 0;

  if (node == NULL || strncmp(node, "fake-", 5) != 0) {
    gai_fn real = (gai_fn)dlsym(RTLD_NEXT, "getaddrinfo");
    return real(node, service, hints, res);
  }
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

  l = calloc(1, sizeof(*l));
  if (l == NULL)
    return EAI_MEMORY;
  if (strncmp(node, "fake-multi", 10) == 0) {
    add(l, &n, AF_INET, "127.0.0.1");
    add(l, &n, AF_INET6, "::1");
    add(l, &n, AF_UNIX, NULL);
    add(l, &n, AF_INET, "127.0.0.2");
    add(l, &n, AF_INET, "127.0.0.1"); /* duplicate */
    add(l, &n, AF_INET6, "::1");      /* duplicate */
    add(l, &n, AF_INET, "10.0.0.1");
  } else { /* fake-unix-only */
    add(l, &n, AF_UNIX, NULL);
  }
  live = l;
  *res = &l->ai[0];
  return 0;
}

void freeaddrinfo(struct addrinfo *ai) {
  if (live != NULL && ai == &live->ai[0]) {
    free(live);
    live = NULL;
    return;
  }
  ((fai_fn)dlsym(RTLD_NEXT, "freeaddrinfo"))(ai);
}

static int32_t resolve(wasisock_t *h, th_arena_t *a, const char *name,
                       uint32_t max_addrs) {
  uint32_t n = (uint32_t)strlen(name);
  memcpy(th_at(a, TH_NAME), name, n);
  return wasisock_sock_resolve(h, &a->mem, TH_NAME, n, 8080, TH_DATA,
                               max_addrs, TH_OUT);
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

  assert_int_equal(resolve(h, a, "fake-multi", 10), WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 4);
  expect_record(a, 0, AF_INET, "127.0.0.1");
  expect_record(a, 1, AF_INET6, "::1");
  expect_record(a, 2, AF_INET, "127.0.0.2");
  expect_record(a, 3, AF_INET, "10.0.0.1");
  assert_int_equal(th_at(a, TH_DATA + 4 * WASISOCK_ADDR_SIZE)[0], TH_FILL_BYTE);
  /* The hints the contract asks for. */
  assert_int_equal(last.ai_family, AF_UNSPEC);
  assert_int_equal(last.ai_socktype, SOCK_STREAM);
  assert_null(live); /* the answer was freed */
}

static void test_resolve_fake_max_addrs_smaller(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);

  assert_int_equal(resolve(h, a, "fake-multi", 2), WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 2);
  expect_record(a, 0, AF_INET, "127.0.0.1");
  expect_record(a, 1, AF_INET6, "::1");
  /* Exactly two records written. */
  assert_int_equal(th_at(a, TH_DATA + 2 * WASISOCK_ADDR_SIZE)[0], TH_FILL_BYTE);

  assert_int_equal(resolve(h, a, "fake-multi", 1), WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 1);
  assert_int_equal(resolve(h, a, "fake-multi", 0), WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 0);
  assert_null(live);
}

static void test_resolve_fake_errors(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);

  assert_int_equal(resolve(h, a, "fake-noname", 4), WASISOCK_ENOENT);
  assert_int_equal(resolve(h, a, "fake-nodata", 4), WASISOCK_ENOENT);
  assert_int_equal(resolve(h, a, "fake-again", 4), WASISOCK_EAGAIN);
  assert_int_equal(resolve(h, a, "fake-memory", 4), WASISOCK_ENOMEM);
  assert_int_equal(resolve(h, a, "fake-fail", 4), WASISOCK_EIO);
  assert_int_equal(resolve(h, a, "fake-system", 4), WASISOCK_EIO);
  /* Only non-IP answers: the name has no address. */
  assert_int_equal(resolve(h, a, "fake-unix-only", 4), WASISOCK_ENOENT);
  assert_null(live);
  assert_int_equal(th_at(a, TH_OUT)[0], TH_FILL_BYTE);
  assert_int_equal(th_at(a, TH_DATA)[0], TH_FILL_BYTE);
}

/* .invalid never reaches the resolver. */
static void test_resolve_fake_invalid_not_asked(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  int before = calls;

  assert_int_equal(resolve(h, a, "fake-multi.invalid", 4), WASISOCK_ENOENT);
  assert_int_equal(calls, before);
  assert_int_equal(resolve(h, a, "fake-multi.invalidx", 4), WASISOCK_OK);
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
