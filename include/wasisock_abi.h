/*
 * wasisock_abi.h — the byte-level encoding of the wasisock ABI, shared by
 * the host (native) and the guests (wasm32).
 *
 * Header-only and freestanding: it needs <stdint.h> and nothing else, so the
 * same definitions compile into libwasisock, into the wasm32 guest library and
 * into CPython's _wasisocket.  No other file in the tree spells an offset of a
 * guest record or an errno number: they include this header.
 *
 * Conventions (see docs/ABI.md for the byte-by-byte description):
 *   - every import takes i32 arguments and returns an i32 WASI errno value;
 *   - scalars written to guest memory are little-endian (wasm's byte order);
 *   - the address record is 19 bytes: family u8, port u16 big-endian
 *     (network order, as in struct sockaddr_in), 16 address bytes (IPv4 in
 *     the first 4, the other 12 zero).
 */
#ifndef WASISOCK_ABI_H
#define WASISOCK_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The wasm import module every wasisock call lives in.  Never
 * "wasi_snapshot_preview1": preview 1 already defines sock_recv, sock_send,
 * sock_accept and sock_shutdown there with other signatures. */
#define WASISOCK_MODULE "wasisock"

/* Revision of the ABI described by this header.  Revisions only add calls
 * (and constants); a call, once published, never changes.  Revision 1: the
 * six client calls; revision 2: servers, addresses, options, timeouts and
 * sock_poll; revision 3: sock_socketpair and sock_nread (what a guest's
 * POSIX layer needs beyond revision 2). */
#define WASISOCK_ABI_REVISION 3

/* ---- Address families and socket types -------------------------------
 * The values of wasi-libc's <sys/socket.h>, so a C guest passes AF_INET and
 * SOCK_STREAM unchanged. */
#define WASISOCK_AF_UNSPEC 0
#define WASISOCK_AF_INET 1
#define WASISOCK_AF_INET6 2

#define WASISOCK_SOCK_DGRAM 5
#define WASISOCK_SOCK_STREAM 6

/* ---- Revision 2: flags, levels and option names -------------------------
 * Again wasi-libc's numbers where it has them, so a C guest passes its own
 * constants unchanged.  wasm32-wasip1's <sys/socket.h> defines SOL_SOCKET
 * (0x7fffffff, not Linux's 1), SO_TYPE, SHUT_*, MSG_PEEK and MSG_WAITALL
 * (WASI's __WASI_SDFLAGS_* and __WASI_RIFLAGS_* bits, not Linux's values);
 * the other SO_* names are those of its wasip2 headers and of musl, which
 * equal Linux's. */

/* sock_recv_from flags (wasi-libc MSG_PEEK, MSG_WAITALL). */
#define WASISOCK_MSG_PEEK 1
#define WASISOCK_MSG_WAITALL 2

/* sock_shutdown how (wasi-libc SHUT_RD, SHUT_WR, SHUT_RDWR). */
#define WASISOCK_SHUT_RD 1
#define WASISOCK_SHUT_WR 2
#define WASISOCK_SHUT_RDWR 3

/* sock_getsockopt / sock_setsockopt levels. */
#define WASISOCK_SOL_SOCKET 0x7fffffff
#define WASISOCK_IPPROTO_IP 0 /* revision 3 */
#define WASISOCK_IPPROTO_TCP 6
#define WASISOCK_IPPROTO_IPV6 41

/* Options at WASISOCK_SOL_SOCKET.  Values are u32/i32; booleans 0 or 1. */
#define WASISOCK_SO_REUSEADDR 2
#define WASISOCK_SO_TYPE 3        /* get only: WASISOCK_SOCK_STREAM/_DGRAM */
#define WASISOCK_SO_ERROR 4       /* get only: a WASI errno; reading clears */
#define WASISOCK_SO_BROADCAST 6
#define WASISOCK_SO_SNDBUF 7
#define WASISOCK_SO_RCVBUF 8
#define WASISOCK_SO_KEEPALIVE 9
#define WASISOCK_SO_ACCEPTCONN 30 /* get only */
/* At WASISOCK_IPPROTO_TCP. */
#define WASISOCK_TCP_NODELAY 1
/* At WASISOCK_IPPROTO_IPV6. */
#define WASISOCK_IPV6_V6ONLY 26

