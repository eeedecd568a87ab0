/*
 * fuzz-imports.c — every host import, called in fuzzed sequences on one
 * instance with fuzzed memory.
 *
 * The input is decoded into:
 *
 *   u8   flags     bits 0-1: the instance's policy (none; loopback allowed,
 *                  everything else denied; deny all; max-sockets 3 and
 *                  max-buffer 4k); bit 2: sockets get timeout 1 ms instead
 *                  of 0 (non-blocking), so the waits run too; bit 3:
 *                  the tracer is on and formats every call
 *   u16  mem_len   guest memory size (+ 65536 when bit 0 of the next byte
 *   u8             is set): malloc'd to exactly that size, so any access
 *                  past it is an ASan error; 0 gives a NULL base
 *   u16  image_len then that many bytes copied to the start of memory
 *   calls, until the input ends (at most FUZZ_MAX_CALLS):
 *     u8  import   index into wasisock_import_table() (modulo its size, so
 *                  imports added later are fuzzed without a change here)
 *     u8  how      0xF0-0xFF: NULL memory view; 0xE0-0xEF: NULL args
 *     per parameter, u8 tag, kind = tag % 5:
 *       0 raw      the next u32
 *       1 handle   WASISOCK_FIRST_HANDLE + (tag / 5) % 16 (open ones and
 *                  some not)
 *       2 small    tag / 5, or 0xFFFFFFFF / 0x7FFFFFFF / 0x80000000 / ...
 *       3 pointer  next u16, modulo mem_len + 64 (some past the end)
 *       4 record   a pointer as 3, where the next u8 picks an address record
 *                  written before the call (this process's listeners and
 *                  sinks, a socket of the instance, 127.0.0.1:0, [::1]:0,
 *                  no address, a bad family), or for 250-255 an array of
 *                  100-600 sock_poll records over the instance's handles
 *                  (past one poll(2)'s 256: sock_poll's loop path)
 *
 * Checks, besides ASan/UBSan/LeakSanitizer: every result is a WASI errno
 * (0..76); a failed call leaves guest memory as it was (the contract's
 * "a bad call has no effect"); NULL views and args are EINVAL; no handle
 * past the instance's limit is ever open; a traced call's line is as long
 * as wasisock_call_format said, whatever the buffer.
 *
 * Network safety (the machine's network is watched): the guest reaches
 * only loopback sockets of this process.  Before a call, every address
 * record it will read (its ADDR_IN parameters, from the import's row in
 * WASISOCK_IMPORT_LIST, so a new import is covered) is rewritten to
 * 127.0.0.1 / ::1 and a port of this process (fuzz-net.c's listeners and
 * sinks, or a socket of the instance);
 * sock_listen and sock_send_to run only on sockets bound to loopback (they
 * would otherwise bind the any-address first); names never leave the
 * process (fuzz-net.c's getaddrinfo).  Nothing blocks: every socket gets a
 * timeout of 0 or 1 ms as soon as it exists, and the fuzzer's timeouts (of
 * sock_set_timeout and sock_poll) are cut to 0-2 ms.
 */
#include <string.h>

#include "fuzz.h"
#include "wasisock_policy.h"

#define FUZZ_MAX_CALLS 48
#define FUZZ_MAX_SOCKETS 12u
#define FUZZ_MAX_PARAMS 8

/* The imports with a rule of their own: what a call does on the network is
 * not in its parameter kinds.  Every other import only gets the address
 * records it reads (its ADDR_IN parameters) rewritten, as they all do. */
enum {
  FZ_DEFAULT,
  FZ_BIND,       /* may take port 0 */
  FZ_LISTEN,     /* binds the any-address first when unbound */
  FZ_SEND_TO,    /* the same */
  FZ_SET_TIMEOUT,
  FZ_POLL
};

