/*
 * addon.c — wasisock_node.node, the Node-API adapter between node:wasi guests
 * and libwasisock.
 *
 * JavaScript sees (lib/wasisock.js wraps this):
 *   importTable()          [{name, nparams, signature, revision,
 *                            params: [{name, kind}, ...]}, ...] (kind:
 *                            "HANDLE", "BYTES_IN", ... of the list)
 *   version()              libwasisock's version string
 *   createHost([maxSockets[, policy[, onDenial[, traceFd]]]])
 *                          an external holding one wasisock_t; policy from
 *                          createPolicy() (copied: later changes to it do
 *                          not apply), onDenial(line, denial) called for
 *                          each denial (wasisock_policy_denial_format's line
 *                          and {op, name, address, port, ruleIndex, line,
 *                          rule}); traceFd: a file descriptor that gets
 *                          one line per import call (the tracer)
 *   createPolicy()         an external holding one wasisock_policy_t
 *   policyAddRule(p, text) one rule or directive line; policyLoadFile(p,
 *                          path) a policy file; both throw an Error with
 *                          code ERR_WASISOCK_POLICY and the parser's
 *                          message, p unchanged (rules are parsed by
 *                          libwasisock only, never in JS)
 *   policyDescribe(p)      {defaultAction, maxSockets, maxBuffer, rules}
 *   bind(host)             {sock_open: fn, ...}: every row of
 *                          wasisock_import_table(), one trampoline each
 *   setMemory(host, mem)   the guest's WebAssembly.Memory (after instantiation)
 *   listenOpen(spec)       {fd, protocol, family, address, port}: a socket
 *                          of --listen SPEC, opened with our rights
 *   adopt(host, fd)        the host takes the socket, returns its handle
 *   handOver(host, fds, names)
 *                          adopts fds in order, returns the guest's
 *                          {LISTEN_FDS, LISTEN_FDNAMES, LISTEN_FDS_START}
 *                          (runtimes/common/listen.c)
 *   guestEnv(options)      {etcDir, unset, set, handle}: the guest's user,
 *                          /etc and CA variables (runtimes/common);
 *                          guestEnvFree(handle) removes a temporary /etc
 *   free(host)             closes the host's sockets now (idempotent)
 *   checkModule(bytes, name)
 *                          null when the module (a Uint8Array) links against
 *                          WASI preview 1 and this host, else the "cannot
 *                          link" message naming every import nobody
 *                          provides (runtimes/common/module_check.c: the
 *                          same words in every engine)
 *
 * One generic trampoline serves every import: the function's data pointer is
 * its wn_call_t (owner + table row).  Per call it reads the i32 arguments,
 * makes sure the cached view of guest memory is current (memory.grow detaches
 * the old ArrayBuffer, so the cache is refreshed exactly when its buffer is
 * detached), calls the row and returns the WASI errno as a number.  Nothing is
 * allocated per call.  JS exceptions are thrown only for adapter misuse (no
 * memory set, host freed, wrong argument count); everything a guest can cause
 * is an errno.
 *
 * Lifetime: the host state is shared by the external and by every bound
 * function (a reference count, dropped by each one's finalizer), so a guest
 * instance holding the functions never sees freed memory.  The libwasisock
 * instance itself is freed by free() or, failing that, by the external's
 * finalizer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include <node_api.h>

#include "guest_env.h"
#include "launch.h"
#include "wasisock.h"
#include "wasisock_policy.h"

#define WN_MAX_PARAMS WASISOCK_MAX_PARAMS

typedef struct wn_host wn_host_t;

typedef struct wn_call {
  wn_host_t *owner;
  const wasisock_import_t *row;
} wn_call_t;

struct wn_host {
  wasisock_t *host;    /* NULL once freed */
  napi_env env;        /* where createHost ran: the thread of every call */
  napi_ref on_denial;  /* the JS denial callback, or NULL */
  napi_ref memory;     /* the guest's WebAssembly.Memory, NULL until set */
  napi_ref buffer;     /* the memory's ArrayBuffer the view below is of */
  wasisock_mem_t mem;  /* cached base/len of buffer */
  int trace_fd;        /* --trace: where each call's line goes */
  uint32_t refs;       /* the external + each bound function */
  size_t ncalls;
  wn_call_t *calls;
};

/* Tags the externals this addon creates, so other objects are refused. */
static const napi_type_tag wn_host_tag = {0x7761736973736f63ULL,
                                          0x6b2d6e6f64650001ULL};
static const napi_type_tag wn_policy_tag = {0x7761736973736f63ULL,
                                            0x6b2d6e6f64650002ULL};

#define WN_CHECK(env, call)                                                    \
  do {                                                                         \
    if ((call) != napi_ok) return wn__pending(env);                           \
  } while (0)

/* After a failed napi call: make sure some exception is pending, return
 * NULL (undefined to JS). */
static napi_value wn__pending(napi_env env) {
  bool pending = false;
  const napi_extended_error_info *info = NULL;
  napi_is_exception_pending(env, &pending);
  if (!pending) {
    napi_get_last_error_info(env, &info);
    napi_throw_error(env, "ERR_WASISOCK_NAPI",
                     info && info->error_message ? info->error_message
                                                 : "Node-API call failed");
  }
  return NULL;
}

static napi_value wn__throw(napi_env env, const char *code, const char *msg) {
  napi_throw_error(env, code, msg);
  return NULL;
}

static void wn__release(napi_env env, wn_host_t *h) {
  if (--h->refs != 0) return;
  if (h->host != NULL) wasisock_free(h->host);
  if (h->on_denial != NULL) napi_delete_reference(env, h->on_denial);
  if (h->memory != NULL) napi_delete_reference(env, h->memory);
  if (h->buffer != NULL) napi_delete_reference(env, h->buffer);
  free(h->calls);
  free(h);
}

