/*
 * launch_args.c — the command lines of wasisock-run and wasisock-python:
 * one table of flags, the parser, the --help text made from the same
 * table, and the network policy built from the flags.
 *
 * wasisock-run takes options up to the module path ("--" ends them; an
 * unknown option is a usage error); wasisock-python takes launcher options
 * up to the first argument that is not one, which starts python's own
 * arguments (script.py, -c CODE, -m MODULE, -u, ...).  Values come as
 * "--flag VALUE" or "--flag=VALUE".  What the flags say about the guest's
 * world (environment, directories, python.wasm, caches, CA bundle) is
 * turned into the plan by launch_guest.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "launch_internal.h"

/* ---- flag handlers -------------------------------------------------------- */

static int push_string(char ***list, size_t *n, const char *s) {
  char **bigger = realloc(*list, (*n + 1) * sizeof **list);
  if (bigger == NULL)
    return -1;
  *list = bigger;
  (*list)[(*n)++] = launch_strdup(s);
  return 0;
}

static int on_dir(launch_parse_t *p, const launch_flag_t *f, const char *v) {
  (void)f;
  return push_string(&p->dirs, &p->ndirs, v) ? launch_oom(p) : 0;
}

static int on_env(launch_parse_t *p, const launch_flag_t *f, const char *v) {
  (void)f;
  if (strchr(v, '=') == NULL || v[0] == '=')
    return launch_usage_error(p, "--env wants NAME=VALUE, got \"%s\"", v);
  return push_string(&p->envs, &p->nenvs, v) ? launch_oom(p) : 0;
}

static int on_engine(launch_parse_t *p, const launch_flag_t *f, const char *v) {
  (void)f;
  return launch_pick_engine(p, v, "--engine");
}

static int on_inherit_env(launch_parse_t *p, const launch_flag_t *f,
                          const char *v) {
  (void)f, (void)v;
  p->inherit_env = 1;
  return 0;
}

static int on_stack_size(launch_parse_t *p, const launch_flag_t *f,
                         const char *v) {
  char *end;
  unsigned long kb;
  (void)f;
  kb = v[0] >= '1' && v[0] <= '9' ? strtoul(v, &end, 10) : 0;
  if (kb == 0 || *end != '\0' || kb > 4u * 1024 * 1024)
    return launch_usage_error(p, "--stack-size wants a size in KiB, got \"%s\"",
                              v);
  p->l->stack_kb = (uint32_t)kb;
  return 0;
}

static int on_action(launch_parse_t *p, const launch_flag_t *f, const char *v) {
  (void)v;
  if (strcmp(f->name, "--check") == 0)
    p->l->action = LAUNCH_ACTION_CHECK;
  else if (strcmp(f->name, "--version") == 0)
    p->l->action = LAUNCH_ACTION_VERSION;
  else
    p->l->action = LAUNCH_ACTION_HELP;
  return 0;
}

static int on_python_dir(launch_parse_t *p, const launch_flag_t *f,
                         const char *v) {
  (void)f;
  free(p->python_dir);
  p->python_dir = launch_strdup(v);
  return 0;
}

static int on_ca_bundle(launch_parse_t *p, const launch_flag_t *f,
                        const char *v) {
  free(p->ca_file);
  p->ca_file = NULL;
  if (strcmp(f->name, "--no-ca-bundle") == 0) {
    p->ca_mode = LAUNCH_CA_NONE;
  } else {
    p->ca_mode = LAUNCH_CA_FILE;
    p->ca_file = launch_strdup(v);
  }
  return 0;
}

static int on_snapshot(launch_parse_t *p, const launch_flag_t *f,
                       const char *v) {
  (void)v;
  p->snapshot = strcmp(f->name, "--snapshot") == 0;
  return 0;
}

static int on_no_code_cache(launch_parse_t *p, const launch_flag_t *f,
                            const char *v) {
  (void)f, (void)v;
  p->no_cache = 1;
  return 0;
}