static int fuzz__rule(const char *name) {
  if (strcmp(name, "sock_bind") == 0)
    return FZ_BIND;
  if (strcmp(name, "sock_listen") == 0)
    return FZ_LISTEN;
  if (strcmp(name, "sock_send_to") == 0)
    return FZ_SEND_TO;
  if (strcmp(name, "sock_set_timeout") == 0)
    return FZ_SET_TIMEOUT;
  if (strcmp(name, "sock_poll") == 0)
    return FZ_POLL;
  return FZ_DEFAULT;
}

/* Index of the row's first parameter of kind k (or, with a name, of that
 * name); -1 if it has none. */
static int fuzz__param(const wasisock_import_t *row, wasisock_param_kind_t k,
                       const char *name) {
  uint32_t p;

  for (p = 0; p < row->nparams; p++)
    if (row->params[p].kind == k &&
        (name == NULL || strcmp(row->params[p].name, name) == 0))
      return (int)p;
  return -1;
}

typedef struct fuzz_run {
  wasisock_t *host;
  wasisock_mem_t mem;
  uint8_t *before; /* memory before the call, for the no-effect check */
  uint32_t timeout; /* every socket's, 0 or 1 ms */
} fuzz_run_t;

/* The harness's own calls use this memory, never the guest's. */
static uint8_t fuzz__scratch[64];
static const wasisock_mem_t fuzz__smem = {fuzz__scratch, sizeof(fuzz__scratch)};

static int fuzz__local_addr(fuzz_run_t *r, uint32_t h, wasisock_addr_t *a) {
  if (wasisock_sock_local_addr(r->host, &fuzz__smem, h, 0) != WASISOCK_OK)
    return -1;
  return wasisock_addr_read(fuzz__scratch, a) == WASISOCK_OK ? 0 : -1;
}

/* Ports of family the guest may address: this process's endpoints and the
 * loopback sockets of the instance.  Returns how many (<= max). */
static size_t fuzz__ports(fuzz_run_t *r, uint8_t family, uint16_t *out,
                          size_t max) {
  wasisock_addr_t a;
  size_t n = 0;
  uint32_t i;
  int k;

  for (k = 0; k < FUZZ_NPORTS && n < max; k++)
    if (fuzz_net_family((fuzz_port_kind_t)k) == family)
      out[n++] = fuzz_net_port((fuzz_port_kind_t)k);
  for (i = 0; i < FUZZ_MAX_SOCKETS && n < max; i++)
    if (fuzz__local_addr(r, WASISOCK_FIRST_HANDLE + i, &a) == 0 &&
        a.family == family && a.port != 0 && fuzz_addr_is_loopback(&a))
      out[n++] = a.port;
  return n;
}

/* Rewrites the record at ptr (if it is in memory and has an IP family) to
 * a loopback address and an allowed port; for a bind, port 0 is allowed
 * too. */
static void fuzz__sanitise(fuzz_run_t *r, uint32_t ptr, int bind) {
  static const uint8_t v6[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                 0, 0, 0, 0, 0, 0, 0, 1};
  uint16_t ports[FUZZ_NPORTS + FUZZ_MAX_SOCKETS];
  wasisock_addr_t a;
  size_t n, i;
  uint8_t *rec;

  if (r->mem.base == NULL || ptr > r->mem.len ||
      r->mem.len - ptr < WASISOCK_ADDR_SIZE)
    return;
  rec = r->mem.base + ptr;
  if (wasisock_addr_read(rec, &a) != WASISOCK_OK)
    return; /* not an IP family: the host refuses it */
  if (!fuzz_addr_is_loopback(&a)) {
    memset(a.bytes, 0, sizeof(a.bytes));
    if (a.family == WASISOCK_AF_INET) {
      a.bytes[0] = 127;
      a.bytes[3] = 1;
    } else {
      memcpy(a.bytes, v6, 16);
    }
  }
  n = fuzz__ports(r, a.family, ports, sizeof(ports) / sizeof(ports[0]));
  if (!(bind && a.port == 0)) {
    for (i = 0; i < n && ports[i] != a.port; i++)
      ;
    if (i == n)
      a.port = bind && a.port % 2 ? 0 : ports[a.port % n];
  }
  wasisock_addr_write(rec, &a);
}

