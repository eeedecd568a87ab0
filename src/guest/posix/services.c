/*
 * services.c — the service and protocol names of getaddrinfo,
 * getnameinfo, getservbyname/port and getprotobyname/number.
 *
 * A guest has no /etc/services or /etc/protocols of its own, so the layer
 * carries the well-known names programs actually spell (IANA's ports).
 * Anything else is written as a number.
 */
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

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

/* socktype 0 (any), SOCK_STREAM or SOCK_DGRAM → the WASISOCK__* bits. */
static uint8_t wasisock__protos_of(int socktype) {
  return socktype == SOCK_STREAM  ? WASISOCK__TCP
         : socktype == SOCK_DGRAM ? WASISOCK__UDP
                                  : WASISOCK__TCP | WASISOCK__UDP;
}

int wasisock__service_port(const char *name, int socktype, uint16_t *port,
                           int *socktypes) {
  uint8_t want = wasisock__protos_of(socktype);
  size_t i;

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
  uint8_t want = udp ? WASISOCK__UDP : WASISOCK__TCP;
  size_t i;

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
  uint16_t port;

  if (name == NULL || socktype < 0 ||
      wasisock__service_port(name, socktype, &port, &found) < 0)
    return NULL;
  if (socktype == 0)
    socktype = found & WASISOCK__TCP ? SOCK_STREAM : SOCK_DGRAM;
  return wasisock__servent(name, port, socktype);
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

struct protoent *getprotobyname(const char *name) {
  size_t i;
  if (name == NULL)
    return NULL;
  for (i = 0; i < WASISOCK__NPROTOS; i++)
    if (strcmp(wasisock__protos[i].name, name) == 0 ||
        strcmp(wasisock__protos[i].alias, name) == 0)
      return wasisock__protoent(&wasisock__protos[i]);
  return NULL;
}

struct protoent *getprotobynumber(int number) {
  size_t i;
  for (i = 0; i < WASISOCK__NPROTOS; i++)
    if (wasisock__protos[i].number == number)
      return wasisock__protoent(&wasisock__protos[i]);
  return NULL;
}