/* "resolv.conf, hosts, ...": the /etc files guest_env.c knows. */
static const char *etc_names(void) {
  static char names[128];
  int i;
  if (names[0] == '\0')
    for (i = 0; i < WASISOCK_ETC_COUNT; i++)
      snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
               i ? ", " : "", wasisock_etc_name(i));
  return names;
}

static int on_no_etc(launch_parse_t *p, const launch_flag_t *f, const char *v) {
  int i;
  (void)f;
  if (strcmp(v, "all") == 0) {
    for (i = 0; i < WASISOCK_ETC_COUNT; i++) {
      free(p->etc[i]);
      p->etc[i] = launch_strdup("");
    }
    return 0;
  }
  if ((i = wasisock_etc_find(v)) < 0)
    return launch_usage_error(p, "--no-etc wants one of %s or all, got \"%s\"",
                              etc_names(), v);
  free(p->etc[i]);
  p->etc[i] = launch_strdup("");
  return 0;
}

static int on_etc(launch_parse_t *p, const launch_flag_t *f, const char *v) {
  const char *eq = strchr(v, '=');
  char name[32];
  int i = -1;
  (void)f;
  if (eq != NULL && eq > v && (size_t)(eq - v) < sizeof name) {
    snprintf(name, sizeof name, "%.*s", (int)(eq - v), v);
    i = wasisock_etc_find(name);
  }
  if (i < 0 || eq[1] == '\0')
    return launch_usage_error(p, "--etc wants NAME=FILE with NAME one of %s, "
                                 "got \"%s\"", etc_names(), v);
  free(p->etc[i]);
  p->etc[i] = launch_abspath(eq + 1);
  return 0;
}

/* A name systemd accepts in LISTEN_FDNAMES (fdname_is_valid): printable
 * ASCII, no ':', at most 255 bytes. */
static int valid_fd_name(const char *s, size_t n) {
  size_t i;
  if (n == 0 || n > 255)
    return 0;
  for (i = 0; i < n; i++)
    if (s[i] < 0x20 || s[i] > 0x7e || s[i] == ':')
      return 0;
  return 1;
}

static int on_listen(launch_parse_t *p, const launch_flag_t *f, const char *v) {
  const char *eq = strchr(v, '=');
  char *name, *spec;
  char **bigger;
  (void)f;
  if (eq != NULL) {
    if (!valid_fd_name(v, (size_t)(eq - v)))
      return launch_usage_error(p, "--listen %s: the name must be 1-255 "
                                   "printable characters without \":\"", v);
    name = launch_printf("%.*s", (int)(eq - v), v);
    spec = launch_strdup(eq + 1);
  } else {
    name = launch_strdup(strncasecmp(v, "udp:", 4) == 0 ? "udp" : "tcp");
    spec = launch_strdup(v);
  }
  bigger = realloc(p->listen, (p->nlisten + 3) * sizeof *bigger);
  if (bigger == NULL) {
    free(name);
    free(spec);
    return launch_oom(p);
  }
  p->listen = bigger;
  p->listen[p->nlisten++] = name;
  p->listen[p->nlisten++] = spec;
  p->listen[p->nlisten++] = launch_printf("--listen %s", v);
  return 0;
}

static int on_trace(launch_parse_t *p, const launch_flag_t *f, const char *v) {
  (void)f;
  if (v != NULL && v[0] == '\0')
    return launch_usage_error(p, "--trace=FILE needs a file name");
  free(p->trace);
  p->trace = launch_strdup(v != NULL ? v : "");
  return 0;
}

static int push_rule(launch_parse_t *p, char *rule, char *flag, char *file) {
  wasisock_launch_t *l = p->l;
  launch_rule_t *bigger = realloc(l->rules, (l->nrules + 1) * sizeof *bigger);
  if (bigger == NULL)
    return launch_oom(p);
  l->rules = bigger;
  l->rules[l->nrules].rule = rule;
  l->rules[l->nrules].flag = flag;
  l->rules[l->nrules].file = file;
  l->nrules++;
  return 0;
}