/* sock_listen and sock_send_to bind an unbound socket to the any-address
 * first: run them only on a socket bound to loopback (or on something that
 * is not an open socket: EBADF). */
static int fuzz__bound_to_loopback(fuzz_run_t *r, uint32_t h) {
  wasisock_addr_t a;

  if (wasisock_sock_get_timeout(r->host, &fuzz__smem, h, 0) != WASISOCK_OK)
    return 1; /* not open */
  return fuzz__local_addr(r, h, &a) == 0 && fuzz_addr_is_loopback(&a);
}

/* After each call: every open socket without a timeout gets the run's, and
 * no handle past the limit is open. */
static void fuzz__sweep(fuzz_run_t *r) {
  uint32_t i, h;

  for (i = 0; i < FUZZ_MAX_SOCKETS + 4; i++) {
    h = WASISOCK_FIRST_HANDLE + i;
    if (wasisock_sock_get_timeout(r->host, &fuzz__smem, h, 0) != WASISOCK_OK)
      continue;
    FUZZ_CHECK(i < FUZZ_MAX_SOCKETS);
    if (wasisock_u32_read(fuzz__scratch) == WASISOCK_TIMEOUT_NONE)
      FUZZ_CHECK(wasisock_sock_set_timeout(r->host, &fuzz__smem, h,
                                           r->timeout) == WASISOCK_OK);
  }
}

/* Writes n sock_poll records at ptr, as far as they fit: the open handles
 * of the instance in turn (so that nothing is POLLNVAL and the call may
 * wait), POLLIN. */
static void fuzz__poll_array(fuzz_run_t *r, uint32_t ptr, uint32_t n) {
  uint32_t open[FUZZ_MAX_SOCKETS], nopen = 0, i;
  wasisock_poll_sub_t sub;

  for (i = 0; i < FUZZ_MAX_SOCKETS; i++)
    if (wasisock_sock_get_timeout(r->host, &fuzz__smem,
                                  WASISOCK_FIRST_HANDLE + i, 0) == WASISOCK_OK)
      open[nopen++] = WASISOCK_FIRST_HANDLE + i;
  if (nopen == 0)
    open[nopen++] = WASISOCK_FIRST_HANDLE;
  for (i = 0; i < n && r->mem.len - ptr >= WASISOCK_POLL_SUB_SIZE *
                                                (size_t)(i + 1);
       i++) {
    sub.handle = open[i % nopen];
    sub.events = WASISOCK_POLLIN;
    sub.revents = 0;
    wasisock_poll_sub_write(r->mem.base + ptr + (size_t)i * WASISOCK_POLL_SUB_SIZE,
                            &sub);
  }
}

/* Writes template t as a record at ptr, if it fits. */
static void fuzz__template(fuzz_run_t *r, uint32_t ptr, uint8_t t) {
  wasisock_addr_t a;

  if (r->mem.base == NULL || ptr > r->mem.len)
    return;
  if (t >= 250) {
    fuzz__poll_array(r, ptr, 100u * (uint32_t)(t - 249));
    return;
  }
  if (r->mem.len - ptr < WASISOCK_ADDR_SIZE)
    return;
  memset(&a, 0, sizeof(a));
  switch (t % 10) {
  case 0: case 1: case 2: case 3: case 4: /* this process's endpoints */
    a.family = fuzz_net_family((fuzz_port_kind_t)(t % 10));
    a.port = fuzz_net_port((fuzz_port_kind_t)(t % 10));
    break;
  case 5: /* a socket of the instance */
    if (fuzz__local_addr(
            r, WASISOCK_FIRST_HANDLE + (t / 10) % FUZZ_MAX_SOCKETS, &a) != 0)
      a.family = WASISOCK_AF_INET;
    break;
  case 6:
    a.family = WASISOCK_AF_INET;
    break;
  case 7:
    a.family = WASISOCK_AF_INET6;
    break;
  case 8: /* no address: AF_UNSPEC, all zero */
    break;
  default: /* an unknown family */
    memset(r->mem.base + ptr, 0, WASISOCK_ADDR_SIZE);
    r->mem.base[ptr] = (uint8_t)(3 + t / 10);
    return;
  }
  if (a.family == WASISOCK_AF_INET) {
    a.bytes[0] = 127;
    a.bytes[3] = 1;
  } else if (a.family == WASISOCK_AF_INET6) {
    a.bytes[15] = 1;
  }
  wasisock_addr_write(r->mem.base + ptr, &a);
}

