/*
 * getaddrinfo.c — getaddrinfo() and freeaddrinfo().
 *
 * Numeric hosts and the null host are answered here; names go to the host
 * (sock_resolve), which returns IPv4 and IPv6 addresses in the system
 * resolver's order and applies the network policy.  Every address comes
 * once per socket type asked for (both, for ai_socktype 0, like glibc).
 * Not supported: AI_ADDRCONFIG filters nothing (the guest cannot see the
 * host's interfaces), AI_CANONNAME gives the name as asked (the host does
 * not report canonical names), scope names in "fe80::1%eth0" (numeric
 * scopes are fine).  docs/POSIX.md.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "netdb_internal.h"

#define WASISOCK__AI_FLAGS                                                     \
  (AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_V4MAPPED | AI_ALL |         \
   AI_ADDRCONFIG | AI_NUMERICSERV)
/* Addresses asked of the host for one name. */
#define WASISOCK__GAI_MAX 32

/* One result: the addrinfo, its sockaddr and (first only) its canonical
 * name in one allocation, so freeaddrinfo frees each node once. */
typedef struct wasisock__ai {
  struct addrinfo ai;
  struct sockaddr_storage ss;
  char canon[];
} wasisock__ai_t;

void freeaddrinfo(struct addrinfo *ai) {
  while (ai != NULL) {
    struct addrinfo *next = ai->ai_next;
    free(ai); /* the node is the start of its wasisock__ai_t */
    ai = next;
  }
}

/* The request, checked. */
typedef struct wasisock__gai {
  int flags, family, socktype, protocol;
  uint16_t port;
  int socktypes;    /* bit 1 SOCK_STREAM, bit 2 SOCK_DGRAM */
  uint32_t scope;   /* numeric IPv6 scope id from "addr%N" */
} wasisock__gai_t;

static int wasisock__gai_hints(const struct addrinfo *hints,
                               wasisock__gai_t *q) {
  memset(q, 0, sizeof(*q));
  if (hints == NULL) {
    q->flags = AI_V4MAPPED | AI_ADDRCONFIG; /* glibc's default */
    return 0;
  }
  if (!wasisock__mem_ok(hints, sizeof(*hints))) {
    errno = EFAULT;
    return EAI_SYSTEM;
  }
  q->flags = hints->ai_flags;
  q->family = hints->ai_family;
  q->socktype = hints->ai_socktype;
  q->protocol = hints->ai_protocol;
  if (q->flags & ~WASISOCK__AI_FLAGS)
    return EAI_BADFLAGS;
  if (q->family != AF_UNSPEC && q->family != AF_INET && q->family != AF_INET6)
    return EAI_FAMILY;
  if (q->socktype != 0 && q->socktype != SOCK_STREAM &&
      q->socktype != SOCK_DGRAM)
    return EAI_SOCKTYPE;
  switch (q->protocol) {
  case 0:
    break;
  case IPPROTO_TCP:
    if (q->socktype == SOCK_DGRAM)
      return EAI_SOCKTYPE;
    q->socktype = SOCK_STREAM;
    break;
  case IPPROTO_UDP:
    if (q->socktype == SOCK_STREAM)
      return EAI_SOCKTYPE;
    q->socktype = SOCK_DGRAM;
    break;
  default:
    return EAI_SOCKTYPE;
  }
  return 0;
}

/* The service: a number, a well-known name, or none. */
static int wasisock__gai_service(const char *serv, wasisock__gai_t *q) {
  char *end;
  unsigned long n;

  q->socktypes = q->socktype == SOCK_STREAM  ? 1
                 : q->socktype == SOCK_DGRAM ? 2
                                             : 3;
  if (serv == NULL || serv[0] == '\0')
    return 0;
  n = strtoul(serv, &end, 10);
  if (*end == '\0' && serv[0] >= '0' && serv[0] <= '9') {
    if (n > 65535)
      return EAI_SERVICE;
    q->port = (uint16_t)n;
    return 0;
  }
  if (q->flags & AI_NUMERICSERV)
    return EAI_NONAME;
  if (wasisock__service_port(serv, q->socktype, &q->port, &q->socktypes) < 0)
    return EAI_SERVICE;
  return 0;
}

