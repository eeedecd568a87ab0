/* Guest pointers and lengths past the end of memory, or wrapping around
 * 2^32: EFAULT, and the call has no effect — not one byte of memory or of
 * the canaries changes, no data is consumed or sent. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#define L 4096u /* memory size */

typedef struct {
  th_arena_t a;
  uint8_t *snap;
} snap_t;

static void snap_take(snap_t *s) {
  s->snap = malloc(L);
  assert_non_null(s->snap);
  memcpy(s->snap, s->a.mem.base, L);
}

static void snap_same(const snap_t *s) {
  assert_memory_equal(s->snap, s->a.mem.base, L);
  th_arena_check(&s->a);
}

/* Bad offsets for a fixed-size object of n bytes. */
static void bad_offsets(uint32_t n, uint32_t out[5]) {
  out[0] = L - n + 1;   /* one byte over the end */
  out[1] = L;           /* starts at the end */
  out[2] = L + 1;       /* starts past the end */
  out[3] = 0xFFFFFFF0u; /* wraps in u32 */
  out[4] = UINT32_MAX;
}

static void test_bounds_out_params(void **state) {
  wasisock_t *h = th_new(0);
  uint32_t off[5], k;
  snap_t s;
  int i;
  (void)state;

  th_arena_init(&s.a, L);
  k = th_open(h, &s.a, AF_INET, SOCK_DGRAM);
  memcpy(th_at(&s.a, TH_NAME), "127.0.0.1", 9);
  snap_take(&s);
  bad_offsets(4, off);
  for (i = 0; i < 5; i++) {
    assert_int_equal(wasisock_sock_abi_version(h, &s.a.mem, off[i]),
                     WASISOCK_EFAULT);
    assert_int_equal(wasisock_sock_open(h, &s.a.mem, WASISOCK_AF_INET,
                                        WASISOCK_SOCK_DGRAM, off[i]),
                     WASISOCK_EFAULT);
    assert_int_equal(wasisock_sock_resolve(h, &s.a.mem, TH_NAME, 9, 80,
                                           TH_DATA, 1, off[i]),
                     WASISOCK_EFAULT);
    assert_int_equal(wasisock_sock_send(h, &s.a.mem, k, TH_DATA, 4, off[i]),
                     WASISOCK_EFAULT);
    assert_int_equal(wasisock_sock_recv(h, &s.a.mem, k, TH_DATA, 4, off[i]),
                     WASISOCK_EFAULT);
    snap_same(&s);
  }
  bad_offsets(WASISOCK_ADDR_SIZE, off);
  for (i = 0; i < 5; i++) {
    assert_int_equal(wasisock_sock_connect(h, &s.a.mem, k, off[i]),
                     WASISOCK_EFAULT);
    snap_same(&s);
  }
  /* Positive controls at the exact end. */
  assert_int_equal(wasisock_sock_abi_version(h, &s.a.mem, L - 4), WASISOCK_OK);
  free(s.snap);
  th_arena_free(&s.a);
  wasisock_free(h);
}

static void test_bounds_buffers(void **state) {
  struct {
    uint32_t ptr, len;
  } bad[] = {
      {0xFFFFFFF0u, 0x20}, /* ptr + len wraps to 0x10 in u32 */
      {L - 16 + 1, 16},    /* one byte over */
      {0, L + 1},
      {0, UINT32_MAX},
      {1, UINT32_MAX},
      {UINT32_MAX, 1},
      {UINT32_MAX, 0},
      {L + 1, 0},
  };
  wasisock_t *h = th_new(0);
  uint32_t k;
  size_t i;
  snap_t s;
  (void)state;

  th_arena_init(&s.a, L);
  k = th_open(h, &s.a, AF_INET, SOCK_DGRAM);
  snap_take(&s);
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    assert_int_equal(
        wasisock_sock_send(h, &s.a.mem, k, bad[i].ptr, bad[i].len, TH_OUT),
        WASISOCK_EFAULT);
    assert_int_equal(
        wasisock_sock_recv(h, &s.a.mem, k, bad[i].ptr, bad[i].len, TH_OUT),
        WASISOCK_EFAULT);
    assert_int_equal(wasisock_sock_resolve(h, &s.a.mem, bad[i].ptr, bad[i].len,
                                           80, TH_DATA, 1, TH_OUT),
                     WASISOCK_EFAULT);
    snap_same(&s);
  }
  free(s.snap);
  th_arena_free(&s.a);
  wasisock_free(h);
}

