/*
 * sock_io.c — the sock_send, sock_recv, sock_send_to and sock_recv_from
 * imports.
 *
 * One syscall's worth of data per call, as BSD send()/recv() on a blocking
 * socket: try, wait for readiness on EAGAIN, try again.  A TCP send returns
 * what the kernel took (maybe less than asked: the guest loops); a recv
 * returns what is there (0 = orderly close); UDP moves one datagram.  The
 * socket's timeout bounds the waits of one call together (ETIMEDOUT); a
 * non-blocking socket answers EAGAIN instead of waiting.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

/* send() or, with an address, sendto(). */
static int32_t wasisock__send(wasisock_t *host, wasisock__sock_t *s,
                              const uint8_t *buf, size_t len,
                              const struct sockaddr *to, socklen_t tolen,
                              size_t *sent) {
  uint64_t deadline;
  ssize_t n;
  int32_t err;

  deadline = wasisock__deadline(host, s);
  for (;;) {
    /* MSG_NOSIGNAL: a send on a connection the peer reset gives EPIPE
     * instead of killing the host process with SIGPIPE. */
    do
      n = sendto(s->fd, buf, len, MSG_NOSIGNAL, to, tolen);
    while (n == -1 && errno == EINTR);
    if (n >= 0) {
      *sent = (size_t)n;
      return WASISOCK_OK;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK)
      return wasisock__errno_from_native(errno);
    if ((err = wasisock__wait(host, s, UV_WRITABLE, deadline)) != WASISOCK_OK)
      return err;
  }
}

/* recv() or, with from, recvfrom().  flags are native (MSG_PEEK,
 * MSG_WAITALL).  MSG_WAITALL on a stream socket is done here, by looping:
 * the kernel's would stop at the first EAGAIN of a non-blocking fd.  It ends
 * early at end of stream, at an error or at the deadline, returning what
 * was received if that is anything. */
static int32_t wasisock__recv(wasisock_t *host, wasisock__sock_t *s,
                              uint8_t *buf, size_t len, int flags,
                              struct sockaddr_storage *from,
                              socklen_t *fromlen, size_t *received) {
  uint64_t deadline;
  size_t got = 0;
  int waitall;
  ssize_t n;
  int32_t err;

  deadline = wasisock__deadline(host, s);
  waitall = (flags & MSG_WAITALL) && s->type == SOCK_STREAM;
  flags &= ~MSG_WAITALL;
  for (;;) {
    if (from != NULL)
      *fromlen = sizeof(*from);
    do
      n = recvfrom(s->fd, buf + got, len - got, flags,
                   (struct sockaddr *)from, from != NULL ? fromlen : NULL);
    while (n == -1 && errno == EINTR);
    if (n > 0 && waitall && (got += (size_t)n) < len)
      continue;
    if (n >= 0) {
      *received = waitall ? got : (size_t)n;
      return WASISOCK_OK;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      err = wasisock__errno_from_native(errno);
      break;
    }
    if ((err = wasisock__wait(host, s, UV_READABLE, deadline)) != WASISOCK_OK)
      break;
  }
  if (got == 0)
    return err;
  *received = got; /* MSG_WAITALL cut short: what arrived, as BSD */
  return WASISOCK_OK;
}

int32_t wasisock_sock_send(wasisock_t *host, const wasisock_mem_t *mem,
                           uint32_t handle, uint32_t buf_ptr, uint32_t buf_len,
                           uint32_t sent_ptr) {
  wasisock__sock_t *s;
  const uint8_t *buf;
  uint8_t *sent_out;
  size_t sent = 0;
  int32_t err;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  buf = wasisock__mem_range(mem, buf_ptr, buf_len);
  sent_out = wasisock__mem_range(mem, sent_ptr, WASISOCK_U32_SIZE);
  if (buf == NULL || sent_out == NULL)
    return WASISOCK_EFAULT;
  if ((err = wasisock__handle_get(host, handle, &s)) != WASISOCK_OK)
    return err;

  if ((err = wasisock__send(host, s, buf, buf_len, NULL, 0, &sent)) !=
      WASISOCK_OK)
    return err;
  wasisock_u32_write(sent_out, (uint32_t)sent); /* sent <= buf_len */
  return WASISOCK_OK;
}

int32_t wasisock_sock_recv(wasisock_t *host, const wasisock_mem_t *mem,
                           uint32_t handle, uint32_t buf_ptr, uint32_t buf_len,
                           uint32_t received_ptr) {
  wasisock__sock_t *s;
  uint8_t *buf;
  uint8_t *received_out;
  size_t received;
  int32_t err;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  buf = wasisock__mem_range(mem, buf_ptr, buf_len);
  received_out = wasisock__mem_range(mem, received_ptr, WASISOCK_U32_SIZE);
  if (buf == NULL || received_out == NULL)
    return WASISOCK_EFAULT;
  if ((err = wasisock__handle_get(host, handle, &s)) != WASISOCK_OK)
    return err;

  /* buf_len 0 answers 0 at once: waiting for data that cannot be returned
   * would block for nothing, and on UDP it would discard a datagram. */
  received = 0;
  if (buf_len != 0 &&
      (err = wasisock__recv(host, s, buf, buf_len, 0, NULL, NULL,
                            &received)) != WASISOCK_OK)
    return err;
  wasisock_u32_write(received_out, (uint32_t)received); /* <= buf_len */
  return WASISOCK_OK;
}

