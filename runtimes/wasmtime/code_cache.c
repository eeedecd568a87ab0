/*
 * code_cache.c — wasmtime's compiled code for a module, kept between runs
 * (wasmtime_module_serialize / _deserialize_file), so that python.wasm
 * starts without compiling (~10 s of Cranelift on two cores).
 *
 * In the cache directory:
 *
 *   <sha256 of the module, 32 hex>-wasmtime-<version>-<arch>.cwasm
 *       wasmtime's serialized module, exactly as wasmtime wrote it (so it
 *       can be mapped from the file as it is, not copied)
 *   <the same>.cwasm.sum
 *       "SIZE XXH64 DEV INO MTIME_SEC MTIME_NSEC CTIME_SEC CTIME_NSEC": the
 *       .cwasm's size and XXH64, and the file they were checked on
 *   index/<hash of the module's real path>.wasmtime
 *       "dev ino size mtime_sec mtime_nsec SHA256": the module file as it
 *       was when hashed, and its SHA-256
 *
 * The key is wasmtime's version and the module's hash, as the issue asks;
 * the index spares hashing python.wasm (10 MB) on every start: as long as
 * the file is the same one, unchanged (device, inode, size, mtime in
 * nanoseconds), its recorded hash is used.  Before wasmtime maps the
 * .cwasm, it is checked: wasmtime checks that a file is its own kind and
 * version but trusts the machine code inside, and a damaged file (a full
 * disk, an interrupted copy, a write into it) must mean a recompile, not a
 * crash.  Its size and XXH64 are compared with the .sum's — but only when
 * the file is not the very one they were computed on: the .sum also holds
 * the .cwasm's identity (device, inode, mtime and ctime in nanoseconds; a
 * write or copy changes one of them, and ctime cannot be set back), as the
 * index does for the module.  Reading and hashing python.wasm's ~25 MB of
 * code took ~20 ms of a 50 ms start (page faults of the buffer, the copy,
 * the hash), for a file this runner wrote itself and nobody touched since.
 * It guards against accidents, not attacks: whoever can write the cache
 * directory can change the runner anyway.  Every failure falls back to
 * compiling; files are written to a temporary name and renamed, so
 * concurrent runs see a whole file or none.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine_internal.h"
#include "sha256.h"

#if defined(__x86_64__)
#define CC_ARCH "x86_64"
#elif defined(__aarch64__)
#define CC_ARCH "aarch64"
#else
#define CC_ARCH "other"
#endif

/* ---- XXH64 (the published algorithm), for the .cwasm's integrity ------------ */

#define P1 UINT64_C(0x9E3779B185EBCA87)
#define P2 UINT64_C(0xC2B2AE3D27D4EB4F)
#define P3 UINT64_C(0x165667B19E3779F9)
#define P4 UINT64_C(0x85EBCA77C2B2AE63)
#define P5 UINT64_C(0x27D4EB2F165667C5)

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint64_t rd64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8); /* little-endian hosts only (x86_64, aarch64) */
  return v;
}

static uint32_t rd32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static uint64_t round64(uint64_t acc, uint64_t in) {
  return rotl(acc + in * P2, 31) * P1;
}

static uint64_t merge64(uint64_t acc, uint64_t v) {
  return (acc ^ round64(0, v)) * P1 + P4;
}

static uint64_t xxh64(const uint8_t *p, size_t len) {
  const uint8_t *end = p + len;
  uint64_t h, v1 = P1 + P2, v2 = P2, v3 = 0, v4 = 0 - P1;

  if (len >= 32) {
    for (; end - p >= 32; p += 32) {
      v1 = round64(v1, rd64(p));
      v2 = round64(v2, rd64(p + 8));
      v3 = round64(v3, rd64(p + 16));
      v4 = round64(v4, rd64(p + 24));
    }
    h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
    h = merge64(h, v1);
    h = merge64(h, v2);
    h = merge64(h, v3);
    h = merge64(h, v4);
  } else {
    h = P5;
  }
  h += (uint64_t)len;
  for (; end - p >= 8; p += 8)
    h = rotl(h ^ round64(0, rd64(p)), 27) * P1 + P4;
  if (end - p >= 4) {
    h = rotl(h ^ ((uint64_t)rd32(p) * P1), 23) * P2 + P3;
    p += 4;
  }
  for (; p < end; p++)
    h = rotl(h ^ ((uint64_t)*p * P5), 11) * P1;
  h ^= h >> 33;
  h *= P2;
  h ^= h >> 29;
  h *= P3;
  h ^= h >> 32;
  return h;
}

/* ---- files ------------------------------------------------------------------- */