/* Revision 3: more options of the same calls, Linux's numbers (which
 * wasi-libc's netinet headers and musl use).  SO_LINGER's value is one i32:
 * -1 for off (l_onoff 0), else the linger time in seconds (l_onoff 1). */
#define WASISOCK_SO_LINGER 13
#define WASISOCK_SO_REUSEPORT 15
#define WASISOCK_TCP_MAXSEG 2
#define WASISOCK_TCP_KEEPIDLE 4
#define WASISOCK_TCP_KEEPINTVL 5
#define WASISOCK_TCP_KEEPCNT 6
#define WASISOCK_IP_TOS 1 /* at WASISOCK_IPPROTO_IP */
#define WASISOCK_IP_TTL 2
#define WASISOCK_IPV6_UNICAST_HOPS 16
#define WASISOCK_IPV6_TCLASS 67
#define WASISOCK_SO_LINGER_OFF (-1)

/* ---- Socket descriptors of the guest POSIX layer --------------------------
 * In a guest linked with the POSIX layer (src/guest/posix, docs/POSIX.md) a
 * socket is the ordinary int descriptor WASISOCK_FD_BASE + handle.  WASI
 * runtimes hand out file descriptors lowest-free, bounded by the host's
 * open-file limit (far below 2^30), and a host keeps every handle below
 * WASISOCK_FD_BASE, so the two ranges never meet and the sum stays an int.
 * Arithmetic, not a table: a socket the host opened before the guest
 * started is a valid descriptor with no registration. */
#define WASISOCK_FD_BASE 0x40000000

/* sock_set_timeout: block until done (the default).  0 is non-blocking,
 * anything else a limit in milliseconds. */
#define WASISOCK_TIMEOUT_NONE 0xFFFFFFFFu

/* sock_poll events and revents: wasi-libc's <poll.h> values, so a guest's
 * poll() passes them unchanged.  ERR, HUP and NVAL only appear in revents. */
#define WASISOCK_POLLIN 0x1
#define WASISOCK_POLLOUT 0x2
#define WASISOCK_POLLERR 0x1000
#define WASISOCK_POLLHUP 0x2000
#define WASISOCK_POLLNVAL 0x4000
/* Most records one sock_poll takes. */
#define WASISOCK_POLL_MAX 4096

/* ---- Error codes ---------------------------------------------------------
 * WASI preview 1 errno values (wasi-libc <wasi/api.h>, __wasi_errno_t), so a
 * guest stores a result in errno and gets the right strerror() and, in
 * Python, the right OSError subclass.  One list generates the constants and
 * the name/message lookups: XX(value, NAME, message). */
