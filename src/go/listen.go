//go:build wasip1

package wasisock

import (
	"context"
	"math"
	"net"
	"net/netip"
	"os"
	"time"

	"wasisock/internal/abi"
)

// Listen announces on the local address: network "tcp", "tcp4" or "tcp6",
// address "host:port" as for net.Listen.  An empty or unspecified host
// listens on every address, of both families for "tcp" where the host
// has IPv6 (a dual-stack socket); a name listens on its first IPv4 address
// (else its first). Port 0 takes a free port: Addr tells which.
func Listen(network, address string) (net.Listener, error) {
	s, err := bindLocal(network, abi.SOCK_STREAM, address)
	if err != nil {
		return nil, err
	}
	// The host clamps the backlog to its SOMAXCONN: ask for as much as it
	// allows, as package net does.
	if errno := abi.Listen(s.handle, math.MaxInt32); errno != 0 {
		s.close()
		return nil, opError("listen", s.nw.name, nil, s.laddr, os.NewSyscallError("listen", errno))
	}
	return &TCPListener{s: s}, nil
}

// ListenPacket opens a UDP socket on the local address: network "udp",
// "udp4" or "udp6", address as for Listen.  The result is a *UDPConn.
func ListenPacket(network, address string) (net.PacketConn, error) {
	s, err := bindLocal(network, abi.SOCK_DGRAM, address)
	if err != nil {
		return nil, err
	}
	return &UDPConn{conn{s}}, nil
}

// bindLocal opens a socket of network (which must be of type sotype)
// bound to address, with the local address filled in.  Errors are
// *net.OpError (op "listen").
func bindLocal(network string, sotype uint32, address string) (*socket, error) {
	n, err := parseNetwork(network)
	if err == nil && n.sotype != sotype {
		// As package net: Listen("udp", ...) parses a UDP address, which
		// is not one a TCP listener takes, and the other way round.
		err = &net.AddrError{Err: "unexpected address type", Addr: address}
	}
	if err != nil {
		return nil, opError("listen", network, nil, nil, err)
	}
	ap, dualStack, err := localAddress(n, address)
	if err != nil {
		return nil, opError("listen", n.name, nil, nil, err)
	}
	fail := func(s *socket, err error) (*socket, error) {
		if s != nil {
			s.close()
		}
		return nil, opError("listen", n.name, nil, n.netAddr(ap), err)
	}
	family := familyOf(ap.Addr())
	if dualStack {
		family = abi.AF_INET6
	}
	s, err := newSocket(family, n)
	if err != nil && dualStack {
		// No IPv6 on this host: listen on IPv4's any-address.
		family, dualStack = abi.AF_INET, false
		s, err = newSocket(family, n)
	}
	if err != nil {
		return fail(nil, err)
	}
	if family == abi.AF_INET6 {
		// As package net: "tcp6" and "udp6" are IPv6 only, an any-address
		// of "tcp" and "udp" takes IPv4 too (whatever the host's default).
		v6only := boolOption(n.family == abi.AF_INET6)
		if err := s.setOption(abi.IPPROTO_IPV6, abi.IPV6_V6ONLY, v6only); err != nil {
			return fail(s, err)
		}
	}
	if n.sotype == abi.SOCK_STREAM {
		// As package net on Unix: a restarted server can bind its port
		// while old connections linger in TIME_WAIT.
		if err := s.setOption(abi.SOL_SOCKET, abi.SO_REUSEADDR, 1); err != nil {
			return fail(s, err)
		}
	}
	if err := s.bind(ap); err != nil {
		return fail(s, err)
	}
	la, err := s.localAddrPort()
	if err != nil {
		return fail(s, err)
	}
	s.laddr = n.netAddr(la)
	return s, nil
}

// localAddress parses a local address for n.  dualStack is true for an
// any-address that should take both families.
func localAddress(n network, address string) (ap netip.AddrPort, dualStack bool, err error) {
	ctx := context.Background()
	host, port, err := splitHostPort(ctx, n, address)
	if err != nil {
		return ap, false, err
	}
	var ip netip.Addr
	switch host {
	case "":
		ip = netip.IPv4Unspecified()
		if n.family == abi.AF_INET6 {
			ip = netip.IPv6Unspecified()
		}
	default:
		ips, err := DefaultResolver.addrs(ctx, host)
		if err != nil {
			return ap, false, err
		}
		ip, err = firstListenable(n, host, ips)
		if err != nil {
			return ap, false, err
		}
	}
	if ip.Zone() != "" {
		return ap, false, &net.AddrError{Err: "IPv6 zones are not carried by the wasisock ABI", Addr: host}
	}
	dualStack = n.family == 0 && ip.IsUnspecified()
	return netip.AddrPortFrom(ip, port), dualStack, nil
}

// firstListenable is the address to listen on among a name's: the first
// IPv4 one that suits n, else the first that does, as package net picks.
func firstListenable(n network, host string, ips []netip.Addr) (netip.Addr, error) {
	var first netip.Addr
	for _, ip := range ips {
		if !n.accepts(ip) {
			continue
		}
		if ip.Unmap().Is4() {
			return ip, nil
		}
		if !first.IsValid() {
			first = ip
		}
	}
	if !first.IsValid() {
		return first, &net.AddrError{Err: "no suitable address found", Addr: host}
	}
	return first, nil
}

// A TCPListener is a TCP listener: a net.Listener whose Accept gives
// *TCPConn (as net.Conn) and can have a deadline.
type TCPListener struct {
	s *socket
}

// Accept waits for the next connection; other goroutines run meanwhile.
func (l *TCPListener) Accept() (net.Conn, error) {
	return l.AcceptTCP()
}

// AcceptTCP is Accept with the connection as a *TCPConn.  Accepted
// connections have TCP_NODELAY and keep-alive (15 s) on, as in package net.
func (l *TCPListener) AcceptTCP() (*TCPConn, error) {
	if l == nil || l.s == nil {
		return nil, errInvalid
	}
	s, err := l.s.accept()
	if err != nil {
		return nil, opError("accept", l.s.nw.name, nil, l.s.laddr, err)
	}
	// Best effort, as package net: the connection is good without them.
	s.setOption(abi.IPPROTO_TCP, abi.TCP_NODELAY, 1)
	s.keepAlive(0)
	return &TCPConn{conn{s}}, nil
}

// Close stops listening; an Accept waiting now returns an error wrapping
// net.ErrClosed.  Connections accepted earlier stay open.
func (l *TCPListener) Close() error {
	if l == nil || l.s == nil {
		return errInvalid
	}
	return opError("close", l.s.nw.name, nil, l.s.laddr, l.s.close())
}

// Addr is the listening address, a *net.TCPAddr with the real port.
func (l *TCPListener) Addr() net.Addr {
	if l == nil || l.s == nil {
		return nil
	}
	return l.s.laddr
}

// SetDeadline sets the deadline of Accept, a waiting one included; the
// zero time means none.
func (l *TCPListener) SetDeadline(t time.Time) error {
	if l == nil || l.s == nil {
		return errInvalid
	}
	return opError("set", l.s.nw.name, nil, l.s.laddr, l.s.setDeadline(t, reading))
}
