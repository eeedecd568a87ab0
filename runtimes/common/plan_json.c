/*
 * plan_json.c — a plan as JSON, for an engine that runs in another process
 * (Node.js: runtimes/node/lib/launch.js reads it).  One object:
 *
 *   {"command": "run"|"python", "action": "run"|"check", "prog": ...,
 *    "engine": ..., "module": PATH, "argv": [...],
 *    "env": [[NAME, VALUE], ...], "dirs": [[GUEST, HOST], ...],
 *    "rules": [{"rule": R, "flag": F} | {"file": PATH}, ...],
 *    "maxSockets": N|null, "logDenials": true|false|null,
 *    "stackKb": N|null, "cacheDir": PATH|null, "pythonDir": PATH|null,
 *    "etcDir": PATH|null, "etcDirTemporary": BOOL,
 *    "listen": [{"fd": N, "name": NAME}, ...], "traceFd": N|null}
 *
 * (The listen and trace descriptors are this process's, left open across
 * the exec: engine_node.c clears their close-on-exec flag.)
 *
 * (etcDir is among the dirs already, as "/etc"; when temporary, the engine
 * removes it after the run: this process is gone by then.)
 *
 * Strings are written byte for byte (UTF-8 as it comes), with JSON's
 * escapes for quotes, backslashes and control characters.
 */
#include <stdio.h>
#include <string.h>

#include "launch_internal.h"

static void json_string(launch_buf_t *b, const char *s) {
  const unsigned char *p;
  const char *run = s;

  launch_buf_add(b, "\"", 1);
  for (p = (const unsigned char *)s; *p; p++) {
    if (*p >= 0x20 && *p != '"' && *p != '\\')
      continue;
    launch_buf_add(b, run, (size_t)((const char *)p - run));
    if (*p == '"' || *p == '\\')
      launch_buf_printf(b, "\\%c", *p);
    else
      launch_buf_printf(b, "\\u%04x", *p);
    run = (const char *)p + 1;
  }
  launch_buf_add(b, run, strlen(run));
  launch_buf_add(b, "\"", 1);
}

static void json_string_or_null(launch_buf_t *b, const char *s) {
  if (s == NULL)
    launch_buf_add(b, "null", 4);
  else
    json_string(b, s);
}

static void json_pairs(launch_buf_t *b, const launch_pair_t *pairs, size_t n) {
  size_t i;
  launch_buf_add(b, "[", 1);
  for (i = 0; i < n; i++) {
    launch_buf_add(b, i ? ",[" : "[", i ? 2 : 1);
    json_string(b, pairs[i].name);
    launch_buf_add(b, ",", 1);
    json_string(b, pairs[i].value);
    launch_buf_add(b, "]", 1);
  }
  launch_buf_add(b, "]", 1);
}

char *wasisock_launch_json(const wasisock_launch_t *l) {
  launch_buf_t b = {0};
  size_t i;

  launch_buf_printf(&b, "{\"command\":\"%s\",\"action\":\"%s\",\"prog\":",
                    l->command == LAUNCH_PYTHON ? "python" : "run",
                    l->action == LAUNCH_ACTION_CHECK ? "check" : "run");
  json_string(&b, l->prog);
  launch_buf_add(&b, ",\"engine\":", 10);
  json_string(&b, l->engine);
  launch_buf_add(&b, ",\"module\":", 10);
  json_string_or_null(&b, l->module);
  launch_buf_add(&b, ",\"argv\":[", 9);
  for (i = 0; i < l->argc; i++) {
    if (i)
      launch_buf_add(&b, ",", 1);
    json_string(&b, l->argv[i]);
  }
  launch_buf_add(&b, "],\"env\":", 8);
  json_pairs(&b, l->env, l->nenv);
  launch_buf_add(&b, ",\"dirs\":", 8);
  json_pairs(&b, l->dirs, l->ndirs);
  launch_buf_add(&b, ",\"rules\":[", 10);
  for (i = 0; i < l->nrules; i++) {
    launch_buf_add(&b, i ? ",{" : "{", i ? 2 : 1);
    if (l->rules[i].file != NULL) {
      launch_buf_add(&b, "\"file\":", 7);
      json_string(&b, l->rules[i].file);
    } else {
      launch_buf_add(&b, "\"rule\":", 7);
      json_string(&b, l->rules[i].rule);
      launch_buf_add(&b, ",\"flag\":", 8);
      json_string_or_null(&b, l->rules[i].flag);
    }
    launch_buf_add(&b, "}", 1);
  }
  launch_buf_add(&b, "]", 1);
  if (l->max_sockets)
    launch_buf_printf(&b, ",\"maxSockets\":%u", l->max_sockets);
  else
    launch_buf_printf(&b, ",\"maxSockets\":null");
  launch_buf_printf(&b, ",\"logDenials\":%s",
                    l->log_denials < 0 ? "null"
                    : l->log_denials   ? "true"
                                       : "false");
  if (l->stack_kb)
    launch_buf_printf(&b, ",\"stackKb\":%u", l->stack_kb);
  else
    launch_buf_printf(&b, ",\"stackKb\":null");
  launch_buf_add(&b, ",\"cacheDir\":", 12);
  json_string_or_null(&b, l->cache_dir);
  launch_buf_add(&b, ",\"pythonDir\":", 13);
  json_string_or_null(&b, l->python_dir);
  launch_buf_add(&b, ",\"etcDir\":", 10);
  json_string_or_null(&b, l->guest_env.etc_dir);
  launch_buf_printf(&b, ",\"etcDirTemporary\":%s,\"listen\":[",
                    l->guest_env.temporary ? "true" : "false");
  for (i = 0; i < l->nlisteners; i++) {
    launch_buf_printf(&b, "%s{\"fd\":%d,\"name\":", i ? "," : "",
                      l->listeners[i].fd);
    json_string(&b, l->listeners[i].name);
    launch_buf_add(&b, "}", 1);
  }
  if (l->trace_fd >= 0)
    launch_buf_printf(&b, "],\"traceFd\":%d}", l->trace_fd);
  else
    launch_buf_printf(&b, "],\"traceFd\":null}");
  return launch_buf_take(&b);
}
