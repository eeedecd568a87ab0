//go:build wasip1

package wasisock

import (
	"context"
	"net"
	"net/netip"

	"wasisock/internal/abi"
)

// A network is a parsed network name: "tcp", "tcp4", "tcp6", "udp",
// "udp4" or "udp6".
type network struct {
	name   string // as the caller spelled it
	sotype uint32 // abi.SOCK_STREAM or abi.SOCK_DGRAM
	family uint32 // abi.AF_INET, abi.AF_INET6, or 0: either
}

func parseNetwork(name string) (network, error) {
	n := network{name: name}
	switch name {
	case "tcp", "tcp4", "tcp6":
		n.sotype = abi.SOCK_STREAM
	case "udp", "udp4", "udp6":
		n.sotype = abi.SOCK_DGRAM
	default:
		return n, net.UnknownNetworkError(name)
	}
	switch name[len(name)-1] {
	case '4':
		n.family = abi.AF_INET
	case '6':
		n.family = abi.AF_INET6
	}
	return n, nil
}

// accepts says whether an address of the given family suits the network.
func (n network) accepts(ip netip.Addr) bool {
	switch n.family {
	case abi.AF_INET:
		return ip.Unmap().Is4()
	case abi.AF_INET6:
		return ip.Is6() && !ip.Is4In6()
	}
	return true
}

// netAddr is ap as the net.Addr of this network: *net.TCPAddr or
// *net.UDPAddr, the types package net hands out, so code that
// type-asserts RemoteAddr() keeps working.
func (n network) netAddr(ap netip.AddrPort) net.Addr {
	if n.sotype == abi.SOCK_STREAM {
		return net.TCPAddrFromAddrPort(ap)
	}
	return net.UDPAddrFromAddrPort(ap)
}

// familyOf is the socket family for ip: an IPv4 address, also written
// IPv4-mapped, goes over an AF_INET socket.
func familyOf(ip netip.Addr) uint32 {
	if ip.Unmap().Is4() {
		return abi.AF_INET
	}
	return abi.AF_INET6
}

// splitHostPort parses "host:port"; the port may be a service name
// ("http"), looked up the way package net does.
func splitHostPort(ctx context.Context, n network, address string) (host string, port uint16, err error) {
	host, service, err := net.SplitHostPort(address)
	if err != nil {
		return "", 0, err
	}
	proto := "tcp"
	if n.sotype == abi.SOCK_DGRAM {
		proto = "udp"
	}
	p, err := net.DefaultResolver.LookupPort(ctx, proto, service)
	if err != nil {
		return "", 0, err
	}
	return host, uint16(p), nil
}
