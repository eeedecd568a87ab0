/*
 * listen.c — the sockets a runner hands to its guest (--listen) and the
 * tracer's file (--trace), opened by the front end before any engine runs,
 * so that a port in use or a file that cannot be written stops every
 * engine the same way, before anything of the guest exists.
 *
 * --listen [NAME=][tcp:|udp:]HOST:PORT binds with this process's rights
 * (wasisock_listen_open: no policy — the host decided).  An engine gives
 * the sockets to its host instance in order (wasisock_launch_hand_over),
 * so they are the instance's first handles, and the guest finds them as a
 * socket-activated service does (docs/ENVIRONMENT.md): LISTEN_FDS,
 * LISTEN_FDNAMES and LISTEN_FDS_START (= WASISOCK_FD_BASE + first handle,
 * the guest POSIX layer's descriptor of it).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "launch_internal.h"

int launch_open_trace(launch_parse_t *p) {
  wasisock_launch_t *l = p->l;
  int fd;

  if (p->trace == NULL)
    return 0;
  if (p->trace[0] == '\0') {
    l->trace_fd = 2;
    return 0;
  }
  do
    fd = open(p->trace, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  while (fd == -1 && errno == EINTR);
  if (fd == -1) {
    int rc = launch_usage_error(p, "--trace=%s: %s", p->trace, strerror(errno));
    p->show_usage = 0;
    return rc;
  }
  l->trace_fd = fd;
  return 0;
}

int launch_open_listeners(launch_parse_t *p) {
  wasisock_launch_t *l = p->l;
  launch_listener_t *it;
  char msg[512];
  size_t i, n = p->nlisten / 3;
  int32_t r;

  if (n == 0)
    return 0;
  l->listeners = launch_alloc(n * sizeof *l->listeners);
  for (i = 0; i < n; i++) {
    it = &l->listeners[l->nlisteners];
    r = wasisock_listen_open(p->listen[3 * i + 1], &it->info, msg, sizeof msg);
    if (r != WASISOCK_OK) {
      /* A spec that is not one is the user's mistake; a port in use or
       * a name that does not resolve is the world's. */
      snprintf(p->err, p->errlen, "--listen %s", msg);
      return r == WASISOCK_EINVAL ? LAUNCH_EXIT_USAGE : LAUNCH_EXIT_LOAD;
    }
    it->fd = it->info.fd;
    it->name = launch_strdup(p->listen[3 * i]);
    it->flag = launch_strdup(p->listen[3 * i + 2]);
    l->nlisteners++;
  }
  return 0;
}

/* *adopted: how many of fds the host took (and owns) before any failure. */
static int hand_over(wasisock_t *host, const int *fds, const char *const *names,
                     size_t n, uint32_t *handles, size_t *adopted,
                     char *vars[3], char *err, size_t errlen) {
  launch_buf_t b = {0};
  size_t i;
  int32_t r;

  vars[0] = vars[1] = vars[2] = NULL;
  *adopted = 0;
  if (n == 0)
    return 0;
  for (i = 0; i < n; i++) {
    if ((r = wasisock_adopt(host, fds[i], &handles[i])) != WASISOCK_OK) {
      snprintf(err, errlen, "--listen: cannot hand the socket over: %s",
               wasisock_errno_message(r));
      return LAUNCH_EXIT_LOAD;
    }
    *adopted = i + 1;
    if (handles[i] != handles[0] + i) {
      snprintf(err, errlen, "--listen: the handed-over sockets did not get "
                            "consecutive handles");
      return LAUNCH_EXIT_LOAD;
    }
  }
  vars[0] = launch_printf("LISTEN_FDS=%zu", n);
  launch_buf_add(&b, "LISTEN_FDNAMES=", 15);
  for (i = 0; i < n; i++)
    launch_buf_printf(&b, "%s%s", i ? ":" : "", names[i]);
  vars[1] = launch_buf_take(&b);
  vars[2] = launch_printf("LISTEN_FDS_START=%lu",
                          (unsigned long)WASISOCK_FD_BASE + handles[0]);
  return 0;
}

int wasisock_launch_hand_over_fds(wasisock_t *host, const int *fds,
                                  const char *const *names, size_t n,
                                  char *vars[3], char *err, size_t errlen) {
  uint32_t *handles = launch_alloc((n ? n : 1) * sizeof *handles);
  size_t adopted;
  int rc = hand_over(host, fds, names, n, handles, &adopted, vars, err, errlen);
  free(handles);
  return rc;
}

int wasisock_launch_hand_over(wasisock_launch_t *l, wasisock_t *host,
                              char *vars[3], char *err, size_t errlen) {
  size_t n = l->nlisteners, i;
  int *fds = launch_alloc((n ? n : 1) * sizeof *fds);
  const char **names = launch_alloc((n ? n : 1) * sizeof *names);
  uint32_t *handles = launch_alloc((n ? n : 1) * sizeof *handles);
  size_t adopted;
  int rc;

  for (i = 0; i < n; i++) {
    fds[i] = l->listeners[i].fd;
    names[i] = l->listeners[i].name;
  }
  rc = hand_over(host, fds, names, n, handles, &adopted, vars, err, errlen);
  /* Whatever the outcome, the fds adopted are the host's now; the others
   * stay ours (wasisock_launch_free closes them). */
  for (i = 0; i < adopted; i++)
    l->listeners[i].fd = -1;
  free(handles);
  free(names);
  free(fds);
  return rc;
}

/* "127.0.0.1:8080" or "[::1]:8080" of a listener's local address. */
static void where(const wasisock_addr_t *a, char *out, size_t len) {
  char ip[INET6_ADDRSTRLEN] = "?";
  inet_ntop(a->family == WASISOCK_AF_INET6 ? AF_INET6 : AF_INET, a->bytes, ip,
            sizeof ip);
  if (a->family == WASISOCK_AF_INET6)
    snprintf(out, len, "[%s]:%u", ip, a->port);
  else
    snprintf(out, len, "%s:%u", ip, a->port);
}

void wasisock_launch_say_listeners(const wasisock_launch_t *l, FILE *out) {
  char addr[64];
  size_t i, n;

  for (i = 0; i < l->nlisteners; i++) {
    const char *flag = l->listeners[i].flag;
    n = strlen(flag);
    /* PORT 0 asked for a free one: say which. */
    if (n >= 2 && strcmp(flag + n - 2, ":0") == 0) {
      where(&l->listeners[i].info.local, addr, sizeof addr);
      fprintf(out, "%s: %s: listening on %s\n", l->prog, flag, addr);
    }
  }
}
