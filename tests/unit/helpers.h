/*
 * helpers.h — shared by the unit tests: a guest-memory arena with canaries,
 * loopback servers in a pthread, and small wrappers that call imports and
 * assert success.  Included after <cmocka.h>'s prerequisites by each test.
 */
#ifndef WASISOCK_TEST_HELPERS_H
#define WASISOCK_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <pthread.h>
#include <sys/socket.h>

#include "wasisock.h"

/* ---- Guest memory -----------------------------------------------------------
 * A plain byte array standing for linear memory, with TH_CANARY_SIZE bytes
 * of TH_CANARY_BYTE on each side that no call may touch.  The memory itself
 * is filled with TH_FILL_BYTE so stray writes show up too. */
#define TH_CANARY_SIZE 64
#define TH_CANARY_BYTE 0xA5
#define TH_FILL_BYTE 0x5A

/* Scratch offsets for out-params and records in every arena. */
#define TH_OUT 0     /* u32 out-param */
#define TH_OUT2 8    /* a second u32 out-param */
#define TH_ADDR 16   /* one 19-byte address record */
#define TH_NAME 64   /* a host name (<= 256 bytes) */
#define TH_DATA 1024 /* start of free data space */

typedef struct th_arena {
  uint8_t *raw; /* canary, memory, canary */
  wasisock_mem_t mem;
} th_arena_t;

void th_arena_init(th_arena_t *a, size_t len);
/* Asserts the canaries are intact. */
void th_arena_check(const th_arena_t *a);
/* Checks the canaries, then frees. */
void th_arena_free(th_arena_t *a);
uint8_t *th_at(const th_arena_t *a, uint32_t off);
uint32_t th_u32(const th_arena_t *a, uint32_t off);

/* cmocka's assert_* may only run in the test's own thread (they longjmp to
 * it).  Server threads check with TH_CHECK: message and abort(), which
 * fails the test just as loudly. */
#define TH_CHECK(cond)                                                         \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: server thread check failed: %s\n", __FILE__,     \
              __LINE__, #cond);                                                \
      abort();                                                                 \
    }                                                                          \
  } while (0)

/* ---- Loopback servers -------------------------------------------------------
 * The listening (TCP) or bound (UDP) socket is made in the calling thread,
 * on port 0 of 127.0.0.1 or ::1, so the port is known before the thread
 * starts and no test races the server.  TCP: the thread accepts one
 * connection, calls fn on it and closes it.  UDP: fn gets the bound socket.
 * Server sockets have 30 s receive/send timeouts so a broken test fails
 * instead of hanging. */
typedef void (*th_serve_fn)(int fd, void *arg);

typedef struct th_server {
  int fd;         /* listening or bound socket */
  int family;     /* AF_INET or AF_INET6 */
  int type;       /* SOCK_STREAM or SOCK_DGRAM */
  uint16_t port;  /* the real port, from getsockname */
  int rcvbuf;     /* SO_RCVBUF for accepted sockets, 0 = default */
  th_serve_fn fn;
  void *arg;
  pthread_t thread;
} th_server_t;

/* 1 if a socket can be bound on the family's loopback address. */
int th_loopback_available(int family);
void th_server_start(th_server_t *s, int family, int type, th_serve_fn fn,
                     void *arg);
/* Same, with a small SO_RCVBUF set on the listener (accepted sockets
 * inherit it) before listen(). */
void th_server_start_rcvbuf(th_server_t *s, int family, int type, int rcvbuf,
                            th_serve_fn fn, void *arg);
void th_server_join(th_server_t *s);

/* TCP: echoes until EOF (arg unused).  UDP: echoes *(int *)arg datagrams,
 * each back to its sender. */
void th_serve_echo(int fd, void *arg);

/* Loopback record for the family (native AF_*) and port. */
void th_loopback_addr(int family, uint16_t port, wasisock_addr_t *out);
uint32_t th_wasi_af(int family);

/* ---- Import wrappers that assert success ---------------------------------- */
uint32_t th_open(wasisock_t *h, th_arena_t *a, int family, int type);
void th_connect(wasisock_t *h, th_arena_t *a, uint32_t handle, int family,
                uint16_t port);
/* Sends mem[off, off+len) completely, looping over partial sends. */
void th_send_all(wasisock_t *h, th_arena_t *a, uint32_t handle, uint32_t off,
                 uint32_t len);
