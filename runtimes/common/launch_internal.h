/*
 * launch_internal.h — what the files of the front end (runtimes/common)
 * share with each other.
 */
#ifndef WASISOCK_LAUNCH_INTERNAL_H
#define WASISOCK_LAUNCH_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#include "launch.h"

/* python.wasm recurses deeply: the stack its guest gets by default, in KiB
 * (the worker thread's 8 MiB under node, the wasm stack under wasmtime). */
#define LAUNCH_PYTHON_STACK_KB 8192u

typedef enum launch_ca_mode {
  LAUNCH_CA_DEFAULT = 0, /* the host's bundle */
  LAUNCH_CA_FILE,        /* --ca-bundle FILE */
  LAUNCH_CA_NONE         /* --no-ca-bundle */
} launch_ca_mode_t;

/* The parser's state: the plan being filled and what the flags said that
 * launch_guest.c turns into the plan. */
typedef struct launch_parse {
  wasisock_launch_t *l;
  char *const *envp;
  const char *const *engines;
  const char *argv0;
  char *err;
  size_t errlen;
  int show_usage; /* the error is a usage error: print the usage too */
  char **rest;    /* the module and its args / python's arguments */
  size_t nrest;
  char **dirs; /* --dir values, in order */
  size_t ndirs;
  char **envs; /* --env values */
  size_t nenvs;
  int inherit_env;
  int no_cache;
  launch_ca_mode_t ca_mode;
  char *ca_file;
  char *python_dir; /* --python-dir */
  /* /etc files (guest_env.h): NULL the host's, "" hidden, else a file */
  char *etc[WASISOCK_ETC_COUNT];
  /* --listen, in order: NAME, SPEC, FLAG each */
  char **listen;
  size_t nlisten;
  char *trace; /* --trace: NULL none, "" stderr, else a file */
  int snapshot; /* wasisock-python: -1 default, 0 --no-snapshot, 1 --snapshot */
} launch_parse_t;

typedef enum launch_section {
  LAUNCH_SECTION_HIDDEN,
  LAUNCH_SECTION_OPTIONS,
  LAUNCH_SECTION_POLICY,
  LAUNCH_SECTION_ENV /* the guest's environment (docs/ENVIRONMENT.md) */
} launch_section_t;

/* One flag: a row of launch_args.c's table. */
typedef struct launch_flag {
  const char *name;    /* "--dir" */
  const char *metavar; /* its value in --help, NULL for a switch, "[=X]"
                          for a value only as --flag=X */
  unsigned commands;   /* LAUNCH_RUN | LAUNCH_PYTHON */
  launch_section_t section;
  const char *rule; /* policy flags: the rule's words ("allow connect") */
  int (*apply)(launch_parse_t *p, const struct launch_flag *f,
               const char *value);
  const char *help;        /* lines of help, '\n' between them */
  const char *help_python; /* for wasisock-python, when it differs */
} launch_flag_t;

/* A flag whose value is optional and comes only as --flag=VALUE: its
 * metavar says so, "[=FILE]" (--trace[=FILE]). */
#define LAUNCH_FLAG_OPTIONAL(f) ((f)->metavar != NULL && (f)->metavar[0] == '[' && (f)->metavar[1] == '=')

/* Errors: the message goes to p->err; the return value is the exit status. */
int launch_usage_error(launch_parse_t *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int launch_oom(launch_parse_t *p);
int launch_pick_engine(launch_parse_t *p, const char *name, const char *from);
void launch_parse_free(launch_parse_t *p);

/* launch_guest.c: the guest's environment, directories, python.wasm, code
 * cache and CA bundle, from what the flags said. */
int launch_guest_setup(launch_parse_t *p);
/* listen.c: opens the --listen sockets and the --trace file. */
int launch_open_listeners(launch_parse_t *p);
int launch_open_trace(launch_parse_t *p);
/* abspath as Node's path.resolve: absolute, "." and ".." resolved
 * lexically (malloc'd). */
char *launch_abspath(const char *path);
/* The value of name in envp, or NULL. */
const char *launch_getenv(char *const *envp, const char *name);

/* A growable string. */
typedef struct launch_buf {
  char *s;
  size_t len, cap;
} launch_buf_t;
void launch_buf_printf(launch_buf_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void launch_buf_add(launch_buf_t *b, const char *s, size_t n);
/* The string (malloc'd, "" when empty); b is empty afterwards. */
char *launch_buf_take(launch_buf_t *b);
/* s with every "what" replaced by "with" (malloc'd). */
char *launch_replace(const char *s, const char *what, const char *with);

#endif /* WASISOCK_LAUNCH_INTERNAL_H */
