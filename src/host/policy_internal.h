/*
 * policy_internal.h — what the policy files share among themselves, and the
 * hook points the host's imports call (docs/POLICY.md, "Enforcement").
 *
 * Private to libwasisock.  The hooks are one line each in an import:
 *
 *   if ((err = wasisock__policy_check_connect(host->policy, &addr, name)))
 *     return err;
 *
 * A NULL policy allows everything, so an instance without a policy pays
 * one comparison.
 */
#ifndef WASISOCK_POLICY_INTERNAL_H
#define WASISOCK_POLICY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "wasisock_policy.h"

/* ---- Hook points -----------------------------------------------------------
 * Each returns 0 (allowed), WASISOCK_EACCES (denied: the denial callback has
 * been called), or the error of wasisock_policy_check for a malformed
 * request (the host's own bug: the import validated its input first). */

/* sock_connect, and the destination of every UDP send.  name: the host name
 * addr came from (the host's record of its sock_resolve answers), or NULL. */
int32_t wasisock__policy_check_connect(const wasisock_policy_t *p,
                                       const wasisock_addr_t *addr,
                                       const char *name);

/* sock_bind (the requested local address) and sock_listen on an unbound
 * socket (the unspecified address of its family, port 0). */
int32_t wasisock__policy_check_bind(const wasisock_policy_t *p,
                                    const wasisock_addr_t *addr);

/* sock_resolve, before the lookup: name NUL-terminated, port as given. */
int32_t wasisock__policy_check_resolve(const wasisock_policy_t *p,
                                       const char *name, uint32_t port);

/* sock_resolve, after the lookup: removes the addresses the guest may not
 * connect to from addrs[0..count), keeping the order of the rest, reports
 * each removed one, and returns how many remain.  The import answers EACCES
 * when the lookup found addresses and none remain. */
size_t wasisock__policy_filter_results(const wasisock_policy_t *p,
                                       const char *name, wasisock_addr_t *addrs,
                                       size_t count);

/* A deep copy of src: rules, default, limits and denial callback.  The
 * host keeps one per instance (wasisock_new), so the embedder's policy may
 * change or go away afterwards.  0 or ENOMEM (*out NULL then). */
int32_t wasisock__policy_copy(const wasisock_policy_t *src,
                              wasisock_policy_t **out);

/* ---- Shared by policy*.c ------------------------------------------------- */

/* What a rule's target is. */
enum wasisock__target_kind {
  WASISOCK__TARGET_ANY = 0, /* "*" */
  WASISOCK__TARGET_NAME,    /* an exact host name */
  WASISOCK__TARGET_SUFFIX,  /* "*.example.com": sub-domains only */
  WASISOCK__TARGET_ADDR     /* an IPv4 or IPv6 address or CIDR range */
};

/* An address as the policy compares it: family (WASISOCK_AF_INET or
 * WASISOCK_AF_INET6) and bytes (4 or 16 used). */
typedef struct wasisock__ip {
  uint8_t family;
  uint8_t bytes[16];
} wasisock__ip_t;

typedef struct wasisock__rule {
  wasisock_policy_action_t action;
  uint32_t ops; /* mask of WASISOCK_POLICY_CONNECT/_BIND/_RESOLVE */
  enum wasisock__target_kind kind;
  wasisock__ip_t ip;   /* ADDR: network address, host bits zero */
  uint8_t prefix;      /* ADDR: prefix length, 0-32 or 0-128 */
  uint16_t port_lo;    /* ports port_lo..port_hi; 0..65535 is "*" */
  uint16_t port_hi;
  char *name;          /* NAME: "example.com"; SUFFIX: ".example.com";
                          lower case, no trailing dot; else NULL */
  size_t name_len;
  uint32_t line;       /* line in its file, 0 if added by add_rule */
  char *text;          /* canonical text */
} wasisock__rule_t;

struct wasisock_policy {
  wasisock__rule_t *rules;
  size_t nrules;
  size_t cap;
  wasisock_policy_action_t default_action;
  uint32_t max_sockets;
  uint64_t max_buffer;
  wasisock_policy_denial_cb on_denial;
  void *on_denial_data;
};

/* What one parsed line asks for: a rule, a directive, or nothing. */
enum wasisock__line_kind {
  WASISOCK__LINE_EMPTY = 0,
  WASISOCK__LINE_RULE,
  WASISOCK__LINE_DEFAULT,
  WASISOCK__LINE_MAX_SOCKETS,
  WASISOCK__LINE_MAX_BUFFER
};

typedef struct wasisock__line {
  enum wasisock__line_kind kind;
  wasisock__rule_t rule;           /* RULE: owns name and text */
  wasisock_policy_action_t action; /* DEFAULT */
  uint64_t value;                  /* MAX_SOCKETS, MAX_BUFFER */
} wasisock__line_t;

/* Parses line[0..len) (no comment handling; blank is LINE_EMPTY).  Returns
 * 0, EINVAL with a message in err, or ENOMEM.  On success a RULE line owns
 * allocations that wasisock__rule_free or the policy takes over. */
int32_t wasisock__policy_parse_line(const char *line, size_t len,
                                    wasisock__line_t *out, char *err,
                                    size_t errlen);

/* Appends a parsed rule (taking ownership) or applies a directive.  Returns
 * 0, E2BIG or ENOMEM (the line's rule is freed on error). */
int32_t wasisock__policy_apply_line(wasisock_policy_t *p,
                                    wasisock__line_t *line);

/* Makes room for extra more rules.  0 or ENOMEM. */
int32_t wasisock__policy_reserve(wasisock_policy_t *p, size_t extra);

void wasisock__rule_free(wasisock__rule_t *r);

/* Strict address syntax: IPv4 dotted quad (four decimal octets 0-255, no
 * leading zeros), IPv6 (RFC 4291 text, optional trailing dotted quad, no
 * zone).  s[0..len).  Return 1 on success. */
int wasisock__ip4_parse(const char *s, size_t len, uint8_t out[4]);
int wasisock__ip6_parse(const char *s, size_t len, uint8_t out[16]);

/* Formats an IPv4 (dotted quad) or IPv6 (RFC 5952) address into buf, which
 * has room for WASISOCK__IP_STRLEN bytes.  Returns the length written. */
#define WASISOCK__IP_STRLEN 46
size_t wasisock__ip_format(const wasisock__ip_t *ip, char *buf);

/* Formats an address record with its port, "10.1.2.3:80" or "[::1]:80"
 * ("(family N)" for one the ABI does not know), into buf, which has room
 * for WASISOCK__ADDR_STRLEN bytes.  Returns the length written. */
#define WASISOCK__ADDR_STRLEN (WASISOCK__IP_STRLEN + 8)
size_t wasisock__addr_text(const wasisock_addr_t *a, char *buf);

/* Normalises an IPv4-mapped IPv6 address (::ffff:a.b.c.d) to IPv4 in
 * place; other addresses are left alone. */
void wasisock__ip_unmap(wasisock__ip_t *ip);

/* snprintf into err (if err and errlen), always terminated. */
void wasisock__policy_errf(char *err, size_t errlen, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif /* WASISOCK_POLICY_INTERNAL_H */
