/*
 * internal.h — what the files of the POSIX layer (libwasisock_posix) share.
 *
 * The layer gives a wasm32 guest the BSD socket API over the wasisock
 * imports, on top of wasi-libc (docs/POSIX.md):
 *
 *   - a socket is the descriptor WASISOCK_FD_BASE + host handle
 *     (wasisock_abi.h); every descriptor below WASISOCK_FD_BASE is WASI's;
 *   - calls wasi-libc does not have (socket, connect, getaddrinfo, ...) are
 *     defined here under their POSIX names;
 *   - calls wasi-libc has (read, close, poll, accept, recv, ...) are taken
 *     over at link time with lld's --wrap=NAME: the program's calls reach
 *     __wrap_NAME here, which serves socket descriptors and hands every
 *     other descriptor to wasi-libc's own NAME (__real_NAME), so files,
 *     pipes and WASI's preopened sockets behave exactly as before.
 *
 * Names here are wasisock__ (internal).  Functions that can fail return -1
 * with errno set, as the POSIX calls they serve.
 */
#ifndef WASISOCK_POSIX_INTERNAL_H
#define WASISOCK_POSIX_INTERNAL_H

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "wasisock.h"

/* ---- descriptors ---------------------------------------------------------- */

static inline int wasisock__is_socket_fd(int fd) {
  return fd >= WASISOCK_FD_BASE;
}

static inline uint32_t wasisock__fd_handle(int fd) {
  return (uint32_t)fd - (uint32_t)WASISOCK_FD_BASE;
}

/* The descriptor of a handle the host just gave out, or -1 with errno EIO
 * (after closing it) when the host broke its promise to stay below
 * WASISOCK_FD_BASE or handed out 0. */
int wasisock__fd_from_handle(uint32_t handle);

/* The socket's SO_TYPE (SOCK_STREAM or SOCK_DGRAM) into *type unless type
 * is NULL: one host call that also checks that the handle is open.  0, or
 * -1 with errno EBADF. */
int wasisock__socket_type(uint32_t handle, int *type);

/* Makes a program that creates sockets but was linked without the layer's
 * --wrap flags fail to link ("undefined symbol: __real_close") instead of
 * handing socket descriptors to wasi-libc's close() and read() at run
 * time: a load of a pointer to __real_close, which only --wrap=close
 * defines.  Called where sockets are made. */
void wasisock__require_wrap(void);

/* Stores code in errno and returns -1. */
static inline int wasisock__fail(int code) {
  errno = code;
  return -1;
}

/* errno for a socket call (connect, bind, ...) that wasi-libc has no
 * implementation of, given a descriptor below WASISOCK_FD_BASE: EBADF if it
 * is not open, ENOTSOCK if it is not a socket, EOPNOTSUPP for one of WASI's
 * preopened sockets (preview 1 can only accept, send, receive and shut
 * those down).  Always returns -1. */
int wasisock__wasi_fd_fail(int fd);

/* The result r of wasi-libc's own accept/recv/send/shutdown/getsockopt
 * on a WASI descriptor, with a failure's errno made POSIX's: EBADF for a
 * descriptor that is not open (negative ones too), ENOTSOCK for one that
 * is not a socket, whatever the engine said (Node: ENOTCAPABLE). */
ssize_t wasisock__wasi_result(int fd, ssize_t r);

/* ---- guest memory --------------------------------------------------------
 * A wasm pointer is an offset: NULL (0) is addressable and a pointer past
 * the end traps the guest when used.  The layer checks every pointer it
 * reads or writes itself, so a bad one is EFAULT, never a trap; buffers it
 * only passes on are checked by the host (EFAULT too). */

/* 1 when [p, p + len) is inside linear memory and p is not NULL. */
int wasisock__mem_ok(const void *p, size_t len);

/* ---- per-socket state -----------------------------------------------------
 * What POSIX keeps per descriptor and the host does not: O_NONBLOCK,
 * FD_CLOEXEC, SO_RCVTIMEO/SO_SNDTIMEO, and which of the host's per-socket
 * timeouts is set right now (so a call changes it only when it must).  A
 * handle never seen here (one the host opened before the guest started) has
 * the host's defaults: blocking, no timeouts. */
typedef struct wasisock__fdstate {
  uint8_t nonblock;      /* O_NONBLOCK */
  uint8_t cloexec;       /* FD_CLOEXEC: kept and reported, nothing else */
  uint8_t domain;        /* AF_INET, AF_INET6, AF_UNIX; 0 not known */
  uint32_t rcvtimeo_ms;  /* SO_RCVTIMEO; WASISOCK_TIMEOUT_NONE for none */
  uint32_t sndtimeo_ms;  /* SO_SNDTIMEO */
  uint32_t host_timeout; /* what sock_set_timeout last set */
} wasisock__fdstate_t;

/* The state of handle (defaults if none is stored).  Never NULL. */
const wasisock__fdstate_t *wasisock__state(uint32_t handle);
/* The stored state of handle, created with the defaults if needed; NULL
 * with errno ENOMEM. */
wasisock__fdstate_t *wasisock__state_mut(uint32_t handle);
/* A fresh socket (socket, accept, socketpair): its state from defaults,
 * with domain.  NULL with errno ENOMEM. */