/* A rule flag: its policy line is f->rule followed by the value. */
static int on_rule(launch_parse_t *p, const launch_flag_t *f, const char *v) {
  char *end;
  unsigned long n;

  if (v == NULL)
    return push_rule(p, launch_strdup(f->rule), launch_strdup(f->name), NULL);
  /* The policy's limit applies whatever the config says; the config's
   * default (1024) is raised too so that a larger N means N, or as many as
   * libwasisock can number. */
  if (strcmp(f->name, "--max-sockets") == 0 && v[0] >= '1' && v[0] <= '9') {
    n = strtoul(v, &end, 10);
    if (*end == '\0')
      p->l->max_sockets = n < WASISOCK_MAX_SOCKETS_LIMIT
                              ? (uint32_t)n
                              : WASISOCK_MAX_SOCKETS_LIMIT;
  }
  return push_rule(p, launch_printf("%s %s", f->rule, v),
                   launch_printf("%s %s", f->name, v), NULL);
}

static int on_policy_file(launch_parse_t *p, const launch_flag_t *f,
                          const char *v) {
  (void)f;
  return push_rule(p, NULL, NULL, launch_strdup(v));
}

static int on_log_denials(launch_parse_t *p, const launch_flag_t *f,
                          const char *v) {
  (void)v;
  p->l->log_denials = strcmp(f->name, "--log-denials") == 0;
  return 0;
}

/* ---- the table ------------------------------------------------------------- */

#define RUN LAUNCH_RUN
#define PY LAUNCH_PYTHON
#define BOTH (LAUNCH_RUN | LAUNCH_PYTHON)

