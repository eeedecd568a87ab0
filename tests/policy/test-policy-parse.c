/*
 * test-policy-parse.c — the rule language, one line at a time through
 * wasisock_policy_add_rule: what each accepted rule becomes (its canonical
 * text), the exact message for each rejected one, directives, and the
 * setters and getters.
 */
#include "policy-test.h"

typedef struct parse_case {
  const char *text;
  const char *want; /* canonical rule text, or NULL for a directive */
} parse_case_t;

typedef struct error_case {
  const char *text;
  const char *message;
} error_case_t;

static void test_accepted_rules(void **state) {
  static const parse_case_t cases[] = {
      {"allow connect *", "allow connect *"},
      {"deny bind *", "deny bind *"},
      {"allow resolve *", "allow resolve *"},
      {"deny any *", "deny any *"},
      {"  allow\tconnect   *  ", "allow connect *"},
      {"allow connect *\r", "allow connect *"},
      {"ALLOW Connect EXAMPLE.com.", "allow connect example.com"},
      {"Deny ANY example.com", "deny any example.com"},
      {"allow connect localhost:8080", "allow connect localhost:8080"},
      {"allow connect _srv._tcp.example.com", "allow connect _srv._tcp.example.com"},
      {"allow connect xn--bcher-kva.example", "allow connect xn--bcher-kva.example"},
      {"allow connect *.Example.COM:443", "allow connect *.example.com:443"},
      {"allow resolve *.com", "allow resolve *.com"},
      {"allow connect 127.0.0.1:8080", "allow connect 127.0.0.1:8080"},
      {"deny connect 10.0.0.0/8", "deny connect 10.0.0.0/8"},
      {"deny connect 10.1.2.3/8", "deny connect 10.0.0.0/8"},
      {"deny connect 172.31.255.255/12", "deny connect 172.16.0.0/12"},
      {"deny connect 1.2.3.4/32", "deny connect 1.2.3.4"},
      {"deny connect 1.2.3.4/0", "deny connect 0.0.0.0/0"},
      {"deny connect 0.0.0.0", "deny connect 0.0.0.0"},
      {"deny connect 255.255.255.255:0-65535", "deny connect 255.255.255.255"},
      {"allow connect [::1]:80", "allow connect [::1]:80"},
      {"allow connect ::1", "allow connect ::1"},
      {"allow connect [::1]", "allow connect ::1"},
      {"allow connect [::1]:*", "allow connect ::1"},
      {"allow connect [fd00::/8]:1-1024", "allow connect [fd00::/8]:1-1024"},
      {"allow connect fd00::/8", "allow connect fd00::/8"},
      {"deny connect fdff::1/7", "deny connect fc00::/7"},
      {"deny connect ::/0", "deny connect ::/0"},
      {"deny connect ::", "deny connect ::"},
      {"deny connect 2001:DB8:0:0:1:0:0:1", "deny connect 2001:db8::1:0:0:1"},
      {"deny connect 2001:db8:0:0:0:0:2:1", "deny connect 2001:db8::2:1"},
      {"deny connect 2001:db8::0:1", "deny connect 2001:db8::1"},
      {"deny connect 1:0:0:2:0:0:0:3", "deny connect 1:0:0:2::3"},
      {"deny connect 1:2:3:4:5:6:7::", "deny connect 1:2:3:4:5:6:7:0"},
      {"deny connect 0:0:0:0:0:0:0:0/128", "deny connect ::"},
      {"deny connect ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
       "deny connect ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
      {"deny connect ::1.2.3.4", "deny connect ::102:304"},
      /* IPv4-mapped rules are IPv4 rules */
      {"deny connect ::ffff:10.0.0.0/104", "deny connect 10.0.0.0/8"},
      {"deny connect ::FFFF:0:0/96", "deny connect 0.0.0.0/0"},
      {"allow connect [::ffff:127.0.0.1]:8080", "allow connect 127.0.0.1:8080"},
      {"allow connect ::ffff:7f00:1", "allow connect 127.0.0.1"},
      {"deny connect ::ffff:0:0/95", "deny connect ::fffe:0:0/95"},
      /* ports */
      {"allow connect *:0", "allow connect *:0"},
      {"allow connect *:65535", "allow connect *:65535"},
      {"allow connect *:00080", "allow connect *:80"},
      {"allow connect *:1-1", "allow connect *:1"},
      {"allow connect *:0-65535", "allow connect *"},
      {"allow connect *:*", "allow connect *"},
      {"allow bind 0.0.0.0:8000-8999", "allow bind 0.0.0.0:8000-8999"},
      {"allow any 10.0.0.0/8:22", "allow any 10.0.0.0/8:22"},
      {"allow resolve example.com:*", "allow resolve example.com"},
      {"allow any example.com:443", "allow any example.com:443"},
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    wasisock_policy_t *p;
    char err[256];
    int32_t e;
    assert_int_equal(wasisock_policy_new(&p), 0);
    e = wasisock_policy_add_rule(p, cases[i].text, err, sizeof err);
    if (e != 0)
      fail_msg("case %zu \"%s\": errno %d, %s", i, cases[i].text, (int)e, err);
    assert_string_equal(err, "");
    assert_int_equal(wasisock_policy_rule_count(p), 1);
    if (strcmp(wasisock_policy_rule_text(p, 0), cases[i].want) != 0)
      fail_msg("case %zu \"%s\": got \"%s\", want \"%s\"", i, cases[i].text,
               wasisock_policy_rule_text(p, 0), cases[i].want);
    /* the canonical text reads back to itself */
    assert_int_equal(wasisock_policy_add_rule(p, cases[i].want, err, sizeof err),
                     0);
    assert_string_equal(wasisock_policy_rule_text(p, 1), cases[i].want);
    wasisock_policy_free(p);
  }
}

static void test_rejected_rules(void **state) {
  static const error_case_t cases[] = {
      /* the four of the brief */
      {"allow connect 10.0.0.0/33", "bad CIDR prefix \"/33\" (IPv4 allows 0-32)"},
      {"allow connect example.com:70000", "port \"70000\" out of range (0-65535)"},
      {"allow connect *:10-5", "port range \"10-5\" is reversed"},
      {"allow frob example.com",
       "unknown operation \"frob\" (expected connect, bind, resolve or any)"},
      /* structure */
      {"", "empty rule"},
      {"   \t ", "empty rule"},
      {"permit connect *",
       "unknown action \"permit\" (expected allow, deny, default, max-sockets "
       "or max-buffer)"},
      {"allow", "missing operation after \"allow\" (expected connect, bind, "
                "resolve or any)"},
      {"deny connect", "missing target after \"connect\" (expected TARGET[:PORTS])"},
      {"allow connect example.com 443", "unexpected \"443\" after the target"},
      {"allow connect a b c", "unexpected \"b\" after the target"},
      {"allow connect * # comment", "unexpected \"#\" after the target"},
      /* CIDR */
      {"allow connect [::/129]", "bad CIDR prefix \"/129\" (IPv6 allows 0-128)"},
      {"allow connect fd00::/200", "bad CIDR prefix \"/200\" (IPv6 allows 0-128)"},
      {"allow connect 10.0.0.0/", "bad CIDR prefix \"/\" (IPv4 allows 0-32)"},
      {"allow connect 10.0.0.0/x", "bad CIDR prefix \"/x\" (IPv4 allows 0-32)"},
      {"allow connect 10.0.0.0/0008", "bad CIDR prefix \"/0008\" (IPv4 allows 0-32)"},
      {"allow connect 10.0.0.0/8/8", "bad CIDR prefix \"/8/8\" (IPv4 allows 0-32)"},
      {"allow connect [fd00::/-1]", "bad CIDR prefix \"/-1\" (IPv6 allows 0-128)"},
      /* IPv4 */
      {"allow connect 256.0.0.1", "bad IPv4 address \"256.0.0.1\""},
      {"allow connect 1.2.3", "bad IPv4 address \"1.2.3\""},
      {"allow connect 1.2.3.4.5", "bad IPv4 address \"1.2.3.4.5\""},
      {"allow connect 010.0.0.1", "bad IPv4 address \"010.0.0.1\""},
      {"allow connect 1..2.3", "bad IPv4 address \"1..2.3\""},
      {"allow connect 1234.0.0.1", "bad IPv4 address \"1234.0.0.1\""},
      {"allow connect 127", "bad IPv4 address \"127\""},
      {"allow connect [1.2.3.4]:80", "brackets are for IPv6 addresses: \"[1.2.3.4]:80\""},
      /* IPv6 */
      {"allow connect 1::2::3", "bad IPv6 address \"1::2::3\""},
      {"allow connect 1:2:3:4:5:6:7:8:9",
       "bad IPv6 address \"1:2:3:4:5:6:7:8:9\" (an address with a port goes "
       "in brackets: \"[1:2:3:4:5:6:7:8]:9\")"},
      {"allow connect 1:2:3:4:5:6:7:8::", "bad IPv6 address \"1:2:3:4:5:6:7:8::\""},
      {"allow connect 1:2:3:4:5:6:7", "bad IPv6 address \"1:2:3:4:5:6:7\""},
      {"allow connect :::1", "bad IPv6 address \":::1\" (an address with a port "
                             "goes in brackets: \"[::]:1\")"},
      {"allow connect 1:::", "bad IPv6 address \"1:::\""},
      {"allow connect 12345::1", "bad IPv6 address \"12345::1\""},
      {"allow connect fe80::1%eth0", "bad IPv6 address \"fe80::1%eth0\""},
      {"allow connect ::ffff:1.2.3", "bad IPv6 address \"::ffff:1.2.3\""},
      {"allow connect 1:2:3:4:5:6:7:1.2.3.4", "bad IPv6 address \"1:2:3:4:5:6:7:1.2.3.4\""},
      {"allow connect 2001:db8::1:99999",
       "bad IPv6 address \"2001:db8::1:99999\" (an address with a port goes in "
       "brackets: \"[2001:db8::1]:99999\")"},
      {"allow connect [::1", "missing \"]\" in \"[::1\""},
      {"allow connect [::1]80", "expected \":PORTS\" after \"]\" in \"[::1]80\""},
      {"allow connect [::1]:", "bad port \"\" (expected N, N-M or *)"},
      {"allow connect []:80", "bad IPv6 address \"\""},
      /* ports */
      {"allow connect example.com:", "bad port \"\" (expected N, N-M or *)"},
      {"allow connect example.com:http", "bad port \"http\" (expected N, N-M or *)"},
      {"allow connect *:65536", "port \"65536\" out of range (0-65535)"},
      {"allow connect *:99999999999999999999999",
       "port \"99999999999999999999999\" out of range (0-65535)"},
      {"allow connect *:1-70000", "port \"1-70000\" out of range (0-65535)"},
      {"allow connect *:-5", "bad port \"-5\" (expected N, N-M or *)"},
      {"allow connect *:5-", "bad port \"5-\" (expected N, N-M or *)"},
      {"allow connect *:1-2-3", "bad port \"1-2-3\" (expected N, N-M or *)"},
      {"allow connect *:+80", "bad port \"+80\" (expected N, N-M or *)"},
      {"allow connect *:**", "bad port \"**\" (expected N, N-M or *)"},
      {":80", "unknown action \":80\" (expected allow, deny, default, "
              "max-sockets or max-buffer)"},
      {"allow connect :80", "missing host in \":80\" (\"*:80\" is any host)"},
      /* names */
      {"allow connect exa$mple.com", "bad host name \"exa$mple.com\""},
      {"allow connect a..b", "bad host name \"a..b\""},
      {"allow connect .example.com", "bad host name \".example.com\""},
      {"allow connect example.com..", "bad host name \"example.com..\""},
      {"allow connect a/b", "bad host name \"a/b\""},
      {"allow connect a*.com",
       "bad name pattern \"a*.com\" (\"*\" goes alone or as a leading \"*.\")"},
      {"allow connect *.*.com",
       "bad name pattern \"*.*.com\" (\"*\" goes alone or as a leading \"*.\")"},
      {"allow connect *.", "bad name pattern \"*.\" (\"*\" goes alone or as a "
                           "leading \"*.\")"},
      {"allow connect *example.com", "bad name pattern \"*example.com\" (\"*\" "
                                     "goes alone or as a leading \"*.\")"},
      {"allow connect b\xc3\xbc" "cher.example", "bad host name \"b\xc3\xbc" "cher.example\""},
      {"allow connect "
       "a123456789012345678901234567890123456789012345678901234567890123.com",
       "bad host name \"a12345678901234567890123456789012345678901234567890123456"
       "7890123...\""},
      /* operation and target together */
      {"allow resolve 10.0.0.0/8",
       "resolve rules take a host name, a \"*.\" pattern or \"*\", not an "
       "address"},
      {"allow resolve example.com:53", "resolve rules take no port"},
      {"deny resolve *:53", "resolve rules take no port"},
      {"allow bind localhost:8080",
       "bind rules take an address or \"*\", not a host name"},
      {"allow bind *.example.com",
       "bind rules take an address or \"*\", not a host name"},
      /* directives */
      {"default", "missing value after \"default\" (expected allow or deny)"},
      {"default maybe", "unknown default \"maybe\" (expected allow or deny)"},
      {"default deny now", "unexpected \"now\" after \"deny\""},
      {"max-sockets", "missing number after \"max-sockets\""},
      {"max-sockets -1", "bad number \"-1\" for max-sockets"},
      {"max-sockets ten", "bad number \"ten\" for max-sockets"},
      {"max-sockets 4294967296",
       "max-sockets \"4294967296\" out of range (0-4294967295)"},
      {"max-buffer", "missing size after \"max-buffer\""},
      {"max-buffer 0", "max-buffer must be at least 1 byte"},
      {"max-buffer 0k", "max-buffer must be at least 1 byte"},
      {"max-buffer 1.5M",
       "bad size \"1.5M\" for max-buffer (expected BYTES, BYTESk or BYTESM)"},
      {"max-buffer 64G",
       "bad size \"64G\" for max-buffer (expected BYTES, BYTESk or BYTESM)"},
      {"max-buffer k",
       "bad size \"k\" for max-buffer (expected BYTES, BYTESk or BYTESM)"},
      {"max-buffer 18446744073709551616",
       "max-buffer \"18446744073709551616\" out of range"},
      {"max-buffer 18014398509481984k",
       "max-buffer \"18014398509481984k\" out of range"},
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    wasisock_policy_t *p;
    char err[256];
    int32_t e;
    assert_int_equal(wasisock_policy_new(&p), 0);
    assert_int_equal(wasisock_policy_add_rule(p, "deny connect 1.2.3.4", err,
                                              sizeof err),
                     0);
    memset(err, 'x', sizeof err);
    e = wasisock_policy_add_rule(p, cases[i].text, err, sizeof err);
    if (e != WASISOCK_EINVAL)
      fail_msg("case %zu \"%s\": errno %d, want EINVAL", i, cases[i].text,
               (int)e);
    if (strcmp(err, cases[i].message) != 0)
      fail_msg("case %zu \"%s\":\n  got  %s\n  want %s", i, cases[i].text, err,
               cases[i].message);
    /* nothing changed */
    assert_int_equal(wasisock_policy_rule_count(p), 1);
    assert_int_equal(wasisock_policy_get_default(p), WASISOCK_POLICY_ALLOW);
    assert_int_equal(wasisock_policy_get_max_sockets(p),
                     WASISOCK_POLICY_NO_SOCKET_LIMIT);
    assert_true(wasisock_policy_get_max_buffer_bytes(p) ==
                WASISOCK_POLICY_NO_BUFFER_LIMIT);
    wasisock_policy_free(p);
  }
}

static void test_directives(void **state) {
  wasisock_policy_t *p;
  char err[128];
  (void)state;
  assert_int_equal(wasisock_policy_new(&p), 0);
  assert_int_equal(wasisock_policy_get_default(p), WASISOCK_POLICY_ALLOW);
  assert_int_equal(wasisock_policy_get_max_sockets(p),
                   WASISOCK_POLICY_NO_SOCKET_LIMIT);
  assert_true(wasisock_policy_get_max_buffer_bytes(p) ==
              WASISOCK_POLICY_NO_BUFFER_LIMIT);

  assert_int_equal(wasisock_policy_add_rule(p, "default deny", err, sizeof err), 0);
  assert_int_equal(wasisock_policy_get_default(p), WASISOCK_POLICY_DENY);
  assert_int_equal(wasisock_policy_add_rule(p, "DEFAULT Allow", err, sizeof err), 0);
  assert_int_equal(wasisock_policy_get_default(p), WASISOCK_POLICY_ALLOW);
  assert_int_equal(wasisock_policy_add_rule(p, "max-sockets 0", err, sizeof err), 0);
  assert_int_equal(wasisock_policy_get_max_sockets(p), 0);
  assert_int_equal(
      wasisock_policy_add_rule(p, "max-sockets 4294967295", err, sizeof err), 0);
  assert_int_equal(wasisock_policy_get_max_sockets(p), UINT32_MAX);
  assert_int_equal(wasisock_policy_add_rule(p, "max-sockets 16", err, sizeof err), 0);
  assert_int_equal(wasisock_policy_get_max_sockets(p), 16);
  assert_int_equal(wasisock_policy_add_rule(p, "max-buffer 1", err, sizeof err), 0);
  assert_true(wasisock_policy_get_max_buffer_bytes(p) == 1);
  assert_int_equal(wasisock_policy_add_rule(p, "max-buffer 64k", err, sizeof err), 0);
  assert_true(wasisock_policy_get_max_buffer_bytes(p) == 65536);
  assert_int_equal(wasisock_policy_add_rule(p, "max-buffer 2K", err, sizeof err), 0);
  assert_true(wasisock_policy_get_max_buffer_bytes(p) == 2048);
  assert_int_equal(wasisock_policy_add_rule(p, "max-buffer 1M", err, sizeof err), 0);
  assert_true(wasisock_policy_get_max_buffer_bytes(p) == 1048576);
  assert_int_equal(wasisock_policy_add_rule(p, "max-buffer 4096m", err, sizeof err),
                   0);
  assert_true(wasisock_policy_get_max_buffer_bytes(p) == 4294967296u);
  assert_int_equal(wasisock_policy_add_rule(p, "max-buffer 18446744073709551615",
                                            err, sizeof err),
                   0);
  assert_true(wasisock_policy_get_max_buffer_bytes(p) == UINT64_MAX);
  /* directives add no rule */
  assert_int_equal(wasisock_policy_rule_count(p), 0);
  wasisock_policy_free(p);
}

static void test_setters_and_nulls(void **state) {
  wasisock_policy_t *p;
  char err[64];
  char small[12];
  (void)state;

  assert_int_equal(wasisock_policy_new(NULL), WASISOCK_EINVAL);
  assert_int_equal(wasisock_policy_new(&p), 0);
  assert_int_equal(wasisock_policy_set_default(p, WASISOCK_POLICY_DENY), 0);
  assert_int_equal(wasisock_policy_get_default(p), WASISOCK_POLICY_DENY);
  assert_int_equal(wasisock_policy_set_default(p, (wasisock_policy_action_t)2),
                   WASISOCK_EINVAL);
  assert_int_equal(wasisock_policy_get_default(p), WASISOCK_POLICY_DENY);
  assert_int_equal(wasisock_policy_set_max_sockets(p, 3), 0);
  assert_int_equal(wasisock_policy_get_max_sockets(p), 3);
  assert_int_equal(wasisock_policy_set_max_buffer_bytes(p, 0), WASISOCK_EINVAL);
  assert_int_equal(wasisock_policy_set_max_buffer_bytes(p, 4096), 0);
  assert_true(wasisock_policy_get_max_buffer_bytes(p) == 4096);

  /* NULL policy */
  assert_int_equal(wasisock_policy_set_default(NULL, WASISOCK_POLICY_DENY),
                   WASISOCK_EINVAL);
  assert_int_equal(wasisock_policy_get_default(NULL), WASISOCK_POLICY_DENY);
  assert_int_equal(wasisock_policy_set_max_sockets(NULL, 1), WASISOCK_EINVAL);
  assert_int_equal(wasisock_policy_get_max_sockets(NULL),
                   WASISOCK_POLICY_NO_SOCKET_LIMIT);
  assert_int_equal(wasisock_policy_set_max_buffer_bytes(NULL, 1), WASISOCK_EINVAL);
  assert_true(wasisock_policy_get_max_buffer_bytes(NULL) ==
              WASISOCK_POLICY_NO_BUFFER_LIMIT);
  assert_int_equal(wasisock_policy_rule_count(NULL), 0);
  assert_null(wasisock_policy_rule_text(NULL, 0));
  assert_null(wasisock_policy_rule_text(p, 0));
  assert_int_equal(wasisock_policy_add_rule(NULL, "allow connect *", err, sizeof err),
                   WASISOCK_EINVAL);
  assert_string_equal(err, "NULL argument");
  assert_int_equal(wasisock_policy_add_rule(p, NULL, err, sizeof err),
                   WASISOCK_EINVAL);
  wasisock_policy_free(NULL);

  /* err is optional, and cut to errlen */
  assert_int_equal(wasisock_policy_add_rule(p, "allow frob *", NULL, 0),
                   WASISOCK_EINVAL);
  assert_int_equal(wasisock_policy_add_rule(p, "allow frob *", small, 0),
                   WASISOCK_EINVAL);
  assert_int_equal(wasisock_policy_add_rule(p, "allow frob *", small, sizeof small),
                   WASISOCK_EINVAL);
  assert_string_equal(small, "unknown ope");
  assert_int_equal(wasisock_policy_add_rule(p, "allow connect *", small, 1), 0);
  assert_string_equal(small, "");

  /* rule texts stay put while rules are added */
  {
    const char *first = wasisock_policy_rule_text(p, 0);
    int i;
    for (i = 0; i < 100; i++)
      assert_int_equal(wasisock_policy_add_rule(p, "deny connect 10.0.0.0/8",
                                                err, sizeof err),
                       0);
    assert_ptr_equal(wasisock_policy_rule_text(p, 0), first);
    assert_string_equal(first, "allow connect *");
    assert_int_equal(wasisock_policy_rule_count(p), 101);
    assert_null(wasisock_policy_rule_text(p, 101));
  }
  wasisock_policy_free(p);
}

/* Oversized tokens are quoted in part, and a line can be long. */
static void test_long_input(void **state) {
  wasisock_policy_t *p;
  char err[256];
  static char line[100000];
  (void)state;
  assert_int_equal(wasisock_policy_new(&p), 0);
  memcpy(line, "allow connect ", 14);
  memset(line + 14, 'a', sizeof line - 15);
  line[sizeof line - 1] = '\0';
  assert_int_equal(wasisock_policy_add_rule(p, line, err, sizeof err),
                   WASISOCK_EINVAL);
  assert_string_equal(err, "bad host name \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                           "aaaaaaaaaaaaaaaaaaaaaaaaaaa...\"");
  /* 253 bytes is the longest name, 63 the longest label */
  {
    char name[300];
    char rule[400];
    size_t n = 0;
    while (n + 64 <= 253) {
      memset(name + n, 'b', 63);
      name[n + 63] = '.';
      n += 64;
    }
    memset(name + n, 'c', 253 - n);
    name[253] = '\0';
    snprintf(rule, sizeof rule, "allow connect %s", name);
    assert_int_equal(wasisock_policy_add_rule(p, rule, err, sizeof err), 0);
    snprintf(rule, sizeof rule, "allow connect %s.", name);
    assert_int_equal(wasisock_policy_add_rule(p, rule, err, sizeof err), 0);
    snprintf(rule, sizeof rule, "allow connect %sc", name);
    assert_int_equal(wasisock_policy_add_rule(p, rule, err, sizeof err),
                     WASISOCK_EINVAL);
  }
  wasisock_policy_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_accepted_rules),
      cmocka_unit_test(test_rejected_rules),
      cmocka_unit_test(test_directives),
      cmocka_unit_test(test_setters_and_nulls),
      cmocka_unit_test(test_long_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
