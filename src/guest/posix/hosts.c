/*
 * hosts.c — names of addresses (reverse lookups) from the guest's
 * /etc/hosts, for getnameinfo and gethostbyaddr.
 *
 * The ABI has no reverse DNS, and what programs ask in practice is the name
 * of a local address ("who is 127.0.0.1?"), which /etc/hosts answers — the
 * runners give the guest the host's.  Without one, the loopback addresses
 * are "localhost", as every system's /etc/hosts says.
 */
#include <arpa/inet.h>
#include <string.h>

#include "netdb_internal.h"

typedef struct wasisock__hosts_query {
  int af;
  const void *addr;
} wasisock__hosts_query_t;

static int wasisock__hosts_match(const wasisock__etc_line_t *l,
                                 const void *arg) {
  const wasisock__hosts_query_t *q = arg;
  unsigned char a[16];
  return inet_pton(q->af, l->word[0], a) == 1 &&
         memcmp(a, q->addr, q->af == AF_INET6 ? 16 : 4) == 0;
}

int wasisock__hosts_name(int af, const void *addr, wasisock__etc_line_t *l) {
  static const unsigned char v4[4] = {127, 0, 0, 1};
  static const unsigned char v6[16] = {[15] = 1};
  wasisock__hosts_query_t q = {af, addr};
  int r;

  if (af != AF_INET && af != AF_INET6)
    return -1;
  if ((r = wasisock__etc_scan("/etc/hosts", l, wasisock__hosts_match, &q)) >= 0)
    return r == 1 ? 0 : -1;
  if (memcmp(addr, af == AF_INET ? v4 : v6, af == AF_INET ? 4 : 16) != 0)
    return -1;
  strcpy(l->text, "localhost");
  l->word[0] = NULL; /* the address column: not needed */
  l->word[1] = l->text;
  l->nwords = 2;
  return 0;
}
