/*
 * ca_bundle.c — the host's CA certificates for a guest's OpenSSL.
 *
 * python.wasm's OpenSSL looks for trusted CAs in the guest's /etc/ssl/cert.pem
 * (its OPENSSLDIR is /etc/ssl; scripts/openssl-wasi.sh), or where the guest's
 * SSL_CERT_FILE points.  The host's bundle cannot simply be mapped: WASI
 * runtimes refuse symlinks that leave a preopened directory (Debian's
 * /etc/ssl/certs is made of them, and other systems link the bundle itself),
 * and a mapped host directory is writable by the guest.  So the launcher
 * keeps a regular copy of the bundle, alone in a directory of its own, and
 * maps that directory as the guest's /etc/ssl:
 *
 *   <cache>/ca-bundle/<id>/cert.pem    id: hash of the bundle's real path
 *
 * Every launch checks that the directory holds exactly cert.pem with the
 * bundle's current bytes (a bundle of ~200 KB: well under a millisecond) and
 * rewrites it otherwise, so a guest that wrote there, or an updated host
 * bundle, is put right before the next guest starts.  Without a usable cache
 * directory the copy goes to a fresh temporary directory, which the engine
 * removes after the run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "launch_internal.h"

#define FILE_NAME "cert.pem"

/* Where systems keep their bundle of trusted CAs, in the order of Python's
 * and Go's lists: Debian/Ubuntu, Fedora/RHEL, openSUSE, Alpine/macOS-style. */
static const char *const system_bundles[] = {
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
    NULL};

static int readable_file(const char *path) {
  struct stat st;
  return access(path, R_OK) == 0 && stat(path, &st) == 0 &&
         S_ISREG(st.st_mode);
}

const char *launch_ca_host_bundle(char *const *envp) {
  const char *env = launch_getenv(envp, "SSL_CERT_FILE");
  size_t i;

  if (env != NULL && env[0] != '\0' && readable_file(env))
    return env;
  for (i = 0; system_bundles[i] != NULL; i++)
    if (readable_file(system_bundles[i]))
      return system_bundles[i];
  return NULL;
}

/* 1 when dir holds exactly one entry, a regular cert.pem equal to bytes. */
static int holds_exactly(const char *dir, const uint8_t *bytes, size_t len) {
  struct dirent *de;
  struct stat st;
  uint8_t *have = NULL;
  size_t have_len = 0;
  char *path;
  DIR *d;
  int entries = 0, ok;

  if ((d = opendir(dir)) == NULL)
    return 0;
  while ((de = readdir(d)) != NULL)
    if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
      entries += strcmp(de->d_name, FILE_NAME) == 0 ? 1 : 2;
  closedir(d);
  if (entries != 1)
    return 0;
  path = launch_printf("%s/" FILE_NAME, dir);
  ok = lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
       (size_t)st.st_size == len && launch_read_file(path, &have, &have_len) == 0 &&
       have_len == len && memcmp(have, bytes, len) == 0;
  free(have);
  free(path);
  return ok;
}

static int write_cert(const char *dir, const uint8_t *bytes, size_t len) {
  char *path = launch_printf("%s/" FILE_NAME, dir);
  size_t done = 0;
  ssize_t n;
  int fd, rc = 0;

  fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
  free(path);
  if (fd == -1)
    return errno;
  while (done < len) {
    n = write(fd, bytes + done, len - done);
    if (n == -1 && errno == EINTR)
      continue;
    if (n <= 0) {
      rc = n == -1 ? errno : EIO;
      break;
    }
    done += (size_t)n;
  }
  if (close(fd) != 0 && rc == 0)
    rc = errno;
  return rc;
}

static void remove_dir(const char *dir) {
  char *path = launch_printf("%s/" FILE_NAME, dir);
  unlink(path);
  free(path);
  rmdir(dir);
}

/* Writes a new directory beside dir and renames it into place, so a
 * concurrent launcher sees the old copy or the new one, never half of one. */
static int replace_dir(const char *dir, const uint8_t *bytes, size_t len) {
  char *parent, *tmp, *old, *slash;
  int rc;

  parent = launch_strdup(dir);
  slash = strrchr(parent, '/');
  if (slash != NULL)
    *slash = '\0';
  if (mkdir(parent, 0777) != 0 && errno != EEXIST) {
    rc = errno;
    free(parent);
    return rc;
  }
  free(parent);
  tmp = launch_printf("%s.%ld.%lx.tmp", dir, (long)getpid(),
                      (unsigned long)random());
  if (mkdir(tmp, 0777) != 0) {
    rc = errno;
    free(tmp);
    return rc;
  }
  if ((rc = write_cert(tmp, bytes, len)) != 0) {
    remove_dir(tmp);
    free(tmp);
    return rc;
  }
  old = launch_printf("%s.old", tmp);
  (void)rename(dir, old); /* no old copy: fine */
  if (rename(tmp, dir) != 0) {
    /* Another launcher won the race; its copy is as good as ours. */
    rc = errno;
    remove_dir(tmp);
    if (holds_exactly(dir, bytes, len))
      rc = 0;
  }
  /* The old copy: cert.pem and the directory, and a directory a guest
   * filled with more (left alone rather than removed recursively). */
  remove_dir(old);
  free(old);
  free(tmp);
  return rc;
}

/* FNV-1a 64 of s: an id for a path, not a security measure. */
static uint64_t fnv1a(const char *s) {
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  for (; *s; s++)
    h = (h ^ (uint8_t)*s) * UINT64_C(0x100000001b3);
  return h;
}

int launch_ca_prepare(const char *file, const char *cache_dir, char **dir,
                      int *temporary, char *err, size_t errlen) {
  char real[PATH_MAX], tmpl[PATH_MAX];
  const char *tmpdir;
  uint8_t *bytes = NULL;
  size_t len = 0;
  int rc;

  *dir = NULL;
  *temporary = 0;
  if ((rc = launch_read_file(file, &bytes, &len)) != 0) {
    snprintf(err, errlen, "CA bundle %s: %s", file, strerror(rc));
    return rc;
  }
  if (strstr((const char *)bytes, "-----BEGIN CERTIFICATE-----") == NULL) {
    snprintf(err, errlen, "CA bundle %s: no PEM certificate in it", file);
    free(bytes);
    return EINVAL;
  }
  if (cache_dir != NULL) {
    char *base = launch_printf("%s/ca-bundle", cache_dir);
    char *d = launch_printf("%s/%016llx", base,
                            (unsigned long long)fnv1a(realpath(file, real)
                                                          ? real
                                                          : file));
    if (mkdir(cache_dir, 0777) == 0 || errno == EEXIST) {
      if (holds_exactly(d, bytes, len) || replace_dir(d, bytes, len) == 0) {
        free(base);
        free(bytes);
        *dir = d;
        return 0;
      }
    }
    free(base);
    free(d); /* cache not writable: a temporary copy */
  }
  tmpdir = getenv("TMPDIR");
  snprintf(tmpl, sizeof tmpl, "%s/wasisock-ca-XXXXXX",
           tmpdir && tmpdir[0] ? tmpdir : "/tmp");
  rc = mkdtemp(tmpl) == NULL ? errno : write_cert(tmpl, bytes, len);
  if (rc != 0) {
    snprintf(err, errlen, "CA bundle %s: cannot copy it: %s", file,
             strerror(rc));
    free(bytes);
    return rc;
  }
  free(bytes);
  *dir = launch_strdup(tmpl);
  *temporary = 1;
  return 0;
}
