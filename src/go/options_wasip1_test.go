//go:build wasip1

package wasisock

import (
	"testing"
	"time"

	"wasisock/internal/abi"
)

// option reads an option of c's socket back from the host.
func option(t *testing.T, c *TCPConn, level, name uint32) int32 {
	t.Helper()
	v, errno := abi.GetSockopt(c.s.handle, level, name)
	if errno != 0 {
		t.Fatalf("getsockopt %d/%d: %v", level, name, errno)
	}
	return v
}

// Dialled and accepted connections get package net's TCP options, and the
// setters reach the host.
func TestTCPOptions(t *testing.T) {
	ln, err := Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan *TCPConn, 1)
	go func() {
		c, _ := ln.(*TCPListener).AcceptTCP()
		accepted <- c
	}()
	d := Dialer{KeepAlive: 40 * time.Second}
	nc, err := d.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c := nc.(*TCPConn)
	defer c.Close()
	s := <-accepted
	if s == nil {
		t.Fatal("accept failed")
	}
	defer s.Close()
	for _, tc := range []struct {
		conn        *TCPConn
		level, name uint32
		want        int32
	}{
		{c, abi.IPPROTO_TCP, abi.TCP_NODELAY, 1},
		{c, abi.SOL_SOCKET, abi.SO_KEEPALIVE, 1},
		{c, abi.IPPROTO_TCP, abi.TCP_KEEPIDLE, 40},
		{c, abi.IPPROTO_TCP, abi.TCP_KEEPINTVL, 15},
		{s, abi.IPPROTO_TCP, abi.TCP_NODELAY, 1},
		{s, abi.IPPROTO_TCP, abi.TCP_KEEPIDLE, 15},
	} {
		if got := option(t, tc.conn, tc.level, tc.name); got != tc.want {
			t.Errorf("option %d/%d is %d, want %d", tc.level, tc.name, got, tc.want)
		}
	}
	c.SetKeepAlivePeriod(1500 * time.Millisecond)
	c.SetNoDelay(false)
	c.SetLinger(7)
	for _, tc := range []struct {
		level, name uint32
		want        int32
	}{
		{abi.IPPROTO_TCP, abi.TCP_KEEPIDLE, 2}, // rounded up
		{abi.IPPROTO_TCP, abi.TCP_NODELAY, 0},
		{abi.SOL_SOCKET, abi.SO_LINGER, 7},
	} {
		if got := option(t, c, tc.level, tc.name); got != tc.want {
			t.Errorf("after the setters, option %d/%d is %d, want %d", tc.level, tc.name, got, tc.want)
		}
	}
	if err := c.SetLinger(-5); err != nil || option(t, c, abi.SOL_SOCKET, abi.SO_LINGER) != abi.SO_LINGER_OFF {
		t.Errorf("SetLinger(-5): %v", err)
	}
}
