package abi

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"testing"
)

// The examples of docs/ABI.md, byte for byte.
func TestAddrRecordExample(t *testing.T) {
	rec, ok := EncodeAddr(netip.MustParseAddrPort("127.0.0.1:8080"), AF_INET)
	want := []byte{0x01, 0x1F, 0x90, 0x7F, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	if !ok || !bytes.Equal(rec[:], want) {
		t.Fatalf("127.0.0.1:8080 is % x", rec)
	}
}

func TestPollRecordExample(t *testing.T) {
	var set PollSet
	set.Add(1024, POLLIN)
	if want := []byte{0x00, 0x04, 0, 0, 0x01, 0x00, 0, 0}; !bytes.Equal(set.buf, want) {
		t.Fatalf("handle 1024 waiting for input is % x", set.buf)
	}
}

func TestAddrRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		addr   string
		family uint32
		back   string // what DecodeAddr gives
	}{
		{"127.0.0.1:80", AF_INET, "127.0.0.1:80"},
		{"[::ffff:10.1.2.3]:443", AF_INET, "10.1.2.3:443"},
		{"[::1]:65535", AF_INET6, "[::1]:65535"},
		{"192.0.2.1:7", AF_INET6, "[::ffff:192.0.2.1]:7"}, // a dual-stack socket
		{"[2001:db8::5]:1", AF_INET6, "[2001:db8::5]:1"},
	} {
		rec, ok := EncodeAddr(netip.MustParseAddrPort(tc.addr), tc.family)
		if !ok || rec[ADDR_FAMILY_OFFSET] != byte(tc.family) {
			t.Errorf("%s for family %d: ok %v, record % x", tc.addr, tc.family, ok, rec)
			continue
		}
		if back, ok := DecodeAddr(rec[:]); !ok || back.String() != tc.back {
			t.Errorf("%s: decoded as %v (%v), want %s", tc.addr, back, ok, tc.back)
		}
	}
}

func TestAddrUnspecifiedAndMismatch(t *testing.T) {
	rec, ok := EncodeAddr(netip.AddrPortFrom(netip.Addr{}, 9), AF_INET)
	if back, _ := DecodeAddr(rec[:]); !ok || back.String() != "0.0.0.0:9" {
		t.Errorf("no address, AF_INET: %v", back)
	}
	rec, ok = EncodeAddr(netip.AddrPortFrom(netip.Addr{}, 9), AF_INET6)
	if back, _ := DecodeAddr(rec[:]); !ok || back.String() != "[::]:9" {
		t.Errorf("no address, AF_INET6: %v", back)
	}
	if _, ok := EncodeAddr(netip.MustParseAddrPort("[::1]:1"), AF_INET); ok {
		t.Error("an IPv6 address encoded for an AF_INET socket")
	}
	// "No address" (a stream socket's sock_recv_from) and unknown families.
	for _, family := range []byte{AF_UNSPEC, 3, 0xff} {
		var rec Addr
		rec[ADDR_FAMILY_OFFSET] = family
		if _, ok := DecodeAddr(rec[:]); ok {
			t.Errorf("family %d decoded", family)
		}
	}
}

func TestPollSetSlices(t *testing.T) {
	var set PollSet
	for h := uint32(0); h < 5; h++ {
		set.Add(h, POLLOUT)
	}
	// What the host writes into a slice shows in the whole set.
	slice := set.Slice(3, 5)
	binary.LittleEndian.PutUint16(slice.buf[1*POLL_SUB_SIZE+POLL_REVENTS_OFFSET:], POLLHUP)
	if set.Len() != 5 || slice.Len() != 2 || set.Revents(4) != POLLHUP || set.Revents(3) != 0 {
		t.Fatalf("len %d/%d, revents %#x %#x", set.Len(), slice.Len(), set.Revents(3), set.Revents(4))
	}
	set.Reset()
	if set.Len() != 0 {
		t.Fatal("Reset left records")
	}
}
