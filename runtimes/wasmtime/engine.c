/*
 * engine.c — the wasmtime engine of wasisock-run and wasisock-python: runs
 * the front end's plan in this process, with WASI preview 1 from wasmtime
 * itself and the wasisock imports from the adapter (wasisock_wasmtime.c).
 *
 * Behaviour is the Node engine's (runtimes/README.md): the guest gets the
 * plan's argv, environment and directories and our stdio; denials are
 * printed as "PROG: LINE"; the exit status is the guest's, 134 for a trap
 * (the message in V8's words, so both engines say "trap: unreachable"), 1
 * when the module cannot be read, compiled or linked.  Compiled code is
 * cached when the plan has a cache directory (code_cache.c; both commands
 * have one unless turned off).
 *
 * The guest runs on a thread of its own whose stack holds the wasm stack
 * limit (--stack-size; 1 MiB by default, python.wasm 8 MiB) and the host
 * frames around it: wasmtime runs wasm on the calling thread's stack and
 * traps with "call stack exhausted" when the limit is reached.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "engine_internal.h"
#include "wasisock_wasmtime.h"

/* The wasm stack limit without --stack-size: V8's default is ~1 MiB, so a
 * C guest recursing that deep runs in both engines. */
#define WT_DEFAULT_STACK_KB 1024u
/* Host frames between the thread's start and wasm, and wasmtime's own use
 * below the wasm stack limit. */
#define WT_HOST_STACK (2u << 20)
/* Frames of a trap's backtrace printed, as the Node engine. */
#define WT_MAX_FRAMES 8

typedef struct wt_run {
  wasisock_launch_t *l;
  wasm_engine_t *engine;
  wasmtime_module_t *module;
  wasmtime_linker_t *linker;
  wasmtime_store_t *store;
  wasisock_wasmtime_t ws;
  int ws_ready;
  wasmtime_func_t start;
  /* the guest thread's result */
  wasmtime_error_t *error;
  wasm_trap_t *trap;
} wt_run_t;

