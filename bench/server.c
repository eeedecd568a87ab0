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
 *            (the client closes first, as an HTTP/1.0 client would).
 *
 * Prints "ECHO_PORT BULK_PORT CONNECT_PORT\n" on stdout once listening, and
 * exits when stdin reaches end of file (the driver closes the pipe) or on
 * SIGTERM.  Loopback only: it binds 127.0.0.1 and nothing else.
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

/* One accepted connection. */
typedef struct bench_conn {
  int fd;
  /* bulk: header bytes seen so far, then the bytes still to come */
  uint8_t header[8];
  unsigned header_len;
  uint64_t remaining;
} bench_conn_t;

typedef struct bench_server {
  enum bench_kind kind;
  int listen_fd;
  int port;
} bench_server_t;

static void bench__die(const char *what) {
  perror(what);
  exit(1);
}

static int bench__listen(void) {
  struct sockaddr_in sa;
  socklen_t len = sizeof(sa);
  int fd, one = 1;

  fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    bench__die("socket");
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
    bench__die("bind");
  if (listen(fd, SOMAXCONN) != 0)
    bench__die("listen");
  if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
    bench__die("getsockname");
  return fd;
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
  struct epoll_event ev, events[BENCH_MAX_EVENTS];
  bench_conn_t *c;
  uint8_t *buf;
  int ep, n, i, fd, one = 1;

  buf = malloc(BENCH_BUF);
  ep = epoll_create1(EPOLL_CLOEXEC);
  if (buf == NULL || ep < 0)
    bench__die("epoll_create1");
  ev.events = EPOLLIN;
  ev.data.ptr = NULL; /* NULL: the listener */
  if (epoll_ctl(ep, EPOLL_CTL_ADD, srv->listen_fd, &ev) != 0)
    bench__die("epoll_ctl");
  for (;;) {
    n = epoll_wait(ep, events, BENCH_MAX_EVENTS, -1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      bench__die("epoll_wait");
    for (i = 0; i < n; i++) {
      c = events[i].data.ptr;
      if (c != NULL) {
        if (bench__serve(srv->kind, c, buf) != 0)
          bench__close(ep, c);
        continue;
      }
      while ((fd = accept4(srv->listen_fd, NULL, NULL,
                           SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        c = calloc(1, sizeof(*c));
        if (c == NULL)
          bench__die("calloc");
        c->fd = fd;
        ev.events = EPOLLIN;
        ev.data.ptr = c;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0)
          bench__die("epoll_ctl");
      }
    }
  }
  return NULL;
}

int main(void) {
  static bench_server_t servers[BENCH_NKINDS];
  struct sockaddr_in sa;
  socklen_t len;
  pthread_t t;
  char c;
  int k;

  for (k = 0; k < BENCH_NKINDS; k++) {
    servers[k].kind = (enum bench_kind)k;
    servers[k].listen_fd = bench__listen();
    len = sizeof(sa);
    getsockname(servers[k].listen_fd, (struct sockaddr *)&sa, &len);
    servers[k].port = ntohs(sa.sin_port);
    if (pthread_create(&t, NULL, bench__thread, &servers[k]) != 0)
      bench__die("pthread_create");
    pthread_detach(t);
  }
  printf("%d %d %d\n", servers[BENCH_ECHO].port, servers[BENCH_BULK].port,
         servers[BENCH_CONNECT].port);
  fflush(stdout);
  while (read(0, &c, 1) > 0)
    ;
  return 0;
}
