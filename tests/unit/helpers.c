/*
 * helpers.c — see helpers.h.
 */
#include "helpers.h"

#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* ---- Guest memory ---------------------------------------------------------- */

void th_arena_init(th_arena_t *a, size_t len) {
  a->raw = malloc(len + 2 * TH_CANARY_SIZE);
  assert_non_null(a->raw);
  memset(a->raw, TH_CANARY_BYTE, TH_CANARY_SIZE);
  memset(a->raw + TH_CANARY_SIZE, TH_FILL_BYTE, len);
  memset(a->raw + TH_CANARY_SIZE + len, TH_CANARY_BYTE, TH_CANARY_SIZE);
  a->mem.base = a->raw + TH_CANARY_SIZE;
  a->mem.len = len;
}

void th_arena_check(const th_arena_t *a) {
  size_t i;
  for (i = 0; i < TH_CANARY_SIZE; i++) {
    assert_int_equal(a->raw[i], TH_CANARY_BYTE);
    assert_int_equal(a->raw[TH_CANARY_SIZE + a->mem.len + i], TH_CANARY_BYTE);
  }
}

void th_arena_free(th_arena_t *a) {
  th_arena_check(a);
  free(a->raw);
  a->raw = NULL;
}

uint8_t *th_at(const th_arena_t *a, uint32_t off) {
  assert_true(off <= a->mem.len);
  return a->mem.base + off;
}

uint32_t th_u32(const th_arena_t *a, uint32_t off) {
  return wasisock_u32_read(th_at(a, off));
}

/* ---- Loopback servers ------------------------------------------------------ */

static socklen_t th_sockaddr(int family, uint16_t port,
                             struct sockaddr_storage *ss) {
  memset(ss, 0, sizeof(*ss));
  if (family == AF_INET) {
    struct sockaddr_in *sin = (struct sockaddr_in *)ss;
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sizeof(*sin);
  } else {
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    sin6->sin6_addr = in6addr_loopback;
    return sizeof(*sin6);
  }
}

int th_loopback_available(int family) {
  struct sockaddr_storage ss;
  socklen_t len = th_sockaddr(family, 0, &ss);
  int fd = socket(family, SOCK_STREAM, 0);
  int ok;

  if (fd == -1)
    return 0;
  ok = bind(fd, (struct sockaddr *)&ss, len) == 0;
  close(fd);
  return ok;
}

static void th_timeouts(int fd) {
  struct timeval tv = {30, 0};
  TH_CHECK(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0);
  TH_CHECK(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == 0);
}

static void *th_server_main(void *p) {
  th_server_t *s = p;
  int conn;

  if (s->type == SOCK_DGRAM) {
    s->fn(s->fd, s->arg);
    return NULL;
  }
  do
    conn = accept(s->fd, NULL, NULL);
  while (conn == -1 && errno == EINTR);
  if (conn == -1)
    return NULL; /* the client side's assertions report the failure */
  th_timeouts(conn);
  s->fn(conn, s->arg);
  close(conn);
  return NULL;
}

static uint16_t th_fd_port(int fd) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof(ss);

  TH_CHECK(getsockname(fd, (struct sockaddr *)&ss, &len) == 0);
  return ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                       : ((struct sockaddr_in6 *)&ss)->sin6_port);
}

int th_native_bound(int family, int type, uint16_t *port) {
  struct sockaddr_storage ss;
  socklen_t len = th_sockaddr(family, 0, &ss);
  int fd = socket(family, type, 0);

  assert_true(fd >= 0);
  assert_int_equal(bind(fd, (struct sockaddr *)&ss, len), 0);
  *port = th_fd_port(fd);
  return fd;
}

void th_native_sendto(int family, uint16_t port, const void *buf, size_t len) {
  struct sockaddr_storage ss;
  socklen_t sslen = th_sockaddr(family, port, &ss);
  int fd = socket(family, SOCK_DGRAM, 0);

  TH_CHECK(fd >= 0);
  TH_CHECK(sendto(fd, buf, len, 0, (struct sockaddr *)&ss, sslen) ==
           (ssize_t)len);
  close(fd);
}

