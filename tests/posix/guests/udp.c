/*
 * udp.c — posixtest cases over UDP on loopback: sendto/recvfrom with
 * addresses, connected sockets, truncation, empty datagrams, sendmsg and
 * recvmsg with a name.
 */
#include <poll.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "posixtest.h"

/* A UDP socket bound to 127.0.0.1, port 0; its address in *addr. */
static int udp_bound(struct sockaddr_storage *addr, socklen_t *len) {
  socklen_t alen = tu_addr(AF_INET, 0, addr);
  int fd;
  CHECK_OK(fd, socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
  CHECK(bind(fd, (struct sockaddr *)addr, alen) == 0);
  *len = sizeof(*addr);
  CHECK(getsockname(fd, (struct sockaddr *)addr, len) == 0);
  return fd;
}

int case_udp(int argc, char **argv) {
  struct sockaddr_storage aaddr, baddr, from;
  socklen_t alen, blen, flen;
  struct iovec iov[2];
  struct msghdr msg;
  char buf[64], x[4];
  int a, b, type;
  socklen_t tlen = sizeof(type);
  (void)argc;
  (void)argv;

  a = udp_bound(&aaddr, &alen);
  b = udp_bound(&baddr, &blen);
  CHECK(getsockopt(a, SOL_SOCKET, SO_TYPE, &type, &tlen) == 0);
  CHECK_EQ(type, SOCK_DGRAM);

  /* sendto/recvfrom: the datagram and who sent it. */
  CHECK_EQ(sendto(a, "ping", 4, 0, (struct sockaddr *)&baddr, blen), 4);
  flen = sizeof(from);
  CHECK_EQ(recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen),
           4);
  CHECK(memcmp(buf, "ping", 4) == 0);
  CHECK_EQ(flen, alen);
  CHECK(memcmp(&from, &aaddr, alen) == 0);

  /* A short buffer takes the start of one datagram; the rest is gone. */
  CHECK_EQ(sendto(a, "0123456789", 10, 0, (struct sockaddr *)&baddr, blen),
           10);
  CHECK_EQ(sendto(a, "next", 4, 0, (struct sockaddr *)&baddr, blen), 4);
  CHECK_EQ(recv(b, x, 4, 0), 4);
  CHECK(memcmp(x, "0123", 4) == 0);
  CHECK_EQ(recv(b, buf, sizeof(buf), 0), 4);
  CHECK(memcmp(buf, "next", 4) == 0);

  /* An empty datagram is a datagram. */
  CHECK_EQ(sendto(a, "", 0, 0, (struct sockaddr *)&baddr, blen), 0);
  flen = sizeof(from);
  CHECK_EQ(recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen),
           0);
  CHECK_EQ(tu_port(&from), tu_port(&aaddr));

  /* MSG_PEEK then the real receive. */
  CHECK_EQ(sendto(b, "peek", 4, 0, (struct sockaddr *)&aaddr, alen), 4);
  CHECK_EQ(recv(a, buf, sizeof(buf), MSG_PEEK), 4);
  CHECK_EQ(recv(a, buf, sizeof(buf), 0), 4);
  CHECK_ERR(recv(a, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);

  /* Connected: send/recv with no address; getpeername answers. */
  CHECK(connect(a, (struct sockaddr *)&baddr, blen) == 0);
  flen = sizeof(from);
  CHECK(getpeername(a, (struct sockaddr *)&from, &flen) == 0);
  CHECK_EQ(tu_port(&from), tu_port(&baddr));
  CHECK_EQ(send(a, "conn", 4, 0), 4);
  CHECK_EQ(recv(b, buf, sizeof(buf), 0), 4);

  /* sendmsg with a name and two iovecs: one datagram. */
  memset(&msg, 0, sizeof(msg));
  iov[0].iov_base = "ab";
  iov[0].iov_len = 2;
  iov[1].iov_base = "cd";
  iov[1].iov_len = 2;
  msg.msg_name = &aaddr;
  msg.msg_namelen = alen;
  msg.msg_iov = iov;
  msg.msg_iovlen = 2;
  CHECK_EQ(sendmsg(b, &msg, 0), 4);
  memset(&msg, 0, sizeof(msg));
  iov[0].iov_base = buf;
  iov[0].iov_len = 1;
  iov[1].iov_base = buf + 1;
  iov[1].iov_len = sizeof(buf) - 1;
  msg.msg_name = &from;
  msg.msg_namelen = sizeof(from);
  msg.msg_iov = iov;
  msg.msg_iovlen = 2;
  CHECK_EQ(recvmsg(a, &msg, 0), 4);
  CHECK(memcmp(buf, "abcd", 4) == 0);
  CHECK_EQ(msg.msg_namelen, blen);
  CHECK_EQ(tu_port(&from), tu_port(&baddr));

  /* Ancillary data: none carried, the macros as on Linux. */
  {
    union {
      struct cmsghdr align;
      char buf[2 * CMSG_SPACE(sizeof(int))];
    } ctl;
    struct cmsghdr *cm;
    int n = 0;

    CHECK_EQ(sendto(b, "c", 1, 0, (struct sockaddr *)&aaddr, alen), 1);
    memset(&msg, 0, sizeof(msg));
    iov[0].iov_base = buf;
    iov[0].iov_len = sizeof(buf);
    msg.msg_iov = iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctl.buf;
    msg.msg_controllen = sizeof(ctl.buf);
    CHECK_EQ(recvmsg(a, &msg, 0), 1);
    CHECK_EQ(msg.msg_controllen, 0);
    CHECK(CMSG_FIRSTHDR(&msg) == NULL);
    /* Two headers built by hand, walked with the macros. */
    memset(&ctl, 0, sizeof(ctl));
    msg.msg_controllen = sizeof(ctl.buf);
    cm = CMSG_FIRSTHDR(&msg);
    CHECK(cm != NULL);
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    cm = CMSG_NXTHDR(&msg, cm);
    CHECK(cm != NULL && (char *)cm == ctl.buf + CMSG_SPACE(sizeof(int)));
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    CHECK(CMSG_DATA(cm) == (unsigned char *)cm + CMSG_LEN(0));
    for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
      n++;
    CHECK_EQ(n, 2);
  }

  /* listen and accept are for streams. */
  CHECK_ERR(listen(a, 1), EOPNOTSUPP);
  CHECK(close(a) == 0 && close(b) == 0);
  return 0;
}
