/*
 * test-policy-file.c — policy files and texts: comments, blank lines, CRLF,
 * a byte order mark, directives, rule line numbers, errors that name their
 * line, all-or-nothing loading, unreadable files and size limits.
 *
 * Usage: test-policy-file DIR — DIR is a scratch directory for the files
 * written here (ctest passes one in the build tree).
 */
#include "policy-test.h"

#include <stdlib.h>

#include "policy_internal.h"

static const char *scratch = ".";

/* Writes len bytes of text to DIR/name; the path goes to path[256]. */
static void write_file(const char *name, const char *text, size_t len,
                       char *path) {
  FILE *f;
  snprintf(path, 256, "%s/%s", scratch, name);
  f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

#define WRITE(name, text, path) write_file(name, text, sizeof text - 1, path)

static void test_comments_and_directives(void **state) {
  static const char text[] =
      "\xEF\xBB\xBF# wasisock policy for the test server\r\n"
      "\r\n"
      "default deny          # everything else\r\n"
      "max-sockets 8\r\n"
      "max-buffer 64k\r\n"
      "\t \r\n"
      "allow connect 127.0.0.1:8080   # the server\r\n"
      "   # an indented comment\n"
      "allow resolve *.example.com#no space before the comment\n"
      "deny connect 10.0.0.0/8";
  wasisock_policy_t *p;
  wasisock_policy_request_t req;
  wasisock_policy_verdict_t v;
  wasisock_addr_t a;
  char path[256], err[512];
  (void)state;

  WRITE("comments.policy", text, path);
  assert_int_equal(wasisock_policy_new(&p), 0);
  assert_int_equal(wasisock_policy_load_file(p, path, err, sizeof err), 0);
  assert_string_equal(err, "");
  assert_int_equal(wasisock_policy_get_default(p), WASISOCK_POLICY_DENY);
  assert_int_equal(wasisock_policy_get_max_sockets(p), 8);
  assert_true(wasisock_policy_get_max_buffer_bytes(p) == 65536);
  assert_int_equal(wasisock_policy_rule_count(p), 3);
  assert_string_equal(wasisock_policy_rule_text(p, 0),
                      "allow connect 127.0.0.1:8080");
  assert_string_equal(wasisock_policy_rule_text(p, 1),
                      "allow resolve *.example.com");
  assert_string_equal(wasisock_policy_rule_text(p, 2), "deny connect 10.0.0.0/8");

  addr_from("10.1.1.1", 80, &a);
  req.op = WASISOCK_POLICY_CONNECT;
  req.name = NULL;
  req.addr = &a;
  assert_int_equal(wasisock_policy_check(p, &req, &v), 0);
  assert_int_equal(v.action, WASISOCK_POLICY_DENY);
  assert_int_equal(v.rule_index, 2);
  assert_int_equal(v.line, 10);
  addr_from("127.0.0.1", 8080, &a);
  assert_int_equal(wasisock_policy_check(p, &req, &v), 0);
  assert_int_equal(v.action, WASISOCK_POLICY_ALLOW);
  assert_int_equal(v.line, 7);
  req.op = WASISOCK_POLICY_RESOLVE;
  req.name = "www.example.com";
  assert_int_equal(wasisock_policy_check(p, &req, &v), 0);
  assert_int_equal(v.action, WASISOCK_POLICY_ALLOW);
  assert_int_equal(v.line, 9);
  wasisock_policy_free(p);
}

typedef struct bad_file {
  const char *text;
  const char *message; /* after "PATH:" */
} bad_file_t;

static void test_errors_name_the_line(void **state) {
  static const bad_file_t cases[] = {
      {"allow connect example.com:70000\n",
       "1: port \"70000\" out of range (0-65535)"},
      {"# ok\nallow connect *:443\n\nallow connect 10.0.0.0/33\n",
       "4: bad CIDR prefix \"/33\" (IPv4 allows 0-32)"},
      {"default deny\r\nmax-sockets 4\r\nmax-buffer 0\r\n",
       "3: max-buffer must be at least 1 byte"},
      {"allow connect *\nallow frob *   # typo\nallow connect *\n",
       "2: unknown operation \"frob\" (expected connect, bind, resolve or any)"},
      {"\n\n\n\n\n\n\n\n\nallow connect *:10-5", "10: port range \"10-5\" is reversed"},
      {"allow connect *\n\xEF\xBB\xBF" "deny connect *\n",
       "2: unknown action \"\xEF\xBB\xBF" "deny\" (expected allow, deny, default, "
       "max-sockets or max-buffer)"},
      {"allow connect *\nallow connect\n", "2: missing target after \"connect\" "
                                           "(expected TARGET[:PORTS])"},
      {"max-sockets 3 # three\nmax-sockets 3 4\n",
       "2: unexpected \"4\" after \"3\""},
  };
  size_t i;
  (void)state;
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    wasisock_policy_t *p;
    char path[256], want[512], err[512];
    char name[32];
    snprintf(name, sizeof name, "bad-%zu.policy", i);
    write_file(name, cases[i].text, strlen(cases[i].text), path);
    assert_int_equal(wasisock_policy_new(&p), 0);
    assert_int_equal(wasisock_policy_add_rule(p, "deny bind *", err, sizeof err),
                     0);
    assert_int_equal(wasisock_policy_load_file(p, path, err, sizeof err),
                     WASISOCK_EINVAL);
    snprintf(want, sizeof want, "%s:%s", path, cases[i].message);
    if (strcmp(err, want) != 0)
      fail_msg("case %zu:\n  got  %s\n  want %s", i, err, want);
    /* all or nothing: not even the lines before the error took effect */
    assert_int_equal(wasisock_policy_rule_count(p), 1);
    assert_int_equal(wasisock_policy_get_default(p), WASISOCK_POLICY_ALLOW);
    assert_int_equal(wasisock_policy_get_max_sockets(p),
                     WASISOCK_POLICY_NO_SOCKET_LIMIT);
    assert_true(wasisock_policy_get_max_buffer_bytes(p) ==
                WASISOCK_POLICY_NO_BUFFER_LIMIT);
    wasisock_policy_free(p);
  }
}