static void *th_later_main(void *p) {
  th_later_t *l = p;

  th_sleep_ms(l->delay_ms);
  th_native_sendto(AF_INET, l->port, "x", 1);
  return NULL;
}

void th_send_later(th_later_t *l, uint16_t port, int delay_ms) {
  l->port = port;
  l->delay_ms = delay_ms;
  assert_int_equal(pthread_create(&l->thread, NULL, th_later_main, l), 0);
}

void th_send_later_join(th_later_t *l) {
  assert_int_equal(pthread_join(l->thread, NULL), 0);
}

void th_server_start_rcvbuf(th_server_t *s, int family, int type, int rcvbuf,
                            th_serve_fn fn, void *arg) {
  struct sockaddr_storage ss;
  socklen_t len = th_sockaddr(family, 0, &ss);
  int one = 1;

  memset(s, 0, sizeof(*s));
  s->family = family;
  s->type = type;
  s->rcvbuf = rcvbuf;
  s->fn = fn;
  s->arg = arg;
  s->fd = socket(family, type, 0);
  assert_true(s->fd >= 0);
  assert_int_equal(
      setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
  if (rcvbuf > 0)
    assert_int_equal(
        setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)), 0);
  assert_int_equal(bind(s->fd, (struct sockaddr *)&ss, len), 0);
  s->port = th_fd_port(s->fd);
  if (type == SOCK_STREAM)
    assert_int_equal(listen(s->fd, 8), 0);
  else
    th_timeouts(s->fd);
  assert_int_equal(pthread_create(&s->thread, NULL, th_server_main, s), 0);
}

void th_server_start(th_server_t *s, int family, int type, th_serve_fn fn,
                     void *arg) {
  th_server_start_rcvbuf(s, family, type, 0, fn, arg);
}

void th_server_join(th_server_t *s) {
  assert_int_equal(pthread_join(s->thread, NULL), 0);
  close(s->fd);
}

void th_fd_write_all(int fd, const uint8_t *buf, size_t len) {
  while (len > 0) {
    ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
    if (n == -1 && errno == EINTR)
      continue;
    TH_CHECK(n > 0);
    buf += n;
    len -= (size_t)n;
  }
}

void th_serve_echo(int fd, void *arg) {
  uint8_t buf[65536];
  ssize_t n;

  int type = 0;
  socklen_t tlen = sizeof(type);

  TH_CHECK(getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) == 0);
  if (type == SOCK_DGRAM) { /* echo *(int *)arg datagrams to their sender */
    int i, count = *(int *)arg;
    for (i = 0; i < count; i++) {
      struct sockaddr_storage from;
      socklen_t fromlen = sizeof(from);
      n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
      if (n < 0)
        return;
      sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fromlen);
    }
    return;
  }
  for (;;) {
    n = recv(fd, buf, sizeof(buf), 0);
    if (n == -1 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    th_fd_write_all(fd, buf, (size_t)n);
  }
}

void th_loopback_addr(int family, uint16_t port, wasisock_addr_t *out) {
  memset(out, 0, sizeof(*out));
  out->port = port;
  if (family == AF_INET) {
    out->family = WASISOCK_AF_INET;
    out->bytes[0] = 127;
    out->bytes[3] = 1;
  } else {
    out->family = WASISOCK_AF_INET6;
    out->bytes[15] = 1;
  }
}

uint32_t th_wasi_af(int family) {
  return family == AF_INET ? WASISOCK_AF_INET : WASISOCK_AF_INET6;
}

/* ---- Import wrappers ------------------------------------------------------- */

wasisock_t *th_new(uint32_t max_sockets) {
  wasisock_config_t cfg;
  wasisock_t *h = NULL;

  wasisock_config_init(&cfg);
  if (max_sockets != 0)
    cfg.max_sockets = max_sockets;
  assert_int_equal(wasisock_new(&cfg, &h), WASISOCK_OK);
  assert_non_null(h);
  return h;
}

