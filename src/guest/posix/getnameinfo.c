/*
 * getnameinfo.c — getnameinfo().
 *
 * Hosts come back by name when the guest's /etc/hosts has one (hosts.c:
 * the ABI has no reverse DNS), else as numeric text — or EAI_NONAME with
 * NI_NAMEREQD.  Services by name from /etc/services or the built-in table,
 * unless NI_NUMERICSERV.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "netdb_internal.h"

#define WASISOCK__NI_FLAGS                                                     \
  (NI_NUMERICHOST | NI_NUMERICSERV | NI_NOFQDN | NI_NAMEREQD | NI_DGRAM |      \
   NI_NUMERICSCOPE)

/* Copies text into out[0..len), or EAI_OVERFLOW. */
static int wasisock__ni_copy(char *out, socklen_t len, const char *text) {
  size_t n = strlen(text);
  if (n >= len)
    return EAI_OVERFLOW;
  if (!wasisock__mem_ok(out, n + 1)) {
    errno = EFAULT;
    return EAI_SYSTEM;
  }
  memcpy(out, text, n + 1);
  return 0;
}

int getnameinfo(const struct sockaddr *__restrict sa, socklen_t salen,
                char *__restrict host, socklen_t hostlen,
                char *__restrict serv, socklen_t servlen, int flags) {
  char text[INET6_ADDRSTRLEN + 16];
  wasisock__etc_line_t hosts;
  const void *bytes;
  struct sockaddr_in6 sin6;
  struct sockaddr_in sin;
  sa_family_t family;
  const char *name;
  uint16_t port;
  int err;

  if (flags & ~WASISOCK__NI_FLAGS)
    return EAI_BADFLAGS;
  if (salen < sizeof(family))
    return EAI_FAMILY;
  if (!wasisock__mem_ok(sa, salen)) {
    errno = EFAULT;
    return EAI_SYSTEM;
  }
  memcpy(&family, sa, sizeof(family));
  if (family == AF_INET && salen >= sizeof(sin)) {
    memcpy(&sin, sa, sizeof(sin));
    port = ntohs(sin.sin_port);
    bytes = &sin.sin_addr;
    inet_ntop(AF_INET, &sin.sin_addr, text, sizeof(text));
  } else if (family == AF_INET6 &&
             salen >= offsetof(struct sockaddr_in6, sin6_scope_id)) {
    memset(&sin6, 0, sizeof(sin6));
    memcpy(&sin6, sa, salen < sizeof(sin6) ? salen : sizeof(sin6));
    port = ntohs(sin6.sin6_port);
    bytes = &sin6.sin6_addr;
    inet_ntop(AF_INET6, &sin6.sin6_addr, text, sizeof(text));
    /* Scopes are always numeric: no if_indextoname in WASI. */
    if (sin6.sin6_scope_id != 0)
      snprintf(text + strlen(text), sizeof(text) - strlen(text), "%%%u",
               sin6.sin6_scope_id);
  } else {
    return EAI_FAMILY;
  }
  if ((host == NULL || hostlen == 0) && (serv == NULL || servlen == 0))
    return EAI_NONAME;

  if (host != NULL && hostlen > 0) {
    name = text;
    if (!(flags & NI_NUMERICHOST) &&
        wasisock__hosts_name(family, bytes, &hosts) == 0)
      name = hosts.word[1];
    else if (flags & NI_NAMEREQD)
      return EAI_NONAME;
    if ((err = wasisock__ni_copy(host, hostlen, name)) != 0)
      return err;
  }
  if (serv != NULL && servlen > 0) {
    name = flags & NI_NUMERICSERV
               ? NULL
               : wasisock__service_name(port, (flags & NI_DGRAM) != 0);
    if (name == NULL) {
      snprintf(text, sizeof(text), "%u", (unsigned)port);
      name = text;
    }
    if ((err = wasisock__ni_copy(serv, servlen, name)) != 0)
      return err;
  }
  return 0;
}
