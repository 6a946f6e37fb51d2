// Package deadline bounds how long a peer can keep the server waiting on
// it: to finish its handshake, and to take what the server writes.
//
// A socket that never says a word, or a client that stops reading, costs
// nothing to the peer and a file descriptor, goroutines and buffers to the
// server for as long as the server waits. So every wait here has an end.
package deadline

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Options are the bounds of one connection; a zero field is no bound.
type Options struct {
	// Handshake is how long the peer has, from the moment the connection
	// is accepted, until Establish is called (it has logged in and started
	// a session).
	Handshake time.Duration
	// Write is how long one write may wait for the peer to take it.
	Write time.Duration
	// Budget is how many bytes the peer may send before Establish: a
	// handshake and a login take a few KiB, so a peer that sends much
	// more is not logging in.
	Budget int64
	// Expired, if set, is called once when the handshake deadline or the
	// budget ends the connection.
	Expired func(error)
}

// ErrBudget is the read error of a connection whose peer sent more than
// its budget before it was established.
var ErrBudget = errors.New("the peer sent too much before starting a session")

// Conn is a connection held to Options. It owns the connection's deadlines:
// SetDeadline and its kin do nothing, so that a library on top cannot lift
// the bounds (the SSH library clears the deadline on every read and write).
type Conn struct {
	net.Conn
	write   time.Duration
	expired func(error)
	ended   sync.Once

	established atomic.Bool
	once        sync.Once
	budget      atomic.Int64 // bytes the peer may still send before Establish
}

// Wrap holds c to o from now on.
func Wrap(c net.Conn, o Options) *Conn {
	dc := &Conn{Conn: c, write: o.Write, expired: o.Expired}
	dc.budget.Store(o.Budget)
	if o.Budget <= 0 {
		dc.budget.Store(-1)
	}
	if o.Handshake > 0 {
		_ = c.SetReadDeadline(time.Now().Add(o.Handshake))
	}
	return dc
}

// Establish lifts the handshake deadline and the budget: the peer has
// logged in and started a session. It reports true the first time only.
func (c *Conn) Establish() bool {
	first := false
	c.once.Do(func() {
		first = true
		c.established.Store(true)
		_ = c.Conn.SetReadDeadline(time.Time{})
	})
	return first
}

// Established tells whether Establish has been called.
func (c *Conn) Established() bool { return c.established.Load() }

func (c *Conn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if c.established.Load() {
		return n, err
	}
	if n > 0 && c.budget.Load() >= 0 && c.budget.Add(-int64(n)) < 0 {
		c.Conn.Close()
		n, err = 0, ErrBudget
	}
	if err != nil && TimedOut(err) && !c.established.Load() && c.expired != nil {
		c.ended.Do(func() { c.expired(err) })
	}
	return n, err
}

func (c *Conn) Write(p []byte) (int, error) {
	if c.write > 0 {
		_ = c.Conn.SetWriteDeadline(time.Now().Add(c.write))
	}
	return c.Conn.Write(p)
}

// SetDeadline does nothing: the Conn owns its deadlines.
func (c *Conn) SetDeadline(time.Time) error { return nil }

// SetReadDeadline does nothing: the Conn owns its deadlines.
func (c *Conn) SetReadDeadline(time.Time) error { return nil }

// SetWriteDeadline does nothing: the Conn owns its deadlines.
func (c *Conn) SetWriteDeadline(time.Time) error { return nil }

// TimedOut tells whether err is a deadline of this package passing.
func TimedOut(err error) bool {
	var ne net.Error
	return errors.Is(err, ErrBudget) || (errors.As(err, &ne) && ne.Timeout())
}

// Writer returns a writer that calls stalled, once, when a write to w has
// waited longer than d. stalled should drop the connection w writes to,
// which ends the write with an error.
//
// It catches what a socket's write deadline cannot: an SSH channel whose
// peer stops granting window, so that writes wait on the channel while the
// socket itself is idle.
//
// A screen writes every time the forum changes, so a write costs no timer
// of its own: one timer per writer is armed by the first write after a
// quiet spell and looks, when it fires, at the write in progress then, if
// any; it fires at most once every d while writes go on, and never while
// none do.
func Writer(w io.Writer, d time.Duration, stalled func()) io.Writer {
	if d <= 0 {
		return w
	}
	wr := &writer{w: w, d: d, stalled: stalled, epoch: time.Now()}
	wr.timer = time.AfterFunc(d, wr.check)
	wr.timer.Stop()
	return wr
}

type writer struct {
	w       io.Writer
	d       time.Duration
	stalled func()
	once    sync.Once
	// mu makes writes one at a time, so that began is the one in
	// progress.
	mu sync.Mutex
	// began is when the write in progress began, as time since epoch plus
	// one; 0 while no write is in progress.
	began atomic.Int64
	epoch time.Time
	// armed is set while timer is due to fire.
	armed atomic.Bool
	timer *time.Timer
}

func (w *writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.began.Store(int64(time.Since(w.epoch)) + 1)
	if w.armed.CompareAndSwap(false, true) {
		w.timer.Reset(w.d)
	}
	n, err := w.w.Write(p)
	w.began.Store(0)
	return n, err
}

// check runs when the timer fires: a write that has waited d is stalled;
// one that has waited less is looked at again when it will have.
func (w *writer) check() {
	// Disarmed before looking, so that a write beginning meanwhile either
	// is seen here or arms the timer itself.
	w.armed.Store(false)
	began := w.began.Load()
	if began == 0 {
		return
	}
	waited := time.Since(w.epoch) - time.Duration(began-1)
	if waited >= w.d {
		w.once.Do(w.stalled)
		return
	}
	if w.armed.CompareAndSwap(false, true) {
		w.timer.Reset(w.d - waited)
	}
}