static void wn__host_finalize(napi_env env, void *data, void *hint) {
  wn_host_t *h = data;
  (void)hint;
  if (h->host != NULL) {
    wasisock_free(h->host);
    h->host = NULL;
  }
  wn__release(env, h);
}

static void wn__call_finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  wn__release(env, ((wn_call_t *)data)->owner);
}

/* The wn_host_t behind argument `v`, or NULL with an exception pending. */
static wn_host_t *wn__host_arg(napi_env env, napi_value v) {
  napi_valuetype t;
  bool ours = false;
  void *data = NULL;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_external ||
      napi_check_object_type_tag(env, v, &wn_host_tag, &ours) != napi_ok ||
      !ours) {
    napi_throw_type_error(env, "ERR_WASISOCK_HOST",
                          "expected a host created by createHost()");
    return NULL;
  }
  if (napi_get_value_external(env, v, &data) != napi_ok) {
    wn__pending(env);
    return NULL;
  }
  return data;
}

/* Re-reads memory.buffer into h->buffer/h->mem.  0 or -1 (exception). */
static int wn__refresh_memory(napi_env env, wn_host_t *h) {
  napi_value memory, buffer;
  void *base = NULL;
  size_t len = 0;
  bool is_ab = false;
  if (napi_get_reference_value(env, h->memory, &memory) != napi_ok ||
      napi_get_named_property(env, memory, "buffer", &buffer) != napi_ok)
    goto fail;
  if (napi_is_arraybuffer(env, buffer, &is_ab) != napi_ok) goto fail;
  if (!is_ab) {
    /* A SharedArrayBuffer (shared memory): not supported by revision 1. */
    napi_throw_type_error(env, "ERR_WASISOCK_MEMORY",
                          "guest memory is not a non-shared WebAssembly.Memory");
    return -1;
  }
  if (napi_get_arraybuffer_info(env, buffer, &base, &len) != napi_ok)
    goto fail;
  if (h->buffer != NULL) napi_delete_reference(env, h->buffer);
  h->buffer = NULL;
  if (napi_create_reference(env, buffer, 1, &h->buffer) != napi_ok) goto fail;
  h->mem.base = base;
  h->mem.len = len;
  return 0;
fail:
  wn__pending(env);
  return -1;
}

/* The one trampoline behind every import. */
static napi_value wn__trampoline(napi_env env, napi_callback_info info) {
  napi_value argv[WN_MAX_PARAMS], buffer, result;
  uint32_t args[WN_MAX_PARAMS];
  size_t argc = WN_MAX_PARAMS, i;
  void *data = NULL;
  wn_call_t *call;
  wn_host_t *h;
  bool detached = false, pending = false;
  int32_t code;

  WN_CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, &data));
  call = data;
  h = call->owner;
  if (argc != call->row->nparams)
    return wn__throw(env, "ERR_WASISOCK_SIGNATURE",
                     "wasisock import called with the wrong number of "
                     "arguments (the module's import signature is wrong)");
  if (h->host == NULL)
    return wn__throw(env, "ERR_WASISOCK_FREED",
                     "wasisock import called after the host was freed");
  if (h->memory == NULL)
    return wn__throw(env, "ERR_WASISOCK_MEMORY",
                     "wasisock import called before setMemory()");
  for (i = 0; i < argc; i++)
    WN_CHECK(env, napi_get_value_uint32(env, argv[i], &args[i]));

  /* Growth detaches the ArrayBuffer we hold: refresh only then. */
  WN_CHECK(env, napi_get_reference_value(env, h->buffer, &buffer));
  WN_CHECK(env, napi_is_detached_arraybuffer(env, buffer, &detached));
  if (detached && wn__refresh_memory(env, h) != 0) return NULL;

  code = call->row->call(h->host, &h->mem, args);
  /* An exception thrown by the onDenial callback propagates to the guest's
   * caller (the embedder's bug, like any exception from an import). */
  WN_CHECK(env, napi_is_exception_pending(env, &pending));
  if (pending) return NULL;
  WN_CHECK(env, napi_create_int32(env, code, &result));
  return result;
}

/* ---- policies -------------------------------------------------------- */

static void wn__policy_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  wasisock_policy_free(data);
}

/* The policy behind argument `v`, or NULL with an exception pending. */
static wasisock_policy_t *wn__policy_arg(napi_env env, napi_value v) {
  napi_valuetype t;
  bool ours = false;
  void *data = NULL;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_external ||
      napi_check_object_type_tag(env, v, &wn_policy_tag, &ours) != napi_ok ||
      !ours) {
    napi_throw_type_error(env, "ERR_WASISOCK_POLICY",
                          "expected a policy created by createPolicy()");
    return NULL;
  }
  if (napi_get_value_external(env, v, &data) != napi_ok) {
    wn__pending(env);
    return NULL;
  }
  return data;
}

/* Throws Error(message) with code `what` and errno (the WASI errno's name,
 * e.g. "EINVAL"); an empty message says the errno's. */
static napi_value wn__throw_errno(napi_env env, const char *what, int32_t r,
                                  const char *msg) {
  napi_value err, code, text, name;
  WN_CHECK(env, napi_create_string_utf8(env, what, NAPI_AUTO_LENGTH, &code));
  WN_CHECK(env, napi_create_string_utf8(
                    env, msg[0] ? msg : wasisock_errno_message(r),
                    NAPI_AUTO_LENGTH, &text));
  WN_CHECK(env, napi_create_error(env, code, text, &err));
  WN_CHECK(env, napi_create_string_utf8(env, wasisock_errno_name(r),
                                        NAPI_AUTO_LENGTH, &name));
  WN_CHECK(env, napi_set_named_property(env, err, "errno", name));
  napi_throw(env, err);
  return NULL;
}

