/*
 * sock_resolve.c — the sock_resolve import.
 *
 * uv_getaddrinfo with a NULL callback runs getaddrinfo synchronously on the
 * calling thread (the call blocks anyway) and still goes through libuv, so
 * the instance needs no thread pool and no global state.
 *
 * Hints: AF_UNSPEC for both IPv4 and IPv6 in the resolver's preference
 * order (RFC 6724 sorting by glibc); SOCK_STREAM only so each address comes
 * once instead of once per socket type (the port is ours to fill in, and
 * the address is the same for UDP).  Remaining duplicates (a name listed
 * twice in /etc/hosts) are dropped.
 *
 * With a network policy: the name is checked first (no lookup when refused),
 * then the answer is filtered by the connect rules (docs/POLICY.md), and the
 * addresses returned are remembered with the name (name_cache.c) so that a
 * connect to them can match host name rules.
 */
#include <stdlib.h>
#include <string.h>

#include <netdb.h>

#include "internal.h"
#include "policy_internal.h"

/* RFC 6761 §6.4: names under "invalid." never exist, and resolver APIs
 * "SHOULD always return immediately with a negative response".  glibc
 * would ask the configured DNS server, which without a network can take
 * seconds to time out; answering here is immediate and deterministic. */
static int wasisock__name_is_invalid_tld(const char *name, size_t len) {
  static const char tld[] = "invalid";
  size_t n = sizeof(tld) - 1;
  size_t i;

  if (len > 0 && name[len - 1] == '.')
    len--;
  if (len < n)
    return 0;
  if (len > n && name[len - n - 1] != '.')
    return 0;
  for (i = 0; i < n; i++) {
    char c = name[len - n + i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if (c != tld[i])
      return 0;
  }
  return 1;
}

/* 1 if list[0..n) has an address with a's family and bytes. */
static int wasisock__seen_before(const wasisock_addr_t *list, size_t n,
                                 const wasisock_addr_t *a) {
  size_t i;

  for (i = 0; i < n; i++)
    if (list[i].family == a->family &&
        memcmp(list[i].bytes, a->bytes, sizeof(a->bytes)) == 0)
      return 1;
  return 0;
}

/* Looks name up and leaves the distinct IPv4/IPv6 addresses, in the
 * resolver's order and with the given port, in *out (malloc'd, *found
 * entries; NULL when 0). */
static int32_t wasisock__lookup(wasisock_t *host, const char *name,
                                uint16_t port, wasisock_addr_t **out,
                                size_t *found) {
  const struct addrinfo *ai;
  uv_getaddrinfo_t *req;
  struct addrinfo hints;
  wasisock_addr_t *list;
  size_t total = 0, n = 0;
  int r;

  *out = NULL;
  *found = 0;
  /* Sized at run time: see internal.h. */
  req = malloc(uv_req_size(UV_GETADDRINFO));
  if (req == NULL)
    return WASISOCK_ENOMEM;
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;

  r = uv_getaddrinfo(host->loop, req, NULL, name, NULL, &hints);
  if (r != 0) {
    free(req);
    return wasisock__errno_from_eai(r);
  }
  for (ai = req->addrinfo; ai != NULL; ai = ai->ai_next)
    total++;
  list = total > 0 ? malloc(total * sizeof(*list)) : NULL;
  if (total > 0 && list == NULL) {
    uv_freeaddrinfo(req->addrinfo);
    free(req);
    return WASISOCK_ENOMEM;
  }
  for (ai = req->addrinfo; ai != NULL; ai = ai->ai_next) {
    if (ai->ai_addr == NULL ||
        wasisock__addr_from_sockaddr(ai->ai_addr, &list[n]) != WASISOCK_OK)
      continue;
    list[n].port = port;
    if (!wasisock__seen_before(list, n, &list[n]))
      n++;
  }
  uv_freeaddrinfo(req->addrinfo);
  free(req);
  if (n == 0) {
    free(list);
    list = NULL;
  }
  *out = list;
  *found = n;
  return WASISOCK_OK;
}

static int32_t wasisock__resolve(wasisock_t *host, const char *name,
                                 uint16_t port, uint8_t *addrs,
                                 uint32_t max_addrs, uint32_t *count) {
  wasisock_addr_t *list;
  size_t found, kept, n, i;
  int32_t err;

  if ((err = wasisock__lookup(host, name, port, &list, &found)) != WASISOCK_OK)
    return err;
  /* Answers with no IPv4/IPv6 address at all: the name has no address. */
  if (found == 0)
    return WASISOCK_ENOENT;
  /* The policy hides (and reports) the addresses the guest could not
   * connect to; none left is a refusal, not "no such name". */
  kept = wasisock__policy_filter_results(host->policy, name, list, found);
  if (kept == 0) {
    free(list);
    return WASISOCK_EACCES;
  }
  n = kept < max_addrs ? kept : max_addrs;
  for (i = 0; i < n; i++)
    wasisock_addr_write(addrs + i * WASISOCK_ADDR_SIZE, &list[i]);
  /* Which name these came from, for the connect checks. */
  if (host->policy != NULL)
    wasisock__name_remember(host, name, list, n);
  free(list);
  *count = (uint32_t)n;
  return WASISOCK_OK;
}

int32_t wasisock_sock_resolve(wasisock_t *host, const wasisock_mem_t *mem,
                              uint32_t name_ptr, uint32_t name_len,
                              uint32_t port, uint32_t addrs_ptr,
                              uint32_t max_addrs, uint32_t count_ptr) {
  char name[WASISOCK_NAME_MAX + 1];
  const uint8_t *name_in;
  uint8_t *addrs, *count_out;
  uint32_t count = 0;
  int32_t err;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  /* 1. pointers (name with its full length, even a too-long one) */
  name_in = wasisock__mem_range(mem, name_ptr, name_len);
  addrs = wasisock__mem_array(mem, addrs_ptr, max_addrs, WASISOCK_ADDR_SIZE);
  count_out = wasisock__mem_range(mem, count_ptr, WASISOCK_U32_SIZE);
  if (name_in == NULL || addrs == NULL || count_out == NULL)
    return WASISOCK_EFAULT;
  /* 2. argument values */
  if (name_len == 0 || name_len > WASISOCK_NAME_MAX || port > 65535)
    return WASISOCK_EINVAL;
  if (memchr(name_in, 0, name_len) != NULL)
    return WASISOCK_EINVAL;
  /* The guest's name is not NUL-terminated; getaddrinfo needs a C string.
   * Copied only now, once the length is known to fit. */
  memcpy(name, name_in, name_len);
  name[name_len] = '\0';

  /* 3. the policy, before anything is looked up */
  if ((err = wasisock__policy_check_resolve(host->policy, name, port)) != 0)
    return err;
  if (wasisock__name_is_invalid_tld(name, name_len))
    return WASISOCK_ENOENT;
  err = wasisock__resolve(host, name, (uint16_t)port, addrs, max_addrs, &count);
  if (err != WASISOCK_OK)
    return err;
  wasisock_u32_write(count_out, count);
  return WASISOCK_OK;
}
