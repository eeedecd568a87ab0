//go:build wasip1

package wasisock

import (
	"io"
	"net"
	"time"

	"wasisock/internal/abi"
)

// conn is what TCPConn and UDPConn share: net.Conn's methods, with errors
// as package net gives them (*net.OpError around a *os.SyscallError, or
// around os.ErrDeadlineExceeded or net.ErrClosed; io.EOF bare).
type conn struct {
	s *socket
}

func (c *conn) ok() bool { return c != nil && c.s != nil }

func (c *conn) opError(op string, err error) error {
	return opError(op, c.s.nw.name, c.s.laddr, c.s.raddr, err)
}

// Read reads data from the connection; io.EOF once the peer closed it.
func (c *conn) Read(b []byte) (int, error) {
	if !c.ok() {
		return 0, errInvalid
	}
	n, err := c.s.read(b)
	if err != nil && err != io.EOF {
		err = c.opError("read", err)
	}
	return n, err
}

// Write writes all of b, unless an error (or a deadline) stops it first.
func (c *conn) Write(b []byte) (int, error) {
	if !c.ok() {
		return 0, errInvalid
	}
	n, err := c.s.write(b)
	return n, c.opError("write", err)
}

// Close closes the connection.  Reads and writes waiting on it return an
// error wrapping net.ErrClosed.
func (c *conn) Close() error {
	if !c.ok() {
		return errInvalid
	}
	return c.opError("close", c.s.close())
}

// LocalAddr is the local address: a *net.TCPAddr or a *net.UDPAddr.
func (c *conn) LocalAddr() net.Addr {
	if !c.ok() {
		return nil
	}
	return c.s.laddr
}

// RemoteAddr is the peer's address, nil for an unconnected UDP socket.
func (c *conn) RemoteAddr() net.Addr {
	if !c.ok() {
		return nil
	}
	return c.s.raddr
}

// SetDeadline sets the read and write deadlines.  Past a deadline, calls
// fail with an error wrapping os.ErrDeadlineExceeded (its Timeout() is
// true); it applies to calls waiting now too.  The zero time means none.
func (c *conn) SetDeadline(t time.Time) error {
	return c.setDeadline(t, reading, writing)
}

// SetReadDeadline sets the deadline of Read calls, waiting ones included.
func (c *conn) SetReadDeadline(t time.Time) error {
	return c.setDeadline(t, reading)
}

// SetWriteDeadline sets the deadline of Write calls, waiting ones
// included.  A Write that times out may have written part of its data.
func (c *conn) SetWriteDeadline(t time.Time) error {
	return c.setDeadline(t, writing)
}

func (c *conn) setDeadline(t time.Time, dirs ...direction) error {
	if !c.ok() {
		return errInvalid
	}
	return opError("set", c.s.nw.name, nil, c.s.laddr, c.s.setDeadline(t, dirs...))
}

// SetReadBuffer sets the size of the host's receive buffer (SO_RCVBUF).
func (c *conn) SetReadBuffer(bytes int) error {
	return c.setOption(abi.SOL_SOCKET, abi.SO_RCVBUF, int32(bytes))
}

// SetWriteBuffer sets the size of the host's send buffer (SO_SNDBUF).
func (c *conn) SetWriteBuffer(bytes int) error {
	return c.setOption(abi.SOL_SOCKET, abi.SO_SNDBUF, int32(bytes))
}

func (c *conn) setOption(level, name uint32, v int32) error {
	if !c.ok() {
		return errInvalid
	}
	return opError("set", c.s.nw.name, nil, c.s.laddr, c.s.setOption(level, name, v))
}

func boolOption(b bool) int32 {
	if b {
		return 1
	}
	return 0
}
