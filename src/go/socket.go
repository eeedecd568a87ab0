//go:build wasip1

package wasisock

import (
	"io"
	"net"
	"net/netip"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"

	"wasisock/internal/abi"
)

// A socket is one host socket, always non-blocking: every call that would
// wait answers EAGAIN (EINPROGRESS for connect) and the goroutine waits in
// the poller instead, so other goroutines run meanwhile.  It is what
// TCPConn, UDPConn and TCPListener share, as netFD is in package net.
type socket struct {
	handle uint32
	family uint32  // abi.AF_INET or abi.AF_INET6
	nw     network // "tcp", "udp4", ... as the caller named it

	// One reader and one writer at a time, as net.Conn promises
	// for concurrent calls: reads (and accepts) take rlock, writes wlock.
	rlock, wlock sync.Mutex

	mu        sync.Mutex // guards the fields below
	closed    bool
	rdeadline time.Time
	wdeadline time.Time
	rwait     *waiter // the read (accept) waiting in the poller, if any
	wwait     *waiter // the write (connect) waiting in the poller, if any

	laddr, raddr net.Addr
}

// newSocket opens a non-blocking socket.  Errors are *os.SyscallError;
// callers wrap them in a *net.OpError of their operation.
func newSocket(family uint32, n network) (*socket, error) {
	h, errno := abi.Open(family, n.sotype)
	if errno != 0 {
		return nil, os.NewSyscallError("socket", errno)
	}
	return adoptSocket(h, family, n)
}

// adoptSocket makes handle non-blocking and gives it a finalizer, as
// package net does for its descriptors: a socket dropped without Close
// does not keep its host socket for ever.
func adoptSocket(handle, family uint32, n network) (*socket, error) {
	if errno := abi.SetTimeout(handle, 0); errno != 0 {
		abi.Close(handle)
		return nil, os.NewSyscallError("setsockopt", errno)
	}
	s := &socket{handle: handle, family: family, nw: n}
	runtime.SetFinalizer(s, (*socket).close)
	return s, nil
}

// close closes the socket once; later calls and pending operations get
// net.ErrClosed.  A goroutine woken by it sees closed before it touches the
// handle again: the host may give the number to a new socket at once.
func (s *socket) close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return net.ErrClosed
	}
	s.closed = true
	rw, ww := s.rwait, s.wwait
	s.mu.Unlock()
	runtime.SetFinalizer(s, nil)
	thePoller.wake(rw, waitClosed)
	thePoller.wake(ww, waitClosed)
	if errno := abi.Close(s.handle); errno != 0 {
		return os.NewSyscallError("close", errno)
	}
	return nil
}

func (s *socket) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// direction is the read or the write side of a socket.
type direction int

const (
	reading direction = iota
	writing
)

// deadlineLocked is the deadline of direction d; s.mu is held.
func (s *socket) deadlineLocked(d direction) time.Time {
	if d == reading {
		return s.rdeadline
	}
	return s.wdeadline
}

// startableLocked is nil, or why a call in direction d may not start: the
// socket is closed, or d's deadline has passed.  s.mu is held.
func (s *socket) startableLocked(d direction) error {
	if s.closed {
		return net.ErrClosed
	}
	if deadline := s.deadlineLocked(d); !deadline.IsZero() && !time.Now().Before(deadline) {
		return os.ErrDeadlineExceeded
	}
	return nil
}

// setDeadline sets the deadline of the given directions, and moves that of
// an operation waiting now, as net.Conn's SetDeadline does.
func (s *socket) setDeadline(t time.Time, dirs ...direction) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return net.ErrClosed
	}
	for _, d := range dirs {
		if d == reading {
			s.rdeadline = t
			thePoller.setDeadline(s.rwait, t)
		} else {
			s.wdeadline = t
			thePoller.setDeadline(s.wwait, t)
		}
	}
	return nil
}

// io runs call until it stops answering EAGAIN, waiting in the poller for
// events between tries, within direction d's deadline.  It is the one place
// where closing, deadlines and waiting are handled for every operation,
// like CPython's sock_call_ex.  call gets the handle; its Errno comes back
// as the error (nil for 0), wrapped as a SyscallError named syscallName.
func (s *socket) io(d direction, events uint16, syscallName string, call func(h uint32) syscall.Errno) error {
	for {
		// As package net: an expired deadline fails the call even when
		// it could have been done.
		s.mu.Lock()
		err := s.startableLocked(d)
		s.mu.Unlock()
		if err != nil {
			return err
		}
		errno := call(s.handle)
		if errno == 0 {
			return nil
		}
		if errno != syscall.EAGAIN {
			return os.NewSyscallError(syscallName, errno)
		}
		if err := s.await(d, events, nil); err != nil {
			return err
		}
	}
}