static napi_value wn__policy_throw(napi_env env, int32_t r, const char *msg) {
  return wn__throw_errno(env, "ERR_WASISOCK_POLICY", r, msg);
}

/* createPolicy() */
static napi_value wn_create_policy(napi_env env, napi_callback_info info) {
  wasisock_policy_t *p = NULL;
  napi_value ext;
  int32_t r;
  (void)info;

  if ((r = wasisock_policy_new(&p)) != WASISOCK_OK)
    return wn__policy_throw(env, r, "");
  if (napi_create_external(env, p, wn__policy_finalize, NULL, &ext) !=
      napi_ok) {
    wasisock_policy_free(p);
    return wn__pending(env);
  }
  WN_CHECK(env, napi_type_tag_object(env, ext, &wn_policy_tag));
  return ext;
}

/* A string argument as a NUL-terminated malloc'd copy, or NULL with an
 * exception pending. */
static char *wn__string_arg(napi_env env, napi_value v, const char *what) {
  napi_valuetype t;
  size_t len = 0;
  char *s;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_string) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", what);
    return NULL;
  }
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) {
    wn__pending(env);
    return NULL;
  }
  if ((s = malloc(len + 1)) == NULL) {
    wn__throw(env, "ERR_WASISOCK_NOMEM", "out of memory");
    return NULL;
  }
  if (napi_get_value_string_utf8(env, v, s, len + 1, &len) != napi_ok) {
    free(s);
    wn__pending(env);
    return NULL;
  }
  if (strlen(s) != len) { /* an embedded NUL would cut the line silently */
    free(s);
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE",
                          "text must not contain NUL characters");
    return NULL;
  }
  return s;
}

/* policyAddRule(policy, text) and policyLoadFile(policy, path) */
static napi_value wn__policy_apply(napi_env env, napi_callback_info info,
                                   int file) {
  napi_value argv[2];
  size_t argc = 2;
  wasisock_policy_t *p;
  char err[512], *s;
  int32_t r;

  WN_CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2)
    return wn__throw(env, "ERR_MISSING_ARGS",
                     file ? "policyLoadFile(policy, path)"
                          : "policyAddRule(policy, text)");
  if ((p = wn__policy_arg(env, argv[0])) == NULL) return NULL;
  s = wn__string_arg(env, argv[1], file ? "path must be a string"
                                        : "rule must be a string");
  if (s == NULL) return NULL;
  err[0] = '\0';
  r = file ? wasisock_policy_load_file(p, s, err, sizeof err)
           : wasisock_policy_add_rule(p, s, err, sizeof err);
  free(s);
  if (r != WASISOCK_OK) return wn__policy_throw(env, r, err);
  return NULL;
}

static napi_value wn_policy_add_rule(napi_env env, napi_callback_info info) {
  return wn__policy_apply(env, info, 0);
}

static napi_value wn_policy_load_file(napi_env env, napi_callback_info info) {
  return wn__policy_apply(env, info, 1);
}

/* policyDescribe(policy) -> {defaultAction, maxSockets, maxBuffer, rules};
 * the limits are null when unset. */
static napi_value wn_policy_describe(napi_env env, napi_callback_info info) {
  napi_value argv[1], obj, v, rules;
  size_t argc = 1, i, n;
  wasisock_policy_t *p;
  uint32_t ms;
  uint64_t mb;

  WN_CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) return wn__throw(env, "ERR_MISSING_ARGS", "policyDescribe(policy)");
  if ((p = wn__policy_arg(env, argv[0])) == NULL) return NULL;
  WN_CHECK(env, napi_create_object(env, &obj));
  WN_CHECK(env, napi_create_string_utf8(
                    env,
                    wasisock_policy_get_default(p) == WASISOCK_POLICY_ALLOW
                        ? "allow" : "deny",
                    NAPI_AUTO_LENGTH, &v));
  WN_CHECK(env, napi_set_named_property(env, obj, "defaultAction", v));
  ms = wasisock_policy_get_max_sockets(p);
  if (ms == WASISOCK_POLICY_NO_SOCKET_LIMIT) WN_CHECK(env, napi_get_null(env, &v));
  else WN_CHECK(env, napi_create_uint32(env, ms, &v));
  WN_CHECK(env, napi_set_named_property(env, obj, "maxSockets", v));
  mb = wasisock_policy_get_max_buffer_bytes(p);
  if (mb == WASISOCK_POLICY_NO_BUFFER_LIMIT) WN_CHECK(env, napi_get_null(env, &v));
  else WN_CHECK(env, napi_create_double(env, (double)mb, &v));
  WN_CHECK(env, napi_set_named_property(env, obj, "maxBuffer", v));
  n = wasisock_policy_rule_count(p);
  WN_CHECK(env, napi_create_array_with_length(env, n, &rules));
  for (i = 0; i < n; i++) {
    WN_CHECK(env, napi_create_string_utf8(env, wasisock_policy_rule_text(p, i),
                                          NAPI_AUTO_LENGTH, &v));
    WN_CHECK(env, napi_set_element(env, rules, (uint32_t)i, v));
  }
  WN_CHECK(env, napi_set_named_property(env, obj, "rules", rules));
  return obj;
}

/* The instance's denial callback: onDenial(line, {op, name, address, port,
 * ruleIndex, line, rule}) on the thread of the import call.  Skipped while
 * an exception is pending (an earlier denial's callback threw). */
