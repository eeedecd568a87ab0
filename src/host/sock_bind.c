/*
 * sock_bind.c — the sock_bind and sock_listen imports.
 *
 * Both are one syscall each; the kernel gives BSD's answers (EADDRINUSE,
 * EADDRNOTAVAIL, EINVAL for a socket bound already).  Binding port 0 takes
 * an ephemeral port, which sock_local_addr reports.  listen() on a stream
 * socket nobody bound binds it to an ephemeral port of the any-address
 * first (Linux does that itself, as BSD).  The network policy sees the
 * requested local address before bind(), and the any-address with port 0
 * before such an implicit bind.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "policy_internal.h"

int32_t wasisock_sock_bind(wasisock_t *host, const wasisock_mem_t *mem,
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
  if ((err = wasisock__addr_arg(host, rec, handle, WASISOCK_POLICY_BIND, &s, &ss,
                                &salen)) != WASISOCK_OK)
    return err;
  if (bind(s->fd, (const struct sockaddr *)&ss, salen) == -1)
    return wasisock__errno_from_native(errno);
  return WASISOCK_OK;
}

/* 1 when s has no local port yet (never bound, explicitly or by a connect
 * or a send). */
static int wasisock__unbound(const wasisock__sock_t *s) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  wasisock_addr_t a;

  if (getsockname(s->fd, (struct sockaddr *)&ss, &len) == -1 ||
      wasisock__addr_from_sockaddr((struct sockaddr *)&ss, &a) != WASISOCK_OK)
    return 1; /* cannot tell: ask the policy, the stricter way */
  return a.port == 0;
}

int32_t wasisock_sock_listen(wasisock_t *host, const wasisock_mem_t *mem,
                             uint32_t handle, uint32_t backlog) {
  wasisock__sock_t *s;
  wasisock_addr_t any;
  int32_t err;
  int32_t n;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  /* 2. argument values: backlog is an i32, clamped to [1, SOMAXCONN]; no
   * value is an error (as listen(2)) */
  n = (int32_t)backlog;
  if (n < 1)
    n = 1;
  if (n > SOMAXCONN)
    n = SOMAXCONN;
  /* 3. the handle, then what depends on it */
  if ((err = wasisock__handle_get(host, handle, &s)) != WASISOCK_OK)
    return err;
  if (s->type != SOCK_STREAM)
    return WASISOCK_ENOTSUP; /* EOPNOTSUPP: a datagram socket */
  /* 4. the policy, for the implicit bind of an unbound socket */
  if (host->policy != NULL && wasisock__unbound(s)) {
    memset(&any, 0, sizeof(any));
    any.family = s->family == AF_INET ? WASISOCK_AF_INET : WASISOCK_AF_INET6;
    if ((err = wasisock__policy_check_bind(host->policy, &any)) != 0)
      return err;
  }

  if (listen(s->fd, n) == -1)
    return wasisock__errno_from_native(errno);
  return WASISOCK_OK;
}
