/*
 * import_table.c — the table of imports, generated from WASISOCK_IMPORT_LIST.
 *
 * Every row gets a trampoline that unpacks args[0..n) into the typed
 * function, so an adapter registers all imports with one generic callback,
 * and a description of each parameter (its kind, from the list).  A row
 * whose arity does not match its parameters, or its function's prototype,
 * fails to compile here, which keeps the list and the functions honest.
 * The trampolines are also where the tracer (trace.c) sees every call.
 */
#include <string.h>

#include "internal.h"

/* ", args[0], ..., args[n-1]" for an arity n. */
#define WASISOCK__ARGS_0
#define WASISOCK__ARGS_1 WASISOCK__ARGS_0, args[0]
#define WASISOCK__ARGS_2 WASISOCK__ARGS_1, args[1]
#define WASISOCK__ARGS_3 WASISOCK__ARGS_2, args[2]
#define WASISOCK__ARGS_4 WASISOCK__ARGS_3, args[3]
#define WASISOCK__ARGS_5 WASISOCK__ARGS_4, args[4]
#define WASISOCK__ARGS_6 WASISOCK__ARGS_5, args[5]
#define WASISOCK__ARGS_7 WASISOCK__ARGS_6, args[6]
#define WASISOCK__ARGS_8 WASISOCK__ARGS_7, args[7]

/* The wasm signature for an arity n: n i32 parameters, one i32 result. */
#define WASISOCK__SIG_0 "() -> i32"
#define WASISOCK__SIG_1 "(i32) -> i32"
#define WASISOCK__SIG_2 "(i32, i32) -> i32"
#define WASISOCK__SIG_3 "(i32, i32, i32) -> i32"
#define WASISOCK__SIG_4 "(i32, i32, i32, i32) -> i32"
#define WASISOCK__SIG_5 "(i32, i32, i32, i32, i32) -> i32"
#define WASISOCK__SIG_6 "(i32, i32, i32, i32, i32, i32) -> i32"
#define WASISOCK__SIG_7 "(i32, i32, i32, i32, i32, i32, i32) -> i32"
#define WASISOCK__SIG_8 "(i32, i32, i32, i32, i32, i32, i32, i32) -> i32"

/* The rows' indexes: WASISOCK__ROW_sock_open, ... */
enum {
#define WASISOCK__ROW_INDEX(name, nparams, revision, params) WASISOCK__ROW_##name,
  WASISOCK_IMPORT_LIST(WASISOCK__ROW_INDEX)
#undef WASISOCK__ROW_INDEX
  WASISOCK__NROWS
};

/* Two functions per row: the call itself, and the row's entry point, which
 * hands the call to the tracer when the instance has one (trace.c). */
#define WASISOCK__TRAMPOLINE(name, nparams, revision, params)                  \
  static int32_t wasisock__call_##name(                                        \
      wasisock_t *host, const wasisock_mem_t *mem, const uint32_t *args) {     \
    (void)args;                                                                \
    return wasisock_##name(host, mem WASISOCK__ARGS_##nparams);                \
  }                                                                            \
  static int32_t wasisock__import_##name(                                      \
      wasisock_t *host, const wasisock_mem_t *mem, const uint32_t *args) {     \
    if ((nparams) > 0 && args == NULL)                                         \
      return WASISOCK_EINVAL;                                                  \
    if (host != NULL && host->on_call != NULL)                                 \
      return wasisock__trace_call(host, mem, args, WASISOCK__ROW_##name,       \
                                  wasisock__call_##name);                      \
    return wasisock__call_##name(host, mem, args);                             \
  }
WASISOCK_IMPORT_LIST(WASISOCK__TRAMPOLINE)
#undef WASISOCK__TRAMPOLINE

#define WASISOCK__KIND_NAME(kind, size, counted, access)                       \
  [WASISOCK_PARAM_##kind] = #kind,
static const char *const wasisock__kind_name[] = {
    WASISOCK_PARAM_KIND_LIST(WASISOCK__KIND_NAME)};
#undef WASISOCK__KIND_NAME

/* static const wasisock_param_t wasisock__params_sock_send[] = {
 *     {"handle", WASISOCK_PARAM_HANDLE, 0, 0, 0}, ...};
 * (one element more than nparams: an import without parameters still gets
 * a valid array) */
#define WASISOCK__KIND_FIELDS(kind, size, counted, access)                     \
  WASISOCK_PARAM_##kind, size, counted, access
#define WASISOCK__PARAM(kind, p)                                               \
  {#p, WASISOCK_PARAM_KIND(kind, WASISOCK__KIND_FIELDS)}
#define WASISOCK__PARAMS(name, nparams, revision, params)                      \
  static const wasisock_param_t wasisock__params_##name[(nparams) + 1] = {    \
      WASISOCK_PARAMS(WASISOCK__PARAM, WASISOCK_SEP_COMMA, nparams, params)};
WASISOCK_IMPORT_LIST(WASISOCK__PARAMS)
#undef WASISOCK__PARAMS
#undef WASISOCK__PARAM
#undef WASISOCK__KIND_FIELDS

static const wasisock_import_t wasisock__imports[] = {
#define WASISOCK__ROW(name, nparams, revision, params)                         \
  {#name,                                                                       \
   nparams,                                                                    \
   WASISOCK__SIG_##nparams,                                                    \
   revision,                                                                   \
   wasisock__import_##name,                                                    \
   wasisock__params_##name},
    WASISOCK_IMPORT_LIST(WASISOCK__ROW)
#undef WASISOCK__ROW
};

#define WASISOCK__NIMPORTS (sizeof(wasisock__imports) / sizeof(wasisock__imports[0]))

const wasisock_import_t *wasisock_import_table(size_t *count) {
  if (count != NULL)
    *count = WASISOCK__NIMPORTS;
  return wasisock__imports;
}

const wasisock_import_t *wasisock_import_find(const char *name) {
  size_t i;

  if (name == NULL)
    return NULL;
  for (i = 0; i < WASISOCK__NIMPORTS; i++)
    if (strcmp(wasisock__imports[i].name, name) == 0)
      return &wasisock__imports[i];
  return NULL;
}

const char *wasisock_param_kind_name(wasisock_param_kind_t kind) {
  if ((unsigned)kind >= WASISOCK_PARAM_KIND_COUNT)
    return "?";
  return wasisock__kind_name[kind];
}
