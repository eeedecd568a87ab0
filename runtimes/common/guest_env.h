/*
 * guest_env.h — the ordinary Unix a guest finds besides its sockets: a user
 * (USER, LOGNAME, HOME), the host's resolver and service files under /etc,
 * and the host's CA certificates where Debian, Fedora and Alpine tools look
 * for them.  Used by every launcher (wasisock-run, wasisock-python) on every
 * engine: plain C on POSIX, no engine, no libwasisock.
 *
 *   wasisock_guest_env_config_t cfg = {0};
 *   wasisock_guest_env_t ge;
 *   cfg.env = guest_env_so_far;            // NAME=VALUE, NULL-terminated
 *   cfg.cache_dir = "~/.cache/wasisock";   // NULL: a temporary directory
 *   if (wasisock_guest_env_prepare(&cfg, &ge, err, sizeof err) != 0) ...
 *   // preopen ge.etc_dir as "/etc" (read-only where the engine can);
 *   // remove ge.unset[], set ge.set[] in the guest's environment, then
 *   // apply the user's --env; run the guest; then:
 *   wasisock_guest_env_free(&ge);
 *
 * The guest's /etc is one host directory of regular files (a WASI preopen
 * cannot be a single file, and runtimes refuse symlinks leaving a preopen,
 * which Debian's /etc/ssl/certs is made of), copies of the host's, files
 * 0444 in directories 0555.  In the cache it is checked on every launch
 * (a few small files and one ~200 KB bundle) and rebuilt beside the old one
 * and renamed into place when anything differs — a guest that wrote there
 * (as root it can) or a changed host file is put right before the next
 * guest starts.  docs/ENVIRONMENT.md describes what the guest sees.
 */
#ifndef WASISOCK_GUEST_ENV_H
#define WASISOCK_GUEST_ENV_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The files of the host's /etc a guest sees, by index. */
enum wasisock_etc_file {
  WASISOCK_ETC_RESOLV_CONF, /* the resolver: DNS libraries read it */
  WASISOCK_ETC_HOSTS,
  WASISOCK_ETC_SERVICES,
  WASISOCK_ETC_PROTOCOLS,
  WASISOCK_ETC_HOSTNAME, /* the guest POSIX layer's gethostname() reads it */
  WASISOCK_ETC_COUNT
};

/* "resolv.conf", "hosts", "services", "protocols", "hostname"; NULL out of
 * range. */
const char *wasisock_etc_name(int file);
/* The index of such a name, or -1. */
int wasisock_etc_find(const char *name);

/* Where the guest finds the CA bundle (all the same file): Debian, Ubuntu
 * and Alpine (and certifi as Debian patches it), Fedora and RHEL,
 * openSUSE, OpenSSL's own default (python.wasm's OPENSSLDIR is /etc/ssl),
 * and the other places Go and Python look. */
#define WASISOCK_GUEST_CA_FILE "/etc/ssl/certs/ca-certificates.crt"
extern const char *const wasisock_guest_ca_paths[];

/* The CA variables a launcher may pass from the host: each names a file and
 * is translated to the guest's path of that file, or removed. */
extern const char *const wasisock_ca_file_vars[];
/* ... and the ones naming directories, always removed. */
extern const char *const wasisock_ca_dir_vars[];

typedef struct wasisock_guest_env_config {
  /* The environment the guest gets so far ("NAME=VALUE", NULL-terminated;
   * NULL: empty): the USER, LOGNAME and HOME it has are kept, the others
   * come from this process (its environment, else the password database);
   * its CA variables are translated or removed. */
  const char *const *env;
  /* Each /etc file: NULL shows the host's /etc/NAME if it exists, "" hides
   * it, anything else is a file shown under that name. */
  const char *etc[WASISOCK_ETC_COUNT];
  /* The CA bundle: NULL the host's ($SSL_CERT_FILE of this process when it
   * names a readable file, else the first that exists of the usual
   * places), "" none (and every CA variable removed), else that file, which
   * must hold a PEM certificate. */
  const char *ca_bundle;
  /* A directory of the launcher's cache for the guest's /etc (made if
   * needed), or NULL for a temporary directory wasisock_guest_env_free
   * removes. */
  const char *cache_dir;
} wasisock_guest_env_config_t;

typedef struct wasisock_guest_env {
  /* The host directory to map as the guest's /etc, or NULL when it would
   * be empty. */
  char *etc_dir;
  /* Changes to the guest's environment: names to remove, then NAME=VALUE
   * to set (both NULL-terminated), before the user's own --env. */
  char **unset;
  char **set;
  /* private */
  int temporary;
} wasisock_guest_env_t;

/* Fills *out.  Returns 0, or an errno value with a one-line message in err
 * (cut to errlen, terminated): ENOENT/EACCES/EISDIR (a --etc file or the
 * --ca-bundle cannot be read), EINVAL (a --ca-bundle without a PEM
 * certificate), or what making the directory met (ENOSPC, EROFS, ...).
 * *out is empty (safe to free) after an error. */
int wasisock_guest_env_prepare(const wasisock_guest_env_config_t *cfg,
                               wasisock_guest_env_t *out, char *err,
                               size_t errlen);

/* Frees *e and removes a temporary /etc.  NULL or an empty *e is ok. */
void wasisock_guest_env_free(wasisock_guest_env_t *e);

#ifdef __cplusplus
}
#endif

#endif /* WASISOCK_GUEST_ENV_H */
