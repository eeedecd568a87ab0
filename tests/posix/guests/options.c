/*
 * options.c — posixtest case: getsockopt/setsockopt for every option the
 * layer defines, and the errors of the calls.
 */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include "posixtest.h"

/* Sets a boolean option and reads it back. */
static void check_bool(int fd, int level, int name) {
  int v, one = 1, zero = 0;
  socklen_t len;
  CHECK(setsockopt(fd, level, name, &one, sizeof(one)) == 0);
  len = sizeof(v);
  CHECK(getsockopt(fd, level, name, &v, &len) == 0);
  CHECK_EQ(len, sizeof(v));
  CHECK_EQ(v != 0, 1);
  CHECK(setsockopt(fd, level, name, &zero, sizeof(zero)) == 0);
  len = sizeof(v);
  CHECK(getsockopt(fd, level, name, &v, &len) == 0);
  CHECK_EQ(v, 0);
}

/* Sets an int option and reads the same value back. */
static void check_int(int fd, int level, int name, int value) {
  int v;
  socklen_t len = sizeof(v);
  CHECK(setsockopt(fd, level, name, &value, sizeof(value)) == 0);
  CHECK(getsockopt(fd, level, name, &v, &len) == 0);
  CHECK_EQ(v, value);
}

int case_options(int argc, char **argv) {
  int fd, u, v, size = 65536;
  socklen_t len;
  char c;
  (void)argc;
  (void)argv;

  CHECK_OK(fd, socket(AF_INET, SOCK_STREAM, 0));
  check_bool(fd, SOL_SOCKET, SO_REUSEADDR);
  check_bool(fd, SOL_SOCKET, SO_KEEPALIVE);
  check_bool(fd, IPPROTO_TCP, TCP_NODELAY);
  check_bool(fd, SOL_TCP, TCP_NODELAY);

  /* Buffer sizes: Linux reports twice what was set. */
  CHECK(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) == 0);
  len = sizeof(v);
  CHECK(getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, &len) == 0);
  CHECK_EQ(v, 2 * size);
  CHECK(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)) == 0);
  len = sizeof(v);
  CHECK(getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, &len) == 0);
  CHECK_EQ(v, 2 * size);

  /* What the socket is. */
  len = sizeof(v);
  CHECK(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) == 0);
  CHECK_EQ(v, SOCK_STREAM);
  len = sizeof(v);
  CHECK(getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len) == 0);
  CHECK_EQ(v, AF_INET);
  len = sizeof(v);
  CHECK(getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len) == 0);
  CHECK_EQ(v, IPPROTO_TCP);
  len = sizeof(v);
  CHECK(getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == 0);
  CHECK_EQ(v, 0);
  len = sizeof(v);
  CHECK(getsockopt(fd, SOL_SOCKET, SO_ERROR, &v, &len) == 0);
  CHECK_EQ(v, 0);

  /* A short buffer gets the start of the value and its length (Linux). */
  len = 1;
  CHECK(getsockopt(fd, SOL_SOCKET, SO_TYPE, &c, &len) == 0);
  CHECK_EQ(len, 1);
  CHECK_EQ(c, (char)SOCK_STREAM);

  /* Errors: a short value, read-only and unknown options. */
  CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, 2), EINVAL);
  CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_TYPE, &v, sizeof(v)), ENOPROTOOPT);
  CHECK_ERR(setsockopt(fd, SOL_SOCKET, 12345, &v, sizeof(v)), ENOPROTOOPT);
  len = sizeof(v);
  CHECK_ERR(getsockopt(fd, SOL_SOCKET, 12345, &v, &len), ENOPROTOOPT);
  len = sizeof(v);
#ifdef __wasm__
  CHECK_ERR(getsockopt(fd, 4242, SO_TYPE, &v, &len), ENOPROTOOPT);
#else
  /* Linux: an unknown level is EOPNOTSUPP; the layer says ENOPROTOOPT for
   * every option it lacks, as POSIX does. */
  CHECK_ERR(getsockopt(fd, 4242, SO_TYPE, &v, &len), EOPNOTSUPP);
#endif

  /* struct linger, both ways. */
  {
    struct linger l = {1, 7}, got;
    CHECK(setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)) == 0);
    len = sizeof(got);
    CHECK(getsockopt(fd, SOL_SOCKET, SO_LINGER, &got, &len) == 0);
    CHECK_EQ(len, sizeof(got));
    CHECK(got.l_onoff != 0 && got.l_linger == 7);
    l.l_onoff = 0;
    CHECK(setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)) == 0);
    len = sizeof(got);
    CHECK(getsockopt(fd, SOL_SOCKET, SO_LINGER, &got, &len) == 0);
    CHECK_EQ(got.l_onoff, 0);
    CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(int)), EINVAL);
  }
  /* int options, as the kernel keeps them. */
  check_bool(fd, SOL_SOCKET, SO_REUSEPORT);
  check_int(fd, IPPROTO_TCP, TCP_KEEPIDLE, 30);
  check_int(fd, IPPROTO_TCP, TCP_KEEPINTVL, 7);
  check_int(fd, IPPROTO_TCP, TCP_KEEPCNT, 3);
  check_int(fd, IPPROTO_TCP, TCP_MAXSEG, 1000);
  check_int(fd, IPPROTO_IP, IP_TOS, 0x10);
  check_int(fd, IPPROTO_IP, IP_TTL, 33);
  v = 0;
  CHECK_ERR(setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &v, sizeof(v)), EINVAL);

  /* UDP: SO_BROADCAST, and the protocol. */
  CHECK_OK(u, socket(AF_INET, SOCK_DGRAM, 0));
  check_bool(u, SOL_SOCKET, SO_BROADCAST);
  len = sizeof(v);
  CHECK(getsockopt(u, SOL_SOCKET, SO_PROTOCOL, &v, &len) == 0);
  CHECK_EQ(v, IPPROTO_UDP);
  CHECK(close(u) == 0 && close(fd) == 0);
  return 0;
}
