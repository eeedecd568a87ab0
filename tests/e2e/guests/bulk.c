/*
 * bulk — move many bytes through a guest and account for every one.
 *
 *   bulk.wasm HOST PORT MIB
 *
 * Connects to a TCP echo server and sends MIB MiB of a deterministic stream
 * (xorshift32 seeded with 0x2545f491, each state stored little-endian), in
 * 64 KiB chunks; after each chunk it receives the echo of that chunk in full.
 * Prints
 *   sent N SHA256
 *   received N SHA256
 * where SHA256 covers exactly the bytes sent / received.  The test compares
 * them with the server's view and with the stream computed in JavaScript.
 * Buffers sit at changing offsets (a fresh malloc per chunk size) so partial
 * sends and receives are exercised with unaligned pointers too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bulk_stream.h"
#include "sha256.h"
#include "wasisock.h"

#define CHUNK (64 * 1024)

static int fail(const char *what) {
  int err = errno;
  fprintf(stderr, "bulk: %s: %s (%s)\n", what, wasisock_errno_name(err),
          strerror(err));
  return 1;
}

int main(int argc, char **argv) {
  sha256_t hs, hr;
  char hex[65];
  uint8_t *out, *in;
  uint32_t x = BULK_STREAM_SEED;
  unsigned long mib;
  size_t total, done = 0;
  int h;

  if (argc != 4) {
    fprintf(stderr, "usage: bulk HOST PORT MIB\n");
    return 2;
  }
  mib = strtoul(argv[3], NULL, 10);
  total = (size_t)mib * 1024 * 1024;
  out = malloc(CHUNK + 1);
  in = malloc(CHUNK + 3);
  if (out == NULL || in == NULL) return fail("malloc");
  out += 1, in += 3; /* odd addresses on purpose */
  sha256_init(&hs);
  sha256_init(&hr);

  h = wasisock_tcp_connect(argv[1], (uint16_t)strtoul(argv[2], NULL, 10));
  if (h < 0) return fail("connect");
  while (done < total) {
    size_t n = total - done < CHUNK ? total - done : CHUNK, got = 0;
    bulk_stream_fill(&x, out, n);
    if (wasisock_send_all(h, out, n) < 0) return fail("send");
    sha256_update(&hs, out, n);
    while (got < n) {
      ssize_t r = wasisock_recv(h, in, n - got);
      if (r < 0) return fail("recv");
      if (r == 0) {
        fprintf(stderr, "bulk: server closed early after %zu bytes\n",
                done + got);
        return 1;
      }
      sha256_update(&hr, in, (size_t)r);
      got += (size_t)r;
    }
    done += n;
  }
  if (wasisock_close(h) < 0) return fail("close");
  sha256_hex(&hs, hex);
  printf("sent %zu %s\n", total, hex);
  sha256_hex(&hr, hex);
  printf("received %zu %s\n", total, hex);
  return 0;
}