// await parks the goroutine until the socket has events, within direction
// d's deadline, and turns the reason it woke into an error (nil: try the
// call again).  The waiter is registered under s.mu, so a Close or a
// deadline change cannot slip in between the check and the wait.
func (s *socket) await(d direction, events uint16, cancel <-chan struct{}) error {
	s.mu.Lock()
	if err := s.startableLocked(d); err != nil {
		s.mu.Unlock()
		return err
	}
	w := newWaiter(s.handle, events, s.deadlineLocked(d))
	slot := &s.rwait
	if d == writing {
		slot = &s.wwait
	}
	*slot = w
	thePoller.add(w)
	s.mu.Unlock()

	res, errno := thePoller.park(w, cancel)
	s.mu.Lock()
	*slot = nil
	s.mu.Unlock()
	switch res {
	case waitTimeout:
		return os.ErrDeadlineExceeded
	case waitClosed:
		return net.ErrClosed
	case waitCanceled:
		return errCanceled
	case waitFailed:
		return os.NewSyscallError("sock_poll", errno)
	}
	return nil
}

// read receives into b; io.EOF at the end of a stream (a datagram socket
// reads an empty datagram as 0 bytes).
func (s *socket) read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	s.rlock.Lock()
	defer s.rlock.Unlock()
	var n int
	err := s.io(reading, abi.POLLIN, "read", func(h uint32) (errno syscall.Errno) {
		n, errno = abi.Recv(h, b)
		return errno
	})
	if err == nil && n == 0 && s.nw.sotype == abi.SOCK_STREAM {
		return 0, io.EOF
	}
	return n, err
}

// write sends all of b, waiting for room as often as needed.
func (s *socket) write(b []byte) (int, error) {
	s.wlock.Lock()
	defer s.wlock.Unlock()
	done := 0
	for {
		var n int
		err := s.io(writing, abi.POLLOUT, "write", func(h uint32) (errno syscall.Errno) {
			n, errno = abi.Send(h, b[done:])
			return errno
		})
		done += n
		if err != nil || done == len(b) {
			return done, err
		}
	}
}

// accept takes the next connection: a new non-blocking socket with its
// addresses filled in.
func (s *socket) accept() (*socket, error) {
	s.rlock.Lock()
	defer s.rlock.Unlock()
	var nh uint32
	var peer abi.Addr
	err := s.io(reading, abi.POLLIN, "accept", func(h uint32) (errno syscall.Errno) {
		nh, errno = abi.Accept(h, &peer)
		if errno == syscall.ECONNABORTED {
			// A connection reset while queued: as package net, wait
			// for the next one (POLLIN says at once if it is there).
			errno = syscall.EAGAIN
		}
		return errno
	})
	if err != nil {
		return nil, err
	}
	ns, err := adoptSocket(nh, s.family, s.nw)
	if err != nil {
		return nil, err
	}
	if la, err := ns.localAddrPort(); err == nil {
		ns.laddr = s.nw.netAddr(la)
	}
	if ra, ok := abi.DecodeAddr(peer[:]); ok {
		ns.raddr = s.nw.netAddr(ra)
	}
	return ns, nil
}

// readFrom receives one datagram into b and says who sent it.
func (s *socket) readFrom(b []byte) (int, netip.AddrPort, error) {
	s.rlock.Lock()
	defer s.rlock.Unlock()
	var n int
	var from abi.Addr
	err := s.io(reading, abi.POLLIN, "recvfrom", func(h uint32) (errno syscall.Errno) {
		n, errno = abi.RecvFrom(h, b, 0, &from)
		return errno
	})
	if err != nil {
		return 0, netip.AddrPort{}, err
	}
	ap, _ := abi.DecodeAddr(from[:])
	return n, ap, nil
}

// writeTo sends b as one datagram to the record to.
func (s *socket) writeTo(b []byte, to *abi.Addr) (int, error) {
	s.wlock.Lock()
	defer s.wlock.Unlock()
	var n int
	err := s.io(writing, abi.POLLOUT, "sendto", func(h uint32) (errno syscall.Errno) {
		n, errno = abi.SendTo(h, b, to)
		return errno
	})
	return n, err
}

