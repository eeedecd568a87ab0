/*
 * policy.c — posixtest case "policy", run under the runner's --deny-all:
 * what the host's network policy refuses arrives as POSIX errors (EACCES;
 * EAI_SYSTEM with errno EACCES from getaddrinfo), and socketpair, which
 * involves no network, still works.  A guest case only (natively there is
 * no policy).
 */
#include <netdb.h>
#include <string.h>
#include <unistd.h>

#include "posixtest.h"

int case_policy(int argc, char **argv) {
  struct sockaddr_storage addr;
  struct addrinfo hints, *res = NULL;
  socklen_t len;
  int fd, sv[2];
  char c;
  (void)argc;
  (void)argv;

  CHECK_OK(fd, socket(AF_INET, SOCK_STREAM, 0));
  len = tu_addr(AF_INET, 9, &addr);
  CHECK_ERR(connect(fd, (struct sockaddr *)&addr, len), EACCES);
  len = tu_addr(AF_INET, 0, &addr);
  CHECK_ERR(bind(fd, (struct sockaddr *)&addr, len), EACCES);
  CHECK(close(fd) == 0);
  CHECK_OK(fd, socket(AF_INET, SOCK_DGRAM, 0));
  len = tu_addr(AF_INET, 9, &addr);
  CHECK_ERR(sendto(fd, "x", 1, 0, (struct sockaddr *)&addr, len), EACCES);
  CHECK(close(fd) == 0);

  memset(&hints, 0, sizeof(hints));
  hints.ai_socktype = SOCK_STREAM;
  errno = 0;
  CHECK_EQ(getaddrinfo("localhost", "80", &hints, &res), EAI_SYSTEM);
  CHECK_EQ(errno, EACCES);
  /* A numeric host needs no lookup: the policy is asked at connect. */
  CHECK_EQ(getaddrinfo("127.0.0.1", "80", &hints, &res), 0);
  freeaddrinfo(res);

  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  CHECK_EQ(write(sv[0], "p", 1), 1);
  CHECK_EQ(read(sv[1], &c, 1), 1);
  CHECK(close(sv[0]) == 0 && close(sv[1]) == 0);
  return 0;
}
