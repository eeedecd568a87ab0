/*
 * sleep.c — posixtest case: a sleep lasts at least the time asked, by the
 * clock it names (POSIX), relative and absolute, through clock_nanosleep,
 * nanosleep and usleep.  Short sleeps in a row, where an engine that
 * rounds to its timer's milliseconds would wake early.
 */
#include <time.h>
#include <unistd.h>

#include "posixtest.h"

static long long ns_of(clockid_t clock) {
  struct timespec ts;

  clock_gettime(clock, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int case_sleep(int argc, char **argv) {
  struct timespec req, abs;
  long long t0, asked;
  int i;
  (void)argc;
  (void)argv;

  for (i = 0; i < 20; i++) {
    asked = 1000000LL + i * 150000LL; /* 1 ms .. 3.85 ms, off the ms grid */
    req.tv_sec = 0;
    req.tv_nsec = (long)asked;
    t0 = ns_of(CLOCK_MONOTONIC);
    CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL), 0);
    if (ns_of(CLOCK_MONOTONIC) - t0 < asked)
      CHECK_FAIL("clock_nanosleep %lld ns returned after %lld ns", asked,
                 ns_of(CLOCK_MONOTONIC) - t0);
    t0 = ns_of(CLOCK_REALTIME);
    CHECK_EQ(nanosleep(&req, NULL), 0);
    if (ns_of(CLOCK_REALTIME) - t0 < asked)
      CHECK_FAIL("nanosleep %lld ns returned early", asked);
  }
  /* Absolute: not before the deadline. */
  clock_gettime(CLOCK_MONOTONIC, &abs);
  abs.tv_nsec += 20000000L;
  if (abs.tv_nsec >= 1000000000L) {
    abs.tv_sec++;
    abs.tv_nsec -= 1000000000L;
  }
  CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL), 0);
  CHECK(ns_of(CLOCK_MONOTONIC) >=
        (long long)abs.tv_sec * 1000000000LL + abs.tv_nsec);
  t0 = ns_of(CLOCK_MONOTONIC);
  CHECK_EQ(usleep(20000), 0);
  CHECK(ns_of(CLOCK_MONOTONIC) - t0 >= 20000000LL);
  /* A bad request is EINVAL, as before. */
  req.tv_sec = 0;
  req.tv_nsec = 1000000000L;
  CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL), EINVAL);
  return 0;
}
