/*
 * sockopt.c — getsockopt() (wrapped) and setsockopt().
 *
 * int-valued options go to the host unchanged: their levels and names are
 * the ABI's numbers, and the host answers ENOPROTOOPT for any it does not
 * support, so an option a newer host adds works without a change here.
 * SO_LINGER's struct linger goes as the ABI's one i32 (-1 off, else
 * seconds).  Three are answered in the guest: SO_RCVTIMEO and SO_SNDTIMEO
 * (timeout.c) and SO_DOMAIN/SO_PROTOCOL, which the host does not report.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/time.h>

#include "internal.h"

/* struct timeval → milliseconds, rounded up so a wait never ends early;
 * all zero is "no timeout", as POSIX says. */
static int wasisock__timeval_ms(const struct timeval *tv, uint32_t *ms) {
  uint64_t v;

  if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
    return wasisock__fail(EDOM);
  if (tv->tv_sec == 0 && tv->tv_usec == 0) {
    *ms = WASISOCK_TIMEOUT_NONE;
    return 0;
  }
  v = (uint64_t)tv->tv_sec * 1000u + ((uint64_t)tv->tv_usec + 999u) / 1000u;
  /* The longest finite timeout the host takes; 0 would mean "never wait". */
  *ms = v >= WASISOCK_TIMEOUT_NONE ? WASISOCK_TIMEOUT_NONE - 1 : (uint32_t)v;
  return 0;
}

static int wasisock__getsockopt(int fd, int level, int name, void *value,
                                socklen_t *len) {
  uint32_t handle = wasisock__fd_handle(fd), v = 0;
  const wasisock__fdstate_t *st;
  struct timeval tv;
  uint32_t ms;
  int type, iv;
  int32_t r;

  if (level == SOL_SOCKET && (name == SO_RCVTIMEO || name == SO_SNDTIMEO)) {
    if (wasisock__socket_type(handle, &type) < 0)
      return -1;
    st = wasisock__state(handle);
    ms = name == SO_RCVTIMEO ? st->rcvtimeo_ms : st->sndtimeo_ms;
    memset(&tv, 0, sizeof(tv));
    if (ms != WASISOCK_TIMEOUT_NONE) {
      tv.tv_sec = (time_t)(ms / 1000u);
      tv.tv_usec = (suseconds_t)(ms % 1000u) * 1000;
    }
    return wasisock__copy_out(value, len, &tv, sizeof(tv), 0);
  }
  if (level == SOL_SOCKET && (name == SO_DOMAIN || name == SO_PROTOCOL)) {
    if (wasisock__socket_type(handle, &type) < 0)
      return -1;
    st = wasisock__state(handle);
    if (name == SO_DOMAIN) {
      iv = st->domain;
      if (iv == 0) { /* a socket the host opened: ask its address */
        uint8_t rec[WASISOCK_ADDR_SIZE];
        wasisock_addr_t a;
        if ((r = __wasisock_sock_local_addr(handle, rec)) != WASISOCK_OK)
          return wasisock__fail(r);
        /* "No address" is a socketpair's Unix-domain socket. */
        iv = wasisock_addr_read(rec, &a) != WASISOCK_OK ? AF_UNIX
             : a.family == WASISOCK_AF_INET6            ? AF_INET6
                                                        : AF_INET;
      }
    } else {
      iv = st->domain == AF_UNIX      ? 0
           : type == SOCK_STREAM ? IPPROTO_TCP
                                 : IPPROTO_UDP;
    }
    return wasisock__copy_out(value, len, &iv, sizeof(iv), 0);
  }
  r = __wasisock_sock_getsockopt(handle, (uint32_t)level, (uint32_t)name, &v);
  if (r != WASISOCK_OK)
    return wasisock__fail(r);
  if (level == SOL_SOCKET && name == SO_LINGER) {
    struct linger l;
    l.l_onoff = (int32_t)v != WASISOCK_SO_LINGER_OFF;
    l.l_linger = l.l_onoff ? (int)v : 0;
    return wasisock__copy_out(value, len, &l, sizeof(l), 0);
  }
  /* SO_TYPE is SOCK_STREAM/SOCK_DGRAM and SO_ERROR an errno already: the
   * ABI uses wasi-libc's numbers for both. */
  iv = (int)v;
  return wasisock__copy_out(value, len, &iv, sizeof(iv), 0);
}

int __wrap_getsockopt(int fd, int level, int name, void *__restrict value,
                      socklen_t *__restrict len) {
  if (!wasisock__is_socket_fd(fd))
    return (int)wasisock__wasi_result(
        fd, __real_getsockopt(fd, level, name, value, len));
  return wasisock__getsockopt(fd, level, name, value, len);
}

static int wasisock__set_timeo(uint32_t handle, int name, const void *value,
                               socklen_t len) {
  wasisock__fdstate_t *st;
  struct timeval tv;
  uint32_t ms;
  int type;

  if (len < sizeof(tv))
    return wasisock__fail(EINVAL);
  if (!wasisock__mem_ok(value, sizeof(tv)))
    return wasisock__fail(EFAULT);
  memcpy(&tv, value, sizeof(tv));
  if (wasisock__timeval_ms(&tv, &ms) < 0)
    return -1;
  if (wasisock__socket_type(handle, &type) < 0) /* EBADF before any state */
    return -1;
  if ((st = wasisock__state_mut(handle)) == NULL)
    return -1;
  /* The host's timeout follows at the next call that waits. */
  if (name == SO_RCVTIMEO)
    st->rcvtimeo_ms = ms;
  else
    st->sndtimeo_ms = ms;
  return 0;
}

int setsockopt(int fd, int level, int name, const void *value,
               socklen_t len) {
  uint32_t handle;
  int v, type;
  int32_t r;

  if (!wasisock__is_socket_fd(fd)) {
    /* wasi-libc has no setsockopt for WASI's own sockets. */
    if (wasisock__wasi_fd_fail(fd) < 0 && errno != EOPNOTSUPP)
      return -1;
    return wasisock__fail(ENOPROTOOPT);
  }
  handle = wasisock__fd_handle(fd);
  if (level == SOL_SOCKET && (name == SO_RCVTIMEO || name == SO_SNDTIMEO))
    return wasisock__set_timeo(handle, name, value, len);
  if (level == SOL_SOCKET && (name == SO_DOMAIN || name == SO_PROTOCOL)) {
    if (wasisock__socket_type(handle, &type) < 0)
      return -1;
    return wasisock__fail(ENOPROTOOPT); /* read-only, as on Linux */
  }
  if (level == SOL_SOCKET && name == SO_LINGER) {
    struct linger l;
    if (len < sizeof(l))
      return wasisock__fail(EINVAL);
    if (!wasisock__mem_ok(value, sizeof(l)))
      return wasisock__fail(EFAULT);
    memcpy(&l, value, sizeof(l));
    /* Linux takes a negative time as the longest one. */
    v = !l.l_onoff ? WASISOCK_SO_LINGER_OFF
        : l.l_linger < 0 ? INT32_MAX
                         : l.l_linger;
  } else {
    if (len < sizeof(int))
      return wasisock__fail(EINVAL);
    if (!wasisock__mem_ok(value, sizeof(int)))
      return wasisock__fail(EFAULT);
    memcpy(&v, value, sizeof(v));
  }
  r = __wasisock_sock_setsockopt(handle, (uint32_t)level, (uint32_t)name,
                                 (uint32_t)v);
  return r == WASISOCK_OK ? 0 : wasisock__fail(r);
}
