//go:build wasip1

package abi

import (
	"syscall"
	"unsafe"
)

// The raw imports, one per row of WASISOCK_IMPORT_LIST that the package
// uses.  Every parameter is an i32 and every result a WASI errno.  Pointer
// parameters are unsafe.Pointer rather than typed pointers because Go
// accepts typed pointers in //go:wasmimport only from 1.24 on.  Go memory
// is wasm linear memory and nothing else runs during an import, so the host
// may read and write it directly.

//go:wasmimport wasisock sock_open
//go:noescape
func sock_open(af, socktype uint32, handle unsafe.Pointer) uint32

//go:wasmimport wasisock sock_resolve
//go:noescape
func sock_resolve(name unsafe.Pointer, nameLen, port uint32, addrs unsafe.Pointer, maxAddrs uint32, count unsafe.Pointer) uint32

//go:wasmimport wasisock sock_connect
//go:noescape
func sock_connect(handle uint32, addr unsafe.Pointer) uint32

//go:wasmimport wasisock sock_send
//go:noescape
func sock_send(handle uint32, buf unsafe.Pointer, bufLen uint32, sent unsafe.Pointer) uint32

//go:wasmimport wasisock sock_recv
//go:noescape
func sock_recv(handle uint32, buf unsafe.Pointer, bufLen uint32, received unsafe.Pointer) uint32

//go:wasmimport wasisock sock_close
func sock_close(handle uint32) uint32

//go:wasmimport wasisock sock_bind
//go:noescape
func sock_bind(handle uint32, addr unsafe.Pointer) uint32

//go:wasmimport wasisock sock_listen
func sock_listen(handle uint32, backlog int32) uint32

//go:wasmimport wasisock sock_accept
//go:noescape
func sock_accept(handle uint32, newHandle, peerAddr unsafe.Pointer) uint32

//go:wasmimport wasisock sock_send_to
//go:noescape
func sock_send_to(handle uint32, buf unsafe.Pointer, bufLen, flags uint32, addr, sent unsafe.Pointer) uint32

//go:wasmimport wasisock sock_recv_from
//go:noescape
func sock_recv_from(handle uint32, buf unsafe.Pointer, bufLen, flags uint32, addr, received unsafe.Pointer) uint32

//go:wasmimport wasisock sock_shutdown
func sock_shutdown(handle, how uint32) uint32

//go:wasmimport wasisock sock_getsockopt
//go:noescape
func sock_getsockopt(handle, level, name uint32, value unsafe.Pointer) uint32

//go:wasmimport wasisock sock_setsockopt
func sock_setsockopt(handle, level, name uint32, value int32) uint32

//go:wasmimport wasisock sock_local_addr
//go:noescape
func sock_local_addr(handle uint32, addr unsafe.Pointer) uint32

//go:wasmimport wasisock sock_set_timeout
func sock_set_timeout(handle, timeoutMs uint32) uint32

//go:wasmimport wasisock sock_poll
//go:noescape
func sock_poll(subs unsafe.Pointer, nsubs uint32, timeoutMs int32, nready unsafe.Pointer) uint32

// bufArgs is the address and length of b as the imports take them.
func bufArgs(b []byte) (unsafe.Pointer, uint32) {
	return unsafe.Pointer(unsafe.SliceData(b)), uint32(len(b))
}

// Open creates a socket of family af and type socktype.
func Open(af, socktype uint32) (uint32, syscall.Errno) {
	var h uint32
	errno := sock_open(af, socktype, unsafe.Pointer(&h))
	return h, syscall.Errno(errno)
}

// Resolve looks name up in the host's resolver and fills out with up to
// len(out) records carrying port; it returns how many it wrote.
func Resolve(name string, port uint16, out []Addr) (int, syscall.Errno) {
	var n uint32
	errno := sock_resolve(unsafe.Pointer(unsafe.StringData(name)), uint32(len(name)), uint32(port),
		unsafe.Pointer(unsafe.SliceData(out)), uint32(len(out)), unsafe.Pointer(&n))
	return int(n), syscall.Errno(errno)
}

