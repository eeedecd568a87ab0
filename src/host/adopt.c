/*
 * adopt.c — wasisock_adopt: a native socket the host opened becomes a
 * guest handle.
 *
 * This is how a runner hands listening sockets to a guest (`--listen`,
 * listen_open.c): bound with the runner's rights before the guest starts,
 * then adopted, so the policy is never asked — it governs what the guest
 * asks for, and the guest asked for nothing.  Everything else about the
 * socket is as if sock_open had made it: non-blocking and close-on-exec
 * natively, the policy's max-buffer, no timeout.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "internal.h"

/* The native family and type of fd, if the ABI knows them. */
static int32_t wasisock__adopt_kind(int fd, int *family, int *type) {
  socklen_t len;

  len = sizeof(*family);
  if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, family, &len) == -1)
    return wasisock__errno_from_native(errno); /* EBADF, ENOTSOCK */
  len = sizeof(*type);
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, type, &len) == -1)
    return wasisock__errno_from_native(errno);
  if (*family != AF_INET && *family != AF_INET6)
    return WASISOCK_EAFNOSUPPORT;
  if (*type != SOCK_STREAM && *type != SOCK_DGRAM)
    return WASISOCK_EPROTOTYPE;
  return WASISOCK_OK;
}

int32_t wasisock_adopt(wasisock_t *host, int fd, uint32_t *handle) {
  wasisock__sock_t *s;
  uint32_t h;
  int32_t err;
  int flags;

  if (host == NULL || handle == NULL || fd < 0)
    return WASISOCK_EINVAL;
  s = calloc(1, sizeof(*s));
  if (s == NULL)
    return WASISOCK_ENOMEM;
  s->fd = fd;
  if ((err = wasisock__adopt_kind(fd, &s->family, &s->type)) != WASISOCK_OK)
    goto fail;
  if ((flags = fcntl(fd, F_GETFL)) == -1) {
    err = wasisock__errno_from_native(errno);
    goto fail;
  }
  if ((err = wasisock__handle_add(host, s, &h)) != WASISOCK_OK)
    goto fail;
  /* Only now is fd changed: a failure before leaves the caller's socket as
   * it was.  fcntl and setsockopt cannot fail on a socket just checked, but
   * if they did, the handle goes again and the caller keeps fd. */
  if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1 ||
      fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
    err = wasisock__errno_from_native(errno);
    wasisock__handle_remove(host, h);
    goto fail;
  }
  if ((err = wasisock__cap_buffers(host, fd)) != WASISOCK_OK) {
    wasisock__handle_remove(host, h);
    goto fail;
  }
  *handle = h;
  return WASISOCK_OK;

fail:
  free(s); /* not sock_destroy: fd stays the caller's */
  return err;
}
