package wasisock_test

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"wasisock"
)

func listenPacket(t *testing.T, network, addr string) *wasisock.UDPConn {
	t.Helper()
	pc, err := wasisock.ListenPacket(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc.(*wasisock.UDPConn)
}

// Two sockets of the guest: datagrams keep their bounds and senders.
func TestUDPInGuest(t *testing.T) {
	a := listenPacket(t, "udp", "127.0.0.1:0")
	b := listenPacket(t, "udp4", "127.0.0.1:0")
	for _, msg := range []string{"one", "", "three three"} {
		if _, err := a.WriteTo([]byte(msg), b.LocalAddr()); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 100)
		b.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, from, err := b.ReadFrom(buf)
		if err != nil || string(buf[:n]) != msg || from.String() != a.LocalAddr().String() {
			t.Fatalf("got %q from %v (%v); want %q from %v", buf[:n], from, err, msg, a.LocalAddr())
		}
	}
	// A dialled socket reads an empty datagram as 0 bytes, not the end.
	c := dial(t, "udp", b.LocalAddr().String())
	c.Write(nil)
	if n, _, err := b.ReadFrom(make([]byte, 10)); n != 0 || err != nil {
		t.Fatalf("empty datagram to b: %d, %v", n, err)
	}
	b.WriteTo([]byte{}, c.LocalAddr())
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if n, err := c.Read(make([]byte, 10)); n != 0 || err != nil {
		t.Fatalf("empty datagram read by a dialled socket: %d, %v", n, err)
	}
	// Truncated to the buffer, as recvfrom(2).
	a.WriteTo([]byte("0123456789"), b.LocalAddr())
	buf := make([]byte, 4)
	if n, _, err := b.ReadFrom(buf); n != 4 || err != nil || string(buf) != "0123" {
		t.Errorf("truncated read %q, %v", buf[:n], err)
	}
}

// A dialled UDP socket against the harness's native echo server, on both
// families; it is a net.Conn and a net.PacketConn.
func TestUDPNative(t *testing.T) {
	harness(t).families(t, func(t *testing.T, srv *servers) {
		c := dial(t, "udp", srv.addr(srv.UDPEcho))
		if _, ok := c.(net.PacketConn); !ok {
			t.Fatalf("%T is not a net.PacketConn", c)
		}
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		for i := 0; i < 5; i++ {
			msg := []byte("datagram " + string(rune('a'+i)))
			if _, err := c.Write(msg); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 1500)
			n, err := c.Read(buf)
			if err != nil || string(buf[:n]) != string(msg) {
				t.Fatalf("echo %q, %v", buf[:n], err)
			}
		}
		_, err := c.(*wasisock.UDPConn).WriteTo([]byte("x"), c.RemoteAddr())
		if !errors.Is(err, net.ErrWriteToConnected) {
			t.Errorf("WriteTo on a dialled socket: %v", err)
		}
	})
}

func TestUDPReadDeadline(t *testing.T) {
	pc := listenPacket(t, "udp", "127.0.0.1:0")
	start := time.Now()
	pc.SetReadDeadline(start.Add(100 * time.Millisecond))
	_, _, err := pc.ReadFrom(make([]byte, 10))
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("ReadFrom: %v", err)
	}
	within(t, "ReadFrom", time.Since(start), 100*time.Millisecond)
}
