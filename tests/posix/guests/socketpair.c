/*
 * socketpair.c — posixtest case: socketpair(AF_UNIX, SOCK_STREAM), what
 * asyncio's self-pipe and many test suites use.
 */
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "posixtest.h"

int case_socketpair(int argc, char **argv) {
  struct sockaddr_storage name;
  socklen_t len;
  int sv[2], v;
  char buf[8];
  (void)argc;
  (void)argv;

  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  CHECK(sv[0] != sv[1]);
  CHECK_EQ(write(sv[0], "ping", 4), 4);
  CHECK_EQ(recv(sv[1], buf, 4, MSG_WAITALL), 4);
  CHECK(memcmp(buf, "ping", 4) == 0);
  CHECK_EQ(send(sv[1], "pong", 4, 0), 4);
  CHECK_EQ(recv(sv[0], buf, 4, MSG_WAITALL), 4);
  CHECK(memcmp(buf, "pong", 4) == 0);
  /* An unnamed Unix-domain socket. */
  len = sizeof(name);
  CHECK(getsockname(sv[0], (struct sockaddr *)&name, &len) == 0);
  CHECK_EQ(name.ss_family, AF_UNIX);
  len = sizeof(v);
  CHECK(getsockopt(sv[0], SOL_SOCKET, SO_DOMAIN, &v, &len) == 0);
  CHECK_EQ(v, AF_UNIX);
  len = sizeof(v);
  CHECK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &len) == 0);
  CHECK_EQ(v, SOCK_STREAM);
  /* One end closed: the other reads end of stream. */
  CHECK(close(sv[0]) == 0);
  CHECK_EQ(read(sv[1], buf, sizeof(buf)), 0);
  CHECK(close(sv[1]) == 0);

  /* SOCK_NONBLOCK applies to both ends. */
  CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0);
  CHECK(fcntl(sv[0], F_GETFL) & O_NONBLOCK);
  CHECK(fcntl(sv[1], F_GETFL) & O_NONBLOCK);
  CHECK_ERR(read(sv[0], buf, 1), EAGAIN);
  CHECK(close(sv[0]) == 0 && close(sv[1]) == 0);

  /* Datagrams keep their boundaries; FIONREAD is the next one's size. */
  CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
  CHECK_EQ(send(sv[0], "abc", 3, 0), 3);
  CHECK_EQ(send(sv[0], "defgh", 5, 0), 5);
  CHECK(ioctl(sv[1], FIONREAD, &v) == 0);
  CHECK_EQ(v, 3);
  CHECK_EQ(recv(sv[1], buf, sizeof(buf), 0), 3);
  CHECK_EQ(recv(sv[1], buf, sizeof(buf), 0), 5);
  CHECK(close(sv[0]) == 0 && close(sv[1]) == 0);

  /* Only AF_UNIX pairs exist (Linux: EOPNOTSUPP for AF_INET). */
  CHECK_ERR(socketpair(AF_INET, SOCK_STREAM, 0, sv), EOPNOTSUPP);
  return 0;
}
