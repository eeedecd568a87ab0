/*
 * wasisock.h — the contract between a WebAssembly guest and its host.
 *
 * A guest (a C program or CPython compiled to wasm32-wasip1) imports the
 * calls below from the wasm module "wasisock".  A host (libwasisock, on
 * libuv) implements them against the guest's linear memory.  This header
 * is the single definition of the ABI; docs/ABI.md describes it byte by byte.
 *
 *  - Every call takes i32 arguments and returns an i32 WASI errno value
 *    (0 = success, otherwise the numbers of wasi-libc's <wasi/api.h>,
 *    WASISOCK_E* below).  Results go through guest pointers ("out" params).
 *  - Guest pointers are offsets into the guest's linear memory.  The host
 *    checks every pointer and length against the memory's current size
 *    (overflow included) before touching anything, and answers EFAULT when
 *    a range does not fit; nothing is read or written then.
 *  - Out-params are u32 little-endian; addresses are 19-byte records
 *    (wasisock_abi.h).  Socket handles are host-chosen positive integers,
 *    never WASI file descriptors.  libwasisock numbers them from
 *    WASISOCK_FIRST_HANDLE (1024) up, reusing the lowest free number.
 *  - Errors come in a fixed order, so a bad call has no effect at all:
 *    1. EFAULT: every guest pointer (inputs and out-params) is checked
 *       first; 2. argument values (EINVAL, EAFNOSUPPORT, EPROTOTYPE);
 *    3. the handle (EBADF), then what depends on it (e.g. the record's
 *    family against the socket's); only then is anything done.
 *  - Calls block until done, unless the socket has a timeout
 *    (sock_set_timeout, revision 2): then a call waits at most that long
 *    (ETIMEDOUT), or not at all for timeout 0 (EAGAIN; EINPROGRESS from a
 *    connect).  Timeouts apply to connect, accept, send, send_to, recv and
 *    recv_from.
 *
 * Evolving the ABI: calls are added, never changed or removed.  A new call
 * gets a row in WASISOCK_IMPORT_LIST with the revision that introduced it;
 * WASISOCK_ABI_REVISION counts revisions.  A guest learns what its host
 * supports from sock_abi_version (present since revision 1); a host learns
 * what a guest needs from the module's import list, and a runtime adapter
 * refuses to start a module that imports a wasisock call the host lacks,
 * naming it.  A call whose semantics must change is added under a new name
 * (e.g. sock_recv_from2), the old one keeps working.
 */
#ifndef WASISOCK_H
#define WASISOCK_H

#include <stddef.h>
#include <stdint.h>

#include "wasisock_abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- The import list ------------------------------------------------------
 * One row per import, the single source of its facts:
 *
 *   XX(name, nparams, revision, ((KIND, param), ...))
 *
 * Every parameter is a wasm i32 and every result one i32 (a WASI errno), so
 * the arity fixes the wasm signature: sock_open is (i32 i32 i32) -> i32.
 * The kinds say what each i32 is (WASISOCK_PARAM_KIND_LIST below):
 *
 *   HANDLE     a socket handle
 *   VALUE      a number (u32; where it is read as an i32 the call says so)
 *   LEN        the element count of the pointer parameter just before it
 *   BYTES_IN   guest pointer: LEN bytes the host reads
 *   BYTES_OUT  guest pointer: LEN bytes the host may write
 *   U32_OUT    guest pointer: a u32 LE out-param the host writes
 *   ADDR_IN    guest pointer: an address record the host reads
 *   ADDR_OUT   guest pointer: an address record the host writes
 *   ADDRS_OUT  guest pointer: LEN address records the host may write
 *   POLL_SUBS  guest pointer: LEN poll records the host reads and writes
 *
 * Derived from it: the guest's raw import declarations and the host's
 * prototypes (below), the host's import table with each parameter's kind
 * (import_table.c), every adapter's registration (one loop over the table),
 * the bounds sweep (tests/unit/test-bounds-sweep.c), the fuzzer's record
 * sanitising (tests/fuzz/fuzz-imports.c); tests/unit/test-abi-doc.c fails
 * when docs/ABI.md or the comments below disagree with it.  A pointer
 * parameter "p" is "p_ptr" in host prototypes and docs/ABI.md. */
#define WASISOCK_IMPORT_LIST(XX)                                               \
  XX(sock_abi_version, 1, 1, ((U32_OUT, revision)))                            \
  XX(sock_open, 3, 1, ((VALUE, af), (VALUE, socktype), (U32_OUT, handle)))     \
  XX(sock_resolve, 6, 1,                                                       \
     ((BYTES_IN, name), (LEN, name_len), (VALUE, port), (ADDRS_OUT, addrs),    \
      (LEN, max_addrs), (U32_OUT, count)))                                     \
  XX(sock_connect, 2, 1, ((HANDLE, handle), (ADDR_IN, addr)))                  \
  XX(sock_send, 4, 1,                                                          \
     ((HANDLE, handle), (BYTES_IN, buf), (LEN, buf_len), (U32_OUT, sent)))     \
  XX(sock_recv, 4, 1,                                                          \
     ((HANDLE, handle), (BYTES_OUT, buf), (LEN, buf_len),                      \
      (U32_OUT, received)))                                                    \
  XX(sock_close, 1, 1, ((HANDLE, handle)))                                     \
  XX(sock_bind, 2, 2, ((HANDLE, handle), (ADDR_IN, addr)))                     \
  XX(sock_listen, 2, 2, ((HANDLE, handle), (VALUE, backlog)))                  \
  XX(sock_accept, 3, 2,                                                        \
     ((HANDLE, handle), (U32_OUT, new_handle), (ADDR_OUT, peer_addr)))         \
  XX(sock_send_to, 6, 2,                                                       \
     ((HANDLE, handle), (BYTES_IN, buf), (LEN, buf_len), (VALUE, flags),       \
      (ADDR_IN, addr), (U32_OUT, sent)))                                       \
  XX(sock_recv_from, 6, 2,                                                     \
     ((HANDLE, handle), (BYTES_OUT, buf), (LEN, buf_len), (VALUE, flags),      \
      (ADDR_OUT, addr), (U32_OUT, received)))                                  \
  XX(sock_shutdown, 2, 2, ((HANDLE, handle), (VALUE, how)))                    \
  XX(sock_getsockopt, 4, 2,                                                    \
     ((HANDLE, handle), (VALUE, level), (VALUE, name), (U32_OUT, value)))      \
  XX(sock_setsockopt, 4, 2,                                                    \
     ((HANDLE, handle), (VALUE, level), (VALUE, name), (VALUE, value)))        \
  XX(sock_local_addr, 2, 2, ((HANDLE, handle), (ADDR_OUT, addr)))              \
  XX(sock_peer_addr, 2, 2, ((HANDLE, handle), (ADDR_OUT, addr)))               \
  XX(sock_set_timeout, 2, 2, ((HANDLE, handle), (VALUE, timeout_ms)))          \
  XX(sock_get_timeout, 2, 2, ((HANDLE, handle), (U32_OUT, timeout)))           \
  XX(sock_poll, 4, 2,                                                          \
     ((POLL_SUBS, subs), (LEN, nsubs), (VALUE, timeout_ms), (U32_OUT, nready))) \
  XX(sock_socketpair, 3, 3,                                                    \
     ((VALUE, socktype), (U32_OUT, handle0), (U32_OUT, handle1)))              \
  XX(sock_nread, 2, 3, ((HANDLE, handle), (U32_OUT, bytes)))

