/*
 * fuzz-policy-parse.c — libFuzzer harness for the policy language and the
 * matcher.  Not part of ctest; build and run by hand:
 *
 *   clang-19 -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -fno-sanitize-recover=all -Iinclude -Isrc/host \
 *     tests/policy/fuzz-policy-parse.c src/host/policy*.c src/host/errno_map.c \
 *     -o /tmp/fuzz-policy
 *   mkdir -p /tmp/fuzz-corpus && /tmp/fuzz-policy -max_total_time=120 \
 *     -max_len=512 /tmp/fuzz-corpus
 *
 * Each input is used four ways, and beyond "no crash, no leak, no UB" the
 * harness checks invariants and aborts when one breaks:
 *   1. the whole input as a policy text (load_text);
 *   2. each line on its own (add_rule); every accepted rule's canonical text
 *      must parse again into the very same text;
 *   3. requests built from the input (a 19-byte address record, a name, each
 *      op) checked against the policy: verdicts name a real rule or the
 *      default, DENY comes with an error, and the hook points agree with
 *      check;
 *   4. the input as an IPv4/IPv6 literal: parse, format, parse again gives
 *      the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy_internal.h"

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond))                                                               \
      abort();                                                                 \
  } while (0)

static void check_verdict(const wasisock_policy_t *p, int32_t e,
                          const wasisock_policy_verdict_t *v) {
  CHECK(v->rule_text != NULL);
  if (e != 0) {
    CHECK(v->action == WASISOCK_POLICY_DENY);
    return;
  }
  CHECK(v->action == WASISOCK_POLICY_ALLOW || v->action == WASISOCK_POLICY_DENY);
  if (v->rule_index >= 0) {
    CHECK((size_t)v->rule_index < wasisock_policy_rule_count(p));
    CHECK(strcmp(v->rule_text,
                 wasisock_policy_rule_text(p, (size_t)v->rule_index)) == 0);
    CHECK(v->action == (strncmp(v->rule_text, "allow ", 6) == 0
                            ? WASISOCK_POLICY_ALLOW
                            : WASISOCK_POLICY_DENY));
  } else {
    CHECK(v->rule_index == -1);
  }
}

static void count_denial(void *data, const wasisock_policy_denial_t *d) {
  char buf[128];
  size_t need = wasisock_policy_denial_format(d, buf, sizeof buf);
  CHECK(strlen(buf) == (need < sizeof buf ? need : sizeof buf - 1));
  ++*(int *)data;
}

static void roundtrip_rules(const wasisock_policy_t *p, size_t from) {
  size_t i;
  for (i = from; i < wasisock_policy_rule_count(p); i++) {
    const char *text = wasisock_policy_rule_text(p, i);
    wasisock_policy_t *q = NULL;
    char err[128];
    CHECK(wasisock_policy_new(&q) == 0);
    CHECK(wasisock_policy_add_rule(q, text, err, sizeof err) == 0);
    CHECK(strcmp(wasisock_policy_rule_text(q, 0), text) == 0);
    wasisock_policy_free(q);
  }
}

static void check_requests(wasisock_policy_t *p, const uint8_t *data,
                           size_t size) {
  uint8_t rec[WASISOCK_ADDR_SIZE] = {0};
  char name[64];
  size_t n = size < sizeof name - 1 ? size : sizeof name - 1;
  wasisock_addr_t a, list[2];
  wasisock_policy_request_t req;
  wasisock_policy_verdict_t v;
  int32_t e, h;
  int denials = 0;
  uint32_t op;

  memcpy(rec, data + size - (size < sizeof rec ? size : sizeof rec),
         size < sizeof rec ? size : sizeof rec);
  rec[0] = (uint8_t)(rec[0] % 3); /* families 0 (bad), 1, 2 */
  wasisock_addr_read(rec, &a);
  memcpy(name, data, n);
  name[n] = '\0'; /* may be cut short by a NUL inside: fine */

  CHECK(wasisock_policy_set_denial_callback(p, count_denial, &denials) == 0);
  for (op = 1; op <= 4; op <<= 1) {
    req.op = (wasisock_policy_op_t)op;
    req.name = (data[0] & 1) || op == WASISOCK_POLICY_RESOLVE ? name : NULL;
    req.addr = &a;
    e = wasisock_policy_check(p, &req, &v);
    check_verdict(p, e, &v);
    denials = 0;
    h = op == WASISOCK_POLICY_CONNECT ? wasisock__policy_check_connect(p, &a, req.name)
        : op == WASISOCK_POLICY_BIND  ? wasisock__policy_check_bind(p, &a)
                                      : wasisock__policy_check_resolve(p, name, a.port);
    if (e != 0)
      CHECK(h == e && denials == 0);
    else if (v.action == WASISOCK_POLICY_ALLOW)
      CHECK(h == 0 && denials == 0);
    else
      CHECK(h == WASISOCK_EACCES && denials == 1);
  }
  e = wasisock_policy_check_result(p, name, &a, &v);
  check_verdict(p, e, &v);
  CHECK(wasisock_policy_allows_result(p, name, &a) ==
        (e == 0 && v.action == WASISOCK_POLICY_ALLOW));
  list[0] = a;
  list[1] = a;
  denials = 0;
  n = wasisock__policy_filter_results(p, name, list, 2);
  CHECK(n == (e == 0 && v.action == WASISOCK_POLICY_ALLOW ? 2u : 0u));
  CHECK(denials == (e == 0 && v.action == WASISOCK_POLICY_DENY ? 2 : 0));
}

