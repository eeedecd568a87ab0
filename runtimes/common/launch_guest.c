/*
 * launch_guest.c — the guest's world, from what the flags said: its argv,
 * environment and directories; for wasisock-python also where python.wasm
 * is, its standard library, the compiled-code cache and the CA bundle.
 *
 * wasisock-run gives the guest nothing it was not asked for: an empty
 * environment (--env, or all of ours with --inherit-env) and the --dir
 * directories.  wasisock-python sets up what CPython needs so that the user
 * sets nothing by hand (docs/PYTHON.md):
 *   - python.wasm from --python-dir, $WASISOCK_PYTHON_DIR, or ../python-wasm
 *     beside the command (as invoked, then resolved: the build tree's bin/
 *     and python-wasm/ are siblings);
 *   - the standard library as the guest's /lib and PYTHONHOME=/;
 *   - the current directory as "." and under its own path, so relative and
 *     absolute paths both work; a script given by absolute path elsewhere
 *     gets its directory mapped too;
 *   - our environment minus what names host Python paths (PYTHONHOME,
 *     PYTHONPATH, ...), with the user (USER, LOGNAME, HOME) and the CA
 *     variables made right for the guest (guest_env.c), plus --env;
 *   - a read-only /etc with the host's resolver files and its CA bundle
 *     where OpenSSL looks (/etc/ssl/cert.pem, ...; guest_env.c);
 *   - a stack big enough for CPython's recursion.
 * Where a variable or guest path is given twice, the later value wins and
 * keeps the earlier one's place (as a JavaScript object would), so the
 * guest's fd numbers do not depend on repetitions.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "launch_internal.h"

/* Host variables that would point the guest at host paths. */
static const char *const python_drop_env[] = {
    "PYTHONHOME", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONUSERBASE",
    "PYTHONEXECUTABLE", "PYTHONPLATLIBDIR", "PYTHONPYCACHEPREFIX",
    "WASISOCK_NODE_ADDON", NULL};
/* wasisock-run --inherit-env: only what the build tree's wrappers set. */
static const char *const run_drop_env[] = {"WASISOCK_NODE_ADDON", NULL};


const char *launch_getenv(char *const *envp, const char *name) {
  size_t n = strlen(name);
  for (; envp != NULL && *envp != NULL; envp++)
    if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
      return *envp + n + 1;
  return NULL;
}

/* Sets name to value in list (in place when present, else appended). */
static launch_pair_t *pair_set(launch_pair_t **list, size_t *n,
                               const char *name, size_t name_len,
                               const char *value) {
  launch_pair_t *bigger;
  size_t i;

  for (i = 0; i < *n; i++) {
    if (strlen((*list)[i].name) == name_len &&
        memcmp((*list)[i].name, name, name_len) == 0) {
      free((*list)[i].value);
      (*list)[i].value = launch_strdup(value);
      return &(*list)[i];
    }
  }
  bigger = realloc(*list, (*n + 1) * sizeof **list);
  if (bigger == NULL) {
    fputs("wasisock: out of memory\n", stderr);
    abort();
  }
  *list = bigger;
  (*list)[*n].name = launch_printf("%.*s", (int)name_len, name);
  (*list)[*n].value = launch_strdup(value);
  (*list)[*n].readonly = 0;
  return &(*list)[(*n)++];
}

/* Removes name from list, keeping the others' order. */
static void pair_unset(launch_pair_t *list, size_t *n, const char *name) {
  size_t i;
  for (i = 0; i < *n; i++) {
    if (strcmp(list[i].name, name) == 0) {
      free(list[i].name);
      free(list[i].value);
      memmove(&list[i], &list[i + 1], (*n - i - 1) * sizeof *list);
      (*n)--;
      return;
    }
  }
}

/* "NAME=VALUE" into the guest's environment. */
static void env_put(wasisock_launch_t *l, const char *kv) {
  const char *eq = strchr(kv, '=');
  pair_set(&l->env, &l->nenv, kv, (size_t)(eq - kv), eq + 1);
}

static int dropped(const char *kv, const char *const *drop) {
  size_t n;
  for (; *drop != NULL; drop++) {
    n = strlen(*drop);
    if (strncmp(kv, *drop, n) == 0 && kv[n] == '=')
      return 1;
  }
  return 0;
}

