/*
 * launch.h — the runners' one front end: what `wasisock-run` and
 * `wasisock-python` do before a guest runs, whatever the engine.
 *
 * Both commands parse their command line here (one flag table, launch_args.c,
 * which also writes --help), and get a plan: the module, the guest's argv,
 * environment and directories, the network policy's rules, the socket
 * limit, where compiled code is cached, the CA bundle for TLS in the guest,
 * and the engine.  An engine then runs the plan: wasmtime in this process
 * (runtimes/wasmtime), Node.js by exec'ing node on runtimes/node/lib/
 * launch.js with the plan as JSON (plan_json.c).  The module's imports are
 * checked here too (module_check.c), so the "cannot link" message is the
 * same in every engine.
 *
 * Adding a flag: a row in launch_args.c's table (name, value, commands,
 * help, handler), a field here if the plan needs one, its JSON in
 * plan_json.c, and each engine's use of it.
 *
 * Strings in a plan are malloc'd and owned by it (wasisock_launch_free).
 * Functions that can fail return an exit status (LAUNCH_EXIT_*) and write a
 * one-line message to err.
 */
#ifndef WASISOCK_LAUNCH_H
#define WASISOCK_LAUNCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "guest_env.h"
#include "wasisock.h"
#include "wasisock_policy.h"

/* Exit statuses of the runners, the same in every engine. */
#define LAUNCH_EXIT_LOAD 1   /* cannot load or link the module */
#define LAUNCH_EXIT_USAGE 2  /* bad command line (a bad policy rule too) */
#define LAUNCH_EXIT_TRAP 134 /* the guest trapped: 128 + SIGABRT */

typedef enum launch_command {
  LAUNCH_RUN = 1,   /* wasisock-run [options] module.wasm [args...] */
  LAUNCH_PYTHON = 2 /* wasisock-python [launcher options] [python args] */
} launch_command_t;

typedef enum launch_action {
  LAUNCH_ACTION_RUN,     /* run the guest */
  LAUNCH_ACTION_CHECK,   /* --check: does it link?  then exit 0 */
  LAUNCH_ACTION_HELP,    /* --help / --launcher-help: print usage, exit 0 */
  LAUNCH_ACTION_VERSION  /* --version (wasisock-run) */
} launch_action_t;

/* One item of the network policy, in command-line order: a rule line of
 * the policy language (docs/POLICY.md) with the flag that gave it, or a
 * policy file. */
typedef struct launch_rule {
  char *rule; /* "allow connect 127.0.0.1:80", or NULL for a file */
  char *flag; /* "--allow-connect 127.0.0.1:80": names it in messages */
  char *file; /* --policy FILE, or NULL */
} launch_rule_t;

/* A socket of --listen [NAME=][tcp:|udp:]HOST:PORT, opened by the front end
 * with this process's rights before any engine runs (listen.c). */
typedef struct launch_listener {
  char *name; /* for LISTEN_FDNAMES: NAME, else "tcp" or "udp" */
  char *flag; /* "--listen SPEC", for messages */
  int fd;     /* the socket; -1 once a host instance took it */
  wasisock_listener_t info;
} launch_listener_t;

/* NAME=VALUE (environment) or GUEST=HOST (a preopened directory). */
typedef struct launch_pair {
  char *name;
  char *value;
  int readonly; /* a directory the guest may only read (where engines can) */
} launch_pair_t;

typedef struct wasisock_launch {
  launch_command_t command;
  launch_action_t action;
  const char *prog;  /* "wasisock-run" or "wasisock-python": in messages */
  const char *engine; /* "node" or "wasmtime" (a static string) */
  /* The module and how messages name it (the path as given). */
  char *module;
  /* The guest's argv: argv[0] is the module's base name. */
  char **argv;
  size_t argc;
  /* The guest's environment, in order, no name twice. */
  launch_pair_t *env;
  size_t nenv;
  /* Preopened directories: name = guest path, value = host path, in the
   * order the guest sees them (its fds 3, 4, ...), no guest path twice. */
  launch_pair_t *dirs;
  size_t ndirs;
  /* The network policy: nothing (everything allowed) when nrules is 0. */
  launch_rule_t *rules;
  size_t nrules;
  uint32_t max_sockets; /* the config's limit, 0: libwasisock's default */
  int log_denials;      /* print denials as "PROG: LINE"; -1: when a policy */
  uint32_t stack_kb;    /* guest stack for the engine, 0: its default */
  /* Directory of compiled-code caches, or NULL: compile on every run.
   * wasisock-python: $WASISOCK_PYTHON_CACHE (both engines keep one);
   * wasisock-run: $WASISOCK_CODE_CACHE (engines that keep one: wasmtime). */
  char *cache_dir;
  /* wasisock-python: python.wasm's directory (python.wasm, lib/). */
  char *python_dir;
  /* The guest's ordinary Unix (guest_env.h): its /etc (etc_dir, mapped
   * read-only as "/etc" in dirs; a temporary directory when temporary, which
   * wasisock_launch_free removes) and the user and CA variables already
   * applied to env.  wasisock-python only, for now. */
  wasisock_guest_env_t guest_env;
  /* --listen: sockets to hand to the guest, in order (its first handles). */
  launch_listener_t *listeners;
  size_t nlisteners;
  /* --trace: where each wasisock call's line goes (2: stderr; a file opened
   * by the front end), or -1. */
  int trace_fd;
  /* Set with a LAUNCH_EXIT_USAGE from parsing when the usage text should
   * follow the message (a bad flag; not a bad --dir or policy rule). */
  int show_usage;
} wasisock_launch_t;

