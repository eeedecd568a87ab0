/* The runners' front end (runtimes/common): command lines of both commands,
 * the guest's world they produce, the module check and its message, the
 * plan as JSON.  Real files in a temporary directory; no network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "launch.h"

static const char *const engines[] = {"node", "wasmtime", NULL};
static char tmp[512]; /* short enough for every path made from it */
/* WASISOCK_CACHE=<tmp>/cache: every parse's /etc goes there, never to a
 * real home (the tests may run as root, who can create any path). */
static char runners_cache_env[600];

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* Parses a NULL-terminated argument list with the environment env. */
static int parse(wasisock_launch_t *l, launch_command_t cmd, char **env,
                 char *err, ...) {
  char *argv[32];
  va_list ap;
  int argc = 0;

  argv[argc++] = cmd == LAUNCH_PYTHON ? "wasisock-python" : "wasisock-run";
  va_start(ap, err);
  while ((argv[argc] = va_arg(ap, char *)) != NULL)
    argc++;
  va_end(ap);
  return wasisock_launch_parse(l, cmd, argc, argv, env, engines, err, 512);
}

static const char *env_of(const wasisock_launch_t *l, const char *name) {
  size_t i;
  for (i = 0; i < l->nenv; i++)
    if (strcmp(l->env[i].name, name) == 0)
      return l->env[i].value;
  return NULL;
}

static void test_run_options(void **state) {
  wasisock_launch_t l;
  char err[512];
  char code[600], code_env[640];
  char *env[] = {"HOME=/nonexistent/h", "SECRET=s", "WASISOCK_NODE_ADDON=/x",
                 "WASISOCK_CODE_CACHE=off", runners_cache_env, NULL};
  char *env_cache[] = {code_env, runners_cache_env, NULL};
  (void)state;

  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--env", "A=1", "--env=B=x=y",
                         "--dir", tmp, "--max-sockets", "7", "--deny-all",
                         "--allow-connect=127.0.0.1:80", "--", "--prog.wasm",
                         "a", "--b", NULL),
                   0);
  assert_string_equal(l.module, "--prog.wasm");
  assert_int_equal(l.argc, 3);
  assert_string_equal(l.argv[0], "--prog.wasm");
  assert_string_equal(l.argv[2], "--b");
  /* What --env says, and the user (guest_env.c); nothing of ours else. */
  assert_string_equal(env_of(&l, "A"), "1");
  assert_string_equal(env_of(&l, "B"), "x=y");
  assert_non_null(env_of(&l, "USER"));
  assert_null(env_of(&l, "SECRET"));
  assert_int_equal(l.ndirs, 2); /* --dir, then a read-only /etc */
  assert_string_equal(l.dirs[0].name, tmp);
  assert_false(l.dirs[0].readonly);
  assert_string_equal(l.dirs[1].name, "/etc");
  assert_true(l.dirs[1].readonly);
  assert_int_equal(l.max_sockets, 7);
  assert_int_equal(l.nrules, 3);
  assert_string_equal(l.rules[0].rule, "max-sockets 7");
  assert_string_equal(l.rules[1].rule, "default deny");
  assert_string_equal(l.rules[2].rule, "allow connect 127.0.0.1:80");
  assert_string_equal(l.rules[2].flag, "--allow-connect 127.0.0.1:80");
  assert_string_equal(l.engine, "node");
  assert_null(l.cache_dir);
  wasisock_launch_free(&l);

  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--inherit-env", "--env",
                         "SECRET=guest", "m.wasm", NULL),
                   0);
  assert_string_equal(env_of(&l, "HOME"), "/nonexistent/h");
  assert_string_equal(env_of(&l, "SECRET"), "guest"); /* --env wins */
  assert_null(env_of(&l, "WASISOCK_NODE_ADDON"));
  wasisock_launch_free(&l);

  /* The compiled-code cache: $WASISOCK_CODE_CACHE, made if missing. */
  snprintf(code, sizeof code, "%s/code/cache", tmp);
  snprintf(code_env, sizeof code_env, "WASISOCK_CODE_CACHE=%s", code);
  assert_int_equal(parse(&l, LAUNCH_RUN, env_cache, err, "m.wasm", NULL), 0);
  assert_string_equal(l.cache_dir, code);
  wasisock_launch_free(&l);
  assert_int_equal(parse(&l, LAUNCH_RUN, env_cache, err, "--no-code-cache",
                         "m.wasm", NULL),
                   0);
  assert_null(l.cache_dir);
  wasisock_launch_free(&l);
}