int32_t wasisock_sock_send_to(wasisock_t *host, const wasisock_mem_t *mem,
                              uint32_t handle, uint32_t buf_ptr,
                              uint32_t buf_len, uint32_t flags,
                              uint32_t addr_ptr, uint32_t sent_ptr) {
  struct sockaddr_storage ss;
  wasisock__sock_t *s;
  const uint8_t *buf, *rec;
  uint8_t *sent_out;
  size_t sent = 0;
  socklen_t salen;
  int32_t err;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  /* 1. pointers */
  buf = wasisock__mem_range(mem, buf_ptr, buf_len);
  rec = wasisock__mem_range(mem, addr_ptr, WASISOCK_ADDR_SIZE);
  sent_out = wasisock__mem_range(mem, sent_ptr, WASISOCK_U32_SIZE);
  if (buf == NULL || rec == NULL || sent_out == NULL)
    return WASISOCK_EFAULT;
  /* 2. argument values: no flag is defined yet (reserved, must be 0) */
  if (flags != 0)
    return WASISOCK_EINVAL;
  /* 2.-4. the record, the handle, the family, and the policy: each
   * destination is a connect to it, as sock_connect (addr_arg.c) */
  if ((err = wasisock__addr_arg(host, rec, handle, WASISOCK_POLICY_CONNECT, &s,
                                &ss, &salen)) != WASISOCK_OK)
    return err;
  if ((err = wasisock__send(host, s, buf, buf_len,
                            (const struct sockaddr *)&ss, salen, &sent)) !=
      WASISOCK_OK)
    return err;
  wasisock_u32_write(sent_out, (uint32_t)sent); /* sent <= buf_len */
  return WASISOCK_OK;
}

int32_t wasisock_sock_recv_from(wasisock_t *host, const wasisock_mem_t *mem,
                                uint32_t handle, uint32_t buf_ptr,
                                uint32_t buf_len, uint32_t flags,
                                uint32_t addr_ptr, uint32_t received_ptr) {
  struct sockaddr_storage from;
  socklen_t fromlen = 0;
  wasisock__sock_t *s;
  wasisock_addr_t addr;
  uint8_t *buf, *rec, *received_out;
  size_t received = 0;
  int native_flags;
  int32_t err;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  /* 1. pointers */
  buf = wasisock__mem_range(mem, buf_ptr, buf_len);
  rec = wasisock__mem_range(mem, addr_ptr, WASISOCK_ADDR_SIZE);
  received_out = wasisock__mem_range(mem, received_ptr, WASISOCK_U32_SIZE);
  if (buf == NULL || rec == NULL || received_out == NULL)
    return WASISOCK_EFAULT;
  /* 2. argument values: PEEK or WAITALL, not both (a peek that waits for
   * more data than is queued would have nothing to wait on) */
  if (flags & ~(uint32_t)(WASISOCK_MSG_PEEK | WASISOCK_MSG_WAITALL) ||
      flags == (WASISOCK_MSG_PEEK | WASISOCK_MSG_WAITALL))
    return WASISOCK_EINVAL;
  native_flags = (flags & WASISOCK_MSG_PEEK ? MSG_PEEK : 0) |
                 (flags & WASISOCK_MSG_WAITALL ? MSG_WAITALL : 0);
  /* 3. the handle */
  if ((err = wasisock__handle_get(host, handle, &s)) != WASISOCK_OK)
    return err;

  memset(&addr, 0, sizeof(addr)); /* WASISOCK_AF_UNSPEC: "no address" */
  if (s->type == SOCK_STREAM) {
    /* A stream has no per-message sender; buf_len 0 is 0 at once, as
     * sock_recv. */
    if (buf_len != 0 &&
        (err = wasisock__recv(host, s, buf, buf_len, native_flags, NULL, NULL,
                              &received)) != WASISOCK_OK)
      return err;
  } else {
    /* A datagram is received even for buf_len 0 (as BSD): it is consumed,
     * or peeked at, and its sender reported. */
    if ((err = wasisock__recv(host, s, buf, buf_len, native_flags, &from,
                              &fromlen, &received)) != WASISOCK_OK)
      return err;
    if (fromlen >= sizeof(sa_family_t) &&
        wasisock__addr_from_sockaddr((const struct sockaddr *)&from, &addr) !=
            WASISOCK_OK)
      memset(&addr, 0, sizeof(addr));
  }
  wasisock_addr_write(rec, &addr);
  wasisock_u32_write(received_out, (uint32_t)received); /* <= buf_len */
  return WASISOCK_OK;
}