#define WASISOCK_ERRNO_MAP(XX)                                                 \
  XX(0, SUCCESS, "Success")                                                    \
  XX(1, 2BIG, "Argument list too long")                                        \
  XX(2, ACCES, "Permission denied")                                            \
  XX(3, ADDRINUSE, "Address in use")                                           \
  XX(4, ADDRNOTAVAIL, "Address not available")                                 \
  XX(5, AFNOSUPPORT, "Address family not supported by protocol")              \
  XX(6, AGAIN, "Resource temporarily unavailable")                             \
  XX(7, ALREADY, "Operation already in progress")                              \
  XX(8, BADF, "Bad file descriptor")                                           \
  XX(9, BADMSG, "Bad message")                                                 \
  XX(10, BUSY, "Resource busy")                                                \
  XX(11, CANCELED, "Operation canceled")                                       \
  XX(12, CHILD, "No child process")                                            \
  XX(13, CONNABORTED, "Connection aborted")                                    \
  XX(14, CONNREFUSED, "Connection refused")                                    \
  XX(15, CONNRESET, "Connection reset by peer")                                \
  XX(16, DEADLK, "Resource deadlock would occur")                              \
  XX(17, DESTADDRREQ, "Destination address required")                          \
  XX(18, DOM, "Domain error")                                                  \
  XX(19, DQUOT, "Quota exceeded")                                              \
  XX(20, EXIST, "File exists")                                                 \
  XX(21, FAULT, "Bad address")                                                 \
  XX(22, FBIG, "File too large")                                               \
  XX(23, HOSTUNREACH, "Host is unreachable")                                   \
  XX(24, IDRM, "Identifier removed")                                           \
  XX(25, ILSEQ, "Illegal byte sequence")                                       \
  XX(26, INPROGRESS, "Operation in progress")                                  \
  XX(27, INTR, "Interrupted system call")                                      \
  XX(28, INVAL, "Invalid argument")                                            \
  XX(29, IO, "I/O error")                                                      \
  XX(30, ISCONN, "Socket is connected")                                        \
  XX(31, ISDIR, "Is a directory")                                              \
  XX(32, LOOP, "Symbolic link loop")                                           \
  XX(33, MFILE, "No file descriptors available")                               \
  XX(34, MLINK, "Too many links")                                              \
  XX(35, MSGSIZE, "Message too large")                                         \
  XX(36, MULTIHOP, "Multihop attempted")                                       \
  XX(37, NAMETOOLONG, "Filename too long")                                     \
  XX(38, NETDOWN, "Network is down")                                           \
  XX(39, NETRESET, "Connection reset by network")                              \
  XX(40, NETUNREACH, "Network unreachable")                                    \
  XX(41, NFILE, "Too many open files in system")                               \
  XX(42, NOBUFS, "No buffer space available")                                  \
  XX(43, NODEV, "No such device")                                              \
  XX(44, NOENT, "No such file or directory")                                   \
  XX(45, NOEXEC, "Exec format error")                                          \
  XX(46, NOLCK, "No locks available")                                          \
  XX(47, NOLINK, "Link has been severed")                                      \
  XX(48, NOMEM, "Out of memory")                                               \
  XX(49, NOMSG, "No message of desired type")                                  \
  XX(50, NOPROTOOPT, "Protocol not available")                                 \
  XX(51, NOSPC, "No space left on device")                                     \
  XX(52, NOSYS, "Function not implemented")                                    \
  XX(53, NOTCONN, "Socket not connected")                                      \
  XX(54, NOTDIR, "Not a directory")                                            \
  XX(55, NOTEMPTY, "Directory not empty")                                      \
  XX(56, NOTRECOVERABLE, "State not recoverable")                              \
  XX(57, NOTSOCK, "Not a socket")                                              \
  XX(58, NOTSUP, "Not supported")                                              \
  XX(59, NOTTY, "Not a tty")                                                   \
  XX(60, NXIO, "No such device or address")                                    \
  XX(61, OVERFLOW, "Value too large for data type")                            \
  XX(62, OWNERDEAD, "Previous owner died")                                     \
  XX(63, PERM, "Operation not permitted")                                      \
  XX(64, PIPE, "Broken pipe")                                                  \
  XX(65, PROTO, "Protocol error")                                              \
  XX(66, PROTONOSUPPORT, "Protocol not supported")                             \
  XX(67, PROTOTYPE, "Protocol wrong type for socket")                          \
  XX(68, RANGE, "Result not representable")                                    \
  XX(69, ROFS, "Read-only file system")                                        \
  XX(70, SPIPE, "Invalid seek")                                                \
  XX(71, SRCH, "No such process")                                              \
  XX(72, STALE, "Stale file handle")                                           \
  XX(73, TIMEDOUT, "Operation timed out")                                      \
  XX(74, TXTBSY, "Text file busy")                                             \
  XX(75, XDEV, "Cross-device link")                                            \
  XX(76, NOTCAPABLE, "Capabilities insufficient")