static void test_run_usage_errors(void **state) {
  wasisock_launch_t l;
  char err[512], *dir_file;
  char *env[] = {runners_cache_env, NULL};
  (void)state;

  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--bogus", "m.wasm", NULL),
                   LAUNCH_EXIT_USAGE);
  assert_string_equal(err, "unknown option --bogus");
  assert_true(l.show_usage);
  wasisock_launch_free(&l);
  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--env", "NOEQUALS",
                         "m.wasm", NULL),
                   LAUNCH_EXIT_USAGE);
  assert_string_equal(err, "--env wants NAME=VALUE, got \"NOEQUALS\"");
  wasisock_launch_free(&l);
  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--dir", NULL),
                   LAUNCH_EXIT_USAGE);
  assert_string_equal(err, "--dir needs a value");
  wasisock_launch_free(&l);
  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--check=yes", "m.wasm",
                         NULL),
                   LAUNCH_EXIT_USAGE);
  wasisock_launch_free(&l);
  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--stack-size", "12k",
                         "m.wasm", NULL),
                   LAUNCH_EXIT_USAGE);
  wasisock_launch_free(&l);
  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, NULL), LAUNCH_EXIT_USAGE);
  assert_string_equal(err, "no module given");
  wasisock_launch_free(&l);
  /* A bad rule: the flag and the parser's message, without the usage. */
  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--allow-connect",
                         "127.0.0.1:70000", "m.wasm", NULL),
                   LAUNCH_EXIT_USAGE);
  assert_non_null(strstr(err, "--allow-connect 127.0.0.1:70000: "));
  assert_non_null(strstr(err, "port \"70000\" out of range"));
  assert_false(l.show_usage);
  wasisock_launch_free(&l);
  /* --dir: not there, not a directory, empty halves. */
  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--dir", "/nonexistent/d",
                         "m.wasm", NULL),
                   LAUNCH_EXIT_USAGE);
  assert_string_equal(err, "--dir /nonexistent/d: No such file or directory");
  wasisock_launch_free(&l);
  dir_file = malloc(PATH_MAX);
  snprintf(dir_file, PATH_MAX, "%s/file", tmp);
  write_file(dir_file, "x");
  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--dir", dir_file, "m.wasm",
                         NULL),
                   LAUNCH_EXIT_USAGE);
  assert_non_null(strstr(err, "is not a directory"));
  wasisock_launch_free(&l);
  free(dir_file);
  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--dir", "::/x", "m.wasm",
                         NULL),
                   LAUNCH_EXIT_USAGE);
  assert_string_equal(err, "--dir wants HOST[::GUEST], got \"::/x\"");
  wasisock_launch_free(&l);
}

static void test_engine_choice(void **state) {
  wasisock_launch_t l;
  char err[512];
  char *env_w[] = {"WASISOCK_ENGINE=wasmtime", runners_cache_env, NULL};
  char *env_bad[] = {"WASISOCK_ENGINE=v8", runners_cache_env, NULL};
  char *env[] = {runners_cache_env, NULL};
  (void)state;

  assert_int_equal(parse(&l, LAUNCH_RUN, env_w, err, "m.wasm", NULL), 0);
  assert_string_equal(l.engine, "wasmtime");
  wasisock_launch_free(&l);
  assert_int_equal(parse(&l, LAUNCH_RUN, env_w, err, "--engine", "node",
                         "m.wasm", NULL),
                   0);
  assert_string_equal(l.engine, "node"); /* the flag beats the variable */
  wasisock_launch_free(&l);
  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--engine=wasm3", "m.wasm",
                         NULL),
                   LAUNCH_EXIT_USAGE);
  assert_string_equal(
      err, "--engine: no engine \"wasm3\" in this build (it has: node, wasmtime)");
  wasisock_launch_free(&l);
  assert_int_equal(parse(&l, LAUNCH_RUN, env_bad, err, "m.wasm", NULL),
                   LAUNCH_EXIT_USAGE);
  assert_non_null(strstr(err, "WASISOCK_ENGINE: no engine \"v8\""));
  wasisock_launch_free(&l);
}