/* An absolute, lexically normalised path ("." and ".." resolved as
 * Node's path.resolve does: without looking at the file system). */
char *launch_abspath(const char *p) {
  char cwd[PATH_MAX], *joined, *out, *seg, *save = NULL;
  launch_buf_t b = {0};
  char **parts;
  size_t n = 0, i;

  if (p[0] == '/') {
    joined = launch_strdup(p);
  } else {
    if (getcwd(cwd, sizeof cwd) == NULL)
      snprintf(cwd, sizeof cwd, "/");
    joined = launch_printf("%s/%s", cwd, p);
  }
  parts = launch_alloc((strlen(joined) / 2 + 2) * sizeof *parts);
  for (seg = strtok_r(joined, "/", &save); seg != NULL;
       seg = strtok_r(NULL, "/", &save)) {
    if (strcmp(seg, ".") == 0)
      continue;
    if (strcmp(seg, "..") == 0) {
      if (n > 0)
        n--;
      continue;
    }
    parts[n++] = seg;
  }
  for (i = 0; i < n; i++)
    launch_buf_printf(&b, "/%s", parts[i]);
  out = b.len ? launch_buf_take(&b) : launch_strdup("/");
  free(parts);
  free(joined);
  return out;
}

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *dirname_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (slash == NULL)
    return launch_strdup(".");
  if (slash == path)
    return launch_strdup("/");
  return launch_printf("%.*s", (int)(slash - path), path);
}

