/*
 * services.c — the service and protocol names of getaddrinfo,
 * getnameinfo, getservbyname/port and getprotobyname/number.
 *
 * As every libc, from the guest's /etc/services and /etc/protocols when it
 * has them (the runners give the guest the host's, read-only); without
 * them, from a built-in table of the well-known names programs actually
 * spell (IANA's ports).  Anything else is written as a number.
 */
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netdb_internal.h"

#define WASISOCK__TCP 1
#define WASISOCK__UDP 2

typedef struct wasisock__service {
  const char *name;
  uint16_t port;
  uint8_t protos; /* WASISOCK__TCP | WASISOCK__UDP */
} wasisock__service_t;

/* First match wins for a port: the usual name before its aliases. */
static const wasisock__service_t wasisock__services[] = {
    {"echo", 7, WASISOCK__TCP | WASISOCK__UDP},
    {"discard", 9, WASISOCK__TCP | WASISOCK__UDP},
    {"daytime", 13, WASISOCK__TCP | WASISOCK__UDP},
    {"ftp-data", 20, WASISOCK__TCP},
    {"ftp", 21, WASISOCK__TCP},
    {"ssh", 22, WASISOCK__TCP},
    {"telnet", 23, WASISOCK__TCP},
    {"smtp", 25, WASISOCK__TCP},
    {"domain", 53, WASISOCK__TCP | WASISOCK__UDP},
    {"http", 80, WASISOCK__TCP},
    {"www", 80, WASISOCK__TCP},
    {"kerberos", 88, WASISOCK__TCP | WASISOCK__UDP},
    {"pop3", 110, WASISOCK__TCP},
    {"ntp", 123, WASISOCK__UDP},
    {"imap", 143, WASISOCK__TCP},
    {"imap2", 143, WASISOCK__TCP},
    {"snmp", 161, WASISOCK__UDP},
    {"ldap", 389, WASISOCK__TCP},
    {"https", 443, WASISOCK__TCP},
    {"submissions", 465, WASISOCK__TCP},
    {"syslog", 514, WASISOCK__UDP},
    {"submission", 587, WASISOCK__TCP},
    {"ldaps", 636, WASISOCK__TCP},
    {"imaps", 993, WASISOCK__TCP},
    {"pop3s", 995, WASISOCK__TCP},
    {"socks", 1080, WASISOCK__TCP},
    {"mysql", 3306, WASISOCK__TCP},
    {"postgresql", 5432, WASISOCK__TCP},
    {"http-alt", 8080, WASISOCK__TCP},
};

#define WASISOCK__NSERVICES (sizeof(wasisock__services) / sizeof(wasisock__services[0]))

/* ---- /etc/services and /etc/protocols ----------------------------------
 * "name port/proto aliases... # comment" and "name number aliases...";
 * read through etcfile.c on every lookup. */

/* A services line's port and protocol ("80/tcp"): 0, or -1 if malformed. */
static int wasisock__port_proto(const wasisock__etc_line_t *e, uint16_t *port,
                                uint8_t *proto) {
  char *end;
  unsigned long n = strtoul(e->word[1], &end, 10);
  if (end == e->word[1] || *end != '/' || n > 65535)
    return -1;
  *port = (uint16_t)n;
  *proto = strcmp(end + 1, "tcp") == 0   ? WASISOCK__TCP
           : strcmp(end + 1, "udp") == 0 ? WASISOCK__UDP
                                         : 0;
  return 0;
}

typedef struct wasisock__svc_query {
  const char *name; /* by name, or NULL: by port */
  uint16_t port;
  uint8_t want; /* WASISOCK__TCP | WASISOCK__UDP */
} wasisock__svc_query_t;