uint32_t th_recv(wasisock_t *h, th_arena_t *a, uint32_t handle, uint32_t off,
                 uint32_t len);
void th_close(wasisock_t *h, th_arena_t *a, uint32_t handle);
wasisock_t *th_new(uint32_t max_sockets); /* 0 = defaults */

/* ---- Fixture ---------------------------------------------------------------
 * What most cases start from: a host instance with the default config and
 * an arena of guest memory.  Register a case with th_unit_test(f, len);
 * th_setup makes both (len bytes of memory), the case takes them with
 * th_host(state) and th_arena(state), and th_teardown checks the arena's
 * canaries and frees both, also after a failed assertion. */
#define th_unit_test(f, len)                                                   \
  cmocka_unit_test_prestate_setup_teardown(f, th_setup, th_teardown,           \
                                           (void *)(uintptr_t)(len))
int th_setup(void **state);
int th_teardown(void **state);
wasisock_t *th_host(void **state);
th_arena_t *th_arena(void **state);

/* ---- Data ------------------------------------------------------------------ */
/* Deterministic pseudo-random bytes: a stream continued across calls. */
typedef struct th_prng {
  uint64_t state;
} th_prng_t;
void th_prng_init(th_prng_t *p, uint64_t seed);
void th_prng_fill(th_prng_t *p, uint8_t *buf, size_t len);

/* FNV-1a 64, incremental: start from TH_FNV_INIT. */
#define TH_FNV_INIT UINT64_C(0xcbf29ce484222325)
uint64_t th_fnv(uint64_t h, const uint8_t *buf, size_t len);

/* Blocking helpers on plain fds for the server side (TH_CHECK on error). */
void th_fd_write_all(int fd, const uint8_t *buf, size_t len);
/* A native socket of type (SOCK_NONBLOCK and kin allowed) bound to port 0
 * of the family's loopback address; *port gets the port the kernel chose. */
int th_native_bound(int family, int type, uint16_t *port);
/* One native datagram of len bytes to the family's loopback address and
 * port (TH_CHECK: usable from any thread). */
void th_native_sendto(int family, uint16_t port, const void *buf, size_t len);
/* A datagram later, to wake a wait under test: a thread sleeps delay_ms,
 * then sends one byte to 127.0.0.1:port; th_send_later_join waits for it. */
typedef struct th_later {
  uint16_t port;
  int delay_ms;
  pthread_t thread;
} th_later_t;
void th_send_later(th_later_t *l, uint16_t port, int delay_ms);
void th_send_later_join(th_later_t *l);
/* Number of open fds of this process (/proc/self/fd). */
int th_count_fds(void);

/* ---- Revision 2: servers, addresses, time ----------------------------------- */
/* Binds handle to the family's loopback address, port 0, and returns the
 * port the kernel chose (through sock_local_addr). */
uint16_t th_bind_loopback(wasisock_t *h, th_arena_t *a, uint32_t handle,
                          int family);
/* sock_local_addr / sock_peer_addr, decoded (asserting success). */
void th_local_addr(wasisock_t *h, th_arena_t *a, uint32_t handle,
                   wasisock_addr_t *out);
void th_peer_addr(wasisock_t *h, th_arena_t *a, uint32_t handle,
                  wasisock_addr_t *out);
/* A listening wasisock TCP socket on loopback; *port gets its port. */
uint32_t th_listen(wasisock_t *h, th_arena_t *a, int family, uint16_t *port);
/* A native (blocking) TCP client connected to loopback:port; *local gets
 * its own address if not NULL. */
int th_native_connect(int family, uint16_t port, wasisock_addr_t *local);
/* A connected pair: a wasisock TCP handle and the native fd at the other
 * end (made through a native listener that is closed again). */
void th_tcp_pair(wasisock_t *h, th_arena_t *a, int family, uint32_t *handle,
                 int *fd);
/* sock_resolve of name (copied to TH_NAME) for port 8080: up to max_addrs
 * records at TH_DATA, their count at TH_OUT.  Returns the import's result. */
int32_t th_resolve(wasisock_t *h, th_arena_t *a, const char *name,
                   uint32_t max_addrs);
/* sock_getsockopt, asserting success. */
uint32_t th_getsockopt(wasisock_t *h, th_arena_t *a, uint32_t handle,
                       uint32_t level, uint32_t name);
/* Monotonic milliseconds. */
double th_now_ms(void);
void th_sleep_ms(int ms);

#endif /* WASISOCK_TEST_HELPERS_H */