/* ---- Parameter kinds -------------------------------------------------------
 * XX(KIND, bytes per element in guest memory (0: not a pointer), 1 when the
 * next parameter (a LEN) counts the elements, access: 1 read, 2 written,
 * 3 both).  A pointer of a counted kind covers count * size bytes, computed
 * in 64 bits; the others cover size bytes.  WASISOCK_PARAM_KIND(KIND, XX)
 * expands one kind's row. */
#define WASISOCK__KIND_HANDLE(XX) XX(HANDLE, 0, 0, 0)
#define WASISOCK__KIND_VALUE(XX) XX(VALUE, 0, 0, 0)
#define WASISOCK__KIND_LEN(XX) XX(LEN, 0, 0, 0)
#define WASISOCK__KIND_BYTES_IN(XX) XX(BYTES_IN, 1, 1, 1)
#define WASISOCK__KIND_BYTES_OUT(XX) XX(BYTES_OUT, 1, 1, 2)
#define WASISOCK__KIND_U32_OUT(XX) XX(U32_OUT, WASISOCK_U32_SIZE, 0, 2)
#define WASISOCK__KIND_ADDR_IN(XX) XX(ADDR_IN, WASISOCK_ADDR_SIZE, 0, 1)
#define WASISOCK__KIND_ADDR_OUT(XX) XX(ADDR_OUT, WASISOCK_ADDR_SIZE, 0, 2)
#define WASISOCK__KIND_ADDRS_OUT(XX) XX(ADDRS_OUT, WASISOCK_ADDR_SIZE, 1, 2)
#define WASISOCK__KIND_POLL_SUBS(XX) XX(POLL_SUBS, WASISOCK_POLL_SUB_SIZE, 1, 3)
#define WASISOCK_PARAM_KIND(kind, XX) WASISOCK__KIND_##kind(XX)
#define WASISOCK_PARAM_KIND_LIST(XX)                                           \
  WASISOCK__KIND_HANDLE(XX) WASISOCK__KIND_VALUE(XX) WASISOCK__KIND_LEN(XX)    \
  WASISOCK__KIND_BYTES_IN(XX) WASISOCK__KIND_BYTES_OUT(XX)                     \
  WASISOCK__KIND_U32_OUT(XX) WASISOCK__KIND_ADDR_IN(XX)                        \
  WASISOCK__KIND_ADDR_OUT(XX) WASISOCK__KIND_ADDRS_OUT(XX)                     \
  WASISOCK__KIND_POLL_SUBS(XX)

typedef enum wasisock_param_kind {
#define WASISOCK__KIND_ENUM(kind, size, counted, access) WASISOCK_PARAM_##kind,
  WASISOCK_PARAM_KIND_LIST(WASISOCK__KIND_ENUM)
#undef WASISOCK__KIND_ENUM
  WASISOCK_PARAM_KIND_COUNT
} wasisock_param_kind_t;

/* The C spelling of each kind: the guest's raw import parameter, the host
 * prototype's parameter (pointers are guest offsets there, named p_ptr). */
#define WASISOCK__GUEST_HANDLE(p) uint32_t p
#define WASISOCK__GUEST_VALUE(p) uint32_t p
#define WASISOCK__GUEST_LEN(p) uint32_t p
#define WASISOCK__GUEST_BYTES_IN(p) const uint8_t *p
#define WASISOCK__GUEST_BYTES_OUT(p) uint8_t *p
#define WASISOCK__GUEST_U32_OUT(p) uint32_t *p
#define WASISOCK__GUEST_ADDR_IN(p) const uint8_t *p
#define WASISOCK__GUEST_ADDR_OUT(p) uint8_t *p
#define WASISOCK__GUEST_ADDRS_OUT(p) uint8_t *p
#define WASISOCK__GUEST_POLL_SUBS(p) uint8_t *p
#define WASISOCK__HOST_HANDLE(p) uint32_t p
#define WASISOCK__HOST_VALUE(p) uint32_t p
#define WASISOCK__HOST_LEN(p) uint32_t p
#define WASISOCK__HOST_BYTES_IN(p) uint32_t p##_ptr
#define WASISOCK__HOST_BYTES_OUT(p) uint32_t p##_ptr
#define WASISOCK__HOST_U32_OUT(p) uint32_t p##_ptr
#define WASISOCK__HOST_ADDR_IN(p) uint32_t p##_ptr
#define WASISOCK__HOST_ADDR_OUT(p) uint32_t p##_ptr
#define WASISOCK__HOST_ADDRS_OUT(p) uint32_t p##_ptr
#define WASISOCK__HOST_POLL_SUBS(p) uint32_t p##_ptr

/* WASISOCK_PARAMS(f, sep, nparams, params) applies f(KIND, name) to each
 * (KIND, name) of a row's params, with sep() between them.  A row whose
 * nparams is not its number of pairs fails to compile here. */