wasisock__fdstate_t *wasisock__state_new(uint32_t handle, int domain);
/* Forgets handle's state (close). */
void wasisock__state_drop(uint32_t handle);

/* Which way a call waits, for its timeout. */
enum wasisock__dir { WASISOCK__RECV, WASISOCK__SEND };

/* Sets the host's timeout for a call on handle that waits in direction
 * dir, or never waits when dontwait: 0 for O_NONBLOCK or MSG_DONTWAIT, else
 * SO_RCVTIMEO/SO_SNDTIMEO, else none.  Returns that timeout (what
 * wasisock__timeout_errno needs), or -1 with errno. */
int64_t wasisock__timeout_for(uint32_t handle, enum wasisock__dir dir,
                              int dontwait);
/* O_NONBLOCK on or off (fcntl, ioctl FIONBIO).  0 or -1 with errno. */
int wasisock__set_nonblock(uint32_t handle, int on);
/* The errno for a host result r of a call made with timeout t: an expired
 * SO_RCVTIMEO/SO_SNDTIMEO is EAGAIN on Linux, not ETIMEDOUT. */
int wasisock__timeout_errno(int32_t r, int64_t t);

/* ---- addresses ------------------------------------------------------------ */

/* Copies n bytes of v out to a caller's (value, *len) pair, as the
 * kernel does for addresses and options: at most *len bytes (a negative
 * *len is EINVAL), then *len becomes n (full: the size there was, as for
 * addresses) or the bytes copied (as for option values).  EFAULT for
 * pointers outside memory.  0 or -1 with errno. */
int wasisock__copy_out(void *value, socklen_t *len, const void *v,
                       socklen_t n, int full);

/* A caller's sockaddr → the decoded record.  EFAULT (addr not readable),
 * EINVAL (len too short for its family), EAFNOSUPPORT (not AF_INET or
 * AF_INET6).  Returns 0 or -1 with errno. */
int wasisock__sockaddr_read(const struct sockaddr *addr, socklen_t len,
                            wasisock_addr_t *out);
/* The decoded record → the caller's sockaddr, truncated to *len as POSIX
 * says, with *len set to the full size.  A "no address" record
 * (WASISOCK_AF_UNSPEC) sets *len to 0.  addr NULL with len NULL: nothing.
 * EFAULT for pointers that are not writable.  0 or -1 with errno. */
int wasisock__sockaddr_write(const wasisock_addr_t *a, struct sockaddr *addr,
                             socklen_t *len);
/* Size of the sockaddr of a record's family (0 for an unknown family). */
socklen_t wasisock__sockaddr_size(uint8_t family);
/* Fills a sockaddr of the record's family (zeroed first). */
void wasisock__sockaddr_fill(const wasisock_addr_t *a,
                             struct sockaddr_storage *ss);

/* ---- sending, receiving, waiting --------------------------------------- */

/* recv and send on a socket descriptor with POSIX's flags; the helpers of
 * recv/read/readv/recvfrom/recvmsg and send/write/writev/sendto/sendmsg.
 * from may be NULL (not wanted); to NULL sends to the connected peer. */
ssize_t wasisock__recv(int fd, void *buf, size_t len, int flags,
                       wasisock_addr_t *from);
ssize_t wasisock__send(int fd, const void *buf, size_t len, int flags,
                       const wasisock_addr_t *to);

/* The vectored calls (readv, writev, sendmsg, recvmsg) on a socket: the
 * iovecs are checked and gathered into (scattered from) one buffer, so a
 * datagram stays one datagram. */
ssize_t wasisock__sendv(int fd, const struct iovec *iov, int n, int flags,
                        const wasisock_addr_t *to);
ssize_t wasisock__recvv(int fd, const struct iovec *iov, int n, int flags,
                        wasisock_addr_t *from);
/* The total length of n iovecs, or -1 with errno: EINVAL (n < 0, or a total
 * past WASISOCK__MAX_IO), EMSGSIZE (n > IOV_MAX), EFAULT (an array or
 * buffer outside memory). */
ssize_t wasisock__iov_total(const struct iovec *iov, int n);

/* Largest length passed to one import: results are u32 and come back to
 * callers as ssize_t. */
#define WASISOCK__MAX_IO ((size_t)0x7fffffff)

/* ---- the wrapped wasi-libc calls (lld --wrap) ----------------------------- */
int __real_accept(int, struct sockaddr *__restrict, socklen_t *__restrict);
int __real_accept4(int, struct sockaddr *__restrict, socklen_t *__restrict,
                   int);
ssize_t __real_recv(int, void *, size_t, int);
ssize_t __real_send(int, const void *, size_t, int);
int __real_shutdown(int, int);
int __real_getsockopt(int, int, int, void *__restrict, socklen_t *__restrict);
int __real_close(int);
ssize_t __real_read(int, void *, size_t);
ssize_t __real_write(int, const void *, size_t);
ssize_t __real_readv(int, const struct iovec *, int);
ssize_t __real_writev(int, const struct iovec *, int);
int __real_poll(struct pollfd *, nfds_t, int);
int __real_fcntl(int, int, ...);
int __real_ioctl(int, int, ...);
int __real_fstat(int, struct stat *);
int __real_isatty(int);
off_t __real_lseek(int, off_t, int);
off_t __real___wasilibc_tell(int);

#endif /* WASISOCK_POSIX_INTERNAL_H */
