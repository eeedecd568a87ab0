//go:build wasip1

package wasisock

import (
	"context"
	"net"
	"net/netip"
	"time"

	"wasisock/internal/abi"
)

// A Dialer has the options for connecting to an address, with the meaning
// package net gives its fields.  The zero value dials with no timeout, Happy
// Eyeballs between IPv6 and IPv4 (300 ms) and TCP keep-alive on.
// DialContext has the signature http.Transport.DialContext takes:
//
//	client := &http.Client{Transport: &http.Transport{
//		DialContext: (&wasisock.Dialer{Timeout: 10 * time.Second}).DialContext,
//	}}
type Dialer struct {
	// Timeout is the most a dial may take, name lookup included; zero
	// means none.  With several addresses each gets a share of it.
	Timeout time.Duration

	// Deadline is a time after which dials fail; zero means none.
	Deadline time.Time

	// LocalAddr is the local address to dial from (*net.TCPAddr or
	// *net.UDPAddr); nil picks one.  Its family limits the addresses
	// dialled.
	LocalAddr net.Addr

	// FallbackDelay is how long a TCP dial to the first address family of
	// a dual-stack name waits before racing the other family (RFC 6555).
	// Zero means 300 ms; negative turns the race off (one address after
	// the other).
	FallbackDelay time.Duration

	// KeepAlive is the idle time before TCP keep-alive probes start (and
	// their interval is 15 s, as in package net); zero means 15 s, negative
	// turns keep-alive off.  A host of ABI revision 2 keeps its own timers.
	KeepAlive time.Duration

	// Resolver looks names up; nil means DefaultResolver.
	Resolver *Resolver
}

// Dial connects to address on network ("tcp", "tcp4", "tcp6", "udp",
// "udp4", "udp6"), as net.Dial does.  address is "host:port"; host may be
// a name, which is looked up, and every address is tried until one
// answers.  TCP gives a *TCPConn, UDP a *UDPConn (also a net.PacketConn).
func Dial(network, address string) (net.Conn, error) {
	var d Dialer
	return d.Dial(network, address)
}

// DialTimeout is Dial with a limit on the whole dial.
func DialTimeout(network, address string, timeout time.Duration) (net.Conn, error) {
	d := Dialer{Timeout: timeout}
	return d.Dial(network, address)
}

// Dial connects to address on network.
func (d *Dialer) Dial(network, address string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, address)
}

// DialContext connects to address on network, giving up when ctx is done
// before the connection is made (a connection made stays open whatever ctx
// does later).
func (d *Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if ctx == nil {
		panic("nil context")
	}
	n, err := parseNetwork(network)
	if err != nil {
		return nil, opError("dial", network, d.LocalAddr, nil, err)
	}
	deadline := d.deadline(ctx, time.Now())
	targets, err := d.targets(ctx, n, address)
	if err != nil {
		return nil, opError("dial", network, d.LocalAddr, nil, err)
	}
	if d.FallbackDelay >= 0 && n.sotype == abi.SOCK_STREAM {
		if primaries, fallbacks := splitFamilies(targets); len(fallbacks) > 0 {
			return d.dialParallel(ctx, n, primaries, fallbacks, deadline)
		}
	}
	return d.dialSerial(ctx, n, targets, deadline)
}

// deadline is the earliest of now+Timeout, Deadline and ctx's deadline.
func (d *Dialer) deadline(ctx context.Context, now time.Time) (earliest time.Time) {
	if d.Timeout != 0 {
		earliest = now.Add(d.Timeout)
	}
	if t, ok := ctx.Deadline(); ok {
		earliest = earlier(earliest, t)
	}
	return earlier(earliest, d.Deadline)
}