/* A fake python.wasm directory with lib/ and a CA bundle. */
static void python_tree(char *pydir, char *bundle) {
  char path[PATH_MAX + 16];
  snprintf(pydir, PATH_MAX, "%s/py", tmp);
  mkdir(pydir, 0777);
  snprintf(path, sizeof path, "%s/lib", pydir);
  mkdir(path, 0777);
  snprintf(path, sizeof path, "%s/python.wasm", pydir);
  write_file(path, "not really");
  snprintf(bundle, PATH_MAX, "%s/ca.pem", tmp);
  write_file(bundle, "-----BEGIN CERTIFICATE-----\nMIIB\n"
                     "-----END CERTIFICATE-----\n");
}

static void test_python_world(void **state) {
  wasisock_launch_t l;
  char err[512], pydir[PATH_MAX], bundle[PATH_MAX], cwd[PATH_MAX];
  char cache_env[PATH_MAX + 32], ssl_env[PATH_MAX + 32], want[PATH_MAX * 2];
  char script[PATH_MAX], *etc;
  char *env[] = {"HOST_VAR=h", "PYTHONPATH=/host", "SSL_CERT_DIR=/etc/ssl/x",
                 cache_env, ssl_env, runners_cache_env, NULL};
  struct stat st;
  (void)state;

  python_tree(pydir, bundle);
  snprintf(cache_env, sizeof cache_env, "WASISOCK_PYTHON_CACHE=%s/cache", tmp);
  snprintf(ssl_env, sizeof ssl_env, "SSL_CERT_FILE=%s", bundle);
  /* A script outside the current directory (tmp, since setup). */
  snprintf(script, sizeof script, "%s/sub", tmp);
  mkdir(script, 0777);
  snprintf(script, sizeof script, "%s/sub/script.py", tmp);
  write_file(script, "print(1)\n");
  assert_non_null(getcwd(cwd, sizeof cwd));

  assert_int_equal(parse(&l, LAUNCH_PYTHON, env, err, "--python-dir", pydir,
                         "--env", "G=1", "--env", "HOME=/guest-home",
                         "--deny-all", script, "--dir", "x", NULL),
                   0);
  /* python's arguments start at the script: "--dir x" is the script's. */
  assert_int_equal(l.argc, 4);
  assert_string_equal(l.argv[0], "python.wasm");
  assert_string_equal(l.argv[1], script);
  assert_string_equal(l.argv[2], "--dir");
  snprintf(want, sizeof want, "%s/python.wasm", pydir);
  assert_string_equal(l.module, want);
  assert_int_equal(l.stack_kb, 8192);
  /* Environment: ours minus host Python paths, PYTHONHOME, the user, the
   * CA variables made guest paths (or removed), --env last. */
  assert_string_equal(env_of(&l, "HOST_VAR"), "h");
  assert_null(env_of(&l, "PYTHONPATH"));
  assert_string_equal(env_of(&l, "PYTHONHOME"), "/");
  assert_string_equal(env_of(&l, "G"), "1");
  assert_non_null(env_of(&l, "USER"));
  assert_string_equal(env_of(&l, "HOME"), "/guest-home");
  assert_null(env_of(&l, "SSL_CERT_DIR"));
  assert_non_null(env_of(&l, "SSL_CERT_FILE"));
  assert_true(strncmp(env_of(&l, "SSL_CERT_FILE"), "/etc/", 5) == 0);
  /* Directories: ".", the cwd, the script's, /lib, a read-only /etc. */
  assert_int_equal(l.ndirs, 5);
  assert_string_equal(l.dirs[0].name, ".");
  assert_string_equal(l.dirs[0].value, cwd);
  assert_string_equal(l.dirs[1].name, cwd);
  snprintf(want, sizeof want, "%s/sub", tmp);
  assert_string_equal(l.dirs[2].name, want);
  assert_string_equal(l.dirs[3].name, "/lib");
  snprintf(want, sizeof want, "%s/lib", pydir);
  assert_string_equal(l.dirs[3].value, want);
  assert_false(l.dirs[3].readonly);
  assert_string_equal(l.dirs[4].name, "/etc");
  assert_true(l.dirs[4].readonly);
  /* The cache directory is $WASISOCK_PYTHON_CACHE; /etc lives below it,
   * with the bundle where OpenSSL looks. */
  snprintf(want, sizeof want, "%s/cache", tmp);
  assert_string_equal(l.cache_dir, want);
  assert_false(l.guest_env.temporary);
  assert_true(strncmp(l.dirs[4].value, want, strlen(want)) == 0);
  snprintf(want, sizeof want, "%s/ssl/cert.pem", l.dirs[4].value);
  assert_int_equal(stat(want, &st), 0);
  assert_true(S_ISREG(st.st_mode));
  wasisock_launch_free(&l);

  /* --no-code-cache: no cache, /etc in a temporary directory that goes
   * with the plan. */
  assert_int_equal(parse(&l, LAUNCH_PYTHON, env, err, "--python-dir", pydir,
                         "--no-code-cache", "-c", "pass", NULL),
                   0);
  assert_null(l.cache_dir);
  assert_true(l.guest_env.temporary);
  etc = strdup(l.guest_env.etc_dir);
  assert_int_equal(stat(etc, &st), 0);
  wasisock_launch_free(&l);
  assert_int_not_equal(stat(etc, &st), 0);
  free(etc);

  /* --no-ca-bundle: no bundle (and no CA variable); an explicit bundle
   * that is not one is an error. */
  assert_int_equal(parse(&l, LAUNCH_PYTHON, env, err, "--python-dir", pydir,
                         "--no-ca-bundle", "-c", "pass", NULL),
                   0);
  assert_null(env_of(&l, "SSL_CERT_FILE"));
  if (l.guest_env.etc_dir != NULL) {
    snprintf(want, sizeof want, "%s/ssl/cert.pem", l.guest_env.etc_dir);
    assert_int_not_equal(stat(want, &st), 0);
  }
  wasisock_launch_free(&l);
  assert_int_equal(parse(&l, LAUNCH_PYTHON, env, err, "--python-dir", pydir,
                         "--ca-bundle", script, "-c", "pass", NULL),
                   LAUNCH_EXIT_USAGE);
  assert_non_null(strstr(err, "--ca-bundle: "));
  wasisock_launch_free(&l);

  /* python.wasm not there: exit 1 naming where it looked. */
  assert_int_equal(parse(&l, LAUNCH_PYTHON, env, err, "--python-dir", tmp,
                         "-c", "pass", NULL),
                   LAUNCH_EXIT_LOAD);
  assert_non_null(strstr(err, "python.wasm not found in "));
  wasisock_launch_free(&l);
}

