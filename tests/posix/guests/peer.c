/*
 * peer.c — posixtest cases against the test peer's loopback servers
 * (tests/peer, started by the driver): echo_bulk HOST PORT MIB moves MIB MiB through a TCP
 * echo server with one non-blocking socket and poll, both directions at
 * once, and prints
 *   sent N SHA256
 *   received N SHA256
 * for the driver to compare with the server's count and hash (the stream of
 * bulk_stream.h).  udp_echo
 * HOST PORT COUNT sends COUNT datagrams of growing size to a UDP echo
 * server and checks each echo and its sender.
 */
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "posixtest.h"
#include "bulk_stream.h"
#include "sha256.h"

#define CHUNK (256 * 1024)

/* A socket of socktype connected to HOST PORT (every address tried). */
static int connect_to(const char *host, const char *port, int socktype) {
  struct addrinfo hints, *res, *ai;
  int fd = -1, err;

  memset(&hints, 0, sizeof(hints));
  hints.ai_socktype = socktype;
  if ((err = getaddrinfo(host, port, &hints, &res)) != 0)
    CHECK_FAIL("getaddrinfo %s %s: %s", host, port, gai_strerror(err));
  for (ai = res; ai != NULL; ai = ai->ai_next) {
    CHECK_OK(fd, socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol));
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
      break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0)
    CHECK_FAIL("connect %s %s: %s", host, port, strerror(errno));
  return fd;
}

int case_echo_bulk(int argc, char **argv) {
  static uint8_t out[CHUNK], in[CHUNK];
  size_t total, sent = 0, got = 0, have = 0, off = 0;
  uint32_t x = BULK_STREAM_SEED;
  char hs_hex[65], hr_hex[65];
  sha256_t hs, hr;
  struct pollfd p;
  int fd, shut = 0;
  ssize_t n;

  if (argc < 3)
    CHECK_FAIL("echo_bulk HOST PORT MIB");
  total = (size_t)strtoul(argv[2], NULL, 10) << 20;
  fd = connect_to(argv[0], argv[1], SOCK_STREAM);
  CHECK(fcntl(fd, F_SETFL, O_NONBLOCK) == 0);
  sha256_init(&hs);
  sha256_init(&hr);
  p.fd = fd;
  while (got < total) {
    /* Refill the outgoing chunk from the stream when it is all out. */
    if (off == have && sent < total) {
      have = total - sent < CHUNK ? total - sent : CHUNK;
      bulk_stream_fill(&x, out, have);
      sha256_update(&hs, out, have);
      off = 0;
    }
    if (sent == total && !shut) {
      CHECK(shutdown(fd, SHUT_WR) == 0);
      shut = 1;
    }
    p.events = (short)(POLLIN | (sent < total ? POLLOUT : 0));
    CHECK_OK(n, poll(&p, 1, 30000));
    CHECK(n == 1);
    if (p.revents & POLLOUT) {
      n = write(fd, out + off, have - off);
      if (n < 0 && errno != EAGAIN)
        CHECK_FAIL("write: %s", strerror(errno));
      if (n > 0) {
        off += (size_t)n;
        sent += (size_t)n;
      }
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      n = read(fd, in, sizeof(in));
      if (n < 0 && errno != EAGAIN)
        CHECK_FAIL("read: %s", strerror(errno));
      if (n == 0)
        CHECK_FAIL("end of stream after %zu of %zu bytes", got, total);
      if (n > 0) {
        sha256_update(&hr, in, (size_t)n);
        got += (size_t)n;
      }
    }
  }
  sha256_hex(&hs, hs_hex);
  sha256_hex(&hr, hr_hex);
  printf("sent %zu %s\nreceived %zu %s\n", sent, hs_hex, got, hr_hex);
  CHECK(close(fd) == 0);
  return 0;
}

int case_udp_echo(int argc, char **argv) {
  char out[1400], in[1500];
  struct sockaddr_storage peer, from;
  socklen_t plen = sizeof(peer), flen;
  struct pollfd p;
  int fd, i, count;
  size_t len;

  if (argc < 3)
    CHECK_FAIL("udp_echo HOST PORT COUNT");
  count = atoi(argv[2]);
  fd = connect_to(argv[0], argv[1], SOCK_DGRAM);
  CHECK(getpeername(fd, (struct sockaddr *)&peer, &plen) == 0);
  p.fd = fd;
  p.events = POLLIN;
  for (i = 0; i < count; i++) {
    len = (size_t)(i * 97) % sizeof(out);
    memset(out, 'a' + i % 26, len);
    /* Through sendto with the peer's address on a connected socket too. */
    if (i % 2)
      CHECK_EQ(send(fd, out, len, 0), len);
    else
      CHECK_EQ(sendto(fd, out, len, 0, (struct sockaddr *)&peer, plen), len);
    CHECK_EQ(poll(&p, 1, 10000), 1);
    flen = sizeof(from);
    CHECK_EQ(recvfrom(fd, in, sizeof(in), 0, (struct sockaddr *)&from, &flen),
             len);
    CHECK(memcmp(in, out, len) == 0);
    CHECK_EQ(flen, plen);
    CHECK(memcmp(&from, &peer, plen) == 0);
  }
  CHECK(close(fd) == 0);
  return 0;
}
