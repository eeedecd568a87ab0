/*
 * test-policy-match.c — what the policy decides: host names, suffixes, CIDR
 * edges, ports, IPv4-mapped addresses, first match wins, defaults, "any",
 * the resolve rules, filtering of lookup results, and the hook points.
 *
 * Each table row is a policy text (one line per rule or directive), one
 * request and the verdict it must get: action and index of the deciding
 * rule (-1: the default).
 */
#include "policy-test.h"

#include "policy_internal.h"

#define CONNECT WASISOCK_POLICY_CONNECT
#define BIND WASISOCK_POLICY_BIND
#define RESOLVE WASISOCK_POLICY_RESOLVE
#define RESULT 0x100 /* wasisock_policy_check_result(name, addr) */
#define A WASISOCK_POLICY_ALLOW
#define D WASISOCK_POLICY_DENY

typedef struct match_case {
  const char *policy;
  unsigned op;
  const char *addr; /* for CONNECT, BIND, RESULT */
  uint16_t port;
  const char *name; /* for RESOLVE, CONNECT and RESULT; may be NULL */
  wasisock_policy_action_t want;
  int32_t want_index;
} match_case_t;

static void run_cases(const match_case_t *cases, size_t n) {
  size_t i;
  int failed = 0;
  for (i = 0; i < n; i++) {
    const match_case_t *c = &cases[i];
    wasisock_policy_t *p = policy_from(c->policy);
    wasisock_policy_verdict_t v;
    wasisock_addr_t a;
    int32_t e;

    if (c->addr != NULL)
      addr_from(c->addr, c->port, &a);
    if (c->op == RESULT) {
      e = wasisock_policy_check_result(p, c->name, &a, &v);
      if (e == 0)
        assert_int_equal(wasisock_policy_allows_result(p, c->name, &a),
                         v.action == A);
    } else {
      wasisock_policy_request_t req;
      req.op = (wasisock_policy_op_t)c->op;
      req.name = c->name;
      req.addr = c->addr ? &a : NULL;
      e = wasisock_policy_check(p, &req, &v);
    }
    if (e != 0 || v.action != c->want || v.rule_index != c->want_index) {
      print_error("case %zu: policy \"%s\", op %u %s port %u name %s: "
                  "got %s (errno %d) by %d \"%s\", want %s by %d\n",
                  i, c->policy, c->op, c->addr ? c->addr : "-",
                  (unsigned)c->port, c->name ? c->name : "-",
                  v.action == A ? "allow" : "deny", (int)e,
                  (int)v.rule_index, v.rule_text, c->want == A ? "allow" : "deny",
                  (int)c->want_index);
      failed++;
    } else if (v.rule_index >= 0) {
      assert_string_equal(v.rule_text,
                          wasisock_policy_rule_text(p, (size_t)v.rule_index));
    }
    wasisock_policy_free(p);
  }
  if (failed)
    fail_msg("%d of %zu cases failed", failed, n);
}

#define RUN(cases) run_cases(cases, sizeof cases / sizeof cases[0])

static const char EX[] = "93.184.215.14"; /* an address example.com had */

static void test_names_exact(void **state) {
  static const match_case_t cases[] = {
      {"allow connect example.com\ndefault deny", CONNECT, EX, 443, "example.com", A, 0},
      {"allow connect example.com\ndefault deny", CONNECT, EX, 443, "EXAMPLE.Com", A, 0},
      {"allow connect example.com\ndefault deny", CONNECT, EX, 443, "example.com.", A, 0},
      {"allow connect example.com\ndefault deny", CONNECT, EX, 443, "example.com..", D, -1},
      {"allow connect example.com\ndefault deny", CONNECT, EX, 443, "www.example.com", D, -1},
      {"allow connect example.com\ndefault deny", CONNECT, EX, 443, "xexample.com", D, -1},
      {"allow connect example.com\ndefault deny", CONNECT, EX, 443, "example.co", D, -1},
      {"allow connect example.com\ndefault deny", CONNECT, EX, 443, "", D, -1},
      /* the address alone never matches a name rule */
      {"allow connect example.com\ndefault deny", CONNECT, EX, 443, NULL, D, -1},
      /* rule spelled in capitals with a trailing dot */
      {"allow connect EXAMPLE.COM.\ndefault deny", CONNECT, EX, 443, "example.com", A, 0},
      {"allow connect EXAMPLE.COM.\ndefault deny", CONNECT, EX, 443, "Example.Com.", A, 0},
  };
  (void)state;
  RUN(cases);
}

