/*
 * fd.c — socket descriptors: numbering, the per-socket state POSIX keeps
 * and the host does not, and the answers for descriptors that are WASI's.
 */
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#include "internal.h"

/* The state lives in pages of WASISOCK__PAGE entries indexed by handle:
 * the host hands out the lowest free handle, so a few pages cover every
 * socket a guest has open, and a lookup is two array reads. */
#define WASISOCK__PAGE 256u

static const wasisock__fdstate_t wasisock__defaults = {
    .rcvtimeo_ms = WASISOCK_TIMEOUT_NONE,
    .sndtimeo_ms = WASISOCK_TIMEOUT_NONE,
    .host_timeout = WASISOCK_TIMEOUT_NONE,
};

static wasisock__fdstate_t **wasisock__pages;
static uint32_t wasisock__npages;

int wasisock__fd_from_handle(uint32_t handle) {
  if (handle == 0 || handle >= (uint32_t)WASISOCK_FD_BASE) {
    __wasisock_sock_close(handle); /* a number no descriptor can carry */
    return wasisock__fail(EIO);
  }
  return WASISOCK_FD_BASE + (int)handle;
}

const wasisock__fdstate_t *wasisock__state(uint32_t handle) {
  uint32_t page = handle / WASISOCK__PAGE;
  if (page < wasisock__npages && wasisock__pages[page] != NULL)
    return &wasisock__pages[page][handle % WASISOCK__PAGE];
  return &wasisock__defaults;
}

wasisock__fdstate_t *wasisock__state_mut(uint32_t handle) {
  uint32_t page = handle / WASISOCK__PAGE, i;
  wasisock__fdstate_t *p;

  if (page >= wasisock__npages) {
    wasisock__fdstate_t **pages =
        realloc(wasisock__pages, (page + 1) * sizeof(*pages));
    if (pages == NULL) {
      errno = ENOMEM;
      return NULL;
    }
    memset(pages + wasisock__npages, 0,
           (page + 1 - wasisock__npages) * sizeof(*pages));
    wasisock__pages = pages;
    wasisock__npages = page + 1;
  }
  if (wasisock__pages[page] == NULL) {
    p = malloc(WASISOCK__PAGE * sizeof(*p));
    if (p == NULL) {
      errno = ENOMEM;
      return NULL;
    }
    for (i = 0; i < WASISOCK__PAGE; i++)
      p[i] = wasisock__defaults;
    wasisock__pages[page] = p;
  }
  return &wasisock__pages[page][handle % WASISOCK__PAGE];
}

wasisock__fdstate_t *wasisock__state_new(uint32_t handle, int domain) {
  wasisock__fdstate_t *st = wasisock__state_mut(handle);
  if (st == NULL)
    return NULL;
  *st = wasisock__defaults;
  st->domain = (uint8_t)domain;
  return st;
}

void wasisock__state_drop(uint32_t handle) {
  uint32_t page = handle / WASISOCK__PAGE;
  if (page < wasisock__npages && wasisock__pages[page] != NULL)
    wasisock__pages[page][handle % WASISOCK__PAGE] = wasisock__defaults;
}

int wasisock__wasi_fd_fail(int fd) {
  __wasi_fdstat_t st;

  if (fd < 0 || __wasi_fd_fdstat_get(fd, &st) != 0)
    return wasisock__fail(EBADF);
  if (st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM ||
      st.fs_filetype == __WASI_FILETYPE_SOCKET_DGRAM)
    return wasisock__fail(EOPNOTSUPP);
  return wasisock__fail(ENOTSOCK);
}

int wasisock__mem_ok(const void *p, size_t len) {
  uint64_t end = (uint64_t)__builtin_wasm_memory_size(0) * 65536u;
  uint64_t a = (uint64_t)(uintptr_t)p;
  return p != NULL && a <= end && len <= end - a;
}

int wasisock__socket_type(uint32_t handle, int *type) {
  uint32_t v = 0;
  int32_t r = __wasisock_sock_getsockopt(handle, WASISOCK_SOL_SOCKET,
                                         WASISOCK_SO_TYPE, &v);
  if (r != WASISOCK_OK)
    return wasisock__fail(r);
  if (type != NULL)
    *type = (int)v;
  return 0;
}

ssize_t wasisock__wasi_result(int fd, ssize_t r) {
  __wasi_fdstat_t st;
  int err = errno;

  if (r >= 0 || err == EAGAIN || err == EINTR)
    return r;
  if (fd < 0 || __wasi_fd_fdstat_get(fd, &st) != 0)
    return wasisock__fail(EBADF);
  if (st.fs_filetype != __WASI_FILETYPE_SOCKET_STREAM &&
      st.fs_filetype != __WASI_FILETYPE_SOCKET_DGRAM)
    return wasisock__fail(ENOTSOCK);
  return wasisock__fail(err);
}

/* Volatile, so the load below stays and keeps the reference live: lld does
 * not report an undefined symbol that only dead code needs. */
static int (*volatile const wasisock__real_close)(int) = __real_close;

void wasisock__require_wrap(void) { (void)wasisock__real_close; }
