/*
 * addr_arg.c — the address argument of sock_connect, sock_bind and
 * sock_send_to, checked in one place for the three.
 *
 * The caller has checked every guest pointer (the contract's first step).
 * Then, in the contract's order, so that a call that fails has no effect:
 * the record's values (EINVAL, EAFNOSUPPORT), the handle (EBADF), the
 * record's family against the socket's (EAFNOSUPPORT), and the network
 * policy (EACCES: nothing reaches the network).
 */
#include "internal.h"
#include "policy_internal.h"

int32_t wasisock__addr_arg(wasisock_t *host, const uint8_t *rec,
                           uint32_t handle, wasisock_policy_op_t op,
                           wasisock__sock_t **s, struct sockaddr_storage *ss,
                           socklen_t *salen) {
  wasisock_addr_t addr;
  int32_t err;

  if ((err = wasisock_addr_read(rec, &addr)) != WASISOCK_OK)
    return err;
  if ((err = wasisock__handle_get(host, handle, s)) != WASISOCK_OK)
    return err;
  if (wasisock__af_to_native(addr.family) != (*s)->family)
    return WASISOCK_EAFNOSUPPORT;
  /* A destination is checked with the name the host resolved it from
   * (sock_resolve's record); no policy, no name lookup. */
  if (host->policy != NULL) {
    err = op == WASISOCK_POLICY_BIND
              ? wasisock__policy_check_bind(host->policy, &addr)
              : wasisock__policy_check_connect(
                    host->policy, &addr, wasisock__name_for(host, &addr));
    if (err != 0)
      return err;
  }
  wasisock__addr_to_sockaddr(&addr, ss, salen);
  return WASISOCK_OK;
}