static int wasisock__svc_match(const wasisock__etc_line_t *e, const void *arg) {
  const wasisock__svc_query_t *q = arg;
  uint16_t port;
  uint8_t proto;
  int i;
  if (wasisock__port_proto(e, &port, &proto) < 0 || !(proto & q->want))
    return 0;
  if (q->name == NULL)
    return port == q->port;
  for (i = 0; i < e->nwords; i++)
    if (i != 1 && strcmp(e->word[i], q->name) == 0)
      return 1;
  return 0;
}

/* socktype 0 (any), SOCK_STREAM or SOCK_DGRAM → the WASISOCK__* bits. */
static uint8_t wasisock__protos_of(int socktype) {
  return socktype == SOCK_STREAM  ? WASISOCK__TCP
         : socktype == SOCK_DGRAM ? WASISOCK__UDP
                                  : WASISOCK__TCP | WASISOCK__UDP;
}

int wasisock__service_port(const char *name, int socktype, uint16_t *port,
                           int *socktypes) {
  wasisock__svc_query_t q = {name, 0, wasisock__protos_of(socktype)};
  uint8_t want = q.want, proto;
  wasisock__etc_line_t e;
  size_t i;
  int r;

  if ((r = wasisock__etc_scan("/etc/services", &e, wasisock__svc_match, &q)) >= 0) {
    if (r == 0)
      return -1;
    wasisock__port_proto(&e, port, &proto);
    if (socktypes != NULL) {
      /* Both protocols when the file lists the name for both. */
      *socktypes = proto;
      q.want = (uint8_t)(want & ~proto);
      if (q.want && wasisock__etc_scan("/etc/services", &e, wasisock__svc_match,
                                   &q) == 1)
        *socktypes |= q.want;
    }
    return 0;
  }
  for (i = 0; i < WASISOCK__NSERVICES; i++)
    if (strcmp(wasisock__services[i].name, name) == 0 &&
        (wasisock__services[i].protos & want)) {
      *port = wasisock__services[i].port;
      if (socktypes != NULL)
        *socktypes = wasisock__services[i].protos & want;
      return 0;
    }
  return -1;
}

const char *wasisock__service_name(uint16_t port, int udp) {
  static wasisock__etc_line_t e; /* the name returned lives here */
  uint8_t want = udp ? WASISOCK__UDP : WASISOCK__TCP;
  wasisock__svc_query_t q = {NULL, port, want};
  size_t i;
  int r;

  if ((r = wasisock__etc_scan("/etc/services", &e, wasisock__svc_match, &q)) >= 0)
    return r == 1 ? e.word[0] : NULL;

  for (i = 0; i < WASISOCK__NSERVICES; i++)
    if (wasisock__services[i].port == port &&
        (wasisock__services[i].protos & want))
      return wasisock__services[i].name;
  return NULL;
}

/* proto NULL (any), "tcp" or "udp" → socktype 0/STREAM/DGRAM; -1 other. */
static int wasisock__proto_socktype(const char *proto) {
  if (proto == NULL)
    return 0;
  if (strcmp(proto, "tcp") == 0)
    return SOCK_STREAM;
  if (strcmp(proto, "udp") == 0)
    return SOCK_DGRAM;
  return -1;
}

static struct servent *wasisock__servent(const char *name, uint16_t port,
                                         int socktype) {
  static struct servent se;
  static char *no_aliases[1];
  se.s_name = (char *)name;
  se.s_aliases = no_aliases;
  se.s_port = htons(port);
  se.s_proto = socktype == SOCK_DGRAM ? "udp" : "tcp";
  return &se;
}

struct servent *getservbyname(const char *name, const char *proto) {
  int socktype = wasisock__proto_socktype(proto), found;
  const char *canon;
  uint16_t port;

  if (name == NULL || socktype < 0 ||
      wasisock__service_port(name, socktype, &port, &found) < 0)
    return NULL;
  if (socktype == 0)
    socktype = found & WASISOCK__TCP ? SOCK_STREAM : SOCK_DGRAM;
  /* The official name, when name was an alias ("www" is "http"). */
  canon = wasisock__service_name(port, socktype == SOCK_DGRAM);
  return wasisock__servent(canon != NULL ? canon : name, port, socktype);
}