#define WASISOCK_PARAMS(f, sep, n, params)                                     \
  WASISOCK__APPLY(WASISOCK__PARAMS_##n, (f, sep, WASISOCK__UNPAREN params))
#define WASISOCK__APPLY(m, args) m args
#define WASISOCK__UNPAREN(...) __VA_ARGS__
#define WASISOCK_SEP_COMMA() ,
#define WASISOCK_SEP_NONE()
#define WASISOCK__PARAMS_0(f, s, none)
#define WASISOCK__PARAMS_1(f, s, a) f a
#define WASISOCK__PARAMS_2(f, s, a, b) f a s() f b
#define WASISOCK__PARAMS_3(f, s, a, b, c) f a s() f b s() f c
#define WASISOCK__PARAMS_4(f, s, a, b, c, d) f a s() f b s() f c s() f d
#define WASISOCK__PARAMS_5(f, s, a, b, c, d, e)                                \
  f a s() f b s() f c s() f d s() f e
#define WASISOCK__PARAMS_6(f, s, a, b, c, d, e, g)                             \
  f a s() f b s() f c s() f d s() f e s() f g
#define WASISOCK__PARAMS_7(f, s, a, b, c, d, e, g, h)                          \
  f a s() f b s() f c s() f d s() f e s() f g s() f h
#define WASISOCK__PARAMS_8(f, s, a, b, c, d, e, g, h, i)                       \
  f a s() f b s() f c s() f d s() f e s() f g s() f h s() f i
/* Most parameters an import has (adapters size their argument arrays). */
#define WASISOCK_MAX_PARAMS 8

/* Longest name sock_resolve accepts, in bytes (a DNS name is at most 253). */
#define WASISOCK_NAME_MAX 255

/* ---- The imports, as documentation ----------------------------------------
 *
 * sock_abi_version(u32 *revision)
 *   Writes the host's WASISOCK_ABI_REVISION to *revision.
 *   Errors: EFAULT (revision does not fit in memory).
 *
 * sock_open(u32 af, u32 socktype, u32 *handle)
 *   Creates a socket: af WASISOCK_AF_INET or WASISOCK_AF_INET6, socktype
 *   WASISOCK_SOCK_STREAM (TCP) or WASISOCK_SOCK_DGRAM (UDP).  Writes the new
 *   handle to *handle.
 *   Errors: EFAULT (handle), EAFNOSUPPORT (af), EPROTOTYPE (socktype),
 *   EMFILE (the instance's socket limit: the lower of the config's
 *   max_sockets and the policy's max-sockets), ENFILE/ENOMEM/ENOBUFS (host).
 *
 * sock_resolve(u8 *name, u32 name_len, u32 port, u8 *addrs, u32 max_addrs,
 *              u32 *count)
 *   Resolves the host name name[0..name_len) (not NUL-terminated; a numeric
 *   IPv4 or IPv6 address is accepted too) into IPv4 and IPv6 addresses in
 *   the system resolver's preference order, duplicates removed.  Writes up to
 *   max_addrs 19-byte records, each with the given port, back to back at
 *   addrs, and the number written to *count.  max_addrs may be 0.
 *   Names under "invalid." (RFC 6761) are ENOENT at once, without a lookup.
 *   With a network policy, the name is checked before any lookup, and
 *   addresses the guest may not connect to are left out of the answer.
 *   Errors: EFAULT (name, addrs[max_addrs * 19] or count out of memory),
 *   EINVAL (name_len 0 or > WASISOCK_NAME_MAX, a NUL byte in the name,
 *   port > 65535), EACCES (the policy refuses the lookup, or hides every
 *   address found), ENOENT (the name does not exist / has no address:
 *   EAI_NONAME, EAI_NODATA), EAGAIN (temporary failure: EAI_AGAIN),
 *   ENOMEM, EIO (any other resolver failure).
 *
 * sock_connect(u32 handle, u8 *addr)
 *   Connects to the 19-byte address record at addr.  TCP: returns once the
 *   connection is established or has failed.  UDP: sets the peer that
 *   sock_send sends to and sock_recv receives from.
 *   Errors: EFAULT (addr), EBADF (handle), EAFNOSUPPORT (record family
 *   unknown or not the socket's), EACCES (the policy refuses this address
 *   and port; nothing was sent), ECONNREFUSED, ETIMEDOUT, ENETUNREACH,
 *   EHOSTUNREACH, EADDRNOTAVAIL, EISCONN, ...
 *
 * sock_send(u32 handle, u8 *buf, u32 buf_len, u32 *sent)
 *   Sends from buf[0..buf_len).  Waits until the socket can take data, then
 *   sends what it takes and writes that number to *sent: a TCP send can be
 *   partial and the guest sends the rest (a "sendall" loops).  A UDP send
 *   is one datagram.  Never raises SIGPIPE on the host.
 *   Errors: EFAULT (buf, sent), EBADF, ENOTCONN, EDESTADDRREQ, EPIPE,
 *   ECONNRESET, EMSGSIZE (datagram too large), ...
 *
 * sock_recv(u32 handle, u8 *buf, u32 buf_len, u32 *received)
 *   Waits until data is available and receives up to buf_len bytes into buf,
 *   writing the number to *received.  0 bytes means the peer closed the
 *   connection in order (or buf_len was 0: then the call returns at once,
 *   without waiting or consuming anything).  UDP: one datagram, truncated to
 *   buf_len.
 *   Errors: EFAULT (buf, received), EBADF, ENOTCONN, ECONNRESET, ...
 *
 * sock_close(u32 handle)
 *   Closes the socket and frees its handle (the number may be reused).
 *   Errors: EBADF (not an open handle).
 *
 * ---- Revision 2 ----
 *
 * sock_bind(u32 handle, u8 *addr)
 *   Binds the socket to the 19-byte local address record at addr.  Port 0
 *   takes an ephemeral port (sock_local_addr tells which).
 *   Errors: EFAULT (addr), EBADF, EAFNOSUPPORT (record family unknown or not
 *   the socket's), EACCES (the policy), EADDRINUSE, EADDRNOTAVAIL (not an
 *   address of this host), EINVAL (bound already).
 *
 * sock_listen(u32 handle, u32 backlog)
 *   Makes a stream socket accept connections; backlog (an i32) is clamped to
 *   [1, SOMAXCONN].  A socket not bound yet is bound to an ephemeral port
 *   of its family's any-address first, as BSD does.
 *   Errors: EBADF, ENOTSUP (a datagram socket), EACCES (the policy, for that
 *   implicit bind), EADDRINUSE.
 *
 * sock_accept(u32 handle, u32 *new_handle, u8 *peer_addr)
 *   Waits for a connection on a listening socket (per its timeout), then
 *   writes the new socket's handle to *new_handle and the peer's address
 *   record to peer_addr.  The new socket blocks (timeout NONE) whatever the
 *   listener's timeout.  At the instance's socket limit the call is EMFILE
 *   without accepting: the connection stays queued for a later accept.
 *   Errors: EFAULT (new_handle, peer_addr), EBADF, EINVAL (not listening),
 *   ENOTSUP (a datagram socket), EMFILE, EAGAIN (non-blocking, none
 *   pending), ETIMEDOUT, ECONNABORTED, ENOMEM, ...
 *
 * sock_send_to(u32 handle, u8 *buf, u32 buf_len, u32 flags, u8 *addr,
 *              u32 *sent)
 *   As sock_send, to the address record at addr.  UDP: one datagram to addr
 *   (an unbound socket is bound to an ephemeral port first, as BSD).  TCP:
 *   as the kernel says (Linux ignores addr on a connected socket).  flags
 *   is reserved and must be 0.
 *   Errors: EFAULT (buf, addr, sent), EINVAL (flags), EAFNOSUPPORT (record
 *   family unknown or not the socket's), EBADF, EACCES (the policy refuses
 *   the destination; nothing was sent), EMSGSIZE, EAGAIN, ETIMEDOUT, ...
 *
 * sock_recv_from(u32 handle, u8 *buf, u32 buf_len, u32 flags, u8 *addr,
 *                u32 *received)
 *   As sock_recv, and writes the sender's address record to addr.  A stream
 *   socket has no per-message sender: addr gets "no address" (family
 *   WASISOCK_AF_UNSPEC, 18 zero bytes), and buf_len 0 is 0 at once.  A
 *   datagram socket receives (and consumes) a datagram even for buf_len 0.
 *   flags: WASISOCK_MSG_PEEK (leave the data queued) or WASISOCK_MSG_WAITALL
 *   (stream: wait until buf_len bytes, end of stream, an error or the
 *   timeout, returning what arrived if anything did).
 *   Errors: EFAULT (buf, addr, received), EINVAL (other flag bits, or PEEK
 *   with WAITALL), EBADF, ENOTCONN, ECONNRESET, ECONNREFUSED (UDP, an ICMP
 *   error), EAGAIN, ETIMEDOUT, ...
 *
 * sock_shutdown(u32 handle, u32 how)
 *   Shuts down reception (WASISOCK_SHUT_RD), transmission (WASISOCK_SHUT_WR:
 *   the peer reads end of stream) or both (WASISOCK_SHUT_RDWR).
 *   Errors: EINVAL (how), EBADF, ENOTCONN.
 *
 * sock_getsockopt(u32 handle, u32 level, u32 name, u32 *value)
 *   Writes the option's value (u32 LE; an i32 for sizes) to *value.  Levels
 *   and names are WASISOCK_SOL_SOCKET / _IPPROTO_TCP / _IPPROTO_IPV6 and
 *   WASISOCK_SO_*, WASISOCK_TCP_NODELAY, WASISOCK_IPV6_V6ONLY.  SO_TYPE
 *   answers WASISOCK_SOCK_STREAM/_DGRAM; SO_ERROR the pending error as a
 *   WASI errno, and clears it; SO_RCVBUF/SO_SNDBUF what Linux reports
 *   (twice the size set).
 *   Errors: EFAULT (value), ENOPROTOOPT (level/name unknown), EBADF, and the
 *   kernel's (ENOTSUP for IPV6_V6ONLY on an IPv4 socket, ...).
 *
 * sock_setsockopt(u32 handle, u32 level, u32 name, u32 value)
 *   Sets an option to value (an i32).  SO_TYPE, SO_ERROR and SO_ACCEPTCONN
 *   are read-only.  SO_RCVBUF/SO_SNDBUF are capped at the policy's
 *   max-buffer.
 *   Errors: ENOPROTOOPT (unknown, or read-only), EBADF, EINVAL (the kernel:
 *   e.g. IPV6_V6ONLY after bind), ...
 *
 * sock_local_addr(u32 handle, u8 *addr)
 *   Writes the socket's local address record (getsockname); an unbound
 *   socket's is its family's any-address with port 0.
 *   Errors: EFAULT (addr), EBADF.
 *
 * sock_peer_addr(u32 handle, u8 *addr)
 *   Writes the connected peer's address record (getpeername).
 *   Errors: EFAULT (addr), EBADF, ENOTCONN.
 *
 * sock_set_timeout(u32 handle, u32 timeout_ms)
 *   WASISOCK_TIMEOUT_NONE (0xFFFFFFFF, the default): calls block until
 *   done.  0: non-blocking — a call that would wait answers EAGAIN (connect:
 *   EINPROGRESS, after starting; its outcome comes through sock_poll's
 *   POLLOUT and SO_ERROR).  N: a call waits at most N ms in total, then
 *   answers ETIMEDOUT.
 *   Errors: EBADF.
 *
 * sock_get_timeout(u32 handle, u32 *timeout)
 *   Writes the socket's timeout as sock_set_timeout took it.
 *   Errors: EFAULT (timeout), EBADF.
 *
 * sock_poll(u8 *subs, u32 nsubs, u32 timeout_ms, u32 *nready)
 *   subs holds nsubs 8-byte records {u32 handle, u16 events, u16 revents}
 *   (wasisock_abi.h).  Waits until a record's socket is ready for its events
 *   (WASISOCK_POLLIN, WASISOCK_POLLOUT) or has an error or hang-up, or
 *   timeout_ms passes (an i32: negative waits without limit, 0 does not
 *   wait).  Writes every record's revents (POLLIN, POLLOUT, POLLERR,
 *   POLLHUP; POLLNVAL for a handle that is not open, which makes the call
 *   return at once) and the number of records with revents != 0 to
 *   *nready (0 on timeout).  nsubs 0 just sleeps.
 *   Errors: EFAULT (subs[nsubs * 8], nready), EINVAL (nsubs >
 *   WASISOCK_POLL_MAX, unknown event bits, nsubs 0 with no timeout), ENOMEM.
 *
 * ---- Revision 3 ----
 *
 * sock_socketpair(u32 socktype, u32 *handle0, u32 *handle1)
 *   Creates two connected Unix-domain sockets on the host (socketpair(2)),
 *   socktype WASISOCK_SOCK_STREAM or WASISOCK_SOCK_DGRAM, and writes their
 *   handles.  No address is involved: the network policy is not asked, but
 *   both count against the socket limit.  Every other call works on them;
 *   sock_local_addr, sock_peer_addr and sock_recv_from report "no address".
 *   Errors: EFAULT (handle0, handle1), EPROTOTYPE (socktype), EMFILE (room
 *   for fewer than two), ENFILE/ENOMEM (host).
 *
 * sock_nread(u32 handle, u32 *bytes)
 *   Writes how many bytes one receive would return now without waiting
 *   (ioctl FIONREAD): the bytes queued on a stream, the size of the next
 *   datagram on a datagram socket, 0 if none.
 *   Errors: EFAULT (bytes), EBADF, EINVAL (a listening socket).
 */

/* ---------------------------------------------------------------------------
 * Guest side (wasm32): the raw imports.  Declared once here; the guest
 * library (src/guest) and CPython's _wasisocket call them.
 * ------------------------------------------------------------------------- */
#if defined(__wasm32__)

#define WASISOCK__IMPORT(name)                                                 \
  __attribute__((__import_module__(WASISOCK_MODULE), __import_name__(#name)))

/* int32_t __wasisock_sock_send(uint32_t handle, const uint8_t *buf,
 *                              uint32_t buf_len, uint32_t *sent); ... */
#define WASISOCK__GUEST_PARAM(kind, p) WASISOCK__GUEST_##kind(p)
#define WASISOCK__GUEST_DECL(name, nparams, revision, params)                  \
  int32_t __wasisock_##name(WASISOCK_PARAMS(WASISOCK__GUEST_PARAM,             \
                                            WASISOCK_SEP_COMMA, nparams,       \
                                            params)) WASISOCK__IMPORT(name);
WASISOCK_IMPORT_LIST(WASISOCK__GUEST_DECL)
#undef WASISOCK__GUEST_DECL

/* ---------------------------------------------------------------------------
 * Guest side (wasm32): the guest library, libwasisock_guest.a (src/guest).
 *
 * A small C API over the raw imports, in the style of the socket calls:
 * functions return a handle, a count or 0 on success, and -1 with errno set
 * on failure.  errno takes the import's code unchanged: wasi-libc numbers
 * errno the WASI way, so ECONNREFUSED == WASISOCK_ECONNREFUSED and strerror()
 * and wasisock_errno_name(errno) both work.  Handles are the host's socket
 * handles (positive ints), not file descriptors: use them with these calls
 * only.  Every call blocks until done, unless the handle has a timeout
 * (wasisock_set_timeout).
 * ------------------------------------------------------------------------- */
#include <sys/types.h> /* ssize_t */

/* Longest textual address wasisock_addr_format writes, NUL included:
 * "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535". */
#define WASISOCK_ADDRSTRLEN 56

/* The host's ABI revision (WASISOCK_ABI_REVISION of the host library), or
 * -1 with errno set. */
int wasisock_abi_revision(void);

/* Resolves host (a name, or a numeric IPv4/IPv6 address) for port into at most
 * max_addrs decoded addresses, in the resolver's preference order.  Returns
 * how many were stored (>= 1; the host may know more than max_addrs), or -1
 * with errno: ENOENT (no such name or no address), EAGAIN (temporary DNS
 * failure), EINVAL (empty or too long name, max_addrs 0), EIO, ENOMEM. */
int wasisock_resolve(const char *host, uint16_t port, wasisock_addr_t *addrs,
                     size_t max_addrs);

/* Opens a socket: af WASISOCK_AF_INET or WASISOCK_AF_INET6 (AF_INET and
 * AF_INET6 of <sys/socket.h> are the same numbers), socktype
 * WASISOCK_SOCK_STREAM or WASISOCK_SOCK_DGRAM.  Returns the handle, or -1
 * with errno (EAFNOSUPPORT, EPROTOTYPE, EMFILE, ENOMEM, ...). */
int wasisock_socket(int af, int socktype);

/* Connects handle h to addr (TCP: establishes the connection; UDP: sets the
 * peer).  Returns 0, or -1 with errno (ECONNREFUSED, ETIMEDOUT,
 * ENETUNREACH, EAFNOSUPPORT for an address of the other family, EBADF). */
int wasisock_connect(int h, const wasisock_addr_t *addr);

/* Resolves host and connects a new TCP socket to port, trying every address
 * in order until one accepts.  Returns the handle, or -1 with errno from the
 * resolution or from the last address tried (e.g. ECONNREFUSED). */
int wasisock_tcp_connect(const char *host, uint16_t port);

/* Same for UDP: a datagram socket whose peer is the first address of host
 * that a socket can be opened and connected for.  Returns the handle or -1
 * with errno. */
int wasisock_udp_connect(const char *host, uint16_t port);

/* Sends once from buf[0..len): TCP may take only part of it.  Returns the
 * number of bytes sent, or -1 with errno (EPIPE, ECONNRESET, ENOTCONN,
 * EMSGSIZE for an oversized datagram, EBADF, ...). */
ssize_t wasisock_send(int h, const void *buf, size_t len);

/* Sends all of buf[0..len), looping over partial sends.  Returns len, or -1
 * with errno (bytes may have been sent before the failure). */
ssize_t wasisock_send_all(int h, const void *buf, size_t len);

/* Receives up to len bytes (UDP: one datagram, truncated to len).  Returns
 * the number received, 0 when a TCP peer closed the connection (or len is 0),
 * or -1 with errno (ECONNRESET, ENOTCONN, EBADF, ...). */
ssize_t wasisock_recv(int h, void *buf, size_t len);

/* Closes handle h.  Returns 0, or -1 with errno EBADF. */
int wasisock_close(int h);

/* ---- Revision 2: servers, addresses, options, timeouts, poll ---------------
 * These need a host with ABI revision 2 (a host without it refuses to start
 * a module that imports them). */

/* Binds h to the local address addr (port 0: an ephemeral port, see
 * wasisock_local_addr).  Returns 0, or -1 with errno (EADDRINUSE,
 * EADDRNOTAVAIL, EAFNOSUPPORT, EINVAL if bound already, EACCES). */
int wasisock_bind(int h, const wasisock_addr_t *addr);

/* Makes stream socket h accept connections (backlog clamped to [1,
 * SOMAXCONN]; an unbound socket gets an ephemeral port).  Returns 0, or -1
 * with errno (ENOTSUP for UDP, EACCES, EADDRINUSE). */
int wasisock_listen(int h, int backlog);

/* Waits for a connection on h (per h's timeout) and returns the new handle,
 * which blocks whatever h's timeout; the peer's address goes to *peer if
 * peer is not NULL.  -1 with errno: EAGAIN (non-blocking, none pending),
 * ETIMEDOUT, EMFILE (the connection stays queued), EINVAL (not listening),
 * ECONNABORTED, ... */
int wasisock_accept(int h, wasisock_addr_t *peer);

/* Resolves host (NULL or "" for 0.0.0.0) and returns a TCP socket bound to
 * the first of its addresses that can be bound, with SO_REUSEADDR, port,
 * listening with backlog; -1 with errno from the last attempt. */
int wasisock_tcp_listen(const char *host, uint16_t port, int backlog);

/* Sends buf[0..len) to the address to (UDP: one datagram; an unbound socket
 * is bound first).  flags must be 0.  Returns the bytes sent or -1 with
 * errno (EMSGSIZE, EACCES, EAFNOSUPPORT, EAGAIN, ETIMEDOUT, ...). */
ssize_t wasisock_sendto(int h, const void *buf, size_t len, int flags,
                        const wasisock_addr_t *to);

/* Receives up to len bytes; the sender's address goes to *from if from is
 * not NULL (a stream socket has none: from->family is WASISOCK_AF_UNSPEC).
 * flags: 0, WASISOCK_MSG_PEEK or WASISOCK_MSG_WAITALL (the same numbers as
 * MSG_PEEK and MSG_WAITALL of <sys/socket.h>).  Returns the bytes received
 * (0: end of stream) or -1 with errno (EAGAIN, ETIMEDOUT, ECONNRESET, ...). */
ssize_t wasisock_recvfrom(int h, void *buf, size_t len, int flags,
                          wasisock_addr_t *from);

/* how: WASISOCK_SHUT_RD, _WR or _RDWR (SHUT_* of <sys/socket.h>).  Returns
 * 0, or -1 with errno (ENOTCONN, EINVAL). */
int wasisock_shutdown(int h, int how);

/* Socket options: level WASISOCK_SOL_SOCKET (wasi-libc's SOL_SOCKET),
 * WASISOCK_IPPROTO_TCP or WASISOCK_IPPROTO_IPV6, names WASISOCK_SO_*,
 * WASISOCK_TCP_NODELAY, WASISOCK_IPV6_V6ONLY.  SO_TYPE reads
 * WASISOCK_SOCK_STREAM/_DGRAM, SO_ERROR an errno value (and clears it).
 * Return 0, or -1 with errno (ENOPROTOOPT for an option the ABI lacks). */
int wasisock_setsockopt(int h, int level, int name, int value);
int wasisock_getsockopt(int h, int level, int name, int *value);

/* The local (getsockname) and peer (getpeername) address of h.  Return 0,
 * or -1 with errno (ENOTCONN for a peer that is not there). */
int wasisock_local_addr(int h, wasisock_addr_t *addr);
int wasisock_peer_addr(int h, wasisock_addr_t *addr);

/* WASISOCK_TIMEOUT_NONE (the default): calls on h block until done; 0:
 * they never wait (EAGAIN; connect EINPROGRESS, then poll for
 * WASISOCK_POLLOUT and read SO_ERROR); N: they wait at most N ms
 * (ETIMEDOUT).  Return 0, or -1 with errno EBADF. */
int wasisock_set_timeout(int h, uint32_t timeout_ms);
int wasisock_get_timeout(int h, uint32_t *timeout_ms);

/* Waits until one of subs[0..n) is ready for its events (WASISOCK_POLLIN,
 * WASISOCK_POLLOUT), or timeout_ms passes (-1: no limit, 0: just look), and
 * sets every revents (also WASISOCK_POLLERR, _POLLHUP, and _POLLNVAL for a
 * handle that is not open).  Returns how many have revents != 0 (0 on
 * timeout), or -1 with errno (EINVAL: n > WASISOCK_POLL_MAX, unknown event
 * bits, n 0 with no timeout). */
int wasisock_poll(wasisock_poll_sub_t *subs, size_t n, int timeout_ms);

/* Writes addr as text, "192.0.2.1:80" or "[2001:db8::1]:443", NUL-terminated,
 * into buf[0..len) (WASISOCK_ADDRSTRLEN bytes always suffice).  Returns buf,
 * or NULL with errno ENOSPC (buf too small) or EAFNOSUPPORT. */
char *wasisock_addr_format(const wasisock_addr_t *addr, char *buf, size_t len);

#else /* !__wasm32__ */

/* ---------------------------------------------------------------------------
 * Host side: the embedding API of libwasisock.
 * ------------------------------------------------------------------------- */

#if defined(_WIN32) && defined(WASISOCK_SHARED_BUILD)
#define WASISOCK_EXTERN __declspec(dllexport)
#elif defined(_WIN32) && defined(WASISOCK_SHARED)
#define WASISOCK_EXTERN __declspec(dllimport)
#elif defined(__GNUC__) && defined(WASISOCK_SHARED_BUILD)
#define WASISOCK_EXTERN __attribute__((visibility("default")))
#else
#define WASISOCK_EXTERN /* nothing */
#endif

/* One host instance serves one guest instance.  Instances share nothing: each
 * has its own socket table and its own libuv loop.  An instance is used from
 * one thread at a time. */
typedef struct wasisock wasisock_t;

/* The guest's linear memory as it is now.  Passed on every call because a
 * wasm memory can grow (and move) between calls. */
typedef struct wasisock_mem {
  uint8_t *base;
  size_t len;
} wasisock_mem_t;

/* The network policy (wasisock_policy.h, docs/POLICY.md). */
struct wasisock_policy;
struct wasisock_policy_denial;

/* One import call, as the tracer (wasisock_config_t.on_call) sees it once
 * the call has returned. */
struct wasisock_import;
typedef struct wasisock_call {
  const struct wasisock_import *import; /* its row of wasisock_import_table() */
  const uint32_t *args;       /* the guest's arguments, import->nparams */
  const wasisock_mem_t *mem;  /* the guest's memory after the call, so
                                 out-params can be read; may be NULL or
                                 invalid when the call was EINVAL for it */
  int32_t result;             /* the WASI errno the guest gets */
  uint64_t duration_ns;       /* how long the call took (monotonic clock) */
  uint32_t denials;           /* requests the policy refused during the
                                 call, addresses hidden from a lookup
                                 included */
  const char *denial;         /* the first of them as
                                 wasisock_policy_denial_format writes it, or
                                 NULL when there was none */
} wasisock_call_t;

/* libwasisock's socket handles: the first one an instance gives out (then
 * always the lowest free one; 1024 is wasi-libc's FD_SETSIZE, so a handle
 * mistakenly given to select() fails loudly instead of watching some
 * unrelated descriptor), and the largest max_sockets wasisock_new accepts:
 * every handle stays below WASISOCK_FD_BASE, so a guest's descriptor
 * WASISOCK_FD_BASE + handle is an int that no WASI file descriptor reaches. */
#define WASISOCK_FIRST_HANDLE 1024u
#define WASISOCK_MAX_SOCKETS_LIMIT                                             \
  ((uint32_t)WASISOCK_FD_BASE - WASISOCK_FIRST_HANDLE)

/* Options for wasisock_new.  Initialise with wasisock_config_init, then set
 * fields; struct_size lets later versions add fields compatibly. */
typedef struct wasisock_config {
  size_t struct_size;
  uint32_t max_sockets; /* open sockets per instance; default 1024, at most
                           WASISOCK_MAX_SOCKETS_LIMIT */
  /* The network policy (wasisock_policy.h), or NULL (default) to allow
   * everything.  wasisock_new takes a snapshot: the policy may be changed
   * or freed afterwards without affecting the instance, and one policy may
   * configure any number of instances.  The instance also honours the
   * policy's max-sockets (the lower of the two limits wins). */
  const struct wasisock_policy *policy;
  /* Called once per request the policy refuses (and per address hidden
   * from a lookup), before the guest gets WASISOCK_EACCES; on the thread
   * that called the import, with data on_denial_data.  The denial and what
   * it points to are valid during the call only.  Also called: the
   * policy's own callback (wasisock_policy_set_denial_callback), as it was
   * at wasisock_new, first.  NULL: not reported here. */
  void (*on_denial)(void *data, const struct wasisock_policy_denial *denial);
  void *on_denial_data;
  /* The tracer: called after every import call made through a row of
   * wasisock_import_table() — which is how adapters call them — with its
   * arguments, result, duration and policy denials; on the thread of the
   * call, with data on_call_data.  The call and what it points to are valid
   * during the callback only.  wasisock_call_format turns it into one
   * strace-style line.  NULL (default): no tracing, and nothing measured;
   * the cost is one comparison per call. */
  void (*on_call)(void *data, const wasisock_call_t *call);
  void *on_call_data;
} wasisock_config_t;

WASISOCK_EXTERN void wasisock_config_init(wasisock_config_t *config);

/* Creates a host instance.  config may be NULL for the defaults.  Returns 0
 * or a WASI errno (ENOMEM, EINVAL for a bad config). */
WASISOCK_EXTERN int32_t wasisock_new(const wasisock_config_t *config,
                                     wasisock_t **out);

/* Closes every socket the instance still holds and frees it.  NULL is ok. */
WASISOCK_EXTERN void wasisock_free(wasisock_t *host);

/* Library version, e.g. "0.1.0". */
WASISOCK_EXTERN const char *wasisock_version_string(void);

/* One function per import: the instance, the memory view, then the import's
 * i32 arguments in order (guest pointers as u32 offsets, named p_ptr).  The
 * return value is what the guest receives.  A NULL host or mem, or a mem
 * with a NULL base and a non-zero len, is EINVAL (adapter misuse, never a
 * crash).  Generated from WASISOCK_IMPORT_LIST, e.g.
 *
 *   int32_t wasisock_sock_send(wasisock_t *host, const wasisock_mem_t *mem,
 *                              uint32_t handle, uint32_t buf_ptr,
 *                              uint32_t buf_len, uint32_t sent_ptr); */
#define WASISOCK__HOST_PARAM(kind, p) , WASISOCK__HOST_##kind(p)
#define WASISOCK__HOST_DECL(name, nparams, revision, params)                   \
  WASISOCK_EXTERN int32_t wasisock_##name(                                     \
      wasisock_t *host, const wasisock_mem_t *mem WASISOCK_PARAMS(             \
          WASISOCK__HOST_PARAM, WASISOCK_SEP_NONE, nparams, params));
WASISOCK_IMPORT_LIST(WASISOCK__HOST_DECL)
#undef WASISOCK__HOST_DECL

/* ---- The import table -------------------------------------------------------
 * One row per import, so a runtime adapter registers everything in one loop:
 *
 *   size_t n;
 *   const wasisock_import_t *t = wasisock_import_table(&n);
 *   for (size_t i = 0; i < n; i++)
 *     define(WASISOCK_MODULE, t[i].name, t[i].nparams, trampoline, &t[i]);
 *
 * and the trampoline calls t[i].call(host, &mem, args) with the guest's i32
 * arguments in args[0..nparams).  The table lives in the library, so an
 * adapter picks up calls added by a newer libwasisock without a rebuild
 * (rows are added; the row struct only grows at its end, in a new minor
 * version, which adapters are rebuilt for). */
typedef int32_t (*wasisock_import_fn)(wasisock_t *host,
                                      const wasisock_mem_t *mem,
                                      const uint32_t *args);

/* One parameter of an import, from WASISOCK_IMPORT_LIST: what a tracer,
 * a checker or a binding generator needs to know about the i32. */
typedef struct wasisock_param {
  const char *name;          /* e.g. "buf" (the host prototype's buf_ptr) */
  wasisock_param_kind_t kind;
  uint32_t size;   /* bytes per element in guest memory; 0: not a pointer */
  uint32_t counted; /* 1: the next parameter (a LEN) counts the elements */
  uint32_t access;  /* pointers: 1 read, 2 written, 3 both; else 0 */
} wasisock_param_t;

typedef struct wasisock_import {
  const char *name;      /* import name in module WASISOCK_MODULE */
  uint32_t nparams;      /* number of i32 parameters; the result is one i32 */
  const char *signature; /* e.g. "(i32, i32, i32) -> i32" */
  uint32_t revision;     /* ABI revision that added the call */
  wasisock_import_fn call;
  const wasisock_param_t *params; /* params[0..nparams) */
} wasisock_import_t;

WASISOCK_EXTERN const wasisock_import_t *wasisock_import_table(size_t *count);

/* The row for an import name, or NULL if this host does not provide it. */
WASISOCK_EXTERN const wasisock_import_t *wasisock_import_find(const char *name);

/* "HANDLE", "BYTES_IN", ... for a kind; "?" for a value that is none. */
WASISOCK_EXTERN const char *wasisock_param_kind_name(wasisock_param_kind_t kind);

/* ---- Tracing ------------------------------------------------------------------
 * Writes one traced call (wasisock_config_t.on_call) as a line in the style
 * of strace -T, without the newline:
 *   sock_connect(1024, 127.0.0.1:8080) = ECONNREFUSED (Connection refused) <0.000081>
 *   sock_recv(1025, "HTTP/1.0 200 OK\r\nServer: SimpleH"..., 4096, [151]) = 0 <0.000012>
 * Arguments are decoded by what they are: handles as numbers, constants by
 * name (AF_INET, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR, SHUT_WR, MSG_PEEK,
 * POLLIN, timeouts, SO_TYPE's and SO_ERROR's values), address records as
 * text, host names quoted, data as its first 32 bytes (escaped; what was
 * sent, or what arrived), lengths as numbers, out-params in brackets once
 * the call succeeded (a handle made, bytes moved, addresses found); a
 * pointer that could not be read as its offset (0x...).  A call the policy
 * refused ends with the denial:
 *   ... = EACCES (Permission denied) <0.000004> (denied connect
 *   10.0.0.1:80 by default deny)
 * into buf (cut to len, always terminated when len > 0).  Returns the length
 * the whole line needs, as snprintf does. */
WASISOCK_EXTERN size_t wasisock_call_format(const wasisock_call_t *call,
                                            char *buf, size_t len);

/* A ready-made on_call for runners: writes the call's line and a newline to
 * the file descriptor *(const int *)data, in one write(2) so that lines
 * from several instances stay whole (lines longer than 4 KiB are cut).
 * Write errors are ignored: tracing never changes what the guest gets. */
WASISOCK_EXTERN void wasisock_call_write(void *data,
                                         const wasisock_call_t *call);

/* ---- Sockets handed over by the host -----------------------------------------
 * A runner may open sockets with its own rights before the guest starts and
 * hand them over, as a socket-activated Unix service receives its listening
 * sockets (`wasisock-run --listen ADDR:PORT`, docs/HOST.md): the guest uses
 * them through their handles, even when its policy would not let it bind. */

/* Takes ownership of the native socket fd — AF_INET or AF_INET6, SOCK_STREAM
 * or SOCK_DGRAM, in any state (listening, bound, connected) — and makes it
 * an open handle of host, written to *handle.  The policy is not asked: the
 * host decided, with its own rights.  The policy's max-buffer applies, as to
 * every socket of the instance; the socket blocks (timeout NONE) until the
 * guest sets a timeout.  On success the instance owns fd (made non-blocking
 * and close-on-exec, closed by sock_close or wasisock_free); on failure the
 * caller still does.
 * Errors: EINVAL (host or handle NULL, fd < 0), EBADF (fd not open),
 * ENOTSOCK, EAFNOSUPPORT (another family), EPROTOTYPE (another type),
 * EMFILE (the instance's socket limit), ENOMEM. */
WASISOCK_EXTERN int32_t wasisock_adopt(wasisock_t *host, int fd,
                                       uint32_t *handle);

/* A socket opened by wasisock_listen_open. */
typedef struct wasisock_listener {
  int fd;                /* native socket, close-on-exec; the caller owns it */
  uint32_t socktype;     /* WASISOCK_SOCK_STREAM or WASISOCK_SOCK_DGRAM */
  wasisock_addr_t local; /* where it is bound, the real port included */
} wasisock_listener_t;

/* Opens the socket a runner's `--listen SPEC` describes, with the calling
 * process's rights (no policy):
 *   [tcp:|udp:]HOST:PORT
 * HOST an IPv4 address, an IPv6 address in brackets ([::1]), a host name
 * (its addresses tried in the resolver's order until one binds) or * (every
 * address: [::] taking IPv4 too, else 0.0.0.0); PORT 0-65535, 0 for an
 * ephemeral port.  TCP (the default): SO_REUSEADDR, bound, listening with
 * backlog SOMAXCONN.  UDP: bound.  Fills *out.
 * Returns 0, or a WASI errno with a one-line message in err (cut to errlen,
 * always terminated when errlen > 0): EINVAL (spec), ENOENT (HOST not
 * found), and what bind/listen answer (EADDRINUSE, EADDRNOTAVAIL, EACCES
 * for a privileged port, ...). */
WASISOCK_EXTERN int32_t wasisock_listen_open(const char *spec,
                                             wasisock_listener_t *out,
                                             char *err, size_t errlen);

#endif /* __wasm32__ */

#ifdef __cplusplus
}
#endif

#endif /* WASISOCK_H */
