/*
 * policy_parse.c — the policy language: one line (a rule or a directive)
 * into a wasisock__line_t, canonical rule texts, and the loaders for files
 * and text.  docs/POLICY.md has the grammar.
 *
 * Lines come from the embedder (command-line flags, policy files), not from
 * the guest, but they are still parsed as hostile: every byte is looked at
 * through a length, nothing assumes termination, and messages quote at most
 * WASISOCK__QUOTE_MAX bytes of the offending token.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errno_map.h"
#include "policy_internal.h"

#define WASISOCK__QUOTE_MAX 64
/* "%.*s%s" arguments quoting s[0..len), cut with "..." past QUOTE_MAX. */
#define QUOTE(s, len)                                                          \
  (int)((len) > WASISOCK__QUOTE_MAX ? WASISOCK__QUOTE_MAX : (len)), (s),       \
      ((len) > WASISOCK__QUOTE_MAX ? "..." : "")

#define NAME_MAX_LEN 253 /* a DNS name, without the trailing dot */
#define LABEL_MAX_LEN 63

void wasisock__policy_errf(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  if (err == NULL || errlen == 0)
    return;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* ---- Tokens ---------------------------------------------------------------- */

typedef struct tok {
  const char *s;
  size_t len;
} tok_t;

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
         c == '\f';
}

/* Splits line[0..len) at white space into up to max tokens; returns how many
 * there are in all (may exceed max: the caller reports the extra one, which
 * is then toks[max - 1]'s successor, left in *extra). */
static size_t tokenize(const char *line, size_t len, tok_t *toks, size_t max,
                       tok_t *extra) {
  size_t i = 0, n = 0;
  while (i < len) {
    size_t start;
    while (i < len && is_space(line[i]))
      i++;
    if (i == len)
      break;
    start = i;
    while (i < len && !is_space(line[i]))
      i++;
    if (n < max) {
      toks[n].s = line + start;
      toks[n].len = i - start;
    } else if (n == max) {
      extra->s = line + start;
      extra->len = i - start;
    }
    n++;
  }
  return n;
}

static char lower(char c) {
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive: does t spell the lower-case word w? */
static int tok_is(tok_t t, const char *w) {
  size_t i, n = strlen(w);
  if (t.len != n)
    return 0;
  for (i = 0; i < n; i++)
    if (lower(t.s[i]) != w[i])
      return 0;
  return 1;
}

/* Decimal digits only, into *out; 0 if not all digits or above max. */
static int parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out) {
  uint64_t v = 0;
  size_t i;
  if (len == 0)
    return 0;
  for (i = 0; i < len; i++) {
    unsigned d;
    if (s[i] < '0' || s[i] > '9')
      return 0;
    d = (unsigned)(s[i] - '0');
    if (v > (max - d) / 10)
      return 0;
    v = v * 10 + d;
  }
  *out = v;
  return 1;
}

