/*
 * fuzz-resolve.c — sock_resolve's input (the name bytes, port, room,
 * pointers) and the resolver's answers (fuzz-net.c's getaddrinfo answers
 * from the input: IPv4, IPv6, other families, NULL addresses, duplicates,
 * every EAI_* error), with and without a network policy, and the host's
 * record of which name an address came from (name_cache.c).
 *
 * Input:
 *   u8   policy    0: none; 1: names and addresses filtered; 2: deny all
 *   u32  port      (any value: > 65535 must be EINVAL)
 *   u8   max_addrs room offered, in records
 *   u8   eai       0: an answer; else an EAI_* error
 *   u8   n         entries in the answer (<= FUZZ_GAI_MAX), then per entry
 *                  u8 family (0: IPv4, 1: IPv6, 2: AF_UNIX, 3: ai_addr NULL,
 *                  other: that number as the family) and 16 address bytes
 *   u8   where     bit 0: the name at the end of memory; bit 1: count_ptr
 *                  past the end (EFAULT)
 *   rest           the name's bytes (up to 300: longer than the host takes)
 *
 * Checks: the result is a WASI errno; on success count <= max_addrs, the
 * records are IPv4/IPv6 with the asked port, distinct, each one in the
 * answer, and (with a policy) allowed to connect; on failure nothing is
 * written; names the host answers itself (*.invalid, and every refused
 * one) never reach the resolver.  Then each returned address is looked up
 * in the name record and checked against the policy, as sock_connect does.
 */
#define _GNU_SOURCE /* EAI_NODATA, EAI_OVERFLOW */
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz.h"
#include "internal.h"
#include "policy_internal.h"

#define FUZZ_MEM 8192
#define FUZZ_NAME_MAX 300

static const int fuzz__eai[] = {EAI_NONAME, EAI_AGAIN,   EAI_FAIL,
                                EAI_MEMORY, EAI_FAMILY,  EAI_SERVICE,
                                EAI_SYSTEM, EAI_OVERFLOW, EAI_NODATA};

static wasisock_policy_t *fuzz__policy(uint8_t mode) {
  static const char *const filter[] = {
      "deny resolve *.denied",  "deny connect 10.0.0.0/8",
      "deny connect fc00::/7", "allow connect good.example",
      "deny connect bad.example", "allow any *"};
  wasisock_policy_t *p;
  size_t i;

  if (mode % 3 == 0)
    return NULL;
  FUZZ_CHECK(wasisock_policy_new(&p) == WASISOCK_OK);
  if (mode % 3 == 2) {
    FUZZ_CHECK(wasisock_policy_add_rule(p, "default deny", NULL, 0) == 0);
    return p;
  }
  for (i = 0; i < sizeof(filter) / sizeof(filter[0]); i++)
    FUZZ_CHECK(wasisock_policy_add_rule(p, filter[i], NULL, 0) == 0);
  return p;
}

