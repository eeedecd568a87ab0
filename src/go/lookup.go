//go:build wasip1

package wasisock

import (
	"context"
	"net"
	"net/netip"

	"wasisock/internal/abi"
)

// maxAddrs is the most addresses one lookup returns.
const maxAddrs = 32

// A Resolver looks up host names with the host's resolver (sock_resolve):
// the host's /etc/hosts, DNS servers and address preference order.  The
// zero value is ready to use.  The lookup itself blocks the whole program
// (the ABI has no asynchronous resolve), so a context is honoured before
// it starts, not during it.
type Resolver struct{}

// DefaultResolver is the resolver the package-level functions and a
// Dialer without one use.
var DefaultResolver = &Resolver{}

// LookupHost looks up host and returns its addresses as text.
func LookupHost(host string) ([]string, error) {
	return DefaultResolver.LookupHost(context.Background(), host)
}

// LookupIP looks up host and returns its IPv4 and IPv6 addresses.
func LookupIP(host string) ([]net.IP, error) {
	return DefaultResolver.LookupIP(context.Background(), "ip", host)
}

// LookupHost looks up host and returns its addresses as text.
func (r *Resolver) LookupHost(ctx context.Context, host string) ([]string, error) {
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(addrs))
	for i, a := range addrs {
		out[i] = a.String()
	}
	return out, nil
}

// LookupIP looks up host for network "ip", "ip4" or "ip6".
func (r *Resolver) LookupIP(ctx context.Context, network, host string) ([]net.IP, error) {
	addrs, err := r.LookupNetIP(ctx, network, host)
	if err != nil {
		return nil, err
	}
	out := make([]net.IP, len(addrs))
	for i, a := range addrs {
		out[i] = net.IP(a.AsSlice())
	}
	return out, nil
}

// LookupNetIP looks up host for network "ip", "ip4" or "ip6".  An IP
// address is returned as it is, without a lookup.  Errors are
// *net.DNSError; IsNotFound is set when the name does not exist, as for
// every name under .invalid.
func (r *Resolver) LookupNetIP(ctx context.Context, ipNetwork, host string) ([]netip.Addr, error) {
	var n network
	switch ipNetwork {
	case "ip":
	case "ip4":
		n.family = abi.AF_INET
	case "ip6":
		n.family = abi.AF_INET6
	default:
		return nil, net.UnknownNetworkError(ipNetwork)
	}
	addrs, err := r.addrs(ctx, host)
	if err != nil {
		return nil, err
	}
	out := addrs[:0]
	for _, a := range addrs {
		if n.accepts(a) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, &net.DNSError{Err: "no suitable address", Name: host, IsNotFound: true}
	}
	return out, nil
}

// addrs is host's addresses: host itself if it is an IP address, else
// what the host's resolver answers, in its order.
func (r *Resolver) addrs(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip}, nil
	}
	return r.lookup(ctx, host)
}

// lookup asks the host for host's addresses, in the resolver's order.
func (r *Resolver) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if err := ctx.Err(); err != nil {
		return nil, &net.DNSError{Err: ctxError(ctx).Error(), Name: host, IsTimeout: err == context.DeadlineExceeded}
	}
	if host == "" {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	var recs [maxAddrs]abi.Addr
	count, errno := abi.Resolve(host, 0, recs[:])
	if errno != 0 {
		return nil, dnsError(host, errno)
	}
	addrs := make([]netip.Addr, 0, count)
	for _, rec := range recs[:count] {
		if ap, ok := abi.DecodeAddr(rec[:]); ok {
			addrs = append(addrs, ap.Addr())
		}
	}
	return addrs, nil
}
