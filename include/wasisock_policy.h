/*
 * wasisock_policy.h — the network policy of a wasisock host.
 *
 * A guest runs in WebAssembly because it is not trusted; real sockets must
 * not hand it the whole network.  The embedder describes what the guest may
 * reach as a list of rules, the host checks every connect, bind and name
 * lookup against them, and the guest gets WASISOCK_EACCES when a rule (or the
 * default) says no.  docs/POLICY.md describes the model, the rule language
 * and the file format; this header is the API.
 *
 *   wasisock_policy_t *p;
 *   char err[256];
 *   wasisock_policy_new(&p);
 *   wasisock_policy_set_default(p, WASISOCK_POLICY_DENY);
 *   if (wasisock_policy_add_rule(p, "allow connect 127.0.0.1:8080",
 *                                err, sizeof err) != 0)
 *     fprintf(stderr, "bad rule: %s\n", err);
 *
 * Host only (there is no policy inside a guest).  Every function returns 0
 * or a WASI errno value (WASISOCK_E*), like the rest of the library.
 *
 * Threads: a policy has no global state.  Functions taking a const policy
 * only read it, so any number of threads may check one policy at the same
 * time; changing a policy (add_rule, load_*, set_*) needs exclusive access.
 */
#ifndef WASISOCK_POLICY_H
#define WASISOCK_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "wasisock.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a rule, or the policy's default, decides.  DENY is 0 so that a
 * zeroed verdict denies. */
typedef enum wasisock_policy_action {
  WASISOCK_POLICY_DENY = 0,
  WASISOCK_POLICY_ALLOW = 1
} wasisock_policy_action_t;

/* What the guest asks for.  A request names exactly one operation; a rule
 * names a set of them (a bit mask; "any" is all three). */
typedef enum wasisock_policy_op {
  /* Reach a remote address: TCP connect, UDP connect, the destination of a
   * UDP send.  The address checked is the one actually dialled. */
  WASISOCK_POLICY_CONNECT = 1,
  /* Take a local address and port: bind, and listen (which binds an
   * unbound socket to the unspecified address, port 0). */
  WASISOCK_POLICY_BIND = 2,
  /* Look a host name up (sock_resolve). */
  WASISOCK_POLICY_RESOLVE = 4,
  /* In rules only: every operation. */
  WASISOCK_POLICY_ANY = 7
} wasisock_policy_op_t;

/* Getters answer this when no limit is set. */
#define WASISOCK_POLICY_NO_SOCKET_LIMIT UINT32_MAX
#define WASISOCK_POLICY_NO_BUFFER_LIMIT UINT64_MAX

/* The most rules one policy holds (add_rule answers E2BIG beyond). */
#define WASISOCK_POLICY_MAX_RULES (1u << 20)

/* The largest policy file or text load_file and load_text accept (EFBIG). */
#define WASISOCK_POLICY_MAX_TEXT (16u << 20)

typedef struct wasisock_policy wasisock_policy_t;

/* One question to the policy. */
typedef struct wasisock_policy_request {
  /* WASISOCK_POLICY_CONNECT, _BIND or _RESOLVE (one of them). */
  wasisock_policy_op_t op;
  /* NUL-terminated host name, or NULL.
   *   RESOLVE: the name looked up (required).
   *   CONNECT: the name the address came from, when the host knows it (it
   *            returned the address from sock_resolve of that name); lets
   *            host name rules match.  NULL otherwise.
   *   BIND:    ignored. */
  const char *name;
  /* The address, port included (addr->port is the port the policy checks).
   *   CONNECT: the destination (required).
   *   BIND:    the local address (required).
   *   RESOLVE: ignored. */
  const wasisock_addr_t *addr;
} wasisock_policy_request_t;

/* The answer: what to do and why. */
typedef struct wasisock_policy_verdict {
  wasisock_policy_action_t action;
  /* Index (0-based, in the order rules were added) of the rule that decided,
   * or -1 when no rule matched and the default decided. */
  int32_t rule_index;
  /* Line of that rule in the file or text it was loaded from; 0 for rules
   * given to add_rule and for the default. */
  uint32_t line;
  /* The rule in canonical form ("deny connect 10.0.0.0/8"), or
   * "default allow" / "default deny".  Owned by the policy and valid until it
   * is freed (adding rules does not move it). */
  const char *rule_text;
} wasisock_policy_verdict_t;

