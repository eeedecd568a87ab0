/* fake-resolver.c — canned getaddrinfo answers (fake-resolver.h). */
#define _GNU_SOURCE
#include "fake-resolver.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "helpers.h"

#define FAKE_MAX 16

struct fake_answer {
  struct addrinfo ai[FAKE_MAX];
  struct sockaddr_storage sa[FAKE_MAX];
  int n;
};

typedef int (*gai_fn)(const char *, const char *, const struct addrinfo *,
                      struct addrinfo **);
typedef void (*fai_fn)(struct addrinfo *);

static fake_answer_t *live; /* the one answer given out, if any */

fake_answer_t *fake_answer_new(void) {
  return calloc(1, sizeof(fake_answer_t));
}

void fake_answer_add(fake_answer_t *l, int family, const char *text) {
  struct addrinfo *ai;

  TH_CHECK(l->n < FAKE_MAX);
  ai = &l->ai[l->n];
  ai->ai_family = family;
  ai->ai_socktype = SOCK_STREAM;
  ai->ai_addr = (struct sockaddr *)&l->sa[l->n];
  if (family == AF_INET) {
    struct sockaddr_in *sin = (struct sockaddr_in *)&l->sa[l->n];
    sin->sin_family = AF_INET;
    TH_CHECK(inet_pton(AF_INET, text, &sin->sin_addr) == 1);
    ai->ai_addrlen = sizeof(*sin);
  } else if (family == AF_INET6) {
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&l->sa[l->n];
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(9999);
    TH_CHECK(inet_pton(AF_INET6, text, &sin6->sin6_addr) == 1);
    ai->ai_addrlen = sizeof(*sin6);
  } else {
    struct sockaddr_un *sun = (struct sockaddr_un *)&l->sa[l->n];
    sun->sun_family = AF_UNIX;
    ai->ai_addrlen = sizeof(*sun);
  }
  if (l->n > 0)
    l->ai[l->n - 1].ai_next = ai;
  l->n++;
}

int fake_answer_give(fake_answer_t *l, struct addrinfo **res) {
  live = l;
  *res = &l->ai[0];
  return 0;
}

int fake_answer_outstanding(void) {
  return live != NULL;
}

int fake_real_getaddrinfo(const char *node, const char *service,
                          const struct addrinfo *hints,
                          struct addrinfo **res) {
  gai_fn real = (gai_fn)dlsym(RTLD_NEXT, "getaddrinfo");
  return real(node, service, hints, res);
}

void freeaddrinfo(struct addrinfo *ai) {
  if (live != NULL && ai == &live->ai[0]) {
    free(live);
    live = NULL;
    return;
  }
  ((fai_fn)dlsym(RTLD_NEXT, "freeaddrinfo"))(ai);
}