static int all_digits(const char *s, size_t len) {
  size_t i;
  for (i = 0; i < len; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return len > 0;
}

/* ---- Ports ----------------------------------------------------------------- */

/* "*", "N" or "N-M", 0 <= N <= M <= 65535. */
static int32_t parse_ports(const char *s, size_t len, wasisock__rule_t *r,
                           char *err, size_t errlen) {
  const char *dash = memchr(s, '-', len);
  uint64_t lo, hi;

  if (len == 1 && s[0] == '*') {
    r->port_lo = 0;
    r->port_hi = 65535;
    return 0;
  }
  if (dash == NULL) {
    if (!all_digits(s, len))
      goto bad;
    if (!parse_uint(s, len, 65535, &lo))
      goto range;
    r->port_lo = r->port_hi = (uint16_t)lo;
    return 0;
  }
  {
    size_t llen = (size_t)(dash - s), hlen = len - llen - 1;
    if (!all_digits(s, llen) || !all_digits(dash + 1, hlen))
      goto bad;
    if (!parse_uint(s, llen, 65535, &lo) ||
        !parse_uint(dash + 1, hlen, 65535, &hi))
      goto range;
    if (lo > hi) {
      wasisock__policy_errf(err, errlen, "port range \"%.*s%s\" is reversed",
                            QUOTE(s, len));
      return WASISOCK_EINVAL;
    }
    r->port_lo = (uint16_t)lo;
    r->port_hi = (uint16_t)hi;
    return 0;
  }

bad:
  wasisock__policy_errf(err, errlen,
                        "bad port \"%.*s%s\" (expected N, N-M or *)",
                        QUOTE(s, len));
  return WASISOCK_EINVAL;
range:
  wasisock__policy_errf(err, errlen, "port \"%.*s%s\" out of range (0-65535)",
                        QUOTE(s, len));
  return WASISOCK_EINVAL;
}

/* ---- Targets --------------------------------------------------------------- */

/* An address with an optional "/prefix", s[0..len), of the given family
 * (AF_INET6 for anything written with colons).  Host bits are cleared, then
 * an IPv4-mapped range of prefix >= 96 becomes the IPv4 range. */
static int32_t parse_cidr(const char *s, size_t len, uint8_t family,
                          wasisock__rule_t *r, char *err, size_t errlen) {
  const char *slash = memchr(s, '/', len);
  size_t alen = slash ? (size_t)(slash - s) : len;
  unsigned max = family == WASISOCK_AF_INET ? 32 : 128;
  const char *fam = family == WASISOCK_AF_INET ? "IPv4" : "IPv6";
  uint64_t prefix = max;
  unsigned i;
  int ok;

  memset(&r->ip, 0, sizeof r->ip);
  r->ip.family = family;
  ok = family == WASISOCK_AF_INET ? wasisock__ip4_parse(s, alen, r->ip.bytes)
                                  : wasisock__ip6_parse(s, alen, r->ip.bytes);
  if (!ok) {
    wasisock__policy_errf(err, errlen, "bad %s address \"%.*s%s\"", fam,
                          QUOTE(s, alen));
    return WASISOCK_EINVAL;
  }
  if (slash) {
    size_t plen = len - alen - 1;
    if (plen > 3 || !parse_uint(slash + 1, plen, max, &prefix)) {
      wasisock__policy_errf(err, errlen,
                            "bad CIDR prefix \"%.*s%s\" (%s allows 0-%u)",
                            QUOTE(slash, len - alen), fam, max);
      return WASISOCK_EINVAL;
    }
  }
  r->prefix = (uint8_t)prefix;
  for (i = 0; i < max / 8; i++) {
    /* bits of byte i inside the prefix: 8, then the remainder, then 0 */
    unsigned keep = 0;
    if (prefix >= 8 * (i + 1))
      keep = 8;
    else if (prefix > 8 * i)
      keep = (unsigned)prefix - 8 * i;
    r->ip.bytes[i] &= (uint8_t)(0xff00u >> keep);
  }
  if (family == WASISOCK_AF_INET6 && r->prefix >= 96) {
    wasisock__ip_t probe = r->ip;
    wasisock__ip_unmap(&probe);
    if (probe.family == WASISOCK_AF_INET) {
      r->ip = probe;
      r->prefix = (uint8_t)(r->prefix - 96);
    }
  }
  r->kind = WASISOCK__TARGET_ADDR;
  return 0;
}

/* A host name: labels of letters, digits, '-' and '_' (1-63 bytes each),
 * at most 253 bytes, one trailing dot ignored.  Stored in lower case. */
static int32_t parse_name(const char *s, size_t len, const char *shown,
                          size_t shown_len, wasisock__rule_t *r, char *err,
                          size_t errlen) {
  size_t i, label = 0;

  if (len > 0 && s[len - 1] == '.')
    len--;
  if (len == 0 || len > NAME_MAX_LEN)
    goto bad;
  for (i = 0; i < len; i++) {
    char c = s[i];
    if (c == '.') {
      if (label == 0)
        goto bad;
      label = 0;
      continue;
    }
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '-' || c == '_'))
      goto bad;
    if (++label > LABEL_MAX_LEN)
      goto bad;
  }
  if (label == 0)
    goto bad;

  r->name = malloc(len + 2);
  if (r->name == NULL)
    return WASISOCK_ENOMEM;
  r->name_len = 0;
  if (r->kind == WASISOCK__TARGET_SUFFIX)
    r->name[r->name_len++] = '.';
  for (i = 0; i < len; i++)
    r->name[r->name_len++] = lower(s[i]);
  r->name[r->name_len] = '\0';
  return 0;