/* In --help order.  help_python replaces help for wasisock-python. */
static const launch_flag_t launch_flags[] = {
    {"--python-dir", "DIR", PY, LAUNCH_SECTION_OPTIONS, NULL, on_python_dir,
     NULL,
     "directory with python.wasm and lib/ (default:\n"
     "$WASISOCK_PYTHON_DIR, else <bin>/../python-wasm)"},
    {"--dir", "HOST[::GUEST]", BOTH, LAUNCH_SECTION_OPTIONS, NULL, on_dir,
     "make directory HOST visible to the guest as GUEST\n"
     "(default: the same path); repeatable",
     "also map directory HOST into the guest as GUEST\n"
     "(default: the same path); repeatable"},
    {"--env", "NAME=VALUE", BOTH, LAUNCH_SECTION_OPTIONS, NULL, on_env,
     "set an environment variable for the guest; repeatable",
     "set a variable in the guest; repeatable"},
    {"--inherit-env", NULL, RUN, LAUNCH_SECTION_OPTIONS, NULL, on_inherit_env,
     "pass this process's environment to the guest", NULL},
    {"--stack-size", "KB", RUN, LAUNCH_SECTION_OPTIONS, NULL, on_stack_size,
     "the guest's stack in KiB (node: V8's --stack-size;\n"
     "wasmtime: its wasm stack limit); python.wasm needs\n"
     "7600",
     NULL},
    {"--no-code-cache", NULL, BOTH, LAUNCH_SECTION_OPTIONS, NULL,
     on_no_code_cache,
     "compile the module on this run, don't use the cache of\n"
     "compiled code (wasmtime; $WASISOCK_CODE_CACHE)",
     "compile python.wasm on this run, don't use the cache"},
    {"--snapshot", NULL, PY, LAUNCH_SECTION_OPTIONS, NULL, on_snapshot, NULL,
     "run python-snapshot.wasm, the pre-initialised python.wasm\n"
     "(default: when present and the guest's PYTHONHASHSEED is 0)"},
    {"--no-snapshot", NULL, PY, LAUNCH_SECTION_OPTIONS, NULL, on_snapshot,
     NULL, "run the plain python.wasm"},
    {"--engine", "NAME", BOTH, LAUNCH_SECTION_OPTIONS, NULL, on_engine,
     "the engine: ENGINES (default: $WASISOCK_ENGINE,\n"
     "else DEFAULT)",
     NULL},
    {"--check", NULL, RUN, LAUNCH_SECTION_OPTIONS, NULL, on_action,
     "check that the module links, then exit 0", NULL},
    {"-h", NULL, RUN, LAUNCH_SECTION_HIDDEN, NULL, on_action, NULL, NULL},
    {"--help", NULL, RUN, LAUNCH_SECTION_OPTIONS, NULL, on_action,
     "this help (also -h)", NULL},
    {"--launcher-help", NULL, PY, LAUNCH_SECTION_OPTIONS, NULL, on_action,
     NULL, "this help"},
    {"--version", NULL, RUN, LAUNCH_SECTION_OPTIONS, NULL, on_action,
     "versions of the runner, libwasisock, the ABI and\nthe engines", NULL},
    /* The network policy: each flag is one line of the policy language
     * (docs/POLICY.md), applied in command-line order. */
    {"--deny-all", NULL, BOTH, LAUNCH_SECTION_POLICY, "default deny", on_rule,
     "deny whatever no rule allows (\"default deny\")", NULL},
    {"--allow-all", NULL, BOTH, LAUNCH_SECTION_POLICY, "default allow",
     on_rule, "allow whatever no rule denies (the default)", NULL},
    {"--allow-connect", "SPEC", BOTH, LAUNCH_SECTION_POLICY, "allow connect",
     on_rule,
     "allow connecting to SPEC (\"allow connect SPEC\");\n"
     "SPEC is HOST[:PORTS]: * | name | *.suffix | IPv4 or\n"
     "IPv6 address or CIDR ([::1], 10.0.0.0/8), PORTS N,\n"
     "N-M or *.  e.g. --allow-connect 127.0.0.1:8000-8999",
     NULL},
    {"--deny-connect", "SPEC", BOTH, LAUNCH_SECTION_POLICY, "deny connect",
     on_rule, "deny connecting to SPEC", NULL},
    {"--allow-bind", "SPEC", BOTH, LAUNCH_SECTION_POLICY, "allow bind",
     on_rule, "allow binding/listening on local address SPEC", NULL},
    {"--deny-bind", "SPEC", BOTH, LAUNCH_SECTION_POLICY, "deny bind", on_rule,
     "deny it", NULL},
    {"--allow-resolve", "SPEC", BOTH, LAUNCH_SECTION_POLICY, "allow resolve",
     on_rule, "allow looking up names matching SPEC (* | name |\n*.suffix)",
     NULL},
    {"--deny-resolve", "SPEC", BOTH, LAUNCH_SECTION_POLICY, "deny resolve",
     on_rule, "deny looking them up", NULL},
    {"--allow-net", "SPEC", BOTH, LAUNCH_SECTION_POLICY, "allow any", on_rule,
     "all three at once (\"allow any SPEC\")", NULL},
    {"--deny-net", "SPEC", BOTH, LAUNCH_SECTION_POLICY, "deny any", on_rule,
     "(\"deny any SPEC\")", NULL},
    {"--max-sockets", "N", BOTH, LAUNCH_SECTION_POLICY, "max-sockets", on_rule,
     "at most N open sockets (EMFILE beyond; default 1024)", NULL},
    {"--max-buffer", "BYTES", BOTH, LAUNCH_SECTION_POLICY, "max-buffer",
     on_rule,
     "kernel send/receive buffer per socket and direction\n"
     "(k and M suffixes: 64k, 1M)",
     NULL},
    {"--policy", "FILE", BOTH, LAUNCH_SECTION_POLICY, NULL, on_policy_file,
     "rules from FILE, one per line, # comments", NULL},
    {"--log-denials", NULL, BOTH, LAUNCH_SECTION_POLICY, NULL, on_log_denials,
     "print each denial to stderr (default when any\npolicy flag is given)",
     NULL},
    {"--no-log-denials", NULL, BOTH, LAUNCH_SECTION_POLICY, NULL,
     on_log_denials, "don't", NULL},
    /* What the guest sees besides its sockets (guest_env.c, listen.c). */
    {"--no-etc", "NAME", BOTH, LAUNCH_SECTION_ENV, NULL, on_no_etc,
     "hide /etc/NAME (resolv.conf, hosts, services,\nprotocols, hostname, or all)",
     NULL},
    {"--etc", "NAME=FILE", BOTH, LAUNCH_SECTION_ENV, NULL, on_etc,
     "show FILE as /etc/NAME", NULL},
    {"--ca-bundle", "FILE", BOTH, LAUNCH_SECTION_ENV, NULL, on_ca_bundle,
     "the CA certificates the guest trusts (at\n"
     "/etc/ssl/certs/ca-certificates.crt, /etc/ssl/cert.pem,\n"
     "...); default: the host's bundle",
     NULL},
    {"--no-ca-bundle", NULL, BOTH, LAUNCH_SECTION_ENV, NULL, on_ca_bundle,
     "no CA certificates and no CA variables", NULL},
    {"--listen", "[NAME=][tcp:|udp:]HOST:PORT", BOTH, LAUNCH_SECTION_ENV, NULL,
     on_listen,
     "bind a socket with the runner's rights and hand it to\n"
     "the guest (LISTEN_FDS, LISTEN_FDNAMES, LISTEN_FDS_START;\n"
     "works under --deny-all); repeatable; PORT 0: a free\n"
     "one, printed",
     NULL},
    {"--trace", "[=FILE]", BOTH, LAUNCH_SECTION_ENV, NULL, on_trace,
     "one line per wasisock call, strace-style, to stderr or\nFILE",
     NULL},
};
#define NFLAGS (sizeof launch_flags / sizeof launch_flags[0])

