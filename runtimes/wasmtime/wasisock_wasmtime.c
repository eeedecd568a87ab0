/*
 * wasisock_wasmtime.c — the wasmtime adapter: one loop registers every row
 * of wasisock_import_table() on a linker, and one trampoline serves them
 * all (see wasisock_wasmtime.h for the lifetime rules).
 *
 * The trampoline is wasmtime's "unchecked" kind of host function: wasmtime
 * has checked the signature at instantiation (nparams i32 -> i32, the type
 * each row is defined with), so the arguments arrive as raw values in one
 * array, which also takes the result, without a wasmtime_val_t per
 * argument.  Per call: the store's data (the guest instance's host), the
 * memory's base and size read afresh, the row's function.  Nothing is
 * allocated.
 */
#include <string.h>

#include "wasisock_wasmtime.h"

#define WW_TRAP(msg) wasmtime_trap_new((msg), sizeof(msg) - 1)

int32_t wasisock_wasmtime_init(wasisock_wasmtime_t *ws,
                               const wasisock_config_t *config) {
  if (ws == NULL)
    return WASISOCK_EINVAL;
  memset(ws, 0, sizeof *ws);
  return wasisock_new(config, &ws->host);
}

void wasisock_wasmtime_close(wasisock_wasmtime_t *ws) {
  if (ws == NULL || ws->host == NULL)
    return;
  wasisock_free(ws->host);
  ws->host = NULL;
}

/* The guest's memory, found through the caller the first time. */
static int find_memory(wasisock_wasmtime_t *ws, wasmtime_caller_t *caller) {
  wasmtime_extern_t item;

  if (!wasmtime_caller_export_get(caller, "memory", 6, &item))
    return 0;
  if (item.kind != WASMTIME_EXTERN_MEMORY) {
    wasmtime_extern_delete(&item);
    return 0;
  }
  ws->memory = item.of.memory;
  ws->has_memory = 1;
  return 1;
}

static wasm_trap_t *trampoline(void *env, wasmtime_caller_t *caller,
                               wasmtime_val_raw_t *args_and_results,
                               size_t n) {
  const wasisock_import_t *row = env;
  wasmtime_context_t *cx = wasmtime_caller_context(caller);
  wasisock_wasmtime_t *ws = wasmtime_context_get_data(cx);
  uint32_t args[WASISOCK_MAX_PARAMS];
  wasisock_mem_t mem;
  uint32_t i;

  if (ws == NULL)
    return WW_TRAP("wasisock import called in a store without a "
                   "wasisock_wasmtime_t as its data");
  if (ws->host == NULL)
    return WW_TRAP("wasisock import called after the host was closed");
  if (!ws->has_memory && !find_memory(ws, caller))
    return WW_TRAP("wasisock import called by a module that exports no "
                   "memory named \"memory\"");
  if (n < row->nparams || n < 1)
    return WW_TRAP("wasisock import called with the wrong number of "
                   "arguments");
  for (i = 0; i < row->nparams; i++)
    args[i] = (uint32_t)args_and_results[i].i32;
  /* memory.grow may have moved or grown it since the last call. */
  mem.base = wasmtime_memory_data(cx, &ws->memory);
  mem.len = wasmtime_memory_data_size(cx, &ws->memory);
  args_and_results[0].i32 = row->call(ws->host, &mem, args);
  return NULL;
}

wasmtime_error_t *wasisock_wasmtime_define(wasmtime_linker_t *linker) {
  const wasisock_import_t *t;
  wasm_valtype_vec_t params, results;
  wasm_valtype_t *types[WASISOCK_MAX_PARAMS];
  wasm_functype_t *ft;
  wasmtime_error_t *err;
  size_t n, i;
  uint32_t j;

  t = wasisock_import_table(&n);
  for (i = 0; i < n; i++) {
    if (t[i].nparams > WASISOCK_MAX_PARAMS)
      return wasmtime_error_new(
          "libwasisock import has more parameters than the adapter supports");
    for (j = 0; j < t[i].nparams; j++)
      types[j] = wasm_valtype_new(WASM_I32);
    wasm_valtype_vec_new(&params, t[i].nparams, types);
    types[0] = wasm_valtype_new(WASM_I32);
    wasm_valtype_vec_new(&results, 1, types);
    ft = wasm_functype_new(&params, &results); /* takes both vectors */
    err = wasmtime_linker_define_func_unchecked(
        linker, WASISOCK_MODULE, strlen(WASISOCK_MODULE), t[i].name,
        strlen(t[i].name), ft, trampoline, (void *)&t[i], NULL);
    wasm_functype_delete(ft);
    if (err != NULL)
      return err;
  }
  return NULL;
}

wasmtime_error_t *wasisock_wasmtime_call(wasisock_wasmtime_t *ws,
                                         wasmtime_context_t *cx,
                                         const wasmtime_func_t *func,
                                         wasm_trap_t **trap) {
  wasmtime_error_t *err;

  *trap = NULL;
  err = wasmtime_func_call(cx, func, NULL, 0, NULL, 0, trap);
  if (err != NULL || *trap != NULL)
    wasisock_wasmtime_close(ws);
  return err;
}