static uint32_t fuzz__arg(fuzz_run_t *r, fuzz_in_t *in) {
  static const uint32_t special[] = {0xFFFFFFFFu, 0x7FFFFFFFu, 0x80000000u,
                                     0xFFFFFFFEu, 65535u, 65536u};
  uint8_t tag = fuzz_u8(in);
  uint32_t v = tag / 5, ptr;

  switch (tag % 5) {
  case 0:
    return fuzz_u32(in);
  case 1:
    return WASISOCK_FIRST_HANDLE + v % 16;
  case 2:
    return v < 45 ? v : special[(v - 45) % 6];
  default:
    ptr = fuzz_u16(in);
    ptr = r->mem.len > 0 ? ptr % (uint32_t)(r->mem.len + 64) : ptr % 64;
    if (tag % 5 == 4)
      fuzz__template(r, ptr, fuzz_u8(in));
    return ptr;
  }
}

static wasisock_policy_t *fuzz__policy(uint8_t mode) {
  static const char *const loopback[] = {
      "default deny", "allow any 127.0.0.0/8", "allow any [::1]",
      "allow resolve localhost", "deny resolve *.example"};
  static const char *const deny[] = {"default deny"};
  static const char *const limits[] = {"allow any 127.0.0.0/8",
                                       "allow any [::1]", "max-sockets 3",
                                       "max-buffer 4k"};
  const char *const *rules;
  wasisock_policy_t *p;
  size_t n, i;

  switch (mode) {
  case 1:
    rules = loopback;
    n = sizeof(loopback) / sizeof(loopback[0]);
    break;
  case 2:
    rules = deny;
    n = 1;
    break;
  case 3:
    rules = limits;
    n = sizeof(limits) / sizeof(limits[0]);
    break;
  default:
    return NULL;
  }
  FUZZ_CHECK(wasisock_policy_new(&p) == WASISOCK_OK);
  for (i = 0; i < n; i++)
    FUZZ_CHECK(wasisock_policy_add_rule(p, rules[i], NULL, 0) == WASISOCK_OK);
  return p;
}

static void fuzz__on_denial(void *data, const wasisock_policy_denial_t *d) {
  char line[256];

  wasisock_policy_denial_format(d, line, sizeof(line));
  ++*(unsigned long *)data;
}

