/*
 * server.c — bench-server, the native loopback servers of the benchmarks.
 *
 * One process, three listeners on 127.0.0.1 (ephemeral ports), each served
 * by its own thread with its own epoll set, so the servers are the same for
 * every client the bench compares (native C, native CPython, C and Python
 * inside WebAssembly):
 *
 *   echo     whatever arrives is written back at once (TCP_NODELAY);
 *   bulk     a connection sends a u64 LE byte count, then that many bytes;
 *            the server reads them all (1 MiB reads) and answers one byte,
 *            so the client's clock stops when the data is really received;
 *   connect  a connection is accepted and closed when the client closes it
 *            (the client closes first, as an HTTP/1.0 client would).  It
 *            listens on one port of BENCH_NADDR addresses, 127.0.0.1 to
 *            127.0.0.BENCH_NADDR, and clients take them in turn: the
 *            closing side keeps each connection in TIME_WAIT for 60 s, and
 *            with one address the 28k ephemeral ports of a 4-tuple run out
 *            within a run (connects then slow down tenfold, at random).
 *
 * Prints "ECHO_PORT BULK_PORT CONNECT_PORT NADDR\n" on stdout once
 * listening, and exits when stdin reaches end of file (the driver closes
 * the pipe) or on SIGTERM.  Loopback only: it binds 127.0.0.x and nothing
 * else.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum bench_kind { BENCH_ECHO, BENCH_BULK, BENCH_CONNECT, BENCH_NKINDS };

#define BENCH_BUF (1u << 20)
#define BENCH_MAX_EVENTS 64
#define BENCH_NADDR 16

/* One accepted connection. */
typedef struct bench_conn {
  int fd;
  int listening; /* a listener, not a connection */
  /* bulk: header bytes seen so far, then the bytes still to come */
  uint8_t header[8];
  unsigned header_len;
  uint64_t remaining;
} bench_conn_t;

typedef struct bench_server {
  enum bench_kind kind;
  int listen_fd[BENCH_NADDR]; /* one, or BENCH_NADDR for connect */
  int nlisten;
  int port;
} bench_server_t;

static void bench__die(const char *what) {
  perror(what);
  exit(1);
}

/* A listening socket on 127.0.0.host:port (port 0: any); -1 if that
 * address and port are taken. */
static int bench__listen(int host, int port) {
  struct sockaddr_in sa;
  int fd, one = 1;

  fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    bench__die("socket");
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK - 1 + (uint32_t)host);
  if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
    if (errno != EADDRINUSE)
      bench__die("bind");
    close(fd);
    return -1;
  }
  if (listen(fd, SOMAXCONN) != 0)
    bench__die("listen");
  return fd;
}

static int bench__port(int fd) {
  struct sockaddr_in sa;
  socklen_t len = sizeof(sa);

  if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
    bench__die("getsockname");
  return ntohs(sa.sin_port);
}

/* srv's listeners: 127.0.0.1 on an ephemeral port, and for connect the
 * same port on 127.0.0.2.. too (another port if one is taken). */
static void bench__listen_all(bench_server_t *srv) {
  int n = srv->kind == BENCH_CONNECT ? BENCH_NADDR : 1;
  int i, tries;

  for (tries = 0; tries < 100; tries++) {
    srv->listen_fd[0] = bench__listen(1, 0);
    srv->port = bench__port(srv->listen_fd[0]);
    for (i = 1; i < n; i++)
      if ((srv->listen_fd[i] = bench__listen(1 + i, srv->port)) < 0)
        break;
    if (i == n) {
      srv->nlisten = n;
      return;
    }
    while (i-- > 0)
      close(srv->listen_fd[i]);
  }
  fprintf(stderr, "bench-server: no port free on 127.0.0.1-%d\n", n);
  exit(1);
}

/* Writes all of buf, waiting for room when the socket is full. */
static int bench__write_all(int fd, const uint8_t *buf, size_t len) {
  struct pollfd p = {fd, POLLOUT, 0};
  ssize_t n;

  while (len > 0) {
    n = send(fd, buf, len, MSG_NOSIGNAL);
    if (n > 0) {
      buf += n;
      len -= (size_t)n;
    } else if (n < 0 && errno == EAGAIN) {
      poll(&p, 1, -1);
    } else if (n < 0 && errno != EINTR) {
      return -1;
    }
  }
  return 0;
}