// connect connects to the record ra before deadline, unless cancel fires
// first.  The socket is non-blocking: the host starts the connection
// (EINPROGRESS) and SO_ERROR tells how it went once it is writable.  The
// socket is nobody else's yet, so the dial deadline is its write deadline
// meanwhile.
func (s *socket) connect(ra *abi.Addr, deadline time.Time, cancel <-chan struct{}) error {
	s.wdeadline = deadline
	defer func() { s.wdeadline = time.Time{} }()
	errno := abi.Connect(s.handle, ra)
	if errno == 0 {
		return nil
	}
	if errno != syscall.EINPROGRESS && errno != syscall.EALREADY {
		return os.NewSyscallError("connect", errno)
	}
	for {
		if err := s.await(writing, abi.POLLOUT, cancel); err != nil {
			if err == os.ErrDeadlineExceeded {
				return errTimeout
			}
			return err
		}
		v, errno := abi.GetSockopt(s.handle, abi.SOL_SOCKET, abi.SO_ERROR)
		if errno != 0 {
			return os.NewSyscallError("getsockopt", errno)
		}
		switch errno := syscall.Errno(v); errno {
		case 0, syscall.EISCONN:
			return nil
		case syscall.EINPROGRESS, syscall.EALREADY, syscall.EINTR:
			continue // woken early: keep waiting
		default:
			return os.NewSyscallError("connect", errno)
		}
	}
}

// record is ap as a record for this socket's family; EAFNOSUPPORT for an
// IPv6 address and an IPv4 socket.
func (s *socket) record(syscallName string, ap netip.AddrPort) (abi.Addr, error) {
	rec, ok := abi.EncodeAddr(ap, s.family)
	if !ok {
		return rec, os.NewSyscallError(syscallName, syscall.EAFNOSUPPORT)
	}
	return rec, nil
}

// bind binds s to ap; an unspecified or missing address is the
// any-address of the socket's family.
func (s *socket) bind(ap netip.AddrPort) error {
	if ap.Addr().IsUnspecified() {
		ap = netip.AddrPortFrom(netip.Addr{}, ap.Port())
	}
	rec, err := s.record("bind", ap)
	if err != nil {
		return err
	}
	if errno := abi.Bind(s.handle, &rec); errno != 0 {
		return os.NewSyscallError("bind", errno)
	}
	return nil
}

// setOption sets an integer socket option.
func (s *socket) setOption(level, name uint32, v int32) error {
	if s.isClosed() {
		return net.ErrClosed
	}
	if errno := abi.SetSockopt(s.handle, level, name, v); errno != 0 {
		return os.NewSyscallError("setsockopt", errno)
	}
	return nil
}

// defaultKeepAlive is package net's keep-alive idle time and interval.
const defaultKeepAlive = 15 * time.Second

// setKeepAliveTimer sets a keep-alive timer option (TCP_KEEPIDLE or
// TCP_KEEPINTVL) to d in whole seconds, rounded up; 0 is
// defaultKeepAlive, negative leaves it alone.
func (s *socket) setKeepAliveTimer(name uint32, d time.Duration) error {
	if d == 0 {
		d = defaultKeepAlive
	} else if d < 0 {
		return nil
	}
	secs := (d + time.Second - 1) / time.Second
	return s.setOption(abi.IPPROTO_TCP, name, int32(min(secs, 1<<31-1)))
}

// keepAlive turns keep-alive on with idle time idle (0: the default), as
// package net does for the connections it dials and accepts.  The timers
// are revision-3 options: a revision-2 host keeps its own, and says
// ENOPROTOOPT, which is not an error here.
func (s *socket) keepAlive(idle time.Duration) error {
	if err := s.setOption(abi.SOL_SOCKET, abi.SO_KEEPALIVE, 1); err != nil {
		return err
	}
	s.setKeepAliveTimer(abi.TCP_KEEPIDLE, idle)
	s.setKeepAliveTimer(abi.TCP_KEEPINTVL, 0)
	return nil
}

// shutdown shuts down one or both directions (abi.SHUT_*).
func (s *socket) shutdown(how uint32) error {
	if s.isClosed() {
		return net.ErrClosed
	}
	if errno := abi.Shutdown(s.handle, how); errno != 0 {
		return os.NewSyscallError("shutdown", errno)
	}
	return nil
}

// localAddrPort asks the host for the socket's local address.
func (s *socket) localAddrPort() (netip.AddrPort, error) {
	var rec abi.Addr
	if errno := abi.LocalAddr(s.handle, &rec); errno != 0 {
		return netip.AddrPort{}, os.NewSyscallError("getsockname", errno)
	}
	ap, _ := abi.DecodeAddr(rec[:])
	return ap, nil
}
