//go:build wasip1

package wasisock

import (
	"net"
	"net/netip"
	"syscall"
)

// A UDPConn is a UDP socket: a net.Conn when it was dialled (Read and
// Write use the peer given to Dial), and a net.PacketConn either way.
// Its addresses are *net.UDPAddr.
type UDPConn struct {
	conn
}

// ReadFrom reads one datagram into b, truncated to len(b), and says who
// sent it.
func (c *UDPConn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, from, err := c.ReadFromUDPAddrPort(b)
	if err != nil {
		return n, nil, err
	}
	return n, net.UDPAddrFromAddrPort(from), nil
}

// ReadFromUDP is ReadFrom with the sender as a *net.UDPAddr.
func (c *UDPConn) ReadFromUDP(b []byte) (int, *net.UDPAddr, error) {
	n, from, err := c.ReadFromUDPAddrPort(b)
	if err != nil {
		return n, nil, err
	}
	return n, net.UDPAddrFromAddrPort(from), nil
}

// ReadFromUDPAddrPort is ReadFrom with the sender as a netip.AddrPort.
func (c *UDPConn) ReadFromUDPAddrPort(b []byte) (int, netip.AddrPort, error) {
	if !c.ok() {
		return 0, netip.AddrPort{}, errInvalid
	}
	n, from, err := c.s.readFrom(b)
	if err != nil {
		return n, from, c.opError("read", err)
	}
	return n, from, nil
}

// WriteTo sends b as one datagram to addr, a *net.UDPAddr.  A dialled
// socket has its peer already: WriteTo fails with net.ErrWriteToConnected.
func (c *UDPConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	if !c.ok() {
		return 0, errInvalid
	}
	a, ok := addr.(*net.UDPAddr)
	if !ok {
		return 0, opError("write", c.s.nw.name, c.s.laddr, addr, syscall.EINVAL)
	}
	return c.WriteToUDPAddrPort(b, a.AddrPort())
}

// WriteToUDP is WriteTo with a *net.UDPAddr.
func (c *UDPConn) WriteToUDP(b []byte, addr *net.UDPAddr) (int, error) {
	if addr == nil {
		return 0, errMissingAddress
	}
	return c.WriteToUDPAddrPort(b, addr.AddrPort())
}

// WriteToUDPAddrPort is WriteTo with a netip.AddrPort.
func (c *UDPConn) WriteToUDPAddrPort(b []byte, addr netip.AddrPort) (int, error) {
	if !c.ok() {
		return 0, errInvalid
	}
	to := net.UDPAddrFromAddrPort(addr)
	if c.s.raddr != nil {
		return 0, opError("write", c.s.nw.name, c.s.laddr, to, net.ErrWriteToConnected)
	}
	if !addr.Addr().IsValid() {
		return 0, opError("write", c.s.nw.name, c.s.laddr, to, errMissingAddress)
	}
	rec, err := c.s.record("sendto", addr)
	if err != nil {
		return 0, opError("write", c.s.nw.name, c.s.laddr, to, err)
	}
	n, err := c.s.writeTo(b, &rec)
	return n, opError("write", c.s.nw.name, c.s.laddr, to, err)
}
