/*
 * nonblock.c — posixtest cases: non-blocking connect with poll + SO_ERROR,
 * O_NONBLOCK through fcntl, ioctl and accept4, SO_RCVTIMEO/SO_SNDTIMEO.
 */
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <unistd.h>

#include "posixtest.h"

/* Starts a non-blocking connect to addr; 0 if it completed at once. */
static int start_connect(int fd, const struct sockaddr_storage *addr,
                         socklen_t len) {
  if (connect(fd, (const struct sockaddr *)addr, len) == 0)
    return 0;
  CHECK_EQ(errno, EINPROGRESS);
  return 1;
}

int case_nonblock_connect(int argc, char **argv) {
  struct sockaddr_storage addr, laddr;
  socklen_t len, llen, elen;
  struct pollfd p;
  int l, c, s, err, pending;
  char buf[4];
  (void)argc;
  (void)argv;

  /* To a listener: POLLOUT, SO_ERROR 0, then data flows. */
  l = tu_listener(AF_INET, &laddr, &llen);
  addr = laddr;
  len = llen;
  CHECK_OK(c, socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
  CHECK(fcntl(c, F_GETFL) & O_NONBLOCK);
  pending = start_connect(c, &addr, len);
  if (pending) {
    p.fd = c;
    p.events = POLLOUT;
    CHECK_EQ(poll(&p, 1, 5000), 1);
    CHECK(p.revents & POLLOUT);
  }
  elen = sizeof(err);
  CHECK(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &elen) == 0);
  CHECK_EQ(err, 0);
  /* Connected now.  Linux answers the first connect after the outcome
   * with 0, any later one with EISCONN. */
  if (pending)
    CHECK(connect(c, (struct sockaddr *)&addr, len) == 0);
  CHECK_ERR(connect(c, (struct sockaddr *)&addr, len), EISCONN);
  CHECK_OK(s, accept(l, NULL, NULL));
  CHECK_EQ(write(s, "ok", 2), 2);
  p.fd = c;
  p.events = POLLIN;
  CHECK_EQ(poll(&p, 1, 5000), 1);
  CHECK_EQ(read(c, buf, sizeof(buf)), 2);
  CHECK_ERR(read(c, buf, sizeof(buf)), EAGAIN);
  CHECK(close(c) == 0 && close(s) == 0);

  /* To a closed port: the error comes through poll and SO_ERROR, once. */
  tu_addr(AF_INET, tu_closed_port(AF_INET), &addr);
  CHECK_OK(c, socket(AF_INET, SOCK_STREAM, 0));
  CHECK(fcntl(c, F_SETFL, fcntl(c, F_GETFL) | O_NONBLOCK) == 0);
  if (start_connect(c, &addr, sizeof(struct sockaddr_in))) {
    p.fd = c;
    p.events = POLLOUT;
    CHECK_EQ(poll(&p, 1, 5000), 1);
    CHECK(p.revents & (POLLOUT | POLLERR | POLLHUP));
    elen = sizeof(err);
    CHECK(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &elen) == 0);
    CHECK_EQ(err, ECONNREFUSED);
    elen = sizeof(err);
    CHECK(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &elen) == 0);
    CHECK_EQ(err, 0); /* reading clears it */
  } else {
    CHECK_FAIL("connect to a closed port succeeded");
  }
  CHECK(close(c) == 0);

  /* Non-blocking accept with nothing pending. */
  CHECK(fcntl(l, F_SETFL, O_NONBLOCK) == 0);
  CHECK_ERR(accept(l, NULL, NULL), EAGAIN);
  CHECK(fcntl(l, F_SETFL, 0) == 0);
  CHECK_EQ(fcntl(l, F_GETFL) & O_NONBLOCK, 0);
  /* FIONBIO does the same; accept4 gives a non-blocking socket. */
  {
    int on = 1, off = 0;
    CHECK(ioctl(l, FIONBIO, &on) == 0);
    CHECK(fcntl(l, F_GETFL) & O_NONBLOCK);
    CHECK_ERR(accept(l, NULL, NULL), EAGAIN);
    CHECK(ioctl(l, FIONBIO, &off) == 0);
  }
  /* accept4: the new socket non-blocking and close-on-exec; the
   * listener's mode is not inherited otherwise. */
  c = tu_connect(&laddr, llen);
  CHECK_OK(s, accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC));
  CHECK(fcntl(s, F_GETFL) & O_NONBLOCK);
  CHECK_EQ(fcntl(s, F_GETFD), FD_CLOEXEC);
  CHECK(fcntl(s, F_SETFD, 0) == 0);
  CHECK_EQ(fcntl(s, F_GETFD), 0);
  CHECK_ERR(read(s, buf, 1), EAGAIN);
  CHECK_ERR(accept4(l, NULL, NULL, 0x40000000), EINVAL);
  CHECK(close(c) == 0 && close(s) == 0 && close(l) == 0);
  return 0;
}

