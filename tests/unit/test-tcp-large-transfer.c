/* 64 MiB each way, checked by hash.  A pthread peer streams deterministic
 * pseudo-random bytes / hashes what it receives; the guest side goes
 * through sock_recv / sock_send (a sendall loop over partial sends) with
 * its buffer in guest memory. */
#include "helpers.h"

#include <errno.h>
#include <string.h>

#define TOTAL ((uint64_t)64 << 20)
#define SEED 0x5eed5eedu
#define CHUNK (1u << 20)

typedef struct {
  uint64_t bytes;
  uint64_t hash;
} sink_t;

/* Server → guest: stream TOTAL bytes, then close. */
static void serve_stream(int fd, void *arg) {
  static uint8_t buf[256 * 1024];
  th_prng_t p;
  uint64_t left = TOTAL;
  (void)arg;

  th_prng_init(&p, SEED);
  while (left > 0) {
    size_t n = left < sizeof(buf) ? (size_t)left : sizeof(buf);
    th_prng_fill(&p, buf, n);
    th_fd_write_all(fd, buf, n);
    left -= n;
  }
}

/* Guest → server: hash everything until EOF. */
static void serve_sink(int fd, void *arg) {
  static uint8_t buf[256 * 1024];
  sink_t *s = arg;
  ssize_t n;

  s->bytes = 0;
  s->hash = TH_FNV_INIT;
  for (;;) {
    n = recv(fd, buf, sizeof(buf), 0);
    if (n == -1 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    s->bytes += (uint64_t)n;
    s->hash = th_fnv(s->hash, buf, (size_t)n);
  }
}

static uint64_t expected_hash(void) {
  static uint8_t buf[256 * 1024];
  uint64_t h = TH_FNV_INIT, left = TOTAL;
  th_prng_t p;

  th_prng_init(&p, SEED);
  while (left > 0) {
    size_t n = left < sizeof(buf) ? (size_t)left : sizeof(buf);
    th_prng_fill(&p, buf, n);
    h = th_fnv(h, buf, n);
    left -= n;
  }
  return h;
}

static void test_tcp_large_recv(void **state) {
  wasisock_t *h = th_host(state);
  uint64_t got = 0, hash = TH_FNV_INIT;
  th_server_t srv;
  th_arena_t *a = th_arena(state);
  uint32_t k, n;

  th_server_start(&srv, AF_INET, SOCK_STREAM, serve_stream, NULL);
  k = th_open(h, a, AF_INET, SOCK_STREAM);
  th_connect(h, a, k, AF_INET, srv.port);
  while ((n = th_recv(h, a, k, TH_DATA, CHUNK)) != 0) {
    hash = th_fnv(hash, th_at(a, TH_DATA), n);
    got += n;
  }
  th_server_join(&srv);
  assert_int_equal(got, TOTAL);
  assert_int_equal(hash, expected_hash());
  th_close(h, a, k);
}

static void test_tcp_large_send(void **state) {
  wasisock_t *h = th_host(state);
  uint64_t left = TOTAL;
  sink_t sink;
  th_server_t srv;
  th_arena_t *a = th_arena(state);
  th_prng_t p;
  uint32_t k;

  th_server_start(&srv, AF_INET, SOCK_STREAM, serve_sink, &sink);
  k = th_open(h, a, AF_INET, SOCK_STREAM);
  th_connect(h, a, k, AF_INET, srv.port);
  th_prng_init(&p, SEED);
  while (left > 0) {
    uint32_t n = left < CHUNK ? (uint32_t)left : CHUNK, off = 0;
    th_prng_fill(&p, th_at(a, TH_DATA), n);
    while (off < n) { /* sendall, counting partial sends */
      uint32_t sent;
      assert_int_equal(
          wasisock_sock_send(h, &a->mem, k, TH_DATA + off, n - off, TH_OUT),
          WASISOCK_OK);
      sent = th_u32(a, TH_OUT);
      assert_true(sent > 0 && sent <= n - off);
      off += sent;
    }
    left -= n;
  }
  th_close(h, a, k); /* EOF for the sink */
  th_server_join(&srv);
  assert_int_equal(sink.bytes, TOTAL);
  assert_int_equal(sink.hash, expected_hash());
}

int main(void) {
  const struct CMUnitTest tests[] = {
      th_unit_test(test_tcp_large_recv, TH_DATA + CHUNK),
      th_unit_test(test_tcp_large_send, TH_DATA + CHUNK),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
