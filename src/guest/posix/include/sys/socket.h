/*
 * <sys/socket.h> of the wasisock POSIX layer (docs/POSIX.md).
 *
 * wasi-libc's preview 1 header declares only what its own bottom half
 * implements over WASI's sock_* calls on preopened sockets (accept, recv,
 * send, shutdown, getsockopt) and a few constants.  This overlay includes it
 * and adds the rest of the BSD socket API, implemented by libwasisock_posix
 * over the wasisock imports.  Numbers wasi-libc already defines are kept
 * (SOL_SOCKET 0x7fffffff, SOCK_STREAM 6, MSG_PEEK 1, SHUT_RD 1, ...); the
 * ones it lacks are Linux's unless a comment says otherwise.  Only options
 * the layer implements are defined, so `#ifdef SO_X` means SO_X works.
 */
#ifndef WASISOCK_POSIX_SYS_SOCKET_H
#define WASISOCK_POSIX_SYS_SOCKET_H

#include_next <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Options (level SOL_SOCKET) --------------------------------------- */
#define SO_REUSEADDR 2
#define SO_ERROR 4
#define SO_BROADCAST 6
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_ACCEPTCONN 30
#define SO_PROTOCOL 38
#define SO_DOMAIN 39
/* struct linger (ABI revision 3). */
#define SO_LINGER 13
#define SO_REUSEPORT 15
/* struct timeval; emulated in the guest on the host's per-socket timeout:
 * an expired wait is EAGAIN (EINPROGRESS from connect), as on Linux.
 * wasm32's long is 32 bits, hence the numbers of 32-bit Linux. */
#define SO_RCVTIMEO 66
#define SO_SNDTIMEO 67

/* Levels named after their protocol (Linux). */
#define SOL_IP 0
#define SOL_TCP 6
#define SOL_UDP 17
#define SOL_IPV6 41

/* listen()'s largest backlog (Linux's since 5.4; the host clamps to its own
 * net.core.somaxconn). */
#define SOMAXCONN 4096

/* ---- send and receive flags --------------------------------------------
 * MSG_PEEK (1), MSG_WAITALL (2) and MSG_TRUNC (1, in msg_flags only) are
 * wasi-libc's.  These two are Linux's numbers, clear of them. */
#define MSG_DONTWAIT 0x0040 /* this call only: as if O_NONBLOCK were set */
#define MSG_NOSIGNAL 0x4000 /* accepted: WASI has no SIGPIPE, EPIPE always */
#define MSG_CTRUNC 0x0008   /* msg_flags: never set (no control data) */
/* TCP Fast Open: defined so programs that try it compile; a send with it
 * is EOPNOTSUPP, as on a Linux whose client-side Fast Open is off, and they
 * fall back to connect. */
#define MSG_FASTOPEN 0x20000000

/* ---- Ancillary data ------------------------------------------------------
 * Linux's layout and macros, so sendmsg/recvmsg code compiles.  The layer
 * carries no ancillary data: recvmsg answers msg_controllen 0, sendmsg
 * with control data is EOPNOTSUPP (docs/POSIX.md); no SCM_* type exists. */
struct cmsghdr {
  socklen_t cmsg_len; /* this header and its data, in bytes */
  int cmsg_level;
  int cmsg_type;
};

#define CMSG_ALIGN(len)                                                        \
  (((len) + sizeof(size_t) - 1) & ~(size_t)(sizeof(size_t) - 1))
#define CMSG_DATA(cmsg) ((unsigned char *)((struct cmsghdr *)(cmsg) + 1))
#define CMSG_LEN(len) (CMSG_ALIGN(sizeof(struct cmsghdr)) + (len))
#define CMSG_SPACE(len) (CMSG_ALIGN(len) + CMSG_ALIGN(sizeof(struct cmsghdr)))
#define CMSG_FIRSTHDR(mhdr)                                                    \
  ((size_t)(mhdr)->msg_controllen >= sizeof(struct cmsghdr)                     \
       ? (struct cmsghdr *)(mhdr)->msg_control                                 \
       : (struct cmsghdr *)0)
#define CMSG_NXTHDR(mhdr, cmsg) (__wasisock_cmsg_nxthdr((mhdr), (cmsg)))

/* The header after cmsg in mhdr's control buffer, or NULL when no whole
 * header fits after it (offsets, so no pointer leaves the buffer). */
static __inline struct cmsghdr *
__wasisock_cmsg_nxthdr(const struct msghdr *mhdr, const struct cmsghdr *cmsg) {
  size_t at, next;
  if (cmsg->cmsg_len < sizeof(struct cmsghdr))
    return (struct cmsghdr *)0;
  at = (size_t)((const unsigned char *)cmsg -
                (const unsigned char *)mhdr->msg_control);
  next = at + CMSG_ALIGN(cmsg->cmsg_len);
  if (next < at || next + sizeof(struct cmsghdr) > mhdr->msg_controllen)
    return (struct cmsghdr *)0;
  return (struct cmsghdr *)((unsigned char *)mhdr->msg_control + next);
}

/* ---- Calls wasi-libc's preview 1 header does not declare --------------- */
int socket(int domain, int type, int protocol);
int socketpair(int domain, int type, int protocol, int fds[2]);
int connect(int fd, const struct sockaddr *addr, socklen_t len);
int bind(int fd, const struct sockaddr *addr, socklen_t len);
int listen(int fd, int backlog);
int getsockname(int fd, struct sockaddr *__restrict addr,
                socklen_t *__restrict len);
int getpeername(int fd, struct sockaddr *__restrict addr,
                socklen_t *__restrict len);
ssize_t sendto(int fd, const void *buf, size_t len, int flags,
               const struct sockaddr *addr, socklen_t addrlen);
ssize_t recvfrom(int fd, void *__restrict buf, size_t len, int flags,
                 struct sockaddr *__restrict addr,
                 socklen_t *__restrict addrlen);
ssize_t sendmsg(int fd, const struct msghdr *msg, int flags);
ssize_t recvmsg(int fd, struct msghdr *msg, int flags);
int setsockopt(int fd, int level, int name, const void *value, socklen_t len);

#ifdef __cplusplus
}
#endif

#endif /* WASISOCK_POSIX_SYS_SOCKET_H */
