/* sock_poll's loop path when its deadline has passed by the time the loop
 * runs (the host thread was descheduled, or starting the watchers took
 * longer than the timeout): it must return at once with nready 0.
 *
 * The bug this guards against: libuv's uv_run(UV_RUN_ONCE) runs due timers
 * first, then blocks for I/O with the timeout of the next timer — none
 * left once the instance timer has fired — so the call slept until one of
 * the sockets became ready, possibly for ever.  Found by fuzz-imports
 * (tests/fuzz/corpus/imports/crash-poll-late-deadline).
 *
 * The delay is made deterministic with a link-time wrap (-Wl,--wrap=
 * uv_poll_start, as STYLE.md allows for what a real socket cannot produce):
 * starting each watcher takes 5 ms, so a 1 ms deadline is long gone when
 * the loop turns.  A datagram sent after 1 s ends the wait if the bug is
 * back, and the elapsed time says so. */
#include "helpers.h"

#include <string.h>
#include <unistd.h>

#include <uv.h>

#define N 300
#define SUBS TH_DATA

int __real_uv_poll_start(uv_poll_t *handle, int events, uv_poll_cb cb);

int __wrap_uv_poll_start(uv_poll_t *handle, int events, uv_poll_cb cb) {
  th_sleep_ms(5);
  return __real_uv_poll_start(handle, events, cb);
}

static void test_poll_late_deadline(void **state) {
  wasisock_poll_sub_t s;
  wasisock_t *h = th_host(state);
  uint32_t k[3], i;
  uint16_t rescue_port = 0;
  th_later_t rescue;
  th_arena_t *a = th_arena(state);
  double t0, dt;

  for (i = 0; i < 3; i++) {
    k[i] = th_open(h, a, AF_INET, SOCK_DGRAM);
    rescue_port = th_bind_loopback(h, a, k[i], AF_INET);
  }
  /* N records over 3 idle sockets: more than one poll(2), so the loop. */
  for (i = 0; i < N; i++) {
    s.handle = k[i % 3];
    s.events = WASISOCK_POLLIN;
    s.revents = 0;
    wasisock_poll_sub_write(th_at(a, SUBS + 8 * i), &s);
  }
  th_send_later(&rescue, rescue_port, 1000);
  t0 = th_now_ms();
  assert_int_equal(wasisock_sock_poll(h, &a->mem, SUBS, N, 1, TH_OUT),
                   WASISOCK_OK);
  dt = th_now_ms() - t0;
  th_send_later_join(&rescue);
  /* 3 watchers × 5 ms, then at once: well under the rescue's 1 s. */
  assert_true(dt < 700);
  assert_int_equal(th_u32(a, TH_OUT), 0);
  for (i = 0; i < 3; i++)
    th_close(h, a, k[i]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_poll_late_deadline, 1 << 16),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
