//go:build !wasip1

package wasisock

// Anywhere but on wasip1 the operating system has sockets and package net
// uses them: the package is package net under its own names, so a program
// (and this package's tests) builds and behaves the same natively.

import (
	"net"
	"time"
)

type (
	Dialer      = net.Dialer
	Resolver    = net.Resolver
	TCPConn     = net.TCPConn
	UDPConn     = net.UDPConn
	TCPListener = net.TCPListener
)

var DefaultResolver = net.DefaultResolver

func Dial(network, address string) (net.Conn, error) { return net.Dial(network, address) }

func DialTimeout(network, address string, timeout time.Duration) (net.Conn, error) {
	return net.DialTimeout(network, address, timeout)
}

func Listen(network, address string) (net.Listener, error) { return net.Listen(network, address) }

func ListenPacket(network, address string) (net.PacketConn, error) {
	return net.ListenPacket(network, address)
}

func LookupHost(host string) ([]string, error) { return net.LookupHost(host) }

func LookupIP(host string) ([]net.IP, error) { return net.LookupIP(host) }