#undef RUN
#undef PY
#undef BOTH

static const launch_flag_t *find_flag(launch_command_t command,
                                      const char *name) {
  size_t i;
  for (i = 0; i < NFLAGS; i++)
    if ((launch_flags[i].commands & command) &&
        strcmp(launch_flags[i].name, name) == 0)
      return &launch_flags[i];
  return NULL;
}

/* ---- errors ------------------------------------------------------------------ */

int launch_usage_error(launch_parse_t *p, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->err, p->errlen, fmt, ap);
  va_end(ap);
  p->show_usage = 1;
  return LAUNCH_EXIT_USAGE;
}

int launch_oom(launch_parse_t *p) {
  snprintf(p->err, p->errlen, "out of memory");
  return LAUNCH_EXIT_LOAD;
}

int launch_pick_engine(launch_parse_t *p, const char *name, const char *from) {
  size_t i;
  char have[128] = "";

  for (i = 0; p->engines[i] != NULL; i++) {
    if (strcmp(p->engines[i], name) == 0) {
      p->l->engine = p->engines[i];
      return 0;
    }
    snprintf(have + strlen(have), sizeof have - strlen(have), "%s%s",
             i ? ", " : "", p->engines[i]);
  }
  return launch_usage_error(p, "%s: no engine \"%s\" in this build (it has: %s)",
                            from, name, have);
}

/* ---- parsing ------------------------------------------------------------------- */

