/*
 * module_check.c — does a module link against WASI preview 1 and this
 * wasisock host?  Read from the module's bytes: the type section (for the
 * signatures of imported functions) and the import section, which come
 * before everything else that matters, so the rest is not parsed.
 *
 * Every engine calls this after compiling the module (which reports a
 * malformed module with the engine's own words; a module this reader does
 * not understand is left to the engine too) and before instantiating it,
 * so a guest that imports something nobody provides gets one message, the
 * same in every engine, naming every such import.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "launch_internal.h"

#define WASI_MODULE "wasi_snapshot_preview1"

/* The functions of WASI preview 1 (wasi_snapshot_preview1.witx). */
static const char *const wasi_functions[] = {
    "args_get", "args_sizes_get", "clock_res_get", "clock_time_get",
    "environ_get", "environ_sizes_get", "fd_advise", "fd_allocate",
    "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
    "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size",
    "fd_filestat_set_times", "fd_pread", "fd_prestat_dir_name",
    "fd_prestat_get", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber",
    "fd_seek", "fd_sync", "fd_tell", "fd_write", "path_create_directory",
    "path_filestat_get", "path_filestat_set_times", "path_link", "path_open",
    "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
    "path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise",
    "random_get", "sched_yield", "sock_accept", "sock_recv", "sock_send",
    "sock_shutdown", NULL};

int wasisock_launch_is_wasi_function(const char *name) {
  size_t i;
  for (i = 0; wasi_functions[i] != NULL; i++)
    if (strcmp(wasi_functions[i], name) == 0)
      return 1;
  return 0;
}

/* ---- a reader of the binary format ------------------------------------------- */

typedef struct reader {
  const uint8_t *p, *end;
  int bad; /* set at the first read past the end or bad encoding */
} reader_t;

static uint8_t rd_byte(reader_t *r) {
  if (r->p >= r->end) {
    r->bad = 1;
    return 0;
  }
  return *r->p++;
}

static uint64_t rd_leb(reader_t *r) {
  uint64_t v = 0;
  unsigned shift = 0;
  uint8_t b;
  do {
    b = rd_byte(r);
    if (shift < 64)
      v |= (uint64_t)(b & 0x7f) << shift;
    shift += 7;
    if (shift > 70) {
      r->bad = 1;
      return 0;
    }
  } while ((b & 0x80) && !r->bad);
  return v;
}

/* A name: its bytes in [*s, *s + *n). */
static void rd_name(reader_t *r, const char **s, size_t *n) {
  uint64_t len = rd_leb(r);
  if (r->bad || len > (uint64_t)(r->end - r->p)) {
    r->bad = 1;
    *s = "";
    *n = 0;
    return;
  }
  *s = (const char *)r->p;
  *n = (size_t)len;
  r->p += len;
}

static const char *valtype_name(reader_t *r) {
  uint8_t t = rd_byte(r);
  switch (t) {
  case 0x7f: return "i32";
  case 0x7e: return "i64";
  case 0x7d: return "f32";
  case 0x7c: return "f64";
  case 0x7b: return "v128";
  case 0x70: return "funcref";
  case 0x6f: return "externref";
  case 0x64: case 0x63: /* (ref [null] heaptype) */
    (void)rd_leb(r);
    return "ref";
  default: return "?";
  }
}

static void rd_limits(reader_t *r) {
  uint8_t flags = rd_byte(r);
  (void)rd_leb(r);
  if (flags & 1)
    (void)rd_leb(r);
}

/* A function type as "(i32, i32) -> i32", and whether it is n i32
 * parameters and one i32 result. */
typedef struct functype {
  char *text;
  uint32_t nparams;
  int all_i32; /* every parameter i32, exactly one i32 result */
} functype_t;

static void rd_functype(reader_t *r, functype_t *t) {
  launch_buf_t b = {0};
  uint64_t n, i;
  const char *v;

  t->all_i32 = 1;
  launch_buf_add(&b, "(", 1);
  n = rd_leb(r);
  t->nparams = (uint32_t)n;
  for (i = 0; i < n && !r->bad; i++) {
    v = valtype_name(r);
    t->all_i32 &= strcmp(v, "i32") == 0;
    launch_buf_printf(&b, "%s%s", i ? ", " : "", v);
  }
  launch_buf_add(&b, ") -> ", 5);
  n = rd_leb(r);
  t->all_i32 &= n == 1;
  if (n == 0)
    launch_buf_add(&b, "()", 2);
  for (i = 0; i < n && !r->bad; i++) {
    v = valtype_name(r);
    t->all_i32 &= strcmp(v, "i32") == 0;
    launch_buf_printf(&b, "%s%s", i ? ", " : "", v);
  }
  t->text = launch_buf_take(&b);
}

/* ---- the check ---------------------------------------------------------------- */

static const char *const kind_names[] = {"function", "table", "memory",
                                         "global", "tag"};

typedef struct problems {
  launch_buf_t lines;
  size_t n;
} problems_t;

static void problem(problems_t *pr, const char *mod, size_t modlen,
                    const char *name, size_t namelen, const char *kind,
                    const char *reason) {
  launch_buf_printf(&pr->lines, "\n  %.*s.%.*s (%s): %s", (int)modlen, mod,
                    (int)namelen, name, kind, reason);
  pr->n++;
}

/* The newest revision of this host's table. */
static uint32_t host_revision(void) {
  const wasisock_import_t *t;
  size_t n, i;
  uint32_t rev = 0;
  t = wasisock_import_table(&n);
  for (i = 0; i < n; i++)
    if (t[i].revision > rev)
      rev = t[i].revision;
  return rev;
}

