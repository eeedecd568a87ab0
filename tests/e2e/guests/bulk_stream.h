/*
 * bulk_stream.h — the byte stream the bulk tests send (bulk.c, and
 * tests/posix's echo_bulk): xorshift32 from BULK_STREAM_SEED, each state
 * stored little-endian.  The drivers compute the same stream in JavaScript
 * to know what the server must have seen.
 */
#ifndef WASISOCK_E2E_BULK_STREAM_H
#define WASISOCK_E2E_BULK_STREAM_H

#include <stddef.h>
#include <stdint.h>

#define BULK_STREAM_SEED 0x2545f491u

/* The next n bytes (n a multiple of 4) of the stream in state *x. */
static inline void bulk_stream_fill(uint32_t *x, uint8_t *out, size_t n) {
  uint32_t v = *x;
  size_t i;
  for (i = 0; i < n; i += 4) {
    v ^= v << 13;
    v ^= v >> 17;
    v ^= v << 5;
    out[i] = (uint8_t)v;
    out[i + 1] = (uint8_t)(v >> 8);
    out[i + 2] = (uint8_t)(v >> 16);
    out[i + 3] = (uint8_t)(v >> 24);
  }
  *x = v;
}

#endif
