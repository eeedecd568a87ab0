/* sock_poll over 200 handles: exactly the readable one is reported, by the
 * poll(2) fast path and after a wait (in poll(2) itself at this size;
 * test-poll-loop.c waits on the loop); timeouts; POLLNVAL per record for a
 * closed handle; nsubs 0 sleeps; argument errors. */
#include "helpers.h"

#include <string.h>
#include <unistd.h>

#define N 200
#define SUBS TH_DATA /* N records of 8 bytes */

typedef struct {
  wasisock_t *h;
  th_arena_t a;
  uint32_t k[N];
  uint16_t port[N];
} many_t;

static void many_open(many_t *m) {
  int i;
  m->h = th_new(0);
  th_arena_init(&m->a, 1 << 16);
  for (i = 0; i < N; i++) {
    m->k[i] = th_open(m->h, &m->a, AF_INET, SOCK_DGRAM);
    m->port[i] = th_bind_loopback(m->h, &m->a, m->k[i], AF_INET);
  }
}

static void many_close(many_t *m) {
  int i;
  for (i = 0; i < N; i++)
    th_close(m->h, &m->a, m->k[i]);
  th_arena_free(&m->a);
  wasisock_free(m->h);
}

static void subs_fill(many_t *m, uint16_t events) {
  wasisock_poll_sub_t s;
  int i;
  for (i = 0; i < N; i++) {
    s.handle = m->k[i];
    s.events = events;
    s.revents = 0xA5A5; /* overwritten */
    wasisock_poll_sub_write(th_at(&m->a, SUBS + 8 * (uint32_t)i), &s);
  }
}

static uint16_t revents_of(many_t *m, int i) {
  wasisock_poll_sub_t s;
  wasisock_poll_sub_read(th_at(&m->a, SUBS + 8 * (uint32_t)i), &s);
  return s.revents;
}


static void expect_only(many_t *m, int which, uint16_t rev) {
  int i;
  assert_int_equal(th_u32(&m->a, TH_OUT), 1);
  for (i = 0; i < N; i++)
    assert_int_equal(revents_of(m, i), i == which ? rev : 0);
}

static void test_poll_many_fast_path(void **state) {
  many_t m;
  (void)state;

  many_open(&m);
  /* Nothing ready, timeout 0: nready 0, every revents 0. */
  subs_fill(&m, WASISOCK_POLLIN);
  assert_int_equal(
      wasisock_sock_poll(m.h, &m.a.mem, SUBS, N, 0, TH_OUT), WASISOCK_OK);
  assert_int_equal(th_u32(&m.a, TH_OUT), 0);
  assert_int_equal(revents_of(&m, 0), 0);
  /* One datagram to #137: exactly that record. */
  th_native_sendto(AF_INET, m.port[137], "x", 1);
  subs_fill(&m, WASISOCK_POLLIN);
  assert_int_equal(
      wasisock_sock_poll(m.h, &m.a.mem, SUBS, N, 1000, TH_OUT), WASISOCK_OK);
  expect_only(&m, 137, WASISOCK_POLLIN);
  /* Handles and events are left as they were. */
  {
    wasisock_poll_sub_t s;
    wasisock_poll_sub_read(th_at(&m.a, SUBS + 8 * 137), &s);
    assert_int_equal(s.handle, m.k[137]);
    assert_int_equal(s.events, WASISOCK_POLLIN);
  }
  /* POLLOUT: every UDP socket is writable. */
  subs_fill(&m, WASISOCK_POLLOUT);
  assert_int_equal(
      wasisock_sock_poll(m.h, &m.a.mem, SUBS, N, -1, TH_OUT), WASISOCK_OK);
  assert_int_equal(th_u32(&m.a, TH_OUT), N);
  assert_int_equal(revents_of(&m, 199), WASISOCK_POLLOUT);
  many_close(&m);
}

/* Nothing ready at first: the wait on the loop wakes for the one datagram
 * sent later, many times over (the steady state: no allocation per call,
 * checked by valgrind's leak check at the end). */
