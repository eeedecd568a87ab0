/*
 * udp_ping — send numbered datagrams to a UDP echo server and time replies.
 *
 *   wasisock-run udp_ping.wasm HOST PORT COUNT
 *
 * Uses the lower-level calls: resolves HOST, opens a datagram socket for the
 * first address and connects it (which only sets the peer), then COUNT times
 * sends "wasisock-ping seq=N" and waits for the same bytes to come back:
 *
 *   reply from 127.0.0.1:7777: seq=1 bytes=19 time=0.153 ms
 *   ...
 *   3 packets transmitted, 3 received, rtt min/avg/max = 0.101/0.130/0.153 ms
 *
 * Revision 1 of the ABI has no timeouts: a lost datagram blocks forever, so
 * use it against servers that answer.  Exit status 0 when every reply matched.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime in strict C11 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wasisock.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int fail(const char *what, const char *peer) {
  int err = errno;
  fprintf(stderr, "udp_ping: %s %s: %s (%s)\n", what, peer,
          wasisock_errno_name(err), strerror(err));
  return 1;
}

int main(int argc, char **argv) {
  wasisock_addr_t addr;
  char peer[WASISOCK_ADDRSTRLEN], msg[64], reply[512];
  double min = 0, max = 0, sum = 0;
  unsigned long port, count, seq, received = 0;
  char *end;
  int h, bad = 0;

  if (argc != 4) {
    fprintf(stderr, "usage: udp_ping HOST PORT COUNT\n");
    return 2;
  }
  port = strtoul(argv[2], &end, 10);
  if (argv[2][0] == '\0' || *end != '\0' || port == 0 || port > 65535) {
    fprintf(stderr, "udp_ping: bad port '%s'\n", argv[2]);
    return 2;
  }
  count = strtoul(argv[3], &end, 10);
  if (argv[3][0] == '\0' || *end != '\0' || count == 0 || count > 1000000) {
    fprintf(stderr, "udp_ping: bad count '%s'\n", argv[3]);
    return 2;
  }

  if (wasisock_resolve(argv[1], (uint16_t)port, &addr, 1) < 0)
    return fail("resolve", argv[1]);
  if (wasisock_addr_format(&addr, peer, sizeof peer) == NULL)
    return fail("format", argv[1]);
  h = wasisock_socket(addr.family, WASISOCK_SOCK_DGRAM);
  if (h < 0) return fail("socket for", peer);
  if (wasisock_connect(h, &addr) < 0) return fail("connect", peer);

  for (seq = 1; seq <= count; seq++) {
    int len = snprintf(msg, sizeof msg, "wasisock-ping seq=%lu", seq);
    double t0 = now_ms(), dt;
    ssize_t n;
    if (wasisock_send(h, msg, (size_t)len) < 0) return fail("send to", peer);
    n = wasisock_recv(h, reply, sizeof reply);
    if (n < 0) return fail("recv from", peer);
    dt = now_ms() - t0;
    if (n != len || memcmp(reply, msg, (size_t)len) != 0) {
      printf("bad reply from %s: seq=%lu bytes=%zd\n", peer, seq, n);
      bad = 1;
      continue;
    }
    received++;
    if (received == 1 || dt < min) min = dt;
    if (dt > max) max = dt;
    sum += dt;
    printf("reply from %s: seq=%lu bytes=%zd time=%.3f ms\n", peer, seq, n, dt);
  }
  wasisock_close(h);
  printf("%lu packets transmitted, %lu received, rtt min/avg/max = "
         "%.3f/%.3f/%.3f ms\n",
         count, received, min, received ? sum / (double)received : 0.0, max);
  return bad || received != count;
}
