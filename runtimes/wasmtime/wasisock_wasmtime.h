/*
 * wasisock_wasmtime.h — libwasisock in wasmtime, through wasmtime's C API.
 *
 *   wasisock_wasmtime_t ws;
 *   wasisock_wasmtime_init(&ws, &config);            // one per guest instance
 *   store = wasmtime_store_new(engine, &ws, NULL);   // the store's data is ws
 *   wasisock_wasmtime_define(linker);                // every import, one loop
 *   wasmtime_linker_define_wasi(linker);             // WASI from wasmtime
 *   wasmtime_linker_instantiate(linker, cx, module, &instance, &trap);
 *   wasisock_wasmtime_call(&ws, cx, &start, &trap);  // a trap closes sockets
 *   wasisock_wasmtime_close(&ws);
 *
 * The linker can serve any number of stores: every import's function finds
 * its host instance through the store's data, so each guest instance (one
 * store each) has its own host instance, sockets and policy.  The guest's
 * memory is looked up through the caller on first use ("memory", as WASI
 * commands export it) and its base and size are read again on every call,
 * since memory.grow may move it.  What a guest can cause is a WASI errno;
 * a trap is raised only for adapter misuse (an import called on a store
 * whose data is not a wasisock_wasmtime_t, after close, or by a module
 * without a memory).
 */
#ifndef WASISOCK_WASMTIME_H
#define WASISOCK_WASMTIME_H

#include <wasmtime.h>

#include "wasisock.h"

typedef struct wasisock_wasmtime {
  /* public, read-only */
  wasisock_t *host; /* the guest instance's host instance; NULL once closed */
  /* private */
  wasmtime_memory_t memory; /* the guest's "memory", once found */
  int has_memory;
} wasisock_wasmtime_t;

/* Makes ws's host instance (wasisock_new with config, NULL for the
 * defaults).  Returns 0 or a WASI errno. */
int32_t wasisock_wasmtime_init(wasisock_wasmtime_t *ws,
                               const wasisock_config_t *config);

/* Defines every row of wasisock_import_table() in linker, in module
 * WASISOCK_MODULE, as a function of nparams i32 to one i32.  Stores using
 * the linker must have a wasisock_wasmtime_t as their data.  NULL, or the
 * linker's error (owned by the caller). */
wasmtime_error_t *wasisock_wasmtime_define(wasmtime_linker_t *linker);

/* Calls func (no parameters, no results: a command's _start) and, when the
 * call does not return normally (a trap, proc_exit, an error), closes ws's
 * sockets at once: the instance will not run again and its connections
 * must not linger.  Returns what wasmtime_func_call returns. */
wasmtime_error_t *wasisock_wasmtime_call(wasisock_wasmtime_t *ws,
                                         wasmtime_context_t *cx,
                                         const wasmtime_func_t *func,
                                         wasm_trap_t **trap);

/* Closes every socket and frees the host instance; idempotent.  Imports
 * called afterwards trap. */
void wasisock_wasmtime_close(wasisock_wasmtime_t *ws);

#endif /* WASISOCK_WASMTIME_H */