int case_timeouts(int argc, char **argv) {
  struct sockaddr_storage addr;
  struct timeval tv, got;
  static char big[1 << 20];
  socklen_t len;
  double t0, ms;
  ssize_t n;
  int c, s, l, size = 4096;
  (void)argc;
  (void)argv;

  CHECK(tu_pair(AF_INET, &c, &s) == 0);
  /* SO_RCVTIMEO: recv gives up after it, with EAGAIN. */
  tv.tv_sec = 0;
  tv.tv_usec = 200000;
  CHECK(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0);
  len = sizeof(got);
  CHECK(getsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &got, &len) == 0);
  CHECK_EQ(len, sizeof(got));
  CHECK_EQ(got.tv_sec, 0);
  CHECK_EQ(got.tv_usec, 200000);
  t0 = tu_now_ms();
  CHECK_ERR(recv(c, big, 16, 0), EAGAIN);
  ms = tu_now_ms() - t0;
  if (ms < 190 || ms > 5000)
    CHECK_FAIL("SO_RCVTIMEO 200 ms: recv waited %.1f ms", ms);
  /* Data arriving in time is received. */
  CHECK_EQ(write(s, "x", 1), 1);
  CHECK_EQ(recv(c, big, 16, 0), 1);
  /* A bad timeval is EDOM (Linux); zero means none again. */
  tv.tv_usec = 1000000;
  CHECK_ERR(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), EDOM);
  CHECK_ERR(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, 4), EINVAL);
  tv.tv_usec = 0;
  CHECK(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0);
  len = sizeof(got);
  CHECK(getsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &got, &len) == 0);
  CHECK(got.tv_sec == 0 && got.tv_usec == 0);

  /* SO_SNDTIMEO: with nobody reading, a send returns what fitted, then
   * EAGAIN after the timeout. */
  CHECK(setsockopt(c, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)) == 0);
  tv.tv_sec = 0;
  tv.tv_usec = 100000;
  CHECK(setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == 0);
  for (;;) {
    t0 = tu_now_ms();
    n = send(c, big, sizeof(big), 0);
    if (n < 0)
      break;
    CHECK(n > 0);
  }
  CHECK_EQ(errno, EAGAIN);
  ms = tu_now_ms() - t0;
  if (ms < 90 || ms > 5000)
    CHECK_FAIL("SO_SNDTIMEO 100 ms: send waited %.1f ms", ms);
  CHECK(close(c) == 0 && close(s) == 0);

  /* accept obeys SO_RCVTIMEO too. */
  l = tu_listener(AF_INET, &addr, &len);
  tv.tv_usec = 100000;
  CHECK(setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0);
  t0 = tu_now_ms();
  CHECK_ERR(accept(l, NULL, NULL), EAGAIN);
  ms = tu_now_ms() - t0;
  if (ms < 90 || ms > 5000)
    CHECK_FAIL("SO_RCVTIMEO 100 ms: accept waited %.1f ms", ms);
  CHECK(close(l) == 0);
  return 0;
}