/* What the host reports when it refuses something (see
 * wasisock_policy_set_denial_callback). */
typedef struct wasisock_policy_denial {
  /* CONNECT, BIND, or RESOLVE (a refused lookup, or one address hidden from
   * a lookup's result, then addr is that address). */
  wasisock_policy_op_t op;
  const char *name;            /* host name involved, or NULL */
  const wasisock_addr_t *addr; /* address involved, or NULL */
  uint32_t port;               /* the port asked for (addr->port if addr) */
  int32_t rule_index;          /* as in the verdict: -1 for the default */
  uint32_t line;               /* as in the verdict */
  const char *rule_text;       /* as in the verdict */
} wasisock_policy_denial_t;

typedef void (*wasisock_policy_denial_cb)(void *data,
                                          const wasisock_policy_denial_t *d);

/* ---- Life cycle ------------------------------------------------------------
 * A new policy has no rules, default ALLOW and no limits: it allows
 * everything until told otherwise. */
WASISOCK_EXTERN int32_t wasisock_policy_new(wasisock_policy_t **out);
/* NULL is ok. */
WASISOCK_EXTERN void wasisock_policy_free(wasisock_policy_t *p);

/* ---- Building --------------------------------------------------------------
 * The action when no rule matches: WASISOCK_POLICY_ALLOW (the default) or
 * WASISOCK_POLICY_DENY.  EINVAL for anything else. */
WASISOCK_EXTERN int32_t wasisock_policy_set_default(
    wasisock_policy_t *p, wasisock_policy_action_t action);
WASISOCK_EXTERN wasisock_policy_action_t
wasisock_policy_get_default(const wasisock_policy_t *p);

/* Parses one line of the policy language and applies it: a rule
 *   allow|deny  connect|bind|resolve|any  TARGET[:PORTS]
 * appended after the rules already there, or a directive
 *   default allow|deny  |  max-sockets N  |  max-buffer BYTES[k|M]
 * (so each runner flag maps to one call: --allow-connect SPEC is
 * "allow connect SPEC", --deny-all is "default deny").  Keywords are
 * case-insensitive; '#' is not a comment here (only in files).
 * Returns 0; EINVAL with a one-line message in err for a bad line (the policy
 * is then unchanged); E2BIG past WASISOCK_POLICY_MAX_RULES; ENOMEM.
 * err may be NULL; a message longer than errlen is cut (always terminated). */
WASISOCK_EXTERN int32_t wasisock_policy_add_rule(wasisock_policy_t *p,
                                                 const char *text, char *err,
                                                 size_t errlen);

/* Loads a policy file: one rule or directive per line, '#' starts a comment
 * anywhere on a line, blank lines are skipped, CRLF and a UTF-8 BOM are
 * accepted.  All or nothing: on any error the policy is unchanged.
 * Returns 0; EINVAL with "PATH:LINE: message" in err; ENOENT, EACCES,
 * EISDIR, EIO ("PATH: reason") when the file cannot be read; EFBIG beyond
 * WASISOCK_POLICY_MAX_TEXT; E2BIG; ENOMEM. */
WASISOCK_EXTERN int32_t wasisock_policy_load_file(wasisock_policy_t *p,
                                                  const char *path, char *err,
                                                  size_t errlen);

/* The same for text in memory (len bytes, need not be terminated); source
 * names it in messages ("SOURCE:LINE: message"), NULL for "<text>". */
WASISOCK_EXTERN int32_t wasisock_policy_load_text(wasisock_policy_t *p,
                                                  const char *text, size_t len,
                                                  const char *source,
                                                  char *err, size_t errlen);

/* Number of rules, and the canonical text of rule i (NULL if out of range). */
WASISOCK_EXTERN size_t wasisock_policy_rule_count(const wasisock_policy_t *p);
WASISOCK_EXTERN const char *wasisock_policy_rule_text(const wasisock_policy_t *p,
                                                      size_t i);