static void test_names_suffix(void **state) {
  static const char P[] = "allow connect *.example.com\ndefault deny";
  static const match_case_t cases[] = {
      {P, CONNECT, EX, 80, "a.example.com", A, 0},
      {P, CONNECT, EX, 80, "a.b.example.com", A, 0},
      {P, CONNECT, EX, 80, "A.EXAMPLE.COM.", A, 0},
      {P, CONNECT, EX, 80, "example.com", D, -1}, /* not the domain itself */
      {P, CONNECT, EX, 80, "example.com.", D, -1},
      {P, CONNECT, EX, 80, ".example.com", D, -1},
      {P, CONNECT, EX, 80, "badexample.com", D, -1},
      {P, CONNECT, EX, 80, "example.com.evil.net", D, -1},
      {P, CONNECT, EX, 80, "a.example.com.evil", D, -1},
      {P, CONNECT, EX, 80, NULL, D, -1},
      {"allow connect *.EXAMPLE.com.\ndefault deny", CONNECT, EX, 80, "x.example.com", A, 0},
      /* both rules to take the domain and its sub-domains */
      {"allow connect example.com\nallow connect *.example.com\ndefault deny",
       CONNECT, EX, 80, "example.com", A, 0},
      {"allow connect example.com\nallow connect *.example.com\ndefault deny",
       CONNECT, EX, 80, "w.example.com", A, 1},
  };
  (void)state;
  RUN(cases);
}

static void test_cidr_ipv4(void **state) {
  static const char P8[] = "deny connect 10.0.0.0/8";
  static const char P12[] = "deny connect 172.16.0.0/12";
  static const char P32[] = "deny connect 192.0.2.7/32";
  static const char P0[] = "deny connect 0.0.0.0/0";
  static const match_case_t cases[] = {
      {P8, CONNECT, "10.0.0.0", 80, NULL, D, 0},        /* first */
      {P8, CONNECT, "10.255.255.255", 80, NULL, D, 0},  /* last */
      {P8, CONNECT, "9.255.255.255", 80, NULL, A, -1},  /* one below */
      {P8, CONNECT, "11.0.0.0", 80, NULL, A, -1},       /* one above */
      {P8, CONNECT, "10.1.2.3", 80, NULL, D, 0},
      {P12, CONNECT, "172.16.0.0", 80, NULL, D, 0},
      {P12, CONNECT, "172.31.255.255", 80, NULL, D, 0},
      {P12, CONNECT, "172.15.255.255", 80, NULL, A, -1},
      {P12, CONNECT, "172.32.0.0", 80, NULL, A, -1},
      {P32, CONNECT, "192.0.2.7", 80, NULL, D, 0},
      {P32, CONNECT, "192.0.2.6", 80, NULL, A, -1},
      {P32, CONNECT, "192.0.2.8", 80, NULL, A, -1},
      {"deny connect 192.0.2.7", CONNECT, "192.0.2.7", 80, NULL, D, 0},
      {P0, CONNECT, "1.2.3.4", 80, NULL, D, 0},
      {P0, CONNECT, "255.255.255.255", 80, NULL, D, 0},
      {P0, CONNECT, "2001:db8::1", 80, NULL, A, -1}, /* families apart */
      /* host bits in the rule are cleared: 10.1.2.3/8 is 10.0.0.0/8 */
      {"deny connect 10.1.2.3/8", CONNECT, "10.200.0.1", 80, NULL, D, 0},
  };
  (void)state;
  RUN(cases);
}