typedef struct th_fixture {
  wasisock_t *host;
  th_arena_t arena;
} th_fixture_t;

int th_setup(void **state) {
  th_fixture_t *f = calloc(1, sizeof(*f));

  assert_non_null(f);
  th_arena_init(&f->arena, (size_t)(uintptr_t)*state);
  f->host = th_new(0);
  *state = f;
  return 0;
}

int th_teardown(void **state) {
  th_fixture_t *f = *state;

  wasisock_free(f->host);
  th_arena_free(&f->arena); /* checks the canaries */
  free(f);
  return 0;
}

wasisock_t *th_host(void **state) {
  return ((th_fixture_t *)*state)->host;
}

th_arena_t *th_arena(void **state) {
  return &((th_fixture_t *)*state)->arena;
}

uint32_t th_open(wasisock_t *h, th_arena_t *a, int family, int type) {
  uint32_t st = type == SOCK_STREAM ? WASISOCK_SOCK_STREAM : WASISOCK_SOCK_DGRAM;
  assert_int_equal(
      wasisock_sock_open(h, &a->mem, th_wasi_af(family), st, TH_OUT),
      WASISOCK_OK);
  return th_u32(a, TH_OUT);
}

void th_connect(wasisock_t *h, th_arena_t *a, uint32_t handle, int family,
                uint16_t port) {
  wasisock_addr_t addr;
  th_loopback_addr(family, port, &addr);
  wasisock_addr_write(th_at(a, TH_ADDR), &addr);
  assert_int_equal(wasisock_sock_connect(h, &a->mem, handle, TH_ADDR),
                   WASISOCK_OK);
}

void th_send_all(wasisock_t *h, th_arena_t *a, uint32_t handle, uint32_t off,
                 uint32_t len) {
  while (len > 0) {
    uint32_t sent;
    assert_int_equal(wasisock_sock_send(h, &a->mem, handle, off, len, TH_OUT2),
                     WASISOCK_OK);
    sent = th_u32(a, TH_OUT2);
    assert_true(sent > 0 && sent <= len);
    off += sent;
    len -= sent;
  }
}

uint32_t th_recv(wasisock_t *h, th_arena_t *a, uint32_t handle, uint32_t off,
                 uint32_t len) {
  uint32_t n;
  assert_int_equal(wasisock_sock_recv(h, &a->mem, handle, off, len, TH_OUT2),
                   WASISOCK_OK);
  n = th_u32(a, TH_OUT2);
  assert_true(n <= len);
  return n;
}

void th_close(wasisock_t *h, th_arena_t *a, uint32_t handle) {
  assert_int_equal(wasisock_sock_close(h, &a->mem, handle), WASISOCK_OK);
}

/* ---- Data ------------------------------------------------------------------ */

void th_prng_init(th_prng_t *p, uint64_t seed) { p->state = seed; }

void th_prng_fill(th_prng_t *p, uint8_t *buf, size_t len) {
  uint64_t x = p->state;
  size_t i;
  for (i = 0; i < len; i++) {
    /* Knuth's MMIX LCG; the top byte is well mixed enough for a test. */
    x = x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    buf[i] = (uint8_t)(x >> 56);
  }
  p->state = x;
}

uint64_t th_fnv(uint64_t h, const uint8_t *buf, size_t len) {
  size_t i;
  for (i = 0; i < len; i++) {
    h ^= buf[i];
    h *= UINT64_C(0x100000001b3);
  }
  return h;
}

int th_count_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;
  int n = 0;

  assert_non_null(d);
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.')
      n++;
  closedir(d);
  return n - 1; /* the DIR's own fd */
}

/* ---- Revision 2 ------------------------------------------------------------ */

void th_local_addr(wasisock_t *h, th_arena_t *a, uint32_t handle,
                   wasisock_addr_t *out) {
  assert_int_equal(wasisock_sock_local_addr(h, &a->mem, handle, TH_ADDR),
                   WASISOCK_OK);
  assert_int_equal(wasisock_addr_read(th_at(a, TH_ADDR), out), WASISOCK_OK);
}

