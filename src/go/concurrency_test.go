package wasisock_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"wasisock"
)

const clients = 100

// A ticker goroutine counts its ticks and the longest gap between two:
// it must keep running while other goroutines wait on sockets.
type ticker struct {
	stop   chan struct{}
	done   chan struct{}
	ticks  int
	maxGap time.Duration
}

func startTicker() *ticker {
	tk := &ticker{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(tk.done)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		last := time.Now()
		for {
			select {
			case now := <-t.C:
				tk.ticks++
				tk.maxGap = max(tk.maxGap, now.Sub(last))
				last = now
			case <-tk.stop:
				return
			}
		}
	}()
	return tk
}

// check stops the ticker and checks it ran all along: sockets were waited
// on for at least hold, and a gap near that means the waits stopped it.
func (tk *ticker) check(t *testing.T, hold time.Duration) {
	t.Helper()
	close(tk.stop)
	<-tk.done
	t.Logf("ticker: %d ticks of 10 ms, longest gap %v", tk.ticks, tk.maxGap)
	if tk.ticks < int(hold/(10*time.Millisecond))/4 || tk.maxGap > hold/2 {
		t.Errorf("the ticker starved: %d ticks, a gap of %v, while sockets waited %v", tk.ticks, tk.maxGap, hold)
	}
}

// barrierEcho serves each connection in its own goroutine: it reads the
// request to its end, waits until all n connections have come (so they
// were open at the same time), then echoes.
func barrierEcho(t *testing.T, ln net.Listener, n int) {
	all := make(chan struct{})
	arrived := 0
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			if arrived++; arrived == n {
				close(all)
			}
			mu.Unlock()
			go func() {
				defer c.Close()
				data, err := io.ReadAll(c)
				if err != nil {
					t.Errorf("server read: %v", err)
					return
				}
				select {
				case <-all:
				case <-time.After(time.Minute):
					t.Errorf("not all %d clients came", n)
					return
				}
				c.Write(data)
			}()
		}
	}()
}

// 100 clients and their 100 server goroutines in the guest, all waiting on
// their sockets at once for a while, and a ticker.
func TestConcurrentClientsInGuest(t *testing.T) {
	const hold = time.Second
	ln := listen(t, "tcp", "127.0.0.1:0")
	barrierEcho(t, ln, clients)
	tk := startTicker()
	var wg sync.WaitGroup
	connected := make(chan struct{})
	var cmu sync.Mutex
	dialled := 0
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := wasisock.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			cmu.Lock()
			if dialled++; dialled == clients {
				close(connected)
			}
			cmu.Unlock()
			<-connected
			time.Sleep(hold)
			msg := bytes.Repeat([]byte(fmt.Sprintf("<client %d>", i)), i+1)
			c.Write(msg)
			c.(interface{ CloseWrite() error }).CloseWrite()
			got, err := io.ReadAll(c)
			if err != nil || !bytes.Equal(got, msg) {
				t.Errorf("client %d: %d bytes back, %v", i, len(got), err)
			}
		}(i)
	}
	wg.Wait()
	tk.check(t, hold)
}

// The harness's native peer opens 100 connections at once to a server of
// the guest, waits hold on each, then sends and reads the echo; one
// goroutine per connection, and a ticker, in the guest.
func TestNativeClients(t *testing.T) {
	const hold = 2 * time.Second
	cfg := harness(t)
	ln := listen(t, "tcp", "127.0.0.1:0")
	barrierEcho(t, ln, clients)
	tk := startTicker()
	reply := peerRequest(t, cfg, map[string]any{
		"op": "clients", "host": "127.0.0.1", "port": ln.Addr().(*net.TCPAddr).Port, "count": clients,
		"size": 5000, "delay": hold.Seconds(),
	})()
	tk.check(t, hold)
	if reply["echoed"] != float64(clients) || len(reply["errors"].([]any)) != 0 {
		t.Fatalf("native clients: %v echoed, errors %v", reply["echoed"], reply["errors"])
	}
	if ports := reply["ports"].([]any); len(ports) != clients {
		t.Fatalf("%d client ports", len(ports))
	}
}
