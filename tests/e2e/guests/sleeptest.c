/*
 * sleeptest — sleeps through the runner's poll_oneoff and reports how long
 * each sleep took on CLOCK_MONOTONIC.
 *
 *   sleeptest.wasm MODE MS...
 *
 * MODE is one of
 *   abs-mono   clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, now + MS)
 *   abs-real   clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, now + MS)
 *   abs-past   clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, now - MS):
 *              a deadline already passed returns at once
 *   rel-mono   clock_nanosleep(CLOCK_MONOTONIC, 0, MS)
 *   nanosleep  nanosleep(MS)
 * and prints "MODE MS ELAPSED_MS" per sleep (ELAPSED_MS with 3 decimals).
 * wasi-libc turns every one into a poll_oneoff with a single clock
 * subscription; the TIMER_ABSTIME ones carry SUBSCRIPTION_CLOCK_ABSTIME,
 * which Node 20's node:wasi (uvwasi) treats as a relative timeout.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long now_ns(clockid_t clock) {
  struct timespec ts;
  if (clock_gettime(clock, &ts) != 0) return -1;
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct timespec to_ts(long long ns) {
  struct timespec ts;
  ts.tv_sec = (time_t)(ns / 1000000000LL);
  ts.tv_nsec = (long)(ns % 1000000000LL);
  return ts;
}

int main(int argc, char **argv) {
  int i;
  if (argc < 3) {
    fprintf(stderr, "usage: sleeptest abs-mono|abs-real|abs-past|rel-mono|nanosleep MS...\n");
    return 2;
  }
  for (i = 2; i < argc; i++) {
    const char *mode = argv[1];
    long long ms = strtoll(argv[i], NULL, 10), d = ms * 1000000LL;
    long long t0 = now_ns(CLOCK_MONOTONIC), t1;
    struct timespec ts;
    int rc;
    if (strcmp(mode, "abs-mono") == 0) {
      ts = to_ts(t0 + d);
      rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
    } else if (strcmp(mode, "abs-real") == 0) {
      ts = to_ts(now_ns(CLOCK_REALTIME) + d);
      rc = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL);
    } else if (strcmp(mode, "abs-past") == 0) {
      ts = to_ts(t0 > d ? t0 - d : 0);
      rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
    } else if (strcmp(mode, "rel-mono") == 0) {
      ts = to_ts(d);
      rc = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
    } else if (strcmp(mode, "nanosleep") == 0) {
      ts = to_ts(d);
      rc = nanosleep(&ts, NULL) == 0 ? 0 : errno;
    } else {
      fprintf(stderr, "sleeptest: unknown mode %s\n", mode);
      return 2;
    }
    t1 = now_ns(CLOCK_MONOTONIC);
    if (rc != 0) {
      fprintf(stderr, "sleeptest: %s %lld: %s\n", mode, ms, strerror(rc));
      return 1;
    }
    printf("%s %lld %lld.%03lld\n", mode, ms, (t1 - t0) / 1000000LL,
           ((t1 - t0) / 1000LL) % 1000LL);
    fflush(stdout);
  }
  return 0;
}
