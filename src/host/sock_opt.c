/*
 * sock_opt.c — the sock_getsockopt and sock_setsockopt imports.
 *
 * One table of the options the ABI knows, with wasi-libc's level and name
 * numbers on the left and the native ones on the right; anything else is
 * ENOPROTOOPT before the handle is looked at.  Values are one i32 (u32 in
 * guest memory), passed through except where the numbering differs:
 * SO_TYPE answers WASISOCK_SOCK_STREAM/_DGRAM and SO_ERROR a WASI errno.
 * SO_RCVBUF/SO_SNDBUF are what Linux reports — twice the size set, for its
 * bookkeeping — and a size set is capped at the policy's max-buffer.
 * SO_LINGER's struct linger travels as one i32: -1 off, else the seconds.
 */
#include <errno.h>
#include <limits.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "internal.h"

enum wasisock__opt_kind {
  WASISOCK__OPT_INT,      /* an int, unchanged (booleans 0/1) */
  WASISOCK__OPT_BUFSIZE,  /* an int; a size set is capped at max_buffer */
  WASISOCK__OPT_SOCKTYPE, /* get only: native SOCK_* → WASISOCK_SOCK_* */
  WASISOCK__OPT_ERRNO,    /* get only: native errno → WASI errno */
  WASISOCK__OPT_LINGER    /* struct linger ↔ -1 (off) or seconds */
};

#define WASISOCK__OPT_GET 1
#define WASISOCK__OPT_SET 2
#define WASISOCK__OPT_RW (WASISOCK__OPT_GET | WASISOCK__OPT_SET)

typedef struct wasisock__opt {
  const char *text;                /* the name, for the tracer */
  uint32_t level, name;            /* ABI numbers */
  int native_level, native_name;   /* this system's */
  int access;                      /* WASISOCK__OPT_GET/_SET */
  enum wasisock__opt_kind kind;
} wasisock__opt_t;

/* One token names an option thrice — its text, its ABI number
 * (WASISOCK_name) and its native one (name) — and its level twice. */
