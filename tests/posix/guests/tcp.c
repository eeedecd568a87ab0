/*
 * tcp.c — posixtest cases over TCP on loopback, the guest its own peer:
 * every call's success path, addresses, the I/O calls and their flags,
 * shutdown, close.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "posixtest.h"

/* Reads exactly n bytes. */
static void read_full(int fd, char *buf, size_t n) {
  size_t got = 0;
  ssize_t r;
  while (got < n) {
    CHECK_OK(r, read(fd, buf + got, n - got));
    CHECK(r > 0);
    got += (size_t)r;
  }
}

static int tcp_family(int family) {
  struct sockaddr_storage laddr, peer, name;
  socklen_t llen, plen, nlen;
  char buf[64], a[8], b[8];
  struct iovec iov[3];
  struct msghdr msg;
  struct stat st;
  int l, c, s, v;
  ssize_t n;

  if ((l = tu_listener(family, &laddr, &llen)) < 0)
    return 77;
  /* SO_ACCEPTCONN says listening. */
  nlen = sizeof(v);
  CHECK(getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v, &nlen) == 0);
  CHECK_EQ(v, 1);

  c = tu_connect(&laddr, llen);
  plen = sizeof(peer);
  CHECK_OK(s, accept(l, (struct sockaddr *)&peer, &plen));
  CHECK(s != c && s != l);
  /* accept's peer is the client's own name; getpeername agrees. */
  nlen = sizeof(name);
  CHECK(getsockname(c, (struct sockaddr *)&name, &nlen) == 0);
  CHECK_EQ(plen, nlen);
  CHECK(memcmp(&peer, &name, nlen) == 0);
  nlen = sizeof(name);
  CHECK(getpeername(c, (struct sockaddr *)&name, &nlen) == 0);
  CHECK_EQ(tu_port(&name), tu_port(&laddr));
  CHECK_EQ(name.ss_family, family);

  /* send/recv, write/read. */
  CHECK_EQ(send(c, "hello", 5, 0), 5);
  read_full(s, buf, 5);
  CHECK(memcmp(buf, "hello", 5) == 0);
  CHECK_EQ(write(s, "world!", 6), 6);
  CHECK_EQ(recv(c, buf, 6, MSG_WAITALL), 6);
  CHECK(memcmp(buf, "world!", 6) == 0);

  /* MSG_PEEK leaves the data; MSG_WAITALL waits for all of it; FIONREAD
   * counts it. */
  CHECK_EQ(write(s, "abcdef", 6), 6);
  CHECK(poll(&(struct pollfd){c, POLLIN, 0}, 1, 5000) == 1);
  CHECK(ioctl(c, FIONREAD, &v) == 0);
  CHECK(v >= 1 && v <= 6);
  CHECK_OK(n, recv(c, buf, 3, MSG_PEEK));
  CHECK(n >= 1 && n <= 3 && memcmp(buf, "abc", (size_t)n) == 0);
  CHECK_EQ(recv(c, buf, 6, MSG_WAITALL), 6);
  CHECK(memcmp(buf, "abcdef", 6) == 0);

  /* Nothing there: MSG_DONTWAIT is EAGAIN, the socket still blocks. */
  CHECK_ERR(recv(c, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
  CHECK_EQ(fcntl(c, F_GETFL) & O_NONBLOCK, 0);

  /* writev gathers, readv scatters. */
  iov[0].iov_base = "ab";
  iov[0].iov_len = 2;
  iov[1].iov_base = "";
  iov[1].iov_len = 0;
  iov[2].iov_base = "cdef";
  iov[2].iov_len = 4;
  CHECK_EQ(writev(c, iov, 3), 6);
  memset(a, 0, sizeof(a));
  memset(b, 0, sizeof(b));
  iov[0].iov_base = a;
  iov[0].iov_len = 1;
  iov[1].iov_base = b;
  iov[1].iov_len = 5;
  /* All six there first, so one readv gets them. */
  while (recv(s, buf, 6, MSG_PEEK) < 6)
    CHECK(poll(&(struct pollfd){s, POLLIN, 0}, 1, 10) >= 0);
  CHECK_EQ(readv(s, iov, 2), 6);
  CHECK(a[0] == 'a' && memcmp(b, "bcdef", 5) == 0);

  /* sendmsg/recvmsg with plain iovecs; a stream has no sender address. */
  memset(&msg, 0, sizeof(msg));
  iov[0].iov_base = "12";
  iov[0].iov_len = 2;
  iov[1].iov_base = "345";
  iov[1].iov_len = 3;
  msg.msg_iov = iov;
  msg.msg_iovlen = 2;
  CHECK_EQ(sendmsg(s, &msg, 0), 5);
  memset(&msg, 0, sizeof(msg));
  memset(buf, 0, sizeof(buf));
  iov[0].iov_base = buf;
  iov[0].iov_len = 5;
  msg.msg_iov = iov;
  msg.msg_iovlen = 1;
  CHECK_EQ(recvmsg(c, &msg, MSG_WAITALL), 5);
  CHECK(memcmp(buf, "12345", 5) == 0);
  CHECK_EQ(msg.msg_flags, 0);

  /* recvfrom on a stream: no address (length 0). */
  CHECK_EQ(write(s, "x", 1), 1);
  nlen = sizeof(name);
  CHECK_EQ(recvfrom(c, buf, 1, 0, (struct sockaddr *)&name, &nlen), 1);
  CHECK_EQ(nlen, 0);

  /* fstat: a socket; isatty: no; lseek: ESPIPE. */
  CHECK(fstat(c, &st) == 0);
  CHECK(S_ISSOCK(st.st_mode));
  CHECK_EQ(isatty(c), 0);
  CHECK_EQ(errno, ENOTTY);
  CHECK_ERR(lseek(c, 0, SEEK_CUR), ESPIPE);

  /* SHUT_WR: the peer reads end of stream, the other way still works. */
  CHECK(shutdown(c, SHUT_WR) == 0);
  CHECK_EQ(read(s, buf, sizeof(buf)), 0);
  CHECK_EQ(write(s, "still", 5), 5);
  read_full(c, buf, 5);
  CHECK(memcmp(buf, "still", 5) == 0);

  /* close: the descriptor is gone. */
  CHECK(close(c) == 0);
  CHECK_ERR(close(c), EBADF);
  CHECK_ERR(send(c, "x", 1, 0), EBADF);
  CHECK_EQ(read(s, buf, sizeof(buf)), 0);
  CHECK(close(s) == 0);
  CHECK(close(l) == 0);
  return 0;
}

int case_tcp(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return tcp_family(AF_INET);
}

int case_tcp6(int argc, char **argv) {
  int l, v, one = 1;
  socklen_t len = sizeof(v);
  (void)argc;
  (void)argv;
  if (tcp_family(AF_INET6) == 77)
    return 77;
  /* IPV6_V6ONLY before bind; hops and traffic class. */
  CHECK_OK(l, socket(AF_INET6, SOCK_STREAM, 0));
  v = 42;
  CHECK(setsockopt(l, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v)) == 0);
  CHECK(getsockopt(l, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, &len) == 0);
  CHECK_EQ(v, 42);
  len = sizeof(v);
  CHECK(setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) == 0);
  CHECK(getsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len) == 0);
  CHECK_EQ(v, 1);
  CHECK(close(l) == 0);
  return 0;
}
