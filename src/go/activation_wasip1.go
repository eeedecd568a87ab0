//go:build wasip1

package wasisock

import (
	"fmt"
	"os"

	"wasisock/internal/abi"
)

// adoptInherited wraps the handed-over sockets: descriptor D is handle
// D - WASISOCK_FD_BASE.
func adoptInherited() ([]any, error) {
	n, first, err := handedOver(-1)
	if err != nil || n == 0 {
		return nil, err
	}
	if first < abi.FD_BASE {
		return nil, fmt.Errorf("wasisock: LISTEN_FDS_START=%d is not a socket descriptor", first)
	}
	socks := make([]any, n)
	for i := range socks {
		if socks[i], err = adoptHandle(uint32(first - abi.FD_BASE + i)); err != nil {
			return socks, err
		}
	}
	return socks, nil
}

// adoptHandle wraps an open handle by what it is: a TCP listener or a UDP
// socket (what --listen makes).
func adoptHandle(h uint32) (any, error) {
	var rec abi.Addr
	if errno := abi.LocalAddr(h, &rec); errno != 0 {
		return nil, os.NewSyscallError("getsockname", errno)
	}
	local, ok := abi.DecodeAddr(rec[:])
	sotype, errno := abi.GetSockopt(h, abi.SOL_SOCKET, abi.SO_TYPE)
	listening, errno2 := abi.GetSockopt(h, abi.SOL_SOCKET, abi.SO_ACCEPTCONN)
	if !ok || errno != 0 || errno2 != 0 || (sotype == abi.SOCK_STREAM && listening == 0) {
		return nil, fmt.Errorf("wasisock: handed-over socket %d is neither a TCP listener nor a UDP socket", h)
	}
	n := network{name: "tcp", sotype: abi.SOCK_STREAM}
	if sotype == abi.SOCK_DGRAM {
		n = network{name: "udp", sotype: abi.SOCK_DGRAM}
	}
	s, err := adoptSocket(h, uint32(rec[abi.ADDR_FAMILY_OFFSET]), n)
	if err != nil {
		return nil, err
	}
	s.laddr = n.netAddr(local)
	if n.sotype == abi.SOCK_DGRAM {
		return &UDPConn{conn{s}}, nil
	}
	return &TCPListener{s: s}, nil
}
