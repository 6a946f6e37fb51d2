package tui

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// Screens that ask a waiting memo for the same thing while one makes it
// wait for that one: it is made once, and all get it.
func TestMemoMakesWhatManyAskForOnce(t *testing.T) {
	m := newWaitingMemo[int, *int](64)
	const screens = 64
	var made atomic.Int32
	started, release := make(chan struct{}), make(chan struct{})
	render := func() *int {
		if made.Add(1) == 1 {
			close(started)
			<-release // the maker is held up, as a preempted one is
		}
		v := 42
		return &v
	}
	got := make([]*int, screens)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); got[0] = m.get(1, render) }()
	<-started
	var asked sync.WaitGroup
	for i := 1; i < screens; i++ {
		wg.Add(1)
		asked.Add(1)
		go func() {
			defer wg.Done()
			asked.Done()
			got[i] = m.get(1, render)
		}()
	}
	asked.Wait()
	// Let them reach get (a memo that does not wait makes it again
	// meanwhile); what is checked holds however far they got.
	for range 1000 {
		if made.Load() > 1 {
			break
		}
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if n := made.Load(); n != 1 {
		t.Errorf("made %d times for %d screens, want once", n, screens)
	}
	for i, v := range got {
		if v != got[0] || *v != 42 {
			t.Fatalf("screen %d got %v, want the one made (%v)", i, v, got[0])
		}
	}
}

// A making that panics (a bug, which ends that one screen) leaves nobody
// waiting: the next to ask makes it.
func TestMemoAfterAPanicInMaking(t *testing.T) {
	m := newWaitingMemo[string, string](64)
	func() {
		defer func() { _ = recover() }()
		m.get("k", func() string { panic("a bug") })
	}()
	done := make(chan string, 1)
	go func() { done <- m.get("k", func() string { return "made" }) }()
	if got := <-done; got != "made" {
		t.Errorf("after a panic got %q, want it made again", got)
	}
}
