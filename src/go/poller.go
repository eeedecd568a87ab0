//go:build wasip1

package wasisock

import (
	"runtime"
	"sync"
	"syscall"
	"time"

	"wasisock/internal/abi"
)

// The poller: one goroutine waits in sock_poll for every goroutine that
// waits on a socket.
//
// Go on wasip1 runs every goroutine on one thread, and the runtime's own
// network poller only knows WASI file descriptors (it waits in
// poll_oneoff), not wasisock handles.  So sockets are non-blocking
// (timeout 0), an operation that would block registers a waiter here and
// parks on a channel, and this goroutine polls all waiters' handles and
// wakes those that are ready or whose deadline passed.
//
// While sock_poll blocks, the whole runtime does, timers included; and the
// runtime cannot tell the poller when its next timer is due.  So the poller
// blocks only when nothing was ready for two rounds in a row, each followed
// by runtime.Gosched (every runnable goroutine has had its turn, and expired
// timers have fired), and then at most until the nearest deadline of its
// waiters or pollQuantum, whichever is sooner.  A time.Timer or time.Sleep
// of another goroutine thus fires up to pollQuantum late while a goroutine
// waits on a socket, and never late when none does (the poller exits when
// it has no waiters).  Socket readiness is seen at once.
const pollQuantum = 10 * time.Millisecond

// A waitResult says why a waiter was woken.
type waitResult int

const (
	waitReady    waitResult = iota // the socket has events (or an error: try the call)
	waitTimeout                    // the deadline passed
	waitClosed                     // the socket was closed
	waitCanceled                   // the caller's cancel channel fired
	waitFailed                     // sock_poll itself failed (waiter.errno)
)

// A waiter is one goroutine parked until handle has events.
type waiter struct {
	handle   uint32
	events   uint16
	deadline time.Time // zero: none

	index  int // in poller.waiters; -1 once woken or removed
	result waitResult
	errno  syscall.Errno
	done   chan struct{} // receives one value when woken
}

type poller struct {
	mu      sync.Mutex
	waiters []*waiter
	running bool

	// Owned by the poller goroutine: the records of one sock_poll and
	// the waiter each record is for.
	set    abi.PollSet
	polled []*waiter
}

var thePoller poller

// newWaiter is a waiter for events on handle, not on the list yet.
func newWaiter(handle uint32, events uint16, deadline time.Time) *waiter {
	return &waiter{handle: handle, events: events, deadline: deadline, index: -1, done: make(chan struct{}, 1)}
}

// park blocks until w is woken or cancel fires, and says why it ended.
func (p *poller) park(w *waiter, cancel <-chan struct{}) (waitResult, syscall.Errno) {
	select {
	case <-w.done:
	case <-cancel:
		if p.remove(w) {
			return waitCanceled, 0
		}
		<-w.done // woken meanwhile: that result stands
	}
	return w.result, w.errno
}

// add puts w on the list and starts the poller goroutine if it is not
// running.
func (p *poller) add(w *waiter) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w.index = len(p.waiters)
	p.waiters = append(p.waiters, w)
	if !p.running {
		p.running = true
		go p.run()
	}
}

// remove takes w off the list without waking it; false if it was woken
// already.
func (p *poller) remove(w *waiter) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.unlink(w)
}

// unlink takes w off the list (swapping the last waiter into its place);
// false if it was not on it.  p.mu is held.
func (p *poller) unlink(w *waiter) bool {
	i := w.index
	if i < 0 {
		return false
	}
	last := len(p.waiters) - 1
	p.waiters[i] = p.waiters[last]
	p.waiters[i].index = i
	p.waiters[last] = nil
	p.waiters = p.waiters[:last]
	w.index = -1
	return true
}

// wakeLocked ends w's wait with result, if it is still waiting; p.mu is
// held.
func (p *poller) wakeLocked(w *waiter, result waitResult, errno syscall.Errno) bool {
	if !p.unlink(w) {
		return false
	}
	w.result, w.errno = result, errno
	w.done <- struct{}{}
	return true
}

// wake ends w's wait (w may be nil or woken already).
func (p *poller) wake(w *waiter, result waitResult) {
	if w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.wakeLocked(w, result, 0)
}

// setDeadline moves w's deadline; a deadline already past wakes it now.
func (p *poller) setDeadline(w *waiter, t time.Time) {
	if w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	w.deadline = t
	if !t.IsZero() && !time.Now().Before(t) {
		p.wakeLocked(w, waitTimeout, 0)
	}
}

// run is the poller goroutine; it ends when nobody waits.
func (p *poller) run() {
	idleRounds := 0
	for {
		timeout, ok := p.prepare(idleRounds >= 2)
		if !ok {
			return
		}
		woke := p.poll(timeout)
		if woke > 0 {
			idleRounds = 0
		} else {
			idleRounds++
		}
		runtime.Gosched()
	}
}

// prepare fills p.set with a record per waiter and says how long the next
// sock_poll may block (milliseconds); ok is false when nobody waits, and
// the poller is then marked stopped.
func (p *poller) prepare(block bool) (timeoutMs int32, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.waiters) == 0 {
		p.running = false
		return 0, false
	}
	p.set.Reset()
	p.polled = append(p.polled[:0], p.waiters...)
	wait := pollQuantum
	now := time.Now()
	for _, w := range p.polled {
		p.set.Add(w.handle, w.events)
		if !w.deadline.IsZero() {
			wait = min(wait, w.deadline.Sub(now))
		}
	}
	if !block || wait <= 0 {
		return 0, true
	}
	// Rounded up, so the poller does not wake just before a deadline and
	// spin until it passes.
	return int32((wait + time.Millisecond - 1) / time.Millisecond), true
}

// poll runs sock_poll over p.set and wakes the waiters that are ready or
// past their deadline.  More than POLL_MAX records take several calls: the
// later slices first, without waiting, then the first one, which waits only
// if nothing was ready.
func (p *poller) poll(timeoutMs int32) (woke int) {
	n := p.set.Len()
	ready := 0
	for start := abi.POLL_MAX; start < n; start += abi.POLL_MAX {
		slice := p.set.Slice(start, min(start+abi.POLL_MAX, n))
		nready, errno := abi.Poll(&slice, 0)
		if errno != 0 {
			return p.failAll(errno)
		}
		ready += nready
	}
	if ready > 0 {
		timeoutMs = 0
	}
	first := p.set.Slice(0, min(abi.POLL_MAX, n))
	if _, errno := abi.Poll(&first, timeoutMs); errno != 0 {
		return p.failAll(errno)
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	for i, w := range p.polled {
		switch {
		case p.set.Revents(i) != 0:
			if p.wakeLocked(w, waitReady, 0) {
				woke++
			}
		case !w.deadline.IsZero() && !now.Before(w.deadline):
			if p.wakeLocked(w, waitTimeout, 0) {
				woke++
			}
		}
	}
	return woke
}

// failAll wakes every polled waiter with sock_poll's own error (EINVAL or
// ENOMEM: the host could not take the records), so that no goroutine
// waits for ever on a poller that cannot poll.
func (p *poller) failAll(errno syscall.Errno) (woke int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range p.polled {
		if p.wakeLocked(w, waitFailed, errno) {
			woke++
		}
	}
	return woke
}
