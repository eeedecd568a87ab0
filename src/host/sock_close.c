/*
 * sock_close.c — the sock_close import and socket teardown.
 */
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

void wasisock__sock_destroy(wasisock__sock_t *s) {
  /* The poll first: uv_close takes the fd out of epoll, then the fd can go. */
  wasisock__wait_close(s);
  /* close() is not retried on EINTR: on Linux the fd is gone either way and
   * a retry could close an fd another thread just got. */
  close(s->fd);
  free(s);
}

int32_t wasisock_sock_close(wasisock_t *host, const wasisock_mem_t *mem,
                            uint32_t handle) {
  wasisock__sock_t *s;
  int had_poll;
  int32_t err;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  if ((err = wasisock__handle_get(host, handle, &s)) != WASISOCK_OK)
    return err;
  wasisock__handle_remove(host, handle);
  had_poll = s->poll != NULL;
  wasisock__sock_destroy(s);
  /* Let the poll handle's close callback run now rather than at the next
   * sock_poll, so memory is returned promptly.  NOWAIT never blocks.  A
   * socket sock_poll never watched has none: no loop turn (a syscall). */
  if (had_poll)
    uv_run(host->loop, UV_RUN_NOWAIT);
  return WASISOCK_OK;
}
