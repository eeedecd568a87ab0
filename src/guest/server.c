/*
 * server.c — guest library: bind, listen, accept, addresses, and
 * wasisock_tcp_listen (revision 2).
 */
#include <stdint.h>
#include <string.h>

#include "internal.h"

int wasisock_bind(int h, const wasisock_addr_t *addr) {
  uint8_t rec[WASISOCK_ADDR_SIZE];
  int32_t r;
  if (addr == NULL) return wasisock__fail(WASISOCK_EFAULT);
  if (h <= 0) return wasisock__fail(WASISOCK_EBADF);
  if (wasisock_addr_bytes_len(addr->family) == 0)
    return wasisock__fail(WASISOCK_EAFNOSUPPORT);
  wasisock_addr_write(rec, addr);
  r = __wasisock_sock_bind((uint32_t)h, rec);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  return 0;
}

int wasisock_listen(int h, int backlog) {
  int32_t r;
  if (h <= 0) return wasisock__fail(WASISOCK_EBADF);
  r = __wasisock_sock_listen((uint32_t)h, (uint32_t)backlog);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  return 0;
}

int wasisock_accept(int h, wasisock_addr_t *peer) {
  uint8_t rec[WASISOCK_ADDR_SIZE];
  wasisock_addr_t a;
  uint32_t c = 0;
  int32_t r;
  if (h <= 0) return wasisock__fail(WASISOCK_EBADF);
  r = __wasisock_sock_accept((uint32_t)h, &c, rec);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  if (c == 0 || c > INT32_MAX) {
    __wasisock_sock_close(c); /* a handle we cannot return: host bug */
    return wasisock__fail(WASISOCK_EIO);
  }
  if (peer != NULL) {
    if (wasisock_addr_read(rec, &a) != WASISOCK_OK) memset(&a, 0, sizeof a);
    *peer = a;
  }
  return (int)c;
}

/* getsockname/getpeername through one of the two imports. */
static int wasisock__addr_query(int h, wasisock_addr_t *addr,
                                int32_t (*fn)(uint32_t, uint8_t *)) {
  uint8_t rec[WASISOCK_ADDR_SIZE];
  int32_t r;
  if (addr == NULL) return wasisock__fail(WASISOCK_EFAULT);
  if (h <= 0) return wasisock__fail(WASISOCK_EBADF);
  r = fn((uint32_t)h, rec);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  r = wasisock_addr_read(rec, addr);
  if (r != WASISOCK_OK) return wasisock__fail(WASISOCK_EIO); /* host bug */
  return 0;
}

int wasisock_local_addr(int h, wasisock_addr_t *addr) {
  return wasisock__addr_query(h, addr, __wasisock_sock_local_addr);
}

int wasisock_peer_addr(int h, wasisock_addr_t *addr) {
  return wasisock__addr_query(h, addr, __wasisock_sock_peer_addr);
}

/* Opens, binds and listens on one address; the handle or -1. */
static int wasisock__listen_on(const wasisock_addr_t *addr, int backlog) {
  int h, err;
  h = wasisock_socket(addr->family, WASISOCK_SOCK_STREAM);
  if (h < 0) return -1;
  /* A restarted server can rebind while old connections sit in TIME_WAIT. */
  if (wasisock_setsockopt(h, WASISOCK_SOL_SOCKET, WASISOCK_SO_REUSEADDR, 1) <
          0 ||
      wasisock_bind(h, addr) < 0 || wasisock_listen(h, backlog) < 0) {
    err = errno;
    wasisock_close(h);
    return wasisock__fail(err);
  }
  return h;
}

int wasisock_tcp_listen(const char *host, uint16_t port, int backlog) {
  wasisock_addr_t addrs[WASISOCK__MAX_ADDRS];
  int n, i, h, err = WASISOCK_ENOENT;

  if (host == NULL || host[0] == '\0') {
    memset(&addrs[0], 0, sizeof addrs[0]); /* 0.0.0.0 */
    addrs[0].family = WASISOCK_AF_INET;
    addrs[0].port = port;
    return wasisock__listen_on(&addrs[0], backlog);
  }
  n = wasisock_resolve(host, port, addrs, WASISOCK__MAX_ADDRS);
  if (n < 0) return -1;
  for (i = 0; i < n; i++) {
    h = wasisock__listen_on(&addrs[i], backlog);
    if (h >= 0) return h;
    err = errno;
  }
  return wasisock__fail(err);
}