static void check_import(problems_t *pr, const char *mod, size_t modlen,
                         const char *name, size_t namelen, uint8_t kind,
                         const functype_t *type) {
  const char *kname = kind < 5 ? kind_names[kind] : "unknown kind";
  char fname[256], *reason;
  const wasisock_import_t *row;

  snprintf(fname, sizeof fname, "%.*s", (int)namelen, name);
  if (modlen == strlen(WASI_MODULE) && memcmp(mod, WASI_MODULE, modlen) == 0) {
    if (kind != 0) {
      reason = launch_printf("a %s: WASI preview 1 provides only functions",
                             kname);
      problem(pr, mod, modlen, name, namelen, kname, reason);
      free(reason);
    } else if (!wasisock_launch_is_wasi_function(fname)) {
      problem(pr, mod, modlen, name, namelen, kname,
              "not a function of WASI preview 1");
    }
  } else if (modlen == strlen(WASISOCK_MODULE) &&
             memcmp(mod, WASISOCK_MODULE, modlen) == 0) {
    row = namelen < sizeof fname ? wasisock_import_find(fname) : NULL;
    if (kind != 0) {
      reason = launch_printf(
          "a %s: the wasisock host provides only functions", kname);
      problem(pr, mod, modlen, name, namelen, kname, reason);
      free(reason);
    } else if (row == NULL) {
      reason = launch_printf(
          "not provided by this wasisock host (libwasisock %s, ABI revision "
          "%u); the guest needs a newer host",
          wasisock_version_string(), host_revision());
      problem(pr, mod, modlen, name, namelen, kname, reason);
      free(reason);
    } else if (type != NULL &&
               (type->nparams != row->nparams || !type->all_i32)) {
      reason = launch_printf("imported as %s, but the host's %s.%s is %s",
                             type->text, WASISOCK_MODULE, row->name,
                             row->signature);
      problem(pr, mod, modlen, name, namelen, kname, reason);
      free(reason);
    }
  } else {
    reason = launch_printf("module \"%.*s\" is neither " WASI_MODULE
                           " nor " WASISOCK_MODULE,
                           (int)modlen, mod);
    problem(pr, mod, modlen, name, namelen, kname, reason);
    free(reason);
  }
}

int wasisock_launch_check_module(const char *name, const uint8_t *bytes,
                                 size_t len, char **message) {
  static const uint8_t magic[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  reader_t r = {bytes + 8, bytes + len, 0}, s;
  functype_t *types = NULL;
  problems_t pr = {{0}, 0};
  uint64_t ntypes = 0, count, i, size, idx;
  const char *mod, *field;
  size_t modlen, fieldlen;
  uint8_t id, kind;
  int typed = 1; /* the type section was understood */

  *message = NULL;
  if (len < 8 || memcmp(bytes, magic, 8) != 0)
    return 0; /* not for us to judge: the engine's compiler says why */
  while (r.p < r.end && !r.bad) {
    id = rd_byte(&r);
    size = rd_leb(&r);
    if (r.bad || size > (uint64_t)(r.end - r.p))
      break;
    s.p = r.p;
    s.end = r.p + size;
    s.bad = 0;
    r.p += size;
    if (id == 1) { /* types */
      ntypes = rd_leb(&s);
      if (s.bad || ntypes > size) /* each type takes a byte at least */
        break;
      types = launch_alloc((size_t)(ntypes ? ntypes : 1) * sizeof *types);
      for (i = 0; i < ntypes && !s.bad; i++) {
        if (rd_byte(&s) != 0x60) { /* a GC type: signatures unknown */
          typed = 0;
          break;
        }
        rd_functype(&s, &types[i]);
      }
      if (s.bad)
        typed = 0;
    } else if (id == 2) { /* imports */
      count = rd_leb(&s);
      for (i = 0; i < count && !s.bad; i++) {
        rd_name(&s, &mod, &modlen);
        rd_name(&s, &field, &fieldlen);
        kind = rd_byte(&s);
        idx = UINT64_MAX;
        switch (kind) {
        case 0: idx = rd_leb(&s); break;
        case 1: (void)valtype_name(&s); rd_limits(&s); break;
        case 2: rd_limits(&s); break;
        case 3: (void)valtype_name(&s); (void)rd_byte(&s); break;
        case 4: (void)rd_byte(&s); (void)rd_leb(&s); break;
        default: s.bad = 1; break;
        }
        if (s.bad)
          break;
        check_import(&pr, mod, modlen, field, fieldlen, kind,
                     typed && idx < ntypes ? &types[idx] : NULL);
      }
      break; /* everything needed comes before the function section */
    }
  }
  for (i = 0; types != NULL && i < ntypes; i++)
    free(types[i].text);
  free(types);
  if (pr.n == 0) {
    free(pr.lines.s);
    return 0;
  }
  {
    launch_buf_t b = {0};
    if (pr.n == 1)
      launch_buf_printf(&b, "%s: cannot link: it imports something", name);
    else
      launch_buf_printf(&b, "%s: cannot link: it imports %zu things", name,
                        pr.n);
    launch_buf_printf(&b, " that neither WASI preview 1 nor the wasisock "
                          "host provides:%s",
                      pr.lines.s);
    free(pr.lines.s);
    *message = launch_buf_take(&b);
  }
  return LAUNCH_EXIT_LOAD;
}
