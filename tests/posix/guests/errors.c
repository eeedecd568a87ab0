/*
 * errors.c — posixtest cases: the POSIX errors of every call (errors), and
 * bad pointers (efault), which must be EFAULT and never a trap.  Natively
 * the same checks hold for Linux; where the layer differs on purpose the
 * check says so (docs/POSIX.md).
 */
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <stdint.h>
#include <unistd.h>

#include "posixtest.h"

int case_errors(int argc, char **argv) {
  struct sockaddr_storage addr, laddr, a6;
  socklen_t len, llen;
  struct stat st;
  int fd, l, c, s, closed, file, v = 1;
  char buf[8], path[512];

  /* socket(): family, type, protocol. */
  CHECK_ERR(socket(12345, SOCK_STREAM, 0), EAFNOSUPPORT);
  CHECK_ERR(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT);
  CHECK_ERR(socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP), EPROTONOSUPPORT);
  CHECK_ERR(socket(AF_INET, 1234, 0), EINVAL);
#ifdef __wasm__
  /* No Unix-domain sockets, only socketpair (docs/POSIX.md). */
  CHECK_ERR(socket(AF_UNIX, SOCK_STREAM, 0), EAFNOSUPPORT);
#endif

  /* A descriptor that is not open: EBADF from every call. */
  CHECK_OK(closed, socket(AF_INET, SOCK_STREAM, 0));
  CHECK(close(closed) == 0);
  tu_addr(AF_INET, 9, &addr);
  len = sizeof(addr);
  CHECK_ERR(connect(closed, (struct sockaddr *)&addr, sizeof(struct sockaddr_in)), EBADF);
  CHECK_ERR(bind(closed, (struct sockaddr *)&addr, sizeof(struct sockaddr_in)), EBADF);
  CHECK_ERR(listen(closed, 1), EBADF);
  CHECK_ERR(accept(closed, NULL, NULL), EBADF);
  CHECK_ERR(send(closed, "x", 1, 0), EBADF);
  CHECK_ERR(recv(closed, buf, 1, 0), EBADF);
  CHECK_ERR(sendto(closed, "x", 1, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in)), EBADF);
  CHECK_ERR(recvfrom(closed, buf, 1, 0, NULL, NULL), EBADF);
  CHECK_ERR(read(closed, buf, 1), EBADF);
  CHECK_ERR(write(closed, "x", 1), EBADF);
  CHECK_ERR(shutdown(closed, SHUT_RDWR), EBADF);
  CHECK_ERR(getsockname(closed, (struct sockaddr *)&addr, &len), EBADF);
  CHECK_ERR(getpeername(closed, (struct sockaddr *)&addr, &len), EBADF);
  CHECK_ERR(getsockopt(closed, SOL_SOCKET, SO_TYPE, &v, &len), EBADF);
  CHECK_ERR(setsockopt(closed, SOL_SOCKET, SO_REUSEADDR, &v, sizeof(v)), EBADF);
  CHECK_ERR(fcntl(closed, F_GETFL), EBADF);
  CHECK_ERR(fcntl(closed, F_SETFL, O_NONBLOCK), EBADF);
  CHECK_ERR(ioctl(closed, FIONBIO, &v), EBADF);
  CHECK_ERR(fstat(closed, &st), EBADF);
  CHECK_ERR(close(closed), EBADF);
  CHECK_ERR(close(-1), EBADF);
  CHECK_ERR(fcntl(-1, F_GETFL), EBADF);
  CHECK_ERR(ioctl(-1, FIONBIO, &v), EBADF);
  CHECK_ERR(fstat(-1, &st), EBADF);
  CHECK_ERR(lseek(-1, 0, SEEK_CUR), EBADF);
  CHECK_ERR(read(-1, buf, 1), EBADF);
  CHECK_EQ(isatty(-1), 0);
  CHECK_EQ(errno, EBADF);
  CHECK_ERR(connect(-5, (struct sockaddr *)&addr, sizeof(struct sockaddr_in)), EBADF);

  /* A descriptor that is not a socket (a file in ARGV's directory):
   * ENOTSOCK. */
  if (argc < 1)
    CHECK_FAIL("errors: needs a directory");
  snprintf(path, sizeof(path), "%s/not-a-socket", argv[0]);
  CHECK_OK(file, open(path, O_RDWR | O_CREAT | O_TRUNC, 0600));
  CHECK_ERR(connect(file, (struct sockaddr *)&addr, sizeof(struct sockaddr_in)), ENOTSOCK);
  CHECK_ERR(bind(file, (struct sockaddr *)&addr, sizeof(struct sockaddr_in)), ENOTSOCK);
  CHECK_ERR(listen(file, 1), ENOTSOCK);
  CHECK_ERR(accept(file, NULL, NULL), ENOTSOCK);
  CHECK_ERR(getsockname(file, (struct sockaddr *)&addr, &len), ENOTSOCK);
  CHECK_ERR(getpeername(file, (struct sockaddr *)&addr, &len), ENOTSOCK);
  CHECK_ERR(setsockopt(file, SOL_SOCKET, SO_REUSEADDR, &v, sizeof(v)), ENOTSOCK);
  CHECK_ERR(shutdown(file, SHUT_RDWR), ENOTSOCK);

  CHECK_ERR(send(file, "x", 1, 0), ENOTSOCK);
  CHECK_ERR(recv(file, buf, 1, 0), ENOTSOCK);
  CHECK(close(file) == 0);

  /* Addresses: too short, wrong family, not local, in use. */
  CHECK_OK(fd, socket(AF_INET, SOCK_STREAM, 0));
  CHECK_ERR(connect(fd, (struct sockaddr *)&addr, 4), EINVAL);
  CHECK_ERR(connect(fd, (struct sockaddr *)&addr, 1), EINVAL);
  tu_addr(AF_INET6, 9, &a6);
  CHECK_ERR(connect(fd, (struct sockaddr *)&a6, sizeof(struct sockaddr_in6)), EAFNOSUPPORT);
  CHECK_ERR(bind(fd, (struct sockaddr *)&a6, sizeof(struct sockaddr_in6)), EAFNOSUPPORT);
  len = sizeof(addr);
  CHECK_ERR(getpeername(fd, (struct sockaddr *)&addr, &len), ENOTCONN);
  CHECK_ERR(recv(fd, buf, 1, 0), ENOTCONN);
  CHECK_ERR(shutdown(fd, SHUT_RDWR), ENOTCONN);
  CHECK_ERR(accept(fd, NULL, NULL), EINVAL); /* not listening */
  tu_addr(AF_INET, 0, &addr);
  ((struct sockaddr_in *)&addr)->sin_addr.s_addr = htonl(0xc0000201); /* 192.0.2.1 */
  CHECK_ERR(bind(fd, (struct sockaddr *)&addr, sizeof(struct sockaddr_in)), EADDRNOTAVAIL);
  l = tu_listener(AF_INET, &laddr, &llen);
  CHECK_ERR(bind(fd, (struct sockaddr *)&laddr, llen), EADDRINUSE);
  tu_addr(AF_INET, 0, &addr);
  CHECK(bind(fd, (struct sockaddr *)&addr, sizeof(struct sockaddr_in)) == 0);
  CHECK_ERR(bind(fd, (struct sockaddr *)&addr, sizeof(struct sockaddr_in)), EINVAL);
  CHECK(close(fd) == 0);

  /* Connections: refused, already connected, listen on a connected one. */
  tu_addr(AF_INET, tu_closed_port(AF_INET), &addr);
  CHECK_OK(fd, socket(AF_INET, SOCK_STREAM, 0));
  CHECK_ERR(connect(fd, (struct sockaddr *)&addr, sizeof(struct sockaddr_in)), ECONNREFUSED);
  CHECK(close(fd) == 0);
  c = tu_connect(&laddr, llen);
  CHECK_OK(s, accept(l, NULL, NULL));
  CHECK_ERR(connect(c, (struct sockaddr *)&laddr, llen), EISCONN);
  CHECK_ERR(listen(c, 1), EINVAL);
  CHECK_ERR(shutdown(c, 99), EINVAL);
  CHECK_ERR(fcntl(c, 12345), EINVAL);
  /* After the peer is gone and reset: EPIPE, never a signal. */
  CHECK(close(s) == 0);
  CHECK(shutdown(c, SHUT_WR) == 0);
  CHECK_ERR(send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
  CHECK(close(c) == 0 && close(l) == 0);
  return 0;
}