static void wn__on_denial(void *data, const wasisock_policy_denial_t *d) {
  static const char *const ops[] = {"?", "connect", "bind", "?", "resolve"};
  wn_host_t *h = data;
  napi_env env = h->env;
  napi_value fn, recv, argv[2], v;
  char line[1024], ip[INET6_ADDRSTRLEN];
  bool pending = false;

  if (h->on_denial == NULL ||
      napi_is_exception_pending(env, &pending) != napi_ok || pending)
    return;
  wasisock_policy_denial_format(d, line, sizeof line);
  if (napi_get_reference_value(env, h->on_denial, &fn) != napi_ok ||
      napi_get_undefined(env, &recv) != napi_ok ||
      napi_create_string_utf8(env, line, NAPI_AUTO_LENGTH, &argv[0]) !=
          napi_ok ||
      napi_create_object(env, &argv[1]) != napi_ok)
    goto fail;
  if (napi_create_string_utf8(env, (unsigned)d->op < 5 ? ops[d->op] : "?",
                              NAPI_AUTO_LENGTH, &v) != napi_ok ||
      napi_set_named_property(env, argv[1], "op", v) != napi_ok)
    goto fail;
  if ((d->name != NULL
           ? napi_create_string_utf8(env, d->name, NAPI_AUTO_LENGTH, &v)
           : napi_get_null(env, &v)) != napi_ok ||
      napi_set_named_property(env, argv[1], "name", v) != napi_ok)
    goto fail;
  ip[0] = '\0';
  if (d->addr != NULL)
    inet_ntop(d->addr->family == WASISOCK_AF_INET ? AF_INET : AF_INET6,
              d->addr->bytes, ip, sizeof ip);
  if ((ip[0] ? napi_create_string_utf8(env, ip, NAPI_AUTO_LENGTH, &v)
             : napi_get_null(env, &v)) != napi_ok ||
      napi_set_named_property(env, argv[1], "address", v) != napi_ok)
    goto fail;
  if (napi_create_uint32(env, d->port, &v) != napi_ok ||
      napi_set_named_property(env, argv[1], "port", v) != napi_ok ||
      napi_create_int32(env, d->rule_index, &v) != napi_ok ||
      napi_set_named_property(env, argv[1], "ruleIndex", v) != napi_ok ||
      napi_create_uint32(env, d->line, &v) != napi_ok ||
      napi_set_named_property(env, argv[1], "line", v) != napi_ok ||
      napi_create_string_utf8(env, d->rule_text ? d->rule_text : "",
                              NAPI_AUTO_LENGTH, &v) != napi_ok ||
      napi_set_named_property(env, argv[1], "rule", v) != napi_ok)
    goto fail;
  napi_call_function(env, recv, fn, 2, argv, NULL);
  return;
fail:
  wn__pending(env);
}

/* ---- hosts ------------------------------------------------------------- */

/* createHost([maxSockets[, policy[, onDenial[, traceFd]]]]) */
static napi_value wn_create_host(napi_env env, napi_callback_info info) {
  napi_value argv[4], ext;
  size_t argc = 4, n = 0;
  napi_valuetype t = napi_undefined;
  wasisock_config_t cfg;
  int32_t trace_fd = -1;
  wn_host_t *h;
  int32_t r;

  WN_CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  wasisock_config_init(&cfg);
  if (argc >= 1) WN_CHECK(env, napi_typeof(env, argv[0], &t));
  if (t != napi_undefined && t != napi_null) {
    if (t != napi_number)
      return wn__throw(env, "ERR_INVALID_ARG_TYPE",
                       "maxSockets must be a number");
    WN_CHECK(env, napi_get_value_uint32(env, argv[0], &cfg.max_sockets));
  }
  t = napi_undefined;
  if (argc >= 2) WN_CHECK(env, napi_typeof(env, argv[1], &t));
  if (t != napi_undefined && t != napi_null &&
      (cfg.policy = wn__policy_arg(env, argv[1])) == NULL)
    return NULL;
  t = napi_undefined;
  if (argc >= 3) WN_CHECK(env, napi_typeof(env, argv[2], &t));
  if (t != napi_undefined && t != napi_null && t != napi_function)
    return wn__throw(env, "ERR_INVALID_ARG_TYPE",
                     "onDenial must be a function");
  if (argc >= 4) {
    napi_valuetype ft;
    WN_CHECK(env, napi_typeof(env, argv[3], &ft));
    if (ft == napi_number)
      WN_CHECK(env, napi_get_value_int32(env, argv[3], &trace_fd));
    else if (ft != napi_undefined && ft != napi_null)
      return wn__throw(env, "ERR_INVALID_ARG_TYPE",
                       "traceFd must be a file descriptor");
  }

  h = calloc(1, sizeof *h);
  if (h == NULL) return wn__throw(env, "ERR_WASISOCK_NOMEM", "out of memory");
  h->refs = 1;
  h->env = env;
  h->trace_fd = trace_fd;
  if (trace_fd >= 0) { /* libwasisock's writer: one line per call */
    cfg.on_call = wasisock_call_write;
    cfg.on_call_data = &h->trace_fd;
  }
  if (t == napi_function) {
    if (napi_create_reference(env, argv[2], 1, &h->on_denial) != napi_ok) {
      free(h);
      return wn__pending(env);
    }
    cfg.on_denial = wn__on_denial;
    cfg.on_denial_data = h;
  }
  r = wasisock_new(&cfg, &h->host);
  if (r != WASISOCK_OK) {
    if (h->on_denial != NULL) napi_delete_reference(env, h->on_denial);
    free(h);
    napi_throw_error(env, wasisock_errno_name(r), wasisock_errno_message(r));
    return NULL;
  }
  (void)wasisock_import_table(&n);
  h->calls = calloc(n ? n : 1, sizeof *h->calls);
  if (h->calls == NULL) {
    wasisock_free(h->host);
    if (h->on_denial != NULL) napi_delete_reference(env, h->on_denial);
    free(h);
    return wn__throw(env, "ERR_WASISOCK_NOMEM", "out of memory");
  }
  if (napi_create_external(env, h, wn__host_finalize, NULL, &ext) != napi_ok) {
    wasisock_free(h->host);
    if (h->on_denial != NULL) napi_delete_reference(env, h->on_denial);
    free(h->calls);
    free(h);
    return wn__pending(env);
  }
  WN_CHECK(env, napi_type_tag_object(env, ext, &wn_host_tag));
  return ext;
}

