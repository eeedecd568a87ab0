/* sock_poll over more records than one poll(2) takes (300 handles, past
 * WASISOCK__POLL_CHUNK): the wait runs on the instance loop with the
 * sockets' uv_poll_t.  It wakes for the one datagram sent later, round
 * after round (the poll handles are made once and reused; valgrind's leak
 * check sees them freed with the instance), times out, and the same
 * sockets then wait in poll(2) itself in a small call. */
#include "helpers.h"

#include <string.h>
#include <unistd.h>

#define N 300
#define SUBS TH_DATA

static void subs_fill(th_arena_t *a, const uint32_t *k, uint32_t n) {
  wasisock_poll_sub_t s;
  uint32_t i;

  for (i = 0; i < n; i++) {
    s.handle = k[i];
    s.events = WASISOCK_POLLIN;
    s.revents = 0xA5A5;
    wasisock_poll_sub_write(th_at(a, SUBS + 8 * i), &s);
  }
}

static uint16_t revents_of(th_arena_t *a, uint32_t i) {
  wasisock_poll_sub_t s;
  wasisock_poll_sub_read(th_at(a, SUBS + 8 * i), &s);
  return s.revents;
}

static void test_poll_loop_wakes(void **state) {
  static uint32_t k[N];
  static uint16_t port[N];
  wasisock_t *h = th_new(N + 8);
  uint32_t i, which;
  th_arena_t a;
  double t0, dt;
  th_later_t l;
  int round;
  (void)state;

  th_arena_init(&a, 1 << 16);
  for (i = 0; i < N; i++) {
    k[i] = th_open(h, &a, AF_INET, SOCK_DGRAM);
    port[i] = th_bind_loopback(h, &a, k[i], AF_INET);
  }
  for (round = 0; round < 4; round++) {
    which = (uint32_t)(round * 97 + 260) % N; /* both chunks */
    subs_fill(&a, k, N);
    th_send_later(&l, port[which], 30);
    t0 = th_now_ms();
    assert_int_equal(wasisock_sock_poll(h, &a.mem, SUBS, N,
                                        round % 2 ? (uint32_t)-1 : 5000,
                                        TH_OUT),
                     WASISOCK_OK);
    assert_true(th_now_ms() - t0 < 4000);
    th_send_later_join(&l);
    assert_int_equal(th_u32(&a, TH_OUT), 1);
    for (i = 0; i < N; i++)
      assert_int_equal(revents_of(&a, i), i == which ? WASISOCK_POLLIN : 0);
    assert_int_equal(th_recv(h, &a, k[which], 100, 10), 1);
  }
  /* Nothing comes: the deadline. */
  subs_fill(&a, k, N);
  t0 = th_now_ms();
  assert_int_equal(wasisock_sock_poll(h, &a.mem, SUBS, N, 120, TH_OUT),
                   WASISOCK_OK);
  dt = th_now_ms() - t0;
  assert_int_equal(th_u32(&a, TH_OUT), 0);
  assert_true(dt >= 110 && dt < 600);
  /* The same sockets in a small call: poll(2) waits, wakes for one. */
  subs_fill(&a, k, 4);
  th_send_later(&l, port[2], 30);
  assert_int_equal(wasisock_sock_poll(h, &a.mem, SUBS, 4, 5000, TH_OUT),
                   WASISOCK_OK);
  th_send_later_join(&l);
  assert_int_equal(th_u32(&a, TH_OUT), 1);
  assert_int_equal(revents_of(&a, 2), WASISOCK_POLLIN);
  /* Closing sockets that have poll handles (freed by sock_close's loop
   * turn, or by wasisock_free for the ones left open). */
  for (i = 0; i < N; i += 2)
    th_close(h, &a, k[i]);
  th_arena_free(&a);
  wasisock_free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_poll_loop_wakes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