/* p, hidden from the compiler, which would otherwise refuse (natively) the
 * calls below that pass bad pointers on purpose. */
static void *opaque(void *p) {
  volatile uintptr_t v = (uintptr_t)p;
  return (void *)v;
}

int case_efault(int argc, char **argv) {
  struct sockaddr_storage laddr, addr;
  socklen_t llen, len;
  struct msghdr msg;
  struct iovec iov;
  fd_set rd;
  int l, c, s, v;
  char buf[8];
  /* A pointer no memory is at: past the end of linear memory in a guest,
   * an unmapped page natively. */
#ifdef __wasm__
  void *bad = opaque((void *)(__builtin_wasm_memory_size(0) * 65536 - 2));
#else
  void *bad = opaque((void *)16);
#endif
  void *null = opaque(NULL);
  (void)argc;
  (void)argv;

  l = tu_listener(AF_INET, &laddr, &llen);
  c = tu_connect(&laddr, llen);
  CHECK_OK(s, accept(l, NULL, NULL));

  CHECK_ERR(connect(c, null, sizeof(struct sockaddr_in)), EFAULT);
  CHECK_ERR(connect(c, bad, sizeof(struct sockaddr_in)), EFAULT);
  CHECK_ERR(bind(c, bad, sizeof(struct sockaddr_in)), EFAULT);
  len = sizeof(addr);
  CHECK_ERR(getsockname(c, bad, &len), EFAULT);
  CHECK_ERR(getsockname(c, (struct sockaddr *)&addr, bad), EFAULT);
  CHECK_ERR(getpeername(c, (struct sockaddr *)&addr, null), EFAULT);
  CHECK_ERR(send(c, null, 4, 0), EFAULT);
  CHECK_ERR(send(c, bad, 16, 0), EFAULT);
  CHECK_ERR(write(c, bad, 16), EFAULT);
  CHECK_EQ(write(s, "data", 4), 4);
  CHECK(poll(&(struct pollfd){c, POLLIN, 0}, 1, 5000) == 1);
  CHECK_ERR(recv(c, bad, 16, 0), EFAULT);
  CHECK_ERR(read(c, null, 4), EFAULT);
  CHECK_EQ(recv(c, buf, sizeof(buf), 0), 4); /* still there */
  len = sizeof(v);
  CHECK_ERR(getsockopt(c, SOL_SOCKET, SO_TYPE, bad, &len), EFAULT);
  CHECK_ERR(getsockopt(c, SOL_SOCKET, SO_TYPE, &v, null), EFAULT);
  CHECK_ERR(setsockopt(c, SOL_SOCKET, SO_REUSEADDR, null, sizeof(int)), EFAULT);
  CHECK_ERR(poll(bad, 1, 0), EFAULT);
  CHECK_ERR(poll(null, 2, 0), EFAULT);
  CHECK_ERR(select(c + 1, bad, NULL, NULL, NULL), EFAULT);
  FD_ZERO(&rd);
  FD_SET(c, &rd);
#ifdef __wasm__
  /* glibc reads the timeval itself (and faults): the layer checks it. */
  CHECK_ERR(select(c + 1, &rd, NULL, NULL, bad), EFAULT);
#endif
  CHECK_ERR(sendmsg(c, null, 0), EFAULT);
  memset(&msg, 0, sizeof(msg));
  iov.iov_base = bad;
  iov.iov_len = 16;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  CHECK_ERR(sendmsg(c, &msg, 0), EFAULT);
  msg.msg_iov = bad;
  CHECK_ERR(sendmsg(c, &msg, 0), EFAULT);
  CHECK_ERR(writev(c, bad, 1), EFAULT);
  /* A connection waiting, so that accept gets as far as the address (the
   * layer checks it first and leaves the connection queued). */
  v = tu_connect(&laddr, llen);
  len = sizeof(addr);
  CHECK_ERR(accept(l, bad, &len), EFAULT);
  CHECK(close(v) == 0);
  CHECK(close(c) == 0 && close(s) == 0 && close(l) == 0);
  return 0;
}