/* bind(host) -> {name: function} for every row of the import table. */
static napi_value wn_bind(napi_env env, napi_callback_info info) {
  napi_value argv[1], obj, fn;
  size_t argc = 1, n = 0, i;
  const wasisock_import_t *table;
  wn_host_t *h;

  WN_CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || (h = wn__host_arg(env, argv[0])) == NULL) {
    if (argc < 1)
      napi_throw_type_error(env, "ERR_WASISOCK_HOST", "bind(host): no host");
    return NULL;
  }
  if (h->ncalls != 0)
    return wn__throw(env, "ERR_WASISOCK_BOUND",
                     "bind(host): this host is already bound to a guest");
  table = wasisock_import_table(&n);
  WN_CHECK(env, napi_create_object(env, &obj));
  for (i = 0; i < n; i++) {
    wn_call_t *c = &h->calls[i];
    c->owner = h;
    c->row = &table[i];
    if (table[i].nparams > WN_MAX_PARAMS)
      return wn__throw(env, "ERR_WASISOCK_TABLE",
                       "libwasisock import has more parameters than the "
                       "adapter supports");
    WN_CHECK(env, napi_create_function(env, table[i].name, NAPI_AUTO_LENGTH,
                                       wn__trampoline, c, &fn));
    WN_CHECK(env, napi_add_finalizer(env, fn, c, wn__call_finalize, NULL,
                                     NULL));
    h->refs++;
    h->ncalls = i + 1;
    WN_CHECK(env, napi_set_named_property(env, obj, table[i].name, fn));
  }
  return obj;
}

/* setMemory(host, memory) */
static napi_value wn_set_memory(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  size_t argc = 2;
  napi_valuetype t;
  wn_host_t *h;

  WN_CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2)
    return wn__throw(env, "ERR_MISSING_ARGS", "setMemory(host, memory)");
  if ((h = wn__host_arg(env, argv[0])) == NULL) return NULL;
  WN_CHECK(env, napi_typeof(env, argv[1], &t));
  if (t != napi_object)
    return wn__throw(env, "ERR_INVALID_ARG_TYPE",
                     "setMemory: memory must be a WebAssembly.Memory");
  if (h->memory != NULL) napi_delete_reference(env, h->memory);
  h->memory = NULL;
  WN_CHECK(env, napi_create_reference(env, argv[1], 1, &h->memory));
  if (wn__refresh_memory(env, h) != 0) {
    napi_delete_reference(env, h->memory);
    h->memory = NULL;
    return NULL;
  }
  return NULL;
}

/* free(host): closes every socket now; later calls throw ERR_WASISOCK_FREED. */
static napi_value wn_free(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  size_t argc = 1;
  wn_host_t *h;

  WN_CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) return wn__throw(env, "ERR_MISSING_ARGS", "free(host)");
  if ((h = wn__host_arg(env, argv[0])) == NULL) return NULL;
  if (h->host != NULL) {
    wasisock_free(h->host);
    h->host = NULL;
  }
  return NULL;
}

/* listenOpen(spec) -> {fd, protocol: 'tcp'|'udp', family: 4|6, address,
 * port}: the socket of --listen SPEC (wasisock_listen_open), opened with
 * this process's rights; the caller owns fd until adopt() takes it.
 * Throws an Error with code ERR_WASISOCK_LISTEN, errno and the message. */
static napi_value wn_listen_open(napi_env env, napi_callback_info info) {
  napi_value argv[1], obj, v;
  size_t argc = 1;
  wasisock_listener_t l;
  char msg[512], ip[INET6_ADDRSTRLEN], *spec;
  int32_t r;

  WN_CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) return wn__throw(env, "ERR_MISSING_ARGS", "listenOpen(spec)");
  if ((spec = wn__string_arg(env, argv[0], "spec must be a string")) == NULL)
    return NULL;
  r = wasisock_listen_open(spec, &l, msg, sizeof msg);
  free(spec);
  if (r != WASISOCK_OK) return wn__throw_errno(env, "ERR_WASISOCK_LISTEN", r, msg);
  inet_ntop(l.local.family == WASISOCK_AF_INET ? AF_INET : AF_INET6,
            l.local.bytes, ip, sizeof ip);
  WN_CHECK(env, napi_create_object(env, &obj));
  WN_CHECK(env, napi_create_int32(env, l.fd, &v));
  WN_CHECK(env, napi_set_named_property(env, obj, "fd", v));
  WN_CHECK(env, napi_create_string_utf8(
                    env, l.socktype == WASISOCK_SOCK_STREAM ? "tcp" : "udp",
                    NAPI_AUTO_LENGTH, &v));
  WN_CHECK(env, napi_set_named_property(env, obj, "protocol", v));
  WN_CHECK(env, napi_create_uint32(
                    env, l.local.family == WASISOCK_AF_INET ? 4 : 6, &v));
  WN_CHECK(env, napi_set_named_property(env, obj, "family", v));
  WN_CHECK(env, napi_create_string_utf8(env, ip, NAPI_AUTO_LENGTH, &v));
  WN_CHECK(env, napi_set_named_property(env, obj, "address", v));
  WN_CHECK(env, napi_create_uint32(env, l.local.port, &v));
  WN_CHECK(env, napi_set_named_property(env, obj, "port", v));
  return obj;
}

/* adopt(host, fd) -> handle: the host takes the socket fd
 * (wasisock_adopt); on an error (thrown, code the errno's name) the fd is
 * still the caller's. */
