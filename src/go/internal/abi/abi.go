// Package abi is the wasisock ABI for Go: the constants and record layouts
// of include/wasisock_abi.h and the sock_* imports of include/wasisock.h.
//
// The names are the header's without the WASISOCK_ prefix, so each constant
// reads as its C twin; header_test.go checks every value against the header
// and every import against WASISOCK_IMPORT_LIST, so this file cannot drift.
// Results of the imports are WASI errno values, which on wasip1 are exactly
// Go's syscall.Errno numbers: no translation table is needed.
package abi

// Address families and socket types (wasi-libc's numbers).
const (
	AF_UNSPEC   = 0
	AF_INET     = 1
	AF_INET6    = 2
	SOCK_DGRAM  = 5
	SOCK_STREAM = 6
)

// sock_recv_from flags, sock_shutdown how.
const (
	MSG_PEEK    = 1
	MSG_WAITALL = 2
	SHUT_RD     = 1
	SHUT_WR     = 2
	SHUT_RDWR   = 3
)

// Socket option levels and names.
const (
	SOL_SOCKET    = 0x7fffffff
	IPPROTO_TCP   = 6
	IPPROTO_IPV6  = 41
	SO_REUSEADDR  = 2
	SO_TYPE       = 3
	SO_ERROR      = 4
	SO_BROADCAST  = 6
	SO_SNDBUF     = 7
	SO_RCVBUF     = 8
	SO_KEEPALIVE  = 9
	SO_ACCEPTCONN = 30
	TCP_NODELAY   = 1
	IPV6_V6ONLY   = 26

	// Revision 3 (a revision-2 host answers ENOPROTOOPT).
	SO_LINGER     = 13 // -1 (SO_LINGER_OFF) or seconds
	SO_LINGER_OFF = -1
	TCP_KEEPIDLE  = 4 // seconds
	TCP_KEEPINTVL = 5 // seconds
	TCP_KEEPCNT   = 6
)

// FD_BASE is where socket descriptors start: a guest POSIX layer's
// descriptor for handle h is FD_BASE + h (how handed-over sockets are named
// in LISTEN_FDS_START).
const FD_BASE = 0x40000000

// TIMEOUT_NONE is sock_set_timeout's "block until done"; 0 is non-blocking.
const TIMEOUT_NONE = 0xFFFFFFFF

// sock_poll events and revents.
const (
	POLLIN    = 0x1
	POLLOUT   = 0x2
	POLLERR   = 0x1000
	POLLHUP   = 0x2000
	POLLNVAL  = 0x4000
	POLL_MAX  = 4096
	NAME_MAX  = 255
	U32_SIZE  = 4
	ADDR_SIZE = 19
)
