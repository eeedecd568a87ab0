/*
 * sleep.c — clock_nanosleep() never returns before the time asked (wrapped:
 * wasi-libc's nanosleep, sleep and usleep go through it, and CPython's
 * time.sleep calls it).
 *
 * POSIX: a sleep lasts at least the time requested.  Node's poll_oneoff
 * (uvwasi on a libuv timer: whole milliseconds from the loop's cached time)
 * can wake the guest up to a millisecond early — time.sleep(0.02) measured
 * 19.74 ms by CLOCK_MONOTONIC.  So after the engine's sleep the layer looks
 * at the clock the caller named and sleeps again for what is left.
 */
#include <stdint.h>
#include <time.h>

#include "internal.h"

int __real_clock_nanosleep(clockid_t, int, const struct timespec *,
                           struct timespec *);

#define NS_PER_S 1000000000L

/* a - b, or 0 when a is not after b. */
static struct timespec wasisock__left(const struct timespec *a,
                                      const struct timespec *b) {
  struct timespec d = {0, 0};

  if (a->tv_sec < b->tv_sec ||
      (a->tv_sec == b->tv_sec && a->tv_nsec <= b->tv_nsec))
    return d;
  d.tv_sec = a->tv_sec - b->tv_sec;
  d.tv_nsec = a->tv_nsec - b->tv_nsec;
  if (d.tv_nsec < 0) {
    d.tv_sec--;
    d.tv_nsec += NS_PER_S;
  }
  return d;
}

int __wrap_clock_nanosleep(clockid_t clock, int flags,
                           const struct timespec *req, struct timespec *rem) {
  struct timespec deadline, now, left;
  int r;

  /* What the engine's sleep refuses (a bad pointer or value) it answers. */
  if (req == NULL || !wasisock__mem_ok(req, sizeof(*req)) || req->tv_sec < 0 ||
      req->tv_nsec < 0 || req->tv_nsec >= NS_PER_S)
    return __real_clock_nanosleep(clock, flags, req, rem);
  if (flags & TIMER_ABSTIME) {
    deadline = *req;
  } else {
    if (clock_gettime(clock, &now) != 0 ||
        req->tv_sec > INT64_MAX - now.tv_sec - 1)
      return __real_clock_nanosleep(clock, flags, req, rem);
    deadline.tv_sec = now.tv_sec + req->tv_sec;
    deadline.tv_nsec = now.tv_nsec + req->tv_nsec;
    if (deadline.tv_nsec >= NS_PER_S) {
      deadline.tv_sec++;
      deadline.tv_nsec -= NS_PER_S;
    }
  }
  r = __real_clock_nanosleep(clock, flags, req, rem);
  while (r == 0 && clock_gettime(clock, &now) == 0) {
    left = wasisock__left(&deadline, &now);
    if (left.tv_sec == 0 && left.tv_nsec == 0)
      break;
    r = __real_clock_nanosleep(clock, 0, &left, NULL);
  }
  return r;
}
