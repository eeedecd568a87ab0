/*
 * udp_ping — send numbered datagrams to a UDP echo server and time replies.
 *
 *   udp_ping HOST PORT COUNT                       (natively)
 *   wasisock-run udp_ping.wasm HOST PORT COUNT
 *
 * Connects a datagram socket to HOST:PORT (which only sets the peer), then
 * COUNT times sends "wasisock-ping seq=N" and waits up to a second, with
 * poll(), for the same bytes to come back:
 *
 *   reply from 127.0.0.1:7777: seq=1 bytes=19 time=0.153 ms
 *   no reply: seq=2
 *   ...
 *   3 packets transmitted, 2 received, rtt min/avg/max = 0.101/0.127/0.153 ms
 *
 * Exit status 0 when every reply came back and matched.  Plain BSD sockets:
 * one source, native and wasm32.
 */
#define _POSIX_C_SOURCE 200809L /* getaddrinfo, clock_gettime in strict C11 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "netutil.h"

#define REPLY_TIMEOUT_MS 1000

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int fail(const char *what, const char *peer) {
  fprintf(stderr, "udp_ping: %s %s: %s\n", what, peer, strerror(errno));
  return 1;
}

int main(int argc, char **argv) {
  struct sockaddr_storage ss;
  socklen_t sslen = sizeof(ss);
  char peer[NET_ADDRSTRLEN], msg[64], reply[512], err[256], *end;
  double min = 0, max = 0, sum = 0;
  unsigned long count, seq, received = 0;
  int fd, bad = 0;

  if (argc != 4) {
    fprintf(stderr, "usage: udp_ping HOST PORT COUNT\n");
    return 2;
  }
  count = strtoul(argv[3], &end, 10);
  if (argv[3][0] == '\0' || *end != '\0' || count == 0 || count > 1000000) {
    fprintf(stderr, "udp_ping: bad count '%s'\n", argv[3]);
    return 2;
  }

  if ((fd = net_connect(argv[1], argv[2], SOCK_DGRAM, err, sizeof(err))) < 0) {
    fprintf(stderr, "udp_ping: connect %s:%s: %s\n", argv[1], argv[2], err);
    return 1;
  }
  if (getpeername(fd, (struct sockaddr *)&ss, &sslen) < 0)
    return fail("getpeername", argv[1]);
  net_addr_text((struct sockaddr *)&ss, sslen, peer, sizeof(peer));

  for (seq = 1; seq <= count; seq++) {
    int len = snprintf(msg, sizeof msg, "wasisock-ping seq=%lu", seq);
    struct pollfd p = {fd, POLLIN, 0};
    double t0 = now_ms(), dt;
    ssize_t n;
    if (send(fd, msg, (size_t)len, 0) < 0)
      return fail("send to", peer);
    if (poll(&p, 1, REPLY_TIMEOUT_MS) < 0)
      return fail("poll", peer);
    if (p.revents == 0) {
      printf("no reply: seq=%lu\n", seq);
      bad = 1;
      continue;
    }
    if ((n = recv(fd, reply, sizeof reply, 0)) < 0)
      return fail("recv from", peer);
    dt = now_ms() - t0;
    if (n != len || memcmp(reply, msg, (size_t)len) != 0) {
      printf("bad reply from %s: seq=%lu bytes=%zd\n", peer, seq, n);
      bad = 1;
      continue;
    }
    received++;
    if (received == 1 || dt < min)
      min = dt;
    if (dt > max)
      max = dt;
    sum += dt;
    printf("reply from %s: seq=%lu bytes=%zd time=%.3f ms\n", peer, seq, n, dt);
  }
  close(fd);
  printf("%lu packets transmitted, %lu received, rtt min/avg/max = "
         "%.3f/%.3f/%.3f ms\n",
         count, received, min, received ? sum / (double)received : 0.0, max);
  return bad || received != count;
}
