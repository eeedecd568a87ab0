/*
 * sockaddr.c — struct sockaddr_in/_in6 ↔ the ABI's address record, with
 * the length rules of POSIX (and Linux's errno where POSIX leaves a choice).
 * Records themselves are only ever touched through wasisock_abi.h.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>

#include "internal.h"

int wasisock__sockaddr_read(const struct sockaddr *addr, socklen_t len,
                            wasisock_addr_t *out) {
  struct sockaddr_in sin;
  struct sockaddr_in6 sin6;
  sa_family_t family;

  /* Linux's order: the length against the largest sockaddr, then the
   * copy (EFAULT), then the family's own minimum (EINVAL). */
  if (len > sizeof(struct sockaddr_storage) || len < sizeof(sa_family_t))
    return wasisock__fail(EINVAL);
  if (!wasisock__mem_ok(addr, len))
    return wasisock__fail(EFAULT);
  memcpy(&family, addr, sizeof(family)); /* the caller's may be unaligned */
  memset(out, 0, sizeof(*out));
  switch (family) {
  case AF_INET:
    if (len < sizeof(sin))
      return wasisock__fail(EINVAL);
    memcpy(&sin, addr, sizeof(sin));
    out->family = WASISOCK_AF_INET;
    out->port = ntohs(sin.sin_port);
    memcpy(out->bytes, &sin.sin_addr, 4);
    return 0;
  case AF_INET6:
    /* RFC 2133's sockaddr_in6 had no scope id: Linux takes that size too. */
    if (len < offsetof(struct sockaddr_in6, sin6_scope_id))
      return wasisock__fail(EINVAL);
    memset(&sin6, 0, sizeof(sin6));
    memcpy(&sin6, addr, len < sizeof(sin6) ? len : sizeof(sin6));
    out->family = WASISOCK_AF_INET6;
    out->port = ntohs(sin6.sin6_port);
    memcpy(out->bytes, &sin6.sin6_addr, 16);
    return 0;
  default:
    return wasisock__fail(EAFNOSUPPORT);
  }
}

socklen_t wasisock__sockaddr_size(uint8_t family) {
  return family == WASISOCK_AF_INET    ? sizeof(struct sockaddr_in)
         : family == WASISOCK_AF_INET6 ? sizeof(struct sockaddr_in6)
                                       : 0;
}

void wasisock__sockaddr_fill(const wasisock_addr_t *a,
                             struct sockaddr_storage *ss) {
  memset(ss, 0, sizeof(*ss));
  if (a->family == WASISOCK_AF_INET) {
    struct sockaddr_in *sin = (struct sockaddr_in *)ss;
    sin->sin_family = AF_INET;
    sin->sin_port = htons(a->port);
    memcpy(&sin->sin_addr, a->bytes, 4);
  } else if (a->family == WASISOCK_AF_INET6) {
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(a->port);
    memcpy(&sin6->sin6_addr, a->bytes, 16);
  }
}

int wasisock__copy_out(void *value, socklen_t *len, const void *v,
                       socklen_t n, int full) {
  socklen_t have;

  if (!wasisock__mem_ok(len, sizeof(*len)))
    return wasisock__fail(EFAULT);
  memcpy(&have, len, sizeof(have));
  if ((int)have < 0)
    return wasisock__fail(EINVAL);
  if (have > n)
    have = n;
  if (have > 0) {
    if (!wasisock__mem_ok(value, have))
      return wasisock__fail(EFAULT);
    memcpy(value, v, have);
  }
  if (full)
    have = n;
  memcpy(len, &have, sizeof(have));
  return 0;
}

int wasisock__sockaddr_write(const wasisock_addr_t *a, struct sockaddr *addr,
                             socklen_t *len) {
  struct sockaddr_storage ss;

  if (addr == NULL)
    return 0; /* not wanted (accept(fd, NULL, NULL) and the like) */
  wasisock__sockaddr_fill(a, &ss);
  return wasisock__copy_out(addr, len, &ss, wasisock__sockaddr_size(a->family),
                            1);
}