enum wasisock_errno {
#define WASISOCK__ERRNO_ENUM(value, name, msg) WASISOCK_E##name = value,
  WASISOCK_ERRNO_MAP(WASISOCK__ERRNO_ENUM)
#undef WASISOCK__ERRNO_ENUM
};
/* WASISOCK_ESUCCESS reads oddly; 0 is "no error" everywhere. */
#define WASISOCK_OK WASISOCK_ESUCCESS

/* "ECONNREFUSED" for 14; "EUNKNOWN" for a value outside the list. */
static inline const char *wasisock_errno_name(int32_t code) {
  switch (code) {
#define WASISOCK__ERRNO_NAME(value, name, msg)                                 \
  case value:                                                                  \
    return "E" #name;
    WASISOCK_ERRNO_MAP(WASISOCK__ERRNO_NAME)
#undef WASISOCK__ERRNO_NAME
  default:
    return "EUNKNOWN";
  }
}

/* "Connection refused" for 14; "Unknown error" outside the list. */
static inline const char *wasisock_errno_message(int32_t code) {
  switch (code) {
#define WASISOCK__ERRNO_MSG(value, name, msg)                                  \
  case value:                                                                  \
    return msg;
    WASISOCK_ERRNO_MAP(WASISOCK__ERRNO_MSG)
#undef WASISOCK__ERRNO_MSG
  default:
    return "Unknown error";
  }
}

/* ---- Scalars in guest memory ------------------------------------------- */

/* Out-parameters (handles, byte counts) are u32 little-endian.  Read and
 * written byte by byte: no alignment is assumed and the host's byte order
 * does not matter. */
