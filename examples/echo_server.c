/*
 * echo_server — a TCP echo server that serves NCLIENTS clients, then exits.
 *
 *   echo_server HOST PORT NCLIENTS                 (natively)
 *   wasisock-run echo_server.wasm HOST PORT NCLIENTS
 *
 * Listens on HOST:PORT (PORT 0: any free port) and prints
 * "listening on ADDR" with the real address, then serves the clients
 * together with one poll() over the listener and every open connection: a
 * connection waiting on the listener is accepted, bytes from a client are
 * sent straight back, and a client that closes its side is closed and
 * reported as "client K from ADDR: N bytes".  Once NCLIENTS clients have
 * come and gone it prints "served NCLIENTS clients, N bytes" and exits 0.
 * Errors go to stderr as "echo_server: accept: Too many open files"; the
 * exit status is then 1.  Plain BSD sockets: one source, native and wasm32.
 */
#define _POSIX_C_SOURCE 200809L /* getaddrinfo & co. in strict C11 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netutil.h"

#define MAX_CLIENTS 1000

typedef struct client {
  int fd; /* -1 once closed */
  int id; /* 1, 2, ... in order of arrival */
  char peer[NET_ADDRSTRLEN];
  unsigned long long bytes;
} client_t;

static int fail(const char *what) {
  fprintf(stderr, "echo_server: %s: %s\n", what, strerror(errno));
  return 1;
}

/* A listening socket on the first address of host:port that can be bound. */
static int listen_on(const char *host, const char *port) {
  struct addrinfo hints, *res, *ai;
  int fd = -1, one = 1, rc, err = 0;

  memset(&hints, 0, sizeof(hints));
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
    fprintf(stderr, "echo_server: %s:%s: %s\n", host, port, gai_strerror(rc));
    return -1;
  }
  for (ai = res; ai != NULL; ai = ai->ai_next) {
    if ((fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol)) < 0) {
      err = errno;
      continue;
    }
    /* A restarted server can rebind while old connections sit in TIME_WAIT. */
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0 &&
        bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 64) == 0)
      break;
    err = errno;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) {
    errno = err;
    fail("listen");
  }
  return fd;
}

/* Echoes what is there; returns 1 when the client is done (end of stream
 * or an error), 0 to keep it, -1 on a failure of the server itself. */
static int serve(client_t *c, char *buf, size_t len) {
  ssize_t n = recv(c->fd, buf, len, 0);
  if (n < 0)
    return errno == ECONNRESET ? 1 : -1; /* a reset is the client's business */
  if (n == 0)
    return 1;
  if (net_send_all(c->fd, buf, (size_t)n) < 0)
    return errno == EPIPE || errno == ECONNRESET ? 1 : -1;
  c->bytes += (unsigned long long)n;
  return 0;
}

int main(int argc, char **argv) {
  static client_t clients[MAX_CLIENTS];
  static struct pollfd pfds[MAX_CLIENTS + 1];
  static char buf[65536];
  struct sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  char text[NET_ADDRSTRLEN], *end;
  unsigned long want;
  unsigned long long total = 0;
  int l, i, n, r, polled, arrived = 0, done = 0;

  if (argc != 4) {
    fprintf(stderr, "usage: echo_server HOST PORT NCLIENTS\n");
    return 2;
  }
  want = strtoul(argv[3], &end, 10);
  if (*argv[3] == '\0' || *end != '\0' || want < 1 || want > MAX_CLIENTS) {
    fprintf(stderr, "echo_server: NCLIENTS must be 1..%d\n", MAX_CLIENTS);
    return 2;
  }

  if ((l = listen_on(argv[1], argv[2])) < 0)
    return 1;
  if (getsockname(l, (struct sockaddr *)&ss, &len) < 0)
    return fail("getsockname");
  printf("listening on %s\n",
         net_addr_text((struct sockaddr *)&ss, len, text, sizeof(text)));
  fflush(stdout); /* whoever started us waits for this line */

  while (done < (int)want) {
    /* Entry 0: the listener, while clients are still to come. */
    pfds[0].fd = arrived < (int)want ? l : -1;
    pfds[0].events = POLLIN;
    for (i = 0, n = 1; i < arrived; i++) {
      if (clients[i].fd < 0)
        continue;
      pfds[n].fd = clients[i].fd;
      pfds[n].events = POLLIN;
      n++;
    }
    if (poll(pfds, (nfds_t)n, -1) < 0)
      return fail("poll");
    polled = arrived;

    if (pfds[0].revents & POLLIN) {
      client_t *c = &clients[arrived];
      len = sizeof(ss);
      if ((c->fd = accept(l, (struct sockaddr *)&ss, &len)) < 0)
        return fail("accept");
      net_addr_text((struct sockaddr *)&ss, len, c->peer, sizeof(c->peer));
      c->id = ++arrived;
      c->bytes = 0;
    }
    /* pfds[1..n) are the clients that were open when polled, in order. */
    for (i = 0, n = 1; i < polled; i++) {
      client_t *c = &clients[i];
      if (c->fd < 0)
        continue;
      if (pfds[n++].revents == 0)
        continue;
      if ((r = serve(c, buf, sizeof(buf))) < 0)
        return fail("echo");
      if (r == 1) {
        close(c->fd);
        c->fd = -1;
        total += c->bytes;
        done++;
        printf("client %d from %s: %llu bytes\n", c->id, c->peer, c->bytes);
      }
    }
  }
  close(l);
  printf("served %d clients, %llu bytes\n", done, total);
  return 0;
}
