//go:build !wasip1

package wasisock

import (
	"net"
	"os"
	"strconv"
	"syscall"
	"testing"
)

// Natively the handed-over sockets are descriptors, as systemd passes
// them; LISTEN_PID must be this process's when it is set.
func TestAdoptHandedOver(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	// A descriptor of its own, as a service gets it; adopting closes it.
	raw, err := ln.(*net.TCPListener).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	fd, dupErr := -1, error(nil)
	if err := raw.Control(func(s uintptr) { fd, dupErr = syscall.Dup(int(s)) }); err != nil || dupErr != nil {
		t.Fatal(err, dupErr)
	}
	t.Setenv("LISTEN_FDS", "1")
	t.Setenv("LISTEN_FDS_START", strconv.Itoa(fd))
	t.Setenv("LISTEN_PID", strconv.Itoa(os.Getpid()+1))
	if socks, err := adoptInherited(); socks != nil || err != nil {
		t.Fatalf("another process's sockets adopted: %v, %v", socks, err)
	}
	t.Setenv("LISTEN_PID", strconv.Itoa(os.Getpid()))
	socks, err := adoptInherited()
	if err != nil || len(socks) != 1 {
		t.Fatalf("adopted %v, %v", socks, err)
	}
	l, ok := socks[0].(net.Listener)
	if !ok || l.Addr().String() != ln.Addr().String() {
		t.Fatalf("adopted %T %v", socks[0], socks[0])
	}
	l.Close()
}
