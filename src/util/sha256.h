/*
 * sha256.h — a small SHA-256 (FIPS 180-4), portable C for both sides: the
 * test guests prove which bytes they saw without printing them, and the
 * runners key compiled-code caches by the module's hash.
 */
#ifndef WASISOCK_UTIL_SHA256_H
#define WASISOCK_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256 {
  uint32_t h[8];
  uint64_t len; /* bytes hashed */
  uint8_t buf[64];
  size_t fill;
} sha256_t;

void sha256_init(sha256_t *s);
void sha256_update(sha256_t *s, const void *data, size_t len);
/* Writes 64 hex digits and a NUL to hex[65]. */
void sha256_hex(sha256_t *s, char hex[65]);

#endif
