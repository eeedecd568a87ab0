/*
 * client.c — bench-client, the C client of the benchmarks, built twice from
 * this one file: natively (BSD sockets; the physical limit of this machine)
 * and for wasm32-wasip1 (the guest library over the wasisock imports, run
 * by wasisock-run; what the host costs without an interpreter on top).
 *
 *   bench-client echo PORT N       N 64-byte round trips on one connection
 *   bench-client bulk PORT MIB     MIB MiB in 1 MiB sends, then the 1-byte ack
 *   bench-client connect PORT N [NADDR [SPIN_US]]
 *                                  N connect + close, to 127.0.0.1,
 *                                  127.0.0.2, ... 127.0.0.NADDR in turn;
 *                                  SPIN_US: busy for that long after each
 *                                  close (what a microsecond of the
 *                                  client's own time costs a connection:
 *                                  docs/PERFORMANCE.md; not in bench.py)
 *   bench-client hostcall N        N sock_abi_version calls (wasm: through
 *                                  the import; native: libwasisock called
 *                                  directly through its import table)
 *
 * Each prints one JSON object with the elapsed seconds of the measured loop
 * only (start-up and connection set-up excluded), e.g. {"seconds": 0.12}.
 * Talks to 127.0.0.1 only.
 */
#define _DEFAULT_SOURCE /* clock_gettime, MSG_NOSIGNAL */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wasisock.h"

#define BENCH_MAX_ADDRS 64

#if defined(__wasm32__)
/* ---- wasm32: the guest library ------------------------------------------ */
static wasisock_addr_t bench__addrs[BENCH_MAX_ADDRS];

/* Connects to 127.0.0.(1 + host); each address is resolved once. */
static int bench__connect(int port, int host) {
  wasisock_addr_t *a = &bench__addrs[host];
  char name[16];
  int h;

  snprintf(name, sizeof(name), "127.0.0.%d", 1 + host);
  if (a->family == 0 && wasisock_resolve(name, (uint16_t)port, a, 1) != 1)
    return -1;
  if ((h = wasisock_socket(WASISOCK_AF_INET, WASISOCK_SOCK_STREAM)) < 0)
    return -1;
  if (wasisock_connect(h, a) != 0) {
    wasisock_close(h);
    return -1;
  }
  return h;
}
#define bench__send wasisock_send
#define bench__recv wasisock_recv
#define bench__close wasisock_close

static int bench__hostcall(unsigned long n) {
  uint32_t rev = 0;

  for (unsigned long i = 0; i < n; i++)
    if (__wasisock_sock_abi_version(&rev) != 0)
      return -1;
  return n == 0 || rev == WASISOCK_ABI_REVISION ? 0 : -1;
}
#else
/* ---- native: BSD sockets ------------------------------------------------ */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

/* Connects to 127.0.0.(1 + host). */
static int bench__connect(int port, int host) {
  struct sockaddr_in sa;
  int fd;

  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK + (uint32_t)host);
  if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
    return -1;
  if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}
static ssize_t bench__send(int fd, const void *buf, size_t len) {
  return send(fd, buf, len, MSG_NOSIGNAL);
}
#define bench__recv(fd, buf, len) recv(fd, buf, len, 0)
#define bench__close close

static int bench__hostcall(unsigned long n) {
  const wasisock_import_t *row = wasisock_import_find("sock_abi_version");
  static uint8_t memory[64];
  wasisock_mem_t mem = {memory, sizeof(memory)};
  uint32_t args[1] = {0};
  wasisock_t *host;
  int32_t rc = 0;

  if (row == NULL || wasisock_new(NULL, &host) != WASISOCK_OK)
    return -1;
  for (unsigned long i = 0; i < n && rc == 0; i++)
    rc = row->call(host, &mem, args);
  wasisock_free(host);
  return rc == 0 && (n == 0 || memory[0] == WASISOCK_ABI_REVISION) ? 0 : -1;
}
#endif

