/*
 * policy.c — the rule engine: the policy object, matching, the verdicts of
 * wasisock_policy_check and _check_result, and the hook points the host's
 * imports call (policy_internal.h).  Parsing is in policy_parse.c, address
 * text in policy_addr.c; docs/POLICY.md explains the semantics.
 *
 * Matching is a linear walk, first match wins.  Policies are a handful to a
 * few hundred rules; a walk costs less than the system call it guards.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_internal.h"
#include "text.h"

static const char TEXT_DEFAULT_ALLOW[] = "default allow";
static const char TEXT_DEFAULT_DENY[] = "default deny";
static const char TEXT_INVALID[] = "invalid request";

/* ---- Life cycle and settings ------------------------------------------------ */

int32_t wasisock_policy_new(wasisock_policy_t **out) {
  wasisock_policy_t *p;
  if (out == NULL)
    return WASISOCK_EINVAL;
  *out = NULL;
  p = calloc(1, sizeof *p);
  if (p == NULL)
    return WASISOCK_ENOMEM;
  p->default_action = WASISOCK_POLICY_ALLOW;
  p->max_sockets = WASISOCK_POLICY_NO_SOCKET_LIMIT;
  p->max_buffer = WASISOCK_POLICY_NO_BUFFER_LIMIT;
  *out = p;
  return 0;
}

void wasisock_policy_free(wasisock_policy_t *p) {
  size_t i;
  if (p == NULL)
    return;
  for (i = 0; i < p->nrules; i++)
    wasisock__rule_free(&p->rules[i]);
  free(p->rules);
  free(p);
}

int32_t wasisock_policy_set_default(wasisock_policy_t *p,
                                    wasisock_policy_action_t action) {
  if (p == NULL ||
      (action != WASISOCK_POLICY_ALLOW && action != WASISOCK_POLICY_DENY))
    return WASISOCK_EINVAL;
  p->default_action = action;
  return 0;
}

/* NULL has no rules to allow anything with: DENY. */
wasisock_policy_action_t wasisock_policy_get_default(const wasisock_policy_t *p) {
  return p ? p->default_action : WASISOCK_POLICY_DENY;
}

int32_t wasisock_policy_set_max_sockets(wasisock_policy_t *p, uint32_t n) {
  if (p == NULL)
    return WASISOCK_EINVAL;
  p->max_sockets = n;
  return 0;
}

uint32_t wasisock_policy_get_max_sockets(const wasisock_policy_t *p) {
  return p ? p->max_sockets : WASISOCK_POLICY_NO_SOCKET_LIMIT;
}

int32_t wasisock_policy_set_max_buffer_bytes(wasisock_policy_t *p,
                                             uint64_t bytes) {
  if (p == NULL || bytes == 0)
    return WASISOCK_EINVAL;
  p->max_buffer = bytes;
  return 0;
}

uint64_t wasisock_policy_get_max_buffer_bytes(const wasisock_policy_t *p) {
  return p ? p->max_buffer : WASISOCK_POLICY_NO_BUFFER_LIMIT;
}

int32_t wasisock_policy_set_denial_callback(wasisock_policy_t *p,
                                            wasisock_policy_denial_cb cb,
                                            void *data) {
  if (p == NULL)
    return WASISOCK_EINVAL;
  p->on_denial = cb;
  p->on_denial_data = data;
  return 0;
}

size_t wasisock_policy_rule_count(const wasisock_policy_t *p) {
  return p ? p->nrules : 0;
}

const char *wasisock_policy_rule_text(const wasisock_policy_t *p, size_t i) {
  return p && i < p->nrules ? p->rules[i].text : NULL;
}

