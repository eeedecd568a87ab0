/*
 * policy-helpers.h — shared by the test-policy-enforce-* tests: policies
 * from rule lines, instances with a denial recorder, and raw loopback
 * listeners whose accept queue shows whether a connect reached them.
 *
 * Header-only (static inline: a test uses what it needs).  Include after
 * helpers.h.
 */
#ifndef WASISOCK_TEST_POLICY_HELPERS_H
#define WASISOCK_TEST_POLICY_HELPERS_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "wasisock_policy.h"

/* A policy made of the lines (rules or directives) up to NULL; each must
 * parse. */
static inline wasisock_policy_t *tp_policy(const char *const *lines) {
  wasisock_policy_t *p = NULL;
  char err[256];

  assert_int_equal(wasisock_policy_new(&p), WASISOCK_OK);
  for (; *lines != NULL; lines++) {
    int32_t r = wasisock_policy_add_rule(p, *lines, err, sizeof(err));
    if (r != WASISOCK_OK)
      fail_msg("rule \"%s\": %s", *lines, err);
  }
  return p;
}

/* Everything the denial callbacks were told, copied (the denial is valid
 * during the call only). */
#define TP_MAX_DENIALS 16
typedef struct tp_denial {
  wasisock_policy_op_t op;
  int has_name;
  char name[256];
  int has_addr;
  wasisock_addr_t addr;
  uint32_t port;
  int32_t rule_index;
  uint32_t line;
  char rule_text[256];
  char formatted[512];
  char who; /* which callback: 'c' config, 'p' the policy's own */
} tp_denial_t;

typedef struct tp_recorder {
  int count; /* may exceed TP_MAX_DENIALS; only the first ones are kept */
  tp_denial_t d[TP_MAX_DENIALS];
  char who;
} tp_recorder_t;

static inline void tp_record(void *data, const wasisock_policy_denial_t *d) {
  tp_recorder_t *rec = data;
  tp_denial_t *r;

  if (rec->count++ >= TP_MAX_DENIALS)
    return;
  r = &rec->d[rec->count - 1];
  memset(r, 0, sizeof(*r));
  r->op = d->op;
  if (d->name != NULL) {
    r->has_name = 1;
    snprintf(r->name, sizeof(r->name), "%s", d->name);
  }
  if (d->addr != NULL) {
    r->has_addr = 1;
    r->addr = *d->addr;
  }
  r->port = d->port;
  r->rule_index = d->rule_index;
  r->line = d->line;
  snprintf(r->rule_text, sizeof(r->rule_text), "%s",
           d->rule_text ? d->rule_text : "(null)");
  wasisock_policy_denial_format(d, r->formatted, sizeof(r->formatted));
  r->who = rec->who;
}

/* An instance with policy p (may be NULL), denials recorded in rec (may be
 * NULL), and max_sockets (0: the default). */
static inline wasisock_t *tp_new(const wasisock_policy_t *p,
                                 tp_recorder_t *rec, uint32_t max_sockets) {
  wasisock_config_t cfg;
  wasisock_t *h = NULL;

  wasisock_config_init(&cfg);
  if (max_sockets != 0)
    cfg.max_sockets = max_sockets;
  cfg.policy = p;
  if (rec != NULL) {
    rec->who = 'c';
    cfg.on_denial = tp_record;
    cfg.on_denial_data = rec;
  }
  assert_int_equal(wasisock_new(&cfg, &h), WASISOCK_OK);
  assert_non_null(h);
  return h;
}

/* A non-blocking TCP listener on the family's loopback address, port chosen
 * by the kernel. */
static inline int tp_listener(int family, uint16_t *port) {
  int fd = th_native_bound(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                           port);

  assert_int_equal(listen(fd, 8), 0);
  return fd;
}

/* How many connections wait in the listener's accept queue, after waiting
 * up to wait_ms for the first (accepting and closing them). */
static inline int tp_accept_all(int listener, int wait_ms) {
  struct pollfd pfd;
  int n = 0, c;

  pfd.fd = listener;
  pfd.events = POLLIN;
  pfd.revents = 0;
  (void)poll(&pfd, 1, wait_ms);
  while ((c = accept(listener, NULL, NULL)) >= 0) {
    close(c);
    n++;
  }
  assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
  return n;
}

/* sock_connect to addr, the record written at TH_ADDR. */
static inline int32_t tp_connect(wasisock_t *h, th_arena_t *a, uint32_t handle,
                                 const wasisock_addr_t *addr) {
  wasisock_addr_write(th_at(a, TH_ADDR), addr);
  return wasisock_sock_connect(h, &a->mem, handle, TH_ADDR);
}

/* An address record from text ("127.0.0.1", "::ffff:127.0.0.1") and port. */
static inline wasisock_addr_t tp_addr(const char *text, uint16_t port) {
  wasisock_addr_t a;

  memset(&a, 0, sizeof(a));
  a.port = port;
  if (inet_pton(AF_INET, text, a.bytes) == 1) {
    a.family = WASISOCK_AF_INET;
  } else {
    assert_int_equal(inet_pton(AF_INET6, text, a.bytes), 1);
    a.family = WASISOCK_AF_INET6;
  }
  return a;
}

#endif /* WASISOCK_TEST_POLICY_HELPERS_H */