/* ---- launch_args.c ----------------------------------------------------- */

/* Parses argv[1..argc) of `command` into l (zeroed first; free it with
 * wasisock_launch_free whatever the result), with envp as the process's
 * environment and engines the names of the engines this build has (the
 * first one is the default when neither --engine nor $WASISOCK_ENGINE
 * says).  Fills in everything a run needs: guest environment, directories,
 * python.wasm's directory, code cache, CA bundle.  Returns 0, or
 * LAUNCH_EXIT_USAGE / LAUNCH_EXIT_LOAD with the message in err (prefix it
 * with prog; for USAGE add the usage text). */
int wasisock_launch_parse(wasisock_launch_t *l, launch_command_t command,
                          int argc, char **argv, char *const *envp,
                          const char *const *engines, char *err,
                          size_t errlen);

void wasisock_launch_free(wasisock_launch_t *l);

/* The --help text of a command, with its name: a malloc'd string. */
char *wasisock_launch_usage(launch_command_t command, const char *prog,
                            const char *const *engines);

/* The network policy of l: *out NULL when l has no rules.  A rule or file
 * the parser refuses is LAUNCH_EXIT_USAGE, err naming the flag (or
 * FILE:LINE) and the parser's message. */
int wasisock_launch_policy(const wasisock_launch_t *l,
                           wasisock_policy_t **out, char *err,
                           size_t errlen);

/* ---- listen.c ------------------------------------------------------------- */

/* Gives l's listeners to host, in order, as its next handles (consecutive,
 * so the guest's descriptors are too), and writes the guest's variables of
 * the convention (docs/ENVIRONMENT.md) to vars[0..3): "LISTEN_FDS=N",
 * "LISTEN_FDNAMES=a:b", "LISTEN_FDS_START=<WASISOCK_FD_BASE + first
 * handle>" (malloc'd; NULL when there are none).  The host owns each fd it
 * took (set to -1 in l).  0, or LAUNCH_EXIT_LOAD with a message. */
int wasisock_launch_hand_over(wasisock_launch_t *l, wasisock_t *host,
                              char *vars[3], char *err, size_t errlen);
/* Says where each --listen with port 0 got bound ("PROG: --listen SPEC:
 * listening on 127.0.0.1:40123"), as the front end does before the guest
 * runs. */
void wasisock_launch_say_listeners(const wasisock_launch_t *l, FILE *out);
/* Hands the fds given (from a plan in another process) to host: the same,
 * for engines that only have the numbers. */
int wasisock_launch_hand_over_fds(wasisock_t *host, const int *fds,
                                  const char *const *names, size_t n,
                                  char *vars[3], char *err, size_t errlen);

/* ---- module_check.c -------------------------------------------------------
 * Whether a module links against WASI preview 1 and this wasisock host,
 * read from its bytes (the import and type sections): every import must be
 * a wasi_snapshot_preview1 function or a wasisock function the host has
 * with its signature.  The message names every import that does not, the
 * same in every engine:
 *
 *   x.wasm: cannot link: it imports 2 things that neither WASI preview 1
 *   nor the wasisock host provides:
 *     wasisock.sock_frobnicate (function): not provided by this wasisock
 *     host (libwasisock 0.1.0, ABI revision 2); the guest needs a newer host
 *     env.mystery_function (function): module "env" is neither ...
 */

/* 0: the module links; LAUNCH_EXIT_LOAD with a message (malloc'd, several
 * lines, no trailing newline) in *message when it does not or is not a
 * WebAssembly module at all. */
int wasisock_launch_check_module(const char *name, const uint8_t *bytes,
                                 size_t len, char **message);

/* 1 when name is a function of WASI preview 1 (wasi_snapshot_preview1). */
int wasisock_launch_is_wasi_function(const char *name);

/* ---- plan_json.c ----------------------------------------------------------- */

/* l as one line of JSON (malloc'd), for an engine in another process. */
char *wasisock_launch_json(const wasisock_launch_t *l);

/* ---- util.c ---------------------------------------------------------------- */

/* The whole file in *data (malloc'd; NUL after the last byte), its size in
 * *len.  0 or an errno value. */
int launch_read_file(const char *path, uint8_t **data, size_t *len);
/* malloc'd printf; aborts the process when out of memory (a runner that
 * cannot allocate a few bytes before the guest starts has nothing better
 * to do). */
char *launch_printf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
char *launch_strdup(const char *s);
void *launch_alloc(size_t n);
/* The directory of this executable (resolved, /proc/self/exe), malloc'd;
 * NULL when unknown. */
char *launch_exe_dir(void);

#endif /* WASISOCK_LAUNCH_H */
