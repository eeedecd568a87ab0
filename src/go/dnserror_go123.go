//go:build wasip1 && go1.23

package wasisock

import (
	"net"
	"syscall"
)

// withUnwrap lets errors.Is see the host's errno through a DNSError
// (net.DNSError.UnwrapErr exists from Go 1.23 on): errors.Is(err,
// os.ErrPermission) for a lookup the policy refused.
func withUnwrap(e *net.DNSError, errno syscall.Errno) error {
	e.UnwrapErr = errno
	return e
}