static napi_value wn_adopt(napi_env env, napi_callback_info info) {
  napi_value argv[2], v;
  size_t argc = 2;
  uint32_t handle;
  int32_t fd, r;
  wn_host_t *h;

  WN_CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2) return wn__throw(env, "ERR_MISSING_ARGS", "adopt(host, fd)");
  if ((h = wn__host_arg(env, argv[0])) == NULL) return NULL;
  if (h->host == NULL)
    return wn__throw(env, "ERR_WASISOCK_FREED", "adopt: the host was freed");
  WN_CHECK(env, napi_get_value_int32(env, argv[1], &fd));
  if ((r = wasisock_adopt(h->host, fd, &handle)) != WASISOCK_OK)
    return wn__throw(env, wasisock_errno_name(r), wasisock_errno_message(r));
  WN_CHECK(env, napi_create_uint32(env, handle, &v));
  return v;
}

/* handOver(host, fds, names) -> {LISTEN_FDS, LISTEN_FDNAMES,
 * LISTEN_FDS_START}: the front end's hand-over (runtimes/common/listen.c),
 * so the convention is written once for every engine. */
static napi_value wn_hand_over(napi_env env, napi_callback_info info) {
  napi_value argv[3], v, obj;
  size_t argc = 3, i;
  uint32_t n = 0, m = 0;
  int *fds = NULL;
  char **names = NULL, *vars[3] = {NULL, NULL, NULL}, err[256];
  wn_host_t *h;
  int rc = -1;
  bool is_array = false;

  WN_CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3)
    return wn__throw(env, "ERR_MISSING_ARGS", "handOver(host, fds, names)");
  if ((h = wn__host_arg(env, argv[0])) == NULL) return NULL;
  if (h->host == NULL)
    return wn__throw(env, "ERR_WASISOCK_FREED", "handOver: the host was freed");
  WN_CHECK(env, napi_is_array(env, argv[1], &is_array));
  if (is_array) WN_CHECK(env, napi_is_array(env, argv[2], &is_array));
  if (!is_array)
    return wn__throw(env, "ERR_INVALID_ARG_TYPE",
                     "handOver: fds and names must be arrays");
  WN_CHECK(env, napi_get_array_length(env, argv[1], &n));
  WN_CHECK(env, napi_get_array_length(env, argv[2], &m));
  if (n != m)
    return wn__throw(env, "ERR_INVALID_ARG_VALUE",
                     "handOver: one name per fd");
  fds = calloc(n ? n : 1, sizeof *fds);
  names = calloc(n ? n : 1, sizeof *names);
  if (fds == NULL || names == NULL) {
    wn__throw(env, "ERR_WASISOCK_NOMEM", "out of memory");
    goto out;
  }
  for (i = 0; i < n; i++) {
    if (napi_get_element(env, argv[1], (uint32_t)i, &v) != napi_ok ||
        napi_get_value_int32(env, v, &fds[i]) != napi_ok ||
        napi_get_element(env, argv[2], (uint32_t)i, &v) != napi_ok ||
        (names[i] = wn__string_arg(env, v, "names must be strings")) == NULL) {
      wn__pending(env);
      goto out;
    }
  }
  if (wasisock_launch_hand_over_fds(h->host, fds, (const char *const *)names,
                                    n, vars, err, sizeof err) != 0) {
    wn__throw(env, "ERR_WASISOCK_LISTEN", err);
    goto out;
  }
  if (napi_create_object(env, &obj) != napi_ok) {
    wn__pending(env);
    goto out;
  }
  for (i = 0; i < 3 && vars[i] != NULL; i++) {
    char *eq = strchr(vars[i], '=');
    *eq = '\0';
    if (napi_create_string_utf8(env, eq + 1, NAPI_AUTO_LENGTH, &v) != napi_ok ||
        napi_set_named_property(env, obj, vars[i], v) != napi_ok) {
      wn__pending(env);
      goto out;
    }
  }
  rc = 0;
out:
  for (i = 0; names != NULL && i < n; i++)
    free(names[i]);
  free(names);
  free(fds);
  for (i = 0; i < 3; i++)
    free(vars[i]);
  return rc == 0 ? obj : NULL;
}

/* ---- the guest's environment (runtimes/common/guest_env.h) ------------ */

static void wn__guest_env_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  wasisock_guest_env_free(data);
  free(data);
}

/* A JS array of strings from a NULL-terminated list (NULL: empty). */
static napi_value wn__string_list(napi_env env, char **list) {
  napi_value arr, v;
  uint32_t i;
  WN_CHECK(env, napi_create_array(env, &arr));
  for (i = 0; list != NULL && list[i] != NULL; i++) {
    WN_CHECK(env, napi_create_string_utf8(env, list[i], NAPI_AUTO_LENGTH, &v));
    WN_CHECK(env, napi_set_element(env, arr, i, v));
  }
  return arr;
}

/* An optional string property: *out NULL when undefined/null, else a
 * malloc'd copy.  0, or -1 with an exception pending. */
static int wn__opt_string(napi_env env, napi_value obj, const char *name,
                          char **out) {
  napi_value v;
  napi_valuetype t;
  *out = NULL;
  if (napi_get_named_property(env, obj, name, &v) != napi_ok ||
      napi_typeof(env, v, &t) != napi_ok) {
    wn__pending(env);
    return -1;
  }
  if (t == napi_undefined || t == napi_null) return 0;
  return (*out = wn__string_arg(env, v, name)) == NULL ? -1 : 0;
}

/* guestEnv({env: ['K=V', ...], etc: {'resolv.conf': path|''|null, ...},
 *           caBundle: path|''|null, cacheDir: path|null})
 *   -> {etcDir: string|null, unset: [...], set: ['K=V', ...], handle}
 * (wasisock_guest_env_prepare); guestEnvFree(handle) removes a temporary
 * /etc (the finalizer does too).  Throws an Error with code
 * ERR_WASISOCK_GUEST_ENV and the message. */