bad:
  if (memchr(shown, '*', shown_len) != NULL)
    wasisock__policy_errf(err, errlen,
                          "bad name pattern \"%.*s%s\" (\"*\" goes alone or "
                          "as a leading \"*.\")",
                          QUOTE(shown, shown_len));
  else
    wasisock__policy_errf(err, errlen, "bad host name \"%.*s%s\"",
                          QUOTE(shown, shown_len));
  return WASISOCK_EINVAL;
}

/* Digits and dots before any '/': an IPv4 address or range, never a name
 * (a top-level domain is not all digits; "10.0.0.0/33" must not become a
 * host name that matches nothing). */
static int looks_ip4(const char *s, size_t len) {
  size_t i;
  for (i = 0; i < len && s[i] != '/'; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
      return 0;
  return 1;
}

/* TARGET[:PORTS], see docs/POLICY.md.  Fills kind, ip/prefix or name, and
 * the ports (default "*"). */
static int32_t parse_target(tok_t t, wasisock__rule_t *r, char *err,
                            size_t errlen) {
  const char *host = t.s, *ports = NULL;
  size_t hlen = t.len, plen = 0, colons = 0, i;
  int32_t e;

  r->port_lo = 0;
  r->port_hi = 65535;

  if (t.s[0] == '[') {
    const char *close = memchr(t.s, ']', t.len);
    size_t rest;
    uint8_t probe[4];
    const char *slash;
    if (close == NULL) {
      wasisock__policy_errf(err, errlen, "missing \"]\" in \"%.*s%s\"",
                            QUOTE(t.s, t.len));
      return WASISOCK_EINVAL;
    }
    host = t.s + 1;
    hlen = (size_t)(close - host);
    rest = t.len - hlen - 2;
    if (rest > 0) {
      if (close[1] != ':') {
        wasisock__policy_errf(err, errlen,
                              "expected \":PORTS\" after \"]\" in \"%.*s%s\"",
                              QUOTE(t.s, t.len));
        return WASISOCK_EINVAL;
      }
      ports = close + 2;
      plen = rest - 1;
    }
    slash = memchr(host, '/', hlen);
    if (wasisock__ip4_parse(host, slash ? (size_t)(slash - host) : hlen,
                            probe)) {
      wasisock__policy_errf(err, errlen,
                            "brackets are for IPv6 addresses: \"%.*s%s\"",
                            QUOTE(t.s, t.len));
      return WASISOCK_EINVAL;
    }
    if ((e = parse_cidr(host, hlen, WASISOCK_AF_INET6, r, err, errlen)) != 0)
      return e;
  } else {
    for (i = 0; i < t.len; i++)
      colons += t.s[i] == ':';
    if (colons >= 2) {
      /* A bare IPv6 address or range; a port needs brackets. */
      const char *last = t.s + t.len;
      uint8_t probe[16];
      while (last[-1] != ':')
        last--;
      if (!wasisock__ip6_parse(t.s, t.len, probe) &&
          memchr(t.s, '/', t.len) == NULL &&
          all_digits(last, (size_t)(t.s + t.len - last)) &&
          wasisock__ip6_parse(t.s, (size_t)(last - 1 - t.s), probe)) {
        wasisock__policy_errf(
            err, errlen,
            "bad IPv6 address \"%.*s%s\" (an address with a port goes in "
            "brackets: \"[%.*s%s]:%.*s%s\")",
            QUOTE(t.s, t.len), QUOTE(t.s, (size_t)(last - 1 - t.s)),
            QUOTE(last, (size_t)(t.s + t.len - last)));
        return WASISOCK_EINVAL;
      }
      if ((e = parse_cidr(t.s, t.len, WASISOCK_AF_INET6, r, err, errlen)) != 0)
        return e;
    } else {
      if (colons == 1) {
        const char *colon = memchr(t.s, ':', t.len);
        hlen = (size_t)(colon - t.s);
        ports = colon + 1;
        plen = t.len - hlen - 1;
      }
      if (hlen == 0) {
        wasisock__policy_errf(err, errlen,
                              "missing host in \"%.*s%s\" (\"*%.*s%s\" is any "
                              "host)",
                              QUOTE(t.s, t.len), QUOTE(t.s, t.len));
        return WASISOCK_EINVAL;
      }
      if (hlen == 1 && host[0] == '*') {
        r->kind = WASISOCK__TARGET_ANY;
      } else if (hlen > 2 && host[0] == '*' && host[1] == '.') {
        r->kind = WASISOCK__TARGET_SUFFIX;
        if ((e = parse_name(host + 2, hlen - 2, host, hlen, r, err, errlen)) !=
            0)
          return e;
      } else if (looks_ip4(host, hlen)) {
        if ((e = parse_cidr(host, hlen, WASISOCK_AF_INET, r, err, errlen)) != 0)
          return e;
      } else {
        r->kind = WASISOCK__TARGET_NAME;
        if ((e = parse_name(host, hlen, host, hlen, r, err, errlen)) != 0)
          return e;
      }
    }
  }
  if (ports != NULL)
    return parse_ports(ports, plen, r, err, errlen);
  return 0;
}

/* ---- Canonical text -------------------------------------------------------- */

static const char *op_word(uint32_t ops) {
  switch (ops) {
  case WASISOCK_POLICY_CONNECT:
    return "connect";
  case WASISOCK_POLICY_BIND:
    return "bind";
  case WASISOCK_POLICY_RESOLVE:
    return "resolve";
  default:
    return "any";
  }
}

/* "allow connect [fd00::/8]:1-1024": ports only when not "*", an IPv6
 * target in brackets only when ports follow, the prefix only when it is not
 * the whole address. */
static int32_t make_text(wasisock__rule_t *r) {
  char target[NAME_MAX_LEN + 8]; /* also holds "[" IPv6 "/128]" */
  char buf[sizeof target + 64];
  int all_ports = r->port_lo == 0 && r->port_hi == 65535;
  size_t n = 0;

  switch (r->kind) {
  case WASISOCK__TARGET_ANY:
    snprintf(target, sizeof target, "*");
    break;
  case WASISOCK__TARGET_NAME:
    snprintf(target, sizeof target, "%s", r->name);
    break;
  case WASISOCK__TARGET_SUFFIX:
    snprintf(target, sizeof target, "*%s", r->name); /* ".example.com" */
    break;
  case WASISOCK__TARGET_ADDR: {
    int bracket = r->ip.family == WASISOCK_AF_INET6 && !all_ports;
    unsigned whole = r->ip.family == WASISOCK_AF_INET ? 32 : 128;
    if (bracket)
      target[n++] = '[';
    n += wasisock__ip_format(&r->ip, target + n);
    if (r->prefix != whole)
      n += (size_t)snprintf(target + n, sizeof target - n, "/%u",
                            (unsigned)r->prefix);
    if (bracket)
      snprintf(target + n, sizeof target - n, "]");
    break;
  }
  }
  n = (size_t)snprintf(buf, sizeof buf, "%s %s %s",
                       r->action == WASISOCK_POLICY_ALLOW ? "allow" : "deny",
                       op_word(r->ops), target);
  if (!all_ports && r->port_lo == r->port_hi)
    n += (size_t)snprintf(buf + n, sizeof buf - n, ":%u", (unsigned)r->port_lo);
  else if (!all_ports)
    n += (size_t)snprintf(buf + n, sizeof buf - n, ":%u-%u",
                          (unsigned)r->port_lo, (unsigned)r->port_hi);
  r->text = malloc(n + 1);
  if (r->text == NULL)
    return WASISOCK_ENOMEM;
  memcpy(r->text, buf, n + 1);
  return 0;
}

void wasisock__rule_free(wasisock__rule_t *r) {
  free(r->name);
  free(r->text);
  r->name = NULL;
  r->text = NULL;
}

/* ---- Lines ----------------------------------------------------------------- */

static int32_t parse_rule(tok_t *t, size_t ntok, const tok_t *extra,
                          wasisock__rule_t *r, char *err, size_t errlen) {
  int32_t e;

  memset(r, 0, sizeof *r);
  r->action = tok_is(t[0], "allow") ? WASISOCK_POLICY_ALLOW
                                    : WASISOCK_POLICY_DENY;
  if (ntok < 2) {
    wasisock__policy_errf(err, errlen,
                          "missing operation after \"%.*s%s\" (expected "
                          "connect, bind, resolve or any)",
                          QUOTE(t[0].s, t[0].len));
    return WASISOCK_EINVAL;
  }
  if (tok_is(t[1], "connect"))
    r->ops = WASISOCK_POLICY_CONNECT;
  else if (tok_is(t[1], "bind"))
    r->ops = WASISOCK_POLICY_BIND;
  else if (tok_is(t[1], "resolve"))
    r->ops = WASISOCK_POLICY_RESOLVE;
  else if (tok_is(t[1], "any"))
    r->ops = WASISOCK_POLICY_ANY;
  else {
    wasisock__policy_errf(err, errlen,
                          "unknown operation \"%.*s%s\" (expected connect, "
                          "bind, resolve or any)",
                          QUOTE(t[1].s, t[1].len));
    return WASISOCK_EINVAL;
  }
  if (ntok < 3) {
    wasisock__policy_errf(err, errlen,
                          "missing target after \"%.*s%s\" (expected "
                          "TARGET[:PORTS])",
                          QUOTE(t[1].s, t[1].len));
    return WASISOCK_EINVAL;
  }
  if (ntok > 3) {
    wasisock__policy_errf(err, errlen, "unexpected \"%.*s%s\" after the target",
                          QUOTE(extra->s, extra->len));
    return WASISOCK_EINVAL;
  }
  if ((e = parse_target(t[2], r, err, errlen)) != 0)
    goto fail;

  if (r->ops == WASISOCK_POLICY_RESOLVE && r->kind == WASISOCK__TARGET_ADDR) {
    wasisock__policy_errf(err, errlen,
                          "resolve rules take a host name, a \"*.\" pattern "
                          "or \"*\", not an address");
    e = WASISOCK_EINVAL;
    goto fail;
  }
  if (r->ops == WASISOCK_POLICY_RESOLVE &&
      (r->port_lo != 0 || r->port_hi != 65535)) {
    wasisock__policy_errf(err, errlen, "resolve rules take no port");
    e = WASISOCK_EINVAL;
    goto fail;
  }
  if (r->ops == WASISOCK_POLICY_BIND && (r->kind == WASISOCK__TARGET_NAME ||
                                         r->kind == WASISOCK__TARGET_SUFFIX)) {
    wasisock__policy_errf(err, errlen,
                          "bind rules take an address or \"*\", not a host "
                          "name");
    e = WASISOCK_EINVAL;
    goto fail;
  }
  if ((e = make_text(r)) != 0)
    goto fail;
  return 0;

fail:
  wasisock__rule_free(r);
  return e;
}

/* "default allow|deny", "max-sockets N", "max-buffer BYTES[k|M]". */
static int32_t parse_directive(tok_t *t, size_t ntok, wasisock__line_t *out,
                               char *err, size_t errlen) {
  if (ntok < 2) {
    if (tok_is(t[0], "default"))
      wasisock__policy_errf(err, errlen,
                            "missing value after \"default\" (expected allow "
                            "or deny)");
    else
      wasisock__policy_errf(err, errlen, "missing %s after \"%.*s%s\"",
                            tok_is(t[0], "max-buffer") ? "size" : "number",
                            QUOTE(t[0].s, t[0].len));
    return WASISOCK_EINVAL;
  }
  if (ntok > 2) {
    wasisock__policy_errf(err, errlen, "unexpected \"%.*s%s\" after \"%.*s%s\"",
                          QUOTE(t[2].s, t[2].len), QUOTE(t[1].s, t[1].len));
    return WASISOCK_EINVAL;
  }

  if (tok_is(t[0], "default")) {
    out->kind = WASISOCK__LINE_DEFAULT;
    if (tok_is(t[1], "allow"))
      out->action = WASISOCK_POLICY_ALLOW;
    else if (tok_is(t[1], "deny"))
      out->action = WASISOCK_POLICY_DENY;
    else {
      wasisock__policy_errf(err, errlen,
                            "unknown default \"%.*s%s\" (expected allow or "
                            "deny)",
                            QUOTE(t[1].s, t[1].len));
      return WASISOCK_EINVAL;
    }
    return 0;
  }

  if (tok_is(t[0], "max-sockets")) {
    out->kind = WASISOCK__LINE_MAX_SOCKETS;
    if (!all_digits(t[1].s, t[1].len)) {
      wasisock__policy_errf(err, errlen, "bad number \"%.*s%s\" for max-sockets",
                            QUOTE(t[1].s, t[1].len));
      return WASISOCK_EINVAL;
    }
    if (!parse_uint(t[1].s, t[1].len, UINT32_MAX, &out->value)) {
      wasisock__policy_errf(err, errlen,
                            "max-sockets \"%.*s%s\" out of range (0-%lu)",
                            QUOTE(t[1].s, t[1].len), (unsigned long)UINT32_MAX);
      return WASISOCK_EINVAL;
    }
    return 0;
  }

  /* max-buffer */
  {
    size_t len = t[1].len;
    uint64_t mult = 1, v;
    char last = len ? t[1].s[len - 1] : '\0';
    out->kind = WASISOCK__LINE_MAX_BUFFER;
    if (last == 'k' || last == 'K')
      mult = 1024;
    else if (last == 'm' || last == 'M')
      mult = 1024 * 1024;
    if (mult != 1)
      len--;
    if (!all_digits(t[1].s, len)) {
      wasisock__policy_errf(err, errlen,
                            "bad size \"%.*s%s\" for max-buffer (expected "
                            "BYTES, BYTESk or BYTESM)",
                            QUOTE(t[1].s, t[1].len));
      return WASISOCK_EINVAL;
    }
    if (!parse_uint(t[1].s, len, UINT64_MAX / mult, &v)) {
      wasisock__policy_errf(err, errlen, "max-buffer \"%.*s%s\" out of range",
                            QUOTE(t[1].s, t[1].len));
      return WASISOCK_EINVAL;
    }
    if (v == 0) {
      wasisock__policy_errf(err, errlen, "max-buffer must be at least 1 byte");
      return WASISOCK_EINVAL;
    }
    out->value = v * mult;
    return 0;
  }
}

int32_t wasisock__policy_parse_line(const char *line, size_t len,
                                    wasisock__line_t *out, char *err,
                                    size_t errlen) {
  tok_t t[3], extra = {NULL, 0};
  size_t n;

  memset(out, 0, sizeof *out);
  if (memchr(line, '\0', len) != NULL) {
    wasisock__policy_errf(err, errlen, "NUL byte");
    return WASISOCK_EINVAL;
  }
  n = tokenize(line, len, t, 3, &extra);
  if (n == 0)
    return 0; /* WASISOCK__LINE_EMPTY */

  if (tok_is(t[0], "allow") || tok_is(t[0], "deny")) {
    int32_t e = parse_rule(t, n, &extra, &out->rule, err, errlen);
    if (e == 0)
      out->kind = WASISOCK__LINE_RULE;
    return e;
  }
  if (tok_is(t[0], "default") || tok_is(t[0], "max-sockets") ||
      tok_is(t[0], "max-buffer"))
    return parse_directive(t, n, out, err, errlen);

  wasisock__policy_errf(err, errlen,
                        "unknown action \"%.*s%s\" (expected allow, deny, "
                        "default, max-sockets or max-buffer)",
                        QUOTE(t[0].s, t[0].len));
  return WASISOCK_EINVAL;
}

/* ---- add_rule and the loaders ------------------------------------------------ */

int32_t wasisock_policy_add_rule(wasisock_policy_t *p, const char *text,
                                 char *err, size_t errlen) {
  wasisock__line_t line;
  int32_t e;

  wasisock__policy_errf(err, errlen, "%s", "");
  if (p == NULL || text == NULL) {
    wasisock__policy_errf(err, errlen, "NULL argument");
    return WASISOCK_EINVAL;
  }
  if ((e = wasisock__policy_parse_line(text, strlen(text), &line, err,
                                       errlen)) != 0)
    return e;
  if (line.kind == WASISOCK__LINE_EMPTY) {
    wasisock__policy_errf(err, errlen, "empty rule");
    return WASISOCK_EINVAL;
  }
  if ((e = wasisock__policy_apply_line(p, &line)) != 0)
    wasisock__policy_errf(err, errlen, "%s",
                          e == WASISOCK_E2BIG ? "too many rules" : "out of memory");
  return e;
}

/* What a load collects before it touches the policy. */
typedef struct staging {
  wasisock_policy_t rules; /* only rules, nrules and cap are used */
  int has_default, has_max_sockets, has_max_buffer;
  wasisock_policy_action_t default_action;
  uint32_t max_sockets;
  uint64_t max_buffer;
} staging_t;

int32_t wasisock_policy_load_text(wasisock_policy_t *p, const char *text,
                                  size_t len, const char *source, char *err,
                                  size_t errlen) {
  staging_t st;
  size_t pos = 0, i;
  uint32_t lineno = 0;
  int32_t e = 0;

  wasisock__policy_errf(err, errlen, "%s", "");
  if (p == NULL || (text == NULL && len > 0)) {
    wasisock__policy_errf(err, errlen, "NULL argument");
    return WASISOCK_EINVAL;
  }
  if (source == NULL)
    source = "<text>";
  if (len > WASISOCK_POLICY_MAX_TEXT) {
    wasisock__policy_errf(err, errlen, "%s: larger than %u bytes", source,
                          (unsigned)WASISOCK_POLICY_MAX_TEXT);
    return WASISOCK_EFBIG;
  }
  memset(&st, 0, sizeof st);
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
    pos = 3; /* UTF-8 byte order mark */

  while (pos < len) {
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - text) : len;
    const char *hash = memchr(text + pos, '#', end - pos);
    size_t llen = (hash ? (size_t)(hash - text) : end) - pos;
    wasisock__line_t line;
    char msg[256];

    lineno++;
    e = wasisock__policy_parse_line(text + pos, llen, &line, msg, sizeof msg);
    if (e == 0) {
      switch (line.kind) {
      case WASISOCK__LINE_EMPTY:
        break;
      case WASISOCK__LINE_RULE:
        line.rule.line = lineno;
        if (p->nrules + st.rules.nrules >= WASISOCK_POLICY_MAX_RULES) {
          wasisock__rule_free(&line.rule);
          snprintf(msg, sizeof msg, "too many rules");
          e = WASISOCK_E2BIG;
        } else {
          e = wasisock__policy_apply_line(&st.rules, &line);
          if (e != 0)
            snprintf(msg, sizeof msg, "out of memory");
        }
        break;
      case WASISOCK__LINE_DEFAULT:
        st.has_default = 1;
        st.default_action = line.action;
        break;
      case WASISOCK__LINE_MAX_SOCKETS:
        st.has_max_sockets = 1;
        st.max_sockets = (uint32_t)line.value;
        break;
      case WASISOCK__LINE_MAX_BUFFER:
        st.has_max_buffer = 1;
        st.max_buffer = line.value;
        break;
      }
    }
    if (e != 0) {
      wasisock__policy_errf(err, errlen, "%s:%lu: %s", source,
                            (unsigned long)lineno, msg);
      goto out;
    }
    pos = nl ? end + 1 : len;
  }

  /* Everything parsed: commit. */
  if ((e = wasisock__policy_reserve(p, st.rules.nrules)) != 0) {
    wasisock__policy_errf(err, errlen, "%s: out of memory", source);
    goto out;
  }
  if (st.rules.nrules > 0) /* p->rules may still be NULL */
    memcpy(p->rules + p->nrules, st.rules.rules,
           st.rules.nrules * sizeof *st.rules.rules);
  p->nrules += st.rules.nrules;
  st.rules.nrules = 0; /* moved */
  if (st.has_default)
    p->default_action = st.default_action;
  if (st.has_max_sockets)
    p->max_sockets = st.max_sockets;
  if (st.has_max_buffer)
    p->max_buffer = st.max_buffer;

out:
  for (i = 0; i < st.rules.nrules; i++)
    wasisock__rule_free(&st.rules.rules[i]);
  free(st.rules.rules);
  return e;
}

