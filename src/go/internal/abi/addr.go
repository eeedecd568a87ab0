package abi

import (
	"encoding/binary"
	"net/netip"
)

// The 19-byte address record: family u8, port u16 big-endian, 16 address
// bytes (IPv4 in the first 4, the rest zero).
const (
	ADDR_FAMILY_OFFSET = 0
	ADDR_PORT_OFFSET   = 1
	ADDR_BYTES_OFFSET  = 3
	ADDR_BYTES_SIZE    = 16
)

// Addr is one address record, ready to hand to an import.
type Addr [ADDR_SIZE]byte

// EncodeAddr writes ap as a record for a socket of family (AF_INET or
// AF_INET6).  An IPv4 address, also one written IPv4-mapped, fits both: an
// AF_INET6 socket gets it IPv4-mapped (a dual-stack socket reaches IPv4
// that way).  ok is false for an IPv6 address and an AF_INET socket.  An
// invalid (zero) address is the unspecified one.
func EncodeAddr(ap netip.AddrPort, family uint32) (rec Addr, ok bool) {
	ip := ap.Addr()
	switch {
	case family == AF_INET && (!ip.IsValid() || ip.Unmap().Is4()):
		rec[ADDR_FAMILY_OFFSET] = AF_INET
		if ip.IsValid() {
			b := ip.Unmap().As4()
			copy(rec[ADDR_BYTES_OFFSET:], b[:])
		}
	case family == AF_INET6:
		rec[ADDR_FAMILY_OFFSET] = AF_INET6
		if ip.IsValid() {
			b := ip.As16()
			copy(rec[ADDR_BYTES_OFFSET:], b[:])
		}
	default:
		return rec, false
	}
	binary.BigEndian.PutUint16(rec[ADDR_PORT_OFFSET:], ap.Port())
	return rec, true
}

// DecodeAddr reads a record.  ok is false for a family the ABI does not
// know, including the "no address" record (AF_UNSPEC) of a stream socket's
// sock_recv_from.
func DecodeAddr(rec []byte) (ap netip.AddrPort, ok bool) {
	_ = rec[ADDR_SIZE-1]
	port := binary.BigEndian.Uint16(rec[ADDR_PORT_OFFSET:])
	b := rec[ADDR_BYTES_OFFSET : ADDR_BYTES_OFFSET+ADDR_BYTES_SIZE]
	switch rec[ADDR_FAMILY_OFFSET] {
	case AF_INET:
		return netip.AddrPortFrom(netip.AddrFrom4([4]byte(b[:4])), port), true
	case AF_INET6:
		return netip.AddrPortFrom(netip.AddrFrom16([16]byte(b)), port), true
	}
	return netip.AddrPort{}, false
}
