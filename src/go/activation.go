package wasisock

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
)

// Sockets handed to the program when it starts, as systemd hands them to a
// service: the environment says how many (LISTEN_FDS) and from which
// descriptor on (LISTEN_FDS_START; systemd's 3 when it is not set).  Under
// wasisock-run --listen [tcp:|udp:]HOST:PORT the runner opened them with
// its own rights, so a program under --deny-all can serve on them.

var (
	inheritOnce sync.Once
	inherited   []any // *TCPListener, *UDPConn, or nil
	inheritErr  error
)

// Listeners returns the TCP listeners handed to the program, in the order
// of the runner's --listen options; other handed-over sockets are nil
// entries, so indexes match.  The sockets are taken once: later calls (of
// Listeners and PacketConns) return the same ones, and the LISTEN_*
// variables are removed from the environment.
func Listeners() ([]net.Listener, error) {
	socks, err := inheritedSockets()
	return only[net.Listener](socks), err
}

// PacketConns returns the UDP sockets handed to the program, as Listeners
// does the TCP listeners.
func PacketConns() ([]net.PacketConn, error) {
	socks, err := inheritedSockets()
	return only[net.PacketConn](socks), err
}

// only is socks with those that are not a T as nil (zero) entries.
func only[T any](socks []any) []T {
	out := make([]T, len(socks))
	for i, s := range socks {
		if v, ok := s.(T); ok {
			out[i] = v
		}
	}
	return out
}

func inheritedSockets() ([]any, error) {
	inheritOnce.Do(func() {
		inherited, inheritErr = adoptInherited()
		for _, name := range []string{"LISTEN_FDS", "LISTEN_FDS_START", "LISTEN_FDNAMES", "LISTEN_PID"} {
			os.Unsetenv(name)
		}
	})
	return inherited, inheritErr
}

// handedOver is how many sockets were handed over and the descriptor of
// the first, from the environment; LISTEN_FDS_START defaults to
// defaultStart.  No LISTEN_FDS, or a LISTEN_PID that is not this process's
// (systemd's check; WASI guests have no pid and runners set none), is none.
func handedOver(defaultStart int) (count, first int, err error) {
	if os.Getenv("LISTEN_FDS") == "" ||
		(os.Getenv("LISTEN_PID") != "" && os.Getenv("LISTEN_PID") != strconv.Itoa(os.Getpid())) {
		return 0, 0, nil
	}
	count, err = strconv.Atoi(os.Getenv("LISTEN_FDS"))
	first = defaultStart
	if start := os.Getenv("LISTEN_FDS_START"); start != "" && err == nil {
		first, err = strconv.Atoi(start)
	}
	if err != nil || count < 0 || first < 0 {
		return 0, 0, fmt.Errorf("wasisock: bad LISTEN_FDS=%q LISTEN_FDS_START=%q",
			os.Getenv("LISTEN_FDS"), os.Getenv("LISTEN_FDS_START"))
	}
	return count, first, nil
}