/* --listen opens its socket here (before any engine), --trace its file;
 * --no-etc and --etc are checked as given. */
static void test_environment_flags(void **state) {
  wasisock_launch_t l;
  char err[512], trace[600], trace_flag[640], *json;
  char *env[] = {runners_cache_env, NULL};
  struct stat st;
  (void)state;

  snprintf(trace, sizeof trace, "%s/trace.txt", tmp);
  snprintf(trace_flag, sizeof trace_flag, "--trace=%s", trace);
  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--listen",
                         "web=127.0.0.1:0", "--listen", "udp:127.0.0.1:0",
                         trace_flag, "m.wasm", NULL),
                   0);
  assert_int_equal(l.nlisteners, 2);
  assert_string_equal(l.listeners[0].name, "web");
  assert_string_equal(l.listeners[1].name, "udp");
  assert_true(l.listeners[0].fd >= 0);
  assert_int_equal(l.listeners[0].info.socktype, WASISOCK_SOCK_STREAM);
  assert_int_equal(l.listeners[1].info.socktype, WASISOCK_SOCK_DGRAM);
  assert_true(l.listeners[0].info.local.port != 0);
  assert_true(l.trace_fd > 2);
  assert_int_equal(stat(trace, &st), 0);
  json = wasisock_launch_json(&l);
  assert_non_null(strstr(json, "\"name\":\"web\""));
  assert_non_null(strstr(json, "\"traceFd\":"));
  free(json);
  wasisock_launch_free(&l); /* closes both sockets and the file */

  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--trace", "m.wasm", NULL),
                   0);
  assert_int_equal(l.trace_fd, 2);
  wasisock_launch_free(&l);
  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--trace=", "m.wasm", NULL),
                   LAUNCH_EXIT_USAGE);
  wasisock_launch_free(&l);
  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--listen", "127.0.0.1",
                         "m.wasm", NULL),
                   LAUNCH_EXIT_USAGE);
  assert_non_null(strstr(err, "--listen 127.0.0.1: "));
  wasisock_launch_free(&l);
  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--listen", "a:b=127.0.0.1:0",
                         "m.wasm", NULL),
                   LAUNCH_EXIT_USAGE);
  assert_non_null(strstr(err, "name"));
  wasisock_launch_free(&l);
  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--no-etc", "passwd",
                         "m.wasm", NULL),
                   LAUNCH_EXIT_USAGE);
  wasisock_launch_free(&l);
  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--etc", "hosts",
                         "m.wasm", NULL),
                   LAUNCH_EXIT_USAGE);
  wasisock_launch_free(&l);
  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--no-etc", "all",
                         "--no-ca-bundle", "m.wasm", NULL),
                   0);
  wasisock_launch_free(&l);
}