/* Prints "PROG: " fmt to stderr. */
static void say(const wasisock_launch_t *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(const wasisock_launch_t *l, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "%s: ", l->prog);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

static char *error_text(const wasmtime_error_t *err) {
  wasm_name_t msg;
  char *s;
  wasmtime_error_message(err, &msg);
  s = launch_printf("%.*s", (int)msg.size, msg.data);
  wasm_byte_vec_delete(&msg);
  return s;
}

/* ---- the module ---------------------------------------------------------------- */

/* Compiled code for the plan's module: from the cache when it has it, else
 * compiled (then checked, and cached).  0, or the exit status after a
 * message. */
static int load_module(wt_run_t *r) {
  wasisock_launch_t *l = r->l;
  const char *dir = l->action == LAUNCH_ACTION_RUN ? l->cache_dir : NULL;
  wasmtime_error_t *err;
  struct stat st;
  uint8_t *bytes = NULL;
  size_t len = 0;
  char sha[65] = "", *msg;
  int rc;

  if (dir != NULL && stat(l->module, &st) == 0 &&
      wt_cache_find(r->engine, dir, l->module, &st, &r->module))
    return 0;
  if ((rc = launch_read_file(l->module, &bytes, &len)) != 0) {
    say(l, "%s: cannot read: %s", l->module, strerror(rc));
    return LAUNCH_EXIT_LOAD;
  }
  if (dir != NULL && stat(l->module, &st) == 0 &&
      wt_cache_find_bytes(r->engine, dir, l->module, &st, bytes, len, sha,
                          &r->module)) {
    free(bytes);
    return 0;
  }
  err = l->action == LAUNCH_ACTION_CHECK
            ? wasmtime_module_validate(r->engine, bytes, len)
            : wasmtime_module_new(r->engine, bytes, len, &r->module);
  if (err != NULL) {
    msg = error_text(err);
    say(l, "%s: not a valid WebAssembly module: %s", l->module, msg);
    free(msg);
    wasmtime_error_delete(err);
    free(bytes);
    return LAUNCH_EXIT_LOAD;
  }
  /* Only a module that links is cached: a cached one needs no check. */
  if (wasisock_launch_check_module(l->module, bytes, len, &msg) != 0) {
    say(l, "%s", msg);
    free(msg);
    free(bytes);
    return LAUNCH_EXIT_LOAD;
  }
  if (dir != NULL && sha[0] != '\0' && r->module != NULL)
    wt_cache_store(dir, l->module, &st, sha, r->module);
  free(bytes);
  return 0;
}

/* ---- the instance ---------------------------------------------------------------- */

static void on_denial(void *data, const wasisock_policy_denial_t *d) {
  const wasisock_launch_t *l = data;
  char line[1024];
  wasisock_policy_denial_format(d, line, sizeof line);
  /* stderr is unbuffered: the line comes before the guest's own message. */
  fprintf(stderr, "%s: %s\n", l->prog, line);
}

/* WASI for the guest: the plan's argv, environment (and listen, the
 * hand-over's "NAME=VALUE" variables, last), directories and our stdio. */
static int wasi_setup(wt_run_t *r, wasmtime_context_t *cx, char *listen[3]) {
  wasisock_launch_t *l = r->l;
  const char **names, **values;
  wasi_config_t *wasi;
  wasmtime_error_t *err;
  size_t i, n = l->nenv;
  char *msg;

  wasi = wasi_config_new();
  names = launch_alloc((l->nenv + 4) * sizeof *names);
  values = launch_alloc((l->nenv + 4) * sizeof *values);
  for (i = 0; i < l->nenv; i++) {
    names[i] = l->env[i].name;
    values[i] = l->env[i].value;
  }
  for (i = 0; i < 3 && listen[i] != NULL; i++) {
    char *eq = strchr(listen[i], '=');
    *eq = '\0'; /* listen[i] is ours: NAME\0VALUE */
    names[n] = listen[i];
    values[n++] = eq + 1;
  }
  if (!wasi_config_set_argv(wasi, l->argc, (const char **)l->argv) ||
      !wasi_config_set_env(wasi, n, names, values)) {
    free(names);
    free(values);
    wasi_config_delete(wasi);
    say(l, "%s: arguments or environment not valid UTF-8", l->module);
    return LAUNCH_EXIT_LOAD;
  }
  free(names);
  free(values);
  wasi_config_inherit_stdin(wasi);
  wasi_config_inherit_stdout(wasi);
  wasi_config_inherit_stderr(wasi);
  for (i = 0; i < l->ndirs; i++) {
    /* Writable, as under node (a guest writes files in mapped dirs), but
     * for the guest's /etc (guest_env.c), which wasmtime can keep
     * read-only. */
    if (!wasi_config_preopen_dir(wasi, l->dirs[i].value, l->dirs[i].name,
                                 !l->dirs[i].readonly)) {
      say(l, "--dir %s::%s: cannot open it for the guest", l->dirs[i].value,
          l->dirs[i].name);
      wasi_config_delete(wasi);
      return LAUNCH_EXIT_USAGE;
    }
  }
  err = wasmtime_context_set_wasi(cx, wasi); /* takes wasi */
  if (err != NULL) {
    msg = error_text(err);
    say(l, "%s: cannot set up WASI: %s", l->module, msg);
    free(msg);
    wasmtime_error_delete(err);
    return LAUNCH_EXIT_LOAD;
  }
  return 0;
}

static int instantiate(wt_run_t *r) {
  wasisock_launch_t *l = r->l;
  wasisock_policy_t *policy = NULL;
  wasisock_config_t hc;
  wasmtime_context_t *cx;
  wasmtime_instance_t instance;
  wasmtime_extern_t item;
  wasmtime_error_t *err;
  wasm_trap_t *trap = NULL;
  char msg[512], *text, *listen[3] = {NULL, NULL, NULL};
  int32_t code;
  int rc, i;

  if ((rc = wasisock_launch_policy(l, &policy, msg, sizeof msg)) != 0) {
    say(l, "%s", msg);
    return rc;
  }
  wasisock_config_init(&hc);
  if (l->max_sockets)
    hc.max_sockets = l->max_sockets;
  hc.policy = policy;
  if (l->log_denials > 0 || (l->log_denials < 0 && policy != NULL)) {
    hc.on_denial = on_denial;
    hc.on_denial_data = l;
  }
  if (l->trace_fd >= 0) { /* --trace: libwasisock writes each call's line */
    hc.on_call = wasisock_call_write;
    hc.on_call_data = &l->trace_fd;
  }
  code = wasisock_wasmtime_init(&r->ws, &hc);
  wasisock_policy_free(policy); /* the host has its own copy */
  if (code != WASISOCK_OK) {
    say(l, "cannot create the wasisock host: %s", wasisock_errno_message(code));
    return LAUNCH_EXIT_LOAD;
  }
  r->ws_ready = 1;

  r->linker = wasmtime_linker_new(r->engine);
  if ((err = wasmtime_linker_define_wasi(r->linker)) != NULL ||
      (err = wasisock_wasmtime_define(r->linker)) != NULL) {
    text = error_text(err);
    say(l, "wasisock adapter error: %s", text);
    free(text);
    wasmtime_error_delete(err);
    return LAUNCH_EXIT_LOAD;
  }
  r->store = wasmtime_store_new(r->engine, &r->ws, NULL);
  cx = wasmtime_store_context(r->store);
  /* --listen: the instance's first handles, before the guest exists. */
  if ((rc = wasisock_launch_hand_over(l, r->ws.host, listen, msg,
                                      sizeof msg)) != 0) {
    say(l, "%s", msg);
    return rc;
  }
  rc = wasi_setup(r, cx, listen);
  for (i = 0; i < 3; i++)
    free(listen[i]);
  if (rc != 0)
    return rc;

  err = wasmtime_linker_instantiate(r->linker, cx, r->module, &instance, &trap);
  if (err != NULL || trap != NULL) {
    if (err != NULL) {
      text = error_text(err);
      wasmtime_error_delete(err);
    } else {
      wasm_message_t m;
      wasm_trap_message(trap, &m);
      text = launch_printf("%.*s", (int)m.size, m.data);
      wasm_byte_vec_delete(&m);
      wasm_trap_delete(trap);
    }
    say(l, "%s: cannot instantiate: %s", l->module, text);
    free(text);
    return LAUNCH_EXIT_LOAD;
  }
  if (!wasmtime_instance_export_get(cx, &instance, "memory", 6, &item) ||
      item.kind != WASMTIME_EXTERN_MEMORY) {
    say(l, "%s: does not export its memory as \"memory\" (not a WASI "
           "command?)", l->module);
    return LAUNCH_EXIT_LOAD;
  }
  if (!wasmtime_instance_export_get(cx, &instance, "_start", 6, &item) ||
      item.kind != WASMTIME_EXTERN_FUNC) {
    say(l, "%s: has no _start export (a reactor, not a WASI command?)",
        l->module);
    return LAUNCH_EXIT_LOAD;
  }
  r->start = item.of.func;
  return 0;
}

/* ---- running and the outcome ------------------------------------------------------ */

static void *guest_thread(void *arg) {
  wt_run_t *r = arg;
  r->error = wasisock_wasmtime_call(&r->ws, wasmtime_store_context(r->store),
                                    &r->start, &r->trap);
  return NULL;
}

/* V8's words for a trap, so that both engines say the same. */
static const char *trap_words(wasmtime_trap_code_t code) {
  switch (code) {
  case WASMTIME_TRAP_CODE_STACK_OVERFLOW:
    return "call stack exhausted (stack overflow; try --stack-size)";
  case WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS:
  case WASMTIME_TRAP_CODE_HEAP_MISALIGNED:
    return "memory access out of bounds";
  case WASMTIME_TRAP_CODE_TABLE_OUT_OF_BOUNDS:
    return "table index is out of bounds";
  case WASMTIME_TRAP_CODE_INDIRECT_CALL_TO_NULL:
  case WASMTIME_TRAP_CODE_BAD_SIGNATURE:
    return "null function or function signature mismatch";
  case WASMTIME_TRAP_CODE_INTEGER_OVERFLOW:
    return "integer overflow";
  case WASMTIME_TRAP_CODE_INTEGER_DIVISION_BY_ZERO:
    return "divide by zero";
  case WASMTIME_TRAP_CODE_BAD_CONVERSION_TO_INTEGER:
    return "float unrepresentable in integer range";
  case WASMTIME_TRAP_CODE_UNREACHABLE_CODE_REACHED:
    return "unreachable";
  default:
    return NULL;
  }
}

static int report_trap(const wasisock_launch_t *l, wasm_trap_t *trap) {
  wasmtime_trap_code_t code;
  wasm_frame_vec_t frames;
  wasm_message_t m;
  const char *words = NULL;
  size_t i;

  if (wasmtime_trap_code(trap, &code))
    words = trap_words(code);
  if (words != NULL) {
    say(l, "%s: trap: %s", l->module, words);
  } else {
    wasm_trap_message(trap, &m);
    say(l, "%s: trap: %.*s", l->module, (int)m.size, m.data);
    wasm_byte_vec_delete(&m);
  }
  wasm_trap_trace(trap, &frames);
  for (i = 0; i < frames.size && i < WT_MAX_FRAMES; i++) {
    const wasm_name_t *name = wasmtime_frame_func_name(frames.data[i]);
    fprintf(stderr, "    at %.*s (wasm-function[%u]:0x%zx)\n",
            name ? (int)name->size : 1, name ? name->data : "?",
            wasm_frame_func_index(frames.data[i]),
            wasm_frame_module_offset(frames.data[i]));
  }
  wasm_frame_vec_delete(&frames);
  return LAUNCH_EXIT_TRAP;
}

static int run_guest(wt_run_t *r) {
  const wasisock_launch_t *l = r->l;
  size_t stack = (size_t)(l->stack_kb ? l->stack_kb : WT_DEFAULT_STACK_KB) *
                 1024u;
  pthread_attr_t attr;
  pthread_t thread;
  int status, rc;
  char *text;

  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack + WT_HOST_STACK);
  rc = pthread_create(&thread, &attr, guest_thread, r);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    say(l, "cannot start the guest thread: %s", strerror(rc));
    return LAUNCH_EXIT_LOAD;
  }
  pthread_join(thread, NULL);
  fflush(stdout);

  if (r->trap != NULL)
    return report_trap(l, r->trap);
  if (r->error != NULL) {
    if (wasmtime_error_exit_status(r->error, &status))
      return status; /* proc_exit */
    text = error_text(r->error);
    say(l, "%s: %s", l->module, text);
    free(text);
    return LAUNCH_EXIT_LOAD;
  }
  return 0;
}