int32_t wasisock__policy_reserve(wasisock_policy_t *p, size_t extra) {
  size_t cap = p->cap ? p->cap : 8;
  wasisock__rule_t *rules;
  if (extra <= p->cap - p->nrules)
    return 0;
  if (extra > WASISOCK_POLICY_MAX_RULES - p->nrules)
    return WASISOCK_E2BIG;
  while (cap - p->nrules < extra)
    cap *= 2;
  rules = realloc(p->rules, cap * sizeof *rules);
  if (rules == NULL)
    return WASISOCK_ENOMEM;
  p->rules = rules;
  p->cap = cap;
  return 0;
}

int32_t wasisock__policy_apply_line(wasisock_policy_t *p,
                                    wasisock__line_t *line) {
  int32_t e;
  switch (line->kind) {
  case WASISOCK__LINE_EMPTY:
    return 0;
  case WASISOCK__LINE_RULE:
    if (p->nrules >= WASISOCK_POLICY_MAX_RULES)
      e = WASISOCK_E2BIG;
    else
      e = wasisock__policy_reserve(p, 1);
    if (e != 0) {
      wasisock__rule_free(&line->rule);
      return e;
    }
    p->rules[p->nrules++] = line->rule;
    memset(&line->rule, 0, sizeof line->rule); /* moved */
    return 0;
  case WASISOCK__LINE_DEFAULT:
    p->default_action = line->action;
    return 0;
  case WASISOCK__LINE_MAX_SOCKETS:
    p->max_sockets = (uint32_t)line->value;
    return 0;
  case WASISOCK__LINE_MAX_BUFFER:
    p->max_buffer = line->value;
    return 0;
  }
  return WASISOCK_EINVAL;
}

static char *dup_bytes(const char *s, size_t len) {
  char *d = malloc(len + 1);
  if (d != NULL) {
    memcpy(d, s, len);
    d[len] = '\0';
  }
  return d;
}

int32_t wasisock__policy_copy(const wasisock_policy_t *src,
                              wasisock_policy_t **out) {
  wasisock_policy_t *p;
  size_t i;
  int32_t e;

  *out = NULL;
  if ((e = wasisock_policy_new(&p)) != 0)
    return e;
  if (src->nrules > 0 && (e = wasisock__policy_reserve(p, src->nrules)) != 0)
    goto fail;
  for (i = 0; i < src->nrules; i++) {
    const wasisock__rule_t *r = &src->rules[i];
    wasisock__rule_t *c = &p->rules[i];
    *c = *r;
    c->name = NULL;
    c->text = NULL;
    p->nrules = i + 1; /* so that a failure below frees this one too */
    if ((r->name != NULL &&
         (c->name = dup_bytes(r->name, r->name_len)) == NULL) ||
        (r->text != NULL &&
         (c->text = dup_bytes(r->text, strlen(r->text))) == NULL)) {
      e = WASISOCK_ENOMEM;
      goto fail;
    }
  }
  p->default_action = src->default_action;
  p->max_sockets = src->max_sockets;
  p->max_buffer = src->max_buffer;
  p->on_denial = src->on_denial;
  p->on_denial_data = src->on_denial_data;
  *out = p;
  return 0;

fail:
  wasisock_policy_free(p);
  return e;
}

/* ---- Matching --------------------------------------------------------------- */

/* The request's address as the rules see it: IPv4-mapped becomes IPv4, and
 * for a destination the unspecified address becomes loopback (Linux and the
 * BSDs connect 0.0.0.0 and :: to the local host; a policy that denies
 * 127.0.0.0/8 must deny them too).  0 or EAFNOSUPPORT. */
static int32_t normalise(const wasisock_addr_t *a, int destination,
                         wasisock__ip_t *ip) {
  static const uint8_t zero[16];
  uint32_t n = wasisock_addr_bytes_len(a->family);
  if (n == 0)
    return WASISOCK_EAFNOSUPPORT;
  memset(ip, 0, sizeof *ip);
  ip->family = a->family;
  memcpy(ip->bytes, a->bytes, n);
  wasisock__ip_unmap(ip);
  if (destination) {
    n = wasisock_addr_bytes_len(ip->family);
    if (memcmp(ip->bytes, zero, n) == 0) {
      if (ip->family == WASISOCK_AF_INET) {
        ip->bytes[0] = 127;
        ip->bytes[3] = 1;
      } else {
        ip->bytes[15] = 1;
      }
    }
  }
  return 0;
}