static napi_value wn_guest_env(napi_env env, napi_callback_info info) {
  napi_value argv[1], obj, v, etc, handle, result;
  size_t argc = 1;
  uint32_t n = 0, i;
  wasisock_guest_env_config_t cfg;
  wasisock_guest_env_t *ge = NULL;
  char *strings[WASISOCK_ETC_COUNT + 2] = {NULL}, **envv = NULL, err[512];
  bool is_array = false, has = false;
  int r, k;

  WN_CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) return wn__throw(env, "ERR_MISSING_ARGS", "guestEnv(options)");
  memset(&cfg, 0, sizeof cfg);
  result = NULL;
  if (wn__opt_string(env, argv[0], "caBundle", &strings[0]) != 0 ||
      wn__opt_string(env, argv[0], "cacheDir", &strings[1]) != 0)
    goto out;
  cfg.ca_bundle = strings[0];
  cfg.cache_dir = strings[1];
  if (napi_get_named_property(env, argv[0], "etc", &etc) != napi_ok)
    goto pending;
  for (k = 0; k < WASISOCK_ETC_COUNT; k++) {
    napi_valuetype t;
    if (napi_typeof(env, etc, &t) != napi_ok) goto pending;
    if (t != napi_object) break;
    if (napi_has_named_property(env, etc, wasisock_etc_name(k), &has) !=
        napi_ok)
      goto pending;
    if (has && wn__opt_string(env, etc, wasisock_etc_name(k),
                              &strings[2 + k]) != 0)
      goto out;
    cfg.etc[k] = strings[2 + k];
  }
  if (napi_get_named_property(env, argv[0], "env", &v) != napi_ok ||
      napi_is_array(env, v, &is_array) != napi_ok)
    goto pending;
  if (is_array && napi_get_array_length(env, v, &n) != napi_ok) goto pending;
  if ((envv = calloc((size_t)n + 1, sizeof *envv)) == NULL) {
    wn__throw(env, "ERR_WASISOCK_NOMEM", "out of memory");
    goto out;
  }
  for (i = 0; i < n; i++) {
    napi_value e;
    if (napi_get_element(env, v, i, &e) != napi_ok) goto pending;
    if ((envv[i] = wn__string_arg(env, e, "env entries must be strings")) ==
        NULL)
      goto out;
  }
  cfg.env = (const char *const *)envv;
  if ((ge = calloc(1, sizeof *ge)) == NULL) {
    wn__throw(env, "ERR_WASISOCK_NOMEM", "out of memory");
    goto out;
  }
  if ((r = wasisock_guest_env_prepare(&cfg, ge, err, sizeof err)) != 0) {
    napi_value code, text, e;
    free(ge);
    ge = NULL;
    if (!err[0]) snprintf(err, sizeof err, "guest environment: %s", strerror(r));
    if (napi_create_string_utf8(env, "ERR_WASISOCK_GUEST_ENV",
                                NAPI_AUTO_LENGTH, &code) != napi_ok ||
        napi_create_string_utf8(env, err, NAPI_AUTO_LENGTH, &text) != napi_ok ||
        napi_create_error(env, code, text, &e) != napi_ok)
      goto pending;
    napi_throw(env, e);
    goto out;
  }
  if (napi_create_external(env, ge, wn__guest_env_finalize, NULL, &handle) !=
      napi_ok) {
    wasisock_guest_env_free(ge);
    free(ge);
    goto pending;
  }
  if (napi_create_object(env, &obj) != napi_ok ||
      (ge->etc_dir != NULL
           ? napi_create_string_utf8(env, ge->etc_dir, NAPI_AUTO_LENGTH, &v)
           : napi_get_null(env, &v)) != napi_ok ||
      napi_set_named_property(env, obj, "etcDir", v) != napi_ok ||
      (v = wn__string_list(env, ge->unset)) == NULL ||
      napi_set_named_property(env, obj, "unset", v) != napi_ok ||
      (v = wn__string_list(env, ge->set)) == NULL ||
      napi_set_named_property(env, obj, "set", v) != napi_ok ||
      napi_set_named_property(env, obj, "handle", handle) != napi_ok)
    goto pending;
  result = obj;
  goto out;
pending:
  wn__pending(env);
out:
  for (k = 0; k < WASISOCK_ETC_COUNT + 2; k++) free(strings[k]);
  for (i = 0; envv != NULL && i < n; i++) free(envv[i]);
  free(envv);
  return result;
}

/* guestEnvFree(handle): removes a temporary /etc now (idempotent). */
static napi_value wn_guest_env_free(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  size_t argc = 1;
  void *data = NULL;
  WN_CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_external(env, argv[0], &data) != napi_ok)
    return wn__throw(env, "ERR_INVALID_ARG_TYPE",
                     "guestEnvFree(handle from guestEnv())");
  wasisock_guest_env_free(data); /* leaves it empty: the finalizer is safe */
  return NULL;
}

