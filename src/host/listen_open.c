/*
 * listen_open.c — wasisock_listen_open: the socket of a runner's
 * `--listen [tcp:|udp:]HOST:PORT`, opened with the runner's own rights.
 *
 * Every runner (Node's, wasmtime's) and any embedder gets the same spec
 * language and the same socket from here, and hands it to the guest with
 * wasisock_adopt.  The choices are those of a server that opens its own
 * socket: SO_REUSEADDR on TCP (a restarted server rebinds at once, as
 * Python's socketserver and most daemons do), backlog SOMAXCONN, and "*"
 * as one IPv6 socket that takes IPv4 too where the host has IPv6.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <netdb.h>
#include <netinet/in.h>

#include "internal.h"
#include "policy_internal.h"

typedef struct wasisock__listen_spec {
  int type;       /* SOCK_STREAM or SOCK_DGRAM */
  char host[256]; /* without brackets; "*" for every address */
  int numeric;    /* 1: host was in brackets (an IPv6 literal) */
  char port[6];   /* decimal, 0-65535 */
} wasisock__listen_spec_t;

/* The message (wasisock__policy_errf: cut to fit, terminated), then code. */
#define wasisock__listen_fail(err, errlen, code, ...)                          \
  (wasisock__policy_errf((err), (errlen), __VA_ARGS__), (code))

static int32_t wasisock__listen_parse(const char *spec,
                                      wasisock__listen_spec_t *p, char *err,
                                      size_t errlen) {
  const char *s = spec, *host, *host_end, *port;
  size_t n;

  memset(p, 0, sizeof(*p));
  p->type = SOCK_STREAM;
  if (strncasecmp(s, "tcp:", 4) == 0) {
    s += 4;
  } else if (strncasecmp(s, "udp:", 4) == 0) {
    p->type = SOCK_DGRAM;
    s += 4;
  }
  if (*s == '[') {
    host = s + 1;
    host_end = strchr(host, ']');
    if (host_end == NULL || host_end[1] != ':')
      return wasisock__listen_fail(err, errlen, WASISOCK_EINVAL,
                                   "%s: expected [IPv6 address]:PORT", spec);
    port = host_end + 2;
    p->numeric = 1;
  } else {
    host = s;
    host_end = strrchr(s, ':');
    if (host_end == NULL)
      return wasisock__listen_fail(err, errlen, WASISOCK_EINVAL,
                                   "%s: expected HOST:PORT", spec);
    n = strcspn(host, ":");
    if (host + n != host_end &&
        strspn(host, "abcdefghijklmnopqrstuvwxyz"
                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == n &&
        strspn(host, "abcdefABCDEF") != n)
      return wasisock__listen_fail(err, errlen, WASISOCK_EINVAL,
                                   "%s: unknown protocol \"%.*s\" (tcp or udp)",
                                   spec, (int)n, host);
    if (host + n != host_end)
      return wasisock__listen_fail(
          err, errlen, WASISOCK_EINVAL,
          "%s: an IPv6 address goes in brackets: [::1]:PORT", spec);
    port = host_end + 1;
  }
  n = (size_t)(host_end - host);
  if (n == 0 || n >= sizeof(p->host))
    return wasisock__listen_fail(err, errlen, WASISOCK_EINVAL, "%s: %s host",
                                 spec, n ? "too long a" : "no");
  memcpy(p->host, host, n);
  p->host[n] = '\0';
  n = strlen(port);
  if (n == 0 || n > 5 || strspn(port, "0123456789") != n ||
      strtol(port, NULL, 10) > 65535)
    return wasisock__listen_fail(err, errlen, WASISOCK_EINVAL,
                                 "%s: the port must be a number 0-65535", spec);
  memcpy(p->port, port, n + 1);
  return WASISOCK_OK;
}

/* One socket bound (and listening, for TCP) at sa.  Native errno on
 * failure, with *what naming the step that failed. */
static int wasisock__listen_try(int type, const struct sockaddr *sa,
                                socklen_t len, int dual_stack, int *fd,
                                const char **what) {
  int s, one = 1, zero = 0, e;

  *what = "socket";
  s = socket(sa->sa_family, type | SOCK_CLOEXEC, 0);
  if (s == -1)
    return errno;
  *what = "setsockopt";
  if ((type == SOCK_STREAM &&
       setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1) ||
      (dual_stack &&
       setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) == -1))
    goto fail;
  *what = "bind";
  if (bind(s, sa, len) == -1)
    goto fail;
  *what = "listen";
  if (type == SOCK_STREAM && listen(s, SOMAXCONN) == -1)
    goto fail;
  *fd = s;
  return 0;
fail:
  e = errno;
  close(s);
  return e;
}

