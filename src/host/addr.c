/*
 * addr.c — ABI address records and constants ↔ native sockaddrs.
 *
 * The record's bytes are read and written only by wasisock_abi.h
 * (wasisock_addr_read/_write); this file converts the decoded struct.
 */
#include <string.h>

#include <netinet/in.h>

#include "internal.h"

int wasisock__af_to_native(uint32_t af) {
  switch (af) {
  case WASISOCK_AF_INET: return AF_INET;
  case WASISOCK_AF_INET6: return AF_INET6;
  default: return -1;
  }
}

int wasisock__socktype_to_native(uint32_t socktype) {
  switch (socktype) {
  case WASISOCK_SOCK_STREAM: return SOCK_STREAM;
  case WASISOCK_SOCK_DGRAM: return SOCK_DGRAM;
  default: return -1;
  }
}

void wasisock__addr_to_sockaddr(const wasisock_addr_t *a,
                                struct sockaddr_storage *ss, socklen_t *len) {
  struct sockaddr_in *sin;
  struct sockaddr_in6 *sin6;

  memset(ss, 0, sizeof(*ss));
  if (a->family == WASISOCK_AF_INET) {
    sin = (struct sockaddr_in *)ss;
    sin->sin_family = AF_INET;
    sin->sin_port = htons(a->port);
    memcpy(&sin->sin_addr, a->bytes, 4);
    *len = sizeof(*sin);
  } else {
    /* The caller decoded the record with wasisock_addr_read, so the family
     * is AF_INET6 here.  No scope id in revision 1: link-local addresses
     * need one and are not reachable through the ABI yet. */
    sin6 = (struct sockaddr_in6 *)ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(a->port);
    memcpy(&sin6->sin6_addr, a->bytes, 16);
    *len = sizeof(*sin6);
  }
}

int32_t wasisock__addr_from_sockaddr(const struct sockaddr *sa,
                                     wasisock_addr_t *a) {
  const struct sockaddr_in *sin;
  const struct sockaddr_in6 *sin6;

  memset(a, 0, sizeof(*a));
  switch (sa->sa_family) {
  case AF_INET:
    sin = (const struct sockaddr_in *)sa;
    a->family = WASISOCK_AF_INET;
    a->port = ntohs(sin->sin_port);
    memcpy(a->bytes, &sin->sin_addr, 4);
    return WASISOCK_OK;
  case AF_INET6:
    sin6 = (const struct sockaddr_in6 *)sa;
    a->family = WASISOCK_AF_INET6;
    a->port = ntohs(sin6->sin6_port);
    memcpy(a->bytes, &sin6->sin6_addr, 16);
    return WASISOCK_OK;
  default:
    return WASISOCK_EAFNOSUPPORT;
  }
}
