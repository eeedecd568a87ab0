/*
 * netutil.c — helpers of the examples (netutil.h).
 */
#define _POSIX_C_SOURCE 200809L /* getaddrinfo & co. in strict C11 */
#include "netutil.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int net_connect(const char *host, const char *port, int socktype, char *err,
                size_t errlen) {
  struct addrinfo hints, *res, *ai;
  int fd = -1, rc, last = 0;

  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = socktype;
  if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
    snprintf(err, errlen, "%s",
             rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
    return -1;
  }
  for (ai = res; ai != NULL; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) {
      last = errno;
      continue;
    }
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
      break;
    last = errno;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0)
    snprintf(err, errlen, "%s", strerror(last));
  return fd;
}

const char *net_addr_text(const struct sockaddr *sa, socklen_t len, char *buf,
                          size_t buflen) {
  /* NI_MAXHOST is not POSIX: an address (with a %scope) fits this. */
  char host[INET6_ADDRSTRLEN + 16], port[8];

  if (getnameinfo(sa, len, host, sizeof(host), port, sizeof(port),
                  NI_NUMERICHOST | NI_NUMERICSERV) != 0)
    return "?";
  snprintf(buf, buflen, sa->sa_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host,
           port);
  return buf;
}

int net_send_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = send(fd, p, len, MSG_NOSIGNAL); /* EPIPE, not SIGPIPE */
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}