int wasisock_launch_parse(wasisock_launch_t *l, launch_command_t command,
                          int argc, char **argv, char *const *envp,
                          const char *const *engines, char *err,
                          size_t errlen) {
  launch_parse_t p;
  const launch_flag_t *f;
  const char *a, *eq, *value, *env_engine;
  char name[64];
  int i, rc;

  memset(l, 0, sizeof *l);
  l->command = command;
  l->prog = command == LAUNCH_PYTHON ? "wasisock-python" : "wasisock-run";
  l->log_denials = -1;
  l->trace_fd = -1;
  memset(&p, 0, sizeof p);
  p.l = l;
  p.envp = envp;
  p.engines = engines;
  p.err = err;
  p.errlen = errlen;
  p.argv0 = argc > 0 ? argv[0] : NULL;
  p.snapshot = -1;
  if (errlen > 0)
    err[0] = '\0';
  if (engines == NULL || engines[0] == NULL) {
    snprintf(err, errlen, "no engine in this build");
    return LAUNCH_EXIT_LOAD;
  }
  l->engine = engines[0];
  env_engine = launch_getenv(envp, "WASISOCK_ENGINE");
  if (env_engine != NULL && env_engine[0] != '\0' &&
      (rc = launch_pick_engine(&p, env_engine, "WASISOCK_ENGINE")) != 0)
    goto out;

  for (i = 1; i < argc; i++) {
    a = argv[i];
    if (command == LAUNCH_RUN && strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (a[0] != '-' || strcmp(a, "-") == 0)
      break;
    /* "--flag=value": the flag is what comes before the '='. */
    eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
    snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - a) : (int)strlen(a),
             a);
    f = find_flag(command, name);
    if (f == NULL) {
      if (command == LAUNCH_PYTHON)
        break; /* python's arguments start here */
      rc = launch_usage_error(&p, "unknown option %s", a);
      goto out;
    }
    value = NULL;
    if (LAUNCH_FLAG_OPTIONAL(f)) {
      value = eq != NULL ? eq + 1 : NULL;
    } else if (f->metavar != NULL) {
      if (eq != NULL) {
        value = eq + 1;
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        rc = launch_usage_error(&p, "%s needs a value", f->name);
        goto out;
      }
    } else if (eq != NULL) {
      rc = launch_usage_error(&p, "%s takes no value", f->name);
      goto out;
    }
    if ((rc = f->apply(&p, f, value)) != 0)
      goto out;
  }
  p.rest = argv + i;
  p.nrest = (size_t)(argc - i);

  if (l->action == LAUNCH_ACTION_HELP || l->action == LAUNCH_ACTION_VERSION) {
    rc = 0;
    goto out;
  }
  if (command == LAUNCH_RUN && p.nrest == 0) {
    rc = launch_usage_error(&p, "no module given");
    goto out;
  }
  /* A bad rule stops here, before anything is loaded. */
  {
    wasisock_policy_t *policy = NULL;
    if ((rc = wasisock_launch_policy(l, &policy, err, errlen)) != 0)
      goto out;
    wasisock_policy_free(policy);
  }
  if ((rc = launch_guest_setup(&p)) == 0 && (rc = launch_open_trace(&p)) == 0)
    rc = launch_open_listeners(&p);
out:
  l->show_usage = rc == LAUNCH_EXIT_USAGE && p.show_usage;
  launch_parse_free(&p);
  return rc;
}

void launch_parse_free(launch_parse_t *p) {
  size_t i;
  for (i = 0; i < p->ndirs; i++)
    free(p->dirs[i]);
  for (i = 0; i < p->nenvs; i++)
    free(p->envs[i]);
  free(p->dirs);
  free(p->envs);
  free(p->python_dir);
  free(p->ca_file);
  for (i = 0; i < WASISOCK_ETC_COUNT; i++)
    free(p->etc[i]);
  for (i = 0; i < p->nlisten; i++)
    free(p->listen[i]);
  free(p->listen);
  free(p->trace);
}

