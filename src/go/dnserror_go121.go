//go:build wasip1 && !go1.23

package wasisock

import (
	"net"
	"syscall"
)

// withUnwrap: before Go 1.23 a DNSError wraps nothing; the message carries
// the reason.
func withUnwrap(e *net.DNSError, _ syscall.Errno) error { return e }
