/* The wasmtime adapter (runtimes/wasmtime/wasisock_wasmtime.c) driven from
 * C, as e2e_adapter.node drives the Node addon from JS: every row of the
 * import table is registered, memory bounds and growth, one host instance
 * per store, a trap closes the instance's sockets, misuse traps instead of
 * crashing, and the cost of a call.  Guests are WAT, compiled by wasmtime. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "wasisock_wasmtime.h"

static const char guest_wat[] =
    "(module\n"
    "  (import \"wasisock\" \"sock_abi_version\" (func $ver (param i32) (result i32)))\n"
    "  (import \"wasisock\" \"sock_open\" (func $open (param i32 i32 i32) (result i32)))\n"
    "  (import \"wasisock\" \"sock_close\" (func $close (param i32) (result i32)))\n"
    "  (import \"wasisock\" \"sock_connect\" (func $connect (param i32 i32) (result i32)))\n"
    "  (memory (export \"memory\") 1 4)\n"
    "  (func (export \"ver\") (param i32) (result i32) (call $ver (local.get 0)))\n"
    "  (func (export \"open_tcp\") (param i32) (result i32)\n"
    "    (call $open (i32.const 1) (i32.const 6) (local.get 0)))\n"
    "  (func (export \"close\") (param i32) (result i32) (call $close (local.get 0)))\n"
    "  (func (export \"connect_1024\") (param i32) (result i32)\n"
    "    (call $connect (i32.const 1024) (local.get 0)))\n"
    "  (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))\n"
    "  (func (export \"load\") (param i32) (result i32) (i32.load (local.get 0)))\n"
    "  (func (export \"trap\") unreachable)\n"
    "  (func (export \"bench\") (param $n i32)\n"
    "    (loop $l (drop (call $ver (i32.const 0)))\n"
    "      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))\n"
    ")\n";

typedef struct guest {
  wasm_engine_t *engine;
  wasmtime_linker_t *linker;
  wasmtime_module_t *module;
  wasmtime_store_t *store;
  wasmtime_context_t *cx;
  wasmtime_instance_t instance;
  wasisock_wasmtime_t ws;
} guest_t;

static wasmtime_module_t *compile(wasm_engine_t *engine, const char *wat) {
  wasm_byte_vec_t wasm;
  wasmtime_module_t *m = NULL;
  wasmtime_error_t *err = wasmtime_wat2wasm(wat, strlen(wat), &wasm);
  assert_null(err);
  err = wasmtime_module_new(engine, (const uint8_t *)wasm.data, wasm.size, &m);
  wasm_byte_vec_delete(&wasm);
  assert_null(err);
  return m;
}

static void start(guest_t *g, wasm_engine_t *engine, wasmtime_linker_t *linker,
                  wasmtime_module_t *module, int with_data) {
  wasm_trap_t *trap = NULL;

  memset(g, 0, sizeof *g);
  g->engine = engine;
  g->linker = linker;
  g->module = module;
  assert_int_equal(wasisock_wasmtime_init(&g->ws, NULL), WASISOCK_OK);
  g->store = wasmtime_store_new(engine, with_data ? &g->ws : NULL, NULL);
  g->cx = wasmtime_store_context(g->store);
  assert_null(wasmtime_linker_instantiate(linker, g->cx, module, &g->instance,
                                          &trap));
  assert_null(trap);
}

static void stop(guest_t *g) {
  wasisock_wasmtime_close(&g->ws);
  wasmtime_store_delete(g->store);
}

/* Calls export name with one i32 (or none); returns the i32 result, or -1
 * with *trapped set when the call does not return: a trap, or the error a
 * host function's trap (the adapter's, on misuse) comes back as. */
static int32_t call(guest_t *g, const char *name, const int32_t *arg,
                    int *trapped) {
  wasmtime_extern_t f;
  wasmtime_val_t a, r;
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *err;
  wasm_functype_t *ft;
  size_t nresults;

  assert_true(wasmtime_instance_export_get(g->cx, &g->instance, name,
                                           strlen(name), &f));
  ft = wasmtime_func_type(g->cx, &f.of.func);
  nresults = wasm_functype_results(ft)->size;
  wasm_functype_delete(ft);
  a.kind = WASMTIME_I32;
  a.of.i32 = arg ? *arg : 0;
  err = wasmtime_func_call(g->cx, &f.of.func, &a, arg ? 1 : 0, &r, nresults,
                           &trap);
  if (trapped != NULL)
    *trapped = trap != NULL || err != NULL;
  if (err != NULL || trap != NULL) {
    assert_non_null(trapped);
    if (err != NULL)
      wasmtime_error_delete(err);
    if (trap != NULL)
      wasm_trap_delete(trap);
    return -1;
  }
  return nresults ? r.of.i32 : 0;
}