void wasisock_launch_free(wasisock_launch_t *l) {
  size_t i;

  if (l == NULL)
    return;
  free(l->module);
  for (i = 0; i < l->argc; i++)
    free(l->argv[i]);
  free(l->argv);
  for (i = 0; i < l->nenv; i++) {
    free(l->env[i].name);
    free(l->env[i].value);
  }
  free(l->env);
  for (i = 0; i < l->ndirs; i++) {
    free(l->dirs[i].name);
    free(l->dirs[i].value);
  }
  free(l->dirs);
  for (i = 0; i < l->nrules; i++) {
    free(l->rules[i].rule);
    free(l->rules[i].flag);
    free(l->rules[i].file);
  }
  free(l->rules);
  free(l->cache_dir);
  free(l->python_dir);
  wasisock_guest_env_free(&l->guest_env); /* a temporary /etc too */
  for (i = 0; i < l->nlisteners; i++) {
    if (l->listeners[i].fd >= 0) /* not handed over */
      close(l->listeners[i].fd);
    free(l->listeners[i].name);
    free(l->listeners[i].flag);
  }
  free(l->listeners);
  if (l->trace_fd > 2)
    close(l->trace_fd);
  memset(l, 0, sizeof *l);
}

/* ---- the policy ------------------------------------------------------------------ */

int wasisock_launch_policy(const wasisock_launch_t *l,
                           wasisock_policy_t **out, char *err,
                           size_t errlen) {
  wasisock_policy_t *policy;
  char msg[512];
  size_t i;
  int32_t r;

  *out = NULL;
  if (l->nrules == 0)
    return 0;
  if (wasisock_policy_new(&policy) != WASISOCK_OK) {
    snprintf(err, errlen, "out of memory");
    return LAUNCH_EXIT_LOAD;
  }
  for (i = 0; i < l->nrules; i++) {
    const launch_rule_t *it = &l->rules[i];
    msg[0] = '\0';
    r = it->file != NULL
            ? wasisock_policy_load_file(policy, it->file, msg, sizeof msg)
            : wasisock_policy_add_rule(policy, it->rule, msg, sizeof msg);
    if (r != WASISOCK_OK) {
      /* A file: the parser's "FILE:LINE: message" names it already. */
      if (it->file != NULL)
        snprintf(err, errlen, "%s", msg[0] ? msg : wasisock_errno_message(r));
      else
        snprintf(err, errlen, "%s: %s", it->flag ? it->flag : it->rule,
                 msg[0] ? msg : wasisock_errno_message(r));
      wasisock_policy_free(policy);
      return LAUNCH_EXIT_USAGE;
    }
  }
  *out = policy;
  return 0;
}

/* ---- --help ------------------------------------------------------------------------ */

/* Appends "  FLAG METAVAR   help" with the help's lines at column 24. */
static void usage_flag(launch_buf_t *b, const launch_flag_t *f,
                       launch_command_t command, const char *const *engines) {
  const char *help = command == LAUNCH_PYTHON && f->help_python
                         ? f->help_python
                         : f->help;
  char head[64], engine_list[128] = "", *text;
  const char *line, *nl;
  size_t i;

  snprintf(head, sizeof head, "%s%s%s", f->name,
           f->metavar && !LAUNCH_FLAG_OPTIONAL(f) ? " " : "",
           f->metavar ? f->metavar : "");
  for (i = 0; engines[i] != NULL; i++)
    snprintf(engine_list + strlen(engine_list),
             sizeof engine_list - strlen(engine_list), "%s%s",
             i ? (engines[i + 1] ? ", " : " or ") : "", engines[i]);
  /* ENGINES and DEFAULT in --engine's help. */
  text = launch_replace(help, "ENGINES", engine_list);
  {
    char *t2 = launch_replace(text, "DEFAULT", engines[0]);
    free(text);
    text = t2;
  }
  if (strlen(head) <= 20)
    launch_buf_printf(b, "  %-21s ", head);
  else
    launch_buf_printf(b, "  %s\n%24s", head, "");
  for (line = text; *line; line = nl + 1) {
    nl = strchr(line, '\n');
    if (nl == NULL) {
      launch_buf_printf(b, "%s\n", line);
      break;
    }
    launch_buf_printf(b, "%.*s\n%24s", (int)(nl - line), line, "");
  }
  free(text);
}

