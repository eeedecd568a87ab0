/*
 * main.c — the wasisock-run and wasisock-python commands: parse the command
 * line (launch_args.c), then hand the plan to the engine it names.  One
 * source, two executables: LAUNCH_COMMAND says which (CMake sets it).
 *
 * The engines built in are listed here in order of preference: the first
 * is the default when neither --engine nor $WASISOCK_ENGINE chooses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#ifndef LAUNCH_COMMAND
#error "build with -DLAUNCH_COMMAND=LAUNCH_RUN or LAUNCH_PYTHON"
#endif
#ifndef WASISOCK_LAUNCH_VERSION
#define WASISOCK_LAUNCH_VERSION "0"
#endif

extern char **environ;

static const launch_engine_t *const engines[] = {
#ifdef WASISOCK_HAVE_NODE
    &launch_engine_node,
#endif
#ifdef WASISOCK_HAVE_WASMTIME
    &launch_engine_wasmtime,
#endif
    NULL};

static int version(const wasisock_launch_t *l) {
  const wasisock_import_t *t;
  size_t n, i;
  uint32_t rev = 0;
  char *line;

  t = wasisock_import_table(&n);
  for (i = 0; i < n; i++)
    if (t[i].revision > rev)
      rev = t[i].revision;
  printf("%s %s\nlibwasisock %s (ABI revision %u)\n", l->prog,
         WASISOCK_LAUNCH_VERSION, wasisock_version_string(), rev);
  for (i = 0; engines[i] != NULL; i++) {
    line = engines[i]->version();
    printf("%s%s\n", line, engines[i]->name == l->engine ? " (default)" : "");
    free(line);
  }
  return 0;
}

int main(int argc, char **argv) {
  const char *names[sizeof engines / sizeof engines[0]];
  wasisock_launch_t l;
  char err[1024], *usage;
  size_t i;
  int rc;

  for (i = 0; engines[i] != NULL; i++)
    names[i] = engines[i]->name;
  names[i] = NULL;

  rc = wasisock_launch_parse(&l, LAUNCH_COMMAND, argc, argv, environ, names,
                             err, sizeof err);
  if (rc != 0) {
    fprintf(stderr, "%s: %s\n", l.prog, err);
    if (l.show_usage) {
      usage = wasisock_launch_usage(LAUNCH_COMMAND, l.prog, names);
      fputs(usage, stderr);
      free(usage);
    }
    wasisock_launch_free(&l);
    return rc;
  }
  if (l.action == LAUNCH_ACTION_HELP) {
    usage = wasisock_launch_usage(LAUNCH_COMMAND, l.prog, names);
    fputs(usage, stdout);
    free(usage);
    wasisock_launch_free(&l);
    return 0;
  }
  if (l.action == LAUNCH_ACTION_VERSION) {
    rc = version(&l);
    wasisock_launch_free(&l);
    return rc;
  }
  wasisock_launch_say_listeners(&l, stderr);
  for (i = 0; engines[i] != NULL; i++)
    if (engines[i]->name == l.engine)
      break;
  fflush(stdout);
  rc = engines[i]->run(&l);
  wasisock_launch_free(&l);
  return rc;
}
