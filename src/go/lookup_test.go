package wasisock_test

import (
	"context"
	"net"
	"testing"

	"wasisock"
)

func TestLookupLocalhost(t *testing.T) {
	addrs, err := wasisock.LookupHost("localhost")
	if err != nil || len(addrs) == 0 {
		t.Fatalf("LookupHost(localhost): %v, %v", addrs, err)
	}
	for _, a := range addrs {
		if ip := net.ParseIP(a); ip == nil || !ip.IsLoopback() {
			t.Errorf("localhost is %q", a)
		}
	}
	ips, err := wasisock.DefaultResolver.LookupNetIP(context.Background(), "ip4", "localhost")
	if err != nil || len(ips) == 0 {
		t.Fatalf("LookupNetIP ip4: %v, %v", ips, err)
	}
	for _, ip := range ips {
		if !ip.Unmap().Is4() { // package net gives them IPv4-mapped
			t.Errorf("ip4 lookup gave %v", ip)
		}
	}
}

// Addresses are answered without a lookup, and filtered by network.
func TestLookupLiteral(t *testing.T) {
	ips, err := wasisock.LookupIP("192.0.2.7")
	if err != nil || len(ips) != 1 || !ips[0].Equal(net.IPv4(192, 0, 2, 7)) {
		t.Fatalf("LookupIP literal: %v, %v", ips, err)
	}
	if _, err := wasisock.DefaultResolver.LookupIP(context.Background(), "ip6", "192.0.2.7"); err == nil {
		t.Error("an IPv4 address for ip6")
	}
	if _, err := wasisock.DefaultResolver.LookupIP(context.Background(), "tcp", "localhost"); err == nil {
		t.Error("network tcp accepted for a lookup")
	}
}
