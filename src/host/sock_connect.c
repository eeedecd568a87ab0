/*
 * sock_connect.c — the sock_connect import.
 *
 * TCP: non-blocking connect(); on EINPROGRESS connect() again, which
 * answers the outcome (0, or the exact errno: ECONNREFUSED, ETIMEDOUT, ...;
 * what SO_ERROR would hold) or EALREADY, and wait until writable while it
 * says EALREADY.
 * With the socket's timeout the wait ends at the deadline (ETIMEDOUT; the
 * attempt goes on in the kernel, as in BSD); a non-blocking socket returns
 * EINPROGRESS at once and the guest sees completion with sock_poll
 * (POLLOUT) and SO_ERROR.  UDP: connect() sets the peer at once.
 * The network policy sees the address about to be dialled (and the name the
 * host resolved it from, if any) after the argument checks, before connect().
 */
#include <errno.h>

#include "internal.h"

static int32_t wasisock__connect(wasisock_t *host, wasisock__sock_t *s,
                                 const struct sockaddr *sa, socklen_t salen) {
  uint64_t deadline;
  int32_t err;

  deadline = wasisock__deadline(host, s);
  if (connect(s->fd, sa, salen) == 0)
    return WASISOCK_OK;
  /* EINTR on connect does not abort it: the connection goes on in the
   * background (POSIX), and a second connect() would say EALREADY.  So it
   * is waited for like EINPROGRESS. */
  if (errno != EINPROGRESS && errno != EINTR)
    return wasisock__errno_from_native(errno);

  for (;;) {
    /* Asking again gives the outcome of the attempt: 0 once established
     * (Linux answers the first connect() after an asynchronous one
     * completed with 0, and only then marks the socket connected, so a
     * later sock_connect says EISCONN as on a blocking socket), the error
     * that ended it (ECONNREFUSED, ETIMEDOUT, ...: what SO_ERROR holds,
     * which this also clears), or EALREADY while it is still going on.
     * It is asked before the first wait too: on loopback the handshake is
     * over by the time the first connect() returns (the SYN-ACK is handled
     * when it releases the socket), so connect + connect replaces connect
     * + poll + getsockopt + connect.  Not for a non-blocking socket, which
     * reports EINPROGRESS as BSD does. */
    if (!wasisock__nonblocking(s)) {
      if (connect(s->fd, sa, salen) == 0 || errno == EISCONN)
        return WASISOCK_OK;
      if (errno != EALREADY && errno != EINPROGRESS && errno != EINTR)
        return wasisock__errno_from_native(errno);
    }
    if ((err = wasisock__wait(host, s, UV_WRITABLE, deadline)) != WASISOCK_OK)
      return err == WASISOCK_EAGAIN ? WASISOCK_EINPROGRESS : err;
  }
}

int32_t wasisock_sock_connect(wasisock_t *host, const wasisock_mem_t *mem,
                              uint32_t handle, uint32_t addr_ptr) {
  struct sockaddr_storage ss;
  wasisock__sock_t *s;
  const uint8_t *rec;
  socklen_t salen;
  int32_t err;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  /* 1. pointers */
  rec = wasisock__mem_range(mem, addr_ptr, WASISOCK_ADDR_SIZE);
  if (rec == NULL)
    return WASISOCK_EFAULT;
  /* 2.-4. the record, the handle, the family, the policy (addr_arg.c) */
  if ((err = wasisock__addr_arg(host, rec, handle, WASISOCK_POLICY_CONNECT, &s,
                                &ss, &salen)) != WASISOCK_OK)
    return err;
  return wasisock__connect(host, s, (const struct sockaddr *)&ss, salen);
}