#define WASISOCK__OPT(level, name, access, kind)                               \
  {#name, WASISOCK_##level, WASISOCK_##name, level, name,                      \
   WASISOCK__OPT_##access, WASISOCK__OPT_##kind}

static const wasisock__opt_t wasisock__opts[] = {
    WASISOCK__OPT(SOL_SOCKET, SO_REUSEADDR, RW, INT),
    WASISOCK__OPT(SOL_SOCKET, SO_TYPE, GET, SOCKTYPE),
    WASISOCK__OPT(SOL_SOCKET, SO_ERROR, GET, ERRNO),
    WASISOCK__OPT(SOL_SOCKET, SO_BROADCAST, RW, INT),
    WASISOCK__OPT(SOL_SOCKET, SO_SNDBUF, RW, BUFSIZE),
    WASISOCK__OPT(SOL_SOCKET, SO_RCVBUF, RW, BUFSIZE),
    WASISOCK__OPT(SOL_SOCKET, SO_KEEPALIVE, RW, INT),
    WASISOCK__OPT(SOL_SOCKET, SO_ACCEPTCONN, GET, INT),
    WASISOCK__OPT(IPPROTO_TCP, TCP_NODELAY, RW, INT),
    WASISOCK__OPT(IPPROTO_IPV6, IPV6_V6ONLY, RW, INT),
    /* Revision 3 */
    WASISOCK__OPT(SOL_SOCKET, SO_LINGER, RW, LINGER),
    WASISOCK__OPT(SOL_SOCKET, SO_REUSEPORT, RW, INT),
    WASISOCK__OPT(IPPROTO_TCP, TCP_MAXSEG, RW, INT),
    WASISOCK__OPT(IPPROTO_TCP, TCP_KEEPIDLE, RW, INT),
    WASISOCK__OPT(IPPROTO_TCP, TCP_KEEPINTVL, RW, INT),
    WASISOCK__OPT(IPPROTO_TCP, TCP_KEEPCNT, RW, INT),
    WASISOCK__OPT(IPPROTO_IP, IP_TOS, RW, INT),
    WASISOCK__OPT(IPPROTO_IP, IP_TTL, RW, INT),
    WASISOCK__OPT(IPPROTO_IPV6, IPV6_UNICAST_HOPS, RW, INT),
    WASISOCK__OPT(IPPROTO_IPV6, IPV6_TCLASS, RW, INT),
};
#undef WASISOCK__OPT

#define WASISOCK__NOPTS (sizeof(wasisock__opts) / sizeof(wasisock__opts[0]))

/* The option (level, name) for an access, or NULL: ENOPROTOOPT, as Linux
 * answers for an unknown option and for setting a read-only one. */
static const wasisock__opt_t *wasisock__opt_find(uint32_t level, uint32_t name,
                                                 int access) {
  size_t i;

  for (i = 0; i < WASISOCK__NOPTS; i++)
    if (wasisock__opts[i].level == level && wasisock__opts[i].name == name)
      return wasisock__opts[i].access & access ? &wasisock__opts[i] : NULL;
  return NULL;
}

const char *wasisock__opt_name(uint32_t level, uint32_t name) {
  size_t i;

  for (i = 0; i < WASISOCK__NOPTS; i++)
    if (wasisock__opts[i].level == level && wasisock__opts[i].name == name)
      return wasisock__opts[i].text;
  return NULL;
}

int32_t wasisock_sock_getsockopt(wasisock_t *host, const wasisock_mem_t *mem,
                                 uint32_t handle, uint32_t level, uint32_t name,
                                 uint32_t value_ptr) {
  const wasisock__opt_t *opt;
  wasisock__sock_t *s;
  socklen_t len;
  uint8_t *out;
  int32_t err;
  int v;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  /* 1. pointers */
  out = wasisock__mem_range(mem, value_ptr, WASISOCK_U32_SIZE);
  if (out == NULL)
    return WASISOCK_EFAULT;
  /* 2. argument values */
  if ((opt = wasisock__opt_find(level, name, WASISOCK__OPT_GET)) == NULL)
    return WASISOCK_ENOPROTOOPT;
  /* 3. the handle */
  if ((err = wasisock__handle_get(host, handle, &s)) != WASISOCK_OK)
    return err;

  v = 0;
  len = sizeof(v);
  if (opt->kind == WASISOCK__OPT_LINGER) {
    struct linger l = {0, 0};
    len = sizeof(l);
    if (getsockopt(s->fd, opt->native_level, opt->native_name, &l, &len) == -1)
      return wasisock__errno_from_native(errno);
    v = l.l_onoff ? l.l_linger : WASISOCK_SO_LINGER_OFF;
  } else if (getsockopt(s->fd, opt->native_level, opt->native_name, &v,
                        &len) == -1) {
    return wasisock__errno_from_native(errno);
  }
  switch (opt->kind) {
  case WASISOCK__OPT_SOCKTYPE:
    v = v == SOCK_STREAM  ? WASISOCK_SOCK_STREAM
        : v == SOCK_DGRAM ? WASISOCK_SOCK_DGRAM
                          : 0;
    if (v == 0)
      return WASISOCK_EIO; /* not a type sock_open makes */
    break;
  case WASISOCK__OPT_ERRNO:
    v = wasisock__errno_from_native(v);
    break;
  case WASISOCK__OPT_INT:
  case WASISOCK__OPT_BUFSIZE:
  case WASISOCK__OPT_LINGER:
    break;
  }
  wasisock_u32_write(out, (uint32_t)v);
  return WASISOCK_OK;
}

int32_t wasisock_sock_setsockopt(wasisock_t *host, const wasisock_mem_t *mem,
                                 uint32_t handle, uint32_t level, uint32_t name,
                                 uint32_t value) {
  const wasisock__opt_t *opt;
  wasisock__sock_t *s;
  int32_t err;
  int v;

  if (host == NULL || !wasisock__mem_valid(mem))
    return WASISOCK_EINVAL;
  /* 2. argument values */
  if ((opt = wasisock__opt_find(level, name, WASISOCK__OPT_SET)) == NULL)
    return WASISOCK_ENOPROTOOPT;
  /* SO_LINGER: -1 (off) or seconds; no other negative value means one. */
  if (opt->kind == WASISOCK__OPT_LINGER &&
      (int32_t)value < WASISOCK_SO_LINGER_OFF)
    return WASISOCK_EINVAL;
  /* 3. the handle */
  if ((err = wasisock__handle_get(host, handle, &s)) != WASISOCK_OK)
    return err;

  v = (int)(int32_t)value;
  /* The kernel reads buffer sizes as unsigned: a "negative" size is huge. */
  if (opt->kind == WASISOCK__OPT_BUFSIZE &&
      host->max_buffer != WASISOCK_POLICY_NO_BUFFER_LIMIT &&
      (uint64_t)value > host->max_buffer)
    v = host->max_buffer > INT_MAX / 2 ? INT_MAX / 2 : (int)host->max_buffer;
  if (opt->kind == WASISOCK__OPT_LINGER) {
    struct linger l = {v != WASISOCK_SO_LINGER_OFF, v < 0 ? 0 : v};
    if (setsockopt(s->fd, opt->native_level, opt->native_name, &l,
                   sizeof(l)) == -1)
      return wasisock__errno_from_native(errno);
    return WASISOCK_OK;
  }
  if (setsockopt(s->fd, opt->native_level, opt->native_name, &v, sizeof(v)) ==
      -1)
    return wasisock__errno_from_native(errno);
  return WASISOCK_OK;
}