static void test_poll_many_wakes(void **state) {
  th_later_t l;
  double t0;
  many_t m;
  int round, which;
  (void)state;

  many_open(&m);
  for (round = 0; round < 5; round++) {
    which = (round * 37 + 11) % N;
    subs_fill(&m, WASISOCK_POLLIN);
    th_send_later(&l, m.port[which], 30);
    t0 = th_now_ms();
    assert_int_equal(
        wasisock_sock_poll(m.h, &m.a.mem, SUBS, N, round % 2 ? -1 : 5000,
                           TH_OUT),
        WASISOCK_OK);
    assert_true(th_now_ms() - t0 < 4000);
    th_send_later_join(&l);
    expect_only(&m, which, WASISOCK_POLLIN);
    /* Consume it. */
    assert_int_equal(th_recv(m.h, &m.a, m.k[which], 100, 10), 1);
  }
  many_close(&m);
}

static void test_poll_timeout(void **state) {
  double t0, dt;
  many_t m;
  (void)state;

  many_open(&m);
  subs_fill(&m, WASISOCK_POLLIN);
  t0 = th_now_ms();
  assert_int_equal(
      wasisock_sock_poll(m.h, &m.a.mem, SUBS, N, 150, TH_OUT), WASISOCK_OK);
  dt = th_now_ms() - t0;
  assert_int_equal(th_u32(&m.a, TH_OUT), 0);
  assert_true(dt >= 140 && dt < 600);
  /* A handful of records: the stack path. */
  t0 = th_now_ms();
  assert_int_equal(
      wasisock_sock_poll(m.h, &m.a.mem, SUBS, 3, 100, TH_OUT), WASISOCK_OK);
  dt = th_now_ms() - t0;
  assert_int_equal(th_u32(&m.a, TH_OUT), 0);
  assert_true(dt >= 90 && dt < 500);
  many_close(&m);
}

/* A closed handle: POLLNVAL in its record, at once even with no timeout. */
static void test_poll_nval(void **state) {
  wasisock_poll_sub_t s[3];
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k1, k2;
  double t0;
  int i;

  k1 = th_open(h, a, AF_INET, SOCK_DGRAM);
  k2 = th_open(h, a, AF_INET, SOCK_DGRAM);
  th_bind_loopback(h, a, k1, AF_INET);
  th_close(h, a, k2);
  s[0].handle = k1;
  s[0].events = WASISOCK_POLLIN;
  s[1].handle = k2; /* closed */
  s[1].events = WASISOCK_POLLIN;
  s[2].handle = 7; /* never a handle */
  s[2].events = 0;
  for (i = 0; i < 3; i++) {
    s[i].revents = 0;
    wasisock_poll_sub_write(th_at(a, TH_DATA + 8 * (uint32_t)i), &s[i]);
  }
  t0 = th_now_ms();
  assert_int_equal(wasisock_sock_poll(h, &a->mem, TH_DATA, 3, -1, TH_OUT),
                   WASISOCK_OK);
  assert_true(th_now_ms() - t0 < 100);
  assert_int_equal(th_u32(a, TH_OUT), 2);
  for (i = 0; i < 3; i++)
    wasisock_poll_sub_read(th_at(a, TH_DATA + 8 * (uint32_t)i), &s[i]);
  assert_int_equal(s[0].revents, 0);
  assert_int_equal(s[1].revents, WASISOCK_POLLNVAL);
  assert_int_equal(s[2].revents, WASISOCK_POLLNVAL);
  th_close(h, a, k1);
}

/* A TCP socket whose both directions are shut: POLLHUP (asked for nothing,
 * reported anyway); the peer's close: POLLIN (end of stream is readable). */
static void test_poll_hup(void **state) {
  wasisock_poll_sub_t s;
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k;
  int fd;

  th_tcp_pair(h, a, AF_INET, &k, &fd);
  s.handle = k;
  s.events = WASISOCK_POLLIN;
  s.revents = 0;
  wasisock_poll_sub_write(th_at(a, TH_DATA), &s);
  close(fd);
  assert_int_equal(wasisock_sock_poll(h, &a->mem, TH_DATA, 1, 1000, TH_OUT),
                   WASISOCK_OK);
  wasisock_poll_sub_read(th_at(a, TH_DATA), &s);
  assert_true(s.revents & WASISOCK_POLLIN);
  assert_int_equal(wasisock_sock_shutdown(h, &a->mem, k, WASISOCK_SHUT_RDWR),
                   WASISOCK_OK);
  s.events = 0;
  wasisock_poll_sub_write(th_at(a, TH_DATA), &s);
  assert_int_equal(wasisock_sock_poll(h, &a->mem, TH_DATA, 1, 1000, TH_OUT),
                   WASISOCK_OK);
  wasisock_poll_sub_read(th_at(a, TH_DATA), &s);
  assert_true(s.revents & WASISOCK_POLLHUP);
  assert_int_equal(s.revents & (WASISOCK_POLLIN | WASISOCK_POLLOUT), 0);
  th_close(h, a, k);
}