/* A numeric host (inet_aton's forms for IPv4, inet_pton's with an optional
 * numeric "%scope" for IPv6): 1 and the address, 0 if not numeric, or an
 * EAI_* error. */
static int wasisock__gai_numeric(const char *host, wasisock__gai_t *q,
                                 wasisock_addr_t *a) {
  char text[INET6_ADDRSTRLEN];
  const char *pct;
  struct in_addr in4;
  char *end;
  unsigned long scope;
  size_t len;

  memset(a, 0, sizeof(*a));
  if (inet_aton(host, &in4)) {
    a->family = WASISOCK_AF_INET;
    memcpy(a->bytes, &in4, 4);
    return 1;
  }
  pct = strchr(host, '%');
  len = pct != NULL ? (size_t)(pct - host) : strlen(host);
  if (len >= sizeof(text))
    return 0;
  memcpy(text, host, len);
  text[len] = '\0';
  if (inet_pton(AF_INET6, text, a->bytes) != 1)
    return 0;
  a->family = WASISOCK_AF_INET6;
  if (pct != NULL) {
    scope = strtoul(pct + 1, &end, 10);
    /* Interface names need if_nametoindex, which WASI does not have. */
    if (pct[1] < '0' || pct[1] > '9' || *end != '\0' || scope > UINT32_MAX)
      return EAI_NONAME;
    q->scope = (uint32_t)scope;
  }
  return 1;
}

/* Errors of sock_resolve as getaddrinfo's (docs/ABI.md). */
static int wasisock__gai_errno(int32_t r) {
  switch (r) {
  case WASISOCK_ENOENT:
  case WASISOCK_EINVAL: /* a name longer than any DNS name */
    return EAI_NONAME;
  case WASISOCK_EAGAIN:
    return EAI_AGAIN;
  case WASISOCK_ENOMEM:
    return EAI_MEMORY;
  case WASISOCK_EACCES: /* the host's policy: EAI_SYSTEM tells it apart */
    errno = EACCES;
    return EAI_SYSTEM;
  default:
    return EAI_FAIL;
  }
}

/* Appends one node per socket type for address a. */
static int wasisock__gai_add(const wasisock__gai_t *q,
                             const wasisock_addr_t *a, const char *canon,
                             struct addrinfo ***tail) {
  static const int types[2] = {SOCK_STREAM, SOCK_DGRAM};
  size_t clen = canon != NULL ? strlen(canon) + 1 : 0;
  wasisock__ai_t *n;
  int i;

  for (i = 0; i < 2; i++) {
    if (!(q->socktypes & (1 << i)))
      continue;
    if ((n = calloc(1, sizeof(*n) + clen)) == NULL)
      return EAI_MEMORY;
    wasisock__sockaddr_fill(a, &n->ss);
    if (a->family == WASISOCK_AF_INET6)
      ((struct sockaddr_in6 *)&n->ss)->sin6_scope_id = q->scope;
    n->ai.ai_family = a->family == WASISOCK_AF_INET6 ? AF_INET6 : AF_INET;
    n->ai.ai_socktype = types[i];
    n->ai.ai_protocol = types[i] == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
    n->ai.ai_addrlen = wasisock__sockaddr_size(a->family);
    n->ai.ai_addr = (struct sockaddr *)&n->ss;
    if (canon != NULL) {
      memcpy(n->canon, canon, clen);
      n->ai.ai_canonname = n->canon;
      canon = NULL;
      clen = 0;
    }
    **tail = &n->ai;
    *tail = &n->ai.ai_next;
  }
  return 0;
}

/* ::ffff:a.b.c.d for an IPv4 address. */
static void wasisock__v4mapped(const wasisock_addr_t *v4, wasisock_addr_t *out) {
  memset(out, 0, sizeof(*out));
  out->family = WASISOCK_AF_INET6;
  out->port = v4->port;
  out->bytes[10] = 0xff;
  out->bytes[11] = 0xff;
  memcpy(out->bytes + 12, v4->bytes, 4);
}