/* ---- module check ---------------------------------------------------------- */

typedef struct {
  uint8_t b[1024];
  size_t n;
} bytes_t;

static void put(bytes_t *m, const void *p, size_t n) {
  assert_true(m->n + n <= sizeof m->b);
  memcpy(m->b + m->n, p, n);
  m->n += n;
}
static void put8(bytes_t *m, uint8_t v) { put(m, &v, 1); }
static void put_name(bytes_t *m, const char *s) {
  put8(m, (uint8_t)strlen(s));
  put(m, s, strlen(s));
}
static void put_section(bytes_t *m, uint8_t id, const bytes_t *body) {
  put8(m, id);
  put8(m, (uint8_t)body->n); /* bodies here are < 128 bytes */
  put(m, body->b, body->n);
}
static void put_func_import(bytes_t *m, const char *mod, const char *name,
                            uint8_t type) {
  put_name(m, mod);
  put_name(m, name);
  put8(m, 0);
  put8(m, type);
}

static void module_bytes(bytes_t *m, int bad) {
  static const uint8_t head[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  bytes_t types = {{0}, 0}, imports = {{0}, 0};

  m->n = 0;
  put(m, head, 8);
  put8(&types, 3);
  put(&types, (uint8_t[]){0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f}, 8);
  put(&types, (uint8_t[]){0x60, 1, 0x7f, 1, 0x7f}, 5);
  put(&types, (uint8_t[]){0x60, 2, 0x7f, 0x7e, 0}, 5);
  put_section(m, 1, &types);
  put8(&imports, bad ? 5 : 2);
  put_func_import(&imports, "wasi_snapshot_preview1", "fd_write", 0);
  put_func_import(&imports, "wasisock", "sock_close", 1);
  if (bad) {
    put_func_import(&imports, "wasisock", "sock_frobnicate", 1);
    put_func_import(&imports, "wasisock", "sock_open", 2);
    put_func_import(&imports, "env", "mystery", 1);
  }
  put_section(m, 2, &imports);
}

static void test_module_check(void **state) {
  bytes_t m;
  char *msg, want[1024];
  (void)state;

  module_bytes(&m, 0);
  assert_int_equal(wasisock_launch_check_module("ok.wasm", m.b, m.n, &msg), 0);
  assert_null(msg);

  module_bytes(&m, 1);
  assert_int_equal(wasisock_launch_check_module("x.wasm", m.b, m.n, &msg),
                   LAUNCH_EXIT_LOAD);
  snprintf(want, sizeof want,
           "x.wasm: cannot link: it imports 3 things that neither WASI "
           "preview 1 nor the wasisock host provides:\n"
           "  wasisock.sock_frobnicate (function): not provided by this "
           "wasisock host (libwasisock %s, ABI revision %d); the guest needs "
           "a newer host\n"
           "  wasisock.sock_open (function): imported as (i32, i64) -> (), but "
           "the host's wasisock.sock_open is (i32, i32, i32) -> i32\n"
           "  env.mystery (function): module \"env\" is neither "
           "wasi_snapshot_preview1 nor wasisock",
           wasisock_version_string(), WASISOCK_ABI_REVISION);
  assert_string_equal(msg, want);
  free(msg);

  /* Not a module, or cut short: the engine's compiler judges, not us. */
  assert_int_equal(wasisock_launch_check_module("t.wasm", (const uint8_t *)"hi",
                                                2, &msg),
                   0);
  module_bytes(&m, 1);
  assert_int_equal(wasisock_launch_check_module("t.wasm", m.b, m.n - 3, &msg),
                   0);
  assert_null(msg);

  assert_true(wasisock_launch_is_wasi_function("poll_oneoff"));
  assert_false(wasisock_launch_is_wasi_function("sock_open"));
}

static void test_json_and_usage(void **state) {
  wasisock_launch_t l;
  char err[512], *json, *usage;
  char *env[] = {runners_cache_env, NULL};
  (void)state;

  assert_int_equal(parse(&l, LAUNCH_RUN, env, err, "--env",
                         "Q=\"quoted\\back\tslash\"", "m.wasm", "\x01", NULL),
                   0);
  json = wasisock_launch_json(&l);
  assert_non_null(strstr(json, "[\"Q\",\"\\\"quoted\\\\back\\u0009slash\\\"\"]"));
  assert_non_null(strstr(json, "\"argv\":[\"m.wasm\",\"\\u0001\"]"));
  assert_non_null(strstr(json, "\"command\":\"run\""));
  assert_non_null(strstr(json, "\"logDenials\":null"));
  free(json);
  wasisock_launch_free(&l);

  usage = wasisock_launch_usage(LAUNCH_RUN, "wasisock-run", engines);
  assert_non_null(strstr(usage, "  --allow-connect SPEC  allow connecting"));
  assert_non_null(strstr(usage, "node or wasmtime"));
  assert_null(strstr(usage, "--python-dir"));
  free(usage);
  usage = wasisock_launch_usage(LAUNCH_PYTHON, "wasisock-python", engines);
  assert_non_null(strstr(usage, "--python-dir DIR"));
  assert_non_null(strstr(usage, "--max-sockets N"));
  assert_null(strstr(usage, "--inherit-env"));
  free(usage);
}

static int setup(void **state) {
  const char *t = getenv("TMPDIR");
  (void)state;
  snprintf(tmp, sizeof tmp, "%s/wasisock-launch-XXXXXX", t && t[0] ? t : "/tmp");
  if (mkdtemp(tmp) == NULL)
    return -1;
  snprintf(runners_cache_env, sizeof runners_cache_env,
           "WASISOCK_CACHE=%s/runners-cache", tmp);
  /* The modules the cases name must be readable (the front end checks);
   * what is in them is the engines' business. */
  if (chdir(tmp) != 0)
    return -1;
  write_file("m.wasm", "");
  write_file("--prog.wasm", "");
  return 0;
}

static int teardown(void **state) {
  char cmd[PATH_MAX + 16];
  (void)state;
  if (chdir("/") != 0)
    return -1;
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
  return system(cmd) == 0 ? 0 : -1;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_run_options),
      cmocka_unit_test(test_run_usage_errors),
      cmocka_unit_test(test_engine_choice),
      cmocka_unit_test(test_python_world),
      cmocka_unit_test(test_environment_flags),
      cmocka_unit_test(test_module_check),
      cmocka_unit_test(test_json_and_usage),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
