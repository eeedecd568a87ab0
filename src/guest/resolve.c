/*
 * resolve.c — guest library: name resolution, connect-by-name, formatting.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

int wasisock_resolve(const char *host, uint16_t port, wasisock_addr_t *addrs,
                     size_t max_addrs) {
  uint8_t recs[WASISOCK__MAX_ADDRS * WASISOCK_ADDR_SIZE];
  uint32_t count = 0, want, i;
  size_t name_len;
  int32_t r;

  if (host == NULL || addrs == NULL) return wasisock__fail(WASISOCK_EFAULT);
  if (max_addrs == 0) return wasisock__fail(WASISOCK_EINVAL);
  name_len = strlen(host);
  if (name_len == 0 || name_len > WASISOCK_NAME_MAX)
    return wasisock__fail(WASISOCK_EINVAL);

  /* Records land in a stack buffer and are decoded into the caller's array:
   * no record bytes are ever read by hand. */
  want = max_addrs < WASISOCK__MAX_ADDRS ? (uint32_t)max_addrs
                                         : WASISOCK__MAX_ADDRS;
  r = __wasisock_sock_resolve((const uint8_t *)host, (uint32_t)name_len, port,
                              recs, want, &count);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  if (count == 0) return wasisock__fail(WASISOCK_ENOENT);
  if (count > want) return wasisock__fail(WASISOCK_EIO); /* host bug */
  for (i = 0; i < count; i++) {
    r = wasisock_addr_read(recs + (size_t)i * WASISOCK_ADDR_SIZE, &addrs[i]);
    if (r != WASISOCK_OK) return wasisock__fail(r);
  }
  return (int)count;
}

/* Opens a socket of socktype for each address of host in turn and connects
 * it; the first success wins.  errno is the last failure's. */
static int wasisock__connect_any(const char *host, uint16_t port,
                                 int socktype) {
  wasisock_addr_t addrs[WASISOCK__MAX_ADDRS];
  int n, i, h, err = WASISOCK_ENOENT;

  n = wasisock_resolve(host, port, addrs, WASISOCK__MAX_ADDRS);
  if (n < 0) return -1;
  for (i = 0; i < n; i++) {
    h = wasisock_socket(addrs[i].family, socktype);
    if (h < 0) {
      err = errno;
      continue;
    }
    if (wasisock_connect(h, &addrs[i]) == 0) return h;
    err = errno;
    wasisock_close(h);
  }
  return wasisock__fail(err);
}

int wasisock_tcp_connect(const char *host, uint16_t port) {
  return wasisock__connect_any(host, port, WASISOCK_SOCK_STREAM);
}

int wasisock_udp_connect(const char *host, uint16_t port) {
  return wasisock__connect_any(host, port, WASISOCK_SOCK_DGRAM);
}

char *wasisock_addr_format(const wasisock_addr_t *addr, char *buf,
                           size_t len) {
  char ip[INET6_ADDRSTRLEN];
  int af, n;

  if (addr == NULL || buf == NULL) {
    errno = WASISOCK_EFAULT;
    return NULL;
  }
  af = addr->family == WASISOCK_AF_INET    ? AF_INET
       : addr->family == WASISOCK_AF_INET6 ? AF_INET6
                                           : -1;
  if (af < 0 || inet_ntop(af, addr->bytes, ip, sizeof ip) == NULL) {
    errno = WASISOCK_EAFNOSUPPORT;
    return NULL;
  }
  n = snprintf(buf, len, af == AF_INET6 ? "[%s]:%u" : "%s:%u", ip,
               (unsigned)addr->port);
  if (n < 0 || (size_t)n >= len) {
    errno = WASISOCK_ENOSPC;
    return NULL;
  }
  return buf;
}