static const char *basename_of(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* --dir HOST[::GUEST] → (guest, host); resolve: make HOST absolute and the
 * default GUEST that absolute path (wasisock-python), or keep both as given
 * (wasisock-run). */
static int add_dir(launch_parse_t *p, const char *d, int resolve) {
  const char *sep = strstr(d, "::");
  char *host, *guest;
  struct stat st;
  int rc = 0;

  host = sep ? launch_printf("%.*s", (int)(sep - d), d) : launch_strdup(d);
  guest = sep ? launch_strdup(sep + 2) : NULL;
  if (host[0] == '\0' || (guest != NULL && guest[0] == '\0')) {
    rc = launch_usage_error(p, "--dir wants HOST[::GUEST], got \"%s\"", d);
    goto out;
  }
  if (resolve) {
    char *abs = launch_abspath(host);
    free(host);
    host = abs;
  }
  if (stat(host, &st) != 0) {
    rc = launch_usage_error(p, "--dir %s: %s", d, strerror(errno));
    p->show_usage = 0;
    goto out;
  }
  if (!S_ISDIR(st.st_mode)) {
    rc = launch_usage_error(p, "--dir %s: %s is not a directory", d, host);
    p->show_usage = 0;
    goto out;
  }
  pair_set(&p->l->dirs, &p->l->ndirs, guest ? guest : host,
           strlen(guest ? guest : host), host);
out:
  free(host);
  free(guest);
  return rc;
}

static void set_argv(wasisock_launch_t *l, const char *argv0, char **rest,
                     size_t nrest) {
  size_t i;
  l->argc = nrest + 1;
  l->argv = launch_alloc((l->argc + 1) * sizeof *l->argv);
  l->argv[0] = launch_strdup(argv0);
  for (i = 0; i < nrest; i++)
    l->argv[i + 1] = launch_strdup(rest[i]);
}

/* mkdir -p, and whether the directory can then be used. */
static int usable_dir(const char *path);

/* "off" or "0": a cache variable that turns caching off. */
static int turned_off(const char *setting) {
  return setting != NULL &&
         (strcmp(setting, "off") == 0 || strcmp(setting, "0") == 0);
}

/* The runners' cache directory: $WASISOCK_CACHE, else
 * $XDG_CACHE_HOME/wasisock, else ~/.cache/wasisock; NULL when none of them
 * can be made and written (then /etc is a temporary directory and no code
 * is cached). */
static char *runners_cache(launch_parse_t *p) {
  const char *setting = launch_getenv(p->envp, "WASISOCK_CACHE");
  const char *xdg = launch_getenv(p->envp, "XDG_CACHE_HOME");
  const char *home = launch_getenv(p->envp, "HOME");
  char *dir;

  if (setting != NULL && setting[0] != '\0')
    dir = launch_abspath(setting);
  else if (xdg != NULL && xdg[0] == '/')
    dir = launch_printf("%s/wasisock", xdg);
  else if (home != NULL && home[0] == '/')
    dir = launch_printf("%s/.cache/wasisock", home);
  else
    return NULL; /* nowhere that is ours */
  if (usable_dir(dir))
    return dir;
  free(dir);
  return NULL;
}

/* A code cache: $VAR when set (a directory, or off), else base/sub; NULL
 * when off or not usable. */
static char *code_cache(launch_parse_t *p, const char *var, const char *base,
                        const char *sub) {
  const char *setting = launch_getenv(p->envp, var);
  char *dir;

  if (p->no_cache || turned_off(setting))
    return NULL;
  if (setting != NULL && setting[0] != '\0')
    dir = launch_abspath(setting);
  else if (base != NULL)
    dir = launch_printf("%s/%s", base, sub);
  else
    return NULL;
  if (usable_dir(dir))
    return dir;
  free(dir);
  return NULL;
}

/* 1 when the user maps a directory of their own as the guest's /etc. */
static int own_etc(const wasisock_launch_t *l) {
  size_t i;
  for (i = 0; i < l->ndirs; i++) {
    char *norm = launch_abspath(l->dirs[i].name);
    int etc = strcmp(norm, "/etc") == 0;
    free(norm);
    if (etc)
      return 1;
  }
  return 0;
}

/* The guest's user, /etc and CA variables (guest_env.c), applied to
 * l->env (before --env, which the caller adds last) and l->dirs; /etc is
 * kept in cache_dir (NULL: a temporary directory). */
static int setup_guest_env(launch_parse_t *p, const char *cache_dir) {
  wasisock_launch_t *l = p->l;
  wasisock_guest_env_config_t cfg;
  const char **env, *flag = "";
  char msg[512], **kv;
  size_t i;
  int rc, mine = own_etc(l);

  memset(&cfg, 0, sizeof cfg);
  env = launch_alloc((l->nenv + 1) * sizeof *env);
  for (i = 0; i < l->nenv; i++)
    env[i] = launch_printf("%s=%s", l->env[i].name, l->env[i].value);
  cfg.env = env;
  /* A --dir of /etc is the user's own /etc: nothing of ours there. */
  for (i = 0; i < WASISOCK_ETC_COUNT; i++)
    cfg.etc[i] = mine ? "" : p->etc[i];
  cfg.ca_bundle = mine || p->ca_mode == LAUNCH_CA_NONE ? ""
                  : p->ca_mode == LAUNCH_CA_FILE       ? p->ca_file
                                                       : NULL;
  cfg.cache_dir = cache_dir;
  rc = wasisock_guest_env_prepare(&cfg, &l->guest_env, msg, sizeof msg);
  for (i = 0; i < l->nenv; i++)
    free((char *)env[i]);
  free(env);
  if (rc != 0) {
    /* A file the user named cannot be used: a usage error, naming the
     * flag that named it. */
    if (strncmp(msg, "CA bundle ", 10) == 0)
      flag = "--ca-bundle: ";
    else if (strstr(msg, "(for /etc/") != NULL)
      flag = "--etc: ";
    rc = launch_usage_error(p, "%s%s", flag, msg);
    p->show_usage = 0;
    return rc;
  }
  for (kv = l->guest_env.unset; kv != NULL && *kv != NULL; kv++)
    pair_unset(l->env, &l->nenv, *kv);
  for (kv = l->guest_env.set; kv != NULL && *kv != NULL; kv++)
    if (strchr(*kv, '=') != NULL)
      env_put(l, *kv);
  if (l->guest_env.etc_dir != NULL)
    pair_set(&l->dirs, &l->ndirs, "/etc", 4, l->guest_env.etc_dir)->readonly = 1;
  return 0;
}

/* The guest's environment so far (in l->env), then guest_env's user, /etc
 * and CA variables (their cache in base, which is freed), then --env, which
 * wins over everything. */
static int finish_env(launch_parse_t *p, char *base) {
  size_t i;
  int rc = setup_guest_env(p, base);

  free(base);
  if (rc != 0)
    return rc;
  for (i = 0; i < p->nenvs; i++)
    env_put(p->l, p->envs[i]);
  return 0;
}

static int setup_run(launch_parse_t *p) {
  wasisock_launch_t *l = p->l;
  char *const *e, *base;
  size_t i;
  int rc;

  l->module = launch_strdup(p->rest[0]);
  /* Here, so that every engine says it in the same words. */
  if (access(l->module, R_OK) != 0) {
    snprintf(p->err, p->errlen, "%s: cannot read: %s", l->module,
             strerror(errno));
    return LAUNCH_EXIT_LOAD;
  }
  set_argv(l, basename_of(l->module), p->rest + 1, p->nrest - 1);
  for (i = 0; i < p->ndirs; i++)
    if ((rc = add_dir(p, p->dirs[i], 0)) != 0)
      return rc;
  if (p->inherit_env)
    for (e = p->envp; e != NULL && *e != NULL; e++)
      if (strchr(*e, '=') != NULL && !dropped(*e, run_drop_env))
        env_put(l, *e);
  base = runners_cache(p);
  l->cache_dir = code_cache(p, "WASISOCK_CODE_CACHE", base, "code");
  return finish_env(p, base);
}

/* ---- wasisock-python ---------------------------------------------------------- */

static int find_python_dir(launch_parse_t *p) {
  const char *explicit_dir = p->python_dir
                                 ? p->python_dir
                                 : launch_getenv(p->envp, "WASISOCK_PYTHON_DIR");
  char *candidates[2] = {NULL, NULL}, *exe, *wasm;
  launch_buf_t tried = {0};
  size_t n = 0, i;
  int found = -1;

  if (explicit_dir != NULL && explicit_dir[0] != '\0') {
    candidates[n++] = launch_strdup(explicit_dir);
  } else {
    /* As invoked (a symlink's own directory), then resolved. */
    if (p->argv0 != NULL && strchr(p->argv0, '/') != NULL) {
      char *d = dirname_of(p->argv0);
      candidates[n++] = launch_printf("%s/../python-wasm", d);
      free(d);
    }
    if ((exe = launch_exe_dir()) != NULL) {
      candidates[n++] = launch_printf("%s/../python-wasm", exe);
      free(exe);
    }
  }
  for (i = 0; i < n && found < 0; i++) {
    wasm = launch_printf("%s/python.wasm", candidates[i]);
    if (is_file(wasm))
      found = (int)i;
    free(wasm);
  }
  if (found >= 0) {
    p->l->python_dir = launch_abspath(candidates[found]);
  } else {
    for (i = 0; i < n; i++)
      launch_buf_printf(&tried, "%s%s", i ? " or " : "", candidates[i]);
    snprintf(p->err, p->errlen,
             "python.wasm not found in %s; build it (cmake --build build "
             "--target python_wasm) or pass --python-dir DIR / set "
             "WASISOCK_PYTHON_DIR",
             tried.s ? tried.s : "(nowhere)");
    free(tried.s);
  }
  for (i = 0; i < n; i++)
    free(candidates[i]);
  return found >= 0 ? 0 : LAUNCH_EXIT_LOAD;
}

/* The script among python's arguments, if it runs one: the first argument
 * that is not an option (skipping the values of -W -X and
 * --check-hash-based-pycs), unless -c, -m or - comes first. */
static const char *script_arg(char **args, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    const char *a = args[i];
    if (strcmp(a, "-") == 0 || strcmp(a, "--") == 0 ||
        strncmp(a, "-c", 2) == 0 || strncmp(a, "-m", 2) == 0)
      return NULL;
    if (strcmp(a, "-W") == 0 || strcmp(a, "-X") == 0 ||
        strcmp(a, "--check-hash-based-pycs") == 0) {
      i++;
      continue;
    }
    if (a[0] == '-')
      continue;
    return a;
  }
  return NULL;
}

