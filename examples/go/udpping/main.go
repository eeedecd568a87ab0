// udpping sends numbered datagrams to a UDP echo server and times the
// replies, giving up on a reply after a second.
//
//	wasisock-run udpping.wasm 127.0.0.1 7777 3
//	reply from 127.0.0.1:7777: seq=1 bytes=19 time=0.412 ms
//	...
//	3 packets transmitted, 3 received
//
// Exit status 0 when every reply came back unchanged.
package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"wasisock"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: udpping HOST PORT COUNT")
		os.Exit(2)
	}
	count, err := strconv.Atoi(os.Args[3])
	if err != nil || count < 1 {
		fmt.Fprintf(os.Stderr, "udpping: bad count %q\n", os.Args[3])
		os.Exit(2)
	}
	c, err := wasisock.Dial("udp", net.JoinHostPort(os.Args[1], os.Args[2]))
	if err != nil {
		fmt.Fprintln(os.Stderr, "udpping:", err)
		os.Exit(1)
	}
	defer c.Close()

	received := 0
	reply := make([]byte, 1500)
	for seq := 1; seq <= count; seq++ {
		msg := fmt.Sprintf("wasisock-ping seq=%d", seq)
		start := time.Now()
		if _, err := c.Write([]byte(msg)); err != nil {
			fmt.Fprintln(os.Stderr, "udpping:", err)
			os.Exit(1)
		}
		c.SetReadDeadline(start.Add(time.Second))
		n, err := c.Read(reply)
		switch {
		case errors.Is(err, os.ErrDeadlineExceeded):
			fmt.Printf("no reply: seq=%d\n", seq)
		case err != nil:
			fmt.Fprintln(os.Stderr, "udpping:", err)
			os.Exit(1)
		case string(reply[:n]) != msg:
			fmt.Printf("wrong reply: seq=%d %q\n", seq, reply[:n])
		default:
			received++
			fmt.Printf("reply from %s: seq=%d bytes=%d time=%.3f ms\n",
				c.RemoteAddr(), seq, n, float64(time.Since(start).Microseconds())/1000)
		}
	}
	fmt.Printf("%d packets transmitted, %d received\n", count, received)
	if received != count {
		os.Exit(1)
	}
}
