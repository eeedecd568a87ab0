/*
 * engine_internal.h — what the wasmtime engine's files share.
 */
#ifndef WASISOCK_WASMTIME_ENGINE_INTERNAL_H
#define WASISOCK_WASMTIME_ENGINE_INTERNAL_H

#include <sys/stat.h>

#include <wasmtime.h>

#include "launch.h"

/* code_cache.c: compiled code by the module's hash (see there).
 * wt_cache_find: without reading the module, when the index knows this
 * very file; wt_cache_find_bytes: from its bytes (sha gets their SHA-256,
 * for wt_cache_store).  1 and *out on a hit, else 0. */
int wt_cache_find(wasm_engine_t *engine, const char *dir, const char *module,
                  const struct stat *st, wasmtime_module_t **out);
int wt_cache_find_bytes(wasm_engine_t *engine, const char *dir,
                        const char *module, const struct stat *st,
                        const uint8_t *bytes, size_t len, char sha[65],
                        wasmtime_module_t **out);
void wt_cache_store(const char *dir, const char *module, const struct stat *st,
                    const char *sha, const wasmtime_module_t *compiled);

#endif /* WASISOCK_WASMTIME_ENGINE_INTERNAL_H */