static int32_t call1(guest_t *g, const char *name, int32_t arg) {
  int trapped = 0;
  int32_t r = call(g, name, &arg, &trapped);
  assert_false(trapped);
  return r;
}

static int open_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  int n = 0;
  assert_non_null(d);
  while (readdir(d) != NULL)
    n++;
  closedir(d);
  return n;
}

static wasm_engine_t *engine;
static wasmtime_linker_t *linker;
static wasmtime_module_t *module;

/* wasmtime turns a guest's faults (SIGILL for unreachable, SIGSEGV, SIGFPE,
 * SIGBUS) into traps with its own signal handlers; cmocka installs its own
 * around every test, which would take them first.  main() keeps wasmtime's
 * (installed when the first engine is made), and each test that runs
 * guest code puts them back; cmocka restores its own afterwards. */
static const int trap_signals[] = {SIGILL, SIGSEGV, SIGFPE, SIGBUS};
static struct sigaction wasmtime_handlers[4];

static void keep_wasmtime_handlers(void) {
  size_t i;
  for (i = 0; i < 4; i++)
    sigaction(trap_signals[i], NULL, &wasmtime_handlers[i]);
}

static void wasmtime_handlers_back(void) {
  size_t i;
  for (i = 0; i < 4; i++)
    sigaction(trap_signals[i], &wasmtime_handlers[i], NULL);
}

static int setup(void **state) {
  (void)state;
  linker = wasmtime_linker_new(engine);
  if (wasisock_wasmtime_define(linker) != NULL)
    return -1;
  module = compile(engine, guest_wat);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  wasmtime_module_delete(module);
  wasmtime_linker_delete(linker);
  return 0;
}

/* A module importing every row of the table, each with its signature,
 * links: the adapter registered them all. */
static void test_every_row_registered(void **state) {
  const wasisock_import_t *t;
  size_t n, i, len = 0;
  char *wat = malloc(65536);
  wasmtime_module_t *all;
  guest_t g;
  uint32_t j;
  (void)state;
  wasmtime_handlers_back();

  assert_non_null(wat);
  len += (size_t)snprintf(wat + len, 65536 - len, "(module\n");
  t = wasisock_import_table(&n);
  for (i = 0; i < n; i++) {
    len += (size_t)snprintf(wat + len, 65536 - len,
                            "  (import \"wasisock\" \"%s\" (func (param",
                            t[i].name);
    for (j = 0; j < t[i].nparams; j++)
      len += (size_t)snprintf(wat + len, 65536 - len, " i32");
    len += (size_t)snprintf(wat + len, 65536 - len, ") (result i32)))\n");
  }
  snprintf(wat + len, 65536 - len, "  (memory (export \"memory\") 1))\n");
  all = compile(engine, wat);
  free(wat);
  start(&g, engine, linker, all, 1);
  stop(&g);
  wasmtime_module_delete(all);
}

static void test_bounds_and_growth(void **state) {
  const uint32_t len = 65536;
  guest_t g;
  (void)state;
  wasmtime_handlers_back();

  start(&g, engine, linker, module, 1);
  assert_int_equal(call1(&g, "ver", (int32_t)(len - 4)), WASISOCK_OK);
  assert_int_equal(call1(&g, "load", (int32_t)(len - 4)), WASISOCK_ABI_REVISION);
  assert_int_equal(call1(&g, "ver", (int32_t)(len - 3)), WASISOCK_EFAULT);
  assert_int_equal(call1(&g, "ver", -1), WASISOCK_EFAULT);
  /* memory.grow: the next call sees the new size (the adapter reads it on
   * every call). */
  assert_int_equal(call1(&g, "grow", 1), 1);
  assert_int_equal(call1(&g, "ver", (int32_t)(len + 8)), WASISOCK_OK);
  assert_int_equal(call1(&g, "load", (int32_t)(len + 8)), WASISOCK_ABI_REVISION);
  assert_int_equal(call1(&g, "ver", (int32_t)(2 * len - 3)), WASISOCK_EFAULT);
  stop(&g);
}

/* One host instance per store: handles are each instance's own. */
static void test_instances_independent(void **state) {
  guest_t a, b;
  (void)state;
  wasmtime_handlers_back();

  start(&a, engine, linker, module, 1);
  start(&b, engine, linker, module, 1);
  assert_int_equal(call1(&a, "open_tcp", 0), WASISOCK_OK);
  assert_int_equal(call1(&a, "load", 0), 1024);
  assert_int_equal(call1(&b, "open_tcp", 0), WASISOCK_OK);
  assert_int_equal(call1(&b, "load", 0), 1024); /* not 1025 */
  assert_int_equal(call1(&a, "close", 1024), WASISOCK_OK);
  assert_int_equal(call1(&a, "close", 1024), WASISOCK_EBADF);
  assert_int_equal(call1(&b, "close", 1024), WASISOCK_OK); /* b's still open */
  stop(&a);
  stop(&b);
}