static int32_t wasisock__eai_code(int eai) {
  switch (eai) {
  case EAI_NONAME:
#ifdef EAI_NODATA
  case EAI_NODATA:
#endif
    return WASISOCK_ENOENT;
  case EAI_AGAIN: return WASISOCK_EAGAIN;
  case EAI_MEMORY: return WASISOCK_ENOMEM;
  default: return WASISOCK_EIO;
  }
}

int32_t wasisock_listen_open(const char *spec, wasisock_listener_t *out,
                             char *err, size_t errlen) {
  wasisock__listen_spec_t p;
  struct sockaddr_storage ss;
  struct addrinfo hints, *res = NULL, *ai;
  const char *what = "bind";
  socklen_t len;
  int32_t code;
  int fd = -1, e = EADDRNOTAVAIL, r;

  if (err != NULL && errlen > 0)
    err[0] = '\0';
  if (spec == NULL || out == NULL)
    return wasisock__listen_fail(err, errlen, WASISOCK_EINVAL,
                                 "no listen spec");
  if ((code = wasisock__listen_parse(spec, &p, err, errlen)) != WASISOCK_OK)
    return code;

  if (strcmp(p.host, "*") == 0) {
    struct sockaddr_in6 any6;
    struct sockaddr_in any4;
    memset(&any6, 0, sizeof(any6));
    any6.sin6_family = AF_INET6;
    any6.sin6_port = htons((uint16_t)strtol(p.port, NULL, 10));
    e = wasisock__listen_try(p.type, (struct sockaddr *)&any6, sizeof(any6), 1,
                             &fd, &what);
    if (e == EAFNOSUPPORT) { /* a host without IPv6 */
      memset(&any4, 0, sizeof(any4));
      any4.sin_family = AF_INET;
      any4.sin_port = any6.sin6_port;
      e = wasisock__listen_try(p.type, (struct sockaddr *)&any4, sizeof(any4),
                               0, &fd, &what);
    }
  } else {
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = p.numeric ? AF_INET6 : AF_UNSPEC;
    hints.ai_socktype = p.type;
    hints.ai_flags =
        AI_PASSIVE | AI_NUMERICSERV | (p.numeric ? AI_NUMERICHOST : 0);
    if ((r = getaddrinfo(p.host, p.port, &hints, &res)) != 0)
      return wasisock__listen_fail(err, errlen, wasisock__eai_code(r),
                                   "%s: %s: %s", spec, p.host, gai_strerror(r));
    for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next) {
      if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
        continue;
      e = wasisock__listen_try(p.type, ai->ai_addr, ai->ai_addrlen, 0, &fd,
                               &what);
    }
    freeaddrinfo(res);
  }
  if (fd == -1)
    return wasisock__listen_fail(err, errlen, wasisock__errno_from_native(e),
                                 "%s: %s: %s", spec, what, strerror(e));

  len = sizeof(ss);
  if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1) {
    e = errno;
    close(fd);
    return wasisock__listen_fail(err, errlen, wasisock__errno_from_native(e),
                                 "%s: getsockname: %s", spec, strerror(e));
  }
  /* Cannot fail: the socket is AF_INET or AF_INET6. */
  (void)wasisock__addr_from_sockaddr((struct sockaddr *)&ss, &out->local);
  out->fd = fd;
  out->socktype =
      p.type == SOCK_STREAM ? WASISOCK_SOCK_STREAM : WASISOCK_SOCK_DGRAM;
  return WASISOCK_OK;
}
