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
 *    never WASI file descriptors.  libwasisock numbers them from 1024 up,
 *    reusing the lowest free number (1024 is wasi-libc's FD_SETSIZE, so a
 *    handle mistakenly passed to select() fails loudly).
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
 * XX(name, number of i32 parameters, revision that added it).
 * Every parameter is i32 and every result is one i32 (a WASI errno), so the
 * arity fixes the wasm signature: sock_open is (i32 i32 i32) -> i32. */
#define WASISOCK_IMPORT_LIST(XX)                                               \
  XX(sock_abi_version, 1, 1)                                                   \
  XX(sock_open, 3, 1)                                                          \
  XX(sock_resolve, 6, 1)                                                       \
  XX(sock_connect, 2, 1)                                                       \
  XX(sock_send, 4, 1)                                                          \
  XX(sock_recv, 4, 1)                                                          \
  XX(sock_close, 1, 1)                                                         \
  XX(sock_bind, 2, 2)                                                          \
  XX(sock_listen, 2, 2)                                                        \
  XX(sock_accept, 3, 2)                                                        \
  XX(sock_send_to, 6, 2)                                                       \
  XX(sock_recv_from, 6, 2)                                                     \
  XX(sock_shutdown, 2, 2)                                                      \
  XX(sock_getsockopt, 4, 2)                                                    \
  XX(sock_setsockopt, 4, 2)                                                    \
  XX(sock_local_addr, 2, 2)                                                    \
  XX(sock_peer_addr, 2, 2)                                                     \
  XX(sock_set_timeout, 2, 2)                                                   \
  XX(sock_get_timeout, 2, 2)                                                   \
  XX(sock_poll, 4, 2)

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
 * sock_get_timeout(u32 handle, u32 *timeout_ms)
 *   Writes the socket's timeout as sock_set_timeout took it.
 *   Errors: EFAULT (timeout_ms), EBADF.
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
 */

/* ---------------------------------------------------------------------------
 * Guest side (wasm32): the raw imports.  Declared once here; the guest
 * library (src/guest) and CPython's _wasisocket call them.
 * ------------------------------------------------------------------------- */
#if defined(__wasm32__)

