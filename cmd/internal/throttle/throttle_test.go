package throttle

import (
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time       { return c.t }
func (c *clock) pass(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                { return &clock{t: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)} }
func perAddress() Config {
	return Config{Free: 3, Wait: time.Second, MaxWait: 8 * time.Second, LockAfter: 8, LockFor: 15 * time.Minute, Forget: 15 * time.Minute}
}

// guess books a guess, takes the wait it is given, and fails it.
func guess(t *testing.T, th *Throttle, c *clock, key string) (waited, locked time.Duration) {
	t.Helper()
	wait, locked := th.Reserve(key)
	if locked > 0 {
		return 0, locked
	}
	c.pass(wait)
	th.Fail(key)
	return wait, 0
}

func TestWaitsGrowThenTheKeyIsLockedOut(t *testing.T) {
	c := newClock()
	th := New(perAddress(), c.now)
	var waits []time.Duration
	for range 8 {
		w, locked := guess(t, th, c, "192.0.2.1")
		if locked > 0 {
			t.Fatalf("locked after %d guesses, want 8", len(waits))
		}
		waits = append(waits, w)
	}
	want := []time.Duration{0, 0, 0, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits %v, want %v", waits, want)
		}
	}
	// Locked out: refused unchecked, for LockFor.
	if _, locked := th.Reserve("192.0.2.1"); locked != 15*time.Minute {
		t.Fatalf("after 8 failures, locked for %v, want 15m", locked)
	}
	if d := th.Locked("192.0.2.1"); d != 15*time.Minute {
		t.Fatalf("Locked: %v", d)
	}
	// Someone else is not held up at all.
	if w, locked := th.Reserve("192.0.2.2"); w != 0 || locked != 0 {
		t.Fatalf("another key waits %v, locked %v", w, locked)
	}
	// After the lockout and a quiet spell, the key starts afresh.
	c.pass(15 * time.Minute)
	if w, locked := th.Reserve("192.0.2.1"); w != 0 || locked != 0 {
		t.Fatalf("after the lockout: wait %v, locked %v", w, locked)
	}
	if n := th.Failures("192.0.2.1"); n != 0 {
		t.Fatalf("failures after the lockout: %d", n)
	}
}

func TestGuessesAtOnceQueueBehindEachOther(t *testing.T) {
	c := newClock()
	th := New(perAddress(), c.now)
	for range 3 {
		guess(t, th, c, "k")
	}
	// Three more booked together, none checked yet: each waits behind the
	// one before, so that guessing in parallel gains nothing.
	var waits []time.Duration
	for range 3 {
		w, _ := th.Reserve("k")
		waits = append(waits, w)
	}
	if !(waits[0] < waits[1] && waits[1] < waits[2]) {
		t.Fatalf("parallel guesses wait %v, want each longer than the one before", waits)
	}
}

func TestTheRateInAllIsBounded(t *testing.T) {
	// A forum's throttle: no lockout, a fixed wait once busy.
	c := newClock()
	th := New(Config{Free: 10, Wait: 100 * time.Millisecond, MaxWait: 100 * time.Millisecond, Forget: time.Minute}, c.now)
	start := c.t
	for range 110 {
		guess(t, th, c, "forum")
	}
	// Ten free, then a hundred at ten a second.
	if took := c.t.Sub(start); took < 10*time.Second {
		t.Fatalf("110 guesses checked in %v, want at least 10s", took)
	}
}

func TestTheTableIsBounded(t *testing.T) {
	c := newClock()
	cfg := perAddress()
	cfg.MaxKeys = 10
	th := New(cfg, c.now)
	for i := range 1000 {
		guess(t, th, c, string(rune('a'+i%26))+string(rune(i)))
	}
	if n := len(th.keys); n > 11 {
		t.Fatalf("%d keys remembered, want at most 11", n)
	}
}