// earlier is the earlier of two deadlines, the zero time being none.
func earlier(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// targets is the addresses to try for address on n, in order.
func (d *Dialer) targets(ctx context.Context, n network, address string) ([]netip.AddrPort, error) {
	host, port, err := splitHostPort(ctx, n, address)
	if err != nil {
		return nil, err
	}
	var ips []netip.Addr
	if host == "" {
		// As package net: no host means this host, which connect()
		// reaches through the unspecified address.
		ips = []netip.Addr{netip.IPv4Unspecified()}
		if n.family == abi.AF_INET6 {
			ips[0] = netip.IPv6Unspecified()
		}
	} else {
		r := d.Resolver
		if r == nil {
			r = DefaultResolver
		}
		if ips, err = r.addrs(ctx, host); err != nil {
			return nil, err
		}
	}
	// A local address other than the unspecified one fixes the family.
	local, err := addrPortOf(d.LocalAddr)
	if err != nil {
		return nil, err
	}
	anyFamily := !local.Addr().IsValid() || local.Addr().IsUnspecified()
	var out []netip.AddrPort
	for _, ip := range ips {
		if ip.Zone() != "" {
			return nil, &net.AddrError{Err: "IPv6 zones are not carried by the wasisock ABI", Addr: host}
		}
		if n.accepts(ip) && (anyFamily || familyOf(ip) == familyOf(local.Addr())) {
			out = append(out, netip.AddrPortFrom(ip, port))
		}
	}
	if len(out) == 0 {
		return nil, &net.AddrError{Err: "no suitable address found", Addr: host}
	}
	return out, nil
}

// splitFamilies splits addresses into those of the first one's family and
// the others, keeping their order.
func splitFamilies(addrs []netip.AddrPort) (primaries, fallbacks []netip.AddrPort) {
	first := familyOf(addrs[0].Addr())
	for _, a := range addrs {
		if familyOf(a.Addr()) == first {
			primaries = append(primaries, a)
		} else {
			fallbacks = append(fallbacks, a)
		}
	}
	return primaries, fallbacks
}

// dialSerial tries each address in turn, each with a share of the time
// left, and returns the first connection or the first error.
func (d *Dialer) dialSerial(ctx context.Context, n network, targets []netip.AddrPort, deadline time.Time) (net.Conn, error) {
	var firstErr error
	for i, ap := range targets {
		if ctx.Err() != nil {
			return nil, opError("dial", n.name, d.LocalAddr, n.netAddr(ap), ctxError(ctx))
		}
		partial, err := partialDeadline(time.Now(), deadline, len(targets)-i)
		if err != nil {
			if firstErr == nil {
				firstErr = opError("dial", n.name, d.LocalAddr, n.netAddr(ap), err)
			}
			break
		}
		c, err := d.dialOne(ctx, n, ap, partial)
		if err == nil {
			return c, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// partialDeadline gives one of the remaining addresses an equal share of
// the time left, but at least 2 s when there is that much, as package net
// does.
func partialDeadline(now, deadline time.Time, remaining int) (time.Time, error) {
	if deadline.IsZero() {
		return deadline, nil
	}
	left := deadline.Sub(now)
	if left <= 0 {
		return time.Time{}, errTimeout
	}
	share := left / time.Duration(remaining)
	const saneMinimum = 2 * time.Second
	if share < saneMinimum {
		share = min(left, saneMinimum)
	}
	return now.Add(share), nil
}

// dialParallel races the primaries against the fallbacks, which start
// FallbackDelay later (or as soon as the primaries fail), and returns the
// first connection; the loser is canceled, or closed if it connected too.
func (d *Dialer) dialParallel(ctx context.Context, n network, primaries, fallbacks []netip.AddrPort, deadline time.Time) (net.Conn, error) {
	type result struct {
		c       net.Conn
		err     error
		primary bool
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan result, 2) // both racers can always report
	race := func(primary bool, targets []netip.AddrPort) {
		c, err := d.dialSerial(ctx, n, targets, deadline)
		results <- result{c, err, primary}
	}
	go race(true, primaries)
	delay := d.FallbackDelay
	if delay == 0 {
		delay = 300 * time.Millisecond
	}
	fallbackTimer := time.NewTimer(delay)
	defer fallbackTimer.Stop()

	var primaryErr, fallbackErr error
	running, fallbackStarted := 1, false
	startFallback := func() {
		if !fallbackStarted {
			fallbackStarted = true
			running++
			go race(false, fallbacks)
		}
	}
	for running > 0 {
		select {
		case <-fallbackTimer.C:
			startFallback()
		case r := <-results:
			running--
			if r.err == nil {
				cancel()
				for ; running > 0; running-- {
					if other := <-results; other.c != nil {
						other.c.Close()
					}
				}
				return r.c, nil
			}
			if r.primary {
				primaryErr = r.err
				startFallback()
			} else {
				fallbackErr = r.err
			}
		}
	}
	if primaryErr != nil {
		return nil, primaryErr
	}
	return nil, fallbackErr
}

// dialOne connects one socket to ap before deadline.
func (d *Dialer) dialOne(ctx context.Context, n network, ap netip.AddrPort, deadline time.Time) (net.Conn, error) {
	raddr := n.netAddr(ap)
	fail := func(err error) (net.Conn, error) {
		return nil, opError("dial", n.name, d.LocalAddr, raddr, err)
	}
	family := familyOf(ap.Addr())
	s, err := newSocket(family, n)
	if err != nil {
		return fail(err)
	}
	if err := d.prepare(s, n); err != nil {
		s.close()
		return fail(err)
	}
	rec, err := s.record("connect", ap)
	if err == nil {
		err = s.connect(&rec, deadline, ctx.Done())
	}
	if err != nil {
		s.close()
		if err == errCanceled {
			err = ctxError(ctx)
		}
		return fail(err)
	}
	if la, err := s.localAddrPort(); err == nil {
		s.laddr = n.netAddr(la)
	}
	s.raddr = raddr
	if n.sotype == abi.SOCK_STREAM {
		return &TCPConn{conn{s}}, nil
	}
	return &UDPConn{conn{s}}, nil
}

// prepare binds s to LocalAddr, if any, and sets TCP's options as package
// net does: no Nagle delay, keep-alive unless KeepAlive is negative.
func (d *Dialer) prepare(s *socket, n network) error {
	if d.LocalAddr != nil {
		la, err := addrPortOf(d.LocalAddr)
		if err != nil {
			return err
		}
		if err := s.bind(la); err != nil {
			return err
		}
	}
	if n.sotype != abi.SOCK_STREAM {
		return nil
	}
	if err := s.setOption(abi.IPPROTO_TCP, abi.TCP_NODELAY, 1); err != nil {
		return err
	}
	if d.KeepAlive >= 0 {
		return s.keepAlive(d.KeepAlive)
	}
	return nil
}

// addrPortOf is the address of a *net.TCPAddr or *net.UDPAddr.
func addrPortOf(a net.Addr) (netip.AddrPort, error) {
	switch a := a.(type) {
	case *net.TCPAddr:
		return a.AddrPort(), nil
	case *net.UDPAddr:
		return a.AddrPort(), nil
	case nil:
		return netip.AddrPort{}, nil // no address: any, port 0
	}
	return netip.AddrPort{}, &net.AddrError{Err: "unexpected address type", Addr: a.String()}
}
