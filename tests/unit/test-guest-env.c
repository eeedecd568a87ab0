/* The guest's ordinary Unix (runtimes/common/guest_env.h): USER, LOGNAME,
 * HOME; a read-only /etc of regular files with the host's resolver files
 * and the CA bundle at every usual path; the CA variables translated to
 * guest paths or removed; the cached directory put right when changed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest_env.h"

#define PEM_A "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
#define PEM_B "-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n"

typedef struct fixture {
  char root[256];  /* a temporary directory for this case */
  char cache[300]; /* root/cache */
} fixture_t;

static void put_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  assert_int_equal(fputs(text, f) >= 0, 1);
  assert_int_equal(fclose(f), 0);
}

/* Writes root/name with text into buf; returns buf. */
static const char *file_in(fixture_t *fx, char *buf, size_t len,
                           const char *name, const char *text) {
  snprintf(buf, len, "%s/%s", fx->root, name);
  put_file(buf, text);
  return buf;
}

static char *slurp(const char *path) {
  static char buf[4096];
  FILE *f = fopen(path, "r");
  size_t n;
  if (f == NULL)
    return NULL;
  n = fread(buf, 1, sizeof(buf) - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static const char *in_etc(const wasisock_guest_env_t *ge, const char *rel) {
  static char path[1024];
  snprintf(path, sizeof(path), "%s/%s", ge->etc_dir, rel);
  return path;
}

static const char *set_value(const wasisock_guest_env_t *ge, const char *name) {
  size_t n = strlen(name);
  char **s;
  for (s = ge->set; s != NULL && *s != NULL; s++)
    if (strncmp(*s, name, n) == 0 && (*s)[n] == '=')
      return *s + n + 1;
  return NULL;
}

static int unsets(const wasisock_guest_env_t *ge, const char *name) {
  char **s;
  for (s = ge->unset; s != NULL && *s != NULL; s++)
    if (strcmp(*s, name) == 0)
      return 1;
  return 0;
}

static int setup(void **state) {
  fixture_t *fx = calloc(1, sizeof(*fx));
  const char *t = getenv("TMPDIR");
  assert_non_null(fx);
  snprintf(fx->root, sizeof(fx->root), "%s/wasisock-genv-XXXXXX",
           t && *t ? t : "/tmp");
  assert_non_null(mkdtemp(fx->root));
  snprintf(fx->cache, sizeof(fx->cache), "%s/cache", fx->root);
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  fixture_t *fx = *state;
  char cmd[600];
  snprintf(cmd, sizeof(cmd), "chmod -R u+w '%s' && rm -rf '%s'", fx->root,
           fx->root);
  assert_int_equal(system(cmd), 0);
  free(fx);
  return 0;
}

/* A config that hides the host's /etc files and names bundle (or none). */
static wasisock_guest_env_config_t hidden(const char *bundle,
                                          const char *cache) {
  wasisock_guest_env_config_t cfg;
  int i;
  memset(&cfg, 0, sizeof(cfg));
  for (i = 0; i < WASISOCK_ETC_COUNT; i++)
    cfg.etc[i] = "";
  cfg.ca_bundle = bundle;
  cfg.cache_dir = cache;
  return cfg;
}

static void test_user_from_guest_process_passwd(void **state) {
  const char *env[] = {"USER=alice", "PATH=/bin", NULL};
  wasisock_guest_env_config_t cfg = hidden("", NULL);
  struct passwd *pw = getpwuid(getuid());
  wasisock_guest_env_t ge;
  char err[256];
  (void)state;

  /* The guest's USER stays; LOGNAME follows it; HOME is ours. */
  cfg.env = env;
  setenv("HOME", "/home/host-user", 1);
  assert_int_equal(wasisock_guest_env_prepare(&cfg, &ge, err, sizeof(err)), 0);
  assert_null(set_value(&ge, "USER"));
  assert_string_equal(set_value(&ge, "LOGNAME"), "alice");
  assert_string_equal(set_value(&ge, "HOME"), "/home/host-user");
  assert_null(ge.etc_dir); /* nothing to show */
  wasisock_guest_env_free(&ge);

  /* Nothing in the guest, nothing in our environment: the password
   * database (as for a service started with an empty environment). */
  cfg.env = NULL;
  unsetenv("USER");
  unsetenv("LOGNAME");
  unsetenv("HOME");
  assert_int_equal(wasisock_guest_env_prepare(&cfg, &ge, err, sizeof(err)), 0);
  if (pw != NULL) {
    assert_string_equal(set_value(&ge, "USER"), pw->pw_name);
    assert_string_equal(set_value(&ge, "LOGNAME"), pw->pw_name);
    assert_string_equal(set_value(&ge, "HOME"), pw->pw_dir);
  } else {
    assert_non_null(set_value(&ge, "USER")); /* the uid */
  }
  wasisock_guest_env_free(&ge);

  /* Our own environment before the password database. */
  setenv("USER", "bob", 1);
  assert_int_equal(wasisock_guest_env_prepare(&cfg, &ge, err, sizeof(err)), 0);
  assert_string_equal(set_value(&ge, "USER"), "bob");
  assert_string_equal(set_value(&ge, "LOGNAME"), "bob");
  wasisock_guest_env_free(&ge);
}

static void test_etc_files_read_only(void **state) {
  fixture_t *fx = *state;
  wasisock_guest_env_config_t cfg = hidden("", fx->cache);
  wasisock_guest_env_t ge;
  struct stat st;
  char err[256], p1[512], p2[512];

  cfg.etc[WASISOCK_ETC_RESOLV_CONF] =
      file_in(fx, p1, sizeof(p1), "resolv", "nameserver 127.0.0.1\n");
  cfg.etc[WASISOCK_ETC_SERVICES] =
      file_in(fx, p2, sizeof(p2), "svc", "http 80/tcp www\n");
  assert_int_equal(wasisock_guest_env_prepare(&cfg, &ge, err, sizeof(err)), 0);
  assert_non_null(ge.etc_dir);
  assert_string_equal(slurp(in_etc(&ge, "resolv.conf")),
                      "nameserver 127.0.0.1\n");
  assert_string_equal(slurp(in_etc(&ge, "services")), "http 80/tcp www\n");
  assert_int_equal(access(in_etc(&ge, "hosts"), F_OK), -1); /* hidden */
  assert_int_equal(lstat(in_etc(&ge, "resolv.conf"), &st), 0);
  assert_true(S_ISREG(st.st_mode));
  assert_int_equal(st.st_mode & 07777, 0444);
  assert_int_equal(stat(ge.etc_dir, &st), 0);
  assert_int_equal(st.st_mode & 07777, 0555);
  assert_int_equal(strncmp(ge.etc_dir, fx->cache, strlen(fx->cache)), 0);
  snprintf(p1, sizeof(p1), "%s", ge.etc_dir);
  wasisock_guest_env_free(&ge);
  assert_int_equal(access(p1, F_OK), 0); /* a cached directory stays */
}

/* The host's own files by default, where it has them. */
static void test_etc_host_defaults(void **state) {
  fixture_t *fx = *state;
  wasisock_guest_env_config_t cfg;
  wasisock_guest_env_t ge;
  char err[256];
  int i;

  memset(&cfg, 0, sizeof(cfg));
  cfg.ca_bundle = "";
  cfg.cache_dir = fx->cache;
  assert_int_equal(wasisock_guest_env_prepare(&cfg, &ge, err, sizeof(err)), 0);
  for (i = 0; i < WASISOCK_ETC_COUNT; i++) {
    char host[64];
    snprintf(host, sizeof(host), "/etc/%s", wasisock_etc_name(i));
    if (access(host, R_OK) != 0)
      continue;
    assert_non_null(ge.etc_dir);
    assert_int_equal(access(in_etc(&ge, wasisock_etc_name(i)), R_OK), 0);
  }
  wasisock_guest_env_free(&ge);
  assert_int_equal(wasisock_etc_find("resolv.conf"), WASISOCK_ETC_RESOLV_CONF);
  assert_int_equal(wasisock_etc_find("protocols"), WASISOCK_ETC_PROTOCOLS);
  assert_int_equal(wasisock_etc_find("passwd"), -1);
  assert_null(wasisock_etc_name(WASISOCK_ETC_COUNT));
}

static void test_bundle_everywhere_and_ca_vars(void **state) {
  fixture_t *fx = *state;
  char bundle[512], other[512], err[256], cert_file[600], requests[600];
  const char *env[8];
  wasisock_guest_env_config_t cfg;
  wasisock_guest_env_t ge;
  struct stat first, st;
  size_t i;

  file_in(fx, bundle, sizeof(bundle), "bundle.pem", PEM_A);
  file_in(fx, other, sizeof(other), "private-ca.pem", PEM_B);
  snprintf(cert_file, sizeof(cert_file), "SSL_CERT_FILE=%s", bundle);
  snprintf(requests, sizeof(requests), "REQUESTS_CA_BUNDLE=%s", other);
  env[0] = cert_file;
  env[1] = requests;
  env[2] = "CURL_CA_BUNDLE=/nonexistent/ca.pem";
  env[3] = "SSL_CERT_DIR=/etc/ssl/certs";
  env[4] = NULL;
  cfg = hidden(bundle, fx->cache);
  cfg.env = env;
  assert_int_equal(wasisock_guest_env_prepare(&cfg, &ge, err, sizeof(err)), 0);
  /* One file at every usual path. */
  assert_int_equal(stat(in_etc(&ge, "ssl/certs/ca-certificates.crt"), &first),
                   0);
  for (i = 0; wasisock_guest_ca_paths[i] != NULL; i++) {
    assert_string_equal(slurp(in_etc(&ge, wasisock_guest_ca_paths[i] + 5)),
                        PEM_A);
    assert_int_equal(stat(in_etc(&ge, wasisock_guest_ca_paths[i] + 5), &st), 0);
    assert_int_equal(st.st_ino, first.st_ino);
  }
  assert_true(i >= 2);
  /* The variables: the bundle's own path, a copy, or gone. */
  assert_string_equal(set_value(&ge, "SSL_CERT_FILE"),
                      "/etc/ssl/certs/ca-certificates.crt");
  assert_string_equal(set_value(&ge, "REQUESTS_CA_BUNDLE"),
                      "/etc/ssl/host/REQUESTS_CA_BUNDLE.pem");
  assert_string_equal(slurp(in_etc(&ge, "ssl/host/REQUESTS_CA_BUNDLE.pem")),
                      PEM_B);
  assert_null(set_value(&ge, "CURL_CA_BUNDLE"));
  assert_true(unsets(&ge, "CURL_CA_BUNDLE"));
  assert_true(unsets(&ge, "SSL_CERT_DIR"));
  wasisock_guest_env_free(&ge);

  /* No bundle: no CA variable survives, whatever it names. */
  cfg.ca_bundle = "";
  assert_int_equal(wasisock_guest_env_prepare(&cfg, &ge, err, sizeof(err)), 0);
  assert_true(unsets(&ge, "SSL_CERT_FILE"));
  assert_true(unsets(&ge, "REQUESTS_CA_BUNDLE"));
  assert_null(ge.etc_dir);
  wasisock_guest_env_free(&ge);
}

/* A cached directory a guest changed (as root it can) is rebuilt. */
static void test_cache_put_right(void **state) {
  fixture_t *fx = *state;
  wasisock_guest_env_config_t cfg = hidden("", fx->cache);
  wasisock_guest_env_t ge;
  char err[256], p1[512], first[1024], extra[1100];

  cfg.etc[WASISOCK_ETC_HOSTS] =
      file_in(fx, p1, sizeof(p1), "hosts", "127.0.0.1 localhost\n");
  assert_int_equal(wasisock_guest_env_prepare(&cfg, &ge, err, sizeof(err)), 0);
  snprintf(first, sizeof(first), "%s", ge.etc_dir);
  /* Tampered with: a changed byte, a new file. */
  assert_int_equal(chmod(first, 0755), 0);
  assert_int_equal(chmod(in_etc(&ge, "hosts"), 0644), 0);
  put_file(in_etc(&ge, "hosts"), "10.0.0.1 localhost\n");
  snprintf(extra, sizeof(extra), "%s/passwd", first);
  put_file(extra, "root:x:0:0::/root:/bin/sh\n");
  wasisock_guest_env_free(&ge);
  assert_int_equal(wasisock_guest_env_prepare(&cfg, &ge, err, sizeof(err)), 0);
  assert_string_equal(ge.etc_dir, first); /* the same place */
  assert_string_equal(slurp(in_etc(&ge, "hosts")), "127.0.0.1 localhost\n");
  assert_int_equal(access(extra, F_OK), -1);
  wasisock_guest_env_free(&ge);
  /* The host file changed: the copy follows. */
  put_file(p1, "127.0.0.1 localhost web\n");
  assert_int_equal(wasisock_guest_env_prepare(&cfg, &ge, err, sizeof(err)), 0);
  assert_string_equal(slurp(in_etc(&ge, "hosts")), "127.0.0.1 localhost web\n");
  wasisock_guest_env_free(&ge);
}

/* Without a cache: a temporary directory, gone after free. */
static void test_temporary(void **state) {
  fixture_t *fx = *state;
  wasisock_guest_env_config_t cfg = hidden("", NULL);
  wasisock_guest_env_t ge;
  char err[256], p1[512], dir[1024];

  cfg.etc[WASISOCK_ETC_PROTOCOLS] =
      file_in(fx, p1, sizeof(p1), "proto", "tcp 6 TCP\n");
  assert_int_equal(wasisock_guest_env_prepare(&cfg, &ge, err, sizeof(err)), 0);
  snprintf(dir, sizeof(dir), "%s", ge.etc_dir);
  assert_string_equal(slurp(in_etc(&ge, "protocols")), "tcp 6 TCP\n");
  wasisock_guest_env_free(&ge);
  assert_int_equal(access(dir, F_OK), -1);
  wasisock_guest_env_free(&ge); /* twice: nothing */
  wasisock_guest_env_free(NULL);

  /* A cache that cannot be used (here: a file): a temporary /etc too. */
  cfg.cache_dir = p1;
  assert_int_equal(wasisock_guest_env_prepare(&cfg, &ge, err, sizeof(err)), 0);
  snprintf(dir, sizeof(dir), "%s", ge.etc_dir);
  assert_string_equal(slurp(in_etc(&ge, "protocols")), "tcp 6 TCP\n");
  wasisock_guest_env_free(&ge);
  assert_int_equal(access(dir, F_OK), -1);
}

static void test_errors(void **state) {
  fixture_t *fx = *state;
  wasisock_guest_env_config_t cfg = hidden("", fx->cache);
  wasisock_guest_env_t ge;
  char err[256], p1[512];

  cfg.etc[WASISOCK_ETC_RESOLV_CONF] = "/nonexistent/resolv.conf";
  assert_int_equal(wasisock_guest_env_prepare(&cfg, &ge, err, sizeof(err)),
                   ENOENT);
  assert_non_null(
      strstr(err, "/nonexistent/resolv.conf (for /etc/resolv.conf)"));
  assert_null(ge.etc_dir);
  assert_null(ge.set);
  cfg.etc[WASISOCK_ETC_RESOLV_CONF] = "";
  cfg.ca_bundle = file_in(fx, p1, sizeof(p1), "not-pem", "hello\n");
  assert_int_equal(wasisock_guest_env_prepare(&cfg, &ge, err, sizeof(err)),
                   EINVAL);
  assert_non_null(strstr(err, "no PEM certificate"));
  cfg.ca_bundle = fx->root;
  assert_int_equal(wasisock_guest_env_prepare(&cfg, &ge, err, sizeof(err)),
                   EISDIR);
  assert_int_equal(wasisock_guest_env_prepare(NULL, &ge, err, sizeof(err)),
                   EINVAL);
  assert_int_equal(wasisock_guest_env_prepare(&cfg, NULL, err, sizeof(err)),
                   EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_user_from_guest_process_passwd),
      cmocka_unit_test_setup_teardown(test_etc_files_read_only, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_etc_host_defaults, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bundle_everywhere_and_ca_vars, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_cache_put_right, setup, teardown),
      cmocka_unit_test_setup_teardown(test_temporary, setup, teardown),
      cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