static void test_poll_zero_subs_sleeps(void **state) {
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  double t0, dt;

  t0 = th_now_ms();
  assert_int_equal(wasisock_sock_poll(h, &a->mem, 0, 0, 120, TH_OUT),
                   WASISOCK_OK);
  dt = th_now_ms() - t0;
  assert_int_equal(th_u32(a, TH_OUT), 0);
  assert_true(dt >= 110 && dt < 500);
  /* At once with timeout 0; never with no timeout at all (EINVAL). */
  assert_int_equal(wasisock_sock_poll(h, &a->mem, 0, 0, 0, TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(wasisock_sock_poll(h, &a->mem, 0, 0, (uint32_t)-1, TH_OUT),
                   WASISOCK_EINVAL);
}

static void test_poll_errors(void **state) {
  wasisock_poll_sub_t s;
  wasisock_t *h = th_host(state);
  th_arena_t *a = th_arena(state);
  uint32_t k;

  k = th_open(h, a, AF_INET, SOCK_DGRAM);
  memset(th_at(a, TH_OUT), TH_FILL_BYTE, 4);
  /* More than WASISOCK_POLL_MAX records (all in memory): EINVAL. */
  assert_int_equal(wasisock_sock_poll(h, &a->mem, TH_DATA,
                                      WASISOCK_POLL_MAX + 1, 0, TH_OUT),
                   WASISOCK_EINVAL);
  /* Unknown event bits; ERR/HUP/NVAL in events are accepted and ignored. */
  s.handle = k;
  s.events = 0x4;
  s.revents = 0;
  wasisock_poll_sub_write(th_at(a, TH_DATA), &s);
  assert_int_equal(wasisock_sock_poll(h, &a->mem, TH_DATA, 1, 0, TH_OUT),
                   WASISOCK_EINVAL);
  assert_int_equal(th_at(a, TH_OUT)[0], TH_FILL_BYTE);
  assert_int_equal(th_at(a, TH_DATA + 6)[0], 0); /* revents untouched */
  s.events = WASISOCK_POLLOUT | WASISOCK_POLLERR | WASISOCK_POLLHUP |
             WASISOCK_POLLNVAL;
  wasisock_poll_sub_write(th_at(a, TH_DATA), &s);
  assert_int_equal(wasisock_sock_poll(h, &a->mem, TH_DATA, 1, 0, TH_OUT),
                   WASISOCK_OK);
  wasisock_poll_sub_read(th_at(a, TH_DATA), &s);
  assert_int_equal(s.revents, WASISOCK_POLLOUT);
  /* The whole WASISOCK_POLL_MAX is fine (the same handle, over and over). */
  {
    uint32_t i;
    for (i = 0; i < WASISOCK_POLL_MAX; i++)
      wasisock_poll_sub_write(th_at(a, TH_DATA + 8 * i), &s);
  }
  assert_int_equal(wasisock_sock_poll(h, &a->mem, TH_DATA, WASISOCK_POLL_MAX, 0,
                                      TH_OUT),
                   WASISOCK_OK);
  assert_int_equal(th_u32(a, TH_OUT), WASISOCK_POLL_MAX);
  th_close(h, a, k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_poll_many_fast_path),
      cmocka_unit_test(test_poll_many_wakes),
      cmocka_unit_test(test_poll_timeout),
      th_unit_test(test_poll_nval, 4096),
      th_unit_test(test_poll_hup, 4096),
      th_unit_test(test_poll_zero_subs_sleeps, 4096),
      th_unit_test(test_poll_errors, (WASISOCK_POLL_MAX + 2) * 8 + TH_DATA),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
