/*
 * engine_node.c — the Node.js engine of wasisock-run / wasisock-python:
 * exec node on lib/launch.js with the plan as JSON (runtimes/common/
 * plan_json.c), which runs the guest under node:wasi with the addon.
 *
 * Where things are:
 *   node      $WASISOCK_NODE, else the node CMake found, else "node" on PATH;
 *   launch.js <this executable>/WASISOCK_NODE_LIB_REL/launch.js when
 *             installed (<prefix>/bin -> <libdir>/wasisock-node/lib), else
 *             the source tree's runtimes/node/lib (the build tree), with
 *             WASISOCK_NODE_ADDON naming the addon this build made.
 * node's own environment is ours (the guest's is in the plan), and so are
 * the --listen sockets and the --trace file the front end opened: the plan
 * names their descriptors, kept open across the exec.
 * --stack-size KB becomes node's --stack-size=KB for wasisock-run; for
 * python.wasm launch.js gives the guest thread its stack instead (a worker
 * starts faster than a node with a bigger main stack, docs/PERFORMANCE.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"

#ifndef WASISOCK_NODE_EXECUTABLE
#define WASISOCK_NODE_EXECUTABLE "node"
#endif

/* Linux refuses a single argument longer than this (MAX_ARG_STRLEN). */
#define ARG_MAX_LEN (128 * 1024)

static int exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

static char *find_launch_js(int *build_tree) {
  char *dir = launch_exe_dir(), *js;

  *build_tree = 0;
  if (dir != NULL) {
    js = launch_printf("%s/%s/launch.js", dir, WASISOCK_NODE_LIB_REL);
    free(dir);
    if (exists(js))
      return js;
    free(js);
  }
  *build_tree = 1;
  return launch_strdup(WASISOCK_NODE_LIB_SRC "/launch.js");
}

/* Lets fd live on in node (the plan names it). */
static void keep_across_exec(int fd) {
  int flags = fcntl(fd, F_GETFD);
  if (flags != -1)
    fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
}

static int node_run(wasisock_launch_t *l) {
  const char *node = getenv("WASISOCK_NODE");
  char *argv[5], *js, *json, *stack = NULL;
  int build_tree, n = 0;
  size_t i;

  if (node == NULL || node[0] == '\0')
    node = WASISOCK_NODE_EXECUTABLE;
  js = find_launch_js(&build_tree);
  if (build_tree && getenv("WASISOCK_NODE_ADDON") == NULL)
    setenv("WASISOCK_NODE_ADDON", WASISOCK_NODE_ADDON_BUILD, 1);
  json = wasisock_launch_json(l);
  if (strlen(json) >= ARG_MAX_LEN) {
    fprintf(stderr, "%s: the guest's arguments and environment are too "
                    "large for node (%zu bytes of JSON)\n",
            l->prog, strlen(json));
    free(js);
    free(json);
    return LAUNCH_EXIT_LOAD;
  }
  argv[n++] = (char *)node;
  if (l->command == LAUNCH_RUN && l->stack_kb != 0)
    argv[n++] = stack = launch_printf("--stack-size=%u", l->stack_kb);
  argv[n++] = js;
  argv[n++] = json;
  argv[n] = NULL;
  for (i = 0; i < l->nlisteners; i++)
    keep_across_exec(l->listeners[i].fd);
  if (l->trace_fd > 2)
    keep_across_exec(l->trace_fd);
  fflush(NULL);
  execvp(node, argv);
  fprintf(stderr, "%s: cannot run node (%s): %s\n", l->prog, node,
          strerror(errno));
  free(stack);
  free(js);
  free(json);
  return LAUNCH_EXIT_LOAD;
}

/* "node v20.20.2": asks node, as --version is rare and must be true. */
static char *node_version(void) {
  const char *node = getenv("WASISOCK_NODE");
  char line[64] = "", *cmd;
  FILE *f;

  if (node == NULL || node[0] == '\0')
    node = WASISOCK_NODE_EXECUTABLE;
  cmd = launch_printf("'%s' --version 2>/dev/null", node);
  if ((f = popen(cmd, "r")) != NULL) {
    if (fgets(line, sizeof line, f) != NULL)
      line[strcspn(line, "\n")] = '\0';
    pclose(f);
  }
  free(cmd);
  return launch_printf("node %s", line[0] ? line : "(not found)");
}

const launch_engine_t launch_engine_node = {"node", node_run, node_version};
