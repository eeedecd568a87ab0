//go:build wasip1

package wasisock

import (
	"runtime"
	"strconv"
	"testing"

	"wasisock/internal/abi"
)

// handOver takes the socket away from s, as if the runner had opened it,
// and returns its descriptor as LISTEN_FDS_START names it.
func handOver(s *socket) string {
	s.closed = true
	runtime.SetFinalizer(s, nil)
	return strconv.Itoa(abi.FD_BASE + int(s.handle))
}

// A listener and a UDP socket handed over (consecutive handles, as the
// runners make them) are adopted by what they are, and work.
func TestAdoptHandedOver(t *testing.T) {
	ln, err := Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pc, err := ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lh, uh := ln.(*TCPListener).s.handle, pc.(*UDPConn).s.handle
	if uh != lh+1 {
		t.Skipf("handles %d and %d are not consecutive", lh, uh)
	}
	t.Setenv("LISTEN_FDS", "2")
	t.Setenv("LISTEN_FDS_START", handOver(ln.(*TCPListener).s))
	handOver(pc.(*UDPConn).s)
	socks, err := adoptInherited()
	if err != nil || len(socks) != 2 {
		t.Fatalf("adopted %v, %v", socks, err)
	}
	l, ok := socks[0].(*TCPListener)
	u, ok2 := socks[1].(*UDPConn)
	if !ok || !ok2 {
		t.Fatalf("adopted %T and %T", socks[0], socks[1])
	}
	defer l.Close()
	defer u.Close()
	if l.Addr().String() != ln.Addr().String() || u.LocalAddr().String() != pc.LocalAddr().String() {
		t.Fatalf("addresses %v %v, want %v %v", l.Addr(), u.LocalAddr(), ln.Addr(), pc.LocalAddr())
	}
	go func() {
		if c, err := Dial("tcp", l.Addr().String()); err == nil {
			c.Write([]byte("hi"))
			c.Close()
		}
	}()
	c, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 2)
	if n, err := c.Read(buf); n != 2 || err != nil {
		t.Fatalf("read %q, %v", buf[:n], err)
	}
	c.Close()
	if _, err := u.WriteTo([]byte("x"), u.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	if n, _, err := u.ReadFrom(buf); n != 1 || err != nil {
		t.Fatalf("UDP read %d, %v", n, err)
	}
}

func TestAdoptNothingOrNonsense(t *testing.T) {
	t.Setenv("LISTEN_FDS", "")
	if socks, err := adoptInherited(); socks != nil || err != nil {
		t.Fatalf("no LISTEN_FDS: %v, %v", socks, err)
	}
	for _, env := range [][2]string{{"x", "1073741824"}, {"1", "3"}, {"1", "-5"}, {"1", "1073741823"}} {
		t.Setenv("LISTEN_FDS", env[0])
		t.Setenv("LISTEN_FDS_START", env[1])
		if _, err := adoptInherited(); err == nil {
			t.Errorf("LISTEN_FDS=%s LISTEN_FDS_START=%s accepted", env[0], env[1])
		}
	}
	// A descriptor that is no open socket.
	t.Setenv("LISTEN_FDS", "1")
	t.Setenv("LISTEN_FDS_START", strconv.Itoa(abi.FD_BASE+999999))
	if _, err := adoptInherited(); err == nil {
		t.Error("a closed handle adopted")
	}
}
