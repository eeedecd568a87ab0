package wasisock_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand"
	"net"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"wasisock"
)

// listen is a listener on addr, closed when the test ends.
func listen(t *testing.T, network, addr string) net.Listener {
	t.Helper()
	ln, err := wasisock.Listen(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// serveEcho accepts connections on ln and echoes each in its own
// goroutine until ln is closed.
func serveEcho(ln net.Listener) {
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				io.Copy(c, c)
			}()
		}
	}()
}

// dial connects to addr, closed when the test ends.
func dial(t *testing.T, network, addr string) net.Conn {
	t.Helper()
	c, err := wasisock.Dial(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// 4 MiB through a server in the same guest, sent and read by two
// goroutines at once: both sides wait for room and for data many times.
func TestTCPEchoInGuest(t *testing.T) {
	for _, tc := range []struct{ network, addr string }{
		{"tcp", "127.0.0.1:0"},
		{"tcp4", "localhost:0"},
		{"tcp6", "[::1]:0"},
	} {
		t.Run(tc.network+"_"+tc.addr, func(t *testing.T) {
			ln, err := wasisock.Listen(tc.network, tc.addr)
			if tc.network == "tcp6" && err != nil {
				t.Skip("no IPv6 loopback:", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			serveEcho(ln)
			c := dial(t, tc.network, ln.Addr().String())
			echoBulk(t, c, 4<<20)
		})
	}
}

// echoBulk sends size random bytes through c, reads them back at the same
// time and compares digests.
func echoBulk(t *testing.T, c net.Conn, size int) {
	t.Helper()
	data := make([]byte, size)
	rand.New(rand.NewSource(1)).Read(data)
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(data)
		if err == nil {
			err = c.(*wasisock.TCPConn).CloseWrite()
		}
		werr <- err
	}()
	h := sha256.New()
	n, err := io.Copy(h, c)
	if err != nil {
		t.Fatal("read:", err)
	}
	if err := <-werr; err != nil {
		t.Fatal("write:", err)
	}
	if want := sha256.Sum256(data); n != int64(size) || !bytes.Equal(h.Sum(nil), want[:]) {
		t.Fatalf("echoed %d bytes, digest %x; want %d, %x", n, h.Sum(nil), size, want)
	}
}

// The same against the harness's native echo server, on both families.
func TestTCPEchoNative(t *testing.T) {
	harness(t).families(t, func(t *testing.T, srv *servers) {
		c := dial(t, "tcp", srv.addr(srv.Echo))
		echoBulk(t, c, 1<<20+12345)
	})
}

// A name served on both 127.0.0.1 and ::1 ("localhost"): whichever
// address the resolver gives first answers.
func TestDialLocalhost(t *testing.T) {
	cfg := harness(t)
	c := dial(t, "tcp", net.JoinHostPort("localhost", strconv.Itoa(cfg.Dual["echo"])))
	if _, err := c.Write([]byte("via localhost")); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 13)
	if _, err := io.ReadFull(c, got); err != nil || string(got) != "via localhost" {
		t.Fatalf("read %q, %v", got, err)
	}
}

// A listener on 127.0.0.1 only: dialling "localhost" moves on from a
// refused ::1 (if the resolver gives it first) to 127.0.0.1.
func TestDialNextAddressAfterRefusal(t *testing.T) {
	ln := listen(t, "tcp4", "127.0.0.1:0")
	serveEcho(ln)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	c := dial(t, "tcp", net.JoinHostPort("localhost", port))
	if ra := c.RemoteAddr().(*net.TCPAddr); !ra.IP.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Fatalf("connected to %v", ra)
	}
}

// Listen("tcp", ":0") takes both families where the host has IPv6.
func TestListenDualStack(t *testing.T) {
	ln := listen(t, "tcp", ":0")
	serveEcho(ln)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	for _, host := range []string{"127.0.0.1", "::1"} {
		c, err := wasisock.Dial("tcp", net.JoinHostPort(host, port))
		if host == "::1" && err != nil && ln.Addr().(*net.TCPAddr).IP.To4() != nil {
			t.Log("IPv4-only listener (no IPv6 here):", err)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		echoBulk(t, c, 1000)
		c.Close()
	}
}

// "tcp6" listens on IPv6 only: 127.0.0.1 does not reach it.
func TestListenTCP6IsIPv6Only(t *testing.T) {
	ln, err := wasisock.Listen("tcp6", "[::]:0")
	if err != nil {
		t.Skip("no IPv6:", err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	if c, err := wasisock.Dial("tcp4", "127.0.0.1:"+port); err == nil {
		c.Close()
		t.Fatal("an IPv4 client reached a tcp6 listener")
	}
	c := dial(t, "tcp6", "[::1]:"+port)
	c.Close()
}

// connectedPair is a client connection and the server's end of it, on
// 127.0.0.1, both closed when the test ends; the server side sends nothing
// unless the test makes it.
func connectedPair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	ln := listen(t, "tcp", "127.0.0.1:0")
	accepted := make(chan net.Conn, 1)
	go func() {
		s, _ := ln.Accept()
		accepted <- s
	}()
	client = dial(t, "tcp", ln.Addr().String())
	server = <-accepted
	if server == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { server.Close() })
	if la, ok := ln.Addr().(*net.TCPAddr); !ok || la.Port == 0 || client.RemoteAddr().String() != la.String() {
		t.Fatalf("listener address %v, the client's remote %v", ln.Addr(), client.RemoteAddr())
	}
	return client, server
}

// Addresses are *net.TCPAddr, and each side sees the other's.
func TestAddresses(t *testing.T) {
	c, s := connectedPair(t)
	if s.RemoteAddr().String() != c.LocalAddr().String() {
		t.Errorf("server's remote %v, client's local %v", s.RemoteAddr(), c.LocalAddr())
	}
	if _, ok := s.(*wasisock.TCPConn); !ok {
		t.Errorf("Accept gave a %T", s)
	}
}

// Dialer.LocalAddr fixes the source address and port.
func TestDialerLocalAddr(t *testing.T) {
	ln := listen(t, "tcp", "127.0.0.1:0")
	serveEcho(ln)
	d := wasisock.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}}
	c, err := d.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if la := c.LocalAddr().(*net.TCPAddr); !la.IP.Equal(net.IPv4(127, 0, 0, 1)) || la.Port == 0 {
		t.Fatalf("local address %v", la)
	}
}

