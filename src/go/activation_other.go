//go:build !wasip1

package wasisock

import (
	"net"
	"os"
)

// adoptInherited wraps the sockets systemd (or a runner following it)
// handed over, from descriptor 3 on unless LISTEN_FDS_START says.
func adoptInherited() ([]any, error) {
	n, first, err := handedOver(3)
	if err != nil || n == 0 {
		return nil, err
	}
	socks := make([]any, n)
	for i := range socks {
		f := os.NewFile(uintptr(first+i), "listen")
		if l, err := net.FileListener(f); err == nil {
			socks[i] = l
		} else if c, err := net.FilePacketConn(f); err == nil {
			socks[i] = c
		}
		f.Close() // net holds its own descriptor now
	}
	return socks, nil
}
