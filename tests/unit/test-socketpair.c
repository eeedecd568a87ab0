/* sock_socketpair (revision 3): two connected Unix-domain sockets, stream
 * and datagram, that every other call works on; "no address"; the socket
 * limit counts both; no network policy is asked; the errors. */
#include "helpers.h"

#include <string.h>

#include "wasisock_policy.h"

/* The pair's handles, asserting success. */
static void pair(wasisock_t *h, th_arena_t *a, uint32_t socktype,
                 uint32_t *k0, uint32_t *k1) {
  assert_int_equal(wasisock_sock_socketpair(h, &a->mem, socktype, TH_OUT,
                                            TH_OUT2),
                   WASISOCK_OK);
  *k0 = th_u32(a, TH_OUT);
  *k1 = th_u32(a, TH_OUT2);
  assert_true(*k0 != *k1);
}

static void test_socketpair_stream(void **state) {
  wasisock_t *h = th_host(state);
  wasisock_addr_t none;
  th_arena_t *a = th_arena(state);
  uint32_t k0, k1;

  pair(h, a, WASISOCK_SOCK_STREAM, &k0, &k1);
  memcpy(th_at(a, TH_DATA), "ping", 4);
  th_send_all(h, a, k0, TH_DATA, 4);
  assert_int_equal(th_recv(h, a, k1, TH_DATA + 100, 16), 4);
  assert_memory_equal(th_at(a, TH_DATA + 100), "ping", 4);
  /* Both ways; SO_TYPE; "no address" for names. */
  th_send_all(h, a, k1, TH_DATA, 4);
  assert_int_equal(th_recv(h, a, k0, TH_DATA + 100, 16), 4);
  assert_int_equal(th_getsockopt(h, a, k0, WASISOCK_SOL_SOCKET,
                                 WASISOCK_SO_TYPE),
                   WASISOCK_SOCK_STREAM);
  assert_int_equal(wasisock_sock_local_addr(h, &a->mem, k0, TH_ADDR),
                   WASISOCK_OK);
  assert_int_equal(th_at(a, TH_ADDR)[0], WASISOCK_AF_UNSPEC);
  assert_int_equal(wasisock_sock_peer_addr(h, &a->mem, k1, TH_ADDR),
                   WASISOCK_OK);
  assert_int_equal(wasisock_addr_read(th_at(a, TH_ADDR), &none),
                   WASISOCK_EAFNOSUPPORT);
  /* An Internet address does not fit it. */
  th_loopback_addr(AF_INET, 9, &none);
  wasisock_addr_write(th_at(a, TH_ADDR), &none);
  assert_int_equal(wasisock_sock_connect(h, &a->mem, k0, TH_ADDR),
                   WASISOCK_EAFNOSUPPORT);
  /* One end closed: the other reads end of stream. */
  th_close(h, a, k0);
  assert_int_equal(th_recv(h, a, k1, TH_DATA, 16), 0);
  th_close(h, a, k1);
}

static void test_socketpair_dgram(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k0, k1;

  pair(h, a, WASISOCK_SOCK_DGRAM, &k0, &k1);
  memcpy(th_at(a, TH_DATA), "one", 3);
  th_send_all(h, a, k0, TH_DATA, 3);
  memcpy(th_at(a, TH_DATA), "two!", 4);
  th_send_all(h, a, k0, TH_DATA, 4);
  /* Datagrams keep their boundaries; the sender is "no address". */
  assert_int_equal(wasisock_sock_recv_from(h, &a->mem, k1, TH_DATA, 64, 0,
                                           TH_ADDR, TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), 3);
  assert_int_equal(th_at(a, TH_ADDR)[0], WASISOCK_AF_UNSPEC);
  assert_int_equal(th_recv(h, a, k1, TH_DATA, 64), 4);
  assert_int_equal(th_getsockopt(h, a, k1, WASISOCK_SOL_SOCKET,
                                 WASISOCK_SO_TYPE),
                   WASISOCK_SOCK_DGRAM);
  th_close(h, a, k0);
  th_close(h, a, k1);
}

/* Both handles count: at the limit minus one, EMFILE and nothing made. */
static void test_socketpair_limit(void **state) {
  wasisock_t *h = th_new(3);
  th_arena_t a;
  uint32_t k0, k1, k2;
  (void)state;

  th_arena_init(&a, 4096);
  pair(h, &a, WASISOCK_SOCK_STREAM, &k0, &k1);
  assert_int_equal(wasisock_sock_socketpair(h, &a.mem, WASISOCK_SOCK_STREAM,
                                            TH_OUT, TH_OUT2),
                   WASISOCK_EMFILE);
  k2 = th_open(h, &a, AF_INET, SOCK_STREAM); /* the third still fits */
  th_close(h, &a, k0);
  th_close(h, &a, k1);
  th_close(h, &a, k2);
  th_arena_free(&a);
  wasisock_free(h);
}

/* A policy that denies all networking does not stop a pair. */
static void test_socketpair_no_policy(void **state) {
  wasisock_policy_t *p = NULL;
  wasisock_config_t c;
  wasisock_t *h;
  th_arena_t a;
  uint32_t k0, k1;
  (void)state;

  assert_int_equal(wasisock_policy_new(&p), WASISOCK_OK);
  assert_int_equal(wasisock_policy_set_default(p, WASISOCK_POLICY_DENY), 0);
  wasisock_config_init(&c);
  c.policy = p;
  assert_int_equal(wasisock_new(&c, &h), WASISOCK_OK);
  th_arena_init(&a, 4096);
  pair(h, &a, WASISOCK_SOCK_STREAM, &k0, &k1);
  th_close(h, &a, k0);
  th_close(h, &a, k1);
  th_arena_free(&a);
  wasisock_free(h);
  wasisock_policy_free(p);
}

static void test_socketpair_errors(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);

  assert_int_equal(wasisock_sock_socketpair(h, &a->mem, 99, TH_OUT, TH_OUT2),
                   WASISOCK_EPROTOTYPE);
  /* Pointers first: EFAULT before the type, and nothing is opened. */
  assert_int_equal(wasisock_sock_socketpair(h, &a->mem, 99, TH_OUT,
                                            (uint32_t)a->mem.len - 3),
                   WASISOCK_EFAULT);
  assert_int_equal(wasisock_sock_socketpair(h, &a->mem, WASISOCK_SOCK_STREAM,
                                            UINT32_MAX, TH_OUT2),
                   WASISOCK_EFAULT);
  assert_int_equal(wasisock_sock_close(h, &a->mem, WASISOCK_FIRST_HANDLE),
                   WASISOCK_EBADF);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_socketpair_stream, 4096),
      th_unit_test(test_socketpair_dgram, 4096),
      cmocka_unit_test(test_socketpair_limit),
      cmocka_unit_test(test_socketpair_no_policy),
      th_unit_test(test_socketpair_errors, 4096),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
