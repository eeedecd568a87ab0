/*
 * echo_server — a TCP echo server that serves NCLIENTS clients, then exits.
 *
 *   wasisock-run echo_server.wasm HOST PORT NCLIENTS
 *
 * Listens on HOST:PORT (PORT 0: any free port) and prints
 * "listening on ADDR" with the real address, then serves the clients
 * together, with one wasisock_poll over the listener and every open
 * connection: a connection waiting on the listener is accepted, bytes from a
 * client are sent straight back, and a client that closes its side is closed
 * and reported as "client K from ADDR: N bytes".  Once NCLIENTS clients have
 * come and gone it prints "served NCLIENTS clients, N bytes" and exits 0.
 * Errors go to stderr as "echo_server: accept: EMFILE (...)"; the exit
 * status is then 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasisock.h"

#define MAX_CLIENTS 1000

typedef struct client {
  int h;              /* handle, or -1 once closed */
  int id;             /* 1, 2, ... in order of arrival */
  wasisock_addr_t peer;
  unsigned long long bytes;
} client_t;

static int fail(const char *what) {
  int err = errno;
  fprintf(stderr, "echo_server: %s: %s (%s)\n", what, wasisock_errno_name(err),
          strerror(err));
  return 1;
}

static const char *fmt(const wasisock_addr_t *a, char *buf) {
  return wasisock_addr_format(a, buf, WASISOCK_ADDRSTRLEN) ? buf : "?";
}

/* Echoes what is there; returns 1 when the client is done (end of stream
 * or an error), 0 to keep it, -1 on a failure of the server itself. */
static int serve(client_t *c, char *buf, size_t len) {
  ssize_t n = wasisock_recv(c->h, buf, len);
  if (n < 0) {
    if (errno == ECONNRESET) return 1; /* the client's business */
    return -1;
  }
  if (n == 0) return 1;
  if (wasisock_send_all(c->h, buf, (size_t)n) < 0)
    return errno == EPIPE || errno == ECONNRESET ? 1 : -1;
  c->bytes += (unsigned long long)n;
  return 0;
}

int main(int argc, char **argv) {
  static client_t clients[MAX_CLIENTS];
  static wasisock_poll_sub_t subs[MAX_CLIENTS + 1];
  static char buf[65536];
  char text[WASISOCK_ADDRSTRLEN];
  unsigned long port, want;
  unsigned long long total = 0;
  int l, i, n, r, polled, arrived = 0, done = 0;
  wasisock_addr_t local;
  char *end;

  if (argc != 4) {
    fprintf(stderr, "usage: echo_server HOST PORT NCLIENTS\n");
    return 2;
  }
  port = strtoul(argv[2], &end, 10);
  if (*argv[2] == '\0' || *end != '\0' || port > 65535) {
    fprintf(stderr, "echo_server: bad port '%s'\n", argv[2]);
    return 2;
  }
  want = strtoul(argv[3], &end, 10);
  if (*argv[3] == '\0' || *end != '\0' || want < 1 || want > MAX_CLIENTS) {
    fprintf(stderr, "echo_server: NCLIENTS must be 1..%d\n", MAX_CLIENTS);
    return 2;
  }

  l = wasisock_tcp_listen(argv[1], (uint16_t)port, 64);
  if (l < 0) return fail("listen");
  if (wasisock_local_addr(l, &local) < 0) return fail("local address");
  printf("listening on %s\n", fmt(&local, text));
  fflush(stdout); /* whoever started us waits for this line */

  while (done < (int)want) {
    /* Record 0: the listener, while clients are still to come. */
    n = 0;
    subs[n].handle = (uint32_t)l;
    subs[n].events = arrived < (int)want ? WASISOCK_POLLIN : 0;
    n++;
    for (i = 0; i < arrived; i++) {
      if (clients[i].h < 0) continue;
      subs[n].handle = (uint32_t)clients[i].h;
      subs[n].events = WASISOCK_POLLIN;
      n++;
    }
    if (wasisock_poll(subs, (size_t)n, -1) < 0) return fail("poll");
    polled = arrived;

    if (subs[0].revents & WASISOCK_POLLIN) {
      client_t *c = &clients[arrived];
      c->h = wasisock_accept(l, &c->peer);
      if (c->h < 0) return fail("accept");
      c->id = ++arrived;
      c->bytes = 0;
    }
    /* subs[1..n) are the clients that were open when polled, in order. */
    for (i = 0, n = 1; i < polled; i++) {
      client_t *c = &clients[i];
      if (c->h < 0) continue;
      if (subs[n++].revents == 0) continue;
      r = serve(c, buf, sizeof buf);
      if (r < 0) return fail("echo");
      if (r == 1) {
        wasisock_close(c->h);
        c->h = -1;
        total += c->bytes;
        done++;
        printf("client %d from %s: %llu bytes\n", c->id, fmt(&c->peer, text),
               c->bytes);
      }
    }
  }
  wasisock_close(l);
  printf("served %d clients, %llu bytes\n", done, total);
  return 0;
}
