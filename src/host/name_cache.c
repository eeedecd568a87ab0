/*
 * name_cache.c — which host name each address returned by sock_resolve came
 * from (internal.h).
 *
 * The policy checks a connect against the address actually dialled and,
 * when the host knows it, the name the address was looked up under, so that
 * "allow connect example.com:443" works for the addresses example.com
 * resolved to.  The guest cannot be trusted to say which name it meant, so
 * the host remembers its own answers.
 *
 * A fixed table of WASISOCK__NAME_CACHE_SIZE entries, allocated at the first
 * answer (instances without a policy never use it); each entry owns a copy
 * of its name.  Storing an address already present replaces its name;
 * otherwise a free entry or the least recently stored one is taken.  Linear
 * scans: 256 comparisons of 17 bytes cost far less than the lookup or
 * connect they accompany.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "policy_internal.h"

typedef struct wasisock__name_entry {
  wasisock__ip_t ip; /* family 0: unused */
  uint64_t stamp;    /* when stored; the smallest is evicted first */
  char *name;
} wasisock__name_entry_t;

struct wasisock__name_cache {
  uint64_t clock;
  wasisock__name_entry_t e[WASISOCK__NAME_CACHE_SIZE];
};

/* The record's address as the policy compares it.  0 or -1 (family). */
static int wasisock__name_key(const wasisock_addr_t *a, wasisock__ip_t *ip) {
  uint32_t n = wasisock_addr_bytes_len(a->family);
  if (n == 0)
    return -1;
  memset(ip, 0, sizeof(*ip));
  ip->family = a->family;
  memcpy(ip->bytes, a->bytes, n);
  wasisock__ip_unmap(ip);
  return 0;
}

static int wasisock__name_key_eq(const wasisock__ip_t *a,
                                 const wasisock__ip_t *b) {
  return a->family == b->family &&
         memcmp(a->bytes, b->bytes, sizeof(a->bytes)) == 0;
}

static int wasisock__name_is_literal(const char *name) {
  uint8_t b[16];
  size_t len = strlen(name);
  return wasisock__ip4_parse(name, len, b) || wasisock__ip6_parse(name, len, b);
}

void wasisock__name_remember(wasisock_t *host, const char *name,
                             const wasisock_addr_t *addrs, size_t n) {
  struct wasisock__name_cache *c = host->names;
  size_t i, j, len;

  if (n == 0 || wasisock__name_is_literal(name))
    return;
  if (c == NULL) {
    c = calloc(1, sizeof(*c));
    if (c == NULL)
      return;
    host->names = c;
  }
  len = strlen(name);
  for (i = 0; i < n; i++) {
    wasisock__name_entry_t *slot = NULL;
    wasisock__ip_t key;
    char *copy;

    if (wasisock__name_key(&addrs[i], &key) != 0)
      continue;
    for (j = 0; j < WASISOCK__NAME_CACHE_SIZE; j++) {
      wasisock__name_entry_t *e = &c->e[j];
      if (e->ip.family != 0 && wasisock__name_key_eq(&e->ip, &key)) {
        slot = e;
        break;
      }
      if (slot == NULL || (slot->ip.family != 0 &&
                           (e->ip.family == 0 || e->stamp < slot->stamp)))
        slot = e;
    }
    copy = malloc(len + 1);
    if (copy == NULL)
      return;
    memcpy(copy, name, len + 1);
    free(slot->name);
    slot->name = copy;
    slot->ip = key;
    slot->stamp = ++c->clock;
  }
}

const char *wasisock__name_for(const wasisock_t *host,
                               const wasisock_addr_t *addr) {
  const struct wasisock__name_cache *c = host->names;
  wasisock__ip_t key;
  size_t j;

  if (c == NULL || wasisock__name_key(addr, &key) != 0)
    return NULL;
  for (j = 0; j < WASISOCK__NAME_CACHE_SIZE; j++)
    if (c->e[j].ip.family != 0 && wasisock__name_key_eq(&c->e[j].ip, &key))
      return c->e[j].name;
  return NULL;
}

void wasisock__name_cache_free(wasisock_t *host) {
  size_t j;

  if (host->names == NULL)
    return;
  for (j = 0; j < WASISOCK__NAME_CACHE_SIZE; j++)
    free(host->names->e[j].name);
  free(host->names);
  host->names = NULL;
}
