//go:build wasip1

package wasisock

import (
	"context"
	"net"
	"os"
	"syscall"
)

// The errors package net gives for a dial that ran out of time or was
// canceled; its own values are unexported, so these behave the same:
// errors.Is(err, context.DeadlineExceeded) and (timeout) err.Timeout().

// errTimeout is "i/o timeout": a dial's Timeout, Deadline or context
// deadline passed.  It is also os.ErrDeadlineExceeded for errors.Is.
var errTimeout error = timeoutError{}

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }
func (timeoutError) Is(err error) bool {
	return err == context.DeadlineExceeded || err == os.ErrDeadlineExceeded
}

// errCanceled is a dial whose context was canceled.
var errCanceled error = canceledError{}

type canceledError struct{}

func (canceledError) Error() string     { return "operation was canceled" }
func (canceledError) Is(err error) bool { return err == context.Canceled }

// ctxError is the error for a context that is done: errTimeout or
// errCanceled, as package net maps them.
func ctxError(ctx context.Context) error {
	if ctx.Err() == context.DeadlineExceeded {
		return errTimeout
	}
	return errCanceled
}

// opError wraps err as package net does: io.EOF and nil pass unchanged.
func opError(op, network string, source, addr net.Addr, err error) error {
	if err == nil {
		return nil
	}
	return &net.OpError{Op: op, Net: network, Source: source, Addr: addr, Err: err}
}

// dnsError is the error of a failed lookup of name: the host's resolver
// answered errno (sock_resolve: ENOENT no such name, EAGAIN temporary, EACCES
// the policy, ...).
func dnsError(name string, errno syscall.Errno) error {
	e := &net.DNSError{Name: name}
	switch errno {
	case syscall.ENOENT, syscall.EINVAL:
		e.Err, e.IsNotFound = "no such host", true
	case syscall.EAGAIN:
		e.Err, e.IsTemporary = "temporary failure in name resolution", true
	default:
		e.Err = errno.Error()
	}
	return withUnwrap(e, errno)
}

var (
	// errInvalid is what a method of a nil connection returns, as in
	// package net.
	errInvalid error = syscall.EINVAL
	// errMissingAddress is a datagram sent to no address.
	errMissingAddress = &net.AddrError{Err: "missing address"}
)