static void roundtrip_literal(const uint8_t *data, size_t size) {
  wasisock__ip_t ip, again;
  char text[WASISOCK__IP_STRLEN];
  size_t n;
  memset(&ip, 0, sizeof ip);
  if (wasisock__ip4_parse((const char *)data, size, ip.bytes))
    ip.family = WASISOCK_AF_INET;
  else if (wasisock__ip6_parse((const char *)data, size, ip.bytes))
    ip.family = WASISOCK_AF_INET6;
  else
    return;
  n = wasisock__ip_format(&ip, text);
  CHECK(n == strlen(text) && n < sizeof text);
  memset(&again, 0, sizeof again);
  again.family = ip.family;
  CHECK(ip.family == WASISOCK_AF_INET ? wasisock__ip4_parse(text, n, again.bytes)
                                      : wasisock__ip6_parse(text, n, again.bytes));
  CHECK(memcmp(ip.bytes, again.bytes, sizeof ip.bytes) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wasisock_policy_t *p = NULL;
  char err[160];
  char *line;
  size_t pos = 0, before;

  if (size == 0)
    return 0;
  CHECK(wasisock_policy_new(&p) == 0);

  /* 1. the whole input as a policy text */
  if (wasisock_policy_load_text(p, (const char *)data, size, "fuzz", err,
                                sizeof err) != 0)
    CHECK(wasisock_policy_rule_count(p) == 0 && strlen(err) > 0);
  roundtrip_rules(p, 0);

  /* 2. each line through add_rule (a NUL ends the C string early) */
  line = malloc(size + 1);
  CHECK(line != NULL);
  while (pos < size) {
    const uint8_t *nl = memchr(data + pos, '\n', size - pos);
    size_t end = nl ? (size_t)(nl - data) : size;
    memcpy(line, data + pos, end - pos);
    line[end - pos] = '\0';
    before = wasisock_policy_rule_count(p);
    if (wasisock_policy_add_rule(p, line, err, sizeof err) == 0)
      roundtrip_rules(p, before);
    else
      CHECK(wasisock_policy_rule_count(p) == before && strlen(err) > 0);
    pos = end + 1;
  }
  free(line);

  /* 3. requests */
  check_requests(p, data, size);
  wasisock_policy_free(p);

  /* 4. literals */
  roundtrip_literal(data, size);
  return 0;
}
