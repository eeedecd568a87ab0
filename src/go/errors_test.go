package wasisock_test

import (
	"context"
	"errors"
	"net"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"wasisock"
)

// A port that refuses: the harness's socket that is bound and never
// listens, so nothing else can take the port meanwhile.
func TestDialRefused(t *testing.T) {
	cfg := harness(t)
	addr := cfg.V4.addr(cfg.V4.Refused)
	_, err := wasisock.Dial("tcp", addr)
	var opErr *net.OpError
	var sysErr *os.SyscallError
	if !errors.As(err, &opErr) || !errors.As(err, &sysErr) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("want a *net.OpError wrapping ECONNREFUSED, got %T %v", err, err)
	}
	if opErr.Op != "dial" || opErr.Net != "tcp" || opErr.Addr.String() != addr || sysErr.Syscall != "connect" {
		t.Errorf("error fields: op %q net %q addr %v syscall %q", opErr.Op, opErr.Net, opErr.Addr, sysErr.Syscall)
	}
	if want := "dial tcp " + addr + ": connect: " + syscall.ECONNREFUSED.Error(); err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	if opErr.Timeout() {
		t.Error("a refusal is not a timeout")
	}
}

// A name under .invalid (RFC 6761) never resolves: a *net.DNSError with
// IsNotFound, inside the dial's *net.OpError.
func TestDialInvalidName(t *testing.T) {
	if runtime.GOOS != "wasip1" {
		t.Skip("natively, Go's resolver would ask the system's DNS servers")
	}
	_, err := wasisock.Dial("tcp", "no-such-host.invalid:80")
	var opErr *net.OpError
	var dnsErr *net.DNSError
	if !errors.As(err, &opErr) || opErr.Op != "dial" || !errors.As(err, &dnsErr) {
		t.Fatalf("want a dial *net.OpError wrapping a *net.DNSError, got %T %v", err, err)
	}
	if !dnsErr.IsNotFound || dnsErr.Name != "no-such-host.invalid" || dnsErr.Err != "no such host" {
		t.Errorf("DNS error %#v", dnsErr)
	}
	if _, err := wasisock.LookupHost("x.invalid"); !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Errorf("LookupHost: %v", err)
	}
}

func TestDialUnknownNetwork(t *testing.T) {
	_, err := wasisock.Dial("sctp", "127.0.0.1:80")
	var unknown net.UnknownNetworkError
	if !errors.As(err, &unknown) || string(unknown) != "sctp" {
		t.Fatalf("got %T %v", err, err)
	}
	// As package net: a UDP address is not one to listen on.
	var addrErr *net.AddrError
	if _, err := wasisock.Listen("udp", "127.0.0.1:0"); !errors.As(err, &addrErr) {
		t.Fatalf("Listen udp: %v", err)
	}
}

func TestDialBadAddress(t *testing.T) {
	for _, addr := range []string{"127.0.0.1", "127.0.0.1:99999", "[::1:80", "127.0.0.1:no-such-service"} {
		if c, err := wasisock.Dial("tcp", addr); err == nil {
			c.Close()
			t.Errorf("Dial(%q) succeeded", addr)
		}
	}
	// A service name is a port, looked up as package net does.
	c, err := wasisock.Dial("tcp", "127.0.0.1:http")
	var opErr *net.OpError
	if err == nil {
		c.Close()
	} else if !errors.As(err, &opErr) || opErr.Addr == nil || opErr.Addr.(*net.TCPAddr).Port != 80 {
		t.Errorf("Dial 127.0.0.1:http: %v", err)
	}
}

// A canceled context or a past deadline stops a dial with package net's
// errors: context.Canceled and context.DeadlineExceeded for errors.Is, a
// timeout for the deadline.
func TestDialContext(t *testing.T) {
	ln := listen(t, "tcp", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var d wasisock.Dialer
	_, err := d.DialContext(ctx, "tcp", ln.Addr().String())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %T %v", err, err)
	}

	d.Deadline = time.Now().Add(-time.Second)
	_, err = d.DialContext(context.Background(), "tcp", ln.Addr().String())
	var netErr net.Error
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Errorf("past deadline: %T %v", err, err)
	}

	// A connection made stays open when the context ends later.
	ctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	c, err := (&wasisock.Dialer{}).DialContext(ctx, "tcp", ln.Addr().String())
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("x")); err != nil {
		t.Errorf("write after the context ended: %v", err)
	}
}

// Methods of a zero connection fail like package net's, without a panic.
func TestZeroConn(t *testing.T) {
	c := new(wasisock.TCPConn)
	if _, err := c.Read(nil); err != syscall.EINVAL {
		t.Errorf("Read: %v", err)
	}
	if err := c.Close(); err != syscall.EINVAL {
		t.Errorf("Close: %v", err)
	}
	if c.LocalAddr() != nil {
		t.Error("LocalAddr of a zero TCPConn")
	}
}