/* The answer for addrs[0..n) filtered by family, as a list. */
static int wasisock__gai_build(const wasisock__gai_t *q, wasisock_addr_t *addrs,
                               uint32_t n, const char *canon,
                               struct addrinfo **res) {
  struct addrinfo *head = NULL, **tail = &head;
  wasisock_addr_t mapped;
  uint32_t i, nv6 = 0;
  int err = 0;

  for (i = 0; i < n; i++)
    nv6 += addrs[i].family == WASISOCK_AF_INET6;
  for (i = 0; i < n && err == 0; i++) {
    addrs[i].port = q->port;
    if (q->family == AF_UNSPEC ||
        (q->family == AF_INET && addrs[i].family == WASISOCK_AF_INET) ||
        (q->family == AF_INET6 && addrs[i].family == WASISOCK_AF_INET6)) {
      err = wasisock__gai_add(q, &addrs[i], canon, &tail);
    } else if (q->family == AF_INET6 && (q->flags & AI_V4MAPPED) &&
               (nv6 == 0 || (q->flags & AI_ALL))) {
      wasisock__v4mapped(&addrs[i], &mapped);
      err = wasisock__gai_add(q, &mapped, canon, &tail);
    } else {
      continue;
    }
    if (head != NULL)
      canon = NULL; /* the first node carries it */
  }
  if (err == 0 && head == NULL)
    err = EAI_NONAME; /* no address of the family asked for */
  if (err != 0) {
    freeaddrinfo(head);
    return err;
  }
  *res = head;
  return 0;
}

int getaddrinfo(const char *__restrict host, const char *__restrict serv,
                const struct addrinfo *__restrict hints,
                struct addrinfo **__restrict res) {
  uint8_t recs[WASISOCK__GAI_MAX * WASISOCK_ADDR_SIZE];
  wasisock_addr_t addrs[WASISOCK__GAI_MAX];
  wasisock__gai_t q;
  uint32_t n = 0, i, count = 0;
  int err;

  if (!wasisock__mem_ok(res, sizeof(*res))) {
    errno = EFAULT;
    return EAI_SYSTEM;
  }
  if ((err = wasisock__gai_hints(hints, &q)) != 0)
    return err;
  if (host == NULL && serv == NULL)
    return EAI_NONAME;
  if (host == NULL && (q.flags & AI_CANONNAME))
    return EAI_BADFLAGS;
  if ((err = wasisock__gai_service(serv, &q)) != 0)
    return err;

  memset(addrs, 0, sizeof(addrs));
  if (host == NULL) {
    /* The any-addresses to bind to, or loopback to connect to. */
    addrs[0].family = WASISOCK_AF_INET;
    addrs[1].family = WASISOCK_AF_INET6;
    if (!(q.flags & AI_PASSIVE)) {
      addrs[0].bytes[0] = 127;
      addrs[0].bytes[3] = 1;
      addrs[1].bytes[15] = 1;
    }
    n = 2;
  } else if ((err = wasisock__gai_numeric(host, &q, &addrs[0])) != 0) {
    if (err < 0)
      return err;
    n = 1;
  } else if (q.flags & AI_NUMERICHOST) {
    return EAI_NONAME;
  } else {
    size_t len = strlen(host);
    int32_t r;
    if (len == 0)
      return EAI_NONAME;
    r = __wasisock_sock_resolve((const uint8_t *)host, (uint32_t)len, 0, recs,
                                WASISOCK__GAI_MAX, &count);
    if (r != WASISOCK_OK)
      return wasisock__gai_errno(r);
    if (count > WASISOCK__GAI_MAX)
      return EAI_FAIL; /* a host bug */
    for (i = 0; i < count; i++)
      if (wasisock_addr_read(recs + (size_t)i * WASISOCK_ADDR_SIZE,
                             &addrs[n]) == WASISOCK_OK)
        n++;
    if (n == 0)
      return EAI_NONAME;
  }
  return wasisock__gai_build(&q, addrs, n,
                             (q.flags & AI_CANONNAME) ? host : NULL, res);
}