static inline uint32_t wasisock_u32_read(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

static inline void wasisock_u32_write(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

#define WASISOCK_U32_SIZE 4

static inline uint16_t wasisock_u16_read(const uint8_t *p) {
  return (uint16_t)((uint16_t)p[0] | (uint16_t)p[1] << 8);
}

static inline void wasisock_u16_write(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

/* ---- The address record -------------------------------------------------
 *   offset  size  field
 *   0       1     family  (WASISOCK_AF_INET or WASISOCK_AF_INET6)
 *   1       2     port    (big-endian, i.e. network byte order)
 *   3       16    address (IPv4: bytes 3..6, bytes 7..18 zero;
 *                          IPv6: the 16 bytes in network order)
 * No padding, no alignment: records are packed back to back in arrays.
 * A record the host writes may also be "no address": family
 * WASISOCK_AF_UNSPEC and all 18 other bytes zero (sock_recv_from on a
 * stream socket); wasisock_addr_read answers EAFNOSUPPORT for it. */
#define WASISOCK_ADDR_FAMILY_OFFSET 0
#define WASISOCK_ADDR_PORT_OFFSET 1
#define WASISOCK_ADDR_BYTES_OFFSET 3
#define WASISOCK_ADDR_BYTES_SIZE 16
#define WASISOCK_ADDR_SIZE 19

/* The decoded form.  Host and guest code work with this struct and never
 * touch record bytes directly. */
typedef struct wasisock_addr {
  uint8_t family; /* WASISOCK_AF_INET or WASISOCK_AF_INET6 */
  uint16_t port;  /* host byte order */
  uint8_t bytes[WASISOCK_ADDR_BYTES_SIZE]; /* network order; IPv4 uses 4 */
} wasisock_addr_t;

/* Number of meaningful address bytes for a family: 4, 16, or 0 if the family
 * is not one the ABI knows. */
static inline uint32_t wasisock_addr_bytes_len(uint8_t family) {
  return family == WASISOCK_AF_INET ? 4u
         : family == WASISOCK_AF_INET6 ? 16u
                                       : 0u;
}

/* Writes exactly WASISOCK_ADDR_SIZE bytes.  For IPv4 the 12 unused address
 * bytes are written as zero, whatever the struct holds. */
static inline void wasisock_addr_write(uint8_t *out, const wasisock_addr_t *a) {
  uint32_t n = wasisock_addr_bytes_len(a->family);
  uint32_t i;
  out[WASISOCK_ADDR_FAMILY_OFFSET] = a->family;
  out[WASISOCK_ADDR_PORT_OFFSET] = (uint8_t)(a->port >> 8);
  out[WASISOCK_ADDR_PORT_OFFSET + 1] = (uint8_t)a->port;
  for (i = 0; i < WASISOCK_ADDR_BYTES_SIZE; i++)
    out[WASISOCK_ADDR_BYTES_OFFSET + i] = i < n ? a->bytes[i] : 0;
}

/* Reads WASISOCK_ADDR_SIZE bytes.  Returns 0, or WASISOCK_EAFNOSUPPORT when
 * the family byte is neither AF_INET nor AF_INET6 (the struct is then left
 * with that family and zeroed bytes).  IPv4's 12 unused bytes are ignored. */
static inline int32_t wasisock_addr_read(const uint8_t *in, wasisock_addr_t *a) {
  uint32_t n, i;
  a->family = in[WASISOCK_ADDR_FAMILY_OFFSET];
  a->port = (uint16_t)((uint16_t)in[WASISOCK_ADDR_PORT_OFFSET] << 8 |
                       in[WASISOCK_ADDR_PORT_OFFSET + 1]);
  n = wasisock_addr_bytes_len(a->family);
  for (i = 0; i < WASISOCK_ADDR_BYTES_SIZE; i++)
    a->bytes[i] = i < n ? in[WASISOCK_ADDR_BYTES_OFFSET + i] : 0;
  return n ? WASISOCK_OK : WASISOCK_EAFNOSUPPORT;
}

/* ---- The poll record (sock_poll) ------------------------------------------
 *   offset  size  field
 *   0       4     handle   (u32 little-endian)
 *   4       2     events   (u16 little-endian: WASISOCK_POLLIN | _POLLOUT)
 *   6       2     revents  (u16 little-endian, written by the host)
 * Packed back to back in an array, like struct pollfd. */
#define WASISOCK_POLL_HANDLE_OFFSET 0
#define WASISOCK_POLL_EVENTS_OFFSET 4
#define WASISOCK_POLL_REVENTS_OFFSET 6
#define WASISOCK_POLL_SUB_SIZE 8

typedef struct wasisock_poll_sub {
  uint32_t handle;
  uint16_t events;
  uint16_t revents;
} wasisock_poll_sub_t;

/* Reads one record (WASISOCK_POLL_SUB_SIZE bytes). */
static inline void wasisock_poll_sub_read(const uint8_t *in,
                                          wasisock_poll_sub_t *s) {
  s->handle = wasisock_u32_read(in + WASISOCK_POLL_HANDLE_OFFSET);
  s->events = wasisock_u16_read(in + WASISOCK_POLL_EVENTS_OFFSET);
  s->revents = wasisock_u16_read(in + WASISOCK_POLL_REVENTS_OFFSET);
}

/* Writes one whole record. */
static inline void wasisock_poll_sub_write(uint8_t *out,
                                           const wasisock_poll_sub_t *s) {
  wasisock_u32_write(out + WASISOCK_POLL_HANDLE_OFFSET, s->handle);
  wasisock_u16_write(out + WASISOCK_POLL_EVENTS_OFFSET, s->events);
  wasisock_u16_write(out + WASISOCK_POLL_REVENTS_OFFSET, s->revents);
}

/* Writes only the revents field of the record at rec (what the host does). */
static inline void wasisock_poll_sub_set_revents(uint8_t *rec,
                                                 uint16_t revents) {
  wasisock_u16_write(rec + WASISOCK_POLL_REVENTS_OFFSET, revents);
}

#ifdef __cplusplus
}
#endif

#endif /* WASISOCK_ABI_H */
