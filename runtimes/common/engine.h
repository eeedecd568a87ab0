/*
 * engine.h — what the front end (main.c) needs of an engine.  Each engine
 * defines one launch_engine_t; the executables list those built in.
 */
#ifndef WASISOCK_LAUNCH_ENGINE_H
#define WASISOCK_LAUNCH_ENGINE_H

#include "launch.h"

typedef struct launch_engine {
  const char *name; /* what --engine and WASISOCK_ENGINE take */
  /* Runs (action RUN) or checks (action CHECK) the plan and returns the
   * exit status; messages go to stderr, prefixed with l->prog.  May not
   * return (an engine in another process is exec'd). */
  int (*run)(wasisock_launch_t *l);
  /* "node v20.20.2", "wasmtime 50.0.1": a line for --version (malloc'd). */
  char *(*version)(void);
} launch_engine_t;

#ifdef WASISOCK_HAVE_NODE
extern const launch_engine_t launch_engine_node;
#endif
#ifdef WASISOCK_HAVE_WASMTIME
extern const launch_engine_t launch_engine_wasmtime;
#endif

#endif /* WASISOCK_LAUNCH_ENGINE_H */