int32_t wasisock_policy_load_file(wasisock_policy_t *p, const char *path,
                                  char *err, size_t errlen) {
  FILE *f;
  char *buf = NULL;
  size_t len = 0, cap = 0;
  int32_t e;

  wasisock__policy_errf(err, errlen, "%s", "");
  if (p == NULL || path == NULL) {
    wasisock__policy_errf(err, errlen, "NULL argument");
    return WASISOCK_EINVAL;
  }
  errno = 0;
  f = fopen(path, "rb");
  if (f == NULL) {
    int saved = errno;
    wasisock__policy_errf(err, errlen, "%s: %s", path, strerror(saved));
    return wasisock__errno_from_native(saved);
  }
  for (;;) {
    size_t got;
    if (len == cap) {
      char *nbuf;
      if (cap > WASISOCK_POLICY_MAX_TEXT) { /* read one byte too many */
        wasisock__policy_errf(err, errlen, "%s: larger than %u bytes", path,
                              (unsigned)WASISOCK_POLICY_MAX_TEXT);
        e = WASISOCK_EFBIG;
        goto out;
      }
      cap = cap ? cap * 2 : 4096;
      if (cap > WASISOCK_POLICY_MAX_TEXT)
        cap = (size_t)WASISOCK_POLICY_MAX_TEXT + 1;
      nbuf = realloc(buf, cap);
      if (nbuf == NULL) {
        wasisock__policy_errf(err, errlen, "%s: out of memory", path);
        e = WASISOCK_ENOMEM;
        goto out;
      }
      buf = nbuf;
    }
    errno = 0;
    got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (got == 0) {
      if (ferror(f)) {
        int saved = errno ? errno : EIO;
        wasisock__policy_errf(err, errlen, "%s: %s", path, strerror(saved));
        e = wasisock__errno_from_native(saved);
        goto out;
      }
      break;
    }
  }
  e = wasisock_policy_load_text(p, buf, len, path, err, errlen);

out:
  free(buf);
  fclose(f);
  return e;
}