// Connect starts (non-blocking socket) or makes a connection to a.
func Connect(h uint32, a *Addr) syscall.Errno {
	return syscall.Errno(sock_connect(h, unsafe.Pointer(a)))
}

// Send sends what the socket takes of b.
func Send(h uint32, b []byte) (int, syscall.Errno) {
	var n uint32
	p, l := bufArgs(b)
	errno := sock_send(h, p, l, unsafe.Pointer(&n))
	return int(n), syscall.Errno(errno)
}

// Recv receives into b; 0 bytes from a stream is its end.
func Recv(h uint32, b []byte) (int, syscall.Errno) {
	var n uint32
	p, l := bufArgs(b)
	errno := sock_recv(h, p, l, unsafe.Pointer(&n))
	return int(n), syscall.Errno(errno)
}

// Close closes the socket and frees its handle.
func Close(h uint32) syscall.Errno { return syscall.Errno(sock_close(h)) }

// Bind binds the socket to the local address a.
func Bind(h uint32, a *Addr) syscall.Errno {
	return syscall.Errno(sock_bind(h, unsafe.Pointer(a)))
}

// Listen makes a stream socket accept connections; the host clamps
// backlog to its SOMAXCONN.
func Listen(h uint32, backlog int32) syscall.Errno {
	return syscall.Errno(sock_listen(h, backlog))
}

// Accept takes a pending connection, writing its peer's address to peer.
func Accept(h uint32, peer *Addr) (uint32, syscall.Errno) {
	var nh uint32
	errno := sock_accept(h, unsafe.Pointer(&nh), unsafe.Pointer(peer))
	return nh, syscall.Errno(errno)
}

// SendTo sends b as one datagram to a.
func SendTo(h uint32, b []byte, a *Addr) (int, syscall.Errno) {
	var n uint32
	p, l := bufArgs(b)
	errno := sock_send_to(h, p, l, 0, unsafe.Pointer(a), unsafe.Pointer(&n))
	return int(n), syscall.Errno(errno)
}

// RecvFrom receives into b and writes the sender's address to from.
func RecvFrom(h uint32, b []byte, flags uint32, from *Addr) (int, syscall.Errno) {
	var n uint32
	p, l := bufArgs(b)
	errno := sock_recv_from(h, p, l, flags, unsafe.Pointer(from), unsafe.Pointer(&n))
	return int(n), syscall.Errno(errno)
}

// Shutdown shuts down reception, transmission or both (SHUT_*).
func Shutdown(h, how uint32) syscall.Errno { return syscall.Errno(sock_shutdown(h, how)) }

// GetSockopt reads an option's value.
func GetSockopt(h, level, name uint32) (int32, syscall.Errno) {
	var v uint32
	errno := sock_getsockopt(h, level, name, unsafe.Pointer(&v))
	return int32(v), syscall.Errno(errno)
}

// SetSockopt sets an option.
func SetSockopt(h, level, name uint32, v int32) syscall.Errno {
	return syscall.Errno(sock_setsockopt(h, level, name, v))
}

// LocalAddr writes the socket's local address to a.
func LocalAddr(h uint32, a *Addr) syscall.Errno {
	return syscall.Errno(sock_local_addr(h, unsafe.Pointer(a)))
}

// SetTimeout sets how long the socket's calls may wait: TIMEOUT_NONE, 0
// (non-blocking) or milliseconds.
func SetTimeout(h, ms uint32) syscall.Errno { return syscall.Errno(sock_set_timeout(h, ms)) }

// Poll waits up to timeoutMs (negative: no limit) for a record of set to
// be ready, fills in every record's revents and returns how many have some.
func Poll(set *PollSet, timeoutMs int32) (int, syscall.Errno) {
	var n uint32
	p, _ := bufArgs(set.buf)
	errno := sock_poll(p, uint32(set.Len()), timeoutMs, unsafe.Pointer(&n))
	return int(n), syscall.Errno(errno)
}
