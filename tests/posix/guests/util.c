/*
 * util.c — helpers of the posixtest cases.
 */
#include <arpa/inet.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "posixtest.h"

socklen_t tu_addr(int family, uint16_t port, struct sockaddr_storage *ss) {
  memset(ss, 0, sizeof(*ss));
  if (family == AF_INET) {
    struct sockaddr_in *sin = (struct sockaddr_in *)ss;
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sizeof(*sin);
  } else {
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    sin6->sin6_addr.s6_addr[15] = 1;
    return sizeof(*sin6);
  }
}

uint16_t tu_port(const struct sockaddr_storage *ss) {
  return ss->ss_family == AF_INET
             ? ntohs(((const struct sockaddr_in *)ss)->sin_port)
             : ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

int tu_listener(int family, struct sockaddr_storage *addr, socklen_t *len) {
  socklen_t alen = tu_addr(family, 0, addr);
  int fd;

  CHECK_OK(fd, socket(family, SOCK_STREAM, 0));
  if (bind(fd, (struct sockaddr *)addr, alen) < 0) {
    if (family == AF_INET6 && (errno == EADDRNOTAVAIL || errno == EAFNOSUPPORT)) {
      close(fd);
      return -1;
    }
    CHECK_FAIL("bind: %s", strerror(errno));
  }
  CHECK(listen(fd, 16) == 0);
  *len = sizeof(*addr);
  CHECK(getsockname(fd, (struct sockaddr *)addr, len) == 0);
  CHECK_EQ(*len, alen);
  CHECK(tu_port(addr) != 0);
  return fd;
}

int tu_connect(const struct sockaddr_storage *addr, socklen_t len) {
  int fd;
  CHECK_OK(fd, socket(addr->ss_family, SOCK_STREAM, 0));
  CHECK(connect(fd, (const struct sockaddr *)addr, len) == 0);
  return fd;
}

int tu_pair(int family, int *c, int *s) {
  struct sockaddr_storage addr;
  socklen_t len;
  int l = tu_listener(family, &addr, &len);
  if (l < 0)
    return -1;
  *c = tu_connect(&addr, len);
  CHECK_OK(*s, accept(l, NULL, NULL));
  CHECK(close(l) == 0);
  return 0;
}

uint16_t tu_closed_port(int family) {
  struct sockaddr_storage ss;
  socklen_t len = tu_addr(family, 0, &ss);
  uint16_t port;
  int fd;

  CHECK_OK(fd, socket(family, SOCK_STREAM, 0));
  CHECK(bind(fd, (struct sockaddr *)&ss, len) == 0);
  len = sizeof(ss);
  CHECK(getsockname(fd, (struct sockaddr *)&ss, &len) == 0);
  port = tu_port(&ss);
  CHECK(close(fd) == 0);
  return port;
}

double tu_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