/* The usage lines of one section's flags for this command, in table order. */
static void usage_section(launch_buf_t *b, launch_section_t section,
                          launch_command_t command,
                          const char *const *engines) {
  size_t i;

  for (i = 0; i < NFLAGS; i++)
    if ((launch_flags[i].commands & command) &&
        launch_flags[i].section == section)
      usage_flag(b, &launch_flags[i], command, engines);
}

char *wasisock_launch_usage(launch_command_t command, const char *prog,
                            const char *const *engines) {
  launch_buf_t b = {0};

  if (command == LAUNCH_PYTHON) {
    launch_buf_printf(
        &b,
        "usage: %s [launcher options] [python options and arguments]\n\n"
        "Runs python.wasm (CPython for WASI with the wasisocket package) with "
        "real\nTCP/UDP sockets; the arguments after the launcher options are "
        "python's own\n(script.py, -c CODE, -m MODULE, -u, -X ..., --version, "
        "...).\n\nlauncher options (before any python argument):\n",
        prog);
  } else {
    launch_buf_printf(
        &b,
        "usage: %s [options] module.wasm [args...]\n\n"
        "Runs a WASI preview 1 module with real TCP/UDP sockets and DNS from\n"
        "libwasisock (imports of module \"wasisock\").\n\noptions:\n",
        prog);
  }
  usage_section(&b, LAUNCH_SECTION_OPTIONS, command, engines);
  launch_buf_printf(
      &b, "\nnetwork policy (docs/POLICY.md; flags apply in order, first "
          "matching rule wins;\nwith none, the guest may reach anything):\n");
  usage_section(&b, LAUNCH_SECTION_POLICY, command, engines);
  launch_buf_printf(
      &b, "\nguest environment (docs/ENVIRONMENT.md): USER, LOGNAME and HOME\n"
          "from the host user; the host's /etc/resolv.conf, hosts, services, "
          "protocols,\nhostname and CA bundle in a read-only /etc; CA "
          "variables as guest paths:\n");
  usage_section(&b, LAUNCH_SECTION_ENV, command, engines);
  if (command == LAUNCH_PYTHON) {
    launch_buf_printf(
        &b,
        "\n(a refused request raises PermissionError in the script.)\n\n"
        "environment: WASISOCK_PYTHON_DIR, WASISOCK_PYTHON_CACHE (cache "
        "directory,\nor \"off\"), WASISOCK_ENGINE.  Exit status: python's; %d "
        "if python.wasm traps;\n%d if it cannot be loaded; %d for a usage "
        "error.\n",
        LAUNCH_EXIT_TRAP, LAUNCH_EXIT_LOAD, LAUNCH_EXIT_USAGE);
  } else {
    launch_buf_printf(
        &b,
        "\nenvironment: WASISOCK_ENGINE, WASISOCK_CODE_CACHE (directory of "
        "compiled\ncode, or \"off\").\n"
        "\nexample: only a local web server, nothing else (no DNS either):\n"
        "  %s --deny-all --allow-connect 127.0.0.1:8080 http_get.wasm "
        "http://127.0.0.1:8080/\n\n"
        "A refused request fails with EACCES (PermissionError in Python) and "
        "touches\nno network; the denial is printed as \"%s: denied connect "
        "...\".\n\n"
        "exit status: the guest's exit code; %d if it traps; %d if it cannot "
        "be\nloaded or linked (unknown imports are named); %d for a usage "
        "error\n(a bad policy rule included, with the parser's message).\n",
        prog, prog, LAUNCH_EXIT_TRAP, LAUNCH_EXIT_LOAD, LAUNCH_EXIT_USAGE);
  }
  return launch_buf_take(&b);
}