/* mkdir -p */
static int make_dirs(const char *path) {
  char *copy = launch_strdup(path), *s;
  int rc = 0;

  for (s = copy + 1; *s; s++) {
    if (*s != '/')
      continue;
    *s = '\0';
    if (mkdir(copy, 0777) != 0 && errno != EEXIST)
      rc = -1;
    *s = '/';
  }
  if (mkdir(copy, 0777) != 0 && errno != EEXIST)
    rc = -1;
  free(copy);
  return rc == 0 && is_dir(path) ? 0 : -1;
}

static int usable_dir(const char *path) {
  return make_dirs(path) == 0 && access(path, R_OK | W_OK | X_OK) == 0;
}

/* python.wasm, or python-snapshot.wasm (scripts/snapshot-wasi.sh: the
 * interpreter already initialised) when it can resume it: the guest's
 * PYTHONHASHSEED is the snapshot's, 0 (python/snapshot.c; any other run
 * would initialise afresh inside it, docs/PERFORMANCE.md); --snapshot and
 * --no-snapshot choose.  The guest's argv[0] stays "python.wasm". */
#define SNAPSHOT_HASH_SEED "0"
static int pick_module(launch_parse_t *p) {
  wasisock_launch_t *l = p->l;
  char *snapshot = launch_printf("%s/python-snapshot.wasm", l->python_dir);
  const char *seed = NULL;
  size_t i;
  int want;

  for (i = 0; i < l->nenv; i++)
    if (strcmp(l->env[i].name, "PYTHONHASHSEED") == 0)
      seed = l->env[i].value;
  want = p->snapshot >= 0 ? p->snapshot
                          : seed != NULL && strcmp(seed, SNAPSHOT_HASH_SEED) == 0 &&
                                is_file(snapshot);
  if (want && !is_file(snapshot)) {
    int rc = launch_usage_error(p, "--snapshot: no %s", snapshot);
    p->show_usage = 0;
    free(snapshot);
    return rc;
  }
  if (want) {
    free(l->module);
    l->module = snapshot;
  } else {
    free(snapshot);
  }
  return 0;
}

