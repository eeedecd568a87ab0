//go:build wasip1

package wasisock

import "wasisock/internal/abi"

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

// SetKeepAlive turns TCP keep-alive probes on or off.  The ABI has no
// probe interval: the host's applies.
func (c *TCPConn) SetKeepAlive(keepAlive bool) error {
	return c.setOption(abi.SOL_SOCKET, abi.SO_KEEPALIVE, boolOption(keepAlive))
}