// CloseWrite: the peer reads the end, and can still answer.
func TestCloseWrite(t *testing.T) {
	ln := listen(t, "tcp", "127.0.0.1:0")
	go func() {
		s, err := ln.Accept()
		if err != nil {
			return
		}
		defer s.Close()
		got, _ := io.ReadAll(s)
		s.Write([]byte("got " + strconv.Itoa(len(got))))
	}()
	c := dial(t, "tcp", ln.Addr().String())
	c.Write([]byte("12345"))
	if err := c.(*wasisock.TCPConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	reply, err := io.ReadAll(c)
	if err != nil || string(reply) != "got 5" {
		t.Fatalf("reply %q, %v", reply, err)
	}
}

// SetLinger(0): Close resets the connection, and the peer's read says so.
func TestLingerZeroResets(t *testing.T) {
	c, s := connectedPair(t)
	if err := c.(*wasisock.TCPConn).SetLinger(0); err != nil {
		t.Fatal(err)
	}
	c.Close()
	s.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := s.Read(make([]byte, 10)); !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("read after the peer's reset: %v", err)
	}
}

// Close wakes a Read and an Accept that wait, with net.ErrClosed; a second
// Close says the same.
func TestCloseWakesWaiters(t *testing.T) {
	ln := listen(t, "tcp", "127.0.0.1:0")
	acceptErr := make(chan error, 1)
	go func() {
		_, err := ln.Accept()
		acceptErr <- err
	}()
	other := listen(t, "tcp", "127.0.0.1:0")
	c := dial(t, "tcp", other.Addr().String())
	readErr := make(chan error, 1)
	go func() {
		_, err := c.Read(make([]byte, 10))
		readErr <- err
	}()
	// Let both goroutines reach their wait.
	for i := 0; i < 10; i++ {
		runtime.Gosched()
	}
	ln.Close()
	c.Close()
	for what, ch := range map[string]chan error{"accept": acceptErr, "read": readErr} {
		err := <-ch
		var op *net.OpError
		if !errors.As(err, &op) || op.Op != what || !errors.Is(err, net.ErrClosed) {
			t.Errorf("%s after Close: %v", what, err)
		}
	}
	if err := c.Close(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("second Close: %v", err)
	}
}