static void test_bounds_resolve_array(void **state) {
  wasisock_t *h = th_new(0);
  snap_t s;
  (void)state;

  th_arena_init(&s.a, L);
  memcpy(th_at(&s.a, TH_NAME), "127.0.0.1", 9);
  snap_take(&s);
  /* addrs[max_addrs * 19]: one record over the end. */
  assert_int_equal(wasisock_sock_resolve(h, &s.a.mem, TH_NAME, 9, 80,
                                         L - 2 * WASISOCK_ADDR_SIZE + 1, 2,
                                         TH_OUT),
                   WASISOCK_EFAULT);
  /* 226050911 * 19 = 2^32 + 13: a 32-bit product would see 13 bytes. */
  assert_int_equal(
      wasisock_sock_resolve(h, &s.a.mem, TH_NAME, 9, 80, 0, 226050911u, TH_OUT),
      WASISOCK_EFAULT);
  assert_int_equal(
      wasisock_sock_resolve(h, &s.a.mem, TH_NAME, 9, 80, 0, UINT32_MAX, TH_OUT),
      WASISOCK_EFAULT);
  snap_same(&s);
  /* The exact fit works. */
  assert_int_equal(wasisock_sock_resolve(h, &s.a.mem, TH_NAME, 9, 80,
                                         L - WASISOCK_ADDR_SIZE, 1, TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(th_at(&s.a, L - WASISOCK_ADDR_SIZE)[0], WASISOCK_AF_INET);
  free(s.snap);
  th_arena_free(&s.a);
  wasisock_free(h);
}

/* A bad out-param on recv must not consume the data; on send it must not
 * send anything. */
static void test_bounds_no_side_effects(void **state) {
  wasisock_t *h = th_new(0);
  th_server_t srv;
  uint32_t k, got;
  snap_t s;
  (void)state;

  th_arena_init(&s.a, L);
  th_server_start(&srv, AF_INET, SOCK_STREAM, th_serve_echo, NULL);
  k = th_open(h, &s.a, AF_INET, SOCK_STREAM);
  th_connect(h, &s.a, k, AF_INET, srv.port);

  memcpy(th_at(&s.a, TH_DATA), "lost", 4);
  assert_int_equal(wasisock_sock_send(h, &s.a.mem, k, TH_DATA, 4, L - 3),
                   WASISOCK_EFAULT);
  memcpy(th_at(&s.a, TH_DATA), "kept", 4);
  th_send_all(h, &s.a, k, TH_DATA, 4);
  /* The echo is there now; bad calls must leave it in the socket. */
  snap_take(&s);
  assert_int_equal(wasisock_sock_recv(h, &s.a.mem, k, TH_DATA + 100, 100, L - 3),
                   WASISOCK_EFAULT);
  assert_int_equal(wasisock_sock_recv(h, &s.a.mem, k, L - 50, 100, TH_OUT),
                   WASISOCK_EFAULT);
  snap_same(&s);
  for (got = 0; got < 4;)
    got += th_recv(h, &s.a, k, TH_DATA + 100 + got, 4 - got);
  assert_memory_equal(th_at(&s.a, TH_DATA + 100), "kept", 4);
  th_close(h, &s.a, k);
  th_server_join(&srv);
  free(s.snap);
  th_arena_free(&s.a);
  wasisock_free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bounds_out_params),
      cmocka_unit_test(test_bounds_buffers),
      cmocka_unit_test(test_bounds_resolve_array),
      cmocka_unit_test(test_bounds_no_side_effects),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
