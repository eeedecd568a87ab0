/*
 * guest_env.c — what a guest sees besides its sockets (guest_env.h): the
 * user, the host's /etc files, the CA bundle and the CA variables.
 *
 * Decisions, each as a Unix program would expect:
 *   - USER, LOGNAME and HOME the guest already has are kept (the user's
 *     --env, or an inherited environment); missing ones come from this
 *     process's environment, else from the password database, else the uid
 *     as a number (a container user without a passwd entry): so
 *     getpass.getuser() and os.path.expanduser() always answer.  HOME is
 *     the host's path; it is not mapped into the guest unless a --dir does.
 *   - The CA bundle sits at every path tools look for one, as hard links of
 *     one file; a CA variable naming a file the guest can have is rewritten
 *     to the guest's path of its copy, never passed with a host path, and
 *     removed otherwise; SSL_CERT_DIR (a directory of hashed links) is
 *     removed: the bundle carries the same certificates.
 */
#define _DEFAULT_SOURCE

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "etc_dir.h"
#include "guest_env.h"

static const char *const wasisock__etc_names[WASISOCK_ETC_COUNT] = {
    "resolv.conf", "hosts", "services", "protocols", "hostname"};

const char *const wasisock_guest_ca_paths[] = {
    WASISOCK_GUEST_CA_FILE,                              /* Debian, Alpine */
    "/etc/ssl/cert.pem",                                 /* OpenSSL, Alpine */
    "/etc/pki/tls/certs/ca-bundle.crt",                  /* Fedora, RHEL */
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", /* RHEL 7+ */
    "/etc/pki/tls/cacert.pem",                           /* OpenELEC */
    "/etc/ssl/ca-bundle.pem",                            /* openSUSE */
    NULL};

const char *const wasisock_ca_file_vars[] = {
    "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", NULL};
const char *const wasisock_ca_dir_vars[] = {"SSL_CERT_DIR", NULL};

/* Where hosts keep their bundle, in the order Python's and Go's lists try. */
static const char *const wasisock__host_bundles[] = {
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
    NULL};

#define WASISOCK__PEM "-----BEGIN CERTIFICATE-----"
#define WASISOCK__MAX_ENTRIES 32

const char *wasisock_etc_name(int file) {
  return file >= 0 && file < WASISOCK_ETC_COUNT ? wasisock__etc_names[file]
                                                : NULL;
}

int wasisock_etc_find(const char *name) {
  int i;

  for (i = 0; name != NULL && i < WASISOCK_ETC_COUNT; i++)
    if (strcmp(wasisock__etc_names[i], name) == 0)
      return i;
  return -1;
}

/* ---- Building the answer ------------------------------------------------- */

typedef struct wasisock__plan {
  wasisock__etc_entry_t e[WASISOCK__MAX_ENTRIES];
  size_t n;
  uint64_t id;         /* FNV-1a of every entry's path and source */
  size_t nset, nunset; /* used of out->set / out->unset */
  wasisock_guest_env_t *out;
  char *err;
  size_t errlen;
} wasisock__plan_t;

