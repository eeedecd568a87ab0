/*
 * internal.h — shared helpers of the guest library (src/guest).
 */
#ifndef WASISOCK_GUEST_INTERNAL_H
#define WASISOCK_GUEST_INTERNAL_H

#include <errno.h>

#include "wasisock.h"

/* Stores an import's result in errno and returns -1.  wasi-libc's errno
 * numbers are WASI's, so the code is stored unchanged. */
static inline int wasisock__fail(int32_t code) {
  errno = code;
  return -1;
}

/* Largest length passed to one import: the results are u32 and callers get
 * them back as ssize_t, so stay within SSIZE_MAX. */
#define WASISOCK__MAX_IO ((size_t)0x7fffffff)

/* Addresses tried by wasisock_tcp_connect / wasisock_udp_connect. */
#define WASISOCK__MAX_ADDRS 16

#endif /* WASISOCK_GUEST_INTERNAL_H */