/* importTable() */
static napi_value wn_import_table(napi_env env, napi_callback_info info) {
  napi_value arr, row, v, params, param;
  size_t n = 0, i;
  uint32_t j;
  const wasisock_import_t *table = wasisock_import_table(&n);
  (void)info;

  WN_CHECK(env, napi_create_array_with_length(env, n, &arr));
  for (i = 0; i < n; i++) {
    WN_CHECK(env, napi_create_object(env, &row));
    WN_CHECK(env, napi_create_string_utf8(env, table[i].name, NAPI_AUTO_LENGTH,
                                          &v));
    WN_CHECK(env, napi_set_named_property(env, row, "name", v));
    WN_CHECK(env, napi_create_uint32(env, table[i].nparams, &v));
    WN_CHECK(env, napi_set_named_property(env, row, "nparams", v));
    WN_CHECK(env, napi_create_string_utf8(
                      env, table[i].signature ? table[i].signature : "",
                      NAPI_AUTO_LENGTH, &v));
    WN_CHECK(env, napi_set_named_property(env, row, "signature", v));
    WN_CHECK(env, napi_create_uint32(env, table[i].revision, &v));
    WN_CHECK(env, napi_set_named_property(env, row, "revision", v));
    WN_CHECK(env, napi_create_array_with_length(env, table[i].nparams, &params));
    for (j = 0; j < table[i].nparams; j++) {
      const wasisock_param_t *p = &table[i].params[j];
      WN_CHECK(env, napi_create_object(env, &param));
      WN_CHECK(env, napi_create_string_utf8(env, p->name, NAPI_AUTO_LENGTH, &v));
      WN_CHECK(env, napi_set_named_property(env, param, "name", v));
      WN_CHECK(env, napi_create_string_utf8(env, wasisock_param_kind_name(p->kind),
                                            NAPI_AUTO_LENGTH, &v));
      WN_CHECK(env, napi_set_named_property(env, param, "kind", v));
      WN_CHECK(env, napi_set_element(env, params, j, param));
    }
    WN_CHECK(env, napi_set_named_property(env, row, "params", params));
    WN_CHECK(env, napi_set_element(env, arr, (uint32_t)i, row));
  }
  return arr;
}

/* checkModule(bytes, name) */
static napi_value wn_check_module(napi_env env, napi_callback_info info) {
  napi_value argv[2], result;
  size_t argc = 2, len = 0;
  napi_typedarray_type type;
  void *data = NULL;
  bool is_typed = false;
  char *name, *message = NULL;

  WN_CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2)
    return wn__throw(env, "ERR_MISSING_ARGS", "checkModule(bytes, name)");
  WN_CHECK(env, napi_is_typedarray(env, argv[0], &is_typed));
  if (!is_typed)
    return wn__throw(env, "ERR_INVALID_ARG_TYPE",
                     "checkModule: bytes must be a Uint8Array");
  WN_CHECK(env, napi_get_typedarray_info(env, argv[0], &type, &len, &data,
                                         NULL, NULL));
  if (type != napi_uint8_array)
    return wn__throw(env, "ERR_INVALID_ARG_TYPE",
                     "checkModule: bytes must be a Uint8Array");
  if ((name = wn__string_arg(env, argv[1], "name must be a string")) == NULL)
    return NULL;
  wasisock_launch_check_module(name, data, len, &message);
  free(name);
  if (message == NULL) {
    WN_CHECK(env, napi_get_null(env, &result));
    return result;
  }
  if (napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &result) !=
      napi_ok) {
    free(message);
    return wn__pending(env);
  }
  free(message);
  return result;
}

/* version() */
static napi_value wn_version(napi_env env, napi_callback_info info) {
  napi_value v;
  (void)info;
  WN_CHECK(env, napi_create_string_utf8(env, wasisock_version_string(),
                                        NAPI_AUTO_LENGTH, &v));
  return v;
}

static napi_value wn_init(napi_env env, napi_value exports) {
  static const napi_property_descriptor props[] = {
      {"importTable", NULL, wn_import_table, NULL, NULL, NULL, napi_enumerable,
       NULL},
      {"version", NULL, wn_version, NULL, NULL, NULL, napi_enumerable, NULL},
      {"createHost", NULL, wn_create_host, NULL, NULL, NULL, napi_enumerable,
       NULL},
      {"bind", NULL, wn_bind, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setMemory", NULL, wn_set_memory, NULL, NULL, NULL, napi_enumerable,
       NULL},
      {"free", NULL, wn_free, NULL, NULL, NULL, napi_enumerable, NULL},
      {"listenOpen", NULL, wn_listen_open, NULL, NULL, NULL, napi_enumerable,
       NULL},
      {"adopt", NULL, wn_adopt, NULL, NULL, NULL, napi_enumerable, NULL},
      {"guestEnv", NULL, wn_guest_env, NULL, NULL, NULL, napi_enumerable,
       NULL},
      {"guestEnvFree", NULL, wn_guest_env_free, NULL, NULL, NULL,
       napi_enumerable, NULL},
      {"createPolicy", NULL, wn_create_policy, NULL, NULL, NULL,
       napi_enumerable, NULL},
      {"policyAddRule", NULL, wn_policy_add_rule, NULL, NULL, NULL,
       napi_enumerable, NULL},
      {"policyLoadFile", NULL, wn_policy_load_file, NULL, NULL, NULL,
       napi_enumerable, NULL},
      {"policyDescribe", NULL, wn_policy_describe, NULL, NULL, NULL,
       napi_enumerable, NULL},
      {"checkModule", NULL, wn_check_module, NULL, NULL, NULL,
       napi_enumerable, NULL},
      {"handOver", NULL, wn_hand_over, NULL, NULL, NULL, napi_enumerable,
       NULL},
  };
  napi_value abi;
  WN_CHECK(env, napi_define_properties(env, exports,
                                       sizeof props / sizeof props[0], props));
  WN_CHECK(env, napi_create_uint32(env, WASISOCK_ABI_REVISION, &abi));
  WN_CHECK(env, napi_set_named_property(env, exports, "abiRevision", abi));
  WN_CHECK(env, napi_create_uint32(env, WASISOCK_FD_BASE, &abi));
  WN_CHECK(env, napi_set_named_property(env, exports, "fdBase", abi));
  WN_CHECK(env, napi_create_uint32(env, WASISOCK_MAX_SOCKETS_LIMIT, &abi));
  WN_CHECK(env, napi_set_named_property(env, exports, "maxSocketsLimit", abi));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, wn_init)
