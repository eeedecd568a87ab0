package wasisock_test

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"wasisock"
)

// isTimeout checks err the way Go code does: a *net.OpError for op,
// errors.Is os.ErrDeadlineExceeded, and a net.Error whose Timeout is true.
func isTimeout(t *testing.T, err error, op string) {
	t.Helper()
	var opErr *net.OpError
	var netErr net.Error
	if !errors.As(err, &opErr) || opErr.Op != op || !errors.Is(err, os.ErrDeadlineExceeded) ||
		!errors.As(err, &netErr) || !netErr.Timeout() {
		t.Fatalf("%s: want an i/o timeout *net.OpError, got %T %v", op, err, err)
	}
}

// within checks that d, the time a call took, is at least min, and not
// far beyond it (loosely: the machine may be busy).
func within(t *testing.T, what string, d, min time.Duration) {
	t.Helper()
	if d < min || d > min+5*time.Second {
		t.Errorf("%s took %v, want about %v", what, d, min)
	}
}

func TestReadDeadline(t *testing.T) {
	c, _ := connectedPair(t)
	start := time.Now()
	c.SetReadDeadline(start.Add(100 * time.Millisecond))
	_, err := c.Read(make([]byte, 10))
	isTimeout(t, err, "read")
	within(t, "read", time.Since(start), 100*time.Millisecond)

	// Still past: fails at once, again and again.
	_, err = c.Read(make([]byte, 10))
	isTimeout(t, err, "read")
}

// A past deadline fails the call even with data waiting, as in net.
func TestPastDeadlineFailsAtOnce(t *testing.T) {
	c, s := connectedPair(t)
	s.Write([]byte("data"))
	c.SetReadDeadline(time.Now().Add(-time.Second))
	_, err := c.Read(make([]byte, 10))
	isTimeout(t, err, "read")
	// Cleared: the data is there.
	c.SetReadDeadline(time.Time{})
	buf := make([]byte, 10)
	n, err := c.Read(buf)
	if err != nil || string(buf[:n]) != "data" {
		t.Fatalf("after clearing the deadline: %q, %v", buf[:n], err)
	}
}

// Moving the deadline of a Read that waits takes effect at once: net/http
// stops its background read that way (SetReadDeadline(aLongTimeAgo)).
func TestDeadlineMovesWaitingRead(t *testing.T) {
	c, _ := connectedPair(t)
	done := make(chan error, 1)
	go func() {
		_, err := c.Read(make([]byte, 10))
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("Read returned before any deadline: %v", err)
	default:
	}
	start := time.Now()
	c.SetReadDeadline(time.Unix(1, 0))
	isTimeout(t, <-done, "read")
	within(t, "waking the read", time.Since(start), 0)

	// And extending one: a Read with a 50 ms deadline moved to 300 ms.
	// (The 50 ms is set before the Read starts: set after, a Read that
	// started first would see the past deadline above and time out at once.)
	start = time.Now()
	c.SetReadDeadline(start.Add(50 * time.Millisecond))
	go func() {
		_, err := c.Read(make([]byte, 10))
		done <- err
	}()
	time.Sleep(10 * time.Millisecond)
	c.SetReadDeadline(start.Add(300 * time.Millisecond))
	isTimeout(t, <-done, "read")
	within(t, "extended read", time.Since(start), 300*time.Millisecond)
}

// Writes to a peer that does not read fill the buffers, then time out,
// reporting what went out.
func TestWriteDeadline(t *testing.T) {
	c, _ := connectedPair(t)
	c.SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
	n, err := c.Write(make([]byte, 64<<20))
	isTimeout(t, err, "write")
	if n <= 0 || n >= 64<<20 {
		t.Fatalf("wrote %d bytes before the deadline", n)
	}
}

func TestAcceptDeadline(t *testing.T) {
	ln := listen(t, "tcp", "127.0.0.1:0")
	start := time.Now()
	ln.(*wasisock.TCPListener).SetDeadline(start.Add(100 * time.Millisecond))
	_, err := ln.Accept()
	isTimeout(t, err, "accept")
	within(t, "accept", time.Since(start), 100*time.Millisecond)
}

// Deadlines of many waiting goroutines, each its own.
func TestManyDeadlines(t *testing.T) {
	const n = 20
	done := make(chan time.Duration, n)
	start := time.Now()
	for i := 0; i < n; i++ {
		c, _ := connectedPair(t)
		wait := time.Duration(i*10+10) * time.Millisecond
		c.SetReadDeadline(start.Add(wait))
		go func() {
			_, err := c.Read(make([]byte, 1))
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Errorf("read: %v", err)
			}
			done <- time.Since(start) - wait
		}()
	}
	for i := 0; i < n; i++ {
		if late := <-done; late < 0 {
			t.Errorf("a read timed out %v early", -late)
		}
	}
}
