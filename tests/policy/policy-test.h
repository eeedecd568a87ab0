/*
 * policy-test.h — helpers shared by the policy tests: building requests from
 * text with the system's inet_pton (independent of the parser under test),
 * and building a policy from a text with one rule or directive per line.
 */
#ifndef WASISOCK_POLICY_TEST_H
#define WASISOCK_POLICY_TEST_H

#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "wasisock_policy.h"

/* "10.0.0.1" or "2001:db8::1" with a port into *a; fails the test on bad
 * text. */
static inline void addr_from(const char *text, uint16_t port,
                             wasisock_addr_t *a) {
  memset(a, 0, sizeof *a);
  a->port = port;
  if (inet_pton(AF_INET, text, a->bytes) == 1) {
    a->family = WASISOCK_AF_INET;
    return;
  }
  if (inet_pton(AF_INET6, text, a->bytes) == 1) {
    a->family = WASISOCK_AF_INET6;
    return;
  }
  fail_msg("test bug: bad address \"%s\"", text);
}

/* A new policy loaded from text (rules and directives, '\n'-separated). */
static inline wasisock_policy_t *policy_from(const char *text) {
  wasisock_policy_t *p = NULL;
  char err[256];
  int32_t e;
  assert_int_equal(wasisock_policy_new(&p), 0);
  e = wasisock_policy_load_text(p, text, strlen(text), "test", err, sizeof err);
  if (e != 0)
    fail_msg("test bug: policy \"%s\" does not load: %s", text, err);
  return p;
}

#endif /* WASISOCK_POLICY_TEST_H */