struct servent *getservbyport(int port, const char *proto) {
  int socktype = wasisock__proto_socktype(proto);
  uint16_t p = ntohs((uint16_t)port);
  const char *name;

  if (socktype < 0)
    return NULL;
  name = wasisock__service_name(p, socktype == SOCK_DGRAM);
  if (name == NULL && socktype == 0) {
    name = wasisock__service_name(p, 1);
    socktype = SOCK_DGRAM;
  }
  return name == NULL ? NULL : wasisock__servent(name, p, socktype);
}

/* ---- protocols ---------------------------------------------------------- */

typedef struct wasisock__proto {
  const char *name, *alias;
  int number;
} wasisock__proto_t;

static const wasisock__proto_t wasisock__protos[] = {
    {"ip", "IP", IPPROTO_IP},       {"icmp", "ICMP", IPPROTO_ICMP},
    {"tcp", "TCP", IPPROTO_TCP},    {"udp", "UDP", IPPROTO_UDP},
    {"ipv6", "IPv6", IPPROTO_IPV6}, {"ipv6-icmp", "IPv6-ICMP", 58},
};

#define WASISOCK__NPROTOS (sizeof(wasisock__protos) / sizeof(wasisock__protos[0]))

static struct protoent *wasisock__protoent(const wasisock__proto_t *p) {
  static struct protoent pe;
  static char *aliases[2];
  aliases[0] = (char *)p->alias;
  aliases[1] = NULL;
  pe.p_name = (char *)p->name;
  pe.p_aliases = aliases;
  pe.p_proto = p->number;
  return &pe;
}

static int wasisock__proto_match(const wasisock__etc_line_t *e, const void *arg) {
  const char *name = ((const wasisock__proto_t *)arg)->name;
  int number = ((const wasisock__proto_t *)arg)->number, i;
  if (name == NULL)
    return atoi(e->word[1]) == number;
  for (i = 0; i < e->nwords; i++)
    if (i != 1 && strcmp(e->word[i], name) == 0)
      return 1;
  return 0;
}

/* From /etc/protocols: 1 and *pe, 0 not there, -1 no file. */
static int wasisock__proto_file(const char *name, int number,
                                struct protoent **pe) {
  static wasisock__etc_line_t e;
  static char *aliases[WASISOCK__ETC_MAX_ALIASES + 1];
  static struct protoent out;
  wasisock__proto_t q = {name, NULL, number};
  int r, i, n = 0;

  if ((r = wasisock__etc_scan("/etc/protocols", &e, wasisock__proto_match, &q)) <= 0)
    return r;
  for (i = 2; i < e.nwords; i++)
    aliases[n++] = e.word[i];
  aliases[n] = NULL;
  out.p_name = e.word[0];
  out.p_aliases = aliases;
  out.p_proto = atoi(e.word[1]);
  *pe = &out;
  return 1;
}

struct protoent *getprotobyname(const char *name) {
  struct protoent *pe;
  size_t i;
  int r;
  if (name == NULL)
    return NULL;
  if ((r = wasisock__proto_file(name, 0, &pe)) >= 0)
    return r ? pe : NULL;
  for (i = 0; i < WASISOCK__NPROTOS; i++)
    if (strcmp(wasisock__protos[i].name, name) == 0 ||
        strcmp(wasisock__protos[i].alias, name) == 0)
      return wasisock__protoent(&wasisock__protos[i]);
  return NULL;
}

struct protoent *getprotobynumber(int number) {
  struct protoent *pe;
  size_t i;
  int r;
  if ((r = wasisock__proto_file(NULL, number, &pe)) >= 0)
    return r ? pe : NULL;
  for (i = 0; i < WASISOCK__NPROTOS; i++)
    if (wasisock__protos[i].number == number)
      return wasisock__protoent(&wasisock__protos[i]);
  return NULL;
}
