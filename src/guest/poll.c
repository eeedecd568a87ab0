/*
 * poll.c — guest library: wasisock_poll over many handles (revision 2).
 *
 * The caller's array is decoded structs; the host gets 8-byte records
 * written by the shared encoder (wasisock_abi.h) into a stack buffer, or a
 * heap one for large calls, and the revents are decoded back.
 */
#include <stdint.h>
#include <stdlib.h>

#include "internal.h"

#define WASISOCK__POLL_STACK 32

int wasisock_poll(wasisock_poll_sub_t *subs, size_t n, int timeout_ms) {
  uint8_t stack[WASISOCK__POLL_STACK * WASISOCK_POLL_SUB_SIZE];
  wasisock_poll_sub_t got;
  uint8_t *recs = stack;
  uint32_t nready = 0;
  int32_t r;
  size_t i;

  if (subs == NULL && n != 0) return wasisock__fail(WASISOCK_EFAULT);
  if (n > WASISOCK_POLL_MAX) return wasisock__fail(WASISOCK_EINVAL);
  if (n > WASISOCK__POLL_STACK) {
    recs = malloc(n * WASISOCK_POLL_SUB_SIZE);
    if (recs == NULL) return wasisock__fail(WASISOCK_ENOMEM);
  }
  for (i = 0; i < n; i++)
    wasisock_poll_sub_write(recs + i * WASISOCK_POLL_SUB_SIZE, &subs[i]);
  r = __wasisock_sock_poll(recs, (uint32_t)n, (uint32_t)timeout_ms, &nready);
  if (r == WASISOCK_OK)
    for (i = 0; i < n; i++) {
      wasisock_poll_sub_read(recs + i * WASISOCK_POLL_SUB_SIZE, &got);
      subs[i].revents = got.revents;
    }
  if (recs != stack) free(recs);
  if (r != WASISOCK_OK) return wasisock__fail(r);
  if (nready > n) return wasisock__fail(WASISOCK_EIO); /* host bug */
  return (int)nready;
}