static void test_unreadable(void **state) {
  wasisock_policy_t *p;
  char path[256], want[512], err[512];
  (void)state;
  assert_int_equal(wasisock_policy_new(&p), 0);

  snprintf(path, sizeof path, "%s/does-not-exist.policy", scratch);
  assert_int_equal(wasisock_policy_load_file(p, path, err, sizeof err),
                   WASISOCK_ENOENT);
  snprintf(want, sizeof want, "%s: No such file or directory", path);
  assert_string_equal(err, want);
#if defined(__linux__)
  assert_int_equal(wasisock_policy_load_file(p, scratch, err, sizeof err),
                   WASISOCK_EISDIR);
  snprintf(want, sizeof want, "%s: Is a directory", scratch);
  assert_string_equal(err, want);
#endif
  assert_int_equal(wasisock_policy_load_file(NULL, path, err, sizeof err),
                   WASISOCK_EINVAL);
  assert_int_equal(wasisock_policy_load_file(p, NULL, err, sizeof err),
                   WASISOCK_EINVAL);
  assert_string_equal(err, "NULL argument");
  assert_int_equal(wasisock_policy_load_file(p, path, NULL, 0), WASISOCK_ENOENT);
  assert_int_equal(wasisock_policy_rule_count(p), 0);
  wasisock_policy_free(p);
}

static void test_empty_and_appending(void **state) {
  wasisock_policy_t *p;
  char path[256], err[256];
  (void)state;
  assert_int_equal(wasisock_policy_new(&p), 0);

  write_file("empty.policy", "", 0, path);
  assert_int_equal(wasisock_policy_load_file(p, path, err, sizeof err), 0);
  WRITE("only-comments.policy", "# nothing\n\n   # at all\n", path);
  assert_int_equal(wasisock_policy_load_file(p, path, err, sizeof err), 0);
  assert_int_equal(wasisock_policy_rule_count(p), 0);
  assert_int_equal(wasisock_policy_get_default(p), WASISOCK_POLICY_ALLOW);

  /* loads append after what is there; later directives win */
  assert_int_equal(wasisock_policy_add_rule(p, "deny connect 10.0.0.0/8", err,
                                            sizeof err),
                   0);
  WRITE("one.policy", "default deny\nallow connect *:443\n", path);
  assert_int_equal(wasisock_policy_load_file(p, path, err, sizeof err), 0);
  WRITE("two.policy", "\ndefault allow\ndeny resolve *\nmax-sockets 2\n", path);
  assert_int_equal(wasisock_policy_load_file(p, path, err, sizeof err), 0);
  assert_int_equal(wasisock_policy_rule_count(p), 3);
  assert_string_equal(wasisock_policy_rule_text(p, 0), "deny connect 10.0.0.0/8");
  assert_string_equal(wasisock_policy_rule_text(p, 1), "allow connect *:443");
  assert_string_equal(wasisock_policy_rule_text(p, 2), "deny resolve *");
  assert_int_equal(wasisock_policy_get_default(p), WASISOCK_POLICY_ALLOW);
  assert_int_equal(wasisock_policy_get_max_sockets(p), 2);
  wasisock_policy_free(p);
}