static int fuzz__in_answer(const wasisock_addr_t *a,
                           const fuzz_gai_entry_t *e, size_t n) {
  size_t i;

  for (i = 0; i < n; i++) {
    if (e[i].null_addr)
      continue;
    if (a->family == WASISOCK_AF_INET && e[i].family == AF_INET &&
        memcmp(a->bytes, e[i].bytes, 4) == 0)
      return 1;
    if (a->family == WASISOCK_AF_INET6 && e[i].family == AF_INET6 &&
        memcmp(a->bytes, e[i].bytes, 16) == 0)
      return 1;
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static uint8_t mem[FUZZ_MEM], before[FUZZ_MEM];
  fuzz_gai_entry_t answer[FUZZ_GAI_MAX];
  fuzz_in_t in = {data, size};
  wasisock_mem_t view = {mem, sizeof(mem)};
  wasisock_policy_t *policy;
  wasisock_config_t cfg;
  wasisock_addr_t a, b;
  wasisock_t *host;
  unsigned long fake_before;
  uint32_t port, max, count, name_ptr, name_len, addrs_ptr, count_ptr, i, j;
  uint8_t mode, eai, n, f, where;
  int32_t rc;
  size_t k;

  mode = fuzz_u8(&in);
  port = fuzz_u32(&in);
  if (port > 65535 && port % 4 != 0) /* mostly valid ports */
    port &= 0xFFFF;
  max = fuzz_u8(&in) % 40;
  eai = fuzz_u8(&in);
  n = fuzz_u8(&in) % (FUZZ_GAI_MAX + 1);
  memset(answer, 0, sizeof(answer));
  for (k = 0; k < n; k++) {
    f = fuzz_u8(&in);
    answer[k].family = f == 0 ? AF_INET : f == 1 ? AF_INET6
                     : f == 2 ? AF_UNIX : f == 3 ? AF_INET : f;
    answer[k].null_addr = f == 3;
    for (i = 0; i < 16; i++)
      answer[k].bytes[i] = fuzz_u8(&in);
  }
  fuzz_gai_set_answer(eai % 4 == 0 ? 0 : fuzz__eai[eai % 9], answer, n);
  where = fuzz_u8(&in);

  memset(mem, 0x5A, sizeof(mem));
  name_len = (uint32_t)(in.n < FUZZ_NAME_MAX ? in.n : FUZZ_NAME_MAX);
  name_ptr = where & 1 ? FUZZ_MEM - name_len : 0;
  memcpy(mem + name_ptr, in.p, name_len);
  addrs_ptr = 512;
  count_ptr = where & 2 ? FUZZ_MEM - 3 : 508;

  policy = fuzz__policy(mode);
  wasisock_config_init(&cfg);
  cfg.policy = policy;
  FUZZ_CHECK(wasisock_new(&cfg, &host) == WASISOCK_OK);
  wasisock_policy_free(policy);

  memcpy(before, mem, sizeof(mem));
  fake_before = fuzz_gai_fake_calls();
  rc = wasisock_sock_resolve(host, &view, name_ptr, name_len, port, addrs_ptr,
                             max, count_ptr);
  FUZZ_CHECK(rc >= 0 && rc <= WASISOCK_ENOTCAPABLE);
  if (rc != WASISOCK_OK) {
    FUZZ_CHECK(memcmp(before, mem, sizeof(mem)) == 0);
  } else {
    FUZZ_CHECK(name_len > 0 && name_len <= WASISOCK_NAME_MAX && port <= 65535);
    count = wasisock_u32_read(mem + count_ptr);
    FUZZ_CHECK(count <= max && count <= FUZZ_GAI_MAX);
    /* Nothing written past the records and the count. */
    for (i = addrs_ptr + count * WASISOCK_ADDR_SIZE; i < FUZZ_MEM; i++)
      FUZZ_CHECK(mem[i] == before[i] || (i >= count_ptr && i < count_ptr + 4));
    for (i = 0; i < count; i++) {
      FUZZ_CHECK(wasisock_addr_read(mem + addrs_ptr + i * WASISOCK_ADDR_SIZE,
                                    &a) == WASISOCK_OK);
      FUZZ_CHECK(a.port == port);
      /* From the answer (or the local one for numeric names/localhost). */
      if (fuzz_gai_fake_calls() != fake_before)
        FUZZ_CHECK(fuzz__in_answer(&a, answer, n));
      for (j = 0; j < i; j++) {
        wasisock_addr_read(mem + addrs_ptr + j * WASISOCK_ADDR_SIZE, &b);
        FUZZ_CHECK(!(a.family == b.family &&
                     memcmp(a.bytes, b.bytes, sizeof(a.bytes)) == 0));
      }
      /* What sock_connect checks: the name the address came from, and the
       * policy for it (resolve only hands out connectable addresses). */
      FUZZ_CHECK(wasisock__policy_check_connect(
                     host->policy, &a, wasisock__name_for(host, &a)) == 0);
    }
  }
  /* *.invalid and refused names are answered without a lookup. */
  if (rc == WASISOCK_EINVAL || rc == WASISOCK_EFAULT)
    FUZZ_CHECK(fuzz_gai_fake_calls() == fake_before);

  wasisock_free(host);
  fuzz_gai_clear();
  return 0;
}
