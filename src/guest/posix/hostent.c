/*
 * hostent.c — gethostbyname(), gethostbyname2(), gethostbyaddr(), h_errno,
 * herror() and hstrerror(): the pre-getaddrinfo interfaces, over
 * getaddrinfo, with one static result as everywhere.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "netdb_internal.h"

#define WASISOCK__HOST_MAX 16

static int wasisock__h_errno;

int *__h_errno_location(void) { return &wasisock__h_errno; }

const char *hstrerror(int code) {
  switch (code) {
  case 0:
    return "Resolver Error 0 (no error)";
  case HOST_NOT_FOUND:
    return "Unknown host";
  case TRY_AGAIN:
    return "Host name lookup failure";
  case NO_RECOVERY:
    return "Unknown server error";
  case NO_DATA:
    return "No address associated with name";
  default:
    return "Unknown resolver error";
  }
}

void herror(const char *prefix) {
  if (prefix != NULL && prefix[0] != '\0')
    fprintf(stderr, "%s: %s\n", prefix, hstrerror(wasisock__h_errno));
  else
    fprintf(stderr, "%s\n", hstrerror(wasisock__h_errno));
}

#define WASISOCK__HOST_ALIASES 4

/* The one result, with room for WASISOCK__HOST_MAX addresses. */
static struct {
  struct hostent he;
  char name[NI_MAXHOST + 1];
  char alias_text[WASISOCK__HOST_ALIASES][NI_MAXHOST + 1];
  char *aliases[WASISOCK__HOST_ALIASES + 1];
  char *addr_list[WASISOCK__HOST_MAX + 1];
  unsigned char addrs[WASISOCK__HOST_MAX][16];
} wasisock__host;

static struct hostent *wasisock__hostent(const char *name, int af,
                                         const struct addrinfo *ai) {
  size_t len = af == AF_INET6 ? 16 : 4, n = 0;

  memset(&wasisock__host, 0, sizeof(wasisock__host));
  strncpy(wasisock__host.name, name, NI_MAXHOST);
  for (; ai != NULL && n < WASISOCK__HOST_MAX; ai = ai->ai_next) {
    const void *src = af == AF_INET6
                          ? (const void *)&((struct sockaddr_in6 *)ai->ai_addr)
                                ->sin6_addr
                          : (const void *)&((struct sockaddr_in *)ai->ai_addr)
                                ->sin_addr;
    memcpy(wasisock__host.addrs[n], src, len);
    wasisock__host.addr_list[n] = (char *)wasisock__host.addrs[n];
    n++;
  }
  wasisock__host.he.h_name = wasisock__host.name;
  wasisock__host.he.h_aliases = wasisock__host.aliases;
  wasisock__host.he.h_addrtype = af;
  wasisock__host.he.h_length = (int)len;
  wasisock__host.he.h_addr_list = wasisock__host.addr_list;
  return &wasisock__host.he;
}

struct hostent *gethostbyname2(const char *name, int af) {
  struct addrinfo hints, *res = NULL;
  struct hostent *he;
  int err;

  if (af != AF_INET && af != AF_INET6) {
    wasisock__h_errno = NO_RECOVERY;
    errno = EAFNOSUPPORT;
    return NULL;
  }
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = af;
  hints.ai_socktype = SOCK_STREAM; /* one entry per address */
  hints.ai_flags = AI_CANONNAME;
  if (name == NULL || (err = getaddrinfo(name, NULL, &hints, &res)) != 0) {
    wasisock__h_errno = name == NULL || err == EAI_NONAME ? HOST_NOT_FOUND
                        : err == EAI_AGAIN                ? TRY_AGAIN
                                                          : NO_RECOVERY;
    return NULL;
  }
  he = wasisock__hostent(res->ai_canonname ? res->ai_canonname : name, af,
                         res);
  freeaddrinfo(res);
  return he;
}

struct hostent *gethostbyname(const char *name) {
  return gethostbyname2(name, AF_INET);
}

struct hostent *gethostbyaddr(const void *addr, socklen_t len, int af) {
  wasisock__etc_line_t l;
  struct addrinfo ai;
  struct sockaddr_storage ss;
  int i;

  /* /etc/hosts (hosts.c): the ABI has no reverse DNS. */
  if ((af != AF_INET || len != 4) && (af != AF_INET6 || len != 16)) {
    wasisock__h_errno = NO_RECOVERY;
    errno = EAFNOSUPPORT;
    return NULL;
  }
  if (!wasisock__mem_ok(addr, len)) {
    wasisock__h_errno = NO_RECOVERY;
    errno = EFAULT;
    return NULL;
  }
  if (wasisock__hosts_name(af, addr, &l) < 0) {
    wasisock__h_errno = HOST_NOT_FOUND;
    return NULL;
  }
  /* The one address asked about, as a one-entry addrinfo list. */
  memset(&ai, 0, sizeof(ai));
  memset(&ss, 0, sizeof(ss));
  ai.ai_addr = (struct sockaddr *)&ss;
  if (af == AF_INET)
    memcpy(&((struct sockaddr_in *)&ss)->sin_addr, addr, 4);
  else
    memcpy(&((struct sockaddr_in6 *)&ss)->sin6_addr, addr, 16);
  wasisock__hostent(l.word[1], af, &ai);
  for (i = 2; i < l.nwords && i - 2 < WASISOCK__HOST_ALIASES; i++) {
    strncpy(wasisock__host.alias_text[i - 2], l.word[i], NI_MAXHOST);
    wasisock__host.aliases[i - 2] = wasisock__host.alias_text[i - 2];
  }
  return &wasisock__host.he;
}
