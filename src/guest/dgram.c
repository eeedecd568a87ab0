/*
 * dgram.c — guest library: sendto and recvfrom (revision 2).
 */
#include <stdint.h>
#include <string.h>

#include "internal.h"

ssize_t wasisock_sendto(int h, const void *buf, size_t len, int flags,
                        const wasisock_addr_t *to) {
  uint8_t rec[WASISOCK_ADDR_SIZE];
  uint32_t sent = 0;
  int32_t r;
  if (to == NULL) return wasisock__fail(WASISOCK_EFAULT);
  if (h <= 0) return wasisock__fail(WASISOCK_EBADF);
  if (buf == NULL && len != 0) return wasisock__fail(WASISOCK_EFAULT);
  if (wasisock_addr_bytes_len(to->family) == 0)
    return wasisock__fail(WASISOCK_EAFNOSUPPORT);
  if (len > WASISOCK__MAX_IO) len = WASISOCK__MAX_IO;
  wasisock_addr_write(rec, to);
  r = __wasisock_sock_send_to((uint32_t)h, buf, (uint32_t)len, (uint32_t)flags,
                              rec, &sent);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  if (sent > len) return wasisock__fail(WASISOCK_EIO); /* host bug */
  return (ssize_t)sent;
}

ssize_t wasisock_recvfrom(int h, void *buf, size_t len, int flags,
                          wasisock_addr_t *from) {
  uint8_t rec[WASISOCK_ADDR_SIZE];
  wasisock_addr_t a;
  uint32_t got = 0;
  int32_t r;
  if (h <= 0) return wasisock__fail(WASISOCK_EBADF);
  if (buf == NULL && len != 0) return wasisock__fail(WASISOCK_EFAULT);
  if (len > WASISOCK__MAX_IO) len = WASISOCK__MAX_IO;
  r = __wasisock_sock_recv_from((uint32_t)h, buf, (uint32_t)len,
                                (uint32_t)flags, rec, &got);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  if (got > len) return wasisock__fail(WASISOCK_EIO); /* host bug */
  if (from != NULL) {
    /* "No address" (a stream socket) decodes as family AF_UNSPEC with zero
     * bytes: wasisock_addr_read says EAFNOSUPPORT and leaves exactly that. */
    if (wasisock_addr_read(rec, &a) != WASISOCK_OK &&
        a.family != WASISOCK_AF_UNSPEC)
      return wasisock__fail(WASISOCK_EIO); /* host bug */
    *from = a;
  }
  return (ssize_t)got;
}
