/*
 * fuzz-addr.c — the encodings: address records, poll records, scalars, the
 * sockaddr conversions and the errno maps.
 *
 * Round trips that must hold for any input:
 *   - record bytes → wasisock_addr_read → wasisock_addr_write → the same
 *     canonical bytes (family, port, the family's address bytes, zeros),
 *     and reading those again gives the same struct;
 *   - a decoded record → sockaddr (wasisock__addr_to_sockaddr) → record
 *     (wasisock__addr_from_sockaddr): the same family, port and bytes, and
 *     the sockaddr's length is its family's;
 *   - an arbitrary sockaddr (fuzzed family and bytes) → record → sockaddr →
 *     record: stable after the first step; non-IP families refused;
 *   - poll records and u16/u32 scalars: read(write(x)) == x and
 *     write(read(b)) == b;
 *   - errno maps: every native errno, libuv error and EAI code maps to a
 *     WASI errno in 1..76 (0 only for 0); names and messages exist.
 * Built against the static library's internals (src/host/internal.h).
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz.h"
#include "internal.h"

static void fuzz__record(const uint8_t *in) {
  uint8_t out[WASISOCK_ADDR_SIZE], again[WASISOCK_ADDR_SIZE];
  struct sockaddr_storage ss;
  wasisock_addr_t a, b, c;
  socklen_t len = 0;
  uint32_t n, i;

  if (wasisock_addr_read(in, &a) != WASISOCK_OK) {
    FUZZ_CHECK(wasisock_addr_bytes_len(a.family) == 0);
    for (i = 0; i < WASISOCK_ADDR_BYTES_SIZE; i++)
      FUZZ_CHECK(a.bytes[i] == 0);
    return;
  }
  n = wasisock_addr_bytes_len(a.family);
  FUZZ_CHECK(n == 4 || n == 16);
  wasisock_addr_write(out, &a);
  FUZZ_CHECK(out[0] == in[0] && out[1] == in[1] && out[2] == in[2]);
  for (i = 0; i < WASISOCK_ADDR_BYTES_SIZE; i++)
    FUZZ_CHECK(out[WASISOCK_ADDR_BYTES_OFFSET + i] ==
               (i < n ? in[WASISOCK_ADDR_BYTES_OFFSET + i] : 0));
  FUZZ_CHECK(wasisock_addr_read(out, &b) == WASISOCK_OK);
  /* Field by field: the struct has padding. */
  FUZZ_CHECK(a.family == b.family && a.port == b.port &&
             memcmp(a.bytes, b.bytes, sizeof(a.bytes)) == 0);
  wasisock_addr_write(again, &b);
  FUZZ_CHECK(memcmp(out, again, sizeof(out)) == 0);

  memset(&ss, 0xA5, sizeof(ss)); /* the conversion must set what it uses */
  wasisock__addr_to_sockaddr(&a, &ss, &len);
  FUZZ_CHECK(ss.ss_family == (a.family == WASISOCK_AF_INET ? AF_INET : AF_INET6));
  FUZZ_CHECK(len == (a.family == WASISOCK_AF_INET ? sizeof(struct sockaddr_in)
                                                  : sizeof(struct sockaddr_in6)));
  FUZZ_CHECK(wasisock__addr_from_sockaddr((struct sockaddr *)&ss, &c) ==
             WASISOCK_OK);
  FUZZ_CHECK(c.family == a.family && c.port == a.port &&
             memcmp(c.bytes, a.bytes, sizeof(a.bytes)) == 0);
}