/* ---- Limits ----------------------------------------------------------------
 * Carried by the policy so that one file describes the whole sandbox; the
 * host enforces them: sock_open (and sock_accept) answer EMFILE beyond the
 * lower of max_sockets and wasisock_config_t.max_sockets; max_buffer is the
 * size of every socket's kernel send and receive buffers (SO_SNDBUF and
 * SO_RCVBUF set at sock_open, larger sock_setsockopt requests lowered to
 * it; Linux reserves twice the value) — docs/POLICY.md, "What max-buffer
 * means".  Unset: WASISOCK_POLICY_NO_*_LIMIT. */
WASISOCK_EXTERN int32_t wasisock_policy_set_max_sockets(wasisock_policy_t *p,
                                                        uint32_t n);
WASISOCK_EXTERN uint32_t
wasisock_policy_get_max_sockets(const wasisock_policy_t *p);
/* bytes >= 1 (EINVAL for 0). */
WASISOCK_EXTERN int32_t wasisock_policy_set_max_buffer_bytes(
    wasisock_policy_t *p, uint64_t bytes);
WASISOCK_EXTERN uint64_t
wasisock_policy_get_max_buffer_bytes(const wasisock_policy_t *p);

/* ---- Checking --------------------------------------------------------------
 * Decides a request: the first rule that matches wins, else the default.
 * Writes the verdict to *out.  Returns 0, or EINVAL (NULL argument, unknown
 * op, CONNECT/BIND without addr, RESOLVE without name) or EAFNOSUPPORT (addr
 * family not AF_INET/AF_INET6); *out then says DENY.
 *
 * Addresses are compared after normalisation: an IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d) is the IPv4 address a.b.c.d, in rules and in requests;
 * a CONNECT to the unspecified address (0.0.0.0, ::) is checked as loopback
 * (127.0.0.1, ::1), which is where the kernel sends it.
 *
 * RESOLVE asks whether the name may be looked up at all, whatever port
 * follows: rules for resolve or any, and allow-connect rules, whose target
 * is * or a name pattern.  A name that is an IPv4 or IPv6 literal is no
 * lookup: it is decided as check_result(NULL, address) below. */
WASISOCK_EXTERN int32_t wasisock_policy_check(
    const wasisock_policy_t *p, const wasisock_policy_request_t *req,
    wasisock_policy_verdict_t *out);

/* Decides whether one address returned by a lookup of name (NULL: unknown)
 * may be shown to the guest: ALLOW when CONNECT to it, by that name, is
 * allowed on at least one port (addr->port is ignored: the guest may choose
 * the port after the lookup).  This is what keeps "deny connect 10.0.0.0/8"
 * from being bypassed by a name that resolves to 10.x (DNS rebinding).
 * Returns 0, EINVAL or EAFNOSUPPORT like check. */
WASISOCK_EXTERN int32_t wasisock_policy_check_result(
    const wasisock_policy_t *p, const char *name, const wasisock_addr_t *addr,
    wasisock_policy_verdict_t *out);

/* 1 if check_result allows the address, 0 if not (or on bad arguments). */
WASISOCK_EXTERN int wasisock_policy_allows_result(const wasisock_policy_t *p,
                                                  const char *name,
                                                  const wasisock_addr_t *addr);

/* ---- Reporting -------------------------------------------------------------
 * Called by the host each time it refuses a request of the guest's because
 * of this policy (one call per hidden lookup result), before the guest gets
 * EACCES, on the thread of the import call.  d and everything it points to
 * are valid during the call only.  An instance keeps the callback the
 * policy had at wasisock_new (and calls wasisock_config_t.on_denial after
 * it).  When one policy serves several instances on several threads, the
 * callback must be thread-safe.  cb NULL turns reporting off. */
WASISOCK_EXTERN int32_t wasisock_policy_set_denial_callback(
    wasisock_policy_t *p, wasisock_policy_denial_cb cb, void *data);

/* Writes a one-line description of a denial, e.g.
 *   denied connect 10.1.2.3:80 (example.com) by "deny connect 10.0.0.0/8"
 *   (line 5)
 *   denied resolve "evil.example" by default deny
 *   hid 10.0.0.7:0 from the lookup of "intranet.example" by "deny connect
 *   10.0.0.0/8"
 * into buf (cut to len, always terminated when len > 0).  Returns the
 * length the whole line needs, as snprintf does. */
WASISOCK_EXTERN size_t wasisock_policy_denial_format(
    const wasisock_policy_denial_t *d, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* WASISOCK_POLICY_H */