static void test_load_text(void **state) {
  static const char text[] = "allow connect *:80\ndeny connect *\nGARBAGE";
  wasisock_policy_t *p;
  char err[256];
  (void)state;
  assert_int_equal(wasisock_policy_new(&p), 0);

  /* only len bytes count: the garbage after them is never read */
  assert_int_equal(wasisock_policy_load_text(p, text, 33, "flags", err, sizeof err),
                   0);
  assert_int_equal(wasisock_policy_rule_count(p), 2);
  assert_int_equal(wasisock_policy_load_text(p, text, sizeof text - 1, "flags",
                                             err, sizeof err),
                   WASISOCK_EINVAL);
  assert_string_equal(err, "flags:3: unknown action \"GARBAGE\" (expected "
                           "allow, deny, default, max-sockets or max-buffer)");
  assert_int_equal(wasisock_policy_load_text(p, "\nallow connect *\n\nbad", 21,
                                             NULL, err, sizeof err),
                   WASISOCK_EINVAL);
  assert_string_equal(err, "<text>:4: unknown action \"bad\" (expected allow, "
                           "deny, default, max-sockets or max-buffer)");
  assert_int_equal(wasisock_policy_load_text(p, "deny connect *\n\0x\n", 18,
                                             NULL, err, sizeof err),
                   WASISOCK_EINVAL);
  assert_string_equal(err, "<text>:2: NUL byte");
  assert_int_equal(wasisock_policy_load_text(p, NULL, 0, NULL, err, sizeof err),
                   0);
  assert_int_equal(wasisock_policy_load_text(p, NULL, 1, NULL, err, sizeof err),
                   WASISOCK_EINVAL);
  assert_int_equal(wasisock_policy_load_text(NULL, "", 0, NULL, err, sizeof err),
                   WASISOCK_EINVAL);
  /* a long message is cut to errlen */
  {
    char small[16];
    assert_int_equal(wasisock_policy_load_text(p, "bad", 3, "source", small,
                                               sizeof small),
                     WASISOCK_EINVAL);
    assert_string_equal(small, "source:1: unkno");
  }
  assert_int_equal(wasisock_policy_rule_count(p), 2);
  wasisock_policy_free(p);
}

static void test_many_rules(void **state) {
  wasisock_policy_t *p;
  char path[256], err[256], *text;
  size_t len = 0, i, n = 5000;
  wasisock_policy_request_t req;
  wasisock_policy_verdict_t v;
  wasisock_addr_t a;
  (void)state;

  text = malloc(n * 40);
  assert_non_null(text);
  for (i = 0; i < n; i++)
    len += (size_t)sprintf(text + len, "deny connect 10.%zu.%zu.0/24\n",
                           i / 256, i % 256);
  write_file("many.policy", text, len, path);
  free(text);
  assert_int_equal(wasisock_policy_new(&p), 0);
  assert_int_equal(wasisock_policy_load_file(p, path, err, sizeof err), 0);
  assert_int_equal(wasisock_policy_rule_count(p), n);
  addr_from("10.19.135.7", 1, &a); /* rule 19 * 256 + 135 = 4999 */
  req.op = WASISOCK_POLICY_CONNECT;
  req.name = NULL;
  req.addr = &a;
  assert_int_equal(wasisock_policy_check(p, &req, &v), 0);
  assert_int_equal(v.rule_index, 4999);
  assert_int_equal(v.line, 5000);
  assert_string_equal(v.rule_text, "deny connect 10.19.135.0/24");
  wasisock_policy_free(p);
}

static void test_limits(void **state) {
  wasisock_policy_t *p;
  char path[256], want[512], err[512];
  FILE *f;
  (void)state;
  assert_int_equal(wasisock_policy_new(&p), 0);

  /* one byte over the size limit */
  snprintf(path, sizeof path, "%s/huge.policy", scratch);
  f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fseek(f, (long)WASISOCK_POLICY_MAX_TEXT, SEEK_SET), 0);
  assert_int_equal(fputc('\n', f), '\n');
  assert_int_equal(fclose(f), 0);
  assert_int_equal(wasisock_policy_load_file(p, path, err, sizeof err),
                   WASISOCK_EFBIG);
  snprintf(want, sizeof want, "%s: larger than %u bytes", path,
           (unsigned)WASISOCK_POLICY_MAX_TEXT);
  assert_string_equal(err, want);
  remove(path);

  /* the rule limit (white box: pretend the policy is full) */
  p->nrules = WASISOCK_POLICY_MAX_RULES;
  assert_int_equal(wasisock_policy_load_text(p, "\nallow connect *\n", 17, "t",
                                             err, sizeof err),
                   WASISOCK_E2BIG);
  assert_string_equal(err, "t:2: too many rules");
  assert_int_equal(wasisock_policy_add_rule(p, "allow connect *", err, sizeof err),
                   WASISOCK_E2BIG);
  assert_string_equal(err, "too many rules");
  assert_int_equal(wasisock_policy_add_rule(p, "default deny", err, sizeof err),
                   0);
  p->nrules = 0;
  wasisock_policy_free(p);
}

int main(int argc, char **argv) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_comments_and_directives),
      cmocka_unit_test(test_errors_name_the_line),
      cmocka_unit_test(test_unreadable),
      cmocka_unit_test(test_empty_and_appending),
      cmocka_unit_test(test_load_text),
      cmocka_unit_test(test_many_rules),
      cmocka_unit_test(test_limits),
  };
  if (argc > 1)
    scratch = argv[1];
  return cmocka_run_group_tests(tests, NULL, NULL);
}