static void fuzz__sockaddr(fuzz_in_t *in) {
  struct sockaddr_storage ss, ss2;
  wasisock_addr_t a, b;
  socklen_t len = 0;
  size_t i;

  memset(&ss, 0, sizeof(ss));
  for (i = 0; i < sizeof(ss); i++)
    ((uint8_t *)&ss)[i] = fuzz_u8(in);
  /* Mostly the two IP families, sometimes anything. */
  switch (fuzz_u8(in) % 4) {
  case 0:
    ss.ss_family = AF_INET;
    break;
  case 1:
    ss.ss_family = AF_INET6;
    break;
  default:
    break;
  }
  if (wasisock__addr_from_sockaddr((struct sockaddr *)&ss, &a) != WASISOCK_OK) {
    FUZZ_CHECK(ss.ss_family != AF_INET && ss.ss_family != AF_INET6);
    return;
  }
  FUZZ_CHECK(ss.ss_family == AF_INET || ss.ss_family == AF_INET6);
  FUZZ_CHECK(wasisock_addr_bytes_len(a.family) ==
             (ss.ss_family == AF_INET ? 4u : 16u));
  wasisock__addr_to_sockaddr(&a, &ss2, &len);
  FUZZ_CHECK(wasisock__addr_from_sockaddr((struct sockaddr *)&ss2, &b) ==
             WASISOCK_OK);
  FUZZ_CHECK(a.family == b.family && a.port == b.port &&
             memcmp(a.bytes, b.bytes, sizeof(a.bytes)) == 0);
}

static void fuzz__scalars(fuzz_in_t *in) {
  uint8_t rec[WASISOCK_POLL_SUB_SIZE], out[WASISOCK_POLL_SUB_SIZE], b[4];
  wasisock_poll_sub_t s, t;
  uint32_t v;
  size_t i;

  for (i = 0; i < sizeof(rec); i++)
    rec[i] = fuzz_u8(in);
  wasisock_poll_sub_read(rec, &s);
  memcpy(out, rec, sizeof(out));
  wasisock_poll_sub_set_revents(out, s.revents);
  FUZZ_CHECK(memcmp(out, rec, sizeof(out)) == 0);
  wasisock_poll_sub_read(out, &t);
  FUZZ_CHECK(s.handle == t.handle && s.events == t.events &&
             s.revents == t.revents);

  v = fuzz_u32(in);
  wasisock_u32_write(b, v);
  FUZZ_CHECK(wasisock_u32_read(b) == v);
  wasisock_u16_write(b, (uint16_t)v);
  FUZZ_CHECK(wasisock_u16_read(b) == (uint16_t)v);
}

static void fuzz__errnos(fuzz_in_t *in) {
  int32_t code = (int32_t)fuzz_u32(in), w;
  int native = (int)fuzz_u32(in) % 4096;

  FUZZ_CHECK(wasisock_errno_name(code) != NULL &&
             wasisock_errno_name(code)[0] == 'E');
  FUZZ_CHECK(wasisock_errno_message(code) != NULL &&
             wasisock_errno_message(code)[0] != '\0');
  w = wasisock__errno_from_native(native);
  FUZZ_CHECK(w >= 0 && w <= WASISOCK_ENOTCAPABLE);
  FUZZ_CHECK((w == 0) == (native == 0));
  w = wasisock__errno_from_uv(-native);
  FUZZ_CHECK(w >= 0 && w <= WASISOCK_ENOTCAPABLE);
  w = wasisock__errno_from_eai(-(native % 3100));
  FUZZ_CHECK(w >= 0 && w <= WASISOCK_ENOTCAPABLE);
  FUZZ_CHECK(wasisock__af_to_native(fuzz_u32(in)) >= -1);
  FUZZ_CHECK(wasisock__socktype_to_native(fuzz_u32(in)) >= -1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t rec[WASISOCK_ADDR_SIZE];
  fuzz_in_t in = {data, size};
  size_t i;

  for (i = 0; i < sizeof(rec); i++)
    rec[i] = fuzz_u8(&in);
  /* Steer the family byte towards the two that decode. */
  if (rec[0] >= 0x80)
    rec[0] = (uint8_t)(1 + (rec[0] & 1));
  fuzz__record(rec);
  fuzz__sockaddr(&in);
  fuzz__scalars(&in);
  fuzz__errnos(&in);
  return 0;
}
