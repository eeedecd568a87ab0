//go:build wasip1

package wasisock

import (
	"time"

	"wasisock/internal/abi"
)

// A TCPConn is a TCP connection: a net.Conn with TCP's extras.  Its
// RemoteAddr and LocalAddr are *net.TCPAddr.
type TCPConn struct {
	conn
}

// CloseRead shuts down the reading side: further reads see the end.
func (c *TCPConn) CloseRead() error {
	if !c.ok() {
		return errInvalid
	}
	return c.opError("close", c.s.shutdown(abi.SHUT_RD))
}

// CloseWrite shuts down the writing side: the peer reads the end of the
// stream, and can still send.
func (c *TCPConn) CloseWrite() error {
	if !c.ok() {
		return errInvalid
	}
	return c.opError("close", c.s.shutdown(abi.SHUT_WR))
}

// SetNoDelay turns Nagle's algorithm off (true, the default) or on.
func (c *TCPConn) SetNoDelay(noDelay bool) error {
	return c.setOption(abi.IPPROTO_TCP, abi.TCP_NODELAY, boolOption(noDelay))
}

// SetKeepAlive turns TCP keep-alive probes on or off.
func (c *TCPConn) SetKeepAlive(keepAlive bool) error {
	return c.setOption(abi.SOL_SOCKET, abi.SO_KEEPALIVE, boolOption(keepAlive))
}

// SetKeepAlivePeriod sets how long the connection is idle before the first
// keep-alive probe (TCP_KEEPIDLE, in whole seconds, rounded up); zero
// means package net's default, 15 s.  A host of ABI revision 2 has no such
// option: ENOPROTOOPT.
func (c *TCPConn) SetKeepAlivePeriod(d time.Duration) error {
	if !c.ok() {
		return errInvalid
	}
	return opError("set", c.s.nw.name, c.s.laddr, c.s.raddr, c.s.setKeepAliveTimer(abi.TCP_KEEPIDLE, d))
}

// SetLinger sets what Close does with data not sent yet: sec < 0 (the
// default) sends it in the background, sec == 0 discards it and resets the
// connection, sec > 0 sends it in the background, and after sec seconds
// discards what is left.  ENOPROTOOPT from a host of ABI revision 2.
func (c *TCPConn) SetLinger(sec int) error {
	if sec < 0 {
		sec = abi.SO_LINGER_OFF
	}
	return c.setOption(abi.SOL_SOCKET, abi.SO_LINGER, int32(sec))
}
