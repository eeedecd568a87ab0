/*
 * pollcase.c — posixtest cases: poll and select over sockets (poll,
 * select), and over a socket and a pipe on stdin together (stdin: the
 * driver writes "hello\n" to the guest's stdin STDIN_DELAY ms after start,
 * then closes it).
 */
#include <poll.h>
#include <sys/select.h>
#include <unistd.h>

#include "posixtest.h"

int case_poll(int argc, char **argv) {
  struct pollfd p[3];
  double t0, ms;
  int c, s, closed;
  char buf[8];
  (void)argc;
  (void)argv;

  CHECK(tu_pair(AF_INET, &c, &s) == 0);
  /* Nothing to read: a timeout, on time. */
  p[0].fd = c;
  p[0].events = POLLIN;
  t0 = tu_now_ms();
  CHECK_EQ(poll(p, 1, 100), 0);
  ms = tu_now_ms() - t0;
  if (ms < 95 || ms > 5000)
    CHECK_FAIL("poll 100 ms returned after %.1f ms", ms);
  CHECK_EQ(p[0].revents, 0);
  /* Writable at once; readable once data came. */
  p[0].events = POLLIN | POLLOUT;
  CHECK_EQ(poll(p, 1, 0), 1);
  CHECK_EQ(p[0].revents, POLLOUT);
  CHECK_EQ(write(s, "ab", 2), 2);
  p[0].events = POLLIN;
  CHECK_EQ(poll(p, 1, 5000), 1);
  CHECK_EQ(p[0].revents, POLLIN);
  /* A closed descriptor is POLLNVAL, a negative one ignored. */
  CHECK_OK(closed, socket(AF_INET, SOCK_STREAM, 0));
  CHECK(close(closed) == 0);
  p[1].fd = closed;
  p[1].events = POLLIN;
  p[2].fd = -7;
  p[2].events = POLLIN;
  CHECK_EQ(poll(p, 3, 5000), 2);
  CHECK_EQ(p[0].revents, POLLIN);
  CHECK_EQ(p[1].revents, POLLNVAL);
  CHECK_EQ(p[2].revents, 0);
  /* The peer closes: readable, and read says end of stream. */
  CHECK_EQ(read(c, buf, sizeof(buf)), 2);
  CHECK(close(s) == 0);
  CHECK_EQ(poll(p, 1, 5000), 1);
  CHECK(p[0].revents & POLLIN);
  CHECK_EQ(read(c, buf, sizeof(buf)), 0);
  CHECK(close(c) == 0);
  /* No descriptors: a sleep. */
  t0 = tu_now_ms();
  CHECK_EQ(poll(NULL, 0, 50), 0);
  ms = tu_now_ms() - t0;
  if (ms < 45 || ms > 5000)
    CHECK_FAIL("poll(NULL, 0, 50) returned after %.1f ms", ms);
  return 0;
}

int case_select(int argc, char **argv) {
  fd_set rd, wr, ex;
  struct timeval tv;
  double t0, ms;
  int c, s, closed, n;
  (void)argc;
  (void)argv;

  CHECK(tu_pair(AF_INET, &c, &s) == 0);
  FD_ZERO(&rd);
  FD_SET(c, &rd);
  tv.tv_sec = 0;
  tv.tv_usec = 100000;
  t0 = tu_now_ms();
  CHECK_EQ(select(c + 1, &rd, NULL, NULL, &tv), 0);
  ms = tu_now_ms() - t0;
  if (ms < 95 || ms > 5000)
    CHECK_FAIL("select 100 ms returned after %.1f ms", ms);
  CHECK(!FD_ISSET(c, &rd));

  /* Readable and writable; exceptfds accepted, nothing exceptional. */
  CHECK_EQ(write(s, "x", 1), 1);
  FD_ZERO(&rd);
  FD_ZERO(&wr);
  FD_ZERO(&ex);
  FD_SET(c, &rd);
  FD_SET(s, &rd);
  FD_SET(c, &wr);
  FD_SET(c, &ex);
  n = (c > s ? c : s) + 1;
  tv.tv_sec = 5;
  tv.tv_usec = 0;
  CHECK_EQ(select(n, &rd, &wr, &ex, &tv), 2);
  CHECK(FD_ISSET(c, &rd) && !FD_ISSET(s, &rd));
  CHECK(FD_ISSET(c, &wr));
  CHECK(!FD_ISSET(c, &ex));

  /* Descriptors at or above nfds are not looked at. */
  FD_ZERO(&rd);
  FD_SET(c, &rd);
  tv.tv_sec = 0;
  tv.tv_usec = 0;
  CHECK_EQ(select(c, &rd, NULL, NULL, &tv), 0);
  CHECK(!FD_ISSET(c, &rd));

  /* A closed descriptor: EBADF.  A bad timeout: EINVAL. */
  CHECK_OK(closed, socket(AF_INET, SOCK_STREAM, 0));
  CHECK(close(closed) == 0);
  FD_ZERO(&rd);
  FD_SET(closed, &rd);
  CHECK_ERR(select(closed + 1, &rd, NULL, NULL, &tv), EBADF);
  FD_ZERO(&rd);
  FD_SET(c, &rd);
  tv.tv_usec = -1;
  CHECK_ERR(select(c + 1, &rd, NULL, NULL, &tv), EINVAL);
  CHECK_ERR(select(-1, NULL, NULL, NULL, NULL), EINVAL);
  CHECK(close(c) == 0 && close(s) == 0);
  return 0;
}

int case_stdin(int argc, char **argv) {
  struct pollfd p[2];
  fd_set rd;
  double t0, ms;
  int c, s;
  char buf[16];
  (void)argc;
  (void)argv;

  CHECK(tu_pair(AF_INET, &c, &s) == 0);
  /* Waiting on both: stdin's line wakes the call. */
  p[0].fd = c;
  p[0].events = POLLIN;
  p[1].fd = 0;
  p[1].events = POLLIN;
  CHECK_EQ(poll(p, 2, 10000), 1);
  CHECK_EQ(p[0].revents, 0);
  CHECK(p[1].revents & POLLIN);
  CHECK_EQ(read(0, buf, sizeof(buf)), 6);
  CHECK(memcmp(buf, "hello\n", 6) == 0);

  /* A socket wakes it at once while stdin stays quiet (the driver keeps
   * the pipe open for a while). */
  CHECK_EQ(write(s, "x", 1), 1);
  t0 = tu_now_ms();
  CHECK_EQ(poll(p, 2, 10000), 1);
  ms = tu_now_ms() - t0;
  CHECK_EQ(p[0].revents, POLLIN);
  CHECK_EQ(p[1].revents, 0);
  if (ms > 1000)
    CHECK_FAIL("a ready socket took %.1f ms to wake poll", ms);
  CHECK_EQ(read(c, buf, sizeof(buf)), 1);

  /* select over both, until stdin's end of file. */
  FD_ZERO(&rd);
  FD_SET(0, &rd);
  FD_SET(c, &rd);
  CHECK_EQ(select(c + 1, &rd, NULL, NULL, NULL), 1);
  CHECK(FD_ISSET(0, &rd) && !FD_ISSET(c, &rd));
  CHECK_EQ(read(0, buf, sizeof(buf)), 0);
  CHECK(close(c) == 0 && close(s) == 0);
  return 0;
}