/* Writes data to path through a temporary file and a rename. */
static int write_atomically(const char *path, const uint8_t *data,
                            size_t len) {
  char *tmp = launch_printf("%s.%ld.tmp", path, (long)getpid());
  size_t done = 0;
  ssize_t n;
  int fd, rc = 0;

  fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd == -1) {
    free(tmp);
    return errno;
  }
  while (done < len) {
    n = write(fd, data + done, len - done);
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
  if (rc == 0 && rename(tmp, path) != 0)
    rc = errno;
  if (rc != 0)
    unlink(tmp);
  free(tmp);
  return rc;
}

/* The index says which SHA-256 a module file had when last hashed. */
typedef struct index_entry {
  unsigned long long dev, ino, size, sec, nsec;
  char sha[65];
} index_entry_t;

static char *index_path(const char *dir, const char *module) {
  char real[PATH_MAX], id[65];
  sha256_t s;

  sha256_init(&s);
  if (realpath(module, real) != NULL)
    sha256_update(&s, real, strlen(real));
  else
    sha256_update(&s, module, strlen(module));
  sha256_hex(&s, id);
  return launch_printf("%s/index/%.32s.wasmtime", dir, id);
}

static char *cwasm_path(const char *dir, const char *sha) {
  return launch_printf("%s/%.32s-wasmtime-%s-" CC_ARCH ".cwasm", dir, sha,
                       WASMTIME_VERSION);
}

static int same_file(const index_entry_t *e, const struct stat *st) {
  return e->dev == (unsigned long long)st->st_dev &&
         e->ino == (unsigned long long)st->st_ino &&
         e->size == (unsigned long long)st->st_size &&
         e->sec == (unsigned long long)st->st_mtim.tv_sec &&
         e->nsec == (unsigned long long)st->st_mtim.tv_nsec;
}

/* The module's SHA-256 from the index, when the file is the one hashed. */
static int index_lookup(const char *dir, const char *module,
                        const struct stat *st, char sha[65]) {
  index_entry_t e;
  uint8_t *text = NULL;
  size_t len;
  char *path = index_path(dir, module);
  int ok;

  ok = launch_read_file(path, &text, &len) == 0 &&
       sscanf((const char *)text, "%llu %llu %llu %llu %llu %64s", &e.dev,
              &e.ino, &e.size, &e.sec, &e.nsec, e.sha) == 6 &&
       strlen(e.sha) == 64 && same_file(&e, st);
  if (ok)
    memcpy(sha, e.sha, 65);
  free(text);
  free(path);
  return ok;
}

static void index_record(const char *dir, const char *module,
                         const struct stat *st, const char *sha) {
  char *idir = launch_printf("%s/index", dir), *path, *line;

  (void)mkdir(idir, 0777);
  free(idir);
  line = launch_printf("%llu %llu %llu %llu %llu %s\n",
                       (unsigned long long)st->st_dev,
                       (unsigned long long)st->st_ino,
                       (unsigned long long)st->st_size,
                       (unsigned long long)st->st_mtim.tv_sec,
                       (unsigned long long)st->st_mtim.tv_nsec, sha);
  path = index_path(dir, module);
  (void)write_atomically(path, (const uint8_t *)line, strlen(line));
  free(path);
  free(line);
}

/* What a .sum records of its .cwasm besides size and XXH64: the file they
 * were computed on. */
typedef struct cwasm_id {
  unsigned long long dev, ino, msec, mnsec, csec, cnsec;
} cwasm_id_t;

static cwasm_id_t cwasm_id_of(const struct stat *st) {
  cwasm_id_t id = {(unsigned long long)st->st_dev,
                   (unsigned long long)st->st_ino,
                   (unsigned long long)st->st_mtim.tv_sec,
                   (unsigned long long)st->st_mtim.tv_nsec,
                   (unsigned long long)st->st_ctim.tv_sec,
                   (unsigned long long)st->st_ctim.tv_nsec};
  return id;
}

/* Writes the .sum of the .cwasm at cpath: its size and hash, and its
 * identity now.  0 or an errno. */
static int write_sum(const char *cpath, unsigned long long size,
                     unsigned long long xxh) {
  char *spath, *line;
  struct stat st;
  cwasm_id_t id;
  int rc;

  if (stat(cpath, &st) != 0)
    return errno;
  id = cwasm_id_of(&st);
  spath = launch_printf("%s.sum", cpath);
  line = launch_printf("%llu %llx %llu %llu %llu %llu %llu %llu\n", size, xxh,
                       id.dev, id.ino, id.msec, id.mnsec, id.csec, id.cnsec);
  rc = write_atomically(spath, (const uint8_t *)line, strlen(line));
  free(line);
  free(spath);
  return rc;
}