static void test_cidr_ipv6(void **state) {
  static const char P8[] = "deny connect fd00::/8";
  static const char P33[] = "deny connect 2001:db8:8000::/33";
  static const char P128[] = "deny connect 2001:db8::1/128";
  static const char P0[] = "deny connect ::/0";
  static const match_case_t cases[] = {
      {P8, CONNECT, "fd00::", 80, NULL, D, 0},
      {P8, CONNECT, "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 80, NULL, D, 0},
      {P8, CONNECT, "fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 80, NULL, A, -1},
      {P8, CONNECT, "fe00::", 80, NULL, A, -1},
      {P33, CONNECT, "2001:db8:8000::", 80, NULL, D, 0},
      {P33, CONNECT, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 80, NULL, D, 0},
      {P33, CONNECT, "2001:db8:7fff:ffff:ffff:ffff:ffff:ffff", 80, NULL, A, -1},
      {P33, CONNECT, "2001:db9::", 80, NULL, A, -1},
      {P128, CONNECT, "2001:db8::1", 80, NULL, D, 0},
      {P128, CONNECT, "2001:db8::", 80, NULL, A, -1},
      {P128, CONNECT, "2001:db8::2", 80, NULL, A, -1},
      {"deny connect ::1", CONNECT, "::1", 80, NULL, D, 0},
      {P0, CONNECT, "2001:db8::1", 80, NULL, D, 0},
      {P0, CONNECT, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 80, NULL, D, 0},
      /* an IPv6 range never matches IPv4, mapped addresses included */
      {P0, CONNECT, "1.2.3.4", 80, NULL, A, -1},
      {P0, CONNECT, "::ffff:1.2.3.4", 80, NULL, A, -1},
  };
  (void)state;
  RUN(cases);
}

static void test_ports(void **state) {
  static const match_case_t cases[] = {
      {"allow connect *:443\ndefault deny", CONNECT, "1.2.3.4", 443, NULL, A, 0},
      {"allow connect *:443\ndefault deny", CONNECT, "1.2.3.4", 442, NULL, D, -1},
      {"allow connect *:443\ndefault deny", CONNECT, "1.2.3.4", 444, NULL, D, -1},
      {"allow connect *:1-1024\ndefault deny", CONNECT, "1.2.3.4", 0, NULL, D, -1},
      {"allow connect *:1-1024\ndefault deny", CONNECT, "1.2.3.4", 1, NULL, A, 0},
      {"allow connect *:1-1024\ndefault deny", CONNECT, "1.2.3.4", 1024, NULL, A, 0},
      {"allow connect *:1-1024\ndefault deny", CONNECT, "1.2.3.4", 1025, NULL, D, -1},
      {"allow connect *:*\ndefault deny", CONNECT, "1.2.3.4", 0, NULL, A, 0},
      {"allow connect *:*\ndefault deny", CONNECT, "1.2.3.4", 65535, NULL, A, 0},
      {"allow connect *\ndefault deny", CONNECT, "::1", 65535, NULL, A, 0},
      {"allow connect *:0\ndefault deny", CONNECT, "1.2.3.4", 0, NULL, A, 0},
      {"allow connect *:0\ndefault deny", CONNECT, "1.2.3.4", 1, NULL, D, -1},
      {"allow connect *:65535\ndefault deny", CONNECT, "1.2.3.4", 65535, NULL, A, 0},
      {"allow connect *:65535\ndefault deny", CONNECT, "1.2.3.4", 65534, NULL, D, -1},
      {"allow connect [::1]:80\ndefault deny", CONNECT, "::1", 80, NULL, A, 0},
      {"allow connect [::1]:80\ndefault deny", CONNECT, "::1", 81, NULL, D, -1},
      {"allow connect [fd00::/8]:1-1024\ndefault deny", CONNECT, "fd12::3", 1024, NULL, A, 0},
      {"allow connect [fd00::/8]:1-1024\ndefault deny", CONNECT, "fd12::3", 1025, NULL, D, -1},
      {"allow connect example.com:443\ndefault deny", CONNECT, EX, 443, "example.com", A, 0},
      {"allow connect example.com:443\ndefault deny", CONNECT, EX, 80, "example.com", D, -1},
  };
  (void)state;
  RUN(cases);
}

static void test_mapped(void **state) {
  static const match_case_t cases[] = {
      /* an IPv4 rule catches the mapped form of its addresses */
      {"deny connect 10.0.0.0/8", CONNECT, "::ffff:10.1.2.3", 80, NULL, D, 0},
      {"deny connect 10.0.0.0/8", CONNECT, "::ffff:a01:203", 80, NULL, D, 0},
      {"deny connect 10.0.0.0/8", CONNECT, "::ffff:11.0.0.0", 80, NULL, A, -1},
      {"deny connect 127.0.0.1", CONNECT, "::ffff:7f00:1", 80, NULL, D, 0},
      /* a mapped rule is the IPv4 rule */
      {"deny connect ::ffff:10.0.0.0/104", CONNECT, "10.1.2.3", 80, NULL, D, 0},
      {"deny connect ::ffff:10.0.0.0/104", CONNECT, "11.0.0.1", 80, NULL, A, -1},
      {"deny connect ::ffff:10.0.0.0/104", CONNECT, "::ffff:10.9.9.9", 80, NULL, D, 0},
      {"deny connect ::ffff:0:0/96", CONNECT, "8.8.8.8", 53, NULL, D, 0},
      {"deny connect ::ffff:0:0/96", CONNECT, "2001:db8::1", 53, NULL, A, -1},
      {"allow connect [::ffff:127.0.0.1]:8080\ndefault deny", CONNECT, "127.0.0.1", 8080, NULL, A, 0},
      {"allow connect [::ffff:127.0.0.1]:8080\ndefault deny", CONNECT, "::ffff:127.0.0.1", 8080, NULL, A, 0},
      {"allow connect [::ffff:127.0.0.1]:8080\ndefault deny", CONNECT, "127.0.0.1", 8081, NULL, D, -1},
      /* an allow for IPv6 does not open IPv4 through mapped addresses */
      {"allow connect ::/0\ndefault deny", CONNECT, "::ffff:10.0.0.1", 80, NULL, D, -1},
      {"allow connect ::/0\ndefault deny", CONNECT, "2001:db8::1", 80, NULL, A, 0},
      /* bind too */
      {"deny bind 127.0.0.1", BIND, "::ffff:127.0.0.1", 80, NULL, D, 0},
  };
  (void)state;
  RUN(cases);
}

static void test_unspecified_destination(void **state) {
  static const match_case_t cases[] = {
      /* connecting to 0.0.0.0 or :: reaches this host: checked as loopback */
      {"deny connect 127.0.0.0/8", CONNECT, "0.0.0.0", 80, NULL, D, 0},
      {"deny connect 127.0.0.0/8", CONNECT, "::ffff:0.0.0.0", 80, NULL, D, 0},
      {"deny connect ::1", CONNECT, "::", 80, NULL, D, 0},
      {"allow connect 127.0.0.1:8080\ndefault deny", CONNECT, "0.0.0.0", 8080, NULL, A, 0},
      /* binding the unspecified address is binding it, not loopback */
      {"deny bind 127.0.0.1", BIND, "0.0.0.0", 80, NULL, A, -1},
      {"deny bind 0.0.0.0", BIND, "0.0.0.0", 80, NULL, D, 0},
      {"deny bind 0.0.0.0", BIND, "127.0.0.1", 80, NULL, A, -1},
  };
  (void)state;
  RUN(cases);
}

static void test_first_match_wins(void **state) {
  static const char P[] =
      "allow connect 10.1.0.0/16\ndeny connect 10.0.0.0/8\ndefault deny";
  static const char Q[] =
      "deny connect 10.0.0.0/8\nallow connect 10.1.0.0/16\ndefault allow";
  static const char N[] =
      "deny connect 10.0.0.0/8\nallow connect example.com\ndefault deny";
  static const char NR[] =
      "allow connect example.com\ndeny connect 10.0.0.0/8\ndefault deny";
  static const match_case_t cases[] = {
      {P, CONNECT, "10.1.2.3", 80, NULL, A, 0},
      {P, CONNECT, "10.2.0.1", 80, NULL, D, 1},
      {P, CONNECT, "11.0.0.1", 80, NULL, D, -1},
      {Q, CONNECT, "10.1.2.3", 80, NULL, D, 0},
      {Q, CONNECT, "11.0.0.1", 80, NULL, A, -1},
      /* address denies before name allows: a name cannot lead inside */
      {N, CONNECT, "10.0.0.5", 443, "example.com", D, 0},
      {N, CONNECT, EX, 443, "example.com", A, 1},
      /* the other order trusts the name wherever it points */
      {NR, CONNECT, "10.0.0.5", 443, "example.com", A, 0},
      {NR, CONNECT, "10.0.0.5", 443, NULL, D, 1},
      /* same target twice: the first decides */
      {"allow connect *:80\ndeny connect *:80", CONNECT, "1.2.3.4", 80, NULL, A, 0},
      {"deny connect *:80\nallow connect *:80", CONNECT, "1.2.3.4", 80, NULL, D, 0},
  };
  (void)state;
  RUN(cases);
}

static void test_defaults(void **state) {
  static const match_case_t cases[] = {
      {"", CONNECT, "1.2.3.4", 80, NULL, A, -1},
      {"", BIND, "0.0.0.0", 80, NULL, A, -1},
      {"", RESOLVE, NULL, 0, "example.com", A, -1},
      {"", RESULT, "10.0.0.1", 0, "example.com", A, -1},
      {"default deny", CONNECT, "1.2.3.4", 80, NULL, D, -1},
      {"default deny", BIND, "0.0.0.0", 80, NULL, D, -1},
      {"default deny", RESOLVE, NULL, 0, "example.com", D, -1},
      {"default deny", RESULT, "10.0.0.1", 0, "example.com", D, -1},
      {"default deny\ndefault allow", CONNECT, "1.2.3.4", 80, NULL, A, -1},
      /* the default applies after every rule, wherever it is written */
      {"default deny\nallow connect *:80", CONNECT, "1.2.3.4", 80, NULL, A, 0},
      {"allow connect *:80\ndefault deny", CONNECT, "1.2.3.4", 81, NULL, D, -1},
  };
  (void)state;
  RUN(cases);
}

static void test_ops(void **state) {
  static const char ANYADDR[] = "deny any 192.0.2.0/24";
  static const char ANYNAME[] = "deny any example.com";
  static const match_case_t cases[] = {
      {ANYADDR, CONNECT, "192.0.2.1", 80, NULL, D, 0},
      {ANYADDR, BIND, "192.0.2.1", 80, NULL, D, 0},
      {ANYADDR, RESOLVE, NULL, 0, "x.test", A, -1}, /* not a name rule */
      {ANYADDR, RESOLVE, NULL, 0, "192.0.2.5", D, 0}, /* a literal */
      {ANYNAME, RESOLVE, NULL, 0, "example.com", D, 0},
      {ANYNAME, CONNECT, EX, 80, "example.com", D, 0},
      {ANYNAME, CONNECT, EX, 80, NULL, A, -1},
      {ANYNAME, BIND, "0.0.0.0", 80, NULL, A, -1}, /* names never bind */
      {"allow any *\ndefault deny", CONNECT, "1.2.3.4", 80, NULL, A, 0},
      {"allow any *\ndefault deny", BIND, "0.0.0.0", 80, NULL, A, 0},
      {"allow any *\ndefault deny", RESOLVE, NULL, 0, "example.com", A, 0},
      {"deny bind *", CONNECT, "1.2.3.4", 80, NULL, A, -1},
      {"deny bind *", BIND, "::", 80, NULL, D, 0},
      {"deny bind *", RESOLVE, NULL, 0, "example.com", A, -1},
      {"deny connect *", CONNECT, "1.2.3.4", 80, NULL, D, 0},
      {"deny connect *", BIND, "0.0.0.0", 80, NULL, A, -1},
      {"deny resolve *", CONNECT, "1.2.3.4", 80, "example.com", A, -1},
      {"allow bind 127.0.0.1:8080\ndefault deny", BIND, "127.0.0.1", 8080, NULL, A, 0},
      {"allow bind 127.0.0.1:8080\ndefault deny", BIND, "0.0.0.0", 8080, NULL, D, -1},
      {"allow bind 127.0.0.1:8080\ndefault deny", BIND, "127.0.0.1", 0, NULL, D, -1},
      {"allow bind 127.0.0.1:8080\ndefault deny", CONNECT, "127.0.0.1", 8080, NULL, D, -1},
      {"allow bind *:0\ndefault deny", BIND, "0.0.0.0", 0, NULL, A, 0},
      {"allow bind *:0\ndefault deny", BIND, "::", 0, NULL, A, 0},
  };
  (void)state;
  RUN(cases);
}

static void test_resolve(void **state) {
  static const match_case_t cases[] = {
      {"allow resolve example.com\ndefault deny", RESOLVE, NULL, 0, "example.com", A, 0},
      {"allow resolve example.com\ndefault deny", RESOLVE, NULL, 0, "Example.COM.", A, 0},
      {"allow resolve example.com\ndefault deny", RESOLVE, NULL, 0, "www.example.com", D, -1},
      {"allow resolve *.example.com\ndefault deny", RESOLVE, NULL, 0, "a.example.com", A, 0},
      {"allow resolve *.example.com\ndefault deny", RESOLVE, NULL, 0, "example.com", D, -1},
      /* allowing a connect to a name allows looking it up, at any port */
      {"allow connect example.com:443\ndefault deny", RESOLVE, NULL, 0, "example.com", A, 0},
      {"allow connect example.com:443\ndefault deny", RESOLVE, NULL, 0, "example.org", D, -1},
      {"allow connect *:443\ndefault deny", RESOLVE, NULL, 0, "anything.test", A, 0},
      /* an address rule does not allow lookups */
      {"allow connect 93.184.215.14\ndefault deny", RESOLVE, NULL, 0, "example.com", D, -1},
      /* denying the connect does not deny the lookup (results are filtered) */
      {"deny connect example.com", RESOLVE, NULL, 0, "example.com", A, -1},
      {"deny connect *\nallow resolve *", RESOLVE, NULL, 0, "example.com", A, 1},
      /* a deny limited to some ports leaves the name resolvable */
      {"deny any example.com:22\nallow resolve *\ndefault deny", RESOLVE, NULL, 0, "example.com", A, 1},
      {"deny any example.com:22", RESOLVE, NULL, 0, "example.com", A, -1},
      {"deny any example.com:0-100\ndeny any example.com:101-65535", RESOLVE, NULL, 0, "example.com", D, 1},
      {"deny any example.com", RESOLVE, NULL, 0, "example.com", D, 0},
      /* no DNS: names denied, literals are no lookup */
      {"deny resolve *", RESOLVE, NULL, 0, "example.com", D, 0},
      {"deny resolve *", RESOLVE, NULL, 0, "127.0.0.1", A, -1},
      {"deny resolve *", RESOLVE, NULL, 0, "::1", A, -1},
      /* a literal is judged by the connect rules, at any port */
      {"deny connect 10.0.0.0/8", RESOLVE, NULL, 0, "10.1.2.3", D, 0},
      {"deny connect 10.0.0.0/8", RESOLVE, NULL, 0, "::ffff:10.1.2.3", D, 0},
      {"default deny\nallow connect 127.0.0.1:8080", RESOLVE, NULL, 0, "127.0.0.1", A, 0},
      {"default deny\nallow connect 127.0.0.1:8080", RESOLVE, NULL, 0, "localhost", D, -1},
      /* not a strict literal: a name (its results get filtered) */
      {"deny connect 10.0.0.0/8", RESOLVE, NULL, 0, "10.1.2.3.", A, -1},
      {"deny connect 10.0.0.0/8", RESOLVE, NULL, 0, "012.1.2.3", A, -1},
  };
  (void)state;
  RUN(cases);
}

static void test_results(void **state) {
  static const char R[] = "deny connect 10.0.0.0/8";
  static const match_case_t cases[] = {
      /* DNS rebinding: a name resolving inside a denied range is hidden */
      {R, RESULT, "10.0.0.7", 0, "evil.example", D, 0},
      {R, RESULT, "::ffff:10.0.0.7", 0, "evil.example", D, 0},
      {R, RESULT, EX, 0, "evil.example", A, -1},
      {R, RESULT, "10.0.0.7", 443, NULL, D, 0}, /* the port is ignored */
      {"deny connect 127.0.0.0/8", RESULT, "0.0.0.0", 0, "zero.example", D, 0},
      /* hidden only if no port at all is allowed */
      {"deny connect 10.0.0.0/8:22", RESULT, "10.0.0.7", 0, NULL, A, -1},
      {"deny connect 10.0.0.0/8:0-1023\ndeny connect 10.0.0.0/8:1024-65535",
       RESULT, "10.0.0.7", 0, NULL, D, 1},
      {"deny connect 10.0.0.0/8:0-1023\nallow connect 10.0.0.0/8:80\n"
       "allow connect *:8080\ndefault deny",
       RESULT, "10.0.0.7", 0, NULL, A, 2},
      {"deny connect 10.0.0.0/8:0-1023\nallow connect 10.0.0.0/8:80\ndefault deny",
       RESULT, "10.0.0.7", 0, NULL, D, -1},
      {"allow connect 10.0.0.7:5432\ndefault deny", RESULT, "10.0.0.7", 0, NULL, A, 0},
      /* only connect rules count */
      {"deny bind 10.0.0.0/8", RESULT, "10.0.0.7", 0, NULL, A, -1},
      {"deny any 10.0.0.0/8", RESULT, "10.0.0.7", 0, NULL, D, 0},
      /* the name the lookup was for */
      {"allow connect example.com:443\ndefault deny", RESULT, EX, 0, "example.com", A, 0},
      {"allow connect example.com:443\ndefault deny", RESULT, EX, 0, "example.org", D, -1},
      {"allow connect example.com:443\ndefault deny", RESULT, EX, 0, NULL, D, -1},
      {"deny connect 10.0.0.0/8\nallow connect *.example.com\ndefault deny",
       RESULT, "10.0.0.1", 0, "a.example.com", D, 0},
      {"deny connect 10.0.0.0/8\nallow connect *.example.com\ndefault deny",
       RESULT, "203.0.113.5", 0, "a.example.com", A, 1},
  };
  (void)state;
  RUN(cases);
}

/* check's verdict: text, line, and the errors for malformed requests. */
static void test_verdict_and_bad_requests(void **state) {
  wasisock_policy_t *p =
      policy_from("# head\n\ndeny connect 10.1.2.3/8:80\ndefault deny\n");
  wasisock_policy_request_t req;
  wasisock_policy_verdict_t v;
  wasisock_addr_t a;
  (void)state;

  addr_from("10.9.9.9", 80, &a);
  req.op = WASISOCK_POLICY_CONNECT;
  req.name = NULL;
  req.addr = &a;
  assert_int_equal(wasisock_policy_check(p, &req, &v), 0);
  assert_int_equal(v.action, D);
  assert_int_equal(v.rule_index, 0);
  assert_int_equal(v.line, 3);
  assert_string_equal(v.rule_text, "deny connect 10.0.0.0/8:80");
  a.port = 81;
  assert_int_equal(wasisock_policy_check(p, &req, &v), 0);
  assert_int_equal(v.rule_index, -1);
  assert_int_equal(v.line, 0);
  assert_string_equal(v.rule_text, "default deny");

  /* malformed requests: an error and a DENY verdict */
  v.action = A;
  assert_int_equal(wasisock_policy_check(NULL, &req, &v), WASISOCK_EINVAL);
  assert_int_equal(v.action, D);
  assert_int_equal(wasisock_policy_check(p, NULL, &v), WASISOCK_EINVAL);
  assert_int_equal(wasisock_policy_check(p, &req, NULL), WASISOCK_EINVAL);
  req.op = WASISOCK_POLICY_ANY;
  assert_int_equal(wasisock_policy_check(p, &req, &v), WASISOCK_EINVAL);
  req.op = (wasisock_policy_op_t)0;
  assert_int_equal(wasisock_policy_check(p, &req, &v), WASISOCK_EINVAL);
  req.op = WASISOCK_POLICY_BIND;
  req.addr = NULL;
  assert_int_equal(wasisock_policy_check(p, &req, &v), WASISOCK_EINVAL);
  req.op = WASISOCK_POLICY_CONNECT;
  assert_int_equal(wasisock_policy_check(p, &req, &v), WASISOCK_EINVAL);
  a.family = 9;
  req.addr = &a;
  v.action = A;
  assert_int_equal(wasisock_policy_check(p, &req, &v), WASISOCK_EAFNOSUPPORT);
  assert_int_equal(v.action, D);
  assert_int_equal(wasisock_policy_check_result(p, "x", &a, &v),
                   WASISOCK_EAFNOSUPPORT);
  assert_int_equal(wasisock_policy_allows_result(p, "x", &a), 0);
  assert_int_equal(wasisock_policy_check_result(p, "x", NULL, &v),
                   WASISOCK_EINVAL);
  assert_int_equal(wasisock_policy_allows_result(NULL, "x", &a), 0);
  req.op = WASISOCK_POLICY_RESOLVE;
  req.name = NULL;
  assert_int_equal(wasisock_policy_check(p, &req, &v), WASISOCK_EINVAL);
  wasisock_policy_free(p);
}

/* ---- Hook points and the denial callback ---------------------------------- */

typedef struct denials {
  int count;
  wasisock_policy_op_t op;
  char name[64];
  wasisock_addr_t addr;
  int has_addr;
  uint32_t port;
  int32_t rule_index;
  uint32_t line;
  char text[128];
  char message[256];
} denials_t;

static void on_denial(void *data, const wasisock_policy_denial_t *d) {
  denials_t *s = data;
  s->count++;
  s->op = d->op;
  snprintf(s->name, sizeof s->name, "%s", d->name ? d->name : "(null)");
  s->has_addr = d->addr != NULL;
  if (d->addr)
    s->addr = *d->addr;
  s->port = d->port;
  s->rule_index = d->rule_index;
  s->line = d->line;
  snprintf(s->text, sizeof s->text, "%s", d->rule_text);
  wasisock_policy_denial_format(d, s->message, sizeof s->message);
}

static void test_hooks(void **state) {
  wasisock_policy_t *p = policy_from("deny connect 10.0.0.0/8\n"
                                     "allow connect example.com:443\n"
                                     "allow bind 127.0.0.1:0\n"
                                     "default deny\n");
  denials_t s;
  wasisock_addr_t a, list[5];
  (void)state;
  memset(&s, 0, sizeof s);
  assert_int_equal(wasisock_policy_set_denial_callback(p, on_denial, &s), 0);

  /* no policy: everything goes, nothing is reported */
  addr_from("10.0.0.1", 80, &a);
  assert_int_equal(wasisock__policy_check_connect(NULL, &a, NULL), 0);
  assert_int_equal(wasisock__policy_check_bind(NULL, &a), 0);
  assert_int_equal(wasisock__policy_check_resolve(NULL, "x", 0), 0);
  assert_int_equal(wasisock__policy_filter_results(NULL, "x", &a, 1), 1);

  assert_int_equal(wasisock__policy_check_connect(p, &a, "intranet.example"),
                   WASISOCK_EACCES);
  assert_int_equal(s.count, 1);
  assert_int_equal(s.op, WASISOCK_POLICY_CONNECT);
  assert_string_equal(s.name, "intranet.example");
  assert_int_equal(s.port, 80);
  assert_int_equal(s.rule_index, 0);
  assert_int_equal(s.line, 1);
  assert_string_equal(s.text, "deny connect 10.0.0.0/8");
  assert_string_equal(s.message,
                      "denied connect 10.0.0.1:80 (intranet.example) by "
                      "\"deny connect 10.0.0.0/8\" (line 1)");

  addr_from(EX, 443, &a);
  assert_int_equal(wasisock__policy_check_connect(p, &a, "example.com"), 0);
  assert_int_equal(s.count, 1);
  assert_int_equal(wasisock__policy_check_connect(p, &a, NULL), WASISOCK_EACCES);
  assert_int_equal(s.count, 2);
  assert_string_equal(s.message,
                      "denied connect 93.184.215.14:443 by default deny");

  addr_from("::1", 8080, &a);
  assert_int_equal(wasisock__policy_check_bind(p, &a), WASISOCK_EACCES);
  assert_int_equal(s.op, WASISOCK_POLICY_BIND);
  assert_string_equal(s.message, "denied bind [::1]:8080 by default deny");
  addr_from("127.0.0.1", 0, &a);
  assert_int_equal(wasisock__policy_check_bind(p, &a), 0);

  assert_int_equal(wasisock__policy_check_resolve(p, "example.com", 443), 0);
  assert_int_equal(wasisock__policy_check_resolve(p, "evil.example", 53),
                   WASISOCK_EACCES);
  assert_int_equal(s.op, WASISOCK_POLICY_RESOLVE);
  assert_int_equal(s.has_addr, 0);
  assert_int_equal(s.port, 53);
  assert_string_equal(s.message,
                      "denied resolve \"evil.example\" by default deny");

  /* results: hidden ones reported one by one, the rest keep their order */
  s.count = 0;
  addr_from("10.0.0.7", 443, &list[0]);
  addr_from(EX, 443, &list[1]);
  addr_from("::ffff:10.9.9.9", 443, &list[2]);
  addr_from("2606:2800:21f:cb07:6820:80da:af6b:8b2c", 443, &list[3]);
  list[4] = list[1];
  list[4].family = 7; /* a record the host got wrong: hidden quietly */
  assert_int_equal(wasisock__policy_filter_results(p, "example.com", list, 5),
                   2);
  assert_int_equal(s.count, 2);
  assert_memory_equal(list[0].bytes, "\x5d\xb8\xd7\x0e", 4);
  assert_int_equal(list[1].family, WASISOCK_AF_INET6);
  assert_int_equal(list[1].bytes[0], 0x26);
  assert_string_equal(s.message,
                      "hid [::ffff:10.9.9.9]:443 from the lookup of "
                      "\"example.com\" by \"deny connect 10.0.0.0/8\" (line 1)");
  /* the same IPv6 address under a name no rule allows */
  list[0] = list[1];
  assert_int_equal(wasisock__policy_filter_results(p, "other.example", list, 1),
                   0);
  assert_string_equal(s.message,
                      "hid [2606:2800:21f:cb07:6820:80da:af6b:8b2c]:443 from "
                      "the lookup of \"other.example\" by default deny");
  addr_from("10.0.0.7", 0, &list[0]);
  assert_int_equal(wasisock__policy_filter_results(p, "x", list, 1), 0);
  assert_string_equal(s.message, "hid 10.0.0.7:0 from the lookup of \"x\" by "
                                 "\"deny connect 10.0.0.0/8\" (line 1)");
  assert_int_equal(wasisock__policy_filter_results(p, "x", list, 0), 0);

  /* reporting off */
  assert_int_equal(wasisock_policy_set_denial_callback(p, NULL, NULL), 0);
  s.count = 0;
  addr_from("10.0.0.1", 80, &a);
  assert_int_equal(wasisock__policy_check_connect(p, &a, NULL), WASISOCK_EACCES);
  assert_int_equal(s.count, 0);
  assert_int_equal(wasisock_policy_set_denial_callback(NULL, on_denial, &s),
                   WASISOCK_EINVAL);
  wasisock_policy_free(p);
}

static void test_denial_format(void **state) {
  wasisock_policy_denial_t d;
  wasisock_addr_t a;
  char buf[128];
  size_t n;
  (void)state;

  addr_from("::ffff:10.0.0.1", 80, &a);
  memset(&d, 0, sizeof d);
  d.op = WASISOCK_POLICY_CONNECT;
  d.addr = &a;
  d.port = 80;
  d.rule_index = 2;
  d.rule_text = "deny connect 10.0.0.0/8";
  n = wasisock_policy_denial_format(&d, buf, sizeof buf);
  assert_string_equal(buf, "denied connect [::ffff:10.0.0.1]:80 by \"deny "
                           "connect 10.0.0.0/8\"");
  assert_int_equal(n, strlen(buf));
  /* cut, terminated, and the length it needs */
  assert_int_equal(wasisock_policy_denial_format(&d, buf, 8), n);
  assert_string_equal(buf, "denied ");
  assert_int_equal(wasisock_policy_denial_format(&d, NULL, 0), n);
  assert_int_equal(wasisock_policy_denial_format(NULL, buf, sizeof buf), 0);
  assert_string_equal(buf, "");
  d.op = WASISOCK_POLICY_RESOLVE;
  d.name = NULL;
  d.rule_index = -1;
  d.rule_text = "default deny";
  wasisock_policy_denial_format(&d, buf, sizeof buf);
  assert_string_equal(buf, "hid [::ffff:10.0.0.1]:80 from a lookup by default "
                           "deny");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names_exact),
      cmocka_unit_test(test_names_suffix),
      cmocka_unit_test(test_cidr_ipv4),
      cmocka_unit_test(test_cidr_ipv6),
      cmocka_unit_test(test_ports),
      cmocka_unit_test(test_mapped),
      cmocka_unit_test(test_unspecified_destination),
      cmocka_unit_test(test_first_match_wins),
      cmocka_unit_test(test_defaults),
      cmocka_unit_test(test_ops),
      cmocka_unit_test(test_resolve),
      cmocka_unit_test(test_results),
      cmocka_unit_test(test_verdict_and_bad_requests),
      cmocka_unit_test(test_hooks),
      cmocka_unit_test(test_denial_format),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