#define WASISOCK__IMPORT(name)                                                 \
  __attribute__((__import_module__(WASISOCK_MODULE), __import_name__(#name)))

int32_t __wasisock_sock_abi_version(uint32_t *revision)
    WASISOCK__IMPORT(sock_abi_version);
int32_t __wasisock_sock_open(uint32_t af, uint32_t socktype, uint32_t *handle)
    WASISOCK__IMPORT(sock_open);
int32_t __wasisock_sock_resolve(const uint8_t *name, uint32_t name_len,
                                uint32_t port, uint8_t *addrs,
                                uint32_t max_addrs, uint32_t *count)
    WASISOCK__IMPORT(sock_resolve);
int32_t __wasisock_sock_connect(uint32_t handle, const uint8_t *addr)
    WASISOCK__IMPORT(sock_connect);
int32_t __wasisock_sock_send(uint32_t handle, const uint8_t *buf,
                             uint32_t buf_len, uint32_t *sent)
    WASISOCK__IMPORT(sock_send);
int32_t __wasisock_sock_recv(uint32_t handle, uint8_t *buf, uint32_t buf_len,
                             uint32_t *received) WASISOCK__IMPORT(sock_recv);
int32_t __wasisock_sock_close(uint32_t handle) WASISOCK__IMPORT(sock_close);
/* Revision 2. */
int32_t __wasisock_sock_bind(uint32_t handle, const uint8_t *addr)
    WASISOCK__IMPORT(sock_bind);
int32_t __wasisock_sock_listen(uint32_t handle, uint32_t backlog)
    WASISOCK__IMPORT(sock_listen);
int32_t __wasisock_sock_accept(uint32_t handle, uint32_t *new_handle,
                               uint8_t *peer_addr) WASISOCK__IMPORT(sock_accept);
int32_t __wasisock_sock_send_to(uint32_t handle, const uint8_t *buf,
                                uint32_t buf_len, uint32_t flags,
                                const uint8_t *addr, uint32_t *sent)
    WASISOCK__IMPORT(sock_send_to);
int32_t __wasisock_sock_recv_from(uint32_t handle, uint8_t *buf,
                                  uint32_t buf_len, uint32_t flags,
                                  uint8_t *addr, uint32_t *received)
    WASISOCK__IMPORT(sock_recv_from);
int32_t __wasisock_sock_shutdown(uint32_t handle, uint32_t how)
    WASISOCK__IMPORT(sock_shutdown);
int32_t __wasisock_sock_getsockopt(uint32_t handle, uint32_t level,
                                   uint32_t name, uint32_t *value)
    WASISOCK__IMPORT(sock_getsockopt);
int32_t __wasisock_sock_setsockopt(uint32_t handle, uint32_t level,
                                   uint32_t name, uint32_t value)
    WASISOCK__IMPORT(sock_setsockopt);
int32_t __wasisock_sock_local_addr(uint32_t handle, uint8_t *addr)
    WASISOCK__IMPORT(sock_local_addr);
int32_t __wasisock_sock_peer_addr(uint32_t handle, uint8_t *addr)
    WASISOCK__IMPORT(sock_peer_addr);
int32_t __wasisock_sock_set_timeout(uint32_t handle, uint32_t timeout_ms)
    WASISOCK__IMPORT(sock_set_timeout);
int32_t __wasisock_sock_get_timeout(uint32_t handle, uint32_t *timeout_ms)
    WASISOCK__IMPORT(sock_get_timeout);
int32_t __wasisock_sock_poll(uint8_t *subs, uint32_t nsubs, uint32_t timeout_ms,
                             uint32_t *nready) WASISOCK__IMPORT(sock_poll);

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

/* Options for wasisock_new.  Initialise with wasisock_config_init, then set
 * fields; struct_size lets later versions add fields compatibly. */
typedef struct wasisock_config {
  size_t struct_size;
  uint32_t max_sockets; /* open sockets per instance; default 1024 */
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
 * i32 arguments in order (guest pointers as u32 offsets).  The return value
 * is what the guest receives.  A NULL host or mem, or a mem with a NULL base
 * and a non-zero len, is EINVAL (adapter misuse, never a crash). */
WASISOCK_EXTERN int32_t wasisock_sock_abi_version(wasisock_t *host,
                                                  const wasisock_mem_t *mem,
                                                  uint32_t revision_ptr);
WASISOCK_EXTERN int32_t wasisock_sock_open(wasisock_t *host,
                                           const wasisock_mem_t *mem,
                                           uint32_t af, uint32_t socktype,
                                           uint32_t handle_ptr);
WASISOCK_EXTERN int32_t wasisock_sock_resolve(wasisock_t *host,
                                              const wasisock_mem_t *mem,
                                              uint32_t name_ptr,
                                              uint32_t name_len, uint32_t port,
                                              uint32_t addrs_ptr,
                                              uint32_t max_addrs,
                                              uint32_t count_ptr);
WASISOCK_EXTERN int32_t wasisock_sock_connect(wasisock_t *host,
                                              const wasisock_mem_t *mem,
                                              uint32_t handle,
                                              uint32_t addr_ptr);
WASISOCK_EXTERN int32_t wasisock_sock_send(wasisock_t *host,
                                           const wasisock_mem_t *mem,
                                           uint32_t handle, uint32_t buf_ptr,
                                           uint32_t buf_len, uint32_t sent_ptr);
WASISOCK_EXTERN int32_t wasisock_sock_recv(wasisock_t *host,
                                           const wasisock_mem_t *mem,
                                           uint32_t handle, uint32_t buf_ptr,
                                           uint32_t buf_len,
                                           uint32_t received_ptr);
WASISOCK_EXTERN int32_t wasisock_sock_close(wasisock_t *host,
                                            const wasisock_mem_t *mem,
                                            uint32_t handle);
/* Revision 2. */
WASISOCK_EXTERN int32_t wasisock_sock_bind(wasisock_t *host,
                                           const wasisock_mem_t *mem,
                                           uint32_t handle, uint32_t addr_ptr);
WASISOCK_EXTERN int32_t wasisock_sock_listen(wasisock_t *host,
                                             const wasisock_mem_t *mem,
                                             uint32_t handle, uint32_t backlog);
WASISOCK_EXTERN int32_t wasisock_sock_accept(wasisock_t *host,
                                             const wasisock_mem_t *mem,
                                             uint32_t handle,
                                             uint32_t new_handle_ptr,
                                             uint32_t peer_addr_ptr);
WASISOCK_EXTERN int32_t wasisock_sock_send_to(
    wasisock_t *host, const wasisock_mem_t *mem, uint32_t handle,
    uint32_t buf_ptr, uint32_t buf_len, uint32_t flags, uint32_t addr_ptr,
    uint32_t sent_ptr);
WASISOCK_EXTERN int32_t wasisock_sock_recv_from(
    wasisock_t *host, const wasisock_mem_t *mem, uint32_t handle,
    uint32_t buf_ptr, uint32_t buf_len, uint32_t flags, uint32_t addr_ptr,
    uint32_t received_ptr);
WASISOCK_EXTERN int32_t wasisock_sock_shutdown(wasisock_t *host,
                                               const wasisock_mem_t *mem,
                                               uint32_t handle, uint32_t how);
WASISOCK_EXTERN int32_t wasisock_sock_getsockopt(wasisock_t *host,
                                                 const wasisock_mem_t *mem,
                                                 uint32_t handle, uint32_t level,
                                                 uint32_t name,
                                                 uint32_t value_ptr);
WASISOCK_EXTERN int32_t wasisock_sock_setsockopt(wasisock_t *host,
                                                 const wasisock_mem_t *mem,
                                                 uint32_t handle, uint32_t level,
                                                 uint32_t name, uint32_t value);
WASISOCK_EXTERN int32_t wasisock_sock_local_addr(wasisock_t *host,
                                                 const wasisock_mem_t *mem,
                                                 uint32_t handle,
                                                 uint32_t addr_ptr);
WASISOCK_EXTERN int32_t wasisock_sock_peer_addr(wasisock_t *host,
                                                const wasisock_mem_t *mem,
                                                uint32_t handle,
                                                uint32_t addr_ptr);
WASISOCK_EXTERN int32_t wasisock_sock_set_timeout(wasisock_t *host,
                                                  const wasisock_mem_t *mem,
                                                  uint32_t handle,
                                                  uint32_t timeout_ms);
WASISOCK_EXTERN int32_t wasisock_sock_get_timeout(wasisock_t *host,
                                                  const wasisock_mem_t *mem,
                                                  uint32_t handle,
                                                  uint32_t timeout_ptr);
WASISOCK_EXTERN int32_t wasisock_sock_poll(wasisock_t *host,
                                           const wasisock_mem_t *mem,
                                           uint32_t subs_ptr, uint32_t nsubs,
                                           uint32_t timeout_ms,
                                           uint32_t nready_ptr);

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
 * adapter picks up calls added by a newer libwasisock without a rebuild. */
typedef int32_t (*wasisock_import_fn)(wasisock_t *host,
                                      const wasisock_mem_t *mem,
                                      const uint32_t *args);

typedef struct wasisock_import {
  const char *name;      /* import name in module WASISOCK_MODULE */
  uint32_t nparams;      /* number of i32 parameters; the result is one i32 */
  const char *signature; /* e.g. "(i32, i32, i32) -> i32" */
  uint32_t revision;     /* ABI revision that added the call */
  wasisock_import_fn call;
} wasisock_import_t;

WASISOCK_EXTERN const wasisock_import_t *wasisock_import_table(size_t *count);

/* The row for an import name, or NULL if this host does not provide it. */
WASISOCK_EXTERN const wasisock_import_t *wasisock_import_find(const char *name);

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
