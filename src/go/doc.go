// Package wasisock gives Go programs compiled to WASI preview 1
// (GOOS=wasip1 GOARCH=wasm) real TCP and UDP sockets and name lookups,
// through the host imports of the wasm module "wasisock" (docs/ABI.md),
// with the types and behaviour of package net: Dial, DialTimeout and a
// Dialer whose DialContext http.Transport takes, Listen, ListenPacket,
// net.Conn, net.Listener and net.PacketConn, deadlines that fail with
// os.ErrDeadlineExceeded, errors as *net.OpError around *os.SyscallError
// and syscall.Errno.
//
// Package net itself cannot dial or listen on wasip1: it only knows
// descriptors the engine opened beforehand.  This package's sockets are
// non-blocking, and one goroutine waits in sock_poll for all goroutines
// that wait on a socket, so the others keep running (poller.go says how,
// and what it costs timers).
//
// Built for any other GOOS, the package is package net under these
// names, so one program builds for both, and its tests run against both.
package wasisock