static void bench__close(int ep, bench_conn_t *c) {
  epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  free(c);
}

/* Serves readable connection c; returns -1 when it is done with. */
static int bench__serve(enum bench_kind kind, bench_conn_t *c, uint8_t *buf) {
  ssize_t n;
  size_t want;

  for (;;) {
    want = BENCH_BUF;
    if (kind == BENCH_BULK && c->header_len < 8)
      want = 8 - c->header_len;
    else if (kind == BENCH_BULK && c->remaining < want)
      want = c->remaining ? c->remaining : BENCH_BUF;
    n = recv(c->fd, buf, want, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && errno == EAGAIN)
      return 0;
    if (n <= 0)
      return -1; /* end of stream or error: close */
    switch (kind) {
    case BENCH_ECHO:
      if (bench__write_all(c->fd, buf, (size_t)n) != 0)
        return -1;
      break;
    case BENCH_BULK:
      if (c->header_len < 8) {
        memcpy(c->header + c->header_len, buf, (size_t)n);
        c->header_len += (unsigned)n;
        if (c->header_len == 8) {
          c->remaining = 0;
          for (int i = 7; i >= 0; i--)
            c->remaining = c->remaining << 8 | c->header[i];
        }
      } else if (c->remaining > 0) {
        c->remaining -= (uint64_t)n;
      }
      if (c->header_len == 8 && c->remaining == 0) {
        c->header_len = 0; /* ready for another transfer */
        if (bench__write_all(c->fd, (const uint8_t *)"k", 1) != 0)
          return -1;
      }
      break;
    case BENCH_CONNECT:
    default:
      break; /* data is ignored; EOF closes */
    }
  }
}

static void *bench__thread(void *arg) {
  bench_server_t *srv = arg;
  static bench_conn_t listeners[BENCH_NKINDS][BENCH_NADDR];
  struct epoll_event ev, events[BENCH_MAX_EVENTS];
  bench_conn_t *c;
  uint8_t *buf;
  int ep, n, i, k, fd, one = 1;

  buf = malloc(BENCH_BUF);
  ep = epoll_create1(EPOLL_CLOEXEC);
  if (buf == NULL || ep < 0)
    bench__die("epoll_create1");
  for (k = 0; k < srv->nlisten; k++) {
    c = &listeners[srv->kind][k];
    c->fd = srv->listen_fd[k];
    c->listening = 1;
    ev.events = EPOLLIN;
    ev.data.ptr = c;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) != 0)
      bench__die("epoll_ctl");
  }
  for (;;) {
    n = epoll_wait(ep, events, BENCH_MAX_EVENTS, -1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      bench__die("epoll_wait");
    for (i = 0; i < n; i++) {
      c = events[i].data.ptr;
      if (!c->listening) {
        if (bench__serve(srv->kind, c, buf) != 0)
          bench__close(ep, c);
        continue;
      }
      while ((fd = accept4(c->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >=
             0) {
        bench_conn_t *conn = calloc(1, sizeof(*conn));

        if (conn == NULL)
          bench__die("calloc");
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        conn->fd = fd;
        ev.events = EPOLLIN;
        ev.data.ptr = conn;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0)
          bench__die("epoll_ctl");
      }
    }
  }
  return NULL;
}

int main(void) {
  static bench_server_t servers[BENCH_NKINDS];
  pthread_t t;
  char c;
  int k;

  for (k = 0; k < BENCH_NKINDS; k++) {
    servers[k].kind = (enum bench_kind)k;
    bench__listen_all(&servers[k]);
    if (pthread_create(&t, NULL, bench__thread, &servers[k]) != 0)
      bench__die("pthread_create");
    pthread_detach(t);
  }
  printf("%d %d %d %d\n", servers[BENCH_ECHO].port, servers[BENCH_BULK].port,
         servers[BENCH_CONNECT].port, BENCH_NADDR);
  fflush(stdout);
  while (read(0, &c, 1) > 0)
    ;
  return 0;
}
