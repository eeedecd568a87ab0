/*
 * fake-resolver.h — canned getaddrinfo answers for the resolver tests
 * (test-resolve-fake.c, test-policy-enforce-resolve.c): answers a loopback
 * machine cannot give.
 *
 * A test defines getaddrinfo() itself, exported from its executable so
 * that libuv's calls bind to it (ENABLE_EXPORTS, CMakeLists.txt): it
 * answers the names it fakes with a list made here and passes every other
 * name to libc's (fake_real_getaddrinfo).  freeaddrinfo() is defined here:
 * it frees a fake answer and hands libc's own back to libc.
 */
#ifndef WASISOCK_TEST_FAKE_RESOLVER_H
#define WASISOCK_TEST_FAKE_RESOLVER_H

#include <netdb.h>

typedef struct fake_answer fake_answer_t;

/* An empty answer, or NULL when out of memory (then: EAI_MEMORY). */
fake_answer_t *fake_answer_new(void);
/* Appends an address: AF_INET or AF_INET6 from text (IPv6 ones with port
 * 9999, which the host must replace by the port asked for), or AF_UNIX
 * (text NULL), which the host must skip. */
void fake_answer_add(fake_answer_t *l, int family, const char *text);
/* *res = the answer, outstanding until freeaddrinfo; returns 0. */
int fake_answer_give(fake_answer_t *l, struct addrinfo **res);
/* 1 while an answer given has not been freed. */
int fake_answer_outstanding(void);
/* libc's getaddrinfo. */
int fake_real_getaddrinfo(const char *node, const char *service,
                          const struct addrinfo *hints, struct addrinfo **res);

#endif /* WASISOCK_TEST_FAKE_RESOLVER_H */