void th_peer_addr(wasisock_t *h, th_arena_t *a, uint32_t handle,
                  wasisock_addr_t *out) {
  assert_int_equal(wasisock_sock_peer_addr(h, &a->mem, handle, TH_ADDR),
                   WASISOCK_OK);
  assert_int_equal(wasisock_addr_read(th_at(a, TH_ADDR), out), WASISOCK_OK);
}

uint16_t th_bind_loopback(wasisock_t *h, th_arena_t *a, uint32_t handle,
                          int family) {
  wasisock_addr_t addr;

  th_loopback_addr(family, 0, &addr);
  wasisock_addr_write(th_at(a, TH_ADDR), &addr);
  assert_int_equal(wasisock_sock_bind(h, &a->mem, handle, TH_ADDR),
                   WASISOCK_OK);
  th_local_addr(h, a, handle, &addr);
  assert_int_not_equal(addr.port, 0);
  return addr.port;
}

uint32_t th_listen(wasisock_t *h, th_arena_t *a, int family, uint16_t *port) {
  uint32_t k = th_open(h, a, family, SOCK_STREAM);

  *port = th_bind_loopback(h, a, k, family);
  assert_int_equal(wasisock_sock_listen(h, &a->mem, k, 128), WASISOCK_OK);
  return k;
}

int th_native_connect(int family, uint16_t port, wasisock_addr_t *local) {
  struct sockaddr_storage ss;
  socklen_t len = th_sockaddr(family, port, &ss);
  int fd = socket(family, SOCK_STREAM, 0);

  assert_true(fd >= 0);
  assert_int_equal(connect(fd, (struct sockaddr *)&ss, len), 0);
  th_timeouts(fd);
  if (local != NULL) {
    len = sizeof(ss);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
    memset(local, 0, sizeof(*local));
    if (family == AF_INET) {
      struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
      local->family = WASISOCK_AF_INET;
      local->port = ntohs(sin->sin_port);
      memcpy(local->bytes, &sin->sin_addr, 4);
    } else {
      struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
      local->family = WASISOCK_AF_INET6;
      local->port = ntohs(sin6->sin6_port);
      memcpy(local->bytes, &sin6->sin6_addr, 16);
    }
  }
  return fd;
}

void th_tcp_pair(wasisock_t *h, th_arena_t *a, int family, uint32_t *handle,
                 int *fd) {
  struct sockaddr_storage ss;
  socklen_t len = th_sockaddr(family, 0, &ss);
  uint16_t port;
  int lfd = socket(family, SOCK_STREAM, 0);

  assert_true(lfd >= 0);
  assert_int_equal(bind(lfd, (struct sockaddr *)&ss, len), 0);
  len = sizeof(ss);
  assert_int_equal(getsockname(lfd, (struct sockaddr *)&ss, &len), 0);
  port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                 : ((struct sockaddr_in6 *)&ss)->sin6_port);
  assert_int_equal(listen(lfd, 1), 0);
  *handle = th_open(h, a, family, SOCK_STREAM);
  th_connect(h, a, *handle, family, port);
  *fd = accept(lfd, NULL, NULL);
  assert_true(*fd >= 0);
  th_timeouts(*fd);
  close(lfd);
}

int32_t th_resolve(wasisock_t *h, th_arena_t *a, const char *name,
                   uint32_t max_addrs) {
  uint32_t n = (uint32_t)strlen(name);

  memcpy(th_at(a, TH_NAME), name, n);
  return wasisock_sock_resolve(h, &a->mem, TH_NAME, n, 8080, TH_DATA,
                               max_addrs, TH_OUT);
}

uint32_t th_getsockopt(wasisock_t *h, th_arena_t *a, uint32_t handle,
                       uint32_t level, uint32_t name) {
  assert_int_equal(
      wasisock_sock_getsockopt(h, &a->mem, handle, level, name, TH_OUT2),
      WASISOCK_OK);
  return th_u32(a, TH_OUT2);
}

double th_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void th_sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
  }
}
