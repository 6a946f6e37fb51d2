package deadline

import (
	"errors"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// wait bounds every wait for something that must happen.
const wait = 10 * time.Second

// pair is a real TCP connection on 127.0.0.1: the server's end, held to o,
// and the client's.
func pair(t *testing.T, o Options) (*Conn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return Wrap(server, o), client
}

// readErr reads from c until it fails, within the bounded wait.
func readErr(t *testing.T, c net.Conn) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		buf := make([]byte, 4096)
		for {
			if _, err := c.Read(buf); err != nil {
				done <- err
				return
			}
		}
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(wait):
		t.Fatal("the read did not end within the bounded wait")
		return nil
	}
}

func TestASilentPeerIsCutOffAtTheHandshakeDeadline(t *testing.T) {
	var expired atomic.Int32
	c, _ := pair(t, Options{Handshake: 50 * time.Millisecond, Expired: func(error) { expired.Add(1) }})
	// The library above clears deadlines as it pleases; that changes
	// nothing.
	_ = c.SetDeadline(time.Time{})
	_ = c.SetReadDeadline(time.Time{})
	err := readErr(t, c)
	if !TimedOut(err) {
		t.Fatalf("read error %v, want the deadline", err)
	}
	if n := expired.Load(); n != 1 {
		t.Fatalf("Expired called %d times, want 1", n)
	}
}

func TestAnEstablishedPeerHasNoDeadline(t *testing.T) {
	const handshake = 50 * time.Millisecond
	start := time.Now()
	c, client := pair(t, Options{Handshake: handshake})
	if !c.Establish() || c.Establish() {
		t.Fatal("Establish should report true the first time only")
	}
	// Past the old deadline, a read still gets what the peer sends.
	for time.Since(start) < 2*handshake {
		time.Sleep(10 * time.Millisecond)
	}
	go func() { _, _ = client.Write([]byte("hello")) }()
	buf := make([]byte, 5)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "hello" {
		t.Fatalf("read after the deadline, once established: %q, %v", buf, err)
	}
}

func TestAPeerThatSendsTooMuchBeforeItsSessionIsCutOff(t *testing.T) {
	var why error
	c, client := pair(t, Options{Budget: 1000, Expired: func(err error) { why = err }})
	go func() { _, _ = client.Write(make([]byte, 5000)) }()
	err := readErr(t, c)
	if !errors.Is(err, ErrBudget) || !errors.Is(why, ErrBudget) {
		t.Fatalf("read error %v (Expired told %v), want ErrBudget", err, why)
	}
}

func TestAWriteThePeerDoesNotTakeTimesOut(t *testing.T) {
	c, client := pair(t, Options{Write: 100 * time.Millisecond})
	// Small buffers on both ends fill at once.
	_ = client.(*net.TCPConn).SetReadBuffer(4096)
	_ = c.Conn.(*net.TCPConn).SetWriteBuffer(4096)
	done := make(chan error, 1)
	go func() {
		chunk := make([]byte, 64<<10)
		for {
			if _, err := c.Write(chunk); err != nil {
				done <- err
				return
			}
		}
	}()
	select {
	case err := <-done:
		if !TimedOut(err) {
			t.Fatalf("write error %v, want a timeout", err)
		}
	case <-time.After(wait):
		t.Fatal("writes to a peer that reads nothing went on past the bounded wait")
	}
}

func TestAStalledWriterDropsItsConnection(t *testing.T) {
	r, w := io.Pipe() // nobody reads r: every write waits
	var stalled atomic.Int32
	bw := Writer(w, 20*time.Millisecond, func() {
		stalled.Add(1)
		r.CloseWithError(errors.New("dropped"))
	})
	done := make(chan error, 1)
	go func() { _, err := bw.Write([]byte("screen")); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("the stalled write reported no error")
		}
	case <-time.After(wait):
		t.Fatal("the stalled write did not end")
	}
	if n := stalled.Load(); n != 1 {
		t.Fatalf("stalled called %d times, want 1", n)
	}
	// A writer that keeps up is never stalled.
	var buf safeBuffer
	quick := Writer(&buf, time.Hour, func() { t.Error("a quick writer stalled") })
	for range 100 {
		if _, err := quick.Write([]byte("x")); err != nil {
			t.Fatal(err)
		}
	}
}

type safeBuffer struct{ n int }

func (b *safeBuffer) Write(p []byte) (int, error) { b.n += len(p); return len(p), nil }

// One timer serves all of a writer's writes: a write that stalls after many
// that did not, whether straight after them or after a quiet spell, is
// still caught.
func TestAWriterThatStallsLaterIsCaught(t *testing.T) {
	for _, quiet := range []time.Duration{0, 50 * time.Millisecond} {
		gate := &gatedWriter{}
		var stalled atomic.Int32
		bw := Writer(gate, 20*time.Millisecond, func() {
			stalled.Add(1)
			gate.drop()
		})
		// Writes that are taken at once, for longer than the bound in all.
		for start := time.Now(); time.Since(start) < 60*time.Millisecond; {
			if _, err := bw.Write([]byte("frame")); err != nil {
				t.Fatal(err)
			}
		}
		if stalled.Load() != 0 {
			t.Fatalf("quiet %v: a writer that kept up was stalled", quiet)
		}
		time.Sleep(quiet) // a spell with no write: the timer lapses
		gate.close()
		done := make(chan error, 1)
		go func() { _, err := bw.Write([]byte("frame")); done <- err }()
		select {
		case err := <-done:
			if err == nil {
				t.Fatalf("quiet %v: the stalled write reported no error", quiet)
			}
		case <-time.After(wait):
			t.Fatalf("quiet %v: the stalled write did not end", quiet)
		}
		if n := stalled.Load(); n != 1 {
			t.Fatalf("quiet %v: stalled called %d times, want 1", quiet, n)
		}
	}
}

// gatedWriter takes every write at once until it is closed (a client that
// stopped reading); from then on a write waits until it is dropped.
type gatedWriter struct {
	gate    atomic.Pointer[chan struct{}]
	dropped atomic.Bool
}

func (g *gatedWriter) close() {
	ch := make(chan struct{})
	g.gate.Store(&ch)
}

func (g *gatedWriter) drop() {
	g.dropped.Store(true)
	if ch := g.gate.Load(); ch != nil {
		close(*ch)
	}
}

func (g *gatedWriter) Write(p []byte) (int, error) {
	if ch := g.gate.Load(); ch != nil {
		<-*ch
	}
	if g.dropped.Load() {
		return 0, errors.New("dropped")
	}
	return len(p), nil
}