static int ip_in_rule(const wasisock__rule_t *r, const wasisock__ip_t *ip) {
  unsigned full = r->prefix / 8, rem = r->prefix % 8;
  if (r->ip.family != ip->family)
    return 0;
  if (memcmp(r->ip.bytes, ip->bytes, full) != 0)
    return 0;
  return rem == 0 ||
         (ip->bytes[full] & (uint8_t)(0xff00u >> rem)) == r->ip.bytes[full];
}

static char lower(char c) {
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Rule names are lower case without a trailing dot; request names are as
 * the guest wrote them. */
static int name_in_rule(const wasisock__rule_t *r, const char *name) {
  size_t len, i;
  const char *tail;
  if (name == NULL)
    return 0;
  len = strlen(name);
  if (len > 0 && name[len - 1] == '.')
    len--;
  if (r->kind == WASISOCK__TARGET_NAME ? len != r->name_len
                                       : len <= r->name_len)
    return 0; /* a suffix needs at least one byte before its dot */
  tail = name + len - r->name_len;
  for (i = 0; i < r->name_len; i++)
    if (lower(tail[i]) != r->name[i])
      return 0;
  return 1;
}

static int target_matches(const wasisock__rule_t *r, const char *name,
                          const wasisock__ip_t *ip) {
  switch (r->kind) {
  case WASISOCK__TARGET_ANY:
    return 1;
  case WASISOCK__TARGET_NAME:
  case WASISOCK__TARGET_SUFFIX:
    return name_in_rule(r, name);
  case WASISOCK__TARGET_ADDR:
    return ip != NULL && ip_in_rule(r, ip);
  }
  return 0;
}

static void verdict_rule(const wasisock_policy_t *p, size_t i,
                         wasisock_policy_verdict_t *out) {
  out->action = p->rules[i].action;
  out->rule_index = (int32_t)i;
  out->line = p->rules[i].line;
  out->rule_text = p->rules[i].text;
}

static void verdict_default(const wasisock_policy_t *p,
                            wasisock_policy_verdict_t *out) {
  out->action = p->default_action;
  out->rule_index = -1;
  out->line = 0;
  out->rule_text = p->default_action == WASISOCK_POLICY_ALLOW
                       ? TEXT_DEFAULT_ALLOW
                       : TEXT_DEFAULT_DENY;
}

static int32_t verdict_invalid(wasisock_policy_verdict_t *out, int32_t e) {
  if (out != NULL) {
    out->action = WASISOCK_POLICY_DENY;
    out->rule_index = -1;
    out->line = 0;
    out->rule_text = TEXT_INVALID;
  }
  return e;
}

/* CONNECT or BIND of one address and port: first match wins. */
static void decide_port(const wasisock_policy_t *p, uint32_t op,
                        const char *name, const wasisock__ip_t *ip,
                        uint16_t port, wasisock_policy_verdict_t *out) {
  size_t i;
  for (i = 0; i < p->nrules; i++) {
    const wasisock__rule_t *r = &p->rules[i];
    if ((r->ops & op) && port >= r->port_lo && port <= r->port_hi &&
        target_matches(r, name, ip)) {
      verdict_rule(p, i, out);
      return;
    }
  }
  verdict_default(p, out);
}

/* Ports already taken by a matching deny rule during a walk. */
typedef struct port_set {
  uint64_t w[65536 / 64];
} port_set_t;

static uint64_t word_mask(uint32_t wi, uint32_t lo, uint32_t hi) {
  uint32_t base = wi * 64;
  uint32_t a = lo > base ? lo - base : 0;
  uint32_t b = hi < base + 63 ? hi - base : 63;
  uint64_t m = b == 63 ? ~(uint64_t)0 : (((uint64_t)1 << (b + 1)) - 1);
  return m & (~(uint64_t)0 << a);
}

static void ports_add(port_set_t *s, uint32_t lo, uint32_t hi) {
  uint32_t wi;
  for (wi = lo / 64; wi <= hi / 64; wi++)
    s->w[wi] |= word_mask(wi, lo, hi);
}

/* Is some port in lo..hi not in s? */
static int ports_gap(const port_set_t *s, uint32_t lo, uint32_t hi) {
  uint32_t wi;
  for (wi = lo / 64; wi <= hi / 64; wi++) {
    uint64_t m = word_mask(wi, lo, hi);
    if ((s->w[wi] & m) != m)
      return 1;
  }
  return 0;
}

enum any_port_mode {
  ANY_PORT_RESOLVE, /* may the name be looked up? */
  ANY_PORT_CONNECT  /* may the address be connected to on some port? */
};

/* Which rules a port-less question consults.  A lookup consults rules for
 * resolve, and allow-connect rules whose target is a name or "*": permission
 * to connect to a name includes permission to look it up.  (A deny-connect
 * rule does not deny the lookup: its address check still applies.) */
static int applies(const wasisock__rule_t *r, enum any_port_mode mode) {
  if (mode == ANY_PORT_CONNECT)
    return (r->ops & WASISOCK_POLICY_CONNECT) != 0;
  if (r->ops & WASISOCK_POLICY_RESOLVE)
    return 1;
  return r->action == WASISOCK_POLICY_ALLOW &&
         (r->ops & WASISOCK_POLICY_CONNECT) && r->kind != WASISOCK__TARGET_ADDR;
}

/* ALLOW when some port p would get ALLOW from a first-match walk over the
 * applicable rules.  Walks once: an allow rule decides if one of its ports
 * is not yet taken by an earlier matching deny; a deny of every port
 * decides DENY; partial denies are remembered in a port set. */
static void decide_any_port(const wasisock_policy_t *p, enum any_port_mode mode,
                            const char *name, const wasisock__ip_t *ip,
                            wasisock_policy_verdict_t *out) {
  port_set_t denied; /* 8 KiB, cleared on first use only */
  int partial = 0;
  size_t i, last_deny = 0;

  for (i = 0; i < p->nrules; i++) {
    const wasisock__rule_t *r = &p->rules[i];
    if (!applies(r, mode) || !target_matches(r, name, ip))
      continue;
    if (r->action == WASISOCK_POLICY_ALLOW) {
      if (!partial || ports_gap(&denied, r->port_lo, r->port_hi)) {
        verdict_rule(p, i, out);
        return;
      }
      continue;
    }
    if (r->port_lo == 0 && r->port_hi == 65535) {
      verdict_rule(p, i, out);
      return;
    }
    if (!partial) {
      memset(&denied, 0, sizeof denied);
      partial = 1;
    }
    ports_add(&denied, r->port_lo, r->port_hi);
    last_deny = i;
  }
  verdict_default(p, out);
  if (out->action == WASISOCK_POLICY_ALLOW && partial &&
      !ports_gap(&denied, 0, 65535))
    verdict_rule(p, last_deny, out); /* deny rules cover every port */
}

/* ---- Checking --------------------------------------------------------------- */

int32_t wasisock_policy_check(const wasisock_policy_t *p,
                              const wasisock_policy_request_t *req,
                              wasisock_policy_verdict_t *out) {
  wasisock__ip_t ip;
  int32_t e;

  if (p == NULL || req == NULL || out == NULL)
    return verdict_invalid(out, WASISOCK_EINVAL);

  switch (req->op) {
  case WASISOCK_POLICY_CONNECT:
  case WASISOCK_POLICY_BIND:
    if (req->addr == NULL)
      return verdict_invalid(out, WASISOCK_EINVAL);
    if ((e = normalise(req->addr, req->op == WASISOCK_POLICY_CONNECT, &ip)) !=
        0)
      return verdict_invalid(out, e);
    /* A bind has no name: name rules never match it. */
    decide_port(p, (uint32_t)req->op,
                req->op == WASISOCK_POLICY_CONNECT ? req->name : NULL, &ip,
                req->addr->port, out);
    return 0;

  case WASISOCK_POLICY_RESOLVE: {
    size_t len;
    if (req->name == NULL)
      return verdict_invalid(out, WASISOCK_EINVAL);
    len = strlen(req->name);
    memset(&ip, 0, sizeof ip);
    if (wasisock__ip4_parse(req->name, len, ip.bytes))
      ip.family = WASISOCK_AF_INET;
    else if (wasisock__ip6_parse(req->name, len, ip.bytes))
      ip.family = WASISOCK_AF_INET6;
    if (ip.family != 0) {
      /* A literal: no lookup happens, the answer is the address itself. */
      wasisock_addr_t a;
      memset(&a, 0, sizeof a);
      a.family = ip.family;
      memcpy(a.bytes, ip.bytes, sizeof a.bytes);
      return wasisock_policy_check_result(p, NULL, &a, out);
    }
    decide_any_port(p, ANY_PORT_RESOLVE, req->name, NULL, out);
    return 0;
  }

  default:
    return verdict_invalid(out, WASISOCK_EINVAL);
  }
}

int32_t wasisock_policy_check_result(const wasisock_policy_t *p,
                                     const char *name,
                                     const wasisock_addr_t *addr,
                                     wasisock_policy_verdict_t *out) {
  wasisock__ip_t ip;
  int32_t e;
  if (p == NULL || addr == NULL || out == NULL)
    return verdict_invalid(out, WASISOCK_EINVAL);
  if ((e = normalise(addr, 1, &ip)) != 0)
    return verdict_invalid(out, e);
  decide_any_port(p, ANY_PORT_CONNECT, name, &ip, out);
  return 0;
}

int wasisock_policy_allows_result(const wasisock_policy_t *p, const char *name,
                                  const wasisock_addr_t *addr) {
  wasisock_policy_verdict_t v;
  return wasisock_policy_check_result(p, name, addr, &v) == 0 &&
         v.action == WASISOCK_POLICY_ALLOW;
}

/* ---- Hook points ------------------------------------------------------------ */

static int32_t refuse(const wasisock_policy_t *p, wasisock_policy_op_t op,
                      const char *name, const wasisock_addr_t *addr,
                      uint32_t port, const wasisock_policy_verdict_t *v) {
  if (p->on_denial != NULL) {
    wasisock_policy_denial_t d;
    d.op = op;
    d.name = name;
    d.addr = addr;
    d.port = port;
    d.rule_index = v->rule_index;
    d.line = v->line;
    d.rule_text = v->rule_text;
    p->on_denial(p->on_denial_data, &d);
  }
  return WASISOCK_EACCES;
}

static int32_t hook(const wasisock_policy_t *p, wasisock_policy_op_t op,
                    const char *name, const wasisock_addr_t *addr,
                    uint32_t port) {
  wasisock_policy_request_t req;
  wasisock_policy_verdict_t v;
  int32_t e;
  if (p == NULL)
    return 0;
  req.op = op;
  req.name = name;
  req.addr = addr;
  if ((e = wasisock_policy_check(p, &req, &v)) != 0)
    return e;
  if (v.action == WASISOCK_POLICY_ALLOW)
    return 0;
  return refuse(p, op, name, addr, port, &v);
}

int32_t wasisock__policy_check_connect(const wasisock_policy_t *p,
                                       const wasisock_addr_t *addr,
                                       const char *name) {
  return hook(p, WASISOCK_POLICY_CONNECT, name, addr, addr ? addr->port : 0);
}

int32_t wasisock__policy_check_bind(const wasisock_policy_t *p,
                                    const wasisock_addr_t *addr) {
  return hook(p, WASISOCK_POLICY_BIND, NULL, addr, addr ? addr->port : 0);
}

int32_t wasisock__policy_check_resolve(const wasisock_policy_t *p,
                                       const char *name, uint32_t port) {
  return hook(p, WASISOCK_POLICY_RESOLVE, name, NULL, port);
}

size_t wasisock__policy_filter_results(const wasisock_policy_t *p,
                                       const char *name, wasisock_addr_t *addrs,
                                       size_t count) {
  size_t i, kept = 0;
  if (p == NULL)
    return count;
  for (i = 0; i < count; i++) {
    wasisock_policy_verdict_t v;
    if (wasisock_policy_check_result(p, name, &addrs[i], &v) != 0)
      continue; /* a record the host built badly: hide it */
    if (v.action != WASISOCK_POLICY_ALLOW) {
      refuse(p, WASISOCK_POLICY_RESOLVE, name, &addrs[i], addrs[i].port, &v);
      continue;
    }
    if (kept != i)
      addrs[kept] = addrs[i];
    kept++;
  }
  return kept;
}

/* ---- Messages --------------------------------------------------------------- */

/* Lines built piece by piece (text.h): here, with the denial lines, so
 * the policy's sources build alone (tests/policy, the fuzzers). */
void wasisock__text_init(wasisock__text_t *t, char *buf, size_t len) {
  t->buf = buf;
  t->len = buf != NULL ? len : 0;
  t->need = 0;
  if (t->len > 0)
    buf[0] = '\0';
}

void wasisock__put(wasisock__text_t *t, const char *fmt, ...) {
  va_list ap;
  char *at = NULL;
  size_t room = 0;
  int n;

  if (t->need < t->len) {
    at = t->buf + t->need;
    room = t->len - t->need;
  }
  va_start(ap, fmt);
  n = vsnprintf(at, room, fmt, ap);
  va_end(ap);
  if (n > 0)
    t->need += (size_t)n;
}

/* "10.1.2.3:80", "[::1]:80" */
static void put_addr(wasisock__text_t *o, const wasisock_addr_t *a) {
  char text[WASISOCK__ADDR_STRLEN];

  wasisock__addr_text(a, text);
  wasisock__put(o, "%s", text);
}

size_t wasisock_policy_denial_format(const wasisock_policy_denial_t *d,
                                     char *buf, size_t len) {
  wasisock__text_t o;

  wasisock__text_init(&o, buf, len);
  if (d == NULL)
    return 0;

  if (d->op == WASISOCK_POLICY_RESOLVE && d->addr != NULL) {
    wasisock__put(&o, "hid ");
    put_addr(&o, d->addr);
    if (d->name != NULL)
      wasisock__put(&o, " from the lookup of \"%s\"", d->name);
    else
      wasisock__put(&o, " from a lookup");
  } else if (d->op == WASISOCK_POLICY_RESOLVE) {
    wasisock__put(&o, "denied resolve \"%s\"", d->name ? d->name : "");
  } else {
    wasisock__put(&o, "denied %s ",
        d->op == WASISOCK_POLICY_BIND ? "bind" : "connect");
    if (d->addr != NULL)
      put_addr(&o, d->addr);
    else
      wasisock__put(&o, "(no address):%u", (unsigned)d->port);
    if (d->name != NULL)
      wasisock__put(&o, " (%s)", d->name);
  }
  if (d->rule_index < 0)
    wasisock__put(&o, " by %s", d->rule_text ? d->rule_text : "the default");
  else if (d->line > 0)
    wasisock__put(&o, " by \"%s\" (line %lu)", d->rule_text ? d->rule_text : "?",
        (unsigned long)d->line);
  else
    wasisock__put(&o, " by \"%s\"", d->rule_text ? d->rule_text : "?");
  return o.need;
}