/* The .cwasm for sha, when it is whole: the file its .sum was checked on,
 * untouched since, or else one with the size and XXH64 the .sum records
 * (whose identity the .sum then records, so the next run need not read
 * it). */
static int load_cwasm(wasm_engine_t *engine, const char *dir, const char *sha,
                      wasmtime_module_t **out) {
  char *cpath = cwasm_path(dir, sha), *spath = launch_printf("%s.sum", cpath);
  unsigned long long want_size, want_xxh;
  cwasm_id_t want, now;
  uint8_t *code = NULL, *sum = NULL;
  size_t len = 0, sum_len;
  wasmtime_error_t *err;
  struct stat st;
  int hit = 0, fields = 0, same = 0, whole = 0;

  *out = NULL;
  if (launch_read_file(spath, &sum, &sum_len) == 0)
    fields = sscanf((const char *)sum, "%llu %llx %llu %llu %llu %llu %llu %llu",
                    &want_size, &want_xxh, &want.dev, &want.ino, &want.msec,
                    &want.mnsec, &want.csec, &want.cnsec);
  if (fields >= 2 && stat(cpath, &st) == 0 &&
      (unsigned long long)st.st_size == want_size) {
    now = cwasm_id_of(&st);
    same = fields == 8 && memcmp(&now, &want, sizeof now) == 0;
    whole = same || (launch_read_file(cpath, &code, &len) == 0 &&
                     len == want_size && xxh64(code, len) == want_xxh);
  }
  if (whole) {
    err = wasmtime_module_deserialize_file(engine, cpath, out);
    if (err != NULL) { /* another wasmtime's, another configuration: */
      wasmtime_error_delete(err); /* compile again */
      *out = NULL;
    } else {
      hit = 1;
      if (!same)
        (void)write_sum(cpath, want_size, want_xxh);
    }
  }
  free(code);
  free(sum);
  free(spath);
  free(cpath);
  return hit;
}

/* ---- the cache --------------------------------------------------------------- */

int wt_cache_find(wasm_engine_t *engine, const char *dir, const char *module,
                  const struct stat *st, wasmtime_module_t **out) {
  char sha[65];
  *out = NULL;
  return index_lookup(dir, module, st, sha) && load_cwasm(engine, dir, sha, out);
}

int wt_cache_find_bytes(wasm_engine_t *engine, const char *dir,
                        const char *module, const struct stat *st,
                        const uint8_t *bytes, size_t len, char sha[65],
                        wasmtime_module_t **out) {
  sha256_t s;

  sha256_init(&s);
  sha256_update(&s, bytes, len);
  sha256_hex(&s, sha);
  if (!load_cwasm(engine, dir, sha, out))
    return 0;
  index_record(dir, module, st, sha); /* next time, without hashing */
  return 1;
}

/* The .cwasm the index last recorded for module, if it is not sha's: a
 * rebuilt module's old code, removed so the cache holds one per path. */
static void forget_old(const char *dir, const char *module, const char *sha) {
  char *path = index_path(dir, module), *old_c, *old_s;
  char old[65] = "";
  uint8_t *text = NULL;
  size_t len;

  if (launch_read_file(path, &text, &len) == 0 &&
      sscanf((const char *)text, "%*s %*s %*s %*s %*s %64s", old) == 1 &&
      strlen(old) == 64 && strncmp(old, sha, 32) != 0) {
    old_c = cwasm_path(dir, old);
    old_s = launch_printf("%s.sum", old_c);
    unlink(old_s); /* the sum first: without it the code is never used */
    unlink(old_c);
    free(old_s);
    free(old_c);
  }
  free(text);
  free(path);
}

void wt_cache_store(const char *dir, const char *module, const struct stat *st,
                    const char *sha, const wasmtime_module_t *compiled) {
  wasm_byte_vec_t code;
  wasmtime_error_t *err;
  char *cpath;

  err = wasmtime_module_serialize(compiled, &code);
  if (err != NULL) {
    wasmtime_error_delete(err);
    return;
  }
  cpath = cwasm_path(dir, sha);
  /* The code first, then its sum, then the index: a reader that finds the
   * index finds both, and a sum never describes a file not yet written. */
  forget_old(dir, module, sha);
  if (write_atomically(cpath, (const uint8_t *)code.data, code.size) == 0 &&
      write_sum(cpath, (unsigned long long)code.size,
                (unsigned long long)xxh64((const uint8_t *)code.data,
                                          code.size)) == 0)
    index_record(dir, module, st, sha);
  free(cpath);
  wasm_byte_vec_delete(&code);
}