static int setup_python(launch_parse_t *p) {
  wasisock_launch_t *l = p->l;
  char cwd[PATH_MAX], *base, *lib;
  const char *script;
  char *const *e;
  size_t i;
  int rc;

  if ((rc = find_python_dir(p)) != 0)
    return rc;
  l->module = launch_printf("%s/python.wasm", l->python_dir);
  set_argv(l, "python.wasm", p->rest, p->nrest);
  if (l->stack_kb == 0)
    l->stack_kb = LAUNCH_PYTHON_STACK_KB;

  /* Directories: ".", the current one, the script's, --dir, /lib. */
  if (getcwd(cwd, sizeof cwd) == NULL) {
    snprintf(p->err, p->errlen, "cannot find the current directory: %s",
             strerror(errno));
    return LAUNCH_EXIT_LOAD;
  }
  pair_set(&l->dirs, &l->ndirs, ".", 1, cwd);
  pair_set(&l->dirs, &l->ndirs, cwd, strlen(cwd), cwd);
  script = script_arg(p->rest, p->nrest);
  if (script != NULL && script[0] == '/') {
    char *d = dirname_of(script);
    if (is_dir(d))
      pair_set(&l->dirs, &l->ndirs, d, strlen(d), d);
    free(d);
  }
  for (i = 0; i < p->ndirs; i++)
    if ((rc = add_dir(p, p->dirs[i], 1)) != 0)
      return rc;
  lib = launch_printf("%s/lib", l->python_dir);
  pair_set(&l->dirs, &l->ndirs, "/lib", 4, lib);
  free(lib);

  /* The compiled-code cache ($WASISOCK_PYTHON_CACHE, else the runners'
   * python-code); /etc goes there too, or, with caching off (so that
   * --no-code-cache writes nothing in it), in a temporary directory. */
  base = runners_cache(p);
  l->cache_dir = code_cache(p, "WASISOCK_PYTHON_CACHE", base, "python-code");
  if (l->cache_dir == NULL) {
    free(base);
    base = NULL;
  } else if (launch_getenv(p->envp, "WASISOCK_PYTHON_CACHE") != NULL &&
             launch_getenv(p->envp, "WASISOCK_PYTHON_CACHE")[0] != '\0') {
    free(base);
    base = launch_strdup(l->cache_dir);
  }

  /* Environment: ours minus host Python paths, PYTHONHOME, the user and
   * CA variables and /etc (unless the user maps an /etc of their own),
   * then --env. */
  for (e = p->envp; e != NULL && *e != NULL; e++)
    if (strchr(*e, '=') != NULL && !dropped(*e, python_drop_env))
      env_put(l, *e);
  env_put(l, "PYTHONHOME=/");
  if ((rc = finish_env(p, base)) != 0)
    return rc;
  return pick_module(p);
}

int launch_guest_setup(launch_parse_t *p) {
  return p->l->command == LAUNCH_PYTHON ? setup_python(p) : setup_run(p);
}