static void wasisock__hash(wasisock__plan_t *p, const char *s) {
  for (; *s; s++)
    p->id = (p->id ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
  p->id = (p->id ^ 0xff) * UINT64_C(0x100000001b3); /* a separator */
}

/* Appends s (copied) to the NULL-terminated list *list of *n strings. */
static int wasisock__list_add(char ***list, size_t *n, const char *s) {
  char **l = realloc(*list, (*n + 2) * sizeof(**list));

  if (l == NULL)
    return ENOMEM;
  *list = l;
  if ((l[*n] = strdup(s)) == NULL)
    return ENOMEM;
  l[++*n] = NULL;
  return 0;
}

static int wasisock__set(wasisock__plan_t *p, const char *name,
                         const char *value) {
  char *kv;
  int r;

  if ((kv = malloc(strlen(name) + strlen(value) + 2)) == NULL)
    return ENOMEM;
  sprintf(kv, "%s=%s", name, value);
  r = wasisock__list_add(&p->out->set, &p->nset, kv);
  free(kv);
  return r;
}

/* Adds a file to /etc: guest path rel (under /etc), bytes taken over (or,
 * with link_to >= 0, those of that entry), source identifying it in the
 * cache's directory name. */
static int wasisock__add(wasisock__plan_t *p, const char *rel,
                         unsigned char *bytes, size_t len, int link_to,
                         const char *source) {
  wasisock__etc_entry_t *e;

  if (p->n == WASISOCK__MAX_ENTRIES) {
    free(link_to < 0 ? bytes : NULL);
    return E2BIG;
  }
  e = &p->e[p->n];
  if ((e->path = strdup(rel)) == NULL) {
    free(link_to < 0 ? bytes : NULL);
    return ENOMEM;
  }
  e->link_to = link_to;
  e->bytes = link_to >= 0 ? p->e[link_to].bytes : bytes;
  e->len = link_to >= 0 ? p->e[link_to].len : len;
  p->n++;
  wasisock__hash(p, rel);
  wasisock__hash(p, source);
  return 0;
}

/* The value of name in a NAME=VALUE list, or NULL. */
static const char *wasisock__env_get(const char *const *env, const char *name) {
  size_t n = strlen(name);

  for (; env != NULL && *env != NULL; env++)
    if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
      return *env + n + 1;
  return NULL;
}

static int wasisock__has_pem(const unsigned char *b, size_t len) {
  size_t k = sizeof(WASISOCK__PEM) - 1, i;

  for (i = 0; i + k <= len; i++)
    if (b[i] == '-' && memcmp(b + i, WASISOCK__PEM, k) == 0)
      return 1;
  return 0;
}

/* ---- The parts ----------------------------------------------------------- */

static int wasisock__user(wasisock__plan_t *p, const char *const *env) {
  static const char *const names[] = {"USER", "LOGNAME", "HOME"};
  struct passwd *pw = NULL;
  char uid[32];
  const char *v;
  size_t i;
  int r;

  for (i = 0; i < 3; i++) {
    if (wasisock__env_get(env, names[i]) != NULL)
      continue; /* the guest has it: the user's, or inherited */
    /* USER for LOGNAME and the other way: the guest's, then ours. */
    v = i < 2 ? wasisock__env_get(env, names[1 - i]) : NULL;
    if (v == NULL)
      v = getenv(names[i]);
    if (v == NULL && i < 2)
      v = getenv(names[1 - i]);
    if (v == NULL || *v == '\0') {
      if (pw == NULL)
        pw = getpwuid(getuid());
      v = pw == NULL ? NULL : i < 2 ? pw->pw_name : pw->pw_dir;
    }
    if (v == NULL || *v == '\0') {
      snprintf(uid, sizeof(uid), "%lu", (unsigned long)getuid());
      v = i < 2 ? uid : "/";
    }
    if ((r = wasisock__set(p, names[i], v)) != 0)
      return r;
  }
  return 0;
}

static int wasisock__etc_files(wasisock__plan_t *p,
                               const wasisock_guest_env_config_t *cfg) {
  char host[64];
  unsigned char *b;
  size_t len;
  int i, r;

  for (i = 0; i < WASISOCK_ETC_COUNT; i++) {
    const char *src = cfg->etc[i];
    if (src != NULL && *src == '\0')
      continue; /* hidden */
    if (src == NULL) {
      snprintf(host, sizeof(host), "/etc/%s", wasisock__etc_names[i]);
      if (wasisock__read_file(host, &b, &len) != 0)
        continue; /* the host has none (or cannot read it): none either */
      src = host;
    } else if ((r = wasisock__read_file(src, &b, &len)) != 0) {
      return wasisock__fail(p->err, p->errlen, r, "%s (for /etc/%s): %s", src,
                            wasisock__etc_names[i], strerror(r));
    }
    if ((r = wasisock__add(p, wasisock__etc_names[i], b, len, -1, src)) != 0)
      return r;
  }
  return 0;
}

/* The bundle: its bytes at every CA path.  Returns the index of its first
 * entry in *at, or -1 when the guest gets none. */
static int wasisock__bundle(wasisock__plan_t *p,
                            const wasisock_guest_env_config_t *cfg, int *at) {
  const char *src = cfg->ca_bundle, *env;
  unsigned char *b = NULL;
  size_t len = 0, i;
  int r;

  *at = -1;
  if (src != NULL && *src == '\0')
    return 0;
  if (src != NULL) {
    if ((r = wasisock__read_file(src, &b, &len)) != 0)
      return wasisock__fail(p->err, p->errlen, r, "CA bundle %s: %s", src,
                            strerror(r));
    if (!wasisock__has_pem(b, len)) {
      free(b);
      return wasisock__fail(p->err, p->errlen, EINVAL,
                            "CA bundle %s: no PEM certificate in it", src);
    }
  } else {
    /* The host's: $SSL_CERT_FILE as OpenSSL itself would use it, else the
     * usual places; an unreadable one gives the guest none. */
    env = getenv("SSL_CERT_FILE");
    if (env != NULL && *env != '\0' &&
        wasisock__read_file(env, &b, &len) == 0 && wasisock__has_pem(b, len))
      src = env;
    for (i = 0; src == NULL && wasisock__host_bundles[i] != NULL; i++) {
      free(b);
      b = NULL;
      if (wasisock__read_file(wasisock__host_bundles[i], &b, &len) == 0 &&
          wasisock__has_pem(b, len))
        src = wasisock__host_bundles[i];
    }
    if (src == NULL) {
      free(b);
      return 0;
    }
  }
  *at = (int)p->n;
  for (i = 0; wasisock_guest_ca_paths[i] != NULL; i++) {
    r = wasisock__add(p, wasisock_guest_ca_paths[i] + 5 /* "/etc/" */, b, len,
                      i == 0 ? -1 : *at, src);
    if (r != 0)
      return r;
  }
  return 0;
}

/* SSL_CERT_FILE, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE in the guest's
 * environment: the guest path of the same file, or gone. */
static int wasisock__ca_vars(wasisock__plan_t *p, const char *const *env,
                             int bundle) {
  char rel[128];
  unsigned char *b;
  size_t len, i;
  int r;

  for (i = 0; wasisock_ca_dir_vars[i] != NULL; i++)
    if (wasisock__env_get(env, wasisock_ca_dir_vars[i]) != NULL &&
        (r = wasisock__list_add(&p->out->unset, &p->nunset,
                                wasisock_ca_dir_vars[i])) != 0)
      return r;
  for (i = 0; wasisock_ca_file_vars[i] != NULL; i++) {
    const char *var = wasisock_ca_file_vars[i];
    const char *host = wasisock__env_get(env, var);
    if (host == NULL)
      continue;
    b = NULL;
    if (bundle < 0 || wasisock__read_file(host, &b, &len) != 0 ||
        !wasisock__has_pem(b, len)) {
      free(b);
      r = wasisock__list_add(&p->out->unset, &p->nunset, var);
    } else if (len == p->e[bundle].len &&
               memcmp(b, p->e[bundle].bytes, len) == 0) {
      free(b);
      r = wasisock__set(p, var, WASISOCK_GUEST_CA_FILE);
    } else {
      snprintf(rel, sizeof(rel), "ssl/host/%s.pem", var);
      if ((r = wasisock__add(p, rel, b, len, -1, host)) == 0) {
        snprintf(rel, sizeof(rel), "/etc/ssl/host/%s.pem", var);
        r = wasisock__set(p, var, rel);
      }
    }
    if (r != 0)
      return r;
  }
  return 0;
}

/* ---- The API ------------------------------------------------------------- */

int wasisock_guest_env_prepare(const wasisock_guest_env_config_t *cfg,
                               wasisock_guest_env_t *out, char *err,
                               size_t errlen) {
  wasisock__plan_t *p;
  size_t i;
  int r, bundle;

  if (err != NULL && errlen > 0)
    err[0] = '\0';
  if (out == NULL)
    return EINVAL;
  memset(out, 0, sizeof(*out));
  if (cfg == NULL)
    return EINVAL;
  if ((p = calloc(1, sizeof(*p))) == NULL)
    return ENOMEM;
  p->out = out;
  p->err = err;
  p->errlen = errlen;
  p->id = UINT64_C(0xcbf29ce484222325);

  if ((r = wasisock__user(p, cfg->env)) == 0 &&
      (r = wasisock__etc_files(p, cfg)) == 0 &&
      (r = wasisock__bundle(p, cfg, &bundle)) == 0 &&
      (r = wasisock__ca_vars(p, cfg->env, bundle)) == 0 && p->n > 0) {
    r = wasisock__etc_dir(p->e, p->n, cfg->cache_dir, p->id, &out->etc_dir,
                          &out->temporary, err, errlen);
    /* A cache that cannot be written (read-only home, full disk): a
     * temporary /etc does as well. */
    if (r != 0 && r != ENOMEM && cfg->cache_dir != NULL)
      r = wasisock__etc_dir(p->e, p->n, NULL, p->id, &out->etc_dir,
                            &out->temporary, err, errlen);
  }
  if (r == ENOMEM || r == E2BIG)
    (void)wasisock__fail(p->err, p->errlen, r, "guest environment: %s",
                         strerror(r));
  for (i = 0; i < p->n; i++) {
    free(p->e[i].path);
    if (p->e[i].link_to < 0)
      free(p->e[i].bytes);
  }
  free(p);
  if (r != 0)
    wasisock_guest_env_free(out);
  return r;
}

void wasisock_guest_env_free(wasisock_guest_env_t *e) {
  char **s;

  if (e == NULL)
    return;
  if (e->etc_dir != NULL && e->temporary)
    (void)wasisock__etc_remove(e->etc_dir);
  free(e->etc_dir);
  for (s = e->set; s != NULL && *s != NULL; s++)
    free(*s);
  for (s = e->unset; s != NULL && *s != NULL; s++)
    free(*s);
  free(e->set);
  free(e->unset);
  memset(e, 0, sizeof(*e));
}
