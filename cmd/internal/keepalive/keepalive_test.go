package keepalive

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const wait = 10 * time.Second

// peer answers keepalives while it is alive; once it has vanished it never
// answers, and a request waits until the connection is closed.
type peer struct {
	answered  atomic.Int32
	vanished  atomic.Bool
	closeOnce sync.Once
	closed    chan struct{}
}

func newPeer() *peer { return &peer{closed: make(chan struct{})} }

func (p *peer) SendRequest(name string, wantReply bool, _ []byte) (bool, []byte, error) {
	if name != Request || !wantReply {
		return false, nil, errors.New("not a keepalive")
	}
	if !p.vanished.Load() {
		p.answered.Add(1)
		return false, nil, nil // "unknown request" is an answer too
	}
	<-p.closed
	return false, nil, errors.New("connection closed")
}

func (p *peer) close() { p.closeOnce.Do(func() { close(p.closed) }) }

func TestAVanishedPeerIsDroppedAndAQuietOneIsNot(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	quiet, gone := newPeer(), newPeer()
	dead := make(chan string, 2)
	go Run(ctx, quiet, 5*time.Millisecond, 3, func() { dead <- "quiet"; quiet.close() })
	go Run(ctx, gone, 5*time.Millisecond, 3, func() { dead <- "gone"; gone.close() })

	// Both answer for a while.
	for quiet.answered.Load() < 3 || gone.answered.Load() < 3 {
		select {
		case who := <-dead:
			t.Fatalf("%s was dropped while it answered", who)
		case <-time.After(time.Millisecond):
		}
	}
	gone.vanished.Store(true)
	select {
	case who := <-dead:
		if who != "gone" {
			t.Fatalf("%s was dropped, want the vanished peer", who)
		}
	case <-time.After(wait):
		t.Fatal("the vanished peer was not dropped")
	}
	// The quiet one has gone on answering all along, and goes on.
	before := quiet.answered.Load()
	for quiet.answered.Load() < before+5 {
		select {
		case who := <-dead:
			t.Fatalf("%s was dropped while it answered", who)
		case <-time.After(time.Millisecond):
		}
	}
}

func TestRunEndsWithItsConnection(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	p := newPeer()
	go func() { Run(ctx, p, time.Millisecond, 3, func() { t.Error("dropped") }); close(done) }()
	cancel()
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatal("Run went on after its context ended")
	}
}
