/*
 * socket.c — guest library: open, connect, send, receive, close.
 */
#include <stdint.h>

#include "internal.h"

int wasisock_abi_revision(void) {
  uint32_t rev = 0;
  int32_t r = __wasisock_sock_abi_version(&rev);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  return (int)rev;
}

int wasisock_socket(int af, int socktype) {
  uint32_t h = 0;
  int32_t r;
  if (af < 0 || socktype < 0) return wasisock__fail(WASISOCK_EINVAL);
  r = __wasisock_sock_open((uint32_t)af, (uint32_t)socktype, &h);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  if (h == 0 || h > INT32_MAX) {
    /* The ABI promises positive handles; one we cannot return is a host bug. */
    __wasisock_sock_close(h);
    return wasisock__fail(WASISOCK_EIO);
  }
  return (int)h;
}

int wasisock_connect(int h, const wasisock_addr_t *addr) {
  uint8_t rec[WASISOCK_ADDR_SIZE];
  int32_t r;
  if (addr == NULL) return wasisock__fail(WASISOCK_EFAULT);
  if (h <= 0) return wasisock__fail(WASISOCK_EBADF);
  if (wasisock_addr_bytes_len(addr->family) == 0)
    return wasisock__fail(WASISOCK_EAFNOSUPPORT);
  wasisock_addr_write(rec, addr);
  r = __wasisock_sock_connect((uint32_t)h, rec);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  return 0;
}

ssize_t wasisock_send(int h, const void *buf, size_t len) {
  uint32_t sent = 0;
  int32_t r;
  if (h <= 0) return wasisock__fail(WASISOCK_EBADF);
  if (buf == NULL && len != 0) return wasisock__fail(WASISOCK_EFAULT);
  if (len > WASISOCK__MAX_IO) len = WASISOCK__MAX_IO;
  r = __wasisock_sock_send((uint32_t)h, buf, (uint32_t)len, &sent);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  return (ssize_t)sent;
}

ssize_t wasisock_send_all(int h, const void *buf, size_t len) {
  const uint8_t *p = buf;
  size_t done = 0;
  if (len > WASISOCK__MAX_IO) return wasisock__fail(WASISOCK_EINVAL);
  while (done < len) {
    ssize_t n = wasisock_send(h, p + done, len - done);
    if (n < 0) return -1;
    if (n == 0) return wasisock__fail(WASISOCK_EIO); /* no progress: host bug */
    done += (size_t)n;
  }
  return (ssize_t)len;
}

ssize_t wasisock_recv(int h, void *buf, size_t len) {
  uint32_t got = 0;
  int32_t r;
  if (h <= 0) return wasisock__fail(WASISOCK_EBADF);
  if (buf == NULL && len != 0) return wasisock__fail(WASISOCK_EFAULT);
  if (len > WASISOCK__MAX_IO) len = WASISOCK__MAX_IO;
  r = __wasisock_sock_recv((uint32_t)h, buf, (uint32_t)len, &got);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  if (got > len) return wasisock__fail(WASISOCK_EIO); /* host bug */
  return (ssize_t)got;
}

int wasisock_close(int h) {
  int32_t r;
  if (h <= 0) return wasisock__fail(WASISOCK_EBADF);
  r = __wasisock_sock_close((uint32_t)h);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  return 0;
}