static void cleanup(wt_run_t *r) {
  if (r->trap != NULL)
    wasm_trap_delete(r->trap);
  if (r->error != NULL)
    wasmtime_error_delete(r->error);
  if (r->ws_ready)
    wasisock_wasmtime_close(&r->ws);
  if (r->store != NULL)
    wasmtime_store_delete(r->store);
  if (r->linker != NULL)
    wasmtime_linker_delete(r->linker);
  if (r->module != NULL)
    wasmtime_module_delete(r->module);
  if (r->engine != NULL)
    wasm_engine_delete(r->engine);
}

static int wt_run(wasisock_launch_t *l) {
  wt_run_t r;
  wasm_config_t *config;
  const char *profile;
  int rc;

  memset(&r, 0, sizeof r);
  r.l = l;
  size_t stack = (size_t)(l->stack_kb ? l->stack_kb : WT_DEFAULT_STACK_KB) *
                 1024u;

  config = wasm_config_new();
  /* With a cache, Cranelift's optimised code, compiled once.  Without one,
   * Winch, wasmtime's baseline compiler: 5x faster to compile (python.wasm:
   * ~5 s against ~25 s on a busy 2-core machine), slower code; the choice
   * V8 makes too (Liftoff first) for code it will not keep. */
  if (l->cache_dir == NULL || l->action == LAUNCH_ACTION_CHECK)
    wasmtime_config_strategy_set(config, WASMTIME_STRATEGY_WINCH);
  wasmtime_config_max_wasm_stack_set(config, stack);
  /* WASISOCK_WASMTIME_PROFILE=perfmap: /tmp/perf-PID.map names the compiled
   * wasm functions for `perf report` (docs/PERFORMANCE.md, profiling). */
  if ((profile = getenv("WASISOCK_WASMTIME_PROFILE")) != NULL &&
      strcmp(profile, "perfmap") == 0)
    wasmtime_config_profiler_set(config, WASMTIME_PROFILING_STRATEGY_PERFMAP);
  /* wasmtime refuses (by aborting) a wasm stack limit above the stack of
   * its async fibers, which it checks even when nothing runs async; ours
   * run on our own thread, so the fibers only need to be as large. */
  wasmtime_config_async_stack_size_set(config, stack + WT_HOST_STACK);
  r.engine = wasm_engine_new_with_config(config); /* takes config */
  if ((rc = load_module(&r)) == 0 && l->action == LAUNCH_ACTION_RUN &&
      (rc = instantiate(&r)) == 0)
    rc = run_guest(&r);
  cleanup(&r);
  return rc;
}

static char *wt_version(void) {
  return launch_printf("wasmtime %s", WASMTIME_VERSION);
}

const launch_engine_t launch_engine_wasmtime = {"wasmtime", wt_run, wt_version};