/* A trap in the guest closes its sockets at once: the peer of its
 * connection sees the end of the stream, and every descriptor the host
 * instance had is gone. */
static void test_trap_closes_sockets(void **state) {
  struct sockaddr_in sin;
  socklen_t slen = sizeof sin;
  struct timeval tv = {10, 0};
  wasmtime_extern_t f;
  wasm_trap_t *trap = NULL;
  wasisock_addr_t addr;
  guest_t g;
  int before, lfd, peer, i;
  char byte;
  (void)state;
  wasmtime_handlers_back();

  /* A native listener on loopback, port 0. */
  lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  assert_true(lfd >= 0);
  memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(bind(lfd, (struct sockaddr *)&sin, sizeof sin), 0);
  assert_int_equal(listen(lfd, 4), 0);
  assert_int_equal(getsockname(lfd, (struct sockaddr *)&sin, &slen), 0);

  before = open_fds();
  start(&g, engine, linker, module, 1);
  for (i = 0; i < 5; i++) /* handles 1024..1028 */
    assert_int_equal(call1(&g, "open_tcp", 0), WASISOCK_OK);
  memset(&addr, 0, sizeof addr);
  addr.family = WASISOCK_AF_INET;
  addr.port = ntohs(sin.sin_port);
  memcpy(addr.bytes, &sin.sin_addr, 4);
  {
    wasmtime_extern_t mem;
    assert_true(wasmtime_instance_export_get(g.cx, &g.instance, "memory", 6,
                                             &mem));
    wasisock_addr_write(wasmtime_memory_data(g.cx, &mem.of.memory) + 64,
                        &addr);
  }
  assert_int_equal(call1(&g, "connect_1024", 64), WASISOCK_OK);
  peer = accept(lfd, NULL, NULL);
  assert_true(peer >= 0);
  assert_int_equal(setsockopt(peer, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
  assert_true(open_fds() >= before + 1 + 5 + 1); /* host loop, sockets, peer */

  assert_true(wasmtime_instance_export_get(g.cx, &g.instance, "trap", 4, &f));
  assert_null(wasisock_wasmtime_call(&g.ws, g.cx, &f.of.func, &trap));
  assert_non_null(trap);
  wasm_trap_delete(trap);
  assert_null(g.ws.host);
  assert_int_equal(recv(peer, &byte, 1, 0), 0); /* end of stream */
  assert_int_equal(open_fds(), before + 1);     /* only our peer is left */
  /* Imports fail from now on, instead of touching a freed host. */
  {
    int trapped = 0;
    int32_t zero = 0;
    call(&g, "ver", &zero, &trapped);
    assert_true(trapped);
  }
  stop(&g);
  close(peer);
  close(lfd);
}

/* Misuse traps: a store whose data is not a wasisock_wasmtime_t, a module
 * without a memory. */
static void test_misuse_traps(void **state) {
  static const char no_memory_wat[] =
      "(module (import \"wasisock\" \"sock_abi_version\" "
      "(func $v (param i32) (result i32)))\n"
      "  (func (export \"ver\") (param i32) (result i32) "
      "(call $v (local.get 0))))";
  wasmtime_module_t *no_memory;
  guest_t g;
  int trapped = 0;
  int32_t zero = 0;
  (void)state;
  wasmtime_handlers_back();

  start(&g, engine, linker, module, 0);
  call(&g, "ver", &zero, &trapped);
  assert_true(trapped);
  stop(&g);

  no_memory = compile(engine, no_memory_wat);
  start(&g, engine, linker, no_memory, 1);
  trapped = 0;
  call(&g, "ver", &zero, &trapped);
  assert_true(trapped);
  stop(&g);
  wasmtime_module_delete(no_memory);
}

/* The cost of a cheap import from wasm (reported; the bench has the
 * number that counts, docs/PERFORMANCE.md). */
static void test_call_cost(void **state) {
  struct timespec t0, t1;
  const int32_t n = 2000000;
  guest_t g;
  double ns;
  (void)state;
  wasmtime_handlers_back();

  start(&g, engine, linker, module, 1);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  call1(&g, "bench", n);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
        (double)(t1.tv_nsec - t0.tv_nsec)) / n;
  printf("wasm -> wasmtime adapter sock_abi_version: %.1f ns/call\n", ns);
  assert_true(ns < 5000);
  stop(&g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_row_registered),
      cmocka_unit_test(test_bounds_and_growth),
      cmocka_unit_test(test_instances_independent),
      cmocka_unit_test(test_trap_closes_sockets),
      cmocka_unit_test(test_misuse_traps),
      cmocka_unit_test(test_call_cost),
  };
  int rc;

  engine = wasm_engine_new(); /* wasmtime's signal handlers come with it */
  keep_wasmtime_handlers();
  rc = cmocka_run_group_tests(tests, setup, teardown);
  wasm_engine_delete(engine);
  return rc;
}