/* The tracer: each call formatted whole and cut short, which must agree. */
static void fuzz__on_call(void *data, const wasisock_call_t *call) {
  char line[4096], cut[16];
  size_t need = wasisock_call_format(call, line, sizeof(line));

  FUZZ_CHECK(need > 0);
  FUZZ_CHECK(strlen(line) == (need < sizeof(line) ? need : sizeof(line) - 1));
  FUZZ_CHECK(wasisock_call_format(call, cut, sizeof(cut)) == need);
  FUZZ_CHECK(strlen(cut) == (need < sizeof(cut) ? need : sizeof(cut) - 1));
  ++*(unsigned long *)data;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const wasisock_import_t *table, *row;
  uint32_t args[FUZZ_MAX_PARAMS];
  fuzz_in_t in = {data, size};
  unsigned long denials = 0, traced = 0;
  wasisock_config_t cfg;
  wasisock_policy_t *policy;
  fuzz_run_t r;
  size_t nimports, image, i;
  uint32_t p;
  uint8_t flags, how;
  int32_t rc;
  int rule, calls, h, t;

  fuzz_net_init();
  fuzz_gai_clear();
  table = wasisock_import_table(&nimports);
  FUZZ_CHECK(table != NULL && nimports > 0);

  flags = fuzz_u8(&in);
  memset(&r, 0, sizeof(r));
  r.timeout = flags & 4 ? 1 : 0;
  r.mem.len = fuzz_u16(&in);
  r.mem.len += (size_t)(fuzz_u8(&in) & 1) << 16;
  if (r.mem.len > 0) {
    r.mem.base = calloc(1, r.mem.len);
    r.before = malloc(r.mem.len);
    FUZZ_CHECK(r.mem.base != NULL && r.before != NULL);
  }
  image = fuzz_u16(&in);
  if (image > in.n)
    image = in.n;
  if (image > r.mem.len)
    image = r.mem.len;
  if (image > 0)
    memcpy(r.mem.base, in.p, image);
  in.p += image;
  in.n -= image;

  policy = fuzz__policy(flags & 3);
  wasisock_config_init(&cfg);
  cfg.max_sockets = FUZZ_MAX_SOCKETS;
  cfg.policy = policy;
  cfg.on_denial = fuzz__on_denial;
  cfg.on_denial_data = &denials;
  if (flags & 8) {
    cfg.on_call = fuzz__on_call;
    cfg.on_call_data = &traced;
  }
  FUZZ_CHECK(wasisock_new(&cfg, &r.host) == WASISOCK_OK);
  wasisock_policy_free(policy); /* the instance has its own copy */

  for (calls = 0; in.n > 0 && calls < FUZZ_MAX_CALLS; calls++) {
    row = &table[fuzz_u8(&in) % nimports];
    how = fuzz_u8(&in);
    FUZZ_CHECK(row->nparams <= FUZZ_MAX_PARAMS && row->call != NULL);
    for (p = 0; p < row->nparams; p++)
      args[p] = fuzz__arg(&r, &in);

    if ((how & 0xF0) == 0xF0) { /* adapter misuse: NULL memory view */
      FUZZ_CHECK(row->call(r.host, NULL, args) == WASISOCK_EINVAL);
      continue;
    }
    if ((how & 0xF0) == 0xE0 && row->nparams > 0) { /* NULL args */
      FUZZ_CHECK(row->call(r.host, &r.mem, NULL) == WASISOCK_EINVAL);
      continue;
    }

    /* Network safety and bounded waits (see the top of the file). */
    rule = fuzz__rule(row->name);
    h = fuzz__param(row, WASISOCK_PARAM_HANDLE, NULL);
    t = fuzz__param(row, WASISOCK_PARAM_VALUE, "timeout_ms");
    if ((rule == FZ_LISTEN || rule == FZ_SEND_TO) &&
        !fuzz__bound_to_loopback(&r, h >= 0 ? args[h] : 0))
      continue;
    if (rule == FZ_SET_TIMEOUT && t >= 0 &&
        args[t] != WASISOCK_TIMEOUT_NONE && args[t] > 2)
      args[t] %= 3;
    if (rule == FZ_POLL && t >= 0 && ((int32_t)args[t] < 0 || args[t] > 2))
      args[t] %= 3;
    for (p = 0; p < row->nparams; p++)
      if (row->params[p].kind == WASISOCK_PARAM_ADDR_IN)
        fuzz__sanitise(&r, args[p], rule == FZ_BIND);

    if (r.mem.len > 0)
      memcpy(r.before, r.mem.base, r.mem.len);
    rc = row->call(r.host, &r.mem, args);
    FUZZ_CHECK(rc >= 0 && rc <= WASISOCK_ENOTCAPABLE);
    if (rc != WASISOCK_OK && r.mem.len > 0)
      FUZZ_CHECK(memcmp(r.before, r.mem.base, r.mem.len) == 0);
    fuzz__sweep(&r);
  }

  wasisock_free(r.host);
  free(r.mem.base);
  free(r.before);
  fuzz_net_drain();
  for (i = 0; i < nimports; i++) /* the table outlives instances */
    FUZZ_CHECK(wasisock_import_find(table[i].name) == &table[i]);
  return 0;
}
