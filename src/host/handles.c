/*
 * handles.c — the per-instance socket table.
 *
 * Guests hold numbers, never host fds or pointers.  Handle h lives in slot
 * h - WASISOCK_FIRST_HANDLE; the lowest free slot is reused, like POSIX fds,
 * so numbers stay small and predictable.  The slot array grows by doubling
 * up to max_sockets; a linear scan for the lowest free slot is cheap at
 * these sizes (default limit 1024).
 */
#include <stdlib.h>

#include "internal.h"

int wasisock__handle_room(const wasisock_t *host) {
  return host->nopen < host->max_sockets;
}

static int32_t wasisock__handle_grow(wasisock_t *host) {
  wasisock__sock_t **socks;
  uint32_t n, i;

  n = host->nslots ? host->nslots * 2 : 16;
  if (n < host->nslots || n > host->max_sockets)
    n = host->max_sockets;
  socks = realloc(host->socks, (size_t)n * sizeof(*socks));
  if (socks == NULL)
    return WASISOCK_ENOMEM;
  for (i = host->nslots; i < n; i++)
    socks[i] = NULL;
  host->socks = socks;
  host->nslots = n;
  return WASISOCK_OK;
}

int32_t wasisock__handle_add(wasisock_t *host, wasisock__sock_t *s,
                             uint32_t *handle) {
  uint32_t i;
  int32_t err;

  if (!wasisock__handle_room(host))
    return WASISOCK_EMFILE;
  for (i = 0; i < host->nslots; i++)
    if (host->socks[i] == NULL)
      break;
  if (i == host->nslots && (err = wasisock__handle_grow(host)) != WASISOCK_OK)
    return err;
  host->socks[i] = s;
  host->nopen++;
  *handle = WASISOCK_FIRST_HANDLE + i;
  return WASISOCK_OK;
}

int32_t wasisock__handle_get(wasisock_t *host, uint32_t handle,
                             wasisock__sock_t **s) {
  uint32_t i;

  if (handle < WASISOCK_FIRST_HANDLE)
    return WASISOCK_EBADF;
  i = handle - WASISOCK_FIRST_HANDLE;
  if (i >= host->nslots || host->socks[i] == NULL)
    return WASISOCK_EBADF;
  *s = host->socks[i];
  return WASISOCK_OK;
}

void wasisock__handle_remove(wasisock_t *host, uint32_t handle) {
  uint32_t i = handle - WASISOCK_FIRST_HANDLE;

  /* Only called after a successful wasisock__handle_get. */
  host->socks[i] = NULL;
  host->nopen--;
}