static double bench__now(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int bench__send_all(int fd, const uint8_t *buf, size_t len) {
  ssize_t n;

  while (len > 0) {
    if ((n = bench__send(fd, buf, len)) <= 0)
      return -1;
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

static int bench__recv_exact(int fd, uint8_t *buf, size_t len) {
  ssize_t n;

  while (len > 0) {
    if ((n = bench__recv(fd, buf, len)) <= 0)
      return -1;
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

static int bench__echo(int port, unsigned long n, double *seconds) {
  uint8_t msg[64], back[64];
  double t0;
  int fd;

  memset(msg, 'x', sizeof(msg));
  if ((fd = bench__connect(port, 0)) < 0)
    return -1;
  t0 = bench__now();
  for (unsigned long i = 0; i < n; i++)
    if (bench__send_all(fd, msg, sizeof(msg)) != 0 ||
        bench__recv_exact(fd, back, sizeof(back)) != 0)
      return -1;
  *seconds = bench__now() - t0;
  bench__close(fd);
  return 0;
}

static int bench__bulk(int port, unsigned long mib, double *seconds) {
  uint64_t total = (uint64_t)mib << 20;
  uint8_t header[8], ack;
  uint8_t *chunk;
  double t0;
  int fd;

  if ((chunk = calloc(1, 1u << 20)) == NULL)
    return -1;
  for (int i = 0; i < 8; i++)
    header[i] = (uint8_t)(total >> (8 * i));
  if ((fd = bench__connect(port, 0)) < 0)
    return -1;
  t0 = bench__now();
  if (bench__send_all(fd, header, sizeof(header)) != 0)
    return -1;
  for (unsigned long i = 0; i < mib; i++)
    if (bench__send_all(fd, chunk, 1u << 20) != 0)
      return -1;
  if (bench__recv_exact(fd, &ack, 1) != 0)
    return -1;
  *seconds = bench__now() - t0;
  bench__close(fd);
  free(chunk);
  return 0;
}

static int bench__connects(int port, unsigned long n, int naddr,
                           double spin_us, double *seconds) {
  double t0, until;
  int fd;

  if (naddr < 1 || naddr > BENCH_MAX_ADDRS)
    naddr = 1;
  for (int k = 0; k < naddr; k++) { /* resolved before the clock starts */
    if ((fd = bench__connect(port, k)) < 0)
      return -1;
    bench__close(fd);
  }
  t0 = bench__now();
  for (unsigned long i = 0; i < n; i++) {
    if ((fd = bench__connect(port, (int)(i % (unsigned long)naddr))) < 0)
      return -1;
    bench__close(fd);
    if (spin_us > 0)
      for (until = bench__now() + spin_us * 1e-6; bench__now() < until;)
        ;
  }
  *seconds = bench__now() - t0;
  return 0;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  double seconds = 0, t0;
  int r = -1;

  if (strcmp(mode, "hostcall") == 0 && argc == 3) {
    t0 = bench__now();
    r = bench__hostcall(strtoul(argv[2], NULL, 10));
    seconds = bench__now() - t0;
  } else if (argc == 4 && strcmp(mode, "echo") == 0) {
    r = bench__echo(atoi(argv[2]), strtoul(argv[3], NULL, 10), &seconds);
  } else if (argc == 4 && strcmp(mode, "bulk") == 0) {
    r = bench__bulk(atoi(argv[2]), strtoul(argv[3], NULL, 10), &seconds);
  } else if (argc >= 4 && argc <= 6 && strcmp(mode, "connect") == 0) {
    r = bench__connects(atoi(argv[2]), strtoul(argv[3], NULL, 10),
                        argc >= 5 ? atoi(argv[4]) : 1,
                        argc == 6 ? atof(argv[5]) : 0, &seconds);
  } else {
    fprintf(stderr, "usage: bench-client echo|bulk PORT N | connect PORT N "
                    "[NADDR [SPIN_US]] | hostcall N\n");
    return 2;
  }
  if (r != 0) {
    fprintf(stderr, "bench-client %s: %s\n", mode, strerror(errno));
    return 1;
  }
  printf("{\"seconds\": %.9f}\n", seconds);
  return 0;
}
